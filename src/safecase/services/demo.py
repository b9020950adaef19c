"""A demo vault: clearly fictional people in real places, for newcomers to try SafeCase and for benchmarks.

Every person is generated from random syllables and every record says it is fictional. The places are real
(border cities, crossings, known detention facilities), because documenters need to see their own geography.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from safecase.domain.kinds import Kind
from safecase.services.records import PendingWrite, RecordService
from safecase.services.session import VaultSession

FICTION_NOTE = "Fictional demo record: this person does not exist."
BATCH = 200

SURNAMES = [
    ("김", "Kim", "金"),
    ("이", "Lee", "李"),
    ("박", "Park", "朴"),
    ("최", "Choi", "崔"),
    ("정", "Jeong", "鄭"),
    ("강", "Kang", "姜"),
    ("조", "Jo", "趙"),
    ("윤", "Yun", "尹"),
    ("장", "Jang", "張"),
    ("한", "Han", "韓"),
    ("오", "O", "吳"),
    ("서", "Seo", "徐"),
]
GIVEN = [
    ("영", "yeong", "英"),
    ("희", "hui", "姬"),
    ("철", "cheol", "哲"),
    ("수", "su", "秀"),
    ("민", "min", "敏"),
    ("정", "jeong", "貞"),
    ("혜", "hye", "惠"),
    ("성", "seong", "成"),
    ("옥", "ok", "玉"),
    ("순", "sun", "順"),
    ("명", "myeong", "明"),
    ("광", "gwang", "光"),
    ("은", "eun", "恩"),
    ("국", "guk", "國"),
    ("향", "hyang", "香"),
    ("일", "il", "日"),
]


@dataclass(frozen=True)
class Place:
    type: str
    ko: str
    en: str
    zh: str
    country: str
    lat: float
    lon: float


PLACES = [
    Place(
        "detention_centre",
        "투먼 변방구류심사소",
        "Tumen Border Detention Centre",
        "图们边防拘留审查所",
        "CN",
        42.966,
        129.843,
    ),
    Place(
        "detention_centre",
        "단둥 변방구류소",
        "Dandong Border Detention Facility",
        "丹东边防拘留所",
        "CN",
        40.124,
        124.394,
    ),
    Place(
        "border_crossing",
        "단둥-신의주 조중우의교",
        "Dandong-Sinuiju Friendship Bridge",
        "中朝友谊桥",
        "CN",
        40.117,
        124.396,
    ),
    Place("border_crossing", "투먼-남양 다리", "Tumen-Namyang Bridge", "图们-南阳大桥", "CN", 42.957, 129.857),
    Place(
        "holding_centre",
        "온성군 보위부 구류장",
        "Onsong County MSS Detention Centre",
        "稳城郡保卫部拘留所",
        "KP",
        42.957,
        129.993,
    ),
    Place(
        "holding_centre",
        "신의주 도집결소",
        "Sinuiju Provincial Holding Centre",
        "新义州道集结所",
        "KP",
        40.100,
        124.398,
    ),
    Place("holding_centre", "회령 집결소", "Hoeryong Holding Centre", "会宁集结所", "KP", 42.443, 129.750),
    Place("city", "청진", "Chongjin", "清津", "KP", 41.796, 129.776),
    Place("city", "혜산", "Hyesan", "惠山", "KP", 41.402, 128.178),
    Place("city", "옌지", "Yanji", "延吉", "CN", 42.905, 129.513),
    Place("city", "선양", "Shenyang", "沈阳", "CN", 41.806, 123.432),
]

KO_SENTENCES = [
    "{year}년 {month}월 {city}에서 공안에 체포되었다.",
    "{place}에서 약 {days}일 동안 조사를 받았다.",
    "버스에 태워져 무장한 경비 아래 {crossing}를 건너 북송되었다.",
    "{holding}에서 다른 {count}명과 함께 구금되었다.",
    "가족은 그 뒤로 연락이 끊겼다고 말했다.",
]
EN_SENTENCES = [
    "Arrested by public security in {city} in {month_name} {year}.",
    "Questioned for about {days} days at {place}.",
    "Taken by bus under armed guard across {crossing} and handed over.",
    "Held at {holding} together with {count} others.",
    "The family says they have had no contact since.",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def fill_demo_vault(session: VaultSession, people: int, seed: int = 2026) -> dict[str, int]:
    """Add `people` fictional people with testimonies, consent, transfer events and routes. Returns counts."""
    rng = random.Random(seed)
    records = RecordService(session)
    counts: Counter[str] = Counter()
    place_ids = _write(records, counts, [(Kind.LOCATION, _location_body(p)) for p in PLACES])
    case_ids = _write(
        records,
        counts,
        [
            (
                Kind.CASE,
                {
                    "title": f"Forced repatriations via {crossing} ({year})",
                    "status": "open",
                    "sensitivity": "high",
                    "summary": f"Fictional demo case. People returned across {crossing} in {year}.",
                    "opened_on": f"{year}-0{rng.randint(1, 9)}",
                },
            )
            for crossing, year in (("Tumen", 2019), ("Dandong", 2020), ("Tumen", 2023), ("Dandong", 2024))
        ],
    )
    for start in range(0, people, BATCH // 4):
        batch = [_person_story(rng, place_ids, case_ids) for _ in range(min(BATCH // 4, people - start))]
        _write_stories(records, counts, batch)
    return dict(counts)


def _write(records: RecordService, counts: Counter[str], items: list[tuple[Kind, dict[str, Any]]]) -> list[str]:
    writes = [records.prepare_new(kind, body) for kind, body in items]
    records.write_batch(writes)
    counts.update(w.kind.value for w in writes)
    return [w.record_id for w in writes]


def _write_stories(records: RecordService, counts: Counter[str], stories: list[list[tuple[Kind, Any]]]) -> None:
    """Each story is a list of (kind, body-builder) where builders receive the ids written before them."""
    writes: list[PendingWrite] = []
    for story in stories:
        ids: list[str] = []
        for kind, build in story:
            write = records.prepare_new(kind, build(ids))
            ids.append(write.record_id)
            writes.append(write)
    records.write_batch(writes)
    counts.update(w.kind.value for w in writes)


def _location_body(place: Place) -> dict[str, Any]:
    return {
        "type": place.type,
        "names": {"ko": place.ko, "en": place.en, "zh": place.zh},
        "country": place.country,
        "latitude": place.lat,
        "longitude": place.lon,
        "coordinate_precision": "town",
    }


def _person_story(rng: random.Random, places: list[str], cases: list[str]) -> list[tuple[Kind, Any]]:
    surname, given = rng.choice(SURNAMES), rng.sample(GIVEN, 2)
    year, month = rng.randint(2015, 2025), rng.randint(1, 12)
    case_id = rng.choice(cases)
    facts = {
        "year": year,
        "month": month,
        "month_name": MONTHS[month - 1],
        "days": rng.randint(3, 40),
        "count": rng.randint(5, 60),
        "city": rng.choice(["Shenyang", "Yanji", "Dandong"]),
        "place": rng.choice(["투먼 변방구류심사소", "Tumen Border Detention Centre"]),
        "crossing": rng.choice(["Tumen-Namyang Bridge", "조중우의교"]),
        "holding": rng.choice(["온성군 보위부 구류장", "Sinuiju Provincial Holding Centre"]),
    }
    date = f"{year}-{month:02d}"
    person = {
        "names": {
            "hangul": surname[0] + given[0][0] + given[1][0],
            "romanized": f"{surname[1]} {given[0][1].capitalize()}-{given[1][1]}",
            "chinese": surname[2] + given[0][2] + given[1][2],
        },
        "sex": rng.choice(["female", "female", "male"]),
        "birth_year": rng.randint(1960, 2005),
        "origin": rng.choice(["Hoeryong", "Musan", "Hyesan", "Chongjin", "Onsong"]),
        "status": rng.choice(["repatriated", "disappeared", "detained", "imprisoned", "resettled"]),
        "case_ids": [case_id],
        "notes": FICTION_NOTE,
    }
    testimony_text = " ".join(s.format(**facts) for s in KO_SENTENCES)
    translation = " ".join(s.format(**facts) for s in EN_SENTENCES)
    consent_scopes = {
        "names_to_governments": False,
        "names_in_public_reports": rng.random() < 0.2,
        "recontact": rng.random() < 0.7,
        "share_with_un": rng.random() < 0.6,
    }
    return [
        (Kind.PERSON, lambda ids: person),
        (
            Kind.TESTIMONY,
            lambda ids: {
                "interviewee_id": ids[0],
                "case_ids": [case_id],
                "interviewer": "Demo interviewer",
                "date": f"{min(year + 1, 2026)}",
                "place": "Seoul",
                "language": "ko",
                "original_text": testimony_text,
                "translation": translation,
                "translation_language": "en",
                "summary": f"Fictional account of arrest in {facts['city']} and forced return in {year}.",
            },
        ),
        (
            Kind.CONSENT,
            lambda ids: {
                "subject_person_id": ids[0],
                "testimony_id": ids[1],
                "scopes": consent_scopes,
                "method": "oral_recorded",
                "given_by": "the interviewee",
                "recorded_by": "Demo interviewer",
                "given_on": f"{min(year + 1, 2026)}",
            },
        ),
        (
            Kind.EVENT,
            lambda ids: {
                "type": "transfer",
                "title": "Transfer to the border",
                "date": date,
                "from_location_id": places[rng.choice([0, 1])],
                "via_location_ids": [places[rng.choice([2, 3])]],
                "to_location_id": places[rng.choice([4, 5, 6])],
                "transport": "bus_under_armed_guard",
                "people_count": facts["count"],
                "people_count_source": "interviewee's estimate",
                "victim_ids": [ids[0]],
                "source_testimony_ids": [ids[1]],
                "case_ids": [case_id],
                "perpetrator_institution": "chinese_public_security",
                "description": translation,
            },
        ),
        (
            Kind.ROUTE,
            lambda ids: {
                "title": "Arrest to holding centre",
                "person_ids": [ids[0]],
                "event_ids": [ids[3]],
                "case_ids": [case_id],
            },
        ),
    ]
