"""Hostile and broken input: always one line, the right exit code, no traceback, nothing changed, no content echoed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli_vault import snapshot
from tests.conftest import Cli


@pytest.fixture
def vault(cli: Cli, tmp_path: Path) -> Path:
    assert cli("init", "--recovery-key-file", str(tmp_path / "rk")).code == 0
    return tmp_path / "vault"


def assert_refused(result: object, code: int) -> None:
    assert result.code == code, result  # type: ignore[attr-defined]
    assert result.err.count("\n") == 1 and "unexpected internal error" not in result.err, result.err  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("stdin", "code"),
    [
        ("[" * 100_000 + "]" * 100_000, 2),
        ('{"birth_year": ' + "9" * 5000 + "}", 2),
        ("\x00\x01binary", 2),
        ('{"names": {"romanized": "x"}, "names": 3}', 1),
        ("[1, 2, 3]", 1),
    ],
)
def test_broken_json_on_standard_input(cli: Cli, vault: Path, stdin: str, code: int) -> None:
    before = snapshot(vault)
    assert_refused(cli("record", "add", "person", stdin=stdin), code)
    assert snapshot(vault) == before


def test_files_that_are_not_files(cli: Cli, vault: Path, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for args in (
        ("record", "add", "person", str(folder)),
        ("import", str(folder), "--format", "json"),
        ("import", str(loop), "--format", "json"),
        ("check", "--passphrase-file", str(folder)),
        ("header", "restore", str(folder)),
        ("record", "add", "person", "/dev/zero"),
    ):
        result = cli(*args)
        assert result.code in (1, 2), (args, result)
        assert_refused(result, result.code)


def test_a_non_header_file_given_to_header_restore(cli: Cli, vault: Path, tmp_path: Path) -> None:
    not_a_header = tmp_path / "notes.json"
    not_a_header.write_text('{"hello": "world"}')
    result = cli("header", "restore", str(not_a_header))
    assert_refused(result, 4)
    assert "not a SafeCase header backup" in result.err


def test_an_empty_vault_path_is_a_usage_error(cli: Cli) -> None:
    assert_refused(cli("check", "--vault", ""), 2)


def test_a_vault_path_that_is_a_file(cli: Cli, tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    result = cli("check", "--vault", str(plain))
    assert_refused(result, 1)
    assert "is a file" in result.err


def test_a_record_id_that_is_not_a_uuid(cli: Cli, vault: Path) -> None:
    result = cli("record", "show", "P-0042")
    assert_refused(result, 1)
    assert "record id" in result.err


def test_a_csv_cell_as_long_as_a_testimony_is_refused_by_its_field_rule(cli: Cli, vault: Path, tmp_path: Path) -> None:
    (tmp_path / "long.csv").write_text('kind,title,summary\ncase,Onsong,"' + "가" * 1_500_000 + '"\n', encoding="utf-8")
    result = cli("import", str(tmp_path / "long.csv"))
    assert_refused(result, 1)
    assert "summary" in result.err and "too long" in result.err


def test_errors_name_rows_and_columns_but_never_echo_cell_content(cli: Cli, vault: Path, tmp_path: Path) -> None:
    (tmp_path / "shifted.csv").write_text("kind,birth_year\nperson,Kim Yeong-hui\n", encoding="utf-8")
    result = cli("import", str(tmp_path / "shifted.csv"))
    assert_refused(result, 1)
    assert "birth_year" in result.err and "Kim" not in result.err
    (tmp_path / "kinds.json").write_text(json.dumps([{"kind": "김영희 +86 139 1234 5678"}]), encoding="utf-8")
    result = cli("import", str(tmp_path / "kinds.json"))
    assert_refused(result, 1)
    assert "김영희" not in result.err and "139" not in result.err
