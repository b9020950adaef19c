"""Key rotation: the header state machine, and recovery from a crash at every step."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pytest

from safecase.crypto.header import VaultHeader
from safecase.crypto.recovery_key import RecoveryKey
from safecase.errors import IntegrityError, VaultStateError, WrongSecretError

from .conftest import VaultKeys
from .test_header import edited


@pytest.fixture
def new_key() -> bytes:
    return os.urandom(32)


def test_begin_rotation_adds_the_next_key_wrapped_both_ways(vault: VaultKeys, new_key: bytes) -> None:
    header = VaultHeader.from_bytes(vault.header.begin_rotation(vault.kek, new_key).to_bytes())
    assert header.key_epoch == 1
    assert header.pending is not None and header.pending.key_epoch == 2
    assert header.unwrap_with_kek(vault.kek) == vault.master_key
    assert header.unwrap_pending_with_kek(vault.kek) == new_key
    assert header.unwrap_pending_with_recovery_key(vault.recovery_key) == new_key


def test_no_pending_key_without_a_rotation(vault: VaultKeys) -> None:
    assert vault.header.unwrap_pending_with_kek(vault.kek) is None
    assert vault.header.unwrap_pending_with_recovery_key(vault.recovery_key) is None


def test_begin_rotation_needs_the_right_passphrase(vault: VaultKeys, new_key: bytes) -> None:
    with pytest.raises(WrongSecretError):
        vault.header.begin_rotation(bytes(32), new_key)


def test_the_new_key_must_differ(vault: VaultKeys) -> None:
    with pytest.raises(ValueError, match="differ"):
        vault.header.begin_rotation(vault.kek, vault.master_key)


@pytest.mark.parametrize("use_recovery_key", [False, True])
def test_finish_rotation_promotes_the_pending_key(vault: VaultKeys, new_key: bytes, use_recovery_key: bool) -> None:
    started = vault.header.begin_rotation(vault.kek, new_key)
    secret: bytes | RecoveryKey = vault.recovery_key if use_recovery_key else vault.kek
    header = VaultHeader.from_bytes(started.finish_rotation(secret, database_key=new_key).to_bytes())
    assert header.key_epoch == 2
    assert header.pending is None
    assert header.unwrap_with_kek(vault.kek) == new_key
    assert header.unwrap_with_recovery_key(vault.recovery_key) == new_key


def test_finish_rotation_refuses_if_the_database_is_still_on_the_old_key(vault: VaultKeys, new_key: bytes) -> None:
    started = vault.header.begin_rotation(vault.kek, new_key)
    with pytest.raises(VaultStateError, match="not yet re-encrypted"):
        started.finish_rotation(vault.kek, database_key=vault.master_key)


def test_abandon_rotation_drops_the_pending_key(vault: VaultKeys, new_key: bytes) -> None:
    started = vault.header.begin_rotation(vault.kek, new_key)
    header = started.abandon_rotation(vault.recovery_key, database_key=vault.master_key)
    assert header == vault.header
    with pytest.raises(VaultStateError, match="already re-encrypted"):
        started.abandon_rotation(vault.kek, database_key=new_key)


def test_rotation_methods_refuse_the_wrong_state(vault: VaultKeys, new_key: bytes) -> None:
    with pytest.raises(VaultStateError, match="No key rotation"):
        vault.header.finish_rotation(vault.kek, database_key=new_key)
    with pytest.raises(VaultStateError, match="No key rotation"):
        vault.header.abandon_rotation(vault.kek, database_key=vault.master_key)
    started = vault.header.begin_rotation(vault.kek, new_key)
    with pytest.raises(VaultStateError, match="unfinished"):
        started.begin_rotation(vault.kek, os.urandom(32))
    with pytest.raises(VaultStateError, match="unfinished"):
        started.with_new_passphrase(vault.params, vault.kek, vault.master_key)
    with pytest.raises(VaultStateError, match="unfinished"):
        started.with_new_recovery_key(vault.kek, vault.recovery_key.public_key_bytes())


def test_wrong_secret_cannot_finish_or_abort(vault: VaultKeys, new_key: bytes) -> None:
    started = vault.header.begin_rotation(vault.kek, new_key)
    with pytest.raises(WrongSecretError):
        started.finish_rotation(bytes(32), database_key=new_key)
    with pytest.raises(WrongSecretError):
        started.abandon_rotation(bytes(32), database_key=vault.master_key)


def test_a_pending_wrap_moved_into_the_current_slot_does_not_open(vault: VaultKeys, new_key: bytes) -> None:
    started = vault.header.begin_rotation(vault.kek, new_key)
    pending_wrap = json.loads(started.to_bytes())["pending"]["passphrase_wrap"]
    header = VaultHeader.from_bytes(edited(started, lambda f: f.update(passphrase_wrap=pending_wrap)))
    with pytest.raises(WrongSecretError):
        header.unwrap_with_kek(vault.kek)  # bound to epoch 2, sitting in the epoch-1 slot


def test_a_pending_rotation_must_be_for_the_next_epoch(vault: VaultKeys, new_key: bytes) -> None:
    started = vault.header.begin_rotation(vault.kek, new_key)
    with pytest.raises(IntegrityError, match="damaged"):
        VaultHeader.from_bytes(edited(started, lambda f: f["pending"].update(key_epoch=3)))


def test_two_rotations_in_a_row(vault: VaultKeys) -> None:
    header = vault.header
    for epoch, key in enumerate([os.urandom(32), os.urandom(32)], start=2):
        current = header.unwrap_with_kek(vault.kek)
        header = header.begin_rotation(vault.kek, key).finish_rotation(vault.kek, database_key=key)
        assert header.key_epoch == epoch
        assert header.unwrap_with_recovery_key(vault.recovery_key) == key != current


# --- crash safety -------------------------------------------------------------------------------------------


@dataclass
class Disk:
    """What survives a crash: the header file and the key the database is encrypted with."""

    header: bytes
    database_key: bytes


def unlock_and_repair(disk: Disk, secret: bytes | RecoveryKey) -> bytes:
    """The vault service's unlock, as documented in header.py: returns the key that opens the database."""
    header = VaultHeader.from_bytes(disk.header)
    if isinstance(secret, RecoveryKey):
        current, pending = (
            header.unwrap_with_recovery_key(secret),
            header.unwrap_pending_with_recovery_key(secret),
        )
    else:
        current, pending = header.unwrap_with_kek(secret), header.unwrap_pending_with_kek(secret)
    if current == disk.database_key:  # "the database opens with the current key"
        if pending is not None:
            disk.header = header.abandon_rotation(secret, database_key=current).to_bytes()
        return current
    assert pending == disk.database_key, "the header cannot open the database: data lost"
    disk.header = header.finish_rotation(secret, database_key=pending).to_bytes()
    return pending


