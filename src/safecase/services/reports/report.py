"""Making a report end to end: redacted content, the PDF with its annex embedded, the signatures, the files.

The PDF and its detached minisign signature are written to new files only (never over existing ones); with a
recipient, both go into one age file instead (a tar of the two), so no unencrypted copy of the report touches the
disk on the way to the rapporteur's office.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyrage

from safecase.crypto.age_stream import ChunkReader, encrypt_stream_to
from safecase.errors import shown
from safecase.services.evidence_export import create_export_file, discard_export_file, write_failure
from safecase.services.reports.annex import annex_csv, annex_json
from safecase.services.reports.content import ReportRequest, build_report
from safecase.services.reports.embedding import Attachment, embed_files
from safecase.services.reports.model import ReportContent
from safecase.services.reports.render import render_report
from safecase.services.reports.signing import sign_report
from safecase.services.session import VaultSession
from safecase.storage.tar_stream import TarWriter
from safecase.storage.team_contacts import TeamContact

MINISIG_SUFFIX = ".minisig"


@dataclass(frozen=True)
class SignedReportFiles:
    content: ReportContent
    pdf_path: Path | None  # None when encrypted for a recipient
    signature_path: Path | None
    encrypted_path: Path | None
    pdf_size: int


def unsigned_pdf(content: ReportContent) -> bytes:
    """The report's PDF with its annex embedded, not yet signed (what the app previews)."""
    annex = json.dumps(annex_json(content), ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    attachments = [
        Attachment("annex.json", annex, "application/json", "Machine-readable annex (schema: docs/REPORTS.md)"),
        Attachment("annex.csv", annex_csv(content).encode("utf-8"), "text/csv", "The annex as CSV"),
    ]
    rendered = render_report(content)
    return embed_files(rendered.pdf, attachments, rendered.outline)


def write_report(
    session: VaultSession, request: ReportRequest, output: Path, *, encrypt_to: TeamContact | None = None
) -> SignedReportFiles:
    """Make the report and write it signed (the command line)."""
    content = build_report(session, request)
    return sign_and_write(session, content, unsigned_pdf(content), output, encrypt_to=encrypt_to)


def sign_and_write(
    session: VaultSession,
    content: ReportContent,
    pdf: bytes,
    output: Path,
    *,
    encrypt_to: TeamContact | None = None,
) -> SignedReportFiles:
    """Sign ``pdf`` (the report as previewed) and write it with its .minisig, or both in one age file."""
    signed = sign_report(session, pdf, reason=content.policy_title)
    if encrypt_to is not None:
        _write_encrypted(output, output.name, signed.pdf, signed.minisig, encrypt_to)
        _log(session, "report.written", f"encrypted to {encrypt_to.id}")
        return SignedReportFiles(content, None, None, output, len(signed.pdf))
    signature_path = output.with_name(output.name + MINISIG_SUFFIX)
    _write_new(output, signed.pdf)
    try:
        _write_new(signature_path, signed.minisig.encode("utf-8"))
    except BaseException:
        discard_export_file(output)
        raise
    _log(session, "report.written", "signed pdf")
    return SignedReportFiles(content, output, signature_path, None, len(signed.pdf))


def _log(session: VaultSession, action: str, detail: str) -> None:
    with session.db.transaction():
        session.log(action, "", detail)


def _write_new(path: Path, data: bytes) -> None:
    handle = create_export_file(path)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        discard_export_file(path)
        raise write_failure(exc) from None
    except BaseException:
        discard_export_file(path)
        raise


def _write_encrypted(output: Path, pdf_name: str, pdf: bytes, minisig: str, recipient: TeamContact) -> None:
    """One age file holding a tar of the PDF and its .minisig: ``age -d … | tar -x`` gives both back."""
    name = pdf_name.removesuffix(".age")
    name = name if name.endswith(".pdf") else "report.pdf"
    blocks = _Blocks()
    tar = TarWriter(blocks)
    tar.add(name, pdf)
    tar.add(name + MINISIG_SUFFIX, minisig.encode("utf-8"))
    tar.close()
    handle = create_export_file(output)
    try:
        with handle:
            recipients = [pyrage.x25519.Recipient.from_str(recipient.age_recipient)]
            encrypt_stream_to(ChunkReader(iter(blocks.written)), handle, recipients)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        discard_export_file(output)
        raise write_failure(exc) from None
    except BaseException:
        discard_export_file(output)
        raise


class _Blocks:
    """Keeps what a tar writer writes (a report and its signature: a few MiB at most)."""

    def __init__(self) -> None:
        self.written: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.written.append(bytes(data))
        return len(data)


def describe_output(files: SignedReportFiles) -> str:
    if files.encrypted_path is not None:
        return f"Signed report encrypted to {shown(files.encrypted_path)}."
    pdf, signature = shown(files.pdf_path or ""), shown(files.signature_path or "")
    return f"Signed report written to {pdf} with its signature {signature}."
