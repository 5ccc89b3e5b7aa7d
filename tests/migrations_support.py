"""Old-schema databases for migration tests: one file per revision, filled with every kind of row.

`python -m tests.migrations_support` writes tests/fixtures/schema/<revision>.sqlite3 for each
migration revision that has none yet (`--all` rewrites them all). Keep the old files: they are
the databases users already have. Each file is made by upgrading an empty database to that revision and
filling every table with deterministic rows chosen from the schema as it was then, so the
files stay valid when the models move on.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "schema"
ROWS_PER_TABLE = 3


def revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    from app.migrations.runner import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _enum_values() -> dict[tuple[str, str], list[str]]:
    """Valid stored values for enum columns, from the current models (values are only added)."""
    from sqlalchemy import Enum

    from app.models import Base

    found = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Enum):
                found[(table.name, column.name)] = list(column.type.enums)
    return found


def _value(table: str, column: dict, row: int, enums, foreign: dict[str, str]):
    name = column["name"]
    if name in foreign:
        return 1 + (row % ROWS_PER_TABLE) if foreign[name] != "reviews" else 1
    if name == "id":
        return row + 1
    if (table, name) in enums:
        values = enums[(table, name)]
        return values[row % len(values)]
    kind = str(column["type"]).upper()
    if "INT" in kind:
        return row + 1
    if "BOOL" in kind:
        return row % 2
    if "DATETIME" in kind:
        return datetime(2025, 3, 1 + row, 10, 30).isoformat(sep=" ")
    if "DATE" in kind:
        return date(2025, 3, 1 + row).isoformat()
    if "BLOB" in kind or "BINARY" in kind:
        return bytes([row]) * 16
    if "VARCHAR(36)" in kind:
        return f"00000000-0000-4000-8000-00000000000{row}"
    return f"{table}.{name}.{row}"


def make_fixture(revision: str, out: Path) -> Path:
    from alembic import command

    from app.migrations.runner import alembic_config

    out.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{out}")
    command.upgrade(alembic_config(engine), revision)
    inspector = inspect(engine)
    enums = _enum_values()
    tables = [t for t, _fks in inspector.get_sorted_table_and_fkc_names() if t and t != "alembic_version"]
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        for table in tables:
            columns = inspector.get_columns(table)
            foreign = {fk["constrained_columns"][0]: fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
            count = 1 if table == "reviews" else ROWS_PER_TABLE
            for row in range(count):
                values = [_value(table, c, row, enums, foreign) for c in columns]
                names = ", ".join(f'"{c["name"]}"' for c in columns)
                marks = ", ".join("?" for _ in columns)
                raw.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
    engine.dispose()
    return out


def content_digest(path: Path, tables_and_columns: dict[str, list[str]]) -> dict[str, str]:
    """A digest per table over the given columns, in id order: equal digests, equal content."""
    digests = {}
    with sqlite3.connect(path) as conn:
        for table, columns in tables_and_columns.items():
            names = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(f'SELECT {names} FROM "{table}" ORDER BY 1').fetchall()
            digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def schema_of(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                  if r[0] not in ("alembic_version", "sqlite_sequence")]
        return {t: [c[1] for c in conn.execute(f'PRAGMA table_info("{t}")')] for t in tables}


if __name__ == "__main__":
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for rev in revisions():
        target = FIXTURES / f"{rev}.sqlite3"
        if "--all" in sys.argv or not target.exists():
            print(make_fixture(rev, target))
    sys.exit(0)
