"""Reading subscriptions and credits: the tariff's arithmetic (the one place it lives), balances and
statements. Selectors only read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.functional import cached_property
from django_scopes import scopes_disabled

from core.dates import has_ended
from core.exports import Column, Kind, Table
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.models import RoleAssignment
from partnerships.roles import SCHOOL_ROLES, Role
from subscriptions.models import (
    BookingDelegation,
    CreditEntry,
    PepPlan,
    PlanForum,
    Review,
    Subscription,
    TariffItem,
    Visit,
)

HALF = Decimal("0.5")
MAX_HOURS_A_DAY = Decimal("8")
NOTHING = Decimal("0")


def hours_problem(hours: Decimal | None, *, what: str = "the hours in school") -> str:
    """Why `hours` cannot be an adviser's time in school on one day; empty if it can: half-hour steps,
    more than nothing, at most a school day (8 hours)."""
    if hours is None:
        return f"Enter {what}"
    if hours <= 0:
        return f"Enter {what} as more than 0"
    if hours > MAX_HOURS_A_DAY:
        return f"Enter {what} as 8 or fewer: that is a school day"
    if (hours / HALF) % 1:
        return f"Enter {what} in half hours, like 2.5"
    return ""


def tariff_credits(
    item: TariffItem, *, hours: Decimal = NOTHING, report: bool = False, attendees: int = 0, whole_day: bool = False
) -> Decimal:
    """What `item` costs in credits. An adviser's activity: its rate for each hour in school (half-hours
    at half the rate) plus the report's credits if a report is written; preparation is free. A network
    event: per attendee, the half-day rate up to half a day, the whole-day rate for a whole day. Open
    events and cash-only items cost no credits (they are paid in money)."""
    if item.kind == TariffItem.Kind.ADVISER_ACTIVITY:
        return hours * item.credits_per_hour + (item.report_credits if report else NOTHING)
    if item.kind == TariffItem.Kind.NETWORK_EVENT:
        return attendees * (item.whole_day_credits if whole_day else item.half_day_credits)
    return NOTHING


# --- The Kent PEP headteacher -------------------------------------------------------------------------------

# The CPD the Kent agreement requires of a PEP headteacher each year, in days (Appendix 1).
REQUIRED_CPD: dict[str, Decimal] = {
    "advisory_induction": Decimal("1"),
    "pep_induction": Decimal("2"),
    "autumn_service_day": Decimal("1"),
    "sip_cpd": Decimal("4"),
    "pep_cpd": Decimal("3"),  # six half days
}
SUPPORT_DAYS_A_YEAR = Decimal("16")  # commissioned leadership support: up to 16 days in an academic year
PANEL_REVIEWERS = 3


@dataclass(frozen=True)
class CpdLine:
    kind: str
    label: str
    required: Decimal
    attended: Decimal

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.attended, NOTHING)


def pep_cpd_summary(plan) -> list[CpdLine]:
    """Each kind of CPD the agreement requires, with the days attended and what is still missing; then
    the optional CPD attended. One query."""
    from subscriptions.models import CpdRecord

    attended: dict[str, Decimal] = {}
    for record in CpdRecord.objects.filter(plan=plan).only("kind", "days"):
        attended[record.kind] = attended.get(record.kind, NOTHING) + record.days
    labels = dict(CpdRecord.Kind.choices)
    lines = [CpdLine(kind, labels[kind], days, attended.get(kind, NOTHING)) for kind, days in REQUIRED_CPD.items()]
    lines.append(CpdLine("optional", labels["optional"], NOTHING, attended.get("optional", NOTHING)))
    return lines


def panel_member_conflict(plan, user, on) -> str:
    """Why `user` may not sit as the headteacher on the PEP's panel on `on`; empty if they may. A
    headteacher of a school the PEP advises that day (holds the adviser role for it) has a conflict of
    interest."""
    from partnerships.models import RoleAssignment
    from partnerships.roles import Role

    heads = RoleAssignment.objects.filter(partnership_id=plan.partnership_id, user=user, role=Role.HEADTEACHER)
    schools = {a.school_id: a.school for a in heads.active(on).select_related("school")}
    if not schools:
        return "Choose a headteacher of a member school"
    advised = RoleAssignment.objects.filter(
        partnership_id=plan.partnership_id, user_id=plan.pep_id, role=Role.ADVISER, school_id__in=schools
    ).active(on)
    conflict = next(iter(advised.select_related("school")), None)
    if conflict is not None:
        return (
            f"{user} is headteacher of {conflict.school.name}, to which the PEP is school improvement partner: "
            "a conflict of interest. Choose a headteacher of a school the PEP does not advise"
        )
    return ""


def credit_balance(subscription: Subscription) -> Decimal:
    """The balance after the subscription's last entry (nothing before any)."""
    last = CreditEntry.objects.filter(subscription=subscription).order_by("-sequence").only("balance_after").first()
    return last.balance_after if last else NOTHING


