"""Factories for offices and the strategy group. Elections go through the real service, so roles follow."""

import datetime

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from partnerships.models import Membership, RotaSeat, StrategyRota
from partnerships.roles import Role
from partnerships.selectors.governance import term_on_or_after
from partnerships.services.offices import election_record
from schools.models import School
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, give_role


def member_school_with_head(partnership, *, phase=School.Phase.PRIMARY, name=None, head_since=None, **kwargs):
    """A member school and its headteacher (a user with the role). Returns (school, head)."""
    school = SchoolFactory(phase=phase, **({"name": name} if name else {}))
    MembershipFactory(partnership=partnership, school=school, **kwargs)
    head = UserFactory(full_name=f"Head of {school.name}")
    give_role(head, partnership, Role.HEADTEACHER, school, start=head_since or datetime.date(2015, 9, 1))
    return school, head


def record_election(
    actor, partnership, elected, *, starts, office="chair", candidates=None, method="acclamation", **kw
):
    """Record an election whose term starts on `starts` (held the same day)."""
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


__all__ = ["Membership", "make_rota", "member_school_with_head", "record_election"]
