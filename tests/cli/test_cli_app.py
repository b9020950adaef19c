"""`safecase` with no command opens the desktop app, and says so clearly when there is no display."""

from __future__ import annotations

import io

import pytest

from safecase.cli.app_command import has_display
from safecase.cli.main import run
from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import FakeClock


def run_without_display(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()

    def prompt(_label: str) -> str:
        raise AssertionError("no prompt expected")

    code = run(
        list(argv),
        kdf_policy=KdfPolicy.for_tests(),
        clock=FakeClock(),
        stdin=io.StringIO(),
        stdout=out,
        stderr=err,
        environ={},
        prompt=prompt,
    )
    return code, out.getvalue(), err.getvalue()


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="display detection is for X11/Wayland")
@pytest.mark.parametrize("argv", [(), ("app",), ("app", "--lang", "ko")])
def test_without_a_display_the_app_refuses_in_one_line(argv: tuple[str, ...]) -> None:
    code, out, err = run_without_display(*argv)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and "no display found" in err and "Traceback" not in err


def test_an_unknown_language_is_a_usage_error() -> None:
    code, _, err = run_without_display("app", "--lang", "fr")
    assert code == 2 and "invalid choice" in err


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({"DISPLAY": ""}, "linux", False),
        ({}, "win32", True),
        ({}, "darwin", True),
    ],
)
def test_display_detection(environ: dict[str, str], platform: str, expected: bool) -> None:
    assert has_display(environ, platform) is expected
