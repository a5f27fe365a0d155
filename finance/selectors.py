"""Reads the finance pages share. Never writes, never imports services.

`contribution_amounts` is the one place a member school's contribution is worked out: every page,
request and report asks it (the design's "one rule, one place").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from core.dates import date_label, in_force, in_force_between_q
from core.exports import Column, Kind, Table
from finance.models import (
    BudgetLine,
    ContributionRequest,
    ContributionScheme,
    Expense,
    FinancialYear,
    Grant,
    GrantAllocation,
    LedgerEntry,
    Payment,
    SharedCost,
)
from partnerships.calendar import census_day
from partnerships.models import AreaParticipation, Membership, RoleAssignment
from partnerships.models.constitution import InformationCategory
from partnerships.roles import Role
from partnerships.selectors.interests import interests_for_users
from partnerships.selectors.permissions import SchoolPrivacy
from schools.models import Budget, Census, Person, School

PENNY = Decimal("0.01")
Basis = ContributionScheme.Basis


def years_of(partnership) -> list[FinancialYear]:
    """The partnership's financial years, the latest first, with their schemes."""
    return list(FinancialYear.objects.filter(partnership=partnership).select_related("scheme").order_by("-starts"))


def years_table(years: list[FinancialYear]) -> Table:
    """The financial years list as a download, as the finance page lists them (`years_of`): each year's
    dates, how schools contribute in it and whether it is open."""
    return Table(
        title="Financial years",
        columns=[
            Column("Year"),
            Column("Starts", Kind.DATE),
            Column("Ends", Kind.DATE),
            Column("Contributions"),
            Column("Status"),
        ],
        rows=[
            (
                year.label,
                year.starts,
                year.ends,
                scheme.get_basis_display() if (scheme := scheme_of(year)) else "Not set",
                year.get_status_display(),
            )
            for year in years
        ],
    )


def year_in_force(partnership, day: datetime.date) -> FinancialYear | None:
    """The financial year that `day` falls in, with its scheme, or None if none is open for it."""
    return (
        FinancialYear.objects.filter(partnership=partnership, starts__lte=day, ends__gte=day)
        .select_related("scheme")
        .first()
    )


def scheme_of(year: FinancialYear) -> ContributionScheme | None:
    """The year's contribution scheme, or None if it has none (a OneToOne's missing row, without the exception)."""
    try:
        return year.scheme
    except ContributionScheme.DoesNotExist:
        return None


def scheme_basis_text(scheme: ContributionScheme | None) -> str:
    """How schools contribute under `scheme`, in a sentence: the constitution page and the year's page say this."""
    if scheme is None:
        return "Not set for this financial year"
    if scheme.basis == Basis.PER_FTE:
        return f"{_pounds(scheme.rate)} per full-time equivalent pupil at the January census"
    if scheme.basis == Basis.FLAT:
        return f"{_pounds(scheme.rate)} from every school"
    if scheme.basis in ContributionScheme.TOTAL_BASES:
        by = "school budgets" if scheme.basis == Basis.BUDGET_SHARE else "pupil numbers"
        total = f"{_pounds(scheme.total)} shared" if scheme.total is not None else "A total shared"
        return f"{total} in proportion to {by}"
    return "Agreed for each activity among the schools taking part"


def admin_share_text(scheme: ContributionScheme | None) -> str:
    """What the banker school keeps for administration under `scheme`, in a sentence."""
    if scheme is None or (scheme.admin_share_percent is None and scheme.admin_fixed_amount is None):
        return "Not set"
    if scheme.admin_fixed_amount is not None:
        return f"{_pounds(scheme.admin_fixed_amount)} for the year" if scheme.admin_fixed_amount else "None"
    percent = scheme.admin_share_percent
    return f"{percent.normalize():f}% of each payment received" if percent else "None"


def _pounds(value: Decimal | None) -> str:
    return f"£{value:,.2f}" if value is not None else "£0.00"


def year_label(starts: datetime.date) -> str:
    """'2026-27' for a year that runs into the next calendar year, '2026' for January to December."""
    return f"{starts.year}" if starts.month == 1 else f"{starts.year}-{str(starts.year + 1)[-2:]}"


def year_bounds(start_year: int, start_month: int = 4) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the twelve months from the first of `start_month` in `start_year`."""
    starts = datetime.date(start_year, start_month, 1)
    following = datetime.date(start_year + 1, start_month, 1)
    return starts, following - datetime.timedelta(days=1)


def census_year_for(year: FinancialYear) -> int:
    """The January census before the financial year: the latest census day before its first day."""
    return year.starts.year if census_day(year.starts.year) < year.starts else year.starts.year - 1


def budget_year_for(year: FinancialYear) -> int:
    """The schools' budgets used for budget shares: those for the (April) financial year the year starts in."""
    return year.starts.year if year.starts.month >= 4 else year.starts.year - 1


