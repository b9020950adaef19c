"""The certificate that signs reports as PDF, bound to the vault identity so a PDF alone names its signer.

PDF readers show a signature panel only for signatures by X.509 certificates with keys they know, so reports are
signed with an ECDSA P-256 key and a self-signed certificate. Nobody trusts that certificate by itself: it carries a
private, non-critical extension in which the vault identity vouches for the ECDSA key. Anyone with the PDF can
recompute the identity fingerprint from it and compare it with the signer's contact card or the digits read aloud.

The extension (OID ``BINDING_OID``) holds a DER UTF8String of canonical JSON::

    {"age_recipient": "age1…", "ed25519_public_key": <base64>, "format": "safecase-report-signer",
     "signature": <base64>, "version": 1}

where ``signature`` is the identity's Ed25519 signature over ``length_prefixed(label, SubjectPublicKeyInfo DER)``.
The OID lives under the UUID arc 2.25 (ITU-T X.667), which needs no registration and cannot collide: the number is
the UUID 2884d8b9-1854-4115-a372-870c3b7157bc as an integer, minted once for SafeCase's report binding v1.
"""

from __future__ import annotations

import datetime
import secrets

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from safecase.crypto.encoding import b64decode_strict, b64encode, canonical_json, length_prefixed, parse_json
from safecase.crypto.identity import Identity, PublicIdentity, verify_signature
from safecase.errors import IntegrityError

BINDING_OID = x509.ObjectIdentifier("2.25.53858898681937183420372882375622875068")
DOCUMENT_SIGNING_OID = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # RFC 9336 id-kp-documentSigning
VALIDITY = datetime.timedelta(days=3652)
DEFAULT_SIGNER_NAME = "SafeCase report signer"
_MAX_NAME_CHARS = 64  # the X.520 upper bound for commonName and organizationName

_FORMAT = "safecase-report-signer"
_VERSION = 1
_SIGNATURE_LABEL = b"safecase report certificate v1"
_UTF8_STRING_TAG = 0x0C
_MAX_BINDING_BYTES = 4096

_NOT_A_CERTIFICATE = "The PDF's signing certificate cannot be read: the signature is damaged"
_NOT_BOUND = (
    "The PDF was not signed by a SafeCase identity: its certificate carries no identity binding, "
    "so there is no fingerprint to check"
)
_BAD_BINDING = "The PDF's signing certificate has a damaged identity binding: do not trust the signature"
_FORGED_BINDING = (
    "The PDF's signing certificate claims an identity that did not vouch for it: the certificate was forged or "
    "altered; do not trust the signature"
)


def _der_utf8_string(content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([_UTF8_STRING_TAG, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([_UTF8_STRING_TAG, 0x80 | size]) + length.to_bytes(size, "big") + content


def _read_der_utf8_string(data: bytes) -> bytes:
    """The content of a DER UTF8String that is all of `data`; ValueError otherwise."""
    if len(data) < 2 or data[0] != _UTF8_STRING_TAG:
        raise ValueError("not a UTF8String")
    first = data[1]
    if first < 0x80:
        length, start = first, 2
    else:
        size = first & 0x7F
        if size == 0 or size > 2 or len(data) < 2 + size:
            raise ValueError("bad length")
        length, start = int.from_bytes(data[2 : 2 + size], "big"), 2 + size
        if length < 0x80 or data[2] == 0:
            raise ValueError("length not in DER form")
    if len(data) != start + length:
        raise ValueError("length mismatch")
    return data[start:]


def _signed_bytes(spki_der: bytes) -> bytes:
    return length_prefixed(_SIGNATURE_LABEL, spki_der)


def _binding_value(identity: Identity, spki_der: bytes) -> bytes:
    public = identity.public()
    fields = {
        "format": _FORMAT,
        "version": _VERSION,
        "ed25519_public_key": public.ed25519_public_b64(),
        "age_recipient": public.age_recipient,
        "signature": b64encode(identity.sign(_signed_bytes(spki_der))),
    }
    return _der_utf8_string(canonical_json(fields))


def _name(display_name: str, organisation: str) -> x509.Name:
    common_name = display_name.strip()[:_MAX_NAME_CHARS] or DEFAULT_SIGNER_NAME
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation.strip():
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation.strip()[:_MAX_NAME_CHARS]))
    return x509.Name(attributes)


def make_report_certificate(
    identity: Identity, display_name: str, organisation: str, now: datetime.datetime
) -> tuple[bytes, bytes]:
    """A new ECDSA P-256 key (PKCS#8 DER) and its self-signed certificate (DER), valid ~10 years from `now`."""
    key = ec.generate_private_key(ec.SECP256R1())
    public_key = key.public_key()
    spki_der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    name = _name(display_name, organisation)
    key_usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1 or 1)
        .not_valid_before(now)
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage, critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING_OID]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.UnrecognizedExtension(BINDING_OID, _binding_value(identity, spki_der)), critical=False)
        .sign(key, hashes.SHA256())
    )
    private_key_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private_key_der, certificate.public_bytes(serialization.Encoding.DER)


def load_certificate(certificate_der: bytes) -> x509.Certificate:
    """Parse a DER certificate; IntegrityError if it is not one."""
    try:
        return x509.load_der_x509_certificate(certificate_der)
    except ValueError:
        raise IntegrityError(_NOT_A_CERTIFICATE) from None


def _parse_binding(value: bytes) -> tuple[PublicIdentity, bytes]:
    if len(value) > _MAX_BINDING_BYTES:
        raise ValueError("binding too large")
    raw = parse_json(_read_der_utf8_string(value))
    expected = {"format", "version", "ed25519_public_key", "age_recipient", "signature"}
    if not isinstance(raw, dict) or set(raw) != expected:
        raise ValueError("unexpected fields")
    if raw["format"] != _FORMAT or type(raw["version"]) is not int or raw["version"] != _VERSION:
        raise ValueError("unexpected format")
    if not all(isinstance(raw[key], str) for key in expected - {"version"}):
        raise ValueError("unexpected types")
    public = PublicIdentity(b64decode_strict(raw["ed25519_public_key"]), raw["age_recipient"])
    return public, b64decode_strict(raw["signature"])


def certificate_identity(certificate: x509.Certificate | bytes) -> PublicIdentity:
    """The vault identity that vouched for this certificate's key; IntegrityError if none did (or it was forged)."""
    cert = load_certificate(certificate) if isinstance(certificate, bytes) else certificate
    try:
        extension = cert.extensions.get_extension_for_oid(BINDING_OID)
    except x509.ExtensionNotFound:
        raise IntegrityError(_NOT_BOUND) from None
    except ValueError:  # a malformed extension elsewhere in the certificate
        raise IntegrityError(_NOT_A_CERTIFICATE) from None
    if not isinstance(extension.value, x509.UnrecognizedExtension):
        raise IntegrityError(_BAD_BINDING)
    try:
        public, signature = _parse_binding(extension.value.value)
    except (ValueError, RecursionError):
        raise IntegrityError(_BAD_BINDING) from None
    try:
        spki_der = cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except (ValueError, UnsupportedAlgorithm):
        raise IntegrityError(_NOT_A_CERTIFICATE) from None
    if not verify_signature(public.ed25519_public_bytes, _signed_bytes(spki_der), signature):
        raise IntegrityError(_FORGED_BINDING)
    return public


def subject_text(certificate: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    """The first value of `oid` in the certificate's subject (e.g. its common name), or ""."""
    values = certificate.subject.get_attributes_for_oid(oid)
    if not values:
        return ""
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")
