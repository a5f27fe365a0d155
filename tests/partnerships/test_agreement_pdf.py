"""The agreement PDF engine with real components: WeasyPrint renders, pyHanko adds fields and seals,
and independent programs read the results back (poppler's pdftotext and pdftoppm, pypdf, qpdf,
pyHanko's validator). Refused resources must stop the rendering, and no request may leave the process."""

from __future__ import annotations

import base64
import http.server
import io
import shutil
import subprocess
import threading
from datetime import UTC, date, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.test import override_settings
from django.utils.html import escape
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from weasyprint import Attachment

from partnerships.agreements.document import AgreementDocument, Block, Section, Signature, sha256
from partnerships.agreements.fetch import STATIC_BASE_URL, Refused, StaticOnlyFetcher, html_document
from partnerships.agreements.pdf import blank_pdf, signed_pdf
from partnerships.agreements.run import run_coroutine
from partnerships.agreements.seal import (
    generate_seal_material,
    load_seal_material,
    seal,
    seal_password,
    store_seal_material,
)
from partnerships.agreements.verify import NOT_A_PDF, NOT_SEALED, verify_pdf

HEADINGS = ["Scope and members", "Purpose and principles", "Aims", "Strategic management", "Funding", "Leaving"]


def _document(*, partnership: str, school: str, members: list[str], blocks: list[Block], sections=None):
    sections = sections or [
        Section(heading, f"<p>{escape('The schools agree to work together & share what works. ' * 12)}</p>")
        for heading in HEADINGS
    ]
    return AgreementDocument(
        partnership_name=partnership,
        title="Partnership agreement",
        version_number=2,
        version_label="Renewed 2011",
        starts=date(2011, 5, 1),
        ends=date(2014, 4, 30),
        school_name=school,
        school_urn="990101",
        members=members,
        sections=sections,
        blocks=blocks,
        identifier="AGR-2-990101-7F3A",
    )


EXETER_MEMBERS = [f"Exeter Example School {n}" for n in range(1, 15)]
MANCHESTER_MEMBERS = [f"Manchester Example Academy {n}" for n in range(1, 9)]


def exeter(**kwargs) -> AgreementDocument:
    school = EXETER_MEMBERS[0]
    return _document(
        partnership="Exeter Example Learning Community",
        school=school,
        members=EXETER_MEMBERS,
        blocks=[Block("head", "Headteacher", school), Block("chair-governors", "Chair of governors", school)],
        **kwargs,
    )


def manchester() -> AgreementDocument:
    school = MANCHESTER_MEMBERS[2]
    partnership = "Heart of Example Schools' Partnership"
    return _document(
        partnership=partnership,
        school=school,
        members=MANCHESTER_MEMBERS,
        blocks=[
            Block("head", "Headteacher", school),
            Block("chair-governors", "Chair of governors", school),
            Block("chair", "Chairperson", partnership),
        ],
    )


def _text(pdf: bytes) -> list[str]:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode().split("\f")[:-1]


def _rendered_pages(pdf: bytes, tmp_path, name: str) -> list:
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-", str(tmp_path / name)], input=pdf, check=True)
    return sorted(tmp_path.glob(f"{name}*.png"))


