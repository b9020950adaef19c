"""The record list on a huge vault, as a user meets it: how long after unlocking the first screen of real rows is
painted, and how long the GUI thread stalls at worst while the list is scrolled through.

A shown ``RecordListPane`` (1200x800, Qt's offscreen platform) over its own ``DatabaseExecutor`` gets the unlock
operation the unlock window submits; on success it loads, as the main window's panes do. The first-paint time
ends when the table's viewport has painted a screen whose every row is real (no placeholder), and the KDF time
of that unlock (its own ``derive_kek`` call, timed from inside) is subtracted. The scroll test drags the scroll
bar top to bottom and back in steps, then presses PageDown/PageUp/Ctrl+End/Ctrl+Home, while a 5 ms timer
measures how late each of its ticks comes: a late tick is a stall of the GUI thread. Every figure is also
measured on a 1,000-record vault in the same run (the baseline), so the ratio shows how the list scales.

The vaults hold generated people only (pseudonym, Hangul and romanized names, sex, birth year, status).
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is loaded: no display is needed, nothing is shown

import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from unittest import mock

from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import safecase.services.vault as vault_module
from benchmarks.corpus import GIVEN, STATUSES, SURNAMES
from benchmarks.figures import Context, Figure, Target, alternating, log, median, ms, percentile
from benchmarks.unlock import benchmark_policy
from benchmarks.vaults import PASSPHRASE
from safecase.crypto.kdf import KdfParams, derive_kek
from safecase.domain.clock import SystemClock
from safecase.domain.kinds import Kind
from safecase.services.records import RecordService
from safecase.services.vault import VaultService
from safecase.services.workspace import Workspace
from safecase.storage.vault_folder import VaultFolder
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.list_pane import RecordListPane
from safecase.ui.record_table_model import MAX_CACHED_PAGES, PAGE_SIZE

NAME = "ui_list"
FIRST_PAINT_TARGET = Target("<=", 500, "ms")
STALL_TARGET = Target("<=", 50, "ms")
BASELINE_RECORDS = 1_000
BATCH = 10_000  # records per write_batch transaction while building a vault
WINDOW = (1200, 800)
TICK_MS = 5  # the stall meter's timer
STEP_MS = 20  # one scroll step every 20 ms: a quick drag of the scroll bar
KEY_PRESSES = 20  # PageDown (then PageUp) presses in the scroll test
TIMEOUT_S = 120.0
SEED_OFFSET = 60


def run(ctx: Context) -> Iterator[Figure]:
    qInstallMessageHandler(_quiet_qt_messages)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    records = ctx.scale(20_000, 1_000_000)
    policy = benchmark_policy(quick=True)  # the production floor: the figure subtracts the KDF anyway
    vaults = VaultService(policy, SystemClock())
    folder = ctx.scratch("ui-list")
    roots = {"large": folder / "large", "baseline": folder / "baseline"}
    for label, count in (("baseline", BASELINE_RECORDS), ("large", records)):
        started = time.perf_counter()
        build_person_vault(vaults, roots[label], count, ctx.seed + SEED_OFFSET)
        log(f"{NAME}: {count:,} people written in {time.perf_counter() - started:.1f} s")
    kdf = vaults.read_header(VaultFolder(roots["large"])).kdf
    rounds = ctx.scale(2, 3)
    steps = ctx.scale(40, 200)
    results: dict[str, list[OpenedList]] = {label: [] for label in roots}
    scrolls: dict[str, ScrollResult] = {}
    timed = TimedKdf(derive_kek)
    with mock.patch.object(vault_module, "derive_kek", timed):
        for number, large_first in alternating(rounds + 1):  # round 0 warms up (file cache, imports)
            for label in ("large", "baseline") if large_first else ("baseline", "large"):
                scroll_steps = steps if number == rounds else None  # the scroll test once, in the last round
                opened, scrolled = open_list(app, vaults, roots[label], timed, scroll_steps)
                if number:
                    results[label].append(opened)
                if scrolled is not None:
                    scrolls[label] = scrolled
            if number:
                log(
                    f"{NAME}: round {number}/{rounds}: first paint beyond KDF "
                    f"{ms(results['large'][-1].beyond_kdf_s):.0f} ms ({records:,} rows), "
                    f"{ms(results['baseline'][-1].beyond_kdf_s):.0f} ms ({BASELINE_RECORDS:,} rows)"
                )
    yield _first_paint_figure(results, records, rounds, kdf)
    yield from _scroll_figures(scrolls, records, steps)


def _quiet_qt_messages(_type: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's warnings go to stderr, except the offscreen platform's note on every window shown."""
    if "propagateSizeHints" not in message:
        print(f"[qt] {message}", file=sys.stderr, flush=True)


