"""Render the desktop app's main screens to PNG files, offscreen, from a demo vault of fictional data.

    python tools/screenshots.py                 # writes docs/screenshots/*.png
    python tools/screenshots.py --out /tmp/shots

Needs no display (Qt's offscreen platform). Korean text needs a Hangul font on the machine (e.g. fonts-nanum).
The demo vault lives in a temporary folder that is deleted at the end; the settings go to a temporary file too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from PySide6.QtCore import QPointF, QSettings  # Qt loads after QT_QPA_PLATFORM is set above
from PySide6.QtGui import QColor, QFont, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication, QWidget

from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import SystemClock
from safecase.domain.kinds import Kind
from safecase.services.demo import fill_demo_vault
from safecase.services.vault import VaultService
from safecase.ui.app import SafeCaseApp
from safecase.ui.executor import TaskContext
from safecase.ui.i18n import LanguageSwitcher
from safecase.ui.main_window import MainWindow
from safecase.ui.protection.screen_lock import NullScreenLockListener
from safecase.ui.settings import AppSettings
from safecase.ui.unlock_window import UnlockWindow

PASSPHRASE = "screenshot demo passphrase"  # noqa: S105 - a throwaway demo vault
SIZE = (1280, 800)


def wait_until(app: QApplication, condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("screenshots: timed out waiting for the app")
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, folder: Path, name: str) -> None:
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def on_vault(app: QApplication, safecase: SafeCaseApp, operation: Callable[[TaskContext], object]) -> object:
    results: list[object] = []
    safecase.executor.submit(operation, on_success=results.append)
    wait_until(app, lambda: bool(results))
    return results[0]


def first_of(kind: Kind, predicate: Callable[[dict[str, object]], bool]) -> Callable[[TaskContext], str]:
    def find(context: TaskContext) -> str:
        for state in context.workspace.records.list_kind(kind, limit=500):
            if predicate(state.body):
                return state.id
        raise SystemExit(f"screenshots: the demo vault has no suitable {kind.value}")

    return find


def evidence_files(folder: Path) -> list[Path]:
    """A fictional photo, a scanned statement (PDF) and a short recording, to attach to a demo case."""
    folder.mkdir()
    photo = QImage(1200, 800, QImage.Format.Format_RGB32)
    photo.fill(QColor("#7d9bb5"))
    painter = QPainter(photo)
    painter.fillRect(0, 520, 1200, 280, QColor("#4d6b4f"))
    painter.setPen(QColor("white"))
    painter.setFont(QFont("Sans", 40))
    painter.drawText(QPointF(60, 120), "Fictional photo: river bank")
    painter.end()
    photo.save(str(folder / "river-bank-2019-08.jpg"), "JPEG")
    writer = QPdfWriter(str(folder / "statement-scan.pdf"))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    painter = QPainter(writer)
    painter.setFont(QFont("Sans", 14))
    painter.drawText(QPointF(300, 600), "Fictional statement (demo)")
    painter.end()
    recording = folder / "interview-part-1.wav"
    with wave.open(str(recording), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(bytes(8000 * 2 * 3))
    return [folder / "river-bank-2019-08.jpg", folder / "statement-scan.pdf", recording]


def build_demo_vault(root: Path) -> Path:
    vaults = VaultService(KdfPolicy.for_tests(), SystemClock())
    created = vaults.create(root / "vault", PASSPHRASE, "Demo Interviewer", "Demo Organisation")
    with vaults.unlock(created.folder, PASSPHRASE) as session:
        fill_demo_vault(session, people=40)
    return created.folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["safecase"])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        folder = build_demo_vault(root)
        settings = AppSettings(QSettings(str(root / "settings.ini"), QSettings.Format.IniFormat))
        settings.language = "en"
        vaults = VaultService(KdfPolicy.for_tests(), SystemClock())
        safecase = SafeCaseApp(
            app, folder, vaults, SystemClock(), settings, NullScreenLockListener(), LanguageSwitcher(app)
        )
        safecase.start()
        try:
            shoot(app, safecase, args.out, evidence_files(root / "evidence"))
        finally:
            safecase.shut_down()
    return 0


def shoot(app: QApplication, safecase: SafeCaseApp, out: Path, evidence: list[Path]) -> None:
    gate = safecase.gate
    assert isinstance(gate, UnlockWindow)
    gate.resize(640, 420)
    settle(app)
    save(gate, out, "unlock")
    gate.passphrase_field.setText(PASSPHRASE)
    gate.unlock_button.click()
    wait_until(app, lambda: safecase.main_window is not None)
    window = main_window(safecase)
    window.resize(*SIZE)
    pane = window.pane(Kind.CASE)
    wait_until(app, lambda: not pane.model.is_loading and pane.model.record_id(0) is not None)
    settle(app)
    save(window, out, "case_list")

    window.language_chosen.emit("ko")
    window = main_window(safecase)
    window.resize(*SIZE)
    window.show_kind(Kind.TESTIMONY)
    testimony_id = on_vault(app, safecase, first_of(Kind.TESTIMONY, lambda body: body.get("language") == "ko"))
    window.open_record(Kind.TESTIMONY.value, str(testimony_id))
    settle(app, 1.5)
    save(window, out, "testimony_editor_ko")

    window.show_search()
    window.search_dialog.resize(720, 560)
    window.search_dialog.query_field.setText("집결소")
    wait_until(app, lambda: window.search_dialog.model.result_count > 0)
    settle(app)
    save(window.search_dialog, out, "search_results_ko")
    window.search_dialog.hide()

    window.show_kind(Kind.EVENT)
    event_id = on_vault(app, safecase, first_of(Kind.EVENT, lambda body: bool(body.get("via_location_ids"))))
    window.open_record(Kind.EVENT.value, str(event_id))
    settle(app, 1.5)
    save(window, out, "event_route_ko")

    window.show_kind(Kind.CASE)
    case_id = str(on_vault(app, safecase, first_of(Kind.CASE, lambda body: True)))
    for path in evidence:
        on_vault(app, safecase, lambda context, path=path: context.workspace.attachments.attach(case_id, path))
    window.open_record(Kind.CASE.value, case_id)
    editor = window.editor_area.currentWidget()
    panel = getattr(editor, "evidence_panel", None)
    assert panel is not None
    wait_until(app, lambda: panel.model.rowCount() == len(evidence))
    panel.table.selectRow(0)
    settle(app, 1.0)
    save(window, out, "evidence_ko")


def main_window(safecase: SafeCaseApp) -> MainWindow:
    window = safecase.main_window
    assert window is not None
    return window


if __name__ == "__main__":
    raise SystemExit(main())
