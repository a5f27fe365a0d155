"""The school-facing side of contributions: each school's statement over every year (page and PDF),
a request for contribution as a PDF, the year's totals for headteachers and the finance summary the
local authority's observer sees where the constitution shares it."""

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from core.testing import assert_constant_queries
from finance.models import ContributionRequest, FinancialYear, LedgerEntry, Payment
from finance.selectors import school_statement, summary_years
from finance.services.contributions import payment_record, payment_reverse
from partnerships.models import Constitution
from partnerships.roles import Role
from tests.factories.accounts import UserFactory
from tests.factories.finance import funded_year
from tests.factories.partnerships import give_role

pytestmark = pytest.mark.django_db
D = datetime.date


def _pay(tenant, request, amount, **kwargs):
    kwargs = {"received_on": D(2025, 4, 20), "method": "bank_transfer"} | kwargs
    with scope(partnership=tenant.partnership):
        return payment_record(actor=tenant.coordinator, request=request, amount=Decimal(amount), **kwargs)


@pytest.fixture
def two_years(tenant_a):
    """2025-26: the first school (£409.00) overpays £450.00, the second (£200.00) pays £50.00 and
    that payment is reversed; 2026-27: the first school's £41.00 credit is brought forward."""
    _, first = funded_year(tenant_a, start_year=2025, dated=D(2025, 3, 20))
    a, b = (next(r for r in first if r.school == school) for school in tenant_a.schools)
    _pay(tenant_a, a, "450.00", reference="BACS 0001", confirm_overpayment=True)
    wrong = _pay(tenant_a, b, "50.00", reference="BACS 9")
    with scope(partnership=tenant_a.partnership):
        payment_reverse(actor=tenant_a.coordinator, payment=wrong, reason="Paid into the wrong account")
    _, second = funded_year(tenant_a, start_year=2026, dated=D(2026, 3, 20))
    return first, second


def _head_of(tenant, school, role=Role.HEADTEACHER):
    user = UserFactory()
    give_role(user, tenant.partnership, role, school)
    return user


def test_a_statement_lists_every_year_what_was_asked_paid_and_carried_forward(tenant_a, two_years):
    with scopes_disabled():
        statement = school_statement(tenant_a.partnership, tenant_a.schools[0])
        other = school_statement(tenant_a.partnership, tenant_a.schools[1])
    first, second = statement.years
    assert (first.year.label, first.asked, first.paid, first.outstanding) == (
        "2025-26",
        Decimal("409.00"),
        Decimal("409.00"),  # £450.00 paid, £41.00 carried forward
        Decimal("0.00"),
    )
    assert [(line.description, line.asked, line.paid) for line in first.lines] == [
        ("Request for contribution, due 1 April 2025", Decimal("409.00"), None),
        ("Bank transfer", None, Decimal("450.00")),
        ("Credit carried forward", None, Decimal("-41.00")),
    ]
    assert (second.asked, second.paid, second.outstanding) == (Decimal("409.00"), Decimal("41.00"), Decimal("368.00"))
    assert "Credit brought forward" in [line.description for line in second.lines]
    # Over every year the credit counts once: £818.00 asked, £450.00 paid.
    assert (statement.asked, statement.paid, statement.outstanding) == (
        Decimal("818.00"),
        Decimal("450.00"),
        Decimal("368.00"),
    )
    assert [line.description for line in other.years[0].lines][1:] == [
        "Bank transfer",
        "Correction: Paid into the wrong account",
    ]
    assert other.outstanding == Decimal("400.00")


