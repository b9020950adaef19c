"""Property-based fuzzing with hypothesis: what every fuzzer shares.

A fuzzer feeds one parser of outside input (a ``FuzzTarget``) with bytes from ``mutated`` (byte flips, insertions,
deletions, splices, truncations of valid seeds), ``json_mutated`` (field values swapped, dropped, renamed, or
replaced with huge, deep or odd values, then encoded in any style), and arbitrary bytes. The property: each input
is either parsed (and then passes the target's own checks of what it accepted) or refused with one of the target's
documented SafeCaseError classes and a one-line message; never another exception, and never a hang (inputs are
bounded, and ``HANG_SECONDS`` stops one that runs away).

``run_fuzzer`` counts every input tried and publishes one "fuzz" figure. When an input fails, the smallest one
hypothesis finds is saved as ``regressions/<target>/<sha256 prefix>.bin``; test_fuzz_regressions.py replays them.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safecase.errors import SafeCaseError
from tests.adversarial.figures import SecurityFigure, assert_clean, budget, record

REGRESSIONS = Path(__file__).resolve().parent / "regressions"
HANG_SECONDS = 60
MAX_INPUT = 1 << 20


class Accepted(AssertionError):
    """A malformed input was accepted: what a target parsed breaks a property of what it may accept."""


class Sample(bytes):
    """An input, shown by size and hash: a failing 50 kB PDF printed whole would bury the failure."""

    def __repr__(self) -> str:
        return f"<{len(self)} bytes, sha256 {hashlib.sha256(self).hexdigest()[:16]}…: see regressions/>"


class Hang(Exception):
    """One input ran longer than HANG_SECONDS."""


@dataclass(frozen=True)
class FuzzTarget:
    """A parser of outside input: ``feed`` raises only ``expected`` for bad input (or Accepted, a finding)."""

    name: str  # the folder of its crashers under regressions/
    row: str  # its row in docs/SECURITY.md
    feed: Callable[[bytes], object]
    expected: tuple[type[SafeCaseError], ...]

    def check(self, data: bytes) -> None:
        """Feed one input; return if it was handled as documented, raise otherwise."""
        with time_limit(HANG_SECONDS):
            try:
                self.feed(data)
            except self.expected as error:
                message = error.message
                if not message.strip() or "\n" in message or "Traceback" in message:
                    raise AssertionError(f"not a one-line message: {message!r}") from error


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise Hang in the main thread if the block runs longer than ``seconds``."""

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- running a fuzzer ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    tried: int = 0
    held: int = 0
    accepted: int = 0
    crashes: int = 0
    failing: bytes | None = None

    def feed(self, target: FuzzTarget, data: bytes) -> None:
        self.tried += 1
        try:
            target.check(data)
        except Accepted:
            self.accepted += 1
            self.failing = data
            raise
        except Exception:
            self.crashes += 1
            self.failing = data
            raise
        self.held += 1

    def figure(self, target: FuzzTarget) -> SecurityFigure:
        return SecurityFigure(
            "fuzz", target.row, self.tried, "generated inputs", self.held,
            accepted=self.accepted, crashes=self.crashes,
            note="parsed, or refused with its documented error in one line; never another exception or a hang",
        )  # fmt: skip


def save_crasher(target: FuzzTarget, data: bytes) -> Path:
    folder = REGRESSIONS / target.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}.bin"
    path.write_bytes(data)
    return path


