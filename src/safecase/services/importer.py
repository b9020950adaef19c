"""Import records from JSON, JSON Lines or CSV: every row is checked first, then all are written, or none.

A row is an object with ``kind``, an optional ``id`` (so rows can refer to each other) and the fields of that
kind. In CSV, nested fields are dotted column names (``names.hangul``), and each cell is converted to the type the
kind's JSON Schema gives that field (lists: a JSON array, or values separated by ``;``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from safecase.domain.kinds import Kind
from safecase.domain.records import json_schema
from safecase.errors import SafeCaseError, UsageError, ValidationError
from safecase.services.input_files import parse_json, read_input_text
from safecase.services.records import PendingWrite, RecordService

MAX_IMPORT_BYTES = 512 * 1024 * 1024
MAX_ROWS = 1_000_000
CSV_CELL_LIMIT = 4_000_000  # above the longest text field (1,000,000 characters), so such rows get a field error
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n"}


def detect_format(path: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    suffix = path.suffix.lower()
    if suffix in {".json", ".jsonl", ".csv"}:
        return suffix[1:]
    raise UsageError(f"Cannot tell the format of {path.name}: name it .json, .jsonl or .csv, or pass --format.")


def read_rows(path: Path, file_format: str) -> list[dict[str, Any]]:
    text = read_input_text(path, MAX_IMPORT_BYTES)
    rows = list(_parse(text, file_format))
    if not rows:
        raise UsageError(f"{path} holds no rows to import.")
    if len(rows) > MAX_ROWS:
        raise UsageError(f"{path} has more than {MAX_ROWS} rows; split it into smaller files.")
    return rows


def _parse(text: str, file_format: str) -> Iterator[dict[str, Any]]:
    if file_format == "csv":
        yield from _csv_rows(text)
        return
    values: Any
    if file_format == "jsonl":
        values = _json_lines(text)
    else:
        document = parse_json(text, "The file")
        values = document.get("records") if isinstance(document, dict) else document
    if not isinstance(values, list):
        raise UsageError('A JSON import must be a list of rows, or an object {"records": [...]}.')
    for number, value in enumerate(values, start=1):
        if not isinstance(value, dict):
            raise UsageError(f"row {number}: each row must be a JSON object with a kind.")
        yield value


def _json_lines(text: str) -> list[Any]:
    values = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            values.append(parse_json(line, f"Line {number}"))
    return values


def _csv_rows(text: str) -> Iterator[dict[str, Any]]:
    csv.field_size_limit(CSV_CELL_LIMIT)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if not reader.fieldnames or "kind" not in reader.fieldnames:
            raise UsageError("A CSV import needs a header row with a 'kind' column.")
        for number, cells in enumerate(reader, start=1):
            if None in cells:
                raise UsageError(f"row {number}: more cells than columns.")
            yield _row_from_cells(number, cells)
    except csv.Error:
        raise UsageError(
            f"The CSV file is malformed near line {reader.line_num} (a cell over {CSV_CELL_LIMIT:,} characters, "
            "or an unclosed quote)."
        ) from None


def _row_from_cells(number: int, cells: dict[str, str]) -> dict[str, Any]:
    kind = _kind(number, cells.get("kind"))
    schema = json_schema(kind)
    row: dict[str, Any] = {"kind": kind.value}
    for column, cell in cells.items():
        if column == "kind" or cell is None or cell == "":
            continue
        if column == "id":
            row["id"] = cell
            continue
        _put_dotted(row, column.split("."), _convert(number, column, cell, _schema_at(schema, column.split("."))))
    return row


def _schema_at(schema: dict[str, Any], path: list[str]) -> dict[str, Any]:
    node = schema
    for part in path:
        node = node.get("properties", {}).get(part, {})
    return node


def _convert(number: int, column: str, cell: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(cell)
        if kind == "number":
            return float(cell)
        if kind == "boolean":
            lowered = cell.strip().lower()
            if lowered in _TRUE | _FALSE:
                return lowered in _TRUE
            raise ValueError
        if kind == "array":
            if cell.lstrip().startswith("["):
                return parse_json(cell, f"row {number}, column {column}")
            return [part.strip() for part in cell.split(";") if part.strip()]
    except (ValueError, RecursionError, UsageError):
        raise ValidationError(f"row {number}: the cell in column {column} is not a valid {kind}") from None
    return cell


def _put_dotted(row: dict[str, Any], path: list[str], value: Any) -> None:
    node = row
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise UsageError(f"Column {'.'.join(path)} conflicts with another column.")
    node[path[-1]] = value


def _kind(number: int, value: object) -> Kind:
    try:
        return Kind(str(value))
    except ValueError:
        kinds = ", ".join(k.value for k in Kind)
        raise ValidationError(f"row {number}: the kind is not one SafeCase knows; use one of {kinds}.") from None


ProgressCallback = Callable[[int, int], None]


def import_rows(
    records: RecordService, rows: list[dict[str, Any]], progress: ProgressCallback | None = None
) -> dict[str, int]:
    """Validate every row, check references across rows and the vault, then write all in one transaction.

    ``progress(done, total)`` is called while rows are checked; it may raise to cancel, which is safe then:
    nothing is written until every row has been checked.
    """
    writes: list[PendingWrite] = []
    seen_ids: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if progress is not None and number % 100 == 1:
            progress(number - 1, len(rows))
        body = dict(row)
        kind = _kind(number, body.pop("kind", None))
        record_id = body.pop("id", None)
        try:
            if record_id is not None and not isinstance(record_id, str):
                raise ValidationError("must be a record id (a UUID text)", "id")
            write = records.prepare_new(kind, body, record_id)
        except SafeCaseError as error:
            raise ValidationError(f"row {number} ({kind.value}): {error.message}; nothing was imported") from None
        if write.record_id in seen_ids:
            raise ValidationError(f"row {number}: id {write.record_id} appears twice; nothing was imported")
        seen_ids.add(write.record_id)
        writes.append(write)
    try:
        records.write_batch(writes)
    except ValidationError as error:
        raise ValidationError(f"{error.message}; nothing was imported") from None
    counts: dict[str, int] = {}
    for write in writes:
        counts[write.kind.value] = counts.get(write.kind.value, 0) + 1
    return counts
