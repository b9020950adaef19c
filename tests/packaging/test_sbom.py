"""The CycloneDX SBOM: every runtime pin as a component with its package URL and hashes, a dependency graph that
only names components it lists, and the same bytes for the same inputs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from safecase_release import sbom
from safecase_release.locks import Pin, pins_for_here, read_lock

from safecase import __version__

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = read_lock(ROOT / "requirements" / "lock.txt")
PYINSTALLER = read_lock(ROOT / "requirements" / "lock-build.txt")["pyinstaller"]
PROJECT = sbom.read_project(ROOT / "pyproject.toml")


def packaged(epoch: int | None = 1_764_000_000, runtime: dict[str, Pin] = RUNTIME) -> dict[str, Any]:
    return sbom.build_sbom(PROJECT, runtime, bundled=[PYINSTALLER], python_version="3.11.7", source_date_epoch=epoch)


def test_document_is_cyclonedx_1_5_about_this_release() -> None:
    bom = packaged()
    assert (bom["bomFormat"], bom["specVersion"], bom["version"]) == ("CycloneDX", "1.5", 1)
    assert re.fullmatch(
        r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", bom["serialNumber"]
    )
    root = bom["metadata"]["component"]
    assert (root["type"], root["name"], root["version"]) == ("application", "safecase", __version__)
    assert root["licenses"] == [{"license": {"id": "AGPL-3.0-or-later"}}]
    assert bom["metadata"]["timestamp"] == "2025-11-24T16:00:00Z"


def test_every_runtime_pin_is_a_component_with_its_purl_and_lock_hashes() -> None:
    components = {component["name"]: component for component in packaged()["components"]}
    for pin in RUNTIME.values():
        component = components[pin.name]
        assert component["version"] == pin.version
        assert component["purl"] == component["bom-ref"] == f"pkg:pypi/{pin.name}@{pin.version}"
        assert {entry["content"] for entry in component["hashes"]} == {digest[7:] for digest in pin.hashes}
        assert all(entry["alg"] == "SHA-256" for entry in component["hashes"])
    assert set(components) == {*RUNTIME, "pyinstaller", "cpython"}
    assert not {"pytest", "mypy", "hypothesis", "ruff"} & set(components)


def test_dependency_graph_names_only_listed_components_and_starts_at_the_direct_dependencies() -> None:
    bom = packaged()
    refs = {component["bom-ref"] for component in bom["components"]} | {bom["metadata"]["component"]["bom-ref"]}
    assert len(refs) == len(bom["components"]) + 1  # bom-refs are unique
    graph = {entry["ref"]: set(entry["dependsOn"]) for entry in bom["dependencies"]}
    assert set(graph) == refs
    assert all(targets <= refs for targets in graph.values())
    direct = {f"pkg:pypi/{pin.name}@{pin.version}" for pin in RUNTIME.values() if pin.direct}
    assert graph[f"pkg:pypi/safecase@{__version__}"] == direct | {
        f"pkg:pypi/pyinstaller@{PYINSTALLER.version}",
        "pkg:generic/cpython@3.11.7",
    }
    pyhanko = RUNTIME["pyhanko"]
    assert f"pkg:pypi/aiohttp@{RUNTIME['aiohttp'].version}" in graph[f"pkg:pypi/pyhanko@{pyhanko.version}"]


def test_same_inputs_give_the_same_bytes_and_any_change_a_new_serial_number() -> None:
    assert sbom.render(packaged()) == sbom.render(packaged())
    changed = dict(RUNTIME)
    changed["segno"] = Pin("segno", "9.9.9", ("sha256:" + "0" * 64,), ("safecase",))
    assert packaged(runtime=changed)["serialNumber"] != packaged()["serialNumber"]
    assert packaged(epoch=1)["serialNumber"] != packaged()["serialNumber"]


def test_without_source_date_epoch_there_is_no_timestamp() -> None:
    assert "timestamp" not in packaged(epoch=None)["metadata"]


def test_purl_encodes_versions_and_normalises_names() -> None:
    assert sbom.pypi_purl("PySide6_Essentials", "6.11.3+local") == "pkg:pypi/pyside6-essentials@6.11.3%2Blocal"


def run_cli(*args: str, epoch: str | None = "1764000000") -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    command = [sys.executable, str(ROOT / "packaging" / "sbom.py"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)


def test_command_writes_the_runtime_sbom(tmp_path: Path) -> None:
    output = tmp_path / "safecase.cdx.json"
    assert run_cli("-o", str(output)).returncode == 0
    written = json.loads(output.read_text(encoding="utf-8"))
    here = pins_for_here(RUNTIME)
    assert {component["name"] for component in written["components"]} == set(here)
    assert written == sbom.build_sbom(PROJECT, here, source_date_epoch=1_764_000_000)


@pytest.mark.skipif(sys.platform == "win32", reason="tzdata is a Windows-only pin")
def test_command_leaves_out_other_systems_packages(tmp_path: Path) -> None:
    output = tmp_path / "safecase.cdx.json"
    assert run_cli("-o", str(output)).returncode == 0
    assert RUNTIME["tzdata"].marker == "sys_platform == 'win32'"
    assert "tzdata" not in {component["name"] for component in json.loads(output.read_text())["components"]}


@pytest.mark.parametrize(
    ("args", "epoch", "message"),
    [
        (["--lock", "missing.txt"], "1", "missing.txt"),
        ([], "yesterday", "SOURCE_DATE_EPOCH must be a whole number"),
    ],
)
def test_command_refuses_bad_input_in_one_line(tmp_path: Path, args: list[str], epoch: str, message: str) -> None:
    result = run_cli("-o", str(tmp_path / "out.json"), *args, epoch=epoch)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr
