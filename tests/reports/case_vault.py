"""A realistic fictional case for report tests: people named in three scripts with aliases, consents of every kind,
a phone number, events with exact dates and places, and free text that names people who did not consent.

Everyone here is invented. Places are real.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from safecase.domain.kinds import Kind
from safecase.domain.vocabulary import CONSENT_SCOPES
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from tests.factories import make_body

CONSENTED = {"hangul": "최명옥", "romanized": "Choe Myong-ok", "chinese": "崔明玉"}
CONSENTED_ALIAS = "Myong-ok"
WITHDRAWN = {"hangul": "리순희", "romanized": "Ri Sun-hui", "chinese": "李順姬"}
WITHDRAWN_ALIAS = "Sunny Ri"
MISSING = {"hangul": "박철수", "romanized": "Pak Chol-su", "chinese": "朴哲洙"}
MISSING_ALIAS = "Chol-su"
PUBLIC_ONLY = {"hangul": "한정미", "romanized": "Han Jong-mi"}  # may appear in public reports, not to the UN
PHONE = "+86 139 8765 4321"
MESSENGER = "sunhui-wechat-8841"
EXACT_DATES = ("2019-03-14", "2019-04-02", "2019-08-20")
EXACT_PLACES = ("Yanji safe house", "연길 은신처", "Onsong holding centre", "온성 집결소", "Tumen bridge crossing")


def scopes(**agreed: bool) -> dict[str, bool]:
    return {code: agreed.get(code, False) for code in CONSENT_SCOPES.codes}


@dataclass
class CaseVault:
    case_id: str
    consented_id: str
    withdrawn_id: str
    missing_id: str
    public_only_id: str
    group_id: str
    testimony_id: str
    arrest_id: str
    return_id: str
    contact_id: str
    attachment_id: str

    def forbidden_names(self) -> tuple[str, ...]:
        """Names that no report may show: withdrawn, missing, and not covering the UN."""
        return (*WITHDRAWN.values(), WITHDRAWN_ALIAS, *MISSING.values(), MISSING_ALIAS)

    def consented_names(self) -> tuple[str, ...]:
        return (*CONSENTED.values(), CONSENTED_ALIAS)


def add(records: RecordService, kind: Kind, **fields: Any) -> str:
    return records.add(kind, make_body(kind, **fields)).id


def _person(records: RecordService, names: dict[str, str], aliases: list[str], **fields: Any) -> str:
    body = make_body(Kind.PERSON, names=names, aliases=aliases, **fields)
    del body["pseudonym"]  # the service assigns one, as for real people
    return records.add(Kind.PERSON, body).id


def build_case_vault(session: VaultSession) -> CaseVault:
    records = RecordService(session)
    yanji = add(
        records,
        Kind.LOCATION,
        type="safe_house",
        names={"en": "Yanji safe house", "ko": "연길 은신처"},
        country="CN",
        admin_area="Jilin",
    )
    tumen = add(
        records,
        Kind.LOCATION,
        type="border_crossing",
        names={"en": "Tumen bridge crossing", "ko": "투먼 다리"},
        country="CN",
        admin_area="Jilin",
    )
    onsong = add(records, Kind.LOCATION)  # Onsong holding centre, North Hamgyong, KP
    case_id = add(
        records,
        Kind.CASE,
        summary="Pak Chol-su and Choe Myong-ok were caught together; Chol-su's wife called 010-2345-6789.",
    )
    consented = _person(records, CONSENTED, [CONSENTED_ALIAS], case_ids=[case_id], birth_year=1988)
    withdrawn = _person(records, WITHDRAWN, [WITHDRAWN_ALIAS], case_ids=[case_id], birth_year=1975, sex="female")
    missing = _person(records, MISSING, [MISSING_ALIAS], case_ids=[case_id], birth_year=1969, sex="male")
    public_only = _person(records, PUBLIC_ONLY, [], case_ids=[case_id], birth_year=2003)
    group_body = make_body(
        Kind.PERSON,
        names={},
        aliases=[],
        is_group=True,
        group_estimated_count=12,
        group_count_source="testimony",
        case_ids=[case_id],
    )
    for field in ("names", "aliases", "birth_year", "birth_year_approximate", "pseudonym"):
        group_body.pop(field, None)
    group = records.add(Kind.PERSON, group_body).id
    contact = add(records, Kind.CONTACT, person_id=withdrawn, type="phone", value=PHONE)
    add(records, Kind.CONTACT, person_id=missing, type="messenger", value=MESSENGER)
    given = add(records, Kind.CONSENT, subject_person_id=consented, scopes=scopes(share_with_un=True))
    old = add(
        records,
        Kind.CONSENT,
        subject_person_id=withdrawn,
        scopes=scopes(share_with_un=True, names_in_public_reports=True),
        given_on="2019-08-14",
    )
    add(
        records,
        Kind.CONSENT,
        subject_person_id=withdrawn,
        scopes=scopes(),
        given_on="2023-01-05",
        withdraws_consent_id=old,
    )
    add(records, Kind.CONSENT, subject_person_id=public_only, scopes=scopes(names_in_public_reports=True))
    assert given
    testimony = add(
        records,
        Kind.TESTIMONY,
        case_ids=[case_id],
        interviewee_id=consented,
        date="2019-08-20",
        summary=(
            "최명옥 씨는 2019년 3월 14일 연길 은신처에서 박철수, 리 순희와 함께 체포되었다고 증언했다. "
            "Sunny Ri's phone was +86 139 8765 4321. She met 朴哲洙 on 14 March 2019."
        ),
    )
    arrest = add(
        records,
        Kind.EVENT,
        type="arrest",
        title="Arrest of Ri Sun-hui and others",
        date="2019-03-14",
        location_id=yanji,
        victim_ids=[consented, withdrawn, missing],
        case_ids=[case_id],
        source_testimony_ids=[testimony],
        acts=[{"type": "arrest", "victim_id": missing, "description": "Pak Chol-su was handcuffed first."}],
        description="Chinese police raided the Yanji safe house at dawn on 2019-03-14; 리순희 resisted.",
        people_count=3,
    )
    repatriation = add(
        records,
        Kind.EVENT,
        type="forced_repatriation",
        date="2019-04-02",
        from_location_id=yanji,
        via_location_ids=[tumen],
        to_location_id=onsong,
        victim_ids=[consented, group],
        case_ids=[case_id],
        description="Handed over at the Tumen bridge crossing to the Onsong holding centre guards.",
    )
    attachment = records.write_batch(
        [records.prepare_attachment(make_body(Kind.ATTACHMENT, attached_to_id=testimony))]
    )[0].id
    return CaseVault(
        case_id,
        consented,
        withdrawn,
        missing,
        public_only,
        group,
        testimony,
        arrest,
        repatriation,
        contact,
        attachment,
    )


def strings_in(value: object) -> Iterator[str]:
    """Every string anywhere in a report's content, annex dict or CSV, recursively."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings_in(getattr(value, field.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from strings_in(item)
