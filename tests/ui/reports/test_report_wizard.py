"""The report wizard: choose a case, preview the exact PDF with what it leaves out, sign and save what was seen."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget, QWizard
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.services.reports.verify import verify_report
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.reports.report_action import ReportAction
from safecase.ui.reports.report_wizard import ReportWizard
from tests.factories import make_body
from tests.ui.helpers import WAIT_MS, run_on


def test_the_wizard_previews_the_report_and_signs_exactly_what_was_shown(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, tmp_path: Path
) -> None:
    def fill(context: object) -> None:
        records = context.workspace.records  # type: ignore[attr-defined]
        case = records.add(Kind.CASE, make_body(Kind.CASE))
        records.add(Kind.PERSON, make_body(Kind.PERSON, case_ids=[case.id]))

    run_on(qtbot, unlocked_executor, fill)
    window = QWidget()
    qtbot.addWidget(window)
    wizard = ReportWizard(unlocked_executor, "ko", window)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.choices.cases.rowCount() == 1, timeout=WAIT_MS)
    assert not wizard.choices.isComplete()
    wizard.choices.cases.item(0).setCheckState(Qt.CheckState.Checked)
    wizard.next()
    preview = wizard.preview
    qtbot.waitUntil(lambda: preview.isComplete(), timeout=WAIT_MS)
    assert preview.document.pageCount() >= 1
    assert preview.left_out.rowCount() >= 1  # at least the person's name, kept out for lack of consent
    if os.environ.get("SAFECASE_SHOTS"):
        qtbot.wait(1500)  # QPdfView renders its pages in the background
        wizard.grab().save(str(Path(os.environ["SAFECASE_SHOTS"]) / "report_preview_ko.png"))
    requested: list[tuple[object, bytes]] = []
    wizard.sign_requested.connect(lambda content, pdf: requested.append((content, pdf)))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert requested and requested[0][1].startswith(b"%PDF-")

    action = ReportAction(unlocked_executor, "ko", window)
    target = tmp_path / "report.pdf"
    action._sign(requested[0][0], requested[0][1], target)  # type: ignore[arg-type]  # as after the save dialog
    qtbot.waitUntil(lambda: (tmp_path / "report.pdf.minisig").exists(), timeout=WAIT_MS)
    verified = verify_report(target.read_bytes(), (tmp_path / "report.pdf.minisig").read_text())
    assert verified.signer_name == "Test Worker"
