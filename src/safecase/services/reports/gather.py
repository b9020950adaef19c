"""Which records a report rests on: the cases asked for, their people, events, testimonies and evidence files.

Only reads. Everything gathered here is raw vault data; ``content`` decides what of it may be shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from safecase.domain.ids import parse_record_id
from safecase.domain.kinds import Kind
from safecase.errors import NotFoundError, UsageError
from safecase.services.session import VaultSession
from safecase.storage.records import RecordState


@dataclass
class CaseRecords:
    """One section of the report: a case with what belongs to it, or (``case`` None) events asked for alone."""

    case: RecordState | None
    people: list[RecordState] = field(default_factory=list)
    events: list[RecordState] = field(default_factory=list)
    testimonies: list[RecordState] = field(default_factory=list)


@dataclass
class Gathered:
    sections: list[CaseRecords]
    people: dict[str, RecordState]  # every person the report mentions, by id
    testimonies: dict[str, RecordState]
    attachments: list[RecordState]
    contact_ids: list[str]  # contacts of the people in the report: never shown, listed as left out
    locations: dict[str, RecordState]  # every location in the vault (places are generalised through parents)
    vault_people: list[RecordState]  # every person in the vault, for scrubbing names out of free text
    vault_contacts: list[RecordState]  # every contact in the vault, for scrubbing contact details out of text

    def used_ids(self) -> set[str]:
        ids = {state.id for state in self.people.values()} | set(self.testimonies)
        ids |= {state.id for state in self.attachments}
        for section in self.sections:
            ids |= {state.id for state in section.events}
            if section.case is not None:
                ids.add(section.case.id)
        return ids


def all_of_kind(session: VaultSession, kind: Kind, page: int = 1000) -> list[RecordState]:
    """Every live record of ``kind``, read a page at a time."""
    found: list[RecordState] = []
    while batch := session.records.list_kind(kind.value, page, len(found)):
        found.extend(batch)
        if len(batch) < page:
            break
    return found


def gather(session: VaultSession, case_ids: Iterable[str], event_ids: Iterable[str]) -> Gathered:
    """The records for a report over ``case_ids`` plus ``event_ids`` (events outside those cases)."""
    cases = [_live(session, record_id, Kind.CASE) for record_id in dict.fromkeys(case_ids)]
    loose = [_live(session, record_id, Kind.EVENT) for record_id in dict.fromkeys(event_ids)]
    if not cases and not loose:
        raise UsageError("Name at least one case or event for the report.")
    sections = [_case_records(session, case) for case in cases]
    in_cases = {event.id for section in sections for event in section.events}
    extra = [event for event in loose if event.id not in in_cases]
    if extra:
        sections.append(_event_records(session, extra))
    people = {person.id: person for section in sections for person in section.people}
    testimonies = {t.id: t for section in sections for t in section.testimonies}
    used = [section.case for section in sections if section.case is not None]
    used += [*people.values(), *testimonies.values(), *(e for s in sections for e in s.events)]
    return Gathered(
        sections=sections,
        people=people,
        testimonies=testimonies,
        attachments=_attachments(session, used),
        contact_ids=sorted({c.id for c in _referring(session, people, Kind.CONTACT, "person_id")}),
        locations={state.id: state for state in all_of_kind(session, Kind.LOCATION)},
        vault_people=all_of_kind(session, Kind.PERSON),
        vault_contacts=all_of_kind(session, Kind.CONTACT),
    )


def _live(session: VaultSession, record_id: str, kind: Kind) -> RecordState:
    state = session.records.get(parse_record_id(record_id))
    if state is None or state.deleted:
        raise NotFoundError(f"No {kind.value} with id {record_id}: list them with `safecase record list {kind}`.")
    if state.kind != kind.value:
        raise NotFoundError(f"{state.id} is a {state.kind}, not a {kind.value}.")
    return state


def _sources(session: VaultSession, target_id: str, kind: Kind, field_prefix: str) -> list[RecordState]:
    ids = sorted(
        {
            ref.source_id
            for ref in session.records.referrers(target_id)
            if ref.source_kind == kind.value and ref.field.split("[")[0] == field_prefix
        }
    )
    states = (session.records.get(record_id) for record_id in ids)
    return [state for state in states if state is not None and not state.deleted]


def _referring(
    session: VaultSession, targets: Mapping[str, RecordState], kind: Kind, field_prefix: str
) -> Iterator[RecordState]:
    for target_id in targets:
        yield from _sources(session, target_id, kind, field_prefix)


def _case_records(session: VaultSession, case: RecordState) -> CaseRecords:
    events = _sources(session, case.id, Kind.EVENT, "case_ids")
    section = _event_records(session, events)
    section.case = case
    direct_people = _sources(session, case.id, Kind.PERSON, "case_ids")
    direct_testimonies = _sources(session, case.id, Kind.TESTIMONY, "case_ids")
    section.people = _unique([*direct_people, *section.people])
    section.testimonies = _unique([*direct_testimonies, *section.testimonies])
    section.people = _unique([*section.people, *_interviewees(session, section.testimonies)])
    return section


def _event_records(session: VaultSession, events: list[RecordState]) -> CaseRecords:
    events = sorted(events, key=lambda e: (str(e.body.get("date", "")).lstrip("~"), e.created_at, e.id))
    people = [_get(session, pid) for event in events for pid in victim_ids(event.body)]
    testimonies = [_get(session, tid) for event in events for tid in event.body.get("source_testimony_ids", [])]
    live_testimonies = _unique([t for t in testimonies if t is not None])
    live_people = _unique([p for p in people if p is not None])
    live_people = _unique([*live_people, *_interviewees(session, live_testimonies)])
    return CaseRecords(None, live_people, events, live_testimonies)


def _interviewees(session: VaultSession, testimonies: list[RecordState]) -> list[RecordState]:
    people = (_get(session, str(t.body.get("interviewee_id", ""))) for t in testimonies)
    return [person for person in people if person is not None]


def victim_ids(event: Mapping[str, Any]) -> list[str]:
    """The people an event names as victims, in the event's order, acts included, each once."""
    ids = [str(pid) for pid in event.get("victim_ids", [])]
    ids += [str(act["victim_id"]) for act in event.get("acts", []) if "victim_id" in act]
    return list(dict.fromkeys(ids))


def _get(session: VaultSession, record_id: str) -> RecordState | None:
    state = session.records.get(record_id) if record_id else None
    return state if state is not None and not state.deleted else None


def _unique(states: list[RecordState]) -> list[RecordState]:
    return list({state.id: state for state in states}.values())


def _attachments(session: VaultSession, records: list[RecordState]) -> list[RecordState]:
    found = [a for record in records for a in _sources(session, record.id, Kind.ATTACHMENT, "attached_to_id")]
    return sorted(_unique(found), key=lambda a: (str(a.body.get("intake_at", "")), a.id))
