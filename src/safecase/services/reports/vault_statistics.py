"""The Statistics view's figures: the report's charts over the whole vault or chosen cases, and estimated detainees
per detention centre over time, for a coordinator to look at before writing a report.

Counts only, no names: they are computed with the internal policy's exact places (the view never leaves the
laptop). Detainees are estimated from detention events at a place of detention (a detention or holding centre, a
prison or political prison camp, a police or state security office): an event's ``people_count`` where recorded,
else its number of victims, counted in the year (or month) of the event's date.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from safecase.domain.disclosure import INTERNAL
from safecase.domain.kinds import Kind
from safecase.domain.partial_date import PartialDate
from safecase.services.reports.gather import all_of_kind, gather, victim_ids
from safecase.services.reports.model import Statistics
from safecase.services.reports.places import PlaceNamer
from safecase.services.reports.statistics import statistics
from safecase.services.session import VaultSession

DETENTION_EVENTS = frozenset({"arrest", "detention", "interrogation", "forced_labour", "torture_or_ill_treatment"})
DETENTION_PLACES = frozenset(
    {
        "detention_centre", "holding_centre", "prison_camp", "political_prison_camp", "police_station",
        "state_security_office",
    }
)  # fmt: skip


@dataclass(frozen=True)
class VaultStatistics:
    charts: Statistics
    detainees: dict[str, dict[str, int]]  # centre -> period ("2019" or "2019-03") -> estimated people
    periods: tuple[str, ...]  # every period that occurs, in order


def vault_statistics(
    session: VaultSession, lang: str, *, by_month: bool = False, case_ids: tuple[str, ...] = ()
) -> VaultStatistics:
    """The figures over the whole vault, or over the cases ``case_ids`` (their events and people) only."""
    if case_ids:
        gathered = gather(session, case_ids, ())
        events = list({e.id: e for section in gathered.sections for e in section.events}.values())
        people = gathered.people
        locations = gathered.locations
    else:
        events = all_of_kind(session, Kind.EVENT)
        people = {p.id: p for p in all_of_kind(session, Kind.PERSON)}
        locations = {loc.id: loc for loc in all_of_kind(session, Kind.LOCATION)}
    places = PlaceNamer(locations, INTERNAL, lang)
    year = datetime.datetime.now(tz=datetime.UTC).year
    charts = statistics(events, people, locations, places, INTERNAL, lang, year)
    detainees: dict[str, Counter[str]] = defaultdict(Counter)
    for event in events:
        body = event.body
        if body.get("type") not in DETENTION_EVENTS or not body.get("date"):
            continue
        location = locations.get(str(body.get("location_id") or body.get("to_location_id") or ""))
        if location is None or location.body.get("type") not in DETENTION_PLACES:
            continue
        date = PartialDate.parse(str(body["date"]))
        period = f"{date.year:04d}-{date.month:02d}" if by_month and date.month else f"{date.year:04d}"
        count = body.get("people_count")
        detainees[places.label(location.id)][period] += count if isinstance(count, int) else len(victim_ids(body))
    periods = tuple(sorted({period for counts in detainees.values() for period in counts}))
    return VaultStatistics(charts, {centre: dict(counts) for centre, counts in sorted(detainees.items())}, periods)
