"""The parent side of the leak sweep: what the scans find in the throwaway home and the shared temporary folders.

Each function looks at one kind of trace and returns what it looked at and what it found, so the test can both
publish the counts and fail on a finding: file contents (every marker, every byte form), file and folder names,
the QSettings stores under the throwaway XDG_CONFIG_HOME (every key and value, decoded as Qt reads them), core
files, and what the process printed. The planted-trace test runs the same functions on a tree with known traces,
so each check is shown to fail.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSettings

from tests.adversarial.leak_home import HomeLayout
from tests.adversarial.leak_markers import MarkerSet, NeedleIndex
from tests.leak_scan import file_contains, scanned_files

CORE_FILE = re.compile(r"core(\.\d+)?|core\..+\.\d+|vgcore\.\d+")
SETTINGS_SUFFIXES = (".conf", ".ini")


@dataclass
class ContentScan:
    """Files looked at, and which markers each leaking (or allowed) file holds."""

    scanned: list[Path] = field(default_factory=list)
    leaks: dict[Path, set[str]] = field(default_factory=dict)
    allowed_hits: dict[Path, set[str]] = field(default_factory=dict)


def scan_contents(roots: Iterable[Path], index: NeedleIndex, allowed: Collection[Path] = ()) -> ContentScan:
    """Every regular file under ``roots`` that holds a marker in any byte form."""
    return scan_files(scanned_files(roots), index, allowed)


def scan_files(paths: Iterable[Path], index: NeedleIndex, allowed: Collection[Path] = ()) -> ContentScan:
    """Which of ``paths`` hold a marker (files that vanish or cannot be read hold none: a shared folder)."""
    scan = ContentScan()
    for path in paths:
        scan.scanned.append(path)
        if not file_contains(path, index.needles):
            continue
        try:
            found = index.found_in(path)
        except OSError:
            continue
        (scan.allowed_hits if path in allowed else scan.leaks)[path] = found
    return scan


@dataclass
class SharedTempWalk:
    """The regular files changed since the journey started in the shared temporary folders, found in one walk."""

    roots: list[Path]
    folders: int = 0
    changed: list[Path] = field(default_factory=list)
    too_big: int = 0


def walk_shared_temp(home: Path, since: float, max_bytes: int) -> SharedTempWalk:
    """Walk the shared temporary folders (not ``home``, scanned whole elsewhere) for files changed since ``since``.

    Other programs' files are there too, hundreds of thousands of them on a busy machine: the walk uses
    ``os.scandir`` and one ``lstat`` per file, and never follows a link.
    """
    walk = SharedTempWalk(shared_temp_roots(home))
    skipped = {str(home), str(home.resolve())}
    pending = [str(root) for root in walk.roots]
    while pending:
        folder = pending.pop()
        if folder in skipped:
            continue
        try:
            entries = os.scandir(folder)
        except OSError:
            continue  # gone, or not ours to look at
        walk.folders += 1
        with entries:
            for entry in entries:
                _visit(entry, walk, pending, since, max_bytes)
    return walk


def _visit(entry: os.DirEntry[str], walk: SharedTempWalk, pending: list[str], since: float, max_bytes: int) -> None:
    try:
        if entry.is_dir(follow_symlinks=False):
            pending.append(entry.path)
            return
        if not entry.is_file(follow_symlinks=False):
            return
        facts = entry.stat(follow_symlinks=False)
    except OSError:
        return
    if max(facts.st_mtime, facts.st_ctime) < since:
        return
    if facts.st_size > max_bytes:
        walk.too_big += 1
        return
    walk.changed.append(Path(entry.path))


@dataclass
class NameScan:
    checked: int = 0
    leaks: dict[Path, set[str]] = field(default_factory=dict)


def scan_names(root: Path, index: NeedleIndex, allowed: Collection[Path] = ()) -> NameScan:
    """Every file and folder name under ``root`` that spells a marker (a cache named after a case leaks too)."""
    scan = NameScan()
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = Path(folder) / name
            scan.checked += 1
            found = index.names_in(name)
            if found and path not in allowed:
                scan.leaks[path] = found
    return scan


def shared_temp_roots(home: Path) -> list[Path]:
    """The temporary folders every process shares, whatever its TMPDIR says (some libraries hard-code /tmp);
    the caller skips ``home`` inside them, which is scanned whole."""
    candidates = [Path(tempfile.gettempdir()), Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]
    roots: dict[Path, Path] = {}
    for candidate in candidates:
        if candidate.is_dir():
            roots.setdefault(candidate.resolve(), candidate)
    return [root for resolved, root in roots.items() if not resolved.is_relative_to(home.resolve())]


# -- QSettings ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingValue:
    file: Path
    key: str
    value: str


def settings_files(config_root: Path) -> list[Path]:
    return sorted(path for path in config_root.rglob("*") if path.is_file() and path.suffix in SETTINGS_SUFFIXES)


def read_settings(config_root: Path) -> tuple[list[Path], list[SettingValue]]:
    """Every key and value of every QSettings store under ``config_root``, decoded as Qt reads them (an INI file
    may escape non-ASCII text, which a byte scan would miss)."""
    files = settings_files(config_root)
    values: list[SettingValue] = []
    for path in files:
        store = QSettings(str(path), QSettings.Format.IniFormat)
        for key in store.allKeys():
            values.append(SettingValue(path, key, _as_text(store.value(key))))
    return files, values


def _as_text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "\n".join(_as_text(item) for item in value)
    data = getattr(value, "data", None)
    if callable(data):  # QByteArray
        raw = data()
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return str(value)


def settings_findings(values: Iterable[SettingValue], forbidden: dict[str, str]) -> list[tuple[SettingValue, str]]:
    """(value, what it names) for every key or value holding one of ``forbidden`` (text -> what the text is)."""
    findings: list[tuple[SettingValue, str]] = []
    for value in values:
        haystacks = (value.key.casefold(), value.value.casefold())
        for text, meaning in forbidden.items():
            if text and any(text.casefold() in haystack for haystack in haystacks):
                findings.append((value, meaning))
    return findings


# -- core files -----------------------------------------------------------------------------------------------------


@dataclass
class CoreScan:
    folders: int = 0
    found: list[Path] = field(default_factory=list)


def scan_core_files(root: Path) -> CoreScan:
    """Files named like a core dump (core, core.PID, core.NAME.PID, vgcore.PID) anywhere under ``root``."""
    scan = CoreScan()
    for folder, names in _folders(root):
        scan.folders += 1
        scan.found += [Path(folder) / name for name in names if is_core_file_name(name)]
    return scan


def is_core_file_name(name: str) -> bool:
    return CORE_FILE.fullmatch(name) is not None


def _folders(root: Path) -> Iterator[tuple[str, list[str]]]:
    for folder, _dirs, names in os.walk(root):
        yield folder, names


def settings_forbidden(layout: HomeLayout, markers: MarkerSet, record_ids: Iterable[str]) -> dict[str, str]:
    """Text that must not be a QSettings key or value (text -> what it is): every spelling of every marker, every
    record id, every path the user exported to or took files from, and the vault folders."""
    forbidden = {form: marker.label for marker in markers for form in marker.forms()}
    forbidden.update({record_id: "a record id" for record_id in record_ids})
    folders = [layout.exports, layout.documents, layout.vault, layout.colleague_vault, layout.cards]
    exported = [*layout.plaintext_exports(markers), layout.bundle, layout.sealed_report, layout.header_backup]
    for path in [*folders, *exported]:
        forbidden[str(path)] = f"the path ~/{path.relative_to(layout.root)}"
    for path in exported:  # a file's own name is telling; a folder's ("vault", "Exports") is a plain word
        forbidden[path.name] = f"the name of ~/{path.relative_to(layout.root)}"
    return forbidden


# -- what the process printed ---------------------------------------------------------------------------------------


def output_findings(output: bytes, index: NeedleIndex) -> tuple[int, dict[int, set[str]]]:
    """(lines, {line number: markers}) of a process's stderr or stdout. An app started from a desktop launcher
    writes these to the session log (the journal, ~/.xsession-errors): on disk, outside the vault."""
    lines = output.splitlines()
    findings: dict[int, set[str]] = {}
    for number, line in enumerate(lines, start=1):
        found = {marker.label for needle, marker in index.owners.items() if needle in line}
        if found:
            findings[number] = found
    return len(lines), findings
