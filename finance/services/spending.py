"""Spending the partnership's money, and the grants it receives and shares out among its schools.

- `expense_record`: money spent against one of the year's budget lines (and perhaps a development
  area), with its receipt (the rules of a meeting's papers: size, type read from the content, stored
  privately) and the strategy group's decision that approved it; posted to the ledger as money out.
- `grant_record`: a grant received, posted to the ledger as money in.
- `grant_allocate`: part of a grant given to one school, only to a school
  `finance.selectors.grant_eligibility` allows, and never more in all than the grant; money out.

Every one is refused, with nothing written, on a closed year, for an amount that is not pounds and
pence or is absurd, and for a date in the future or outside the year.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from core.files import DOCUMENT_TYPE_NAMES, display_name, document_type, private_storage, stored_name
from finance.models import MAX_AMOUNT, BudgetLine, Expense, FinancialYear, Grant, GrantAllocation, LedgerEntry
from finance.selectors import grant_allocated, grant_eligibility
from finance.services.ledger import ledger_post
from meetings.models import Decision
from partnerships.models import DevelopmentArea
from schools.models import School

Kind = LedgerEntry.Kind


def _amount_error(amount: Decimal | None, what: str) -> str | None:
    if amount is None or not amount.is_finite() or amount.as_tuple().exponent < -2:
        return f"Enter {what} in pounds and pence, like 25.00"
    if amount <= 0:
        return f"{what[:1].upper()}{what[1:]} must be more than £0.00"
    if amount > MAX_AMOUNT:
        return f"{what[:1].upper()}{what[1:]} must be £{MAX_AMOUNT:,} or less"
    return None


def _date_error(day: datetime.date | None, year: FinancialYear, what: str) -> str | None:
    if day is None:
        return f"Enter {what}"
    if day > timezone.localdate():
        return f"{what[:1].upper()}{what[1:]} must be today or in the past"
    if not year.starts <= day <= year.ends:
        return (
            f"{what[:1].upper()}{what[1:]} must be in the financial year {year.label}, "
            f"{date_label(year.starts)} to {date_label(year.ends)}"
        )
    return None


def _text_error(value: str, what: str, example: str, limit: int) -> str | None:
    if not value:
        return f"Enter {what}, like {example}"
    if len(value) > limit:
        return f"{what[:1].upper()}{what[1:]} must be {limit} characters or fewer"
    return None


def _open_year(year: FinancialYear, what: str) -> FinancialYear:
    """The year, locked, if it is open; a closed year takes nothing more."""
    year = FinancialYear.objects.select_for_update().select_related("partnership").get(pk=year.pk)
    if not year.is_open:
        raise ValidationError(
            f"The financial year {year.label} is closed: {what} on a closed financial year is not recorded"
        )
    return year


def _decision_error(decision: Decision | None, year: FinancialYear) -> str | None:
    if decision is not None and decision.item.meeting.partnership_id != year.partnership_id:
        return "Select a decision of this partnership's meetings"
    return None


def _area_error(area: DevelopmentArea | None, year: FinancialYear) -> str | None:
    if area is not None and area.partnership_id != year.partnership_id:
        return "Select one of this partnership's development areas"
    return None


def receipt_validate(*, upload: UploadedFile | None) -> str | None:
    """A receipt meets the rules of a meeting's papers (the size limit, a type read from its content);
    returns that type, or None when there is no receipt."""
    if upload is None:
        return None
    if not upload.size:
        raise ValidationError({"receipt": "The receipt is empty: choose the file to upload"})
    if upload.size > settings.PAPER_MAX_BYTES:
        limit = settings.PAPER_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"receipt": f"The receipt must be smaller than {limit} MB"})
    mime = document_type(upload)
    if mime is None:
        raise ValidationError({"receipt": f"The receipt must be a {DOCUMENT_TYPE_NAMES} file"})
    return mime


@transaction.atomic
def expense_record(
    *,
    actor: User,
    year: FinancialYear,
    budget_line: BudgetLine | None,
    amount: Decimal,
    spent_on: datetime.date,
    supplier: str,
    description: str,
    development_area: DevelopmentArea | None = None,
    decision: Decision | None = None,
    receipt: UploadedFile | None = None,
) -> Expense:
    """Record money spent against one of the year's budget lines, and post it to the ledger."""
    year = _open_year(year, "an expense")
    supplier, description = (supplier or "").strip(), (description or "").strip()
    errors = {
        "budget_line": "Select the budget line it was spent against"
        if budget_line is None or budget_line.year_id != year.pk
        else None,
        "amount": _amount_error(amount, "the amount spent"),
        "spent_on": _date_error(spent_on, year, "the date it was spent"),
        "supplier": _text_error(supplier, "the supplier", "Exeter Coaches Ltd", 150),
        "description": _text_error(description, "what it was for", "coach hire for the maths challenge", 200),
        "development_area": _area_error(development_area, year),
        "decision": _decision_error(decision, year),
    }
    errors = {field: message for field, message in errors.items() if message}
    try:
        mime = receipt_validate(upload=receipt)
    except ValidationError as error:
        errors |= {field: messages[0] for field, messages in error.message_dict.items()}
    if errors:
        raise ValidationError(errors)
    entry = ledger_post(
        year=year,
        kind=Kind.EXPENSE,
        amount=-amount,
        posted_on=spent_on,
        description=f"{supplier}: {description}",
        recorded_by=actor,
        budget_line=budget_line,
    )
    name = private_storage.save(stored_name(f"receipts/{year.partnership_id}", mime), receipt) if mime else ""
    try:
        expense = Expense.objects.create(
            partnership_id=year.partnership_id,
            year=year,
            budget_line=budget_line,
            development_area=development_area,
            supplier=supplier,
            description=description,
            amount=amount,
            spent_on=spent_on,
            receipt=name,
            receipt_name=display_name(receipt.name, mime) if mime else "",
            receipt_type=mime or "",
            receipt_size=receipt.size if mime else None,
            decision=decision,
            entry=entry,
            recorded_by=actor,
        )
        audit_record(
            subject=expense,
            actor=actor,
            action=AuditAction.EXPENSE_RECORDED,
            partnership=year.partnership,
            summary=f"Recorded £{amount:,.2f} spent with {supplier} against {budget_line}: {description}",
            data={
                "expense": expense.pk,
                "entry": entry.pk,
                "amount": str(amount),
                "budget_line": budget_line.pk,
                "spent_on": spent_on.isoformat(),
                "receipt": bool(name),
            },
        )
    except Exception:
        if name:
            private_storage.delete(name)
        raise
    return expense


