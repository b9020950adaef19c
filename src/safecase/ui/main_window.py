"""The workspace window: navigation by kind, the record list of the chosen kind, and the open record's editor.

The window title never shows case data. The window asks to be locked (``lock_requested``, ``panic_requested``)
but never locks itself: the app root does that, because locking also closes the database and drops the keys.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QListView,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from safecase.domain.kinds import Kind
from safecase.ui.exchange.team_actions import TeamActions
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.import_action import ImportAction
from safecase.ui.list_pane import RecordListPane
from safecase.ui.navigation_model import NAVIGATION_KINDS, KindRole, NavigationModel
from safecase.ui.protection.clipboard_guard import ClipboardGuard
from safecase.ui.reports.report_action import ReportAction
from safecase.ui.search_dialog import SearchDialog
from safecase.ui.widgets.plain import PlainLabel

if TYPE_CHECKING:
    from safecase.ui.editors import RecordEditor

log = logging.getLogger(__name__)

PANIC_SHORTCUT = "Ctrl+Shift+H"
LOCK_SHORTCUT = "Ctrl+L"


class MainWindow(QMainWindow):
    lock_requested = Signal()  # the user asked to lock the vault
    panic_requested = Signal()  # hide everything and lock, now
    language_chosen = Signal(str)  # "ko" or "en"
    settings_requested = Signal()  # the user wants to change preferences
    keep_awake = Signal(bool)  # True while the open editor records audio: hold off the idle lock

    def __init__(
        self, executor: DatabaseExecutor, clipboard: ClipboardGuard, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._clipboard = clipboard
        self._lang = lang
        self._panes: dict[Kind, RecordListPane] = {}
        self._editor: RecordEditor | None = None
        self._editor_is_new = False
        self.setWindowTitle("SafeCase")
        self.navigation_model = NavigationModel(lang, self)
        self.navigation = self._make_navigation()
        self.lists = QStackedWidget(self)
        self.editor_area = QStackedWidget(self)
        self.editor_placeholder = PlainLabel("", self)
        self.editor_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.editor_area.addWidget(self.editor_placeholder)
        self.search_dialog = SearchDialog(executor, lang, self)
        self.search_dialog.record_chosen.connect(self.open_record)
        self.import_action = ImportAction(executor, self)
        self.import_action.imported.connect(self._on_records_imported)
        self.team = TeamActions(executor, lang, self)
        self.team.records_changed.connect(self._on_records_imported)
        self.report = ReportAction(executor, lang, self)
        self._actions = self._make_actions()
        self._lay_out()
        self.retranslate()
        self.navigation.setCurrentIndex(self.navigation_model.index(0))

    # -- building -------------------------------------------------------------------------------------------------

    def _make_navigation(self) -> QListView:
        view = QListView(self)
        view.setModel(self.navigation_model)
        view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        view.setMinimumWidth(110)
        view.setMaximumWidth(220)
        view.selectionModel().currentChanged.connect(self._on_navigation_current_changed)
        return view

    def _make_actions(self) -> dict[str, QAction]:
        toolbar = QToolBar(self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        actions = {
            "new": QAction(self),
            "search": QAction(self),
            "import": QAction(self),
            "lock": QAction(self),
            "panic": QAction(self),
            "korean": QAction(self),
            "english": QAction(self),
            "settings": QAction(self),
        }
        actions["new"].setShortcut(QKeySequence.StandardKey.New)
        actions["search"].setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+F")])
        actions["lock"].setShortcut(QKeySequence(LOCK_SHORTCUT))
        actions["panic"].setShortcut(QKeySequence(PANIC_SHORTCUT))
        for action in actions.values():
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        actions["new"].triggered.connect(self._on_new_triggered)
        actions["search"].triggered.connect(self.show_search)
        actions["import"].triggered.connect(lambda: self.import_action.run())
        actions["lock"].triggered.connect(self.lock_requested)
        actions["panic"].triggered.connect(self.panic_requested)
        actions["korean"].triggered.connect(lambda: self.language_chosen.emit("ko"))
        actions["english"].triggered.connect(lambda: self.language_chosen.emit("en"))
        actions["settings"].triggered.connect(self.settings_requested)
        for name in ("new", "search", "import"):
            toolbar.addAction(actions[name])
        toolbar.addWidget(self.team.button)
        toolbar.addAction(self.report.action)
        toolbar.addAction(self.report.statistics_action)
        for name in ("lock", "panic"):
            toolbar.addAction(actions[name])
        toolbar.addSeparator()
        for name in ("korean", "english", "settings"):
            toolbar.addAction(actions[name])
        return actions

    def _lay_out(self) -> None:
        splitter = QSplitter(self)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.lists)
        splitter.addWidget(self.editor_area)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 4)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([140, 360, 780])
        self.setCentralWidget(splitter)
        self.resize(1280, 800)

    def retranslate(self) -> None:
        texts = {
            "new": (self.tr("New"), self.tr("Create a record of the kind shown")),
            "search": (self.tr("Search"), self.tr("Search everything (Ctrl+K)")),
            "import": (self.tr("Import…"), self.tr("Import records from a JSON or CSV file")),
            "lock": (self.tr("Lock"), self.tr("Lock the vault (Ctrl+L)")),
            "panic": (self.tr("Hide && lock"), self.tr("Hide every window and lock at once (Ctrl+Shift+H)")),
            "korean": ("한국어", "한국어로 보기"),
            "english": ("English", "Show in English"),
            "settings": (self.tr("Settings"), self.tr("Auto-lock and other preferences")),
        }
        for name, (text, status_tip) in texts.items():
            self._actions[name].setText(text)
            self._actions[name].setStatusTip(status_tip)
        self.navigation.setAccessibleName(self.tr("Record kinds"))
        self.lists.setAccessibleName(self.tr("Record list"))
        self.editor_area.setAccessibleName(self.tr("Record editor"))
        self.editor_placeholder.setText(self.tr("Choose a record in the list, or press New."))
        self.team.retranslate()
        self.report.retranslate()

    # -- public ---------------------------------------------------------------------------------------------------

    @property
    def lang(self) -> str:
        return self._lang

    @property
    def current_kind(self) -> Kind:
        value = self.navigation.currentIndex().data(KindRole)
        return Kind(value) if isinstance(value, str) else NAVIGATION_KINDS[0]

    def pane(self, kind: Kind) -> RecordListPane:
        if kind not in self._panes:
            pane = RecordListPane(self._executor, kind, self._lang, self.lists)
            pane.record_selected.connect(self.open_record)
            pane.new_record_requested.connect(lambda value: self.new_record(Kind(value)))
            self._panes[kind] = pane
            self.lists.addWidget(pane)
            pane.load()
        return self._panes[kind]

    def show_kind(self, kind: Kind) -> None:
        row = NAVIGATION_KINDS.index(kind) if kind in NAVIGATION_KINDS else 0
        self.navigation.setCurrentIndex(self.navigation_model.index(row))

    def show_search(self) -> None:
        self.search_dialog.show()
        self.search_dialog.raise_()
        self.search_dialog.activateWindow()

    def open_record(self, kind_value: str, record_id: str) -> None:
        if kind_value == Kind.ATTACHMENT.value:
            self._open_attachment(record_id)
            return
        if self._editor is not None and self._editor.record_id == record_id:
            return
        self._show_editor(Kind(kind_value), record_id)

    def new_record(self, kind: Kind) -> None:
        self._show_editor(kind, None)

    def flush_edits(self) -> None:
        """Queue a save of the open editor's state (before a lock or a language switch)."""
        if self._editor is not None:
            self._editor.flush()

    def drop_content(self) -> None:
        """Forget every row and close the editor, so nothing of the vault stays in this window's memory."""
        self._close_editor()
        self.search_dialog.hide()
        self.team.close_windows()
        self.report.close_windows()
        for pane in self._panes.values():
            pane.clear()

    # -- internals ------------------------------------------------------------------------------------------------

    def _show_editor(self, kind: Kind, record_id: str | None) -> None:
        from safecase.ui.editors import create_editor  # the editors load with the first record opened

        self._close_editor()
        editor = create_editor(
            kind, record_id, executor=self._executor, lang=self._lang, clipboard=self._clipboard, parent=self
        )
        self._editor_is_new = record_id is None
        self._editor = editor
        editor.saved.connect(self._on_editor_saved)
        editor.open_record.connect(self.open_record)
        editor.keep_awake.connect(self.keep_awake)
        self.editor_area.addWidget(editor)
        self.editor_area.setCurrentWidget(editor)

    def _open_attachment(self, attachment_id: str) -> None:
        """An evidence file opens as a row of the evidence panel of the record it is attached to (it has no form)."""
        from safecase.ui.evidence.model import attached_record

        self._executor.submit(
            lambda context: attached_record(context, attachment_id),
            on_success=lambda found: self._show_attachment(*found, attachment_id),
            on_failure=lambda error: self.statusBar().showMessage(error.message, 10_000),
            owner=self,
        )

    def _show_attachment(self, kind_value: str, record_id: str, attachment_id: str) -> None:
        self.open_record(kind_value, record_id)
        panel = self._editor.evidence_panel if self._editor is not None else None
        if panel is not None:
            panel.select_attachment(attachment_id)

    def _close_editor(self) -> None:
        if self._editor is not None:
            self._editor.flush()
            self.keep_awake.emit(False)
            self.editor_area.removeWidget(self._editor)
            self._editor.deleteLater()
            self._editor = None
        self.editor_area.setCurrentWidget(self.editor_placeholder)

    def _on_editor_saved(self, record_id: str) -> None:
        pane = self._panes.get(self._editor.kind) if self._editor is not None else None
        if pane is None:
            return
        if self._editor_is_new:
            self._editor_is_new = False
            pane.load()  # a new record: its place in the order comes from the database
        else:
            pane.model.forget_cached_rows()

    def _on_records_imported(self) -> None:
        for pane in self._panes.values():
            pane.load()

    def _on_navigation_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        value = current.data(KindRole)
        if isinstance(value, str):
            self.lists.setCurrentWidget(self.pane(Kind(value)))

    def _on_new_triggered(self) -> None:
        self.new_record(self.current_kind)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush_edits()
        super().closeEvent(event)
