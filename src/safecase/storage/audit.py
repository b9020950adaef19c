"""The audit log: append-only, each entry hash-chained to the one before, checkpoints signed by the identity.

An entry records what was done (action, subject id, revision and body hash), never what was written. Entries are
chained with SHA-256 over the previous hash and the entry's canonical JSON, so removing, reordering or editing an
entry breaks every hash after it. Every ``CHECKPOINT_EVERY`` entries, and when the vault is closed, the latest hash
is signed with the vault identity's Ed25519 key, so a rewritten chain cannot be passed off as the original.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from safecase.storage.database import Database

GENESIS_HASH = "0" * 64
CHECKPOINT_EVERY = 256


class Signer(Protocol):
    def sign(self, data: bytes) -> bytes: ...

    @property
    def public_key_bytes(self) -> bytes: ...


Verifier = Callable[[bytes, bytes, bytes], bool]  # (public key, data, signature) -> valid


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    device_id: str
    actor: str
    action: str
    subject: str
    detail: str
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class ChainReport:
    entries: int
    checkpoints: int
    first_broken_seq: int | None
    problem: str


@dataclass(frozen=True)
class RecordWriteDetail:
    """What an audit entry says about a record write: enough to re-check the stored version, no content."""

    kind: str
    revision: str
    body_sha256: str

    def __str__(self) -> str:
        return f"{self.kind} {self.revision} sha256:{self.body_sha256}"


def parse_record_write_detail(detail: str) -> RecordWriteDetail | None:
    parts = detail.split(" ")
    if len(parts) != 3 or not parts[2].startswith("sha256:"):
        return None
    return RecordWriteDetail(parts[0], parts[1], parts[2].removeprefix("sha256:"))


def entry_hash(
    prev_hash: str, seq: int, at: str, device_id: str, actor: str, action: str, subject: str, detail: str
) -> str:
    canonical = json.dumps(
        [seq, at, device_id, actor, action, subject, detail], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(prev_hash.encode("ascii") + canonical.encode("utf-8")).hexdigest()


def checkpoint_message(seq: int, hash_hex: str) -> bytes:
    return f"safecase-audit-checkpoint:1:{seq}:{hash_hex}".encode("ascii")


class AuditLog:
    """Appends to and verifies the chain. The caller owns the transaction."""

    def __init__(self, db: Database, device_id: str, actor: str) -> None:
        self._db = db
        self._device_id = device_id
        self._actor = actor

    def append(self, at: str, action: str, subject: str = "", detail: str = "") -> AuditEntry:
        last = self._db.query_one("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        digest = entry_hash(prev, seq, at, self._device_id, self._actor, action, subject, detail)
        self._db.execute(
            "INSERT INTO audit_log (seq, at, device_id, actor, action, subject, detail, prev_hash, entry_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, self._device_id, self._actor, action, subject, detail, prev, digest),
        )
        return AuditEntry(seq, at, self._device_id, self._actor, action, subject, detail, prev, digest)

    def append_many(self, entries: list[tuple[str, str, str, str]]) -> None:
        """Append (at, action, subject, detail) entries in order: what ``append`` does, in one statement."""
        if not entries:
            return
        last = self._db.query_one("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        seq, prev = (last[0], last[1]) if last else (0, GENESIS_HASH)
        rows = []
        for at, action, subject, detail in entries:
            seq += 1
            digest = entry_hash(prev, seq, at, self._device_id, self._actor, action, subject, detail)
            rows.append((seq, at, self._device_id, self._actor, action, subject, detail, prev, digest))
            prev = digest
        self._db.executemany(
            "INSERT INTO audit_log (seq, at, device_id, actor, action, subject, detail, prev_hash, entry_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def needs_checkpoint(self, force: bool = False) -> bool:
        last = self._db.query_one("SELECT max(seq) FROM audit_log")[0]
        signed = self._db.query_one("SELECT max(seq) FROM audit_checkpoints")[0]
        if last is None or last == signed:
            return False
        return force or last - (signed or 0) >= CHECKPOINT_EVERY

    def checkpoint(self, signer: Signer, at: str) -> None:
        row = self._db.query_one("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        if row is None:
            return
        seq, digest = row
        signature = signer.sign(checkpoint_message(seq, digest))
        self._db.execute(
            "INSERT OR IGNORE INTO audit_checkpoints (seq, entry_hash, signed_at, public_key, signature)"
            " VALUES (?, ?, ?, ?, ?)",
            (seq, digest, at, _b64(signer.public_key_bytes), _b64(signature)),
        )

    def verify(self, trusted_public_key: bytes, verify_signature: Verifier) -> ChainReport:
        """Walk the whole chain; report the first entry whose hash or link does not match."""
        prev, count = GENESIS_HASH, 0
        rows = self._db.execute(
            "SELECT seq, at, device_id, actor, action, subject, detail, prev_hash, entry_hash"
            " FROM audit_log ORDER BY seq"
        )
        for row in rows:
            entry = AuditEntry(*row)
            count += 1
            if entry.seq != count:
                return ChainReport(count, 0, entry.seq, f"entry {count} is missing")
            if entry.prev_hash != prev:
                return ChainReport(count, 0, entry.seq, "its link to the previous entry does not match")
            expected = entry_hash(
                prev,
                entry.seq,
                entry.at,
                entry.device_id,
                entry.actor,
                entry.action,
                entry.subject,
                entry.detail,
            )
            if expected != entry.entry_hash:
                return ChainReport(count, 0, entry.seq, "its content does not match its hash")
            prev = entry.entry_hash
        return self._verify_checkpoints(count, trusted_public_key, verify_signature)

    def _verify_checkpoints(self, entries: int, trusted: bytes, verify_signature: Verifier) -> ChainReport:
        checkpoints = 0
        for seq, digest, public_key, signature in self._db.execute(
            "SELECT c.seq, c.entry_hash, c.public_key, c.signature FROM audit_checkpoints c ORDER BY c.seq"
        ):
            checkpoints += 1
            stored = self._db.query_one("SELECT entry_hash FROM audit_log WHERE seq = ?", (seq,))
            if stored is None or stored[0] != digest:
                return ChainReport(entries, checkpoints, seq, "a signed checkpoint no longer matches the chain")
            key = base64.b64decode(public_key)
            if key != trusted or not verify_signature(
                key, checkpoint_message(seq, digest), base64.b64decode(signature)
            ):
                return ChainReport(entries, checkpoints, seq, "its checkpoint signature is not valid")
        return ChainReport(entries, checkpoints, None, "")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
