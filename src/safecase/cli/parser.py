"""The command-line grammar. A contract: scripts rely on these names, options and exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from safecase import build_info
from safecase.domain.kinds import Kind

QUICK_CHECK_SAMPLE = 20  # evidence files `check --quick` re-hashes, chosen at random

KINDS = [kind.value for kind in Kind]

EPILOG = """exit codes: 0 ok, 1 error, 2 usage, 3 wrong passphrase or key, 4 integrity or verification failure.
The vault is --vault DIR, else $SAFECASE_VAULT, else the platform's user data folder."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors that say where to look, and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"safecase: {message} (see `{self.prog} --help`)\n")


def _common_options(*, with_json: bool = False) -> Parser:
    """Options accepted before or after the command name (defaults suppressed so either position works)."""
    common = Parser(add_help=False)
    group = common.add_argument_group("vault and secrets")
    group.add_argument("--vault", type=_folder_path, default=argparse.SUPPRESS, metavar="DIR", help="vault folder")
    group.add_argument(
        "--passphrase-file",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="read the passphrase from the first line of FILE instead of asking",
    )
    if with_json:
        common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    return common


def build_parser() -> Parser:
    common = _common_options()
    common_json = _common_options(with_json=True)
    parser = Parser(
        prog="safecase",
        description="SafeCase: an encrypted vault for human-rights documentation.",
        epilog=EPILOG,
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="print the version, the SQLCipher and Qt versions, and whether this is a packaged build",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def add(name: str, help_text: str, *, json: bool = False) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=help_text, description=help_text, parents=[common_json if json else common]
        )

    init = add("init", "create a new vault (asks for a passphrase, shows the recovery key once)")
    _vault_creation_options(init)
    demo = add("demo", "create a new vault filled with fictional cases, for trying SafeCase and benchmarks")
    _vault_creation_options(demo)
    demo.add_argument("--size", type=_positive_int, default=50, metavar="N", help="number of people (default 50)")

    passwd = add("passwd", "change the passphrase (only the header is rewritten)")
    passwd.add_argument("--new-passphrase-file", type=Path, metavar="FILE")
    recover = add("recover", "set a new passphrase using the recovery key")
    recover.add_argument("--recovery-key-file", type=Path, metavar="FILE")
    recover.add_argument("--new-passphrase-file", type=Path, metavar="FILE")
    add("rotate-key", "replace the master key and re-encrypt the database")
    shred = add("shred", "destroy the vault's keys at once (recoverable only with an exported header backup)")
    shred.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    check = add("check", "verify database integrity, the audit chain and every evidence file", json=True)
    check.add_argument(
        "--quick", action="store_true", help=f"re-hash a random sample of {QUICK_CHECK_SAMPLE} evidence files, not all"
    )
    identity = add("identity", "show this vault's identity and fingerprint; `identity card -o FILE` writes your card")
    identity.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    identity.add_argument("--qr", action="store_true", help="also print the fingerprint as a QR code to scan")
    identity_actions = identity.add_subparsers(dest="identity_command", metavar="ACTION", parser_class=Parser)
    card = identity_actions.add_parser(
        "card", help="write your signed contact card to FILE, to give to team members", parents=[common]
    )
    card.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")

    header = add("header", "export or restore a header backup")
    header_commands = header.add_subparsers(dest="header_command", metavar="ACTION", required=True, parser_class=Parser)
    export = header_commands.add_parser("export", help="write a copy of the header to FILE", parents=[common])
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    restore = header_commands.add_parser("restore", help="put an exported header back", parents=[common])
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument(
        "--recovery-key-file",
        type=Path,
        metavar="FILE",
        help="prove ownership with the recovery key instead of the passphrase",
    )

    _record_commands(add("record", "add, show, list, edit or delete records"), common_json)

    history = add("history", "show every version of a record", json=True)
    history.add_argument("id", metavar="ID")
    importer = add("import", "import records from a JSON or CSV file (all or nothing)", json=True)
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--format", choices=["json", "jsonl", "csv"], help="default: from the file name")
    search = add("search", "full-text search (Korean, Chinese, English)", json=True)
    search.add_argument(
        "query",
        nargs="?",
        metavar="QUERY",
        help="what to find; leave it out (or give -) to type it, which keeps names out of shell history",
    )
    search.add_argument("--limit", type=_positive_int, default=20, metavar="N")
    _attachment_commands(add, common_json)
    _exchange_commands(add, common, common_json)
    _report_commands(add)
    app = add("app", "open the desktop app (also what `safecase` with no command does)")
    app.add_argument(
        "--lang", choices=["ko", "en"], help="the app's language (default: as last chosen, else the system's)"
    )
    return parser


