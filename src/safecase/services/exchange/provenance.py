"""What the app says about where a record came from: versions only unverified senders vouch for, and conflicts."""

from __future__ import annotations

from dataclasses import dataclass

from safecase.services.session import VaultSession


@dataclass(frozen=True)
class RecordNotice:
    unverified_versions: int  # versions that only bundles from senders not verified now brought
    in_conflict: bool  # edited on two laptops without either seeing the other's edit

    @property
    def any(self) -> bool:
        return bool(self.unverified_versions) or self.in_conflict


def record_notice(session: VaultSession, record_id: str) -> RecordNotice:
    row = session.db.query_one(
        "SELECT (SELECT count(*) FROM unverified_versions u WHERE u.record_num = r.num),"
        " EXISTS (SELECT 1 FROM record_conflicts c WHERE c.record_num = r.num)"
        " FROM records r WHERE r.id = ?",
        (record_id,),
    )
    if row is None:
        return RecordNotice(0, False)
    return RecordNotice(int(row[0]), bool(row[1]))
