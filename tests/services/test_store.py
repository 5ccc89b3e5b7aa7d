from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from app.services.errors import DatabaseOpenError
from app.services.store import SCHEMA_HEAD, Store


@pytest.mark.sqlite_only
def test_new_database_has_schema_and_durable_pragmas(store, db_path):
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
    assert db_path.exists()


def test_schema_head_constant_matches_migrations():
    from app.migrations.runner import head_revision

    assert head_revision() == SCHEMA_HEAD


def test_models_and_migrations_agree(store):
    """Autogenerate against a migrated database finds nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.models import Base

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_reopening_keeps_data(db_path, clock, review):
    reopened = Store.open(db_path, clock=clock)
    try:
        from app.services import reviews

        assert reviews.get_review(reopened, review.id).person_label == "J.B."
    finally:
        reopened.close()


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda p: p.mkdir(), "it is a folder"),
        (lambda p: None, "does not exist"),
        (lambda p: p.write_bytes(b"this is not a database at all" * 200), "damaged or is not a ReviewDay database"),
        (lambda p: p.write_bytes(b""), None),  # an empty file is a new database
    ],
    ids=["folder", "missing-folder", "garbage", "empty"],
)
def test_unopenable_paths_give_one_clear_error(tmp_path, make, expected):
    path = tmp_path / "x.sqlite3"
    if expected == "does not exist":
        path = tmp_path / "no-such-folder" / "x.sqlite3"
    else:
        make(path)
    if expected is None:
        Store.open(path).close()
        return
    with pytest.raises(DatabaseOpenError, match=expected):
        Store.open(path)


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="another program"):
        Store.open(path)
    assert path.read_bytes() == before


def test_missing_file_without_create_is_refused(tmp_path):
    with pytest.raises(DatabaseOpenError, match="no such file"):
        Store.open(tmp_path / "absent.sqlite3", create=False)


def test_write_rolls_back_the_whole_unit_on_error(store, review):
    from app.models import Note

    with pytest.raises(RuntimeError):
        with store.write() as session:
            session.add(Note(review_id=review.id, section_id="safety", text="half"))
            session.flush()
            raise RuntimeError("boom")
    with store.read() as session:
        assert session.query(Note).count() == 0
