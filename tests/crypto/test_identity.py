"""The vault identity: key storage, fingerprint, QR payload, signatures."""

from __future__ import annotations

import base64
import hashlib
import re

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from safecase.crypto.identity import Identity, PublicIdentity, verify, verify_signature
from safecase.errors import IntegrityError, UsageError

# A fixed, fictional identity made only for these tests.
AGE_SECRET = "AGE-SECRET-KEY-1SFE2YF45Q6HFFZXKRT2SM9CQ4FKQ50HFM80NEVWJ7LPVA5S2HZTQKQ6XMV"
AGE_RECIPIENT = "age1ty4shrtqpprt0anfnr6cnud2matdwuylu8xdstgy84rv8tdc4d3sud0sgh"
ED25519_SEED = bytes(range(100, 132))
KNOWN_FINGERPRINT = "27452 98350 64285 84988 97077 42273 60792 15884"


def fixed_identity() -> Identity:
    return Identity(Ed25519PrivateKey.from_private_bytes(ED25519_SEED), pyrage.x25519.Identity.from_str(AGE_SECRET))


def test_public_identity_carries_both_public_keys() -> None:
    public = fixed_identity().public()
    assert public.age_recipient == AGE_RECIPIENT
    assert (
        public.ed25519_public_bytes
        == Ed25519PrivateKey.from_private_bytes(ED25519_SEED).public_key().public_bytes_raw()
    )


def test_fingerprint_is_8_groups_of_5_digits() -> None:
    assert re.fullmatch(r"\d{5}( \d{5}){7}", Identity.generate().public().fingerprint())


def test_fingerprint_is_computed_as_documented() -> None:
    public = fixed_identity().public()
    material = b"".join(
        len(part).to_bytes(2, "big") + part
        for part in (b"safecase identity fingerprint v1", public.ed25519_public_bytes, AGE_RECIPIENT.encode())
    )
    digest = hashlib.sha512(material).digest()
    groups = [int.from_bytes(digest[i : i + 5], "big") % 100000 for i in range(0, 40, 5)]
    assert public.fingerprint() == " ".join(f"{g:05d}" for g in groups)
    assert public.fingerprint_digest() == digest


def test_fingerprint_is_stable() -> None:
    # Pinned: people compare fingerprints across SafeCase versions, so the derivation must never drift.
    assert fixed_identity().public().fingerprint() == KNOWN_FINGERPRINT


def test_fingerprint_changes_with_either_key() -> None:
    public = fixed_identity().public()
    other = Identity.generate().public()
    assert PublicIdentity(other.ed25519_public_bytes, public.age_recipient).fingerprint() != public.fingerprint()
    assert PublicIdentity(public.ed25519_public_bytes, other.age_recipient).fingerprint() != public.fingerprint()


def test_private_json_round_trips() -> None:
    identity = Identity.generate()
    restored = Identity.from_private_json(identity.to_private_json())
    assert restored.public() == identity.public()
    verify(identity.public(), b"report bytes", restored.sign(b"report bytes"))


def test_age_identity_decrypts_what_is_sent_to_the_recipient() -> None:
    identity = fixed_identity()
    recipient = pyrage.x25519.Recipient.from_str(identity.public().age_recipient)
    ciphertext = pyrage.encrypt(b"fictional evidence", [recipient])
    assert pyrage.decrypt(ciphertext, [identity.age_identity]) == b"fictional evidence"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{}",
        "[]",
        '{"format":"safecase-identity","version":2,"ed25519_private_key":"AAAA","age_identity":"x"}',
        '{"age_identity":"AGE-SECRET-KEY-1XYZ","ed25519_private_key":"'
        + "A" * 43
        + '=","format":"safecase-identity","version":1}',
    ],
)
def test_damaged_private_json_is_an_integrity_error(text: str) -> None:
    with pytest.raises(IntegrityError, match="identity is damaged"):
        Identity.from_private_json(text)


@given(st.text(max_size=300))
def test_arbitrary_private_json_raises_only_integrity_errors(text: str) -> None:
    with pytest.raises(IntegrityError):
        Identity.from_private_json(text)


def test_repr_and_public_data_never_show_private_keys() -> None:
    identity = fixed_identity()
    assert AGE_SECRET not in repr(identity)
    assert AGE_SECRET not in identity.public().qr_payload()


def test_qr_payload_round_trips() -> None:
    public = fixed_identity().public()
    payload = public.qr_payload()
    assert payload.startswith("safecase-id:1:")
    assert payload.endswith(":" + public.fingerprint_digest().hex())
    assert AGE_RECIPIENT in payload
    assert PublicIdentity.from_qr_payload(payload) == public


def test_an_altered_qr_payload_is_detected() -> None:
    public = fixed_identity().public()
    other = Identity.generate().public()
    payload = public.qr_payload().replace(AGE_RECIPIENT, other.age_recipient)
    with pytest.raises(IntegrityError, match="altered"):
        PublicIdentity.from_qr_payload(payload)


@pytest.mark.parametrize(
    "text",
    ["", "hello", "safecase-id:1:", "safecase-id:1:a:b:c", "safecase-id:1:" + "A" * 43 + ":age1xyz:00"],
)
def test_a_foreign_qr_code_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="not a SafeCase identity code"):
        PublicIdentity.from_qr_payload(text)


def test_signatures_verify_and_detect_changes() -> None:
    identity = fixed_identity()
    signature = identity.sign(b"signed manifest")
    assert len(signature) == 64
    verify(identity.public(), b"signed manifest", signature)
    with pytest.raises(IntegrityError, match="does not verify"):
        verify(identity.public(), b"signed manifesT", signature)
    with pytest.raises(IntegrityError):
        verify(Identity.generate().public(), b"signed manifest", signature)
    with pytest.raises(IntegrityError):
        verify(identity.public(), b"signed manifest", signature[:-1])


def test_verify_signature_answers_with_a_bool_for_the_audit_chain() -> None:
    identity = fixed_identity()
    signature = identity.sign(b"checkpoint 256")
    assert verify_signature(identity.public_key_bytes, b"checkpoint 256", signature)
    assert not verify_signature(identity.public_key_bytes, b"checkpoint 257", signature)
    assert not verify_signature(b"not a key", b"checkpoint 256", signature)


def test_public_key_is_shown_in_base64() -> None:
    public = fixed_identity().public()
    assert base64.b64decode(public.ed25519_public_b64()) == public.ed25519_public_bytes


def test_public_identity_validates_its_keys() -> None:
    public = fixed_identity().public()
    with pytest.raises(ValueError):
        PublicIdentity(b"short", public.age_recipient)
    with pytest.raises(ValueError):
        PublicIdentity(public.ed25519_public_bytes, "age1notarecipient")
