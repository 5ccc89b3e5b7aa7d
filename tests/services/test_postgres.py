"""The team database: the same services on PostgreSQL, and the clear refusals of file-only work.

Tests taking `store` run on SQLite and (with REVIEWDAY_TEST_POSTGRES_URL set) on PostgreSQL too;
tests taking `postgres_test_url` / `fresh_postgres_schema` need the server and skip without it;
the rest need no server at all.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.models.enums import ConsentBasis, EntryKind
from app.services import actions, people, reviews, sections
from app.services.dto import ActionInput
from app.services.errors import DatabaseOpenError, StorageError, ValidationError
from app.services.server_db import describe_open_failure, describe_server_error, url_has_password
from app.services.store import SCHEMA_HEAD, Store, database_url, is_server_url

# Nothing listens on port 1 of this computer: the connection is refused at once.
REFUSED_URL = "postgresql://reviewday:Sekrit-Pa55word@127.0.0.1:1/reviewday"


# Both databases ----------------------------------------------------------------------------


def test_over_long_setup_text_is_refused_with_one_sentence_and_nothing_saved(store, actor, setup_icetr):
    """PostgreSQL refuses a value longer than its VARCHAR; SQLite would keep it. Both now say so."""
    from dataclasses import replace

    with pytest.raises(ValidationError, match=r"^The hospital can be up to 200 characters long \(201 given\)"):
        reviews.create_review(store, replace(setup_icetr, hospital="H" * 201), actor)
    assert reviews.list_reviews(store) == []
    review = reviews.create_review(store, replace(setup_icetr, hospital="H" * 200), actor)
    with pytest.raises(ValidationError, match="legal status can be up to 120"):
        reviews.update_setup(store, review.id, actor, legal_status="S" * 121)
    assert reviews.get_review(store, review.id).setup.legal_status == setup_icetr.legal_status


def test_over_long_names_are_refused_on_attendees_actions_and_entries(store, actor, review):
    people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    with pytest.raises(ValidationError, match="^The organisation can be up to 200 characters"):
        people.add_attendee(store, review.id, actor, name="Jo Bloggs", role="chair", organisation="O" * 300)
    assert people.list_attendees(store, review.id) == []
    with pytest.raises(ValidationError, match="^The owner's name can be up to 200 characters"):
        actions.add_action(store, review.id, ActionInput(what="Review the care plan", owner_name="N" * 201), actor)
    assert actions.list_actions(store, review.id) == []
    section = sections.list_section_states(store, review.id)[0].section_id

    with pytest.raises(ValidationError, match="^The safeguarding lead can be up to 200 characters"):
        sections.add_entry(store, review.id, section, EntryKind.CONCERN, "A concern", actor,
                           safeguarding=True, safeguarding_lead="L" * 201)
    assert sections.list_entries(store, review.id) == []


def test_an_old_over_long_value_does_not_block_other_changes(store, actor, review):
    """A row saved before the check (SQLite kept it) still takes edits to its other fields."""
    if not store.is_file:
        pytest.skip("PostgreSQL never stored an over-long value")
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE reviews SET ward = :ward WHERE id = :id"), {"ward": "W" * 250, "id": review.id})
    reviews.update_setup(store, review.id, actor, hospital="Hillside Hospital")
    assert reviews.get_review(store, review.id).setup.hospital == "Hillside Hospital"


def test_tracker_search_ignores_case_on_every_database(store, actor, review):
    """PostgreSQL's LIKE is case-sensitive where SQLite's is not: the search lowers both sides."""
    from app.services import tracker

    actions.add_action(store, review.id, ActionInput(what="Plan", owner_name="Dr Amara Okafor"), actor)
    actions.add_action(store, review.id, ActionInput(what="Other", owner_name="Sam 100%_Taylor"), actor)
    found = tracker.tracker_rows(store, today=review.review_date, owner="AMARA")
    assert [row.owner_name for row in found] == ["Dr Amara Okafor"]
    found = tracker.tracker_rows(store, today=review.review_date, owner="0%_t")
    assert [row.owner_name for row in found] == ["Sam 100%_Taylor"]


# Urls and messages (no server needed) ----------------------------------------------------


def test_postgresql_urls_use_the_psycopg_driver():
    assert database_url("postgresql://r@h/db") == "postgresql+psycopg://r@h/db"
    assert database_url("postgres://r@h/db") == "postgresql+psycopg://r@h/db"
    assert database_url("postgresql+psycopg://r@h/db") == "postgresql+psycopg://r@h/db"
    assert is_server_url("postgresql://r@h/db") and not is_server_url("/tmp/x.sqlite3")
    assert not is_server_url("sqlite:///x.sqlite3")
    assert url_has_password("postgresql://r:pw@h/db") and url_has_password("postgresql://r@h/db?password=pw")
    assert not url_has_password("postgresql://r@h/db")


def test_a_server_that_refuses_connections_gives_one_sentence_without_the_password():
    with pytest.raises(DatabaseOpenError) as caught:
        Store.open(REFUSED_URL)
    message = str(caught.value)
    assert message == ("Cannot open the team database reviewday on 127.0.0.1:1: the server is not running "
                       "or refuses connections; check the address and port.")
    assert "Sekrit" not in message


@pytest.mark.parametrize("url, expected", [
    ("postgresql://r@h", "names no database"),
    ("mysql://r@h/db", "database files and PostgreSQL servers"),
])
def test_bad_team_database_urls_are_refused(url, expected):
    with pytest.raises(DatabaseOpenError, match=expected):
        Store.open(url)


class FakeDriverError(Exception):
    pass


class Wrapped(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.orig = FakeDriverError(detail)


@pytest.mark.parametrize("detail, expected", [
    ('connection failed: FATAL:  password authentication failed for user "reviewday"', "refused the role or its"),
    ("connection failed: fe_sendauth: no password supplied", "wants a password"),
    ('connection failed: FATAL:  database "reviews" does not exist', "no such database"),
    ('connection failed: FATAL:  role "x" does not exist', "no such role"),
    ('failed to resolve host "db.nowhere": could not translate host name', "not known on this network"),
    ("connection timeout expired", "did not answer in time"),
    ("permission denied for schema public", "may not create or change"),
    ('FATAL:  no pg_hba.conf entry for host "10.0.0.2"', "does not accept connections from this computer"),
    ("something new", "the server reported a problem"),
])
def test_open_failures_are_one_plain_sentence(detail, expected):
    url = "postgresql+psycopg://reviewday:Sekrit@db.example:5433/reviews"
    message = describe_open_failure(url, Wrapped(detail))
    assert message.startswith("Cannot open the team database reviews on db.example:5433: ")
    assert expected in message and "Sekrit" not in message and "\n" not in message


def test_failures_while_working_are_one_plain_sentence():
    assert "could not be reached" in describe_server_error(Wrapped("server closed the connection"), writing=True)
    assert "your text is kept" in describe_server_error(Wrapped("server closed the connection"), writing=True)
    assert "busy" in describe_server_error(Wrapped("deadlock detected"), writing=True)
    assert "nothing has been lost" in describe_server_error(Wrapped("terminating connection"), writing=False)


def test_the_encrypted_database_path_passes_a_url_through_without_keys(tmp_path, monkeypatch):
    from app.security.data_key import open_database

    asked = []
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseOpenError, match="the server is not running"):
        open_database(REFUSED_URL, passphrase=lambda creating: asked.append(creating) or "x" * 12)
    assert asked == [] and list(tmp_path.iterdir()) == []


# On the server -----------------------------------------------------------------------------


def test_migrations_build_the_schema_on_an_empty_server_database(fresh_postgres_schema):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.models import Base

    store = Store.open(fresh_postgres_schema)
    try:
        assert not store.is_file and store.folder is None and not store.is_encrypted
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == []
    finally:
        store.close()


def test_the_uid_backfill_migration_runs_on_the_server(fresh_postgres_schema):
    """Rows made before 0005 get distinct uids and each review its own series, as on SQLite."""
    from alembic import command
    from sqlalchemy import create_engine

    from app.migrations.runner import alembic_config
    from app.services.store import database_url as to_url

    engine = create_engine(to_url(fresh_postgres_schema))
    try:
        command.upgrade(alembic_config(engine), "0004_retention_log")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO reviews (uid, template_id, template_version, status, person_label, person_identifiers,"
                " age_band, setting_kind, hospital, ward, secure, service, legal_status, long_term_segregation,"
                " review_date, mode, environment_seen, consent_basis, consent_detail, consent_recorded_by,"
                " created_at, updated_at) VALUES ('u-1', 'icetr', 1, 'draft', 'J.B.', '', '', 'hospital', '', '',"
                " false, 'adult', '', false, '2026-11-20', 'in_person', false, 'consent', '', '', now(), now())"
            ))
            for what in ("One", "Two", "Three"):
                conn.execute(text(
                    "INSERT INTO actions (review_id, section_id, what, why, owner_name, owner_organisation,"
                    " priority, status, completion_evidence, position, created_at, updated_at)"
                    " VALUES (1, '', :what, '', '', '', 'medium', 'open', '', 0, now(), now())"
                ), {"what": what})
    finally:
        engine.dispose()
    store = Store.open(fresh_postgres_schema)
    try:
        [summary] = reviews.list_reviews(store)
        assert [a.what for a in actions.list_actions(store, summary.id)] == ["One", "Two", "Three"]
        with store.engine.connect() as conn:
            rows = conn.execute(text("SELECT uid FROM actions")).scalars().all()
            key = conn.execute(text("SELECT person_key FROM reviews")).scalar()
        assert len(set(rows)) == 3 and all(len(uid) == 36 for uid in rows)
        assert key == "u-1"
    finally:
        store.close()


def test_a_missing_database_on_the_server_is_one_sentence(postgres_test_url):
    from sqlalchemy.engine import make_url

    url = make_url(postgres_test_url).set(database="reviewday_no_such_db").render_as_string(hide_password=False)
    with pytest.raises(DatabaseOpenError, match="the server has no such database"):
        Store.open(url)


def test_a_wrong_password_is_one_sentence_without_it(postgres_test_url, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "Definitely-Wrong-9")
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    with pytest.raises(DatabaseOpenError) as caught:
        Store.open(postgres_test_url)
    message = str(caught.value)
    assert "refused the role or its password" in message or "does not accept connections" in message
    assert "Definitely-Wrong-9" not in message


def test_another_programs_database_is_refused(postgres_test_url, fresh_postgres_schema):
    from sqlalchemy import create_engine

    engine = create_engine(database_url(fresh_postgres_schema))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE payroll (id integer)"))
    engine.dispose()
    with pytest.raises(DatabaseOpenError, match=r"^Cannot open the team database \S+ on [\d.]+:\d+: it belongs to "
                       r"another program \(it has tables but none of ReviewDay's\)\.$"):
        Store.open(fresh_postgres_schema)


def test_file_only_work_is_refused_or_skipped_on_the_server(postgres_test_url, tmp_path, actor, setup_icetr):
    from app.services import retention
    from app.services.backup import BackupError, backup_to, rotate_backups

    store = Store.open(postgres_test_url)
    try:
        with pytest.raises(BackupError, match="use the server's own backups"):
            backup_to(store, tmp_path / "copy.sqlite3")
        with pytest.raises(BackupError):
            rotate_backups(store, tmp_path / "backups")
        retention.checkpoint(store)  # nothing to fold back on a server: no error
        assert not (tmp_path / "copy.sqlite3").exists()
        with pytest.raises(DatabaseOpenError, match="encryption works with database files only"):
            Store.open(postgres_test_url, key=bytes(32))
    finally:
        store.close()


def test_a_lost_server_connection_while_saving_is_one_sentence(postgres_test_url, actor, setup_icetr):
    """The server ends every connection mid-session: the next change fails with a StorageError,
    then the pool reconnects and the change after that is saved."""
    store = Store.open(postgres_test_url)
    try:
        review = reviews.create_review(store, setup_icetr, actor)
        with pytest.raises(StorageError, match="could not be reached, so the last change could not be saved"):
            with store.write() as session:
                session.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND application_name = 'ReviewDay'"
                ))
        reviews.update_setup(store, review.id, actor, ward="Oak Ward")
        assert reviews.get_review(store, review.id).setup.ward == "Oak Ward"
    finally:
        store.close()


def test_a_missing_driver_says_how_to_install_it(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_psycopg(name, *args, **kwargs):
        if name == "psycopg" or name.startswith("psycopg."):
            raise ModuleNotFoundError("No module named 'psycopg'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    with pytest.raises(DatabaseOpenError) as caught:
        Store.open("postgresql://reviewday@db.example/reviews")
    assert str(caught.value) == ("Cannot open the team database reviews on db.example: the PostgreSQL driver is "
                                 "not installed (pip install 'reviewday[postgres]').")
