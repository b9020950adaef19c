"""Canonical JSON and strict base64, shared by the header and identity formats.

"Canonical" means one byte sequence per value: sorted keys, no whitespace, ASCII only. Strict base64 decoding
accepts only what `b64encode` would produce, so two different strings never decode to the same bytes (a
flipped padding bit would otherwise slip past a checksum computed over the decoded value).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    """Serialise `value` as canonical JSON (sorted keys, no whitespace, ASCII, no NaN)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode("ascii")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"JSON constant {name} is not allowed")


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("duplicate JSON key")
        result[key] = value
    return result


def parse_json(data: bytes) -> Any:
    """Parse UTF-8 JSON strictly: no duplicate keys, no NaN/Infinity.

    Raises ValueError (including UnicodeDecodeError and json.JSONDecodeError) or RecursionError on bad input;
    callers turn those into their own IntegrityError.
    """
    text = data.decode("utf-8")
    return json.loads(text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant)


def b64encode(data: bytes) -> str:
    """Standard base64 with padding."""
    return base64.b64encode(data).decode("ascii")


def b64decode_strict(text: object) -> bytes:
    """Decode standard base64, accepting only the canonical encoding; ValueError otherwise."""
    if not isinstance(text, str):
        raise ValueError("expected a base64 string")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("invalid base64") from exc
    if b64encode(data) != text:
        raise ValueError("non-canonical base64")
    return data


def b64url_encode(data: bytes) -> str:
    """URL-safe base64 without padding (for QR payloads)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode_strict(text: str) -> bytes:
    """Decode unpadded URL-safe base64, accepting only the canonical encoding; ValueError otherwise."""
    try:
        data = base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("invalid base64url") from exc
    if b64url_encode(data) != text:
        raise ValueError("non-canonical base64url")
    return data


def length_prefixed(*parts: bytes) -> bytes:
    """Unambiguous concatenation for hash and KDF inputs: each part preceded by its 2-byte length."""
    return b"".join(len(part).to_bytes(2, "big") + part for part in parts)
