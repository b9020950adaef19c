"""Cross-field rules: groups, coordinates, date order, observations, withdrawals."""

from __future__ import annotations

import pytest

from safecase.domain.kinds import Kind
from safecase.domain.records import validate_body
from safecase.errors import ValidationError
from tests.factories import OMIT, make_body


def rejects(kind: Kind, body: object, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_body(kind, body)
    assert caught.value.field == field, str(caught.value)
    assert message in caught.value.reason, str(caught.value)


def test_a_group_needs_an_estimated_count_and_its_source() -> None:
    group = make_body(Kind.PERSON, is_group=True, names=OMIT)
    rejects(Kind.PERSON, group, "group_estimated_count", "is required when is_group is true")
    group["group_estimated_count"] = 40
    rejects(Kind.PERSON, group, "group_count_source", "is required when is_group is true")
    group["group_count_source"] = "testimony of P-0042"
    assert validate_body(Kind.PERSON, group)["group_estimated_count"] == 40


@pytest.mark.parametrize("is_group", [False, OMIT])
def test_group_fields_only_apply_to_groups(is_group: object) -> None:
    body = make_body(Kind.PERSON, is_group=is_group, group_estimated_count=3)
    rejects(Kind.PERSON, body, "group_estimated_count", "only applies when is_group is true")


def test_an_approximate_birth_year_needs_a_birth_year() -> None:
    body = make_body(Kind.PERSON, birth_year=OMIT, birth_year_approximate=True)
    rejects(Kind.PERSON, body, "birth_year", "is required when birth_year_approximate is given")


def test_coordinates_need_a_precision() -> None:
    body = make_body(Kind.LOCATION, coordinate_precision=OMIT)
    rejects(Kind.LOCATION, body, "coordinate_precision", "is required when latitude is given")


@pytest.mark.parametrize(("dropped", "missing"), [("latitude", "latitude"), ("longitude", "longitude")])
def test_coordinates_come_in_pairs(dropped: str, missing: str) -> None:
    rejects(Kind.LOCATION, make_body(Kind.LOCATION, **{dropped: OMIT}), missing, "is required when")


def test_a_precision_without_coordinates_is_refused() -> None:
    body = make_body(Kind.LOCATION, latitude=OMIT, longitude=OMIT)
    rejects(Kind.LOCATION, body, "latitude", "is required when coordinate_precision is given")


def test_a_location_without_coordinates_is_fine() -> None:
    body = make_body(Kind.LOCATION, latitude=OMIT, longitude=OMIT, coordinate_precision=OMIT)
    assert "latitude" not in validate_body(Kind.LOCATION, body)


@pytest.mark.parametrize("names", [{}, {"ko": " ", "en": ""}])
def test_a_location_needs_at_least_one_name(names: dict[str, str]) -> None:
    rejects(Kind.LOCATION, make_body(Kind.LOCATION, names=names), "names", "is required: at least one name")


@pytest.mark.parametrize(
    ("date", "end_date", "ok"),
    [
        ("2019-04-10", "2019-04-09", False),
        ("2019-04", "2019-03-31", False),
        ("2019", "2018", False),
        ("2019-04-10", "2019-04-10", True),
        ("2019-04-10", "2019-04", True),
        ("2019-04", "2019", True),
        ("~2019-04", "2019-05-02", True),
    ],
)
def test_end_date_must_not_be_before_date(date: str, end_date: str, ok: bool) -> None:
    body = make_body(Kind.EVENT, date=date, end_date=end_date)
    if ok:
        assert validate_body(Kind.EVENT, body)["end_date"] == end_date
    else:
        rejects(Kind.EVENT, body, "end_date", "must not be before date")


def test_end_date_needs_a_date() -> None:
    rejects(Kind.EVENT, make_body(Kind.EVENT, date=OMIT, end_date="2019-05"), "date", "is required when end_date")


def test_an_observation_needs_a_location_or_a_person() -> None:
    body = make_body(Kind.OBSERVATION, location_id=OMIT)
    rejects(Kind.OBSERVATION, body, "location_id", "give at least one of location_id or person_id")


def test_people_held_needs_a_count_and_only_it_has_one() -> None:
    rejects(Kind.OBSERVATION, make_body(Kind.OBSERVATION, people_count=OMIT), "people_count", "is required when")
    body = make_body(Kind.OBSERVATION, type="last_contact", person_id="0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63")
    rejects(Kind.OBSERVATION, body, "people_count", "only applies when type is people_held")


def test_a_status_observation_needs_a_person_and_a_status() -> None:
    body = make_body(Kind.OBSERVATION, type="person_status", people_count=OMIT)
    rejects(Kind.OBSERVATION, body, "person_status", "is required when type is person_status")
    body["person_status"] = "disappeared"
    rejects(Kind.OBSERVATION, body, "person_id", "is required when type is person_status")
    body["person_id"] = "0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63"
    assert validate_body(Kind.OBSERVATION, body)["person_status"] == "disappeared"


def test_a_route_needs_at_least_one_event() -> None:
    rejects(Kind.ROUTE, make_body(Kind.ROUTE, event_ids=[]), "event_ids", "is required: at least one event id")


def test_all_four_consent_scopes_are_required() -> None:
    scopes = make_body(Kind.CONSENT)["scopes"]
    del scopes["share_with_un"]
    rejects(Kind.CONSENT, make_body(Kind.CONSENT, scopes=scopes), "scopes.share_with_un", "is required")


def test_a_withdrawal_must_clear_every_scope() -> None:
    withdrawn = "0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63"
    body = make_body(Kind.CONSENT, withdraws_consent_id=withdrawn)
    rejects(Kind.CONSENT, body, "scopes.recontact", "must be false when withdraws_consent_id is set")
    body["scopes"] = dict.fromkeys(body["scopes"], False)
    assert validate_body(Kind.CONSENT, body)["withdraws_consent_id"] == withdrawn