# -- the vault ------------------------------------------------------------------------------------------------------


def build_person_vault(vaults: VaultService, root: Path, people: int, seed: int) -> None:
    """A vault of ``people`` generated people with small, realistic bodies, written in 10,000-record batches."""
    vaults.create(root, PASSPHRASE, "Benchmark", "Benchmark")
    rng = random.Random(seed)
    surnames = [surname[:2] for surname in SURNAMES]
    weights = [surname[3] for surname in SURNAMES]
    with vaults.unlock(root, PASSPHRASE) as session:
        service = RecordService(session)
        for start in range(0, people, BATCH):
            writes = []
            for number in range(start, min(people, start + BATCH)):
                (hangul, romanized), first, second = rng.choices(surnames, weights)[0], *rng.sample(GIVEN, 2)
                body = {
                    "pseudonym": f"U-{number:07d}",
                    "names": {
                        "hangul": hangul + first[0] + second[0],
                        "romanized": f"{romanized} {first[1].capitalize()}-{second[1]}",
                    },
                    "sex": rng.choice(("female", "female", "male")),
                    "birth_year": rng.randint(1950, 2008),
                    "status": rng.choice(STATUSES),
                }
                writes.append(service.prepare_new(Kind.PERSON, body))
            service.write_batch(writes)


class TimedKdf:
    """Stands in for ``derive_kek`` inside the vault service and remembers how long each call took."""

    def __init__(self, derive: Callable[[str, KdfParams], bytes]) -> None:
        self._derive = derive
        self.calls: list[float] = []

    def __call__(self, passphrase: str, params: KdfParams) -> bytes:
        started = time.perf_counter()
        try:
            return self._derive(passphrase, params)
        finally:
            self.calls.append(time.perf_counter() - started)


# -- measuring instruments ------------------------------------------------------------------------------------------


class StallMeter(QObject):
    """A 5 ms timer on the GUI thread; each tick that comes late says the thread was busy that much longer."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self, interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_tick)
        self._last = 0.0
        self.stalls: list[float] = []

    def start(self) -> None:
        self.stalls.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._on_timer_tick()  # a stall still going on when the measurement ends counts too

    def _on_timer_tick(self) -> None:
        now = time.perf_counter()
        self.stalls.append(max(0.0, now - self._last - TICK_MS / 1000))
        self._last = now


class FirstRealPaint(QObject):
    """Watches a table's viewport for the first paint of a screen of real rows, and notes when it has finished."""

    def __init__(self, pane: RecordListPane) -> None:
        super().__init__()
        self._pane = pane
        self.painted_at: float | None = None
        pane.table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.painted_at is not None or event.type() != QEvent.Type.Paint or not self._screen_is_real():
            return False
        watched.removeEventFilter(self)
        QApplication.sendEvent(watched, event)  # paint now, so that the time includes the painting itself
        self.painted_at = time.perf_counter()
        return True

    def _screen_is_real(self) -> bool:
        return screen_is_real(self._pane)


def screen_is_real(pane: RecordListPane) -> bool:
    """Whether every row the table shows is cached (no placeholder on screen)."""
    model, table = pane.model, pane.table
    if model.rowCount() == 0:
        return False
    top = max(0, table.rowAt(0))
    bottom = table.rowAt(table.viewport().height() - 1)
    bottom = model.rowCount() - 1 if bottom < 0 else bottom
    return all(model.record_id(row) is not None for row in range(top, bottom + 1))


