"""List views: rows are read by key (a rowid lookup per row, for every kind), keys come sorted and filtered."""

from __future__ import annotations

import pytest

from safecase.domain.kinds import Kind
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.storage.listing import ListViews
from tests.factories import make_body


@pytest.mark.parametrize("kind", list(Kind))
def test_rows_by_key_look_up_each_row_by_rowid(session: VaultSession, kind: Kind) -> None:
    views = ListViews(session.db)
    sql = f"SELECT v.* FROM json_each(?) AS wanted CROSS JOIN {kind.value}_list AS v ON v.num = wanted.value"
    plan = " ".join(str(row[3]) for row in session.db.query_all("EXPLAIN QUERY PLAN " + sql, ("[1, 2]",)))
    assert "USING INTEGER PRIMARY KEY" in plan
    assert "records_by_kind" not in plan
    assert views.rows(kind, []) == {}


def test_rows_returns_live_rows_of_the_asked_keys_only(session: VaultSession) -> None:
    records = RecordService(session)
    people = [records.add(Kind.PERSON, make_body(Kind.PERSON, pseudonym=f"P-LIST{n}")) for n in range(5)]
    views = ListViews(session.db)
    keys = [num for chunk in views.sorted_keys(Kind.PERSON, sort_column="pseudonym", descending=False) for num in chunk]
    assert len(keys) == 5
    records.delete(people[2].id)
    rows = views.rows(Kind.PERSON, [*keys, 999_999])
    assert sorted(row.values["pseudonym"] for row in rows.values()) == ["P-LIST0", "P-LIST1", "P-LIST3", "P-LIST4"]
    assert all(rows[num].num == num for num in rows)


def test_an_unknown_sort_column_is_refused(session: VaultSession) -> None:
    with pytest.raises(ValueError, match="unknown list column"):
        next(ListViews(session.db).sorted_keys(Kind.PERSON, sort_column="body; DROP TABLE records", descending=False))
