"""Desktop integration files: the Linux menu entry and AppStream data agree with each other, with the app's id and
with the project's version; the icons exist at every size they claim; the Windows version resource is well formed."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from safecase_release import windows_version
from tools import icons

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "org.safecase.SafeCase"
DESKTOP = ROOT / "resources" / "linux" / f"{APP_ID}.desktop"
METAINFO = ROOT / "resources" / "linux" / f"{APP_ID}.metainfo.xml"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def project_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def test_menu_entry_starts_safecase_with_the_app_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application" and entry["Exec"] == "safecase" and entry["Terminal"] == "false"
    assert entry["Icon"] == APP_ID
    assert entry["Categories"].endswith(";") and entry["Keywords[ko]"]


def test_appstream_data_names_the_menu_entry_the_program_and_this_version() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    assert component.findtext("provides/binary") == desktop_entry()["Exec"]
    assert component.findtext("project_license") == "AGPL-3.0-or-later"
    releases = component.findall("releases/release")
    assert releases and releases[0].get("version") == project_version()  # newest first


def test_the_app_id_is_the_same_everywhere() -> None:
    users = {
        "src/safecase/ui/launch.py": f'setDesktopFileName("{APP_ID}")',
        "packaging/safecase.spec": f'APP_ID = "{APP_ID}"',
        "packaging/build.py": f'APP_ID = "{APP_ID}"',
        "packaging/linux/install-desktop-entry.sh": f"app_id={APP_ID}",
        "tools/icons.py": f'APP_ID = "{APP_ID}"',
    }
    for path, text in users.items():
        assert text in (ROOT / path).read_text(encoding="utf-8"), path


def test_icons_exist_at_every_size_they_claim() -> None:
    assert icons.problems() == []


def test_ico_and_icns_round_trip_through_their_readers(qapp: QApplication) -> None:  # pytest-qt's, first
    png = icons.render_png(icons.SOURCE, 16)
    assert icons.read_ico(icons.ico_bytes([png])) == [(16, png)]
    assert icons.read_icns(icons.icns_bytes([(b"icp4", png)])) == [(b"icp4", png)]
    assert icons.png_size(png) == (16, 16)


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_desktop_file_validate_accepts_the_menu_entry() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_appstreamcli_validates_the_metainfo() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_spec_bundles_files_that_exist_and_excludes_test_tools() -> None:
    spec = (ROOT / "packaging" / "safecase.spec").read_text(encoding="utf-8")
    for pattern in re.findall(r'ROOT / "([^"]+)"', spec):
        assert list(ROOT.glob(pattern)), pattern
    for tool in ("pytest", "hypothesis", "mypy", "ruff", "PySide6.QtWebEngineCore", "PySide6.QtQuick"):
        assert f'"{tool}"' in spec


class _Recorder:
    """Stands in for each class PyInstaller's version text names, keeping what it was given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs


def test_windows_version_resource_carries_the_version() -> None:
    text = windows_version.version_info_text("1.2.3", "safecase.exe")
    names = (
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    )
    info = eval(text, {name: _Recorder for name in names})  # our own template, read as PyInstaller reads it
    assert info.kwargs["ffi"].kwargs["filevers"] == (1, 2, 3, 0)
    table = info.kwargs["kids"][0].args[0][0]
    strings = {struct.args[0]: struct.args[1] for struct in table.args[1]}
    assert strings["ProductVersion"] == "1.2.3" and strings["OriginalFilename"] == "safecase.exe"


@pytest.mark.parametrize(("version", "numbers"), [("0.1.0", (0, 1, 0, 0)), ("2.10rc1", (2, 10, 0, 0))])
def test_windows_version_numbers(version: str, numbers: tuple[int, int, int, int]) -> None:
    assert windows_version.version_tuple(version) == numbers


@pytest.mark.parametrize("version", ["x", "70000.0"])
def test_windows_version_refuses_what_windows_cannot_hold(version: str) -> None:
    with pytest.raises(ValueError, match="version"):
        windows_version.version_tuple(version)
