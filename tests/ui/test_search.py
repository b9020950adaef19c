"""Search everywhere: the grouped results model, the plain-text delegate and the dialog over a real vault."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QImage, QInputMethodEvent, QPainter, QPalette
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem, QWidget
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.services.search import SearchResult
from safecase.services.vault import CreatedVault, VaultService
from safecase.services.workspace import Workspace
from safecase.storage.records import RecordState
from safecase.storage.search_text import Snippet
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.search_delegate import (
    MATCH_BACKGROUND,
    SearchResultDelegate,
    snippet_layout,
    utf16_offsets,
    visible_span,
)
from safecase.ui.search_dialog import MAX_QUERY_CHARS, SearchDialog
from safecase.ui.search_model import IsGroupRole, KindRole, RecordIdRole, SearchResultsModel, SnippetRole
from tests.conftest import PASSPHRASE
from tests.factories import make_body

HOSTILE = "<b>x</b><img src=file:///etc/passwd>"


@dataclass
class Vault:
    executor: DatabaseExecutor
    ids: dict[str, str]  # name -> record id


@pytest.fixture
def vault(qtbot: QtBot, vaults: VaultService, created_vault: CreatedVault) -> Iterator[Vault]:
    """A vault with two people and three testimonies that mention 투먼, one person who does not, and an executor."""
    folder = created_vault.folder
    ids: dict[str, str] = {}
    with vaults.unlock(folder, PASSPHRASE) as session:
        records = Workspace(session).records
        for name, pseudonym, hangul, notes in [
            ("kim", "P-0001", "김영희", "투먼 다리에서 송환되었다."),
            ("park", "P-0002", "박철수", "2019년 투먼 근처에서 체포되었다."),
            ("lee", "P-0003", "이순자", "신의주 출신."),
        ]:
            names = {"hangul": hangul, "romanized": f"Romanized {pseudonym}"}
            body = make_body(Kind.PERSON, pseudonym=pseudonym, names=names, aliases=[], notes=notes)
            ids[name] = records.add(Kind.PERSON, body).id
        for name, text, place in [
            ("t1", "투먼에서 체포되어 온성 집결소로 넘겨졌습니다.", "Seoul"),
            ("t2", "강을 건넌 뒤 투먼 시내에서 숨어 지냈습니다.", "Busan"),
            ("t3", f"{HOSTILE} 투먼 검문소에서 붙잡혔습니다.", HOSTILE),
        ]:
            body = make_body(Kind.TESTIMONY, interviewee_id=ids["kim"], original_text=text, place=place)
            ids[name] = records.add(Kind.TESTIMONY, body).id
    executor = DatabaseExecutor()
    executor.submit(lambda context: context.set_workspace(Workspace(vaults.unlock(folder, PASSPHRASE))))
    yield Vault(executor, ids)
    executor.shutdown()


@pytest.fixture
def dialog(qtbot: QtBot, vault: Vault) -> SearchDialog:
    dialog = SearchDialog(vault.executor, "ko")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def search(qtbot: QtBot, dialog: SearchDialog, query: str) -> None:
    dialog.query_field.setText(query)
    qtbot.waitUntil(lambda: dialog.model.query == query and dialog.status_text != "Searching…", timeout=10_000)


def type_with_input_method(widget: QWidget, text: str) -> None:
    """Type ``text`` as a Korean input method does: a commit per syllable (QTest can only type ASCII keys)."""
    for syllable in text:
        event = QInputMethodEvent("", [])
        event.setCommitString(syllable)
        QApplication.sendEvent(widget, event)


def groups(model: SearchResultsModel) -> list[tuple[str, str, int]]:
    return [
        (model.index(row, 0).data(), model.index(row, 0).data(KindRole), model.rowCount(model.index(row, 0)))
        for row in range(model.rowCount())
    ]


def fake_result(
    kind: Kind, number: int, text: str = "투먼에서 체포", highlights: tuple[tuple[int, int], ...] = ()
) -> SearchResult:
    state = RecordState(f"id-{kind.value}-{number}", kind.value, "r1", "t", "t", "d", False, {})
    return SearchResult(state, kind, f"{kind.value} {number}", Snippet(text, highlights or ((0, 2),)), 1.0 / number)


# -- model --------------------------------------------------------------------------------------------------------


def test_model_passes_the_item_model_tester_through_resets_and_language_changes(qtbot: QtBot) -> None:
    model = SearchResultsModel("en")
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_results(
        "q", [fake_result(Kind.TESTIMONY, 1), fake_result(Kind.PERSON, 2), fake_result(Kind.TESTIMONY, 3)]
    )
    model.lang = "ko"
    model.set_results("q", [])
    model.set_results("q", [fake_result(Kind.EVENT, 1)])
    model.clear()
    assert tester is not None and model.rowCount() == 0


def test_model_groups_kinds_in_the_order_of_their_best_hit() -> None:
    model = SearchResultsModel("en")
    results = [fake_result(Kind.TESTIMONY, 1), fake_result(Kind.PERSON, 2), fake_result(Kind.TESTIMONY, 3)]
    model.set_results("q", results)
    assert groups(model) == [("Testimony (2)", Kind.TESTIMONY, 2), ("Person (1)", Kind.PERSON, 1)]
    first_group = model.index(0, 0)
    hit = model.index(1, 0, first_group)
    assert hit.data() == "testimony 3" and hit.data(RecordIdRole) == "id-testimony-3"
    assert hit.data(SnippetRole) == results[2].snippet and hit.parent() == first_group
    assert first_group.data(IsGroupRole) is True and not model.flags(first_group) & Qt.ItemFlag.ItemIsSelectable
    model.lang = "ko"
    assert model.index(0, 0).data() == "증언 (2)"


def test_model_offers_no_tool_tips_because_qt_would_guess_they_are_rich_text() -> None:
    model = SearchResultsModel("en")
    model.set_results("q", [fake_result(Kind.TESTIMONY, 1, text=HOSTILE)])
    hit = model.index(0, 0, model.index(0, 0))
    assert hit.data(Qt.ItemDataRole.ToolTipRole) is None and hit.data(Qt.ItemDataRole.WhatsThisRole) is None


# -- delegate -----------------------------------------------------------------------------------------------------


def test_snippet_layout_holds_the_characters_verbatim_and_marks_highlights_in_utf16(qtbot: QtBot) -> None:
    text = "😀 <b>투먼</b> 😀 투먼"
    snippet = Snippet(text, ((text.index("투"), text.index("투") + 2), (len(text) - 2, len(text))))
    layout = snippet_layout(snippet, QFont())
    assert layout.text() == text
    offsets = utf16_offsets(text)
    marked = [(span.start, span.length) for span in layout.formats()]
    assert marked == [(offsets[s], offsets[e] - offsets[s]) for s, e in snippet.highlights]
    utf16 = text.encode("utf-16-le")
    assert [utf16[2 * start : 2 * (start + length)].decode("utf-16-le") for start, length in marked] == ["투먼"] * 2


def test_a_long_snippet_is_shown_from_just_before_its_first_match(qtbot: QtBot) -> None:
    text = "앞부분 " * 60 + "투먼" + " 뒷부분" * 60
    start = text.index("투먼")
    snippet = Snippet(text, ((start, start + 2),))
    layout = snippet_layout(snippet, QFont())
    left, right = visible_span(layout, snippet, 300.0, 10.0)
    line = layout.lineAt(0)
    match_left = line.cursorToX(utf16_offsets(text)[start])[0]  # type: ignore[index]
    match_right = line.cursorToX(utf16_offsets(text)[start + 2])[0]  # type: ignore[index]
    assert 0 < left < match_left and match_right <= right and right - left <= 300.0 - 2 * 10.0

    short = Snippet("투먼 다리", ((0, 2),))
    short_layout = snippet_layout(short, QFont())  # kept: a QTextLine must not outlive its layout
    assert visible_span(short_layout, short, 300.0, 10.0) == (0.0, short_layout.lineAt(0).naturalTextWidth())


def test_delegate_paints_two_lines_with_marked_matches_and_the_selection(qtbot: QtBot) -> None:
    text = HOSTILE + " 투먼"
    model = SearchResultsModel("en")
    model.set_results("q", [fake_result(Kind.TESTIMONY, 1, text=text, highlights=((len(text) - 2, len(text)),))])
    hit = model.index(0, 0, model.index(0, 0))
    delegate = SearchResultDelegate()
    option = QStyleOptionViewItem()
    option.font = QFont()
    option.fontMetrics = QFontMetrics(option.font)
    hint = delegate.sizeHint(option, hit)
    assert hint.height() >= 2 * option.fontMetrics.height()
    assert hint.height() > delegate.sizeHint(option, model.index(0, 0)).height()

    def colours(selected: bool) -> set[int]:
        image = QImage(500, hint.height(), QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.white)
        option.rect = image.rect()
        option.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Active
        if selected:
            option.state |= QStyle.StateFlag.State_Selected
        painter = QPainter(image)
        delegate.paint(painter, option, hit)
        painter.end()
        return {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}

    highlight = QApplication.palette().color(QPalette.ColorRole.Highlight).rgb()
    plain, selected = colours(False), colours(True)
    assert MATCH_BACKGROUND.rgb() in plain and MATCH_BACKGROUND.rgb() in selected
    assert highlight not in plain and highlight in selected


# -- dialog -------------------------------------------------------------------------------------------------------


def test_typing_a_korean_query_shows_hits_grouped_by_kind(qtbot: QtBot, dialog: SearchDialog, vault: Vault) -> None:
    tester = QAbstractItemModelTester(dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    type_with_input_method(dialog.query_field, "투먼")
    assert dialog.query_field.text() == "투먼" and dialog.status_text == "Searching…"
    qtbot.waitUntil(lambda: dialog.model.query == "투먼", timeout=10_000)
    found = groups(dialog.model)
    assert sorted((kind, count) for _, kind, count in found) == [(Kind.PERSON, 2), (Kind.TESTIMONY, 3)]
    assert {label for label, _, _ in found} == {"인물 (2)", "증언 (3)"}
    assert dialog.status_text == "5 results"

    # Groups follow the rank of their best hit, as the service returned them.
    ranked: list[list[SearchResult]] = []
    vault.executor.submit(lambda context: context.workspace.search.search("투먼", 50), on_success=ranked.append)
    qtbot.waitUntil(lambda: bool(ranked))
    assert [kind for _, kind, _ in found] == list(dict.fromkeys(result.kind.value for result in ranked[0]))
    ids = {index.data(RecordIdRole) for index in dialog.model.result_indexes()}
    assert ids == {vault.ids[name] for name in ("kim", "park", "t1", "t2", "t3")}
    assert tester is not None


def test_highlights_mark_the_query_in_each_snippet(qtbot: QtBot, dialog: SearchDialog) -> None:
    search(qtbot, dialog, "투먼")
    for index in dialog.model.result_indexes():
        snippet = index.data(SnippetRole)
        assert snippet.highlights and all(snippet.text[s:e] == "투먼" for s, e in snippet.highlights)


def test_enter_and_arrow_keys_choose_a_hit_from_the_query_field(qtbot: QtBot, dialog: SearchDialog) -> None:
    search(qtbot, dialog, "투먼")
    hits = dialog.model.result_indexes()
    QTest.keyClick(dialog.query_field, Qt.Key.Key_Down)
    QTest.keyClick(dialog.query_field, Qt.Key.Key_Down)
    QTest.keyClick(dialog.query_field, Qt.Key.Key_Up)
    assert dialog.results_view.currentIndex() == hits[1] and dialog.query_field.hasFocus()
    expected = [hits[1].data(KindRole), hits[1].data(RecordIdRole)]
    with qtbot.waitSignal(dialog.record_chosen) as chosen:
        QTest.keyClick(dialog.query_field, Qt.Key.Key_Return)
    assert chosen.args == expected
    assert not dialog.isVisible()


def test_keyboard_only_tab_to_the_list_and_enter_on_a_group_takes_its_first_hit(
    qtbot: QtBot, dialog: SearchDialog
) -> None:
    search(qtbot, dialog, "투먼")
    QTest.keyClick(dialog.query_field, Qt.Key.Key_Tab)
    assert dialog.results_view.hasFocus()
    group = dialog.model.index(1, 0)
    dialog.results_view.setCurrentIndex(group)
    first = dialog.model.index(0, 0, group)
    expected = [first.data(KindRole), first.data(RecordIdRole)]
    with qtbot.waitSignal(dialog.record_chosen) as chosen:
        QTest.keyClick(dialog.results_view, Qt.Key.Key_Enter)
    assert chosen.args == expected


def test_changing_the_language_relabels_groups_and_titles(qtbot: QtBot, dialog: SearchDialog) -> None:
    search(qtbot, dialog, "박철수")
    assert dialog.model.index(0, 0).data() == "인물 (1)"
    assert dialog.model.result_indexes()[0].data() == "P-0002 · 박철수"
    dialog.set_lang("en")
    assert dialog.model.index(0, 0).data() == "Person (1)"
    assert dialog.model.result_indexes()[0].data() == "P-0002 · Romanized P-0002"


def test_double_click_chooses_a_hit(qtbot: QtBot, dialog: SearchDialog, vault: Vault) -> None:
    search(qtbot, dialog, "박철수")
    hit = dialog.model.result_indexes()[0]
    view = dialog.results_view
    where = view.visualRect(hit).center()
    with qtbot.waitSignal(dialog.record_chosen) as chosen:
        # QTest's double click alone is no press to the view; a real one comes after a first click.
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
        QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    assert chosen.args == ["person", vault.ids["park"]]


def test_escape_closes_and_hiding_clears_query_and_results(qtbot: QtBot, dialog: SearchDialog) -> None:
    search(qtbot, dialog, "투먼")
    assert dialog.model.rowCount() > 0
    QTest.keyClick(dialog.query_field, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.query_field.text() == "" and not dialog.query_field.isUndoAvailable()
    assert dialog.model.rowCount() == 0 and dialog.model.query == "" and dialog.status_text == ""


def test_a_newer_query_supersedes_one_still_in_flight(qtbot: QtBot, dialog: SearchDialog, vault: Vault) -> None:
    gate = threading.Event()
    vault.executor.submit(lambda _context: gate.wait(10))  # holds the first search in the queue
    shown: list[str] = []
    dialog.model.modelReset.connect(lambda: shown.append(dialog.model.query))
    dialog.query_field.setText("김영희")
    qtbot.wait(400)  # the debounce fires: the first search is queued
    dialog.query_field.setText("박철수")
    qtbot.wait(400)
    gate.set()
    qtbot.waitUntil(lambda: dialog.model.query == "박철수", timeout=10_000)
    qtbot.wait(100)
    assert shown == ["박철수"]
    assert [index.data(RecordIdRole) for index in dialog.model.result_indexes()] == [vault.ids["park"]]


class GatedSearch:
    """Wraps the search service so a search, once running, waits for the gate: cancelling cannot stop it."""

    def __init__(self, real: Any, started: threading.Event, gate: threading.Event) -> None:
        self.real, self.started, self.gate = real, started, gate

    def search(self, query: str, limit: int) -> list[SearchResult]:
        self.started.set()
        self.gate.wait(10)
        return list(self.real.search(query, limit))


def test_results_of_a_superseded_search_that_ran_to_the_end_are_dropped(
    qtbot: QtBot, dialog: SearchDialog, vault: Vault
) -> None:
    started, gate = threading.Event(), threading.Event()

    def install(context: TaskContext) -> None:
        context.workspace.search = GatedSearch(context.workspace.search, started, gate)  # type: ignore[assignment]

    vault.executor.submit(install)
    shown: list[str] = []
    dialog.model.modelReset.connect(lambda: shown.append(dialog.model.query))
    dialog.query_field.setText("김영희")
    qtbot.waitUntil(started.is_set, timeout=10_000)
    dialog.query_field.setText("박철수")
    qtbot.wait(400)
    gate.set()
    qtbot.waitUntil(lambda: dialog.model.query == "박철수", timeout=10_000)
    qtbot.waitUntil(lambda: not vault.executor.is_busy, timeout=10_000)
    assert shown == ["박철수"]
    assert [index.data(RecordIdRole) for index in dialog.model.result_indexes()] == [vault.ids["park"]]


def test_a_ten_megabyte_paste_is_refused_and_the_dialog_stays_responsive(
    qtbot: QtBot, dialog: SearchDialog, vault: Vault
) -> None:
    QApplication.clipboard().setText("투먼 " * 3_500_000)
    started = time.monotonic()
    dialog.query_field.paste()
    qtbot.wait(400)
    assert time.monotonic() - started < 3.0
    assert len(dialog.query_field.text()) <= MAX_QUERY_CHARS + 1
    assert "too long" in dialog.status_text and str(MAX_QUERY_CHARS) in dialog.status_text
    assert dialog.model.rowCount() == 0 and not vault.executor.is_busy
    QApplication.clipboard().clear()
    search(qtbot, dialog, "박철수")
    assert dialog.status_text == "1 result"


def test_a_locked_vault_shows_in_the_status_line(qtbot: QtBot) -> None:
    executor = DatabaseExecutor()
    try:
        dialog = SearchDialog(executor, "en")
        qtbot.addWidget(dialog)
        dialog.query_field.setText("투먼")
        qtbot.waitUntil(lambda: "locked" in dialog.status_text, timeout=10_000)
        assert dialog.model.rowCount() == 0
    finally:
        executor.shutdown()


def test_no_results_and_hostile_text_show_literally(qtbot: QtBot, dialog: SearchDialog, vault: Vault) -> None:
    search(qtbot, dialog, "없는말")
    assert dialog.status_text == "No results" and dialog.model.rowCount() == 0
    search(qtbot, dialog, "검문소")
    hit = dialog.model.result_indexes()[0]
    assert hit.data(RecordIdRole) == vault.ids["t3"]
    assert HOSTILE in hit.data() and HOSTILE in hit.data(SnippetRole).text
    layout = snippet_layout(hit.data(SnippetRole), QFont())
    assert layout.text() == hit.data(SnippetRole).text
    dialog.resize(640, 300)
    assert not dialog.grab().isNull()


def test_every_control_has_an_accessible_name(dialog: SearchDialog) -> None:
    for widget in (dialog, dialog.query_field, dialog.results_view, dialog.status_label):
        assert widget.accessibleName()
    assert dialog.query_field.placeholderText()


def test_typing_in_the_results_list_goes_on_with_the_query(qtbot: QtBot, dialog: SearchDialog) -> None:
    search(qtbot, dialog, "투먼")
    dialog.results_view.setFocus()
    QTest.keyClicks(dialog.results_view, "x")
    assert dialog.query_field.text() == "투먼x" and dialog.query_field.hasFocus()
