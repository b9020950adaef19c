"""Reading the pip-compile lock files in ``requirements/``: each pin with its version, hashes and who needs it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;]+)\s*(?:;(?P<marker>.*))?$")
_HASH = re.compile(r"--hash=(?P<alg>[a-z0-9]+):(?P<digest>[0-9a-f]+)")

PROJECT = "safecase"  # how pip-compile names this project in "# via" lines: "safecase (pyproject.toml)"


class LockFileError(ValueError):
    """A lock file line that is not a hashed ``name==version`` pin as pip-compile writes them."""


@dataclass(frozen=True)
class Pin:
    name: str  # normalised (PEP 503): lower case, runs of -_. as one -
    version: str
    hashes: tuple[str, ...]  # "sha256:<hex>", one per file PyPI serves for this version
    via: tuple[str, ...]  # normalised names of what requires it; "safecase" for a direct dependency
    marker: str | None = None

    @property
    def direct(self) -> bool:
        return PROJECT in self.via

    def applies_here(self) -> bool:
        """Whether pip installs this pin on the running Python and system (its marker, e.g. ``sys_platform ==
        'win32'``, holds). Needs the ``packaging`` library, which every environment made from these locks has."""
        if self.marker is None:
            return True
        from packaging.markers import Marker

        return Marker(self.marker).evaluate()


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _logical_lines(text: str) -> list[str]:
    """Lines with their backslash continuations joined; comment lines kept as they are."""
    joined: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if pending:
            pending += " " + line.strip()
        elif line.strip().startswith("#") or not line.strip():
            joined.append(line)
            continue
        else:
            pending = line
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
        else:
            joined.append(pending)
            pending = ""
    if pending:
        joined.append(pending)
    return joined


def parse_lock(text: str, source: str = "lock file") -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    current: dict[str, object] | None = None
    in_via_block = False

    def finish() -> None:
        if current is not None:
            pin = Pin(**current)  # type: ignore[arg-type]
            if pin.name in pins:
                raise LockFileError(f"{source}: {pin.name} is pinned twice")
            pins[pin.name] = pin

    for line in _logical_lines(text):
        stripped = line.strip()
        if not stripped:
            in_via_block = False
            continue
        if stripped.startswith("#"):
            comment = stripped.lstrip("#").strip()
            if current is None or not line.startswith((" ", "\t")):
                in_via_block = False
                continue
            if comment.startswith("via"):
                rest = comment[3:].strip()
                in_via_block = not rest
                if rest:
                    current["via"] = (*current["via"], _via_name(rest))  # type: ignore[misc]
            elif in_via_block and comment:
                current["via"] = (*current["via"], _via_name(comment))  # type: ignore[misc]
            continue
        if stripped.startswith("-"):  # --index-url, --find-links, ...: options, not pins
            finish()
            current, in_via_block = None, False
            continue
        finish()
        in_via_block = False
        match = _PIN.match(stripped.split(" --", 1)[0].strip())
        if not match:
            raise LockFileError(f"{source}: not an exact pin: {stripped.split()[0]}")
        hashes = tuple(f"{m['alg']}:{m['digest']}" for m in _HASH.finditer(stripped))
        if not hashes:
            raise LockFileError(f"{source}: {match['name']} has no --hash")
        marker = (match["marker"] or "").strip() or None
        current = {
            "name": normalise(match["name"]),
            "version": match["version"],
            "hashes": hashes,
            "via": (),
            "marker": marker,
        }
    finish()
    return pins


def _via_name(text: str) -> str:
    """``safecase (pyproject.toml)`` -> ``safecase``; ``pyhanko-certvalidator`` -> itself, normalised."""
    return normalise(text.split()[0])


def read_lock(path: Path) -> dict[str, Pin]:
    return parse_lock(path.read_text(encoding="utf-8"), source=path.name)


def pins_for_here(pins: dict[str, Pin]) -> dict[str, Pin]:
    """The pins pip installs on this system (a universal lock also holds other systems' packages)."""
    return {name: pin for name, pin in pins.items() if pin.applies_here()}