class _VersionAction(argparse.Action):
    """``--version``: first line ``safecase X.Y.Z`` (scripts match it), then what the program runs on."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None
    ) -> None:
        sys.stdout.write(build_info.version_text())
        parser.exit()


def _vault_creation_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--name", default="", metavar="N", help="your name as shown to team members")
    command.add_argument("--org", default="", metavar="O", help="your organisation")
    command.add_argument(
        "--recovery-key-file",
        type=Path,
        metavar="FILE",
        help="write the new recovery key to FILE (must not exist) instead of printing it",
    )


def _record_commands(record: argparse.ArgumentParser, common_json: Parser) -> None:
    actions = record.add_subparsers(dest="record_command", metavar="ACTION", required=True, parser_class=Parser)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=help_text, description=help_text, parents=[common_json])

    add_cmd = add("add", "add a record of KIND from JSON (FILE, or standard input)")
    add_cmd.add_argument("kind", choices=KINDS, metavar="KIND")
    add_cmd.add_argument("file", nargs="?", type=Path, metavar="FILE")
    add("show", "show a record").add_argument("id", metavar="ID")
    list_cmd = add("list", "list the records of KIND")
    list_cmd.add_argument("kind", choices=KINDS, metavar="KIND")
    list_cmd.add_argument("--limit", type=_positive_int, default=1000, metavar="N")
    list_cmd.add_argument("--offset", type=_non_negative_int, default=0, metavar="N")
    edit = add("edit", "change a record: JSON merge patch from FILE or standard input (null removes a field)")
    edit.add_argument("id", metavar="ID")
    edit.add_argument("file", nargs="?", type=Path, metavar="FILE")
    edit.add_argument("--replace", action="store_true", help="the JSON is the whole new record, not a patch")
    add("delete", "delete a record (kept in its history as a tombstone)").add_argument("id", metavar="ID")
    restore = add("restore", "make an earlier version of a record current again")
    restore.add_argument("id", metavar="ID")
    restore.add_argument("revision", metavar="REVISION")
    add("schema", "print the JSON Schema of KIND").add_argument("kind", choices=KINDS, metavar="KIND")


def _attachment_commands(add: Any, common_json: Parser) -> None:
    attach = add("attach", "take files in as evidence on a record (encrypted, with chain of custody)", json=True)
    attach.add_argument("record_id", metavar="RECORD_ID", help="the case, person, testimony, event or location")
    attach.add_argument("files", nargs="+", type=Path, metavar="FILE")
    attach.add_argument(
        "--shred-original",
        action="store_true",
        help="overwrite and remove each file once it is safely in the vault (best effort on SSDs)",
    )
    attach.add_argument("--description", metavar="TEXT", help="what the file shows or holds")
    attach.add_argument("--derived-from", metavar="ID", help="the attachment this file is a copy of")
    attach.add_argument("--copy-role", choices=["working", "redacted"], help="with --derived-from (default working)")
    attach.add_argument("--derivation", metavar="TEXT", help="with --derived-from: how the copy was made")

    group = add("attachment", "list, verify, export or recover evidence files")
    actions = group.add_subparsers(dest="attachment_command", metavar="ACTION", required=True, parser_class=Parser)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(
            name, help=help_text, description=help_text, parents=[common_json]
        )
        return parser

    action("list", "list the evidence attached to a record").add_argument("record_id", metavar="RECORD_ID")
    action("verify", "decrypt an evidence file and check it against its intake SHA-256").add_argument(
        "id", metavar="ID"
    )
    action("recover", "save recordings that a crash or a killed app interrupted, as evidence on their testimony")
    export = action("export", "write a plaintext copy of an evidence file (never overwrites)")
    export.add_argument("id", metavar="ID")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    export.add_argument(
        "--strip-metadata",
        action="store_true",
        help="remove EXIF/GPS and other metadata where the format allows (JPEG, PNG); the vault keeps the original",
    )


def _exchange_commands(add: Any, common: Parser, common_json: Parser) -> None:
    def actions(parent: argparse.ArgumentParser, dest: str) -> Any:
        group = parent.add_subparsers(dest=dest, metavar="ACTION", required=True, parser_class=Parser)

        def action(name: str, help_text: str) -> argparse.ArgumentParser:
            parser: argparse.ArgumentParser = group.add_parser(
                name, help=help_text, description=help_text, parents=[common_json]
            )
            return parser

        return action

    contact = actions(add("contact", "the team members you exchange bundles with"), "contact_command")
    contact_add = contact("add", "add a contact from their card FILE, or a bare age recipient with --age and --name")
    contact_add.add_argument("card", nargs="?", type=Path, metavar="CARD")
    contact_add.add_argument("--age", metavar="RECIPIENT", help="an age1... recipient of someone with only `age`")
    contact_add.add_argument("--name", metavar="N", help="with --age: who it is")
    contact_add.add_argument("--org", metavar="O", help="with --age: their organisation")
    contact("list", "list contacts with their status (verified, unverified, revoked) and fingerprint")
    verify = contact("verify", "mark a contact verified after comparing fingerprints in person")
    verify.add_argument("id", metavar="ID", help="the contact's id (or its first 8 characters) or exact name")
    verify.add_argument("--fingerprint", metavar="DIGITS", help="the fingerprint as they read it (else asked)")
    verify.add_argument("--qr", metavar="CODE", help="the text of their scanned identity QR code")
    remove = contact("remove", "revoke a contact: their bundles are refused, they are sent nothing")
    remove.add_argument("id", metavar="ID")

    bundle = actions(add("bundle", "encrypted, signed bundles for named team members"), "bundle_command")
    export = bundle("export", "write a bundle for the named contacts (all records, or the chosen cases)")
    export.add_argument("--to", action="append", required=True, metavar="CONTACT", help="a recipient (repeatable)")
    export.add_argument("--case", action="append", metavar="ID", help="only this case and what it needs (repeatable)")
    export.add_argument("--since", metavar="DATE", help="only records changed on or after DATE (YYYY-MM-DD)")
    export.add_argument(
        "--include-contacts", action="store_true", help="also send people's contact details (phones, addresses)"
    )
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    inspect = bundle("inspect", "check a bundle completely and say what it holds, without importing it")
    inspect.add_argument("file", type=Path, metavar="FILE")
    import_bundle = bundle("import", "check a bundle completely, then merge it in one transaction")
    import_bundle.add_argument("file", type=Path, metavar="FILE")
    import_bundle.add_argument(
        "--allow-unknown-sender",
        action="store_true",
        help="accept a bundle from someone not in your contacts; what it brings is marked unverified",
    )

    sync = add("sync", "send bundles to DIR/outbox/<contact> and import those in DIR/inbox", json=True)
    sync.add_argument("folder", type=_folder_path, metavar="DIR")
    sync.add_argument("--to", action="append", metavar="CONTACT", help="send to these (default: verified contacts)")
    sync.add_argument("--include-contacts", action="store_true", help="also send people's contact details")
    sync.add_argument("--allow-unknown-sender", action="store_true", help="as for `bundle import`")

    conflict = actions(add("conflict", "records edited on two laptops at once, to resolve"), "conflict_command")
    conflict("list", "list records in conflict")
    conflict("show", "show the conflicting versions of a record").add_argument("id", metavar="ID")
    resolve = conflict("resolve", "keep one of the conflicting versions (history keeps them all)")
    resolve.add_argument("id", metavar="ID")
    resolve.add_argument("--keep", required=True, metavar="REVISION", help="the revision to keep")


def _report_commands(add: Any) -> None:
    report = add(
        "report",
        "a signed, redacted PDF report for a Special Rapporteur (`report policies` lists the policies)",
        json=True,
    )
    report.add_argument(
        "action",
        nargs="?",
        choices=["policies", "redact", "redactions", "unredact"],
        metavar="ACTION",
        help="policies: list them; redact ID --field F --text T: hide those words of a record in reports; "
        "redactions [ID]: list what is hidden; unredact N: undo one",
    )
    report.add_argument("target", nargs="?", metavar="ID", help="with redact/redactions: a record id; unredact: N")
    report.add_argument("--field", metavar="F", help="with redact: the text field, e.g. original_text")
    report.add_argument("--text", metavar="T", help="with redact: the exact words to hide (every occurrence)")
    report.add_argument("--reason", default="", metavar="R", help="with redact: why (kept with the mark)")
    report.add_argument("--case", action="append", metavar="ID", help="a case the report covers (repeatable)")
    report.add_argument("--event", action="append", metavar="ID", help="an event the report covers (repeatable)")
    report.add_argument("--policy", metavar="NAME", help="the disclosure policy (see `safecase report policies`)")
    report.add_argument("--lang", choices=["ko", "en"], default="en", help="the report's language (default en)")
    report.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", help="the new PDF (its .minisig goes beside)")
    report.add_argument(
        "--encrypt-to", metavar="CONTACT", help="write one age file for this contact holding the PDF and signature"
    )
    verify = add(
        "verify", "check a signed report and its .minisig with no vault; exit 4 if anything changed", json=True
    )
    verify.add_argument("file", type=Path, metavar="FILE", help="the signed PDF")
    verify.add_argument(
        "--signature", type=Path, metavar="FILE", help="the detached minisign signature (default FILE.minisig)"
    )
    who = verify.add_mutually_exclusive_group()
    who.add_argument("--signer", metavar="FINGERPRINT", help="the fingerprint the signer must have (8 groups of 5)")
    who.add_argument("--card", type=Path, metavar="CARD", help="the signer's contact card")


def _folder_path(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a folder")
    return Path(text)


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative_int(text: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(text)
