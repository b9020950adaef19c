"""People in a report: whether a name may be shown (policy, then consent), and how each person is described.

The decision is made once per person for the whole report, so a person never appears by name in one place and by
pseudonym in another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from safecase.domain import vocabulary as v
from safecase.domain.disclosure import NAMES_WITH_ANY_CONSENT, DisclosurePolicy
from safecase.services.reports.consent import MISSING, ConsentState, EffectiveConsent
from safecase.services.reports.model import ConsentGap, LeftOut, PersonEntry, Pseudonymised, Redaction
from safecase.storage.records import RecordState


@dataclass(frozen=True)
class NameDecision:
    shown: bool
    reason: str = ""  # why not: "policy" or "consent"
    gap: ConsentGap | None = None  # for "consent"
    date: str = ""  # when the consent was withdrawn


def spellings(body: Mapping[str, Any]) -> list[str]:
    """Every name and alias recorded for a person, in any script."""
    names = body.get("names") or {}
    found = [str(value) for value in names.values() if value]
    found += [str(alias) for alias in body.get("aliases", []) if alias]
    return found


def decide(policy: DisclosurePolicy, consent: EffectiveConsent) -> NameDecision:
    """May this report show the person's names? The policy sets the ceiling, consent can only lower it."""
    if not policy.shows_names:
        return NameDecision(False, "policy")
    if consent.state is ConsentState.MISSING:
        return NameDecision(False, "consent", ConsentGap.MISSING)
    if consent.state is ConsentState.WITHDRAWN:
        return NameDecision(False, "consent", ConsentGap.WITHDRAWN, consent.given_on)
    if policy.names_scope == NAMES_WITH_ANY_CONSENT or (policy.names_scope and consent.allows(policy.names_scope)):
        return NameDecision(True)
    return NameDecision(False, "consent", ConsentGap.NOT_COVERED)


class People:
    """Labels and entries for every person in the vault under one policy and language."""

    def __init__(
        self,
        people: Mapping[str, RecordState],
        consents: Mapping[str, EffectiveConsent],
        policy: DisclosurePolicy,
        lang: str,
    ) -> None:
        self._people = people
        self._consents = consents
        self._policy = policy
        self._lang = lang

    def consent(self, person_id: str) -> EffectiveConsent:
        return self._consents.get(person_id, MISSING)

    def decision(self, person_id: str) -> NameDecision:
        return decide(self._policy, self.consent(person_id))

    def pseudonym(self, person_id: str) -> str:
        state = self._people.get(person_id)
        return str(state.body.get("pseudonym", "")) if state else ""

    def label(self, person_id: str) -> str:
        """The name and pseudonym where the name may be shown, else the pseudonym; a group as "group of N"."""
        state = self._people.get(person_id)
        if state is None:
            return "(미상)" if self._lang == "ko" else "(unknown)"
        body = state.body
        pseudonym = str(body.get("pseudonym", ""))
        if body.get("is_group") is True:
            count = int(body.get("group_estimated_count", 0))
            group = f"{count}명 집단" if self._lang == "ko" else f"group of {count}"
            return f"{group} ({pseudonym})"
        name = self._display_name(body) if self.decision(person_id).shown else ""
        return f"{name} ({pseudonym})" if name else pseudonym

    def _display_name(self, body: Mapping[str, Any]) -> str:
        names = body.get("names") or {}
        order = ("hangul", "romanized", "chinese") if self._lang == "ko" else ("romanized", "hangul", "chinese")
        name = next((str(names[key]) for key in order if names.get(key)), "")
        aliases = [str(alias) for alias in body.get("aliases", []) if alias]
        if not aliases:
            return name
        also = "일명" if self._lang == "ko" else "also known as"
        return f"{name} ({also} {', '.join(aliases)})" if name else ", ".join(aliases)

    def entry(self, person_id: str, event_year: int | None) -> PersonEntry:
        state = self._people[person_id]
        body = state.body
        group = body.get("is_group") is True
        return PersonEntry(
            label=self.label(person_id),
            sex=v.SEXES.label(str(body["sex"]), self._lang) if body.get("sex") else "",
            age_text="" if group else self.age_text(body, event_year),
            status=v.PERSON_STATUSES.label(str(body["status"]), self._lang) if body.get("status") else "",
            consent=self.consent(person_id).status_text(self._lang),
            group_count=int(body["group_estimated_count"]) if group else None,
        )

    def age_text(self, body: Mapping[str, Any], event_year: int | None) -> str:
        year = body.get("birth_year")
        if not isinstance(year, int) or self._policy.show_ages == "none":
            return ""
        ko = self._lang == "ko"
        if self._policy.show_ages == "decade":
            decade = year - year % 10
            return f"{decade}년대생" if ko else f"born in the {decade}s"
        approx = body.get("birth_year_approximate") is True
        text = f"{year}년생" if ko else f"born {year}"
        if approx:
            text += "(추정)" if ko else " (approx.)"
        if event_year is not None and event_year >= year:
            text += f", 당시 약 {event_year - year}세" if ko else f", about {event_year - year} at the time"
        return text

    def name_redactions(self, person_ids: list[str]) -> list[Redaction]:
        """One line per person in the report whose names are kept out, with the reason (no names in it)."""
        found = []
        for person_id in person_ids:
            decision = self.decision(person_id)
            if not decision.shown and spellings(self._people[person_id].body):
                detail = self._policy.name if decision.gap is None else decision.gap.value
                pseudonym = self.pseudonym(person_id)
                found.append(Redaction(person_id, LeftOut.NAME, decision.reason, pseudonym, detail, decision.date))
        return found

    def pseudonymised(self, person_ids: list[str]) -> list[Pseudonymised]:
        """People the policy would name but whose consent keeps their name out (the wizard lists them)."""
        found = []
        for person_id in person_ids:
            decision = self.decision(person_id)
            if decision.gap is not None and spellings(self._people[person_id].body):
                found.append(Pseudonymised(self.pseudonym(person_id), decision.gap, decision.date))
        return found

    def hidden_names(self) -> dict[str, list[str]]:
        """Pseudonym -> the spellings to scrub out of free text, for every person in the vault not shown by name."""
        hidden: dict[str, list[str]] = {}
        for person_id, state in self._people.items():
            if not self.decision(person_id).shown:
                hidden.setdefault(self.pseudonym(person_id), []).extend(spellings(state.body))
        return hidden
