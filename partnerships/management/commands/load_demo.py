"""Create the five seed partnerships with their schools and a user for every role. Safe to run again."""

import itertools

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

import partnerships.demo as demo_registry
from accounts.models import User
from partnerships.demo import agreements as demo_agreements
from partnerships.demo import constitution as demo_constitution
from partnerships.demo import groups as demo_groups
from partnerships.demo import offices as demo_offices
from partnerships.demo import schools as schools_demo
from partnerships.demo import seeds as demo
from partnerships.models import Membership, Partnership, RoleAssignment
from partnerships.roles import Role
from partnerships.services import role_start
from partnerships.services.partnerships import partnership_prepare
from schools.models import School


def others_of(schools, first):
    return [school for school in schools if school != first]


AREA_LOADERS = [schools_demo, demo_constitution, demo_offices, demo_groups, demo_agreements]


class Command(BaseCommand):
    help = "Load the demo partnerships from the seed agreements (idempotent) and print the logins."

    def handle(self, *args, **options):
        self.names = itertools.cycle(
            f"{first} {last}" for first, last in zip(demo.FIRST * 4, demo.LAST * 5, strict=False)
        )
        self.logins: list[tuple[str, str, str]] = []
        with scopes_disabled(), transaction.atomic():
            admin = self._user("admin@commonroom.example", superuser=True)
            for spec in demo.PARTNERSHIPS:
                self._partnership(spec, admin)
        password = settings.DEMO_PASSWORD
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in at http://127.0.0.1:8000/ with:"))
        width = max(len(email) for _, _, email in self.logins)
        for partnership, role, email in self.logins:
            self.stdout.write(f"  {email.ljust(width)}  {partnership}: {role}")
        self.stdout.write(f"  {'admin@commonroom.example'.ljust(width)}  site administration (/admin/)")
        self.stdout.write(f"Every demo password is: {password}")

    def _user(self, email: str, *, superuser: bool = False) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            name = "Site Administrator" if superuser else next(self.names)
            user = demo.demo_user(email, name, superuser=superuser)
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def _role(self, admin, user, partnership, role, school=None, *, show=True):
        exists = (
            RoleAssignment.objects.filter(user=user, partnership=partnership, role=role, school=school)
            .active()
            .exists()
        )
        if not exists:
            role_start(
                actor=admin, user=user, partnership=partnership, role=role, school=school, start=demo.roles_from()
            )
        if show:
            label = Role(role).label + (f" ({school.name})" if school else "")
            self.logins.append((partnership.name, label, user.email))

    def _partnership(self, spec, admin):
        starts, ends = spec["agreement"]
        partnership, _ = Partnership.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "purpose": spec["purpose"],
                "aims": spec["aims"],
                "status": Partnership.Status.ACTIVE,
            },
        )
        partnership_prepare(partnership=partnership)
        schools = {}
        for urn, name, phase, kind in spec["schools"]:
            school, _ = School.objects.update_or_create(
                urn=urn,
                defaults={"name": name, "phase": phase, "type": kind, "local_authority": spec["la"]},
            )
            schools[urn] = school
            Membership.objects.get_or_create(
                partnership=partnership, school=school, defaults={"joined": min(starts, demo.roles_from())}
            )
        slug = spec["slug"]
        ordered = list(schools.values())
        chair_school = schools[spec["chair_school"]]
        others = [s for s in ordered if s != chair_school]

        def head(school):
            return self._user(f"head.{school.urn}@schools.example")

        self._role(admin, self._user(f"coordinator@{slug}.example"), partnership, Role.COORDINATOR)
        for school in ordered:
            self._role(admin, head(school), partnership, Role.HEADTEACHER, school, show=school in ordered[:1])
        self._role(admin, head(chair_school), partnership, Role.CHAIR)
        self._role(admin, head(others[0]), partnership, Role.VICE_CHAIR)
        # Strategy group representatives and reserves come only from a confirmed rota (demo/offices.py).
        first = ordered[0]
        self._role(admin, self._user(f"deputy.{first.urn}@schools.example"), partnership, Role.DEPUTY, first)
        self._role(
            admin,
            self._user(f"chair-governors.{first.urn}@schools.example"),
            partnership,
            Role.CHAIR_OF_GOVERNORS,
            first,
        )
        self._role(admin, self._user(f"governor.{first.urn}@schools.example"), partnership, Role.GOVERNOR, first)
        if spec.get("governors_sign"):  # the agreement is signed by each school's chair of governors
            for school in others_of(ordered, first):
                email = f"chair-governors.{school.urn}@schools.example"
                self._role(admin, self._user(email), partnership, Role.CHAIR_OF_GOVERNORS, school, show=False)
        finance_school = schools[spec["finance_school"]]
        self._role(admin, self._user(f"finance@{slug}.example"), partnership, Role.FINANCE_OFFICER, finance_school)
        adviser = self._user(f"adviser@{slug}.example")
        advised = ordered if spec.get("adviser_for_all") else ordered[:3]
        for school in advised:
            self._role(admin, adviser, partnership, Role.ADVISER, school, show=school == advised[0])
        self._role(admin, self._user(f"observer@{slug}.example"), partnership, Role.LA_OBSERVER)
        # Each area adds its own demo data, in dependency order: people before groups, terms before rotas.
        for area in AREA_LOADERS:
            area.load(partnership, spec, admin)
        for load in demo_registry.later_loaders():  # meetings, money, ...: each app's own demo data
            load(partnership, spec, admin)
        # Last, when every app has added its people: everyone with a role is in the register of interests.
        demo_groups.declarations(partnership)
