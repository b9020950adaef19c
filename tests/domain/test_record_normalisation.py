"""validate_body normalises what people type: NFC, spaces, line breaks, empties, id case, defaults."""

from __future__ import annotations

import json
import unicodedata

import pytest

from safecase.domain.fields import At, Timestamp
from safecase.domain.kinds import Kind
from safecase.domain.records import validate_body
from safecase.errors import ValidationError
from tests.factories import OMIT, make_body

DECOMPOSED_KIM = unicodedata.normalize("NFD", "김영희")


def test_text_is_nfc_normalised_everywhere() -> None:
    assert DECOMPOSED_KIM != "김영희"
    body = make_body(Kind.PERSON, names={"hangul": DECOMPOSED_KIM}, aliases=["Jose\u0301"], notes="Cafe\u0301")
    normalised = validate_body(Kind.PERSON, body)
    assert normalised["names"] == {"hangul": "김영희"}
    assert normalised["aliases"] == ["José"]
    assert normalised["notes"] == "Café"


def test_length_is_counted_after_normalisation() -> None:
    assert validate_body(Kind.TAG, {"label": DECOMPOSED_KIM * 100})["label"] == "김영희" * 100


def test_surrounding_spaces_are_stripped() -> None:
    assert validate_body(Kind.TAG, {"label": "  Tumen\u3000", "label_ko": " 투먼 "}) == {
        "label": "Tumen",
        "label_ko": "투먼",
    }


def test_long_text_keeps_inner_lines_and_uses_lf() -> None:
    body = make_body(Kind.TESTIMONY, original_text="첫째 줄\r\n둘째 줄\r셋째\t줄\n\n")
    assert validate_body(Kind.TESTIMONY, body)["original_text"] == "첫째 줄\n둘째 줄\n셋째\t줄"


@pytest.mark.parametrize("text", ["Kim\nYeong-hui", "Kim\tYeong-hui", "Kim\x00", "Kim\x1b[31m", "Kim\x85x"])
def test_short_text_is_one_line_without_control_characters(text: str) -> None:
    with pytest.raises(ValidationError, match="must be a single line of text") as caught:
        validate_body(Kind.PERSON, make_body(Kind.PERSON, names={"romanized": text}))
    assert caught.value.field == "names.romanized"


@pytest.mark.parametrize("text", ["bad\x00byte", "bell\x07", "half \ud800 surrogate"])
def test_long_text_refuses_control_characters_and_broken_unicode(text: str) -> None:
    with pytest.raises(ValidationError, match="control characters or broken Unicode") as caught:
        validate_body(Kind.TESTIMONY, make_body(Kind.TESTIMONY, translation=text))
    assert caught.value.field == "translation"


def test_empty_optional_values_become_absent() -> None:
    body = make_body(
        Kind.PERSON,
        names={"hangul": "", "romanized": "  "},
        aliases=["", "Yeong-hui", " "],
        origin="",
        sex="",
        case_ids=[],
        notes="\n",
    )
    normalised = validate_body(Kind.PERSON, body)
    assert "names" not in normalised and "origin" not in normalised and "sex" not in normalised
    assert "case_ids" not in normalised and "notes" not in normalised
    assert normalised["aliases"] == ["Yeong-hui"]


def test_empty_optional_reference_becomes_absent() -> None:
    assert "place_location_id" not in validate_body(Kind.TESTIMONY, make_body(Kind.TESTIMONY, place_location_id=""))


def test_nested_empty_object_becomes_absent() -> None:
    assert "names" not in validate_body(Kind.PERSON, make_body(Kind.PERSON, names={}))


def test_person_needs_nothing_but_may_lack_a_pseudonym_until_stored() -> None:
    assert validate_body(Kind.PERSON, {}) == {}
    assert "pseudonym" not in validate_body(Kind.PERSON, make_body(Kind.PERSON, pseudonym=OMIT))


def test_defaults_are_filled_in() -> None:
    normalised = validate_body(Kind.CASE, {"title": "Tumen"})
    assert normalised == {"title": "Tumen", "status": "open", "sensitivity": "normal"}


def test_ids_are_lower_cased() -> None:
    upper = "0B6F3A52-9C1E-4D7A-8F20-5E4B1C9D7A63"
    body = make_body(Kind.EVENT, victim_ids=[upper], acts=[{"type": "arrest", "victim_id": f" {upper} "}])
    normalised = validate_body(Kind.EVENT, body)
    assert normalised["victim_ids"] == [upper.lower()]
    assert normalised["acts"][0]["victim_id"] == upper.lower()


def test_country_code_is_upper_cased_and_coordinates_are_floats() -> None:
    normalised = validate_body(Kind.LOCATION, make_body(Kind.LOCATION, country="kp", latitude=43, longitude=130))
    assert normalised["country"] == "KP"
    assert normalised["latitude"] == 43.0 and isinstance(normalised["latitude"], float)


def test_partial_dates_are_stripped() -> None:
    assert validate_body(Kind.EVENT, make_body(Kind.EVENT, date=" ~2019-04 "))["date"] == "~2019-04"


def test_keys_come_out_in_declared_order() -> None:
    body = dict(reversed(list(make_body(Kind.EVENT).items())))
    assert list(validate_body(Kind.EVENT, body)) == list(make_body(Kind.EVENT))


def test_validation_does_not_change_its_input() -> None:
    body = make_body(Kind.PERSON, names={"hangul": DECOMPOSED_KIM}, origin=" Hoeryong ")
    before = json.dumps(body)
    validate_body(Kind.PERSON, body)
    assert json.dumps(body) == before


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2019-03-14T09:30:00Z", "2019-03-14T09:30:00.000Z"),
        ("2019-03-14T18:30:00+09:00", "2019-03-14T09:30:00.000Z"),
        ("2019-03-14 09:30:00.123456+00:00", "2019-03-14T09:30:00.123Z"),
    ],
)
def test_timestamps_are_stored_in_utc_with_milliseconds(text: str, stored: str) -> None:
    assert Timestamp().validate(text, At("event", "at")) == stored
    assert Timestamp().validate(stored, At("event", "at")) == stored


@pytest.mark.parametrize("text", ["2019-03-14T09:30:00", "2019-03-14", "yesterday", "2019-02-30T00:00:00Z", 5])
def test_timestamps_need_a_real_moment_and_a_time_zone(text: object) -> None:
    with pytest.raises(ValidationError, match="must be a date and time with a time zone"):
        Timestamp().validate(text, At("event", "at"))
