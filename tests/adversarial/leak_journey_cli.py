"""The command-line half of the leak-sweep journey, run inside the child process (see leak_journey.py).

Every step is a `safecase` command run in-process through ``safecase.cli.main.run``, as a user types it: record
bodies on standard input (never in a file), search queries on standard input and as an argument, secrets from
files, the vault at its default place. Evidence sources are taken in with ``--shred-original``, so the only
plaintext copies left are the exports the user asks for.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safecase.cli.main import run
from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import SystemClock
from tests.adversarial.leak_home import (
    COLLEAGUE_NAME,
    ORGANISATION,
    OWNER_NAME,
    HomeLayout,
    image_source_name,
    pdf_source_name,
    text_source_name,
)
from tests.adversarial.leak_markers import IMAGE_COMMENT_PLACE, PDF_COMMENT_PLACE, PHONE_PLACE, MarkerSet


class CommandFailed(AssertionError):
    """A journey command exited non-zero: the sweep cannot vouch for a journey that did not happen."""


@dataclass
class Terminal:
    """`safecase ARGS...` in this process, with the test KDF policy and the real clock and environment, on
    ``vault`` (None: the default place) with the passphrase in ``passphrase_file``."""

    environ: dict[str, str]
    passphrase_file: Path
    vault: Path | None = None
    commands: list[str] = field(default_factory=list)

    def on(self, vault: Path, passphrase_file: Path) -> Terminal:
        """The same terminal, working on another vault (the log of commands is shared)."""
        return Terminal(self.environ, passphrase_file, vault, self.commands)

    def run(self, *args: str, stdin: str = "") -> str:
        argv = [*args, "--passphrase-file", str(self.passphrase_file)]
        if self.vault is not None:
            argv += ["--vault", str(self.vault)]
        out, err = io.StringIO(), io.StringIO()
        code = run(
            argv,
            kdf_policy=KdfPolicy.for_tests(),
            clock=SystemClock(),
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=err,
            environ=self.environ,
            prompt=_no_prompt,
        )
        self.commands.append(" ".join(args[:2]))
        if code != 0:
            raise CommandFailed(f"safecase {' '.join(args[:2])} exited {code}: {err.getvalue()}")
        return out.getvalue()

    def json(self, *args: str, stdin: str = "") -> Any:
        return json.loads(self.run(*args, "--json", stdin=stdin))

    def add(self, kind: str, body: dict[str, Any]) -> str:
        """`record add KIND` with the JSON typed on standard input; the new record's id."""
        return self.run("record", "add", kind, stdin=json.dumps(body, ensure_ascii=False)).strip()


def _no_prompt(label: str) -> str:
    raise CommandFailed(f"unexpected prompt: {label}")


@dataclass
class CliRecords:
    """The ids the command-line half created, for the desktop half and the checks."""

    case_id: str
    person_id: str
    contact_ids: list[str]
    testimony_id: str
    attachment_ids: dict[str, str]  # "text" | "image" | "pdf" -> attachment id

    def all_ids(self) -> list[str]:
        return [self.case_id, self.person_id, *self.contact_ids, self.testimony_id, *self.attachment_ids.values()]


# -- evidence sources ---------------------------------------------------------------------------------------------


def png_with_comment(comment: str) -> bytes:
    """A 2x2 grey PNG whose tEXt chunk holds ``comment`` (metadata a stripped export drops)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80\x80" * 2)
    text = b"Comment\x00" + comment.encode("latin-1")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", text)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def pdf_with_comment(comment: str) -> bytes:
    """A one-page PDF (no text) followed by a comment line holding ``comment``, which viewers ignore."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(out) + b"% " + comment.encode("ascii") + b"\n"


def write_sources(layout: HomeLayout, markers: MarkerSet) -> dict[str, Path]:
    """The user's files to attach, with markers in their names and contents."""
    text = layout.documents / text_source_name(markers)
    text.write_text(f"Statement, fictional: {markers.joined('attachment.text_content')}\n", encoding="utf-8")
    image = layout.documents / image_source_name(markers)
    image.write_bytes(png_with_comment(markers.text(IMAGE_COMMENT_PLACE, "latin")))
    pdf = layout.documents / pdf_source_name(markers)
    pdf.write_bytes(pdf_with_comment(markers.text(PDF_COMMENT_PLACE, "latin")))
    return {"text": text, "image": image, "pdf": pdf}


