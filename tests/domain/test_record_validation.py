"""validate_body reports the first problem with its field path and a one-line message saying what to do."""

from __future__ import annotations

from typing import Any

import pytest

from safecase.domain.kinds import Kind
from safecase.domain.record_types import RECORD_TYPES
from safecase.domain.records import validate_body
from safecase.errors import ValidationError
from tests.factories import OMIT, make_body

REQUIRED: dict[Kind, list[str]] = {
    Kind.CASE: ["title"],
    Kind.PERSON: [],
    Kind.CONTACT: ["person_id", "type", "value"],
    Kind.TESTIMONY: ["interviewee_id"],
    Kind.CONSENT: ["subject_person_id", "scopes", "method", "given_on"],
    Kind.EVENT: ["type"],
    Kind.ROUTE: ["event_ids"],
    Kind.LOCATION: ["type", "names"],
    Kind.OBSERVATION: ["type", "date", "confidence"],
    Kind.TAG: ["label"],
    Kind.ATTACHMENT: [
        "attached_to_id",
        "file_name",
        "media_type",
        "size",
        "sha256",
        "intake_at",
        "intake_device",
        "intake_user",
        "source",
    ],
}


def rejects(kind: Kind, body: object, field: str, message: str = "") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_body(kind, body)
    error = caught.value
    assert error.field == field, str(error)
    assert message in error.reason, str(error)
    assert "\n" not in str(error)
    return error


@pytest.mark.parametrize("kind", list(Kind))
def test_factory_bodies_are_valid_and_already_normalised(kind: Kind) -> None:
    body = make_body(kind)
    assert validate_body(kind, body) == body


@pytest.mark.parametrize("kind", list(Kind))
def test_required_fields_are_the_agreed_ones(kind: Kind) -> None:
    declared = [prop.name for prop in RECORD_TYPES[kind].body.props if prop.required]
    assert declared == REQUIRED[kind]


@pytest.mark.parametrize(("kind", "field"), [(kind, field) for kind, fields in REQUIRED.items() for field in fields])
def test_missing_required_field_is_named(kind: Kind, field: str) -> None:
    rejects(kind, make_body(kind, **{field: OMIT}), field, "is required")


@pytest.mark.parametrize(("kind", "field"), [(kind, f) for kind, fields in REQUIRED.items() for f in fields])
def test_empty_required_text_counts_as_missing(kind: Kind, field: str) -> None:
    empty: Any = {"scopes": {}, "names": {}, "event_ids": []}.get(field, "  ")
    rejects(kind, make_body(kind, **{field: empty}), field if field != "scopes" else "scopes.names_to_governments")


@pytest.mark.parametrize("kind", list(Kind))
def test_unknown_field_points_to_the_schema_command(kind: Kind) -> None:
    error = rejects(kind, make_body(kind, colour="red"), "colour")
    assert error.reason == f"unknown field; see `safecase record schema {kind}`"


def test_unknown_nested_field_has_a_dotted_path() -> None:
    rejects(Kind.PERSON, make_body(Kind.PERSON, names={"hangul": "김영희", "korean": "김영희"}), "names.korean")
    acts = [{"type": "arrest"}, {"type": "detention", "victim": "P-0042"}]
    rejects(Kind.EVENT, make_body(Kind.EVENT, acts=acts), "acts[1].victim", "unknown field")


def test_unknown_field_is_reported_before_missing_ones() -> None:
    rejects(Kind.CASE, {"titel": "Tumen"}, "titel", "unknown field")


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        (Kind.CASE, "title", 3, "must be one line of text"),
        (Kind.PERSON, "birth_year", "1980", "must be a whole number from 1900 to 2100"),
        (Kind.PERSON, "birth_year", True, "must be a whole number"),
        (Kind.PERSON, "birth_year", 1980.0, "must be a whole number"),
        (Kind.PERSON, "is_group", "true", "must be true or false"),
        (Kind.PERSON, "is_group", 1, "must be true or false"),
        (Kind.PERSON, "names", "김영희", "must be an object with the fields hangul, romanized, chinese"),
        (Kind.PERSON, "aliases", "Yeong-hui", "must be a list"),
        (Kind.CONTACT, "type", 1, "must be one of: phone, messenger"),
        (Kind.CONTACT, "person_id", 42, "must be the id of a person record"),
        (Kind.TESTIMONY, "date", 20190814, "must be a year, month or day"),
        (Kind.TESTIMONY, "original_text", ["text"], "must be text"),
        (Kind.CONSENT, "scopes", True, "must be an object"),
        (Kind.EVENT, "people_count", 3.0, "must be a whole number"),
        (Kind.EVENT, "people_count", None, "must be a whole number"),
        (Kind.ROUTE, "event_ids", "0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63", "must be a list"),
        (Kind.LOCATION, "latitude", "42.9", "must be a number from -90 to 90"),
        (Kind.LOCATION, "latitude", True, "must be a number"),
        (Kind.LOCATION, "country", "PRK", "two-letter ISO 3166 country code"),
        (Kind.LOCATION, "country", "ß", "two-letter ISO 3166 country code"),
        (Kind.OBSERVATION, "people_count", True, "must be a whole number"),
        (Kind.TAG, "label", ["Tumen"], "must be one line of text"),
    ],
)
def test_types_are_strict(kind: Kind, field: str, value: object, message: str) -> None:
    rejects(kind, make_body(kind, **{field: value}), field, message)


