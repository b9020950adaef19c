"""What "the state" of a crashed vault is, so that a survivor can be compared with the old and the new state.

``snapshot`` covers records, versions, links, search results and the revision counter; ``full_snapshot`` adds
evidence files (by content: blob names and age's padding differ from run to run), what lies in ``blobs/``,
exchange bookkeeping and the audit chain's entries.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from safecase.services.attachments import AttachmentService
from safecase.services.session import VaultSession
from safecase.storage.blob_store import NAME_PATTERN, PARTIAL_SUFFIX

MARKER = "kestrelwood"  # a made-up word in every record body: search results are part of the state
EDIT_MARKER = "marlowfen"  # the word an edit puts in instead


def snapshot(session: VaultSession) -> str:
    """Canonical JSON of every record, every version, every link, the search results and the revision counter."""
    db = session.db
    state = {
        "records": db.query_all(
            "SELECT num, id, kind, revision, created_at, updated_at, origin_device, deleted, body FROM records"
            " ORDER BY num"
        ),
        "versions": db.query_all(
            "SELECT r.id, v.revision, v.kind, v.deleted, v.origin_device, v.written_at, v.body, v.body_sha256"
            " FROM record_versions v JOIN records r ON r.num = v.record_num ORDER BY r.id, v.revision"
        ),
        "links": db.query_all(
            "SELECT r.id, l.field, l.target_id FROM record_links l JOIN records r ON r.num = l.source_num"
            " ORDER BY 1, 2, 3"
        ),
        "search": {
            word: sorted(hit.num for hit in session.search.query(word, 100_000)) for word in (MARKER, EDIT_MARKER)
        },
        "last_revision": session.meta.last_revision(),
    }
    return json.dumps(state, sort_keys=True, ensure_ascii=False)


StateOf = Callable[[VaultSession], str]


def _blob_folder(session: VaultSession) -> dict[str, int]:
    """What is in blobs/ besides the referenced evidence: a crash must leave no partial and no orphan behind."""
    folder = session.blobs.folder
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    referenced = {row[0] for row in session.db.query_all("SELECT blob_name FROM attachment_blobs")}
    finished = [n for n in names if NAME_PATTERN.match(n)]
    return {
        "finished": len(finished),
        "unreferenced": len([n for n in finished if n not in referenced]),
        "partial": len([n for n in names if n.endswith(PARTIAL_SUFFIX)]),
        "other": len([n for n in names if not NAME_PATTERN.match(n) and not n.endswith(PARTIAL_SUFFIX)]),
    }


def _stored_evidence(session: VaultSession) -> list[tuple[str, str, bool]]:
    """(attachment id, when stored, whether the blob on disk has the size recorded); age's random padding makes
    the size itself differ from run to run."""
    rows = session.db.query_all(
        "SELECT attachment_id, blob_name, stored_size, stored_at FROM attachment_blobs ORDER BY attachment_id"
    )
    return [(a, at, session.blobs.size_on_disk(name) == size) for a, name, size, at in rows]


def full_snapshot(session: VaultSession) -> str:
    """``snapshot`` plus evidence (by content: blob names are random), bundles and the audit chain's entries."""
    db = session.db
    state = {
        "records": json.loads(snapshot(session)),
        "attachments": _stored_evidence(session),
        "evidence_problems": AttachmentService(session).problems(),  # every blob decrypted and re-hashed
        "blob_folder": _blob_folder(session),
        "bundles": db.query_all(
            "SELECT bundle_id, sender_key, sequence, imported_at, manifest_sha256 FROM bundles_received ORDER BY 1"
        ),
        "version_sources": db.query_all("SELECT * FROM version_sources ORDER BY 1, 2"),
        "conflicts": db.query_all("SELECT * FROM record_conflicts ORDER BY 1"),
        "contacts": db.query_all("SELECT * FROM team_contacts ORDER BY 1"),
        "audit": db.query_all("SELECT seq, at, action, subject, detail, entry_hash FROM audit_log ORDER BY seq"),
    }
    return json.dumps(state, sort_keys=True, ensure_ascii=False, default=str)
