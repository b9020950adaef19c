"""The vault commands, end to end through the command line (in-process, fast KDF)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, Cli


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its SHA-256 (to prove a failed command changed nothing)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def vault(cli: Cli, tmp_path: Path) -> Path:
    result = cli("init", "--name", "Test Worker", "--recovery-key-file", str(tmp_path / "rk.txt"))
    assert result.code == 0, result.err
    return tmp_path / "vault"


def write(path: Path, text: str) -> str:
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_init_creates_private_files_and_writes_the_recovery_key(vault: Path, tmp_path: Path) -> None:
    assert (vault / "header.json").is_file() and (vault / "vault.db").is_file()
    assert oct(vault.stat().st_mode & 0o777) == "0o700"
    for path in vault.rglob("*"):
        assert (path.stat().st_mode & 0o077) == 0, path
    recovery = (tmp_path / "rk.txt").read_text().strip()
    assert len(recovery.split("-")) == 14
    header = json.loads((vault / "header.json").read_text())
    assert "Test Worker" not in (vault / "header.json").read_text()
    assert header["format"] == "safecase-vault-header"


def test_init_without_a_file_prints_the_recovery_key_once(cli: Cli) -> None:
    result = cli("init")
    assert result.code == 0
    assert "RECOVERY KEY" in result.out
    assert "RECOVERY KEY" not in cli("identity").out


def test_second_init_over_an_existing_vault_is_refused_and_changes_nothing(cli: Cli, vault: Path) -> None:
    before = snapshot(vault)
    result = cli("init")
    assert result.code == 1
    assert "already exists" in result.err and result.err.count("\n") == 1
    assert snapshot(vault) == before


def test_wrong_passphrase_exits_3_and_changes_not_one_byte(cli: Cli, vault: Path, tmp_path: Path) -> None:
    before = snapshot(vault)
    result = cli("record", "list", "person", "--passphrase-file", write(tmp_path / "bad", "wrong passphrase"))
    assert result.code == 3
    assert result.err.startswith("safecase: Wrong passphrase") and "Traceback" not in result.err
    assert snapshot(vault) == before


def test_empty_passphrase_file_is_a_usage_error(cli: Cli, vault: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("")
    result = cli("check", "--passphrase-file", str(empty))
    assert result.code == 2 and "empty" in result.err


def test_nfc_and_nfd_forms_of_a_korean_passphrase_open_the_same_vault(cli: Cli, tmp_path: Path) -> None:
    passphrase = "비밀번호 단둥 2019"
    nfc = write(tmp_path / "nfc", unicodedata.normalize("NFC", passphrase))
    nfd = write(tmp_path / "nfd", unicodedata.normalize("NFD", passphrase))
    assert cli("init", "--passphrase-file", nfc, "--recovery-key-file", str(tmp_path / "rk")).code == 0
    assert cli("check", "--passphrase-file", nfd).code == 0


def test_passwd_changes_which_passphrase_opens_the_vault(cli: Cli, vault: Path, tmp_path: Path) -> None:
    new = write(tmp_path / "new", "a brand new passphrase")
    assert cli("passwd", "--new-passphrase-file", new).code == 0
    assert cli("check").code == 3
    assert cli("check", "--passphrase-file", new).code == 0


def test_recover_with_the_recovery_key_sets_a_new_passphrase(cli: Cli, vault: Path, tmp_path: Path) -> None:
    new = write(tmp_path / "new", "recovered passphrase")
    result = cli("recover", "--recovery-key-file", str(tmp_path / "rk.txt"), "--new-passphrase-file", new)
    assert result.code == 0, result.err
    assert cli("check", "--passphrase-file", new).code == 0


def test_recover_with_a_wrong_recovery_key_exits_3(cli: Cli, vault: Path, tmp_path: Path) -> None:
    cli("init", "--vault", str(tmp_path / "other"), "--recovery-key-file", str(tmp_path / "other-rk"))
    new = write(tmp_path / "new", "recovered passphrase")
    before = snapshot(vault)
    result = cli("recover", "--recovery-key-file", str(tmp_path / "other-rk"), "--new-passphrase-file", new)
    assert result.code == 3
    assert snapshot(vault) == before


def test_rotate_key_keeps_records_and_invalidates_old_header_backups(cli: Cli, vault: Path, tmp_path: Path) -> None:
    person = cli("record", "add", "person", stdin='{"names": {"romanized": "Pak Chol-su"}}').out.strip()
    assert cli("header", "export", "-o", str(tmp_path / "old-header.json")).code == 0
    assert cli("rotate-key").code == 0
    assert cli("check").code == 0
    assert "Pak Chol-su" in cli("record", "show", person).out
    assert json.loads((vault / "header.json").read_text())["key_epoch"] == 2
    (vault / "header.json").write_bytes((tmp_path / "old-header.json").read_bytes())
    assert cli("check").code == 4


def test_shred_destroys_the_keys_and_an_exported_header_restores_them(cli: Cli, vault: Path, tmp_path: Path) -> None:
    cli("record", "add", "tag", stdin='{"label": "Tumen 2019"}')
    assert cli("header", "export", "-o", str(tmp_path / "backup.json")).code == 0
    assert cli("shred", "--yes").code == 0
    assert not (vault / "header.json").exists() and not (vault / "header.bak.json").exists()
    locked = cli("check")
    assert locked.code == 1 and "header restore" in locked.err
    restored = cli("header", "restore", str(tmp_path / "backup.json"), "--recovery-key-file", str(tmp_path / "rk.txt"))
    assert restored.code == 0, restored.err
    assert "Tumen 2019" in cli("search", "tumen").out


def test_shred_asks_for_confirmation(cli: Cli, vault: Path) -> None:
    before = snapshot(vault)
    assert cli("shred", answers=("no",)).code == 2
    assert snapshot(vault) == before
    assert cli("shred", answers=("SHRED",)).code == 0


@pytest.mark.parametrize("page", [1, 3])
def test_check_names_the_damaged_page_of_a_flipped_database_byte(cli: Cli, vault: Path, page: int) -> None:
    for i in range(20):
        cli("record", "add", "tag", stdin=json.dumps({"label": f"tag {i}" * 50}))
    database = vault / "vault.db"
    os.truncate(vault / "vault.db-wal", 0) if (vault / "vault.db-wal").exists() else None
    data = bytearray(database.read_bytes())
    data[16384 * (page - 1) + 500] ^= 0x40
    database.write_bytes(bytes(data))
    result = cli("check")
    assert result.code == 4
    assert f"pgno={page}" in result.out or f"page {page}" in result.out, result.out


def test_a_flipped_header_byte_is_an_integrity_error_pointing_at_the_backup(cli: Cli, vault: Path) -> None:
    header = vault / "header.json"
    data = bytearray(header.read_bytes())
    data[len(data) // 2] ^= 0x01
    header.write_bytes(bytes(data))
    before = snapshot(vault)
    result = cli("check")
    assert result.code == 4 and "header restore" in result.err
    assert snapshot(vault) == before


@pytest.mark.parametrize(("field", "value"), [("memory_kib", 64 * 1024 * 1024), ("iterations", 3), ("lanes", 4)])
def test_edited_kdf_parameters_with_a_recomputed_checksum_are_refused(
    cli: Cli, vault: Path, field: str, value: int
) -> None:
    """A deliberate edit (checksum fixed up) is caught by the policy bounds or by the AEAD, never accepted."""
    header = json.loads((vault / "header.json").read_text())
    header["kdf"][field] = value
    del header["checksum"]
    header["checksum"] = hashlib.sha256(json.dumps(header, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    tampered = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    (vault / "header.json").write_bytes(tampered)
    (vault / "header.bak.json").write_bytes(tampered)
    before = snapshot(vault)
    result = cli("check")
    assert result.code in (3, 4) and result.err.count("\n") == 1 and "Traceback" not in result.err
    assert snapshot(vault) == before


def test_a_vault_folder_that_is_a_symlink_is_refused(cli: Cli, vault: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(vault)
    result = cli("check", "--vault", str(link))
    assert result.code == 1 and "symbolic link" in result.err


def test_a_vault_with_a_missing_database_is_refused(cli: Cli, vault: Path) -> None:
    (vault / "vault.db").rename(vault.parent / "moved.db")
    result = cli("check")
    assert result.code == 1 and "missing" in result.err


def test_a_missing_vault_says_how_to_create_one(cli: Cli, tmp_path: Path) -> None:
    result = cli("check", "--vault", str(tmp_path / "nowhere"))
    assert result.code == 1 and "safecase init" in result.err


def test_identity_shows_a_fingerprint_of_eight_groups(cli: Cli, vault: Path) -> None:
    facts = json.loads(cli("identity", "--json").out)
    assert facts["name"] == "Test Worker"
    groups = facts["fingerprint"].split()
    assert len(groups) == 8 and all(len(g) == 5 and g.isdigit() for g in groups)
    assert facts["age_recipient"].startswith("age1")


def test_identity_can_show_its_fingerprint_as_a_qr_code(cli: Cli, vault: Path) -> None:
    import segno

    facts = json.loads(cli("identity", "--json").out)
    shown = cli("identity", "--qr").out
    expected = io.StringIO()
    segno.make(facts["qr"], error="m").terminal(out=expected, compact=True)
    assert expected.getvalue() in shown and "█" in shown


def test_unknown_command_and_bad_options_exit_2_without_traceback(cli: Cli) -> None:
    for args in (
        ("frobnicate",),
        ("record", "list", "spaceship"),
        ("search",),
        ("record", "list", "person", "--limit", "x"),
    ):
        result = cli(*args)
        assert result.code == 2, args
        assert "Traceback" not in result.err


def test_passphrase_unused_since_vault_default_comes_from_env(tmp_path: Path, clock: object) -> None:
    import io

    from safecase.cli.main import run
    from safecase.crypto.kdf import KdfPolicy

    passphrase = tmp_path / "p"
    passphrase.write_text(PASSPHRASE)
    out, err = io.StringIO(), io.StringIO()
    code = run(
        ["init", "--passphrase-file", str(passphrase), "--recovery-key-file", str(tmp_path / "rk")],
        kdf_policy=KdfPolicy.for_tests(),
        clock=clock,
        stdin=io.StringIO(),
        stdout=out,  # type: ignore[arg-type]
        stderr=err,
        environ={"SAFECASE_VAULT": str(tmp_path / "from-env")},
        prompt=lambda _: "",
    )
    assert code == 0, err.getvalue()
    assert (tmp_path / "from-env" / "header.json").is_file()


def test_init_leaves_existing_parent_folders_as_they_are(cli: Cli, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    assert (
        cli("init", "--vault", str(shared / "a" / "b" / "vault"), "--recovery-key-file", str(tmp_path / "k")).code == 0
    )
    assert shared.stat().st_mode & 0o7777 == 0o1777
    assert (shared / "a").stat().st_mode & 0o777 == 0o700  # folders SafeCase made are private


def test_shred_also_destroys_headers_of_interrupted_writes(cli: Cli, vault: Path) -> None:
    leftover = vault / ".header.json.0123456789ab.tmp"
    leftover.write_bytes((vault / "header.json").read_bytes())
    assert cli("shred", "--yes").code == 0
    assert not leftover.exists() and not any(vault.glob("*header*"))


def test_shred_never_writes_through_a_linked_header(cli: Cli, vault: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("not a header")
    (vault / "header.json").unlink()
    (vault / "header.json").symlink_to(precious)
    assert cli("shred", "--yes").code == 0
    assert precious.read_text() == "not a header"
    assert not (vault / "header.json").is_symlink()


def test_shred_works_even_when_the_database_is_missing(cli: Cli, vault: Path) -> None:
    (vault / "vault.db").unlink()
    assert cli("shred", "--yes").code == 0
    assert not (vault / "header.json").exists() and not (vault / "header.bak.json").exists()
    assert "already shredded" in cli("shred", "--yes").err


@pytest.mark.parametrize("where", ["missing-folder/rk", "existing", "dangling-link"])
def test_an_unusable_recovery_key_file_is_refused_before_the_vault_exists(cli: Cli, tmp_path: Path, where: str) -> None:
    (tmp_path / "existing").write_text("keep me")
    (tmp_path / "dangling-link").symlink_to(tmp_path / "nowhere")
    result = cli("init", "--recovery-key-file", str(tmp_path / where))
    assert result.code == 1 and result.err.count("\n") == 1, result.err
    assert not (tmp_path / "vault").exists()
    assert (tmp_path / "existing").read_text() == "keep me"
