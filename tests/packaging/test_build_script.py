"""packaging/build.py refuses bad input in one line before building anything, and its environment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from safecase_release import environment
from safecase_release.environment import BuildError
from safecase_release.locks import Pin, pins_for_here, read_lock

ROOT = Path(__file__).resolve().parents[2]


def build(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SAFECASE_RELEASE")} | env
    command = [sys.executable, str(ROOT / "packaging" / "build.py"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=environ, timeout=60, check=False)


def test_a_missing_key_file_stops_the_build_with_one_line(tmp_path: Path) -> None:
    result = build("--key", str(tmp_path / "missing.key"), "--dist", str(tmp_path / "dist"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"build: release key not found: {tmp_path / 'missing.key'} (give --key FILE or set SAFECASE_RELEASE_KEY)"
    ]
    assert not (tmp_path / "dist").exists()


def test_the_key_may_come_from_the_environment(tmp_path: Path) -> None:
    result = build("--dist", str(tmp_path / "dist"), SAFECASE_RELEASE_KEY=str(tmp_path / "env.key"))
    assert result.returncode == 1 and "env.key" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [([], "no release key"), (["--unsigned", "--key", "k"], "exclude each other")],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = build(*args)
    assert result.returncode == 2 and message in result.stderr


def test_an_environment_other_than_the_build_lock_is_refused(tmp_path: Path) -> None:
    # This test's own environment (pytest, mypy, no PyInstaller) is not the build lock's.
    result = build("--unsigned", "--dist", str(tmp_path / "dist"))
    assert result.returncode == 1
    assert "differ from lock-build.txt" in result.stderr and "pyinstaller is missing" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def pin(name: str, version: str) -> Pin:
    return Pin(name, version, ("sha256:" + "0" * 64,), ())


def test_lock_differences_name_missing_other_and_unlocked_packages() -> None:
    pins = {"alpha": pin("alpha", "1.0"), "beta": pin("beta", "2.0")}
    installed = {"alpha": "1.1", "gamma": "3.0", "pip": "24.0", "safecase": "0.1.0"}
    assert environment.lock_differences(pins, installed) == [
        "alpha is 1.1, locked 1.0",
        "beta is missing",
        "gamma is not in the lock",
    ]
    assert environment.lock_differences(pins, {"alpha": "1.0", "beta": "2.0"}) == []


def test_only_this_systems_pins_are_expected_installed() -> None:
    assert "pefile" not in pins_for_here(read_lock(ROOT / "requirements" / "lock-build.txt")) or sys.platform == "win32"


def test_source_date_epoch_comes_from_the_environment_or_the_last_commit() -> None:
    assert environment.source_date_epoch(ROOT, {"SOURCE_DATE_EPOCH": "1764000000"}) == 1_764_000_000
    with pytest.raises(BuildError, match="whole number"):
        environment.source_date_epoch(ROOT, {"SOURCE_DATE_EPOCH": "today"})
    if (ROOT / ".git").exists():
        assert environment.source_date_epoch(ROOT, {}) > 1_700_000_000


def test_source_date_epoch_without_git_asks_for_the_variable(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="set SOURCE_DATE_EPOCH"):
        environment.source_date_epoch(tmp_path, {})