def subscription_for(school, partnership, year: int) -> Subscription | None:
    return Subscription.objects.filter(school=school, partnership=partnership, year=year).select_related("plan").first()


def forum_names(partnership) -> list[str]:
    """The forums the partnership's plans give places at, by name, for an event to be one of them."""
    names = PlanForum.objects.filter(plan__partnership=partnership).values_list("name", flat=True)
    return sorted(set(names), key=str.casefold)


def places_allowance(event, school) -> int | None:
    """THE rule of how many places one school may have at an event: where the event is a named forum and
    the school subscribes for the event's academic year to a plan with places at that forum, the plan's
    places per school; else the event's own limit; else None (no limit but the event's places)."""
    if event.forum and school is not None:
        allowance = (
            PlanForum.objects.filter(
                name__iexact=event.forum,
                plan__subscriptions__school=school,
                plan__subscriptions__partnership_id=event.partnership_id,
                plan__subscriptions__year=academic_year_of(event.day),
            )
            .values_list("places_per_school", flat=True)
            .first()
        )
        if allowance is not None:
            return allowance
    return event.places_per_school


@dataclass(frozen=True)
class CreditStatement:
    subscription: Subscription
    entries: list[CreditEntry]
    granted: Decimal
    spent: Decimal
    refunded: Decimal
    adjusted: Decimal
    lapsed: Decimal
    balance: Decimal


def credit_statement(subscription: Subscription) -> CreditStatement:
    """Every entry of a school's year, with the totals by kind. Two queries."""
    entries = list(
        CreditEntry.objects.filter(subscription=subscription).select_related("booking__item").order_by("sequence")
    )
    K = CreditEntry.Kind
    total = {kind: sum((e.amount for e in entries if e.kind == kind), NOTHING) for kind in K.values}
    return CreditStatement(
        subscription=subscription,
        entries=entries,
        granted=total[K.GRANT] + total[K.CARRIED],
        spent=-total[K.BOOKING],
        refunded=total[K.REFUND],
        adjusted=total[K.ADJUSTMENT],
        lapsed=-total[K.LAPSE],
        balance=entries[-1].balance_after if entries else NOTHING,
    )


def statement_table(statement: CreditStatement) -> Table:
    """A school's statement of credits for the year as a download: every entry, as its page lists them."""
    subscription = statement.subscription
    return Table(
        title=f"Credits {academic_year_label(subscription.year)}",
        columns=[
            Column("Date", Kind.DATE),
            Column("Kind"),
            Column("What"),
            Column("Credits", Kind.DECIMAL),
            Column("Left", Kind.DECIMAL),
        ],
        rows=[
            (
                timezone.localtime(entry.recorded_at).date(),
                entry.get_kind_display(),
                entry.description,
                entry.amount,
                entry.balance_after,
            )
            for entry in statement.entries
        ],
    )


