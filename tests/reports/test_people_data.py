"""People's data: a subject access export of what the partnership holds about a person, read back as
JSON and through pdftotext, and erasure that removes who they were while the history stays."""

import datetime
import io
import json
import subprocess

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from pypdf import PdfReader

from accounts.audit import AuditAction
from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from meetings.models import ActionPoint, Invitee
from partnerships.models import RoleAssignment
from partnerships.roles import Role
from reports.selectors.people import RETAINED
from schools.models import Person
from tests.factories.accounts import UserFactory, signed_in
from tests.factories.meetings import AgendaItemFactory, InviteeFactory, MeetingFactory
from tests.factories.partnerships import give_role
from tests.factories.schools import PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _url(tenant, person, tail=""):
    return f"/p/{tenant.slug}/reports/people/{person.pk}/{tail}"


@pytest.fixture
def former(tenant_a):
    """The partnership's former headteacher, with a history: an answered meeting with a reason for
    apologies, an action point, a school record under their email and audit rows of their own."""
    with scopes_disabled():
        user = RoleAssignment.objects.get(partnership=tenant_a.partnership, end__isnull=False).user
        meeting = MeetingFactory(
            partnership=tenant_a.partnership, organiser=tenant_a.coordinator, title="Spring partnership meeting"
        )
        InviteeFactory(
            meeting=meeting, user=user, school=tenant_a.schools[1], answer="apologies", apologies_reason="Surgery"
        )
        item = AgendaItemFactory(meeting=meeting, title="Moderation")
        ActionPoint.objects.create(
            meeting=meeting,
            item=item,
            description="Share the writing samples",
            owner=user,
            due=D(2023, 5, 1),
            created_by=tenant_a.coordinator,
        )
        PersonFactory(
            partnership=tenant_a.partnership,
            school=tenant_a.schools[1],
            full_name=user.full_name,
            email=user.email,
            position="headteacher",
        )
        AuditEvent.objects.create(
            partnership=tenant_a.partnership, actor=user, action=AuditAction.MEETING_ANSWERED, summary="Sent apologies"
        )
    return user