def run_until(done: Callable[[], bool], timeout_s: float = TIMEOUT_S) -> None:
    """Run the event loop until ``done()`` (polled every 5 ms); raise if it takes longer than ``timeout_s``."""
    deadline = time.perf_counter() + timeout_s
    loop = QEventLoop()
    poll = QTimer(interval=TICK_MS)

    def check() -> None:
        if done() or time.perf_counter() > deadline:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    if not done():
        loop.exec()
    poll.stop()
    if not done():
        raise TimeoutError(f"{NAME}: gave up after {timeout_s:.0f} s")


# -- one unlock, one list -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedList:
    total_s: float  # unlock submitted -> first screen of real rows painted
    kdf_s: float  # the unlock's own derive_kek call
    all_keys_s: float  # unlock submitted -> every key of the list arrived
    worst_load_stall_s: float  # the GUI thread's longest stall from unlock to every key loaded

    @property
    def beyond_kdf_s(self) -> float:
        return self.total_s - self.kdf_s


@dataclass
class ScrollResult:
    stalls: list[float]
    max_cached_rows: int
    scroll_steps: int
    key_presses: int
    rows: int
    steps_with_placeholders: int = 0
    settle_s: float = 0.0


def open_list(
    app: QApplication, vaults: VaultService, root: Path, timed: TimedKdf, scroll_steps: int | None
) -> tuple[OpenedList, ScrollResult | None]:
    """Unlock ``root`` on a fresh executor into a shown, empty list pane, and time its first real paint."""
    executor = DatabaseExecutor()
    pane = RecordListPane(executor, Kind.PERSON, "en")
    pane.resize(*WINDOW)
    pane.show()
    QTest.qWaitForWindowExposed(pane)
    app.processEvents()
    probe = FirstRealPaint(pane)
    meter = StallMeter()
    kdf_calls = len(timed.calls)
    unlocked: list[bool] = []

    def unlock(context: TaskContext) -> None:
        context.set_workspace(Workspace(vaults.unlock(root, PASSPHRASE)))

    def on_unlocked(_result: None) -> None:
        unlocked.append(True)
        pane.load()

    try:
        meter.start()
        started = time.perf_counter()
        executor.submit(unlock, on_success=on_unlocked)
        run_until(lambda: probe.painted_at is not None)
        run_until(lambda: bool(unlocked) and not pane.model.is_loading)
        all_keys = time.perf_counter() - started
        meter.stop()
        assert probe.painted_at is not None
        opened = OpenedList(
            probe.painted_at - started, sum(timed.calls[kdf_calls:]), all_keys, max(meter.stalls, default=0.0)
        )
        scrolled = None if scroll_steps is None else scroll_through(pane, meter, scroll_steps)
    finally:
        executor.shutdown()
        pane.close()
        pane.deleteLater()
        app.processEvents()
    return opened, scrolled


# -- scrolling ------------------------------------------------------------------------------------------------------