def _whole_months(joined: datetime.date, year: FinancialYear) -> int:
    """The year's months a school that joined on `joined` is a member for the whole of (12 at most)."""
    if joined <= year.starts:
        return 12
    first_whole = joined if joined.day == 1 else (joined.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    if first_whole > year.ends:
        return 0
    return (year.ends.year - first_whole.year) * 12 + year.ends.month - first_whole.month + 1


@dataclass(frozen=True)
class ContributionRow:
    school: School
    figure: Decimal | None  # FTE or budget used; None for a flat amount
    figure_label: str  # "FTE at the January 2026 census", "Budget 2026-27", ""
    months: int  # the year's whole months as a member that the school pays for (12 = the whole year)
    exact: Decimal  # the exact share before rounding, to 4 places (for showing the working)
    amount: Decimal  # what the school pays, to the penny

    @property
    def pro_rata(self) -> bool:
        return self.months < 12


@dataclass(frozen=True)
class Contributions:
    scheme: ContributionScheme
    rows: list[ContributionRow]
    census_year: int | None
    budget_year: int | None

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal("0.00"))


def members_during(year: FinancialYear) -> dict[int, tuple[School, datetime.date]]:
    """Schools that are members on at least one day of the year, with the day they first were in it.

    A school that leaves during the year is still a member of it (it pays the whole year, no refund);
    one that joins during it is listed with its joining day."""
    memberships = (
        Membership.objects.filter(partnership_id=year.partnership_id)
        .filter(in_force_between_q(year.starts, year.ends, start="joined", end="left"))
        .select_related("school")
        .order_by("joined")
    )
    found: dict[int, tuple[School, datetime.date]] = {}
    for membership in memberships:
        found.setdefault(membership.school_id, (membership.school, max(membership.joined, year.starts)))
    return found


