"""A whole sweep: crash one operation at many durability points and check every survivor; publish the row.

``sweep`` runs the operation once uninterrupted (its durability points, the new state), then once per chosen kill
point on a fresh copy of the base vault, and opens each survivor as ``harness.open_survivor`` does. ``Sweep``
keeps what happened and turns it into a row of docs/SECURITY.md's crash table (``figure``); ``published`` does
the same for a test that kills once.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.adversarial.figures import SecurityFigure, record

from .harness import (
    PASSPHRASE,
    BaseVault,
    Survivor,
    copy_vault,
    crash_runs,
    describe_point,
    expected_outcome,
    open_survivor,
    run_uninterrupted,
    select_points,
    state_of,
)
from .vault_state import StateOf, snapshot


@dataclass
class Sweep:
    """The outcome of crashing one operation at many points."""

    labels: list[str]
    points: list[int]
    survivors: dict[int, Survivor]
    failures: list[str]
    lost: set[int] = field(default_factory=set)  # kill points that broke the promise (state, opening, check)
    crashed: set[int] = field(default_factory=set)  # ... that ended in an unexpected failure instead
    found: dict[int, str] = field(default_factory=dict)  # what `before` said of each crashed vault

    def fail(self, point: int, error: BaseException | str) -> None:
        """Report a kill point that broke the promise: an AssertionError (CrashCheckFailure) is a loss, a writer
        that did not die where it should or any other exception is an unexpected failure."""
        if isinstance(error, str):
            self.crashed.add(point)
            self.failures.append(f"{self.describe(point)}: {error}")
            return
        (self.lost if isinstance(error, AssertionError) else self.crashed).add(point)
        self.failures.append(f"{self.describe(point)}: {type(error).__name__}: {error}")

    def figure(self, row: str, note: str = "") -> SecurityFigure:
        """This sweep as a row of the crash table (record it before asserting, so a failure is published too)."""
        lost = self.lost | set(self.points_where(lambda s: bool(s.first_check_problems)))
        crashed = self.crashed - lost
        total = len(self.labels) + 1
        if len(self.points) < total:
            sampled = (
                f"{len(self.points)} of {total} points: each file operation, BEGIN, COMMIT and their neighbours; "
                "the rest evenly"
            )
            note = f"{note}; {sampled}" if note else sampled
        return SecurityFigure(
            group="crash",
            row=row,
            tried=len(self.points),
            unit="kill points",
            held=len(self.points) - len(lost | crashed),
            lost=len(lost),
            crashes=len(crashed),
            note=note,
        )

    def points_where(self, predicate: Callable[[Survivor], bool]) -> list[int]:
        return [point for point, survivor in self.survivors.items() if predicate(survivor)]

    def describe(self, point: int) -> str:
        return describe_point(self.labels, point)

    def failed_first_checks(self) -> list[str]:
        """Kill points after which check_vault failed in the first session (and passed after a re-lock)."""
        return [
            f"{self.describe(p)}: {self.survivors[p].first_check_problems[0]}"
            for p in self.points_where(lambda s: bool(s.first_check_problems))
        ]

    def assert_clean(self) -> None:
        problems = list(self.failures)
        problems += [f"check_vault failed after {line}" for line in self.failed_first_checks()]
        assert not problems, f"{len(problems)} kill point(s) broke the promise:\n" + "\n".join(problems)


def sweep(
    workdir: Path,
    request: dict[str, Any],
    base: BaseVault,
    *,
    budget: int,
    new_passphrase: str | None = None,
    then: Callable[[Path, Survivor], None] | None = None,
    measure: StateOf = snapshot,
    before: Callable[[Path], str] | None = None,
    expected: dict[str, str] | None = None,
) -> Sweep:
    """Crash `request`'s operation at up to `budget` points on copies of `base` and check every survivor.

    `then`, if given, runs on each survivor after the checks (e.g. to show the vault still takes the same
    operation again); whatever it raises is reported as a failure of that kill point. `measure` is what "the
    state" of a vault is (``snapshot``, or ``full_snapshot`` for operations that write more than records).
    `before`, if given, looks at the crashed vault before anything unlocks it (an unlock repairs things) and says
    what it found (kept in ``Sweep.found``). `expected` replaces the old and new states read from `base` and from
    an uninterrupted run, for a base that does not open (a shredded vault).
    """
    completed = copy_vault(base.root, workdir / "new" / "vault")
    labels = run_uninterrupted(request, completed, scratch=workdir)
    if expected is None:
        old = state_of(copy_vault(base.root, workdir / "old" / "vault"), measure=measure)
        new = state_of(completed, new_passphrase or PASSPHRASE, measure)
        expected = {"unchanged": old} if old == new else {"old": old, "new": new}
    states = expected
    passphrases = [PASSPHRASE] if new_passphrase is None else [PASSPHRASE, new_passphrase]
    points = select_points(labels, budget)

    def prepare(point: int) -> Path:
        return copy_vault(base.root, workdir / f"kill-{point}" / "vault")

    result = Sweep(labels, points, {}, [])
    for point, vault, outcome in crash_runs(request, points, prepare, scratch=workdir):
        if outcome != expected_outcome(point, labels):
            result.fail(point, f"the writer {outcome}")
            continue
        try:
            if before is not None:
                result.found[point] = before(vault)
            result.survivors[point] = open_survivor(vault, passphrases, base.recovery_key, states, measure)
            if then is not None:
                then(vault, result.survivors[point])
        except Exception as error:  # every kill point is reported, not just the first that fails
            result.fail(point, error)
        shutil.rmtree(vault.parent, ignore_errors=True)
    return result


@contextlib.contextmanager
def published(row: str, unit: str = "kill points", note: str = "") -> Iterator[None]:
    """Publish a one-input row of the crash table for the checks in the block: held if they pass, lost if an
    assertion fails, an unexpected failure if anything else is raised (which still propagates)."""
    try:
        yield
    except AssertionError:
        record(SecurityFigure("crash", row, 1, unit, 0, lost=1, note=note))
        raise
    except Exception:
        record(SecurityFigure("crash", row, 1, unit, 0, crashes=1, note=note))
        raise
    record(SecurityFigure("crash", row, 1, unit, 1, note=note))