class SubscriptionAccess:
    """The one rule of who does what with a school's subscription: the coordinator manages every one;
    a school's own people see its credits; its headteacher books, and so does a colleague the
    headteacher has named to book for the school while that naming is in force
    (delegated_school_ids); the school's adviser records what a visit took. Every booking page, of an
    adviser's time and of places at an event, asks books_for and nothing else."""

    def __init__(self, *, manages: bool, school_perms: dict[int, frozenset[str]], heads: frozenset[int], delegated):
        self.manages = manages
        self.school_perms = school_perms
        self.heads = heads
        self._delegated = delegated  # called once, when a page first asks about a school it may book for

    @cached_property
    def delegated(self) -> frozenset[int]:
        return frozenset(self._delegated())

    def sees_school(self, school_id: int) -> bool:
        return self.manages or bool(self.school_perms.get(school_id))

    def books_for(self, school_id: int) -> bool:
        if self.manages or school_id in self.heads:
            return True
        return bool(self.school_perms.get(school_id)) and school_id in self.delegated

    def records_visit_for(self, school_id: int) -> bool:
        return self.manages or "advise_school" in self.school_perms.get(school_id, frozenset())

    @property
    def school_ids(self) -> set[int]:
        return {pk for pk, perms in self.school_perms.items() if perms}

    @property
    def books_for_a_school(self) -> bool:
        """Books for at least one school (not partnerships.selectors.permissions.acting_school_ids, which
        is who acts for a school at all: a deputy acts for it but books only when named)."""
        return any(self.books_for(pk) for pk in self.school_ids)


def subscription_access(tenant) -> SubscriptionAccess:
    school_ids = {r.school_id for r in tenant.roles if r.school_id}
    return SubscriptionAccess(
        manages=tenant.has("manage_subscriptions"),
        school_perms={pk: tenant.school_perms(pk) for pk in school_ids},
        heads=frozenset(r.school_id for r in tenant.roles if r.role == Role.HEADTEACHER and r.school_id),
        delegated=lambda: delegated_school_ids(tenant.user, tenant.partnership) if school_ids else frozenset(),
    )


def delegated_school_ids(user, partnership, *, on: datetime.date | None = None) -> frozenset[int]:
    """The schools `user` may book for in `partnership` on a day (today by default) because the
    school's headteacher named them: the naming is not withdrawn and its dates cover the day, the
    headteacher who gave it still holds that school's headteacher role, and the colleague still holds a
    role for the school. Worked out here each time, never stored, so it lapses with either role. One query."""
    on = on or timezone.localdate()
    with scopes_disabled():
        roles = RoleAssignment.objects.filter(partnership=partnership, school=OuterRef("school")).active(on)
        head_still = roles.filter(user=OuterRef("given_by"), role=Role.HEADTEACHER)
        colleague_still = roles.filter(user=OuterRef("delegate"))
        return frozenset(
            BookingDelegation.objects.filter(partnership=partnership, delegate=user)
            .live(on)
            .filter(Exists(head_still), Exists(colleague_still))
            .values_list("school_id", flat=True)
        )


def delegations_of_school(partnership, school_id: int) -> list[BookingDelegation]:
    """A school's namings, newest first, each marked `in_force` today by the same rule as
    delegated_school_ids: two queries, however many."""
    today = timezone.localdate()
    rows = list(
        BookingDelegation.objects.filter(partnership=partnership, school_id=school_id).select_related(
            "delegate", "given_by", "withdrawn_by"
        )
    )
    with scopes_disabled():
        roles = list(
            RoleAssignment.objects.filter(partnership=partnership, school_id=school_id)
            .active(today)
            .values_list("user_id", "role")
        )
    holders = {user_id for user_id, _ in roles}
    heads = {user_id for user_id, role in roles if role == Role.HEADTEACHER}
    for row in rows:
        row.live = row.withdrawn_at is None and not has_ended(row.end, today)
        row.in_force = row.live and row.start <= today and row.given_by_id in heads and row.delegate_id in holders
    return rows


def _delegation_state(delegation: BookingDelegation, today: datetime.date) -> str:
    """Where a naming stands today, in the words of the bookers page's tag."""
    if delegation.withdrawn_at:
        return "Withdrawn"
    if delegation.in_force:
        return "May book"
    if delegation.live and delegation.start > today:
        return "Not started"
    return "Not in force"