def _round(value: Fraction) -> Decimal:
    """A money amount rounded half up to the penny, computed from an exact fraction (never a float)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(PENNY, rounding=ROUND_HALF_UP)


def _exact(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def largest_remainder(total: Decimal, weights: dict[object, Fraction], tiebreak: dict[object, int]) -> dict:
    """Split `total` (pounds and pence) in proportion to `weights` so the parts add up to it exactly.

    Each part starts as its exact share rounded down to the penny; the pennies left over go one each
    to the largest remainders, ties to the larger exact share and then to the lower `tiebreak` (URN)."""
    whole = sum(weights.values(), Fraction(0))
    if whole <= 0:
        raise ValueError("nothing to share in proportion to")
    pence = int((total / PENNY).to_integral_value(rounding=ROUND_FLOOR))
    exact = {key: Fraction(pence) * weight / whole for key, weight in weights.items()}
    parts = {key: share.numerator // share.denominator for key, share in exact.items()}
    left = pence - sum(parts.values())
    order = sorted(exact, key=lambda key: (-(exact[key] - parts[key]), -exact[key], tiebreak[key]))
    for key in order[:left]:
        parts[key] += 1
    return {key: (Decimal(parts[key]) * PENNY, exact[key] / 100) for key in parts}


def contribution_amounts(scheme: ContributionScheme) -> Contributions:
    """Each member school's contribution for the scheme's year, with the figures it comes from.

    - per FTE pupil: the rate times the school's FTE at the January census before the year, rounded
      half up to the penny;
    - a share of a total by budget or by pupil numbers (FTE at that census): allocated by largest
      remainder so the amounts add up to the total exactly;
    - flat: the rate from each school.
    Members are the schools that are members on any day of the year: a school that leaves during it
    pays the whole year (no refund); one that joins during it pays for the whole months it is a member
    (its weight in a share is reduced the same way), or the whole year, as the scheme says.

    Figures missing for any member raise a ValidationError naming the schools; nothing is worked out.
    A per activity scheme has no yearly amounts: it raises a ValidationError saying so.
    """
    year = scheme.year
    if scheme.basis == Basis.PER_ACTIVITY:
        raise ValidationError(
            "Contributions are agreed for each activity among the schools taking part, so there are no "
            "yearly amounts to work out",
            code="per_activity",
        )
    members = members_during(year)
    ordered = sorted(members.values(), key=lambda pair: (pair[0].name, pair[0].urn))
    months = {
        school.pk: 12 if scheme.joiner == ContributionScheme.Joiner.IN_FULL else _whole_months(joined, year)
        for school, joined in ordered
    }
    kind = {Basis.PER_FTE: "census", Basis.PUPIL_SHARE: "census", Basis.BUDGET_SHARE: "budget"}.get(scheme.basis)
    figures, label, census_year, budget_year = _figures(kind, year, [school for school, _ in ordered])

    rows = []
    if scheme.basis in ContributionScheme.TOTAL_BASES:
        weights = {school.pk: Fraction(figures[school.pk]) * months[school.pk] / 12 for school, _ in ordered}
        if not any(weights.values()):
            raise ValidationError("Every member's figure is nought, so there is nothing to share in proportion to")
        shares = largest_remainder(scheme.total, weights, {school.pk: school.urn for school, _ in ordered})
        for school, _ in ordered:
            amount, exact = shares[school.pk]
            rows.append(ContributionRow(school, figures[school.pk], label, months[school.pk], _exact(exact), amount))
    else:
        for school, _ in ordered:
            figure = figures.get(school.pk) if scheme.basis == Basis.PER_FTE else None
            full = Fraction(scheme.rate) * (Fraction(figure) if figure is not None else 1)
            exact = full * months[school.pk] / 12
            rows.append(ContributionRow(school, figure, label, months[school.pk], _exact(exact), _round(exact)))
    return Contributions(scheme=scheme, rows=rows, census_year=census_year, budget_year=budget_year)


def _figures(kind: str | None, year: FinancialYear, schools: list[School]):
    """Each school's figure for a share or a rate, with its label and the census or budget year used:
    FTE at the January census before the year ("census") or the budget for the year ("budget").
    Raises a ValidationError naming every school without one: nothing is worked out from half the figures."""
    census_year = budget_year = None
    if kind is None:
        return {}, "", None, None
    ids = [school.pk for school in schools]
    if kind == "census":
        census_year = census_year_for(year)
        figures = dict(Census.objects.filter(school_id__in=ids, year=census_year).values_list("school_id", "fte"))
        label = f"FTE at the January {census_year} census"
        missing_what = f"January {census_year} census figures"
    else:
        budget_year = budget_year_for(year)
        figures = dict(
            Budget.objects.filter(school_id__in=ids, financial_year=budget_year).values_list("school_id", "amount")
        )
        label = f"Budget {budget_year}-{str(budget_year + 1)[-2:]}"
        missing_what = f"budgets for {label.removeprefix('Budget ')}"
    missing = [school.name for school in schools if school.pk not in figures]
    if missing:
        raise ValidationError(
            f"There are no {missing_what} for {_and_list(missing)}. Add them before the contributions "
            "can be worked out.",
            code="missing_figures",
            params={"schools": missing},
        )
    return figures, label, census_year, budget_year


def shared_costs(year) -> list:
    """The year's shared costs, oldest first, each with the schools sharing it: two queries."""
    return list(SharedCost.objects.filter(year=year).prefetch_related("schools").order_by("created_at", "pk"))


def shared_cost_amounts(cost: SharedCost) -> list[ContributionRow]:
    """Each taking-part school's share of a shared cost, by largest remainder so the shares add up to its
    total exactly (ties to the larger exact share, then the lower URN), in proportion to budgets or FTE
    pupils, or in equal parts. Missing figures raise a ValidationError naming the schools."""
    schools = sorted(cost.schools.all(), key=lambda school: (school.name, school.urn))
    if not schools:
        raise ValidationError("Choose the schools taking part")
    kind = {SharedCost.Basis.BUDGET_SHARE: "budget", SharedCost.Basis.PUPIL_SHARE: "census"}.get(cost.basis)
    figures, label, _, _ = _figures(kind, cost.year, schools)
    weights = {school.pk: Fraction(figures[school.pk]) if kind else Fraction(1) for school in schools}
    if not any(weights.values()):
        raise ValidationError("Every school's figure is nought, so there is nothing to share in proportion to")
    shares = largest_remainder(cost.total, weights, {school.pk: school.urn for school in schools})
    return [
        ContributionRow(school, figures.get(school.pk), label, 12, _exact(shares[school.pk][1]), shares[school.pk][0])
        for school in schools
    ]


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --- Requests, payments and balances ----------------------------------------------------------------------


