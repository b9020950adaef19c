"""``build_report``: the one place that reads the vault for a report and applies policy, consent and manual spans.

What it returns (``model.ReportContent``) holds only what may be shown: names where the policy allows them and
the person's consent does too (else the pseudonym), dates and places cut to the policy's precision, free text
with manual spans removed and scrubbed of names, contact details, exact dates and places (``scrub``), and no
contact record at all. Everything left out is listed in ``redactions`` for the coordinator, without the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from safecase.domain import vocabulary as v
from safecase.domain.disclosure import DisclosurePolicy, policy
from safecase.domain.partial_date import PartialDate
from safecase.errors import UsageError, shown
from safecase.services.reports.consent import all_consents
from safecase.services.reports.gather import CaseRecords, Gathered, gather, victim_ids
from safecase.services.reports.model import CaseSection, EventEntry, LeftOut, Redaction, ReportContent, SourceEntry
from safecase.services.reports.people import People
from safecase.services.reports.places import PlaceNamer
from safecase.services.reports.preflight import check_before_report
from safecase.services.reports.redaction import RedactionService
from safecase.services.reports.scrub import (
    TextScrubber,
    contact_replacer,
    date_scrubber,
    name_replacer,
    normalise,
    place_replacer,
)
from safecase.services.reports.statistics import first_event_years, statistics
from safecase.services.session import VaultSession
from safecase.storage.records import RecordState

LANGUAGES = ("en", "ko")


@dataclass(frozen=True)
class ReportRequest:
    """What to report on and how. ``date_precision`` and ``place_precision`` may only make the policy coarser."""

    case_ids: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    policy_name: str = "un-special-procedures"
    lang: str = "en"
    date_precision: str | None = None
    place_precision: str | None = None
    title: str = ""


def build_report(session: VaultSession, request: ReportRequest) -> ReportContent:
    """The redacted content of a report; UsageError, NotFoundError or IntegrityError with a one-line message."""
    chosen = policy(request.policy_name).narrowed(request.date_precision, request.place_precision)
    if request.lang not in LANGUAGES:
        raise UsageError(f"No report language {shown(request.lang)}: use en or ko.")
    gathered = gather(session, request.case_ids, request.event_ids)
    check_before_report(session)
    return _Builder(session, gathered, chosen, request).content()


class _Builder:
    def __init__(
        self, session: VaultSession, gathered: Gathered, chosen: DisclosurePolicy, request: ReportRequest
    ) -> None:
        self._session = session
        self._g = gathered
        self._policy = chosen
        self._request = request
        self._lang = request.lang
        vault_people = {state.id: state for state in gathered.vault_people}
        self._people = People(vault_people, all_consents(session), chosen, request.lang)
        self._places = PlaceNamer(gathered.locations, chosen, request.lang)
        self._scrub = TextScrubber(
            contact_replacer((str(c.body.get("value", "")) for c in gathered.vault_contacts), request.lang),
            name_replacer(self._people.hidden_names(), request.lang),
            place_replacer(self._places.replacements()),
            date_scrubber(chosen.date_precision),
        )
        self._manual = RedactionService(session)
        self._redactions: list[Redaction] = []

    def content(self) -> ReportContent:
        sections = tuple(self._section(section) for section in self._g.sections)
        events = list({e.id: e for s in self._g.sections for e in s.events}.values())
        person_ids = list(self._g.people)
        self._redactions += self._people.name_redactions(person_ids)
        self._redactions += self._left_out()
        now = self._session.now_iso()
        report_people = {pid: self._g.people[pid] for pid in person_ids}
        stats = statistics(
            events, report_people, self._g.locations, self._places, self._policy, self._lang, int(now[:4])
        )
        return ReportContent(
            title=self._title(sections),
            lang=self._lang,
            policy_name=self._policy.name,
            policy_title=self._policy.title(self._lang),
            generated_at=now,
            submitter=self._submitter(),
            cases=sections,
            statistics=stats,
            sources=self._sources(),
            redactions=tuple(self._redactions),
            pseudonymised=tuple(self._people.pseudonymised(person_ids)),
        )

    # -- text ---------------------------------------------------------------------------------------------------

    def _text(self, state: RecordState, field: str) -> str:
        """A free-text field with manual spans removed, then scrubbed."""
        text, spans = self._manual.apply(state, field, self._lang)
        for span in spans:
            self._redactions.append(
                Redaction(state.id, LeftOut.TEXT_SPAN, "manual", field, span.reason, kind=state.kind)
            )
        return self._scrubbed(state, field, text)

    def _scrubbed(self, record: RecordState, field: str, text: str) -> str:
        if not text:
            return ""
        cleaned = self._scrub(text)
        if cleaned != normalise(text):
            redaction = Redaction(
                record.id, LeftOut.WORDS_IN_TEXT, "policy", field, self._policy.name, kind=record.kind
            )
            self._redactions.append(redaction)
        return cleaned

    # -- sections -----------------------------------------------------------------------------------------------

    def _section(self, records: CaseRecords) -> CaseSection:
        case = records.case
        years = first_event_years(records.events)
        summary_parts = [self._text(case, "summary")] if case else []
        for testimony in records.testimonies:
            text = self._text(testimony, "summary")
            if text:
                summary_parts.append(f"{self._testimony_label(testimony)}: {text}")
        return CaseSection(
            case_id=case.id if case else "",
            title=self._text(case, "title") if case else self._loose_title(),
            summary="\n\n".join(part for part in summary_parts if part),
            victims=tuple(self._people.entry(p.id, years.get(p.id)) for p in records.people),
            perpetrators=tuple(dict.fromkeys(p for e in records.events for p in self._perpetrators(e))),
            events=tuple(self._event(event) for event in records.events),
            actions_taken=self._text(case, "actions_taken") if case else "",
            testimonies=tuple(self._testimony_label(t) for t in records.testimonies),
        )

    def _loose_title(self) -> str:
        return "사례 밖의 사건" if self._lang == "ko" else "Events outside the cases above"

    def _event(self, event: RecordState) -> EventEntry:
        body = event.body
        type_label = v.EVENT_TYPES.label(str(body["type"]), self._lang)
        description = self._text(event, "description")
        acts = [self._act_text(event, act) for act in body.get("acts", [])]
        return EventEntry(
            title=self._text(event, "title") or type_label,
            type_label=type_label,
            date_text=self._event_date(event),
            place_text=self._event_place(event),
            perpetrators=tuple(dict.fromkeys(self._perpetrators(event))),
            victims=tuple(self._people.label(pid) for pid in victim_ids(body)),
            description="\n".join(part for part in [description, *acts] if part),
        )

    def _act_text(self, event: RecordState, act: Mapping[str, Any]) -> str:
        text = self._scrubbed(event, "acts", str(act.get("description", "")))
        if not text:
            return ""
        victim = f" ({self._people.label(str(act['victim_id']))})" if act.get("victim_id") else ""
        return f"- {v.EVENT_TYPES.label(str(act['type']), self._lang)}{victim}: {text}"

    def _perpetrators(self, event: RecordState) -> list[str]:
        found: list[str] = []
        for part in (event.body, *event.body.get("acts", [])):
            if part.get("perpetrator_institution"):
                found.append(v.PERPETRATOR_INSTITUTIONS.label(str(part["perpetrator_institution"]), self._lang))
            if part.get("perpetrator_unit"):
                found.append(self._scrubbed(event, "perpetrator_unit", str(part["perpetrator_unit"])))
        return found

    def _date(self, text: object, record_id: str, item: LeftOut) -> str:
        if not text:
            return ""
        date = PartialDate.parse(str(text))
        if self._policy.hides_detail_of(date):
            self._redactions.append(Redaction(record_id, item, "policy", detail=self._policy.date_precision))
        return str(self._policy.truncate(date))

    def _event_date(self, event: RecordState) -> str:
        start = self._date(event.body.get("date"), event.id, LeftOut.EVENT_DATE)
        end = self._date(event.body.get("end_date"), event.id, LeftOut.EVENT_END_DATE)
        return f"{start} – {end}" if end and end != start else start

    def _event_place(self, event: RecordState) -> str:
        body = event.body
        ids = [str(x) for x in (body.get("location_id"), body.get("from_location_id")) if x]
        way = [body.get("from_location_id"), *body.get("via_location_ids", []), body.get("to_location_id")]
        way_ids = [str(x) for x in way if x]
        if any(self._places.is_generalised(i) for i in [*ids, *way_ids]):
            precision = self._policy.place_precision
            self._redactions.append(Redaction(event.id, LeftOut.EVENT_PLACE, "policy", detail=precision))
        where = self._places.label(str(body["location_id"])) if body.get("location_id") else ""
        route = self._places.route(way_ids) if len(way_ids) > 1 or not where else ""
        if where and route:
            return f"{where} ({route})"
        return where or route

    # -- the rest -----------------------------------------------------------------------------------------------

    def _testimony_label(self, testimony: RecordState) -> str:
        person = self._people.label(str(testimony.body.get("interviewee_id", "")))
        date = self._date(testimony.body.get("date"), testimony.id, LeftOut.TESTIMONY_DATE)
        head = f"{person} 증언" if self._lang == "ko" else f"Testimony of {person}"
        return f"{head}, {date}" if date else head

    def _sources(self) -> tuple[SourceEntry, ...]:
        found = [
            SourceEntry("testimony", t.id, self._testimony_label(t), str(self._policy_date(t.body.get("date"))))
            for t in self._g.testimonies.values()
        ]
        for attachment in self._g.attachments:
            body = attachment.body
            found.append(
                SourceEntry(
                    "attachment",
                    attachment.id,
                    self._scrubbed(attachment, "file_name", str(body.get("file_name", ""))),
                    self._policy_date(str(body.get("intake_at", ""))[:10]),
                    str(body.get("sha256", "")),
                    int(body["size"]) if isinstance(body.get("size"), int) else None,
                )
            )
        return tuple(found)

    def _policy_date(self, text: object) -> str:
        return str(self._policy.truncate(PartialDate.parse(str(text)))) if text else ""

    def _left_out(self) -> list[Redaction]:
        found = [
            Redaction(cid, LeftOut.CONTACT_DETAILS, "policy", self._contact_owner(cid)) for cid in self._g.contact_ids
        ]
        for testimony in self._g.testimonies.values():
            if any(testimony.body.get(f) for f in ("interviewer", "interpreter", "place", "place_location_id")):
                found.append(Redaction(testimony.id, LeftOut.INTERVIEW_DETAILS, "policy"))
        return found

    def _contact_owner(self, contact_id: str) -> str:
        state = self._session.records.get(contact_id)
        return self._people.pseudonym(str(state.body.get("person_id", ""))) if state else ""

    def _submitter(self) -> str:
        record = self._session.identity_record()
        organisation, name = record.organisation.strip(), record.display_name.strip()
        if not self._policy.submitter_confidential:
            return ", ".join(part for part in (name, organisation) if part)
        withheld = "(작성자 비공개)" if self._lang == "ko" else "(the individual submitter is kept confidential)"
        return f"{organisation} {withheld}" if organisation else withheld.strip("()")

    def _title(self, sections: Iterable[CaseSection]) -> str:
        if self._request.title:
            return self._scrub(self._request.title)
        titles = [section.title for section in sections]
        if len(titles) == 1:
            return titles[0]
        return f"사례 {len(titles)}건" if self._lang == "ko" else f"{len(titles)} cases"
