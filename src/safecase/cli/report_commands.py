"""`report`: a signed, redacted PDF for a Special Rapporteur's office; `report policies` lists the policies."""

from __future__ import annotations

import argparse

from safecase.cli.context import CliContext
from safecase.domain.disclosure import POLICIES, policy
from safecase.domain.ids import parse_record_id
from safecase.errors import ExitCode, UsageError, shown
from safecase.services.exchange.contacts import ContactService
from safecase.services.records import RecordService
from safecase.services.reports.content import ReportRequest
from safecase.services.reports.redaction import RedactionService
from safecase.services.reports.redaction_notes import describe, describe_pseudonymised
from safecase.services.reports.report import describe_output, write_report


def report(ctx: CliContext) -> int:
    action = ctx.option("action")
    if action == "policies":
        return _policies(ctx)
    if action in ("redact", "redactions", "unredact"):
        return _redactions(ctx, action)
    case_ids = [parse_record_id(value, "--case") for value in ctx.option("case") or []]
    event_ids = [parse_record_id(value, "--event") for value in ctx.option("event") or []]
    if not case_ids and not event_ids:
        raise UsageError("Name what the report is about with --case ID (and/or --event ID).")
    if ctx.option("policy") is None:
        raise UsageError("Choose a disclosure policy with --policy NAME (see `safecase report policies`).")
    if ctx.option("output") is None:
        raise UsageError("Say where the report goes with -o FILE.pdf.")
    chosen = policy(ctx.args.policy)  # an unknown policy is refused before the vault is unlocked
    request = ReportRequest(tuple(case_ids), tuple(event_ids), chosen.name, ctx.option("lang") or "en")
    with ctx.unlock() as session:
        recipient = ContactService(session).resolve(ctx.args.encrypt_to) if ctx.option("encrypt_to") else None
        files = write_report(session, request, ctx.args.output, encrypt_to=recipient)
    ctx.note(describe_output(files))
    pseudonymised = [describe_pseudonymised(person) for person in files.content.pseudonymised]
    if pseudonymised:
        ctx.note(
            f"{len(pseudonymised)} person(s) appear only by pseudonym (no consent for their name): "
            + ", ".join(pseudonymised)
        )
    if ctx.wants_json:
        ctx.emit_json(
            {
                "pdf": str(files.pdf_path) if files.pdf_path else None,
                "signature": str(files.signature_path) if files.signature_path else None,
                "encrypted": str(files.encrypted_path) if files.encrypted_path else None,
                "policy": chosen.name,
                "cases": len(files.content.cases),
                "pseudonymised": pseudonymised,
                "redactions": len(files.content.redactions),
                "left_out": [describe(redaction) for redaction in files.content.redactions],
            }
        )
    return ExitCode.OK


def _policies(ctx: CliContext) -> int:
    if ctx.wants_json:
        ctx.emit_json([{"name": p.name, "title": p.title_en, "title_ko": p.title_ko} for p in POLICIES])
        return ExitCode.OK
    for item in POLICIES:
        ctx.say(f"{item.name:<24}{item.title_en}")
    return ExitCode.OK


def _redactions(ctx: CliContext, action: str) -> int:
    target = ctx.option("target")
    if action == "unredact" and not (target or "").isdigit():
        raise UsageError("Name the redaction to undo by its number: see `safecase report redactions`.")
    if action == "redact" and not (target and ctx.option("field") and ctx.option("text")):
        raise UsageError("Use `safecase report redact RECORD_ID --field FIELD --text 'words to hide'`.")
    with ctx.unlock() as session:
        service = RedactionService(session)
        if action == "unredact":
            service.remove(int(target))
            ctx.note(f"Redaction {target} removed: reports show those words again where policy and consent allow.")
            return ExitCode.OK
        if action == "redact":
            record_id = parse_record_id(target)
            marked = _mark_every(service, RecordService(session), record_id, ctx.args, ctx.option("reason") or "")
            ctx.note(f"{marked} occurrence(s) hidden in reports; the record itself is unchanged.")
            return ExitCode.OK
        spans = service.list_spans(parse_record_id(target) if target else None)
    if ctx.wants_json:
        ctx.emit_json([{"id": s.id, "record_id": s.record_id, "field": s.field, "start": s.start, "end": s.end,
                        "reason": s.reason, "created_at": s.created_at} for s in spans])  # fmt: skip
        return ExitCode.OK
    for span in spans:
        ctx.say(f"{span.id:>5}  {span.record_id}  {span.field}  {span.start}-{span.end}  {shown(span.reason)}")
    return ExitCode.OK


def _mark_every(
    service: RedactionService, records: RecordService, record_id: str, args: argparse.Namespace, reason: str
) -> int:
    field, words = str(args.field), str(args.text)
    text = records.show(record_id).body.get(field)
    if not isinstance(text, str) or not words:
        raise UsageError(f"Record {record_id} has no text field {shown(field)}.")
    starts = [i for i in range(len(text)) if text.startswith(words, i)]
    if not starts:
        raise UsageError(f"{shown(field)} of record {record_id} does not contain those words exactly.")
    for start in starts:
        service.mark(record_id, field, start, start + len(words), reason)
    return len(starts)
