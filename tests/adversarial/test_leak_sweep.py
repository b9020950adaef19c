"""Leak sweep: one journey through every feature, then a search of everything it wrote for the words it was given.

A child process whose every default location (HOME, the XDG folders, the runtime folder, TMPDIR, its working
folder) lies inside one fresh throwaway home works the command line and the desktop app end to end (leak_journey.py
lists the steps: vaults, records, search, evidence with a recording, a bundle imported elsewhere, sync, reports,
lock, passphrase change, key rotation, recovery, shred). Names, contact details, testimony text, evidence contents
and file names carry made-up markers in Hangul, Latin and Chinese script. Afterwards every file in that home, and
every file changed meanwhile in the shared temporary folders, is searched for every marker in UTF-8 and UTF-16
(both byte orders), composed, decomposed (NFD), case-folded and without accents; file and folder names are
searched too. Only the files the user explicitly exported in plaintext may hold a marker. The QSettings stores must
name no case, record, marker or exported path, no core file may appear, and what the process printed (which a
desktop session logs to disk) must name nobody: a seized laptop must hold nothing the vault does not protect.

The last test plants each kind of trace in a tree and shows that every check finds it.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.adversarial.figures import SecurityFigure, assert_clean, budget
from tests.adversarial.leak_findings import (
    ContentScan,
    SharedTempWalk,
    is_core_file_name,
    output_findings,
    read_settings,
    scan_contents,
    scan_core_files,
    scan_files,
    scan_names,
    settings_findings,
    settings_forbidden,
    walk_shared_temp,
)
from tests.adversarial.leak_home import HomeLayout, confined_environment, make_home
from tests.adversarial.leak_journey import JourneyReport
from tests.adversarial.leak_markers import PHONE_PLACE, Marker, MarkerSet, NeedleIndex, make_markers

REPO_ROOT = Path(__file__).resolve().parents[2]
JOURNEY_TIMEOUT_S = 300
RECORDED_CHUNKS = budget(25, 600)  # tenths of a second of interview
# Bigger files that changed in the shared temporary folders meanwhile belong to other programs (a benchmark's
# database): every copy the quick journey could make (a 2.5 s recording, a report) is far smaller, and reading
# other programs' big files for 400 needles takes seconds. The full budget reads them all.
SHARED_TEMP_MAX_BYTES = budget(8 << 20, 1 << 40)


@dataclass(frozen=True)
class SweptJourney:
    layout: HomeLayout
    markers: MarkerSet
    report: JourneyReport
    index: NeedleIndex
    output: bytes  # the process's stderr, then its stdout without the report line
    started: float

    @property
    def allowed(self) -> frozenset[Path]:
        return self.layout.plaintext_exports(self.markers)


def id_markers(record_ids: list[str]) -> list[Marker]:
    """Record ids are no names, but one in a cache or a setting still ties the laptop to a case."""
    return [Marker("record ids", "uuid", record_id) for record_id in record_ids]


def run_journey(layout: HomeLayout, seed: int) -> tuple[JourneyReport, bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.adversarial.leak_journey", str(seed), str(RECORDED_CHUNKS)],
        env=confined_environment(layout, REPO_ROOT),
        cwd=layout.documents,
        capture_output=True,
        timeout=JOURNEY_TIMEOUT_S,
        check=False,
    )
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, f"the journey failed (seed {seed}, exit {done.returncode}):\n{stderr[-6000:]}"
    *printed, last = done.stdout.splitlines()
    fields = json.loads(last)
    fields["rlimit_core"] = tuple(fields["rlimit_core"])
    return JourneyReport(**fields), done.stderr + b"\n".join(printed)


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SweptJourney]:
    started = time.time() - 1  # file times may be rounded down to the second
    seed = secrets.randbits(48)
    layout = make_home(tmp_path_factory.mktemp("leak-sweep") / "home")
    markers = make_markers(seed)
    report, output = run_journey(layout, seed)
    index = NeedleIndex.of([*markers, *id_markers(report.record_ids)])
    yield SweptJourney(layout, markers, report, index, output, started)


@pytest.fixture(scope="module")
def shared_temp(journey: SweptJourney) -> SharedTempWalk:
    return walk_shared_temp(journey.layout.root, journey.started, SHARED_TEMP_MAX_BYTES)


def describe(findings: dict[Path, set[str]], home: Path) -> str:
    return "; ".join(f"{_shown(path, home)}: {', '.join(sorted(labels))}" for path, labels in findings.items())


def _shown(path: Path, home: Path) -> str:
    return f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)


# -- the journey itself ---------------------------------------------------------------------------------------------

FEATURES = (
    "init",
    "record add",
    "search",
    "--shred-original",
    "bundle export",
    "bundle inspect/import",
    "sync",
    "report redact",
    "report (signed PDF)",
    "--encrypt-to",
    "app: search dialog",
    "autosave",
    "synthetic microphone",
    "file dialog",
    "preview every evidence file",
    "export through",
    "draft",
    "report wizard preview",
    "QSettings",
    "app: lock",
    "panic",
    "passwd, rotate-key, recover",
    "shred",
)


def test_the_journey_went_through_every_feature(journey: SweptJourney) -> None:
    steps = " | ".join(journey.report.steps)
    assert [feature for feature in FEATURES if feature not in steps] == []
    layout = journey.layout
    assert (layout.vault / "blobs").is_dir() and not (layout.vault / "header.json").exists()  # shredded
    assert all(path.is_file() for path in journey.allowed), "an export the allow-list names was not written"


# -- what was written -----------------------------------------------------------------------------------------------


def test_no_file_the_journey_wrote_holds_a_marker_except_the_plaintext_exports(journey: SweptJourney) -> None:
    home = journey.layout.root
    scan = scan_contents([home], journey.index, journey.allowed)
    assert_the_scan_sees_plaintext(journey, scan)
    assert_clean(
        SecurityFigure(
            "leak",
            "End-to-end journey: every file written",
            tried=len(scan.scanned),
            unit="files scanned",
            held=len(scan.scanned) - len(scan.leaks),
            leaks=len(scan.leaks),
            note=(
                f"{len(journey.report.steps)} steps, {journey.report.commands} commands, "
                f"{len(journey.markers.texts())} markers (Hangul, Latin, Chinese; NFC, NFD, folded; UTF-8, "
                f"UTF-16LE/BE) and the record ids; {len(scan.allowed_hits)} explicit plaintext exports allowed"
            ),
        )
    )
    assert not scan.leaks, describe(scan.leaks, home)


def assert_the_scan_sees_plaintext(journey: SweptJourney, scan: ContentScan) -> None:
    """The exported copies hold the markers they were given, so a plaintext copy elsewhere would be found too; and
    the encrypted files were read, not skipped."""
    layout, hits = journey.layout, scan.allowed_hits
    assert any(path.parent.name == "blobs" for path in scan.scanned), "the encrypted evidence files were not read"
    assert layout.bundle in scan.scanned and layout.sealed_report in scan.scanned
    text_hits = hits.get(layout.text_export, set())
    assert {"attachment.text_content (hangul)", "attachment.text_content (chinese)"} <= text_hits
    assert "attachment.ui_file_content (latin)" in hits.get(layout.ui_export(journey.markers), set())


def test_no_file_or_folder_name_spells_a_marker(journey: SweptJourney) -> None:
    home = journey.layout.root
    scan = scan_names(home, journey.index, journey.allowed)
    assert journey.index.names_in(journey.layout.ui_export(journey.markers).name)  # an allowed name, and it spells
    assert_clean(
        SecurityFigure(
            "leak",
            "End-to-end journey: file and folder names",
            tried=scan.checked,
            unit="names checked",
            held=scan.checked - len(scan.leaks),
            leaks=len(scan.leaks),
            note="sources shredded on intake or removed by the user; the exported copy's own name allowed",
        )
    )
    assert not scan.leaks, describe(scan.leaks, home)


def test_the_shared_temporary_folders_hold_no_marker(journey: SweptJourney, shared_temp: SharedTempWalk) -> None:
    scan = scan_files(shared_temp.changed, journey.index)
    roots = ", ".join(str(root) for root in shared_temp.roots)
    big = shared_temp.too_big
    skipped = f"; {big} files over {SHARED_TEMP_MAX_BYTES >> 20} MiB not read" if big else ""
    assert_clean(
        SecurityFigure(
            "leak",
            "End-to-end journey: shared temporary folders",
            tried=len(scan.scanned),
            unit="files changed during the run",
            held=len(scan.scanned) - len(scan.leaks),
            leaks=len(scan.leaks),
            note=f"{roots}, whichever program changed them{skipped}",
        )
    )
    assert not scan.leaks, describe(scan.leaks, journey.layout.root)


def test_qsettings_name_no_case_record_or_exported_path(journey: SweptJourney) -> None:
    files, values = read_settings(journey.layout.config)
    assert any(value.key == "protection/idle_lock_minutes" and value.value == "7" for value in values), (
        "the app's own settings were not found, so the check would look at nothing"
    )
    forbidden = settings_forbidden(journey.layout, journey.markers, journey.report.record_ids)
    findings = settings_findings(values, forbidden)
    named = {(value.file, value.key) for value, _meaning in findings}
    assert_clean(
        SecurityFigure(
            "leak",
            "QSettings values",
            tried=len(values),
            unit="keys and values read",
            held=len(values) - len(named),
            leaks=len(named),
            note=f"every store under XDG_CONFIG_HOME, read as Qt reads it: {', '.join(path.name for path in files)}",
        )
    )
    assert not findings, [(value.file.name, value.key, meaning) for value, meaning in findings]


def test_no_core_file_and_core_dumps_are_off(journey: SweptJourney, shared_temp: SharedTempWalk) -> None:
    in_home = scan_core_files(journey.layout.root)
    found = [*in_home.found, *(path for path in shared_temp.changed if is_core_file_name(path.name))]
    folders = in_home.folders + shared_temp.folders
    rlimit, dumpable = journey.report.rlimit_core, journey.report.dumpable
    assert_clean(
        SecurityFigure(
            "leak",
            "Core files",
            tried=folders,
            unit="folders scanned",
            held=folders - len({path.parent for path in found}),
            leaks=len(found),
            note=f"the home and the shared temporary folders; RLIMIT_CORE {rlimit[0]}/{rlimit[1]} and dumpable "
            f"{dumpable} in the journey's process",
        )
    )
    assert not found, found
    assert rlimit == (0, 0), "harden_process() did not turn core dumps off"
    assert dumpable == 0, "harden_process() did not make the process non-dumpable"


def test_what_the_process_printed_names_nobody(journey: SweptJourney) -> None:
    lines, findings = output_findings(journey.output, journey.index)
    assert_clean(
        SecurityFigure(
            "leak",
            "End-to-end journey: what the app printed",
            tried=lines,
            unit="lines of stderr and stdout",
            held=lines - len(findings),
            leaks=len(findings),
            note="a desktop session keeps an app's output in its log; command output went to the terminal only",
        )
    )
    assert not findings, findings


# -- every check can fail -------------------------------------------------------------------------------------------


def test_every_check_finds_a_trace_planted_for_it(tmp_path: Path) -> None:
    started = time.time() - 1
    markers = make_markers(secrets.randbits(48))
    index = NeedleIndex.of(markers)
    layout = make_home(tmp_path / "home")
    hangul, latin = markers.text("person.names", "hangul"), markers.text("testimony.translation", "latin")
    planted = {
        layout.cache / "thumbnail.bin": b"\x00" * 7 + unicodedata.normalize("NFD", hangul).encode("utf-16-le"),
        layout.state / "history.log": f"typed: {latin.casefold()}\n".encode(),
        layout.documents / "notes.txt": markers.text(PHONE_PLACE, "digits").replace(" ", "").encode(),
    }
    for path, data in planted.items():
        path.write_bytes(data)
    layout.text_export.write_text(markers.joined("attachment.text_content"), encoding="utf-8")  # allowed
    named = layout.cache / f"{unicodedata.normalize('NFD', markers.text('case.title', 'hangul'))}.idx"
    named.touch()
    (layout.documents / "core").write_bytes(b"\x7fELF")
    history = QSettings(str(layout.config / "QtProject.conf"), QSettings.Format.IniFormat)
    history.setValue("FileDialog/history", [str(layout.exports)])
    history.setValue("FileDialog/lastFile", layout.report_pdf.name)
    history.sync()

    scan = scan_contents([layout.root], index, layout.plaintext_exports(markers))
    assert set(scan.leaks) == set(planted) and set(scan.allowed_hits) == {layout.text_export}
    assert set(scan_names(layout.root, index).leaks) == {named}
    _files, values = read_settings(layout.config)
    found = {meaning for _value, meaning in settings_findings(values, settings_forbidden(layout, markers, []))}
    assert found == {"the path ~/Exports", "the name of ~/Exports/report.pdf"}
    assert scan_core_files(layout.root).found == [layout.documents / "core"]
    _lines, printed = output_findings(b"qt.warning: cannot open\n" + latin.encode("utf-16-be"), index)
    assert list(printed) == [2]
    with tempfile.NamedTemporaryFile(prefix="leak-sweep-plant-", suffix=".tmp") as outside:
        outside.write(hangul.encode("utf-8"))
        outside.flush()
        shared = walk_shared_temp(layout.root, started, 1 << 20)
        assert [Path(outside.name)] == list(scan_files(shared.changed, index).leaks)
