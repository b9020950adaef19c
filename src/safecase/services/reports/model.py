"""What a report says, already redacted: the one structure the PDF, the JSON annex and the CSV are made from.

``content.build_report`` is the only place that reads the vault and applies the disclosure policy and consent;
everything here is what may appear. A renderer never sees a name, a contact detail or an exact date that the
policy or a person's consent keeps out, so it cannot leak one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class LeftOut(StrEnum):
    """What a redaction kept out of a report."""

    NAME = "name"  # subject: the person's pseudonym
    CONTACT_DETAILS = "contact_details"  # subject: the pseudonym of the person they belong to
    INTERVIEW_DETAILS = "interview_details"  # interviewer, interpreter and place of an interview
    EVENT_DATE = "event_date"  # detail: the precision shown instead
    EVENT_END_DATE = "event_end_date"
    TESTIMONY_DATE = "testimony_date"
    EVENT_PLACE = "event_place"  # detail: the place precision shown instead
    TEXT_SPAN = "text_span"  # subject: the field; detail: the reason typed when the span was marked
    WORDS_IN_TEXT = "words_in_text"  # names, contact details, dates or places written in a field (subject)


@dataclass(frozen=True)
class Redaction:
    """Something left out or generalised, and why: shown to the coordinator before signing, never in the PDF.

    Codes rather than sentences, so the wizard can say it in its own language (``redaction_notes`` says it in
    English for the command line). Never holds the data that was left out; a manual span's ``detail`` is the note the
    user typed when marking it, shown back to the coordinator and never printed."""

    record_id: str
    item: LeftOut
    reason: str  # "policy", "consent" or "manual"
    subject: str = ""  # a pseudonym or a field name, as the item says
    detail: str = ""  # policy: the policy's name or the precision shown; consent: a ConsentGap; manual: the reason
    date: str = ""  # consent withdrawn: when
    kind: str = ""  # text items: the kind of record the field belongs to


class ConsentGap(StrEnum):
    """Why consent keeps a person's name out."""

    MISSING = "missing"
    WITHDRAWN = "withdrawn"
    NOT_COVERED = "not_covered"  # consent stands, but not for this use


@dataclass(frozen=True)
class Pseudonymised:
    """A person the policy would name, shown only by pseudonym because of their consent (the wizard lists them)."""

    pseudonym: str
    gap: ConsentGap
    date: str = ""  # when the consent was withdrawn


@dataclass(frozen=True)
class PersonEntry:
    label: str  # the name where allowed, else the pseudonym (P-…), or "group of N" for a group
    sex: str = ""  # vocabulary label in the report's language, or ""
    age_text: str = ""  # e.g. "born 1988 (approx.)" or "30-39", as the policy allows
    status: str = ""  # vocabulary label, e.g. "repatriated"
    consent: str = ""  # a short consent status in the report's language, e.g. "may be shared with the UN"
    group_count: int | None = None  # for a group of people counted together


@dataclass(frozen=True)
class EventEntry:
    title: str
    type_label: str
    date_text: str  # at the precision the policy allows ("2019-03-14", "2019-03", "2019")
    place_text: str  # at the precision the policy allows
    perpetrators: tuple[str, ...] = ()  # institutions and units
    victims: tuple[str, ...] = ()  # labels as in PersonEntry
    description: str = ""  # already redacted (manual spans removed)


@dataclass(frozen=True)
class CaseSection:
    case_id: str
    title: str
    summary: str  # the detailed description, redacted
    victims: tuple[PersonEntry, ...]
    perpetrators: tuple[str, ...]
    events: tuple[EventEntry, ...]
    actions_taken: str  # what relatives or authorities did, as recorded
    testimonies: tuple[str, ...]  # source labels of the testimonies the case rests on


@dataclass(frozen=True)
class Statistics:
    """Counts for the summary charts (keys are labels in the report's language)."""

    transfers_by_crossing: dict[str, int] = field(default_factory=dict)
    events_by_type: dict[str, int] = field(default_factory=dict)
    events_by_month: dict[str, int] = field(default_factory=dict)  # "2019-03" -> count
    people_by_sex: dict[str, int] = field(default_factory=dict)
    people_by_age: dict[str, int] = field(default_factory=dict)  # "20-29" -> count


@dataclass(frozen=True)
class SourceEntry:
    """A testimony or evidence file the report rests on, for the chain-of-custody annex."""

    kind: str  # "testimony" or "attachment"
    record_id: str
    label: str
    date_text: str = ""
    sha256: str = ""  # attachments: the intake SHA-256
    size: int | None = None


@dataclass(frozen=True)
class ReportContent:
    title: str
    lang: str  # "ko" or "en"
    policy_name: str
    policy_title: str
    generated_at: str  # UTC ISO time
    submitter: str  # the organisation (and name, where the policy allows), or a "confidential" text
    cases: tuple[CaseSection, ...]
    statistics: Statistics
    sources: tuple[SourceEntry, ...]
    redactions: tuple[Redaction, ...]  # for the wizard: never rendered into the PDF or the annex
    pseudonymised: tuple[Pseudonymised, ...] = ()  # for the wizard, like redactions
