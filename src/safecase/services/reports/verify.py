"""Checking a signed report without any vault: its PAdES signature, the identity behind it, and the minisign file.

The order of the checks decides which one message a bad file gets: unreadable, unsigned, signed more than once or
changed after signing (an incremental update), the CMS signature, the certificate's identity binding, then the
detached minisign signature over every byte of the file, and last whether the signer is the one expected.
Trust never comes from the self-signed certificate: it comes from the identity fingerprint, compared with the
signer's contact card or with the digits the signer read aloud.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass
from typing import Any

from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from safecase.crypto import minisign
from safecase.crypto.contact_card import ContactCard
from safecase.crypto.identity import FINGERPRINT_GROUPS, PublicIdentity
from safecase.crypto.report_certificate import certificate_identity, load_certificate, subject_text
from safecase.domain.clock import iso_from_ms
from safecase.errors import IntegrityError, UsageError

# pyHanko logs what it skips or distrusts; the one-line verdict below says it, so nothing else reaches stderr.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())
logging.getLogger("pyhanko_certvalidator").addHandler(logging.NullHandler())

# What damaged input makes pyHanko and asn1crypto raise (pyHanko's validation errors are ValueErrors). A malformed
# number gets decimal.InvalidOperation (an ArithmeticError), a malformed xref stream an AssertionError.
_READ_ERRORS = (PdfError, ValueError, ArithmeticError, AssertionError, KeyError, IndexError, TypeError, AttributeError)

_NOT_A_PDF = "This file is not a PDF, or it is too damaged to read: get a fresh copy from the signer"
_NO_SIGNATURE = "The PDF has no signature: it was never signed, or its signature was removed"
_SIGNATURE_UNREADABLE = "The PDF's signature is damaged and cannot be read: do not trust this file"
_MORE_THAN_ONE = (
    "The PDF has more than one signature: it was changed after it was signed (an incremental update); "
    "do not trust it, and ask the signer for the original file"
)
_INCREMENTAL_UPDATE = (
    "The PDF was changed after it was signed (an incremental update): do not trust it, "
    "and ask the signer for the original file"
)
_NOT_COVERED = "The PDF's signature does not cover the whole file: it was altered; do not trust it"
_CMS_FAILS = (
    "The PDF's signature does not verify: the PDF was altered after it was signed (or the signature was damaged); "
    "do not trust it"
)
_CERTIFICATE_INVALID = (
    "The PDF's signing certificate is not valid for signing at the time the signature claims: do not trust it"
)
# The detached signature's messages name it: {label} is its file name, or "file" when the caller has none.
_MINISIGN_MISSING = "The detached signature {label} is missing: get it from the signer together with the PDF"
_MINISIGN_DAMAGED = "The detached signature {label} is damaged or not a minisign signature: get it again"
_MINISIGN_OTHER_KEY = (
    "The detached signature {label} was made by another key than the PDF's signer: it belongs to another file "
    "or was replaced; do not trust it"
)
_MINISIGN_MISMATCH = (
    "The detached signature {label} does not match this PDF: the PDF or the signature was altered; do not trust it"
)
_MINISIGN_COMMENT = "The trusted comment of the detached signature {label} was altered after signing: do not trust it"
_BAD_FINGERPRINT = f"A fingerprint is {FINGERPRINT_GROUPS} groups of 5 digits, e.g. as `safecase identity` shows it"
_BOTH_EXPECTED = "Give either the signer's fingerprint or their contact card, not both"


@dataclass(frozen=True)
class VerifiedReport:
    """Who signed an intact report, and when they say they did."""

    signer_name: str
    organisation: str
    fingerprint: str
    signed_at: str  # ISO-8601 UTC as the signer reported it, e.g. 2026-11-28T12:00:00.000Z, or ""
    pdf_sha256: str


def normalise_fingerprint(text: str) -> str:
    """The 40 digits of a fingerprint as typed (spaces optional), grouped as `PublicIdentity.fingerprint` shows it."""
    digits = "".join(text.split())
    if len(digits) != FINGERPRINT_GROUPS * 5 or not digits.isascii() or not digits.isdigit():
        raise UsageError(_BAD_FINGERPRINT)
    return " ".join(digits[i : i + 5] for i in range(0, len(digits), 5))


def _only_signature(pdf: bytes) -> EmbeddedPdfSignature:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    except (*_READ_ERRORS, RecursionError):
        raise IntegrityError(_NOT_A_PDF) from None
    try:
        embedded: list[EmbeddedPdfSignature] = list(reader.embedded_signatures)
    except (*_READ_ERRORS, RecursionError):
        raise IntegrityError(_SIGNATURE_UNREADABLE) from None
    if not embedded:
        raise IntegrityError(_NO_SIGNATURE)
    if len(embedded) > 1:
        raise IntegrityError(_MORE_THAN_ONE)
    if embedded[0].sig_object_type != "/Sig":
        raise IntegrityError(_NO_SIGNATURE)
    return embedded[0]


def _check_coverage(signature: EmbeddedPdfSignature) -> None:
    try:
        coverage = signature.evaluate_signature_coverage()
    except (*_READ_ERRORS, RecursionError):
        raise IntegrityError(_NOT_COVERED) from None
    if coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        raise IntegrityError(_INCREMENTAL_UPDATE)
    if coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise IntegrityError(_NOT_COVERED)


def _claimed_time(signature: EmbeddedPdfSignature) -> datetime.datetime | None:
    try:
        return signature.self_reported_timestamp
    except (*_READ_ERRORS, RecursionError):
        return None


def _validate_cms(signature: EmbeddedPdfSignature, signed_at: datetime.datetime | None) -> PdfSignatureStatus:
    """pyHanko's validation with the embedded certificate as its own trust root, offline.

    The certificate is checked at the signing time the signature claims, so a report stays verifiable after the
    certificate expires; what makes it trustworthy is the identity binding, not the certificate's dates.
    """
    try:
        context = ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False, moment=signed_at)
        status = validate_pdf_signature(signature, context, skip_diff=True)
    except (*_READ_ERRORS, RecursionError):
        raise IntegrityError(_CMS_FAILS) from None
    if not (status.intact and status.valid):
        raise IntegrityError(_CMS_FAILS)
    if not status.trusted:
        raise IntegrityError(_CERTIFICATE_INVALID)
    return status


def _certificate_der(signature: EmbeddedPdfSignature) -> bytes:
    certificate: Any = signature.signer_cert  # asn1crypto, which ships no type hints
    der = certificate.dump()
    if not isinstance(der, bytes):
        raise IntegrityError(_SIGNATURE_UNREADABLE)
    return der


def _check_minisign(identity: PublicIdentity, pdf: bytes, minisig_text: str | bytes | None, label: str) -> None:
    if minisig_text is None:
        raise IntegrityError(_MINISIGN_MISSING.format(label=label))
    try:
        minisign.verify(identity.ed25519_public_bytes, pdf, minisig_text)
    except (minisign.MalformedSignatureError, minisign.LegacySignatureError):
        raise IntegrityError(_MINISIGN_DAMAGED.format(label=label)) from None
    except minisign.KeyIdMismatchError:
        raise IntegrityError(_MINISIGN_OTHER_KEY.format(label=label)) from None
    except minisign.SignatureMismatchError:
        raise IntegrityError(_MINISIGN_MISMATCH.format(label=label)) from None
    except minisign.TrustedCommentAlteredError:
        raise IntegrityError(_MINISIGN_COMMENT.format(label=label)) from None


def _check_expected(identity: PublicIdentity, signer_fingerprint: str | None, card: ContactCard | None) -> None:
    actual = identity.fingerprint()
    if signer_fingerprint is not None:
        expected = normalise_fingerprint(signer_fingerprint)
        if expected != actual:
            raise IntegrityError(
                f"The PDF was signed by someone else: its signer's fingerprint is {actual}, not {expected}"
            )
    if card is not None and card.public != identity:
        raise IntegrityError(
            f"The PDF was signed by someone else than the contact card's owner: its signer's fingerprint is "
            f"{actual}, the card's is {card.fingerprint}"
        )


def _iso(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return iso_from_ms(int(moment.timestamp() * 1000))


def verify_report(
    pdf: bytes,
    minisig_text: str | bytes | None,
    *,
    signer_fingerprint: str | None = None,
    card: ContactCard | None = None,
    minisig_label: str = "file",
) -> VerifiedReport:
    """Check a signed report and its detached signature; IntegrityError (saying which check failed) unless intact.

    `signer_fingerprint` (digits, spaces optional) or `card` names who must have signed; without either, the
    result names the signer and the caller compares the fingerprint. `minisig_label` names the detached
    signature in messages (its file name, made printable).
    """
    if signer_fingerprint is not None and card is not None:
        raise UsageError(_BOTH_EXPECTED)
    if signer_fingerprint is not None:
        normalise_fingerprint(signer_fingerprint)  # a typo is a usage error, before any verdict on the file
    signature = _only_signature(pdf)
    _check_coverage(signature)
    signed_at = _claimed_time(signature)
    _validate_cms(signature, signed_at)
    certificate = load_certificate(_certificate_der(signature))
    identity = certificate_identity(certificate)
    _check_minisign(identity, pdf, minisig_text, minisig_label)
    _check_expected(identity, signer_fingerprint, card)
    return VerifiedReport(
        signer_name=subject_text(certificate, NameOID.COMMON_NAME),
        organisation=subject_text(certificate, NameOID.ORGANIZATION_NAME),
        fingerprint=identity.fingerprint(),
        signed_at=_iso(signed_at),
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
