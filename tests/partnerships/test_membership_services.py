import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from partnerships.calendar import default_terms
from partnerships.models import Constitution, LeavingNotice, Membership, Term
from partnerships.services.constitution import constitution_update
from partnerships.services.membership import (
    MAX_LETTER_BYTES,
    leaving_notice_record,
    letter_validate,
    membership_join,
    membership_update_notes,
)
from tests.factories.partnerships import (
    DOC,
    JPEG,
    PDF,
    PNG,
    LeavingNoticeFactory,
    MembershipFactory,
    docx_bytes,
    make_terms,
    unset_rules,
    upload,
)
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 1, 10)  # the spring term of 2025/26 in tests.factories.partnerships.TERM_DATES


@pytest.fixture
def member(tenant_a):
    with scopes_disabled():
        make_terms(tenant_a.partnership)
        return Membership.objects.get(partnership=tenant_a.partnership, school=tenant_a.schools[0])


def record(tenant, membership, **kwargs):
    values = {"received_on": D(2025, 10, 1), "method": "email", "given_by": "Sam Patel, headteacher", "today": TODAY}
    values.update(kwargs)
    return leaving_notice_record(actor=tenant.coordinator, membership=membership, **values)


def counts():
    with scopes_disabled():
        return (
            LeavingNotice.objects.count(),
            AuditEvent.objects.count(),
            list(Membership.objects.order_by("pk").values_list("left", flat=True)),
        )


# --- Leaving notices -------------------------------------------------------------------------------


def test_a_notice_in_the_autumn_term_sets_the_leaving_date_to_the_end_of_spring_and_is_audited(tenant_a, member):
    notice = record(tenant_a, member, method="letter", letter=upload())
    with scopes_disabled():
        member.refresh_from_db()
        notice.refresh_from_db()
        event = AuditEvent.objects.get(action="membership.notice_received")
    assert notice.leaving_on == member.left == D(2026, 3, 27)
    assert member.status(TODAY) == "leaving"
    assert member.status_label(TODAY) == "Leaving on 27 March 2026"
    assert member.status(D(2026, 3, 28)) == "left"
    assert notice.letter.name.endswith(f"notice-{member.school.urn}-2025-10-01.pdf")
    assert event.partnership_id == tenant_a.partnership.pk and event.actor == tenant_a.coordinator
    assert event.data["leaving_on"] == "2026-03-27"
    assert event.data["received_in_term"] == "Autumn term 2025/26"
    assert event.data["notice_terms"] == 1
    assert event.data["leaver_contribution_refunded"] is False
    assert event.data["financial_year"] == 2025
    assert event.data["refund_rule"].startswith("Alpha Partnership does not refund contributions: ")


def test_a_notice_in_the_summer_holiday_ends_with_the_autumn_term(tenant_a, member):
    notice = record(tenant_a, member, received_on=D(2026, 8, 3), today=D(2026, 8, 10))
    assert notice.leaving_on == D(2026, 12, 18)


def test_the_constitutions_notice_period_is_used(tenant_a, member):
    constitution_update(
        actor=tenant_a.coordinator, partnership=tenant_a.partnership, changes={"leaving_notice_terms": 2}
    )
    assert record(tenant_a, member).leaving_on == D(2026, 7, 22)


def test_years_without_saved_term_dates_use_the_defaults(tenant_a):
    with scopes_disabled():
        membership = Membership.objects.get(partnership=tenant_a.partnership, school=tenant_a.schools[1])
        assert not Term.objects.filter(partnership=tenant_a.partnership, academic_year__lt=2025).exists()
    notice = record(tenant_a, membership, received_on=D(2023, 10, 2), today=TODAY)
    spring = next(t for t in default_terms(2023) if t.name == "spring")
    assert notice.leaving_on == spring.ends


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"received_on": TODAY + datetime.timedelta(days=1)}, "received_on", "cannot be in the future"),
        ({"received_on": D(2019, 5, 1)}, "received_on", "before School"),
        ({"given_by": "   "}, "given_by", "Enter who the notice is from"),
        ({"method": "fax"}, "method", "Select how the notice was given: by letter or by email"),
        ({"method": "letter"}, "letter", "Select the signed letter to attach. If the notice came by email, choose"),
        ({"given_by": "x" * 151}, "given_by", "Who the notice is from must be 150 characters or fewer"),
        ({"notes": "x" * 5001}, "notes", "The notes must be 5000 characters or fewer"),
        ({"letter": upload("letter.exe", b"MZ\x90\x00")}, "letter", "must be a PDF"),
        ({"letter": upload("letter.pdf", b"<html><script>")}, "letter", "is not a PDF file"),
    ],
)
def test_bad_notices_are_refused_by_field_and_nothing_is_saved(tenant_a, member, kwargs, field, message):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        record(tenant_a, member, **kwargs)
    assert message in " ".join(caught.value.message_dict[field])
    assert counts() == before


