"""Run a built SafeCase the way a field worker would, with no Python source around it, and fail on the first fault.

    python packaging/smoke_test.py [dist/app/safecase]

Checks, in a throw-away home folder: ``--version`` says it is a packaged build; the bundle holds what the app
loads and none of what it must not (tests, unused Qt); every bundled library resolves (Linux); a vault is created
with a passphrase file, a record added, found by search, and ``check`` passes; a Korean report of a demo vault is
signed, ``verify`` accepts it and rejects a copy with one byte changed; the desktop app starts (offscreen) and stays
up; the Linux menu entry installs and uninstalls. Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "smoke test passphrase, not for real use"  # noqa: S105 (a throw-away vault's)
PERSON = {"pseudonym": "Smoke-Test-7", "notes": "Seen near the Dandong bridge; 단둥 다리 근처에서 목격"}
FORBIDDEN_IN_BUNDLE = ("pytest", "_pytest", "hypothesis", "mypy", "ruff", "PyInstaller", "setuptools", "tests")
# What a Linux build takes from the computer it runs on, not from its folder (PyInstaller leaves these out on purpose:
# the C library, and the graphics and display libraries that must match the machine's drivers and compositor).
FROM_THE_SYSTEM = re.compile(
    r"^(ld-linux.*|linux-vdso.*|lib(c|m|dl|rt|pthread|resolv|util|anl|nsl|mvec)\.so.*"
    r"|lib(GL|EGL|GLX|GLdispatch|OpenGL|gbm|drm)\.so.*|libxcb\.so\.1|libwayland-(client|cursor|egl)\.so.*)$"
)
FORBIDDEN_QT = ("QtWebEngine", "Qt3D", "QtQuick3D", "QtCharts", "QtBluetooth", "QtSql", "QtTest", "QtDesigner")


class SmokeFailure(Exception):
    pass


class Smoke:
    def __init__(self, program: Path, home: Path) -> None:
        self.program = program
        self.home = home
        # What PyInstaller unpacks beside the program (sys._MEIPASS): _internal/, or Contents/Frameworks in a .app.
        in_app_bundle = program.parent.name == "MacOS"
        self.internal = program.parent.parent / "Frameworks" if in_app_bundle else program.parent / "_internal"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "QT_QPA_PLATFORM": "offscreen",
            "LANG": "C.UTF-8",
        }
        self.passphrase_file = home / "passphrase.txt"
        self.passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")

    def run(self, *args: str, stdin: str = "", expect: int = 0, vault: Path | None = None) -> str:
        argv = [str(self.program), *args]
        if vault is not None:
            argv += ["--vault", str(vault), "--passphrase-file", str(self.passphrase_file)]
        result = subprocess.run(
            argv, input=stdin, capture_output=True, text=True, env=self.env, cwd=self.home, timeout=180, check=False
        )
        if result.returncode != expect:
            shown = " ".join(args[:3])
            raise SmokeFailure(f"`safecase {shown}` exited {result.returncode}, expected {expect}: {_tail(result)}")
        return result.stdout


def _tail(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1] if lines else "no output"


def project_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def check_version(smoke: Smoke) -> None:
    lines = smoke.run("--version").splitlines()
    if not lines or lines[0] != f"safecase {project_version()}":
        raise SmokeFailure(f"--version starts {lines[:1]}, expected safecase {project_version()}")
    if lines[-1] != "packaged build":
        raise SmokeFailure(f"--version does not say packaged build: {lines[-1]!r}")
    text = "\n".join(lines)
    if not re.search(r"^SQLCipher 4\.", text, re.M) or not re.search(r"^Qt 6\.", text, re.M):
        raise SmokeFailure(f"--version lacks the SQLCipher or Qt version: {text!r}")


def check_bundle_contents(smoke: Smoke) -> None:
    internal = smoke.internal
    needed = [
        "resources/i18n/safecase_ko.qm",
        "resources/icons/safecase.svg",
        "safecase/storage/migrations/0001_core.sql",
    ]
    missing = [name for name in needed if not (internal / name).is_file()]
    plugins = internal / "PySide6" / "Qt" / "plugins"
    if sys.platform.startswith("linux"):
        for plugin in ("platforms/libqoffscreen.so", "platforms/libqxcb.so", "platforms/libqwayland.so"):
            if not (plugins / plugin).is_file():
                missing.append(f"Qt plugin {plugin}")
        if not list((plugins / "multimedia").glob("*")):
            missing.append("a Qt multimedia plugin")
    if missing:
        raise SmokeFailure(f"the bundle lacks {', '.join(missing)}")
    present = [name for name in FORBIDDEN_IN_BUNDLE if (internal / name).exists()]
    present += [path.name for path in internal.rglob("*") if path.name.startswith(FORBIDDEN_QT)]
    if (internal / "PySide6" / "Qt" / "translations").exists():
        present.append("Qt's translations")
    if present:
        raise SmokeFailure(f"the bundle holds what it must not: {', '.join(sorted(set(present))[:8])}")


def check_libraries_resolve(smoke: Smoke) -> None:
    """Every bundled ELF file's libraries resolve, and those that come from outside the bundle are only the ones
    every Linux desktop has (FROM_THE_SYSTEM)."""
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return
    internal = str(smoke.internal.resolve())
    search = f"{internal}:{internal}/PySide6/Qt/lib"
    unresolved: set[str] = set()
    outside: set[str] = set()
    for path in sorted(smoke.internal.rglob("*")):
        if path.is_symlink() or not path.is_file() or not _is_elf(path):
            continue
        result = subprocess.run(
            ["ldd", str(path)], capture_output=True, text=True, env={"LD_LIBRARY_PATH": search}, check=False
        )
        for line in result.stdout.splitlines():
            problem = _ldd_problem(line, internal)
            if problem == "unresolved":
                unresolved.add(f"{line.split()[0]} (for {path.name})")
            elif problem == "outside":
                outside.add(f"{line.split()[0]} (for {path.name})")
    if unresolved:
        raise SmokeFailure(f"unresolved libraries: {', '.join(sorted(unresolved)[:6])}")
    if outside:
        raise SmokeFailure(f"libraries taken from this system, not the bundle: {', '.join(sorted(outside)[:6])}")


def _ldd_problem(line: str, internal: str) -> str | None:
    """ "unresolved" for a library ldd cannot find, "outside" for one found outside the bundle that is not in
    FROM_THE_SYSTEM, else None."""
    parts = line.split()
    if "not found" in line:
        return "unresolved"
    if len(parts) >= 3 and parts[1] == "=>" and not parts[2].startswith(internal):
        return None if FROM_THE_SYSTEM.match(parts[0]) else "outside"
    return None


def _is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def check_vault_round_trip(smoke: Smoke) -> None:
    vault = smoke.home / "vault"
    smoke.run("init", "--recovery-key-file", str(smoke.home / "recovery.txt"), vault=vault)
    record_id = smoke.run("record", "add", "person", stdin=json.dumps(PERSON), vault=vault).strip()
    if not re.fullmatch(r"[0-9a-f-]{36}", record_id):
        raise SmokeFailure(f"record add printed {record_id!r}, not an id")
    for query in ("Dandong", "단둥"):
        hits = smoke.run("search", query, "--json", vault=vault)
        if record_id not in hits:
            raise SmokeFailure(f"search {query!r} did not find the new record")
    smoke.run("check", vault=vault)


def check_report_and_verify(smoke: Smoke) -> None:
    demo = smoke.home / "demo"
    smoke.run("demo", "--size", "5", "--recovery-key-file", str(smoke.home / "demo-recovery.txt"), vault=demo)
    cases = json.loads(smoke.run("record", "list", "case", "--json", vault=demo))
    report = smoke.home / "report.pdf"
    smoke.run(
        "report", "--case", cases[0]["id"], "--policy", "un-special-procedures", "--lang", "ko", "-o", str(report),
        vault=demo,
    )  # fmt: skip
    if not report.read_bytes().startswith(b"%PDF-"):
        raise SmokeFailure("the report is not a PDF")
    smoke.run("verify", str(report))
    tampered = smoke.home / "tampered.pdf"
    data = bytearray(report.read_bytes())
    data[len(data) // 3] ^= 0x01
    tampered.write_bytes(bytes(data))
    shutil.copy2(report.with_name(report.name + ".minisig"), tampered.with_name(tampered.name + ".minisig"))
    smoke.run("verify", str(tampered), expect=4)


def check_desktop_app_starts(smoke: Smoke, seconds: float = 8.0) -> None:
    """The app (first-run wizard, offscreen) loads Qt, its plugins and its translations, and keeps running."""
    argv = [str(smoke.program), "app", "--lang", "ko", "--vault", str(smoke.home / "gui-vault")]
    with subprocess.Popen(
        argv, env=smoke.env, cwd=smoke.home, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        time.sleep(seconds)
        code = process.poll()
        if code is None:
            process.terminate()
        _out, err = process.communicate(timeout=30)
    if code is not None:
        raise SmokeFailure(f"the desktop app exited with {code} within {seconds:.0f} s: {err.strip()[-300:]}")
    if "Traceback" in err or "Could not load the Qt platform plugin" in err:
        raise SmokeFailure(f"the desktop app reported an error: {err.strip()[-300:]}")


def check_linux_menu_entry(smoke: Smoke) -> None:
    installer = smoke.program.parent / "install-desktop-entry.sh"
    if not sys.platform.startswith("linux"):
        return
    if not installer.is_file():
        raise SmokeFailure("install-desktop-entry.sh is missing from the app folder")
    subprocess.run(["sh", str(installer)], env=smoke.env, capture_output=True, check=True, timeout=60)
    entry = smoke.home / "data" / "applications" / "org.safecase.SafeCase.desktop"
    icon = smoke.home / "data" / "icons" / "hicolor" / "256x256" / "apps" / "org.safecase.SafeCase.png"
    if not entry.is_file() or not icon.is_file():
        raise SmokeFailure("the menu entry or its icon was not installed")
    if f'Exec="{smoke.program}"' not in entry.read_text(encoding="utf-8"):
        raise SmokeFailure("the installed menu entry does not start this folder's program")
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(entry)], check=True, capture_output=True, timeout=60)
    subprocess.run(["sh", str(installer), "--remove"], env=smoke.env, capture_output=True, check=True, timeout=60)
    if entry.exists() or icon.exists():
        raise SmokeFailure("install-desktop-entry.sh --remove left files behind")


CHECKS: Sequence[tuple[str, Callable[[Smoke], None]]] = (
    ("--version says packaged build", check_version),
    ("bundle holds what it needs, nothing for tests or unused Qt", check_bundle_contents),
    ("every bundled library resolves", check_libraries_resolve),
    ("init, record add, search, check", check_vault_round_trip),
    ("Korean report signed; verify accepts it, rejects a changed byte", check_report_and_verify),
    ("desktop app starts offscreen", check_desktop_app_starts),
    ("Linux menu entry installs and uninstalls", check_linux_menu_entry),
)


def find_program(given: Path) -> Path:
    if given.is_dir():
        bundle = given / "Contents" / "MacOS" / "safecase"  # macOS .app
        given = bundle if bundle.exists() else given / ("safecase.exe" if sys.platform == "win32" else "safecase")
    if not given.is_file():
        raise SmokeFailure(f"no built program at {given} (build it with packaging/build.py)")
    return given.resolve()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python packaging/smoke_test.py [APP_FOLDER_OR_PROGRAM]", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        program = find_program(Path(args[0]) if args else ROOT / "dist" / "app" / "safecase")
        with tempfile.TemporaryDirectory(prefix="safecase-smoke-") as home:
            smoke = Smoke(program, Path(home))
            for title, check in CHECKS:
                step = time.monotonic()
                check(smoke)
                print(f"smoke: ok  {title} ({time.monotonic() - step:.1f} s)")
    except (SmokeFailure, OSError, subprocess.SubprocessError) as failure:
        print(f"smoke: FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"smoke: all {len(CHECKS)} checks of {program} passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
