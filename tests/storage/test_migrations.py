"""Migrations: 0 -> head equals the committed head schema, and data written at each version survives the next."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from safecase.errors import VaultStateError
from safecase.storage.database import Database, open_plain
from safecase.storage.migrate import available_migrations, head_version, migrate, schema_version

ROOT = Path(__file__).resolve().parents[2]


def _load_dump_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("dump_schema", ROOT / "tools" / "dump_schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_plain(tmp_path / "m.db")
    yield database  # type: ignore[misc]
    database.close()


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [m.version for m in available_migrations()]
    assert versions == list(range(1, len(versions) + 1))
    assert head_version() == len(versions) >= 2


def test_migrating_from_zero_gives_the_committed_head_schema(db: Database) -> None:
    assert schema_version(db) == 0
    migrate(db)
    committed = (ROOT / "tests" / "data" / "schema_head.sql").read_text(encoding="utf-8")
    assert _load_dump_tool().schema_sql(db) == committed, "run tools/dump_schema.py > tests/data/schema_head.sql"


def test_migrating_step_by_step_equals_migrating_at_once(tmp_path: Path, db: Database) -> None:
    for version in range(1, head_version() + 1):
        assert migrate(db, target=version) == version
    at_once = open_plain(tmp_path / "at_once.db")
    migrate(at_once)
    dump = _load_dump_tool().schema_sql
    assert dump(db) == dump(at_once)
    at_once.close()


def test_records_written_at_version_1_are_listed_by_version_2_views(db: Database) -> None:
    migrate(db, target=1)
    body = {
        "pseudonym": "P-TEST42",
        "names": {"hangul": "김영희", "romanized": "Kim Yeong-hui"},
        "is_group": False,
    }
    with db.transaction():
        db.execute(
            "INSERT INTO records (id, kind, revision, created_at, updated_at, origin_device, deleted, body)"
            " VALUES ('0b6f1c2e-0000-4000-8000-000000000001', 'person', 'r1', 't', 't', 'd', 0, ?)",
            (json.dumps(body, ensure_ascii=False),),
        )
    migrate(db)
    row = db.query_one("SELECT pseudonym, name_hangul, name_romanized FROM person_list")
    assert tuple(row) == ("P-TEST42", "김영희", "Kim Yeong-hui")


def test_each_migration_is_atomic(db: Database) -> None:
    migrate(db, target=1)
    db.execute("CREATE TABLE person_list (x)")  # makes migration 2 fail half-way
    with pytest.raises(Exception, match="already exists"):
        migrate(db)
    assert schema_version(db) == 1
    assert db.query_one("SELECT count(*) FROM sqlite_master WHERE name = 'case_list'")[0] == 0


def test_a_vault_from_a_newer_safecase_is_refused(db: Database) -> None:
    migrate(db)
    db.execute(f"PRAGMA user_version = {head_version() + 1}")
    with pytest.raises(VaultStateError, match="newer SafeCase"):
        migrate(db)


def test_audit_log_rejects_update_and_delete(db: Database) -> None:
    migrate(db)
    db.execute("INSERT INTO audit_log VALUES (1, 't', 'd', 'a', 'x', '', '', 'p', 'h')")
    for statement in ("UPDATE audit_log SET action = 'y'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"):
            db.execute(statement)


def test_the_search_table_uses_the_tokenizer_search_text_was_written_for(db: Database) -> None:
    from safecase.storage.search_text import FTS5_TOKENIZER

    migrate(db)
    sql = db.query_one("SELECT sql FROM sqlite_master WHERE name = 'search_index'")[0]
    assert f"tokenize = '{FTS5_TOKENIZER}'" in sql


def _insert(db: Database, record_id: str, kind: str) -> None:
    db.execute(
        "INSERT INTO records (id, kind, revision, created_at, updated_at, origin_device, deleted, body)"
        " VALUES (?, ?, 'r1', 't', 't', 'd', 0, '{}')",
        (record_id, kind),
    )


def test_version_4_lets_the_records_table_hold_attachments_and_keeps_what_was_there(db: Database) -> None:
    migrate(db, target=3)
    with db.transaction():
        _insert(db, "0b6f1c2e-0000-4000-8000-000000000002", "case")
    with pytest.raises(Exception, match="CHECK constraint"):
        _insert(db, "0b6f1c2e-0000-4000-8000-000000000003", "attachment")
    migrate(db)
    with db.transaction():
        _insert(db, "0b6f1c2e-0000-4000-8000-000000000003", "attachment")
    kinds = [row[0] for row in db.query_all("SELECT kind FROM records ORDER BY num")]
    assert kinds == ["case", "attachment"]
    with pytest.raises(Exception, match="CHECK constraint"):
        _insert(db, "0b6f1c2e-0000-4000-8000-000000000004", "spreadsheet")
    assert db.query_one("PRAGMA integrity_check")[0] == "ok"
    assert db.query_one("SELECT count(*) FROM attachment_list")[0] == 1


def _insert_version(db: Database, num: int, revision: str) -> None:
    db.execute(
        "INSERT INTO record_versions (record_num, revision, kind, deleted, origin_device, written_at, body,"
        " body_sha256) VALUES (?, ?, 'case', 0, 'd', 't', '{}', 'h')",
        (num, revision),
    )


def test_version_5_gives_each_earlier_version_the_one_before_it_as_parent(db: Database) -> None:
    migrate(db, target=4)
    with db.transaction():
        _insert(db, "0b6f1c2e-0000-4000-8000-000000000005", "case")
        _insert(db, "0b6f1c2e-0000-4000-8000-000000000006", "case")
        for revision in ("r2", "r1", "r3"):  # stored out of order: parents follow revision order, not arrival
            _insert_version(db, 1, revision)
        _insert_version(db, 2, "r9")
    migrate(db)
    rows = db.query_all("SELECT record_num, revision, parents FROM record_versions ORDER BY record_num, revision")
    assert [(n, r, json.loads(p)) for n, r, p in rows] == [
        (1, "r1", []),
        (1, "r2", ["r1"]),
        (1, "r3", ["r2"]),
        (2, "r9", []),
    ]
    with pytest.raises(Exception, match="append-only"), db.transaction():
        db.execute("UPDATE record_versions SET parents = '[]'")


def test_version_5_lets_a_link_name_a_record_that_has_not_arrived_yet(db: Database) -> None:
    migrate(db)
    with db.transaction():
        _insert(db, "0b6f1c2e-0000-4000-8000-000000000007", "testimony")
        db.execute(
            "INSERT INTO record_links (source_num, field, target_id) VALUES (1, 'interviewee_id', ?)",
            ("0b6f1c2e-0000-4000-8000-000000000099",),
        )
    assert db.query_all("PRAGMA foreign_key_check") == []
    assert db.query_one("PRAGMA integrity_check")[0] == "ok"
