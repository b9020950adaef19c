"""Write SafeCase's software bill of materials (CycloneDX 1.5 JSON) from the lock files.

    python packaging/sbom.py -o safecase.cdx.json                 # the runtime packages (requirements/lock.txt)
    python packaging/sbom.py --packaged -o safecase.cdx.json      # plus the interpreter and PyInstaller's bootloader

Set SOURCE_DATE_EPOCH for a timestamp; the same inputs always give the same bytes. packaging/build.py calls this.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# packaging/ is on the path from here on (this script runs from a checkout).
from safecase_release import sbom
from safecase_release.locks import LockFileError, pins_for_here, read_lock

ROOT = Path(__file__).resolve().parents[1]


def write_sbom(
    output: Path, *, lock: Path, build_lock: Path | None, python_version: str | None, epoch: int | None
) -> None:
    runtime = pins_for_here(read_lock(lock))  # what this system's build contains
    bundled = []
    if build_lock is not None:
        build = read_lock(build_lock)
        if "pyinstaller" not in build:
            raise LockFileError(f"{build_lock.name}: no pyinstaller pin")
        bundled.append(build["pyinstaller"])
    bom = sbom.build_sbom(
        sbom.read_project(ROOT / "pyproject.toml"),
        runtime,
        bundled=bundled,
        python_version=python_version,
        source_date_epoch=epoch,
    )
    output.write_text(sbom.render(bom), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements" / "lock.txt", metavar="FILE")
    parser.add_argument(
        "--packaged",
        action="store_true",
        help="describe a packaged build: add this Python and PyInstaller (from requirements/lock-build.txt)",
    )
    args = parser.parse_args(argv)
    try:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch and not epoch.isdigit():
            raise ValueError("SOURCE_DATE_EPOCH must be a whole number of seconds")
        write_sbom(
            args.output,
            lock=args.lock,
            build_lock=ROOT / "requirements" / "lock-build.txt" if args.packaged else None,
            python_version=platform.python_version() if args.packaged else None,
            epoch=int(epoch) if epoch else None,
        )
    except (OSError, ValueError) as error:
        print(f"sbom: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
