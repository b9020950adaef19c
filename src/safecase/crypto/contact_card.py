"""The SafeCase contact card: the public keys a team member hands to others, as a small self-signed JSON file.

A card carries a name, an organisation, both public keys, the fingerprint people read aloud to check them, and the
minisign "RW…" key line (so someone without SafeCase can check our signed files with stock minisign). The
fingerprint and minisign line are recomputed from the keys when a card is read, never trusted as written: someone
who swaps in their own keys and re-signs the card cannot keep the victim's fingerprint. The self-signature only
proves that whoever made the card held the private key; trust comes from comparing the fingerprint in person.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from safecase.crypto import minisign
from safecase.crypto.encoding import b64decode_strict, b64encode, canonical_json, parse_json
from safecase.crypto.identity import Identity, PublicIdentity, verify_signature
from safecase.errors import IntegrityError, UsageError, ValidationError

FORMAT = "safecase-contact-card"
VERSION = 1
MAX_CARD_BYTES = 64 * 1024
MAX_NAME_CHARS = 200

_SIGNATURE_LABEL = b"safecase contact card v1\n"
_FIELDS = frozenset(
    {
        "format",
        "version",
        "display_name",
        "organisation",
        "ed25519_public_key",
        "age_recipient",
        "fingerprint",
        "minisign_public_key",
        "created_at",
        "signature",
    }
)
_STRING_FIELDS = _FIELDS - {"version"}
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_CREATED_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z", re.ASCII)
_UTF8_BOM = b"\xef\xbb\xbf"

_NOT_A_CARD = (
    "This is not a SafeCase contact card: ask the person to export theirs with `safecase identity card -o FILE`."
)
_HIDDEN_IN_NAME = (
    "This contact card's name contains hidden control characters: "
    "ask the person to export a new card with a plain name."
)
_SIGNATURE_FAILS = "The contact card was altered: its signature does not verify. Ask the person for a fresh copy."
_FINGERPRINT_MISMATCH = (
    "The contact card was altered: its fingerprint does not match its keys. Do not use it; ask the person for a "
    "fresh copy and compare the fingerprint with them in person."
)
_MINISIGN_MISMATCH = (
    "The contact card was altered: its minisign public key does not match its keys. Ask the person for a fresh copy."
)


@dataclass(frozen=True)
class ContactCard:
    """A verified contact card. The fingerprint is always computed from the keys."""

    display_name: str
    organisation: str
    public: PublicIdentity
    created_at: str

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint()

    @property
    def minisign_public_key(self) -> str:
        """The "RW…" line for checking this person's signed files with stock minisign."""
        return minisign.public_key_base64(self.public.ed25519_public_bytes)


def _has_hidden_characters(text: str) -> bool:
    return any(unicodedata.category(c) in _HIDDEN_CATEGORIES for c in text)


def _name_problem(value: str) -> str | None:
    """Why `value` cannot be a card name, or None if it can."""
    if len(value) > MAX_NAME_CHARS:
        return f"must be at most {MAX_NAME_CHARS} characters"
    if _has_hidden_characters(value):
        return "must not contain control characters, line breaks or invisible formatting characters"
    return None


def _is_created_at(value: str) -> bool:
    if _CREATED_AT.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _signed_bytes(fields: dict[str, Any]) -> bytes:
    return _SIGNATURE_LABEL + canonical_json({key: value for key, value in fields.items() if key != "signature"})


def _card_fields(card: ContactCard) -> dict[str, Any]:
    """Every field except the signature."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "display_name": card.display_name,
        "organisation": card.organisation,
        "ed25519_public_key": card.public.ed25519_public_b64(),
        "age_recipient": card.public.age_recipient,
        "fingerprint": card.fingerprint,
        "minisign_public_key": card.minisign_public_key,
        "created_at": card.created_at,
    }


def make_card(identity: Identity, display_name: str, organisation: str, created_at: str) -> bytes:
    """The card file for `identity`: pretty, sorted UTF-8 JSON ending in a newline.

    ValidationError if a name is too long or has hidden characters; ValueError if `created_at` is not a UTC time
    like ``2026-11-28T10:00:00.000Z``.
    """
    for field, value in (("display_name", display_name), ("organisation", organisation)):
        problem = _name_problem(value)
        if problem is not None:
            raise ValidationError(problem, field=field)
    if not _is_created_at(created_at):
        raise ValueError("created_at must be a UTC time like 2026-11-28T10:00:00.000Z")
    card = ContactCard(display_name, organisation, identity.public(), created_at)
    fields = _card_fields(card)
    fields["signature"] = b64encode(identity.sign(_signed_bytes(fields)))
    text = json.dumps(fields, indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _parse_fields(data: bytes) -> dict[str, Any]:
    """The card's JSON object, with exactly the expected fields of the expected types; UsageError otherwise."""
    if not isinstance(data, bytes) or len(data) > MAX_CARD_BYTES:
        raise UsageError(_NOT_A_CARD)
    try:
        # Editors on Windows may add a byte order mark when a card passes through them.
        raw = parse_json(data.removeprefix(_UTF8_BOM))
    except (ValueError, RecursionError):
        raise UsageError(_NOT_A_CARD) from None
    if not isinstance(raw, dict) or set(raw) != _FIELDS:
        raise UsageError(_NOT_A_CARD)
    # `type(...) is int` because JSON true and 1.0 compare equal to 1 in Python.
    if raw["format"] != FORMAT or type(raw["version"]) is not int or raw["version"] != VERSION:
        raise UsageError(_NOT_A_CARD)
    if not all(isinstance(raw[key], str) for key in _STRING_FIELDS):
        raise UsageError(_NOT_A_CARD)
    return raw


def _parse_card(raw: dict[str, Any]) -> tuple[ContactCard, bytes]:
    """The card and its signature bytes, before any consistency or signature check."""
    if len(raw["display_name"]) > MAX_NAME_CHARS or len(raw["organisation"]) > MAX_NAME_CHARS:
        raise UsageError(_NOT_A_CARD)
    if _has_hidden_characters(raw["display_name"]) or _has_hidden_characters(raw["organisation"]):
        raise UsageError(_HIDDEN_IN_NAME)
    if not _is_created_at(raw["created_at"]):
        raise UsageError(_NOT_A_CARD)
    try:
        public = PublicIdentity(b64decode_strict(raw["ed25519_public_key"]), raw["age_recipient"])
        signature = b64decode_strict(raw["signature"])
    except ValueError:
        raise UsageError(_NOT_A_CARD) from None
    if len(signature) != 64:
        raise UsageError(_NOT_A_CARD)
    return ContactCard(raw["display_name"], raw["organisation"], public, raw["created_at"]), signature


def read_card(data: bytes) -> ContactCard:
    """Read and verify a card file.

    UsageError if it is not a contact card; IntegrityError if its fingerprint, minisign key or signature does not
    match its keys.
    """
    raw = _parse_fields(data)
    card, signature = _parse_card(raw)
    # The fingerprint check comes first: it is the one that catches keys swapped in and the card re-signed.
    if raw["fingerprint"] != card.fingerprint:
        raise IntegrityError(_FINGERPRINT_MISMATCH)
    if raw["minisign_public_key"] != card.minisign_public_key:
        raise IntegrityError(_MINISIGN_MISMATCH)
    if not verify_signature(card.public.ed25519_public_bytes, _signed_bytes(_card_fields(card)), signature):
        raise IntegrityError(_SIGNATURE_FAILS)
    return card
