"""A record write killed at any point leaves exactly the records before it or exactly the records after it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import (
    EDIT_MARKER,
    BaseVault,
    create_vault,
    fictional_records,
    record_id,
    request_for,
    sweep,
)

BATCH_SIZE = 50


@pytest.fixture
def vault_with_records(tmp_path: Path) -> BaseVault:
    return create_vault(tmp_path / "base" / "vault", fictional_records(12))


@pytest.mark.slow
def test_a_batch_write_killed_anywhere_leaves_none_or_all_of_the_batch(
    tmp_path: Path, vault_with_records: BaseVault
) -> None:
    request = request_for("write_batch", records=fictional_records(BATCH_SIZE, first=100))
    result = sweep(tmp_path, request, vault_with_records, budget=90)
    result.assert_clean()
    old = result.points_where(lambda s: s.state == "old")
    new = result.points_where(lambda s: s.state == "new")
    assert old and new, "the kill points should straddle the commit"
    assert max(old) < min(new), "once the batch is committed, no later crash may lose it"
    assert "COMMIT" in result.labels[min(new) - 2], (
        f"the batch should appear exactly when COMMIT returns, not at {result.describe(min(new))}"
    )


def test_an_edit_killed_anywhere_leaves_the_old_or_the_new_version(
    tmp_path: Path, vault_with_records: BaseVault
) -> None:
    # The testimony now names another interviewee (its link changes) and another word (its search entry changes).
    body = {"interviewee_id": record_id(3), "date": "2019-08-15", "language": "ko",
            "summary": f"Fictional testimony, corrected, about {EDIT_MARKER}."}
    result = sweep(tmp_path, request_for("edit", record_id=record_id(1), body=body), vault_with_records,
                   budget=60)
    result.assert_clean()
    assert {s.state for s in result.survivors.values()} == {"old", "new"}


def test_a_delete_killed_anywhere_leaves_the_record_or_its_tombstone(
    tmp_path: Path, vault_with_records: BaseVault
) -> None:
    result = sweep(tmp_path, request_for("delete", record_id=record_id(2)), vault_with_records, budget=60)
    result.assert_clean()
    assert {s.state for s in result.survivors.values()} == {"old", "new"}
