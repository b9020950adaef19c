"""What a report says, already redacted: the one structure the PDF, the JSON annex and the CSV are made from.

``content.build_report`` is the only place that reads the vault and applies the disclosure policy and consent;
everything here is what may appear. A renderer never sees a name, a contact detail or an exact date that the
policy or a person's consent keeps out, so it cannot leak one.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Redaction:
    """Something left out or generalised, and why: shown to the coordinator before signing, never in the PDF."""

    record_id: str
    what: str  # e.g. "name of P-7K2M9Q", "exact date of an event", "text span in testimony T-…"
    reason: str  # "policy" or "consent" or "manual"
    detail: str = ""  # e.g. the policy's name, "consent withdrawn on 2024-03-01", "no consent recorded"


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
    pseudonymised: tuple[str, ...] = ()  # people shown only by pseudonym for lack of consent (wizard list)
