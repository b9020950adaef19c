"""Manual redaction: spans of a record's text marked to be left out of every report. The record is never changed.

A span is marked on the text of the record's current version and remembers that version's revision, since the
offsets count characters in that text. When the record is edited later, a span is carried over to the new text
(re-anchored) only where that cannot let the marked words through:

* the field's text is the same as when the span was marked (another field was edited): the span applies as is;
* the text changed, but the words under the span still occur in it: every occurrence is redacted (one too many
  redacted is safe, one too few is a leak);
* the words are gone or changed: the span is *stale* and a report over that record is refused until the user
  removes it and, if needed, marks the new text again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from safecase.errors import NotFoundError, SafeCaseError, ValidationError
from safecase.services.session import VaultSession
from safecase.storage.records import RecordState

MARKERS = {"en": "[redacted]", "ko": "[비공개]"}
# The free-text fields a span may be marked on; ids, codes and dates are not text a span could hide words in.
TEXT_FIELDS = (
    "title", "summary", "description", "original_text", "translation", "perpetrator_unit", "notes", "actions_taken",
)  # fmt: skip


class StaleRedactionError(SafeCaseError):
    """A manual span no longer fits the text it was marked on; the report would otherwise show those words."""


@dataclass(frozen=True)
class ManualSpan:
    id: int
    record_id: str
    field: str
    revision: str
    start: int
    end: int
    reason: str
    created_at: str


@dataclass(frozen=True)
class PlacedSpan:
    """A span's place in the record's current text (one span may fall in several places once re-anchored)."""

    span: ManualSpan
    start: int
    end: int


def marker(lang: str) -> str:
    return MARKERS["ko" if lang == "ko" else "en"]


class RedactionService:
    def __init__(self, session: VaultSession) -> None:
        self._session = session
        self._db = session.db

    def mark(
        self,
        record_id: str,
        field: str,
        start: int,
        end: int,
        reason: str = "",
        *,
        seen: tuple[str, str] | None = None,
    ) -> ManualSpan:
        """Mark ``text[start:end]`` of ``field`` in the record's current version as redacted for reports.

        ``seen``: the revision and the words the user selected them in; if the stored record is not that version
        or those are not the words at those offsets, nothing is marked (the user selects again)."""
        state = self._current(record_id)
        text = _field_text(state, field)
        if not 0 <= start < end <= len(text):
            raise ValidationError(f"must be within the text (0 to {len(text)}) and not empty", "span")
        if seen is not None and (state.revision, text[start:end]) != seen:
            raise ValidationError("changed since the words were selected: select them again", field)
        at = self._session.now_iso()
        with self._db.transaction():
            cursor = self._db.execute(
                "INSERT INTO report_redactions (record_id, field, revision, start, end, reason, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (state.id, field, state.revision, start, end, reason.strip(), at),
            )
            span_id = int(cursor.lastrowid)
            self._session.log("report.redaction.mark", state.id, f"{field} {start}-{end} span {span_id}")
        return ManualSpan(span_id, state.id, field, state.revision, start, end, reason.strip(), at)

    def list_spans(self, record_id: str | None = None) -> list[ManualSpan]:
        """Every span, or the spans of one record, in the order they were marked."""
        sql = "SELECT id, record_id, field, revision, start, end, reason, created_at FROM report_redactions"
        rows = (
            self._db.query_all(sql + " WHERE record_id = ? ORDER BY id", (record_id.strip().lower(),))
            if record_id
            else self._db.query_all(sql + " ORDER BY id")
        )
        return [ManualSpan(*row) for row in rows]

    def remove(self, span_id: int) -> None:
        with self._db.transaction():
            row = self._db.query_one("SELECT record_id FROM report_redactions WHERE id = ?", (span_id,))
            if row is None:
                raise NotFoundError(f"No redaction {span_id}: list them with `safecase report redactions`.")
            self._db.execute("DELETE FROM report_redactions WHERE id = ?", (span_id,))
            self._session.log("report.redaction.remove", row[0], f"span {span_id}")

    def apply(self, state: RecordState, field: str, lang: str) -> tuple[str, list[ManualSpan]]:
        """The field's current text with every span marked on it replaced by the marker, and the spans applied.

        Raises StaleRedactionError for a span whose words can no longer be found (see the module docstring)."""
        text = _field_text(state, field, required=False)
        spans = [span for span in self.list_spans(state.id) if span.field == field]
        if not text or not spans:
            return text, spans
        ranges: list[tuple[int, int]] = []
        for span in spans:
            ranges.extend(self._anchor(span, state, text))
        return redact_ranges(text, ranges, marker(lang)), spans

    def placed(self, state: RecordState) -> tuple[list[PlacedSpan], list[ManualSpan]]:
        """Where every span of the record falls in its current text (for an editor to show them), and the spans
        that no longer fit (stale: a report is refused until they are removed)."""
        placed: list[PlacedSpan] = []
        stale: list[ManualSpan] = []
        for span in self.list_spans(state.id):
            text = _field_text(state, span.field, required=False)
            try:
                placed += [PlacedSpan(span, start, end) for start, end in self._anchor(span, state, text)]
            except StaleRedactionError:
                stale.append(span)
        return placed, stale

    def _anchor(self, span: ManualSpan, state: RecordState, text: str) -> list[tuple[int, int]]:
        if span.revision == state.revision:
            return [(span.start, span.end)]
        marked_text = self._text_at(span)
        if marked_text == text:
            return [(span.start, span.end)]
        words = marked_text[span.start : span.end] if marked_text is not None else ""
        found = list(_occurrences(text, words)) if words.strip() else []
        if not found:
            raise StaleRedactionError(
                f"Redaction {span.id} on {span.field} of {span.record_id} no longer fits its edited text: remove it "
                f"(in the record's editor, or `safecase report unredact {span.id}`) and mark the new text again."
            )
        return found

    def _text_at(self, span: ManualSpan) -> str | None:
        for version in self._session.records.history(span.record_id):
            if version.revision == span.revision:
                value = version.body.get(span.field)
                return value if isinstance(value, str) else None
        return None

    def _current(self, record_id: str) -> RecordState:
        state = self._session.records.get(record_id.strip().lower())
        if state is None or state.deleted:
            raise NotFoundError(f"No record with id {record_id}. List records with `safecase record list KIND`.")
        return state


def _field_text(state: RecordState, field: str, *, required: bool = True) -> str:
    value = state.body.get(field)
    if field in TEXT_FIELDS and isinstance(value, str):
        return value
    if required:
        raise ValidationError(f"is not a text field of this {state.kind} ({', '.join(TEXT_FIELDS)})", field)
    return ""


def _occurrences(text: str, words: str) -> Iterable[tuple[int, int]]:
    start = text.find(words)
    while start >= 0:
        yield start, start + len(words)
        start = text.find(words, start + 1)


def redact_ranges(text: str, ranges: Iterable[tuple[int, int]], replacement: str) -> str:
    """``text`` with each (start, end) range replaced by ``replacement``; overlapping or touching ranges merge."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in ranges):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[str] = []
    position = 0
    for start, end in merged:
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
