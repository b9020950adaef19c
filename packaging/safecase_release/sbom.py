"""A CycloneDX 1.5 software bill of materials of what a release contains, generated from the lock files.

Every Python package of the runtime lock is a component with its version, package URL and the SHA-256 of each
file the lock accepts for that version (pip installs only a file with one of those hashes); dependencies come from
pip-compile's "# via" notes. The packaged builds add the Python interpreter and PyInstaller's bootloader, which
they also contain. The output is deterministic: sorted, its serial number derived from its content, its timestamp
from SOURCE_DATE_EPOCH (left out when that is unset).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import tomllib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from safecase_release.locks import PROJECT, Pin, normalise

SPEC_VERSION = "1.5"
_SERIAL_NAMESPACE = uuid.UUID("8d6c1c5e-0b5f-4c5e-9a53-5afeca5e0001")  # fixed: same content, same serial number


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    licence: str | None
    description: str | None


def read_project(pyproject: Path) -> Project:
    table = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    licence = table.get("license")
    return Project(
        name=normalise(table["name"]),
        version=table["version"],
        licence=licence.get("text") if isinstance(licence, dict) else licence,
        description=table.get("description"),
    )


def pypi_purl(name: str, version: str) -> str:
    return f"pkg:pypi/{normalise(name)}@{quote(version, safe='')}"


def _library(pin: Pin, *, description: str | None = None) -> dict[str, Any]:
    component: dict[str, Any] = {
        "type": "library",
        "bom-ref": pypi_purl(pin.name, pin.version),
        "name": pin.name,
        "version": pin.version,
        "purl": pypi_purl(pin.name, pin.version),
        "scope": "required",
        "hashes": [
            {"alg": "SHA-256", "content": digest.split(":", 1)[1]}
            for digest in sorted(pin.hashes)
            if digest.startswith("sha256:")
        ],
    }
    if description:
        component["description"] = description
    return component


def build_sbom(
    project: Project,
    runtime: Mapping[str, Pin],
    *,
    bundled: Iterable[Pin] = (),
    python_version: str | None = None,
    source_date_epoch: int | None = None,
) -> dict[str, Any]:
    """The BOM as a JSON-ready dict. ``bundled``: further packages inside the build (PyInstaller's bootloader);
    ``python_version``: the interpreter a packaged build embeds."""
    root_ref = pypi_purl(project.name, project.version)
    root: dict[str, Any] = {
        "type": "application",
        "bom-ref": root_ref,
        "name": project.name,
        "version": project.version,
        "purl": root_ref,
    }
    if project.description:
        root["description"] = project.description
    if project.licence:
        root["licenses"] = [{"license": {"id": project.licence}}]

    components = [_library(pin) for pin in runtime.values()]
    components += [_library(pin, description="bootloader and run-time hooks in the packaged build") for pin in bundled]
    dependencies: dict[str, set[str]] = {root_ref: set()}
    for pin in runtime.values():
        ref = pypi_purl(pin.name, pin.version)
        dependencies.setdefault(ref, set())
        for parent in pin.via:
            parent_ref = root_ref if parent == PROJECT else _ref_of(runtime, parent)
            if parent_ref:
                dependencies.setdefault(parent_ref, set()).add(ref)
    for pin in bundled:
        dependencies[root_ref].add(pypi_purl(pin.name, pin.version))
        dependencies.setdefault(pypi_purl(pin.name, pin.version), set())
    if python_version:
        python_ref = f"pkg:generic/cpython@{quote(python_version, safe='')}"
        components.append(
            {
                "type": "library",
                "bom-ref": python_ref,
                "name": "cpython",
                "version": python_version,
                "purl": python_ref,
                "scope": "required",
                "description": "the Python interpreter and standard library embedded in the packaged build",
            }
        )
        dependencies[root_ref].add(python_ref)
        dependencies.setdefault(python_ref, set())

    metadata: dict[str, Any] = {
        "tools": {"components": [{"type": "application", "name": "safecase-sbom", "version": project.version}]},
        "component": root,
    }
    if source_date_epoch is not None:
        moment = datetime.datetime.fromtimestamp(source_date_epoch, tz=datetime.UTC)
        metadata["timestamp"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    bom: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "version": 1,
        "metadata": metadata,
        "components": sorted(components, key=lambda component: component["bom-ref"]),
        "dependencies": [{"ref": ref, "dependsOn": sorted(refs)} for ref, refs in sorted(dependencies.items())],
    }
    digest = hashlib.sha256(canonical_json(bom).encode("utf-8")).hexdigest()
    return {"bomFormat": "CycloneDX", "specVersion": SPEC_VERSION, "serialNumber": serial_number(digest), **bom}


def _ref_of(pins: Mapping[str, Pin], name: str) -> str | None:
    pin = pins.get(normalise(name))
    return pypi_purl(pin.name, pin.version) if pin else None


def serial_number(content_digest: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_SERIAL_NAMESPACE, content_digest)}"


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def render(bom: Mapping[str, Any]) -> str:
    """The file's text: indented, keys in a fixed order, one final newline."""
    return json.dumps(bom, indent=2, ensure_ascii=False) + "\n"
