"""The leak sweep's journey through every feature, run as a child process inside a throwaway home.

``python -m tests.adversarial.leak_journey SEED CHUNKS`` (CHUNKS: tenths of a second of recorded interview) with
the environment of ``leak_home.confined_environment``:
hardens the process as ``safecase`` does, then works the command line and the desktop app with the markers of
``make_markers(SEED)``, and prints one JSON line (:class:`JourneyReport`) for the parent to check. The markers
never appear on the command line of this process nor in any file it is given; they are made here from the seed.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QApplication

from safecase.process_hardening import harden_process
from tests.adversarial import leak_journey_cli as cli
from tests.adversarial import leak_journey_desktop as desktop
from tests.adversarial.leak_home import PASSPHRASE, HomeLayout, ui_source_name
from tests.adversarial.leak_journey_microphone import Microphones, use_synthetic_microphones
from tests.adversarial.leak_markers import PCM_PLACE, MarkerSet, make_markers

PR_GET_DUMPABLE = 3
IDLE_MINUTES = 7


@dataclass
class JourneyReport:
    """What the child did and what it saw of its own process, for the parent's checks and the test report."""

    rlimit_core: tuple[int, int]
    dumpable: int
    record_ids: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    commands: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def process_facts() -> tuple[tuple[int, int], int]:
    """RLIMIT_CORE and the dumpable flag, as the hardened process has them."""
    limit = resource.getrlimit(resource.RLIMIT_CORE)
    libc = ctypes.CDLL(None, use_errno=True)
    dumpable = int(libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))
    return (int(limit[0]), int(limit[1])), dumpable


class Journey:
    """The steps, in order, each recorded in the report as it completes (a failure raises and ends the process)."""

    def __init__(self, layout: HomeLayout, markers: MarkerSet, report: JourneyReport, recorded_chunks: int) -> None:
        self.layout = layout
        self.recorded_chunks = recorded_chunks
        self.markers = markers
        self.report = report
        self.term = cli.Terminal(dict(os.environ), layout.passphrase_file)
        self._phase_started = time.monotonic()

    def step(self, name: str) -> None:
        self.report.steps.append(name)

    def phase_done(self, name: str) -> None:
        now = time.monotonic()
        self.report.seconds[name] = round(now - self._phase_started, 2)
        self._phase_started = now

    def run(self, qt_app: QApplication) -> None:
        records = self.command_line_first()
        self.phase_done("command line: records, evidence, bundle, reports")
        self.desktop_app(qt_app, records)
        self.phase_done("desktop app")
        cli.change_keys_and_shred(self.term, self.layout)
        self.step("passwd, rotate-key, recover (recovery key), header export, check, shred")
        self.phase_done("command line: keys and shred")
        self.report.commands = len(self.term.commands)

    def command_line_first(self) -> cli.CliRecords:
        term, layout, markers = self.term, self.layout, self.markers
        cli.create_vaults(term, layout)
        self.step("init (default vault location) and a colleague's vault")
        records = cli.record_people_and_testimony(term, markers)
        self.step("record add case, person, 2 contacts, testimony; record edit")
        cli.search_for_markers(term, markers, records)
        self.step("search (query on stdin, and as an argument)")
        cli.attach_evidence(term, layout, markers, records)
        self.step("attach text, PNG, PDF --shred-original; attachment list/verify/export (one --strip-metadata)")
        cli.exchange_with_colleague(term, layout, markers, records)
        self.step("identity card, contact add/verify, bundle export --include-contacts, bundle inspect/import")
        cli.sync_through_a_folder(term, layout)
        self.step("sync to a folder's outbox, the colleague syncs it in")
        cli.make_reports(term, layout, markers, records)
        self.step("report redact/redactions, report (signed PDF), verify, report --encrypt-to")
        term.run("check")
        self.step("check")
        self.report.record_ids = records.all_ids()
        return records

    def desktop_app(self, qt_app: QApplication, records: cli.CliRecords) -> None:
        microphones = Microphones(self.markers.text(PCM_PLACE, "latin").encode("ascii"))
        use_synthetic_microphones(microphones)
        app, collector = desktop.open_app(qt_app, self.layout.vault)
        driver = desktop.Driver(app)
        desktop.unlock(driver, PASSPHRASE)
        self.step("app: composition root, unlock window")
        desktop.search(driver, self.markers.text("person.names", "hangul"))
        self.step("app: search dialog")
        self.work_on_the_testimony(driver, records, microphones)
        desktop.keep_a_draft(driver, self.markers.joined("editor.draft_text"))
        self.step("app: a draft of a testimony that cannot be saved yet")
        desktop.preview_report_then_sign(driver, self.layout.app_report_pdf)
        self.step("app: report wizard preview (PDF in memory), sign and save through the save dialog")
        desktop.open_statistics(driver)
        self.step("app: statistics")
        desktop.change_settings(driver, IDLE_MINUTES)
        self.step("app: language and idle minutes (QSettings)")
        desktop.lock(driver)
        self.step("app: lock")
        desktop.unlock(driver, PASSPHRASE)
        desktop.lock(driver, panic=True)
        self.step("app: unlock again, hide & lock (panic)")
        desktop.close_app(driver, collector)

    def work_on_the_testimony(self, driver: desktop.Driver, records: cli.CliRecords, microphones: Microphones) -> None:
        """Edit it, record into it, add a file to it, preview all its evidence, export one file from it."""
        markers, layout = self.markers, self.layout
        editor = desktop.open_testimony(driver, records.testimony_id, len(records.attachment_ids))
        desktop.type_and_autosave(driver, editor, "original_text", markers.joined("editor.typed_text"))
        self.step("app: testimony editor, typing, autosave")
        desktop.record_interview(driver, editor, microphones, self.recorded_chunks)
        self.step("app: record an interview from a synthetic microphone")
        panel = desktop.evidence_panel(editor)
        source = layout.documents / ui_source_name(markers)
        source.write_text(f"Fictional note: {markers.joined('attachment.ui_file_content')}\n", encoding="utf-8")
        added_id = desktop.add_through_file_dialog(driver, panel, source)
        source.unlink()  # the user tidies up their own file once it is in the vault
        self.step("app: add evidence through the file dialog")
        for row in range(panel.model.rowCount()):
            state = panel.model.attachment(row)
            assert state is not None
            desktop.preview(driver, panel, state.id)
        self.step(f"app: preview every evidence file ({panel.model.rowCount()}: text, PNG, PDF, WAV, the added note)")
        desktop.export_through_dialog(driver, panel, added_id, layout.ui_export(markers))
        self.step("app: export through the warning and save dialogs")


def main() -> int:
    seed, recorded_chunks = int(sys.argv[1]), int(sys.argv[2])
    layout = HomeLayout(Path(os.environ["HOME"]))
    harden_process()  # what `safecase` does first, whichever command
    rlimit_core, dumpable = process_facts()
    report = JourneyReport(rlimit_core, dumpable)
    qt_app = QApplication(["safecase"])  # before any report: rendering would make a bare QGuiApplication
    Journey(layout, make_markers(seed), report, recorded_chunks).run(qt_app)
    print(json.dumps(asdict(report)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
