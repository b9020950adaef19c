"""Places at the precision a policy allows: the location's own name, or only its region.

"Region" is the province or county recorded on the location (``admin_area``) with its country; without one, the
nearest enclosing location that has one, else the enclosing location's name, else the country alone. A holding
centre or a safe house named exactly can identify the handful of people held or hidden there; a province
cannot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from safecase.domain.disclosure import DisclosurePolicy
from safecase.storage.records import RecordState

COUNTRIES: Mapping[str, tuple[str, str]] = {
    "KP": ("North Korea", "북한"),
    "KR": ("South Korea", "한국"),
    "CN": ("China", "중국"),
    "RU": ("Russia", "러시아"),
    "MN": ("Mongolia", "몽골"),
    "LA": ("Laos", "라오스"),
    "VN": ("Vietnam", "베트남"),
    "TH": ("Thailand", "태국"),
    "KH": ("Cambodia", "캄보디아"),
    "MM": ("Myanmar", "미얀마"),
}
_MAX_DEPTH = 16  # parents form a chain; a loop typed by mistake must not hang the report


def country_name(code: str, lang: str) -> str:
    names = COUNTRIES.get(code.upper())
    if names is None:
        return code.upper()
    return names[1] if lang == "ko" else names[0]


def location_name(body: Mapping[str, Any], lang: str) -> str:
    names = body.get("names") or {}
    order = ("ko", "en", "romanized", "zh") if lang == "ko" else ("en", "romanized", "ko", "zh")
    return next((str(names[key]) for key in order if names.get(key)), "")


def all_names(body: Mapping[str, Any]) -> list[str]:
    names = body.get("names") or {}
    return [str(value) for value in names.values() if value]


class PlaceNamer:
    def __init__(self, locations: Mapping[str, RecordState], policy: DisclosurePolicy, lang: str) -> None:
        self._locations = locations
        self._exact = policy.place_precision == "exact"
        self._lang = lang
        self.unknown = "장소 미상" if lang == "ko" else "unknown place"

    def label(self, location_id: str) -> str:
        """The place as the report may name it, or "" if the location is not in the vault."""
        state = self._locations.get(location_id)
        if state is None:
            return ""
        if self._exact:
            return location_name(state.body, self._lang) or self.unknown
        return self.region(state)

    def is_generalised(self, location_id: str) -> bool:
        return not self._exact and location_id in self._locations

    def region(self, state: RecordState) -> str:
        chain = self._chain(state)
        country = next((str(s.body["country"]) for s in chain if s.body.get("country")), "")
        country_text = country_name(country, self._lang) if country else ""
        area = next((str(s.body["admin_area"]) for s in chain if s.body.get("admin_area")), "")
        if not area and len(chain) > 1:
            area = location_name(chain[1].body, self._lang)
        return ", ".join(part for part in (area, country_text) if part) or self.unknown

    def _chain(self, state: RecordState) -> list[RecordState]:
        chain = [state]
        while len(chain) < _MAX_DEPTH:
            parent = self._locations.get(str(chain[-1].body.get("parent_location_id", "")))
            if parent is None or parent in chain:
                break
            chain.append(parent)
        return chain

    def replacements(self) -> dict[str, list[str]]:
        """For scrubbing free text: each region label with the exact names it stands for (none if exact)."""
        if self._exact:
            return {}
        found: dict[str, list[str]] = {}
        for state in self._locations.values():
            found.setdefault(self.region(state), []).extend(all_names(state.body))
        return found

    def route(self, ids: Iterable[str]) -> str:
        """Several places in order (a transfer), consecutive repeats after generalising dropped."""
        labels: list[str] = []
        for location_id in ids:
            label = self.label(location_id)
            if label and (not labels or labels[-1] != label):
                labels.append(label)
        return " → ".join(labels)
