"""The machine-readable annex of a report: JSON (the whole content) and CSV (one row per event).

Both are made from ``ReportContent`` alone, so they hold nothing the PDF may not: the redaction list and the
pseudonymised list are for the coordinator's wizard and are left out. The schema is in ``docs/REPORTS.md``; a
change that removes or renames a key raises ``ANNEX_VERSION``.

The CSV has a row per event, not per victim: the Special Procedures and analysts count incidents, and a row per
victim would repeat each event's description once per person. Victims are listed in their column, joined by
"; ". A cell that a spreadsheet would take for a formula (starting with = + - @ or a tab or carriage return) is
written with a leading apostrophe, so opening the CSV never runs anything.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any, Final

from safecase.services.reports.model import CaseSection, EventEntry, ReportContent

ANNEX_SCHEMA: Final = "safecase-report-annex"
ANNEX_VERSION: Final = 1
CSV_COLUMNS: Final = (
    "case_id",
    "case_title",
    "event_title",
    "event_type",
    "date",
    "place",
    "perpetrators",
    "victims",
    "description",
)
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def annex_json(content: ReportContent) -> dict[str, Any]:
    """The annex as a JSON-ready dict (``json.dumps(..., ensure_ascii=False)`` writes it)."""
    return {
        "schema": ANNEX_SCHEMA,
        "version": ANNEX_VERSION,
        "title": content.title,
        "lang": content.lang,
        "policy": {"name": content.policy_name, "title": content.policy_title},
        "generated_at": content.generated_at,
        "submitter": content.submitter,
        "cases": [_case(case) for case in content.cases],
        "statistics": dataclasses.asdict(content.statistics),
        "sources": [
            {
                "kind": source.kind,
                "record_id": source.record_id,
                "label": source.label,
                "date": source.date_text,
                "sha256": source.sha256,
                "size": source.size,
            }
            for source in content.sources
        ],
    }


def _case(case: CaseSection) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "title": case.title,
        "summary": case.summary,
        "victims": [dataclasses.asdict(person) for person in case.victims],
        "perpetrators": list(case.perpetrators),
        "events": [_event(event) for event in case.events],
        "actions_taken": case.actions_taken,
        "testimonies": list(case.testimonies),
    }


def _event(event: EventEntry) -> dict[str, Any]:
    return {
        "title": event.title,
        "type": event.type_label,
        "date": event.date_text,
        "place": event.place_text,
        "perpetrators": list(event.perpetrators),
        "victims": list(event.victims),
        "description": event.description,
    }


def annex_csv(content: ReportContent) -> str:
    """The events as CSV (RFC 4180, CRLF line ends, a header row of ``CSV_COLUMNS``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for case in content.cases:
        for event in case.events:
            row = (
                case.case_id,
                case.title,
                event.title,
                event.type_label,
                event.date_text,
                event.place_text,
                "; ".join(event.perpetrators),
                "; ".join(event.victims),
                event.description,
            )
            writer.writerow([_safe_cell(cell) for cell in row])
    return buffer.getvalue()


def _safe_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
