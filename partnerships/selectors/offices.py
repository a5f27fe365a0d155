"""Who may stand for an office: the one definition, read by the election form (which offers only these
people, and says why anyone is missing) and by `services.offices.election_record` (which refuses
anyone else, with the same reason).

The agreements' rules, as the constitution records them:
- only people with a role in the partnership stand (on the day of the election or when the term of
  office starts);
- where the agreement says so (`chair_must_be_headteacher`), only the headteacher of a school that is a
  member when the term of office starts (Exeter Beacon: "chaired by a Head teacher");
- the chair may not serve more than `chair_max_consecutive_years` in a row ("for up to, but no longer
  than 4 years"): someone a further term of office would take past it cannot stand for chair.
A rule the agreement does not set (None) restricts nobody.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from core.dates import ONE_DAY, date_label
from partnerships.models import Constitution, Election, Membership, Partnership, RoleAssignment
from partnerships.roles import Role
from partnerships.selectors.constitution import constitution_of
from partnerships.selectors.governance import consecutive_since, ordinal
from schools.models import School

OFFICE_ROLES = {Election.Office.CHAIR: Role.CHAIR, Election.Office.VICE_CHAIR: Role.VICE_CHAIR}

# How a role is named in a list of the people left out: "coordinators, governors and finance officers".
_PLURALS = {Role.CHAIR_OF_GOVERNORS: "chairs of governors"}


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def years_counted(start: datetime.date, end: datetime.date) -> int:
    """Years of office from start to the day before end as a limit counts them: a part year counts as a
    whole year, but up to a month is ignored, so terms that begin on slightly different days do not add
    a year."""
    days = (end - start).days - 31
    return max(0, math.ceil(days / 365.25)) if days > 0 else 0


def full_term_ends(constitution: Constitution, term_starts: datetime.date) -> datetime.date:
    """The last day in office of a term of office that starts on `term_starts` and runs as long as the
    agreement sets (a year where it sets no length: only a default for the list of candidates)."""
    return add_years(term_starts, constitution.chair_term_years or 1) - ONE_DAY


def consecutive_years(since: datetime.date | None, term_starts: datetime.date, term_ends: datetime.date):
    """(years served before `term_starts`, years served at the end of a term from `term_starts` to
    `term_ends`) for someone in office without a break since `since` (None: not in office before): what
    the chair's limit of consecutive years is measured against. A term counts as a year at least."""
    served = years_counted(since, term_starts) if since else 0
    return served, served + max(1, years_counted(term_starts, term_ends + ONE_DAY))


def _and_join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" and {words[-1]}"


@dataclass
class Eligible:
    user: User
    school: School | None  # the member school they lead when the term of office starts, if any
    roles: list[RoleAssignment]

    @property
    def label(self) -> str:
        name = self.user.full_name or self.user.email
        if self.school is not None:
            return f"{name}, headteacher of {self.school.name}"
        role = self.roles[0]
        where = f" at {role.school.name}" if role.school_id else ""
        return f"{name}, {role.get_role_display().lower()}{where}"


@dataclass
class Candidates:
    """Who may stand for an office whose term of office starts on `term_starts`, and who may not."""

    office: str
    term_starts: datetime.date
    eligible: list[Eligible] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)  # person's pk: why they cannot stand
    not_listed: list[str] = field(default_factory=list)  # the reasons, summed up for the page

    def school_of(self, user) -> School | None:
        return next((e.school for e in self.eligible if e.user.pk == user.pk), None)

    def refusal(self, user) -> str | None:
        """Why this person cannot stand, or None if they can. Someone who never had a role here is
        refused too."""
        if user.pk in self.refused:
            return self.refused[user.pk]
        if any(e.user.pk == user.pk for e in self.eligible):
            return None
        return f"{user} has no role in the partnership: only people with a role in the partnership can stand"


