"""`safecase verify FILE`: check a signed report and its detached minisign signature, without any vault.

Needs no vault and no passphrase: anyone who received a report (a UN office, a lawyer) can run it. Exit 0 only if
the PAdES signature, the identity behind it and the .minisig over every byte all check out; 4 on any change.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from safecase.cli.context import CliContext
from safecase.crypto.contact_card import MAX_CARD_BYTES, ContactCard, read_card
from safecase.errors import ExitCode, shown
from safecase.storage import fsutil

if TYPE_CHECKING:
    from safecase.services.reports.verify import VerifiedReport

MAX_PDF_BYTES = 512 << 20
MAX_MINISIG_BYTES = 64 << 10  # minisign refuses anything over 4 KiB with its own message (exit 4)
_UNCHECKED_SIGNER = (
    "Anyone can put a name in a signature: compare the fingerprint with the signer's contact card (--card) or "
    "with the digits they read to you (--signer)."
)


def default_signature_path(pdf_path: Path) -> Path:
    return pdf_path.with_name(pdf_path.name + ".minisig")


def _read_card(path: Path | None) -> ContactCard | None:
    return None if path is None else read_card(fsutil.read_small_file(path, MAX_CARD_BYTES, "contact card"))


def _read_signature(path: Path) -> bytes | None:
    """The .minisig file's bytes, or None if there is no such file (a verdict of its own: exit 4)."""
    if not path.is_symlink() and not path.exists():
        return None
    return fsutil.read_small_file(path, MAX_MINISIG_BYTES, "detached signature")


def signer_line(result: VerifiedReport) -> str:
    who = shown(result.signer_name)
    if result.organisation:
        who += f" ({shown(result.organisation)})"
    when = f", at {result.signed_at}" if result.signed_at else ""
    return f"Signed by {who}, fingerprint {result.fingerprint}{when}; the PDF and its detached signature are intact."


def verify(ctx: CliContext) -> int:
    # pyHanko takes longer to load than the rest of the command line: only this command pays for it.
    from safecase.services.reports.verify import verify_report

    pdf_path: Path = ctx.args.file
    signature_path: Path = ctx.option("signature") or default_signature_path(pdf_path)
    card = _read_card(ctx.option("card"))
    signer = ctx.option("signer")
    result = verify_report(
        fsutil.read_small_file(pdf_path, MAX_PDF_BYTES, "PDF"),
        _read_signature(signature_path),
        signer_fingerprint=signer,
        card=card,
        minisig_label=shown(signature_path),
    )
    checked = signer is not None or card is not None
    if ctx.wants_json:
        ctx.emit_json({**asdict(result), "signer_checked": checked})
    else:
        ctx.say(signer_line(result))
    if not checked:
        ctx.note(_UNCHECKED_SIGNER)
    return ExitCode.OK
