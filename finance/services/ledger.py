"""The banker school's ledger: posting entries and correcting them with reversing entries.

Single-entry with a running balance: money in is positive, money out negative; the balance is the
sum of the entries (finance.selectors.ledger_balance). Entries are never changed: the database
refuses it, and a correction is `ledger_entry_reverse`. Other services post through `ledger_post`
inside their own transaction and audit row.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from finance.models import MAX_AMOUNT, BudgetLine, FinancialYear, LedgerEntry
from finance.selectors import admin_share_text

Kind = LedgerEntry.Kind
RECORDED_KINDS = LedgerEntry.RECORDED_KINDS


def ledger_post(
    *,
    year: FinancialYear,
    kind: str,
    amount: Decimal,
    posted_on: datetime.date,
    description: str,
    recorded_by: User | None,
    school=None,
    budget_line: BudgetLine | None = None,
    payment=None,
    reverses: LedgerEntry | None = None,
) -> LedgerEntry:
    """Append one entry. Called inside another service's transaction; that service audits."""
    return LedgerEntry.objects.create(
        partnership_id=year.partnership_id,
        year=year,
        kind=kind,
        amount=amount,
        posted_on=posted_on,
        description=description[:200],
        school=school,
        budget_line=budget_line,
        payment=payment,
        reverses=reverses,
        recorded_by=recorded_by,
    )


def administration_line(year: FinancialYear) -> BudgetLine | None:
    """The year's administration budget line, which the banker school's share is spent against."""
    return BudgetLine.objects.filter(year=year, category=BudgetLine.Category.ADMINISTRATION).order_by("pk").first()


def admin_fixed_amount_post(*, year: FinancialYear, recorded_by: User | None) -> LedgerEntry | None:
    """Bring the year's fixed administration amount in the ledger to what the scheme says: posted when
    the year opens or the scheme sets it, and adjusted (never edited) if the scheme changes it."""
    scheme = getattr(year, "scheme", None)
    target = -(scheme.admin_fixed_amount or Decimal("0.00")) if scheme is not None else Decimal("0.00")
    entries = LedgerEntry.objects.filter(year=year, kind=Kind.ADMIN_SHARE, payment__isnull=True)
    posted = sum((entry.amount for entry in entries), Decimal("0.00"))
    if posted == target:
        return None
    return ledger_post(
        year=year,
        kind=Kind.ADMIN_SHARE,
        amount=target - posted,
        posted_on=max(year.starts, min(timezone.localdate(), year.ends)),
        description=f"Administration share for {year.label}: {admin_share_text(scheme)}",
        recorded_by=recorded_by,
        budget_line=administration_line(year),
    )


def _check(amount: Decimal | None, posted_on: datetime.date | None, year: FinancialYear) -> dict[str, str]:
    errors: dict[str, str] = {}
    if amount is None or amount.as_tuple().exponent < -2:
        errors["amount"] = "Enter the amount in pounds and pence, like 25.00"
    elif amount <= 0:
        errors["amount"] = "The amount must be more than £0.00"
    elif amount > MAX_AMOUNT:
        errors["amount"] = f"The amount must be £{MAX_AMOUNT:,} or less"
    if posted_on is None:
        errors["posted_on"] = "Enter the date it was received"
    elif posted_on > timezone.localdate():
        errors["posted_on"] = "The date it was received must be today or in the past"
    elif not year.starts <= posted_on <= year.ends:
        errors["posted_on"] = (
            f"The date must be in the financial year {year.label}, {year.starts:%-d %B %Y} to {year.ends:%-d %B %Y}"
        )
    return errors


@transaction.atomic
def ledger_entry_record(
    *,
    actor: User,
    year: FinancialYear,
    kind: str,
    amount: Decimal,
    posted_on: datetime.date,
    description: str,
) -> LedgerEntry:
    """Record money the partnership received that no other service posts: a grant, event income,
    interest or other income. The year must be open."""
    year = FinancialYear.objects.select_for_update().get(pk=year.pk)
    errors = _check(amount, posted_on, year)
    if kind not in RECORDED_KINDS:
        errors["kind"] = "Select what the money is"
    if not description.strip():
        errors["description"] = "Enter what the money is for, like Extended Schools funding"
    elif len(description) > 200:
        errors["description"] = "The description must be 200 characters or fewer"
    if not year.is_open:
        raise ValidationError(f"The financial year {year.label} is closed: nothing more can be recorded in it")
    if errors:
        raise ValidationError(errors)
    entry = ledger_post(
        year=year,
        kind=kind,
        amount=amount,
        posted_on=posted_on,
        description=description.strip(),
        recorded_by=actor,
    )
    audit_record(
        subject=entry,
        actor=actor,
        action=AuditAction.LEDGER_ENTRY_RECORDED,
        partnership=year.partnership,
        summary=f"Recorded {entry.get_kind_display().lower()} of £{amount:,.2f}: {entry.description}",
        data={"entry": entry.pk, "kind": kind, "amount": str(amount), "posted_on": posted_on.isoformat()},
    )
    return entry


def reverse_entry(*, entry: LedgerEntry, recorded_by: User | None, reason: str) -> LedgerEntry:
    """The entry that cancels `entry` (inside the caller's transaction): the opposite amount, today."""
    year = entry.year
    return ledger_post(
        year=year,
        kind=Kind.REVERSAL,
        amount=-entry.amount,
        posted_on=max(year.starts, min(timezone.localdate(), year.ends)),
        description=f"Correction of “{entry.description}”: {reason}",
        recorded_by=recorded_by,
        school=entry.school,
        budget_line=entry.budget_line,
        payment=entry.payment,
        reverses=entry,
    )


@transaction.atomic
def ledger_entry_reverse(*, actor: User, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Correct a recorded entry with a reversing one. A payment's entries are corrected by reversing
    the payment, so the school's statement and the ledger agree; a reversal is not reversed again."""
    entry = LedgerEntry.objects.select_for_update().select_related("year__partnership").get(pk=entry.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the entry is being corrected"})
    if len(reason) > 150:
        raise ValidationError({"reason": "The reason must be 150 characters or fewer"})
    if entry.kind == Kind.REVERSAL:
        raise ValidationError("This entry is itself a correction: record the right entry instead")
    if entry.payment_id is not None:
        raise ValidationError("This entry came from a payment: reverse the payment instead")
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError("This entry has already been corrected")
    if not entry.year.is_open:
        raise ValidationError(f"The financial year {entry.year.label} is closed: its entries cannot be corrected")
    correction = reverse_entry(entry=entry, recorded_by=actor, reason=reason.strip())
    audit_record(
        subject=entry,
        actor=actor,
        action=AuditAction.LEDGER_ENTRY_REVERSED,
        partnership=entry.year.partnership,
        summary=f"Corrected “{entry.description}” (£{entry.amount:,.2f}): {reason.strip()}",
        data={"entry": entry.pk, "correction": correction.pk, "amount": str(correction.amount)},
    )
    return correction
