"""Commands about evidence files: attach, attachment list/show/export/verify/recover."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safecase.cli.context import CliContext
from safecase.errors import ExitCode, SafeCaseError, UsageError, shown
from safecase.services.attachments import SHRED_CAVEAT, AttachmentService, Derivation
from safecase.services.evidence_export import ExportResult
from safecase.services.evidence_source import check_source
from safecase.services.recording import recover_interrupted
from safecase.storage.records import RecordState


def attach(ctx: CliContext) -> int:
    paths: list[Path] = ctx.args.files
    derivation = _derivation(ctx)
    _check_sources(paths, shred=ctx.args.shred_original)  # every file before the slow unlock and the first intake
    added: list[RecordState] = []
    try:
        with ctx.unlock() as session:
            service = AttachmentService(session)
            for path in paths:
                description = ctx.option("description") or ""
                take_in = service.attach_and_shred if ctx.args.shred_original else service.attach
                added.append(take_in(ctx.args.record_id, path, description=description, derivation=derivation))
    except SafeCaseError as error:
        if added:
            error.message += f" The {len(added)} file(s) before it were added, as listed."
        raise
    finally:
        _print_added(ctx, added)
    return ExitCode.OK


def _check_sources(paths: list[Path], *, shred: bool) -> None:
    for path in paths:
        check_source(path)
        if shred and path.is_symlink():
            raise UsageError(
                f"{shown(path)} is a link; --shred-original overwrites only real files. Give the file it points to."
            )


def _print_added(ctx: CliContext, added: list[RecordState]) -> None:
    if ctx.wants_json:
        ctx.emit_json([attachment_json(state) for state in added])
    else:
        for state in added:
            ctx.say(f"{state.id}  {_summary(state)}")
    if ctx.args.shred_original and added:
        ctx.note(f"Original file(s): {SHRED_CAVEAT}")


def attachment(ctx: CliContext) -> int:
    action = ctx.args.attachment_command
    with ctx.unlock() as session:
        service = AttachmentService(session)
        if action == "list":
            states = service.list_for(ctx.args.record_id)
            if ctx.wants_json:
                ctx.emit_json([attachment_json(state) for state in states])
            for state in states if not ctx.wants_json else []:
                ctx.say(f"{state.id}  {_summary(state)}")
        elif action == "verify":
            state = service.verify(ctx.args.id)
            if ctx.wants_json:
                ctx.emit_json({"ok": True, **attachment_json(state)})
            else:
                ctx.say(f"ok  {state.id}  sha256:{state.body['sha256']}  {state.body['size']:,} bytes")
        elif action == "recover":
            _recover(ctx, recover_interrupted(session, service, on_problem=ctx.note))
        elif action == "export":
            result = service.export(ctx.args.id, ctx.args.output, strip=ctx.args.strip_metadata)
            if ctx.wants_json:
                ctx.emit_json(_export_json(result))
            ctx.note(f"Exported {result.size:,} bytes to {shown(result.path)}; this copy is NOT encrypted.")
            if result.strip is not None:
                if result.strip.stripped:
                    ctx.note("Removed: " + ", ".join(result.strip.stripped) + ".")
                if result.strip.not_stripped:
                    ctx.note(result.strip.not_stripped)
    return ExitCode.OK


def _recover(ctx: CliContext, states: list[RecordState]) -> None:
    if ctx.wants_json:
        ctx.emit_json([attachment_json(state) for state in states])
        return
    for state in states:
        seconds = state.body.get("duration_ms", 0) // 1000
        ctx.say(f"{state.id}  {_summary(state)}  {seconds // 60}:{seconds % 60:02d}  on {state.body['attached_to_id']}")
    if not states:
        ctx.note("No interrupted recordings to recover.")


def _derivation(ctx: CliContext) -> Derivation | None:
    original = ctx.option("derived_from")
    if original is None:
        if ctx.option("copy_role") or ctx.option("derivation"):
            raise UsageError("--copy-role and --derivation describe a copy; name its original with --derived-from.")
        return None
    return Derivation(original, ctx.option("copy_role") or "working", ctx.option("derivation") or "")


def _export_json(result: ExportResult) -> dict[str, Any]:
    strip = result.strip
    return {
        "path": str(result.path),
        "size": result.size,
        "encrypted": False,
        "stripped": list(strip.stripped) if strip else None,
        "not_stripped": strip.not_stripped if strip else None,
    }


def _summary(state: RecordState) -> str:
    body = state.body
    return f"{shown(body['file_name'])}  {body['media_type']}  {body['size']:,} bytes  sha256:{body['sha256'][:16]}…"


def attachment_json(state: RecordState) -> dict[str, Any]:
    return {"id": state.id, "revision": state.revision, **state.body}