# -- the journey --------------------------------------------------------------------------------------------------


def colleague_terminal(term: Terminal, layout: HomeLayout) -> Terminal:
    return term.on(layout.colleague_vault, layout.colleague_passphrase_file)


def create_vaults(term: Terminal, layout: HomeLayout) -> None:
    term.run("init", "--name", OWNER_NAME, "--org", ORGANISATION, "--recovery-key-file", str(layout.own_recovery_key))
    colleague = colleague_terminal(term, layout)
    colleague.run(
        "init", "--name", COLLEAGUE_NAME, "--org", ORGANISATION, "--recovery-key-file", str(layout.keys / "c.rk")
    )


def record_people_and_testimony(term: Terminal, markers: MarkerSet) -> CliRecords:
    case_id = term.add("case", {"title": markers.joined("case.title"), "summary": markers.joined("case.summary")})
    person_id = term.add(
        "person",
        {
            "names": {
                "hangul": markers.text("person.names", "hangul"),
                "romanized": markers.text("person.names", "latin"),
                "chinese": markers.text("person.names", "chinese"),
            },
            "aliases": list(markers.joined("person.aliases", "|").split("|")),
            "notes": f"Fictional. {markers.joined('person.notes')}",
            "case_ids": [case_id],
        },
    )
    phone = markers.text(PHONE_PLACE, "digits")
    contact_ids = [
        term.add(
            "contact",
            {
                "person_id": person_id,
                "type": "phone",
                "value": phone,
                "relation": "sister",
                "notes": markers.joined("contact.notes"),
            },
        ),
        term.add(
            "contact", {"person_id": person_id, "type": "messenger", "value": markers.joined("contact.messenger")}
        ),
    ]
    testimony_id = term.add(
        "testimony",
        {
            "interviewee_id": person_id,
            "case_ids": [case_id],
            "language": "ko",
            "original_text": f"{markers.joined('testimony.original_text')} (fictional testimony)",
            "translation": f"Fictional translation: {markers.joined('testimony.translation')}",
            "translation_language": "en",
            "interviewer": "Interviewer A",
        },
    )
    patch = {"summary": f"Edited: {markers.joined('testimony.cli_edit')}"}
    term.run("record", "edit", testimony_id, stdin=json.dumps(patch, ensure_ascii=False))
    return CliRecords(case_id, person_id, contact_ids, testimony_id, {})


def search_for_markers(term: Terminal, markers: MarkerSet, records: CliRecords) -> None:
    """Search as the README recommends (query on standard input) and with the query as an argument."""
    typed = term.json("search", stdin=markers.text("person.names", "hangul") + "\n")
    if records.person_id not in {hit["id"] for hit in typed}:
        raise CommandFailed("search did not find the person by the Hangul name")
    as_argument = term.json("search", markers.text("testimony.translation", "latin"))
    if records.testimony_id not in {hit["id"] for hit in as_argument}:
        raise CommandFailed("search did not find the testimony by its translation")
    term.json("search", markers.text("testimony.original_text", "chinese"))


def attach_evidence(term: Terminal, layout: HomeLayout, markers: MarkerSet, records: CliRecords) -> None:
    sources = write_sources(layout, markers)
    for role, path in sources.items():
        added = term.json("attach", records.testimony_id, str(path), "--shred-original", "--description", "fictional")
        records.attachment_ids[role] = added[0]["id"]
        if path.exists():
            raise CommandFailed(f"--shred-original left the {role} source in place")
    listed = term.json("attachment", "list", records.testimony_id)
    if {item["id"] for item in listed} != set(records.attachment_ids.values()):
        raise CommandFailed("attachment list does not show the three files")
    for attachment_id in records.attachment_ids.values():
        term.run("attachment", "verify", attachment_id)
    term.run("attachment", "export", records.attachment_ids["text"], "-o", str(layout.text_export))
    term.run(
        "attachment", "export", records.attachment_ids["image"], "-o", str(layout.image_export), "--strip-metadata"
    )


