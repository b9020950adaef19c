"""VaultService paths that the command line reaches only after a crash: restoring a header mid-rotation."""

from __future__ import annotations

import secrets
from pathlib import Path

from safecase.crypto.header import VaultHeader
from safecase.crypto.kdf import derive_kek
from safecase.crypto.secrets import SecretBytes
from safecase.domain.kinds import Kind
from safecase.services.check import check_vault
from safecase.services.records import RecordService
from safecase.services.vault import CreatedVault, VaultService
from tests.conftest import PASSPHRASE


def _crash_after_rekey(vaults: VaultService, created: CreatedVault) -> None:
    """Leave the state a crash between the rekey and the finishing header write leaves."""
    with vaults.unlock(created.folder, PASSPHRASE) as session:
        RecordService(session).add(Kind.TAG, {"label": "Namyang"})
        header = VaultHeader.from_bytes((created.folder / "header.json").read_bytes())
        kek = derive_kek(PASSPHRASE, header.kdf)
        new_master = SecretBytes(secrets.token_bytes(32))
        session.folder.write_header(header.begin_rotation(kek, bytes(new_master)).to_bytes())
        session.db.rekey(vaults._db_key(new_master, header.vault_id))


def test_a_header_exported_mid_rotation_restores_and_settles_the_rotation(
    vaults: VaultService, created_vault: CreatedVault, tmp_path: Path
) -> None:
    _crash_after_rekey(vaults, created_vault)
    exported = tmp_path / "exported-header.json"
    exported.write_bytes((created_vault.folder / "header.json").read_bytes())
    vaults.shred(created_vault.folder)
    with vaults.restore_header(created_vault.folder, exported, PASSPHRASE, None) as session:
        assert check_vault(session).ok
        assert [s.body["label"] for s in RecordService(session).list_kind(Kind.TAG)] == ["Namyang"]
    header = VaultHeader.from_bytes((created_vault.folder / "header.json").read_bytes())
    assert header.pending is None and header.key_epoch == 2
    assert (created_vault.folder / "header.bak.json").read_bytes() == (
        created_vault.folder / "header.json"
    ).read_bytes()


def test_unlock_after_a_crash_mid_rotation_finishes_it(vaults: VaultService, created_vault: CreatedVault) -> None:
    _crash_after_rekey(vaults, created_vault)
    with vaults.unlock(created_vault.folder, PASSPHRASE) as session:
        assert check_vault(session).ok
    assert VaultHeader.from_bytes((created_vault.folder / "header.json").read_bytes()).key_epoch == 2
