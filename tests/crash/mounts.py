"""Small and read-only file systems for the full-disk and read-only tests, where this machine lets us mount them.

Mounting needs root (CI runners and this project's sandbox run as root; a developer's laptop usually does not).
Each helper yields ``None`` when it cannot mount, and the tests then fall back to what they can do without it and
say so in the figure they publish. ``SAFECASE_TEST_NO_MOUNT=1`` forces the fallbacks, to try them as root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

MOUNT_TIMEOUT_S = 30


def _run(*command: str) -> bool:
    try:
        done = subprocess.run(command, capture_output=True, timeout=MOUNT_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def can_mount() -> bool:
    if os.environ.get("SAFECASE_TEST_NO_MOUNT"):
        return False
    return os.name == "posix" and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


def _unmount(point: Path) -> None:
    if not _run("umount", str(point)):
        _run("umount", "-l", str(point))  # something still has a file open there: detach it lazily


@contextlib.contextmanager
def small_tmpfs(point: Path, size_bytes: int) -> Iterator[Path | None]:
    """A tmpfs of `size_bytes` mounted at `point` (created), or None if this machine cannot mount one."""
    point.mkdir(parents=True, exist_ok=True)
    if not can_mount() or not _run("mount", "-t", "tmpfs", "-o", f"size={size_bytes},mode=0700", "tmpfs", str(point)):
        yield None
        return
    try:
        yield point
    finally:
        _unmount(point)


@contextlib.contextmanager
def read_only_bind(folder: Path) -> Iterator[bool]:
    """`folder` bind-mounted read-only over itself (True), or False if this machine cannot do that."""
    if not can_mount() or not _run("mount", "--bind", str(folder), str(folder)):
        yield False
        return
    try:
        if not _run("mount", "-o", "remount,ro,bind", str(folder)):
            yield False
            return
        yield True
    finally:
        _unmount(folder)
