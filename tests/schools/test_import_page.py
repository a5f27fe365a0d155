"""The coordinator's GIAS import page: errors listed per row next to the file field, optional joining."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from partnerships.models import Membership
from schools.models import School
from tests.factories.schools import csv_bytes, gias_row

pytestmark = pytest.mark.django_db

HOM = Path(__file__).resolve().parent.parent / "fixtures" / "gias" / "heart_of_manchester.csv"


def upload(data: bytes, name="gias.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def post(client, tenant, **data):
    return client.post(f"/p/{tenant.slug}/members/import/", data)


def test_the_coordinator_imports_the_register_and_adds_the_schools_as_members(tenant_a, client_for):
    client = client_for(tenant_a.coordinator)
    page = client.get(f"/p/{tenant_a.slug}/members/import/")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    response = post(
        client,
        tenant_a,
        file=upload(HOM.read_bytes()),
        add_as_members="on",
        joined="2027-01-04",
        approval_reference="Strategic group, 1 July 2026, minute 4",
    )
    assert response.status_code == 302
    with scopes_disabled():
        joined = Membership.objects.filter(partnership=tenant_a.partnership, school__urn__gte=990201)
        assert joined.count() == 8
        assert {m.joined for m in joined} == {datetime.date(2027, 1, 4)}
    directory = client.get(response["Location"])
    body = directory.content.decode()
    assert "Imported 8 schools: 8 created, 0 updated, 0 unchanged; 8 added as members, 0 already members" in body
    assert "Rolls Crescent Primary School" in body and "Joining on 4 January 2027" in body


def test_importing_without_joining_only_updates_the_register(tenant_a, client_for):
    response = post(client_for(tenant_a.coordinator), tenant_a, file=upload(HOM.read_bytes()), joined="2026-09-01")
    assert response.status_code == 302
    assert School.objects.filter(urn__gte=990201).count() == 8
    with scopes_disabled():
        assert Membership.objects.filter(partnership=tenant_a.partnership).count() == 2


def test_every_bad_row_is_listed_in_the_error_summary_and_next_to_the_file_field(tenant_a, client_for):
    data = csv_bytes([gias_row(111111, "Good"), gias_row("abc", "Bad"), gias_row(111111, "Again")])
    response = post(client_for(tenant_a.coordinator), tenant_a, file=upload(data))
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: Import schools from GIAS" in body
    summary = body[body.index("govuk-error-summary") : body.index("</h1>")]
    for text in (
        "Nothing was imported: 2 rows of the file have problems",
        "Line 3: the URN",
        "Line 4: the URN 111111 is also on line 2",
    ):
        assert text in summary, text
        assert body.count(text) == 2  # once in the summary, once next to the field
    assert 'href="#id_file"' in summary and 'id="id_file-error"' in body
    assert not School.objects.filter(urn=111111).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "file", "Choose a CSV file to import"),
        ({"file": upload(b"", "empty.csv")}, "file", "The file is empty"),
        ({"file": upload(b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png")}, "file", "binary data"),
        ({"file": upload("URN\r\n".encode("utf-16"))}, "file", "UTF-16"),
        ({"file": upload(csv_bytes([gias_row(222222, "Oak")])), "add_as_members": "on"}, "joined", "Enter the date"),
        (
            {"file": upload(csv_bytes([gias_row(222222, "Oak")])), "add_as_members": "on", "joined": "2026-02-30"},
            "joined",
            "must be a real date",
        ),
        (
            {"file": upload(csv_bytes([gias_row(222222, "Oak")])), "add_as_members": "on", "joined": "1900-01-01"},
            "joined",
            "2000 or later",
        ),
        (
            {"file": upload(csv_bytes([gias_row(222222, "Oak")])), "approval_reference": "x" * 201},
            "approval_reference",
            "200 characters or fewer",
        ),
    ],
)
def test_bad_uploads_are_refused_next_to_the_field(tenant_a, client_for, data, field, message):
    response = post(client_for(tenant_a.coordinator), tenant_a, **data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert not School.objects.filter(urn=222222).exists()


def test_only_coordinators_import(tenant_a, client_for):
    response = post(client_for(tenant_a.headteacher), tenant_a, file=upload(HOM.read_bytes()))
    assert response.status_code == 403
    assert not School.objects.filter(urn__gte=990201).exists()


def test_a_missing_join_date_and_bad_rows_are_reported_together(tenant_a, client_for):
    data = csv_bytes([gias_row(111111, "Good"), gias_row("abc", "Bad")])
    response = post(client_for(tenant_a.coordinator), tenant_a, file=upload(data), add_as_members="on")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["joined"] == ["Enter the date the schools join the partnership"]
    assert "Line 3: the URN \u201cabc\u201d is not a number" in errors["file"]
    assert not School.objects.filter(urn=111111).exists()
