"""The database-level integrity checks behind `safecase check`. Each returns "" when all is well, else a sentence."""

from __future__ import annotations

import contextlib
import json

from safecase.storage.audit import parse_record_write_detail
from safecase.storage.database import Database, DatabaseErrors
from safecase.storage.records import body_digest

MAX_REPORTED = 5


def page_failures(db: Database) -> list[str]:
    """SQLCipher's per-page HMAC check: one line per damaged page, naming it."""
    with contextlib.suppress(*DatabaseErrors):  # a database too damaged to checkpoint is still checked page by page
        db.checkpoint()  # cipher_integrity_check reads the database file, not the write-ahead log
    return [str(row[0]) for row in db.query_all("PRAGMA cipher_integrity_check")]


def damaged_pages(db: Database) -> str:
    return "; ".join(page_failures(db)[:MAX_REPORTED])


def structure_problems(db: Database) -> str:
    rows = db.query_all("PRAGMA integrity_check(20)")
    return "; ".join([str(row[0]) for row in rows if row[0] != "ok"][:MAX_REPORTED])


def dangling_references(db: Database) -> str:
    rows = db.query_all("PRAGMA foreign_key_check")
    if not rows:
        return ""
    return f"{len(rows)} dangling reference(s), first in table {rows[0][0]} row {rows[0][1]}"


def version_problems(db: Database) -> str:
    """Each record is at its highest revision, and each stored version still matches its hash."""
    row = db.query_one(
        "SELECT r.id FROM records r WHERE r.revision IS NOT (SELECT max(v.revision) FROM record_versions v"
        " WHERE v.record_num = r.num) LIMIT 1"
    )
    if row:
        return f"record {row[0]} is not at its newest version"
    for record_id, revision, body, digest in db.execute(
        "SELECT r.id, v.revision, v.body, v.body_sha256 FROM record_versions v JOIN records r ON r.num = v.record_num"
    ):
        if body_digest(body) != digest:
            return f"version {revision} of record {record_id} does not match its hash"
    for record_id, body, digest in db.execute(
        "SELECT r.id, r.body, v.body_sha256 FROM records r JOIN record_versions v"
        " ON v.record_num = r.num AND v.revision = r.revision"
    ):
        if body_digest(body) != digest:
            return f"the current state of record {record_id} differs from its newest stored version"
    return ""


def conflict_problems(db: Database) -> str:
    """``record_conflicts`` lists exactly the records whose history has more than one head, with those heads."""
    revisions: dict[int, set[str]] = {}
    named: dict[int, set[str]] = {}
    for num, revision, parents in db.execute("SELECT record_num, revision, parents FROM record_versions"):
        revisions.setdefault(num, set()).add(revision)
        named.setdefault(num, set()).update(json.loads(parents))
    listed = {
        num: tuple(json.loads(heads)) for num, heads in db.execute("SELECT record_num, heads FROM record_conflicts")
    }
    for num, own in revisions.items():
        heads = tuple(sorted(own - named[num]))
        if (len(heads) > 1) != (num in listed) or (num in listed and listed[num] != heads):
            record_id = db.query_one("SELECT id FROM records WHERE num = ?", (num,))
            return f"the conflict list is wrong for record {record_id[0] if record_id else num}"
    return ""


def search_index_problems(db: Database) -> str:
    try:
        db.execute("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 0)")
    except DatabaseErrors:
        return "the full-text index is damaged; searches may miss records. Restore the vault from a backup."
    return ""


def versions_missing_from_audit(db: Database) -> str:
    """Every record write logged its revision and body hash; the stored version must still have that hash."""
    entries = db.execute("SELECT seq, subject, detail FROM audit_log WHERE action LIKE 'record.%' ORDER BY seq")
    for seq, subject, detail in entries:
        logged = parse_record_write_detail(detail)
        stored = db.query_one(
            "SELECT v.body_sha256 FROM record_versions v JOIN records r ON r.num = v.record_num"
            " WHERE r.id = ? AND v.revision = ?",
            (subject, logged.revision if logged else ""),
        )
        if logged is None or stored is None or stored[0] != logged.body_sha256:
            return f"the version of record {subject} logged in audit entry {seq} does not match the stored history"
    unlogged = db.query_one(
        "SELECT r.id, v.revision FROM record_versions v JOIN records r ON r.num = v.record_num"
        " WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.subject = r.id AND a.action LIKE 'record.%'"
        " AND a.detail LIKE '% ' || v.revision || ' %') LIMIT 1"
    )
    if unlogged:
        return f"version {unlogged[1]} of record {unlogged[0]} was stored without an audit entry"
    return ""
