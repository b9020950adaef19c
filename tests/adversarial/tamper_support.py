"""What every tamper sweep shares: which variants of an artefact to try, and how each refusal is judged.

A variant is the artefact with one byte XORed with a one-bit mask (``flipped``) or cut to a length (``cut``). For a
small file (or a small region that matters, such as a header) every bit of every byte is flipped; for the rest of
a file one bit per byte, the bit moving with the position; above ``SAMPLE_ABOVE`` bytes only a deterministic
sample of positions is tried, its size set by the budget, always with the first and last 512 bytes and the
structural offsets the sweep names.

A refusal holds when it is the documented error class with its exit code, its message is one of those the sweep
allows for that variant, it is one line without a traceback, and the receiving vault is unchanged.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from safecase.errors import SafeCaseError
from tests.adversarial.figures import SecurityFigure, budget, record

SAMPLE_ABOVE = 64 * 1024
EDGE = 512
ALL_BITS = tuple(1 << bit for bit in range(8))


@dataclass(frozen=True)
class Variant:
    """One tampered copy: what was done (for messages) and its bytes."""

    label: str
    data: bytes
    position: int  # the byte flipped, or the length cut to


def flipped(data: bytes, position: int, mask: int) -> Variant:
    damaged = bytearray(data)
    damaged[position] ^= mask
    return Variant(f"byte {position} ^ {mask:#04x}", bytes(damaged), position)


def cut(data: bytes, length: int) -> Variant:
    return Variant(f"cut to {length} of {len(data)} bytes", data[:length], length)


def full_budget() -> bool:
    """Whether this is the published table's run (``SAFECASE_ADVERSARIAL_BUDGET=full``)."""
    return budget(0, 1) == 1


def one_bit(position: int) -> tuple[int, ...]:
    return (1 << (position % 8),)


def positions(size: int, structural: Iterable[int] = (), *, quick: int, full: int, seed: int = 2025) -> list[int]:
    """Every position of a file up to SAMPLE_ABOVE bytes when the budget allows it; otherwise the edges, the
    structural offsets and a deterministic sample, ``budget(quick, full)`` positions in all."""
    wanted = budget(quick, full)
    if size <= SAMPLE_ABOVE and wanted >= size:
        return list(range(size))
    chosen = {p for p in structural if 0 <= p < size}
    chosen |= set(range(min(EDGE, size))) | set(range(max(0, size - EDGE), size))
    rest = [p for p in range(size) if p not in chosen]
    extra = max(0, wanted - len(chosen))
    chosen |= set(random.Random(seed).sample(rest, min(extra, len(rest))))
    return sorted(chosen)


def flips(data: bytes, places: Iterable[int], every_bit: Callable[[int], bool] = lambda _: False) -> Iterable[Variant]:
    """``data`` flipped at each place: every bit where ``every_bit(place)``, else one bit."""
    for place in places:
        for mask in ALL_BITS if every_bit(place) else one_bit(place):
            yield flipped(data, place, mask)


def cuts(data: bytes, lengths: Iterable[int]) -> Iterable[Variant]:
    for length in sorted({n for n in lengths if 0 <= n < len(data)}):
        yield cut(data, length)


@dataclass
class Sweep:
    """The tally of one sweep: variants tried, refusals that held, and what went wrong (kept for the message)."""

    row: str
    unit: str = "variants"
    tried: int = 0
    held: int = 0
    accepted: int = 0
    crashes: int = 0
    failures: list[str] = field(default_factory=list)

    def refused(self, variant: Variant, problem: str | None) -> None:
        """A refusal: ``problem`` says why it does not hold, or is None."""
        self.tried += 1
        if problem is None:
            self.held += 1
        else:
            self._fail(variant, problem)

    def accepted_variant(self, variant: Variant) -> None:
        self.tried += 1
        self.accepted += 1
        self._fail(variant, "accepted")

    def crashed(self, variant: Variant, error: BaseException) -> None:
        self.tried += 1
        self.crashes += 1
        self._fail(variant, f"crashed with {type(error).__name__}: {error}")

    def _fail(self, variant: Variant, problem: str) -> None:
        if len(self.failures) < 20:
            self.failures.append(f"{variant.label}: {problem}")

    def figure(self, note: str = "") -> SecurityFigure:
        return SecurityFigure(
            "tamper", self.row, self.tried, self.unit, self.held,
            accepted=self.accepted, crashes=self.crashes, note=note,
        )  # fmt: skip

    def publish(self, note: str = "") -> None:
        """Record the row and fail unless every variant was refused as it must be."""
        assert self.tried, f"{self.row}: no variant was tried"
        figure = record(self.figure(note))
        assert figure.clean, "\n".join([repr(figure), *self.failures])


def message_problem(message: str, allowed: Sequence[str]) -> str | None:
    """Why an error message is not one of ``allowed`` (exact texts or prefixes ending in '…'), or None."""
    if "\n" in message or "Traceback" in message or not message.strip():
        return f"not one clean line: {message!r}"
    for expected in allowed:
        if message == expected or (expected.endswith("…") and message.startswith(expected[:-1])):
            return None
    return f"unexpected message {message!r}"


def refusal_problem(error: SafeCaseError, exit_codes: Sequence[int], allowed: Sequence[str]) -> str | None:
    if int(error.exit_code) not in exit_codes:
        return f"exit code {int(error.exit_code)} ({type(error).__name__}: {error.message})"
    return message_problem(error.message, allowed)


def cli_problem(result: tuple[int, str, str], exit_codes: Sequence[int], allowed: Sequence[str]) -> str | None:
    """The in-process command line's verdict: the exit code, and one line ``safecase: <message>`` on stderr."""
    code, _out, err = result
    if code not in exit_codes:
        return f"exit code {code}: {err!r}"
    lines = err.splitlines()
    if len(lines) != 1 or not lines[0].startswith("safecase: "):
        return f"stderr is not one 'safecase:' line: {err!r}"
    return message_problem(lines[0].removeprefix("safecase: "), allowed)
