"""Demo money for the seed partnerships; registered with load_demo by FinanceConfig.ready().

Each partnership that handles money has this financial year open with its budget and its scheme,
opened and set through the services as its coordinator would:

- Heart of Manchester: £2 per FTE pupil at the January census, held by Rolls Crescent, which keeps
  an administration share. The agreement says "a portion" and names no figure: 5% is what the
  strategic group agreed for the demo year. The year's requests are made and most schools have
  paid: one has paid half, one nothing (overdue).
- the terms-of-reference partnership (Kingston North) agrees costs activity by activity: Science week's
  hall and speaker are shared by budget among the four schools taking part, one of which has paid.

Loading twice changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from finance.models import ContributionScheme, FinancialYear, Payment, SharedCost
from finance.selectors import members_during
from finance.services.contributions import (
    contribution_requests_confirm,
    payment_record,
    shared_cost_confirm,
    shared_cost_create,
)
from finance.services.years import budget_set, contribution_scheme_set, financial_year_open
from partnerships.calendar import financial_year_of
from partnerships.models import RoleAssignment
from partnerships.roles import Role

Basis = ContributionScheme.Basis

YEARS = {
    "heart-of-manchester": {
        "budget": {
            "administration": Decimal("450.00"),
            "development_areas": Decimal("2400.00"),
            "events": Decimal("900.00"),
            "staffing": Decimal("0.00"),
            "other": Decimal("300.00"),
        },
        "scheme": {"basis": Basis.PER_FTE, "rate": Decimal("2.00"), "admin_share_percent": Decimal("5")},
        "income": {"contributions": Decimal("5121.00"), "interest": Decimal("15.00")},
        # Webster has paid half so far; St Mary's, which is leaving, has paid nothing and is overdue.
        "payments": {990204: Decimal("0.5"), 990208: Decimal("0")},
    },
    "kingston-north": {
        "budget": {"development_areas": Decimal("1200.00"), "events": Decimal("600.00")},
        "scheme": {"basis": Basis.PER_ACTIVITY},
        "income": {"events": Decimal("600.00")},
        # The terms of reference share a cost by budget among the schools taking part in the activity.
        "shared_cost": ("Science week: hall hire and visiting speaker", Decimal("1200.00"), 4),
    },
}


def load(partnership, spec: dict, admin) -> None:
    demo = YEARS.get(spec["slug"])
    if demo is None or FinancialYear.objects.filter(partnership=partnership).exists():
        return
    coordinator = (
        RoleAssignment.objects.filter(partnership=partnership, role=Role.COORDINATOR).active().order_by("pk").first()
    )
    if coordinator is None:
        return
    year = financial_year_open(
        actor=coordinator.user,
        partnership=partnership,
        start_year=financial_year_of(timezone.localdate()),
        budget=demo["budget"],
    )
    contribution_scheme_set(actor=coordinator.user, year=year, **demo["scheme"])
    budget_set(actor=coordinator.user, year=year, budget=demo["budget"], income=demo["income"])
    if demo.get("payments"):
        _requests_and_payments(year, coordinator.user, demo["payments"])
    if demo.get("shared_cost"):
        title, total, taking_part = demo["shared_cost"]
        schools = sorted((school for school, _ in members_during(year).values()), key=lambda school: school.name)
        cost = shared_cost_create(
            actor=coordinator.user,
            year=year,
            title=title,
            total=total,
            basis=SharedCost.Basis.BUDGET_SHARE,
            schools=schools[:taking_part],
        )
        first, *_ = shared_cost_confirm(actor=coordinator.user, cost=cost)
        payment_record(
            actor=coordinator.user,
            request=first,
            amount=first.amount,
            received_on=timezone.localdate(),
            method=Payment.Method.BANK_TRANSFER,
            reference=f"SCIENCE WEEK {first.reference}",
        )


def _requests_and_payments(year, coordinator, payments: dict) -> None:
    """The year's requests, made a fortnight before it began, and what each school has paid since: by
    URN, the share of its request paid (1 in full, 0.5 half: a part payment, 0 nothing: overdue)."""
    today = timezone.localdate()
    requests = contribution_requests_confirm(actor=coordinator, year=year, dated=year.starts - timedelta(days=12))
    for number, request in enumerate(requests):
        share = payments.get(request.school.urn, Decimal("1"))
        if not share:
            continue
        paid = (request.amount * share).quantize(Decimal("0.01"))
        received = min(today, year.starts + timedelta(days=9 + 3 * number))
        payment_record(
            actor=coordinator,
            request=request,
            amount=paid,
            received_on=received,
            method=Payment.Method.BANK_TRANSFER if number % 3 else Payment.Method.INTERNAL,
            reference=f"CONTRIB {year.label} {request.reference}",
        )
