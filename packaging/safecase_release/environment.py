"""What a release build checks about where it runs: the installed packages are exactly the build lock's, and the
time stamp and source description come from the git checkout being built."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from safecase_release.locks import Pin, normalise, pins_for_here, read_lock

NOT_LOCKED_BUT_ALLOWED = frozenset({"pip", "safecase"})  # the installer itself; the project, if installed


class BuildError(RuntimeError):
    """A reason the build cannot go on, said in one line."""


def installed_versions(distributions: Iterable[importlib.metadata.Distribution] | None = None) -> dict[str, str]:
    found = {}
    for distribution in importlib.metadata.distributions() if distributions is None else distributions:
        name = distribution.metadata["Name"]
        if name:
            found[normalise(name)] = distribution.version
    return found


def lock_differences(pins: Mapping[str, Pin], installed: Mapping[str, str]) -> list[str]:
    """Each way the installed packages differ from the lock, one short phrase each."""
    differences = []
    for name, pin in sorted(pins.items()):
        version = installed.get(name)
        if version is None:
            differences.append(f"{name} is missing")
        elif version != pin.version:
            differences.append(f"{name} is {version}, locked {pin.version}")
    for name in sorted(set(installed) - set(pins) - NOT_LOCKED_BUT_ALLOWED):
        differences.append(f"{name} is not in the lock")
    return differences


def check_matches_lock(lock: Path) -> None:
    differences = lock_differences(pins_for_here(read_lock(lock)), installed_versions())
    if differences:
        shown = "; ".join(differences[:4]) + ("; ..." if len(differences) > 4 else "")
        raise BuildError(
            f"this Python's packages differ from {lock.name} ({shown}): build from a fresh virtual environment "
            f"made with `pip install --require-hashes -r requirements/{lock.name}`"
        )


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def source_date_epoch(root: Path, environ: Mapping[str, str] = os.environ) -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the commit being built."""
    given = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        if not given.isdigit():
            raise BuildError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {given!r}")
        return int(given)
    committed = _git(root, "log", "-1", "--format=%ct")
    if not committed or not committed.isdigit():
        raise BuildError("no git history to date the build: set SOURCE_DATE_EPOCH (seconds since 1970)")
    return int(committed)


def source_description(root: Path) -> str:
    """``commit 1a2b3c4d5e6f`` (with ``plus uncommitted changes`` when the work tree differs from it)."""
    commit = _git(root, "rev-parse", "--short=12", "HEAD")
    if commit is None:
        return "from a source tree outside git"
    dirty = _git(root, "status", "--porcelain")
    return f"commit {commit}" + (" plus uncommitted changes" if dirty else "")