def bookers_table(school, delegations: list[BookingDelegation]) -> Table:
    """A school's bookers page as a download (`delegations_of_school`): each colleague its headteacher
    named, who named them, their dates and whether they may book today."""
    today = timezone.localdate()
    return Table(
        title=f"Who may book for {school.name}",
        columns=[
            Column("Colleague"),
            Column("Named by"),
            Column("From", Kind.DATE),
            Column("To", Kind.DATE),
            Column("Today"),
        ],
        rows=[
            (
                delegation.delegate.full_name or delegation.delegate.email,
                delegation.given_by.full_name or delegation.given_by.email,
                delegation.start,
                delegation.end,
                _delegation_state(delegation, today),
            )
            for delegation in delegations
        ],
    )


def subscriptions_of_year(partnership, year: int) -> list[Subscription]:
    """The year's subscriptions with each one's balance: two queries, however many schools."""
    return _with_balances(
        Subscription.objects.filter(partnership=partnership, year=year)
        .select_related("school", "plan")
        .order_by("school__name")
    )


def subscriptions_table(subscriptions: list[Subscription], year: int) -> Table:
    """The year's subscribing schools as the subscriptions page lists them, with the credits each has left."""
    return Table(
        title=f"Subscriptions {academic_year_label(year)}",
        columns=[Column("School"), Column("URN", Kind.REFERENCE), Column("Plan"), Column("Credits left", Kind.DECIMAL)],
        rows=[
            (subscription.school.name, subscription.school.urn, subscription.plan.name, subscription.balance)
            for subscription in subscriptions
        ],
    )


def tariff_table(items: list[TariffItem]) -> Table:
    """The tariff as a download, as its page lists it: for each activity, what its kind is charged by
    (credits by the hour and for a report, credits an attendee, or the prices in pounds)."""
    K = TariffItem.Kind

    def row(item: TariffItem) -> tuple:
        adviser, network = item.kind == K.ADVISER_ACTIVITY, item.kind == K.NETWORK_EVENT
        cash = not (adviser or network)
        return (
            item.name,
            item.get_kind_display(),
            "Yes" if item.active else "No",
            item.credits_per_hour if adviser else None,
            item.report_credits if adviser else None,
            item.half_day_credits if network else None,
            item.whole_day_credits if network else None,
            item.member_price if cash else None,
            item.non_member_price if cash else None,
        )

    return Table(
        title="Tariff",
        columns=[
            Column("Activity"),
            Column("Kind"),
            Column("Offered"),
            Column("Credits an hour", Kind.DECIMAL),
            Column("Credits for a report", Kind.DECIMAL),
            Column("Credits up to half a day", Kind.DECIMAL),
            Column("Credits for a whole day", Kind.DECIMAL),
            Column("Member price", Kind.MONEY),
            Column("Others' price", Kind.MONEY),
        ],
        rows=[row(item) for item in items],
    )


def _with_balances(subscriptions) -> list[Subscription]:
    """The subscriptions, each with its `balance` (the last ledger entry's balance after): one query more."""
    subscriptions = list(subscriptions)
    last = {}
    for entry in CreditEntry.objects.filter(subscription__in=subscriptions).order_by("subscription_id", "sequence"):
        last[entry.subscription_id] = entry.balance_after
    for subscription in subscriptions:
        subscription.balance = last.get(subscription.pk, NOTHING)
    return subscriptions


# --- Notes of visit and the Joint Annual Review -------------------------------------------------------


def _holds(tenant, role, school_id: int) -> bool:
    """Whether the user holds `role` in force here: for this school if it is a school's role."""
    return any(r.role == role and (r.school_id == school_id or role not in SCHOOL_ROLES) for r in tenant.roles)


