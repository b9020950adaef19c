"""What a report leaves out, said in the interface's language (the command line says it in English with
``services.reports.redaction_notes``; both read the same codes). Never shows the data that was left out."""

from __future__ import annotations

from PySide6.QtCore import QObject

from safecase.domain.disclosure import POLICIES
from safecase.domain.field_labels import field_label
from safecase.domain.kinds import Kind
from safecase.errors import shown
from safecase.services.reports.model import ConsentGap, LeftOut, Pseudonymised, Redaction


class LeftOutText(QObject):
    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang

    def describe(self, redaction: Redaction) -> str:
        """One line: what, then why, e.g. "Name of P-7K2M9Q — consent withdrawn on 2024-03-01"."""
        return f"{self._item(redaction)} — {self._why(redaction)}"

    def pseudonymised(self, person: Pseudonymised) -> str:
        return f"{person.pseudonym}: {self.gap(person.gap, person.date)}"

    def gap(self, gap: ConsentGap, date: str = "") -> str:
        if gap is ConsentGap.MISSING:
            return self.tr("no consent recorded")
        if gap is ConsentGap.NOT_COVERED:
            return self.tr("their consent does not cover this report")
        if date:
            return self.tr("consent withdrawn on %1").replace("%1", date)
        return self.tr("consent withdrawn")

    def _item(self, redaction: Redaction) -> str:
        subject = self._subject(redaction)
        items = {
            LeftOut.NAME: self.tr("Name of %1"),
            LeftOut.CONTACT_DETAILS: self.tr("Contact details of %1"),
            LeftOut.INTERVIEW_DETAILS: self.tr("Interviewer, interpreter and place of an interview"),
            LeftOut.EVENT_DATE: self.tr("Exact date of an event"),
            LeftOut.EVENT_END_DATE: self.tr("Exact end date of an event"),
            LeftOut.TESTIMONY_DATE: self.tr("Exact date of a testimony"),
            LeftOut.EVENT_PLACE: self.tr("Exact place of an event"),
            LeftOut.TEXT_SPAN: self.tr("Words marked by hand in “%1”"),
            LeftOut.WORDS_IN_TEXT: self.tr("Names, contact details, dates or places written in “%1”"),
        }
        return items[redaction.item].replace("%1", subject)

    def _why(self, redaction: Redaction) -> str:
        if redaction.reason == "consent":
            return self.gap(ConsentGap(redaction.detail), redaction.date)
        if redaction.reason == "manual":
            reason = shown(redaction.detail)
            return self.tr("marked by hand: %1").replace("%1", reason) if reason else self.tr("marked by hand")
        if redaction.item in (LeftOut.CONTACT_DETAILS, LeftOut.INTERVIEW_DETAILS):
            return self.tr("never in a report")
        if redaction.item in (LeftOut.EVENT_DATE, LeftOut.EVENT_END_DATE, LeftOut.TESTIMONY_DATE):
            precisions = {"year": self.tr("shown to the year"), "month": self.tr("shown to the month")}
            return precisions.get(redaction.detail, redaction.detail)
        if redaction.item is LeftOut.EVENT_PLACE:
            return self.tr("shown as the region")
        return self.tr("policy: %1").replace("%1", self._policy_title(redaction.detail))

    def _subject(self, redaction: Redaction) -> str:
        """A pseudonym as it is; a field by its label (in the kind of record it belongs to, where known)."""
        if redaction.item not in (LeftOut.TEXT_SPAN, LeftOut.WORDS_IN_TEXT):
            return shown(redaction.subject)
        kind = next((k for k in Kind if k.value == redaction.kind), None)
        if kind is None:
            return shown(redaction.subject)
        return f"{kind.label(self._lang)} · {field_label(kind, redaction.subject, self._lang)}"

    def _policy_title(self, name: str) -> str:
        return next((p.title(self._lang) for p in POLICIES if p.name == name), shown(name))
