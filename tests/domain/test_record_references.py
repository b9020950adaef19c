from __future__ import annotations

from safecase.domain.ids import new_record_id
from safecase.domain.kinds import Kind
from safecase.domain.records import Reference, kinds_in_dependency_order, references, validate_body
from tests.factories import REFERENCE_FREE_KINDS, REQUIRED_REFERENCES, make_body


def test_event_references_include_nested_acts_with_indexed_paths() -> None:
    victim, other, location, testimony, case = (new_record_id() for _ in range(5))
    via = [new_record_id(), new_record_id()]
    body = validate_body(
        Kind.EVENT,
        make_body(
            Kind.EVENT,
            location_id=location,
            via_location_ids=via,
            victim_ids=[victim, other],
            acts=[
                {"type": "arrest", "victim_id": victim},
                {"type": "torture_or_ill_treatment"},
                {"type": "detention", "victim_id": other},
            ],
            source_testimony_ids=[testimony],
            case_ids=[case],
        ),
    )
    person, place = frozenset({Kind.PERSON}), frozenset({Kind.LOCATION})
    assert references(Kind.EVENT, body) == [
        Reference("location_id", location, place),
        Reference("via_location_ids[0]", via[0], place),
        Reference("via_location_ids[1]", via[1], place),
        Reference("victim_ids[0]", victim, person),
        Reference("victim_ids[1]", other, person),
        Reference("acts[0].victim_id", victim, person),
        Reference("acts[2].victim_id", other, person),
        Reference("source_testimony_ids[0]", testimony, frozenset({Kind.TESTIMONY})),
        Reference("case_ids[0]", case, frozenset({Kind.CASE})),
    ]


def test_paths_index_the_normalised_list() -> None:
    case = new_record_id()
    body = validate_body(Kind.PERSON, make_body(Kind.PERSON, case_ids=["", case]))
    assert references(Kind.PERSON, body) == [Reference("case_ids[0]", case, frozenset({Kind.CASE}))]


def test_reference_free_factory_bodies_have_no_references() -> None:
    for kind in REFERENCE_FREE_KINDS:
        assert references(kind, make_body(kind)) == []


def test_required_references_are_found_with_their_target_kind() -> None:
    for kind, fields in REQUIRED_REFERENCES.items():
        found = references(kind, make_body(kind))
        assert [ref.field.split("[")[0] for ref in found] == list(fields)
        assert all(fields[ref.field.split("[")[0]] in ref.target_kinds for ref in found)


def test_consent_and_location_may_refer_to_their_own_kind() -> None:
    withdrawn = new_record_id()
    consent = make_body(Kind.CONSENT, withdraws_consent_id=withdrawn)
    assert Reference("withdraws_consent_id", withdrawn, frozenset({Kind.CONSENT})) in references(Kind.CONSENT, consent)
    parent = new_record_id()
    location = make_body(Kind.LOCATION, parent_location_id=parent)
    assert references(Kind.LOCATION, location) == [Reference("parent_location_id", parent, frozenset({Kind.LOCATION}))]


def test_dependency_order_puts_targets_first() -> None:
    order = kinds_in_dependency_order()
    assert sorted(order) == sorted(Kind)
    position = {kind: index for index, kind in enumerate(order)}
    assert position[Kind.TAG] < position[Kind.CASE] < position[Kind.PERSON] < position[Kind.CONTACT]
    assert position[Kind.LOCATION] < position[Kind.TESTIMONY] < position[Kind.EVENT] < position[Kind.ROUTE]
    assert position[Kind.PERSON] < position[Kind.CONSENT] and position[Kind.TESTIMONY] < position[Kind.CONSENT]
