"""The lock files agree with pyproject.toml: every declared dependency pinned, inside its range, with hashes; no
pin left over from a dependency that was removed; the three locks pin a shared package at the same version."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from safecase_release.locks import LockFileError, Pin, normalise, parse_lock, read_lock

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements"
LOCKS: dict[str, tuple[str, ...]] = {"lock.txt": (), "lock-test.txt": ("test",), "lock-build.txt": ("build",)}


def declared(extras: tuple[str, ...]) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def lock(name: str) -> dict[str, Pin]:
    return read_lock(REQUIREMENTS / name)


@pytest.mark.parametrize(("lock_name", "extras"), LOCKS.items())
def test_every_declared_dependency_is_pinned_inside_its_range(lock_name: str, extras: tuple[str, ...]) -> None:
    pins = lock(lock_name)
    problems = []
    for requirement in declared(extras):
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        pin = pins.get(normalise(requirement.name))
        if pin is None:
            problems.append(f"{requirement.name} is not pinned")
        elif not requirement.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{requirement.name}=={pin.version} is outside {requirement.specifier}")
    assert problems == [], f"{lock_name} disagrees with pyproject.toml; refresh it (requirements/README.md)"


@pytest.mark.parametrize(("lock_name", "extras"), LOCKS.items())
def test_no_pin_is_left_from_a_dependency_pyproject_no_longer_declares(lock_name: str, extras: tuple[str, ...]) -> None:
    names = {normalise(requirement.name) for requirement in declared(extras)}
    stale = sorted(pin.name for pin in lock(lock_name).values() if pin.direct and pin.name not in names)
    assert stale == []


@pytest.mark.parametrize("lock_name", LOCKS)
def test_every_pin_carries_sha256_hashes(lock_name: str) -> None:
    for pin in lock(lock_name).values():
        assert pin.hashes, pin.name
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", digest) for digest in pin.hashes), pin.name


def test_shared_packages_are_pinned_alike_in_every_lock() -> None:
    versions: dict[str, dict[str, str]] = {}
    for lock_name in LOCKS:
        for pin in lock(lock_name).values():
            versions.setdefault(pin.name, {})[lock_name] = pin.version
    differing = {name: seen for name, seen in versions.items() if len(set(seen.values())) > 1}
    assert differing == {}


def test_the_runtime_lock_holds_no_test_or_build_tool() -> None:
    assert {"pytest", "hypothesis", "mypy", "ruff", "pyinstaller"}.isdisjoint(lock("lock.txt"))


@pytest.mark.parametrize(("lock_name", "extras"), LOCKS.items())
def test_each_lock_is_universal_hashed_for_its_extras_and_names_no_package_source(
    lock_name: str, extras: tuple[str, ...]
) -> None:
    text = (REQUIREMENTS / lock_name).read_text(encoding="utf-8")
    command = next(line for line in text.splitlines() if "uv pip compile" in line)
    assert "--universal" in command  # one lock for Linux, Windows and macOS (platform-only pins carry markers)
    assert "--generate-hashes" in command
    assert re.findall(r"--extra[= ](\S+)", command) == list(extras)
    assert not re.search(r"^--(extra-)?index-url|^--find-links", text, re.M)


def test_the_build_lock_has_the_windows_and_macos_only_packages_pyinstaller_needs() -> None:
    pins = lock("lock-build.txt")
    assert pins["pefile"].marker == "sys_platform == 'win32'"
    assert pins["macholib"].marker == "sys_platform == 'darwin'"


def test_requirements_readme_says_how_to_refresh_every_lock() -> None:
    readme = (REQUIREMENTS / "README.md").read_text(encoding="utf-8")
    for lock_name in LOCKS:
        assert f"-o requirements/{lock_name}" in readme, lock_name


def test_parser_reads_versions_hashes_and_who_needs_what() -> None:
    pins = parse_lock(
        "alpha==1.0 \\\n"
        "    --hash=sha256:" + "a" * 64 + " \\\n"
        "    --hash=sha256:" + "b" * 64 + "\n"
        "    # via safecase (pyproject.toml)\n"
        'Beta_Two==2.0 ; python_version < "4" \\\n'
        "    --hash=sha256:" + "c" * 64 + "\n"
        "    # via\n"
        "    #   alpha\n"
        "    #   safecase (pyproject.toml)\n"
    )
    assert pins["alpha"].version == "1.0" and len(pins["alpha"].hashes) == 2 and pins["alpha"].direct
    assert pins["beta-two"].via == ("alpha", "safecase") and pins["beta-two"].marker == 'python_version < "4"'


@pytest.mark.parametrize(
    "text",
    [
        "alpha==1.0\n",
        "alpha>=1.0 \\\n    --hash=sha256:" + "a" * 64 + "\n",
        "-e .\n    # via x\nbeta @ https://x/y.whl\n",
    ],
)
def test_parser_refuses_unhashed_unpinned_or_url_requirements(text: str) -> None:
    with pytest.raises(LockFileError):
        parse_lock(text)
