"""Signing the agreement in the app, with the real PDF engine: each school's copy is made once after
publishing, only the person holding a block's role for that school today signs it, once, with their
password (or second factor) at that moment; the last signature has the copy sealed; a new version voids
what was still awaiting signatures. PDFs are read back with poppler and pyHanko's validator."""

from __future__ import annotations

import datetime
import email
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import AuditEvent
from core.models import OutboxMessage
from core.testing import assert_constant_queries
from partnerships.agreements.document import sha256
from partnerships.agreements.verify import verify_pdf
from partnerships.models import AgreementCopy, AgreementSignature, Membership
from partnerships.roles import Role
from partnerships.services.agreements import agreement_publish, agreement_renew
from partnerships.services.signing import agreement_sign
from tests.downloads import csv_rows, xlsx_rows
from tests.factories.accounts import UserFactory, signed_in
from tests.factories.agreements import EXETER, PASSWORD, K, signing_partnership
from tests.factories.partnerships import give_role

D = datetime.date
pytestmark = pytest.mark.django_db(transaction=True)


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _sign(signing, user, school, kind, **overrides):
    copy = signing.copy(school)
    kwargs = {
        "actor": user,
        "copy": copy,
        "block": signing.block(kind),
        "name": user.full_name,
        "agreed": True,
        "document_sha256": copy.blank_sha256,
        "password": PASSWORD,
        "ip": "192.0.2.10",
        "user_agent": "Mozilla/5.0 (test)",
    } | overrides
    with scope(partnership=signing.partnership):
        return agreement_sign(**kwargs)


def _sign_all(signing, school):
    _sign(signing, signing.heads[school.pk], school, K.HEADTEACHER)
    _sign(signing, signing.governors[school.pk], school, K.CHAIR_OF_GOVERNORS)
    _sign(signing, signing.chair, school, K.PARTNERSHIP_CHAIR)


# --- The copies -------------------------------------------------------------------------------------------


def test_publishing_makes_one_stored_copy_per_school_whose_hash_is_of_its_bytes(tmp_path):
    signing = signing_partnership(schools=3)
    with scopes_disabled():
        copies = list(AgreementCopy.objects.filter(version=signing.version))
    assert sorted(c.school_id for c in copies) == sorted(s.pk for s in signing.schools)
    assert len({c.identifier for c in copies}) == 3
    for copy in copies:
        pdf = _read(copy.blank)
        assert sha256(pdf) == copy.blank_sha256
        text = _text(pdf)
        assert copy.identifier in text
        for school in signing.schools:  # the members list
            assert school.name in text
        # Heart of Manchester: headteacher, chair of governors and the partnership's chair sign
        assert text.count("Signature") >= 3
        assert f"Headteacher, {copy.school.name}" in text
        assert f"Chair of governors, {copy.school.name}" in text
        assert f"Chair of the partnership, {signing.partnership.name}" in text
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Tagged:          yes" in info
    assert "Title:" in info and signing.partnership.name not in ("",)
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-", str(tmp_path / "page")], input=pdf, check=True)
    assert len(list(tmp_path.glob("page*.png"))) == pages


def test_an_exeter_copy_has_two_signature_blocks():
    signing = signing_partnership(name="Exeter Beacon", blocks=EXETER)
    text = _text(_read(signing.copy(signing.schools[0]).blank))
    school = signing.schools[0].name
    assert f"Headteacher, {school}" in text and f"Chair of governors, {school}" in text
    assert f"Chair of the partnership, {signing.partnership.name}" not in text


def test_the_signatories_are_asked_to_sign_by_email_with_a_link_to_their_copy():
    signing = signing_partnership(schools=2)
    school = signing.schools[0]
    head = signing.heads[school.pk]
    with scopes_disabled():
        message = OutboxMessage.objects.get(recipient=head.email.lower(), kind="agreement.sign_request")
        chair_message = OutboxMessage.objects.get(recipient=signing.chair.email.lower(), kind="agreement.sign_request")
    copy = signing.copy(school)
    assert reverse("agreement:copy", kwargs={"partnership_slug": signing.partnership.slug, "copy_pk": copy.pk}) in (
        message.text
    )
    assert "Hello from" not in message.text and "Please sign version 1" in message.subject
    # The chair signs every school's copy: one email lists them all.
    assert all(s.name in chair_message.text for s in signing.schools)


