"""Checking a signed copy of the agreement: the signed-in upload under a partnership and the public page by
identifier. Real sealed copies, made through the signing services; real pyHanko validation."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from core.files import private_storage
from partnerships.agreements.verify import NOT_A_PDF, NOT_SEALED, UNREADABLE, verify_pdf
from partnerships.models import AgreementCopy, AgreementSignature
from partnerships.roles import Role
from partnerships.selectors.verification import Outcome, public_record, verification_of
from partnerships.services.agreements import agreement_publish, agreement_renew
from partnerships.services.signing import IDENTIFIER_ALPHABET
from tests.factories.accounts import UserFactory
from tests.factories.agreements import K
from tests.factories.partnerships import give_role
from tests.factories.sealed import IP, ready_signing, sealed_copy, sign_copy, signer_names


@pytest.fixture
def manchester(db):
    signing = ready_signing("Heart of Manchester")
    copy, pdf = sealed_copy(signing, signing.schools[0])
    return signing, copy, pdf


@pytest.fixture
def exeter(db):
    signing = ready_signing("Exeter Learning Community")
    copy, pdf = sealed_copy(signing, signing.schools[0])
    return signing, copy, pdf


def _verify_url(signing) -> str:
    return reverse("agreement:verify", kwargs={"partnership_slug": signing.partnership.slug})


def _upload(client, signing, data: bytes, name: str = "agreement.pdf"):
    return client.post(_verify_url(signing), {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


# The signed-in check


def test_the_sealed_copy_carries_its_identifier(manchester):
    _, copy, pdf = manchester
    checked = verify_pdf(pdf)
    assert checked.genuine and checked.identifier == copy.identifier
    assert len(copy.identifier) == 14 and set(copy.identifier.replace("-", "")) <= set(IDENTIFIER_ALPHABET)


def test_a_sealed_copy_is_genuine_with_its_version_school_and_signers(manchester, client_for):
    signing, copy, pdf = manchester
    school = signing.schools[0]
    response = _upload(client_for(signing.coordinator), signing, pdf)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Genuine signed copy" in html
    assert f"Version {signing.version.number} of the Heart of Manchester agreement" in html
    assert f"{school.name}'s copy" in html
    assert copy.identifier in html and copy.signed_sha256 in html
    for name in signer_names(signing, school):  # the coordinator sees every school's copy
        assert name in html
    for role in ("Headteacher", "Chair of governors", "Chair of the partnership"):
        assert f'<td class="govuk-table__cell">{role}</td>' in html
    assert IP not in html and "SealedCopyFactory" not in html


def test_the_schools_own_head_sees_the_signers_but_another_schools_head_does_not(manchester, client_for):
    signing, _, pdf = manchester
    own, other = signing.schools
    mine = _upload(client_for(signing.heads[own.pk]), signing, pdf).content.decode()
    assert "Genuine signed copy" in mine and signing.governors[own.pk].full_name in mine
    theirs = _upload(client_for(signing.heads[other.pk]), signing, pdf)
    assert theirs.status_code == 200
    html = theirs.content.decode()
    assert "Genuine signed copy" in html and "Chair of governors" in html
    for name in signer_names(signing, own):
        assert name not in html


def test_one_byte_changed_in_the_middle_is_altered(manchester, client_for):
    signing, copy, pdf = manchester
    data = bytearray(pdf)
    data[len(data) // 2] ^= 0x01
    result = verification_of(bytes(data))
    assert result.outcome == Outcome.ALTERED and not result.genuine
    response = _upload(client_for(signing.coordinator), signing, bytes(data))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This copy was altered after it was sealed" in html
    assert "Genuine signed copy" not in html
    assert signing.heads[signing.schools[0].pk].full_name not in html


def test_the_unsigned_copy_is_not_sealed(manchester, client_for):
    signing, _, _ = manchester
    with scope(partnership=signing.partnership):
        blank = signing.copy(signing.schools[1])
    with private_storage.open(blank.blank.name, "rb") as handle:
        data = handle.read()
    assert verify_pdf(data).identifier == blank.identifier
    response = _upload(client_for(signing.coordinator), signing, data)
    assert response.status_code == 400
    assert NOT_SEALED in response.content.decode()
    assert 'id="id_file-error"' in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a\x01\x00\x01\x00 a picture, not an agreement", NOT_A_PDF),
        (b"", "The file is empty: select the signed copy you were given"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF", UNREADABLE),
        (b"%PDF-", UNREADABLE),
    ],
    ids=["not-a-pdf", "empty", "garbage", "header-only"],
)
def test_files_that_cannot_be_checked_are_refused_next_to_the_field(manchester, client_for, data, message):
    signing, _, _ = manchester
    response = _upload(client_for(signing.coordinator), signing, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_file-error"' in html and message in html


def test_no_file_is_refused(manchester, client_for):
    signing, _, _ = manchester
    response = client_for(signing.coordinator).post(_verify_url(signing), {})
    assert response.status_code == 400
    assert "Select the signed copy to check" in response.content.decode()


def test_a_file_over_the_limit_is_refused(manchester, client_for, settings):
    signing, _, pdf = manchester
    settings.AGREEMENT_UPLOAD_MAX_BYTES = len(pdf) - 1
    response = _upload(client_for(signing.coordinator), signing, pdf)
    assert response.status_code == 400
    assert "The file must be smaller than 1 MB" in response.content.decode()


def test_another_partnerships_copy_is_genuine_without_its_signers_names(manchester, exeter, client_for):
    manchester_signing, _, _ = manchester
    exeter_signing, exeter_copy, exeter_pdf = exeter
    school = exeter_signing.schools[0]
    response = _upload(client_for(manchester_signing.coordinator), manchester_signing, exeter_pdf)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Genuine signed copy" in html
    assert "Exeter Learning Community" in html and school.name in html and exeter_copy.identifier in html
    assert "Chair of governors" in html
    for name in signer_names(exeter_signing, school):
        assert name not in html
    assert IP not in html


def test_a_sealed_file_not_the_one_on_record_is_not_genuine(manchester):
    signing, copy, pdf = manchester
    with scopes_disabled():
        AgreementCopy.objects.filter(pk=copy.pk).update(signed_sha256="0" * 64)
    assert verification_of(pdf).outcome == Outcome.DIFFERENT
    with scopes_disabled():
        AgreementCopy.objects.filter(pk=copy.pk).update(identifier="2222-3333-4444")
    result = verification_of(pdf)
    assert result.outcome == Outcome.UNKNOWN and result.record is None


def test_checking_writes_nothing(manchester, client_for):
    signing, _, pdf = manchester
    with scopes_disabled():
        before = (AgreementCopy.objects.count(), AgreementSignature.objects.count())
        from accounts.models import AuditEvent

        events = AuditEvent.objects.count()
    _upload(client_for(signing.coordinator), signing, pdf)
    with scopes_disabled():
        assert (AgreementCopy.objects.count(), AgreementSignature.objects.count()) == before
        assert AuditEvent.objects.count() == events


def test_the_agreement_page_links_to_the_check(manchester, client_for):
    signing, _, _ = manchester
    url = reverse("agreement:current", kwargs={"partnership_slug": signing.partnership.slug})
    html = client_for(signing.heads[signing.schools[1].pk]).get(url).content.decode()
    assert _verify_url(signing) in html and "Check a signed copy" in html
    page = client_for(signing.heads[signing.schools[1].pk]).get(_verify_url(signing))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()


def test_anyone_with_a_role_may_check_and_nobody_else(manchester, client_for):
    signing, _, _ = manchester
    observer = UserFactory()
    give_role(observer, signing.partnership, Role.LA_OBSERVER)
    assert client_for(observer).get(_verify_url(signing)).status_code == 200
    assert client_for(UserFactory()).get(_verify_url(signing)).status_code == 404
    anonymous = Client().get(_verify_url(signing))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


# The public page


def _public(identifier: str) -> str:
    return reverse("verify_public:copy", kwargs={"identifier": identifier})


def test_the_public_page_shows_roles_and_dates_but_no_names(manchester):
    signing, copy, _ = manchester
    school = signing.schools[0]
    response = Client().get(_public(copy.identifier))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Heart of Manchester" in html and school.name in html
    assert f"version {signing.version.number}" in html and "1 September 2024 to 31 August 2027" in html
    assert copy.signed_sha256 in html and "Signed" in html
    with scopes_disabled():
        signed_on = AgreementSignature.objects.filter(copy=copy).first().signed_at
    assert f"{signed_on:%-d %B %Y}" in html
    for role in ("Headteacher", "Chair of governors", "Chair of the partnership"):
        assert f'<td class="govuk-table__cell">{role}</td>' in html
    for name in signer_names(signing, school):
        assert name not in html
    assert IP not in html and "SealedCopyFactory" not in html and "password" not in html


def test_the_public_page_of_a_copy_still_being_signed(manchester):
    signing, _, _ = manchester
    copy = sign_copy(signing, signing.schools[1], kinds={K.HEADTEACHER})
    html = Client().get(_public(copy.identifier)).content.decode()
    assert "Awaiting signatures" in html and "Not sealed" in html
    assert "Headteacher" in html and signing.heads[signing.schools[1].pk].full_name not in html


def test_a_replaced_copy_shows_only_that_it_was_replaced(manchester):
    signing, _, _ = manchester
    school = signing.schools[1]
    copy = sign_copy(signing, school, kinds={K.HEADTEACHER, K.CHAIR_OF_GOVERNORS})
    with scope(partnership=signing.partnership):
        agreement_publish(
            actor=signing.coordinator, version=agreement_renew(actor=signing.coordinator, version=signing.version)
        )
    record = public_record(copy.identifier)
    assert record.void and record.signatures == []
    html = Client().get(_public(copy.identifier)).content.decode()
    assert "Replaced" in html and "replaced by a later version" in html
    assert "Headteacher" not in html and "Signed by" not in html
    for name in signer_names(signing, school):
        assert name not in html


def test_an_identifier_typed_in_lower_case_or_without_dashes_is_found(manchester):
    _, copy, _ = manchester
    canonical = _public(copy.identifier)
    for typed in (copy.identifier.lower(), copy.identifier.replace("-", ""), f" {copy.identifier.lower()} "):
        response = Client().get(reverse("verify_public:lookup"), {"identifier": typed})
        assert response.status_code == 302 and response["Location"] == canonical, typed
    response = Client().get(_public(copy.identifier.replace("-", "").lower()))
    assert response.status_code == 302 and response["Location"] == canonical
    assert Client().get(canonical).status_code == 200


def test_the_lookup_form_is_open_to_anyone(db):
    response = Client().get(reverse("verify_public:lookup"))
    assert response.status_code == 200
    assert 'name="identifier"' in response.content.decode()


@pytest.mark.parametrize(
    "identifier",
    [
        "2222-3333-4444",  # well formed, nobody's
        "ABCD-EFGH-IJKL",  # letters the alphabet leaves out
        "TEST-0001-COPY",
        "x",
        "A" * 5000,
        "'; DROP TABLE partnerships_agreementcopy; --",
        "<script>alert(1)</script>",
        "%F0%9F%98%80",
        "😀😀😀😀-😀😀😀😀-😀😀😀😀",
        "..",
        "\u202eABCD-EFGH-JKMN",
    ],
)
def test_unknown_and_malformed_identifiers_find_nothing_and_never_fail(db, identifier):
    client = Client()
    by_path = client.get(f"/agreements/verify/{quote(identifier, safe='')}/")
    assert by_path.status_code == 404
    if "/" not in identifier:  # a slash leaves the page's own address: the site's "Page not found"
        assert "No agreement has this identifier" in by_path.content.decode()
    by_form = client.get(reverse("verify_public:lookup"), {"identifier": identifier})
    assert by_form.status_code in (400, 404)
    html = by_form.content.decode()
    assert "No agreement has this identifier" in html and 'id="id_identifier-error"' in html
    assert "<script>alert" not in html


def test_an_empty_lookup_asks_for_the_identifier(db):
    response = Client().get(reverse("verify_public:lookup"), {"identifier": ""})
    assert response.status_code == 400
    assert "Enter the document identifier" in response.content.decode()


def test_the_copy_page_links_to_its_public_record(manchester, client_for):
    signing, copy, _ = manchester
    url = reverse("agreement:copy", kwargs={"partnership_slug": signing.partnership.slug, "copy_pk": copy.pk})
    assert _public(copy.identifier) in client_for(signing.coordinator).get(url).content.decode()


def test_the_public_page_runs_a_fixed_number_of_queries(manchester, django_assert_max_num_queries):
    _, copy, _ = manchester
    client = Client()
    with django_assert_max_num_queries(3):  # the copy with its version, partnership and school; its signatures
        assert client.get(_public(copy.identifier)).status_code == 200
