import datetime

import pytest
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from partnerships.models import LeavingNotice, Membership
from partnerships.roles import Role
from schools.models import School
from tests.factories.accounts import UserFactory
from tests.factories.partnerships import PDF, give_role, make_terms, unset_rules, upload
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def url(tenant, path=""):
    return f"/p/{tenant.slug}/membership/{path}"


def membership_of(tenant, index=0) -> Membership:
    with scopes_disabled():
        return Membership.objects.get(partnership=tenant.partnership, school=tenant.schools[index])


def snapshot():
    with scopes_disabled():
        return (
            list(Membership.objects.order_by("pk").values_list("pk", "left", "withdrawal_notes")),
            LeavingNotice.objects.count(),
            AuditEvent.objects.count(),
        )


def assert_refused(response, field, message):
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    body = response.content.decode()
    assert "There is a problem" in body and "<title>Error: " in body
    if field != "__all__":
        assert f'href="#id_{field}"' in body


# --- The membership list and a membership's page -------------------------------------------------------


def test_every_role_sees_the_members_with_their_status(tenant_a, client_for, today):
    with scopes_disabled():
        Membership.objects.filter(pk=membership_of(tenant_a, 1).pk).update(left=today + datetime.timedelta(days=30))
    observer = UserFactory()
    give_role(observer, tenant_a.partnership, Role.LA_OBSERVER)
    body = client_for(observer).get(url(tenant_a)).content.decode()
    assert tenant_a.schools[0].name in body and tenant_a.schools[1].name in body
    assert ">Active<" in body
    assert f"Leaving on {today + datetime.timedelta(days=30):%-d %B %Y}" in body
    assert "Add a member school" not in body  # observers cannot manage members


def test_the_list_filters_by_status_and_ignores_odd_filters(tenant_a, client_for, today):
    with scopes_disabled():
        Membership.objects.filter(pk=membership_of(tenant_a, 1).pk).update(left=today - datetime.timedelta(days=1))
    client = client_for(tenant_a.coordinator)
    current = client.get(url(tenant_a)).content.decode()
    former = client.get(url(tenant_a, "?status=left")).content.decode()
    assert tenant_a.schools[1].name not in current and tenant_a.schools[1].name in former
    assert tenant_a.schools[0].name in current and tenant_a.schools[0].name not in former
    for odd in ("?status=<script>", "?status=left&page=abc", "?page=99999", "?status=" + "x" * 5000):
        assert client.get(url(tenant_a, odd)).status_code == 200


def test_a_membership_page_shows_joining_approval_and_status(tenant_a, client_for):
    membership = membership_of(tenant_a)
    with scopes_disabled():
        Membership.objects.filter(pk=membership.pk).update(
            approved_on=D(2020, 7, 1), approval_reference="Strategic group 1 July 2020, minute 3"
        )
    body = client_for(tenant_a.headteacher).get(url(tenant_a, f"{membership.pk}/")).content.decode()
    assert "1 September 2020" in body and "Strategic group 1 July 2020, minute 3" in body
    assert "Active" in body and "Record a notice to leave" not in body  # headteachers only read


# --- Joining -------------------------------------------------------------------------------------------


def join_data(for_school, **overrides):
    data = {
        "school": str(for_school.urn),
        "joined": "2025-04-01",
        "approved_on": "2025-03-12",
        "approval_reference": "Strategic group 12 March 2025, minute 4",
    }
    data.update(overrides)
    return data


