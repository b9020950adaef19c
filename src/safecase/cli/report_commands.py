"""`report`: a signed, redacted PDF for a Special Rapporteur's office; `report policies` lists the policies."""

from __future__ import annotations

from safecase.cli.context import CliContext
from safecase.domain.disclosure import POLICIES, policy
from safecase.domain.ids import parse_record_id
from safecase.errors import ExitCode, UsageError
from safecase.services.exchange.contacts import ContactService
from safecase.services.reports.content import ReportRequest
from safecase.services.reports.report import describe_output, write_report


def report(ctx: CliContext) -> int:
    if ctx.option("action") == "policies":
        return _policies(ctx)
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
    if files.content.pseudonymised:
        ctx.note(
            f"{len(files.content.pseudonymised)} person(s) appear only by pseudonym (no consent for their name): "
            + ", ".join(files.content.pseudonymised)
        )
    if ctx.wants_json:
        ctx.emit_json(
            {
                "pdf": str(files.pdf_path) if files.pdf_path else None,
                "signature": str(files.signature_path) if files.signature_path else None,
                "encrypted": str(files.encrypted_path) if files.encrypted_path else None,
                "policy": chosen.name,
                "cases": len(files.content.cases),
                "pseudonymised": list(files.content.pseudonymised),
                "redactions": len(files.content.redactions),
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