def test_wrong_type_inside_nested_objects_and_lists() -> None:
    scopes = dict(make_body(Kind.CONSENT)["scopes"], recontact="yes")
    rejects(Kind.CONSENT, make_body(Kind.CONSENT, scopes=scopes), "scopes.recontact", "true or false")
    rejects(Kind.PERSON, make_body(Kind.PERSON, aliases=["A", 7]), "aliases[1]", "must be one line of text")
    rejects(Kind.EVENT, make_body(Kind.EVENT, victim_ids=["P-0042"]), "victim_ids[0]", "the id of a person")
    rejects(Kind.EVENT, make_body(Kind.EVENT, acts=[{"type": "arrest"}, {}]), "acts[1].type", "is required")


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        (Kind.CASE, "title", "x" * 1_001, "is too long (1,001 characters); shorten it to at most 1,000"),
        (Kind.CASE, "title", "x" * 5_000, "is too long (5,000 characters)"),
        (Kind.TESTIMONY, "original_text", "가" * 1_000_001, "shorten it to at most 1,000,000"),
        (Kind.TESTIMONY, "original_text", "가" * 4_000_000, "is too long (4,000,000 characters)"),
        (Kind.PERSON, "aliases", ["a"] * 10_001, "has 10,001 items; the limit is 10,000"),
        (Kind.PERSON, "pseudonym", "P-" + "0" * 31, "shorten it to at most 32"),
        (Kind.PERSON, "birth_year", 2101, "from 1900 to 2100"),
        (Kind.PERSON, "group_estimated_count", 0, "from 1 to 10,000,000"),
        (Kind.EVENT, "people_count", -1, "from 0 to 10,000,000"),
        (Kind.LOCATION, "longitude", 180.5, "from -180 to 180"),
        (Kind.LOCATION, "latitude", float("nan"), "from -90 to 90"),
        (Kind.LOCATION, "latitude", float("inf"), "from -90 to 90"),
    ],
)
def test_lengths_and_ranges_are_capped(kind: Kind, field: str, value: object, message: str) -> None:
    rejects(kind, make_body(kind, **{field: value}), field, message)


def test_text_at_the_cap_is_accepted() -> None:
    assert len(validate_body(Kind.CASE, make_body(Kind.CASE, title="x" * 1_000))["title"]) == 1_000


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        (Kind.CASE, "status", "pending"),
        (Kind.CASE, "sensitivity", "secret"),
        (Kind.PERSON, "sex", "f"),
        (Kind.PERSON, "status", "Repatriated"),
        (Kind.CONTACT, "type", "telegram"),
        (Kind.TESTIMONY, "language", "korean"),
        (Kind.CONSENT, "method", "verbal"),
        (Kind.EVENT, "type", "repatriation"),
        (Kind.EVENT, "transport", "plane"),
        (Kind.EVENT, "perpetrator_institution", "mss"),
        (Kind.LOCATION, "type", "prison"),
        (Kind.LOCATION, "coordinate_precision", "rough"),
        (Kind.OBSERVATION, "confidence", "certain"),
        (Kind.OBSERVATION, "type", "sighting"),
    ],
)
def test_bad_vocabulary_code_lists_the_allowed_codes(kind: Kind, field: str, value: str) -> None:
    error = rejects(kind, make_body(kind, **{field: value}), field, "must be one of: ")
    assert value not in error.reason.split(": ", 1)[1].split(", ")


def test_bad_act_type_has_an_indexed_path() -> None:
    acts = [{"type": "arrest"}, {"type": "beating"}]
    rejects(Kind.EVENT, make_body(Kind.EVENT, acts=acts), "acts[1].type", "must be one of: arrest, detention")


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        (Kind.CASE, "opened_on", "2019-02-30", "is not a real date: 2019-02 has 28 days"),
        (
            Kind.TESTIMONY,
            "date",
            "March 2019",
            "must be a year, month or day such as 2019, 2019-03 or 2019-03-14",
        ),
        (Kind.CONSENT, "given_on", "2019-13", "month must be between 01 and 12"),
        (Kind.EVENT, "date", "1899", "year must be between 1900 and 2100"),
        (Kind.EVENT, "end_date", "2019-04-31", "is not a real date"),
        (Kind.OBSERVATION, "date", "2019/04", "must be a year, month or day"),
    ],
)
def test_bad_partial_dates_are_refused(kind: Kind, field: str, value: str, message: str) -> None:
    rejects(kind, make_body(kind, **{field: value}), field, message)


def test_duplicate_references_in_a_list_are_refused() -> None:
    person = "0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63"
    body = make_body(Kind.EVENT, victim_ids=[person, person.upper()])
    rejects(Kind.EVENT, body, "victim_ids[1]", "repeats an earlier item; remove the duplicate")


@pytest.mark.parametrize("body", [None, [], "person", 3, ["pseudonym", "P-0042"]])
def test_a_body_must_be_an_object(body: object) -> None:
    rejects(Kind.PERSON, body, "", "a person record must be a JSON object")


def test_non_string_keys_are_unknown_fields() -> None:
    rejects(Kind.TAG, {"label": "x", 1: "y"}, "(a field with an unexpected name)", "unknown field")


def test_an_unknown_key_that_looks_like_content_is_not_echoed() -> None:
    rejects(Kind.TAG, {"label": "x", "김영희 +86 139 1234 5678": "y"}, "(a field with an unexpected name)", "unknown")
