"""Opening a financial year with its budget, setting how members contribute to it, changing its
budget and expected income, and closing it once it has ended.

Each use case is atomic, checks its rules (ValidationError by field, nothing written on refusal) and
writes an audit row. Amounts are Decimal pounds and pence throughout.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from finance.models import MAX_AMOUNT, BudgetLine, ContributionScheme, FinancialYear, IncomeLine, LedgerEntry
from finance.selectors import requests_with_balances, year_bounds, year_label
from finance.services.ledger import admin_fixed_amount_post
from partnerships.models import Partnership
from partnerships.selectors.constitution import constitution_of

Basis = ContributionScheme.Basis
# What a new year's scheme carries over from the year before it, until the coordinator changes it.
_CARRIED = ("basis", "rate", "total", "joiner", "admin_share_percent", "admin_fixed_amount")


def _check_amount(value: Decimal | None, field: str, what: str, *, positive: bool) -> dict[str, str]:
    if value is None:
        return {}
    if value.as_tuple().exponent < -2:
        return {field: f"Enter {what} in pounds and pence, like 2.00"}
    if positive and value <= 0:
        return {field: f"{what[:1].upper()}{what[1:]} must be more than £0.00"}
    if value < 0:
        return {field: f"{what[:1].upper()}{what[1:]} must be £0.00 or more"}
    if value > MAX_AMOUNT:
        return {field: f"{what[:1].upper()}{what[1:]} must be £{MAX_AMOUNT:,} or less"}
    return {}


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _check_admin_share(year: FinancialYear, percent: Decimal | None, fixed: Decimal | None) -> dict[str, str]:
    if percent is not None and fixed is not None:
        return {"admin_fixed_amount": "Enter a percentage of each payment or an amount for the year, not both"}
    if percent is not None:
        if percent.as_tuple().exponent < -2:
            return {"admin_share_percent": "Enter the administration share as a percentage, like 5 or 2.5"}
        if not 0 <= percent <= 100:
            return {"admin_share_percent": "The administration share must be between 0% and 100%"}
    errors = _check_amount(fixed, "admin_fixed_amount", "the administration amount", positive=False)
    if errors:
        return errors
    if (percent or fixed) and constitution_of(year.partnership).banker_school_id is None:
        field = "admin_share_percent" if percent else "admin_fixed_amount"
        return {field: "Choose the banker school on the constitution first: it keeps the administration share"}
    return {}


@transaction.atomic
def financial_year_open(
    *,
    actor: User,
    partnership: Partnership,
    start_year: int,
    start_month: int = 4,
    budget: dict[str, Decimal] | None = None,
) -> FinancialYear:
    """Open the financial year starting on the first of `start_month` in `start_year`, with a budget
    line for each category given an amount. The year's contribution scheme starts as the latest
    earlier year's (its basis, rate or total, joiners' rule and administration share)."""
    errors: dict[str, str] = {}
    if not 1 <= start_month <= 12:
        errors["start_month"] = "Select the month the year starts"
    if not 2000 <= start_year <= 2100:
        errors["start_year"] = "Enter the year it starts, like 2026"
    budget = budget or {}
    for category, amount in budget.items():
        if category not in BudgetLine.Category.values:
            errors[category] = "Select a budget category from the list"
            continue
        errors |= _check_amount(amount, category, "the planned amount", positive=False)
    if errors:
        raise ValidationError(errors)
    starts, ends = year_bounds(start_year, start_month)
    overlapping = (
        FinancialYear.objects.select_for_update()
        .filter(partnership=partnership, starts__lte=ends, ends__gte=starts)
        .order_by("starts")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {"start_year": f"The financial year {overlapping.label} already covers some of these months"}
        )
    year = FinancialYear.objects.create(
        partnership=partnership,
        starts=starts,
        ends=ends,
        start_month=start_month,
        label=year_label(starts),
        opened_by=actor,
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(year=year, category=category, planned=amount)
        for category, amount in budget.items()
        if amount is not None
    )
    before = (
        ContributionScheme.objects.filter(year__partnership=partnership, year__starts__lt=starts)
        .order_by("-year__starts")
        .first()
    )
    if before is not None:
        ContributionScheme.objects.create(
            year=year, set_by=actor, **{field: getattr(before, field) for field in _CARRIED}
        )
        admin_fixed_amount_post(year=year, recorded_by=actor)
    audit_record(
        subject=year,
        actor=actor,
        action=AuditAction.FINANCIAL_YEAR_OPENED,
        partnership=partnership,
        summary=f"Opened the financial year {year.label}",
        data={
            "year": year.pk,
            "starts": starts.isoformat(),
            "ends": ends.isoformat(),
            "budget": {category: str(amount) for category, amount in budget.items() if amount is not None},
        },
    )
    return year


@transaction.atomic
def contribution_scheme_set(
    *,
    actor: User,
    year: FinancialYear,
    basis: str,
    rate: Decimal | None = None,
    total: Decimal | None = None,
    joiner: str = ContributionScheme.Joiner.PRO_RATA,
    admin_share_percent: Decimal | None = None,
    admin_fixed_amount: Decimal | None = None,
) -> ContributionScheme:
    """Set how the members contribute to `year`: per FTE pupil or flat need a rate, shares of a total
    need the total, per activity needs neither. The banker school's administration share is a
    percentage of each payment or a fixed amount for the year (one or neither: neither is "not set"),
    and needs the constitution's banker school. The year must be open. The audit row keeps what it was,
    so the rate's history is the audit trail's and each year's own scheme."""
    year = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if not year.is_open:
        raise ValidationError(f"The financial year {year.label} is closed: its contributions cannot change")
    errors: dict[str, str] = {}
    if basis not in Basis.values:
        errors["basis"] = "Select how schools contribute"
    if joiner not in ContributionScheme.Joiner.values:
        errors["joiner"] = "Select what a school joining during the year pays"
    if basis in ContributionScheme.RATE_BASES:
        total = None
        if rate is None:
            errors["rate"] = "Enter the rate in pounds and pence, like 2.00"
        errors |= _check_amount(rate, "rate", "the rate", positive=True)
    elif basis in ContributionScheme.TOTAL_BASES:
        rate = None
        if total is None:
            errors["total"] = "Enter the total to share in pounds and pence, like 1000.00"
        errors |= _check_amount(total, "total", "the total to share", positive=True)
    else:
        rate = total = None
    errors |= _check_admin_share(year, admin_share_percent, admin_fixed_amount)
    if errors:
        raise ValidationError(errors)
    before = ContributionScheme.objects.filter(year=year).first()
    was = {field: _plain(getattr(before, field)) for field in _CARRIED} if before else None
    scheme, _ = ContributionScheme.objects.update_or_create(
        year=year,
        defaults={
            "basis": basis,
            "rate": rate,
            "total": total,
            "joiner": joiner,
            "admin_share_percent": admin_share_percent,
            "admin_fixed_amount": admin_fixed_amount,
            "set_by": actor,
            "set_at": timezone.now(),
        },
    )
    year.scheme = scheme
    admin_fixed_amount_post(year=year, recorded_by=actor)
    audit_record(
        subject=year,
        actor=actor,
        action=AuditAction.CONTRIBUTION_SCHEME_SET,
        partnership=year.partnership,
        summary=f"Set the contributions for {year.label}: {scheme.get_basis_display()}",
        data={
            "year": year.pk,
            "basis": basis,
            "rate": str(rate) if rate is not None else None,
            "total": str(total) if total is not None else None,
            "joiner": joiner,
            "admin_share_percent": _plain(admin_share_percent),
            "admin_fixed_amount": _plain(admin_fixed_amount),
            "was": was,
        },
    )
    return scheme


