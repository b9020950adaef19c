"""Argon2id: turning a passphrase into the key-encryption key (KEK), and choosing safe parameters.

The parameters live in the plaintext vault header, so an attacker who can edit the header can also edit them.
`KdfPolicy.check` bounds every value before any derivation runs: a tampered header cannot make unlocking run
for hours, exhaust memory, or fall to a trivially cheap KDF. `derive_kek` additionally refuses anything beyond
the hard ceiling, so even a caller that forgot the policy check cannot be made to hang.

Calibration picks parameters for about one second on the machine that creates the vault; the parameters are
then fixed in the header, so a slower laptop takes longer to unlock the same vault.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from safecase.crypto.secrets import normalize_passphrase
from safecase.errors import IntegrityError

log = logging.getLogger(__name__)

KEK_LENGTH = 32
SALT_LENGTH = 16
MIN_SALT_LENGTH = 16
MAX_SALT_LENGTH = 64

_OUT_OF_RANGE = (
    "The vault header's key-derivation settings are outside the safe range: "
    "the header was altered or damaged. Restore it from a header backup (safecase header restore)."
)


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters as stored in the vault header (memory in KiB)."""

    memory_kib: int
    iterations: int
    lanes: int
    salt: bytes = field(repr=False)

    def __post_init__(self) -> None:
        for name in ("memory_kib", "iterations", "lanes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value < 2**32:
                raise ValueError(f"KdfParams.{name} must be a positive 32-bit integer")
        if not isinstance(self.salt, bytes):
            raise ValueError("KdfParams.salt must be bytes")


@dataclass(frozen=True)
class KdfLimits:
    """One corner of the allowed parameter box: a floor or a ceiling."""

    memory_kib: int
    iterations: int
    lanes: int


HARD_CEILING = KdfLimits(memory_kib=2 * 1024 * 1024, iterations=64, lanes=16)
"""No policy may allow more than this; `derive_kek` refuses anything beyond it."""

_HARD_FLOOR = KdfLimits(memory_kib=8, iterations=1, lanes=1)  # Argon2's own minimum (memory >= 8 * lanes)

_CALIBRATION_MEMORY_KIB = 256 * 1024
_CALIBRATION_LANES = 4
_MAX_PROBES = 3
_CALIBRATION_PASSPHRASE = b"safecase calibration"

Timer = Callable[[KdfParams], float]
"""Seconds one derivation with these parameters takes (injectable, so tests need not run Argon2)."""


def _within(params: KdfParams, floor: KdfLimits, ceiling: KdfLimits) -> bool:
    return (
        floor.memory_kib <= params.memory_kib <= ceiling.memory_kib
        and floor.iterations <= params.iterations <= ceiling.iterations
        and floor.lanes <= params.lanes <= ceiling.lanes
        and params.memory_kib >= 8 * params.lanes
        and MIN_SALT_LENGTH <= len(params.salt) <= MAX_SALT_LENGTH
    )


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def time_derivation(params: KdfParams) -> float:
    """Run one real derivation and return how long it took, in seconds."""
    started = time.perf_counter()
    _argon2id(_CALIBRATION_PASSPHRASE, params)
    return time.perf_counter() - started


@dataclass(frozen=True)
class KdfPolicy:
    """The box of acceptable Argon2id parameters, and how to pick parameters for a new vault.

    `fixed` skips calibration and always uses these values (with a fresh salt): that is what `for_tests` does,
    so tests never spend a second per derivation.
    """

    floor: KdfLimits
    ceiling: KdfLimits
    target_seconds: float
    fixed: KdfLimits | None = None

    def __post_init__(self) -> None:
        if not _within(KdfParams(**vars(self.floor), salt=bytes(SALT_LENGTH)), _HARD_FLOOR, HARD_CEILING):
            raise ValueError("KdfPolicy.floor is outside what Argon2id and SafeCase allow")
        if not _within(KdfParams(**vars(self.ceiling), salt=bytes(SALT_LENGTH)), self.floor, HARD_CEILING):
            raise ValueError("KdfPolicy.ceiling must lie between the floor and the hard ceiling")
        fixed = self.fixed
        if fixed is not None and not _within(
            KdfParams(**vars(fixed), salt=bytes(SALT_LENGTH)), self.floor, self.ceiling
        ):
            raise ValueError("KdfPolicy.fixed must lie between the floor and the ceiling")

    @classmethod
    def production(cls) -> KdfPolicy:
        """At least 64 MiB and 2 passes; at most 2 GiB, 64 passes, 16 lanes; about one second to unlock."""
        return cls(
            floor=KdfLimits(memory_kib=64 * 1024, iterations=2, lanes=1),
            ceiling=HARD_CEILING,
            target_seconds=1.0,
        )

    @classmethod
    def for_tests(cls) -> KdfPolicy:
        """Tiny fixed parameters (1 MiB, 1 pass, 1 lane), a low ceiling: fast tests, never real vaults."""
        tiny = KdfLimits(memory_kib=1024, iterations=1, lanes=1)
        return cls(
            floor=tiny,
            ceiling=KdfLimits(memory_kib=8 * 1024, iterations=4, lanes=4),
            target_seconds=0.0,
            fixed=tiny,
        )

    def check(self, params: KdfParams) -> None:
        """Raise IntegrityError unless every value is inside [floor, ceiling] and the salt is 16..64 bytes.

        Call this BEFORE deriving with parameters read from a header (or use `derive_kek` on the policy).
        """
        if not _within(params, self.floor, self.ceiling):
            raise IntegrityError(_OUT_OF_RANGE)

    def derive_kek(self, passphrase: str, params: KdfParams) -> bytes:
        """`check` then `derive_kek`: the one call a service needs to unlock with a header's parameters."""
        self.check(params)
        return derive_kek(passphrase, params)

    def calibrate(self, timer: Timer = time_derivation) -> KdfParams:
        """Choose parameters for a new vault: a fresh random salt, and about `target_seconds` on this machine.

        Lanes 4 and 256 MiB (both clamped to the policy). A warm-up run at the floor's memory skips memory
        sizes that are clearly too slow; then, if the floor's iteration count (best of two runs) is still
        slower than the target, memory halves until it fits, never below the floor. Otherwise the iteration
        count comes from time = a + b * iterations, fitted through the floor run and one or two probe runs,
        each chosen to stay near or under the target. A few seconds at most with a 1 s target.
        """
        salt = os.urandom(SALT_LENGTH)
        if self.fixed is not None:
            return KdfParams(**vars(self.fixed), salt=salt)
        target = self.target_seconds
        lanes = _clamp(_CALIBRATION_LANES, self.floor.lanes, self.ceiling.lanes)
        floor_memory = max(self.floor.memory_kib, 8 * lanes)
        memory = _clamp(_CALIBRATION_MEMORY_KIB, floor_memory, self.ceiling.memory_kib)
        low = self.floor.iterations

        def trial(iterations: int) -> float:
            return timer(KdfParams(memory_kib=memory, iterations=iterations, lanes=lanes, salt=salt))

        def trial_low() -> float:
            first = trial(low)
            return first if first > 2 * target else min(first, trial(low))  # noise only ever adds time

        warm_up = timer(KdfParams(memory_kib=floor_memory, iterations=1, lanes=lanes, salt=salt))
        while memory > floor_memory and warm_up * (memory / floor_memory) * low > 2 * target:
            memory = max(floor_memory, memory // 2)
        low_seconds = trial_low()
        while low_seconds > target and memory > floor_memory:
            memory = max(floor_memory, memory // 2)
            low_seconds = trial_low()

        iterations = low
        probe = self._clamp_iterations(max(low + 1, int(low * target / max(low_seconds, 1e-9))))
        for _ in range(_MAX_PROBES):
            if low_seconds >= target or probe <= low:
                break
            iterations, capped = self._closest(low, low_seconds, probe, trial(probe))
            if not capped or iterations <= probe:
                break
            probe = iterations
        log.info("KDF calibrated: %d KiB, %d iterations, %d lanes", memory, iterations, lanes)
        return KdfParams(memory_kib=memory, iterations=iterations, lanes=lanes, salt=salt)

    def _clamp_iterations(self, iterations: int) -> int:
        return _clamp(iterations, self.floor.iterations, self.ceiling.iterations)

    def _closest(self, t1: int, seconds1: float, t2: int, seconds2: float) -> tuple[int, bool]:
        """The iteration count nearest the target on the line through two trials, and whether it was capped.

        A line that noise made implausible (not rising, or a negative fixed cost) is replaced by time
        proportional to iterations through the second point, which underestimates the count. The answer is
        capped at twice that proportional estimate, so noise cannot produce a many-second unlock; a capped
        answer is measured again before it is trusted.
        """
        slope = (seconds2 - seconds1) / (t2 - t1)
        base = seconds1 - slope * t1
        proportional = t2 * self.target_seconds / max(seconds2, 1e-9)
        best = proportional if slope <= 0 or base < 0 else (self.target_seconds - base) / slope
        capped = best > 2 * proportional
        return self._clamp_iterations(round(min(best, 2 * proportional))), capped


def _argon2id(secret: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=params.salt,
        length=KEK_LENGTH,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)


def derive_kek(passphrase: str, params: KdfParams) -> bytes:
    """The 32-byte KEK for `passphrase` (NFC-normalised) under `params`.

    Raises UsageError for an empty passphrase, and IntegrityError for parameters beyond the hard ceiling (the
    policy's narrower range should already have been checked: prefer `KdfPolicy.derive_kek`).
    """
    if not _within(params, _HARD_FLOOR, HARD_CEILING):
        raise IntegrityError(_OUT_OF_RANGE)
    return _argon2id(normalize_passphrase(passphrase), params)
