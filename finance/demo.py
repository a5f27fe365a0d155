"""Demo money for the seed partnerships; registered with load_demo by FinanceConfig.ready().

Each partnership that handles money has this financial year open with its budget and its scheme,
opened and set through the services as its coordinator would:

- Heart of Manchester: £2 per FTE pupil at the January census, held by Rolls Crescent, which keeps
  an administration share. The agreement says "a portion" and names no figure: 5% is what the
  strategic group agreed for the demo year. The year's requests are made and most schools have
  paid: one has paid half, one nothing (overdue).
- the terms-of-reference partnership (Kingston North) agrees costs activity by activity: Science week's
  hall and speaker are shared by budget among the four schools taking part, one of which has paid.
- Exeter Beacon: its agreement asks no contributions, so its year is opened with a budget alone; its
  money is the Extended Schools funding, allocated to participating schools (`load_spending`).

Loading twice changes nothing.
"""

import datetime
from datetime import timedelta
from decimal import Decimal
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from finance.models import ContributionScheme, Expense, FinancialYear, Grant, Payment, SharedCost
from finance.selectors import grant_candidates, grant_eligibility, grant_facts, members_during
from finance.services.contributions import (
    contribution_requests_confirm,
    payment_record,
    shared_cost_confirm,
    shared_cost_create,
)
from finance.services.spending import expense_record, grant_allocate, grant_record
from finance.services.years import budget_set, contribution_scheme_set, financial_year_open
from meetings.models import Decision
from meetings.pack import pdf_from_html
from partnerships.calendar import financial_year_of
from partnerships.models import DevelopmentArea, RoleAssignment
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
    "exeter-beacon": {
        "budget": {
            "administration": Decimal("1200.00"),
            "development_areas": Decimal("14000.00"),
            "events": Decimal("1500.00"),
            "staffing": Decimal("6000.00"),
        },
        "scheme": None,
        "income": {"grants": Decimal("22500.00")},
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
    if demo["scheme"] is not None:
        contribution_scheme_set(actor=coordinator.user, year=year, **demo["scheme"])
    if demo.get("income"):
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


# --- Spending and grants (load_spending, registered after `load`) --------------------------------------------

# Heart of Manchester's spending this year: (budget line, supplier, what for, amount, days into the year,
# with a development area, with a receipt).
MANCHESTER_EXPENSES = [
    ("events", "Manchester Central Coaches Ltd", "Coach hire for the Year 6 transition day", "385.00", 40, False, True),
    (
        "development_areas",
        "Bright Futures Tutoring Ltd",
        "Early years moderation training, two twilight sessions",
        "640.00",
        75,
        True,
        False,
    ),
    ("administration", "Hulme Print Shop Ltd", "Printing the annual report", "86.40", 110, False, False),
]

EXETER_AREA = "Extended Services and Community"


def _coordinator(partnership):
    assignment = (
        RoleAssignment.objects.filter(partnership=partnership, role=Role.COORDINATOR).active().order_by("pk").first()
    )
    return assignment.user if assignment else None


def _day(year: FinancialYear, days: int) -> datetime.date:
    """A day `days` into the year, but never after today: the demo is loaded at any time of year."""
    return max(year.starts, min(year.starts + datetime.timedelta(days=days), timezone.localdate()))


def _latest_decision(partnership):
    return (
        Decision.objects.filter(item__meeting__partnership=partnership).order_by("-item__meeting__starts", "pk").first()
    )


@cache
def _receipt_pdf(supplier: str, what: str, amount: str) -> bytes:
    """A one-page receipt, rendered once: enough to show the upload, the download and its type."""
    html = (
        f'<html lang="en-GB"><head><title>Receipt from {supplier}</title></head><body>'
        f"<h1>{supplier}</h1><p>Receipt: {what}.</p><p>Amount paid: £{amount}</p></body></html>"
    )
    return pdf_from_html(html)


def load_spending(partnership, spec: dict, admin) -> None:
    """Heart of Manchester's expenses and Exeter Beacon's Extended Schools funding, once."""
    if spec["slug"] not in ("heart-of-manchester", "exeter-beacon"):
        return
    year = FinancialYear.objects.filter(
        partnership=partnership, starts__lte=timezone.localdate(), ends__gte=timezone.localdate()
    ).first()
    coordinator = _coordinator(partnership)
    if year is None or coordinator is None or not year.is_open:
        return
    if Expense.objects.filter(year=year).exists() or Grant.objects.filter(year=year).exists():
        return
    if spec["slug"] == "heart-of-manchester":
        _manchester_spending(partnership, year, coordinator)
    else:
        _exeter_grants(partnership, year, coordinator)


def _manchester_spending(partnership, year, coordinator) -> None:
    lines = {line.category: line for line in year.budget_lines.all()}
    area = DevelopmentArea.objects.filter(partnership=partnership).order_by("-academic_year", "name").first()
    decision = _latest_decision(partnership)
    for category, supplier, what, amount, days, in_area, with_receipt in MANCHESTER_EXPENSES:
        receipt = None
        if with_receipt:
            receipt = SimpleUploadedFile(
                "receipt.pdf", _receipt_pdf(supplier, what, amount), content_type="application/pdf"
            )
        expense_record(
            actor=coordinator,
            year=year,
            budget_line=lines[category],
            amount=Decimal(amount),
            spent_on=_day(year, days),
            supplier=supplier,
            description=what,
            development_area=area if in_area else None,
            decision=decision if category != "administration" else None,
            receipt=receipt,
        )


def _exeter_grants(partnership, year, coordinator) -> None:
    """Devon's Extended Schools funding for the cluster, shared among the participating schools; and its
    community-access grant, for the schools taking part in Extended Services and Community only."""
    decision = _latest_decision(partnership)
    funding = grant_record(
        actor=coordinator,
        year=year,
        name="Extended Schools funding",
        funder="Devon County Council",
        amount=Decimal("18500.00"),
        received_on=_day(year, 20),
    )
    area = DevelopmentArea.objects.filter(partnership=partnership, name=EXETER_AREA).order_by("-academic_year").first()
    community = None
    if area is not None:
        community = grant_record(
            actor=coordinator,
            year=year,
            name="Extended Schools: community access",
            funder="Devon County Council",
            amount=Decimal("4000.00"),
            received_on=_day(year, 20),
            development_area=area,
        )
    for grant, each, how_many in ((funding, Decimal("1500.00"), 8), (community, Decimal("750.00"), 4)):
        if grant is None:
            continue
        on = _day(year, 45)
        facts = grant_facts(grant)
        schools = grant_candidates(grant)
        eligible = [school for school in schools if grant_eligibility(grant, school, on, facts=facts) is None]
        for school in eligible[:how_many]:
            grant_allocate(
                actor=coordinator, grant=grant, school=school, amount=each, allocated_on=on, decision=decision
            )