def admin_share_of(scheme: ContributionScheme | None, received: Decimal) -> Decimal:
    """What the banker school keeps for administration from a payment of `received`: the scheme's
    percentage of it, rounded half up to the penny; nothing where the scheme keeps a fixed amount for
    the year instead, or where the partnership has set no share. The one place this rule is worked out."""
    if scheme is None or scheme.admin_share_percent is None or scheme.admin_fixed_amount is not None:
        return Decimal("0.00")
    share = Fraction(received) * Fraction(scheme.admin_share_percent) / 100
    return _round(share)


def requests_with_balances(**filters):
    """Requests for contribution with `paid` (every payment and correction on it) and `outstanding`
    (negative: a credit), in one query. Filter by year=, school=, partnership=, outstanding__gt= ..."""
    paid = Coalesce(Sum("payments__amount"), Value(Decimal("0.00")), output_field=DecimalField())
    return (
        ContributionRequest.objects.select_related("school", "year")
        .annotate(paid=paid)
        .annotate(outstanding=ExpressionWrapper(F("amount") - F("paid"), output_field=DecimalField()))
        .filter(**filters)
        .order_by("year__starts", "school__name", "number")
    )


def outstanding_on(request: ContributionRequest) -> Decimal:
    """What is still owed on one request (negative: a credit), from its payments as they stand."""
    paid = Payment.objects.filter(request=request).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return request.amount - paid


def overdue_requests(partnership, today: datetime.date):
    """Requests past their due date with something still owed, the longest overdue first."""
    return requests_with_balances(partnership=partnership, due__lt=today, outstanding__gt=0).order_by(
        "due", "school__name"
    )


@dataclass(frozen=True)
class Addressee:
    name: str
    position: str
    email: str


def request_addressee(partnership, school: School) -> Addressee:
    """Who a request for contribution is addressed to: the school's business manager, or its
    headteacher where it has none recorded (by the school's people list, then by role)."""
    people = {
        person.position: person
        for person in Person.objects.filter(
            partnership=partnership,
            school=school,
            position__in=[Person.Position.BUSINESS_MANAGER, Person.Position.HEADTEACHER],
        ).order_by("-pk")
    }
    for position in (Person.Position.BUSINESS_MANAGER, Person.Position.HEADTEACHER):
        if position in people:
            person = people[position]
            return Addressee(person.full_name, Person.Position(position).label, person.email)
    head = (
        RoleAssignment.objects.filter(partnership=partnership, school=school, role=Role.HEADTEACHER)
        .active()
        .select_related("user")
        .first()
    )
    if head is not None:
        return Addressee(head.user.full_name or head.user.email, "Headteacher", head.user.email)
    return Addressee("", "The headteacher", "")


def ledger_balance(partnership, *, on: datetime.date | None = None) -> Decimal:
    """The banker school's balance for the partnership: the sum of the ledger's entries (to `on`)."""
    entries = LedgerEntry.objects.filter(partnership=partnership)
    if on is not None:
        entries = entries.filter(posted_on__lte=on)
    return entries.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def ledger_rows(partnership, year: FinancialYear | None = None) -> list[tuple[LedgerEntry, Decimal]]:
    """The ledger's entries in order with the running balance after each (the balance brought in from
    earlier years first, so the last row's balance is the account's)."""
    entries = LedgerEntry.objects.filter(partnership=partnership).select_related(
        "school", "budget_line", "reverses", "recorded_by"
    )
    balance = Decimal("0.00")
    if year is not None:
        balance = LedgerEntry.objects.filter(partnership=partnership, year__starts__lt=year.starts).aggregate(
            total=Sum("amount")
        )["total"] or Decimal("0.00")
        entries = entries.filter(year=year)
    rows = []
    for entry in entries.order_by("posted_on", "pk"):
        balance += entry.amount
        rows.append((entry, balance))
    return rows


# --- Who does what with the partnership's money ------------------------------------------------------------


@dataclass(frozen=True)
class FinanceAccess:
    """What one person may do with the partnership's money: the one rule, asked by every finance page.

    - record (requests, payments, ledger entries, spending): the coordinator (`manage_finance`) and
      the banker school's finance officer (`keep_partnership_funds` held for the constitution's
      banker school);
    - see every school's amounts: those who record, and whoever the constitution's information
      sharing shows each school's contribution to (SchoolPrivacy, the one rule for that);
    - see their own school's statement: the school's own people (`view_school_private`).
    """

    may_record: bool
    sees_every_school: bool
    own_school_ids: frozenset[int]
    views_finance: bool = False  # `view_finance`: the partnership's leaders, headteachers, finance officers
    local_authority_shared: bool = False  # a local-authority observer, and the constitution shares summaries

    def sees_school(self, school_id: int) -> bool:
        return self.sees_every_school or school_id in self.own_school_ids

    @property
    def sees_summary(self) -> bool:
        """The partnership's finance summary (each year's totals, the bank balance): whoever sees the
        finance pages, and the local authority's observer where the constitution shares summaries."""
        return self.views_finance or self.local_authority_shared