def test_the_export_holds_their_records_and_nothing_of_another_partnership(tenant_a, tenant_b, former):
    with scopes_disabled():
        AuditEvent.objects.create(
            partnership=tenant_b.partnership, actor=former, action=AuditAction.MEETING_ANSWERED, summary="Beta secret"
        )
    response = signed_in(tenant_a.coordinator).get(_url(tenant_a, former, "data.json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(response.content)
    sections = data["sections"]
    assert data["person"] == {"name": former.full_name, "email": former.email}
    assert [row["Role"] for row in sections["Roles"]] == ["Headteacher"]
    assert sections["Meeting invitations and answers"][0]["Apologies reason"] == "Surgery"
    assert sections["Action points"][0]["Action"] == "Share the writing samples"
    assert sections["School staff and governor records"][0]["Email"] == former.email
    assert [row["What"] for row in sections["Audit trail: what they did"]] == ["Sent apologies"]
    assert [row["what"] for row in data["kept_unchanged_on_erasure"]] == [what for what, _ in RETAINED]
    assert "Beta secret" not in response.content.decode()


def test_the_pdf_reads_as_a_tagged_document_with_their_records(tenant_a, former, tmp_path):
    response = signed_in(tenant_a.coordinator).get(_url(tenant_a, former, "data.pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == f"Personal data held by {tenant_a.partnership.name}: {former.full_name}"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    path = tmp_path / "data.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Share the writing samples" in text and "Surgery" in text
    assert "Kept unchanged if their details are erased" in text


def test_erasure_removes_who_they_were_and_keeps_the_history(tenant_a, former):
    with scopes_disabled():
        actions_before = ActionPoint.objects.filter(owner=former).count()
    email = former.email
    response = signed_in(tenant_a.coordinator).post(_url(tenant_a, former, "erase/"), {"confirm": "on"})
    assert response.status_code == 302
    former.refresh_from_db()
    assert former.full_name == f"Erased person {former.pk}"
    assert former.email.endswith("@erased.invalid") and not former.is_active and not former.has_usable_password()
    with scopes_disabled():
        assert ActionPoint.objects.filter(owner=former).count() == actions_before == 1
        invitee = Invitee.objects.get(user=former)
        assert invitee.answer == "apologies" and invitee.apologies_reason == "Removed at the person's request"
        assert not Person.objects.filter(email__iexact=email).exists()
        assert Person.objects.filter(full_name=former.full_name).count() == 1
        assert RoleAssignment.objects.filter(user=former).count() == 1  # their role's history stays
        row = AuditEvent.objects.get(action=AuditAction.PERSON_ERASED)
    assert row.actor == tenant_a.coordinator and row.subject_id == former.pk
    assert email not in row.summary
    assert not Client().login(email=email, password="password")
    page = signed_in(tenant_a.coordinator).get(_url(tenant_a, former)).content.decode()
    assert "already been erased" in page


@pytest.mark.parametrize("case", ["current role", "another partnership", "themselves"])
def test_erasure_is_refused_with_the_reason_and_nothing_changes(tenant_a, tenant_b, case):
    person, actor = tenant_a.headteacher, tenant_a.coordinator
    if case == "another partnership":
        with scopes_disabled():
            person = RoleAssignment.objects.get(partnership=tenant_a.partnership, end__isnull=False).user
            give_role(person, tenant_b.partnership, Role.GOVERNOR, tenant_b.schools[0])
    if case == "themselves":
        person = actor
    before = (person.full_name, person.email)
    response = signed_in(actor).post(_url(tenant_a, person, "erase/"), {"confirm": "on"})
    assert response.status_code == 400
    expected = {
        "current role": "still holds a role here: end their roles first",
        "another partnership": "also belongs to another partnership",
        "themselves": "You cannot erase your own details",
    }[case]
    assert expected in response.content.decode()
    person.refresh_from_db()
    assert (person.full_name, person.email) == before and person.is_active


def test_erasing_needs_the_box_ticked(tenant_a, former):
    response = signed_in(tenant_a.coordinator).post(_url(tenant_a, former, "erase/"), {})
    assert response.status_code == 400
    assert response.context["form"].errors["confirm"] == [
        "Confirm that you understand their details are removed for good"
    ]
    former.refresh_from_db()
    assert former.is_active


def test_someone_never_in_the_partnership_is_not_found(tenant_a, tenant_b):
    client = signed_in(tenant_a.coordinator)
    for tail in ("", "data.json", "erase/"):
        assert client.get(_url(tenant_a, tenant_b.headteacher, tail)).status_code == 404
    assert client.get(_url(tenant_a, tenant_a.headteacher, "data.csv")).status_code == 404
    assert client.get(f"/p/{tenant_a.slug}/reports/people/99999999999999/").status_code == 404


def test_the_data_page_runs_a_constant_number_of_queries(tenant_a, former):
    def grow():
        meeting = MeetingFactory(
            partnership=tenant_a.partnership, organiser=tenant_a.coordinator, title="Summer partnership meeting"
        )
        for n in range(30):
            item = AgendaItemFactory(meeting=meeting)
            ActionPoint.objects.create(
                meeting=meeting,
                item=item,
                description=f"Task {n}",
                owner=former,
                due=D(2023, 6, 1),
                created_by=tenant_a.coordinator,
            )
        InviteeFactory(meeting=meeting, user=former, school=tenant_a.schools[1], answer="yes")
        for n in range(30):
            AuditEvent.objects.create(
                partnership=tenant_a.partnership, actor=former, action=AuditAction.MEETING_ANSWERED, summary=f"A{n}"
            )

    client = signed_in(tenant_a.coordinator)
    assert_constant_queries(client, f"/p/{tenant_a.slug}/reports/people/{former.pk}/", grow=grow)
    assert_constant_queries(client, f"/p/{tenant_a.slug}/reports/people/", grow=lambda: _people(tenant_a))


def _people(tenant):
    for n in range(20):
        give_role(UserFactory(full_name=f"Governor {n}"), tenant.partnership, Role.GOVERNOR, tenant.schools[0])


def test_people_page_lists_everyone_with_a_role_here_only(tenant_a, tenant_b):
    body = signed_in(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/reports/people/").content.decode()
    assert tenant_a.headteacher.full_name in body and tenant_b.headteacher.full_name not in body
