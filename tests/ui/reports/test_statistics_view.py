"""The Statistics window: charts over the vault and estimated detainees per detention centre and year."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.reports.statistics_view import StatisticsDialog
from tests.factories import make_body
from tests.ui.helpers import WAIT_MS, run_on


def _detentions(context: TaskContext) -> None:
    records = context.workspace.records
    onsong = records.add(Kind.LOCATION, {"type": "holding_centre", "names": {"en": "Onsong holding centre"}})
    sinuiju = records.add(Kind.LOCATION, {"type": "detention_centre", "names": {"en": "Sinuiju detention centre"}})
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    for date, place, count in (("2019-03", onsong, 12), ("2019-08", onsong, 5), ("2020-01", sinuiju, 30)):
        records.add(Kind.EVENT, {"type": "detention", "date": date, "location_id": place.id, "people_count": count})
    records.add(Kind.EVENT, {"type": "detention", "date": "2021", "location_id": sinuiju.id, "victim_ids": [person.id]})
    case = records.add(Kind.CASE, make_body(Kind.CASE, title="Sinuiju 2022"))
    event = {
        "type": "detention",
        "date": "2022-05",
        "location_id": sinuiju.id,
        "people_count": 4,
        "case_ids": [case.id],
    }
    records.add(Kind.EVENT, event)


def test_statistics_show_charts_and_detainees_per_centre_and_year(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor
) -> None:
    run_on(qtbot, unlocked_executor, _detentions)
    dialog = StatisticsDialog(unlocked_executor, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=WAIT_MS)
    model = dialog.model
    periods = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert periods == ["2019", "2020", "2021", "2022"]
    assert _rows(dialog) == {
        "Onsong holding centre": ["17", "", "", ""],
        "Sinuiju detention centre": ["", "30", "1", "4"],
    }
    assert dialog.charts.findChildren(QLabel)
    if os.environ.get("SAFECASE_SHOTS"):
        qtbot.wait(300)  # the chart labels are shown by a queued event
        dialog.grab().save(str(Path(os.environ["SAFECASE_SHOTS"]) / "statistics.png"))
    dialog.clear()
    assert dialog.model.rowCount() == 0


def _rows(dialog: StatisticsDialog) -> dict[str, list[str]]:
    model = dialog.model
    centres = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    return {name: [model.data(model.index(r, c)) for c in range(model.columnCount())] for r, name in enumerate(centres)}


def test_ticking_a_case_counts_over_that_case_only(qtbot: QtBot, unlocked_executor: DatabaseExecutor) -> None:
    run_on(qtbot, unlocked_executor, _detentions)
    dialog = StatisticsDialog(unlocked_executor, "en")
    qtbot.addWidget(dialog)
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.cases.rowCount() == 1 and dialog.model.rowCount() == 2, timeout=WAIT_MS)
    dialog.cases.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT_MS)
    assert _rows(dialog) == {"Sinuiju detention centre": ["4"]}
    assert "1 case" in dialog.status.text()
    dialog.cases.item(0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=WAIT_MS)
