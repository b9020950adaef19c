"""The vault header's key operations: unwrapping the master key, changing the passphrase, rotating the key.

The header holds the master key wrapped twice -- under the passphrase KEK (AES-256-GCM) and to the recovery
public key (HPKE) -- each bound to the header's identity and settings and to the key epoch it belongs to.
Every method returns a NEW header; the storage layer writes it atomically (write, fsync, rename), so the file
on disk is always one complete header.

Key rotation, and why a crash at any point loses nothing
--------------------------------------------------------
Rotation replaces the master key (epoch n) with a new one (epoch n+1) and re-encrypts the database with it.
The invariant: the header on disk can always open, by passphrase AND by recovery key, whichever key the
database is encrypted with at that moment.

1. ``begin_rotation(kek, new_key)`` -> header with ``pending`` = the new key wrapped both ways. Written
   atomically. A crash before the write: nothing changed. After: the database is still on the current key,
   which the header still holds.
2. The database is re-keyed (SQLCipher ``PRAGMA rekey``, one transaction). Before it commits, the database is
   on the current key; after, on the pending key; the header holds both.
3. ``finish_rotation(kek, database_key=new_key)`` -> pending becomes current, epoch n+1. Written atomically.
   A crash before the write leaves step 2's state, which the next unlock repairs.

On unlock, the service tries the current key on the database. If that works and a rotation is pending, step 2
never committed: ``abandon_rotation`` drops the pending key (or the service re-keys and finishes). If it
fails, it tries ``unwrap_pending_*``; if the pending key opens the database, ``finish_rotation`` completes
step 3. ``finish_rotation`` and ``abandon_rotation`` demand the key the database actually opened with and
refuse unless it is the pending (resp. current) key, so the header can never be settled onto a key the
database does not use.

No passphrase or recovery-key change is allowed while a rotation is pending: there would be two master keys to
re-wrap, and one of them the caller would not have. Header backups taken before a rotation hold only the old
key: take a new backup after every finished rotation.
"""

from __future__ import annotations

import hmac
from dataclasses import replace
from datetime import UTC, datetime

from safecase.crypto.header_format import HeaderContent, PendingRotation, associated_data
from safecase.crypto.kdf import KdfParams
from safecase.crypto.key_wrap import (
    UnwrapError,
    check_key,
    open_with_kek,
    open_with_recovery,
    seal_to_recovery,
    seal_with_kek,
)
from safecase.crypto.recovery_key import RecoveryKey
from safecase.errors import IntegrityError, VaultStateError, WrongSecretError

WRONG_PASSPHRASE = "Wrong passphrase. Check the keyboard layout (Korean/English) and Caps Lock, then try again."  # noqa: S105
OTHER_VAULT = "This recovery key belongs to a different vault"
ALTERED = (
    "The vault header was altered: the recovery key is right but the header no longer matches it. "
    "Restore the header from a header backup (safecase header restore)."
)
_PASSPHRASE = "passphrase"  # noqa: S105  (a purpose label, not a secret)
_RECOVERY = "recovery"

UnlockSecret = bytes | RecoveryKey
"""A passphrase KEK (from `derive_kek`) or a recovery key."""


