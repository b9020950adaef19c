"""`safecase check`: prove the vault is intact, or name the first thing that is not.

Checks, in order: SQLCipher's page authentication (every page's HMAC; names damaged pages), SQLite's own
structural integrity, foreign keys, that each record's current state is its highest stored version, the search
index's consistency, and the audit chain with its signed checkpoints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from safecase.crypto.identity import verify_signature
from safecase.services.session import VaultSession
from safecase.storage.database import DatabaseErrors
from safecase.storage.records import body_digest


@dataclass
class CheckReport:
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_vault(session: VaultSession) -> CheckReport:
    report = CheckReport()
    for name, step in (
        ("database pages", _pages),
        ("database structure", _structure),
        ("references", _foreign_keys),
        ("record versions", _versions),
        ("search index", _search_index),
        ("audit chain", _audit),
        ("history against audit chain", _versions_against_audit),
    ):
        try:
            problem = step(session)
        except DatabaseErrors as exc:
            problem = f"the database could not be read ({exc})"
        if problem:
            report.problems.append(f"{name}: {problem}")
        else:
            report.passed.append(name)
    return report


def _pages(session: VaultSession) -> str:
    session.db.checkpoint()  # cipher_integrity_check reads the database file, not the write-ahead log
    rows = session.db.query_all("PRAGMA cipher_integrity_check")
    return "; ".join(str(row[0]) for row in rows[:5])


def _structure(session: VaultSession) -> str:
    rows = session.db.query_all("PRAGMA integrity_check(20)")
    messages = [str(row[0]) for row in rows if row[0] != "ok"]
    return "; ".join(messages[:5])


def _foreign_keys(session: VaultSession) -> str:
    rows = session.db.query_all("PRAGMA foreign_key_check")
    if not rows:
        return ""
    return f"{len(rows)} dangling reference(s), first in table {rows[0][0]} row {rows[0][1]}"


def _versions(session: VaultSession) -> str:
    row = session.db.query_one(
        "SELECT r.id FROM records r WHERE r.revision <> (SELECT max(v.revision) FROM record_versions v"
        " WHERE v.record_id = r.id) LIMIT 1"
    )
    if row:
        return f"record {row[0]} is not at its newest version"
    for record_id, revision, body, digest in session.db.execute(
        "SELECT record_id, revision, body, body_sha256 FROM record_versions"
    ):
        if body_digest(body) != digest:
            return f"version {revision} of record {record_id} does not match its hash"
    return ""


def _search_index(session: VaultSession) -> str:
    try:
        session.db.execute("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 0)")
    except DatabaseErrors:
        return "the full-text index is damaged; searches may miss records. Restore the vault from a backup."
    return ""


def _audit(session: VaultSession) -> str:
    result = session.audit.verify(session.identity.public().ed25519_public_bytes, verify_signature)
    if result.first_broken_seq is not None:
        return f"entry {result.first_broken_seq} is broken: {result.problem}"
    return ""


def _versions_against_audit(session: VaultSession) -> str:
    """Every record write logged its revision and body hash; the stored version must still have that hash."""
    entries = session.db.execute("SELECT seq, subject, detail FROM audit_log WHERE action LIKE 'record.%' ORDER BY seq")
    for seq, subject, detail in entries:
        _kind, revision, digest = (detail.split(" ") + ["", ""])[:3]
        stored = session.db.query_one(
            "SELECT body_sha256 FROM record_versions WHERE record_id = ? AND revision = ?", (subject, revision)
        )
        if stored is None or f"sha256:{stored[0]}" != digest:
            return f"the version of record {subject} logged in audit entry {seq} does not match the stored history"
    return ""