@transaction.atomic
def budget_set(
    *,
    actor: User,
    year: FinancialYear,
    budget: dict[str, Decimal | None],
    income: dict[str, Decimal | None],
) -> FinancialYear:
    """Set the year's planned spending per budget category and expected income per source. An amount
    makes or changes the line; an empty one (None) takes an existing line to £0.00 rather than removing
    it, since spending and the banker school's administration share may be posted against it. Errors
    are keyed budget_<category> and income_<source> (events and other are in both). The year must be open."""
    year = FinancialYear.objects.select_for_update().select_related("partnership").get(pk=year.pk)
    if not year.is_open:
        raise ValidationError(f"The financial year {year.label} is closed: its budget cannot change")
    errors: dict[str, str] = {}
    for category, amount in budget.items():
        if category not in BudgetLine.Category.values:
            errors[f"budget_{category}"] = "Select a budget category from the list"
        else:
            errors |= _check_amount(amount, f"budget_{category}", "the planned amount", positive=False)
    for source, amount in income.items():
        if source not in IncomeLine.Source.values:
            errors[f"income_{source}"] = "Select an income source from the list"
        else:
            errors |= _check_amount(amount, f"income_{source}", "the expected amount", positive=False)
    if errors:
        raise ValidationError(errors)
    zero = Decimal("0.00")
    changes: dict[str, dict[str, list[str | None]]] = {"budget": {}, "income": {}}
    # One line per category is what opening a year makes; were there ever two, the first carries the amount.
    lines = {}
    for line in BudgetLine.objects.filter(year=year).order_by("pk"):
        lines.setdefault(line.category, line)
    for category, amount in budget.items():
        line = lines.get(category)
        was = line.planned if line is not None else None
        now = amount if amount is not None else (zero if line is not None else None)
        if now == was:
            continue
        if line is None:
            BudgetLine.objects.create(year=year, category=category, planned=now)
        else:
            BudgetLine.objects.filter(pk=line.pk).update(planned=now)
        changes["budget"][category] = [_plain(was), _plain(now)]
    expected = {line.source: line for line in IncomeLine.objects.filter(year=year)}
    for source, amount in income.items():
        line = expected.get(source)
        was = line.planned if line is not None else None
        now = amount if amount is not None else (zero if line is not None else None)
        if now == was:
            continue
        if line is None:
            IncomeLine.objects.create(year=year, source=source, planned=now)
        else:
            IncomeLine.objects.filter(pk=line.pk).update(planned=now)
        changes["income"][source] = [_plain(was), _plain(now)]
    audit_record(
        subject=year,
        actor=actor,
        action=AuditAction.BUDGET_CHANGED,
        partnership=year.partnership,
        summary=f"Set the budget for {year.label}"
        + ("" if changes["budget"] or changes["income"] else ": nothing changed"),
        data={"year": year.pk, **changes},  # each change as [was, now]
    )
    return year


