"""Factories for partnerships: the partnership, memberships and roles; terms and the constitution; leaving
notices; offices and the strategy rota; groups; development areas; the register of interests.

Roles and elections go through the real services, with their rules and audit rows. Build the scoped
models with scopes disabled (fixtures) or inside `scope(partnership=...)`.
"""

import datetime
import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from partnerships.models import (
    AreaParticipation,
    Constitution,
    DevelopmentAction,
    DevelopmentArea,
    DevelopmentMilestone,
    Group,
    GroupMember,
    Interest,
    InterestDeclaration,
    LeavingNotice,
    Membership,
    Partnership,
    RoleAssignment,
    RotaSeat,
    StrategyRota,
    Term,
)
from partnerships.roles import ROTA_ROLES, Role
from partnerships.selectors.governance import term_on_or_after
from partnerships.services import role_start
from partnerships.services.offices import election_record
from partnerships.services.partnerships import partnership_prepare
from schools.models import School
from tests.factories.accounts import UserFactory
from tests.factories.schools import SchoolFactory

D = datetime.date

# --- The partnership, its member schools and roles -----------------------------------------------------------


# The rules a test partnership's agreement makes: it sets every rule, so tests see them enforced. A new
# partnership outside the tests starts with none set; tests of unset rules clear them (unset_rules).
AGREED_RULES = {
    "meeting_frequency": Constitution.Frequency.HALF_TERMLY,
    "min_meetings_per_year": 3,
    "notice_days": 7,
    "quorum_kind": Constitution.Quorum.PERCENT,
    "quorum_value": 50,
    "chair_term_years": 1,
    "chair_max_consecutive_years": 4,
    "chair_must_be_headteacher": True,
    "absences_before_follow_up": 2,
    "minutes_to_local_authority": True,
    "strategy_head_reps": 2,
    "strategy_reserve_rotates": True,
    "strategy_needs_primary_and_secondary": True,
    "finance_summary_to_local_authority": True,
    "leaving_notice_terms": 1,
    "leaver_contribution_refunded": False,
    "development_area_target": 0,
    "development_area_minimum": 0,
    "cpd_free_hours_per_term": 0,
    "adviser_max_schools": 10,
}


def unset_rules(partnership, *rules: str) -> None:
    """The agreement does not make these rules (none given: every rule)."""
    with scopes_disabled():
        Constitution.objects.filter(partnership=partnership).update(**dict.fromkeys(rules or AGREED_RULES))


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    status = Partnership.Status.ACTIVE

    @factory.post_generation
    def prepared(obj, create, extracted, **kwargs):
        # Every partnership has its constitution and this and next year's terms (partnership_create).
        if create:
            partnership_prepare(partnership=obj)
            with scopes_disabled():
                Constitution.objects.filter(partnership=obj).update(**AGREED_RULES)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    school = factory.SubFactory(SchoolFactory)
    joined = D(2020, 9, 1)


def give_role(user, partnership, role, school=None, *, start=None, end=None):
    """Start a role through the service, as a coordinator would. A strategy group representative's or
    reserve's role, which only a confirmed rota gives, is made directly, as the rota would make it."""
    if role in ROTA_ROLES:
        with scopes_disabled():
            return RoleAssignment.objects.create(
                user=user,
                partnership=partnership,
                role=role,
                start=start or timezone.localdate() - datetime.timedelta(days=30),
                end=end,
            )
    return role_start(
        actor=None,
        user=user,
        partnership=partnership,
        role=role,
        school=school,
        start=start or timezone.localdate() - datetime.timedelta(days=30),
        end=end,
    )


def member_school_with_head(partnership, *, phase=School.Phase.PRIMARY, name=None, head_since=None, **kwargs):
    """A member school and its headteacher (a user with the role). Returns (school, head)."""
    school = SchoolFactory(phase=phase, **({"name": name} if name else {}))
    MembershipFactory(partnership=partnership, school=school, **kwargs)
    head = UserFactory(full_name=f"Head of {school.name}")
    give_role(head, partnership, Role.HEADTEACHER, school, start=head_since or D(2015, 9, 1))
    return school, head


# --- Term dates and the constitution -------------------------------------------------------------------------

# Explicit term dates (not the calendar's defaults), so tests read as dates a coordinator would enter.
TERM_DATES = {
    2025: [
        ("autumn", D(2025, 9, 3), D(2025, 10, 27), D(2025, 10, 31), D(2025, 12, 19)),
        ("spring", D(2026, 1, 5), D(2026, 2, 16), D(2026, 2, 20), D(2026, 3, 27)),
        ("summer", D(2026, 4, 13), D(2026, 5, 25), D(2026, 5, 29), D(2026, 7, 22)),
    ],
    2026: [
        ("autumn", D(2026, 9, 2), D(2026, 10, 26), D(2026, 10, 30), D(2026, 12, 18)),
        ("spring", D(2027, 1, 4), D(2027, 2, 15), D(2027, 2, 19), D(2027, 3, 26)),
        ("summer", D(2027, 4, 12), D(2027, 5, 31), D(2027, 6, 4), D(2027, 7, 21)),
    ],
}


