"""Print the vault schema reached by applying every migration, as committed in tests/data/schema_head.sql.

Run after adding a migration:  python tools/dump_schema.py > tests/data/schema_head.sql
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from safecase.storage.database import Database, open_plain
from safecase.storage.migrate import migrate


def schema_sql(db: Database) -> str:
    rows = db.query_all(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'search_index_%'"
        " ORDER BY type, name"
    )
    return "".join(f"-- {kind} {name}\n{sql.strip()};\n\n" for kind, name, sql in rows)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_plain(Path(folder) / "schema.db")
        migrate(db)
        sys.stdout.write(schema_sql(db))
        db.close()


if __name__ == "__main__":
    main()
