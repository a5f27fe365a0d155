"""Spending and grants: expenses posted to the ledger with their receipts, grants allocated only to
the schools Exeter's rule allows, every refusal by field with nothing written, and the pages."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from finance.models import BudgetLine, Expense, FinancialYear, Grant, GrantAllocation, LedgerEntry
from finance.selectors import grant_eligibility, ledger_balance
from finance.services.spending import expense_record, grant_allocate, grant_record
from meetings.models import Decision
from partnerships.models import Membership
from tests.factories.documents import docx_bytes, pdf_bytes
from tests.factories.finance import funded_year
from tests.factories.meetings import AgendaItemFactory, MeetingFactory
from tests.factories.partnerships import (
    AreaParticipationFactory,
    DeclarationFactory,
    DevelopmentAreaFactory,
    InterestFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def year(tenant_a):
    year, _ = funded_year(tenant_a, start_year=2026, confirm=False)
    return year


def _line(year, category="events"):
    with scopes_disabled():
        return BudgetLine.objects.get(year=year, category=category)


def _counts():
    with scopes_disabled():
        return (
            Expense.objects.count(),
            Grant.objects.count(),
            GrantAllocation.objects.count(),
            LedgerEntry.objects.count(),
            AuditEvent.objects.count(),
        )


def _files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _spend(tenant, year, **kwargs):
    kwargs = {
        "budget_line": _line(year),
        "amount": Decimal("120.00"),
        "spent_on": D(2026, 5, 3),
        "supplier": "Exeter Coaches Ltd",
        "description": "Coach hire for the maths challenge",
    } | kwargs
    with scope(partnership=tenant.partnership):
        return expense_record(actor=tenant.coordinator, year=year, **kwargs)


def _grant(tenant, year, **kwargs):
    kwargs = {
        "name": "Extended Schools funding",
        "funder": "Devon County Council",
        "amount": Decimal("18000.00"),
        "received_on": D(2026, 5, 1),
    } | kwargs
    with scope(partnership=tenant.partnership):
        return grant_record(actor=tenant.coordinator, year=year, **kwargs)


def _allocate(tenant, grant, school, amount="1500.00", on=None, **kwargs):
    on = on or D(2026, 5, 4)
    with scope(partnership=tenant.partnership):
        return grant_allocate(
            actor=tenant.coordinator, grant=grant, school=school, amount=Decimal(amount), allocated_on=on, **kwargs
        )


def _decision(tenant, text="Agreed to hire a coach for the maths challenge"):
    meeting = MeetingFactory(partnership=tenant.partnership, organiser=tenant.coordinator, title="Strategy Group")
    item = AgendaItemFactory(meeting=meeting)
    return Decision.objects.create(item=item, text=text, recorded_by=tenant.coordinator)


def _receipt(content: bytes, name="receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- Expenses -----------------------------------------------------------------------------------------------


def test_an_expense_is_money_out_of_the_ledger_with_its_receipt_and_decision(tenant_a, year, settings):
    decision = _decision(tenant_a)
    area = DevelopmentAreaFactory(partnership=tenant_a.partnership)
    expense = _spend(
        tenant_a,
        year,
        receipt=_receipt(pdf_bytes(1, "Receipt"), "../../coach.pdf"),
        decision=decision,
        development_area=area,
    )
    with scopes_disabled():
        entry = expense.entry
        assert (entry.kind, entry.amount, entry.budget_line_id) == ("expense", Decimal("-120.00"), _line(year).pk)
        assert ledger_balance(tenant_a.partnership) == Decimal("-120.00")
        event = AuditEvent.objects.order_by("-pk").first()
    assert event.action == "finance.expense_recorded"
    assert (expense.receipt_name, expense.receipt_type) == ("coach.pdf", "application/pdf")
    assert expense.receipt.name.startswith(f"receipts/{tenant_a.partnership.pk}/")
    assert not expense.receipt.name.startswith(str(settings.STATIC_ROOT))
    assert len(_files(settings)) == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": Decimal("0")}, "amount", "must be more than £0.00"),
        ({"amount": Decimal("-5.00")}, "amount", "must be more than £0.00"),
        ({"amount": Decimal("12.345")}, "amount", "pounds and pence"),
        ({"amount": Decimal("99999999.00")}, "amount", "£10,000,000 or less"),
        ({"amount": Decimal("NaN")}, "amount", "pounds and pence"),
        ({"spent_on": D(2026, 3, 31)}, "spent_on", "in the financial year 2026-27"),
        ({"spent_on": "tomorrow"}, "spent_on", "today or in the past"),
        ({"budget_line": None}, "budget_line", "Select the budget line"),
        ({"supplier": "  "}, "supplier", "Enter the supplier"),
        ({"supplier": "x" * 151}, "supplier", "150 characters or fewer"),
        ({"description": ""}, "description", "Enter what it was for"),
        ({"receipt": "exe"}, "receipt", "must be a PDF"),
        ({"receipt": "large"}, "receipt", "smaller than 1 MB"),
        ({"receipt": "empty"}, "receipt", "empty"),
    ],
)
def test_a_bad_expense_is_refused_by_field_and_nothing_is_written(tenant_a, year, settings, change, field, message):
    settings.PAPER_MAX_BYTES = 1024 * 1024
    if change.get("spent_on") == "tomorrow":
        change["spent_on"] = timezone.localdate() + datetime.timedelta(days=1)
        if change["spent_on"] > year.ends:
            pytest.skip("tomorrow is outside the year")
    receipts = {
        # An executable renamed .pdf: its bytes, not its name, say what it is.
        "exe": _receipt(b"MZ\x90\x00" + b"\x00" * 200, "receipt.pdf"),
        "large": _receipt(pdf_bytes(1) + b"\x00" * (1024 * 1024)),
        "empty": _receipt(b""),
    }
    if "receipt" in change:
        change["receipt"] = receipts[change["receipt"]]
    before = _counts()
    with pytest.raises(ValidationError) as raised:
        _spend(tenant_a, year, **change)
    assert message in " ".join(raised.value.message_dict[field])
    assert _counts() == before
    assert _files(settings) == []


def test_an_expense_against_another_years_line_or_another_partnerships_decision_is_refused(tenant_a, tenant_b, year):
    other_year, _ = funded_year(tenant_b, start_year=2026, confirm=False)
    with pytest.raises(ValidationError) as raised:
        _spend(
            tenant_a,
            year,
            budget_line=_line(other_year),
            decision=_decision(tenant_b),
            development_area=DevelopmentAreaFactory(partnership=tenant_b.partnership),
        )
    assert set(raised.value.message_dict) == {"budget_line", "decision", "development_area"}


def test_nothing_is_spent_on_a_closed_financial_year(tenant_a, year):
    with scopes_disabled():
        FinancialYear.objects.filter(pk=year.pk).update(status="closed")
    before = _counts()
    with pytest.raises(ValidationError, match="an expense on a closed financial year"):
        _spend(tenant_a, year)
    with pytest.raises(ValidationError, match="closed financial year"):
        _grant(tenant_a, year)
    assert _counts() == before


# --- Grants and Exeter's rule -------------------------------------------------------------------------------


def test_a_grant_is_money_in_and_its_allocations_money_out(tenant_a, year):
    grant = _grant(tenant_a, year)
    allocation = _allocate(tenant_a, grant, tenant_a.schools[0])
    with scopes_disabled():
        assert grant.entry.kind == "grant_income"
        assert (allocation.entry.kind, allocation.entry.amount) == ("grant_allocated", Decimal("-1500.00"))
        assert allocation.entry.school == tenant_a.schools[0]
        assert ledger_balance(tenant_a.partnership) == Decimal("16500.00")
        actions = list(AuditEvent.objects.order_by("-pk").values_list("action", flat=True)[:2])
    assert actions == ["finance.grant_allocated", "finance.grant_recorded"]


def _left(tenant, school, on):
    with scopes_disabled():
        Membership.objects.filter(partnership=tenant.partnership, school=school).update(left=on)


def test_grant_eligibility_is_the_one_rule(tenant_a, year):
    grant = _grant(tenant_a, year)
    member, leaver = tenant_a.schools
    _left(tenant_a, leaver, D(2026, 4, 30))
    joiner = MembershipFactory(partnership=tenant_a.partnership, joined=D(2026, 9, 1)).school
    stranger = MembershipFactory(partnership=MembershipFactory().partnership).school
    with scopes_disabled():
        assert grant_eligibility(grant, member, D(2026, 5, 4)) is None
        assert grant_eligibility(grant, leaver, D(2026, 4, 30)) is None  # its last day is a member's day
        assert "left the partnership on 30 April 2026" in grant_eligibility(grant, leaver, D(2026, 5, 1))
        assert "joins the partnership on 1 September 2026" in grant_eligibility(grant, joiner, D(2026, 5, 1))
        assert grant_eligibility(grant, joiner, D(2026, 9, 1)) is None
        assert "is not a member" in grant_eligibility(grant, stranger, D(2026, 5, 1))
        assert "participating in the partnership" in grant_eligibility(grant, stranger, D(2026, 5, 1))
        grant.restricted_to_members = False
        assert grant_eligibility(grant, leaver, D(2026, 5, 1)) is None


def test_a_development_area_grant_goes_only_to_the_schools_taking_part(tenant_a, year):
    area = DevelopmentAreaFactory(partnership=tenant_a.partnership, name="Extended Services and Community")
    AreaParticipationFactory(area=area, school=tenant_a.schools[0])
    grant = _grant(tenant_a, year, development_area=area)
    with scopes_disabled():
        assert grant_eligibility(grant, tenant_a.schools[0], D(2026, 5, 4)) is None
        assert grant_eligibility(grant, tenant_a.schools[1], D(2026, 5, 4)) == (
            f"{tenant_a.schools[1].name} does not take part in Extended Services and Community, "
            "the development area the grant is for"
        )


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("left", "school", "left the partnership on 30 April 2026"),
        ("not_yet_joined", "school", "joins the partnership on 1 June 2026"),
        ("not_in_area", "school", "does not take part in"),
        ("over", "amount", "more than the grant's £18,000.00: £1,000.00 is left to allocate"),
        ("pence", "amount", "pounds and pence"),
        ("absurd", "amount", "£10,000,000 or less"),
        ("future", "allocated_on", "today or in the past"),
        ("before_year", "allocated_on", "in the financial year 2026-27"),
        ("before_received", "allocated_on", "on or after 1 May 2026"),
    ],
)
def test_a_bad_allocation_is_refused_with_the_reason_and_nothing_is_written(tenant_a, year, case, field, message):
    area = DevelopmentAreaFactory(partnership=tenant_a.partnership)
    AreaParticipationFactory(area=area, school=tenant_a.schools[0])
    grant = _grant(tenant_a, year, development_area=area if case == "not_in_area" else None)
    school, amount, on = tenant_a.schools[0], "1500.00", D(2026, 5, 4)
    if case == "left":
        school = tenant_a.schools[1]
        _left(tenant_a, school, D(2026, 4, 30))
    elif case == "not_yet_joined":
        school = MembershipFactory(partnership=tenant_a.partnership, joined=D(2026, 6, 1)).school
    elif case == "not_in_area":
        school = tenant_a.schools[1]
    elif case == "over":
        _allocate(tenant_a, grant, tenant_a.schools[0], "17000.00")
        amount = "1000.01"
    elif case == "pence":
        amount = "10.001"
    elif case == "absurd":
        amount = "12345678901.00"
    elif case == "future":
        on = timezone.localdate() + datetime.timedelta(days=1)
    elif case == "before_year":
        on = D(2026, 3, 1)
    elif case == "before_received":
        on = D(2026, 4, 20)
    before = _counts()
    with pytest.raises(ValidationError) as raised:
        _allocate(tenant_a, grant, school, amount, on)
    assert message in " ".join(raised.value.message_dict[field])
    assert _counts() == before


def test_an_allocation_on_a_closed_year_is_refused(tenant_a, year):
    grant = _grant(tenant_a, year)
    with scopes_disabled():
        FinancialYear.objects.filter(pk=year.pk).update(status="closed")
    with pytest.raises(ValidationError, match="closed financial year"):
        _allocate(tenant_a, grant, tenant_a.schools[0])


# --- Pages --------------------------------------------------------------------------------------------------


def _url(tenant, name, *args):
    from django.urls import reverse

    return reverse(f"finance:{name}", args=[tenant.slug, *args])


def test_the_spending_page_shows_a_declared_interest_naming_the_supplier(tenant_a, year, client_for):
    declaration = DeclarationFactory(
        partnership=tenant_a.partnership, user=tenant_a.coordinator, nothing_to_declare=False
    )
    InterestFactory(declaration=declaration, description="Director of EXETER COACHES LTD")
    InterestFactory(declaration=declaration, description="Governor at another school")
    expense = _spend(tenant_a, year, receipt=_receipt(pdf_bytes(1, "Receipt")), decision=_decision(tenant_a))
    page = client_for(tenant_a.headteacher).get(_url(tenant_a, "spending", year.pk)).content.decode()
    name = tenant_a.coordinator.full_name
    assert f"Declared interest: {name}: Director of EXETER COACHES LTD" in page
    assert "Governor at another school" not in page
    assert _url(tenant_a, "receipt", expense.pk) in page
    assert f"/meetings/{expense.decision.item.meeting_id}/minutes/" in page
    assert "Spent: <strong>£120.00</strong> of £800.00 planned" in page


def test_a_receipt_is_served_only_to_those_who_see_the_finances_and_404_elsewhere(tenant_a, tenant_b, year, client_for):
    content = pdf_bytes(1, "Receipt")
    expense = _spend(tenant_a, year, receipt=_receipt(content, "Coach <hire>.pdf"))
    response = client_for(tenant_a.headteacher).get(_url(tenant_a, "receipt", expense.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    # Another partnership's people, through their own partnership's address: no such receipt.
    assert client_for(tenant_b.coordinator).get(_url(tenant_b, "receipt", expense.pk)).status_code == 404
    # An expense with no receipt has none to serve.
    bare = _spend(tenant_a, year)
    assert client_for(tenant_a.coordinator).get(_url(tenant_a, "receipt", bare.pk)).status_code == 404


def test_the_expense_form_uploads_a_receipt_and_refuses_one_that_is_not_a_document(
    tenant_a, year, client_for, settings
):
    client = client_for(tenant_a.coordinator)
    data = {
        "budget_line": _line(year).pk,
        "supplier": "Exeter Coaches Ltd",
        "description": "Coach hire",
        "amount": "120.00",
        "spent_on": "2026-05-03",
    }
    url = _url(tenant_a, "expense_record", year.pk)
    bad = client.post(url, data | {"receipt": SimpleUploadedFile("receipt.pdf", b"<html>not a pdf</html>")})
    assert bad.status_code == 400
    assert "The receipt must be a PDF" in bad.content.decode()
    assert _files(settings) == []
    good = client.post(url, data | {"receipt": SimpleUploadedFile("receipt.docx", docx_bytes())})
    assert good.status_code == 302
    with scopes_disabled():
        assert Expense.objects.get().receipt_name == "receipt.docx"


def test_the_allocation_form_offers_only_eligible_schools_and_says_why_not(tenant_a, year, client_for):
    grant = _grant(tenant_a, year)
    _left(tenant_a, tenant_a.schools[1], D(2026, 4, 30))
    client = client_for(tenant_a.coordinator)
    page = client.get(_url(tenant_a, "grant_allocate", grant.pk)).content.decode()
    assert f'<option value="{tenant_a.schools[0].pk}">' in page
    assert f'<option value="{tenant_a.schools[1].pk}">' not in page
    assert f"{tenant_a.schools[1].name} left the partnership on 30 April 2026" in page
    response = client.post(
        _url(tenant_a, "grant_allocate", grant.pk),
        {"school": tenant_a.schools[1].pk, "amount": "100.00", "allocated_on": "2026-05-04"},
    )
    assert response.status_code == 400
    assert _counts()[2] == 0


def test_the_spending_and_grant_pages_run_a_constant_number_of_queries(tenant_a, year, client_for):
    grant = _grant(tenant_a, year)
    # The small fixture has one of each thing the page shows, so no query is skipped for want of rows.
    declaration = DeclarationFactory(
        partnership=tenant_a.partnership, user=tenant_a.coordinator, nothing_to_declare=False
    )
    InterestFactory(declaration=declaration, description="Director of Exeter Coaches Ltd")
    _spend(tenant_a, year, receipt=_receipt(pdf_bytes(1)), decision=_decision(tenant_a))
    _allocate(tenant_a, grant, tenant_a.schools[0], decision=_decision(tenant_a))

    def grow():
        with scope(partnership=tenant_a.partnership):
            for n in range(5):
                school = MembershipFactory(partnership=tenant_a.partnership).school
                head = tenant_a.headteacher
                declaration = DeclarationFactory(partnership=tenant_a.partnership, user=head, nothing_to_declare=False)
                InterestFactory(declaration=declaration, description=f"Owner of Supplier {n}")
                expense_record(
                    actor=head,
                    year=year,
                    budget_line=_line(year, "administration" if n % 2 else "events"),
                    amount=Decimal("10.00"),
                    spent_on=D(2026, 5, 5),
                    supplier=f"Supplier {n}",
                    description="Materials",
                    decision=_decision(tenant_a),
                    development_area=DevelopmentAreaFactory(partnership=tenant_a.partnership),
                    receipt=_receipt(pdf_bytes(1)),
                )
                new = grant_record(
                    actor=tenant_a.coordinator,
                    year=year,
                    name=f"Grant {n}",
                    funder="Funder",
                    amount=Decimal("100.00"),
                    received_on=D(2026, 5, 1),
                    development_area=DevelopmentAreaFactory(partnership=tenant_a.partnership),
                )
                grant_allocate(
                    actor=tenant_a.coordinator,
                    grant=grant,
                    school=school,
                    amount=Decimal("10.00"),
                    allocated_on=D(2026, 5, 6),
                    decision=_decision(tenant_a),
                )
                assert new

    client = client_for(tenant_a.coordinator)
    for name, args in [
        ("spending", [year.pk]),
        ("grants", [year.pk]),
        ("grant_allocate", [grant.pk]),
        ("expense_record", [year.pk]),
    ]:
        assert_constant_queries(client, _url(tenant_a, name, *args), grow=grow)


def test_the_demo_spends_in_manchester_and_allocates_exeters_funding_once(settings):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    counts = _counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert _counts() == counts
    with scopes_disabled():
        expenses = list(Expense.objects.filter(partnership__slug="heart-of-manchester"))
        assert len(expenses) == 3 and sum(1 for e in expenses if e.receipt) == 1
        assert all(e.entry.amount == -e.amount for e in expenses)
        grants = list(Grant.objects.filter(partnership__slug="exeter-beacon").order_by("pk"))
        assert [g.name for g in grants] == ["Extended Schools funding", "Extended Schools: community access"]
        assert grants[1].development_area.name == "Extended Services and Community"
        allocations = list(GrantAllocation.objects.filter(grant__in=grants).select_related("grant", "school"))
        assert len(allocations) == 12
        for allocation in allocations:
            assert grant_eligibility(allocation.grant, allocation.school, allocation.allocated_on) is None


def test_a_headteacher_sees_their_own_schools_allocation_and_only_a_total_for_the_others(tenant_a, year, client_for):
    grant = _grant(tenant_a, year)
    _allocate(tenant_a, grant, tenant_a.schools[0], "1500.00")
    _allocate(tenant_a, grant, tenant_a.schools[1], "2750.00")
    head = client_for(tenant_a.headteacher).get(_url(tenant_a, "grants", year.pk)).content.decode()
    assert tenant_a.schools[0].name in head and "£1,500.00" in head
    assert tenant_a.schools[1].name not in head
    assert "£2,750.00 allocated to other schools, whose amounts are private to them" in head
    coordinator = client_for(tenant_a.coordinator).get(_url(tenant_a, "grants", year.pk)).content.decode()
    assert tenant_a.schools[1].name in coordinator and "private to them" not in coordinator


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite locks the file")
@pytest.mark.django_db(transaction=True)
def test_two_allocations_at_once_that_together_exceed_the_grant_one_is_refused(tenant_a):
    """Both posts wait on the grant's row, held by a third transaction; let go, they add up the
    allocations one after the other. Without the lock both would see £1,000.00 left and both be taken."""
    import threading
    import time

    from django.db import connections, transaction
    from django.test import Client

    year, _ = funded_year(tenant_a, start_year=2026, confirm=False)
    grant = _grant(tenant_a, year, amount=Decimal("1000.00"))
    url = _url(tenant_a, "grant_allocate", grant.pk)
    answers = []

    def post(school):
        client = Client()
        client.force_login(tenant_a.coordinator)
        try:
            response = client.post(url, {"school": school.pk, "amount": "600.00", "allocated_on": "2026-05-04"})
            answers.append(response.status_code)
        finally:
            connections.close_all()

    def waiting() -> int:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted")
            return cursor.fetchone()[0]

    threads = [threading.Thread(target=post, args=(school,)) for school in tenant_a.schools]
    with transaction.atomic(), scopes_disabled():
        Grant.objects.select_for_update().get(pk=grant.pk)  # hold the row
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while waiting() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting() == 2, "both allocations should be waiting on the grant's row"
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [302, 400]
    with scopes_disabled():
        assert [a.amount for a in GrantAllocation.objects.filter(grant=grant)] == [Decimal("600.00")]
        assert ledger_balance(tenant_a.partnership) == Decimal("400.00")


def test_an_expense_or_allocation_corrected_in_the_ledger_no_longer_counts(tenant_a, year, client_for):
    from finance.selectors import grant_allocated
    from finance.services.ledger import ledger_entry_reverse

    expense = _spend(tenant_a, year)
    grant = _grant(tenant_a, year, amount=Decimal("1000.00"))
    allocation = _allocate(tenant_a, grant, tenant_a.schools[0], "1000.00")
    with scope(partnership=tenant_a.partnership):
        ledger_entry_reverse(actor=tenant_a.coordinator, entry=expense.entry, reason="Charged to the wrong year")
        ledger_entry_reverse(actor=tenant_a.coordinator, entry=allocation.entry, reason="Wrong school")
    with scopes_disabled():
        assert grant_allocated(grant) == Decimal("0.00")
    _allocate(tenant_a, grant, tenant_a.schools[1], "1000.00")  # the money is free to allocate again
    page = client_for(tenant_a.coordinator).get(_url(tenant_a, "spending", year.pk)).content.decode()
    assert "Spent: <strong>£0.00</strong>" in page and "Corrected in the ledger" in page
    grants = client_for(tenant_a.coordinator).get(_url(tenant_a, "grants", year.pk)).content.decode()
    assert "£1,000.00 allocated, £0.00 left" in grants and "Corrected in the ledger" in grants


def test_spending_and_grants_download_with_the_pages_figures_and_privacy(tenant_a, year, client_for):
    import csv
    import io

    from openpyxl import load_workbook

    _spend(tenant_a, year, supplier="=cmd|' /C calc'!A0", amount=Decimal("80.25"))
    grant = _grant(tenant_a, year)
    _allocate(tenant_a, grant, tenant_a.schools[0], "1500.00")
    _allocate(tenant_a, grant, tenant_a.schools[1], "2750.00")
    coordinator = client_for(tenant_a.coordinator)
    base = f"/p/{tenant_a.slug}/finance/{year.pk}"
    rows = list(csv.reader(io.StringIO(coordinator.get(f"{base}/spending/export.csv").content.decode("utf-8-sig"))))
    assert rows[1][2] == "'=cmd|' /C calc'!A0" and rows[1][5] == "80.25"
    workbook = load_workbook(io.BytesIO(coordinator.get(f"{base}/grants/export.xlsx").content), data_only=True)
    amounts = [row[5] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert amounts == [Decimal("18000.00"), Decimal("-1500.00"), Decimal("-2750.00")]
    head = client_for(tenant_a.headteacher).get(f"{base}/grants/export.csv").content.decode("utf-8-sig")
    assert tenant_a.schools[1].name not in head and "Allocated to other schools" in head and "-2750.00" in head