def test_the_headteacher_and_a_governor_see_their_schools_statement_and_no_other(tenant_a, two_years, client_for):
    school, other = tenant_a.schools
    base = f"/p/{tenant_a.slug}/finance/statements/"
    governor = _head_of(tenant_a, school, Role.GOVERNOR)
    for user in (tenant_a.headteacher, governor):
        client = client_for(user)
        page = client.get(f"{base}{school.pk}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "£818.00" in text and "£368.00 outstanding" in text and "Credit brought forward" in text
        # Another member's statement does not exist for them, as its budget does not.
        assert client.get(f"{base}{other.pk}/").status_code == 404
        assert client.get(f"{base}{other.pk}/pdf/").status_code == 404
        listing = client.get(base).content.decode()
        assert school.name in listing and other.name not in listing
    # Governors do not see the finance pages themselves.
    assert client_for(governor).get(f"/p/{tenant_a.slug}/finance/").status_code == 403


def test_those_who_record_see_every_schools_statement(tenant_a, two_years, client_for):
    client = client_for(tenant_a.coordinator)
    listing = client.get(f"/p/{tenant_a.slug}/finance/statements/").content.decode()
    assert all(school.name in listing for school in tenant_a.schools)
    assert "In credit" not in listing and "£400.00 outstanding" in listing
    assert client.get(f"/p/{tenant_a.slug}/finance/statements/{tenant_a.schools[1].pk}/").status_code == 200


@pytest.mark.parametrize("school_pk", ["0", "999999", "99999999999999999999", "-1", "abc"])
def test_a_bad_school_id_is_not_found(tenant_a, client_for, school_pk):
    client = client_for(tenant_a.coordinator)
    assert client.get(f"/p/{tenant_a.slug}/finance/statements/{school_pk}/").status_code == 404
    assert client.get(f"/p/{tenant_a.slug}/finance/statements/{school_pk}/pdf/").status_code == 404


def test_another_partnerships_school_and_request_are_not_found(tenant_a, tenant_b, two_years, client_for):
    _, theirs = funded_year(tenant_b, start_year=2026, dated=D(2026, 3, 20))
    client = client_for(tenant_a.coordinator)
    for url in (
        f"statements/{tenant_b.schools[0].pk}/",
        f"statements/{tenant_b.schools[0].pk}/pdf/",
        f"requests/{theirs[0].pk}/pdf/",
    ):
        assert client.get(f"/p/{tenant_a.slug}/finance/{url}").status_code == 404


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_statement_pdf_is_tagged_and_says_what_the_page_says(tenant_a, two_years, client_for):
    school = tenant_a.schools[0]
    response = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/finance/statements/{school.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="statement-')
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == f"Statement of contributions: {school.name}"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB" and "/StructTreeRoot" in reader.trailer["/Root"]
    text = _text(response.content)
    for words in ("2025-26", "2026-27", "£818.00", "£450.00", "Credit carried forward", "£368.00 outstanding"):
        assert words in text


def test_the_request_pdf_is_addressed_numbered_and_says_how_to_pay(tenant_a, two_years, client_for):
    _, second = two_years
    request = next(r for r in second if r.school == tenant_a.schools[0])
    with scopes_disabled():
        ContributionRequest.objects.filter(pk=request.pk).update(
            addressed_to="Pat Jones", addressed_position="School business manager"
        )
        tenant_a.schools[0].__class__.objects.filter(pk=request.school_id).update(
            street="1 Rolls Crescent", town="Manchester", postcode="M15 5FT"
        )
    url = f"/p/{tenant_a.slug}/finance/requests/{request.pk}/pdf/"
    for user in (tenant_a.coordinator, tenant_a.headteacher):
        response = client_for(user).get(url)
        assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == f"Request for contribution No. {request.reference}: {request.school.name}, 2026-27"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB" and "/StructTreeRoot" in reader.trailer["/Root"]
    text = " ".join(_text(response.content).split())
    for words in (
        f"From {tenant_a.partnership.name}",
        "Pat Jones",
        "School business manager",
        "1 Rolls Crescent",
        "M15 5FT",
        f"Number {request.reference}",
        "Dated 20 March 2026",
        "Due 1 April 2026",
        "FTE at the January 2026 census: 204.50",
        "£409.00",
        "Credit brought forward £41.00",
        "To pay £368.00",
        f"{tenant_a.schools[0].name} holds the partnership's funds",
        f"quoting request {request.reference}",
    ):
        assert words in text, words
    # The other school's people may not have it.
    other_head = _head_of(tenant_a, tenant_a.schools[1])
    assert client_for(other_head).get(url).status_code == 404


def test_the_year_page_shows_headteachers_the_totals_and_only_recorders_each_school(tenant_a, two_years, client_for):
    _, second = two_years
    url = f"/p/{tenant_a.slug}/finance/{second[0].year_id}/"
    other = tenant_a.schools[1]
    head = client_for(tenant_a.headteacher).get(url).content.decode()
    assert "£609.00" in head and "£41.00" in head and "£568.00" in head
    assert other.name not in head and "statements/" in head
    coordinator = client_for(tenant_a.coordinator).get(url).content.decode()
    assert other.name in coordinator and "£200.00" in coordinator


def test_where_contributions_are_shared_headteachers_see_each_school_on_the_year_page(tenant_a, two_years, client_for):
    _, second = two_years
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(share_contributions="headteachers")
    head = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/finance/{second[0].year_id}/").content.decode()
    assert tenant_a.schools[1].name in head
    other = f"/p/{tenant_a.slug}/finance/statements/{tenant_a.schools[1].pk}/"
    assert client_for(tenant_a.headteacher).get(other).status_code == 200


def test_the_summary_totals_each_year_and_the_bank_balance(tenant_a, two_years):
    with scopes_disabled():
        years = summary_years(tenant_a.partnership)
    assert [(y.year.label, y.asked, y.paid, y.outstanding) for y in years] == [
        ("2026-27", Decimal("609.00"), Decimal("41.00"), Decimal("568.00")),
        ("2025-26", Decimal("609.00"), Decimal("409.00"), Decimal("200.00")),
    ]


@pytest.mark.parametrize(("shared", "expected"), [(True, 200), (False, 403), (None, 403)])
def test_the_local_authority_sees_the_summary_only_where_the_constitution_shares_it(
    tenant_a, two_years, client_for, shared, expected
):
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(finance_summary_to_local_authority=shared)
    observer = _head_of(tenant_a, None, Role.LA_OBSERVER)
    response = client_for(observer).get(f"/p/{tenant_a.slug}/finance/summary/")
    assert response.status_code == expected
    if expected == 200:
        text = response.content.decode()
        assert "£609.00" in text and "£450.00" in text  # the bank balance: £450.00 in, nothing kept
        assert tenant_a.schools[0].name not in text
    # Those who see the finance pages see it whatever the rule; a governor does not.
    assert client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/finance/summary/").status_code == 200
    governor = _head_of(tenant_a, tenant_a.schools[0], Role.GOVERNOR)
    assert client_for(governor).get(f"/p/{tenant_a.slug}/finance/summary/").status_code == 403


def _grow(tenant):
    """Three more years, each with a request to every school, two payments and a reversal each, and a
    ledger entry."""
    start = FinancialYear.objects.filter(partnership=tenant.partnership).order_by("starts").first().starts.year - 3
    for offset in range(3):
        first = D(start + offset, 4, 1)
        year = FinancialYear.objects.create(
            partnership=tenant.partnership,
            starts=first,
            ends=D(start + offset + 1, 3, 31),
            label=f"{start + offset}-x",
            opened_by=tenant.coordinator,
        )
        number = ContributionRequest.objects.filter(partnership=tenant.partnership).count() + 1000
        for i, school in enumerate(tenant.schools):
            request = ContributionRequest.objects.create(
                partnership=tenant.partnership,
                year=year,
                school=school,
                number=number + i,
                dated=first,
                due=first,
                amount=Decimal("100.00"),
                created_by=tenant.coordinator,
            )
            paid = Payment.objects.create(
                request=request,
                received_on=first,
                amount=Decimal("60.00"),
                method="cheque",
                recorded_by=tenant.coordinator,
            )
            Payment.objects.create(
                request=request,
                received_on=first,
                amount=Decimal("-60.00"),
                method="cheque",
                reverses=paid,
                reason="Bounced",
                recorded_by=tenant.coordinator,
            )
        LedgerEntry.objects.create(
            partnership=tenant.partnership,
            year=year,
            posted_on=first,
            kind=LedgerEntry.Kind.EXPENSE,
            amount=Decimal("-5.00"),
            description="Room hire",
        )


def test_the_statement_pages_run_a_constant_number_of_queries(tenant_a, two_years, client_for):
    school = tenant_a.schools[0]
    base = f"/p/{tenant_a.slug}/finance/"
    _, second = two_years
    for user, url in (
        (tenant_a.headteacher, f"{base}statements/{school.pk}/"),
        (tenant_a.headteacher, f"{base}statements/{school.pk}/pdf/"),
        (tenant_a.coordinator, f"{base}statements/"),
        (tenant_a.coordinator, f"{base}summary/"),
        (tenant_a.coordinator, f"{base}{second[0].year_id}/"),
        (tenant_a.headteacher, f"{base}{second[0].year_id}/"),
    ):
        assert_constant_queries(client_for(user), url, grow=lambda: _grow(tenant_a), at_most=20)


def test_a_schools_page_links_its_statement_for_its_own_people_only(tenant_a, client_for):
    school, other = tenant_a.schools
    governor = _head_of(tenant_a, school, Role.GOVERNOR)
    statement = f"/p/{tenant_a.slug}/finance/statements/{school.pk}/"
    assert statement in client_for(governor).get(f"/p/{tenant_a.slug}/members/{school.urn}/").content.decode()
    elsewhere = client_for(governor).get(f"/p/{tenant_a.slug}/members/{other.urn}/").content.decode()
    assert "/finance/statements/" not in elsewhere


def test_the_finance_list_links_the_statements_only_to_those_with_a_school_to_see(tenant_a, client_for):
    chair = _head_of(tenant_a, None, Role.CHAIR)
    url = f"/p/{tenant_a.slug}/finance/"
    assert "Your school's statement" in client_for(tenant_a.headteacher).get(url).content.decode()
    assert "/finance/statements/" not in client_for(chair).get(url).content.decode()
    assert client_for(chair).get(f"{url}statements/").status_code == 403


def test_the_headteachers_statement_pages_write_nothing_on_get(tenant_a, two_years, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.security.test_get_writes_nothing import writes_of

    _, second = two_years
    client = client_for(tenant_a.headteacher)
    base = f"/p/{tenant_a.slug}/finance/"
    school = tenant_a.schools[0]
    request = next(r for r in second if r.school == school)
    for url in (
        "statements/",
        f"statements/{school.pk}/",
        f"statements/{school.pk}/pdf/",
        f"requests/{request.pk}/pdf/",
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{base}{url}").status_code == 200
        assert not writes_of(captured), url


def test_the_constitution_shows_and_changes_whether_the_local_authority_sees_summaries(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    page = client.get(f"/p/{tenant_a.slug}/constitution/").content.decode()
    assert "Finance summaries" in page and "Shared with the local authority" in page
    form = client.get(f"/p/{tenant_a.slug}/constitution/money/change/").content.decode()
    assert "Finance summaries are shared with the local authority" in form
    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(finance_summary_to_local_authority=None)
    page = client.get(f"/p/{tenant_a.slug}/constitution/").content.decode()
    assert "Shared with the local authority" not in page
