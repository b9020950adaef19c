from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safecase.domain.clock import FakeClock
from safecase.domain.hlc import HybridLogicalClock, Revision

DEVICE = "0123456789abcdef"


def test_revisions_increase_even_when_the_clock_stands_still_or_goes_back() -> None:
    clock = FakeClock()
    hlc = HybridLogicalClock(clock, DEVICE)
    first, second = hlc.tick(), hlc.tick()
    clock.advance(-5_000)
    third = hlc.tick()
    assert str(first) < str(second) < str(third)


def test_observing_a_later_revision_moves_past_it() -> None:
    hlc = HybridLogicalClock(FakeClock(1000), DEVICE)
    remote = Revision(9_000_000, 3, "fedcba9876543210")
    hlc.observe(remote)
    assert str(hlc.tick()) > str(remote)


def test_restarting_from_the_last_revision_keeps_order() -> None:
    clock = FakeClock(5000)
    last = HybridLogicalClock(clock, DEVICE).tick()
    clock.advance(-1000)
    assert str(HybridLogicalClock(clock, DEVICE, last).tick()) > str(last)


@given(st.lists(st.tuples(st.integers(0, 10**15), st.integers(0, 9999)), min_size=2, max_size=50))
def test_string_order_equals_tuple_order(pairs: list[tuple[int, int]]) -> None:
    revisions = [Revision(wall, counter, DEVICE) for wall, counter in pairs]
    assert sorted(revisions) == sorted(revisions, key=str)
    assert all(Revision.parse(str(r)) == r for r in revisions)
