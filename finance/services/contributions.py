"""Asking the member schools for their contributions and recording what they pay.

- `contribution_requests_confirm`: the year's requests, one per member school, numbered and dated,
  for the amounts finance.selectors.contribution_amounts works out; once per year.
- `payment_record`: a payment against one request, under a row lock on the request so that two
  payments recorded at the same moment cannot together pay more than is owed without the coordinator
  confirming it; the money and the banker school's administration share go into the ledger.
- `payment_reverse`: a payment recorded in error is cancelled by a reversing payment and reversing
  ledger entries, never edited.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.audit import AuditAction, audit_record
from accounts.models import User
from core.dates import date_label
from finance.models import MAX_AMOUNT, ContributionRequest, FinancialYear, LedgerEntry, Payment, SharedCost
from finance.selectors import (
    admin_share_of,
    contribution_amounts,
    members_during,
    outstanding_on,
    request_addressee,
    requests_with_balances,
    scheme_of,
    shared_cost_amounts,
)
from finance.services.ledger import administration_line, ledger_post, reverse_entry
from schools.models import School

Method = Payment.Method


def _next_number(partnership_id: int) -> int:
    last = ContributionRequest.objects.filter(partnership_id=partnership_id).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


@transaction.atomic
def contribution_requests_confirm(
    *, actor: User, year: FinancialYear, dated: datetime.date | None = None
) -> list[ContributionRequest]:
    """Ask every member school for its contribution to `year`: one numbered request each, dated today
    (or `dated`), due on the first day of the year (or on the day it is dated, if later), for the
    amount worked out from the figures in force now, with that working kept on the request.

    Refused, with nothing written, if the year's requests were already confirmed, the year is closed,
    its scheme is not set or is per activity, or a member's figures are missing. A school's credit from
    an overpayment in an earlier year is carried forward onto its new request."""
    year = FinancialYear.objects.select_for_update().select_related("partnership").get(pk=year.pk)
    if not year.is_open:
        raise ValidationError(f"The financial year {year.label} is closed: no more requests can be made for it")
    first = (
        ContributionRequest.objects.filter(year=year, activity__isnull=True)
        .select_related("created_by")
        .order_by("number")
        .first()
    )
    if first is not None:
        raise ValidationError(
            f"The requests for {year.label} were confirmed on {date_label(timezone.localtime(first.created_at).date())}"
            f" by {first.created_by.full_name or first.created_by.email}: they are not made twice",
            code="already_confirmed",
        )
    scheme = scheme_of(year)
    if scheme is None:
        raise ValidationError(f"Set how schools contribute to {year.label} before asking for contributions")
    contributions = contribution_amounts(scheme)  # raises, naming the schools, if figures are missing
    dated = dated or timezone.localdate()
    due = max(year.starts, dated)
    # A partnership-wide lock on numbering: the year row above is locked, but numbers run across years.
    number = _next_number(year.partnership_id)
    credits = {
        row.school_id: -row.outstanding
        for row in requests_with_balances(partnership=year.partnership, year__starts__lt=year.starts)
        if row.outstanding < 0
    }
    made = []
    for row in contributions.rows:
        addressee = request_addressee(year.partnership, row.school)
        made.append(
            ContributionRequest(
                partnership=year.partnership,
                year=year,
                school=row.school,
                number=number,
                dated=dated,
                due=due,
                amount=row.amount,
                figure=row.figure,
                figure_label=row.figure_label,
                months=row.months,
                addressed_to=addressee.name,
                addressed_position=addressee.position,
                addressed_email=addressee.email,
                created_by=actor,
            )
        )
        number += 1
    ContributionRequest.objects.bulk_create(made)
    made = list(
        ContributionRequest.objects.filter(year=year, activity__isnull=True).select_related("school").order_by("number")
    )
    _carry_credits_forward(actor=actor, year=year, requests=made, credits=credits, on=dated)
    audit_record(
        subject=year,
        actor=actor,
        action=AuditAction.CONTRIBUTION_REQUESTS_CONFIRMED,
        partnership=year.partnership,
        summary=f"Asked {len(made)} schools for their contributions to {year.label}: "
        f"£{contributions.total:,.2f} in all",
        data={
            "year": year.pk,
            "requests": [request.pk for request in made],
            "total": str(contributions.total),
            "basis": scheme.basis,
            "census_year": contributions.census_year,
            "budget_year": contributions.budget_year,
        },
    )
    return made


def _carry_credits_forward(
    *, actor: User, year: FinancialYear, requests: list[ContributionRequest], credits: dict, on: datetime.date
) -> None:
    """Move each school's credit from its earlier requests onto its new one: a credit carried forward
    on the old (taking it to nothing owed) and brought forward on the new. No money moves, so the
    ledger has no entry for it."""
    if not credits:
        return
    earlier = requests_with_balances(partnership=year.partnership, year__starts__lt=year.starts, outstanding__lt=0)
    for old in earlier:
        new = next((request for request in requests if request.school_id == old.school_id), None)
        if new is None:
            continue
        credit = -old.outstanding
        Payment.objects.create(
            request=old,
            received_on=on,
            amount=-credit,
            method=Method.CREDIT_CARRIED,
            reference=f"To request {new.reference} for {year.label}",
            recorded_by=actor,
        )
        Payment.objects.create(
            request=new,
            received_on=on,
            amount=credit,
            method=Method.CREDIT_BROUGHT,
            reference=f"From request {old.reference} for {old.year.label}",
            recorded_by=actor,
        )


def _payment_errors(
    *,
    request: ContributionRequest,
    amount: Decimal | None,
    received_on: datetime.date | None,
    method: str,
    reference: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if amount is None or amount.as_tuple().exponent < -2:
        errors["amount"] = "Enter the amount paid in pounds and pence, like 250.00"
    elif amount <= 0:
        errors["amount"] = "The amount paid must be more than £0.00"
    elif amount > MAX_AMOUNT:
        errors["amount"] = f"The amount paid must be £{MAX_AMOUNT:,} or less"
    earliest = min(request.year.starts, request.dated)
    if received_on is None:
        errors["received_on"] = "Enter the date the payment was received"
    elif received_on > timezone.localdate():
        errors["received_on"] = "The date the payment was received must be today or in the past"
    elif received_on < earliest:
        errors["received_on"] = (
            f"The date the payment was received must be on or after {date_label(earliest)}, "
            f"when the request for {request.year.label} was made"
        )
    if method not in Payment.MONEY_METHODS:
        errors["method"] = "Select how the school paid"
    if len(reference) > 100:
        errors["reference"] = "The payment reference must be 100 characters or fewer"
    return errors


@transaction.atomic
def payment_record(
    *,
    actor: User,
    request: ContributionRequest,
    amount: Decimal,
    received_on: datetime.date,
    method: str,
    reference: str = "",
    confirm_overpayment: bool = False,
) -> Payment:
    """Record a payment from a school against its request; part payments are welcome. More than is
    outstanding is refused unless `confirm_overpayment`, and the extra is then the school's credit,
    carried forward to its next request. The request's row is locked while its balance is read, so
    two payments recorded at once are checked one after the other.

    The money is posted to the ledger, and so is the banker school's administration share of it
    where the year's scheme keeps a percentage."""
    request = (
        ContributionRequest.objects.select_for_update(of=("self",))
        .select_related("year__partnership", "school")
        .get(pk=request.pk)
    )
    reference = (reference or "").strip()
    errors = _payment_errors(
        request=request, amount=amount, received_on=received_on, method=method, reference=reference
    )
    if errors:
        raise ValidationError(errors)
    year = request.year
    if not year.is_open:
        raise ValidationError(f"The financial year {year.label} is closed: payments for it cannot be recorded")
    outstanding = outstanding_on(request)
    if amount > outstanding and not confirm_overpayment:
        owed = f"£{max(outstanding, Decimal('0.00')):,.2f} is outstanding" if outstanding > 0 else "nothing is owed"
        extra = amount - max(outstanding, Decimal("0.00"))
        message = (
            f"£{amount:,.2f} is more than is owed: {owed} on request {request.reference}. Confirm the "
            f"overpayment to keep the £{extra:,.2f} extra as a credit for {request.school.name}, carried forward"
        )
        raise ValidationError({"amount": ValidationError(message, code="overpayment")})
    payment = Payment.objects.create(
        request=request,
        received_on=received_on,
        amount=amount,
        method=method,
        reference=reference,
        recorded_by=actor,
    )
    ledger_post(
        year=year,
        kind=LedgerEntry.Kind.CONTRIBUTION,
        amount=amount,
        posted_on=received_on,
        description=f"Contribution from {request.school.name}, request {request.reference}",
        recorded_by=actor,
        school=request.school,
        payment=payment,
    )
    share = admin_share_of(scheme_of(year), amount)
    if share:
        ledger_post(
            year=year,
            kind=LedgerEntry.Kind.ADMIN_SHARE,
            amount=-share,
            posted_on=received_on,
            description=f"Administration share of {request.school.name}'s payment "
            f"({year.scheme.admin_share_percent.normalize():f}%)",
            recorded_by=actor,
            school=request.school,
            budget_line=administration_line(year),
            payment=payment,
        )
    audit_record(
        subject=request,
        actor=actor,
        action=AuditAction.PAYMENT_RECORDED,
        partnership=year.partnership,
        summary=f"Recorded £{amount:,.2f} from {request.school.name} against request {request.reference}",
        data={
            "payment": payment.pk,
            "request": request.pk,
            "amount": str(amount),
            "received_on": received_on.isoformat(),
            "method": method,
            "outstanding_before": str(outstanding),
            "overpayment": str(amount - outstanding) if amount > outstanding else None,
            "admin_share": str(share) if share else None,
        },
    )
    return payment


