"""``safecase import FILE`` killed at any durability point leaves none of the file's rows or all of them.

The rows (JSON or CSV; testimonies that refer to people earlier in the file and to people already in the vault)
are read and checked before anything is written, then written in one transaction. Every survivor must unlock,
pass ``check``, and hold exactly the records, versions, links, search entries and audit entries of before the
import or of after it (``full_snapshot``). The crash table gets one row per format.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.adversarial.figures import budget, record

from .harness import BaseVault, create_vault, fictional_records, record_id, request_for
from .sweeps import sweep
from .vault_state import full_snapshot

ROWS = 24
CSV_COLUMNS = (
    "kind",
    "id",
    "pseudonym",
    "names.romanized",
    "notes",
    "interviewee_id",
    "date",
    "language",
    "summary",
    "label",
    "description",
)


def import_rows() -> list[dict[str, Any]]:
    """Flat import rows (``kind``, ``id``, fields); the first testimony refers to a person already in the vault."""
    rows = [{"kind": r["kind"], "id": r["id"], **r["body"]} for r in fictional_records(ROWS, first=300)]
    rows[1]["interviewee_id"] = record_id(0)
    return rows


def write_import_file(path: Path, rows: list[dict[str, Any]]) -> Path:
    if path.suffix == ".json":
        path.write_text(json.dumps({"records": rows}, ensure_ascii=False), encoding="utf-8")
        return path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        for row in rows:
            flat = {k: v for k, v in row.items() if k != "names"}
            if "names" in row:
                flat["names.romanized"] = row["names"]["romanized"]
            writer.writerow(flat)
    return path


@pytest.fixture
def vault_with_records(workdir: Path) -> BaseVault:
    return create_vault(workdir / "base" / "vault", fictional_records(12))


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_an_import_killed_anywhere_leaves_none_or_all_of_its_rows(
    workdir: Path, vault_with_records: BaseVault, file_format: str
) -> None:
    source = write_import_file(workdir / f"rows.{file_format}", import_rows())
    request = request_for("import_file", file=str(source), format=file_format)
    result = sweep(workdir, request, vault_with_records, budget=budget(40, 10_000), measure=full_snapshot)
    record(result.figure(f"Record import ({file_format.upper()}, {ROWS} rows) killed at a durability point"))
    result.assert_clean()
    old = result.points_where(lambda s: s.state == "old")
    new = result.points_where(lambda s: s.state == "new")
    assert old and new and max(old) < min(new), "once the import is committed, no later crash may lose it"
    assert result.labels[min(new) - 2] == "sql COMMIT", f"the rows appeared at {result.describe(min(new))}"
