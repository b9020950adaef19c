"""What SafeCase prints of a user's file name or path: never a terminal escape, line break or direction override."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from safecase.errors import shown


def test_controls_and_direction_overrides_are_written_out() -> None:
    assert shown("report\u202egpj.exe") == "report<U+202E>gpj.exe"
    assert shown("nope\x1b]0;TITLE\x07\nFAKE: ok") == "nope<U+001B>]0;TITLE<U+0007><U+000A>FAKE: ok"
    assert shown("a\u200bb") == "a<U+200B>b"


def test_ordinary_names_in_any_script_are_unchanged() -> None:
    for name in ("증언-2019 녹취.m4a", "丹东边防看守所.jpg", "Kim Yeong-hui (scan).pdf"):
        assert shown(name) == name


@given(st.text())
def test_the_result_has_nothing_a_terminal_or_bidi_algorithm_acts_on(text: str) -> None:
    assert all(unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Zl", "Zp"} for c in shown(text))
