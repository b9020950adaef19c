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
    assert periods == ["2019", "2020", "2021"]
    centres = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    row = {name: [model.data(model.index(r, c)) for c in range(3)] for r, name in enumerate(centres)}
    assert row == {"Onsong holding centre": ["17", "", ""], "Sinuiju detention centre": ["", "30", "1"]}
    assert dialog.charts.findChildren(QLabel)
    if os.environ.get("SAFECASE_SHOTS"):
        dialog.grab().save(str(Path(os.environ["SAFECASE_SHOTS"]) / "statistics.png"))
    dialog.clear()
    assert dialog.model.rowCount() == 0
