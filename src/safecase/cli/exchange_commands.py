"""Commands for team exchange: identity card, contact, bundle, sync, conflict."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from safecase.cli.context import CliContext
from safecase.domain.ids import parse_record_id
from safecase.errors import ExitCode, UsageError, shown
from safecase.services.attachments import AttachmentService
from safecase.services.exchange.conflicts import Conflict, ConflictService
from safecase.services.exchange.contacts import ContactService
from safecase.services.exchange.export import BundleExporter, BundleReceipt, ExportPlan
from safecase.services.exchange.importer import BundleImporter, BundleSummary, ImportResult
from safecase.services.exchange.scope import ScopeRequest
from safecase.services.exchange.sync import SyncFolder, SyncReport, outbox_code
from safecase.services.records import RecordService
from safecase.storage import fsutil
from safecase.storage.team_contacts import TeamContact

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def identity_card(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        card = ContactService(session).own_card()
    fsutil.write_new_private_file(ctx.args.output, card)
    ctx.note(
        f"Your contact card is in {shown(ctx.args.output)}. Give it to your team; then read your fingerprint "
        "(`safecase identity`) to each of them so they can verify it."
    )
    return ExitCode.OK


def contact(ctx: CliContext) -> int:
    action = ctx.args.contact_command
    if action == "add":
        _check_add_arguments(ctx)
    with ctx.unlock() as session:
        service = ContactService(session)
        if action == "add":
            if ctx.args.card is not None:
                added = service.add_card(fsutil.read_small_file(ctx.args.card, 64 << 10, "contact card"))
            else:
                added = service.add_age_recipient(ctx.args.age, ctx.args.name or "", ctx.option("org") or "")
            _print_contacts(ctx, [added.contact])
            if added.outcome != "unchanged" and not added.contact.verified:
                ctx.note(
                    f"Contact {added.outcome}. Before you trust bundles from them, compare fingerprints in person "
                    f"and run `safecase contact verify {added.contact.id[:8]}`."
                )
            return ExitCode.OK
        if action == "list":
            _print_contacts(ctx, service.all())
            return ExitCode.OK
        if action == "verify":
            target = service.resolve(ctx.args.id)
            fingerprint = ctx.option("fingerprint")
            if fingerprint is None and ctx.option("qr") is None:
                fingerprint = _ask_fingerprint(ctx, target)
            verified = service.verify(target.id, fingerprint=fingerprint, qr_payload=ctx.option("qr"))
            _print_contacts(ctx, [verified])
            return ExitCode.OK
        removed = service.remove(ctx.args.id)
        _print_contacts(ctx, [removed])
        ctx.note("Removed: bundles signed by this contact are refused from now on, and they are sent nothing.")
        return ExitCode.OK


def _check_add_arguments(ctx: CliContext) -> None:
    if (ctx.args.card is None) == (ctx.option("age") is None):
        raise UsageError("Give either a contact card FILE or --age RECIPIENT --name NAME.")
    if ctx.args.card is None and not (ctx.option("name") or "").strip():
        raise UsageError("A bare age recipient needs a name: add --name NAME.")


def _ask_fingerprint(ctx: CliContext, contact: TeamContact) -> str:
    shown_key = contact.fingerprint or contact.age_recipient
    ctx.say(f"Ask {shown(contact.display_name)} to read their fingerprint aloud (or show their QR code). Expect:")
    ctx.say(f"  {shown_key}")
    answer = ctx.prompt("Type the fingerprint as they read it")
    if not answer.strip():
        raise UsageError("Not confirmed; the contact stays unverified.")
    return answer


def contact_json(contact: TeamContact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "name": contact.display_name,
        "organisation": contact.organisation,
        "status": contact.status,
        "fingerprint": contact.fingerprint,
        "age_recipient": contact.age_recipient,
        "can_send": contact.ed25519_public_key is not None,
        "added_at": contact.added_at,
        "verified_at": contact.verified_at,
        "revoked_at": contact.revoked_at,
        "outbox": outbox_code(contact),
    }


def _print_contacts(ctx: CliContext, contacts: list[TeamContact]) -> None:
    if ctx.wants_json:
        ctx.emit_json([contact_json(c) for c in contacts])
        return
    for c in contacts:
        key = c.fingerprint or f"age only: {c.age_recipient}"
        organisation = f" ({shown(c.organisation)})" if c.organisation else ""
        ctx.say(f"{c.id[:8]}  {c.status:<10}  {shown(c.display_name)}{organisation}  {key}")


# -- bundle ---------------------------------------------------------------------------------------------------------


def bundle(ctx: CliContext) -> int:
    action = ctx.args.bundle_command
    with ctx.unlock() as session:
        if action == "export":
            contacts = ContactService(session)
            recipients = [contacts.resolve(reference) for reference in ctx.args.to]
            exporter = BundleExporter(session, AttachmentService(session))
            request = ScopeRequest(
                case_ids=tuple(_case_ids(ctx)),
                since=_since(ctx.option("since")),
                include_contacts=bool(ctx.args.include_contacts),
            )
            plan = exporter.plan(recipients, request)
            receipt = exporter.write(plan, ctx.args.output)
            _print_receipt(ctx, receipt, plan)
            for recipient in recipients:
                if not recipient.verified:
                    ctx.note(
                        f"Warning: you have not verified {shown(recipient.display_name)}'s fingerprint; if their "
                        "card was swapped, someone else can read this bundle. Verify before you send them more."
                    )
            return ExitCode.OK
        importer = BundleImporter(session)
        if action == "inspect":
            summary = importer.inspect(ctx.args.file)
            _print_summary(ctx, summary)
            return ExitCode.OK
        result = importer.import_bundle(ctx.args.file, allow_unknown_sender=ctx.args.allow_unknown_sender)
        _print_import(ctx, result)
        return ExitCode.OK


def _case_ids(ctx: CliContext) -> list[str]:
    return [parse_record_id(case_id, "--case") for case_id in ctx.option("case") or []]


def _since(text: str | None) -> str | None:
    if text is None:
        return None
    if _DATE.match(text):
        text += "T00:00:00Z"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--since {shown(text)} is not a date: write it as YYYY-MM-DD.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def summary_json(summary: BundleSummary) -> dict[str, Any]:
    return {
        "bundle_id": summary.bundle_id,
        "sequence": summary.sequence,
        "created_at": summary.created_at,
        "sender": {
            "name": summary.sender_name,
            "organisation": summary.sender.organisation,
            "fingerprint": summary.sender.fingerprint,
            "status": summary.sender_status,
            "contact_id": summary.sender_contact.id if summary.sender_contact else None,
        },
        "recipients": [{"name": r.display_name, "fingerprint": r.fingerprint} for r in summary.recipients],
        "addressed_to_this_vault": summary.addressed_to_this_vault,
        "counts": summary.counts,
        "scope": summary.scope,
        "imported_at": summary.imported_at,
    }


def _print_summary(ctx: CliContext, summary: BundleSummary) -> None:
    if ctx.wants_json:
        ctx.emit_json(summary_json(summary))
        return
    counts = summary.counts
    ctx.say(f"bundle:      {summary.bundle_id} (sequence {summary.sequence})")
    ctx.say(f"created:     {summary.created_at}")
    ctx.say(f"sender:      {shown(summary.sender_name)}  {summary.sender.fingerprint}  [{summary.sender_status}]")
    for recipient in summary.recipients:
        ctx.say(f"recipient:   {shown(recipient.display_name)}  {recipient.fingerprint or recipient.age_recipient}")
    ctx.say(
        f"holds:       {counts['records']} records ({counts['versions']} versions): {counts['cases']} cases, "
        f"{counts['persons']} persons, {counts['contacts']} contact details, {counts['attachments']} evidence "
        f"files ({counts['attachment_bytes']} bytes)"
    )
    ctx.say("for you:     " + ("yes" if summary.addressed_to_this_vault else "NO: not addressed to this vault"))
    if summary.imported_at:
        ctx.say(f"imported:    already, at {summary.imported_at}")


def _print_receipt(ctx: CliContext, receipt: BundleReceipt, plan: ExportPlan) -> None:
    if ctx.wants_json:
        ctx.emit_json(receipt_json(receipt))
        return
    names = ", ".join(shown(c.display_name) for c in receipt.recipients)
    counts = receipt.counts
    ctx.say(f"{receipt.bundle_id}  sequence {receipt.sequence}  {receipt.size} bytes  to {names}")
    ctx.note(
        f"Bundle written to {shown(receipt.path)}: {counts['records']} records ({counts['persons']} persons, "
        f"{counts['contacts']} contact details), {counts['attachments']} evidence files."
    )


def receipt_json(receipt: BundleReceipt) -> dict[str, Any]:
    return {
        "path": str(receipt.path),
        "bundle_id": receipt.bundle_id,
        "sequence": receipt.sequence,
        "size": receipt.size,
        "counts": receipt.counts,
        "recipients": [c.id for c in receipt.recipients],
    }


def import_json(result: ImportResult) -> dict[str, Any]:
    return {
        "bundle": summary_json(result.summary),
        "replay": result.replay,
        "new_records": result.new_records,
        "updated_records": result.updated_records,
        "unchanged_records": result.unchanged_records,
        "new_versions": result.new_versions,
        "attachments_added": result.attachments_added,
        "conflicts": list(result.conflicts),
        "unverified_source": result.unverified,
    }


def _print_import(ctx: CliContext, result: ImportResult) -> None:
    if ctx.wants_json:
        ctx.emit_json(import_json(result))
        return
    if result.replay:
        ctx.say(f"Already imported at {result.summary.imported_at}: nothing changed.")
        return
    sender = shown(result.summary.sender_name)
    ctx.say(
        f"Imported bundle {result.summary.sequence} from {sender}: {result.new_records} new, "
        f"{result.updated_records} updated, {result.unchanged_records} unchanged records; "
        f"{result.attachments_added} evidence files; {len(result.conflicts)} conflicts."
    )
    for record_id in result.conflicts:
        ctx.say(f"conflict: {record_id}  (see `safecase conflict show {record_id}`)")
    if result.unverified:
        ctx.note(
            f"{sender} is not a verified contact: what this bundle brought is marked as from an unverified source."
        )


# -- sync -----------------------------------------------------------------------------------------------------------


def sync(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        contacts = ContactService(session)
        chosen = [contacts.resolve(r) for r in ctx.option("to") or []] or [c for c in contacts.all() if c.verified]
        exporter = BundleExporter(session, AttachmentService(session))
        folder = SyncFolder(session, exporter, BundleImporter(session))
        report = folder.sync(
            ctx.args.folder,
            chosen,
            include_contacts=bool(ctx.args.include_contacts),
            allow_unknown_sender=bool(ctx.args.allow_unknown_sender),
        )
    _print_sync(ctx, report)
    if report.refused:
        return max(int(error.exit_code) for _, error in report.refused)
    return ExitCode.OK


def _print_sync(ctx: CliContext, report: SyncReport) -> None:
    if ctx.wants_json:
        ctx.emit_json(
            {
                "sent": [receipt_json(r) for r in report.sent],
                "nothing_new": [c.id for c in report.nothing_new],
                "imported": [{"file": str(p), **import_json(r)} for p, r in report.imported],
                "already_imported": [str(p) for p in report.already_imported],
                "not_for_this_vault": [str(p) for p in report.not_for_us],
                "refused": [{"file": str(p), "error": e.message} for p, e in report.refused],
            }
        )
        return
    for receipt in report.sent:
        ctx.say(f"sent:     {shown(receipt.path)}  ({receipt.counts['records']} records)")
    for contact in report.nothing_new:
        ctx.say(f"up to date: {shown(contact.display_name)}")
    for path, result in report.imported:
        ctx.say(
            f"imported: {shown(path)}  ({result.new_records} new, {result.updated_records} updated, "
            f"{len(result.conflicts)} conflicts)"
        )
    for path in report.already_imported:
        ctx.say(f"skipped:  {shown(path)} (already imported)")
    for path in report.not_for_us:
        ctx.say(f"skipped:  {shown(path)} (not for this vault)")
    for path, error in report.refused:
        ctx.note(f"refused:  {shown(path)}: {error.message}")


# -- conflict -------------------------------------------------------------------------------------------------------


def conflict(ctx: CliContext) -> int:
    action = ctx.args.conflict_command
    with ctx.unlock() as session:
        service = ConflictService(session, RecordService(session))
        if action == "list":
            conflicts = service.list()
            if ctx.wants_json:
                ctx.emit_json([conflict_json(c) for c in conflicts])
            for c in [] if ctx.wants_json else conflicts:
                ctx.say(f"{c.record_id}  {c.kind:<11} {len(c.heads)} versions  current {c.current_revision}")
            return ExitCode.OK
        if action == "show":
            shown_conflict = service.get(ctx.args.id)
            ctx.emit_json(conflict_json(shown_conflict, with_bodies=True))
            return ExitCode.OK
        state = service.resolve(ctx.args.id, ctx.args.keep)
        ctx.say(state.revision)
        return ExitCode.OK


def conflict_json(item: Conflict, *, with_bodies: bool = False) -> dict[str, Any]:
    heads = []
    for version in item.heads:
        head: dict[str, Any] = {
            "revision": version.revision,
            "origin_device": version.origin_device,
            "written_at": version.written_at,
            "deleted": version.deleted,
        }
        if with_bodies:
            head["body"] = version.body
        heads.append(head)
    return {"id": item.record_id, "kind": item.kind, "current_revision": item.current_revision, "versions": heads}