CRASH_POINTS = ["before begin", "after begin", "after rekey", "after finish"]


@pytest.mark.parametrize("crash_after", CRASH_POINTS)
@pytest.mark.parametrize("unlock_with", ["passphrase", "recovery key"])
def test_a_crash_at_any_step_of_a_rotation_loses_nothing(
    vault: VaultKeys, new_key: bytes, crash_after: str, unlock_with: str
) -> None:
    disk = Disk(header=vault.header.to_bytes(), database_key=vault.master_key)

    def rotate() -> None:
        header = VaultHeader.from_bytes(disk.header)
        if crash_after == "before begin":
            return
        header = header.begin_rotation(vault.kek, new_key)
        disk.header = header.to_bytes()  # atomic write
        if crash_after == "after begin":
            return
        disk.database_key = new_key  # PRAGMA rekey commits
        if crash_after == "after rekey":
            return
        disk.header = header.finish_rotation(vault.kek, database_key=new_key).to_bytes()

    rotate()
    secret: bytes | RecoveryKey = vault.kek if unlock_with == "passphrase" else vault.recovery_key
    assert unlock_and_repair(disk, secret) == disk.database_key
    repaired = VaultHeader.from_bytes(disk.header)
    assert repaired.pending is None
    # After the repair, BOTH ways in open the database, and unlocking again changes nothing.
    assert repaired.unwrap_with_kek(vault.kek) == disk.database_key
    assert repaired.unwrap_with_recovery_key(vault.recovery_key) == disk.database_key
    before = disk.header
    unlock_and_repair(disk, vault.kek)
    assert disk.header == before
