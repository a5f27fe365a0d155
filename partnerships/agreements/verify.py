"""Is this PDF a genuine sealed agreement, and was it altered after sealing?

pyHanko validates the seal itself: the signature's cryptography, that it covers the whole file
(nothing appended after it), and that its certificate chains to a seal certificate this installation
trusts (every partnership's stored seal certificate, and the configured one). A hash lookup alone
would say nothing about who made the file.
"""

from __future__ import annotations

import io
import logging

from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from partnerships.agreements.document import Verification
from partnerships.agreements.pdf import KEYWORD_PREFIX
from partnerships.agreements.run import run_coroutine
from partnerships.agreements.seal import SEAL_FIELD, configured_certificate, stored_seal_certificates

logger = logging.getLogger(__name__)

NOT_A_PDF = "This file is not a PDF."
UNREADABLE = "This PDF could not be read: it is damaged or not a PDF at all."
NOT_SEALED = "This PDF carries no partnership seal: it is not a sealed signed copy."


def _trusted() -> list:
    pems = stored_seal_certificates()
    configured = configured_certificate()
    if configured:
        pems.append(configured)
    return [cert for pem in pems for cert in load_certs_from_pemder_data(pem)]


def _identifier(reader: PdfFileReader) -> str:
    info = reader.trailer_view.get("/Info")
    keywords = str(info.get_object().get("/Keywords", "")) if info is not None else ""
    return keywords[len(KEYWORD_PREFIX) :] if keywords.startswith(KEYWORD_PREFIX) else ""


def verify_pdf(data: bytes) -> Verification:
    if not data.lstrip()[:5] == b"%PDF-":
        return Verification(genuine=False, intact=False, problems=[NOT_A_PDF])
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        seals = [sig for sig in reader.embedded_signatures if sig.field_name == SEAL_FIELD]
        identifier = _identifier(reader)
    except Exception as error:  # a damaged upload is an answer for the reader, never a server error
        logger.info("Unreadable PDF at verification: %s", error)
        return Verification(genuine=False, intact=False, problems=[UNREADABLE])
    if not seals:
        return Verification(genuine=False, intact=False, identifier=identifier, problems=[NOT_SEALED])
    trusted = _trusted()
    context = ValidationContext(trust_roots=trusted, allow_fetching=False)
    try:
        status = run_coroutine(
            async_validate_pdf_signature(
                seals[-1],
                signer_validation_context=context,
                key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}),
            )
        )
    except Exception as error:  # as above: pyHanko raises many kinds on malformed signatures
        logger.info("Seal could not be validated: %s", error)
        return Verification(genuine=False, intact=False, identifier=identifier, problems=[UNREADABLE])
    problems = []
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not status.intact or not status.valid:
        problems.append("The document was changed after it was sealed: the seal no longer matches its contents.")
    elif not whole:
        problems.append("Something was added to the document after it was sealed.")
    intact = status.intact and status.valid and whole
    if intact and not status.trusted:
        problems.append("The seal was not made by a partnership of this installation.")
    return Verification(
        genuine=intact and status.trusted,
        intact=intact,
        identifier=identifier,
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        problems=problems,
    )
