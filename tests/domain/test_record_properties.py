"""Property tests over bodies generated from the field specs themselves."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from safecase.domain.kinds import Kind
from safecase.domain.record_types import RECORD_TYPES
from safecase.domain.records import json_schema, references, search_document, validate_body
from safecase.domain.vocabulary import CONTACT_TYPES
from safecase.errors import ValidationError
from tests.domain.body_strategies import json_values, raw_bodies
from tests.domain.schema_subset import check

KINDS = list(Kind)
SCHEMAS = {kind: json_schema(kind) for kind in KINDS}


def normalised_or_none(kind: Kind, body: Any) -> dict[str, Any] | None:
    try:
        return validate_body(kind, body)
    except ValidationError:
        return None


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_valid_bodies_are_fixed_points_that_match_the_schema(kind: Kind, data: st.DataObject) -> None:
    normalised = normalised_or_none(kind, data.draw(raw_bodies(kind)))
    assume(normalised is not None)
    assert normalised is not None
    reloaded = json.loads(json.dumps(normalised, ensure_ascii=False))
    assert validate_body(kind, reloaded) == normalised
    assert json.dumps(validate_body(kind, reloaded)) == json.dumps(normalised)  # same key order too
    check(normalised, SCHEMAS[kind])
    for reference in references(kind, normalised):
        assert reference.target_id == reference.target_id.lower()
        assert reference.target_kinds
    document = search_document(kind, normalised)
    if kind is Kind.CONTACT:
        assert (document.title, document.text) == (CONTACT_TYPES.label(normalised["type"]), "")


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=60)
@given(body=json_values())
def test_arbitrary_json_is_either_accepted_or_refused_with_a_validation_error(kind: Kind, body: Any) -> None:
    normalised_or_none(kind, body)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_json_in_any_field_gives_a_validation_error_or_a_valid_body(kind: Kind, data: st.DataObject) -> None:
    names = [prop.name for prop in RECORD_TYPES[kind].body.props]
    body = data.draw(raw_bodies(kind))
    body[data.draw(st.sampled_from(names))] = data.draw(json_values())
    normalised = normalised_or_none(kind, body)
    if normalised is not None:
        check(normalised, SCHEMAS[kind])
