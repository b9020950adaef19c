"""`safecase --version` and what it reports: version, SQLCipher, Qt, and whether the program is a packaged build."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import QtCore

from safecase import __version__, build_info
from safecase.build_info import BuildInfo
from tests.conftest import Cli


def test_version_text_starts_with_the_line_scripts_match() -> None:
    lines = build_info.version_text().splitlines()
    assert lines[0] == f"safecase {__version__}"


def test_version_text_names_sqlcipher_qt_and_a_source_run() -> None:
    text = build_info.version_text()
    assert re.search(r"^SQLCipher 4\.\d+\.\d+", text, re.M)
    assert f"Qt {QtCore.qVersion()} (PySide6 " in text
    assert text.splitlines()[-1] == "running from source"


def test_a_frozen_interpreter_is_reported_as_a_packaged_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert build_info.is_packaged()
    assert build_info.version_text().splitlines()[-1] == "packaged build"


def test_missing_libraries_are_said_not_to_be_available() -> None:
    info = BuildInfo(version="9.9.9", sqlcipher=None, qt=None, pyside=None, python="3.11.0", packaged=False)
    assert info.lines()[:3] == ["safecase 9.9.9", "SQLCipher not available", "Qt not available"]


def test_cli_version_exits_zero_and_prints_the_build_info(cli: Cli) -> None:
    result = cli("--version")
    assert result.code == 0
    assert result.out.splitlines()[0] == f"safecase {__version__}"
    assert "SQLCipher" in result.out and "Qt" in result.out


def test_version_loads_qt_core_only() -> None:
    probe = (
        "import sys; from safecase import build_info; build_info.version_text(); print('PySide6.QtGui' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "False"


def test_resources_folder_holds_the_translations_from_source() -> None:
    assert (build_info.resources_folder() / "i18n" / "safecase_ko.qm").is_file()


def test_resources_folder_of_a_packaged_build_is_beside_its_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert build_info.resources_folder() == tmp_path / "resources"


@pytest.mark.parametrize(
    ("platform_name", "machine", "tag"),
    [("linux", "x86_64", "linux-x86_64"), ("win32", "AMD64", "windows-x86_64"), ("darwin", "arm64", "macos-arm64")],
)
def test_platform_tag_names_release_files_alike_on_every_system(
    monkeypatch: pytest.MonkeyPatch, platform_name: str, machine: str, tag: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform_name)
    monkeypatch.setattr(build_info.platform, "machine", lambda: machine)
    assert build_info.platform_tag() == tag
