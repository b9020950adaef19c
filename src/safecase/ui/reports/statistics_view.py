"""The Statistics window: the report's charts over the whole vault or the cases ticked, and estimated detainees
per detention centre over time (a table: centres down, years or months across), computed on the database thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from safecase.errors import SafeCaseError
from safecase.services.reports.charts import bar_chart, months_or_years
from safecase.services.reports.labels import labels_for
from safecase.services.reports.model import Statistics
from safecase.services.reports.render import body_families
from safecase.services.reports.vault_statistics import VaultStatistics, vault_statistics
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.widgets.checkable_list import CheckableListModel, load_cases
from safecase.ui.widgets.plain import PlainLabel

AnyIndex = QModelIndex | QPersistentModelIndex
CHART_WIDTH = 700
RELOAD_DELAY_MS = 300  # ticking several cases in a row counts once


class DetaineesModel(QAbstractTableModel):
    """Estimated detainees: one row per centre, one column per period."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._centres: list[str] = []
        self._periods: tuple[str, ...] = ()
        self._counts: dict[str, dict[str, int]] = {}

    def set_figures(self, figures: VaultStatistics) -> None:
        self.beginResetModel()
        self._centres = list(figures.detainees)
        self._periods = figures.periods
        self._counts = figures.detainees
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._centres)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._periods)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._periods[section] if section < len(self._periods) else None
        return self._centres[section] if section < len(self._centres) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        count = self._counts[self._centres[index.row()]].get(self._periods[index.column()], 0)
        return str(count) if count else ""


class StatisticsDialog(QDialog):
    def __init__(self, executor: DatabaseExecutor, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._lang = lang
        self._asked = 0
        self.setWindowTitle(self.tr("Statistics"))
        self.status = PlainLabel(self.tr("Counting…"), self)
        self.cases = CheckableListModel(self)
        self.cases_view = QListView(self)
        self.cases_view.setModel(self.cases)
        self.cases_view.setAccessibleName(self.tr("Cases to count over"))
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self.cases.itemChanged.connect(lambda _item: self._reload_timer.start())
        self.by_month = QCheckBox(self.tr("Detainees by month (not by year)"), self)
        self.by_month.toggled.connect(lambda _checked: self.reload())
        self.model = DetaineesModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName(self.tr("Estimated detainees per detention centre"))
        self.charts = QWidget(self)
        self.charts_layout = QVBoxLayout(self.charts)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.charts)
        self.detainees_title = PlainLabel(self.tr("Estimated detainees per detention centre"), self)
        figures = QVBoxLayout()
        figures.addWidget(self.status)
        figures.addWidget(scroll, 3)
        figures.addWidget(self.detainees_title)
        figures.addWidget(self.by_month)
        figures.addWidget(self.table, 2)
        choice = QVBoxLayout()
        choice.addWidget(PlainLabel(self.tr("Count over these cases (none ticked: the whole vault)"), self))
        choice.addWidget(self.cases_view, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(choice, 1)
        layout.addLayout(figures, 3)
        self.resize(1150, 860)
        executor.submit(lambda c: load_cases(c, lang), on_success=self.cases.set_items, owner=self)

    def reload(self) -> None:
        lang, by_month, case_ids = self._lang, self.by_month.isChecked(), tuple(self.cases.checked_ids())
        self._asked += 1
        asked = self._asked
        self._executor.submit(
            lambda context: vault_statistics(context.workspace.session, lang, by_month=by_month, case_ids=case_ids),
            on_success=lambda figures: self._show(figures, case_ids) if asked == self._asked else None,
            on_failure=self._on_failed,
            owner=self,
        )

    def clear(self) -> None:
        """On lock: nothing counted stays on screen."""
        self.model.set_figures(VaultStatistics(Statistics(), {}, ()))
        self._clear_charts()
        self.cases.clear()

    def _show(self, figures: VaultStatistics, case_ids: tuple[str, ...]) -> None:
        self._clear_charts()
        labels = labels_for(self._lang)
        charts = figures.charts
        named = (
            (labels.chart_transfers, charts.transfers_by_crossing, False),
            (labels.chart_event_types, charts.events_by_type, False),
            (labels.chart_months, months_or_years(charts.events_by_month), True),
            (labels.chart_sex, charts.people_by_sex, False),
            (labels.chart_ages, charts.people_by_age, True),
        )
        for title, counts, in_order in named:
            if counts:
                image = bar_chart(title, counts, body_families(), other=labels.other, in_order=in_order)
                picture = QLabel(self.charts)
                pixmap = QPixmap.fromImage(image)
                picture.setPixmap(pixmap.scaledToWidth(CHART_WIDTH, Qt.TransformationMode.SmoothTransformation))
                self.charts_layout.addWidget(picture)
        self.charts_layout.addStretch()
        self.model.set_figures(figures)
        if case_ids:
            self.status.setText(self.tr("Counted over the %n case(s) ticked.", "", len(case_ids)))
        else:
            self.status.setText(self.tr("Counted over every record in this vault."))

    def _clear_charts(self) -> None:
        while self.charts_layout.count():
            item = self.charts_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _on_failed(self, error: SafeCaseError) -> None:
        self.status.setText(error.message)
