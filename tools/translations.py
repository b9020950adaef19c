"""Keep the Korean catalogue of the desktop interface in step with the code.

    python tools/translations.py update     # extract the strings of src/safecase/ui into resources/i18n/safecase_ko.ts
    python tools/translations.py compile    # build resources/i18n/safecase_ko.qm from the .ts
    python tools/translations.py check      # fail if a string lacks a Korean translation or the .qm is stale
    python tools/translations.py apply F    # update, then set translations from JSON {context: {source: text|[forms]}}

English is the source language; record labels (kinds, fields, vocabularies) are bilingual in the domain layer and
are not in the catalogue. The tools are pyside6-lupdate and pyside6-lrelease, found beside the running Python (a
virtual environment's bin folder) or on PATH.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_SOURCES = ROOT / "src" / "safecase" / "ui"
CATALOGUE = ROOT / "resources" / "i18n" / "safecase_ko.ts"
COMPILED = CATALOGUE.with_suffix(".qm")
LANGUAGE = "ko"

# Markers a translation must keep: Qt arguments (%1, %n, %L1) and str.format fields ({name}).
_PLACEHOLDER = re.compile(r"%L?\d+|%n|\{[A-Za-z_][A-Za-z0-9_]*\}")

MessageKey = tuple[str, str, str]  # (context, source, disambiguation comment)
Translation = str | Sequence[str]  # a text, or the numerus forms of a plural (%n) message


class TranslationToolError(Exception):
    """An expected failure (missing tool, unreadable catalogue) reported to the user without a traceback."""


@dataclass(frozen=True)
class Message:
    """One entry of a .ts catalogue."""

    context: str
    source: str
    comment: str
    plural: bool
    forms: tuple[str, ...]
    finished: bool

    @property
    def key(self) -> MessageKey:
        return (self.context, self.source, self.comment)

    def describe(self) -> str:
        note = f" ({self.comment})" if self.comment else ""
        return f"{self.context}: {self.source!r}{note}"


@dataclass
class CheckReport:
    """What `check` found: strings without a finished translation, broken placeholders, a stale .qm."""

    strings: int = 0
    missing: list[Message] = field(default_factory=list)
    bad_placeholders: list[Message] = field(default_factory=list)
    compiled_problem: str | None = None
    unused: list[Message] = field(default_factory=list)  # in the catalogue, gone from the code: harmless, noted

    @property
    def ok(self) -> bool:
        return not self.missing and not self.bad_placeholders and self.compiled_problem is None

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.missing:
            out.append(f"{len(self.missing)} of {self.strings} strings have no finished Korean translation:")
            out.extend(f"  {message.describe()}" for message in self.missing)
        if self.bad_placeholders:
            out.append("translations whose placeholders (%1, %n, {name}) differ from the source:")
            out.extend(f"  {message.describe()}" for message in self.bad_placeholders)
        if self.compiled_problem is not None:
            out.append(self.compiled_problem)
        if out:
            out.append("fix: python tools/translations.py update, translate, python tools/translations.py compile")
        else:
            out.append(f"Korean catalogue complete: {self.strings} strings translated, {COMPILED.name} up to date")
        if self.unused:
            out.append(f"note: {len(self.unused)} catalogue entries are no longer in the code (dropped by update)")
        return out


# --- the Qt tools -----------------------------------------------------------------------------------------------


def find_tool(name: str) -> Path:
    """pyside6-<name> beside sys.executable (the venv's bin or Scripts folder), else on PATH."""
    suffix = ".exe" if os.name == "nt" else ""
    for candidate in (f"pyside6-{name}{suffix}", f"{name}{suffix}"):
        beside = Path(sys.executable).parent / candidate
        if beside.is_file():
            return beside
    for candidate in (f"pyside6-{name}", name):
        found = shutil.which(candidate)
        if found is not None:
            return Path(found)
    raise TranslationToolError(
        f"pyside6-{name} not found beside {sys.executable} or on PATH; install PySide6 (pip install pyside6-essentials)"
    )


def _run(command: Sequence[str | Path]) -> None:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise TranslationToolError(f"{Path(command[0]).name} failed ({result.returncode}): {detail}")


def ui_sources(folder: Path = UI_SOURCES) -> list[Path]:
    """Every Python file of the desktop interface, editors and widgets included."""
    sources = sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)
    if not sources:
        raise TranslationToolError(f"no Python sources under {folder}")
    return sources


