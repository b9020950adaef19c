"""A bundle from one field worker to the coordinator: what arrives is what was sent, with its whole history."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from safecase.domain.kinds import Kind
from safecase.errors import IntegrityError
from safecase.services.evidence_read import IN_MEMORY_BYTES
from safecase.services.exchange.record_lines import stored_version_line, version_line
from tests.exchange.conftest import Team
from tests.factories import make_body


def _states(member, kinds=tuple(Kind)):  # type: ignore[no-untyped-def]
    found = {}
    for kind in kinds:
        for state in member.records.list_kind(kind, limit=100_000):
            found[state.id] = (state.kind, state.revision, state.body, state.deleted)
    return found


def test_a_bundle_carries_records_with_their_history_to_the_coordinator(team: Team) -> None:
    kim, park = team.kim, team.park
    person = kim.records.add(Kind.PERSON, make_body(Kind.PERSON))
    team.clock.advance(1000)
    kim.records.edit(person.id, {**person.body, "status": "detained"})
    testimony = kim.records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id))
    path = team.bundle_path("kim-1")
    receipt = kim.send([park], path)
    assert receipt.counts["records"] == 2 and receipt.counts["versions"] == 3

    result = park.receive(path)

    assert (result.new_records, result.updated_records, result.conflicts, result.unverified) == (2, 0, (), False)
    assert _states(park) == _states(kim)
    assert [v.revision for v in park.records.history(person.id)] == [v.revision for v in kim.records.history(person.id)]
    assert park.records.show(testimony.id).body == testimony.body


def test_importing_the_same_bundle_twice_is_a_no_op_that_says_so(team: Team) -> None:
    team.kim.records.add(Kind.CASE, make_body(Kind.CASE))
    path = team.bundle_path("kim-1")
    team.kim.send([team.park], path)
    first = team.park.receive(path)
    again = team.park.receive(path)
    assert not first.replay and again.replay
    assert again.summary.imported_at is not None


def test_lines_built_from_stored_text_are_the_lines_of_the_parsed_versions(team: Team) -> None:
    kim = team.kim
    person = kim.records.add(Kind.PERSON, make_body(Kind.PERSON))
    kim.records.edit(person.id, {**person.body, "notes": 'quotes " and \\\\ and 한글 and \u2028'})
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    kim.records.delete(case.id)
    nums = [kim.session.db.query_one("SELECT num FROM records WHERE id = ?", (i,))[0] for i in (person.id, case.id)]
    stored = list(kim.session.records.stored_versions(nums))
    parsed = kim.records.history(person.id) + kim.records.history(case.id)
    assert [stored_version_line(s) for s in stored] == [version_line(v) for v in parsed]


def test_evidence_small_and_large_travels_exactly_and_an_altered_file_stops_the_export(
    team: Team, tmp_path: Path
) -> None:
    kim, park = team.kim, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    small, large = tmp_path / "photo.jpg", tmp_path / "interview.wav"
    small.write_bytes(os.urandom(300_000))
    large.write_bytes(os.urandom(IN_MEMORY_BYTES + 3 * 65536 + 17))  # streamed, not decrypted in one piece
    attached = [kim.attachments.attach(case.id, path) for path in (small, large)]
    path = team.bundle_path("evidence")
    kim.send([park], path)
    park.receive(path)
    for state, source in zip(attached, (small, large), strict=True):
        assert bytes(park.attachments.read_bytes(state.id, 64 << 20)) == source.read_bytes()

    blob = kim.session.attachment_blobs.get(attached[1].id)
    assert blob is not None
    stored = kim.session.blobs.path(blob.blob_name)
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 1
    stored.write_bytes(bytes(data))
    broken = team.bundle_path("broken")
    with pytest.raises(IntegrityError, match="does not match its intake SHA-256"):
        kim.send([park], broken)
    assert not broken.exists()