def eligible_candidates(
    partnership: Partnership,
    office: str,
    *,
    held_on: datetime.date,
    term_starts: datetime.date | None = None,
    term_ends: datetime.date | None = None,
    constitution: Constitution | None = None,
) -> Candidates:
    """Everyone who may stand for `office` in an election held on `held_on` for a term of office from
    `term_starts` (the day of the election if not given) to `term_ends` (a full term if not given).
    Three queries (two if the caller has the constitution already), whatever the number of people."""
    term_starts = term_starts or held_on
    constitution = constitution or constitution_of(partnership)
    term_ends = term_ends or full_term_ends(constitution, term_starts)
    label = Election.Office(office).label.lower() if office in Election.Office.values else "chair"
    must_lead = bool(constitution.chair_must_be_headteacher)
    limit = constitution.chair_max_consecutive_years if office == Election.Office.CHAIR else None
    roles = list(
        RoleAssignment.objects.filter(partnership=partnership)
        .select_related("user", "school")
        .order_by("user__full_name", "user__email", "start")
    )
    members = set(
        Membership.objects.filter(partnership=partnership).current(term_starts).values_list("school_id", flat=True)
    )
    by_person: dict[int, list[RoleAssignment]] = {}
    for role in roles:
        by_person.setdefault(role.user_id, []).append(role)

    result = Candidates(office=office, term_starts=term_starts)
    ended: list[str] = []
    not_heads: set[str] = set()
    other_schools: list[str] = []
    over_limit: list[str] = []
    for mine in by_person.values():
        user = mine[0].user
        in_force = [r for r in mine if r.is_active(held_on) or r.is_active(term_starts)]
        if not in_force:
            result.refused[user.pk] = (
                f"{user} has no role in {partnership.name} on {date_label(held_on)}, the date of the election, "
                "or when the term of office starts: only people with a role in the partnership can stand"
            )
            ended.append(str(user))
            continue
        heads = sorted(
            (r for r in mine if r.role == Role.HEADTEACHER and r.is_active(term_starts)), key=lambda r: r.school.name
        )
        member_heads = [r for r in heads if r.school_id in members]
        if must_lead and not member_heads:
            if heads:
                reason = f"{heads[0].school.name} is not a member of {partnership.name} on {date_label(term_starts)}"
                other_schools.append(f"{user}, because {heads[0].school.name} is not a member then")
            else:
                reason = f"{user} is not a headteacher on {date_label(term_starts)}, when the term of office starts"
                not_heads.update(r.role for r in in_force)
            result.refused[user.pk] = (
                f"{user} cannot stand: the agreement says the {label} must be the headteacher of a member school, "
                f"and {reason}"
            )
            continue
        if limit is not None:
            periods = [(r.start, r.end) for r in mine if r.role == Role.CHAIR]
            since = consecutive_since(periods, term_starts)
            served, total = consecutive_years(since, term_starts, term_ends)
            if total > limit:
                verb = "be" if total - served == 1 else "run into"
                result.refused[user.pk] = (
                    f"{user} cannot stand for chair: they have been chair since {date_label(since)}, and a further "
                    f"term of office would {verb} a {ordinal(total)} consecutive year; the agreement allows at most "
                    f"{limit}"
                )
                over_limit.append(
                    f"{user}, chair since {date_label(since)}: a further term of office would {verb} a "
                    f"{ordinal(total)} consecutive year, and the agreement allows at most {limit}"
                )
                continue
        school = member_heads[0].school if member_heads else None
        result.eligible.append(Eligible(user=user, school=school, roles=in_force))

    if not_heads:
        kinds = [_PLURALS.get(role, Role(role).label.lower() + "s") for role in Role.values if role in not_heads]
        result.not_listed.append(
            f"{_and_join(kinds)} who do not lead a member school on {date_label(term_starts)}: the agreement says "
            f"the {label} must be the headteacher of a member school"
        )
    result.not_listed += other_schools + over_limit
    if ended:
        result.not_listed.append(
            f"{len(ended)} {'person' if len(ended) == 1 else 'people'} with no role in the partnership on the day "
            "of the election or when the term of office starts"
        )
    result.not_listed = [line[:1].upper() + line[1:] for line in result.not_listed]
    return result


@dataclass(frozen=True)
class OfficeTerm:
    """A holder's term of office as chair or vice chair, as their dashboard tells them: when it ends, by
    when the next election is due, and whether the agreement's limit lets them stand again."""

    office: str  # Role.CHAIR or Role.VICE_CHAIR
    label: str  # "chair"
    since: datetime.date  # in this office without a break since
    ends: datetime.date | None  # the last day of this term of office; None: no end recorded
    election_due_by: datetime.date | None  # the next election is held by then: the term's last day
    limit: int | None  # the agreement's most consecutive years as chair (None: no limit, or vice chair)
    years_at_end: int  # consecutive years in office when this term ends
    next_term_years: int | None  # the agreement's term of office
    elected_next: Election | None  # the election already held for the next term of office, if any

    @property
    def may_stand_again(self) -> bool | None:
        """Whether a further term would keep within the limit (None when there is no limit)."""
        if self.limit is None:
            return None
        return self.years_at_end + (self.next_term_years or 1) <= self.limit


def office_terms(
    partnership: Partnership, held, *, constitution: Constitution | None = None, on: datetime.date | None = None
) -> list[OfficeTerm]:
    """The terms of office (chair, vice chair) among `held`, a person's roles in force with the first day
    of their unbroken period (`people.roles_held`, as the dashboard's "Your roles" has them). Two queries
    when they hold an office (the constitution, unless given, and the elections for terms to come), none
    otherwise."""
    on = on or timezone.localdate()
    offices = [h for h in held if h.assignment.role in OFFICE_ROLES.values()]
    if not offices:
        return []
    constitution = constitution or constitution_of(partnership)
    ahead = list(
        Election.objects.filter(partnership=partnership, term_starts__gt=on)
        .select_related("elected")
        .order_by("term_starts")
    )
    terms = []
    for held_office in offices:
        assignment = held_office.assignment
        office = next(key for key, role in OFFICE_ROLES.items() if role == assignment.role)
        ends = assignment.end
        if ends is None and constitution.chair_term_years:
            ends = full_term_ends(constitution, assignment.start)
        limit = constitution.chair_max_consecutive_years if assignment.role == Role.CHAIR else None
        before = held_office.since if held_office.since < assignment.start else None
        _, years = consecutive_years(before, assignment.start, ends or on)
        terms.append(
            OfficeTerm(
                office=assignment.role,
                label=Election.Office(office).label.lower(),
                since=held_office.since,
                ends=ends,
                election_due_by=ends,
                limit=limit,
                years_at_end=years,
                next_term_years=constitution.chair_term_years,
                elected_next=next((e for e in ahead if e.office == office), None),
            )
        )
    return terms