def lupdate(sources: Sequence[Path], catalogue: Path, *, locations: str = "relative") -> None:
    """Merge the strings of `sources` into `catalogue` (created if absent), dropping those no longer used."""
    catalogue.parent.mkdir(parents=True, exist_ok=True)
    _run(
        [
            find_tool("lupdate"),
            "-silent",
            "-no-obsolete",
            "-locations",
            locations,
            "-source-language",
            "en",
            "-target-language",
            LANGUAGE,
            *sources,
            "-ts",
            catalogue,
        ]
    )


def lrelease(catalogue: Path, compiled: Path) -> None:
    """Compile `catalogue` to the binary .qm that QTranslator loads."""
    if not catalogue.is_file():
        raise TranslationToolError(f"{catalogue} does not exist; run: python tools/translations.py update")
    _run([find_tool("lrelease"), "-silent", catalogue, "-qm", compiled])


# --- reading and writing catalogues -----------------------------------------------------------------------------


def _parse(catalogue: Path) -> ET.ElementTree[ET.Element]:
    try:
        return ET.parse(catalogue)  # noqa: S314 (our own catalogue or lupdate's output, not untrusted input)
    except (OSError, ET.ParseError) as error:
        raise TranslationToolError(f"cannot read {catalogue}: {error}") from error


def read_messages(catalogue: Path) -> dict[MessageKey, Message]:
    """The messages of a .ts file, by (context, source, comment)."""
    messages: dict[MessageKey, Message] = {}
    for context in _parse(catalogue).getroot().iter("context"):
        context_name = context.findtext("name", "")
        for element in context.iter("message"):
            translation = element.find("translation")
            plural = element.get("numerus") == "yes"
            if translation is None:
                forms: tuple[str, ...] = ()
                state: str | None = "unfinished"
            else:
                state = translation.get("type")
                if plural:
                    forms = tuple(form.text or "" for form in translation.iter("numerusform"))
                else:
                    forms = (translation.text or "",)
            finished = state is None and bool(forms) and all(form.strip() for form in forms)
            message = Message(
                context=context_name,
                source=element.findtext("source", ""),
                comment=element.findtext("comment", ""),
                plural=plural,
                forms=forms,
                finished=finished,
            )
            messages[message.key] = message
    return messages


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def placeholders_match(message: Message) -> bool:
    """A translation keeps the source's markers; a plural form may leave %n out (Korean says "records: 3" too)."""
    wanted = placeholders(message.source)
    for form in message.forms:
        found = placeholders(form)
        if message.plural:
            if found - wanted or (wanted - {"%n"}) - found:
                return False
        elif found != wanted:
            return False
    return True


def apply_translations(catalogue: Path, translations: Mapping[str, Mapping[str, Translation]]) -> list[str]:
    """Set and finish the given translations, by context then source; returns the entries not in the catalogue.

    The file is written by ElementTree; `update` (lupdate) brings it back to its usual layout.
    """
    tree = _parse(catalogue)
    applied: set[tuple[str, str]] = set()
    for context in tree.getroot().iter("context"):
        context_name = context.findtext("name", "")
        for element in context.iter("message"):
            source = element.findtext("source", "")
            text = translations.get(context_name, {}).get(source)
            if text is None:
                continue
            translation = element.find("translation")
            if translation is None:
                translation = ET.SubElement(element, "translation")
            translation.attrib.pop("type", None)
            for child in list(translation):
                translation.remove(child)
            if element.get("numerus") == "yes":
                translation.text = None
                for form in [text] if isinstance(text, str) else text:
                    ET.SubElement(translation, "numerusform").text = form
            else:
                translation.text = text if isinstance(text, str) else text[0]
            applied.add((context_name, source))
    body = ET.tostring(tree.getroot(), encoding="unicode")
    catalogue.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n', encoding="utf-8")
    wanted = {(context, source) for context, entries in translations.items() for source in entries}
    return sorted(f"{context}: {source!r}" for context, source in wanted - applied)


