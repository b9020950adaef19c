"""Convergent merge across three vaults: any edits, deletes and bundles, imported in any order, end the same.

The property test drives two field workers and a coordinator through random steps (adds, edits, deletes, clock
moves of 0 ms or more, bundles of everything or of what changed since a time or a version, imports along the way,
conflict resolutions) and finally has everyone send everyone a full bundle; every bundle ever made then reaches
each of its recipients in a random order, some twice. Every laptop must then hold byte-for-byte the same records,
versions, conflicts and links, and every version anybody wrote. The example tests below pin the shapes the
property test only reaches by chance: a concurrent edit, a delete against an edit, a clock that must stay past
what it imported even across a restart.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import FakeClock, iso_from_ms
from safecase.domain.hlc import Revision
from safecase.domain.kinds import Kind
from safecase.errors import SafeCaseError, ValidationError
from safecase.services.exchange.conflicts import ConflictService
from safecase.services.exchange.scope import ScopeRequest
from safecase.services.vault import VaultService
from tests.conftest import PASSPHRASE
from tests.exchange.conftest import Member, Team
from tests.factories import OMIT, make_body

KINDS = (Kind.CASE, Kind.PERSON, Kind.TESTIMONY)
EDITED_FIELD = {Kind.CASE: "summary", Kind.PERSON: "notes", Kind.TESTIMONY: "summary"}
TEXTS = ("Crossed at night.", "Held for 40 days.", "온성 집결소에서 3주.", "Released to family.", "Seen in Yanbian.")
START_MS = 1_764_000_000_000


# -- three vaults for one hypothesis example -------------------------------------------------------------------


@contextmanager
def open_team(root: Path) -> Iterator[Team]:
    """What the ``team`` fixture gives, made afresh for each hypothesis example (fixtures are per test)."""
    clock = FakeClock(START_MS)
    vaults = VaultService(KdfPolicy.for_tests(), clock)
    (root / "bundles").mkdir()
    opened: list[Member] = []
    try:
        for name in ("kim", "lee", "park"):
            folder = root / name
            vaults.create(folder, PASSPHRASE, name, "Test Org")
            opened.append(Member(name, vaults.unlock(folder, PASSPHRASE), folder))
        for member in opened:
            for other in opened:
                if other is not member:
                    member.knows(other)
        yield Team(opened[0], opened[1], opened[2], clock, root)
    finally:
        for member in opened:
            member.session.close()


# -- what a vault holds, as rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    records: tuple[tuple[Any, ...], ...]
    versions: tuple[tuple[Any, ...], ...]
    conflicts: tuple[tuple[Any, ...], ...]
    links: tuple[tuple[Any, ...], ...]
    searchable: tuple[str, ...]


def snapshot(member: Member) -> Snapshot:
    db = member.session.db

    def rows(sql: str) -> tuple[tuple[Any, ...], ...]:
        return tuple(tuple(row) for row in db.query_all(sql))

    return Snapshot(
        records=rows(
            "SELECT id, kind, revision, created_at, updated_at, origin_device, deleted, CAST(body AS BLOB)"
            " FROM records ORDER BY id"
        ),
        versions=rows(
            "SELECT r.id, v.revision, v.parents, v.body_sha256, v.deleted, v.kind, v.origin_device, v.written_at,"
            " CAST(v.body AS BLOB) FROM record_versions v JOIN records r ON r.num = v.record_num"
            " ORDER BY r.id, v.revision"
        ),
        conflicts=rows(
            "SELECT r.id, c.heads FROM record_conflicts c JOIN records r ON r.num = c.record_num ORDER BY r.id"
        ),
        links=rows(
            "SELECT r.id, l.field, l.target_id FROM record_links l JOIN records r ON r.num = l.source_num"
            " ORDER BY 1, 2, 3"
        ),
        searchable=tuple(
            row[0]
            for row in db.query_all("SELECT r.id FROM search_index s JOIN records r ON r.num = s.rowid ORDER BY r.id")
        ),
    )


def expected_heads(versions: tuple[tuple[Any, ...], ...]) -> dict[str, tuple[str, ...]]:
    """Per record, the revisions no version names as a parent: worked out here, not by the code under test."""
    revisions: dict[str, set[str]] = {}
    named: dict[str, set[str]] = {}
    for record_id, revision, parents, *_ in versions:
        revisions.setdefault(record_id, set()).add(revision)
        named.setdefault(record_id, set()).update(json.loads(parents))
    return {rid: tuple(sorted(revs - named[rid])) for rid, revs in revisions.items()}


def check_vault_consistent(member: Member) -> None:
    """One vault on its own: the state is its highest version, conflicts are its forks, the clock is past all."""
    snap = snapshot(member)
    by_record: dict[str, list[tuple[Any, ...]]] = {}
    for version in snap.versions:
        by_record.setdefault(version[0], []).append(version)
    assert {r[0] for r in snap.records} == set(by_record)
    for record_id, kind, revision, created_at, updated_at, origin, deleted, body in snap.records:
        history = by_record[record_id]
        newest = history[-1]
        assert (revision, kind, origin, deleted, body) == (newest[1], newest[5], newest[6], newest[4], newest[8])
        assert updated_at == newest[7]
        assert created_at == min(v[7] for v in history)
    heads = expected_heads(snap.versions)
    assert dict((rid, tuple(json.loads(h))) for rid, h in snap.conflicts) == {
        rid: h for rid, h in heads.items() if len(h) > 1
    }
    assert set(snap.searchable) == {r[0] for r in snap.records if not r[6]}
    last = member.session.meta.last_revision()
    if snap.versions:
        assert last is not None
        newest_seen = max(Revision.parse(v[1]) for v in snap.versions)
        assert (Revision.parse(last).wall_ms, Revision.parse(last).counter) >= (
            newest_seen.wall_ms,
            newest_seen.counter,
        )


# -- the random walk ---------------------------------------------------------------------------------------------


@dataclass
class Walk:
    team: Team
    # Every local write: (record id, revision) -> the revisions it was written over, as the writer saw them.
    written: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    bundles: list[tuple[Path, tuple[Member, ...]]] = field(default_factory=list)
    imported: set[tuple[Path, str]] = field(default_factory=set)
    edits: int = 0

    def member(self, index: int) -> Member:
        return self.team.members[index % 3]

    def live(self, member: Member, kinds: tuple[Kind, ...] = KINDS) -> list[Any]:
        return [state for kind in kinds for state in member.records.list_kind(kind, limit=100_000)]

    def wrote(self, record_id: str, revision: str, over: tuple[str, ...]) -> None:
        self.written[(record_id, revision)] = tuple(sorted(over))

    # steps

    def add(self, who: int, kind_index: int, pick: int, text_index: int) -> None:
        member = self.member(who)
        kind = KINDS[kind_index % len(KINDS)]
        overrides: dict[str, object] = {"pseudonym": OMIT} if kind is Kind.PERSON else {}
        if kind is Kind.TESTIMONY:
            persons = self.live(member, (Kind.PERSON,))
            if not persons:
                return
            overrides["interviewee_id"] = persons[pick % len(persons)].id
        overrides[EDITED_FIELD[kind]] = TEXTS[text_index % len(TEXTS)]
        state = member.records.add(kind, make_body(kind, **overrides))
        self.wrote(state.id, state.revision, ())

    def edit(self, who: int, pick: int, text_index: int) -> None:
        member = self.member(who)
        records = self.live(member)
        if not records:
            return
        current = records[pick % len(records)]
        field_name = EDITED_FIELD[Kind(current.kind)]
        self.edits += 1
        text = f"{TEXTS[text_index % len(TEXTS)]} (edit {self.edits} by {member.name})"
        body = {**current.body, field_name: text}
        target = current.body.get("interviewee_id")
        target_state = member.session.records.get(target) if target else None
        # The one refusal expected: a testimony whose interviewee this vault does not hold (a bundle of what
        # changed carried the testimony only) or holds deleted (a delete crossed the testimony on its way).
        refused = target is not None and (target_state is None or target_state.deleted)
        try:
            state = member.records.edit(current.id, body)
        except ValidationError as error:
            assert refused and "refers to" in error.message, error.message
            event("edit refused: interviewee missing or deleted")
            assert member.records.show(current.id).revision == current.revision
            return
        assert not refused
        assert state.revision > current.revision
        self.wrote(state.id, state.revision, (current.revision,))

    def delete(self, who: int, pick: int) -> None:
        member = self.member(who)
        unreferenced = [s for s in self.live(member) if not member.session.records.referrers(s.id)]
        if not unreferenced:
            return
        current = unreferenced[pick % len(unreferenced)]
        state = member.records.delete(current.id)
        assert state.deleted
        self.wrote(state.id, state.revision, (current.revision,))

    def tick(self, ms: int) -> None:
        self.team.clock.advance(ms)

    def export(self, who: int, mask: int, scope: int, amount: int) -> None:
        sender = self.member(who)
        others = [m for m in self.team.members if m is not sender]
        to = [m for bit, m in enumerate(others) if (mask % 3 + 1) >> bit & 1]
        if scope % 3 == 0:
            request = ScopeRequest()
        elif scope % 3 == 1:
            request = ScopeRequest(since=iso_from_ms(self.team.clock.now_ms() - amount))
        else:
            top = int(sender.session.db.query_one("SELECT coalesce(max(seq), 0) FROM record_versions")[0])
            request = ScopeRequest(after_version_seq=amount % (top + 1))
        path = self.team.bundle_path(f"{len(self.bundles):03d}-{sender.name}")
        sender.send(to, path, request)
        self.bundles.append((path, tuple(to)))

    def share(self, who: int) -> None:
        """A bundle of everything to both others, imported by them at once (a team meeting)."""
        self.export(who, 2, 0, 0)
        path, recipients = self.bundles[-1]
        for member in recipients:
            self.receive(member, path)

    def deliver(self, pick: int, recipient_pick: int) -> None:
        if not self.bundles:
            return
        path, recipients = self.bundles[pick % len(self.bundles)]
        self.receive(recipients[recipient_pick % len(recipients)], path)

    def receive(self, member: Member, path: Path) -> None:
        result = member.receive(path)
        assert result.replay == ((path, member.name) in self.imported)
        self.imported.add((path, member.name))
        for record_id in result.conflicts:
            assert len(member.session.records.heads(record_id)) > 1
        if result.conflicts:
            event("an import surfaced a conflict")

    def resolve(self, who: int, pick: int, head_pick: int) -> str | None:
        member = self.member(who)
        conflicted = member.session.records.conflicted_ids()
        if not conflicted:
            return None
        return self.resolve_record(member, conflicted[pick % len(conflicted)], head_pick)

    def resolve_record(self, member: Member, record_id: str, head_pick: int) -> str | None:
        service = ConflictService(member.session, member.records)
        conflict = service.get(record_id)
        keep = conflict.heads[head_pick % len(conflict.heads)]
        try:
            state = service.resolve(conflict.record_id, keep.revision)
        except ValidationError as error:
            # Keeping a version that refers to a person this vault holds deleted (or lacks) is refused.
            assert "refers to" in error.message, error.message
            event("resolution refused: the kept version refers to a deleted or missing record")
            return None
        event("a conflict was resolved")
        assert member.session.records.heads(conflict.record_id) == (state.revision,)
        assert (state.body, state.deleted) == (keep.body, keep.deleted)
        self.wrote(state.id, state.revision, tuple(v.revision for v in conflict.heads))
        return conflict.record_id


_member = st.integers(0, 2)
_pick = st.integers(0, 50)
_text = st.integers(0, len(TEXTS) - 1)
_export = st.tuples(st.just("export"), _member, st.integers(0, 2), st.integers(0, 2), st.integers(0, 100_000))
_deliver = st.tuples(st.just("deliver"), _pick, st.integers(0, 1))
_edit_step = st.tuples(st.just("edit"), _member, _pick, _text)
STEP = st.one_of(
    st.tuples(st.just("add"), _member, st.integers(0, 2), _pick, _text),
    st.tuples(st.just("add"), _member, st.just(1), _pick, _text),  # persons, so testimonies have someone
    _edit_step,
    _edit_step,
    _edit_step,
    st.tuples(st.just("delete"), _member, _pick),
    st.tuples(st.just("tick"), st.one_of(st.just(0), st.integers(0, 3), st.integers(0, 86_400_000))),
    _export,
    _export,
    _export,
    _deliver,
    _deliver,
    _deliver,
    _deliver,
    st.tuples(st.just("share"), _member),
    st.tuples(st.just("share"), _member),
    st.tuples(st.just("resolve"), _member, _pick, st.integers(0, 3)),
)


def run_step(walk: Walk, step: tuple[Any, ...]) -> None:
    action, *args = step
    getattr(walk, action)(*args)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=st.lists(STEP, min_size=20, max_size=80), data=st.data())
def test_any_edits_and_bundles_in_any_order_converge_on_every_laptop(
    steps: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp, open_team(Path(tmp)) as team:
        walk = Walk(team)
        for step in steps:
            run_step(walk, step)
        for member in team.members:
            check_vault_consistent(member)
        held_before = {v for m in team.members for v in snapshot(m).versions}

        # Everyone sends everyone all they hold; every bundle ever made reaches each recipient, in any order.
        for index in range(3):
            walk.export(index, 2, 0, 0)
        deliveries = [(path, member) for path, recipients in walk.bundles for member in recipients]
        repeats = data.draw(st.lists(st.sampled_from(deliveries), max_size=4), label="imported twice")
        for path, member in data.draw(st.permutations(deliveries + repeats), label="import order"):
            walk.receive(member, path)

        snaps = [snapshot(m) for m in team.members]
        assert snaps[0] == snaps[1] == snaps[2]
        for member in team.members:
            check_vault_consistent(member)
        held = {(v[0], v[1]): tuple(json.loads(v[2])) for v in snaps[0].versions}
        assert walk.written.keys() <= held.keys(), "a version someone wrote is missing"
        assert held.keys() <= walk.written.keys(), "a version nobody wrote appeared"
        assert {key: held[key] for key in walk.written} == walk.written, "a version lost what it was written over"
        assert set(snaps[0].versions) == held_before, "versions were lost or invented on the way"
        heads = expected_heads(snaps[0].versions)
        event(f"conflicts after the exchange: {min(len(snaps[0].conflicts), 3)}+")
        event(f"bundles: {min(len(walk.bundles) // 5 * 5, 15)}+")
        assert {rid for rid, _ in snaps[0].conflicts} == {rid for rid, h in heads.items() if len(h) > 1}

        # One person resolves every conflict they can; their bundle ends those conflicts everywhere.
        resolver = walk.member(data.draw(st.integers(0, 2), label="resolver"))
        resolved = []
        for record_id, _ in snaps[0].conflicts:
            head_pick = data.draw(st.integers(0, 3), label=f"head kept for {record_id}")
            if walk.resolve_record(resolver, record_id, head_pick) is not None:
                resolved.append(record_id)
        if resolved:
            walk.export(team.members.index(resolver), 2, 0, 0)
            path, recipients = walk.bundles[-1]
            for member in recipients:
                walk.receive(member, path)
        after = [snapshot(m) for m in team.members]
        assert after[0] == after[1] == after[2]
        assert not {rid for rid, _ in after[0].conflicts} & set(resolved)
        for member in team.members:
            check_vault_consistent(member)


# -- examples ------------------------------------------------------------------------------------------------------


def _edit(member: Member, record_id: str, summary: str) -> str:
    current = member.records.show(record_id)
    return member.records.edit(record_id, {**current.body, "summary": summary}).revision


def test_concurrent_edits_keep_both_versions_and_surface_a_conflict_everywhere(team: Team) -> None:
    kim, lee, park = team.members
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    kim.send([lee, park], team.bundle_path("kim-1"))
    lee.receive(team.bundle_path("kim-1"))
    park.receive(team.bundle_path("kim-1"))

    team.clock.advance(1000)
    by_kim = _edit(kim, case.id, "Kim: twelve people in the van.")
    by_lee = _edit(lee, case.id, "Lee: fourteen people in the van.")  # the same millisecond, another laptop
    kim.send([lee, park], team.bundle_path("kim-2"))
    lee.send([kim, park], team.bundle_path("lee-2"))
    park.receive(team.bundle_path("lee-2"))
    park.receive(team.bundle_path("kim-2"))
    lee_result = lee.receive(team.bundle_path("kim-2"))
    kim.receive(team.bundle_path("lee-2"))

    assert lee_result.conflicts == (case.id,)
    expected_heads_ = tuple(sorted([by_kim, by_lee]))
    for member in team.members:
        assert member.session.records.heads(case.id) == expected_heads_
        history = member.records.history(case.id)
        assert [v.revision for v in history] == [case.revision, *expected_heads_]
        assert {v.body["summary"] for v in history[1:]} == {
            "Kim: twelve people in the van.",
            "Lee: fourteen people in the van.",
        }
        conflict = ConflictService(member.session, member.records).get(case.id)
        assert [v.revision for v in conflict.heads] == list(expected_heads_)
        assert member.records.show(case.id).revision == max(by_kim, by_lee)
    assert snapshot(kim) == snapshot(lee) == snapshot(park)

    # Park keeps Lee's version; once the resolution reaches them, Kim and Lee have no conflict either.
    resolution = ConflictService(park.session, park.records).resolve(case.id, by_lee)
    assert resolution.body["summary"] == "Lee: fourteen people in the van."
    park.send([kim, lee], team.bundle_path("park-1"))
    kim.receive(team.bundle_path("park-1"))
    lee.receive(team.bundle_path("park-1"))
    for member in team.members:
        assert member.session.records.heads(case.id) == (resolution.revision,)
        assert ConflictService(member.session, member.records).count() == 0
        assert member.records.history(case.id)[-1].parents == expected_heads_
    assert snapshot(kim) == snapshot(lee) == snapshot(park)


def test_a_delete_against_an_edit_is_a_conflict_and_the_tombstone_travels(team: Team) -> None:
    kim, lee, park = team.members
    person = kim.records.add(Kind.PERSON, make_body(Kind.PERSON))
    kim.send([lee, park], team.bundle_path("kim-1"))
    lee.receive(team.bundle_path("kim-1"))
    park.receive(team.bundle_path("kim-1"))

    team.clock.advance(5)
    tombstone = kim.records.delete(person.id)
    edited = lee.records.edit(person.id, {**person.body, "status": "detained"})
    kim.send([park, lee], team.bundle_path("kim-2"), ScopeRequest(since=iso_from_ms(team.clock.now_ms())))
    lee.send([park, kim], team.bundle_path("lee-2"))
    for member, names in ((park, ("kim-2", "lee-2")), (lee, ("kim-2",)), (kim, ("lee-2",))):
        for name in names:
            member.receive(team.bundle_path(name))

    for member in team.members:
        history = member.records.history(person.id)
        assert len(history) == 3 and {v.revision for v in history} == {
            person.revision,
            tombstone.revision,
            edited.revision,
        }
        assert [v for v in history if v.deleted] == [v for v in history if v.revision == tombstone.revision]
        assert member.session.records.heads(person.id) == tuple(sorted([tombstone.revision, edited.revision]))
        # Both happened in the same millisecond: Kim's and Lee's device ids decide which one shows, the same way
        # everywhere, and nothing is dropped.
        state = member.records.show(person.id, include_deleted=True)
        assert state.revision == max(tombstone.revision, edited.revision)
    assert snapshot(kim) == snapshot(lee) == snapshot(park)

    # A delete that crosses nothing is simply a tombstone on every laptop.
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    kim.send([lee, park], team.bundle_path("kim-3"))
    team.clock.advance(1000)
    gone = kim.records.delete(case.id)
    kim.send([lee, park], team.bundle_path("kim-4"), ScopeRequest(since=iso_from_ms(team.clock.now_ms())))
    for member in (lee, park):
        member.receive(team.bundle_path("kim-3"))
        assert member.records.show(case.id).deleted is False
        result = member.receive(team.bundle_path("kim-4"))
        assert (result.updated_records, result.conflicts) == (1, ())
        state = member.records.show(case.id, include_deleted=True)
        assert state.deleted and state.revision == gone.revision
        assert all(s.id != case.id for s in member.records.list_kind(Kind.CASE))
        with pytest.raises(SafeCaseError):
            member.records.show(case.id)
    assert snapshot(kim) == snapshot(lee) == snapshot(park)


def test_a_local_edit_after_an_import_sorts_after_it_even_after_a_restart(team: Team, vaults: VaultService) -> None:
    kim, park = team.kim, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    # Kim's laptop clock runs a day ahead of Park's: the case arrives from Park's future.
    team.clock.advance(86_400_000)
    later = _edit(kim, case.id, "Edited a day ahead.")
    kim.send([park], team.bundle_path("kim-1"))
    team.clock.current_ms -= 86_400_000
    park.receive(team.bundle_path("kim-1"))

    park.session.close()
    park.session = vaults.unlock(park.folder, PASSPHRASE)
    mine = _edit(park, case.id, "Park's edit, made after the import and a restart.")

    assert Revision.parse(mine) > Revision.parse(later)
    assert Revision.parse(mine).wall_ms == Revision.parse(later).wall_ms  # the clock did not jump ahead of it
    assert park.records.history(case.id)[-1].parents == (later,)
    assert park.session.records.heads(case.id) == (mine,)
    park.send([kim], team.bundle_path("park-1"))
    kim.receive(team.bundle_path("park-1"))
    assert kim.records.show(case.id).body["summary"] == "Park's edit, made after the import and a restart."
    assert snapshot(kim) == snapshot(park)
