"""Argon2id parameters: the policy box, the check before deriving, and calibration."""

from __future__ import annotations

import time
import unicodedata
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safecase.crypto import kdf
from safecase.crypto.kdf import HARD_CEILING, KdfLimits, KdfParams, KdfPolicy, derive_kek
from safecase.errors import IntegrityError, UsageError

SALT = bytes(range(16))
TINY = KdfParams(memory_kib=1024, iterations=1, lanes=1, salt=SALT)


def test_for_tests_policy_returns_tiny_params_with_a_fresh_salt() -> None:
    policy = KdfPolicy.for_tests()
    first, second = policy.calibrate(), policy.calibrate()
    assert (first.memory_kib, first.iterations, first.lanes) == (1024, 1, 1)
    assert len(first.salt) == 16
    assert first.salt != second.salt


def test_derive_kek_is_deterministic_and_32_bytes() -> None:
    kek = derive_kek("fictional passphrase", TINY)
    assert len(kek) == 32
    assert derive_kek("fictional passphrase", TINY) == kek
    assert derive_kek("fictional passphrase!", TINY) != kek
    assert derive_kek("fictional passphrase", replace(TINY, salt=bytes(16))) != kek


def test_derive_kek_normalises_korean_passphrases() -> None:
    text = "한국어 비밀번호 예시"
    nfd = unicodedata.normalize("NFD", text)
    assert derive_kek(text, TINY) == derive_kek(nfd, TINY)


def test_derive_kek_rejects_an_empty_passphrase() -> None:
    with pytest.raises(UsageError):
        derive_kek("", TINY)


def test_kdf_params_repr_hides_nothing_secret_but_omits_the_salt() -> None:
    assert "salt" not in repr(TINY)


OUT_OF_RANGE = [
    pytest.param(replace(TINY, memory_kib=512), id="memory below floor"),
    pytest.param(replace(TINY, memory_kib=8 * 1024 + 1), id="memory above ceiling"),
    pytest.param(replace(TINY, iterations=5), id="iterations above ceiling"),
    pytest.param(replace(TINY, lanes=5), id="lanes above ceiling"),
    pytest.param(replace(TINY, salt=bytes(15)), id="salt too short"),
    pytest.param(replace(TINY, salt=bytes(65)), id="salt too long"),
]


@pytest.mark.parametrize("params", OUT_OF_RANGE)
def test_policy_check_rejects_out_of_range_params(params: KdfParams) -> None:
    with pytest.raises(IntegrityError, match="outside the safe range"):
        KdfPolicy.for_tests().check(params)


def test_policy_check_accepts_the_bounds() -> None:
    policy = KdfPolicy.for_tests()
    policy.check(TINY)
    policy.check(KdfParams(memory_kib=8 * 1024, iterations=4, lanes=4, salt=bytes(64)))


def test_production_policy_rejects_cheap_and_huge_params() -> None:
    policy = KdfPolicy.production()
    with pytest.raises(IntegrityError):
        policy.check(TINY)  # far below the 64 MiB floor: a downgraded header
    with pytest.raises(IntegrityError):
        policy.check(KdfParams(memory_kib=4 * 1024 * 1024, iterations=2, lanes=4, salt=SALT))
    with pytest.raises(IntegrityError):
        policy.check(KdfParams(memory_kib=256 * 1024, iterations=10_000, lanes=4, salt=SALT))
    policy.check(KdfParams(memory_kib=256 * 1024, iterations=6, lanes=4, salt=SALT))


