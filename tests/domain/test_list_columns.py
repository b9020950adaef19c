"""List columns: each is a real column of its kind's view, never an id, and cells read in the user's language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from safecase.domain import vocabulary as v
from safecase.domain.kinds import Kind
from safecase.domain.list_columns import CHECK_MARK, DEFAULT_SORT, LIST_COLUMNS, CellStyle, ListColumn
from safecase.storage.database import Database, open_plain
from safecase.storage.migrate import migrate

HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def view_columns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Kind, list[str]]]:
    db: Database = open_plain(Path(tmp_path_factory.mktemp("views")) / "x.db")
    migrate(db)
    columns = {}
    for kind in Kind:
        cursor = db.execute(f"SELECT * FROM {kind.value}_list LIMIT 0")
        columns[kind] = [description[0] for description in cursor.description]
    yield columns
    db.close()


def test_every_kind_has_list_columns_and_a_default_sort() -> None:
    assert set(LIST_COLUMNS) == set(Kind)
    assert set(DEFAULT_SORT) == set(Kind)
    assert set(DEFAULT_SORT.values()) == {("updated_at", True)}


@pytest.mark.parametrize("kind", list(Kind))
def test_every_list_column_is_a_column_of_the_view(kind: Kind, view_columns: dict[Kind, list[str]]) -> None:
    for column in LIST_COLUMNS[kind]:
        assert column.name in view_columns[kind], f"{kind}_list has no column {column.name}"
    assert DEFAULT_SORT[kind][0] in view_columns[kind]


@pytest.mark.parametrize("kind", list(Kind))
def test_lists_never_show_ids_or_contact_values(kind: Kind) -> None:
    names = [column.name for column in LIST_COLUMNS[kind]]
    assert len(names) == len(set(names))
    for name in names:
        assert name not in {"id", "num", "revision", "value"}
        assert not name.endswith("_id")


@pytest.mark.parametrize("kind", list(Kind))
def test_lists_end_with_the_update_time_and_have_korean_headers(kind: Kind) -> None:
    assert LIST_COLUMNS[kind][-1].name == "updated_at"
    assert LIST_COLUMNS[kind][-1].label("ko") == "수정일"
    for column in LIST_COLUMNS[kind]:
        assert column.label("en").strip()
        assert HANGUL.search(column.label("ko"))


def test_vocabulary_codes_read_as_labels_in_the_chosen_language() -> None:
    status = next(column for column in LIST_COLUMNS[Kind.PERSON] if column.name == "status")
    assert status.cell_text("repatriated", "ko") == "강제송환됨"
    assert status.cell_text("repatriated", "en") == "Forcibly repatriated"
    event_type = next(column for column in LIST_COLUMNS[Kind.EVENT] if column.name == "type")
    assert event_type.cell_text("forced_repatriation", "ko") == "강제송환"
    assert event_type.cell_text("a_code_from_a_newer_version", "ko") == "a_code_from_a_newer_version"


@pytest.mark.parametrize("kind", list(Kind))
def test_every_vocabulary_column_gives_korean_labels(kind: Kind) -> None:
    for column in LIST_COLUMNS[kind]:
        if column.vocabulary is not None:
            for term in column.vocabulary:
                assert column.cell_text(term.code, "ko") == term.ko


def test_missing_values_are_blank() -> None:
    for columns in LIST_COLUMNS.values():
        for column in columns:
            assert column.cell_text(None, "ko") == ""


def test_yes_no_columns_show_a_check_mark_only_for_yes() -> None:
    flag = ListColumn("is_group", "Group", "집단", style=CellStyle.FLAG)
    assert flag.cell_text(1, "en") == CHECK_MARK
    assert flag.cell_text(True, "ko") == CHECK_MARK
    assert flag.cell_text(0, "en") == ""
    assert flag.cell_text(False, "en") == ""
    scopes = [column for column in LIST_COLUMNS[Kind.CONSENT] if column.style is CellStyle.FLAG]
    assert {column.name for column in scopes} == set(v.CONSENT_SCOPES.codes)


def test_other_values_are_shown_as_text() -> None:
    born = next(column for column in LIST_COLUMNS[Kind.PERSON] if column.name == "birth_year")
    assert born.cell_text(1978, "ko") == "1978"
    assert ListColumn("title", "Title", "제목").cell_text("<b>Onsong</b>", "en") == "<b>Onsong</b>"


def test_update_time_is_shown_in_local_time_to_the_minute() -> None:
    updated = LIST_COLUMNS[Kind.CASE][-1]
    stored = "2019-03-14T09:30:00.000Z"
    expected = datetime.fromisoformat(stored).astimezone().strftime("%Y-%m-%d %H:%M")
    assert updated.cell_text(stored, "en") == expected
    assert updated.cell_text("not a time", "en") == "not a time"
