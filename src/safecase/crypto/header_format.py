"""The vault header's fields and their byte format: canonical JSON, validated strictly.

One field set, one encoding: UTF-8 JSON with sorted keys and no whitespace, bytes in canonical base64, and a
SHA-256 `checksum` over the canonical JSON of all other fields. Parsing accepts exactly what `to_bytes`
produces (a trailing newline aside). Anything else -- too large, not JSON, a field missing, extra or of the
wrong type, a checksum that does not match -- is an IntegrityError naming the header as damaged, raised before
any KDF runs. The checksum only catches accidents: a deliberate edit with a recomputed checksum is caught by
the wraps' AEAD.

`VaultHeader` (header.py) adds the key operations on top of `HeaderContent`.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Self

from safecase.crypto.encoding import b64decode_strict, b64encode, canonical_json, parse_json
from safecase.crypto.kdf import KdfParams
from safecase.crypto.key_wrap import RECOVERY_PUBLIC_KEY_LENGTH, RECOVERY_WRAP_LENGTH, PassphraseWrap
from safecase.errors import IntegrityError

FORMAT = "safecase-vault-header"
VERSION = 1
MAX_HEADER_BYTES = 64 * 1024

DAMAGED = "The vault header is damaged: restore it from a header backup (safecase header restore)."
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", re.ASCII)
_FIELDS = frozenset(
    {
        "format",
        "version",
        "vault_id",
        "created_at",
        "kdf",
        "key_epoch",
        "passphrase_wrap",
        "recovery_public_key",
        "recovery_wrap",
        "pending",
        "checksum",
    }
)


def format_timestamp(moment: datetime) -> str:
    """ISO-8601 UTC to the second, e.g. 2024-03-01T09:30:00Z."""
    m = moment.astimezone(UTC)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}Z"


def _parse_timestamp(value: object) -> datetime:
    if not isinstance(value, str) or not _TIMESTAMP.fullmatch(value):
        raise ValueError("bad timestamp")
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value


def _object(value: object, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise ValueError("unexpected object shape")
    return value


def kdf_to_json(kdf: KdfParams) -> dict[str, Any]:
    return {
        "memory_kib": kdf.memory_kib,
        "iterations": kdf.iterations,
        "lanes": kdf.lanes,
        "salt": b64encode(kdf.salt),
    }


def _kdf_from_json(value: object) -> KdfParams:
    obj = _object(value, {"memory_kib", "iterations", "lanes", "salt"})
    return KdfParams(
        memory_kib=_int(obj["memory_kib"]),
        iterations=_int(obj["iterations"]),
        lanes=_int(obj["lanes"]),
        salt=b64decode_strict(obj["salt"]),
    )


def _wrap_to_json(wrap: PassphraseWrap) -> dict[str, Any]:
    return {"nonce": b64encode(wrap.nonce), "ciphertext": b64encode(wrap.ciphertext)}


def _wrap_from_json(value: object) -> PassphraseWrap:
    obj = _object(value, {"nonce", "ciphertext"})
    return PassphraseWrap(b64decode_strict(obj["nonce"]), b64decode_strict(obj["ciphertext"]))


def associated_data(
    vault_id: str,
    created_at: datetime,
    kdf: KdfParams,
    key_epoch: int,
    recovery_public_key: bytes,
    purpose: str,
) -> bytes:
    """What every wrap is bound to: the header's identity and settings, the wrap's epoch and its purpose."""
    return canonical_json(
        {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": vault_id,
            "created_at": format_timestamp(created_at),
            "kdf": kdf_to_json(kdf),
            "key_epoch": key_epoch,
            "recovery_public_key": b64encode(recovery_public_key),
            "purpose": purpose,
        }
    )


def _check_recovery_wrap(wrap: bytes) -> None:
    if not isinstance(wrap, bytes) or len(wrap) != RECOVERY_WRAP_LENGTH:
        raise ValueError(f"a recovery wrap is {RECOVERY_WRAP_LENGTH} bytes")


@dataclass(frozen=True)
class PendingRotation:
    """The next master key, wrapped both ways, while a key rotation is under way (see header.py)."""

    key_epoch: int
    passphrase_wrap: PassphraseWrap
    recovery_wrap: bytes

    def __post_init__(self) -> None:
        _check_recovery_wrap(self.recovery_wrap)


@dataclass(frozen=True)
class HeaderContent:
    """The header's fields, with validation and the byte format; no key operations."""

    vault_id: str
    created_at: datetime
    kdf: KdfParams
    key_epoch: int
    passphrase_wrap: PassphraseWrap
    recovery_public_key: bytes
    recovery_wrap: bytes
    pending: PendingRotation | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.vault_id, str) or str(uuid.UUID(self.vault_id)) != self.vault_id:
            raise ValueError("vault_id must be a UUID in canonical lower-case form")
        created = self.created_at
        if not isinstance(created, datetime) or created.tzinfo is None or created.microsecond:
            raise ValueError("created_at must be a timezone-aware datetime, whole seconds")
        object.__setattr__(self, "created_at", created.astimezone(UTC))
        if _int(self.key_epoch) < 1:
            raise ValueError("key_epoch starts at 1")
        key = self.recovery_public_key
        if not isinstance(key, bytes) or len(key) != RECOVERY_PUBLIC_KEY_LENGTH:
            raise ValueError(f"recovery_public_key is {RECOVERY_PUBLIC_KEY_LENGTH} bytes")
        _check_recovery_wrap(self.recovery_wrap)
        if self.pending is not None and self.pending.key_epoch != self.key_epoch + 1:
            raise ValueError("a pending rotation is for the next key epoch")

    def _associated_data(self, key_epoch: int, purpose: str) -> bytes:
        return associated_data(self.vault_id, self.created_at, self.kdf, key_epoch, self.recovery_public_key, purpose)

    def _fields(self) -> dict[str, Any]:
        pending = self.pending
        return {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "created_at": format_timestamp(self.created_at),
            "kdf": kdf_to_json(self.kdf),
            "key_epoch": self.key_epoch,
            "passphrase_wrap": _wrap_to_json(self.passphrase_wrap),
            "recovery_public_key": b64encode(self.recovery_public_key),
            "recovery_wrap": b64encode(self.recovery_wrap),
            "pending": None
            if pending is None
            else {
                "key_epoch": pending.key_epoch,
                "passphrase_wrap": _wrap_to_json(pending.passphrase_wrap),
                "recovery_wrap": b64encode(pending.recovery_wrap),
            },
        }

    def to_bytes(self) -> bytes:
        """The header file's content: canonical JSON with the checksum."""
        fields = self._fields()
        fields["checksum"] = hashlib.sha256(canonical_json(fields)).hexdigest()
        return canonical_json(fields)

    @classmethod
    def from_bytes(cls, data: bytes) -> Self:
        """Parse a header strictly: every problem is an IntegrityError with a one-line message."""
        if len(data) > MAX_HEADER_BYTES:
            raise IntegrityError(DAMAGED)
        data = bytes(data).rstrip(b"\r\n")
        try:
            raw = parse_json(data)
        except (ValueError, RecursionError):
            raise IntegrityError(DAMAGED) from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise IntegrityError(DAMAGED)
        version = raw.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
            raise IntegrityError(f"This vault was made by a newer SafeCase (header version {version}): update SafeCase")
        try:
            header = cls._from_json(raw)
        except (ValueError, TypeError, KeyError, OverflowError):
            raise IntegrityError(DAMAGED) from None
        # The checksum covers the decoded content; the byte comparison rejects any other spelling of it.
        if header.to_bytes() != data:
            raise IntegrityError(DAMAGED)
        return header

    @classmethod
    def _from_json(cls, raw: dict[str, Any]) -> Self:
        if set(raw) != _FIELDS or raw["version"] != VERSION or type(raw["version"]) is not int:
            raise ValueError("unexpected fields")
        pending_raw = raw["pending"]
        pending = None
        if pending_raw is not None:
            obj = _object(pending_raw, {"key_epoch", "passphrase_wrap", "recovery_wrap"})
            pending = PendingRotation(
                _int(obj["key_epoch"]),
                _wrap_from_json(obj["passphrase_wrap"]),
                b64decode_strict(obj["recovery_wrap"]),
            )
        vault_id = raw["vault_id"]
        if not isinstance(vault_id, str):
            raise ValueError("vault_id must be a string")
        header = cls(
            vault_id=vault_id,
            created_at=_parse_timestamp(raw["created_at"]),
            kdf=_kdf_from_json(raw["kdf"]),
            key_epoch=_int(raw["key_epoch"]),
            passphrase_wrap=_wrap_from_json(raw["passphrase_wrap"]),
            recovery_public_key=b64decode_strict(raw["recovery_public_key"]),
            recovery_wrap=b64decode_strict(raw["recovery_wrap"]),
            pending=pending,
        )
        checksum = raw["checksum"]
        stored = {key: value for key, value in raw.items() if key != "checksum"}
        if not isinstance(checksum, str) or checksum != hashlib.sha256(canonical_json(stored)).hexdigest():
            raise ValueError("checksum mismatch")
        return header