def _assert_pdf_ua(pdf: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("Partnership agreement: ")
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    return reader


@pytest.fixture(scope="module")
def seals_dir(tmp_path_factory):
    """One private folder for the module, so the seal made by the module's fixtures is found by its
    tests (each test otherwise gets its own PRIVATE_MEDIA_ROOT)."""
    root = tmp_path_factory.mktemp("private")
    with override_settings(PRIVATE_MEDIA_ROOT=root, SEAL_TSA_URL=""):
        yield root


@pytest.fixture(autouse=True)
def _same_seals(_fast_settings, settings, seals_dir):
    settings.PRIVATE_MEDIA_ROOT = seals_dir


@pytest.fixture(scope="module")
def exeter_blank():
    return blank_pdf(exeter())


def _signatures(doc: AgreementDocument, blank: bytes) -> list[Signature]:
    return [
        Signature(
            block_key=block.key,
            name=f"Signer {number}",
            role_label=block.role_label,
            signed_at=datetime(2026, 11, 30, 10, number, tzinfo=UTC),
            ip=f"203.0.113.{number}",
            user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
            method="password re-entered" if number % 2 else "two-factor code",
            document_sha256=sha256(blank),
        )
        for number, block in enumerate(doc.blocks, start=1)
    ]


@pytest.fixture(scope="module")
def exeter_sealed(seals_dir, exeter_blank):
    doc = exeter()
    return seal(signed_pdf(doc, _signatures(doc, exeter_blank)), partnership_slug="exeter", partnership_name="Exeter")


# Rendering safely


def _render(html: str) -> bytes:
    return html_document(f'<!DOCTYPE html><html lang="en-GB"><title>t</title><body>{html}</body></html>').write_pdf()


@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/passwd" alt="x">',
        '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">',
        '<img src="http://127.0.0.1/logo.png" alt="x">',
        '<img src="https://example.org/logo.png" alt="x">',
        '<img src="/etc/passwd" alt="x">',
        f'<img src="{STATIC_BASE_URL}../../etc/passwd" alt="x">',
        f'<img src="{STATIC_BASE_URL}../config/settings.py" alt="x">',
        '<img src="data:text/html;base64,PGgxPg==" alt="x">',
        '<img src="data:image/png;base64,' + base64.b64encode(b"\x89PNG" + bytes(200_000)).decode() + '" alt="x">',
        f'<a rel="attachment" href="{STATIC_BASE_URL}css/meetings.css">notes</a>',
        f'<link rel="attachment" href="{STATIC_BASE_URL}images/favicon.svg">',
    ],
    ids=[
        "file",
        "metadata-stylesheet",
        "loopback",
        "https",
        "absolute-path",
        "traversal",
        "not-static",
        "data-html",
        "big-data-image",
        "a-attachment",
        "link-attachment",
    ],
)
def test_the_fetcher_refuses_with_an_error(html):
    with pytest.raises(Refused):
        _render(html)


def test_an_attachment_passed_to_the_writer_is_refused():
    fetcher = StaticOnlyFetcher()
    document = html_document('<html lang="en-GB"><title>t</title><p>x</p></html>')
    attachment = Attachment(url=f"{STATIC_BASE_URL}css/meetings.css", url_fetcher=fetcher)
    with pytest.raises(Refused):
        document.write_pdf(attachments=[attachment])


def test_static_files_and_small_images_are_served():
    pdf = _render(
        f'<link rel="stylesheet" href="{STATIC_BASE_URL}css/meetings.css">'
        '<img src="images/favicon.svg" alt="Commonroom">'
        '<img alt="dot" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">'
    )
    assert pdf.startswith(b"%PDF-")


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        _Recorder.requests.append(self.path)
        self.send_response(302)
        self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_no_request_leaves_the_process_not_even_to_a_redirecting_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/redirect"
        for html in (f'<img src="{url}" alt="x">', f'<link rel="stylesheet" href="{url}">'):
            with pytest.raises(Refused):
                _render(html)
        with pytest.raises(Refused):
            StaticOnlyFetcher().open(url)
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.requests == []


def test_section_markup_pointing_outside_stops_the_agreement():
    sections = [Section("Scope", '<p>Members</p><img src="file:///etc/passwd" alt="x">')]
    with pytest.raises(Refused):
        blank_pdf(exeter(sections=sections))


def test_an_agreement_cannot_end_before_it_starts_or_have_no_signatories():
    with pytest.raises(ValueError, match="end before it starts"):
        AgreementDocument(**{**exeter().__dict__, "starts": date(2014, 5, 1)})
    with pytest.raises(ValueError, match="at least one signature block"):
        AgreementDocument(**{**exeter().__dict__, "blocks": []})
    with pytest.raises(ValueError, match="its own key"):
        AgreementDocument(**{**exeter().__dict__, "blocks": [Block("head", "Headteacher", "A")] * 2})


# The blank signable PDF


def _form_elements(reader: PdfReader) -> dict:
    """Each widget's /Form structure element, found through the parent tree from its /StructParent."""
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    found = {}
    for field in reader.trailer["/Root"]["/AcroForm"]["/Fields"]:
        widget = field.get_object()
        element = parents[widget["/StructParent"]].get_object()
        assert element["/S"] == "/Form"
        objr = element["/K"][0].get_object()
        assert objr["/Type"] == "/OBJR" and objr.raw_get("/Obj").idnum == field.idnum
        area = element["/P"].get_object()
        assert area["/S"] == "/Div" and area["/P"].get_object()["/S"] == "/TD"  # in its block's signature cell
        found[str(widget["/T"])] = widget
    return found


