"""json_schema agrees with validate_body: valid bodies pass both, and the structural faults fail both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from safecase.domain.kinds import Kind
from safecase.domain.records import SCHEMA_BASE_URI, json_schema, validate_body
from safecase.errors import ValidationError
from tests.domain.schema_subset import SUPPORTED, errors, is_valid
from tests.factories import OMIT, make_body


def subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        yield schema
        for key, value in schema.items():
            if key == "properties":
                for child in value.values():
                    yield from subschemas(child)
            elif key in ("allOf", "anyOf"):
                for child in value:
                    yield from subschemas(child)
            elif key in ("items", "if", "then", "else"):
                yield from subschemas(value)


@pytest.mark.parametrize("kind", list(Kind))
def test_schema_header(kind: Kind) -> None:
    schema = json_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"{SCHEMA_BASE_URI}{kind}.json" == f"https://safecase.invalid/schema/{kind}.json"
    assert schema["title"] and schema["description"]
    json.dumps(schema)
    assert json_schema(kind) == schema and json_schema(kind) is not schema


@pytest.mark.parametrize("kind", list(Kind))
def test_every_object_is_closed_and_every_property_titled(kind: Kind) -> None:
    for sub in subschemas(json_schema(kind)):
        unknown = {key for key in sub if key not in SUPPORTED and not key.startswith("x-")}
        assert not unknown
        if sub.get("type") == "object":
            assert sub["additionalProperties"] is False
            assert all("title" in prop for prop in sub["properties"].values())
        if sub.get("type") == "string" and "enum" not in sub:
            assert "pattern" in sub


def test_schema_lists_codes_and_caps() -> None:
    schema = json_schema(Kind.EVENT)
    assert "forced_repatriation" in schema["properties"]["type"]["enum"]
    assert schema["properties"]["type"]["x-labels"]["forced_repatriation"] == {
        "en": "Forced repatriation",
        "ko": "강제송환",
    }
    assert schema["properties"]["description"]["maxLength"] == 1_000_000
    assert schema["properties"]["title"]["maxLength"] == 1_000
    assert schema["properties"]["victim_ids"]["maxItems"] == 10_000
    assert schema["properties"]["acts"]["items"]["required"] == ["type"]
    assert json_schema(Kind.CASE)["properties"]["status"]["default"] == "open"
    assert "pseudonym" not in json_schema(Kind.PERSON).get("required", [])


@pytest.mark.parametrize("kind", list(Kind))
def test_factory_bodies_pass_the_schema(kind: Kind) -> None:
    assert errors(make_body(kind), json_schema(kind), "$") == []


def _withdrawal_with_scope_true() -> dict[str, Any]:
    return make_body(Kind.CONSENT, withdraws_consent_id="0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63")


REJECTED_BY_BOTH = [
    (Kind.CASE, make_body(Kind.CASE, title=OMIT)),
    (Kind.CASE, make_body(Kind.CASE, colour="red")),
    (Kind.CASE, make_body(Kind.CASE, status="pending")),
    (Kind.CASE, make_body(Kind.CASE, title="x" * 1_001)),
    (Kind.CASE, make_body(Kind.CASE, opened_on="19-03")),
    (Kind.PERSON, make_body(Kind.PERSON, birth_year="1988")),
    (Kind.PERSON, make_body(Kind.PERSON, birth_year=True)),
    (Kind.PERSON, make_body(Kind.PERSON, birth_year=1800)),
    (Kind.PERSON, make_body(Kind.PERSON, is_group=True)),
    (Kind.PERSON, make_body(Kind.PERSON, group_estimated_count=4, group_count_source="x")),
    (Kind.PERSON, make_body(Kind.PERSON, names={"hangul": "김영희", "korean": "김영희"})),
    (Kind.PERSON, make_body(Kind.PERSON, pseudonym="김영희")),
    (Kind.PERSON, make_body(Kind.PERSON, birth_year=OMIT)),
    (Kind.CONTACT, make_body(Kind.CONTACT, person_id="P-0042")),
    (Kind.CONTACT, make_body(Kind.CONTACT, value="line\x00break")),
    (Kind.CONSENT, make_body(Kind.CONSENT, scopes={"recontact": True})),
    (Kind.CONSENT, _withdrawal_with_scope_true()),
    (Kind.EVENT, make_body(Kind.EVENT, acts=[{"victim_id": "0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63"}])),
    (Kind.EVENT, make_body(Kind.EVENT, people_count=-1)),
    (Kind.EVENT, make_body(Kind.EVENT, date=OMIT, end_date="2019")),
    (Kind.EVENT, make_body(Kind.EVENT, victim_ids=["0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63"] * 2)),
    (Kind.ROUTE, make_body(Kind.ROUTE, event_ids=OMIT)),
    (Kind.LOCATION, make_body(Kind.LOCATION, coordinate_precision=OMIT)),
    (Kind.LOCATION, make_body(Kind.LOCATION, longitude=OMIT)),
    (Kind.LOCATION, make_body(Kind.LOCATION, latitude=OMIT, longitude=OMIT)),
    (Kind.LOCATION, make_body(Kind.LOCATION, latitude=91.0)),
    (Kind.LOCATION, make_body(Kind.LOCATION, country="KPR")),
    (Kind.OBSERVATION, make_body(Kind.OBSERVATION, location_id=OMIT)),
    (Kind.OBSERVATION, make_body(Kind.OBSERVATION, people_count=OMIT)),
    (Kind.OBSERVATION, make_body(Kind.OBSERVATION, type="person_status", people_count=OMIT)),
    (Kind.OBSERVATION, make_body(Kind.OBSERVATION, person_status="detained")),
    (Kind.TAG, make_body(Kind.TAG, label=["Tumen"])),
    (Kind.TAG, make_body(Kind.TAG, label="two\nlines")),
]


@pytest.mark.parametrize(("kind", "body"), REJECTED_BY_BOTH)
def test_schema_and_validation_reject_the_same_faults(kind: Kind, body: dict[str, Any]) -> None:
    assert not is_valid(body, json_schema(kind))
    with pytest.raises(ValidationError):
        validate_body(kind, body)


def test_date_order_is_only_in_validation_and_documented() -> None:
    body = make_body(Kind.EVENT, date="2019-05", end_date="2019-04")
    assert is_valid(body, json_schema(Kind.EVENT))
    with pytest.raises(ValidationError):
        validate_body(Kind.EVENT, body)
    assert "not before date" in json_schema(Kind.EVENT)["properties"]["end_date"]["description"]
