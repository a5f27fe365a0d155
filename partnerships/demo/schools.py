"""Demo data for this area; called by load_demo for each seed partnership.

For every demo school: January census figures for this year's and last year's census, budgets for this
and last financial year, a town and religious character on the register where they are blank, and the
people the partnership works with (headteacher, deputy, business manager, EYFS lead for schools with an
early years foundation stage, chair of governors), linked to the demo users that exist for them.
Figures are made up but steady: each school's numbers come from its URN, so every run gives the same.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from partnerships.calendar import census_day, financial_year_of
from partnerships.demo import seeds
from schools.models import Budget, Census, Person, School

TOWNS = {
    "exeter-beacon": "Exeter",
    "heart-of-manchester": "Manchester",
    "education-kingston": "Kingston upon Thames",
    "swale-lcsp": "Sittingbourne",
    "kingston-north": "Kingston upon Thames",
}
SHEPPEY = {"Eastchurch", "Minster in Sheppey", "Halfway Houses"}

# (smallest, largest) pupil headcount by phase
HEADCOUNTS = {
    School.Phase.NURSERY: (80, 120),
    School.Phase.INFANT: (170, 270),
    School.Phase.JUNIOR: (230, 360),
    School.Phase.PRIMARY: (190, 470),
    School.Phase.MIDDLE: (400, 600),
    School.Phase.SECONDARY: (750, 1350),
    School.Phase.ALL_THROUGH: (1200, 1800),
    School.Phase.SPECIAL: (90, 180),
    School.Phase.PRU: (20, 45),
}
# Budget per pupil (£), by phase
PER_PUPIL = {
    School.Phase.NURSERY: 7200,
    School.Phase.SPECIAL: 24000,
    School.Phase.PRU: 19000,
    School.Phase.SECONDARY: 7100,
    School.Phase.MIDDLE: 6300,
    School.Phase.ALL_THROUGH: 6600,
}
EYFS_PHASES = {School.Phase.NURSERY, School.Phase.INFANT, School.Phase.PRIMARY, School.Phase.ALL_THROUGH}


def census_years(today: datetime.date) -> tuple[int, int]:
    """This year's January census (once it has happened) and the one before."""
    latest = today.year if today >= census_day(today.year) else today.year - 1
    return latest, latest - 1


def figures(school: School, year: int) -> tuple[int, Decimal]:
    """A steady, realistic headcount and FTE for a school's January census of `year`."""
    rng = random.Random(school.urn)
    low, high = HEADCOUNTS.get(school.phase, (200, 400))
    base = rng.randint(low, high)
    # Schools with a nursery class have part-time pupils (each half a full-time equivalent).
    if school.phase == School.Phase.NURSERY:
        part_time_share = Decimal("0.8")
    elif school.phase in {School.Phase.INFANT, School.Phase.PRIMARY} and (
        "nursery" in school.name.lower() or rng.random() < 0.6
    ):
        part_time_share = None
        nursery_places = rng.choice([26, 30, 39, 52])
    else:
        part_time_share = Decimal(0)
    year_rng = random.Random(school.urn * 10000 + year)
    headcount = max(1, round(base * (1 + year_rng.uniform(-0.03, 0.03))))
    if part_time_share is None:
        part_timers = min(headcount, nursery_places + year_rng.randint(-4, 4))
        fte = Decimal(headcount) - Decimal(part_timers) / 2
    else:
        fte = Decimal(headcount) - Decimal(headcount) * part_time_share / 2
    return headcount, fte.quantize(Decimal("0.1"))


def budget(school: School, headcount: int, financial_year: int, this_year: int) -> Decimal:
    per_pupil = PER_PUPIL.get(school.phase, 5600)
    uplift = Decimal("1.02") ** (financial_year - this_year)  # about 2% a year
    amount = Decimal(headcount * per_pupil) * uplift + 180000  # plus a lump sum
    return (amount / 100).quantize(Decimal(1)) * 100  # to the nearest £100


def _religious_character(name: str) -> str:
    if "Church of England" in name or " CE " in f" {name} ":
        return "Church of England"
    if "Catholic" in name or " RC " in f" {name} ":
        return "Roman Catholic"
    return ""