def test_exeter_blank_holds_members_and_two_signature_blocks(exeter_blank, tmp_path):
    pages = _text(exeter_blank)
    text = "\n".join(pages)
    for member in EXETER_MEMBERS:
        assert member in text
    last = pages[-1]
    assert last.count("Name") == 2 and last.count("Signature\n") + last.count("Signature ") >= 2
    assert "Headteacher, Exeter Example School 1" in last and "Chair of governors, Exeter Example School 1" in last
    assert "1 May 2011 to 30 April 2014" in text
    assert all("AGR-2-990101-7F3A" in page and f"of {len(pages)}" in page for page in pages)
    reader = _assert_pdf_ua(exeter_blank)
    widgets = _form_elements(reader)
    assert set(widgets) == {"signature-head", "signature-chair-governors"}
    assert all(widget["/FT"] == "/Sig" and "/V" not in widget for widget in widgets.values())
    assert all(page["/Tabs"] == "/S" for page in reader.pages)
    assert len(_rendered_pages(exeter_blank, tmp_path, "blank")) == len(pages)


def test_the_fields_are_an_incremental_update_over_weasyprints_bytes(exeter_blank):
    # The first revision is WeasyPrint's file unchanged; the stored blank's hash covers both.
    assert exeter_blank.count(b"%%EOF") == 2
    reader = PdfFileReader(io.BytesIO(exeter_blank))
    assert reader.xrefs.total_revisions == 2


def test_manchester_blank_has_three_blocks(tmp_path):
    pdf = blank_pdf(manchester())
    last = _text(pdf)[-1]
    assert "Chairperson, Heart of Example Schools' Partnership" in last
    assert last.count("Date") == 3
    widgets = _form_elements(_assert_pdf_ua(pdf))
    assert set(widgets) == {"signature-head", "signature-chair-governors", "signature-chair"}


