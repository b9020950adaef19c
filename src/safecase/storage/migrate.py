"""Numbered SQL migrations, applied in order and tracked by ``PRAGMA user_version``.

Migrations are files ``NNNN_name.sql`` beside this module. Each runs in its own transaction together with the
version bump, so a crash leaves the database at the previous or the next version, never between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from safecase.errors import VaultStateError
from safecase.storage.database import Database

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    folder = resources.files("safecase.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("migration files must be numbered 0001, 0002, ... without gaps")
    return found


def head_version() -> int:
    return len(available_migrations())


def schema_version(db: Database) -> int:
    return int(db.query_one("PRAGMA user_version")[0])


def migrate(db: Database, target: int | None = None) -> int:
    """Bring the schema up to `target` (default: the newest). Returns the version reached."""
    migrations = available_migrations()
    goal = len(migrations) if target is None else target
    current = schema_version(db)
    if current > len(migrations):
        raise VaultStateError(
            f"This vault was written by a newer SafeCase (schema {current}); update SafeCase to open it."
        )
    for migration in migrations[current:goal]:
        _apply(db, migration)
    return schema_version(db)


def _apply(db: Database, migration: Migration) -> None:
    # executescript would commit on its own; run statement by statement inside our transaction instead.
    with db.transaction():
        for statement in _split_statements(migration.sql):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {migration.version}")


def _split_statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    statements: list[str] = []
    current: list[str] = []
    in_trigger = False
    for line in sql.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("--")):
            continue
        current.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and upper == "END;") or (not in_trigger and stripped.endswith(";")):
            statements.append("\n".join(current))
            current, in_trigger = [], False
    if current:
        statements.append("\n".join(current))
    return statements