# --- the subcommands --------------------------------------------------------------------------------------------


def update(catalogue: Path = CATALOGUE, folder: Path = UI_SOURCES) -> int:
    """Refresh the committed catalogue from the code; returns how many strings it holds."""
    lupdate(ui_sources(folder), catalogue)
    return len(read_messages(catalogue))


def compile_catalogue(catalogue: Path = CATALOGUE, compiled: Path = COMPILED) -> None:
    lrelease(catalogue, compiled)


def check(catalogue: Path = CATALOGUE, compiled: Path = COMPILED, folder: Path = UI_SOURCES) -> CheckReport:
    """Compare the strings in the code with the committed catalogue and .qm, touching neither."""
    if not catalogue.is_file():
        raise TranslationToolError(f"{catalogue} does not exist; run: python tools/translations.py update")
    committed = read_messages(catalogue)
    report = CheckReport()
    with tempfile.TemporaryDirectory(prefix="safecase-i18n-") as scratch:
        extracted_file = Path(scratch) / "extracted.ts"
        lupdate(ui_sources(folder), extracted_file, locations="none")
        extracted = read_messages(extracted_file)
        report.strings = len(extracted)
        for key, message in sorted(extracted.items()):
            found = committed.get(key)
            if found is None or not found.finished:
                report.missing.append(message)
            elif not placeholders_match(found):
                report.bad_placeholders.append(found)
        report.unused = [message for key, message in sorted(committed.items()) if key not in extracted]
        rebuilt = Path(scratch) / "rebuilt.qm"
        lrelease(catalogue, rebuilt)
        # Byte comparison, not modification times: a git checkout gives both files the time of the checkout.
        if not compiled.is_file():
            report.compiled_problem = f"{compiled.name} is missing; run: python tools/translations.py compile"
        elif compiled.read_bytes() != rebuilt.read_bytes():
            report.compiled_problem = (
                f"{compiled.name} is older than / differs from {catalogue.name};"
                " run: python tools/translations.py compile"
            )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help=f"extract the interface's strings into {CATALOGUE.name}")
    commands.add_parser("compile", help=f"compile {CATALOGUE.name} to {COMPILED.name}")
    commands.add_parser("check", help="fail if a string lacks a Korean translation or the .qm is stale")
    apply_parser = commands.add_parser("apply", help="set translations from a JSON file {context: {source: text}}")
    apply_parser.add_argument("json_file", type=Path)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse has printed the usage or the help; keep to exit codes 0 and 1
        return 0 if stop.code == 0 else 1
    try:
        if args.command == "update":
            count = update()
            unfinished = sum(not message.finished for message in read_messages(CATALOGUE).values())
            print(f"{CATALOGUE.relative_to(ROOT)}: {count} strings, {unfinished} without a finished translation")
        elif args.command == "compile":
            compile_catalogue()
            print(f"compiled {COMPILED.relative_to(ROOT)}")
        elif args.command == "check":
            report = check()
            stream = sys.stdout if report.ok else sys.stderr
            for line in report.lines():
                print(line, file=stream)
            return 0 if report.ok else 1
        else:
            try:
                entries = json.loads(Path(args.json_file).read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise TranslationToolError(f"cannot read {args.json_file}: {error}") from error
            update()  # so that strings added to the code since the last update can be translated too
            unknown = apply_translations(CATALOGUE, entries)
            for entry in unknown:
                print(f"not in the catalogue: {entry}", file=sys.stderr)
            update()  # back to lupdate's layout
            print(f"applied {sum(len(v) for v in entries.values()) - len(unknown)} translations")
    except TranslationToolError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
