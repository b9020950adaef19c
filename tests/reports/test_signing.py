"""Signing reports: the identity-bound report certificate, PAdES by pyHanko, minisign over the signed bytes."""

from __future__ import annotations

import datetime
import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from safecase.crypto import minisign
from safecase.crypto.identity import Identity
from safecase.crypto.report_certificate import (
    BINDING_OID,
    DOCUMENT_SIGNING_OID,
    certificate_identity,
    make_report_certificate,
)
from safecase.domain.clock import FakeClock
from safecase.errors import IntegrityError, UsageError
from safecase.services.reports.signing import SIGNATURE_FIELD, report_signer, sign_report
from safecase.services.session import VaultSession
from tests.reports.signing_fixtures import make_pdf

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
DAY_MS = 86_400_000


def now_of(session: VaultSession) -> datetime.datetime:
    return datetime.datetime.fromisoformat(session.now_iso())


def audit_entries(session: VaultSession, action: str) -> list[tuple[str, str]]:
    rows = session.db.query_all("SELECT subject, detail FROM audit_log WHERE action = ? ORDER BY seq", (action,))
    return [(row[0], row[1]) for row in rows]


def test_report_certificate_is_p256_for_signing_and_bound_to_the_identity() -> None:
    identity = Identity.generate()
    key_der, cert_der = make_report_certificate(identity, "Kim Min-ji", "NK Watch", NOW)
    cert = x509.load_der_x509_certificate(cert_der)
    key = serialization.load_der_private_key(key_der, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1)
    assert cert.public_key() == key.public_key()
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Kim Min-ji"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "NK Watch"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    purposes = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert set(purposes) == {ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING_OID}
    assert not cert.extensions.get_extension_for_oid(BINDING_OID).critical
    assert cert.not_valid_before_utc == NOW
    assert cert.not_valid_after_utc - NOW >= datetime.timedelta(days=3650)
    assert certificate_identity(cert_der) == identity.public()


def test_certificate_without_a_name_is_the_safecase_report_signer() -> None:
    _, cert_der = make_report_certificate(Identity.generate(), "  ", "", NOW)
    cert = x509.load_der_x509_certificate(cert_der)
    assert cert.subject.rfc4514_string() == "CN=SafeCase report signer"


def _certificate_with(key: ec.EllipticCurvePrivateKey, extensions: list[x509.Extension[x509.ExtensionType]]) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Impostor")])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(NOW)
        .not_valid_after(NOW + datetime.timedelta(days=30))
    )
    for extension in extensions:
        builder = builder.add_extension(extension.value, critical=extension.critical)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def test_a_binding_copied_onto_another_key_is_refused() -> None:
    _, cert_der = make_report_certificate(Identity.generate(), "Victim", "", NOW)
    binding = x509.load_der_x509_certificate(cert_der).extensions.get_extension_for_oid(BINDING_OID)
    forged = _certificate_with(ec.generate_private_key(ec.SECP256R1()), [binding])
    with pytest.raises(IntegrityError, match="claims an identity that did not vouch for it"):
        certificate_identity(forged)


def test_a_certificate_without_binding_names_no_identity() -> None:
    plain = _certificate_with(ec.generate_private_key(ec.SECP256R1()), [])
    with pytest.raises(IntegrityError, match="not signed by a SafeCase identity"):
        certificate_identity(plain)
    with pytest.raises(IntegrityError, match="cannot be read"):
        certificate_identity(b"not a certificate")


def test_a_damaged_binding_is_refused() -> None:
    damaged = x509.Extension(BINDING_OID, False, x509.UnrecognizedExtension(BINDING_OID, b"\x0c\x02{}"))
    cert = _certificate_with(ec.generate_private_key(ec.SECP256R1()), [damaged])
    with pytest.raises(IntegrityError, match="damaged identity binding"):
        certificate_identity(cert)