# --- Who signs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "kind", "says"),
    [
        ("other_head", K.HEADTEACHER, "Only the headteacher of"),
        ("governor", K.HEADTEACHER, "Only the headteacher of"),
        ("head", K.CHAIR_OF_GOVERNORS, "Only the chair of governors of"),
        ("head", K.PARTNERSHIP_CHAIR, "Only the chair of"),
        ("coordinator", K.HEADTEACHER, "Only the headteacher of"),
        ("former_head", K.HEADTEACHER, "Only the headteacher of"),
    ],
)
def test_only_the_person_holding_the_blocks_role_for_that_school_today_signs(who, kind, says):
    signing = signing_partnership(schools=2)
    school, other = signing.schools
    with scopes_disabled():
        former = UserFactory(full_name="Former Head")
        give_role(former, signing.partnership, Role.HEADTEACHER, school, start=D(2021, 9, 1), end=D(2023, 8, 31))
    users = {
        "other_head": signing.heads[other.pk],
        "governor": signing.governors[school.pk],
        "head": signing.heads[school.pk],
        "coordinator": signing.coordinator,
        "former_head": former,
    }
    with pytest.raises(ValidationError) as refused:
        _sign(signing, users[who], school, kind)
    assert says in refused.value.messages[0]
    with scopes_disabled():
        assert not AgreementSignature.objects.exists()


def test_each_block_is_signed_by_its_own_person_and_only_once():
    signing = signing_partnership(schools=2)
    school = signing.schools[0]
    signature = _sign(signing, signing.heads[school.pk], school, K.HEADTEACHER)
    assert (signature.ip, signature.user_agent, signature.method) == ("192.0.2.10", "Mozilla/5.0 (test)", "password")
    assert signature.document_sha256 == signing.copy(school).blank_sha256
    with pytest.raises(ValidationError, match="has already signed"):
        _sign(signing, signing.heads[school.pk], school, K.HEADTEACHER)
    with scopes_disabled():
        event = AuditEvent.objects.filter(action="agreement.signed").get()
    assert event.actor == signing.heads[school.pk] and "signed" in event.summary


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "wrong password"}, "password"),
        ({"password": ""}, "password"),
        ({"name": "  "}, "name"),
        ({"agreed": False}, "agreed"),
    ],
)
def test_bad_signing_input_is_refused_at_its_field_and_signs_nothing(overrides, field):
    signing = signing_partnership(schools=1)
    school = signing.schools[0]
    with pytest.raises(ValidationError) as refused:
        _sign(signing, signing.heads[school.pk], school, K.HEADTEACHER, **overrides)
    assert field in refused.value.message_dict
    with scopes_disabled():
        assert not AgreementSignature.objects.exists()
        assert not AuditEvent.objects.filter(action="agreement.signed").exists()


def test_a_signer_shown_another_document_than_the_stored_copy_cannot_sign():
    signing = signing_partnership(schools=1)
    school = signing.schools[0]
    with pytest.raises(ValidationError, match="changed while you were reading"):
        _sign(signing, signing.heads[school.pk], school, K.HEADTEACHER, document_sha256="0" * 64)


def test_someone_with_a_second_factor_signs_with_its_code_not_their_password():
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time

    signing = signing_partnership(schools=1)
    school = signing.schools[0]
    head = signing.heads[school.pk]
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(head, secret)
    with pytest.raises(ValidationError) as refused:
        _sign(signing, head, school, K.HEADTEACHER, code="000000")
    assert "code" in refused.value.message_dict
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    signature = _sign(signing, head, school, K.HEADTEACHER, password="", code=code)
    assert signature.method.startswith("two-factor code")


