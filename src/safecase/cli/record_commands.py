"""Commands about records: record add/show/list/edit/delete/restore/schema, history, import, search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safecase.cli.context import CliContext
from safecase.domain.kinds import Kind
from safecase.domain.merge_patch import apply_merge_patch
from safecase.domain.records import display_title, json_schema
from safecase.errors import ExitCode, UsageError
from safecase.services.importer import detect_format, import_rows, read_rows
from safecase.services.input_files import parse_json, read_input_text
from safecase.services.records import RecordService
from safecase.services.search import SearchService
from safecase.storage.records import RecordState, RecordVersion

MAX_JSON_INPUT = 64 * 1024 * 1024
MAX_QUERY_CHARACTERS = 10_000


def record(ctx: CliContext) -> int:
    action = ctx.args.record_command
    if action == "schema":
        ctx.emit_json(json_schema(Kind(ctx.args.kind)))
        return ExitCode.OK
    needs_body = action in {"add", "edit"}
    typed = needs_body and ctx.option("file") is None and ctx.stdin.isatty()
    # Piped or file JSON is read (and refused if bad) before the slow unlock; typed JSON after the passphrase.
    body = _read_json_input(ctx) if needs_body and not typed else None
    with ctx.unlock() as session:
        if typed:
            ctx.note("Type or paste the record as JSON, then press Ctrl+D on a new line (Ctrl+Z, Enter on Windows).")
            body = _read_json_input(ctx)
        records = RecordService(session)
        if action == "add":
            _print_state(ctx, records.add(Kind(ctx.args.kind), body), id_only=not ctx.wants_json)
        elif action == "show":
            _print_state(ctx, records.show(ctx.args.id))
        elif action == "list":
            _print_list(ctx, records.list_kind(Kind(ctx.args.kind), ctx.args.limit, ctx.args.offset))
        elif action == "edit":
            current = records.show(ctx.args.id)
            new_body = body if ctx.args.replace else apply_merge_patch(current.body, body)
            _print_state(ctx, records.edit(ctx.args.id, new_body), id_only=not ctx.wants_json)
        elif action == "delete":
            records.delete(ctx.args.id)
            ctx.note(f"Deleted {ctx.args.id}; its history is kept (`safecase history {ctx.args.id}`).")
        elif action == "restore":
            _print_state(ctx, records.restore(ctx.args.id, ctx.args.revision), id_only=not ctx.wants_json)
    return ExitCode.OK


def history(ctx: CliContext) -> int:
    with ctx.unlock() as session:
        versions = RecordService(session).history(ctx.args.id)
    if ctx.wants_json:
        ctx.emit_json([version_json(v) for v in versions])
        return ExitCode.OK
    for version in versions:
        state = "deleted" if version.deleted else display_title(Kind(version.kind), version.body)
        ctx.say(f"{version.revision}  {version.written_at}  {state}")
    return ExitCode.OK


def import_file(ctx: CliContext) -> int:
    path: Path = ctx.args.file
    rows = read_rows(path, detect_format(path, ctx.option("format")))
    with ctx.unlock() as session:
        counts = import_rows(RecordService(session), rows)
    if ctx.wants_json:
        ctx.emit_json({"imported": counts})
    else:
        ctx.say("Imported " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) + ".")
    return ExitCode.OK


def search(ctx: CliContext) -> int:
    query: str | None = ctx.args.query
    typed = query in (None, "-")
    if typed and not ctx.stdin.isatty():
        query = _read_query(ctx)
        typed = False
    with ctx.unlock() as session:
        if typed:
            ctx.note("Search for:")
            query = _read_query(ctx)
        assert query is not None
        results = SearchService(session).search(query, ctx.args.limit)
    if ctx.wants_json:
        ctx.emit_json(
            [
                {
                    "id": r.record.id,
                    "kind": r.kind.value,
                    "title": r.title,
                    "score": r.score,
                    "snippet": r.snippet.text,
                    "highlights": [list(span) for span in r.snippet.highlights],
                }
                for r in results
            ]
        )
        return ExitCode.OK
    if not results:
        ctx.note("No matches.")
    for kind in Kind:
        group = [r for r in results if r.kind is kind]
        if group:
            ctx.say(f"== {kind.value} ({len(group)})")
        for result in group:
            ctx.say(f"{result.record.id}  {result.title}")
            ctx.say(f"    {_marked(result.snippet.text, result.snippet.highlights)}")
    return ExitCode.OK


def _read_query(ctx: CliContext) -> str:
    query = ctx.stdin.readline(MAX_QUERY_CHARACTERS).strip()
    if not query:
        raise UsageError("Nothing to search for: give a word, a name or a place.")
    return query


def state_json(state: RecordState) -> dict[str, Any]:
    return {
        "id": state.id,
        "kind": state.kind,
        "revision": state.revision,
        "created_at": state.created_at,
        "updated_at": state.updated_at,
        "origin_device": state.origin_device,
        "deleted": state.deleted,
        "body": state.body,
    }


def version_json(version: RecordVersion) -> dict[str, Any]:
    return {
        "id": version.record_id,
        "kind": version.kind,
        "revision": version.revision,
        "written_at": version.written_at,
        "origin_device": version.origin_device,
        "deleted": version.deleted,
        "parents": sorted(version.parents),
        "body": version.body,
    }


def _print_state(ctx: CliContext, state: RecordState, *, id_only: bool = False) -> None:
    if id_only:
        ctx.say(state.id)
    else:
        ctx.emit_json(state_json(state))


def _print_list(ctx: CliContext, states: list[RecordState]) -> None:
    if ctx.wants_json:
        ctx.emit_json([state_json(s) for s in states])
        return
    for state in states:
        ctx.say(f"{state.id}  {state.updated_at}  {display_title(Kind(state.kind), state.body)}")


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], "[", text[start:end], "]"]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _read_json_input(ctx: CliContext) -> Any:
    path: Path | None = ctx.option("file")
    if path is not None and str(path) != "-":
        return parse_json(read_input_text(path, MAX_JSON_INPUT), str(path))
    text = ctx.stdin.read(MAX_JSON_INPUT + 1)
    if len(text) > MAX_JSON_INPUT:
        raise UsageError(f"The JSON on standard input is larger than {MAX_JSON_INPUT // 2**20} MiB.")
    return parse_json(text, "standard input")
