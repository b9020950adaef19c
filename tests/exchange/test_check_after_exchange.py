"""`safecase check` after bundles: merged versions are in the audit chain, and the conflict list is verified."""

from __future__ import annotations

from safecase.domain.kinds import Kind
from safecase.services.check import check_vault
from safecase.storage import integrity
from safecase.storage.records import Derived, RecordVersion
from tests.exchange.conftest import Team
from tests.factories import make_body


def _conflict(team: Team) -> str:
    kim, park = team.kim, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    first = team.bundle_path("first")
    kim.send([park], first)
    park.receive(first)
    team.clock.advance(5)
    kim.records.edit(case.id, {**case.body, "title": "Kim's title"})
    park.records.edit(case.id, {**case.body, "title": "Park's title"})
    second = team.bundle_path("second")
    kim.send([park], second)
    assert park.receive(second).conflicts == (case.id,)
    return case.id


def test_check_passes_after_imports_with_a_conflict(team: Team) -> None:
    _conflict(team)
    report = check_vault(team.park.session)
    assert report.ok, report.problems
    assert "conflicts" in report.passed and "history against audit chain" in report.passed


def test_check_notices_a_conflict_list_that_does_not_match_the_history(team: Team) -> None:
    _conflict(team)
    with team.park.session.db.transaction():
        team.park.session.db.execute("DELETE FROM record_conflicts")
    report = check_vault(team.park.session)
    assert any(problem.startswith("conflicts:") for problem in report.problems)


def test_versions_arriving_newest_first_leave_one_head_and_a_fork_two(team: Team) -> None:
    store = team.park.session.records
    record_id = "0b6f1c2e-0000-4000-8000-0000000000aa"
    revisions = [f"{1_764_000_000_000 + n:019d}.0000.00000000000000aa" for n in range(60)]
    body = make_body(Kind.CASE)

    def version(n: int, parents: tuple[str, ...]) -> RecordVersion:
        return RecordVersion(record_id, "case", revisions[n], False, {**body, "title": f"v{n}"}, "00000000000000aa",
                             "2025-11-24T16:00:00.000Z", parents)  # fmt: skip

    with team.park.session.db.transaction():
        for n in reversed(range(50)):  # a linear history, newest first
            store.apply_version(version(n, (revisions[n - 1],) if n else ()), Derived((), "", ""))
    assert store.heads(record_id) == (revisions[49],)
    with team.park.session.db.transaction():
        store.apply_version(version(55, (revisions[40],)), Derived((), "", ""))  # a fork from v40
    assert store.heads(record_id) == (revisions[49], revisions[55])
    assert integrity.conflict_problems(team.park.session.db) == ""  # a full recount agrees