def test_report_key_is_made_once_and_stored(session: VaultSession) -> None:
    first = report_signer(session)
    second = report_signer(session)
    assert first.certificate_der == second.certificate_der
    assert first.identity() == session.identity.public()
    assert first.certificate.subject.rfc4514_string() == "O=Test Org,CN=Test Worker"
    stored = session.db.query_one("SELECT certificate_der FROM report_signing_key WHERE id = 1")
    assert bytes(stored[0]) == first.certificate_der
    assert audit_entries(session, "report.key_created") == [("", hashlib.sha256(first.certificate_der).hexdigest())]
    assert "PRIVATE" not in repr(first) and "private_key" not in repr(first)


def test_report_key_is_renewed_shortly_before_its_certificate_expires(session: VaultSession, clock: FakeClock) -> None:
    first = report_signer(session)
    clock.advance(int((first.certificate.not_valid_after_utc - now_of(session)).total_seconds() * 1000) - DAY_MS * 40)
    assert report_signer(session).certificate_der == first.certificate_der
    clock.advance(DAY_MS * 15)
    renewed = report_signer(session)
    assert renewed.certificate_der != first.certificate_der
    assert renewed.identity() == session.identity.public()
    assert len(audit_entries(session, "report.key_created")) == 2


def test_signed_report_passes_pyhankos_validator(session: VaultSession) -> None:
    signed = sign_report(session, make_pdf(), reason="Submission to the UN", location="Seoul")
    embedded = PdfFileReader(io.BytesIO(signed.pdf)).embedded_signatures
    assert [signature.field_name for signature in embedded] == [SIGNATURE_FIELD]
    signature = embedded[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Submission to the UN"
    assert signature.sig_object["/Location"] == "Seoul"
    context = ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"
    assert certificate_identity(signature.signer_cert.dump()) == session.identity.public()


def test_minisign_signature_covers_the_final_pdf(session: VaultSession) -> None:
    signed = sign_report(session, make_pdf(), reason="test")
    public = session.identity.public()
    comment = minisign.verify(public.ed25519_public_bytes, signed.pdf, signed.minisig)
    assert hashlib.sha256(signed.pdf).hexdigest() in comment
    assert public.fingerprint() in comment
    with pytest.raises(minisign.SignatureMismatchError):
        minisign.verify(public.ed25519_public_bytes, signed.pdf + b"\n", signed.minisig)


def test_signing_is_logged_by_hash_only(session: VaultSession) -> None:
    signed = sign_report(session, make_pdf("secret testimony words"), reason="test")
    assert audit_entries(session, "report.signed") == [(hashlib.sha256(signed.pdf).hexdigest(), "")]
    rows = session.db.query_all("SELECT action, subject, detail FROM audit_log")
    assert not any("secret" in " ".join(row) for row in rows)


def test_stock_minisign_tool_verifies_the_signed_pdf(session: VaultSession, tmp_path: Path) -> None:
    tool = shutil.which("minisign")
    if tool is None:
        pytest.skip("the minisign tool is not installed")
    signed = sign_report(session, make_pdf(), reason="test")
    pdf_path = tmp_path / "report.pdf"
    pdf_path.write_bytes(signed.pdf)
    (tmp_path / "report.pdf.minisig").write_text(signed.minisig, encoding="utf-8")
    public_key = minisign.public_key_base64(session.identity.public_key_bytes)
    result = subprocess.run([tool, "-Vm", str(pdf_path), "-P", public_key], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert session.identity.public().fingerprint() in result.stdout
    pdf_path.write_bytes(signed.pdf[:-1] + bytes([signed.pdf[-1] ^ 1]))
    tampered = subprocess.run([tool, "-Vm", str(pdf_path), "-P", public_key], capture_output=True, check=False)
    assert tampered.returncode != 0


def test_signing_something_that_is_not_a_pdf_is_refused(session: VaultSession) -> None:
    with pytest.raises(UsageError, match="not a readable PDF"):
        sign_report(session, b"hello, not a pdf", reason="test")
