"""The read API (reports.api) answers as its OpenAPI description says: the description validates
(openapi-spec-validator) and schemathesis sends generated requests to every documented endpoint and
checks each answer against it; members are the current members with their shared fields only, meetings
and approved minutes as the reader may see them; lists are paged with a fixed number of queries; a
malformed query is a 422 in JSON and changes nothing. Tenancy, tokens and roles:
tests/security/test_api_isolation.py."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from meetings.models import Minutes
from partnerships.roles import Role
from reports.models import ApiToken
from reports.models.tokens import token_hash
from schools.models import Person
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory
from tests.factories.partnerships import MembershipFactory, give_role, member_school_with_head
from tests.factories.schools import PersonFactory

SECRET = "schemathesis-token"  # noqa: S105 (a test's own token)
PATHS = {
    "/api/v1/p/{partnership_slug}/members",
    "/api/v1/p/{partnership_slug}/meetings",
    "/api/v1/p/{partnership_slug}/meetings/{meeting_id}",
    "/api/v1/p/{partnership_slug}/meetings/{meeting_id}/minutes",
}


def _token_client(user, partnership, secret: str = SECRET) -> Client:
    ApiToken.objects.create(
        partnership=partnership, user=user, name="Test", prefix=secret[:8], token_hash=token_hash(secret)
    )
    return Client(headers={"authorization": f"Bearer {secret}"})


def _minuted(tenant, *, title="Autumn meeting", days_ago=30, confidential_notes="Head's pay"):
    """A past meeting whose minutes are approved: an open item with a decision, a confidential one."""
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    meeting = MeetingFactory(
        partnership=tenant.partnership,
        title=title,
        organiser=tenant.coordinator,
        starts=starts,
        ends=starts + datetime.timedelta(hours=1),
    )
    budget = AgendaItemFactory(meeting=meeting, title="Budget", notes="Discussed the budget")
    budget.decisions.create(text="Agreed the budget", recorded_by=tenant.coordinator)
    AgendaItemFactory(meeting=meeting, title="Staffing", notes=confidential_notes, confidential=True)
    Minutes.objects.create(
        meeting=meeting,
        status=Minutes.Status.APPROVED,
        circulated_at=timezone.now(),
        approved_at=timezone.now(),
        approved_at_meeting=meeting,
    )
    return meeting


def test_the_openapi_description_validates_and_documents_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert set(schema["paths"]) == PATHS
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"} | {
        k: v for k, v in schema["components"]["securitySchemes"]["TokenAuth"].items() if k not in ("type", "scheme")
    }
    for path in schema["paths"].values():
        for operation in path.values():
            expected = {"200", "401", "403", "404"} | ({"422"} if operation.get("parameters", []) else set())
            if any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "422" in operation["responses"], operation["operationId"]
            assert expected - {"422"} <= set(operation["responses"]), operation["operationId"]


@pytest.fixture
def _keep_the_test_connection():
    """Each WSGI request would close the database connection when it ends (as in production), and with
    it the test's transaction; Django's own test client stops that in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_the_test_connection")
def test_every_documented_endpoint_answers_as_documented(tenant_a):
    """schemathesis generates requests for each operation from the description (the tenant's own
    slug for half of them, so real answers are checked as well as 404s) and checks every answer's
    status, content type and body against it."""
    with scopes_disabled():
        _token_client(tenant_a.coordinator, tenant_a.partnership)
        _minuted(tenant_a)
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == len(PATHS)
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def answers_as_documented(case):
            if "partnership_slug" in (case.path_parameters or {}) and case.path_parameters["partnership_slug"] < "m":
                case.path_parameters["partnership_slug"] = tenant_a.slug
            case.call_and_validate(
                headers={"Authorization": f"Bearer {SECRET}"},
                excluded_checks=[schemathesis.checks.positive_data_acceptance],
            )

        answers_as_documented()


@pytest.mark.django_db
def test_members_are_the_current_members_with_their_shared_fields_only(tenant_a):
    with scopes_disabled():
        school = tenant_a.schools[0]
        PersonFactory(partnership=tenant_a.partnership, school=school, full_name="Hana Head", position="headteacher")
        PersonFactory(partnership=tenant_a.partnership, school=school, full_name="Dee Deputy", position="deputy_head")
        client = _token_client(tenant_a.headteacher, tenant_a.partnership)
        left = MembershipFactory(
            partnership=tenant_a.partnership, joined=datetime.date(2010, 9, 1), left=datetime.date(2020, 8, 31)
        )
    answer = client.get(f"/api/v1/p/{tenant_a.slug}/members").json()
    assert answer["count"] == 2  # the tenant's two members; not the school that has left
    assert left.school.urn not in [m["urn"] for m in answer["items"]]
    (member,) = [m for m in answer["items"] if m["urn"] == school.urn]
    assert member["urn"] == school.urn and member["name"] == school.name
    assert [h["name"] for h in member["headteachers"]] == ["Hana Head"]  # a head's name and work email only
    assert set(member) == {
        "urn",
        "name",
        "phase",
        "local_authority",
        "street",
        "town",
        "postcode",
        "joined",
        "headteachers",
    }


