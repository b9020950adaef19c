"""`safecase check` after bundles: merged versions are in the audit chain, and the conflict list is verified."""

from __future__ import annotations

from safecase.domain.kinds import Kind
from safecase.services.check import check_vault
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