def make_terms(partnership, years=(2025, 2026)) -> list[Term]:
    """The partnership's terms for the given academic years, with the dates in TERM_DATES."""
    terms = []
    for year in years:
        for name, starts, ht_starts, ht_ends, ends in TERM_DATES[year]:
            term, _ = Term.objects.update_or_create(
                partnership=partnership,
                academic_year=year,
                name=name,
                defaults={"starts": starts, "half_term_starts": ht_starts, "half_term_ends": ht_ends, "ends": ends},
            )
            terms.append(term)
    return terms


def term_form_data(year: int) -> dict[str, str]:
    """The term-dates form filled with TERM_DATES[year]."""
    data = {}
    for name, *dates in TERM_DATES[year]:
        for part, value in zip(("starts", "half_term_starts", "half_term_ends", "ends"), dates, strict=True):
            data[f"{name}_{part}"] = value.isoformat()
    return data


class ConstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constitution

    partnership = factory.SubFactory(PartnershipFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Every partnership has its constitution from the start (partnership_create): set these rules on it.
        partnership = kwargs.pop("partnership")
        with scope(partnership=partnership):
            constitution, _ = model_class.objects.get_or_create(partnership=partnership)
            for field, value in kwargs.items():
                setattr(constitution, field, value)
            constitution.save()
        return constitution


# --- Leaving notices and the letters that come with them -----------------------------------------------------


class LeavingNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeavingNotice

    membership = factory.SubFactory(MembershipFactory)
    partnership = factory.SelfAttribute("membership.partnership")
    received_on = D(2025, 10, 1)
    given_by = "Sam Patel, headteacher"
    leaving_on = D(2026, 3, 27)
    recorded_by = factory.SubFactory(UserFactory)


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def docx_bytes(with_document: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str = "letter.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Offices and the strategy group rota ---------------------------------------------------------------------


def record_election(
    actor, partnership, elected, *, starts, office="chair", candidates=None, method="acclamation", **kw
):
    """Record an election whose term starts on `starts` (held the same day), through the service."""
    candidates = candidates or [(elected, None)]
    with scope(partnership=partnership):
        return election_record(
            actor=actor,
            partnership=partnership,
            office=office,
            held_on=kw.pop("held_on", starts),
            term_starts=starts,
            method=method,
            candidates=candidates,
            elected=elected,
            **kw,
        )


def make_rota(partnership, seats, *, term=None, confirmed=True, actor=None):
    """A rota made directly, bypassing the services' rules: seats is a list of (representative, reserve)."""
    with scopes_disabled():
        if term is None:
            term = term_on_or_after(partnership, datetime.date.today())
        rota, _ = StrategyRota.objects.get_or_create(partnership=partnership, term=term)
        if confirmed and rota.confirmed_at is None:
            rota.confirmed_at = timezone.now()
            rota.confirmed_by = actor
            rota.save()
        for number, (rep, res) in enumerate(seats, start=1):
            RotaSeat.objects.update_or_create(rota=rota, seat=number, defaults={"representative": rep, "reserve": res})
    return rota


# --- Groups and networks -------------------------------------------------------------------------------------


class GroupFactory(factory.django.DjangoModelFactory):
    """A standing group; `GroupFactory(task=True)` for a task group with a remit and an end date."""

    class Meta:
        model = Group

    class Params:
        task = factory.Trait(
            name=factory.Sequence(lambda n: f"Task group {n}"),
            kind=Group.Kind.TASK,
            remit="Plan the joint training day",
            ends=D(2030, 7, 31),
        )

    name = factory.Sequence(lambda n: f"Network {n}")
    kind = Group.Kind.STANDING
    chairing = Group.Chairing.NAMED
    starts = D(2024, 9, 1)


class GroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMember


# --- Development areas ---------------------------------------------------------------------------------------


class DevelopmentAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentArea

    name = factory.Sequence(lambda n: f"Area {n}")
    academic_year = 2026
    objectives = "Raise standards together"


class DevelopmentActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentAction

    description = factory.Sequence(lambda n: f"Action {n}")
    due = D(2027, 3, 31)


class DevelopmentMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentMilestone

    description = factory.Sequence(lambda n: f"Milestone {n}")
    due = D(2027, 2, 1)


class AreaParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaParticipation


# --- The register of interests -------------------------------------------------------------------------------


class DeclarationFactory(factory.django.DjangoModelFactory):
    """A declaration; pass partnership and user (and declared_on for an old one)."""

    class Meta:
        model = InterestDeclaration

    nothing_to_declare = True


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    kind = Interest.Kind.PECUNIARY
    description = factory.Sequence(lambda n: f"Director of Supplier {n} Ltd")