@pytest.mark.django_db
def test_lists_are_paged_with_a_fixed_number_of_queries(tenant_a, django_assert_max_num_queries):
    with scopes_disabled():
        client = _token_client(tenant_a.coordinator, tenant_a.partnership)
        _minuted(tenant_a, title="The first")  # so the small fixture's page fetches minutes too

    def more_members():
        for _ in range(30):
            school, _ = member_school_with_head(tenant_a.partnership, joined=datetime.date(2010, 9, 1))
            PersonFactory(partnership=tenant_a.partnership, school=school, position=Person.Position.HEADTEACHER)

    def more_meetings():
        for n in range(30):
            _minuted(tenant_a, title=f"Meeting {n}", days_ago=n + 1)

    members = f"/api/v1/p/{tenant_a.slug}/members?limit=100"
    meetings = f"/api/v1/p/{tenant_a.slug}/meetings?limit=100"
    assert_constant_queries(client, members, grow=more_members, at_most=12)
    assert_constant_queries(client, meetings, grow=more_meetings, at_most=12)
    with django_assert_max_num_queries(12):
        page = client.get(f"/api/v1/p/{tenant_a.slug}/members?limit=10&offset=10").json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (32, 10, 10, 10)
    names = [m["name"] for m in client.get(f"/api/v1/p/{tenant_a.slug}/members?limit=100").json()["items"]]
    assert names == sorted(names) and page["items"][0]["name"] == names[10]


@pytest.mark.django_db
def test_meetings_and_approved_minutes_as_the_reader_may_see_them(tenant_a):
    with scopes_disabled():
        minuted = _minuted(tenant_a)
        draft = MeetingFactory(partnership=tenant_a.partnership, title="Spring meeting", organiser=tenant_a.coordinator)
        Minutes.objects.create(meeting=draft)
        reader = UserFactory()  # the head of another school, not invited to the meeting
        give_role(reader, tenant_a.partnership, Role.HEADTEACHER, tenant_a.schools[1])
        coordinator = _token_client(tenant_a.coordinator, tenant_a.partnership)
        head = _token_client(reader, tenant_a.partnership, secret="another-school")
    base = f"/api/v1/p/{tenant_a.slug}"
    listed = coordinator.get(f"{base}/meetings").json()
    assert [(m["title"], m["minutes_approved"]) for m in listed["items"]] == [
        ("Spring meeting", False),
        ("Autumn meeting", True),
    ]
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert [m["title"] for m in coordinator.get(f"{base}/meetings?since={since}").json()["items"]] == ["Spring meeting"]
    one = coordinator.get(f"{base}/meetings/{minuted.pk}").json()
    assert one["title"] == "Autumn meeting" and one["venue"] == "The Hall, 1 School Lane"

    full = coordinator.get(f"{base}/meetings/{minuted.pk}/minutes").json()
    assert [(i["title"], i["withheld"], i["notes"], i["decisions"]) for i in full["items"]] == [
        ("Budget", False, "Discussed the budget", ["Agreed the budget"]),
        ("Staffing", False, "Head's pay", []),
    ]
    seen = head.get(f"{base}/meetings/{minuted.pk}/minutes").json()
    assert [(i["title"], i["withheld"], i["notes"]) for i in seen["items"]] == [
        ("Budget", False, "Discussed the budget"),
        ("Staffing", True, None),  # a confidential item's notes only for those entitled
    ]
    not_yet = coordinator.get(f"{base}/meetings/{draft.pk}/minutes")
    assert not_yet.status_code == 404 and not_yet.json() == {"detail": "These minutes are not approved yet"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("members?limit=abc", 422),
        ("members?limit=0", 422),
        ("members?limit=101", 422),
        ("members?offset=-1", 422),
        ("members?offset=169505565634859270144", 422),
        ("meetings?since=2026-13-01", 422),
        ("meetings?since=yesterday", 422),
        ("meetings/99999999999", 404),
        ("meetings/abc", 404),
    ],
)
def test_a_malformed_query_is_answered_in_json_and_changes_nothing(tenant_a, query, status):
    with scopes_disabled():
        client = _token_client(tenant_a.coordinator, tenant_a.partnership)
        audit = AuditEvent.objects.count()
    response = client.get(f"/api/v1/p/{tenant_a.slug}/{query}")
    assert response.status_code == status
    if status == 422:
        assert response.json()["detail"] == "The query is not valid" and response.json()["errors"]
    with scopes_disabled():
        assert AuditEvent.objects.count() == audit
