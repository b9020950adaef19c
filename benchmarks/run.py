"""Run the SafeCase benchmarks: one JSON line per figure on stdout, progress on stderr.

python benchmarks/run.py            # full run (100,000 testimonies; 5-7 minutes on 2 cores)
python benchmarks/run.py --quick    # CI smoke run (small sizes, 15-25 s)
python benchmarks/run.py --only search_latency --only unlock
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` and `safecase` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.figures import Context, log
from benchmarks.registry import BENCHMARKS, by_name


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="SafeCase benchmarks (JSON lines on stdout).")
    parser.add_argument("--quick", action="store_true", help="small sizes for a CI smoke run")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        choices=[benchmark.name for benchmark in BENCHMARKS],
        help="run only this benchmark",
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the fictional corpus")
    parser.add_argument("--fail-on-miss", action="store_true", help="exit 1 if a figure misses its target")
    parser.add_argument("--tmp", type=Path, default=None, help="parent folder for the run's scratch folder")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    selected = by_name(args.only) if args.only else list(BENCHMARKS)
    missed: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="safecase-bench-", dir=args.tmp) as scratch:
        ctx = Context(quick=args.quick, workdir=Path(scratch), seed=args.seed)
        for benchmark in selected:
            log(f"{benchmark.name}: {benchmark.summary}")
            clock = time.perf_counter()
            for figure in benchmark.run(ctx):
                print(figure.to_json(), flush=True)
                if figure.ok is False:
                    missed.append(figure.name)
            log(f"{benchmark.name}: done in {time.perf_counter() - clock:.1f} s")
    log(f"all done in {time.perf_counter() - started:.1f} s" + (f"; missed: {', '.join(missed)}" if missed else ""))
    return 1 if missed and args.fail_on_miss else 0


if __name__ == "__main__":
    sys.exit(main())