def finance_access(tenant, constitution) -> FinanceAccess:
    banker_id = constitution.banker_school_id
    may_record = tenant.has("manage_finance") or (
        banker_id is not None and tenant.has_for_school("keep_partnership_funds", banker_id)
    )
    visible = SchoolPrivacy(tenant, constitution).school_ids(InformationCategory.CONTRIBUTION)
    own = frozenset(
        role.school_id
        for role in tenant.roles
        if role.school_id and tenant.has_for_school("view_school_private", role.school_id)
    )
    return FinanceAccess(
        may_record=may_record,
        sees_every_school=may_record or visible is None,
        own_school_ids=own if visible is None else frozenset(visible) | own,
        views_finance=tenant.has("view_finance"),
        local_authority_shared=bool(constitution.finance_summary_to_local_authority)
        and any(role.role == Role.LA_OBSERVER for role in tenant.roles),
    )


# --- Reminders of overdue contributions --------------------------------------------------------------------

# A fortnight's grace after the due date before the first reminder: schools pay in weekly or fortnightly
# runs, and a payment already on its way should not be chased.
FIRST_REMINDER_AFTER_DAYS = 14
# Then every four weeks: often enough to keep it in view, not so often that a school's business manager
# learns to ignore the emails.
REMINDER_INTERVAL_DAYS = 28
# Three at most: after that an email will not do it, and the coordinator follows it up in person (the
# overdue list still shows the request).
MAX_REMINDERS = 3


@dataclass(frozen=True)
class ReminderDue:
    request: ContributionRequest  # annotated with paid and outstanding
    sequence: int  # 1 for the first reminder


def contribution_reminders_due(partnership, today: datetime.date) -> list[ReminderDue]:
    """Overdue requests due a reminder today, with its number, in one query: the first once the request
    is FIRST_REMINDER_AFTER_DAYS overdue, each next one REMINDER_INTERVAL_DAYS after the one before it
    was sent, MAX_REMINDERS at most. A request paid off drops out (it is no longer overdue), and so
    does one whose year is closed."""
    from django.db.models import Count, IntegerField, Max, OuterRef, Subquery

    from finance.models import ContributionReminder

    # Subqueries, not joins: a join to the reminders would count each payment once per reminder.
    sent = ContributionReminder.objects.filter(request=OuterRef("pk")).order_by().values("request")
    rows = overdue_requests(partnership, today).annotate(
        reminders_sent=Coalesce(
            Subquery(sent.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0)
        ),
        last_reminded=Subquery(sent.annotate(last=Max("sent_on")).values("last")),
    )
    due = []
    # A closed year takes no more payments, so a school is not asked for one the coordinator cannot record.
    rows = rows.filter(year__status=FinancialYear.Status.OPEN)
    for row in rows.filter(reminders_sent__lt=MAX_REMINDERS):
        if row.reminders_sent == 0:
            ready = (today - row.due).days >= FIRST_REMINDER_AFTER_DAYS
        else:
            ready = (today - row.last_reminded).days >= REMINDER_INTERVAL_DAYS
        if ready:
            due.append(ReminderDue(request=row, sequence=row.reminders_sent + 1))
    return due


def reminder_recipients(request: ContributionRequest, today: datetime.date) -> list[str]:
    """Whom a request's reminder goes to: the person it was addressed to, or else the school's
    headteacher(s) in the partnership on `today`. Empty when there is nobody with an email address."""
    if request.addressed_email:
        return [request.addressed_email]
    heads = (
        RoleAssignment.objects.filter(
            partnership_id=request.partnership_id, school_id=request.school_id, role=Role.HEADTEACHER
        )
        .active(today)
        .exclude(user__email="")
        .order_by("pk")
        .values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(email.lower() for email in heads))


def partnership_coordinator(partnership, on: datetime.date) -> Addressee | None:
    """The partnership's coordinator on `on` (the longest serving if there are two): whom schools ask about money."""
    role = (
        RoleAssignment.objects.filter(partnership=partnership, role=Role.COORDINATOR)
        .active(on)
        .select_related("user")
        .order_by("start", "pk")
        .first()
    )
    if role is None:
        return None
    return Addressee(role.user.full_name or role.user.email, "Coordinator", role.user.email)


@dataclass(frozen=True)
class OverdueSummary:
    count: int
    outstanding: Decimal


