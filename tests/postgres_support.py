"""Running the service tests against PostgreSQL as well as SQLite (a pytest plugin).

Set REVIEWDAY_TEST_POSTGRES_URL (e.g. postgresql://reviewday@127.0.0.1:5432/reviewday_test; the
password in PGPASSWORD or ~/.pgpass) and every test under tests/services and tests/report that uses the `store`
or `db_path` fixture runs twice: [sqlite] and [postgresql]. Tests elsewhere opt in with
``@pytest.mark.postgres``; tests that are about database files (backups, the WAL, encryption,
migrations from stored SQLite files) are marked ``@pytest.mark.sqlite_only`` and run once.

Without the variable nothing changes: SQLite only.

The session gets its own schema on the server (migrated once, dropped at the end); before each
test every table is emptied and its ids restarted, so each test starts from a fresh database.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

POSTGRES_URL_ENV = "REVIEWDAY_TEST_POSTGRES_URL"
# Where the PostgreSQL variant runs for every test that opens a store.
POSTGRES_TEST_DIRS = ("services", "report")


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_ENV) or None


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about database files; never run against PostgreSQL")
    config.addinivalue_line("markers", "postgres: also run against PostgreSQL when REVIEWDAY_TEST_POSTGRES_URL is set")


def _wants_postgres(metafunc) -> bool:
    if postgres_url() is None or "db_backend" not in metafunc.fixturenames:
        return False
    if metafunc.definition.get_closest_marker("sqlite_only") is not None:
        return False
    if metafunc.definition.get_closest_marker("postgres") is not None:
        return True
    here = Path(str(metafunc.definition.path)).resolve()
    tests_dir = Path(__file__).resolve().parent
    # More folders on demand, e.g. REVIEWDAY_TEST_POSTGRES_DIRS=report,ui (not in CI: slower).
    extra = tuple(name for name in os.environ.get("REVIEWDAY_TEST_POSTGRES_DIRS", "").split(",") if name)
    return any(here.is_relative_to(tests_dir / name) for name in POSTGRES_TEST_DIRS + extra)


def pytest_generate_tests(metafunc) -> None:
    if _wants_postgres(metafunc):
        metafunc.parametrize("db_backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db_backend(request) -> str:
    """'sqlite' (always) or 'postgresql' (when the tests run against a server too)."""
    return getattr(request, "param", "sqlite")


def schema_url(base: str, schema: str) -> str:
    """The server URL with `schema` first on the search path (tables are made and found there)."""
    from sqlalchemy.engine import make_url

    from app.services.store import database_url

    url = make_url(database_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def _libpq_url(base: str) -> str:
    return "postgresql://" + base.split("://", 1)[1]


class PostgresSchema:
    """A schema of our own on the test server, migrated once, emptied before each test."""

    def __init__(self, base: str) -> None:
        import psycopg

        self.base = base
        self.name = f"reviewday_test_{os.getpid()}_{secrets.token_hex(4)}"
        self.url = schema_url(base, self.name)
        self._admin = psycopg.connect(_libpq_url(base), autocommit=True)
        self._admin.execute(f'CREATE SCHEMA "{self.name}"')
        self._admin.execute(f'SET search_path TO "{self.name}"')
        # A test that left a transaction open must not hang the next test's clean-up forever.
        self._admin.execute("SET lock_timeout = '10s'")
        self._tables: list[str] | None = None

    def migrate(self) -> None:
        from app.models import Base
        from app.services.store import Store

        Store.open(self.url).close()
        self._tables = [table.name for table in Base.metadata.sorted_tables]

    def clean(self) -> None:
        if self._tables is None:
            self.migrate()
        names = ", ".join(f'"{name}"' for name in self._tables)
        self._admin.execute(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE")

    def drop(self) -> None:
        try:
            self._admin.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')
        finally:
            self._admin.close()


@pytest.fixture(scope="session")
def postgres_schema():
    base = postgres_url()
    if base is None:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    schema = PostgresSchema(base)
    try:
        yield schema
    finally:
        schema.drop()


@pytest.fixture
def postgres_test_url(postgres_schema) -> str:
    """A fresh, empty ReviewDay database on the test server (its URL)."""
    postgres_schema.clean()
    return postgres_schema.url


@pytest.fixture
def fresh_postgres_schema():
    """An empty schema with no tables at all (for migration tests); dropped afterwards."""
    base = postgres_url()
    if base is None:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    import psycopg

    name = f"reviewday_fresh_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(_libpq_url(base), autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield schema_url(base, name)
    finally:
        with psycopg.connect(_libpq_url(base), autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
