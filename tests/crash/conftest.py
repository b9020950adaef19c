"""Where crashed vaults live: a RAM-backed folder when the system has one.

A SIGKILLed process loses nothing it wrote, fsynced or not (the page cache survives it), so tmpfs leaves exactly
the files a crash on a disk would, and its free fsyncs keep thousands of crash runs fast. The fsyncs are still
kill points. What tmpfs cannot show, a power cut losing unsynced writes, is what test_torn_header simulates.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

RAM_FOLDER = Path("/dev/shm")

if not hasattr(os, "fork"):  # the writer forks a child per crash and SIGKILLs it: POSIX only
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def crash_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """$SAFECASE_CRASH_DIR if set (e.g. a folder on the disk under test), else /dev/shm, else pytest's tmp."""
    chosen = os.environ.get("SAFECASE_CRASH_DIR")
    ram = RAM_FOLDER if RAM_FOLDER.is_dir() and os.access(RAM_FOLDER, os.W_OK | os.X_OK) else None
    parent = Path(chosen) if chosen else ram
    if parent is not None:
        base = Path(tempfile.mkdtemp(prefix="safecase-crash-", dir=parent))
        yield base
        shutil.rmtree(base, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("crash")


@pytest.fixture(scope="session")
def make_workdir(crash_base: Path) -> Callable[[str], Path]:
    """A new empty folder for one sweep (or one test) under the crash base."""

    def make(name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"{name[:40]}-", dir=crash_base))

    return make


@pytest.fixture
def workdir(make_workdir: Callable[[str], Path], request: pytest.FixtureRequest) -> Path:
    return make_workdir(request.node.name)