def test_empty_divs_in_the_sections_do_not_move_the_fields():
    sections = [Section("Scope", "<div></div><p>The members.</p><div></div>")]
    widgets = _form_elements(_assert_pdf_ua(blank_pdf(exeter(sections=sections))))
    assert set(widgets) == {"signature-head", "signature-chair-governors"}


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_finds_no_structural_error(exeter_blank, exeter_sealed, tmp_path):
    for name, pdf in (("blank", exeter_blank), ("sealed", exeter_sealed)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


# The signed, sealed copy


def test_the_sealed_copy_shows_names_dates_and_the_certificate(exeter_sealed, exeter_blank, tmp_path):
    pages = _text(exeter_sealed)
    assert "Signer 1" in pages[-2] and "30 November 2026" in pages[-2]
    certificate = pages[-1]
    assert "Certificate of signing" in certificate
    for value in ("Signer 1", "Signer 2", "203.0.113.1", "203.0.113.2", "two-factor code", "Firefox/133.0"):
        assert value in certificate
    assert sha256(exeter_blank) in certificate.replace(" ", "")
    reader = _assert_pdf_ua(exeter_sealed)
    seal_widget = reader.trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()
    assert seal_widget["/F"] & 2  # hidden: no structure element needed
    assert len(_rendered_pages(exeter_sealed, tmp_path, "sealed")) == len(pages)


def _trusting(slug: str) -> ValidationContext:
    roots = load_certs_from_pemder_data(load_seal_material(slug).certificate_pem)
    return ValidationContext(trust_roots=list(roots), allow_fetching=False)


def test_pyhanko_validates_the_seal_over_the_whole_file(exeter_sealed):
    signature = PdfFileReader(io.BytesIO(exeter_sealed)).embedded_signatures[0]
    status = run_coroutine(async_validate_pdf_signature(signature, signer_validation_context=_trusting("exeter")))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line


def test_verification_accepts_the_sealed_copy(exeter_sealed):
    result = verify_pdf(exeter_sealed)
    assert result.genuine and result.intact and result.problems == []
    assert result.identifier == "AGR-2-990101-7F3A"
    assert "Exeter" in result.signer and result.signed_at is not None


def test_a_flipped_byte_is_altered(exeter_sealed):
    data = bytearray(exeter_sealed)
    data[len(data) // 3] ^= 0x01
    result = verify_pdf(bytes(data))
    assert not result.genuine and not result.intact
    assert result.problems


def test_an_update_appended_after_sealing_is_altered(exeter_sealed):
    writer = IncrementalPdfFileWriter(io.BytesIO(exeter_sealed))
    page_ref = writer.find_page_for_modification(0)[0]
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (Amended: no fee) Tj ET")
    page_ref.get_object()[generic.pdf_name("/Contents")] = writer.add_object(stream)
    writer.mark_update(page_ref)
    output = io.BytesIO()
    writer.write(output)
    result = verify_pdf(output.getvalue())
    assert not result.genuine and not result.intact
    assert any("after it was sealed" in problem for problem in result.problems)


def test_unsealed_foreign_and_non_pdf_files_are_not_genuine(exeter_blank, seals_dir, tmp_path):
    assert verify_pdf(exeter_blank).problems == [NOT_SEALED]
    assert verify_pdf(b"GIF89a not a pdf").problems == [NOT_A_PDF]
    doc = exeter()
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path):
        foreign = seal(signed_pdf(doc, _signatures(doc, exeter_blank)), partnership_slug="elsewhere")
    result = verify_pdf(foreign)
    assert result.intact and not result.genuine
    assert result.problems == ["The seal was not made by a partnership of this installation."]


def test_the_seal_certificate_is_made_once_with_the_usages_the_validator_expects(exeter_sealed):
    material = load_seal_material("exeter")
    certificate = x509.load_pem_x509_certificate(material.certificate_pem)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(material.key_pem, password=None)  # kept encrypted
    serialization.load_pem_private_key(material.key_pem, password=seal_password())
    doc = exeter()
    seal(signed_pdf(doc, _signatures(doc, b"")), partnership_slug="exeter")
    assert load_seal_material("exeter") == material
    with pytest.raises(FileExistsError):  # a second first seal at the same moment keeps the first
        store_seal_material("exeter", generate_seal_material("Exeter"))
    assert load_seal_material("exeter") == material


def test_a_configured_certificate_seals_and_is_trusted(settings, exeter_blank, tmp_path):
    material = generate_seal_material("Configured provider")
    (tmp_path / "seal.crt").write_bytes(material.certificate_pem)
    (tmp_path / "seal.key").write_bytes(material.key_pem)
    settings.SEAL_CERT_PATH = str(tmp_path / "seal.crt")
    settings.SEAL_KEY_PATH = str(tmp_path / "seal.key")
    settings.SEAL_KEY_PASSWORD = seal_password().decode()
    doc = exeter()
    sealed = seal(signed_pdf(doc, _signatures(doc, exeter_blank)), partnership_slug="no-stored-seal")
    assert load_seal_material("no-stored-seal") is None
    result = verify_pdf(sealed)
    assert result.genuine and "Configured provider" in result.signer


def _tsa_material():
    """A throwaway timestamp authority: a self-issued certificate for time stamping only."""
    import datetime as dt

    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test TSA signs RSA only
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test timestamp authority")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(der_key),
    )


def test_with_a_timestamp_authority_the_seal_is_timestamped(settings, exeter_blank):
    from asn1crypto import tsp
    from pyhanko.sign.timestamps import DummyTimeStamper

    tsa = DummyTimeStamper(*_tsa_material())

    class Authority(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the standard library's name)
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = tsa.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Authority)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.SEAL_TSA_URL = f"http://127.0.0.1:{server.server_port}/"
        doc = exeter()
        sealed = seal(signed_pdf(doc, _signatures(doc, exeter_blank)), partnership_slug="exeter")
    finally:
        server.shutdown()
        server.server_close()
    signature = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    status = run_coroutine(async_validate_pdf_signature(signature, signer_validation_context=_trusting("exeter")))
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
    assert status.intact and status.trusted
    assert verify_pdf(sealed).genuine


def test_sealing_and_verifying_work_where_an_event_loop_is_already_running(exeter_sealed, exeter_blank):
    """An ASGI server, or a browser driven through Playwright's sync API in the same process, runs an
    event loop in the thread: pyHanko's work then runs in a thread of its own."""

    async def inside_a_running_loop():
        return seal(exeter_blank, partnership_slug="exeter-beacon"), verify_pdf(exeter_sealed)

    # run_coroutine itself, since this test may run where a loop is already going (after browser tests).
    sealed, verification = run_coroutine(inside_a_running_loop())
    assert verification.genuine and verify_pdf(sealed).intact