def test_the_coordinator_finds_a_school_on_the_register_and_adds_it(tenant_a, client_for):
    school = SchoolFactory(name="Ladysmith Junior School", town="Exeter", postcode="EX1 2PU")
    client = client_for(tenant_a.coordinator)
    found = client.get(url(tenant_a, "join/?q=ladysmith")).content.decode()
    assert "Ladysmith Junior School" in found and f"school={school.urn}" in found
    assert tenant_a.schools[0].name not in client.get(url(tenant_a, "join/?q=School 0")).content.decode()
    chosen = client.get(url(tenant_a, f"join/?school={school.urn}")).content.decode()
    assert f'value="{school.urn}"' in chosen and "You chose <strong>Ladysmith Junior School</strong>" in chosen
    response = client.post(url(tenant_a, "join/"), join_data(school))
    with scopes_disabled():
        membership = Membership.objects.get(partnership=tenant_a.partnership, school=school)
    assert response.status_code == 302 and response["Location"] == url(tenant_a, f"{membership.pk}/")
    assert membership.approval_reference == "Strategic group 12 March 2025, minute 4"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"school": ""}, "school", "Enter the URN of the school"),
        ({"school": "abc"}, "school", "Enter the school's URN"),
        ({"school": "-5"}, "school", "Enter the school's URN"),
        ({"school": "999999999"}, "school", "No school with URN 999999999 is on the register"),
        ({"school": "9" * 40}, "school", "Enter the URN of the school: at most 12 characters"),
        ({"joined": "2025-03-11"}, "joined", "cannot join before the strategic group approved it"),
        ({"joined": "2025-02-30"}, "joined", "must be a real date"),
        ({"approved_on": "2999-01-01", "joined": "2999-02-01"}, "approved_on", "cannot be in the future"),
        ({"approved_on": "yesterday"}, "approved_on", "must be a real date"),
        ({"approval_reference": ""}, "approval_reference", "Enter where the decision is recorded"),
        ({"approval_reference": "x" * 10000}, "approval_reference", "200 characters or fewer"),
    ],
)
def test_bad_joins_are_refused_next_to_the_field_and_change_nothing(tenant_a, client_for, overrides, field, message):
    school = SchoolFactory()
    before = snapshot()
    response = client_for(tenant_a.coordinator).post(url(tenant_a, "join/"), join_data(school, **overrides))
    assert_refused(response, field, message)
    assert snapshot() == before


def test_a_current_member_cannot_be_added_again(tenant_a, client_for):
    before = snapshot()
    response = client_for(tenant_a.coordinator).post(url(tenant_a, "join/"), join_data(tenant_a.schools[0]))
    assert_refused(response, "school", "is already a member")
    assert snapshot() == before


def test_odd_search_input_does_not_break_the_join_page(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    for query in ("%", "' OR 1=1 --", "9" * 30, "x" * 5000, "<script>"):
        response = client.get(url(tenant_a, "join/"), {"q": query, "school": "12x"})
        assert response.status_code == 200
    # A NUL character is refused for the whole site (PostgreSQL cannot search for one).
    assert client.get(url(tenant_a, "join/"), {"q": "\x00"}).status_code == 400


# --- Notice to leave -----------------------------------------------------------------------------------


def notice_data(**overrides):
    data = {
        "received_on": "2025-10-01",
        "method": "letter",
        "given_by": "Sam Patel, headteacher",
        "letter": upload(),
        "notes": "Moving to a multi-academy trust",
    }
    data.update(overrides)
    return data


def test_the_coordinator_records_a_notice_and_sees_the_leaving_date_and_the_refund_rule(tenant_a, client_for):
    with scopes_disabled():
        make_terms(tenant_a.partnership)
    membership = membership_of(tenant_a)
    client = client_for(tenant_a.coordinator)
    form = client.get(url(tenant_a, f"{membership.pk}/notice/")).content.decode()
    assert 'enctype="multipart/form-data"' in form
    assert "One term&#x27;s written notice: a school leaves at the end of the term after the term" in form
    response = client.post(url(tenant_a, f"{membership.pk}/notice/"), notice_data())
    with scopes_disabled():
        notice = LeavingNotice.objects.get(membership=membership)
        membership.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == url(tenant_a, f"notices/{notice.pk}/")
    assert membership.left == notice.leaving_on == D(2026, 3, 27)
    page = client.get(response["Location"]).content.decode()
    assert "27 March 2026" in page
    assert "The notice arrived during the autumn term 2025/26. With one term&#x27;s notice" in page
    assert "at the end of the spring term 2025/26" in page
    assert f"{tenant_a.partnership.name} does not refund contributions" in page
    download = client.get(url(tenant_a, f"notices/{notice.pk}/letter/"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert client.get(url(tenant_a, f"{membership.pk}/")).content.decode().count("27 March 2026") >= 2


def test_headteachers_read_the_notice_but_cannot_download_the_letter(tenant_a, client_for):
    with scopes_disabled():
        make_terms(tenant_a.partnership)
    membership = membership_of(tenant_a)
    client_for(tenant_a.coordinator).post(url(tenant_a, f"{membership.pk}/notice/"), notice_data())
    with scopes_disabled():
        notice = LeavingNotice.objects.get(membership=membership)
    head = client_for(tenant_a.headteacher)
    page = head.get(url(tenant_a, f"notices/{notice.pk}/")).content.decode()
    assert "Kept by the coordinator" in page and "Download the letter" not in page
    assert head.get(url(tenant_a, f"notices/{notice.pk}/letter/")).status_code == 403
    assert head.post(url(tenant_a, f"{membership.pk}/notice/"), notice_data()).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"received_on": "2999-01-01"}, "received_on", "cannot be in the future"),
        ({"received_on": "2019-01-01"}, "received_on", "before School"),
        ({"received_on": "2025-13-01"}, "received_on", "must be a real date"),
        ({"received_on": ""}, "received_on", "Enter the date the notice was received"),
        ({"given_by": ""}, "given_by", "Enter who the notice is from"),
        ({"given_by": "x" * 100000}, "given_by", "150 characters or fewer"),
        ({"notes": "x" * 6000}, "notes", "5000 characters or fewer"),
        ({"letter": ""}, "letter", "Select the signed letter to attach. If the notice came by email, choose email"),
        ({"method": ""}, "method", "Select how the notice was given: by letter or by email"),
        ({"method": "fax"}, "method", "how the notice was given"),
        ({"letter": upload("letter.exe", b"MZ")}, "letter", "must be a PDF"),
        ({"letter": upload("letter.svg", b"<svg onload=alert(1)>")}, "letter", "must be a PDF"),
        ({"letter": upload("letter.pdf", b"<html>hello</html>")}, "letter", "is not a PDF file"),
        ({"letter": upload("letter.pdf", b"")}, "letter", "The file is empty"),
        ({"letter": upload("letter.pdf", PDF + b"0" * (10 * 1024 * 1024))}, "letter", "smaller than 10 MB"),
    ],
)
def test_bad_notices_are_refused_next_to_the_field_and_change_nothing(tenant_a, client_for, overrides, field, message):
    membership = membership_of(tenant_a)
    before = snapshot()
    response = client_for(tenant_a.coordinator).post(
        url(tenant_a, f"{membership.pk}/notice/"), notice_data(**overrides)
    )
    assert_refused(response, field, message)
    assert snapshot() == before


