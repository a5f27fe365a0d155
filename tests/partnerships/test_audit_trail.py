"""The audit trail page: every row names what it is about, and the coordinator finds one object's,
one person's or one area's rows by date, then downloads exactly those rows."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from accounts.audit import AuditAction
from accounts.models import AuditEvent
from partnerships.roles import Role
from partnerships.services.groups import group_create
from partnerships.services.invitations import invitation_create

pytestmark = pytest.mark.django_db
D = datetime.date


def _row(tenant, *, day, summary, action=AuditAction.GROUP_CHANGED, actor=None):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))
    with scopes_disabled():
        return AuditEvent.objects.create(
            partnership=tenant.partnership,
            actor=actor or tenant.coordinator,
            action=action,
            summary=summary,
            created_at=moment,
        )


def _page(client, tenant, query=""):
    return client.get(f"/p/{tenant.slug}/activity/{query}")


def test_a_service_names_the_object_its_row_is_about(tenant_a):
    with scopes_disabled():
        invitation = _invite(tenant_a)
    with scopes_disabled():
        row = AuditEvent.objects.filter(action=AuditAction.INVITATION_CREATED).latest("pk")
    assert (row.subject_type, row.subject_id) == ("accounts.invitation", invitation.pk)
    assert row.subject_label == str(invitation)


def _invite(tenant_a):
    return invitation_create(
        actor=tenant_a.coordinator,
        partnership=tenant_a.partnership,
        email="chair@alpha.example",
        full_name="Chris Chair",
        role=Role.GOVERNOR,
        school=tenant_a.schools[0],
    )


def test_everything_about_one_object_and_nothing_else(tenant_a, client_for):
    kwargs = {
        "actor": tenant_a.coordinator,
        "partnership": tenant_a.partnership,
        "kind": "standing",
        "chairing": "host_school",
    }
    with scopes_disabled():
        first = group_create(name="Maths network", starts=D(2025, 9, 1), **kwargs)
        group_create(name="Early years", starts=D(2025, 9, 1), **kwargs)
    client = client_for(tenant_a.coordinator)
    response = _page(client, tenant_a, f"?about=partnerships.group:{first.pk}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Everything about Maths network" in body
    assert "Maths network set up" in body and "Early years" not in body
    # A malformed or foreign "about" shows nothing rather than everything.
    for about in ["partnerships.group:abc", "x:1", f"partnerships.group:{first.pk}0000000000000000000"]:
        body = _page(client, tenant_a, f"?about={about}").content.decode()
        assert "No entries match" in body, about


def test_filters_by_person_area_words_and_dates(tenant_a, client_for):
    _row(tenant_a, day=D(2025, 1, 10), summary="Budget for Oakfield set")
    _row(tenant_a, day=D(2025, 3, 5), summary="Budget for Elm set", action=AuditAction.BUDGET_CHANGED)
    _row(
        tenant_a,
        day=D(2025, 3, 6),
        summary="Paper uploaded by the head",
        actor=tenant_a.headteacher,
        action=AuditAction.PAPER_UPLOADED,
    )
    client = client_for(tenant_a.coordinator)

    body = _page(client, tenant_a, "?area=money").content.decode()
    assert "Budget for Elm set" in body and "Budget for Oakfield" not in body and "Paper uploaded" not in body

    body = _page(client, tenant_a, f"?actor={tenant_a.headteacher.pk}").content.decode()
    assert "Paper uploaded by the head" in body and "Budget for" not in body

    body = _page(client, tenant_a, "?since=2025-03-01&until=2025-03-05").content.decode()
    assert "Budget for Elm set" in body and "Paper uploaded" not in body and "Oakfield" not in body

    body = _page(client, tenant_a, "?text=oakfield").content.decode()
    assert "Budget for Oakfield set" in body and "Elm" not in body


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?since=2025-02-30", "since", "The from date must be a real date"),
        ("?since=2025-03-05&until=2025-03-01", "until", "The to date must be the same as or after the from date"),
        ("?actor=999999999999", "actor", "Choose who from the list"),
        ("?area=gossip", "area", "Choose an area of work from the list"),
    ],
)
def test_bad_filters_are_explained_next_to_the_field(tenant_a, client_for, query, field, message):
    response = _page(client_for(tenant_a.coordinator), tenant_a, query)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()


def test_another_partnerships_people_are_not_offered_or_found(tenant_a, tenant_b, client_for):
    _row(tenant_b, day=D(2025, 3, 5), summary="Beta's secret budget", actor=tenant_b.coordinator)
    client = client_for(tenant_a.coordinator)
    response = _page(client, tenant_a, f"?actor={tenant_b.coordinator.pk}")
    assert response.context["form"].errors["actor"] == ["Choose who from the list"]
    assert "Beta's secret budget" not in _page(client, tenant_a).content.decode()


def test_downloads_hold_the_filtered_rows_with_formulas_disarmed(tenant_a, client_for):
    _row(tenant_a, day=D(2025, 3, 5), summary='=HYPERLINK("http://evil") budget', action=AuditAction.BUDGET_CHANGED)
    _row(tenant_a, day=D(2025, 3, 6), summary="Agenda agreed", action=AuditAction.AGENDA_AGREED)
    client = client_for(tenant_a.coordinator)

    response = client.get(f"/p/{tenant_a.slug}/activity/csv/?area=money")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Date", "Time", "Who", "What", "About", "Entry"]
    assert rows[1:] == [
        [
            "2025-03-05",
            "10:30:00",
            tenant_a.coordinator.full_name,
            "Budget changed",
            "",
            '\'=HYPERLINK("http://evil") budget',
        ]
    ]

    response = client.get(f"/p/{tenant_a.slug}/activity/xlsx/?since=2025-03-06")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    entries = [row[5] for row in values]
    assert "Agenda agreed" in entries and not any("HYPERLINK" in (e or "") for e in entries)
    assert all(isinstance(row[0], datetime.datetime) for row in values)  # real dates, not text

    assert client.get(f"/p/{tenant_a.slug}/activity/pdf/").status_code == 404
    # Bad filters send the coordinator back to the page that explains them, with no file.
    response = client.get(f"/p/{tenant_a.slug}/activity/csv/?since=nonsense")
    assert response.status_code == 302 and response.url.endswith("/activity/?since=nonsense")


def test_headteachers_do_not_see_the_trail(tenant_a, client_for):
    client = client_for(tenant_a.headteacher)
    assert _page(client, tenant_a).status_code == 403
    assert client.get(f"/p/{tenant_a.slug}/activity/csv/").status_code == 403


def test_the_whole_trail_downloads_without_filters(tenant_a, client_for):
    _row(tenant_a, day=D(2025, 3, 5), summary="Budget for Elm set", action=AuditAction.BUDGET_CHANGED)
    response = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/activity/csv/")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "Budget for Elm set" in [row[5] for row in rows]
    assert "invited invitee@alpha-partnership.example" in " ".join(row[5] for row in rows)