def test_policy_checks_before_deriving(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_run(secret: bytes, params: KdfParams) -> bytes:
        raise AssertionError("Argon2id ran with parameters that should have been refused")

    monkeypatch.setattr(kdf, "_argon2id", must_not_run)
    huge = KdfParams(memory_kib=2**31, iterations=2**31, lanes=255, salt=SALT)
    with pytest.raises(IntegrityError):
        KdfPolicy.for_tests().derive_kek("fictional passphrase", huge)
    # Even the bare function refuses what no policy may allow, in case a caller forgot the policy.
    with pytest.raises(IntegrityError):
        derive_kek("fictional passphrase", huge)


@pytest.mark.parametrize(
    ("floor", "ceiling"),
    [
        (KdfLimits(4, 1, 1), KdfLimits(1024, 1, 1)),  # memory below Argon2's minimum
        (KdfLimits(1024, 2, 1), KdfLimits(1024, 1, 1)),  # ceiling below floor
        (KdfLimits(1024, 1, 1), KdfLimits(HARD_CEILING.memory_kib * 2, 1, 1)),  # beyond the hard ceiling
    ],
)
def test_a_policy_must_be_coherent(floor: KdfLimits, ceiling: KdfLimits) -> None:
    with pytest.raises(ValueError):
        KdfPolicy(floor=floor, ceiling=ceiling, target_seconds=1.0)


def linear_timer(base: float, per_iteration_per_gib: float, calls: list[KdfParams]) -> kdf.Timer:
    """A fake machine: time = base + per_iteration * iterations * memory (no Argon2 run)."""

    def timer(params: KdfParams) -> float:
        calls.append(params)
        return base + per_iteration_per_gib * params.iterations * params.memory_kib / (1024 * 1024)

    return timer


def predicted(params: KdfParams, base: float, per_iteration_per_gib: float) -> float:
    return base + per_iteration_per_gib * params.iterations * params.memory_kib / (1024 * 1024)


def test_calibration_picks_the_iteration_count_closest_to_the_target() -> None:
    calls: list[KdfParams] = []
    # 256 MiB: 0.1 s fixed + 0.125 s per pass -> 7 passes = 0.975 s, the closest to 1 s.
    params = KdfPolicy.production().calibrate(linear_timer(0.1, 0.5, calls))
    assert (params.memory_kib, params.lanes, params.iterations) == (256 * 1024, 4, 7)
    assert len(params.salt) == 16
    assert len(calls) <= 5
    assert sum(predicted(call, 0.1, 0.5) for call in calls) < 3.0


def test_calibration_on_a_slow_machine_steps_memory_down_but_not_below_the_floor() -> None:
    calls: list[KdfParams] = []
    params = KdfPolicy.production().calibrate(linear_timer(0.2, 20.0, calls))  # 256 MiB x 2 passes = 10 s
    assert params.memory_kib == 64 * 1024
    assert params.iterations == 2
    assert min(call.memory_kib for call in calls) >= 64 * 1024


def test_calibration_steps_memory_down_until_the_floor_passes_fit() -> None:
    # 256 MiB x 2 passes = 1.5 s; 128 MiB x 2 = 0.75 s: settles on 128 MiB.
    params = KdfPolicy.production().calibrate(linear_timer(0.0, 3.0, []))
    assert params.memory_kib == 128 * 1024
    assert params.iterations == 3  # 1.125 s: closer to 1 s than 2 passes (0.75 s)


def test_calibration_survives_a_noisy_timer() -> None:
    noise = iter([0.01, 0.5, 0.5, 0.49, 0.5, 0.5, 0.5])  # no slope at all: a burst of noise

    def timer(params: KdfParams) -> float:
        return next(noise)

    params = KdfPolicy.production().calibrate(timer)
    assert params.iterations <= 8  # a proportional estimate, never the 64-pass ceiling


def test_calibration_of_a_very_slow_machine_skips_memory_sizes_that_cannot_fit() -> None:
    calls: list[KdfParams] = []
    KdfPolicy.production().calibrate(linear_timer(0.0, 14.0, calls))  # 256 MiB x 2 passes = 7 s
    assert all(call.memory_kib == 64 * 1024 for call in calls)  # never tried the hopeless 256 or 128 MiB


@given(
    base=st.floats(min_value=0.0, max_value=0.5),
    per_gib=st.floats(min_value=0.01, max_value=50.0),
)
def test_calibration_stays_in_policy_and_near_the_target(base: float, per_gib: float) -> None:
    policy = KdfPolicy.production()
    calls: list[KdfParams] = []
    params = policy.calibrate(linear_timer(base, per_gib, calls))
    policy.check(params)
    assert len(calls) <= 8
    floor_run = predicted(replace(params, memory_kib=64 * 1024, iterations=2), base, per_gib)
    # A few seconds, or a few floor-sized runs on a machine too slow for even those to fit the target.
    assert sum(predicted(call, base, per_gib) for call in calls) <= max(8.0, 8 * floor_run)
    seconds = predicted(params, base, per_gib)
    one_pass = per_gib * params.memory_kib / (1024 * 1024)
    if params.iterations not in (policy.floor.iterations, policy.ceiling.iterations):
        assert abs(seconds - policy.target_seconds) <= max(one_pass / 2, 0.25 * policy.target_seconds) + 1e-9
    fits = predicted(replace(params, iterations=2), base, per_gib) < policy.target_seconds
    if fits and one_pass >= 0.05 and base <= 2 * one_pass and params.iterations < policy.ceiling.iterations:
        # A machine that behaves like real ones (fixed cost about one pass): the closest count exactly.
        assert abs(seconds - policy.target_seconds) <= one_pass / 2 + 1e-9


@pytest.mark.slow
def test_real_calibration_takes_a_few_seconds_and_lands_near_one_second() -> None:
    policy = KdfPolicy.production()
    started = time.perf_counter()
    params = policy.calibrate()
    calibration_seconds = time.perf_counter() - started
    policy.check(params)
    started = time.perf_counter()
    derive_kek("fictional passphrase", params)
    unlock_seconds = time.perf_counter() - started
    assert calibration_seconds < 6.0
    assert 0.3 < unlock_seconds < 3.0  # generous: shared CI machines are noisy
