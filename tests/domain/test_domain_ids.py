from __future__ import annotations

import uuid

import pytest

from safecase.domain.ids import new_record_id, parse_record_id
from safecase.errors import ValidationError


def test_new_record_ids_are_random_canonical_uuid4() -> None:
    first, second = new_record_id(), new_record_id()
    assert first != second
    assert uuid.UUID(first).version == 4
    assert parse_record_id(first) == first


def test_parse_record_id_lower_cases_and_strips() -> None:
    assert parse_record_id("  0B6F3A52-9C1E-4D7A-8F20-5E4B1C9D7A63 ") == "0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "P-0042",
        "{0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63}",
        "urn:uuid:0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63",
        "0b6f3a529c1e4d7a8f205e4b1c9d7a63",
        "0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a6",
        "0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a6g",
        "０b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63",
        42,
        None,
    ],
)
def test_parse_record_id_rejects_anything_but_canonical_uuid_text(text: object) -> None:
    with pytest.raises(ValidationError, match="is not a record id \\(a UUID such as "):
        parse_record_id(text)


def test_parse_record_id_names_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_record_id("nope", field="person_id")
    assert caught.value.field == "person_id"
    assert str(caught.value).startswith("person_id: is not a record id")
