"""Manual redaction: spans marked on a record's current text, applied in reports, the record left untouched;
edited text re-anchors a span only where its words can still be found, else the report is refused."""

from __future__ import annotations

import pytest

from safecase.domain.kinds import Kind
from safecase.errors import NotFoundError, ValidationError
from safecase.services.records import RecordService
from safecase.services.reports.content import ReportRequest, build_report
from safecase.services.reports.redaction import RedactionService, StaleRedactionError, redact_ranges
from safecase.services.session import VaultSession
from tests.factories import make_body

SUMMARY = "She hid in a cellar behind the Hoeryong market for two weeks, then crossed the river."
SECRET = "in a cellar behind the Hoeryong market"


def _testimony(session: VaultSession) -> tuple[RecordService, str]:
    records = RecordService(session)
    person = records.add(Kind.PERSON, make_body(Kind.PERSON)).id
    case = records.add(Kind.CASE, make_body(Kind.CASE)).id
    body = make_body(Kind.TESTIMONY, interviewee_id=person, case_ids=[case], summary=SUMMARY)
    return records, records.add(Kind.TESTIMONY, body).id


def test_ranges_merge_and_are_replaced() -> None:
    assert redact_ranges("abcdefgh", [(1, 3), (2, 5), (6, 7)], "#") == "a#f#h"


@pytest.mark.parametrize(("lang", "marker"), [("en", "[redacted]"), ("ko", "[비공개]")])
def test_a_marked_span_is_left_out_of_the_report_and_the_record_keeps_it(
    session: VaultSession, lang: str, marker: str
) -> None:
    records, testimony = _testimony(session)
    start = SUMMARY.index(SECRET)
    span = RedactionService(session).mark(testimony, "summary", start, start + len(SECRET), "hiding place")
    case_id = records.show(testimony).body["case_ids"][0]
    content = build_report(session, ReportRequest((case_id,), (), "internal", lang))
    summary = content.cases[0].summary
    assert SECRET not in summary and f"She hid {marker} for two weeks" in summary
    assert any(r.reason == "manual" and r.detail == "hiding place" for r in content.redactions)
    assert records.show(testimony).body["summary"] == SUMMARY
    assert [s.id for s in RedactionService(session).list_spans(testimony)] == [span.id]


def test_a_span_outside_the_text_or_on_a_non_text_field_is_refused(session: VaultSession) -> None:
    _records, testimony = _testimony(session)
    service = RedactionService(session)
    with pytest.raises(ValidationError, match="span"):
        service.mark(testimony, "summary", 5, len(SUMMARY) + 1)
    with pytest.raises(ValidationError, match="interviewee_id: is not a text field"):
        service.mark(testimony, "interviewee_id", 0, 3)
    with pytest.raises(NotFoundError):
        service.remove(999)


def test_a_span_follows_its_words_into_edited_text(session: VaultSession) -> None:
    records, testimony = _testimony(session)
    start = SUMMARY.index(SECRET)
    RedactionService(session).mark(testimony, "summary", start, start + len(SECRET))
    edited = "Reworded. " + SUMMARY
    records.edit(testimony, {**records.show(testimony).body, "summary": edited})
    text, _spans = RedactionService(session).apply(records.show(testimony), "summary", "en")
    assert SECRET not in text and text.startswith("Reworded. She hid [redacted]")


def test_a_span_whose_words_were_edited_away_refuses_the_report(session: VaultSession) -> None:
    records, testimony = _testimony(session)
    start = SUMMARY.index(SECRET)
    span = RedactionService(session).mark(testimony, "summary", start, start + len(SECRET))
    records.edit(testimony, {**records.show(testimony).body, "summary": SUMMARY.replace("cellar", "shed")})
    case_id = records.show(testimony).body["case_ids"][0]
    with pytest.raises(StaleRedactionError, match=f"Redaction {span.id} on summary"):
        build_report(session, ReportRequest((case_id,), (), "internal", "en"))
    RedactionService(session).remove(span.id)
    assert (
        "shed behind the Hoeryong market"
        in build_report(session, ReportRequest((case_id,), (), "internal", "en")).cases[0].summary
    )
