"""Which records a bundle carries: everything, or the chosen cases with what they need; optionally only what changed.

For ``--case``, a bundle carries the cases, every record filed under them (``case_ids``), everything those records
refer to (interviewees, locations, source testimonies, tags, parent locations …), and the records that only make
sense beside those: consents about the people, evidence files attached to the records, and, only when asked for by
name, contact details. Deleted records (tombstones) travel like the others, so deletions reach the recipient.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from safecase.domain.kinds import Kind
from safecase.domain.records import references
from safecase.storage.database import Database

# Records that point at what they belong to, so they follow it into a bundle (besides everything under a case).
_FOLLOWERS = frozenset({Kind.CONSENT.value, Kind.ATTACHMENT.value})


@dataclass(frozen=True)
class ScopeRequest:
    case_ids: tuple[str, ...] = ()
    since: str | None = None  # UTC ISO time: only records with a version written at or after it
    after_version_seq: int | None = None  # only records with a version stored here after this (the sync folder)
    contacts_after_version_seq: int | None = None  # the same for contact details (None: all of them)
    include_contacts: bool = False


@dataclass(frozen=True)
class ScopedRecord:
    num: int
    id: str
    kind: str


def select_records(db: Database, request: ScopeRequest) -> list[ScopedRecord]:
    """The records to carry, ordered by id (so two exports of the same vault state are the same bundle)."""
    excluded = set() if request.include_contacts else {Kind.CONTACT.value}
    rows = [ScopedRecord(*row) for row in db.execute("SELECT num, id, kind FROM records ORDER BY id")]
    rows = [row for row in rows if row.kind not in excluded]
    if request.case_ids:  # only then are the bodies read, for the references between records
        bodies = db.execute("SELECT num, id, kind, body FROM records")
        closure = _case_closure(bodies, set(request.case_ids), request.include_contacts)
        rows = [row for row in rows if row.id in closure]
    changed = _changed(db, request.since, request.after_version_seq)
    changed_contacts = _changed(db, request.since, request.contacts_after_version_seq)

    def wanted(row: ScopedRecord) -> bool:
        found = changed_contacts if row.kind == Kind.CONTACT.value else changed
        return found is None or row.num in found

    return [row for row in rows if wanted(row)]


def _changed(db: Database, since: str | None, after_version_seq: int | None) -> set[int] | None:
    if since is None and after_version_seq is None:
        return None
    clauses: list[str] = []
    params: list[Any] = []
    if since is not None:
        clauses.append("written_at >= ?")
        params.append(since)
    if after_version_seq is not None:
        clauses.append("seq > ?")
        params.append(after_version_seq)
    query = f"SELECT DISTINCT record_num FROM record_versions WHERE {' AND '.join(clauses)}"
    return {row[0] for row in db.execute(query, params)}


def _case_closure(rows: Iterable[tuple[int, str, str, str]], cases: set[str], include_contacts: bool) -> set[str]:
    kinds: dict[str, str] = {}
    outgoing: dict[str, list[str]] = {}
    incoming: dict[str, list[str]] = defaultdict(list)
    followers = _FOLLOWERS | ({Kind.CONTACT.value} if include_contacts else set())
    for _num, record_id, kind, body in rows:
        kinds[record_id] = kind
        targets: list[str] = [ref.target_id for ref in references(Kind(kind), json.loads(body))]
        outgoing[record_id] = targets
        for target in targets:
            incoming[target].append(record_id)
    found: set[str] = set()
    pending = [c for c in cases if kinds.get(c) == Kind.CASE.value]
    while pending:
        record_id = pending.pop()
        if record_id in found:
            continue
        found.add(record_id)
        # Another case is where the closure stops: a person filed under two cases does not bring the other one.
        # A consent or evidence file brings only the consent it withdraws or the file it was copied from, not the
        # testimony of another case it mentions.
        own_kind = kinds.get(record_id)
        for target in outgoing.get(record_id, ()):
            stops = kinds.get(target) == Kind.CASE.value and target not in cases
            if not stops and (own_kind not in followers or kinds.get(target) in followers):
                pending.append(target)
        is_case = own_kind == Kind.CASE.value
        pending.extend(s for s in incoming.get(record_id, ()) if is_case or kinds[s] in followers)
    return {r for r in found if r in kinds}
