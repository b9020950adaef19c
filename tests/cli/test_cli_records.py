"""Records, history, import and search through the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.cli.test_cli_vault import snapshot
from tests.conftest import Cli


@pytest.fixture
def vault(cli: Cli, tmp_path: Path) -> Path:
    assert cli("init", "--recovery-key-file", str(tmp_path / "rk.txt")).code == 0
    return tmp_path / "vault"


def add(cli: Cli, kind: str, body: dict[str, object]) -> str:
    result = cli("record", "add", kind, stdin=json.dumps(body, ensure_ascii=False))
    assert result.code == 0, result.err
    return result.out.strip()


def test_options_may_follow_the_command_name(cli: Cli, vault: Path, tmp_path: Path) -> None:
    add(cli, "tag", {"label": "Onsong"})
    passphrase = str(tmp_path / "passphrase.txt")
    result = cli("record", "list", "tag", "--json", "--passphrase-file", passphrase, "--vault", str(vault))
    assert result.code == 0
    assert json.loads(result.out)[0]["body"]["label"] == "Onsong"


def test_a_person_gets_a_pseudonym_and_round_trips(cli: Cli, vault: Path) -> None:
    person = add(cli, "person", {"names": {"hangul": "박철수", "romanized": "Pak Chol-su"}, "sex": "male"})
    shown = json.loads(cli("record", "show", person).out)
    assert shown["kind"] == "person" and shown["deleted"] is False
    assert shown["body"]["names"]["hangul"] == "박철수"
    assert shown["body"]["pseudonym"].startswith("P-")


def test_edit_applies_a_merge_patch_and_history_keeps_every_version(cli: Cli, vault: Path) -> None:
    person = add(cli, "person", {"names": {"romanized": "Ri Ok-sun"}, "status": "detained"})
    assert cli("record", "edit", person, stdin='{"status": "disappeared"}').code == 0
    assert cli("record", "edit", person, stdin='{"names": {"hangul": "리옥순"}}').code == 0
    body = json.loads(cli("record", "show", person).out)["body"]
    assert body["status"] == "disappeared"
    assert body["names"] == {"romanized": "Ri Ok-sun", "hangul": "리옥순"}
    versions = json.loads(cli("history", person, "--json").out)
    assert [v["body"].get("status") for v in versions] == ["detained", "disappeared", "disappeared"]
    assert [v["revision"] for v in versions] == sorted(v["revision"] for v in versions)


def test_restore_brings_back_an_earlier_version_as_a_new_one(cli: Cli, vault: Path) -> None:
    tag = add(cli, "tag", {"label": "first"})
    cli("record", "edit", tag, stdin='{"label": "second"}')
    first_revision = json.loads(cli("history", tag, "--json").out)[0]["revision"]
    assert cli("record", "restore", tag, first_revision).code == 0
    assert json.loads(cli("record", "show", tag).out)["body"]["label"] == "first"
    assert len(json.loads(cli("history", tag, "--json").out)) == 3


def test_delete_is_a_tombstone_and_hides_the_record(cli: Cli, vault: Path) -> None:
    tag = add(cli, "tag", {"label": "Hoeryong"})
    assert cli("record", "delete", tag).code == 0
    assert cli("record", "show", tag).code == 1
    assert json.loads(cli("record", "list", "tag", "--json").out) == []
    versions = json.loads(cli("history", tag, "--json").out)
    assert [v["deleted"] for v in versions] == [False, True]
    assert "Hoeryong" not in cli("search", "hoeryong").out


def test_deleting_a_referenced_person_is_refused(cli: Cli, vault: Path) -> None:
    person = add(cli, "person", {"names": {"romanized": "Han Mi-ran"}})
    add(cli, "testimony", {"interviewee_id": person, "original_text": "..."})
    result = cli("record", "delete", person)
    assert result.code == 1 and "refer" in result.err


def test_consent_is_never_edited_only_withdrawn(cli: Cli, vault: Path) -> None:
    person = add(cli, "person", {"names": {"romanized": "Jo Hye-jin"}})
    scopes = {
        "names_to_governments": False,
        "names_in_public_reports": False,
        "recontact": True,
        "share_with_un": True,
    }
    consent = add(
        cli,
        "consent",
        {"subject_person_id": person, "scopes": scopes, "method": "written", "given_on": "2024-05-02"},
    )
    result = cli("record", "edit", consent, stdin='{"scopes": {"share_with_un": false}}')
    assert result.code == 1 and "withdrawal" in result.err
    withdrawal = {
        "subject_person_id": person,
        "scopes": dict.fromkeys(scopes, False),
        "method": "written",
        "given_on": "2024-06-01",
        "withdraws_consent_id": consent,
    }
    add(cli, "consent", withdrawal)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"names": {"romanized": 42}}, "names.romanized"),
        ({"spaceship": True}, "spaceship"),
        ({"birth_year": "1990"}, "birth_year"),
        ({"is_group": True}, "group"),
    ],
)
def test_invalid_records_are_refused_with_the_field_named(
    cli: Cli, vault: Path, body: dict[str, object], message: str
) -> None:
    before = snapshot(vault)
    result = cli("record", "add", "person", stdin=json.dumps(body))
    assert result.code == 1
    assert message in result.err and result.err.count("\n") == 1
    assert snapshot(vault) == before


def test_a_dangling_reference_is_refused(cli: Cli, vault: Path) -> None:
    result = cli(
        "record",
        "add",
        "testimony",
        stdin=json.dumps({"interviewee_id": "0b6f1c2e-0000-4000-8000-000000000001"}),
    )
    assert result.code == 1 and "does not exist" in result.err


def test_schema_is_json_schema_for_the_kind(cli: Cli) -> None:
    schema = json.loads(cli("record", "schema", "event").out)
    assert schema["additionalProperties"] is False
    assert "type" in schema["properties"]


def test_import_json_is_all_or_nothing(cli: Cli, vault: Path, tmp_path: Path) -> None:
    good = [
        {"kind": "person", "id": "0b6f1c2e-0000-4000-8000-000000000001", "names": {"romanized": "Yun Su-mi"}},
        {
            "kind": "testimony",
            "interviewee_id": "0b6f1c2e-0000-4000-8000-000000000001",
            "original_text": "증언",
        },
    ]
    (tmp_path / "good.json").write_text(json.dumps(good))
    result = cli("import", str(tmp_path / "good.json"), "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["imported"] == {"person": 1, "testimony": 1}
    before = snapshot(vault)
    for name, rows in {
        "bad_type.json": [{"kind": "tag", "label": "ok"}, {"kind": "person", "birth_year": "x"}],
        "unknown_kind.json": [{"kind": "tag", "label": "ok"}, {"kind": "spaceship"}],
        "dangling.json": [
            {"kind": "tag", "label": "ok"},
            {"kind": "testimony", "interviewee_id": "0b6f1c2e-0000-4000-8000-00000000dead"},
        ],
        "huge.json": [
            {"kind": "tag", "label": "ok"},
            {"kind": "case", "title": "x", "summary": "y" * 10_000_000},
        ],
    }.items():
        (tmp_path / name).write_text(json.dumps(rows))
        refused = cli("import", str(tmp_path / name))
        assert refused.code in (1, 2), name
        assert "row 2" in refused.err, (name, refused.err)
        assert snapshot(vault) == before, name


def test_import_csv_with_dotted_columns_and_typed_cells(cli: Cli, vault: Path, tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        "kind,names.hangul,names.romanized,birth_year,aliases,is_group\n"
        "person,김은희,Kim Eun-hui,1979,Eun;Eunhui,no\n"
        "person,,Choe Kwang-il,1990,,false\n",
        encoding="utf-8",
    )
    result = cli("import", str(tmp_path / "people.csv"))
    assert result.code == 0, result.err
    people = json.loads(cli("record", "list", "person", "--json").out)
    bodies = sorted((p["body"] for p in people), key=lambda b: b["names"]["romanized"])
    assert bodies[1]["birth_year"] == 1979 and bodies[1]["aliases"] == ["Eun", "Eunhui"]


def test_search_finds_korean_chinese_and_accented_text(cli: Cli, vault: Path) -> None:
    person = add(cli, "person", {"names": {"hangul": "최영수", "romanized": "Choe Yeong-su", "chinese": "崔永洙"}})
    add(
        cli,
        "testimony",
        {
            "interviewee_id": person,
            "original_text": "2019년 3월 단둥에서 체포되어 丹东市 공안국으로 끌려갔다.",
            "translation": "Taken across to Sinŭiju the next week.",
        },
    )
    for query in ("단둥", "丹东", "sinuiju", "SINŬIJU", "최영수", "崔永洙", "choe"):
        hits = json.loads(cli("search", query, "--json").out)
        assert hits, query
    hits = json.loads(cli("search", "단둥", "--json").out)
    assert hits[0]["kind"] == "testimony"
    start, end = hits[0]["highlights"][0]
    assert hits[0]["snippet"][start:end] == "단둥"
    assert json.loads(cli("search", "pyongyang", "--json").out) == []


def test_demo_creates_a_vault_full_of_fictional_people(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "demo",
        "--size",
        "8",
        "--vault",
        str(tmp_path / "demo"),
        "--recovery-key-file",
        str(tmp_path / "demo-rk"),
    )
    assert result.code == 0, result.err
    people = json.loads(cli("record", "list", "person", "--json", "--vault", str(tmp_path / "demo")).out)
    assert len(people) == 8
    assert all("Fictional" in p["body"]["notes"] for p in people)
    assert cli("check", "--vault", str(tmp_path / "demo")).code == 0
    assert json.loads(cli("search", "투먼", "--json", "--vault", str(tmp_path / "demo")).out)


def test_import_rows_may_refer_to_later_rows(cli: Cli, vault: Path, tmp_path: Path) -> None:
    person_id = "0b6f1c2e-0000-4000-8000-000000000002"
    rows = [
        {"kind": "testimony", "interviewee_id": person_id, "original_text": "먼저 온 증언"},
        {"kind": "person", "id": person_id, "names": {"romanized": "Seo Myeong-ok"}},
    ]
    (tmp_path / "forward.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    result = cli("import", str(tmp_path / "forward.jsonl"))
    assert result.code == 0, result.err
    assert cli("check").code == 0


def test_a_json_lines_syntax_error_names_its_line(cli: Cli, vault: Path, tmp_path: Path) -> None:
    (tmp_path / "broken.jsonl").write_text('{"kind": "tag", "label": "a"}\n{"kind": "tag", "label": \n')
    result = cli("import", str(tmp_path / "broken.jsonl"))
    assert result.code == 2 and "Line 2" in result.err


def test_a_pseudonym_stays_when_an_edit_leaves_it_out(cli: Cli, vault: Path) -> None:
    person = add(cli, "person", {"names": {"romanized": "Gang Ok-hui"}})
    pseudonym = json.loads(cli("record", "show", person).out)["body"]["pseudonym"]
    assert cli("record", "edit", person, "--replace", stdin='{"names": {"romanized": "Kang Ok-hui"}}').code == 0
    assert json.loads(cli("record", "show", person).out)["body"]["pseudonym"] == pseudonym


def test_restoring_a_tombstone_is_refused_while_others_refer_to_the_record(cli: Cli, vault: Path) -> None:
    person = add(cli, "person", {"names": {"romanized": "Moon Se-ra"}})
    assert cli("record", "delete", person).code == 0
    tombstone = json.loads(cli("history", person, "--json").out)[-1]["revision"]
    first = json.loads(cli("history", person, "--json").out)[0]["revision"]
    assert cli("record", "restore", person, first).code == 0
    add(cli, "testimony", {"interviewee_id": person, "original_text": "..."})
    result = cli("record", "restore", person, tombstone)
    assert result.code == 1 and "refer" in result.err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_typed_json_is_read_after_the_passphrase_prompt(tmp_path: Path, clock: object) -> None:
    """On a terminal, the passphrase prompt comes first, then a hint, then the JSON the user types."""
    from safecase.cli.main import run
    from safecase.crypto.kdf import KdfPolicy
    from tests.conftest import PASSPHRASE

    events: list[str] = []
    stdin = _Terminal('{"label": "Typed on a terminal"}')

    def prompt(label: str) -> str:
        events.append(f"prompt {label} at {stdin.tell()}")
        return PASSPHRASE

    def invoke(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = run(
            [*args, "--vault", str(tmp_path / "v")],
            kdf_policy=KdfPolicy.for_tests(),
            clock=clock,  # type: ignore[arg-type]
            stdin=stdin,
            stdout=out,
            stderr=err,
            environ={},
            prompt=prompt,
        )
        return code, out.getvalue(), err.getvalue()

    assert invoke("init", "--recovery-key-file", str(tmp_path / "rk"))[0] == 0
    events.clear()
    code, _out, err = invoke("record", "add", "tag")
    assert code == 0, err
    assert events == ["prompt Passphrase at 0"]  # nothing of the JSON was read before the passphrase
    assert "Ctrl+D" in err


def test_search_reads_the_query_from_standard_input_to_keep_it_out_of_shell_history(cli: Cli, vault: Path) -> None:
    add(cli, "person", {"names": {"hangul": "윤미래", "romanized": "Yun Mi-rae"}})
    for args in (("search", "--json"), ("search", "-", "--json")):
        hits = json.loads(cli(*args, stdin="윤미래\n").out)
        assert [h["kind"] for h in hits] == ["person"]
    assert cli("search", stdin="\n").code == 2
