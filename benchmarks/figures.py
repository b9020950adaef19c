"""What a benchmark reports: figures with a same-run baseline and a target, printed as one JSON line each.

Also the small measuring helpers every benchmark shares (timer, median, percentile) and the run context.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """A goal from the issue: ``value <= 30 ms`` or ``ratio >= 0.75``."""

    op: Literal[">=", "<="]
    threshold: float
    unit: str = ""
    on: Literal["value", "ratio"] = "value"

    def text(self) -> str:
        return f"{self.op} {self.threshold:g}" + (f" {self.unit}" if self.unit else "")

    def met_by(self, value: float) -> bool:
        return value >= self.threshold if self.op == ">=" else value <= self.threshold


@dataclass(frozen=True)
class Figure:
    """One measured number. ``ratio`` is value / baseline, both measured in the same run."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    target: Target | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        measured = self.ratio if self.target.on == "ratio" else self.value
        return None if measured is None else self.target.met_by(measured)

    def to_json(self) -> str:
        ratio = self.ratio
        record: dict[str, Any] = {
            "name": self.name,
            "value": _round(self.value),
            "unit": self.unit,
            "baseline": None if self.baseline is None else _round(self.baseline),
            "ratio": None if ratio is None else round(ratio, 3),
            "target": None if self.target is None else self.target.text(),
        }
        if self.target is not None:
            record["ok"] = self.ok
        record["params"] = dict(self.params)
        return json.dumps(record, ensure_ascii=False)


def _round(value: float) -> float:
    """Three significant decimals is plenty for benchmark numbers and keeps the lines readable."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = max(0, 3 - math.floor(math.log10(abs(value))))
    return round(value, digits)


@dataclass
class Context:
    """What every benchmark gets: the mode, a private scratch folder for this run, and a shared memo."""

    quick: bool
    workdir: Path
    seed: int = 2026
    _memo: dict[str, object] = field(default_factory=dict)
    _folders: int = 0

    def scale(self, quick: T, full: T) -> T:
        return quick if self.quick else full

    def scratch(self, name: str) -> Path:
        """A new, empty folder inside this run's temporary folder (deleted when the run ends)."""
        self._folders += 1
        path = self.workdir / f"{self._folders:02d}-{name}"
        path.mkdir(mode=0o700)
        return path

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """Build something expensive (a corpus) once per run and share it between benchmarks."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[return-value]


def log(message: str) -> None:
    """Progress for the human watching: stderr only, never record content."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class Stopwatch:
    """``with Stopwatch() as sw: ...`` then ``sw.seconds``."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __enter__(self) -> Stopwatch:
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._started


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), interpolating between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def alternating(rounds: int) -> Iterator[tuple[int, bool]]:
    """(round, encrypted_first) pairs: the order flips every round, so neither side always runs warm."""
    for number in range(rounds):
        yield number, number % 2 == 0


def ms(seconds: float) -> float:
    return seconds * 1000
