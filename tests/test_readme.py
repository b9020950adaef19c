"""The README's set-up commands are the ones CI runs, so a newcomer's first steps are always tested."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_readme_gives_exactly_two_setup_commands() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert commands[0].endswith(".venv/bin/safecase")  # opens the app, whose first-run wizard creates the vault
    assert commands[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci


def test_lock_files_pin_every_runtime_dependency_of_pyproject() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    runtime = re.search(r"dependencies = \[(.*?)\]", pyproject, re.S)
    assert runtime
    names = [
        re.split(r"[<>=\[ ]", line.strip().strip('",'))[0].lower()
        for line in runtime[1].splitlines()
        if line.strip().startswith('"')
    ]
    for lock in ("lock.txt", "lock-test.txt"):
        pinned = (ROOT / "requirements" / lock).read_text(encoding="utf-8").lower()
        for name in names:
            assert re.search(rf"^{re.escape(name)}==\S+ \\$", pinned, re.M), (lock, name)