def _name(urn: int, salt: int) -> str:
    rng = random.Random(urn * 7 + salt)
    return f"{rng.choice(seeds.FIRST)} {rng.choice(seeds.LAST)}"


def _people_for(
    school: School, partnership, users: dict[str, User], finance_school_urn: int, is_first: bool
) -> list[dict]:
    urn = school.urn
    wanted = [
        (Person.Position.HEADTEACHER, f"head.{urn}@schools.example", 1),
        (Person.Position.DEPUTY_HEAD, f"deputy.{urn}@schools.example", 2),
    ]
    business = f"finance@{partnership.slug}.example" if urn == finance_school_urn else f"business.{urn}@schools.example"
    wanted.append((Person.Position.BUSINESS_MANAGER, business, 3))
    if school.phase in EYFS_PHASES:
        wanted.append((Person.Position.EYFS_LEAD, f"eyfs.{urn}@schools.example", 4))
    wanted.append((Person.Position.CHAIR_OF_GOVERNORS, f"chair-governors.{urn}@schools.example", 5))
    if is_first:  # load_demo makes a governor login for each partnership's first school
        wanted.append((Person.Position.GOVERNOR, f"governor.{urn}@schools.example", 6))
    people = []
    for position, email, salt in wanted:
        user = users.get(email)
        people.append(
            {
                "position": position,
                "email": email,
                "user": user,
                "full_name": user.full_name if user and user.full_name else _name(urn, salt),
            }
        )
    return people


def _link_people_made_earlier() -> None:
    """Link demo people to logins that later partnerships or areas created (e.g. a deputy who substitutes).

    A school in two partnerships (Fern Hill) gets its deputy's login from the second one, after the first
    partnership's people were made; linking here, for every partnership, makes one run of load_demo enough.
    """
    unlinked = list(Person.objects.filter(user__isnull=True, email__endswith="@schools.example"))
    users = {u.email: u for u in User.objects.filter(email__in={p.email for p in unlinked})}
    for person in unlinked:
        user = users.get(person.email)
        if user is not None:
            person.user, person.full_name = user, user.full_name or person.full_name
            person.save(update_fields=["user", "full_name"])


def load(partnership, spec: dict, admin) -> None:
    """Add this area's demo data to one partnership (idempotent). `spec` is its entry in partnerships/demo.py."""
    today = timezone.localdate()
    years = census_years(today)
    this_fy = financial_year_of(today)
    town = TOWNS.get(spec["slug"], "")
    with scopes_disabled():
        _link_people_made_earlier()
        urns = [urn for urn, *_ in spec["schools"]]
        schools = list(School.objects.filter(urn__in=urns).order_by("urn"))
        emails = set()
        for school in schools:
            emails |= {
                f"{kind}.{school.urn}@schools.example" for kind in ("head", "deputy", "chair-governors", "governor")
            }
        emails.add(f"finance@{partnership.slug}.example")
        users = {user.email: user for user in User.objects.filter(email__in=emails)}
        for school in schools:
            changed = []
            if not school.town and town:
                school.town = "Sheerness" if any(place in school.name for place in SHEPPEY) else town
                changed.append("town")
            if not school.religious_character and (character := _religious_character(school.name)):
                school.religious_character = character
                changed.append("religious_character")
            if changed:
                school.save(update_fields=changed)
            for year in years:
                headcount, fte = figures(school, year)
                Census.objects.get_or_create(school=school, year=year, defaults={"headcount": headcount, "fte": fte})
            latest_headcount = figures(school, years[0])[0]
            for financial_year in (this_fy, this_fy - 1):
                Budget.objects.get_or_create(
                    school=school,
                    financial_year=financial_year,
                    defaults={"amount": budget(school, latest_headcount, financial_year, this_fy)},
                )
            is_first = school.urn == urns[0]
            for person in _people_for(school, partnership, users, spec.get("finance_school"), is_first):
                record, created = Person.objects.get_or_create(
                    partnership=partnership,
                    school=school,
                    email=person["email"],
                    defaults={k: person[k] for k in ("full_name", "position", "user")},
                )
                if not created and record.user_id is None and person["user"] is not None:
                    record.user = person["user"]
                    record.save(update_fields=["user"])
