"""Regenerate the results table in docs/SECURITY.md from the adversarial tests.

    python tools/security_table.py            # full budget: the table we publish (a few minutes)
    python tools/security_table.py --quick    # CI's bounded run: same tests, fewer inputs each
    python tools/security_table.py --quick --output /tmp/SECURITY.md   # leave docs/ untouched
    python tools/security_table.py --quick --figures FILE               # the rows a test run already recorded

CI uses the last form: its one pytest run (the README's test command) records the rows with
``SAFECASE_SECURITY_FIGURES=FILE`` set, and the table is made from them instead of running the tests twice.

Runs ``pytest tests/adversarial tests/crash`` with ``SAFECASE_SECURITY_FIGURES`` pointing at a scratch file (each
test appends its rows: tests/adversarial/figures.py), then writes the rows between the markers in SECURITY.md.
Exits 1 if a test failed, if any row has a leak, a loss, an accepted tampering or a crash, or if no row was
recorded for a group the table promises.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.adversarial.figures import BUDGET_ENV, FIGURES_ENV, GROUPS, SecurityFigure  # noqa: E402

SECURITY_MD = ROOT / "docs" / "SECURITY.md"
BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"
TEST_PATHS = ("tests/adversarial", "tests/crash")
GROUP_TITLES = {
    "leak": "Leak sweep",
    "crash": "Crash injection",
    "fuzz": "Fuzzing",
    "tamper": "Tamper sweep",
    "lock": "Lock hardening",
}


def run_tests(figures_file: Path, quick: bool) -> int:
    env = dict(os.environ, **{FIGURES_ENV: str(figures_file), BUDGET_ENV: "quick" if quick else "full"})
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TEST_PATHS]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603 - our own interpreter


def read_figures(figures_file: Path) -> list[SecurityFigure]:
    if not figures_file.exists():
        return []
    lines = figures_file.read_text(encoding="utf-8").splitlines()
    return [SecurityFigure(**json.loads(line)) for line in lines if line.strip()]


def table(figures: Iterable[SecurityFigure], quick: bool) -> str:
    rows = [
        "| Group | Test | Inputs tried | Promise held | Leaks | Losses | Tamperings accepted | Crashes | Note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ordered = sorted(figures, key=lambda f: (GROUPS.index(f.group), f.row))
    for f in ordered:
        rows.append(
            f"| {GROUP_TITLES[f.group]} | {f.row} | {f.tried:,} {f.unit} | {f.held:,} | {f.leaks} | {f.lost} | "
            f"{f.accepted} | {f.crashes} | {f.note} |"
        )
    budget = "quick (CI)" if quick else "full"
    return "\n".join([f"Budget: {budget}. Regenerate with `python tools/security_table.py`.", "", *rows])


def write_table(target: Path, text: str) -> None:
    document = target.read_text(encoding="utf-8") if target.exists() else SECURITY_MD.read_text(encoding="utf-8")
    head, _, rest = document.partition(BEGIN)
    _, found, tail = rest.partition(END)
    if not found:
        raise SystemExit(f"{SECURITY_MD} has no {BEGIN} … {END} markers to write the table between.")
    target.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def problems(figures: list[SecurityFigure], exit_code: int) -> list[str]:
    found = [f"pytest failed (exit {exit_code})"] if exit_code else []
    found += [f"{f.group}: {f.row}: not clean" for f in figures if not f.clean]
    found += [f"no figures for {group}" for group in GROUPS if not any(f.group == group for f in figures)]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="CI's budget: fewer inputs per test")
    parser.add_argument("--output", type=Path, default=SECURITY_MD, help="where to write (default docs/SECURITY.md)")
    parser.add_argument("--figures", type=Path, help="make the table from rows a test run recorded in FILE")
    args = parser.parse_args(argv)
    if args.figures is not None:
        if not args.figures.is_file():
            print(f"security table: no figures file {args.figures}: run the tests with {FIGURES_ENV} set to it")
            return 2
        exit_code, figures = 0, read_figures(args.figures)
    else:
        with tempfile.TemporaryDirectory(prefix="safecase-figures-") as scratch:
            figures_file = Path(scratch) / "figures.jsonl"
            exit_code = run_tests(figures_file, args.quick)
            figures = read_figures(figures_file)
    write_table(args.output, table(figures, args.quick))
    found = problems(figures, exit_code)
    for problem in found:
        print(f"security table: {problem}", file=sys.stderr)
    print(f"security table: {len(figures)} rows written to {args.output}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
