"""Figure 3: what ``VaultService.unlock`` costs beyond the passphrase KDF (Argon2id) it has to run.

The full run creates the vault with the production KDF policy (calibrated to about a second on this machine);
``--quick`` fixes the parameters at the production floor (64 MiB, 2 passes, 1 lane) so it stays fast. Each
unlock's own ``derive_kek`` call is timed from inside (the service's reference to it is patched for the
benchmark), so the figure subtracts exactly the KDF time of that unlock. The baseline is a standalone
``derive_kek`` with the same parameters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from unittest import mock

import safecase.services.vault as vault_module
from benchmarks.corpus import CorpusGenerator
from benchmarks.figures import Context, Figure, Target, log, median, ms
from benchmarks.vault_write import write_stories
from benchmarks.vaults import PASSPHRASE
from safecase.crypto.kdf import KdfParams, KdfPolicy, derive_kek
from safecase.domain.clock import SystemClock
from safecase.services.records import RecordService
from safecase.services.vault import VaultService
from safecase.storage.vault_folder import VaultFolder

NAME = "unlock"
TARGET = Target("<=", 150, "ms")
FILL_STORIES = 500  # a vault with some records in it, not an empty one


def benchmark_policy(quick: bool) -> KdfPolicy:
    production = KdfPolicy.production()
    if not quick:
        return production
    return KdfPolicy(production.floor, production.ceiling, production.target_seconds, fixed=production.floor)


class _TimedKdf:
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


def run(ctx: Context) -> Iterator[Figure]:
    policy = benchmark_policy(ctx.quick)
    service = VaultService(policy, SystemClock())
    root = ctx.scratch("unlock") / "vault"
    started = time.perf_counter()
    service.create(root, PASSPHRASE, "Benchmark", "Benchmark")
    log(f"{NAME}: vault created in {time.perf_counter() - started:.1f} s (KDF calibration included)")
    params = service.read_header(VaultFolder(root)).kdf
    with service.unlock(root, PASSPHRASE) as session:
        generator = CorpusGenerator(ctx.seed + 7)
        write_stories(RecordService(session), list(generator.stories(FILL_STORIES)))
    runs = ctx.scale(3, 7)
    totals: list[float] = []
    in_unlock: list[float] = []
    standalone: list[float] = []
    timed = _TimedKdf(derive_kek)
    with mock.patch.object(vault_module, "derive_kek", timed):
        for number in range(runs + 1):  # the first unlock warms up and is not counted
            started = time.perf_counter()
            session = service.unlock(root, PASSPHRASE)
            total = time.perf_counter() - started
            session.close()
            clock = time.perf_counter()
            derive_kek(PASSPHRASE, params)
            alone = time.perf_counter() - clock
            if number:
                totals.append(total)
                in_unlock.append(timed.calls[-1])
                standalone.append(alone)
    overheads = [total - kdf for total, kdf in zip(totals, in_unlock, strict=True)]
    log(f"{NAME}: unlock {ms(median(totals)):.0f} ms, of which KDF {ms(median(in_unlock)):.0f} ms")
    yield Figure(
        "unlock_minus_kdf",
        ms(median(overheads)),
        "ms",
        ms(median(standalone)),
        TARGET,
        params={
            "runs": runs,
            "kdf_policy": "production (calibrated)" if not ctx.quick else "production floor (fixed)",
            "kdf_memory_kib": params.memory_kib,
            "kdf_iterations": params.iterations,
            "kdf_lanes": params.lanes,
            "unlock_total_ms": round(ms(median(totals)), 1),
            "kdf_inside_unlock_ms": round(ms(median(in_unlock)), 1),
            "records_in_vault": 2 * FILL_STORIES,
        },
    )
