"""The consent that stands for a person when a report is made: what they agreed to, or that they withdrew.

Consent records are never edited; a withdrawal is a new record naming the consent it withdraws. The rule:

* a withdrawal wins over the consent it names, whatever the dates say, and over every consent given before it;
* a consent counts as given after a withdrawal only if it is certainly later: its earliest possible day is after
  the withdrawal's latest possible day ("2024" is not after a withdrawal of "2024-03"), or both are on the same
  exact day and the consent was written later;
* of the consents that remain, the latest given stands; no consent at all means nothing is allowed.

When in doubt the answer is the narrower one: a name wrongly kept out costs a line, a name wrongly shown can
cost a family.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from safecase.domain.kinds import Kind
from safecase.domain.partial_date import PartialDate, Precision
from safecase.domain.vocabulary import CONSENT_SCOPES
from safecase.services.reports.gather import all_of_kind
from safecase.services.session import VaultSession
from safecase.storage.records import RecordState


class ConsentState(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"
    MISSING = "missing"


@dataclass(frozen=True)
class EffectiveConsent:
    state: ConsentState
    scopes: Mapping[str, bool] = field(default_factory=dict)
    consent_id: str = ""  # the consent that stands, or the withdrawal that ended it
    given_on: str = ""

    def allows(self, scope: str) -> bool:
        return self.state is ConsentState.GIVEN and self.scopes.get(scope) is True

    def status_text(self, lang: str = "en") -> str:
        """A short status for the report, e.g. "may be shared with the UN; may be contacted again"."""
        ko = lang == "ko"
        if self.state is ConsentState.MISSING:
            return "동의 기록 없음" if ko else "no consent recorded"
        if self.state is ConsentState.WITHDRAWN:
            return "동의 철회됨" if ko else "consent withdrawn"
        agreed = [term.label(lang) for term in CONSENT_SCOPES if self.scopes.get(term.code) is True]
        if not agreed:
            return "동의 범위 없음" if ko else "consent recorded, no scope agreed"
        return "; ".join(agreed) if ko else "; ".join(text[:1].lower() + text[1:] for text in agreed)


MISSING = EffectiveConsent(ConsentState.MISSING)


@dataclass(frozen=True)
class _Dated:
    record_id: str
    revision: str
    body: Mapping[str, Any]
    date: PartialDate

    @property
    def is_withdrawal(self) -> bool:
        return "withdraws_consent_id" in self.body

    def certainly_after(self, other: _Dated) -> bool:
        if self.date.earliest() > other.date.latest():
            return True
        same_day = self.date.precision is Precision.DAY and other.date.precision is Precision.DAY
        return same_day and self.date.earliest() == other.date.earliest() and self.revision > other.revision

    def sort_key(self) -> tuple[object, ...]:
        return (self.date.earliest(), self.date.latest(), self.revision)


def effective_consent(consents: Iterable[RecordState]) -> EffectiveConsent:
    """The consent that stands, from every consent record about one person (live records only)."""
    dated = [_dated(state) for state in consents if state.kind == Kind.CONSENT.value and not state.deleted]
    withdrawals = [item for item in dated if item.is_withdrawal]
    withdrawn_ids = {str(item.body["withdraws_consent_id"]) for item in withdrawals}
    candidates = [
        item
        for item in dated
        if not item.is_withdrawal
        and item.record_id not in withdrawn_ids
        and all(item.certainly_after(withdrawal) for withdrawal in withdrawals)
    ]
    if candidates:
        latest = max(candidates, key=_Dated.sort_key)
        scopes = latest.body.get("scopes", {})
        return EffectiveConsent(
            ConsentState.GIVEN,
            {code: scopes.get(code) is True for code in CONSENT_SCOPES.codes},
            latest.record_id,
            str(latest.body.get("given_on", "")),
        )
    if withdrawals:
        last = max(withdrawals, key=_Dated.sort_key)
        return EffectiveConsent(ConsentState.WITHDRAWN, {}, last.record_id, str(last.body.get("given_on", "")))
    return MISSING


def _dated(state: RecordState) -> _Dated:
    given_on = state.body.get("given_on")
    return _Dated(state.id, state.revision, state.body, PartialDate.parse(str(given_on)))


def consents_about(session: VaultSession, person_id: str) -> list[RecordState]:
    """The live consent records whose subject is ``person_id``."""
    ids = {
        ref.source_id
        for ref in session.records.referrers(person_id)
        if ref.source_kind == Kind.CONSENT.value and ref.field == "subject_person_id"
    }
    states = (session.records.get(record_id) for record_id in sorted(ids))
    return [state for state in states if state is not None and not state.deleted]


def consent_for(session: VaultSession, person_id: str) -> EffectiveConsent:
    return effective_consent(consents_about(session, person_id))


def all_consents(session: VaultSession) -> dict[str, EffectiveConsent]:
    """The effective consent of every person who has any consent record (others: ``MISSING``)."""
    by_person: dict[str, list[RecordState]] = {}
    for state in all_of_kind(session, Kind.CONSENT):
        by_person.setdefault(str(state.body.get("subject_person_id")), []).append(state)
    return {person_id: effective_consent(states) for person_id, states in by_person.items()}
