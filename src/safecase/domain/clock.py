"""Clocks: the real one, and a fake one for tests (revisions, audit times, and later auto-lock)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now_ms(self) -> int:
        """Milliseconds since the Unix epoch."""
        ...

    def monotonic_ms(self) -> int:
        """Milliseconds on a clock that never jumps (for idle times and timeouts, not for dates)."""
        ...


class SystemClock:
    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000

    def monotonic_ms(self) -> int:
        return time.monotonic_ns() // 1_000_000


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start_ms: int = 1_700_000_000_000) -> None:
        self.current_ms = start_ms
        self.elapsed_ms = 0

    def now_ms(self) -> int:
        return self.current_ms

    def monotonic_ms(self) -> int:
        return self.elapsed_ms

    def advance(self, ms: int) -> None:
        self.current_ms += ms
        self.elapsed_ms += ms


def iso_from_ms(ms: int) -> str:
    """ISO-8601 UTC timestamp with millisecond precision, e.g. 2026-11-28T12:00:00.123Z."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
