"""What the record service relies on: pseudonym assignment, immutable consent, withdrawals."""

from __future__ import annotations

import pytest

from safecase.domain.ids import new_record_id
from safecase.domain.kinds import IMMUTABLE_KINDS, Kind
from safecase.domain.records import ensure_editable, needs_pseudonym, normalise_for_storage, withdrawal_of
from safecase.errors import ValidationError
from tests.factories import OMIT, make_body


def fail() -> str:
    raise AssertionError("assign_pseudonym called when not needed")


def test_a_person_without_pseudonym_gets_one_when_stored() -> None:
    body = make_body(Kind.PERSON, pseudonym=OMIT)
    assert needs_pseudonym(Kind.PERSON, body)
    stored = normalise_for_storage(Kind.PERSON, body, assign_pseudonym=lambda: "P-0043")
    assert stored["pseudonym"] == "P-0043"
    assert not needs_pseudonym(Kind.PERSON, stored)


def test_a_given_pseudonym_is_kept_and_other_kinds_need_none() -> None:
    assert normalise_for_storage(Kind.PERSON, make_body(Kind.PERSON), assign_pseudonym=fail)["pseudonym"] == "P-0042"
    assert normalise_for_storage(Kind.CASE, make_body(Kind.CASE), assign_pseudonym=fail) == make_body(Kind.CASE)
    assert not needs_pseudonym(Kind.CASE, {})


def test_an_assigned_pseudonym_is_validated_too() -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_for_storage(Kind.PERSON, {}, assign_pseudonym=lambda: "Kim Yeong-hui")
    assert caught.value.field == "pseudonym"


def test_consent_and_attachment_records_are_immutable() -> None:
    assert {Kind.CONSENT, Kind.ATTACHMENT} == IMMUTABLE_KINDS
    with pytest.raises(ValidationError, match="consent records are never edited; to withdraw consent, add a new"):
        ensure_editable(Kind.CONSENT)
    for kind in set(Kind) - IMMUTABLE_KINDS:
        ensure_editable(kind)


def test_withdrawal_of_copies_subject_and_testimony_and_clears_scopes() -> None:
    consent_id, testimony = new_record_id(), new_record_id()
    consent = make_body(Kind.CONSENT, testimony_id=testimony)
    withdrawal = withdrawal_of(consent_id, consent, method="oral_witnessed", given_on="2020-01", recorded_by="B")
    assert withdrawal["withdraws_consent_id"] == consent_id
    assert withdrawal["subject_person_id"] == consent["subject_person_id"]
    assert withdrawal["testimony_id"] == testimony
    assert set(withdrawal["scopes"].values()) == {False}
    assert withdrawal["recorded_by"] == "B"
