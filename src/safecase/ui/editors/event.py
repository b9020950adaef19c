"""The event editor, laid out so that a transfer route reads left to right: From → Via (in order) → To, with the
transport, how many people and on whose word, and who did it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from safecase.domain.kinds import Kind
from safecase.domain.record_types import RECORD_TYPES
from safecase.ui.editors.base import RecordEditor
from safecase.ui.editors.context import EditorContext
from safecase.ui.editors.form import ObjForm
from safecase.ui.editors.tab_order import chain_tab_order
from safecase.ui.widgets.plain import PlainLabel

_GRID: tuple[tuple[str, ...], ...] = (
    ("type", "title", "location_id"),
    ("date", "end_date", "transport"),
    ("people_count", "people_count_source", "perpetrator_institution"),
    ("perpetrator_unit", "case_ids", "tag_ids"),
    ("victim_ids", "source_testimony_ids"),
)


class EventEditor(RecordEditor):
    """An event, with its route as one row."""

    def __init__(self, record_id: str | None, context: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(Kind.EVENT, record_id, context, parent=parent)

    def _build_form(self) -> ObjForm:
        return ObjForm(RECORD_TYPES[Kind.EVENT].body, self.context, root=True, auto_layout=False)

    def _build_content(self) -> QWidget:
        rows = self.form.rows
        grid = QGridLayout()
        for line, names in enumerate(_GRID):
            for column, name in enumerate(names):
                grid.addWidget(rows[name], line, column, Qt.AlignmentFlag.AlignTop)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        layout = QVBoxLayout(self.form)
        layout.addWidget(self.form.form_error)
        layout.addLayout(grid)
        layout.addWidget(self._route_box())
        layout.addWidget(rows["description"])
        layout.addWidget(rows["acts"])
        layout.addStretch(1)
        on_screen = [name for names in _GRID for name in names]
        on_screen += ["from_location_id", "via_location_ids", "to_location_id", "description", "acts"]
        chain_tab_order([rows[name] for name in on_screen])
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        return scroll

    def _route_box(self) -> QGroupBox:
        rows = self.form.rows
        box = QGroupBox(self.tr("Route"), self.form)
        line = QHBoxLayout(box)
        for position, name in enumerate(("from_location_id", "via_location_ids", "to_location_id")):
            if position:
                arrow = PlainLabel("→", box)
                arrow.setAccessibleName(self.tr("then"))
                arrow.setStyleSheet("font-size: 18pt;")
                line.addWidget(arrow, 0, Qt.AlignmentFlag.AlignTop)
            line.addWidget(rows[name], 1, Qt.AlignmentFlag.AlignTop)
        return box