def overdue_summary(partnership, today: datetime.date) -> OverdueSummary:
    """How many requests are overdue and what is outstanding on them in all, in one query (one amount a
    request: an aggregate over the per-request sums would need the database to nest them)."""
    amounts = list(overdue_requests(partnership, today).values_list("outstanding", flat=True))
    return OverdueSummary(len(amounts), sum(amounts, Decimal("0.00")))


# --- Spending and grants ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantFacts:
    """What deciding who may receive a grant reads, once for any number of schools (two queries)."""

    memberships: dict[int, list]  # school id -> its memberships of the grant's partnership
    taking_part: frozenset[int] | None  # schools in the grant's development area; None if it names none


def grant_facts(grant) -> GrantFacts:
    memberships: dict[int, list] = {}
    for membership in Membership.objects.filter(partnership_id=grant.partnership_id).order_by("joined"):
        memberships.setdefault(membership.school_id, []).append(membership)
    taking_part = None
    if grant.development_area_id is not None:
        taking_part = frozenset(
            AreaParticipation.objects.filter(area_id=grant.development_area_id).values_list("school_id", flat=True)
        )
    return GrantFacts(memberships=memberships, taking_part=taking_part)


def grant_eligibility(grant, school: School, on: datetime.date, *, facts: GrantFacts | None = None) -> str | None:
    """Why `school` may not receive money from `grant` on `on`, or None if it may: the one rule.

    Exeter Beacon's agreement: "funding can only be allocated to schools participating in the
    partnership". So a grant restricted to members (the default) goes only to a school that is a member
    on the day (not one that has left, nor one that has not yet joined), and a grant for a development
    area only to a school taking part in that area. The allocation service and the allocation form's
    list of schools both ask this; `facts` (from `grant_facts`) lets a page ask it for every school at once.
    """
    facts = facts or grant_facts(grant)
    memberships = facts.memberships.get(school.pk, [])
    if grant.restricted_to_members and not any(in_force(m.joined, m.left, on) for m in memberships):
        rule = "funding can only be allocated to schools participating in the partnership"
        left = [m.left for m in memberships if m.left is not None and m.left < on]
        joins = [m.joined for m in memberships if m.joined > on]
        if joins:
            return f"{school.name} joins the partnership on {date_label(joins[0])}, after {date_label(on)}: {rule}"
        if left:
            return f"{school.name} left the partnership on {date_label(max(left))}: {rule}"
        return f"{school.name} is not a member of the partnership: {rule}"
    if facts.taking_part is not None and school.pk not in facts.taking_part:
        area = grant.development_area
        return f"{school.name} does not take part in {area.name}, the development area the grant is for"
    return None


def grant_candidates(grant) -> list[School]:
    """Every school that has been a member of the grant's partnership, by name: those the allocation
    page asks `grant_eligibility` about."""
    ids = Membership.objects.filter(partnership_id=grant.partnership_id).values("school_id")
    return list(School.objects.filter(pk__in=ids).order_by("name", "urn"))


def corrected_in_ledger() -> Exists:
    """Whether a row's ledger entry (`entry`) has been corrected by a reversing entry: an expense or an
    allocation corrected in the ledger no longer counts, as the termly report does not count it."""
    return Exists(LedgerEntry.objects.filter(reverses_id=OuterRef("entry_id")))


def grant_allocated(grant) -> Decimal:
    """What has been allocated from `grant` so far (allocations corrected in the ledger left out)."""
    allocations = grant.allocations.filter(~corrected_in_ledger())
    return allocations.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def grants_of(year: FinancialYear) -> list:
    """The year's grants, each with its allocations (and their schools), `allocated` and `remaining`."""
    grants = list(
        Grant.objects.filter(year=year)
        .select_related("development_area")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=GrantAllocation.objects.select_related("school", "decision__item__meeting")
                .annotate(corrected=corrected_in_ledger())
                .order_by("allocated_on", "pk"),
            )
        )
        .order_by("received_on", "pk")
    )
    for grant in grants:
        grant.allocated = sum((a.amount for a in grant.allocations.all() if not a.corrected), Decimal("0.00"))
        grant.remaining = grant.amount - grant.allocated
    return grants


@dataclass
class SpendingLine:
    line: object
    expenses: list
    spent: Decimal

    @property
    def name(self) -> str:
        """ "Events: summer conference", as the spending page heads the line."""
        category = self.line.get_category_display()
        return f"{category}: {self.line.description}" if self.line.description else category

    @property
    def left(self) -> Decimal:
        return self.line.planned - self.spent

    @property
    def over(self) -> Decimal:
        return self.spent - self.line.planned


