"""`safecase app` (and `safecase` with no command): open the desktop app on the vault folder."""

from __future__ import annotations

import sys

from safecase.cli.context import CliContext
from safecase.errors import VaultStateError


def app(ctx: CliContext) -> int:
    if not has_display(ctx.environ, sys.platform):
        raise VaultStateError(
            "no display found: start the SafeCase app from a desktop session, or use a command (safecase --help)."
        )
    from safecase.ui.launch import run_app  # Qt loads only for the app, never for the other commands

    return run_app(ctx.vault_root(), ctx.vaults, lang=ctx.option("lang"))


def has_display(environ: object, platform: str) -> bool:
    """Whether a window can be shown: always on Windows and macOS; on Linux and BSD when X11, Wayland or an
    explicit Qt platform (e.g. offscreen, for tests and screenshots) is set."""
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return True
    get = getattr(environ, "get", None)
    return get is not None and any(get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
