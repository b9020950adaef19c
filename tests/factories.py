"""Valid record bodies of every kind, with fictional people, so a test states only what it is about.

``make_body(Kind.EVENT, date="2019-04")`` gives a valid, already normalised event body. Pass ``OMIT`` to
leave a field out: ``make_body(Kind.CASE, title=OMIT)``. Optional references are left out unless passed in.
Required references (``REQUIRED_REFERENCES``) get a fresh random id unless passed in, so domain tests can
validate a body on its own; a test that stores records must create the targets first (in
``kinds_in_dependency_order()``) and pass their ids.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final

from safecase.domain.ids import new_record_id
from safecase.domain.kinds import Kind


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"


OMIT: Final = _Omit()

# Fields that must name another record for a body to be valid: field -> kind of the record it names.
# Route's event_ids is a list; every other entry is a single id. Observation needs a location or a person.
REQUIRED_REFERENCES: Final[Mapping[Kind, Mapping[str, Kind]]] = {
    Kind.CONTACT: {"person_id": Kind.PERSON},
    Kind.TESTIMONY: {"interviewee_id": Kind.PERSON},
    Kind.CONSENT: {"subject_person_id": Kind.PERSON},
    Kind.ROUTE: {"event_ids": Kind.EVENT},
    Kind.OBSERVATION: {"location_id": Kind.LOCATION},
    Kind.ATTACHMENT: {"attached_to_id": Kind.TESTIMONY},
}

# Kinds whose factory body refers to no other record: create these first.
REFERENCE_FREE_KINDS: Final = tuple(kind for kind in Kind if kind not in REQUIRED_REFERENCES)

_BODIES: Final[Mapping[Kind, dict[str, Any]]] = {
    Kind.CASE: {
        "title": "Forced returns through Tumen, spring 2019",
        "status": "open",
        "summary": "Escapees caught in Yanbian and handed over at the Tumen bridge.",
        "sensitivity": "high",
        "opened_on": "2019-05",
    },
    Kind.PERSON: {
        "pseudonym": "P-0042",
        "names": {"hangul": "김영희", "romanized": "Kim Yeong-hui", "chinese": "金英姬"},
        "aliases": ["Yeong-hui"],
        "sex": "female",
        "birth_year": 1988,
        "birth_year_approximate": True,
        "origin": "Hoeryong, North Hamgyong",
        "status": "repatriated",
        "notes": "Fictional person for tests.",
    },
    Kind.CONTACT: {
        "type": "messenger",
        "value": "fictional-messenger-id-0042",
        "relation": "sister",
    },
    Kind.TESTIMONY: {
        "interviewer": "Interviewer A",
        "interpreter": "Interpreter B",
        "date": "2019-08-14",
        "place": "Seoul",
        "language": "ko",
        "original_text": "2019년 3월 투먼에서 체포되어 온성 집결소로 넘겨졌습니다.",
        "translation": "I was arrested in Tumen in March 2019 and handed over to the Onsong holding centre.",
        "translation_language": "en",
        "summary": "Arrest in Tumen, forced return, Onsong holding centre.",
    },
    Kind.CONSENT: {
        "scopes": {
            "names_to_governments": False,
            "names_in_public_reports": False,
            "recontact": True,
            "share_with_un": True,
        },
        "method": "oral_recorded",
        "given_by": "the interviewee",
        "recorded_by": "Interviewer A",
        "given_on": "2019-08-14",
    },
    Kind.EVENT: {
        "type": "forced_repatriation",
        "title": "Handed over at the Tumen bridge",
        "date": "~2019-04",
        "transport": "public_security_van",
        "people_count": 12,
        "people_count_source": "testimony of P-0042",
        "acts": [{"type": "forced_repatriation", "perpetrator_institution": "chinese_border_defence"}],
        "perpetrator_institution": "chinese_public_security",
        "perpetrator_unit": "Tumen border defence detention centre guards",
        "description": "Twelve people driven to the bridge in one van and handed to the Onsong MSS.",
    },
    Kind.ROUTE: {"title": "Tumen to Onsong"},
    Kind.LOCATION: {
        "type": "holding_centre",
        "names": {"ko": "온성 집결소", "en": "Onsong holding centre", "romanized": "Onsong jipkyulso"},
        "country": "KP",
        "admin_area": "North Hamgyong",
        "latitude": 42.957,
        "longitude": 129.993,
        "coordinate_precision": "town",
    },
    Kind.OBSERVATION: {
        "type": "people_held",
        "date": "2019-04",
        "people_count": 40,
        "confidence": "medium",
        "source_note": "Seen by a released detainee.",
    },
    Kind.TAG: {"label": "Tumen crossing", "label_ko": "투먼 월경", "description": "Returns via Tumen."},
    Kind.ATTACHMENT: {
        "file_name": "interview-2019-08-14.m4a",
        "media_type": "audio/mp4",
        "size": 1_048_576,
        "sha256": "5" * 64,
        "intake_at": "2019-08-14T09:30:00.000Z",
        "intake_device": "laptop-a",
        "intake_user": "interviewer-a",
        "source": "file",
        "copy_role": "original",
    },
}


def _placeholder(kind: Kind, field: str) -> object:
    return [new_record_id()] if kind is Kind.ROUTE and field == "event_ids" else new_record_id()


def make_body(kind: Kind, **overrides: object) -> dict[str, Any]:
    """A valid, normalised body of `kind`, with `overrides` applied (``OMIT`` removes a field)."""
    body = copy.deepcopy(_BODIES[kind])
    for field in REQUIRED_REFERENCES.get(kind, {}):
        body[field] = _placeholder(kind, field)
    for field, value in overrides.items():
        if value is OMIT:
            body.pop(field, None)
        else:
            body[field] = value
    return body
