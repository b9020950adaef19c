"""Hybrid logical clock revisions.

Every stored version of a record carries a revision such as ``0000001732795200123.0000.4f3a9c1d2e5b7a60``:
wall-clock milliseconds, a counter that breaks ties within one millisecond (and keeps revisions increasing when a
device's clock jumps backwards), and the id of the device that wrote it. Revisions from different laptops compare
as plain strings, so the newest version of a record is the same on every vault that holds the same versions: this
is what makes merging bundles deterministic later on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from safecase.domain.clock import Clock

# ASCII digits only, and the whole text (``$`` would let a trailing line break through): one spelling per revision.
_REVISION = re.compile(r"(\d{19})\.(\d{4})\.([0-9a-f]{16})", re.ASCII)
_MAX_COUNTER = 9999


@dataclass(frozen=True, order=True)
class Revision:
    wall_ms: int
    counter: int
    device_id: str

    def __str__(self) -> str:
        return f"{self.wall_ms:019d}.{self.counter:04d}.{self.device_id}"

    @classmethod
    def parse(cls, text: str) -> Revision:
        match = _REVISION.fullmatch(text)
        if match is None:
            raise ValueError("not a revision")
        return cls(int(match[1]), int(match[2]), match[3])


def is_device_id(text: str) -> bool:
    return re.fullmatch(r"[0-9a-f]{16}", text) is not None


class HybridLogicalClock:
    """Issues strictly increasing revisions for one device, and absorbs revisions seen from others."""

    def __init__(self, clock: Clock, device_id: str, last: Revision | None = None) -> None:
        if not is_device_id(device_id):
            raise ValueError("device id must be 16 lower-case hex digits")
        self._clock = clock
        self._device_id = device_id
        self._wall_ms = last.wall_ms if last else 0
        self._counter = last.counter if last else 0

    def tick(self) -> Revision:
        now = self._clock.now_ms()
        if now > self._wall_ms:
            self._wall_ms, self._counter = now, 0
        else:
            self._advance_counter()
        return Revision(self._wall_ms, self._counter, self._device_id)

    def observe(self, seen: Revision) -> None:
        """Move past a revision received from elsewhere, so our next tick sorts after it."""
        if (seen.wall_ms, seen.counter) > (self._wall_ms, self._counter):
            self._wall_ms, self._counter = seen.wall_ms, seen.counter

    def _advance_counter(self) -> None:
        if self._counter >= _MAX_COUNTER:
            self._wall_ms += 1
            self._counter = 0
        else:
            self._counter += 1