# --- The sealed copy -------------------------------------------------------------------------------------


def test_the_last_signature_has_the_copy_signed_and_sealed(tmp_path):
    signing = signing_partnership(schools=2)
    school = signing.schools[0]
    _sign(signing, signing.heads[school.pk], school, K.HEADTEACHER)
    _sign(signing, signing.governors[school.pk], school, K.CHAIR_OF_GOVERNORS)
    assert signing.copy(school).status == AgreementCopy.Status.AWAITING
    _sign(signing, signing.chair, school, K.PARTNERSHIP_CHAIR)
    copy = signing.copy(school)
    assert copy.status == AgreementCopy.Status.SIGNED and copy.sealed_at is not None
    pdf = _read(copy.signed)
    assert sha256(pdf) == copy.signed_sha256
    text = _text(pdf)
    assert "Certificate of signing" in text and copy.blank_sha256 in text.replace(" ", "").replace("\n", "")
    for user in (signing.heads[school.pk], signing.governors[school.pk], signing.chair):
        assert user.full_name in text
    assert "192.0.2.10" in text
    result = verify_pdf(pdf)
    assert result.genuine and result.intact and result.identifier == copy.identifier
    altered = bytearray(pdf)
    altered[len(pdf) // 3] ^= 0x01
    assert not verify_pdf(bytes(altered)).intact
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-", str(tmp_path / "signed")], input=pdf, check=True)
    assert list(tmp_path.glob("signed*.png"))
    # The other school's copy is untouched; every signer is told the copy is ready.
    assert signing.copy(signing.schools[1]).status == AgreementCopy.Status.AWAITING
    with scopes_disabled():
        told = set(OutboxMessage.objects.filter(kind="agreement.signed").values_list("recipient", flat=True))
    assert told == {
        signing.heads[school.pk].email.lower(),
        signing.governors[school.pk].email.lower(),
        signing.chair.email.lower(),
    }


def test_a_new_version_voids_pending_signatures_tells_the_signers_and_asks_again():
    signing = signing_partnership(schools=2)
    done, pending = signing.schools
    _sign_all(signing, done)
    head = signing.heads[pending.pk]
    _sign(signing, head, pending, K.HEADTEACHER)
    with scopes_disabled():
        renewal = agreement_renew(actor=signing.coordinator, version=signing.version)
        agreement_publish(actor=signing.coordinator, version=renewal)
    assert signing.copy(done).status == AgreementCopy.Status.SIGNED  # complete copies stand
    voided = signing.copy(pending)
    assert voided.status == AgreementCopy.Status.VOID
    with scopes_disabled():
        signature = AgreementSignature.objects.get(copy=voided)
        assert signature.voided_at is not None
        notice = OutboxMessage.objects.get(kind="agreement.signature_voided", recipient=head.email.lower())
        asked = OutboxMessage.objects.filter(
            kind="agreement.sign_request", recipient=head.email.lower(), about=f"agreement-version:{renewal.pk}"
        )
        assert asked.exists()
        new_copies = AgreementCopy.objects.filter(version=renewal).count()
    parsed = email.message_from_string(f"Subject: {notice.subject}\n\n{notice.text}")
    assert "replaces" in parsed["Subject"] and "set aside" in parsed.get_payload()
    assert new_copies == 2
    # The superseded version cannot be signed any more, even in a block left empty.
    with pytest.raises(ValidationError, match="has been replaced"):
        _sign(signing, signing.governors[pending.pk], pending, K.CHAIR_OF_GOVERNORS)


# --- The pages -------------------------------------------------------------------------------------------


def _url(signing, name, **kwargs):
    return reverse(f"agreement:{name}", kwargs={"partnership_slug": signing.partnership.slug, **kwargs})


def test_signing_through_the_pages():
    signing = signing_partnership(schools=2)
    school = signing.schools[0]
    head = signing.heads[school.pk]
    copy = signing.copy(school)
    block = signing.block(K.HEADTEACHER)
    client = signed_in(head)
    page = client.get(_url(signing, "copy", copy_pk=copy.pk))
    assert page.status_code == 200
    sign_url = _url(signing, "sign", copy_pk=copy.pk, block_pk=block.pk)
    assert sign_url in page.content.decode()
    form = client.get(sign_url)
    assert form.status_code == 200
    assert f"I agree to this agreement on behalf of {school.name}" in form.content.decode()
    data = {"name": head.full_name, "agreed": "on", "password": "nope", "document_sha256": copy.blank_sha256}
    wrong = client.post(sign_url, data)
    assert wrong.status_code == 400 and "That password is not right" in wrong.content.decode()
    with scopes_disabled():
        assert not AgreementSignature.objects.exists()
    done = client.post(sign_url, data | {"password": PASSWORD}, REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Firefox")
    assert done.status_code == 302
    with scopes_disabled():
        signature = AgreementSignature.objects.get()
    assert (signature.ip, signature.user_agent) == ("198.51.100.7", "Firefox")
    blank = client.get(_url(signing, "copy_blank", copy_pk=copy.pk))
    assert blank["Content-Type"] == "application/pdf"
    assert sha256(b"".join(blank.streaming_content)) == copy.blank_sha256


def test_another_schools_people_do_not_see_its_copy():
    signing = signing_partnership(schools=2)
    school, other = signing.schools
    copy = signing.copy(school)
    client = signed_in(signing.heads[other.pk])
    for name, kwargs in [
        ("copy", {"copy_pk": copy.pk}),
        ("copy_blank", {"copy_pk": copy.pk}),
        ("sign", {"copy_pk": copy.pk, "block_pk": signing.block(K.HEADTEACHER).pk}),
    ]:
        assert client.get(_url(signing, name, **kwargs)).status_code == 404
    board = client.get(_url(signing, "board", version_pk=signing.version.pk)).content.decode()
    assert other.name in board and school.name not in board
    # a huge id is simply not found
    assert client.get(f"/p/{signing.partnership.slug}/agreement/copies/99999999999/").status_code == 404


def test_the_signing_board_runs_the_same_queries_for_many_schools():
    signing = signing_partnership(schools=2)
    client = signed_in(signing.coordinator)
    url = _url(signing, "board", version_pk=signing.version.pk)

    def grow():
        from partnerships.models import AgreementMember
        from tests.factories.partnerships import MembershipFactory

        for _ in range(8):
            member = MembershipFactory(partnership=signing.partnership).school
            AgreementMember.objects.create(version=signing.version, school=member)
            AgreementCopy.objects.create(
                version=signing.version, school=member, identifier=f"X{member.pk}", blank="x.pdf", blank_sha256="0" * 64
            )
            head = UserFactory()
            give_role(head, signing.partnership, Role.HEADTEACHER, member)

    assert_constant_queries(client, url, grow=grow, at_most=25)
    with scopes_disabled():
        assert Membership.objects.filter(partnership=signing.partnership).count() == 10


def test_the_partnership_downloads_every_signed_copy_in_one_zip():
    import io
    import zipfile

    signing = signing_partnership(schools=2)
    _sign_all(signing, signing.schools[0])
    url = _url(signing, "signed_copies", version_pk=signing.version.pk)
    response = signed_in(signing.coordinator).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        [name] = archive.namelist()
        pdf = archive.read(name)
    copy = signing.copy(signing.schools[0])
    assert copy.identifier in name and sha256(pdf) == copy.signed_sha256
    assert signed_in(signing.heads[signing.schools[0].pk]).get(url).status_code == 403


# --- The board's download ----------------------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _board_export(signing, fmt, version=None):
    return _url(signing, "board_export", version_pk=(version or signing.version).pk, fmt=fmt)


def test_the_board_downloads_each_copy_with_who_signed_which_block_and_when():
    signing = signing_partnership(schools=2)
    first, second = signing.schools
    with scopes_disabled():
        type(second).objects.filter(pk=second.pk).update(name=FORMULA)
    _sign(signing, signing.heads[first.pk], first, K.HEADTEACHER)
    signed_on = timezone.localdate()

    response = signed_in(signing.coordinator).get(_board_export(signing, "csv"))
    rows = csv_rows(response)
    assert rows[0] == [
        "School",
        "URN",
        "Status",
        "Headteacher",
        "Headteacher signed on",
        "Chair of governors",
        "Chair of governors signed on",
        "Chair of the partnership",
        "Chair of the partnership signed on",
    ]
    by_urn = {row[1]: row for row in rows[1:]}
    assert by_urn[str(first.urn)] == [
        first.name,
        str(first.urn),
        "Awaiting signatures",
        signing.heads[first.pk].full_name,
        signed_on.isoformat(),
        f"Outstanding: Chair of governors of {first.name}",
        "",
        f"Outstanding: {signing.chair.full_name}",
        "",
    ]
    assert by_urn[str(second.urn)][0] == "'" + FORMULA
    assert by_urn[str(second.urn)][3] == "Outstanding: Head of " + signing.schools[1].name
    for hidden in (b"192.0.2.10", b"Mozilla"):
        assert hidden not in response.content

    sheet = xlsx_rows(signed_in(signing.chair).get(_board_export(signing, "xlsx")))
    row = next(row for row in sheet[1:] if row[1] == first.urn)
    assert row[4] == datetime.datetime.combine(signed_on, datetime.time())
    assert len(sheet) == 3


def test_a_schools_people_download_only_their_own_schools_copy_as_their_board_lists_it():
    signing = signing_partnership(schools=2)
    school, other = signing.schools
    client = signed_in(signing.heads[other.pk])
    sheet = xlsx_rows(client.get(_board_export(signing, "xlsx")))
    assert [row[1] for row in sheet[1:]] == [other.urn]
    assert school.name.encode() not in client.get(_board_export(signing, "csv")).content
    board = client.get(_url(signing, "board", version_pk=signing.version.pk)).content.decode()
    assert _board_export(signing, "xlsx") in board and "Download as CSV" in board


def test_another_partnerships_board_is_not_found_to_download():
    signing = signing_partnership(schools=1)
    beta = signing_partnership(name="Beta Schools", schools=1)
    url = _board_export(signing, "csv", version=beta.version)
    assert signed_in(signing.coordinator).get(url).status_code == 404
    assert signed_in(signing.coordinator).post(url).status_code == 404  # a 405 would say the version exists
    assert signed_in(signing.coordinator).get(_board_export(signing, "pdf")).status_code == 404


def test_the_board_download_runs_the_same_queries_for_many_schools():
    signing = signing_partnership(schools=2)
    _sign(signing, signing.heads[signing.schools[0].pk], signing.schools[0], K.HEADTEACHER)

    def grow():
        from partnerships.models import AgreementMember
        from tests.factories.partnerships import MembershipFactory

        for n in range(8):
            member = MembershipFactory(partnership=signing.partnership).school
            AgreementMember.objects.create(version=signing.version, school=member)
            copy = AgreementCopy.objects.create(
                version=signing.version, school=member, identifier=f"X{member.pk}", blank="x.pdf", blank_sha256="0" * 64
            )
            head = UserFactory()
            give_role(head, signing.partnership, Role.HEADTEACHER, member)
            if n % 2:
                AgreementSignature.objects.create(
                    copy=copy,
                    block=signing.block(K.HEADTEACHER),
                    signer=head,
                    name=head.full_name,
                    role_label="Headteacher",
                    method="password",
                    document_sha256="0" * 64,
                )

    url = _board_export(signing, "xlsx")
    assert_constant_queries(signed_in(signing.coordinator), url, grow=grow, at_most=9)
    assert len(xlsx_rows(signed_in(signing.coordinator).get(url))) == 11
