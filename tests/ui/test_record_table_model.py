"""The lazy record model: keys streamed from the database, pages fetched on demand, never every row at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import FakeClock
from safecase.domain.kinds import Kind
from safecase.domain.list_columns import LIST_COLUMNS
from safecase.services.records import RecordService
from safecase.services.vault import VaultService
from safecase.services.workspace import ListQuery
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.record_table_model import MAX_CACHED_PAGES, PAGE_SIZE, RecordIdRole, RecordTableModel
from tests.conftest import PASSPHRASE
from tests.ui.helpers import unlock_into

BIG = 100_000
SMALL = 3_000  # QAbstractItemModelTester re-checks every row on each change, so it watches a smaller model
testers: list[QAbstractItemModelTester] = []


def build_vault(folder: Path, people: int) -> Path:
    vaults = VaultService(KdfPolicy.for_tests(), FakeClock(1_764_000_000_000))
    created = vaults.create(folder / "vault", PASSPHRASE)
    with vaults.unlock(created.folder, PASSPHRASE) as session:
        records = RecordService(session)
        for start in range(0, people, 10_000):
            records.write_batch(
                [
                    records.prepare_new(
                        Kind.PERSON,
                        {"pseudonym": f"P-{n:06d}", "names": {"romanized": f"Test Person {n}"}, "sex": "female"},
                    )
                    for n in range(start, min(people, start + 10_000))
                ]
            )
    return created.folder


@pytest.fixture(scope="session")
def big_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault of 100,000 fictional people (about 15 s to build, once per test run)."""
    return build_vault(tmp_path_factory.mktemp("big"), BIG)


@pytest.fixture(scope="session")
def small_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_vault(tmp_path_factory.mktemp("small"), SMALL)


def open_vault(qtbot: QtBot, executor: DatabaseExecutor, folder: Path) -> None:
    unlock_into(qtbot, executor, VaultService(KdfPolicy.for_tests(), FakeClock(1_764_000_000_000)), folder)


def person_model(
    qtbot: QtBot, executor: DatabaseExecutor, query: ListQuery | None = None, *, tested: bool = True
) -> RecordTableModel:
    model = RecordTableModel(executor, Kind.PERSON, LIST_COLUMNS[Kind.PERSON])
    if tested:
        testers.append(QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal))
    model.set_query(query or ListQuery(Kind.PERSON))
    qtbot.waitUntil(lambda: not model.is_loading, timeout=30_000)
    return model


def column(model: RecordTableModel, name: str) -> int:
    return [c.name for c in model.columns].index(name)


def cell(model: RecordTableModel, row: int, name: str) -> str:
    return str(model.data(model.index(row, column(model, name))))


def wait_for_row(qtbot: QtBot, model: RecordTableModel, row: int) -> None:
    """Ask for the row as a view does on every paint, until its page has arrived."""

    def arrived() -> bool:
        model.data(model.index(row, 0))
        return model.record_id(row) is not None

    qtbot.waitUntil(arrived, timeout=10_000)


def test_a_hundred_thousand_rows_load_as_keys_and_pages_only(
    qtbot: QtBot, executor: DatabaseExecutor, big_vault: Path
) -> None:
    open_vault(qtbot, executor, big_vault)
    model = person_model(qtbot, executor, tested=False)
    assert model.rowCount() == BIG
    assert model.cached_row_count() == PAGE_SIZE  # the first page came with the first keys
    for row in range(0, BIG, BIG // 37):  # jump about, as a dragged scroll bar does
        wait_for_row(qtbot, model, row)
    wait_for_row(qtbot, model, BIG - 1)
    assert model.cached_row_count() <= MAX_CACHED_PAGES * PAGE_SIZE
    assert model.cached_row_count() < BIG // 10


def test_rows_come_sorted_by_the_database(qtbot: QtBot, executor: DatabaseExecutor, small_vault: Path) -> None:
    open_vault(qtbot, executor, small_vault)
    model = person_model(qtbot, executor)
    pseudonym = column(model, "pseudonym")
    model.sort(pseudonym, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not model.is_loading and model.rowCount() == SMALL, timeout=30_000)
    wait_for_row(qtbot, model, 0)
    wait_for_row(qtbot, model, SMALL - 1)
    assert cell(model, 0, "pseudonym") == f"P-{SMALL - 1:06d}"
    assert cell(model, SMALL - 1, "pseudonym") == "P-000000"
    model.sort(pseudonym, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not model.is_loading and model.rowCount() == SMALL, timeout=30_000)
    wait_for_row(qtbot, model, 1)
    assert cell(model, 1, "pseudonym") == "P-000001"


def test_the_filter_narrows_rows_in_the_database(qtbot: QtBot, executor: DatabaseExecutor, small_vault: Path) -> None:
    open_vault(qtbot, executor, small_vault)
    model = person_model(qtbot, executor, ListQuery(Kind.PERSON, sort_column="pseudonym", descending=False))
    model.set_text_filter("P-00004")
    qtbot.waitUntil(lambda: not model.is_loading and model.rowCount() == 10, timeout=30_000)
    wait_for_row(qtbot, model, 0)
    assert [cell(model, row, "pseudonym") for row in range(10)] == [f"P-00004{n}" for n in range(10)]
    model.set_text_filter("nobody-has-this-name")
    qtbot.waitUntil(lambda: not model.is_loading, timeout=30_000)
    assert model.rowCount() == 0


def test_a_placeholder_shows_until_the_page_arrives(
    qtbot: QtBot, executor: DatabaseExecutor, small_vault: Path
) -> None:
    open_vault(qtbot, executor, small_vault)
    model = person_model(qtbot, executor)
    far = SMALL // 2
    assert model.data(model.index(far, 0)) == "…"
    assert model.data(model.index(far, 0), RecordIdRole) is None
    qtbot.waitUntil(lambda: model.data(model.index(far, 0)) != "…", timeout=10_000)
    assert model.data(model.index(far, 0), RecordIdRole) is not None


def test_a_locked_vault_reports_instead_of_loading(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    model = RecordTableModel(executor, Kind.PERSON, LIST_COLUMNS[Kind.PERSON])
    with qtbot.waitSignal(model.load_failed, timeout=10_000) as failure:
        model.set_query(ListQuery(Kind.PERSON))
    assert "locked" in str(failure.args[0])
    assert model.rowCount() == 0 and not model.is_loading


def test_a_new_query_supersedes_an_unfinished_one(qtbot: QtBot, executor: DatabaseExecutor, big_vault: Path) -> None:
    open_vault(qtbot, executor, big_vault)
    model = RecordTableModel(executor, Kind.PERSON, LIST_COLUMNS[Kind.PERSON])
    model.set_query(ListQuery(Kind.PERSON))
    model.set_text_filter("P-000010")
    qtbot.waitUntil(lambda: not model.is_loading, timeout=30_000)
    assert model.rowCount() == 1
    assert model.rowCount(model.index(0, 0)) == 0 and model.rowCount(QModelIndex()) == 1
