"""Build SafeCase's release for this platform into dist/release/: the app archive, its SBOM, SHA256SUMS and the
minisign signature of SHA256SUMS.

    python packaging/build.py --key safecase-release.key [--public-key safecase-release.pub]
    SAFECASE_RELEASE_KEY=safecase-release.key python packaging/build.py
    python packaging/build.py --unsigned          # a test build for yourself: no signature, never to hand out

Run it with the Python of a virtual environment installed from requirements/lock-build.txt (packaging/README.md);
it refuses an environment that differs from that lock. SOURCE_DATE_EPOCH (default: the last commit's time) sets
every time stamp in the outputs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

# packaging/ and src/ are on the path from here on (this script runs from a checkout, not an installed package).
from safecase_release import environment, signing
from safecase_release.archive import write_archive
from safecase_release.environment import BuildError
from safecase_release.locks import LockFileError

from safecase import __version__
from safecase.build_info import platform_tag

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "safecase.spec"
BUILD_LOCK = ROOT / "requirements" / "lock-build.txt"
APP_ID = "org.safecase.SafeCase"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--key", type=Path, help="minisign secret key (default: $SAFECASE_RELEASE_KEY)")
    parser.add_argument(
        "--public-key", type=Path, help="check the signature with this public key (default: $SAFECASE_RELEASE_PUBKEY)"
    )
    parser.add_argument("--unsigned", action="store_true", help="write no signature (a local test build)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    args = parser.parse_args(argv)
    if args.key is None and os.environ.get("SAFECASE_RELEASE_KEY"):
        args.key = Path(os.environ["SAFECASE_RELEASE_KEY"])
    if args.public_key is None and os.environ.get("SAFECASE_RELEASE_PUBKEY"):
        args.public_key = Path(os.environ["SAFECASE_RELEASE_PUBKEY"])
    if args.unsigned and args.key:
        parser.error("--unsigned and a release key exclude each other")
    if not args.unsigned and args.key is None:
        parser.error("no release key: give --key FILE, set SAFECASE_RELEASE_KEY, or build --unsigned for a test")
    return args


def run_pyinstaller(dist: Path, work: Path, epoch: int) -> Path:
    """The app folder (Linux, Windows) or bundle (macOS) that PyInstaller builds from the spec."""
    for folder in (dist, work):
        shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    if subprocess.run(command, env=env, cwd=ROOT, check=False).returncode != 0:
        raise BuildError("PyInstaller failed (its messages are above)")
    app = dist / ("SafeCase.app" if sys.platform == "darwin" else "safecase")
    if not app.is_dir():
        raise BuildError(f"PyInstaller wrote no {app.name} in {dist}")
    return app


def add_linux_desktop_files(app: Path) -> None:
    """The menu entry, AppStream data, icons and their installer, beside the program (not in _internal/)."""
    resources = ROOT / "resources"
    share = app / "share"
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir()
    shutil.copy2(resources / "linux" / f"{APP_ID}.desktop", share / "applications")
    shutil.copy2(resources / "linux" / f"{APP_ID}.metainfo.xml", share / "metainfo")
    shutil.copytree(resources / "icons" / "hicolor", share / "icons" / "hicolor")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(resources / "icons" / "safecase.svg", scalable / f"{APP_ID}.svg")
    for name in ("install-desktop-entry.sh", "README.txt"):
        shutil.copy2(ROOT / "packaging" / "linux" / name, app / name)


def write_sbom(output: Path) -> None:
    command = [sys.executable, str(ROOT / "packaging" / "sbom.py"), "--packaged", "-o", str(output)]
    if subprocess.run(command, check=False).returncode != 0:
        raise BuildError("the SBOM could not be written (message above)")


def build(args: argparse.Namespace) -> list[Path]:
    started = time.monotonic()
    if args.key is not None:
        signing.check_secret_key(args.key)
        signing.minisign_tool()
    environment.check_matches_lock(BUILD_LOCK)
    epoch = environment.source_date_epoch(ROOT)
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    tag = platform_tag()

    app = run_pyinstaller(args.dist / "app", ROOT / "build" / "pyinstaller", epoch)
    if sys.platform.startswith("linux"):
        add_linux_desktop_files(app)
    print(f"build: app folder {app} ({time.monotonic() - started:.0f} s)")

    release = args.dist / "release"
    shutil.rmtree(release, ignore_errors=True)
    release.mkdir(parents=True)
    archive = release / f"safecase-{__version__}-{tag}.{'zip' if sys.platform == 'win32' else 'tar.gz'}"
    write_archive(app, archive, epoch)
    sbom = release / f"safecase-{__version__}-{tag}.cdx.json"
    write_sbom(sbom)
    sums = signing.write_sums([archive, sbom], release / signing.SUMS_NAME)
    outputs = [archive, sbom, sums]
    if args.key is not None:
        comment = f"safecase {__version__} {tag} {environment.source_description(ROOT)}"
        outputs.append(signing.sign(sums, args.key, comment))
        if args.public_key is not None:
            signing.verify(sums, args.public_key)
    print(f"build: done in {time.monotonic() - started:.0f} s")
    return outputs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        outputs = build(args)
    except (BuildError, signing.SigningError, LockFileError, OSError) as error:
        print(f"build: {error}", file=sys.stderr)
        return 1
    for path in outputs:
        print(f"{path.stat().st_size:>12,}  {path}")
    if args.unsigned:
        print("build: UNSIGNED test build: do not hand it out", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