def spending_by_line(year: FinancialYear) -> list[SpendingLine]:
    """The year's budget lines, each with its expenses (oldest first) and what they add up to (an
    expense corrected in the ledger is listed, marked `corrected`, and not added)."""
    lines = {line.pk: SpendingLine(line, [], Decimal("0.00")) for line in year.budget_lines.order_by("category", "pk")}
    expenses = (
        Expense.objects.filter(year=year)
        .select_related("development_area", "decision__item__meeting", "recorded_by")
        .annotate(corrected=corrected_in_ledger())
        .order_by("spent_on", "pk")
    )
    for expense in expenses:
        row = lines[expense.budget_line_id]
        row.expenses.append(expense)
        if not expense.corrected:
            row.spent += expense.amount
    return list(lines.values())


def spending_of_year_in_force(partnership, day: datetime.date) -> list[SpendingLine]:
    """The budget lines of the financial year `day` falls in, each with what has been spent on it, as
    `spending_by_line` counts it (an expense corrected in the ledger not added), without the expenses
    themselves: the dashboard's chart. One query, whatever the number of expenses; each line's `year` is
    read with it."""
    spent = (
        Expense.objects.filter(budget_line=OuterRef("pk"))
        .filter(~corrected_in_ledger())
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    lines = (
        BudgetLine.objects.filter(year__partnership=partnership, year__starts__lte=day, year__ends__gte=day)
        .select_related("year")
        .annotate(spent=Coalesce(Subquery(spent), Value(Decimal("0.00")), output_field=DecimalField()))
        .order_by("category", "pk")
    )
    return [SpendingLine(line, [], line.spent) for line in lines]


def supplier_interests(partnership, expenses) -> dict[int, list[str]]:
    """For each expense (by pk), the declared interests of the person who recorded it that name its
    supplier, as "Declared interest: <person>: <interest>" (the register of interests' own helper, two
    queries for any number of expenses). The supplier's name is matched without regard to case."""
    expenses = list(expenses)
    declarations = interests_for_users(partnership, {expense.recorded_by_id for expense in expenses})
    found: dict[int, list[str]] = {}
    for expense in expenses:
        declaration = declarations.get(expense.recorded_by_id)
        supplier = expense.supplier.strip().casefold()
        if declaration is None or not supplier:
            continue
        person = expense.recorded_by.full_name or expense.recorded_by.email
        for interest in declaration.interest_list:
            if supplier in interest.description.casefold():
                found.setdefault(expense.pk, []).append(f"Declared interest: {person}: {interest.description}")
    return found


# --- Statements and summaries ---------------------------------------------------------------------------


def statement_schools(partnership):
    """Schools that have ever been members of the partnership: the schools a statement may be about."""
    return School.objects.filter(
        pk__in=Membership.objects.filter(partnership=partnership).values("school_id")
    ).order_by("name", "urn")


@dataclass(frozen=True)
class StatementLine:
    """One line of a school's statement: a request (asked) or a payment, reversal or credit (paid)."""

    day: datetime.date
    description: str
    reference: str
    asked: Decimal | None = None
    paid: Decimal | None = None


@dataclass(frozen=True)
class StatementYear:
    year: FinancialYear
    requests: list[ContributionRequest]
    lines: list[StatementLine]
    asked: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        """What is still owed for the year; negative: the school is in credit."""
        return self.asked - self.paid


@dataclass(frozen=True)
class Statement:
    school: School
    years: list[StatementYear]

    @property
    def asked(self) -> Decimal:
        return sum((y.asked for y in self.years), Decimal("0.00"))

    @property
    def paid(self) -> Decimal:
        return sum((y.paid for y in self.years), Decimal("0.00"))

    @property
    def outstanding(self) -> Decimal:
        return self.asked - self.paid


def _payment_description(payment: Payment) -> str:
    if payment.reverses_id:
        return f"Correction: {payment.reason}" if payment.reason else "Correction of a payment"
    return Payment.Method(payment.method).label


def school_statement(partnership, school: School) -> Statement:
    """What `school` has been asked for (each request), what it has paid (each payment, reversal and
    credit carried or brought forward) and what is outstanding, year by year: two queries whatever the
    number of years. A credit carried forward leaves one year as a negative payment and arrives in the
    next as a positive one, so the totals over every year count it once."""
    requests = list(
        ContributionRequest.objects.filter(partnership=partnership, school=school)
        .select_related("year")
        .order_by("year__starts", "number")
    )
    payments: dict[int, list[Payment]] = {}
    for payment in Payment.objects.filter(request__partnership=partnership, request__school=school).order_by(
        "received_on", "pk"
    ):
        payments.setdefault(payment.request_id, []).append(payment)
    by_year: dict[int, list[ContributionRequest]] = {}
    for request in requests:
        by_year.setdefault(request.year_id, []).append(request)
    years = []
    for year_requests in by_year.values():
        lines = []
        for request in year_requests:
            lines.append(
                StatementLine(
                    request.dated,
                    f"Request for contribution, due {request.due.day} {request.due:%B %Y}",
                    request.reference,
                    asked=request.amount,
                )
            )
            lines.extend(
                StatementLine(
                    payment.received_on, _payment_description(payment), payment.reference, paid=payment.amount
                )
                for payment in payments.get(request.pk, [])
            )
        lines.sort(key=lambda line: (line.day, line.paid is not None))
        years.append(
            StatementYear(
                year=year_requests[0].year,
                requests=year_requests,
                lines=lines,
                asked=sum((r.amount for r in year_requests), Decimal("0.00")),
                paid=sum((line.paid for line in lines if line.paid is not None), Decimal("0.00")),
            )
        )
    return Statement(school=school, years=years)


@dataclass(frozen=True)
class SchoolBalance:
    school: School
    asked: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.asked - self.paid


def school_balances(partnership) -> list[SchoolBalance]:
    """Every school ever a member with what it has been asked for and paid over every year: two queries."""
    asked = dict(
        ContributionRequest.objects.filter(partnership=partnership)
        .values("school_id")
        .annotate(total=Sum("amount"))
        .values_list("school_id", "total")
    )
    paid = dict(
        Payment.objects.filter(request__partnership=partnership)
        .values("request__school_id")
        .annotate(total=Sum("amount"))
        .values_list("request__school_id", "total")
    )
    zero = Decimal("0.00")
    return [
        SchoolBalance(school, asked.get(school.pk, zero), paid.get(school.pk, zero))
        for school in statement_schools(partnership)
    ]


@dataclass(frozen=True)
class YearTotals:
    year: FinancialYear
    asked: Decimal
    paid: Decimal
    spent: Decimal = Decimal("0.00")

    @property
    def outstanding(self) -> Decimal:
        return self.asked - self.paid


def year_totals(year: FinancialYear, requests) -> YearTotals:
    """The year's totals from its requests (requests_with_balances(year=year), already listed)."""
    return YearTotals(
        year=year,
        asked=sum((r.amount for r in requests), Decimal("0.00")),
        paid=sum((r.paid for r in requests), Decimal("0.00")),
    )


def summary_years(partnership) -> list[YearTotals]:
    """Each financial year, the latest first, with the totals asked, paid and spent (spending net of its
    corrections): three queries whatever the number of years and schools."""
    asked = dict(
        ContributionRequest.objects.filter(partnership=partnership)
        .values("year_id")
        .annotate(total=Sum("amount"))
        .values_list("year_id", "total")
    )
    paid = dict(
        Payment.objects.filter(request__partnership=partnership)
        .values("request__year_id")
        .annotate(total=Sum("amount"))
        .values_list("request__year_id", "total")
    )
    spending = Q(kind=LedgerEntry.Kind.EXPENSE) | Q(
        kind=LedgerEntry.Kind.REVERSAL, reverses__kind=LedgerEntry.Kind.EXPENSE
    )
    spent = dict(
        LedgerEntry.objects.filter(spending, partnership=partnership)
        .values("year_id")
        .annotate(total=Sum("amount"))
        .values_list("year_id", "total")
    )
    zero = Decimal("0.00")
    return [
        YearTotals(year, asked.get(year.pk, zero), paid.get(year.pk, zero), -spent.get(year.pk, zero))
        for year in FinancialYear.objects.filter(partnership=partnership).order_by("-starts")
    ]


@dataclass(frozen=True)
class SchoolOwing:
    school: School
    outstanding: Decimal
    overdue: bool


def schools_owing(partnership, school_ids: set[int], today: datetime.date) -> list[SchoolOwing]:
    """What each of these schools still owes in contributions, and whether any of it is overdue: one query."""
    owing: dict[int, list] = {}
    for row in requests_with_balances(partnership=partnership, school_id__in=school_ids, outstanding__gt=0):
        entry = owing.setdefault(row.school_id, [row.school, Decimal("0.00"), False])
        entry[1] += row.outstanding
        entry[2] = entry[2] or row.due < today
    return [SchoolOwing(*entry) for entry in sorted(owing.values(), key=lambda e: e[0].name)]