@transaction.atomic
def payment_reverse(*, actor: User, payment: Payment, reason: str) -> Payment:
    """Cancel a payment recorded in error: a reversing payment takes it off the request and reversing
    ledger entries take it (and the administration share kept from it) off the account."""
    payment = (
        Payment.objects.select_for_update()
        .select_related("request__year__partnership", "request__school")
        .get(pk=payment.pk)
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the payment is being reversed"})
    if len(reason) > 150:
        raise ValidationError({"reason": "The reason must be 150 characters or fewer"})
    if payment.reverses_id is not None or payment.method not in Payment.MONEY_METHODS:
        raise ValidationError("Only a payment received can be reversed")
    if Payment.objects.filter(reverses=payment).exists():
        raise ValidationError("This payment has already been reversed")
    year = payment.request.year
    if not year.is_open:
        raise ValidationError(f"The financial year {year.label} is closed: its payments cannot be reversed")
    reversal = Payment.objects.create(
        request=payment.request,
        received_on=timezone.localdate(),
        amount=-payment.amount,
        method=payment.method,
        reference=payment.reference,
        reverses=payment,
        reason=reason,
        recorded_by=actor,
    )
    for entry in LedgerEntry.objects.filter(payment=payment, reverses__isnull=True).exclude(
        kind=LedgerEntry.Kind.REVERSAL
    ):
        reverse_entry(entry=entry, recorded_by=actor, reason=reason)
    audit_record(
        subject=payment.request,
        actor=actor,
        action=AuditAction.PAYMENT_REVERSED,
        partnership=year.partnership,
        summary=f"Reversed £{payment.amount:,.2f} from {payment.request.school.name} "
        f"(request {payment.request.reference}): {reason}",
        data={"payment": payment.pk, "reversal": reversal.pk, "amount": str(payment.amount), "reason": reason},
    )
    return reversal


# --- Costs shared activity by activity -----------------------------------------------------------------------

# A shared cost's requests are due a month after they are made (a yearly contribution is due when the year starts).
SHARED_COST_DAYS_TO_PAY = 30


@transaction.atomic
def shared_cost_create(
    *,
    actor: User,
    year: FinancialYear,
    title: str,
    total: Decimal,
    basis: str,
    schools: list[School],
) -> SharedCost:
    """Set out a cost the schools taking part in an activity share, for the coordinator to check before
    confirming it: each school must be a member during the year. Nothing is asked of anyone yet."""
    year = FinancialYear.objects.select_for_update().select_related("partnership").get(pk=year.pk)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Enter what the cost is for, like Science week: hall hire"
    elif len(title) > 150:
        errors["title"] = "What the cost is for must be 150 characters or fewer"
    if total is None or total.as_tuple().exponent < -2:
        errors["total"] = "Enter the total to share in pounds and pence, like 1200.00"
    elif total <= 0:
        errors["total"] = "The total to share must be more than £0.00"
    elif total > MAX_AMOUNT:
        errors["total"] = f"The total to share must be £{MAX_AMOUNT:,} or less"
    if basis not in SharedCost.Basis.values:
        errors["basis"] = "Select how the cost is shared"
    members = members_during(year)
    outsiders = [school.name for school in schools if school.pk not in members]
    if not schools:
        errors["schools"] = "Select the schools taking part"
    elif outsiders:
        errors["schools"] = (
            f"{', '.join(outsiders)} {'is' if len(outsiders) == 1 else 'are'} not a member during {year.label}"
        )
    if not year.is_open:
        raise ValidationError(f"The financial year {year.label} is closed: no more costs can be shared in it")
    if errors:
        raise ValidationError(errors)
    cost = SharedCost.objects.create(
        partnership=year.partnership, year=year, title=title, total=total, basis=basis, created_by=actor
    )
    cost.schools.set(schools)
    audit_record(
        subject=cost,
        actor=actor,
        action=AuditAction.SHARED_COST_SET_OUT,
        partnership=year.partnership,
        summary=f"Set out the shared cost {title}: £{total:,.2f} among {len(schools)} schools",
        data={"cost": cost.pk, "total": str(total), "basis": basis, "schools": [school.pk for school in schools]},
    )
    return cost


@transaction.atomic
def shared_cost_confirm(*, actor: User, cost: SharedCost) -> list[ContributionRequest]:
    """Ask each school taking part for its share, as worked out and shown: one numbered request each,
    due in SHARED_COST_DAYS_TO_PAY days. Once only."""
    cost = SharedCost.objects.select_for_update().select_related("year__partnership").get(pk=cost.pk)
    if cost.confirmed_at is not None:
        raise ValidationError(f"The requests for {cost.title} have already been made: they are not made twice")
    if not cost.year.is_open:
        raise ValidationError(f"The financial year {cost.year.label} is closed: no more requests can be made for it")
    rows = shared_cost_amounts(cost)
    FinancialYear.objects.select_for_update().filter(pk=cost.year_id).first()  # numbers are given one at a time
    number = _next_number(cost.partnership_id)
    dated = timezone.localdate()
    made = []
    for offset, row in enumerate(rows):
        addressee = request_addressee(cost.partnership, row.school)
        made.append(
            ContributionRequest(
                partnership=cost.partnership,
                year=cost.year,
                school=row.school,
                activity=cost,
                number=number + offset,
                dated=dated,
                due=dated + datetime.timedelta(days=SHARED_COST_DAYS_TO_PAY),
                amount=row.amount,
                figure=row.figure,
                figure_label=row.figure_label,
                addressed_to=addressee.name,
                addressed_position=addressee.position,
                addressed_email=addressee.email,
                created_by=actor,
            )
        )
    ContributionRequest.objects.bulk_create(made)
    cost.confirmed_at = timezone.now()
    cost.save(update_fields=["confirmed_at"])
    audit_record(
        subject=cost,
        actor=actor,
        action=AuditAction.SHARED_COST_CONFIRMED,
        partnership=cost.partnership,
        summary=f"Asked {len(made)} schools for their shares of {cost.title}: £{cost.total:,.2f} in all",
        data={"cost": cost.pk, "amounts": {str(row.school.pk): str(row.amount) for row in rows}},
    )
    return list(ContributionRequest.objects.filter(activity=cost).select_related("school").order_by("number"))


@transaction.atomic
def contribution_request_add(*, actor: User, year: FinancialYear, school: School) -> ContributionRequest:
    """Ask a school that became a member after the year's requests were made for its contribution: the
    amount the scheme gives it (pro rata for its whole months, or the whole year, as the scheme says).
    A share of a total was divided among the schools asked, so a late joiner's share is not worked out
    here: the partnership agrees it as a shared cost."""
    year = FinancialYear.objects.select_for_update().select_related("partnership").get(pk=year.pk)
    if not year.is_open:
        raise ValidationError(f"The financial year {year.label} is closed: no more requests can be made for it")
    if not ContributionRequest.objects.filter(year=year, activity__isnull=True).exists():
        raise ValidationError(f"The requests for {year.label} have not been made yet: confirm them for every school")
    if ContributionRequest.objects.filter(year=year, activity__isnull=True, school=school).exists():
        raise ValidationError(f"{school.name} has already been asked for its contribution to {year.label}")
    scheme = scheme_of(year)
    if scheme is None or scheme.basis not in scheme.RATE_BASES:
        raise ValidationError(
            f"{year.label}'s contributions are a share of a total among the schools already asked: agree "
            f"{school.name}'s part as a shared cost"
        )
    row = next((row for row in contribution_amounts(scheme).rows if row.school.pk == school.pk), None)
    if row is None:
        raise ValidationError(f"{school.name} is not a member during {year.label}")
    addressee = request_addressee(year.partnership, school)
    dated = timezone.localdate()
    request = ContributionRequest.objects.create(
        partnership=year.partnership,
        year=year,
        school=school,
        number=_next_number(year.partnership_id),
        dated=dated,
        due=max(dated, year.starts),
        amount=row.amount,
        figure=row.figure,
        figure_label=row.figure_label,
        months=row.months,
        addressed_to=addressee.name,
        addressed_position=addressee.position,
        addressed_email=addressee.email,
        created_by=actor,
    )
    audit_record(
        subject=request,
        actor=actor,
        action=AuditAction.CONTRIBUTION_REQUEST_ADDED,
        partnership=year.partnership,
        summary=f"Asked {school.name} for its contribution to {year.label}: £{row.amount:,.2f}"
        + (f" for {row.months} months" if row.pro_rata else ""),
        data={"year": year.pk, "request": request.pk, "amount": str(row.amount), "months": row.months},
    )
    return request