def test_a_school_that_already_gave_notice_cannot_give_it_again(tenant_a, member):
    record(tenant_a, member)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        record(tenant_a, member, received_on=D(2025, 11, 1))
    assert "already gave notice, received on 1 October 2025: it leaves on 27 March 2026" in str(caught.value)
    assert counts() == before


def test_a_school_that_has_already_left_cannot_give_notice(tenant_a, member):
    with scopes_disabled():
        Membership.objects.filter(pk=member.pk).update(left=D(2025, 12, 31))
    before = counts()
    with pytest.raises(ValidationError) as caught:
        record(tenant_a, member)
    assert "already left the partnership on 31 December 2025" in str(caught.value)
    assert counts() == before


# --- The letter --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.pdf", PDF),
        ("LETTER.PDF", PDF),
        ("letter.doc", DOC),
        ("letter.docx", docx_bytes()),
        ("scan.png", PNG),
        ("scan.jpg", JPEG),
        ("scan.jpeg", JPEG),
    ],
)
def test_letters_of_the_allowed_types_pass(name, content):
    letter_validate(upload(name, content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.txt", b"%PDF-1.4", "must be a PDF, a Word document"),
        ("letter", PDF, "must be a PDF, a Word document"),
        ("letter.pdf.exe", PDF, "must be a PDF, a Word document"),
        ("letter.html", b"<html>", "must be a PDF, a Word document"),
        ("letter.pdf", b"<html><script>alert(1)</script>", "is not a PDF file"),
        ("letter.png", PDF, "is not a PNG file"),
        ("letter.jpg", PNG, "is not a JPEG file"),
        ("letter.doc", docx_bytes(), "is not a Word file"),
        ("letter.docx", DOC, "is not a Word file"),
        ("letter.docx", docx_bytes(with_document=False), "is not a Word file"),
        ("letter.docx", b"PK\x03\x04 not really a zip", "is not a Word file"),
        ("letter.pdf", b"", "is empty"),
    ],
)
def test_letters_of_the_wrong_type_are_refused_by_extension_and_by_content(name, content, message):
    with pytest.raises(ValidationError) as caught:
        letter_validate(upload(name, content))
    assert message in caught.value.message_dict["letter"][0]


def test_a_letter_over_10_mb_is_refused():
    with pytest.raises(ValidationError) as caught:
        letter_validate(upload("letter.pdf", PDF + b"0" * MAX_LETTER_BYTES))
    assert "smaller than 10 MB" in caught.value.message_dict["letter"][0]
    letter_validate(upload("letter.pdf", PDF + b"0" * (MAX_LETTER_BYTES - len(PDF))))  # exactly 10 MB is fine


# --- Joining ------------------------------------------------------------------------------------------


def join(tenant, school, **kwargs):
    values = {
        "joined": D(2025, 4, 1),
        "approved_on": D(2025, 3, 12),
        "approval_reference": "Strategic group 12 March 2025, minute 4",
        "today": TODAY,
    }
    values.update(kwargs)
    return membership_join(actor=tenant.coordinator, partnership=tenant.partnership, school=school, **values)


def test_a_school_joins_on_the_strategic_groups_decision_and_it_is_audited(tenant_a):
    school = SchoolFactory()
    membership = join(tenant_a, school)
    with scopes_disabled():
        event = AuditEvent.objects.get(action="membership.joined")
        assert Membership.objects.filter(partnership=tenant_a.partnership).current(TODAY).filter(school=school).exists()
    assert (membership.approved_on, membership.approval_reference) == (
        D(2025, 3, 12),
        "Strategic group 12 March 2025, minute 4",
    )
    assert event.data["school"] == school.urn and event.data["approved_on"] == "2025-03-12"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"joined": D(2025, 3, 11)}, "joined", "cannot join before the strategic group approved it on 12 March 2025"),
        ({"approved_on": TODAY + datetime.timedelta(days=1), "joined": D(2026, 2, 1)}, "approved_on", "future"),
        ({"approval_reference": "  "}, "approval_reference", "Enter where the decision is recorded"),
        ({"approval_reference": "x" * 201}, "approval_reference", "200 characters or fewer"),
    ],
)
def test_bad_joins_are_refused_by_field_and_nothing_is_saved(tenant_a, kwargs, field, message):
    school = SchoolFactory()
    with scopes_disabled():
        before = Membership.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        join(tenant_a, school, **kwargs)
    assert message in " ".join(caught.value.message_dict[field])
    with scopes_disabled():
        assert (Membership.objects.count(), AuditEvent.objects.count()) == before


def test_a_school_cannot_join_twice_while_it_is_a_member(tenant_a):
    with pytest.raises(ValidationError) as caught:
        join(tenant_a, tenant_a.schools[0])
    assert "is already a member, since 1 September 2020" in caught.value.message_dict["school"][0]


