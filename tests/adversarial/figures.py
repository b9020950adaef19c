"""The figures adversarial tests publish in docs/SECURITY.md.

Each test that tries to break a promise records one ``SecurityFigure`` per row of the table (how many inputs it
tried and what came of them) and then asserts the zeros itself, so a plain ``pytest`` run fails on a leak just as
``tools/security_table.py`` does. With ``SAFECASE_SECURITY_FIGURES=FILE`` set, every figure is also appended to
FILE as one JSON line; ``tools/security_table.py`` sets it, runs the tests and writes the table.

``SAFECASE_ADVERSARIAL_BUDGET`` is ``quick`` (the default: CI and every test run) or ``full`` (the published
table): tests scale how many inputs they try with ``budget(quick, full)``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

FIGURES_ENV = "SAFECASE_SECURITY_FIGURES"
BUDGET_ENV = "SAFECASE_ADVERSARIAL_BUDGET"
GROUPS = ("leak", "crash", "fuzz", "tamper", "lock")


@dataclass(frozen=True)
class SecurityFigure:
    """One row: ``tried`` inputs of a kind (``unit``), ``held`` of which the promise held for (rejected cleanly,
    survived, scanned clean), and the counts that must be zero."""

    group: str  # one of GROUPS
    row: str  # e.g. "Signed report: every byte flipped"
    tried: int
    unit: str  # e.g. "byte flips", "kill points", "files scanned", "generated inputs"
    held: int
    leaks: int = 0  # marker found where it must not be
    lost: int = 0  # a state that is neither the old nor the new one, or data gone
    accepted: int = 0  # a tampered or malformed input accepted as good
    crashes: int = 0  # an unexpected exception, a traceback, a hang
    note: str = ""

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"unknown group {self.group!r}")

    @property
    def clean(self) -> bool:
        return self.leaks == self.lost == self.accepted == self.crashes == 0 and self.held == self.tried


def budget(quick: int, full: int) -> int:
    return full if os.environ.get(BUDGET_ENV) == "full" else quick


def record(figure: SecurityFigure) -> SecurityFigure:
    """Publish ``figure`` (when the table is being made) and return it, for the test to assert on."""
    target = os.environ.get(FIGURES_ENV)
    if target:
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(figure), ensure_ascii=False) + "\n")
    return figure


def assert_clean(figure: SecurityFigure) -> None:
    """Record the figure, then fail unless every zero is a zero and the promise held for every input."""
    record(figure)
    assert figure.clean, figure