def may_read_visit(tenant, visit) -> bool:
    """THE rule of who reads a note of visit: the school's headteacher, the adviser who wrote it (while
    they still advise the school), and the roles named on the note (a school's role only for this
    school). Nobody else, the coordinator included unless named: to them the note does not exist."""
    if visit.adviser_id == tenant.user.pk and "advise_school" in tenant.school_perms(visit.school_id):
        return True
    if _holds(tenant, Role.HEADTEACHER, visit.school_id):
        return True
    return any(_holds(tenant, role, visit.school_id) for role in visit.shared_with)


def is_school_head(tenant, school_id: int) -> bool:
    """Whether the user is the school's headteacher: who agrees a visit's agenda and answers its review."""
    return _holds(tenant, Role.HEADTEACHER, school_id)


def may_write_visit(tenant, visit) -> bool:
    """Only the adviser who wrote the note changes it, while they advise the school."""
    return visit.adviser_id == tenant.user.pk and "advise_school" in tenant.school_perms(visit.school_id)


def visits_readable(tenant) -> list:
    """The notes of visit the user may read, newest first: one query, however many notes."""
    visits = Visit.objects.filter(partnership=tenant.partnership).select_related("school", "adviser")
    return [visit for visit in visits.order_by("-on", "-pk") if may_read_visit(tenant, visit)]


def advised_school_ids(tenant) -> set[int]:
    """The schools the user advises in this partnership today (the adviser role held for each)."""
    return {
        pk for pk in {r.school_id for r in tenant.roles if r.school_id} if "advise_school" in tenant.school_perms(pk)
    }


def may_read_review(tenant, review) -> bool:
    """A Joint Annual Review is read by the school's own people (its headteacher, its adviser, its
    governors...) and the coordinator; to anyone else it does not exist."""
    return subscription_access(tenant).sees_school(review.school_id)


def may_draft_review(tenant, review) -> bool:
    """The school's adviser drafts, revises, sends and submits its review."""
    return "advise_school" in tenant.school_perms(review.school_id)


def reviews_readable(tenant) -> list:
    """The reviews the user may read: one query, however many."""
    access = subscription_access(tenant)
    reviews = Review.objects.filter(partnership=tenant.partnership).select_related("school", "adviser")
    return [
        review for review in reviews.order_by("-year", "school__name", "term") if access.sees_school(review.school_id)
    ]


def advisers_work_links(tenant) -> dict[str, bool]:
    """Whether the subscriptions page links to notes of visit and reviews: for advisers, and for those
    with any to read."""
    advises = bool(advised_school_ids(tenant))
    return {
        "has_visits": advises or bool(visits_readable(tenant)),
        "has_reviews": advises or bool(reviews_readable(tenant)),
    }


# --- What needs the person now (the dashboard's list) -------------------------------------------------


def credits_left(partnership, school_ids: set[int], year: int) -> list[Subscription]:
    """This year's subscriptions of these schools, each with its `balance` (and `used`): one query."""
    return credit_use(partnership, year, school_ids)


# Credits that went on the school's activities: bookings, less what cancellations refunded and what
# adjustments to the actual time gave back (or took).
USED_KINDS = (CreditEntry.Kind.BOOKING, CreditEntry.Kind.REFUND, CreditEntry.Kind.ADJUSTMENT)


def credit_use(partnership, year: int, school_ids: set[int] | None = None) -> list[Subscription]:
    """The year's subscriptions (of these schools, or every school's), each with its `balance` (as
    `credit_balance` reads it: the last entry's balance after) and `used` (bookings net of refunds and
    adjustments, as `credit_statement` counts them). One query, however many schools and entries."""
    subscriptions = Subscription.objects.filter(partnership=partnership, year=year)
    if school_ids is not None:
        subscriptions = subscriptions.filter(school_id__in=school_ids)
    rows = list(_with_use(subscriptions).select_related("school", "plan").order_by("school__name", "pk"))
    for row in rows:
        row.balance, row.used = _balance_and_used(row.last_balance, row.used_sum)
    return rows


@dataclass(frozen=True)
class PlanUse:
    name: str
    used: Decimal
    left: Decimal
    schools: int