def test_a_school_that_is_leaving_can_only_rejoin_after_its_last_day(tenant_a):
    school = tenant_a.schools[0]
    with scopes_disabled():
        Membership.objects.filter(partnership=tenant_a.partnership, school=school).update(left=D(2025, 8, 31))
    with pytest.raises(ValidationError) as caught:
        join(tenant_a, school, joined=D(2025, 8, 31))
    assert "is a member until 31 August 2025" in caught.value.message_dict["school"][0]
    again = join(tenant_a, school, joined=D(2025, 9, 1))
    with scopes_disabled():
        assert Membership.objects.filter(partnership=tenant_a.partnership, school=school).count() == 2
        assert again.status(TODAY) == "active"


def test_membership_in_another_partnership_does_not_stop_a_school_joining(tenant_a, tenant_b):
    join(tenant_a, tenant_b.schools[0])
    with scopes_disabled():
        assert Membership.objects.filter(school=tenant_b.schools[0]).count() == 2


# --- Withdrawal notes and status ----------------------------------------------------------------------


def test_withdrawal_notes_are_saved_and_audited_with_old_and_new_text(tenant_a, member):
    membership_update_notes(actor=tenant_a.coordinator, membership=member, withdrawal_notes="  Chair spoke to head.  ")
    membership_update_notes(actor=tenant_a.coordinator, membership=member, withdrawal_notes="Chair spoke to head.")
    with scopes_disabled():
        member.refresh_from_db()
        events = list(AuditEvent.objects.filter(action="membership.notes_changed"))
    assert member.withdrawal_notes == "Chair spoke to head."
    assert len(events) == 1, "saving the same notes again is not a change"
    assert events[0].data["old"] == "" and events[0].data["new"] == "Chair spoke to head."
    with pytest.raises(ValidationError):
        membership_update_notes(actor=tenant_a.coordinator, membership=member, withdrawal_notes="x" * 5001)


def test_status_labels():
    m = MembershipFactory.build(joined=D(2020, 9, 1), left=None)
    assert (m.status(TODAY), m.status_label(TODAY)) == ("active", "Active")
    m.left = D(2026, 3, 27)
    assert (m.status(TODAY), m.status_label(TODAY)) == ("leaving", "Leaving on 27 March 2026")
    assert (m.status(D(2026, 3, 27)), m.status(D(2026, 3, 28))) == ("leaving", "left")
    assert m.status_label(D(2026, 4, 1)) == "Left"


def test_the_refund_rule_is_stated_from_the_constitution(tenant_a, member):
    from partnerships.services.membership import refund_statement

    with scopes_disabled():
        Constitution.objects.filter(partnership=tenant_a.partnership).update(
            banker_school=tenant_a.schools[1],
        )
        constitution = Constitution.objects.get(partnership=tenant_a.partnership)
    kwargs = {"partnership": tenant_a.partnership, "school": member.school, "leaving_on": D(2026, 3, 27)}
    text = refund_statement(constitution=constitution, **kwargs)
    assert text == (
        f"{tenant_a.partnership.name} does not refund contributions: {member.school.name}'s contribution for the "
        f"2025-26 financial year is not refunded. {tenant_a.schools[1].name}, the banker school, keeps it for the "
        "partnership."
    )
    constitution.leaver_contribution_refunded = True
    assert "refunds a leaving school's contribution" in refund_statement(constitution=constitution, **kwargs)


def test_leaving_notice_factory_builds_a_notice(tenant_a):
    with scopes_disabled():
        notice = LeavingNoticeFactory(membership__partnership=tenant_a.partnership)
        assert notice.partnership_id == tenant_a.partnership.pk


# --- An agreement that sets no notice period -------------------------------------------------------


def test_with_no_notice_rule_the_agreed_leaving_date_is_recorded_and_no_period_is_worked_out(tenant_a, member):
    unset_rules(tenant_a.partnership, "leaving_notice_terms", "leaver_contribution_refunded")
    notice = record(tenant_a, member, leaving_on=D(2025, 12, 19))  # the strategy group agreed the end of term
    with scopes_disabled():
        member.refresh_from_db()
        event = AuditEvent.objects.get(action="membership.notice_received")
    assert notice.leaving_on == member.left == D(2025, 12, 19)
    assert event.data["notice_terms"] is None and event.data["leaver_contribution_refunded"] is None
    assert "does not say whether a leaving school's contribution is refunded" in event.data["refund_rule"]


def test_with_no_notice_rule_and_no_agreed_date_the_school_leaves_on_the_day_of_its_notice(tenant_a, member):
    unset_rules(tenant_a.partnership, "leaving_notice_terms")
    assert record(tenant_a, member, received_on=D(2025, 10, 1)).leaving_on == D(2025, 10, 1)


def test_with_no_notice_rule_a_leaving_date_before_the_notice_is_refused(tenant_a, member):
    unset_rules(tenant_a.partnership, "leaving_notice_terms")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        record(tenant_a, member, leaving_on=D(2025, 9, 30))
    assert caught.value.message_dict["leaving_on"] == [
        "The leaving date must be the same as or after the date the notice was received"
    ]
    assert counts() == before
