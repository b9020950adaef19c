"""The summary's counts, at the policy's precision: a count by place or month cannot be finer than the report.

* transfers per crossing: events of type transfer, forced repatriation or border crossing, by the first border
  crossing or border post on their way (from, via, to), else where they went, else where they happened; each
  counts its people (``people_count``, else its victims, else one);
* events per type and per month (or year, when the policy keeps dates to the year); undated events are left out;
* people by sex and by age band at the time of their first dated event in the report (else the report's year);
  a group counts its estimated number under its sex (or unknown) and an unknown age.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from safecase.domain import vocabulary as v
from safecase.domain.disclosure import DisclosurePolicy
from safecase.domain.partial_date import PartialDate
from safecase.services.reports.gather import victim_ids
from safecase.services.reports.model import Statistics
from safecase.services.reports.places import PlaceNamer
from safecase.storage.records import RecordState

TRANSFER_TYPES = frozenset({"transfer", "forced_repatriation", "border_crossing"})
CROSSING_TYPES = frozenset({"border_crossing", "border_post"})


def event_year(body: Mapping[str, Any]) -> int | None:
    date = body.get("date")
    return PartialDate.parse(str(date)).year if date else None


def first_event_years(events: Iterable[RecordState]) -> dict[str, int]:
    """Each victim's year of the earliest dated event naming them."""
    years: dict[str, int] = {}
    for event in events:
        year = event_year(event.body)
        if year is None:
            continue
        for person_id in victim_ids(event.body):
            years[person_id] = min(year, years.get(person_id, year))
    return years


def statistics(
    events: list[RecordState],
    people: Mapping[str, RecordState],
    locations: Mapping[str, RecordState],
    places: PlaceNamer,
    policy: DisclosurePolicy,
    lang: str,
    report_year: int,
) -> Statistics:
    by_type: Counter[str] = Counter()
    by_month: Counter[str] = Counter()
    crossings: Counter[str] = Counter()
    for event in events:
        body = event.body
        by_type[v.EVENT_TYPES.label(str(body["type"]), lang)] += 1
        if body.get("date"):
            by_month[_month_key(PartialDate.parse(str(body["date"])), policy)] += 1
        if body["type"] in TRANSFER_TYPES:
            crossings[_crossing(body, locations, places)] += _people_moved(body)
    sexes, ages = _people_counts(people, first_event_years(events), lang, report_year)
    return Statistics(
        transfers_by_crossing=dict(crossings.most_common()),
        events_by_type=dict(by_type.most_common()),
        events_by_month=dict(sorted(by_month.items())),
        people_by_sex=dict(sexes.most_common()),
        people_by_age=dict(sorted(ages.items())),
    )


def _month_key(date: PartialDate, policy: DisclosurePolicy) -> str:
    if date.month is None or policy.date_precision == "year":
        return f"{date.year:04d}"
    return f"{date.year:04d}-{date.month:02d}"


def _crossing(body: Mapping[str, Any], locations: Mapping[str, RecordState], places: PlaceNamer) -> str:
    way = [body.get("from_location_id"), *body.get("via_location_ids", []), body.get("to_location_id")]
    for location_id in way:
        state = locations.get(str(location_id)) if location_id else None
        if state is not None and state.body.get("type") in CROSSING_TYPES:
            return places.label(state.id)
    for location_id in (body.get("to_location_id"), body.get("location_id")):
        if location_id and places.label(str(location_id)):
            return places.label(str(location_id))
    return places.unknown


def _people_moved(body: Mapping[str, Any]) -> int:
    count = body.get("people_count")
    if isinstance(count, int):
        return count
    return len(victim_ids(body)) or 1


def _people_counts(
    people: Mapping[str, RecordState], years: Mapping[str, int], lang: str, report_year: int
) -> tuple[Counter[str], Counter[str]]:
    sexes: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    unknown = v.SEXES.label("unknown", lang)
    for person_id, state in people.items():
        body = state.body
        sex = v.SEXES.label(str(body["sex"]), lang) if body.get("sex") else unknown
        if body.get("is_group") is True:
            count = int(body.get("group_estimated_count", 1))
            sexes[sex] += count
            ages[unknown] += count
            continue
        sexes[sex] += 1
        birth = body.get("birth_year")
        if not isinstance(birth, int):
            ages[unknown] += 1
            continue
        age = max(0, years.get(person_id, report_year) - birth)
        ages[_band(age)] += 1
    return sexes, ages


def _band(age: int) -> str:
    if age < 18:
        return "0-17"
    if age < 20:
        return "18-19"
    low = age - age % 10
    return f"{low}-{low + 9}" if low < 70 else "70+"