def exchange_with_colleague(term: Terminal, layout: HomeLayout, markers: MarkerSet, records: CliRecords) -> None:
    """Cards both ways, verified fingerprints, a bundle with contacts and evidence, imported by the colleague."""
    colleague = colleague_terminal(term, layout)
    own_card, colleague_card = layout.cards / "own.safecase-card", layout.cards / "colleague.safecase-card"
    term.run("identity", "card", "-o", str(own_card))
    colleague.run("identity", "card", "-o", str(colleague_card))
    term.run("contact", "add", str(colleague_card))
    colleague.run("contact", "add", str(own_card))
    term.run("contact", "verify", COLLEAGUE_NAME, "--fingerprint", colleague.json("identity")["fingerprint"])
    colleague.run("contact", "verify", OWNER_NAME, "--fingerprint", term.json("identity")["fingerprint"])
    sent = term.json("bundle", "export", "--to", COLLEAGUE_NAME, "--include-contacts", "-o", str(layout.bundle))
    if sent["counts"]["records"] < len(records.all_ids()):
        raise CommandFailed(f"the bundle carries too few records: {sent['counts']}")
    colleague.run("bundle", "inspect", str(layout.bundle))
    imported = colleague.json("bundle", "import", str(layout.bundle))
    if imported["new_records"] < len(records.all_ids()):
        raise CommandFailed(f"the colleague imported too few records: {imported}")
    arrived = colleague.json("search", stdin=markers.text("person.names", "hangul") + "\n")
    if records.person_id not in {hit["id"] for hit in arrived}:
        raise CommandFailed("the colleague's vault does not find the imported person")
    if markers.text(PHONE_PLACE, "digits") not in colleague.run("record", "show", records.contact_ids[0]):
        raise CommandFailed("the phone number did not travel in the bundle")


def sync_through_a_folder(term: Terminal, layout: HomeLayout) -> None:
    """`sync` to a USB stick's outbox; the colleague's stick gets that outbox as its inbox and syncs it in."""
    colleague = colleague_terminal(term, layout)
    own_stick, colleague_stick = layout.root / "usb-stick", layout.root / "colleague-stick"
    own_stick.mkdir()
    colleague_stick.mkdir()
    sent = term.json("sync", str(own_stick), "--include-contacts")
    if len(sent["sent"]) != 1:
        raise CommandFailed(f"sync wrote {len(sent['sent'])} bundles, not one")
    code = next(item["outbox"] for item in term.json("contact", "list") if item["name"] == COLLEAGUE_NAME)
    shutil.copytree(own_stick / "outbox" / str(code), colleague_stick / "inbox")
    colleague.json("sync", str(colleague_stick))


def make_reports(term: Terminal, layout: HomeLayout, markers: MarkerSet, records: CliRecords) -> None:
    """Words marked to stay out of reports, a signed plaintext PDF (an explicit export) and its check, and the same
    report sealed for the colleague."""
    hidden = markers.text("testimony.original_text", "latin")
    term.run("report", "redact", records.testimony_id, "--field", "original_text", "--text", hidden)
    term.run("report", "redactions", records.testimony_id)
    case = ("--case", records.case_id, "--policy", "internal")
    term.run("report", *case, "--lang", "ko", "-o", str(layout.report_pdf))
    term.run("verify", str(layout.report_pdf))
    term.run("report", *case, "--lang", "en", "-o", str(layout.sealed_report), "--encrypt-to", COLLEAGUE_NAME)


def change_keys_and_shred(term: Terminal, layout: HomeLayout) -> None:
    """After the app: a new passphrase, a new master key, the old passphrase back through the recovery key, a header
    backup, a full check, then the shred."""
    term.run("passwd", "--new-passphrase-file", str(layout.new_passphrase_file))
    term.passphrase_file = layout.new_passphrase_file
    term.run("rotate-key")
    term.run(
        "recover",
        "--recovery-key-file",
        str(layout.own_recovery_key),
        "--new-passphrase-file",
        str(layout.passphrase_file),
    )
    term.passphrase_file = layout.passphrase_file
    term.run("header", "export", "-o", str(layout.header_backup))
    term.run("check")
    term.run("shred", "--yes")
    if (layout.vault / "header.json").exists():
        raise CommandFailed("shred left the header in place")
