"""The audit chain: hash links, signed checkpoints, and `check` naming the first broken entry."""

from __future__ import annotations

import itertools

import pytest

from safecase.crypto.identity import Identity, verify_signature
from safecase.domain.kinds import Kind
from safecase.services.check import check_vault
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.storage.audit import CHECKPOINT_EVERY
from safecase.storage.records import body_digest


def _fill(session: VaultSession, count: int) -> None:
    records = RecordService(session)
    for i in range(count):
        records.add(Kind.TAG, {"label": f"tag {i}"})


def _tamper(session: VaultSession, sql: str, *params: object) -> None:
    """What an attacker holding the key could do: drop the append-only triggers and rewrite history."""
    session.db.execute("DROP TRIGGER audit_log_no_update")
    session.db.execute("DROP TRIGGER audit_log_no_delete")
    session.db.execute(sql, params)


def _trusted_key(session: VaultSession) -> bytes:
    return session.identity.public().ed25519_public_bytes


def test_an_untouched_chain_verifies(session: VaultSession) -> None:
    _fill(session, 5)
    report = session.audit.verify(_trusted_key(session), verify_signature)
    assert report.first_broken_seq is None and report.entries == 6  # vault.create + 5 writes


def test_an_edited_entry_is_named(session: VaultSession) -> None:
    _fill(session, 5)
    _tamper(session, "UPDATE audit_log SET subject = 'someone else' WHERE seq = 3")
    report = session.audit.verify(_trusted_key(session), verify_signature)
    assert report.first_broken_seq == 3 and "hash" in report.problem
    assert "entry 3" in " ".join(check_vault(session).problems)


def test_a_removed_entry_is_named(session: VaultSession) -> None:
    _fill(session, 5)
    _tamper(session, "DELETE FROM audit_log WHERE seq = 4")
    assert session.audit.verify(_trusted_key(session), verify_signature).first_broken_seq == 5


def test_a_rewritten_tail_is_caught_by_the_signed_checkpoint(session: VaultSession) -> None:
    _fill(session, CHECKPOINT_EVERY + 2)
    assert session.db.query_one("SELECT count(*) FROM audit_checkpoints")[0] >= 1
    signed_seq = session.db.query_one("SELECT max(seq) FROM audit_checkpoints")[0]
    # Rewrite every entry from the checkpoint on with consistent hashes: only the signature can tell.
    saved = session.db.query_all("SELECT * FROM audit_checkpoints")
    session.db.execute("DROP TRIGGER audit_checkpoints_no_delete")
    session.db.execute("DELETE FROM audit_checkpoints")
    _tamper(session, "DELETE FROM audit_log WHERE seq >= ?", signed_seq)
    session.audit.append(session.now_iso(), "forged", "x")
    forged_signer = Identity.generate()
    session.audit.checkpoint(forged_signer, session.now_iso())
    assert saved  # the genuine checkpoint existed before the forgery
    report = session.audit.verify(_trusted_key(session), verify_signature)
    assert report.first_broken_seq is not None and "signature" in report.problem


def test_closing_the_vault_signs_the_tip(vaults: object, created_vault: object) -> None:
    from tests.conftest import PASSPHRASE

    with vaults.unlock(created_vault.folder, PASSPHRASE) as session:  # type: ignore[attr-defined]
        _fill(session, 3)
    with vaults.unlock(created_vault.folder, PASSPHRASE) as session:  # type: ignore[attr-defined]
        last = session.db.query_one("SELECT max(seq) FROM audit_log")[0]
        signed = session.db.query_one("SELECT max(seq) FROM audit_checkpoints")[0]
        assert signed == last
        assert check_vault(session).ok


@pytest.mark.parametrize(("column", "value"), [("body", '{"label":"forged"}'), ("body_sha256", "0" * 64)])
def test_check_names_a_version_whose_body_was_altered(session: VaultSession, column: str, value: str) -> None:
    _fill(session, 2)
    session.db.execute("DROP TRIGGER record_versions_no_update")
    session.db.execute(
        f"UPDATE record_versions SET {column} = ? WHERE revision = (SELECT min(revision) FROM record_versions)",
        (value,),
    )
    problems = check_vault(session).problems
    assert any("does not match its hash" in p for p in problems), problems


def test_history_and_checkpoints_are_append_only(session: VaultSession) -> None:
    _fill(session, 1)
    for statement in (
        "UPDATE record_versions SET body = '{}'",
        "DELETE FROM record_versions",
        "DELETE FROM audit_checkpoints",
    ):
        with pytest.raises(Exception, match="append-only"):
            session.db.execute(statement)


def test_check_finds_a_version_that_differs_from_what_the_audit_chain_recorded(session: VaultSession) -> None:
    _fill(session, 2)
    session.db.execute("DROP TRIGGER record_versions_no_update")
    forged = '{"label":"forged"}'
    session.db.execute(
        "UPDATE record_versions SET body = ?, body_sha256 = ? WHERE revision = (SELECT min(revision) FROM"
        " record_versions)",
        (forged, body_digest(forged)),
    )
    problems = check_vault(session).problems
    assert any("audit" in p and "does not match" in p for p in problems), problems


def test_check_finds_a_current_state_edited_behind_the_history(session: VaultSession) -> None:
    _fill(session, 2)
    session.db.execute("UPDATE records SET body = json_set(body, '$.label', 'Someone Else') WHERE kind = 'tag'")
    problems = check_vault(session).problems
    assert any("differs from its newest stored version" in p for p in problems), problems


def test_check_finds_a_version_stored_without_an_audit_entry(session: VaultSession) -> None:
    from safecase.storage.records import Derived, RecordVersion

    session.records.apply_version(
        RecordVersion(
            "0b6f1c2e-0000-4000-8000-0000000000aa",
            "tag",
            "0000001800000000000.0000.00000000000000aa",
            False,
            {"label": "smuggled"},
            "00000000000000aa",
            "2027-01-15T08:00:00.000Z",
        ),
        Derived((), "smuggled", ""),
    )
    problems = check_vault(session).problems
    assert any("without an audit entry" in p for p in problems), problems


def test_appending_many_entries_at_once_makes_the_same_chain_as_one_by_one(session: VaultSession) -> None:
    entries = [("2026-11-28T10:00:00.000Z", "record.merge", f"subject-{i}", f"detail {i}") for i in range(300)]
    with session.db.transaction():
        session.audit.append_many(entries)
        session.audit.append_many([])
    rows = session.db.query_all("SELECT seq, prev_hash, entry_hash FROM audit_log ORDER BY seq")
    assert [row[0] for row in rows] == list(range(1, 302))
    assert all(later[1] == earlier[2] for earlier, later in itertools.pairwise(rows))
    report = session.audit.verify(_trusted_key(session), verify_signature)
    assert report.first_broken_seq is None and report.entries == 301