def credit_use_by_plan(partnership, year: int) -> list[PlanUse]:
    """The year's credits used and left by each plan's subscribing schools together, counted as
    `credit_use` counts each school's. One query, and no school's row made into an object."""
    plans: dict[int, PlanUse] = {}
    subscriptions = _with_use(Subscription.objects.filter(partnership=partnership, year=year))
    for plan_id, name, last_balance, used_sum in subscriptions.order_by("plan__name", "pk").values_list(
        "plan_id", "plan__name", "last_balance", "used_sum"
    ):
        balance, used = _balance_and_used(last_balance, used_sum)
        row = plans.get(plan_id, PlanUse(name, NOTHING, NOTHING, 0))
        plans[plan_id] = PlanUse(name, row.used + used, row.left + balance, row.schools + 1)
    return list(plans.values())


def _with_use(subscriptions):
    last = CreditEntry.objects.filter(subscription=OuterRef("pk")).order_by("-sequence").values("balance_after")[:1]
    used = Sum("credit_entries__amount", filter=Q(credit_entries__kind__in=USED_KINDS))
    return subscriptions.annotate(last_balance=Subquery(last), used_sum=used)


def _balance_and_used(last_balance, used_sum) -> tuple[Decimal, Decimal]:
    """The balance is the last entry's balance after (none yet: nothing); used is the used kinds'
    entries, which are negative, counted positive."""
    return (last_balance if last_balance is not None else NOTHING), -(used_sum or NOTHING)


@dataclass(frozen=True)
class AdviserWork:
    notes_to_write: list  # visits that have taken place with no note written yet
    reviews_to_finish: list  # returned with comments (to revise) or confirmed (to submit)
    reviews_to_confirm: list  # for a headteacher: sent to them, waiting for their confirmation


def adviser_work(tenant, today) -> AdviserWork:
    """An adviser's visits and reviews that wait on them, and a headteacher's reviews to confirm."""
    advised = advised_school_ids(tenant)
    headed = {pk for pk in {r.school_id for r in tenant.roles if r.school_id} if _holds(tenant, Role.HEADTEACHER, pk)}
    notes, finish, confirm = [], [], []
    if advised:
        notes = list(
            Visit.objects.filter(school_id__in=advised, adviser=tenant.user, on__lte=today, evidence="", judgements="")
            .select_related("school")
            .order_by("on")[:10]
        )
        finish = list(
            Review.objects.filter(
                school_id__in=advised, adviser=tenant.user, state__in=[Review.State.RETURNED, Review.State.CONFIRMED]
            )
            .select_related("school")
            .order_by("pk")[:10]
        )
    if headed:
        confirm = list(
            Review.objects.filter(school_id__in=headed, state=Review.State.SENT).select_related("school").order_by("pk")
        )
    return AdviserWork(notes, finish, confirm)


# --- A school's term, for its governors' report (reports.selectors) ---------------------------------


def school_visits_between(partnership, school, first, last) -> list[Visit]:
    """The adviser's visits to the school from `first` to `last` (inclusive), in date order. One query.
    Whether a reader may see a note's contents is `may_read_visit`'s rule, or the note's `shared_with`."""
    return list(
        Visit.objects.filter(partnership=partnership, school=school, on__gte=first, on__lte=last)
        .select_related("adviser")
        .order_by("on", "pk")
    )


def review_of_term(partnership, school, year: int, term: str) -> Review | None:
    """The school's Joint Annual Review for one term of an academic year, if the adviser has begun it."""
    return Review.objects.filter(partnership=partnership, school=school, year=year, term=term).first()


def events_table(events) -> Table:
    """The events list as a download: every event the page lists (coming up and past), soonest first,
    `events` annotated with the places `taken`. One query."""
    rows = []
    for event in events:
        starts = timezone.localtime(event.starts)
        rows.append(
            (
                event.title,
                starts.date(),
                f"{starts:%H:%M}",
                "All day" if event.whole_day else "Half a day",
                "Network (credits)" if event.for_credits else "Open (paid)",
                event.get_status_display(),
                event.venue or None,
                event.capacity,
                event.taken,
                max(event.capacity - event.taken, 0),
            )
        )
    return Table(
        title="Events",
        columns=[
            Column("Event"),
            Column("Date", Kind.DATE),
            Column("Starts"),
            Column("Length"),
            Column("Kind"),
            Column("Status"),
            Column("Where"),
            Column("Places", Kind.INTEGER),
            Column("Booked", Kind.INTEGER),
            Column("Places left", Kind.INTEGER),
        ],
        rows=rows,
    )


