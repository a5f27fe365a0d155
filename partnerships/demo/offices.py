"""Demo elections and strategy group rotas, as each seed agreement describes them.

load_demo starts every partnership's chair (the head of spec["chair_school"]) and vice chair (the head
of the next school) on 1 September of last academic year. Here their elections are recorded through the
services, which hand the offices over term by term: Exeter Beacon's chair was first elected two years
before that and re-elected each year since, so is in the third of at most four consecutive years. Years
are counted back from the current academic year, so the demo never goes stale. Exeter Beacon and Heart of
Manchester also get a confirmed rota for this term and a draft for next term. Safe to run again.
"""

import datetime

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from partnerships.demo.seeds import demo_user, this_year
from partnerships.models import Election, RoleAssignment, StrategyRota
from partnerships.roles import Role
from partnerships.selectors.governance import constitution_of, next_term_after, term_on_or_after
from partnerships.services.offices import election_record
from partnerships.services.roles import role_start
from partnerships.services.strategy import (
    rota_build_next,
    rota_confirm,
    rota_create,
    rota_eligibility,
    rota_seat_update,
)
from schools.models import School

CHAIR, VICE_CHAIR = Election.Office.CHAIR, Election.Office.VICE_CHAIR
VOTES, ACCLAMATION = Election.Method.VOTES, Election.Method.ACCLAMATION

# Exeter Beacon: the chair's three annual elections, (years before this one, rival's URN and votes,
# chair's votes).
EXETER_CHAIR_ELECTIONS = [(2, None, None), (1, (990113, 5), 9), (0, (990112, 4), 10)]
# Rota seats in order of preference: representative, reserve, representative, reserve, then the rest.
ROTA_PREFERENCE = {
    "exeter-beacon": [990102, 990114, 990113, 990103],
    "heart-of-manchester": [990203, 990204, 990206, 990207],
}
SUBSTITUTE = {"exeter-beacon": (990113, "Hannah Pearce")}  # a deputy who attends for St Luke's head


def _head(urn: int) -> User:
    return User.objects.get(email=f"head.{urn}@schools.example")


def _elect(partnership, admin, *, office, year, elected, candidates, method, notes=""):
    starts = datetime.date(year, 9, 1)
    if Election.objects.filter(partnership=partnership, office=office, term_starts=starts).exists():
        return
    election_record(
        actor=admin,
        partnership=partnership,
        office=office,
        held_on=datetime.date(year, 7, 8 + (year % 7)),
        term_starts=starts,
        term_ends=datetime.date(year + 1, 8, 31),
        method=method,
        candidates=candidates,
        elected=elected,
        notes=notes,
    )


def _exeter_elections(partnership, spec, admin, chair, vice_chair):
    school = School.objects.get(urn=spec["chair_school"])
    year = this_year()
    # The chair led Willowbrook before the partnership's records in Commonroom began last year.
    led_from = datetime.date(year - 7, 9, 1)
    if not RoleAssignment.objects.filter(
        partnership=partnership, user=chair, role=Role.HEADTEACHER, start=led_from
    ).exists():
        role_start(
            actor=admin,
            user=chair,
            partnership=partnership,
            role=Role.HEADTEACHER,
            school=school,
            start=led_from,
            end=datetime.date(year - 1, 8, 31),
        )
    for years_ago, rival, chair_votes in EXETER_CHAIR_ELECTIONS:
        if rival is None:
            candidates, method = [(chair, None)], ACCLAMATION
        else:
            candidates, method = [(chair, chair_votes), (_head(rival[0]), rival[1])], VOTES
        _elect(
            partnership, admin, office=CHAIR, year=year - years_ago, elected=chair, candidates=candidates, method=method
        )
    for vice_year in (year - 1, year):
        _elect(
            partnership,
            admin,
            office=VICE_CHAIR,
            year=vice_year,
            elected=vice_chair,
            candidates=[(vice_chair, None)],
            method=ACCLAMATION,
        )


def _other_elections(partnership, spec, admin, chair, vice_chair, ordered):
    rival = _head(ordered[4].urn) if len(ordered) > 4 else None
    candidates = [(chair, 6), (rival, 2)] if rival else [(chair, 6)]
    _elect(partnership, admin, office=CHAIR, year=this_year(), elected=chair, candidates=candidates, method=VOTES)
    _elect(
        partnership,
        admin,
        office=VICE_CHAIR,
        year=this_year(),
        elected=vice_chair,
        candidates=[(vice_chair, None)],
        method=ACCLAMATION,
    )


def _deputy(partnership, admin, urn: int, name: str) -> User:
    email = f"deputy.{urn}@schools.example"
    user = demo_user(email, name)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    school = School.objects.get(urn=urn)
    if not RoleAssignment.objects.filter(partnership=partnership, user=user, role=Role.DEPUTY).active().exists():
        role_start(actor=admin, user=user, partnership=partnership, role=Role.DEPUTY, school=school)
    return user


def _rotas(partnership, spec, admin):
    slug = spec["slug"]
    count = constitution_of(partnership).strategy_head_reps
    if not count:  # no rota, or the agreement does not say
        return
    today = timezone.localdate()
    term = term_on_or_after(partnership, today)
    if not StrategyRota.objects.filter(partnership=partnership).exists():
        eligibility = rota_eligibility(partnership, term)
        by_urn = {school.urn: school for school in eligibility.schools()}
        preferred = ROTA_PREFERENCE[slug] + sorted(by_urn)
        order = []
        for urn in preferred:
            school = by_urn.get(urn)
            if school is not None and school not in order and eligibility.problem(school) is None:
                order.append(school)
        seats = [(order[2 * n], order[2 * n + 1]) for n in range(count) if 2 * n + 1 < len(order)]
        rota_create(actor=admin, partnership=partnership, seats=seats)
    rota = StrategyRota.objects.filter(partnership=partnership, term=term).first()
    if rota is None:
        return
    if not rota.is_confirmed:
        rota_confirm(actor=admin, rota=rota)
    if slug in SUBSTITUTE:
        urn, name = SUBSTITUTE[slug]
        seat = rota.seats.filter(representative__urn=urn, substitute__isnull=True).first()
        if seat is not None:
            rota_seat_update(
                actor=admin,
                seat=seat,
                representative=seat.representative,
                reserve=seat.reserve,
                substitute=_deputy(partnership, admin, urn, name),
            )
    if not StrategyRota.objects.filter(partnership=partnership, term=next_term_after(partnership, term)).exists():
        rota_build_next(actor=admin, partnership=partnership)


def load(partnership, spec: dict, admin) -> None:
    """Add this area's demo data to one partnership (idempotent). `spec` is its entry in partnerships/demo.py."""
    urns = [urn for urn, *_ in spec["schools"]]
    ordered = list(School.objects.filter(urn__in=urns))
    ordered.sort(key=lambda school: urns.index(school.urn))
    chair_school = next(s for s in ordered if s.urn == spec["chair_school"])
    others = [s for s in ordered if s != chair_school]
    chair, vice_chair = _head(chair_school.urn), _head(others[0].urn)
    if spec["slug"] == "exeter-beacon":
        _exeter_elections(partnership, spec, admin, chair, vice_chair)
    else:
        _other_elections(partnership, spec, admin, chair, vice_chair, others)
    if spec["slug"] in ROTA_PREFERENCE:
        _rotas(partnership, spec, admin)
