"""Before a report is made: the quick checks of ``safecase check`` that vouch for the records it rests on.

A signed report is evidence; one made from a vault whose history no longer matches its audit chain would carry
that damage under a signature. The checks run here are those that read no evidence file: references, that each
record is its newest stored version and matches its hash, the audit chain with its signed checkpoints, and the
history against the audit chain. The listed intake SHA-256 of each evidence file is part of its record, so these
checks cover it; re-hashing the files themselves is what a full ``safecase check`` does.
"""

from __future__ import annotations

from collections.abc import Callable

from safecase.crypto.identity import verify_signature
from safecase.errors import IntegrityError
from safecase.services.session import VaultSession
from safecase.storage import integrity
from safecase.storage.database import DatabaseErrors


def _audit_chain(session: VaultSession) -> str:
    result = session.audit.verify(session.identity.public().ed25519_public_bytes, verify_signature)
    if result.first_broken_seq is not None:
        return f"entry {result.first_broken_seq} is broken: {result.problem}"
    return ""


CHECKS: tuple[tuple[str, Callable[[VaultSession], str]], ...] = (
    ("references", lambda s: integrity.dangling_references(s.db)),
    ("record versions", lambda s: integrity.version_problems(s.db)),
    ("audit chain", _audit_chain),
    ("history against audit chain", lambda s: integrity.versions_missing_from_audit(s.db)),
)


def check_before_report(session: VaultSession) -> None:
    """IntegrityError naming the first failing check; nothing when the vault passes them all."""
    for name, step in CHECKS:
        try:
            problem = step(session)
        except DatabaseErrors as error:
            problem = f"the database could not be read ({error})"
        if problem:
            raise IntegrityError(
                f"No report: the vault fails the check of {name} ({problem}). Run `safecase check` and restore "
                "from a backup if needed."
            )
