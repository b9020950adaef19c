"""`safecase check`: prove the vault is intact, or name the first thing that is not.

Checks, in order: SQLCipher's page authentication (every page's HMAC; names damaged pages), SQLite's own
structural integrity, foreign keys, that each record's current state is its highest stored version, that the
conflict list matches the heads of every record's history, the search
index's consistency, the audit chain with its signed checkpoints, that every version the audit chain logged is
still stored with the same hash, and that every evidence file still decrypts to its intake SHA-256 (``--quick``:
a random sample). The SQL lives in :mod:`safecase.storage.integrity`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from safecase.crypto.identity import verify_signature
from safecase.services.attachments import AttachmentService
from safecase.services.session import VaultSession
from safecase.storage import integrity
from safecase.storage.database import DatabaseErrors


@dataclass
class CheckReport:
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_vault(session: VaultSession, *, evidence_sample: int | None = None) -> CheckReport:
    """Every check; with ``evidence_sample``, only that many evidence files (chosen at random) are re-hashed."""
    report = CheckReport()
    steps: tuple[tuple[str, Callable[[VaultSession], str]], ...] = (
        ("database pages", lambda s: integrity.damaged_pages(s.db)),
        ("database structure", lambda s: integrity.structure_problems(s.db)),
        ("references", lambda s: integrity.dangling_references(s.db)),
        ("record versions", lambda s: integrity.version_problems(s.db)),
        ("conflicts", lambda s: integrity.conflict_problems(s.db)),
        ("search index", lambda s: integrity.search_index_problems(s.db)),
        ("audit chain", _audit),
        ("history against audit chain", lambda s: integrity.versions_missing_from_audit(s.db)),
        ("evidence files" + (" (sample)" if evidence_sample else ""), lambda s: _evidence(s, evidence_sample)),
    )
    for name, step in steps:
        try:
            problem = step(session)
        except DatabaseErrors as exc:
            problem = f"the database could not be read ({exc})"
        if problem:
            report.problems.append(f"{name}: {problem}")
        else:
            report.passed.append(name)
    return report


def _evidence(session: VaultSession, sample: int | None) -> str:
    problems = AttachmentService(session).problems(sample=sample)
    if not problems:
        return ""
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return "; ".join(problems[:3]) + more


def _audit(session: VaultSession) -> str:
    result = session.audit.verify(session.identity.public().ed25519_public_bytes, verify_signature)
    if result.first_broken_seq is not None:
        return f"entry {result.first_broken_seq} is broken: {result.problem}"
    return ""