def test_a_notice_for_a_school_that_has_left_is_refused(tenant_a, client_for, today):
    membership = membership_of(tenant_a)
    with scopes_disabled():
        Membership.objects.filter(pk=membership.pk).update(left=D(2025, 12, 31))
    client = client_for(tenant_a.coordinator)
    assert (
        "left the partnership on 31 December 2025"
        in client.get(url(tenant_a, f"{membership.pk}/notice/")).content.decode()
    )
    before = snapshot()
    response = client.post(url(tenant_a, f"{membership.pk}/notice/"), notice_data())
    assert_refused(response, "__all__", "already left the partnership on 31 December 2025")
    assert snapshot() == before


def test_a_second_notice_is_refused(tenant_a, client_for):
    with scopes_disabled():
        make_terms(tenant_a.partnership)
    membership = membership_of(tenant_a)
    client = client_for(tenant_a.coordinator)
    client.post(url(tenant_a, f"{membership.pk}/notice/"), notice_data())
    before = snapshot()
    response = client.post(url(tenant_a, f"{membership.pk}/notice/"), notice_data(received_on="2025-11-01"))
    assert_refused(response, "__all__", "already gave notice, received on 1 October 2025")
    assert snapshot() == before


def test_unknown_ids_are_404_not_500(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    for path in ("999999/", "999999/notice/", "999999/notes/", "notices/999999/", "notices/999999/letter/"):
        assert client.get(url(tenant_a, path)).status_code == 404
        assert client.post(url(tenant_a, path), {}).status_code == 404


def test_a_notice_without_a_letter_has_nothing_to_download(tenant_a, client_for):
    from django.utils import timezone

    membership = membership_of(tenant_a)
    with scopes_disabled():
        notice = LeavingNotice.objects.create(
            partnership=tenant_a.partnership,
            membership=membership,
            received_on=D(2025, 10, 1),
            given_by="Head",
            leaving_on=D(2026, 3, 27),
            recorded_by=tenant_a.coordinator,
            recorded_at=timezone.now(),
        )
    client = client_for(tenant_a.coordinator)
    assert "Not attached" in client.get(url(tenant_a, f"notices/{notice.pk}/")).content.decode()
    assert client.get(url(tenant_a, f"notices/{notice.pk}/letter/")).status_code == 404


# --- Withdrawal notes ----------------------------------------------------------------------------------


def test_the_coordinator_keeps_withdrawal_notes(tenant_a, client_for):
    membership = membership_of(tenant_a)
    client = client_for(tenant_a.coordinator)
    response = client.post(url(tenant_a, f"{membership.pk}/notes/"), {"withdrawal_notes": "Chair met the head."})
    assert response.status_code == 302
    assert "Chair met the head." in client.get(url(tenant_a, f"{membership.pk}/")).content.decode()
    before = snapshot()
    assert_refused(
        client.post(url(tenant_a, f"{membership.pk}/notes/"), {"withdrawal_notes": "x" * 6000}),
        "withdrawal_notes",
        "5000 characters or fewer",
    )
    assert snapshot() == before


# --- Query budgets -------------------------------------------------------------------------------------


def _grow(tenant, schools=200):
    """A 200-school partnership: a quarter have given notice, some have left, each notice with a letter."""
    created = School.objects.bulk_create(
        School(urn=700000 + i, name=f"Big School {i:03}", phase="primary") for i in range(schools)
    )
    memberships = Membership.objects.bulk_create(
        Membership(
            partnership=tenant.partnership,
            school=s,
            joined="2020-09-01",
            approved_on="2020-07-01",
            approval_reference=f"Minute {i}",
            left=D(2024, 3, 27) if i % 4 == 0 else None,
        )
        for i, s in enumerate(created)
    )
    LeavingNotice.objects.bulk_create(
        LeavingNotice(
            partnership=tenant.partnership,
            membership=m,
            received_on=D(2023, 10, 1),
            given_by="Head",
            leaving_on=D(2024, 3, 27),
            letter="partnerships/x/letter.pdf",
            recorded_by=tenant.coordinator,
        )
        for m in memberships
        if m.left
    )


@pytest.fixture
def noticed(tenant_a):
    """A membership with a notice, so the notice and membership pages have one to show."""
    with scopes_disabled():
        make_terms(tenant_a.partnership)
        membership = Membership.objects.get(partnership=tenant_a.partnership, school=tenant_a.schools[0])
        notice = LeavingNotice.objects.create(
            partnership=tenant_a.partnership,
            membership=membership,
            received_on=D(2023, 10, 2),
            given_by="Head",
            leaving_on=D(2024, 3, 27),
            recorded_by=tenant_a.coordinator,
        )
        Membership.objects.filter(pk=membership.pk).update(left=notice.leaving_on)
    return membership, notice


# Budgets: session and user (2), tenant: partnership, roles and so permissions (1) = 4; then the page's own
# reads: the list counts by status, counts the page and reads it (3); the join search reads the schools (1);
# a membership is read with its notices (2); the notice form adds the constitution (3); the notice page reads
# the notice, the constitution and the term dates (3).
@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("", 7),
        ("?status=all", 7),
        ("?status=left", 7),
        ("join/?q=Big", 5),
        ("{membership}/", 6),
        ("{membership}/notice/", 7),
        ("notices/{notice}/", 7),
    ],
)
def test_membership_pages_run_a_constant_number_of_queries(tenant_a, client_for, noticed, path, budget):
    membership, notice = noticed
    path = path.format(membership=membership.pk, notice=notice.pk)
    client = client_for(tenant_a.coordinator)
    assert_constant_queries(client, url(tenant_a, path), grow=lambda: _grow(tenant_a), at_most=budget)


def test_with_no_notice_rule_the_form_asks_for_the_agreed_leaving_date_and_says_why(tenant_a, client_for):
    with scopes_disabled():
        make_terms(tenant_a.partnership)
    unset_rules(tenant_a.partnership, "leaving_notice_terms")
    membership = membership_of(tenant_a)
    client = client_for(tenant_a.coordinator)
    form = client.get(url(tenant_a, f"{membership.pk}/notice/")).content.decode()
    assert "The agreement sets no notice period" in form and 'id="id_leaving_on' in form
    assert "worked out from" not in form
    response = client.post(url(tenant_a, f"{membership.pk}/notice/"), notice_data(leaving_on="2025-12-19"))
    assert response.status_code == 302
    with scopes_disabled():
        membership.refresh_from_db()
    assert membership.left == D(2025, 12, 19)
    page = client.get(response["Location"]).content.decode()
    assert "The agreement sets no notice period" in page and "With one term" not in page


def test_with_a_notice_rule_the_form_does_not_ask_for_a_leaving_date(tenant_a, client_for):
    membership = membership_of(tenant_a)
    form = client_for(tenant_a.coordinator).get(url(tenant_a, f"{membership.pk}/notice/")).content.decode()
    assert 'id="id_leaving_on' not in form