@transaction.atomic
def financial_year_close(*, actor: User, year: FinancialYear) -> FinancialYear:
    """Close a year once its last day has passed: after that nothing more is recorded in it (every
    service that records money checks the year is open). Refused while the year runs, and a second time."""
    year = FinancialYear.objects.select_for_update().select_related("partnership").get(pk=year.pk)
    if not year.is_open:
        raise ValidationError(f"The financial year {year.label} is already closed", code="already_closed")
    today = timezone.localdate()
    if today <= year.ends:
        raise ValidationError(
            f"The financial year {year.label} runs until {date_label(year.ends)}: it can be closed from "
            f"{date_label(year.ends + datetime.timedelta(days=1))}",
            code="not_ended",
        )
    outstanding = requests_with_balances(year=year, outstanding__gt=0)
    owed = sum((row.outstanding for row in outstanding), Decimal("0.00"))
    balance = LedgerEntry.objects.filter(year=year).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    balance = balance.quantize(Decimal("0.01"))  # SQLite's sum drops the pence places of a whole amount
    FinancialYear.objects.filter(pk=year.pk).update(status=FinancialYear.Status.CLOSED)
    year.status = FinancialYear.Status.CLOSED
    audit_record(
        subject=year,
        actor=actor,
        action=AuditAction.FINANCIAL_YEAR_CLOSED,
        partnership=year.partnership,
        summary=f"Closed the financial year {year.label}",
        data={
            "year": year.pk,
            "ends": year.ends.isoformat(),
            "movement": str(balance),  # the year's entries, in less out
            "outstanding": str(owed),
            "requests_outstanding": [row.pk for row in outstanding],
        },
    )
    return year
