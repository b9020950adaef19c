"""RecordService against a real (fast-KDF) vault: round trips, history, references, tombstones, convergence."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safecase.domain.clock import iso_from_ms
from safecase.domain.ids import RecordId
from safecase.domain.kinds import Kind
from safecase.domain.records import references, validate_body, withdrawal_of
from safecase.errors import NotFoundError, SafeCaseError, ValidationError
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.storage.database import open_plain
from safecase.storage.migrate import migrate
from safecase.storage.records import Derived, RecordStore, RecordVersion
from safecase.storage.search_index import SearchIndex
from tests.domain.body_strategies import raw_bodies
from tests.factories import make_body

SLOW_FIXTURE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _free_of_references(kind: Kind, body: object) -> bool:
    try:
        return not references(kind, validate_body(kind, body))
    except ValidationError:
        return False


@SLOW_FIXTURE
@given(data=st.data())
def test_any_valid_body_round_trips_through_the_vault(session: VaultSession, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from([Kind.CASE, Kind.PERSON, Kind.LOCATION, Kind.TAG, Kind.EVENT]))
    body = data.draw(raw_bodies(kind).filter(lambda b: _free_of_references(kind, b)))
    records = RecordService(session)
    stored = records.add(kind, body)
    expected = validate_body(kind, body)
    if kind is Kind.PERSON and "pseudonym" not in expected:
        expected["pseudonym"] = stored.body["pseudonym"]
    assert json.dumps(records.show(stored.id).body, sort_keys=True) == json.dumps(expected, sort_keys=True)


@SLOW_FIXTURE
@given(
    labels=st.lists(
        st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=40).filter(str.strip),
        min_size=1,
        max_size=8,
    )
)
def test_history_keeps_every_version_in_order(session: VaultSession, labels: list[str]) -> None:
    records = RecordService(session)
    state = records.add(Kind.TAG, {"label": labels[0]})
    for label in labels[1:]:
        state = records.edit(state.id, {"label": label})
    history = records.history(state.id)
    expected = [validate_body(Kind.TAG, {"label": label})["label"] for label in labels]
    distinct = [label for i, label in enumerate(expected) if i == 0 or label != expected[i - 1]]
    assert [v.body["label"] for v in history] == distinct
    assert [v.revision for v in history] == sorted(v.revision for v in history)
    assert records.show(state.id).body["label"] == distinct[-1]


def test_an_unchanged_edit_writes_no_version(session: VaultSession) -> None:
    records = RecordService(session)
    tag = records.add(Kind.TAG, {"label": "Musan"})
    records.edit(tag.id, {"label": "Musan"})
    assert len(records.history(tag.id)) == 1


def test_references_must_point_at_the_right_kind(session: VaultSession) -> None:
    records = RecordService(session)
    tag = records.add(Kind.TAG, {"label": "not a person"})
    with pytest.raises(ValidationError, match="interviewee_id: must refer to a person, not a tag"):
        records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=tag.id))


def test_a_reference_to_a_deleted_record_is_refused(session: VaultSession) -> None:
    records = RecordService(session)
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    records.delete(person.id)
    with pytest.raises(ValidationError, match="was deleted"):
        records.add(Kind.CONTACT, make_body(Kind.CONTACT, person_id=person.id))


def test_deleted_records_leave_search_and_lists_but_keep_history(session: VaultSession) -> None:
    records = RecordService(session)
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    assert session.search.query("김영희", 10)
    records.delete(person.id)
    assert session.search.query("김영희", 10) == []
    assert records.list_kind(Kind.PERSON) == []
    with pytest.raises(NotFoundError):
        records.show(person.id)
    assert [v.deleted for v in records.history(person.id)] == [False, True]


def test_restoring_a_deleted_version_brings_the_record_back(session: VaultSession) -> None:
    records = RecordService(session)
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    records.delete(person.id)
    records.restore(person.id, person.revision)
    assert records.show(person.id).body == person.body
    assert session.search.query("김영희", 10)


def test_contact_values_never_reach_the_search_index(session: VaultSession) -> None:
    records = RecordService(session)
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    records.add(Kind.CONTACT, make_body(Kind.CONTACT, person_id=person.id, value="+86 138 0000 1234"))
    assert session.search.query("13800001234", 10) == []
    assert session.search.query("1234", 10) == []


def test_consent_cannot_be_edited_or_deleted(session: VaultSession) -> None:
    records = RecordService(session)
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    consent = records.add(Kind.CONSENT, make_body(Kind.CONSENT, subject_person_id=person.id))
    with pytest.raises(SafeCaseError, match="never edited"):
        records.edit(consent.id, make_body(Kind.CONSENT, subject_person_id=person.id, notes="changed"))
    with pytest.raises(SafeCaseError, match="never deleted"):
        records.delete(consent.id)


def test_every_write_is_in_the_audit_chain(session: VaultSession) -> None:
    records = RecordService(session)
    tag = records.add(Kind.TAG, {"label": "Yanji"})
    records.edit(tag.id, {"label": "Yanji city"})
    records.delete(tag.id)
    rows = session.db.query_all("SELECT action, subject FROM audit_log WHERE subject = ? ORDER BY seq", (tag.id,))
    assert [r[0] for r in rows] == ["record.create", "record.edit", "record.delete"]
    assert "Yanji" not in json.dumps(session.db.query_all("SELECT * FROM audit_log"))


def _plain_store(path: Path) -> RecordStore:
    db = open_plain(path)
    migrate(db)
    return RecordStore(db, SearchIndex(db))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_applying_the_same_versions_in_any_order_gives_the_same_state(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    rng = random.Random(seed)
    record_ids = [f"0b6f1c2e-0000-4000-8000-00000000000{i}" for i in range(3)]
    walls = [rng.randint(1_700_000_000_000, 1_800_000_000_000) for _ in range(18)]
    versions = [
        RecordVersion(
            rid,
            "tag",
            f"{wall:019d}.0000.{device}",
            rng.random() < 0.2,
            {"label": f"label {rng.randint(0, 99)}"},
            device,
            iso_from_ms(wall),
        )
        for rid, device, wall in zip(
            [r for r in record_ids for _ in range(6)], ["00000000000000aa", "00000000000000bb"] * 9, walls, strict=True
        )
    ]
    states = []
    for order in range(2):
        shuffled = versions[:]
        random.Random(seed + order).shuffle(shuffled)
        store = _plain_store(tmp_path_factory.mktemp("converge") / "db")
        for version in shuffled:
            store.apply_version(version, Derived((), version.body["label"], ""))
        states.append([store.get(rid) for rid in record_ids])
    assert states[0] == states[1]


def test_a_withdrawal_must_concern_the_same_person(session: VaultSession) -> None:
    records = RecordService(session)
    first = records.add(Kind.PERSON, make_body(Kind.PERSON))
    second = records.add(Kind.PERSON, make_body(Kind.PERSON, pseudonym="P-0043"))
    consent = records.add(Kind.CONSENT, make_body(Kind.CONSENT, subject_person_id=first.id))
    stray = withdrawal_of(
        consent.id, {**consent.body, "subject_person_id": second.id}, method="written", given_on="2024-06-01"
    )
    with pytest.raises(ValidationError, match="another person"):
        records.add(Kind.CONSENT, stray)
    records.add(
        Kind.CONSENT, withdrawal_of(RecordId(consent.id), consent.body, method="written", given_on="2024-06-01")
    )


def test_a_consent_cannot_withdraw_itself(session: VaultSession) -> None:
    records = RecordService(session)
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    own_id = "0b6f1c2e-0000-4000-8000-0000000000c1"
    with pytest.raises(ValidationError, match="itself"):
        records.add(
            Kind.CONSENT,
            withdrawal_of(own_id, {"subject_person_id": person.id}, method="written", given_on="2024-06-01"),  # type: ignore[arg-type]
            record_id=own_id,
        )


def test_referring_lists_live_records_of_a_kind_that_name_a_record(session: VaultSession) -> None:
    records = RecordService(session)
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    consent = records.add(Kind.CONSENT, make_body(Kind.CONSENT, subject_person_id=person.id))
    testimony = records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id))
    assert [state.id for state in records.referring(person.id, Kind.CONSENT)] == [consent.id]
    assert [state.id for state in records.referring(person.id, Kind.TESTIMONY)] == [testimony.id]
    assert {state.id for state in records.referring(person.id)} == {consent.id, testimony.id}
    records.delete(testimony.id)
    assert records.referring(person.id, Kind.TESTIMONY) == []
