"""R7: migrations lose nothing. Every stored old-schema database upgrades with its content intact."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from app.services import actions, notes, reviews
from app.services.errors import DatabaseOpenError
from app.services.store import SCHEMA_HEAD, Store, pre_migration_copy_path
from tests.migrations_support import FIXTURES, content_digest, revisions, schema_of

# Upgrades of stored SQLite files (tests/services/test_postgres.py migrates a server schema).
pytestmark = pytest.mark.sqlite_only

FIXTURE_FILES = sorted(FIXTURES.glob("*.sqlite3"))


def test_there_is_a_stored_database_for_every_revision():
    """If this fails after adding a migration: python -m tests.migrations_support"""
    assert {p.stem for p in FIXTURE_FILES} == set(revisions())


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_upgrade_keeps_every_row_and_value(fixture, tmp_path):
    db = tmp_path / "old.sqlite3"
    shutil.copy(fixture, db)
    old_schema = schema_of(db)
    before = content_digest(db, old_schema)

    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
        # The app reads the upgraded data through its services.
        [summary] = reviews.list_reviews(store)
        assert notes.list_notes(store, summary.id) and actions.list_actions(store, summary.id)
    finally:
        store.close()
    assert content_digest(db, old_schema) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    # The safety copy made before updating is removed once the update committed.
    assert not pre_migration_copy_path(db, fixture.stem).exists()


def test_a_migration_that_fails_half_way_leaves_a_restorable_copy(tmp_path, monkeypatch, capsys):
    oldest = FIXTURES / f"{revisions()[0]}.sqlite3"
    db = tmp_path / "old.sqlite3"
    shutil.copy(oldest, db)
    before = content_digest(db, schema_of(db))

    from app.migrations import runner

    def fail_midway(engine):
        from alembic import command

        command.upgrade(runner.alembic_config(engine), revisions()[1])  # the first step lands...
        raise RuntimeError("power cut")  # ...then the run dies

    monkeypatch.setattr(runner, "upgrade_to_head", fail_midway)
    with pytest.raises(DatabaseOpenError, match="A copy from before the update is kept"):
        Store.open(db)
    copy = pre_migration_copy_path(db, revisions()[0])
    assert content_digest(copy, schema_of(copy)) == before

    # The copy restores with the ordinary command, and the next start upgrades it fully.
    monkeypatch.undo()
    from app.cli import main

    assert main(["restore", str(copy), "--db", str(db)]) == 0
    store = Store.open(db)
    try:
        assert reviews.list_reviews(store)
    finally:
        store.close()


@pytest.mark.parametrize(("secure", "inadequate", "level", "rating"), [
    (1, 1, "secure", "inadequate"),
    (0, 0, "none", "not_recorded"),
    (1, 0, "secure", "not_recorded"),
])
def test_the_old_ticks_become_the_secure_level_and_cqc_rating(tmp_path, secure, inadequate, level, rating):
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "0005_follow_up.sqlite3", db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE reviews SET secure = ?, ward_rated_inadequate = ?", (secure, inadequate))
    store = Store.open(db)
    try:
        [summary] = reviews.list_reviews(store)
        setup = reviews.get_review(store, summary.id).setup
    finally:
        store.close()
    assert (setup.secure_level.value, setup.cqc_rating.value) == (level, rating)
    # The old ticks keep their stored values, and still agree with what they are derived from.
    assert (setup.secure, setup.ward_rated_inadequate) == (bool(secure), bool(inadequate))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT secure, ward_rated_inadequate FROM reviews").fetchone() == (secure, inadequate)


def test_carried_actions_of_older_databases_get_the_plain_words_of_the_action_they_came_from(tmp_path):
    from app.services import follow_up

    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "0007_review_links.sqlite3", db)
    with sqlite3.connect(db) as conn:
        uid = conn.execute("SELECT uid FROM actions ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute("UPDATE actions SET easy_read = 'Staff will help you go outside.' WHERE uid = ?", (uid,))
        conn.execute("UPDATE carried_actions SET source_action_uid = ? WHERE id = 1", (uid,))
        conn.execute("UPDATE carried_actions SET source_action_uid = 'gone' WHERE id = 2")
        review_id = conn.execute("SELECT review_id FROM carried_actions WHERE id = 1").fetchone()[0]
    store = Store.open(db)
    try:
        carried = {c.id: c.easy_read for c in follow_up.list_carried(store, review_id)}
        assert carried[1] == "Staff will help you go outside."
        assert carried.get(2, "") == ""
        assert all(not n.easy_read for n in notes.list_notes(store, review_id))
    finally:
        store.close()
