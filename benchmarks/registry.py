"""Every benchmark the runner knows, in the order it runs them. A new benchmark is a module with a
``run(ctx) -> Iterator[Figure]`` function and a line here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from benchmarks import attachments, exchange, large_vault, report, search_latency, ui_list, unlock, vault_write
from benchmarks.figures import Context, Figure


@dataclass(frozen=True)
class Benchmark:
    name: str
    run: Callable[[Context], Iterable[Figure]]
    summary: str


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(unlock.NAME, unlock.run, "VaultService.unlock minus its Argon2id time"),
    Benchmark(vault_write.NAME, vault_write.run, "RecordService.write_batch throughput, encrypted vs plain"),
    Benchmark(search_latency.NAME, search_latency.run, "SearchService.search latency on a large corpus"),
    Benchmark(large_vault.NAME, large_vault.run, "writes and person adds in the large corpus vault"),
    Benchmark(ui_list.NAME, ui_list.run, "record list: first paint after unlock and GUI stalls while scrolling"),
    Benchmark(attachments.NAME, attachments.run, "evidence intake and export vs sha256 and age; peak memory"),
    Benchmark(exchange.NAME, exchange.run, "bundle export and import of testimonies and evidence vs sha256; memory"),
    Benchmark(report.NAME, report.run, "a signed report over 500 testimonies vs bare QTextDocument rendering"),
)


def by_name(names: Iterable[str]) -> list[Benchmark]:
    known = {benchmark.name: benchmark for benchmark in BENCHMARKS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise KeyError(", ".join(unknown))
    return [known[name] for name in names]
