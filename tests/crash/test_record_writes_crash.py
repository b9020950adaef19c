"""A record write killed at any point leaves exactly the records before it or exactly the records after it.

Each write is one transaction (records, versions, links, search index, audit entry); the kill points cover every
statement inside it (sampled for the 50-record batch), BEGIN, COMMIT and the WAL checkpoint when the vault closes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adversarial.figures import budget, record

from .harness import BaseVault, create_vault, fictional_records, record_id, request_for
from .sweeps import sweep
from .vault_state import EDIT_MARKER

BATCH_SIZE = 50


@pytest.fixture
def vault_with_records(workdir: Path) -> BaseVault:
    return create_vault(workdir / "base" / "vault", fictional_records(12))


@pytest.mark.slow
def test_a_batch_write_killed_anywhere_leaves_none_or_all_of_the_batch(
    workdir: Path, vault_with_records: BaseVault
) -> None:
    request = request_for("write_batch", records=fictional_records(BATCH_SIZE, first=100))
    result = sweep(workdir, request, vault_with_records, budget=budget(160, 400))
    record(result.figure(f"Batch write ({BATCH_SIZE} records) killed at a durability point"))
    result.assert_clean()
    old = result.points_where(lambda s: s.state == "old")
    new = result.points_where(lambda s: s.state == "new")
    assert old and new and max(old) < min(new), "once the batch is committed, no later crash may lose it"
    assert result.labels[min(new) - 2] == "sql COMMIT", f"the batch appeared at {result.describe(min(new))}"


def test_an_edit_killed_anywhere_leaves_the_old_or_the_new_version(
    workdir: Path, vault_with_records: BaseVault
) -> None:
    # The testimony now names another interviewee (its link changes) and another word (its search entry changes).
    body = {
        "interviewee_id": record_id(3),
        "date": "2019-08-15",
        "language": "ko",
        "summary": f"Fictional testimony, corrected, about {EDIT_MARKER}.",
    }
    request = request_for("edit", record_id=record_id(1), body=body)
    result = sweep(workdir, request, vault_with_records, budget=budget(100, 10_000))
    record(result.figure("Record edit killed at a durability point"))
    result.assert_clean()
    old = result.points_where(lambda s: s.state == "old")
    new = result.points_where(lambda s: s.state == "new")
    assert old and new and max(old) < min(new)
    assert result.labels[min(new) - 2] == "sql COMMIT"


def test_a_delete_killed_anywhere_leaves_the_record_or_its_tombstone(
    workdir: Path, vault_with_records: BaseVault
) -> None:
    request = request_for("delete", record_id=record_id(2))
    result = sweep(workdir, request, vault_with_records, budget=budget(100, 10_000))
    record(result.figure("Record delete killed at a durability point"))
    result.assert_clean()
    old = result.points_where(lambda s: s.state == "old")
    new = result.points_where(lambda s: s.state == "new")
    assert old and new and max(old) < min(new)
    assert result.labels[min(new) - 2] == "sql COMMIT"
