"""Agreement versions: drafting from a template, editing with the safe markup, the term, who signs,
publishing, renewing, the differences between versions, the migration of the old dates, and the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from core.testing import assert_constant_queries
from partnerships.agreement_text import agreement_text_html, agreement_text_problems
from partnerships.models import AgreementMember, AgreementSection, AgreementVersion, Membership, SignatureBlock
from partnerships.selectors.agreements import agreement_on, agreement_versions_diff
from partnerships.services.agreements import (
    agreement_draft_create,
    agreement_publish,
    agreement_renew,
    agreement_section_update,
    agreement_signatories_set,
    agreement_term_set,
)
from schools.models import School

D = datetime.date
K = AgreementSection.Key


EXETER_STARTS, EXETER_ENDS = D(2009, 4, 1), D(2011, 4, 30)


def _draft(tenant, template="learning_community", starts=EXETER_STARTS, ends=EXETER_ENDS):
    return agreement_draft_create(
        actor=tenant.coordinator, partnership=tenant.partnership, template=template, starts=starts, ends=ends
    )


# --- The safe markup -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('<img src="file:///etc/passwd">', "Remove the HTML <img>"),
        ("<b>bold</b>", "Remove the HTML <b>"),
        ("<style>p { color: red }</style>", "Remove the HTML <style>"),
        ("p { background: url(http://169.254.169.254/latest) }", 'Remove "url("'),
        ('@import "http://169.254.169.254/x.css";', 'Remove "@import"'),
        ("Click javascript:alert(1)", 'Remove the "javascript:" address'),
        ("data:text/html;base64,PHNjcmlwdD4=", 'Remove the "data:" address'),
        ("See file:///etc/passwd", 'Remove the "file:" address'),
    ],
)
def test_markup_outside_the_safe_markup_is_refused_with_what_to_remove(text, says):
    problems = agreement_text_problems(text)
    assert problems and says in problems[0]


@pytest.mark.parametrize("text", ["Pupil data: never stored", "If a < b and 3 > 2", "£2 per pupil & more", ""])
def test_ordinary_prose_is_accepted(text):
    assert agreement_text_problems(text) == []


def test_the_markup_renders_escaped_paragraphs_lists_and_bold():
    html = agreement_text_html("Each school **agrees**:\n\n- to attend & take part\n- to share\n\nA < B")
    assert html == (
        "<p>Each school <strong>agrees</strong>:</p>\n<ul><li>to attend &amp; take part</li><li>to share</li></ul>\n"
        "<p>A &lt; B</p>"
    )


# --- Services ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_draft_from_a_template_has_every_heading_and_its_signatories(tenant_a):
    with scope(partnership=tenant_a.partnership):
        exeter = _draft(tenant_a)
        assert exeter.number == 1 and exeter.status == AgreementVersion.Status.DRAFT
        assert [s.key for s in exeter.sections.all()] == list(K.values)
        assert [b.kind for b in exeter.signature_blocks.all()] == ["chair_of_governors", "headteacher"]
        agreement_publish(actor=tenant_a.coordinator, version=exeter)
        manchester = agreement_renew(actor=tenant_a.coordinator, version=exeter)
        agreement_publish(actor=tenant_a.coordinator, version=manchester)
        kent = agreement_draft_create(
            actor=tenant_a.coordinator,
            partnership=tenant_a.partnership,
            template="pep_headteacher",
            starts=D(2026, 9, 1),
            ends=None,
        )
        assert [b.label for b in kent.signature_blocks.all()] == [
            "For the partnership",
            "For the local authority's division",
            "The PEP headteacher",
        ]
        with pytest.raises(ValidationError, match="already being drafted"):
            _draft(tenant_a, template="schools_partnership")


@pytest.mark.django_db
def test_heart_of_manchester_is_signed_by_the_head_the_chair_of_governors_and_the_partnership_chair(tenant_a):
    with scope(partnership=tenant_a.partnership):
        version = _draft(tenant_a, template="schools_partnership")
        assert [b.kind for b in version.signature_blocks.all()] == [
            "headteacher",
            "chair_of_governors",
            "partnership_chair",
        ]
        assert [b.per_school for b in version.signature_blocks.all()] == [True, True, False]


@pytest.mark.django_db
def test_publishing_snapshots_todays_members_and_supersedes_the_version_before(tenant_a):
    with scope(partnership=tenant_a.partnership):
        first = _draft(tenant_a)
        agreement_publish(actor=tenant_a.coordinator, version=first)
        renewal = agreement_renew(actor=tenant_a.coordinator, version=first)
        assert (renewal.number, renewal.starts, renewal.ends) == (2, D(2011, 5, 1), D(2013, 5, 31))
        assert renewal.sections.count() == 10 and renewal.signature_blocks.count() == 2
        with scopes_disabled():
            newcomer = School.objects.create(urn=999001, name="Newcomer Primary", phase="primary")
            Membership.objects.create(partnership=tenant_a.partnership, school=newcomer, joined=D(2020, 1, 1))
        agreement_term_set(actor=tenant_a.coordinator, version=renewal, starts=D(2025, 9, 1), ends=D(2028, 8, 31))
        agreement_publish(actor=tenant_a.coordinator, version=renewal)
        first.refresh_from_db()
        assert first.status == "superseded" and renewal.supersedes == first
        assert newcomer.pk in AgreementMember.objects.filter(version=renewal).values_list("school_id", flat=True)
        assert newcomer.pk not in AgreementMember.objects.filter(version=first).values_list("school_id", flat=True)
        assert agreement_on(tenant_a.partnership, D(2026, 11, 30)).version == renewal
        assert agreement_on(tenant_a.partnership, D(2010, 1, 1)).version == first
        actions = set(AuditEvent.objects.filter(partnership=tenant_a.partnership).values_list("action", flat=True))
        assert {"agreement.drafted", "agreement.published", "agreement.renewed", "agreement.term_set"} <= actions


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused_and_nothing_changes(tenant_a):
    with scope(partnership=tenant_a.partnership):
        with pytest.raises(ValidationError) as refused:
            _draft(tenant_a, starts=D(2011, 4, 30), ends=D(2009, 4, 1))
        assert refused.value.message_dict == {
            "ends": ["The agreement must end on or after the day it starts (30 April 2011)"]
        }
        assert not AgreementVersion.objects.exists()
        version = _draft(tenant_a)
        with pytest.raises(ValidationError, match="end on or after"):
            agreement_term_set(actor=tenant_a.coordinator, version=version, starts=D(2012, 1, 1), ends=D(2011, 1, 1))
        version.refresh_from_db()
        assert (version.starts, version.ends) == (D(2009, 4, 1), D(2011, 4, 30))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        '<img src="file:///etc/passwd">',
        "<link rel=stylesheet href=http://169.254.169.254/>",
        "body { background: url(http://169.254.169.254/) }",
    ],
)
def test_html_an_image_or_a_stylesheet_in_a_section_is_refused_and_nothing_is_saved(tenant_a, text):
    with scope(partnership=tenant_a.partnership):
        section = _draft(tenant_a).sections.get(key=K.FUNDING)
        before = section.text
        with pytest.raises(ValidationError) as refused:
            agreement_section_update(actor=tenant_a.coordinator, section=section, heading="Funding", text=text)
        assert "text" in refused.value.message_dict and refused.value.message_dict["text"][0].startswith("Remove")
        section.refresh_from_db()
        assert section.text == before
        assert not AuditEvent.objects.filter(action="agreement.section_changed").exists()


@pytest.mark.django_db
def test_a_published_version_is_never_edited(tenant_a):
    with scope(partnership=tenant_a.partnership):
        version = agreement_publish(actor=tenant_a.coordinator, version=_draft(tenant_a))
        section = version.sections.get(key=K.AIMS)
        with pytest.raises(ValidationError, match="published and cannot be changed"):
            agreement_section_update(actor=tenant_a.coordinator, section=section, heading="Aims", text="New")
        with pytest.raises(ValidationError, match="published and cannot be changed"):
            agreement_signatories_set(actor=tenant_a.coordinator, version=version, blocks=[("headteacher", "")])


@pytest.mark.django_db
def test_signatories_are_set_from_the_roles_and_named_parties(tenant_a):
    with scope(partnership=tenant_a.partnership):
        version = _draft(tenant_a)
        agreement_signatories_set(
            actor=tenant_a.coordinator,
            version=version,
            blocks=[("headteacher", ""), ("partnership_chair", ""), ("other", "For the local authority's division")],
        )
        assert [(b.kind, b.label) for b in SignatureBlock.objects.filter(version=version)] == [
            ("headteacher", "Headteacher of each school"),
            ("partnership_chair", "Chair of the partnership"),
            ("other", "For the local authority's division"),
        ]
        for blocks, says in (
            ([], "at least one"),
            ([("other", " ")], "Name each"),
            ([("headteacher", "")] * 2, "once"),
        ):
            with pytest.raises(ValidationError, match=says):
                agreement_signatories_set(actor=tenant_a.coordinator, version=version, blocks=blocks)
        assert SignatureBlock.objects.filter(version=version).count() == 3


@pytest.mark.django_db
def test_the_differences_are_shown_section_by_section_word_by_word_and_escaped(tenant_a):
    with scope(partnership=tenant_a.partnership):
        first = agreement_publish(actor=tenant_a.coordinator, version=_draft(tenant_a))
        second = agreement_renew(actor=tenant_a.coordinator, version=first)
        leaving = second.sections.get(key=K.LEAVING)
        agreement_section_update(
            actor=tenant_a.coordinator,
            section=leaving,
            heading=leaving.heading,
            text="A school that wishes to withdraw gives a term's notice & discusses it with the strategy group.",
        )
        rows = {row["key"]: row for row in agreement_versions_diff(first, second)}
        assert [key for key, row in rows.items() if row["changed"]] == ["leaving"]
        text = rows["leaving"]["text"]
        assert (
            "<ins>gives a term&#x27;s notice &amp; </ins>discusses" in text
            and "<del>the terms of its withdrawal</del>" in text
        )
        assert "<del>" not in rows["aims"]["text"] and "<ins>" not in rows["aims"]["text"]


# --- The data migration --------------------------------------------------------------------------------

BEFORE = [("partnerships", "0021_agreement_versions"), ("accounts", "0011_audit_actions_for_agreements")]
AFTER = [("partnerships", "0023_agreement_dates_live_in_versions")]


@pytest.mark.django_db(transaction=True)
def test_the_partnerships_dates_become_its_first_published_version():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Partnership = old.get_model("partnerships", "Partnership")
    School = old.get_model("schools", "School")
    Membership = old.get_model("partnerships", "Membership")
    exeter = Partnership.objects.create(
        name="Exeter", slug="exeter", agreement_starts=D(2009, 4, 1), agreement_ends=D(2011, 4, 30)
    )
    open_ended = Partnership.objects.create(name="Open", slug="open", agreement_starts=D(2013, 9, 1))
    Partnership.objects.create(name="Unknown", slug="unknown")
    schools = [School.objects.create(urn=800 + i, name=f"School {i}", phase="primary") for i in range(3)]
    Membership.objects.create(partnership=exeter, school=schools[0], joined=D(2008, 9, 1))
    Membership.objects.create(partnership=exeter, school=schools[1], joined=D(2008, 9, 1), left=D(2009, 3, 31))
    Membership.objects.create(partnership=exeter, school=schools[2], joined=D(2015, 9, 1))

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Version = new.get_model("partnerships", "AgreementVersion")
    Member = new.get_model("partnerships", "AgreementMember")
    versions = {v.partnership.slug: v for v in Version.objects.select_related("partnership")}
    assert set(versions) == {"exeter", "open"}
    assert (versions["exeter"].number, versions["exeter"].status) == (1, "published")
    assert (versions["exeter"].starts, versions["exeter"].ends) == (D(2009, 4, 1), D(2011, 4, 30))
    assert (versions["open"].starts, versions["open"].ends) == (D(2013, 9, 1), None)
    # Only the school that was a member during the term: one left before it began, one joined after it ended.
    assert list(Member.objects.filter(version=versions["exeter"]).values_list("school__urn", flat=True)) == [800]
    assert open_ended.pk == versions["open"].partnership_id
    assert "agreement_starts" not in {f.name for f in new.get_model("partnerships", "Partnership")._meta.fields}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# --- Pages ---------------------------------------------------------------------------------------------


@pytest.fixture
def published(tenant_a):
    with scope(partnership=tenant_a.partnership):
        first = agreement_publish(actor=tenant_a.coordinator, version=_draft(tenant_a))
        draft = agreement_renew(actor=tenant_a.coordinator, version=first)
    return first, draft


@pytest.mark.django_db
def test_everyone_reads_the_agreement_and_an_expired_one_says_so(tenant_a, client_for, published):
    first, _ = published
    page = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/agreement/").content.decode()
    assert "The partnership agreement expired on 30 April 2011. It needs to be renewed." in page
    assert "Expired" in page and "1. Scope" in page and "Chair of governors" in page
    assert "Start a new version" not in page and "Edit" not in page
    version_page = client_for(tenant_a.headteacher).get(f"/p/{tenant_a.slug}/agreement/versions/{first.pk}/")
    assert version_page.status_code == 200


@pytest.mark.django_db
def test_the_coordinator_edits_a_section_the_preview_writes_nothing_and_bad_text_stays_unsaved(
    tenant_a, client_for, published
):
    _, draft = published
    client = client_for(tenant_a.coordinator)
    with scopes_disabled():
        section = AgreementSection.objects.get(version=draft, key=K.FUNDING)
    base = f"/p/{tenant_a.slug}/agreement/sections/{section.pk}/"
    preview = client.get(base + "preview/", {"text": "Each pays **£2**\n\n- termly"}).content.decode()
    assert "<strong>£2</strong>" in preview and "<li>termly</li>" in preview
    refused = client.get(base + "preview/", {"text": '<img src="file:///etc/passwd">'}).content.decode()
    assert "Remove the HTML &lt;img&gt;" in refused and "<img" not in refused
    response = client.post(base, {"heading": "Funding", "text": '<img src="file:///etc/passwd">'})
    assert response.status_code == 400
    assert 'href="#id_text"' in response.content.decode()
    with scopes_disabled():
        section.refresh_from_db()
    assert "<img" not in section.text
    response = client.post(base, {"heading": "7. Funding", "text": "Each school pays **£2** per pupil."})
    assert response.status_code == 302
    with scopes_disabled():
        section.refresh_from_db()
    assert section.text == "Each school pays **£2** per pupil."


@pytest.mark.django_db
def test_the_term_page_refuses_an_end_before_the_start_next_to_the_field(tenant_a, client_for, published):
    _, draft = published
    url = f"/p/{tenant_a.slug}/agreement/versions/{draft.pk}/term/"
    response = client_for(tenant_a.coordinator).post(url, {"starts": "2012-01-01", "ends": "2011-01-01"})
    assert response.status_code == 400
    assert "The agreement must end on or after the day it starts (1 January 2012)" in response.content.decode()


@pytest.mark.django_db
def test_publish_and_compare_pages(tenant_a, client_for, published):
    first, draft = published
    client = client_for(tenant_a.coordinator)
    assert client.post(f"/p/{tenant_a.slug}/agreement/versions/{draft.pk}/publish/").status_code == 302
    with scopes_disabled():
        draft.refresh_from_db()
    assert draft.status == "published"
    page = client.get(f"/p/{tenant_a.slug}/agreement/versions/{first.pk}/compare/{draft.pk}/").content.decode()
    assert "Changes from version 1 to version 2" in page and "No change" in page


@pytest.mark.django_db
def test_the_agreement_pages_run_a_constant_number_of_queries(tenant_a, client_for, published):
    first, draft = published
    client = client_for(tenant_a.coordinator)

    def grow():
        schools = School.objects.bulk_create(
            School(urn=700000 + i, name=f"Big School {i:03}", phase="primary") for i in range(100)
        )
        for version in (first, draft):
            AgreementMember.objects.bulk_create(AgreementMember(version=version, school=s) for s in schools)
        for number in range(3, 13):
            AgreementVersion.objects.create(
                partnership=tenant_a.partnership, number=number, starts=D(2000, 1, 1), status="superseded"
            )

    for url in (
        f"/p/{tenant_a.slug}/agreement/",
        f"/p/{tenant_a.slug}/agreement/versions/{draft.pk}/",
        f"/p/{tenant_a.slug}/agreement/versions/{first.pk}/compare/{draft.pk}/",
    ):
        assert_constant_queries(client, url, grow=lambda: None, at_most=30)
    assert_constant_queries(client, f"/p/{tenant_a.slug}/agreement/", grow=grow, at_most=30)


# --- The demo ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_has_exeters_superseded_2009_agreement_its_renewal_and_heart_of_manchesters(client_for):
    from django.core.management import call_command

    from partnerships.models import Partnership

    call_command("load_demo", stdout=open("/dev/null", "w"))
    with scopes_disabled():
        count = AgreementVersion.objects.count()
        exeter = {
            v.number: v for v in AgreementVersion.objects.filter(partnership__slug="exeter-beacon").order_by("number")
        }
        manchester = AgreementVersion.objects.get(partnership__slug="heart-of-manchester")
        assert set(Partnership.objects.values_list("pk", flat=True)) == set(
            AgreementVersion.objects.values_list("partnership_id", flat=True)
        )
    assert (exeter[1].starts, exeter[1].ends, exeter[1].status) == (D(2009, 4, 1), D(2011, 4, 30), "superseded")
    assert exeter[2].status == "published" and exeter[2].supersedes_id == exeter[1].pk
    with scope(partnership=exeter[2].partnership):
        assert agreement_on(exeter[2].partnership).version == exeter[2]
        assert agreement_on(exeter[2].partnership, D(2010, 6, 1)).version == exeter[1]
        assert exeter[1].members.count() == 14
        rows = {row["key"]: row["changed"] for row in agreement_versions_diff(exeter[1], exeter[2])}
    with scope(partnership=manchester.partnership):
        assert [b.kind for b in manchester.signature_blocks.all()] == [
            "headteacher",
            "chair_of_governors",
            "partnership_chair",
        ]
    assert rows["leaving"] and not rows["aims"]
    call_command("load_demo", stdout=open("/dev/null", "w"))
    with scopes_disabled():
        assert AgreementVersion.objects.count() == count
