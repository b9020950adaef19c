"""What a report left out, said in English for the command line (the desktop wizard says it in its own language,
from the same codes: ``safecase.ui.reports.left_out_text``)."""

from __future__ import annotations

from safecase.domain.disclosure import POLICIES
from safecase.services.reports.model import ConsentGap, LeftOut, Pseudonymised, Redaction

_ITEMS = {
    LeftOut.NAME: "name of {subject}",
    LeftOut.CONTACT_DETAILS: "contact details of {subject}",
    LeftOut.INTERVIEW_DETAILS: "interviewer, interpreter and place of the interview",
    LeftOut.EVENT_DATE: "exact date of an event",
    LeftOut.EVENT_END_DATE: "exact end date of an event",
    LeftOut.TESTIMONY_DATE: "exact date of a testimony",
    LeftOut.EVENT_PLACE: "exact place of an event",
    LeftOut.TEXT_SPAN: "words marked by hand in {subject}",
    LeftOut.WORDS_IN_TEXT: "names, contact details, dates or places written in {subject}",
}
_GAPS = {
    ConsentGap.MISSING: "no consent recorded",
    ConsentGap.WITHDRAWN: "consent withdrawn",
    ConsentGap.NOT_COVERED: "consent does not cover this",
}


def gap_text(gap: ConsentGap, date: str = "") -> str:
    text = _GAPS[gap]
    return f"{text} on {date}" if gap is ConsentGap.WITHDRAWN and date else text


def why(redaction: Redaction) -> str:
    if redaction.reason == "consent":
        return gap_text(ConsentGap(redaction.detail), redaction.date)
    if redaction.reason == "manual":
        return f"marked by hand: {redaction.detail}" if redaction.detail else "marked by hand"
    if redaction.item is LeftOut.CONTACT_DETAILS:
        return "contact details never appear in a report"
    if redaction.item is LeftOut.INTERVIEW_DETAILS:
        return "never in a report"
    if redaction.item in (LeftOut.EVENT_DATE, LeftOut.EVENT_END_DATE, LeftOut.TESTIMONY_DATE):
        return f"shown to the {redaction.detail}"
    if redaction.item is LeftOut.EVENT_PLACE:
        return f"shown as the {redaction.detail}"
    titles = {p.name: p.title_en for p in POLICIES}
    return f"policy: {titles.get(redaction.detail, redaction.detail)}"


def describe(redaction: Redaction) -> str:
    """One line, e.g. "name of P-7K2M9Q (consent withdrawn on 2024-03-01)"; never the data left out."""
    subject = f"{redaction.kind} {redaction.subject}" if redaction.kind else redaction.subject
    return f"{_ITEMS[redaction.item].format(subject=subject)} ({why(redaction)})"


def describe_pseudonymised(person: Pseudonymised) -> str:
    return f"{person.pseudonym}: {gap_text(person.gap, person.date)}"