def event_bookings_table(event, bookings) -> Table:
    """An event's bookings and register as a download: `bookings` as its page lists them (booked, then
    waiting; only the reader's own schools' unless they manage events), with the register loaded.
    The places' cost is in credits for a network event and in pounds for an open one."""

    def names(booking) -> str:
        return "; ".join(
            f"{seat.name or f'Place {seat.position} not named'}{' (came)' if seat.came else ''}"
            for seat in booking.register.all()
        )

    return Table(
        title=f"{event.title} bookings",
        columns=[
            Column("Who"),
            Column("Member school"),
            Column("Status"),
            Column("Places", Kind.INTEGER),
            Column("Credits", Kind.DECIMAL),
            Column("Price a place", Kind.MONEY),
            Column("Cost", Kind.MONEY),
            Column("Booked on", Kind.DATE),
            Column("Came", Kind.INTEGER),
            Column("Who is coming"),
        ],
        rows=[
            (
                booking.who,
                "Yes" if booking.member else "No",
                booking.get_status_display(),
                booking.places,
                booking.credits if event.for_credits else None,
                booking.price,
                booking.amount,
                timezone.localtime(booking.booked_at).date(),
                booking.attended,
                names(booking),
            )
            for booking in bookings
        ],
    )


def visits_table(visits: list[Visit]) -> Table:
    """The notes of visit list as a download: the visits the reader may read, as the page lists them,
    and only what the page shows of them (the notes themselves are read, and their reading recorded,
    one at a time on their own page)."""
    return Table(
        title="Notes of visit",
        columns=[Column("Date", Kind.DATE), Column("School"), Column("Adviser"), Column("Agenda"), Column("Note")],
        rows=[
            (
                visit.on,
                visit.school.name,
                visit.adviser.full_name,
                "Agreed" if visit.agenda_agreed_at else "Waiting for the headteacher",
                "Written" if visit.written else "Not written yet",
            )
            for visit in visits
        ],
    )


def reviews_table(reviews: list[Review]) -> Table:
    """The Joint Annual Reviews list as a download: the reviews the reader may read, as the page lists them."""
    return Table(
        title="Joint Annual Reviews",
        columns=[Column("School"), Column("Term"), Column("Academic year"), Column("Adviser"), Column("State")],
        rows=[
            (
                review.school.name,
                review.get_term_display(),
                academic_year_label(review.year),
                review.adviser.full_name,
                review.get_state_display(),
            )
            for review in reviews
        ],
    )


def pep_plans_readable(tenant) -> list[PepPlan]:
    """The PEP headteachers' plans the user may read, the latest year first: every one to those who
    manage subscriptions (the partnership manager), else only their own; to anyone else a plan does
    not exist. One query, however many plans."""
    plans = PepPlan.objects.filter(partnership=tenant.partnership).select_related("pep")
    if not tenant.has("manage_subscriptions"):
        plans = plans.filter(pep=tenant.user)
    return list(plans.order_by("-year", "pep__full_name", "pk"))


def pep_plans_table(plans: list[PepPlan]) -> Table:
    """The PEP plans list as a download: the plans the reader may read, as the page lists them, with
    what each plan's own page says of its share of time and its annual review's date (not its notes)."""
    return Table(
        title="PEP headteachers' plans",
        columns=[
            Column("PEP headteacher"),
            Column("Academic year"),
            Column("Time as school improvement partner (%)", Kind.INTEGER),
            Column("Annual review meeting", Kind.DATE),
        ],
        rows=[
            (str(plan.pep), academic_year_label(plan.year), plan.sip_share_percent, plan.annual_review_on)
            for plan in plans
        ],
    )
