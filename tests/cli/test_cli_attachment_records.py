"""Attachment records are written only by `attach`: record add, import, edit and delete refuse them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safecase.domain.kinds import Kind
from tests.conftest import Cli
from tests.factories import make_body


@pytest.fixture
def vault(cli: Cli, tmp_path: Path) -> Path:
    assert cli("init", "--recovery-key-file", str(tmp_path / "rk.txt")).code == 0
    return tmp_path / "vault"


def _new_case(cli: Cli) -> str:
    result = cli("record", "add", "case", stdin=json.dumps(make_body(Kind.CASE)))
    assert result.code == 0, result.err
    return result.out.strip()


def _attach(cli: Cli, case_id: str, tmp_path: Path) -> str:
    photo = tmp_path / "scan.txt"
    photo.write_text("Fictional scanned notice, Onsong holding centre\n", encoding="utf-8")
    result = cli("attach", case_id, str(photo), "--json")
    assert result.code == 0, result.err
    return str(json.loads(result.out)[0]["id"])


def test_record_add_of_an_attachment_points_to_attach(cli: Cli, vault: Path) -> None:
    case_id = _new_case(cli)
    body = make_body(Kind.ATTACHMENT, attached_to_id=case_id)
    result = cli("record", "add", "attachment", stdin=json.dumps(body))
    assert result.code == 1
    assert "safecase attach RECORD_ID FILE" in result.err
    assert cli("attachment", "list", case_id).out == ""


def test_import_of_an_attachment_row_is_refused_whole(cli: Cli, vault: Path, tmp_path: Path) -> None:
    case_id = _new_case(cli)
    rows = [
        {"kind": "case", **make_body(Kind.CASE, title="Imported case")},
        {"kind": "attachment", **make_body(Kind.ATTACHMENT, attached_to_id=case_id)},
    ]
    source = tmp_path / "rows.json"
    source.write_text(json.dumps(rows), encoding="utf-8")
    result = cli("import", str(source))
    assert result.code != 0
    assert "safecase attach" in result.err
    listed = json.loads(cli("record", "list", "case", "--json").out)
    assert [c["body"]["title"] for c in listed] == [make_body(Kind.CASE)["title"]]


def test_an_attachment_is_never_edited_or_deleted(cli: Cli, vault: Path, tmp_path: Path) -> None:
    attachment_id = _attach(cli, _new_case(cli), tmp_path)
    edit = cli("record", "edit", attachment_id, stdin=json.dumps({"file_name": "renamed.txt"}))
    assert edit.code == 1
    assert "never edited" in edit.err and "--derived-from" in edit.err
    delete = cli("record", "delete", attachment_id)
    assert delete.code == 1
    assert "never deleted" in delete.err
    shown = json.loads(cli("record", "show", attachment_id, "--json").out)
    assert shown["body"]["file_name"] == "scan.txt"
    assert not shown["deleted"]
