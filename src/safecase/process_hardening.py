"""Process-wide protections applied once at start-up by each entry point (command line, desktop app)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys

PR_SET_DUMPABLE = 4


def harden_process() -> None:
    """Private file modes, no core dumps (they would hold keys and plaintext), no ptrace by other processes."""
    os.umask(0o077)
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
