"""Reads for the membership, term-date and constitution pages. Run inside the request's scope; each
returns what a page needs with its joins, so no page queries in a loop."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django_scopes import scope

from core.dates import date_label, ended_q, has_ended, in_force_q
from core.exports import Column, Kind, Table
from partnerships.models import Constitution, LeavingNotice, Membership, Partnership
from partnerships.models.constitution import InformationCategory, SharedWith
from schools.models import School


def constitution_of(partnership: Partnership) -> Constitution:
    """The partnership's constitution: the one way to read its rules. Never writes.

    Every partnership has one from the day it is created (services.partnerships.partnership_create,
    and a data migration for partnerships older than that rule).
    """
    with scope(partnership=partnership):
        return Constitution.objects.select_related("banker_school", "updated_by").get(partnership=partnership)


def request_constitution(request) -> Constitution:
    """The constitution of the request's partnership, read once however many of a page's panels ask for
    its rules (the dashboard's warnings, finance's access, the chair's term): a GET changes nothing, so
    the one read holds for the whole request."""
    cached = getattr(request, "_partnership_constitution", None)
    if cached is None:
        cached = request._partnership_constitution = constitution_of(request.partnership)
    return cached


@dataclass(frozen=True)
class BankerDeparture:
    """The banker school is leaving the partnership, or has left it, as seen on the day `on`."""

    school: School
    leaving_on: datetime.date  # its last day as a member
    on: datetime.date

    @property
    def has_left(self) -> bool:
        """Its last day has passed: no banker school is in place."""
        return has_ended(self.leaving_on, self.on)

    @property
    def leaves_today(self) -> bool:
        return self.leaving_on == self.on

    def warning(self) -> str:
        """What the coordinator must do, in a sentence, on the notice, the dashboard and the constitution."""
        name, last_day = self.school.name, date_label(self.leaving_on)
        if self.has_left:
            return (
                f"{name}, the banker school, left the partnership on {last_day}. No banker school is in place: "
                "choose a new banker school"
            )
        if self.leaves_today:
            return (
                f"{name}, the banker school, leaves the partnership today, {last_day}. From tomorrow no banker "
                "school is in place: choose a new banker school"
            )
        return (
            f"{name}, the banker school, leaves the partnership on {last_day}. "
            f"A new banker school must be chosen before {last_day}"
        )

    def constitution_answer(self) -> str:
        """The banker school's row of the constitution page."""
        name, last_day = self.school.name, date_label(self.leaving_on)
        if self.has_left:
            return f"None in place: {name}, the banker school, left the partnership on {last_day}"
        if self.leaves_today:
            return f"{name}, until today, its last day as a member. From tomorrow no banker school is in place"
        return f"{name}, until {last_day}, its last day as a member. A new banker school must be chosen before then"


def banker_departure(partnership: Partnership, on: datetime.date | None = None) -> BankerDeparture | None:
    """Whether the constitution's banker school leaves the partnership, and when; None if it is not leaving.

    The one answer the notice page, the coordinator's dashboard and the constitution page share. The
    school leaves when its membership (the latest to have started by `on`) has a last day: given by
    notice (leaving_notice_record), and gone again if the notice is withdrawn. Once a different
    banker school is chosen, the leaver is no longer the banker and this is None. One query.
    """
    on = on or timezone.localdate()
    with scope(partnership=partnership):
        banker = Constitution.objects.filter(partnership=partnership).values("banker_school_id")
        membership = (
            Membership.objects.filter(partnership=partnership, school_id=Subquery(banker[:1]), joined__lte=on)
            .select_related("school")
            .order_by("-joined")
            .first()
        )
    if membership is None or membership.left is None:
        return None
    return BankerDeparture(school=membership.school, leaving_on=membership.left, on=on)


STATUS_FILTERS = {
    "current": "Current members",
    "leaving": "Leaving",
    "left": "Former members",
    "all": "All",
}


def memberships_filtered(status: str, on: datetime.date | None = None) -> QuerySet[Membership]:
    """Memberships with their school, by status: current (active or leaving), leaving, left, or all.

    Current is `Membership.objects.current(on)`, the one rule: a school joining later is not current.
    """
    on = on or timezone.localdate()
    memberships = Membership.objects.select_related("school").order_by("school__name", "-joined")
    if status == "current":
        return memberships.current(on)
    if status == "leaving":
        return memberships.current(on).filter(left__isnull=False)
    if status == "left":
        return memberships.ended(on)
    return memberships


def memberships_table(memberships: QuerySet[Membership], *, title: str, on: datetime.date) -> Table:
    """The membership record as a download: `memberships` as its status filter chose them, every page."""
    return Table(
        title=title,
        columns=[
            Column("School"),
            Column("Status"),
            Column("URN", Kind.REFERENCE),
            Column("Joined", Kind.DATE),
            Column("Approved", Kind.DATE),
            Column("Approval reference"),
        ],
        rows=(
            (
                membership.school.name,
                membership.status_label(on),
                membership.school.urn,
                membership.joined,
                membership.approved_on,
                membership.approval_reference or None,
            )
            for membership in memberships.iterator(chunk_size=2000)
        ),
    )


def membership_counts(on: datetime.date | None = None) -> dict[str, int]:
    """How many memberships `memberships_filtered` lists under each status, in one query."""
    on = on or timezone.localdate()
    current = in_force_q(on, start="joined", end="left")
    return Membership.objects.aggregate(
        current=Count("pk", filter=current),
        leaving=Count("pk", filter=current & Q(left__isnull=False)),
        left=Count("pk", filter=ended_q(on, end="left")),
        all=Count("pk"),
    )


def memberships_for_page() -> QuerySet[Membership]:
    """One membership with its school and its notices (and who recorded them)."""
    return Membership.objects.select_related("school").prefetch_related(
        Prefetch("notices", queryset=LeavingNotice.objects.select_related("recorded_by").order_by("-received_on"))
    )


def notice_for_page() -> QuerySet[LeavingNotice]:
    return LeavingNotice.objects.select_related("membership__school", "recorded_by")


def member_school_count(on: datetime.date | None = None) -> int:
    return Membership.objects.current(on).count()


def schools_to_join(query: str, *, limit: int = 20) -> list[School]:
    """Schools on the register matching a name, town, local authority, postcode or URN, not members today."""
    query = query.strip()[:100]
    if not query:
        return []
    # Members today and schools already due to join: any membership whose last day has not passed.
    members = Membership.objects.exclude(ended_q(timezone.localdate(), end="left")).values("school_id")
    matches = (
        Q(name__icontains=query)
        | Q(postcode__iexact=query)
        | Q(town__icontains=query)
        | Q(local_authority__icontains=query)
    )
    if query.isdigit():
        matches |= Q(urn=int(query)) if len(query) <= 9 else Q()
    return list(School.objects.filter(matches).exclude(pk__in=members).order_by("name")[:limit])


# --- The constitution page, in plain English -------------------------------------------------------


NOT_SET = "Not set by the agreement"


def _plural(n, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _hours(value) -> str:
    return f"{value.normalize():f}"


def constitution_sections(constitution, *, members: int, banker: BankerDeparture | None = None) -> list[dict]:
    """The constitution as GOV.UK summary-list sections: [{key, title, rows: [(question, answer)]}].

    `banker` is banker_departure(): when the banker school is leaving or has left, its row says so."""
    from partnerships.models import Constitution
    from partnerships.models.constitution import SECTIONS

    c = constitution
    F, Q = Constitution.Frequency, Constitution.Quorum
    rows: dict[str, list[tuple[str, str]]] = {}

    frequency = (
        NOT_SET
        if c.meeting_frequency is None
        else {
            F.HALF_TERMLY: "Every half term",
            F.TERMLY: "Every term",
            F.MINIMUM_PER_YEAR: f"At least {_plural(c.min_meetings_per_year, 'strategic meeting')} a year"
            if c.min_meetings_per_year
            else "A minimum number of strategic meetings a year",
        }[c.meeting_frequency]
    )
    needed = c.quorum_schools(members)
    if needed is None:
        quorum = NOT_SET
    elif c.quorum_kind == Q.PERCENT:
        quorum = (
            f"{c.quorum_value}% of the member schools: {needed} of the {members} schools today"
            if members
            else f"{c.quorum_value}% of the member schools"
        )
    else:
        quorum = f"{_plural(c.quorum_value, 'member school')}"
    if c.notice_days is None:
        notice = NOT_SET
    else:
        notice = f"{_plural(c.notice_days, 'day')}' notice" if c.notice_days != 1 else "1 day's notice"
    rows["meetings"] = [
        ("How often the partnership meets", frequency),
        ("Notice of meetings", notice),
        ("Quorum", quorum),
    ]

    if c.chair_term_years is None:
        elected = NOT_SET
    else:
        elected = "Elected every year" if c.chair_term_years == 1 else f"Elected every {c.chair_term_years} years"
    who = {
        True: "From the headteachers of member schools",
        False: "Not only headteachers: any member of a member school",
        None: NOT_SET,
    }[c.chair_must_be_headteacher]
    rows["offices"] = [
        ("Term of office", elected),
        ("Who may be chair or vice chair", who),
        (
            "Longest a chair may serve",
            NOT_SET
            if c.chair_max_consecutive_years is None
            else f"{_plural(c.chair_max_consecutive_years, 'consecutive year')}, if re-elected",
        ),
    ]

    if c.strategy_head_reps is None:
        reps = NOT_SET
    elif c.strategy_head_reps:
        reps = _plural(c.strategy_head_reps, "headteacher representative")
        if c.strategy_reserve_rotates:
            reps += ", on a termly rota: each has a reserve who becomes the representative the next term"
        elif c.strategy_reserve_rotates is None:
            reps += f", on a termly rota. Reserves: {NOT_SET.lower()}"
    else:
        reps = "No headteacher representatives on a rota"
    rows["strategy"] = [
        ("Headteacher representatives", reps),
        (
            "Primary and secondary",
            {
                True: "The group must include primary and secondary schools",
                False: "No rule: the agreement says the group need not include both",
                None: NOT_SET,
            }[c.strategy_needs_primary_and_secondary],
        ),
        ("Who belongs", c.strategy_group_notes or "Not set out"),
    ]

    # How schools contribute and the banker school's administration share are each financial year's
    # (finance's contribution scheme): the page shows the current year's through its "constitution_money" panel.
    rows["money"] = [
        ("Banker school", _banker_answer(c, banker)),
        (
            "Finance summaries",
            {
                True: "Shared with the local authority",
                False: "Not shared with the local authority",
                None: NOT_SET,
            }[c.finance_summary_to_local_authority],
        ),
    ]

    rows["membership"] = [
        ("Leaving", leaving_rule(c)),
        (
            "A leaver's contribution",
            {
                True: "Refunded",
                False: "Not refunded for the financial year in which it leaves",
                None: NOT_SET,
            }[c.leaver_contribution_refunded],
        ),
    ]

    target, minimum = c.development_area_target, c.development_area_minimum
    rows["development"] = [
        (
            "Development areas a year",
            NOT_SET if target is None else f"About {target}" if target else "No number",
        ),
        (
            "Each school takes part in",
            NOT_SET if minimum is None else f"At least {_plural(minimum, 'area')}" if minimum else "No minimum",
        ),
    ]
    hours = c.cpd_free_hours_per_term
    if hours is None:
        cpd = NOT_SET
    elif hours:
        cpd = f"Free of charge for up to {_hours(hours)} hour{'s' if hours != 1 else ''} a term"
    else:
        cpd = "No free hours"
    rows["cpd"] = [("Leaders' professional development for colleagues", cpd)]
    most = c.adviser_max_schools
    rows["advisers"] = [("Schools one adviser may advise", NOT_SET if most is None else f"Up to {most}")]
    rows["information"] = [
        *information_sharing_rows(c),
        ("What the agreement says", c.information_sharing or "Not set out"),
    ]
    return [{"key": key, "title": title, "rows": rows[key]} for key, (title, _) in SECTIONS.items()]


# What everyone sees of a member school, and who always sees the rest: the words beside the switches.
SHARED_WITH_EVERYONE = "its name, phase, address, and its headteacher's name and work email"
_FIGURES_SEEN_BY = (
    "the school's own people, the coordinator, the school's adviser and the banker school's finance officer"
)
ALWAYS_SEEN_BY = {
    InformationCategory.STAFF_CONTACTS: "the school's own people, the coordinator and the school's adviser",
    InformationCategory.CENSUS: _FIGURES_SEEN_BY,
    InformationCategory.BUDGET: _FIGURES_SEEN_BY,
    InformationCategory.CONTRIBUTION: _FIGURES_SEEN_BY,
}


def information_sharing_rows(constitution) -> list[tuple[str, str]]:
    """Who sees each category of a member school's private records, in a sentence per category."""
    rows = [("Every member sees of each school", SHARED_WITH_EVERYONE[0].upper() + SHARED_WITH_EVERYONE[1:])]
    for category in InformationCategory:
        shared = constitution.shared_with(category)
        # Without a banker school, nobody keeps the funds: the figures are seen as the staff are.
        always = ALWAYS_SEEN_BY[category if constitution.banker_school_id else InformationCategory.STAFF_CONTACTS]
        if shared == SharedWith.PARTNERSHIP:
            who = "Everyone in the partnership"
        elif shared == SharedWith.HEADTEACHERS:
            who = f"Every member school's headteachers, and {always}"
        else:
            who = f"Only {always}"
        rows.append((category.label, who))
    return rows


def _banker_answer(constitution, banker: BankerDeparture | None) -> str:
    if not constitution.banker_school_id:
        return "None"
    if banker is not None and banker.school.pk == constitution.banker_school_id:
        return banker.constitution_answer()
    return constitution.banker_school.name


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}.get(n, f"{n}th")


def leaving_rule(constitution) -> str:
    """The notice rule in a sentence: "One term's written notice: a school leaves at the end of ..."."""
    n = constitution.leaving_notice_terms
    if n is None:
        return (
            f"{NOT_SET}: there is no notice period, so record the leaving date the school and the partnership "
            "agree. Without one, the school leaves on the day its notice arrives"
        )
    if not n:
        return (
            "Written notice, with no notice period: a school leaves at the end of the term in which its notice arrives"
        )
    length = "One term's" if n == 1 else f"{_plural(n, 'term')}'"
    after = "term after" if n == 1 else f"{_ordinal(n)} term after"
    return (
        f"{length} written notice: a school leaves at the end of the {after} the term in which its notice "
        "arrives. Notice that arrives in a school holiday counts from the next term"
    )
