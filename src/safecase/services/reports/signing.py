"""Signing a report PDF twice: PAdES for PDF readers, minisign for anyone with the stock tool.

The PAdES signature (pyHanko, baseline B-B, no network) is by the vault's report key, an ECDSA P-256 key whose
certificate the identity vouches for (see `crypto.report_certificate`); it is a certification signature that
permits no changes, so readers flag any later edit. The detached minisign signature is by the identity's own
Ed25519 key over the final PDF bytes, so `minisign -V` checks the very file that was handed over.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass

from cryptography import x509
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from safecase.crypto import minisign
from safecase.crypto.identity import PublicIdentity
from safecase.crypto.report_certificate import certificate_identity, load_certificate, make_report_certificate
from safecase.errors import UsageError
from safecase.services.session import VaultSession

SIGNATURE_FIELD = "SafeCaseSignature"
RENEW_BEFORE = datetime.timedelta(days=30)
_NOT_A_PDF = "The report is not a readable PDF, so it cannot be signed"


@dataclass(frozen=True)
class SignedReport:
    """The signed PDF and the text of its detached minisign signature (the FILE.pdf.minisig file)."""

    pdf: bytes
    minisig: str


class ReportSigner:
    """The vault's report key and certificate. The repr never shows the key."""

    __slots__ = ("_private_key_der", "certificate_der", "created_at")

    def __init__(self, private_key_der: bytes, certificate_der: bytes, created_at: str) -> None:
        self._private_key_der = private_key_der
        self.certificate_der = certificate_der
        self.created_at = created_at

    def __repr__(self) -> str:
        return f"ReportSigner(created_at={self.created_at!r})"

    @property
    def certificate(self) -> x509.Certificate:
        return load_certificate(self.certificate_der)

    def identity(self) -> PublicIdentity:
        """The identity the certificate is bound to (checked, not assumed)."""
        return certificate_identity(self.certificate_der)

    def pyhanko_signer(self) -> signers.SimpleSigner:
        certificate = next(iter(load_certs_from_pemder_data(self.certificate_der)))
        return signers.SimpleSigner(
            signing_cert=certificate,
            signing_key=load_private_key_from_pemder_data(self._private_key_der, passphrase=None),
            # pyhanko-certvalidator leaves this classmethod unannotated; it returns a SimpleCertificateStore.
            cert_registry=SimpleCertificateStore.from_certs([certificate]),  # type: ignore[no-untyped-call]
        )


def _stored_signer(session: VaultSession) -> ReportSigner | None:
    row = session.db.query_one(
        "SELECT private_key_der, certificate_der, created_at FROM report_signing_key WHERE id = 1"
    )
    return None if row is None else ReportSigner(bytes(row[0]), bytes(row[1]), row[2])


def _usable_signer(session: VaultSession) -> ReportSigner | None:
    """The stored key, unless there is none yet, its certificate is about to expire, or (never expected) it is
    bound to another identity."""
    signer = _stored_signer(session)
    if signer is None:
        return None
    now = datetime.datetime.fromisoformat(session.now_iso())
    if signer.certificate.not_valid_after_utc - RENEW_BEFORE <= now:
        return None
    return signer if signer.identity() == session.identity.public() else None


def _create_signer(session: VaultSession) -> ReportSigner:
    record = session.identity_record()
    created_at = session.now_iso()
    private_key_der, certificate_der = make_report_certificate(
        session.identity, record.display_name, record.organisation, datetime.datetime.fromisoformat(created_at)
    )
    session.db.execute(
        "INSERT OR REPLACE INTO report_signing_key (id, private_key_der, certificate_der, created_at) "
        "VALUES (1, ?, ?, ?)",
        (private_key_der, certificate_der, created_at),
    )
    session.log("report.key_created", "", hashlib.sha256(certificate_der).hexdigest())
    return ReportSigner(private_key_der, certificate_der, created_at)


def report_signer(session: VaultSession) -> ReportSigner:
    """The vault's report key, made and stored on first use (and again shortly before its certificate expires)."""
    signer = _usable_signer(session)
    if signer is not None:
        return signer
    with session.db.transaction():
        return _usable_signer(session) or _create_signer(session)  # another process may have made one meanwhile


def _pades_sign(pdf_bytes: bytes, signer: ReportSigner, metadata: signers.PdfSignatureMetadata) -> bytes:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except (PdfError, ValueError, KeyError, IndexError, TypeError):
        raise UsageError(_NOT_A_PDF) from None
    output = io.BytesIO()
    signers.sign_pdf(writer, metadata, signer=signer.pyhanko_signer(), output=output)
    return output.getvalue()


def trusted_comment(pdf_sha256: str, fingerprint: str) -> str:
    """The minisign trusted comment of a report signature: the file's SHA-256 and the signer's fingerprint."""
    return f"SafeCase report sha256:{pdf_sha256} signer fingerprint:{fingerprint}"


def sign_report(session: VaultSession, pdf_bytes: bytes, *, reason: str, location: str = "") -> SignedReport:
    """Sign a report PDF (PAdES B-B certification, then minisign over the signed bytes) and log its SHA-256."""
    signer = report_signer(session)
    record = session.identity_record()
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=record.display_name or None,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    signed = _pades_sign(pdf_bytes, signer, metadata)
    digest = hashlib.sha256(signed).hexdigest()
    fingerprint = session.identity.public().fingerprint()
    minisig = minisign.sign(session.identity, signed, trusted_comment(digest, fingerprint))
    with session.db.transaction():
        session.log("report.signed", digest)
    return SignedReport(signed, minisig)