def fuzz_settings(quick: int, full: int) -> settings:
    return settings(
        max_examples=budget(quick, full),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def run_fuzzer(target: FuzzTarget, inputs: st.SearchStrategy[bytes], *, quick: int, full: int) -> None:
    """Fuzz ``target`` with ``inputs``, publish its figure, and keep the smallest failing input as a crasher."""
    tally = Tally()

    @fuzz_settings(quick, full)
    @given(inputs.map(Sample))
    def fuzz(data: bytes) -> None:
        tally.feed(target, data)

    try:
        fuzz()
    except BaseException:
        if tally.failing is not None:
            save_crasher(target, bytes(tally.failing))
        record(tally.figure(target))
        raise
    assert_clean(tally.figure(target))


# -- byte-level mutations -----------------------------------------------------------------------------------------

INTERESTING_BYTES = b'\x00\xff\x7f\x80 \n\r\t"\\{}[],:0123456789-+.eE/<>()%'
TOKENS = [
    *(b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r\n", b'"', b"\\u0000", b"null", b"[", b"]]]]", b"{", b"-1"),
    *(b"1e999", b"9" * 30, b"NaN", b"\xed\xa0\x80", b"%%EOF", b"endobj", b"0 obj", b"R", b"/Length 99999999"),
]


@st.composite
def _mutation(draw: st.DrawFn, data: bytearray, seeds: Sequence[bytes]) -> bytearray:
    size = len(data)
    where = draw(st.integers(0, size))
    kind = draw(st.sampled_from(["flip", "set", "insert", "token", "delete", "duplicate", "splice", "truncate"]))
    if kind in {"flip", "set"} and size:
        where = min(where, size - 1)
        if kind == "flip":
            data[where] ^= 1 << draw(st.integers(0, 7))
        else:
            data[where] = draw(st.sampled_from(INTERESTING_BYTES) | st.integers(0, 255))
    elif kind == "insert":
        data[where:where] = draw(st.binary(min_size=1, max_size=16))
    elif kind == "token":
        data[where:where] = draw(st.sampled_from(TOKENS))
    elif kind == "delete":
        del data[where : where + draw(st.integers(1, 64))]
    elif kind == "duplicate" and size:
        start = draw(st.integers(0, size - 1))
        data[where:where] = data[start : start + draw(st.integers(1, 512))]
    elif kind == "splice":
        other = draw(st.sampled_from(seeds))
        start = draw(st.integers(0, max(0, len(other) - 1)))
        data[where : where + draw(st.integers(0, 512))] = other[start : start + draw(st.integers(1, 1024))]
    elif kind == "truncate":
        del data[where:]
    return data


@st.composite
def mutated(draw: st.DrawFn, seeds: Sequence[bytes], max_mutations: int = 4) -> bytes:
    """A seed with one to ``max_mutations`` byte-level mutations (never longer than MAX_INPUT)."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, max_mutations))):
        data = draw(_mutation(data, seeds))
    return bytes(data[:MAX_INPUT])


def arbitrary(max_size: int = 4096) -> st.SearchStrategy[bytes]:
    return st.binary(max_size=max_size)


# -- JSON-level mutations -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """JSON text put in place of a value as it is: what json.dumps cannot write (NaN, huge exponents, deep nesting)."""

    text: str


RAW_VALUES = [Raw("NaN"), Raw("-Infinity"), Raw("1e99999"), Raw("-0"), Raw("1" * 5000), Raw("[" * 3000 + "]" * 3000),
              Raw('{"a":' * 2000 + "0" + "}" * 2000), Raw('"\\ud800"'), Raw('"\\u0000"')]  # fmt: skip
ODD_STRINGS = [
    *("", " ", "\u202e", "\u200b", "\x00", "\ud7ff", "é", "e\u0301", "../../etc/passwd", "a" * 201, "0" * 64),
    *("ff" * 32, "1970-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "age1", "RW", "=", "\u0661"),
    *("00000 00000 00000 00000 00000 00000 00000 00000", "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"),
]
ODD_NUMBERS = [0, -1, 1, 2, 2**31, 2**53, 2**53 + 1, 2**63, -(2**63), 10**100, 0.5, -0.0, 1e308, 5e-324]

odd_scalars: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(ODD_NUMBERS),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(ODD_STRINGS),
    st.text(max_size=30),
    st.sampled_from([70_000, 1_100_000]).map(lambda n: "x" * n),
    st.sampled_from(RAW_VALUES),
)
odd_values: st.SearchStrategy[Any] = st.one_of(
    odd_scalars,
    st.lists(odd_scalars, max_size=4),
    st.dictionaries(st.text(max_size=12), odd_scalars, max_size=4),
)

Path_ = tuple[str | int, ...]


def near_misses(value: Any) -> list[Any]:
    """Values a careless parser takes for ``value``: a line break or space added, another case, a digit from another
    script, one character less or more, the same number in another type."""
    if isinstance(value, bool):
        return [int(value), str(value).lower(), not value]
    if isinstance(value, int):
        return [value + 1, value - 1, -value, float(value), str(value), value + 2**64]
    if isinstance(value, str):
        digits = value.translate(
            str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
        )
        first = next((i for i, c in enumerate(value) if c in "0123456789"), None)
        one_digit = value if first is None else value[:first] + digits[first] + value[first + 1 :]
        return [value + "\n", " " + value, value.upper(), value.lower(), digits, one_digit, value[:-1],
                value + value[-1:], value.replace("-", "\u2010"), value + "\u0000"]  # fmt: skip
    return [value]


def paths(value: Any, here: Path_ = ()) -> list[Path_]:
    """Every place in a JSON value, the root included."""
    found = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*here, index))
    return found


def _parent(value: Any, path: Path_) -> Any:
    for step in path[:-1]:
        value = value[step]
    return value


@st.composite
def _json_edit(draw: st.DrawFn, value: Any) -> Any:
    places = paths(value)
    path = draw(st.sampled_from(places))
    kind = draw(st.sampled_from(["replace", "near", "near", "swap", "delete", "add", "rename", "duplicate"]))
    if not path:
        return draw(odd_values) if kind == "replace" else value
    parent, leaf = _parent(value, path), path[-1]
    if kind == "replace":
        parent[leaf] = draw(odd_values)
    elif kind == "near":
        parent[leaf] = draw(st.sampled_from(near_misses(parent[leaf])))
    elif kind == "swap":
        other = draw(st.sampled_from(places))
        if other and other[: len(path)] != path and path[: len(other)] != other:
            other_parent = _parent(value, other)
            parent[leaf], other_parent[other[-1]] = other_parent[other[-1]], parent[leaf]
    elif kind == "delete":
        del parent[leaf]
    elif kind == "add" and isinstance(parent, dict):
        parent[draw(st.text(max_size=12) | st.sampled_from(sorted(map(str, parent))))] = draw(odd_values)
    elif kind == "rename" and isinstance(parent, dict):
        parent[str(leaf) + draw(st.sampled_from(["_", "X", " ", "\u0000"]))] = parent.pop(leaf)
    elif kind == "duplicate" and isinstance(parent, list) and isinstance(leaf, int):
        parent.insert(leaf, copy.deepcopy(parent[leaf]))
    return value


def json_text(value: Any, style: str) -> str:
    """``value`` as JSON in one of the styles writers use, with Raw values put in as written."""
    raws: list[str] = []

    def placeholder(item: Any) -> Any:
        if isinstance(item, Raw):
            raws.append(item.text)
            return f"\x00raw{len(raws) - 1}\x00"
        if isinstance(item, dict):
            return {key: placeholder(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [placeholder(inner) for inner in item]
        return item

    plain = placeholder(value)
    if style == "canonical":
        text = json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    elif style == "pretty":
        text = json.dumps(plain, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    else:
        text = json.dumps(plain, ensure_ascii=False)
    for index, raw in enumerate(raws):
        text = text.replace(json.dumps(f"\x00raw{index}\x00"), raw)
    return text


@st.composite
def json_mutated(
    draw: st.DrawFn,
    seeds: Sequence[Any],
    fixup: Callable[[Any], Any] | None = None,
    styles: Sequence[str] = ("canonical", "pretty", "plain"),
) -> bytes:
    """A JSON seed with one to three edits, sometimes put right again by ``fixup`` (a checksum, a signature)."""
    value = copy.deepcopy(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 3))):
        value = draw(_json_edit(value))
    if fixup is not None and draw(st.booleans()):
        with contextlib.suppress(Exception):  # a value the fixup cannot handle stays as it is
            value = fixup(value)
    try:
        text = json_text(value, draw(st.sampled_from(styles)))
    except (ValueError, RecursionError):  # a number too long for str(), or nesting json.dumps refuses
        text = json_text(draw(st.sampled_from(seeds)), "canonical")
    return text.encode("utf-8", "surrogatepass")[:MAX_INPUT]


def samples(seeds: Sequence[bytes]) -> list[Sample]:
    """Seeds that hypothesis shows by size and hash when it prints the strategy of a failing test."""
    return [Sample(seed) for seed in seeds]


def fuzz_inputs(seeds: Sequence[bytes], *structured: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """The usual mix: structure-aware variants (given), byte-level mutations of the seeds, and arbitrary bytes."""
    return st.one_of(*structured, mutated(samples(seeds)), arbitrary())
