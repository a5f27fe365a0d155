"""The partnership's electronic seal: a PAdES signature over the whole signed copy.

Each partnership seals with its own certificate. Unless one is configured (SEAL_CERT_PATH and
SEAL_KEY_PATH, with SEAL_KEY_PASSWORD if the key is encrypted: one certificate for every partnership,
issued by a provider), a self-issued one is generated on first use: ECDSA P-256, ten years, key usage
digitalSignature and nonRepudiation marked critical (what pyHanko's validator asks of a signer), and
extended key usage documentSigning. Its private key is kept encrypted (PKCS#8, best available
encryption) with a password from the environment: settings.SEAL_KEY, or when that is empty a key
derived from SECRET_KEY by HKDF (so rotating SECRET_KEY without setting SEAL_KEY makes existing seal
keys unreadable: set SEAL_KEY in production). Where they are kept is `load_seal_material` and
`store_seal_material` only, today one file per partnership under PRIVATE_MEDIA_ROOT/seals/, so
storage can move to the database without touching anything else.

With SEAL_TSA_URL set, the seal carries a timestamp from that authority (PAdES B-T); without it, B-B.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID, ObjectIdentifier
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko_certvalidator.registry import SimpleCertificateStore

from partnerships.agreements.run import run_coroutine

SEAL_FIELD = "Seal"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
VALID_YEARS = 10
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning, RFC 9336


@dataclass(frozen=True)
class SealMaterial:
    certificate_pem: bytes
    key_pem: bytes  # PKCS#8, encrypted with `seal_password()`


def seal_password() -> bytes:
    configured = settings.SEAL_KEY
    if configured:
        return configured.encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"commonroom agreement seal key").derive(
        settings.SECRET_KEY.encode()
    )
    return base64.urlsafe_b64encode(derived)


def _seal_dir() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "seals"


def _path(partnership_slug: str) -> Path:
    if not SLUG.match(partnership_slug):
        raise ValueError(f"Not a partnership slug: {partnership_slug!r}")
    return _seal_dir() / f"{partnership_slug}.pem"


def load_seal_material(partnership_slug: str) -> SealMaterial | None:
    path = _path(partnership_slug)
    if not path.exists():
        return None
    data = path.read_bytes()
    split = data.index(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    return SealMaterial(certificate_pem=data[:split], key_pem=data[split:])


def store_seal_material(partnership_slug: str, material: SealMaterial) -> None:
    """One file, the certificate then the encrypted key, published whole or not at all: written aside,
    then linked into place, which fails if another process's first seal got there first."""
    path = _path(partnership_slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".new-", delete=False) as handle:
        handle.write(material.certificate_pem + material.key_pem)
    try:
        os.chmod(handle.name, 0o600)
        os.link(handle.name, path)
    finally:
        os.unlink(handle.name)


def stored_seal_certificates() -> list[bytes]:
    """Every partnership's seal certificate (PEM) known here, for verification."""
    directory = _seal_dir()
    found = sorted(directory.glob("*.pem")) if directory.is_dir() else []
    return [load_seal_material(path.stem).certificate_pem for path in found if SLUG.match(path.stem)]


def configured_certificate() -> bytes | None:
    path = settings.SEAL_CERT_PATH
    return Path(path).read_bytes() if path else None


def generate_seal_material(partnership_name: str) -> SealMaterial:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{partnership_name} agreement seal"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, partnership_name[:64]),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([DOCUMENT_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SealMaterial(
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(seal_password()),
        ),
    )


def _signer(partnership_slug: str, partnership_name: str) -> signers.SimpleSigner:
    if settings.SEAL_CERT_PATH and settings.SEAL_KEY_PATH:
        password = settings.SEAL_KEY_PASSWORD
        return signers.SimpleSigner.load(
            key_file=settings.SEAL_KEY_PATH,
            cert_file=settings.SEAL_CERT_PATH,
            ca_chain_files=tuple(settings.SEAL_CHAIN_PATHS) or None,
            key_passphrase=password.encode() if password else None,
        )
    material = load_seal_material(partnership_slug)
    if material is None:
        try:
            store_seal_material(partnership_slug, generate_seal_material(partnership_name or partnership_slug))
        except FileExistsError:
            pass  # made by a concurrent first seal a moment ago: use that one
        material = load_seal_material(partnership_slug)
    key = serialization.load_pem_private_key(material.key_pem, password=seal_password())
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    certificate = asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate(material.certificate_pem).public_bytes(serialization.Encoding.DER)
    )
    return signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
    )


def seal(pdf_bytes: bytes, *, partnership_slug: str, partnership_name: str = "") -> bytes:
    """The signed copy with the partnership's PAdES seal over all of it (an incremental update: the
    signed copy's bytes are kept as they were, and the seal covers them and itself)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    tsa_url = settings.SEAL_TSA_URL
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Sealed by the partnership: signed agreement",
        location="Commonroom",
    )
    signer = signers.PdfSigner(
        metadata,
        signer=_signer(partnership_slug, partnership_name),
        timestamper=timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None,
        # Invisible and hidden: a hidden annotation needs no structure element, so the copy stays PDF/UA.
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=SEAL_FIELD,
            invis_sig_settings=fields.InvisSigSettings(set_hidden_flag=True, set_print_flag=False),
        ),
    )
    return run_coroutine(signer.async_sign_pdf(writer)).getvalue()