class VaultHeader(HeaderContent):
    """The plaintext vault header (frozen). Parse with `from_bytes`, create with `create_header`."""

    # --- unwrapping ---

    def unwrap_with_kek(self, kek: bytes) -> bytes:
        """The current master key. WrongSecretError if the passphrase (KEK) is wrong."""
        return self._open_kek(kek, pending=False)

    def unwrap_with_recovery_key(self, recovery_key: RecoveryKey) -> bytes:
        """The current master key. WrongSecretError if the key is another vault's; IntegrityError if the
        header was altered."""
        return self._open_recovery(recovery_key, pending=False)

    def unwrap_pending_with_kek(self, kek: bytes) -> bytes | None:
        """The pending (next) master key, or None if no rotation is in progress."""
        return None if self.pending is None else self._open_kek(kek, pending=True)

    def unwrap_pending_with_recovery_key(self, recovery_key: RecoveryKey) -> bytes | None:
        """The pending (next) master key, or None if no rotation is in progress."""
        return None if self.pending is None else self._open_recovery(recovery_key, pending=True)

    # --- passphrase and recovery key changes ---

    def with_new_passphrase(self, kdf_params: KdfParams, kek: bytes, master_key: bytes) -> VaultHeader:
        """A header whose passphrase wrap uses the new KEK (and new KDF parameters).

        `master_key` must be the current master key, i.e. the one that just opened the database. The recovery
        wrap is redone too (it is bound to the KDF parameters); that needs only the stored public key.
        """
        self._require_no_rotation()
        return self._rewrapped(master_key, kek, kdf=kdf_params, recovery_public_key=self.recovery_public_key)

    def with_new_recovery_key(self, kek: bytes, recovery_public_key: bytes) -> VaultHeader:
        """A header whose recovery wrap is for a new recovery key; the old key no longer opens this header."""
        self._require_no_rotation()
        master_key = self.unwrap_with_kek(kek)
        return self._rewrapped(master_key, kek, kdf=self.kdf, recovery_public_key=recovery_public_key)

    # --- key rotation (see the module docstring) ---

    def begin_rotation(self, kek: bytes, new_master_key: bytes) -> VaultHeader:
        """Step 1: a header that also holds `new_master_key`, as the pending key of the next epoch."""
        self._require_no_rotation()
        check_key(new_master_key, "the new master key")
        current = self.unwrap_with_kek(kek)
        if hmac.compare_digest(current, bytes(new_master_key)):
            raise ValueError("the new master key must differ from the current one")
        epoch = self.key_epoch + 1
        pending = PendingRotation(
            key_epoch=epoch,
            passphrase_wrap=seal_with_kek(kek, new_master_key, self._associated_data(epoch, _PASSPHRASE)),
            recovery_wrap=seal_to_recovery(
                self.recovery_public_key, new_master_key, self._associated_data(epoch, _RECOVERY)
            ),
        )
        return replace(self, pending=pending)

    def finish_rotation(self, secret: UnlockSecret, database_key: bytes) -> VaultHeader:
        """Step 3: the pending key becomes current (epoch + 1).

        `database_key` is the key the database now opens with; refused unless it is the pending key.
        """
        pending = self._require_rotation()
        if not hmac.compare_digest(self._open(secret, pending=True), bytes(database_key)):
            raise VaultStateError(
                "The database is not yet re-encrypted with the new key: the key rotation cannot be finished"
            )
        return replace(
            self,
            key_epoch=pending.key_epoch,
            passphrase_wrap=pending.passphrase_wrap,
            recovery_wrap=pending.recovery_wrap,
            pending=None,
        )

    def abandon_rotation(self, secret: UnlockSecret, database_key: bytes) -> VaultHeader:
        """Drop the pending key after a rotation whose re-keying never committed.

        `database_key` is the key the database opens with; refused unless it is the current key.
        """
        self._require_rotation()
        if not hmac.compare_digest(self._open(secret, pending=False), bytes(database_key)):
            raise VaultStateError(
                "The database is already re-encrypted with the new key: the key rotation cannot be abandoned"
            )
        return replace(self, pending=None)

    # --- internals ---

    def _require_no_rotation(self) -> None:
        if self.pending is not None:
            raise VaultStateError("A key rotation is unfinished: unlock the vault to complete it, then try again")

    def _require_rotation(self) -> PendingRotation:
        if self.pending is None:
            raise VaultStateError("No key rotation is in progress in this vault")
        return self.pending

    def _open(self, secret: UnlockSecret, *, pending: bool) -> bytes:
        if isinstance(secret, RecoveryKey):
            return self._open_recovery(secret, pending=pending)
        return self._open_kek(secret, pending=pending)

    def _open_kek(self, kek: bytes, *, pending: bool) -> bytes:
        epoch, wrap = (self.key_epoch, self.passphrase_wrap)
        if pending and self.pending is not None:
            epoch, wrap = (self.pending.key_epoch, self.pending.passphrase_wrap)
        try:
            return open_with_kek(wrap, kek, self._associated_data(epoch, _PASSPHRASE))
        except UnwrapError:
            raise WrongSecretError(WRONG_PASSPHRASE) from None

    def _open_recovery(self, recovery_key: RecoveryKey, *, pending: bool) -> bytes:
        if not hmac.compare_digest(recovery_key.public_key_bytes(), self.recovery_public_key):
            raise WrongSecretError(OTHER_VAULT)
        epoch, wrap = (self.key_epoch, self.recovery_wrap)
        if pending and self.pending is not None:
            epoch, wrap = (self.pending.key_epoch, self.pending.recovery_wrap)
        try:
            return open_with_recovery(wrap, recovery_key.private_key(), self._associated_data(epoch, _RECOVERY))
        except UnwrapError:
            # The key matches the stored public key, so the wrap or the data bound to it was changed.
            raise IntegrityError(ALTERED) from None

    def _rewrapped(self, master_key: bytes, kek: bytes, *, kdf: KdfParams, recovery_public_key: bytes) -> VaultHeader:
        updated = replace(self, kdf=kdf, recovery_public_key=recovery_public_key)
        epoch = self.key_epoch
        return replace(
            updated,
            passphrase_wrap=seal_with_kek(kek, master_key, updated._associated_data(epoch, _PASSPHRASE)),
            recovery_wrap=seal_to_recovery(recovery_public_key, master_key, updated._associated_data(epoch, _RECOVERY)),
        )


def create_header(
    vault_id: str,
    kdf_params: KdfParams,
    kek: bytes,
    master_key: bytes,
    recovery_public_key: bytes,
    created_at: datetime | str,
) -> VaultHeader:
    """The header of a new vault (key epoch 1, no rotation pending).

    `created_at` is a timezone-aware datetime or an ISO-8601 string with an offset or "Z" (such as
    ``2026-11-28T12:00:00.123Z``); the header keeps it to the second, in UTC.
    """
    moment = datetime.fromisoformat(created_at) if isinstance(created_at, str) else created_at
    if moment.tzinfo is None:
        raise ValueError("created_at must carry a time zone (UTC)")
    created = moment.astimezone(UTC).replace(microsecond=0)

    def bound_to(purpose: str) -> bytes:
        return associated_data(vault_id, created, kdf_params, 1, recovery_public_key, purpose)

    return VaultHeader(
        vault_id=vault_id,
        created_at=created,
        kdf=kdf_params,
        key_epoch=1,
        passphrase_wrap=seal_with_kek(kek, master_key, bound_to(_PASSPHRASE)),
        recovery_public_key=recovery_public_key,
        recovery_wrap=seal_to_recovery(recovery_public_key, master_key, bound_to(_RECOVERY)),
    )