def scroll_through(pane: RecordListPane, meter: StallMeter, steps: int) -> ScrollResult:
    """Drag the scroll bar top -> bottom -> top in ``steps`` steps each way, then page through with the keys."""
    table, model = pane.table, pane.model
    bar = table.verticalScrollBar()
    top, bottom = bar.minimum(), bar.maximum()
    actions: list[Callable[[], None]] = []
    for step in [*range(1, steps + 1), *range(steps - 1, -1, -1)]:
        value = top + round((bottom - top) * step / steps)
        actions.append(partial(bar.setValue, value))
    table.setFocus()
    for key, modifier, times in (
        (Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier, KEY_PRESSES),
        (Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier, 1),
        (Qt.Key.Key_PageUp, Qt.KeyboardModifier.NoModifier, KEY_PRESSES),
        (Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier, 1),
    ):
        actions.extend([partial(QTest.keyClick, table, key, modifier)] * times)
    result = ScrollResult([], model.cached_row_count(), steps * 2, KEY_PRESSES * 2 + 2, model.rowCount())
    pending = iter(actions)
    finished: list[bool] = []

    def next_step() -> None:
        if not screen_is_real(pane):  # the previous step's rows had not arrived a step later
            result.steps_with_placeholders += 1
        result.max_cached_rows = max(result.max_cached_rows, model.cached_row_count())
        action = next(pending, None)
        if action is None:
            driver.stop()
            finished.append(True)
        else:
            action()

    driver = QTimer(interval=STEP_MS, timerType=Qt.TimerType.PreciseTimer)
    driver.timeout.connect(next_step)
    meter.start()
    driver.start()
    run_until(lambda: bool(finished))
    settle_started = time.perf_counter()
    run_until(lambda: screen_is_real(pane), timeout_s=30.0)
    result.settle_s = time.perf_counter() - settle_started
    meter.stop()
    result.stalls = list(meter.stalls)
    result.max_cached_rows = max(result.max_cached_rows, model.cached_row_count())
    return result


# -- figures --------------------------------------------------------------------------------------------------------


def _first_paint_figure(results: dict[str, list[OpenedList]], records: int, rounds: int, kdf: KdfParams) -> Figure:
    large, baseline = results["large"], results["baseline"]
    return Figure(
        "ui_first_paint_after_unlock_ms",
        ms(median([opened.beyond_kdf_s for opened in large])),
        "ms",
        ms(median([opened.beyond_kdf_s for opened in baseline])),
        FIRST_PAINT_TARGET,
        params={
            "records_in_vault": records,
            "baseline_records": BASELINE_RECORDS,
            "rounds": rounds,
            "window": f"{WINDOW[0]}x{WINDOW[1]}",
            "platform": "offscreen",
            "unlock_to_paint_ms": round(ms(median([opened.total_s for opened in large])), 1),
            "kdf_inside_unlock_ms": round(ms(median([opened.kdf_s for opened in large])), 1),
            "kdf_memory_kib": kdf.memory_kib,
            "kdf_iterations": kdf.iterations,
            "unlock_to_all_keys_ms": round(ms(median([opened.all_keys_s for opened in large])), 1),
            "worst_gui_stall_while_loading_ms": round(ms(max(opened.worst_load_stall_s for opened in large)), 1),
            "baseline_worst_gui_stall_while_loading_ms": round(
                ms(max(opened.worst_load_stall_s for opened in baseline)), 1
            ),
        },
    )


def _scroll_figures(scrolls: dict[str, ScrollResult], records: int, steps: int) -> Iterator[Figure]:
    large, baseline = scrolls["large"], scrolls["baseline"]
    bound = MAX_CACHED_PAGES * PAGE_SIZE
    params = {
        "records_in_vault": records,
        "baseline_records": BASELINE_RECORDS,
        "drag_steps_each_way": steps,
        "step_interval_ms": STEP_MS,
        "key_presses": large.key_presses,
        "timer_interval_ms": TICK_MS,
        "ticks": len(large.stalls),
        "steps_showing_placeholders": large.steps_with_placeholders,
        "settle_after_last_step_ms": round(ms(large.settle_s), 1),
        "max_cached_rows": large.max_cached_rows,
        "cached_rows_bound": bound,
        "cached_rows_bounded": large.max_cached_rows <= bound,
    }
    yield Figure(
        "ui_scroll_worst_stall_ms",
        ms(max(large.stalls)),
        "ms",
        ms(max(baseline.stalls)),
        STALL_TARGET,
        params=params,
    )
    yield Figure(
        "ui_scroll_stall_p99_ms",
        ms(percentile(large.stalls, 99)),
        "ms",
        ms(percentile(baseline.stalls, 99)),
        params={"records_in_vault": records, "baseline_records": BASELINE_RECORDS, "ticks": len(large.stalls)},
    )