@transaction.atomic
def grant_record(
    *,
    actor: User,
    year: FinancialYear,
    name: str,
    funder: str,
    amount: Decimal,
    received_on: datetime.date,
    development_area: DevelopmentArea | None = None,
    restricted_to_members: bool = True,
) -> Grant:
    """Record a grant the partnership received (like Extended Schools funding), and post it to the
    ledger as money in. If it names a development area, only the schools taking part receive it."""
    year = _open_year(year, "a grant")
    name, funder = (name or "").strip(), (funder or "").strip()
    errors = {
        "name": _text_error(name, "the grant's name", "Extended Schools funding", 150),
        "funder": _text_error(funder, "who gave it", "Devon County Council", 150),
        "amount": _amount_error(amount, "the amount received"),
        "received_on": _date_error(received_on, year, "the date it was received"),
        "development_area": _area_error(development_area, year),
    }
    errors = {field: message for field, message in errors.items() if message}
    if errors:
        raise ValidationError(errors)
    entry = ledger_post(
        year=year,
        kind=Kind.GRANT_INCOME,
        amount=amount,
        posted_on=received_on,
        description=f"{name} from {funder}",
        recorded_by=actor,
    )
    grant = Grant.objects.create(
        partnership_id=year.partnership_id,
        year=year,
        name=name,
        funder=funder,
        amount=amount,
        received_on=received_on,
        development_area=development_area,
        restricted_to_members=restricted_to_members,
        entry=entry,
        recorded_by=actor,
    )
    audit_record(
        subject=grant,
        actor=actor,
        action=AuditAction.GRANT_RECORDED,
        partnership=year.partnership,
        summary=f"Recorded {name} from {funder}: £{amount:,.2f}",
        data={
            "grant": grant.pk,
            "entry": entry.pk,
            "amount": str(amount),
            "received_on": received_on.isoformat(),
            "development_area": development_area.pk if development_area else None,
            "restricted_to_members": restricted_to_members,
        },
    )
    return grant


@transaction.atomic
def grant_allocate(
    *,
    actor: User,
    grant: Grant,
    school: School | None,
    amount: Decimal,
    allocated_on: datetime.date,
    decision: Decision | None = None,
) -> GrantAllocation:
    """Give part of a grant to one school, and post it to the ledger as money out. The grant's row
    is locked while its allocations are added up, so two allocations at once cannot together give
    more than the grant; the school must be one `grant_eligibility` allows on the day."""
    grant = Grant.objects.select_for_update(of=("self",)).select_related("year", "development_area").get(pk=grant.pk)
    year = _open_year(grant.year, "an allocation")
    errors = {
        "amount": _amount_error(amount, "the amount allocated"),
        "allocated_on": _date_error(allocated_on, year, "the date it was allocated"),
        "decision": _decision_error(decision, year),
        "school": None if school is not None else "Select the school it is allocated to",
    }
    if not errors["allocated_on"] and allocated_on < grant.received_on:
        errors["allocated_on"] = (
            f"The date it was allocated must be on or after {date_label(grant.received_on)}, "
            "when the grant was received"
        )
    if school is not None and not errors["allocated_on"]:
        errors["school"] = grant_eligibility(grant, school, allocated_on)
    if not errors["amount"]:
        allocated = grant_allocated(grant)
        if allocated + amount > grant.amount:
            left = grant.amount - allocated
            total = allocated + amount
            taken = f"would take the allocations of {grant.name} to £{total:,.2f}, " if allocated else "is "
            errors["amount"] = (
                f"£{amount:,.2f} {taken}more than the grant's £{grant.amount:,.2f}: £{left:,.2f} is left to allocate"
            )
    errors = {field: message for field, message in errors.items() if message}
    if errors:
        raise ValidationError(errors)
    entry = ledger_post(
        year=year,
        kind=Kind.GRANT_ALLOCATED,
        amount=-amount,
        posted_on=allocated_on,
        description=f"{grant.name} allocated to {school.name}",
        recorded_by=actor,
        school=school,
    )
    allocation = GrantAllocation.objects.create(
        grant=grant,
        school=school,
        amount=amount,
        allocated_on=allocated_on,
        decision=decision,
        entry=entry,
        recorded_by=actor,
    )
    audit_record(
        subject=grant,
        actor=actor,
        action=AuditAction.GRANT_ALLOCATED,
        partnership=year.partnership,
        summary=f"Allocated £{amount:,.2f} of {grant.name} to {school.name}",
        data={
            "grant": grant.pk,
            "allocation": allocation.pk,
            "entry": entry.pk,
            "school": school.pk,
            "amount": str(amount),
            "allocated_on": allocated_on.isoformat(),
        },
    )
    return allocation
