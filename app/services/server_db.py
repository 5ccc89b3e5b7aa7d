"""The team database: ReviewDay on a PostgreSQL server instead of a database file.

The URL names the server, the role and the database (``postgresql://reviewday@db.example/reviews``)
and never the password: libpq finds it in PGPASSWORD or ~/.pgpass, or the settings dialog keeps it
in the system keyring. Everything SQLite-specific (PRAGMAs, the WAL, the backup API, SQLCipher
encryption, the database check) is for database files only; the server does its own durability,
backups (pg_dump) and encryption at rest.

Messages name the database and the server, never the password.
"""

from __future__ import annotations

import getpass
import os

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

# How long to wait for the server before saying it cannot be reached (seconds).
CONNECT_TIMEOUT = 10

# A desktop app has one user: a few connections are plenty. Connections are checked before use
# (a server restart or a laptop waking up leaves dead ones in the pool) and renewed hourly.
POOL_OPTIONS = {"pool_size": 2, "max_overflow": 3, "pool_pre_ping": True, "pool_recycle": 3600, "pool_timeout": 30}

FILES_ONLY = "{what} works on database files only"


class ServerUrlError(ValueError):
    """A team database URL ReviewDay does not accept; the message says why."""


def parse_server_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ServerUrlError("The team database address is not a URL like postgresql://role@server/database.") \
            from None
    if parsed.get_backend_name() != "postgresql":
        raise ServerUrlError("The team database must be a postgresql:// URL.")
    if not parsed.database:
        raise ServerUrlError("The team database address names no database: end it with /DATABASE.")
    return parsed


def url_has_password(url: str) -> bool:
    """True when a URL carries a password (in the user part or as ?password=)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    return bool(parsed.password) or "password" in parsed.query


def describe_server(url: str | URL) -> str:
    """'reviews on db.example:5432' (the database and where it is; never the role's password)."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        return "(an address that is not a URL)"
    host = parsed.host or "the local server"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.database or '(no database)'} on {host}{port}"


def create_server_engine(url: str) -> Engine:
    parsed = parse_server_url(url)
    connect_args: dict[str, object] = {"connect_timeout": CONNECT_TIMEOUT, "application_name": "ReviewDay"}
    if not parsed.password and "password" not in parsed.query and not os.environ.get("PGPASSWORD"):
        kept = keyring_password(parsed)
        if kept:
            connect_args["password"] = kept
    return create_engine(parsed, connect_args=connect_args, **POOL_OPTIONS)


# Passwords ---------------------------------------------------------------------------------
# Where a role's password comes from, first found wins: PGPASSWORD; the system keyring (kept
# there by 'reviewday team-password'); ~/.pgpass (libpq reads it itself). Never the settings file.

KEYRING_SERVICE = "ReviewDay team database"


def keyring_account(url: str | URL) -> str:
    """'role@host:port/database': the keyring entry for this role on this database."""
    parsed = make_url(url) if isinstance(url, str) else url
    role = parsed.username or os.environ.get("PGUSER") or getpass.getuser()
    return f"{role}@{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


def keyring_password(url: str | URL, *, backend=None) -> str | None:
    """The password the system keyring keeps for this role and database, or None (also when
    there is no usable keyring)."""
    try:
        ring = backend if backend is not None else _keyring()
        return ring.get_password(KEYRING_SERVICE, keyring_account(url))
    except Exception:  # no keyring, a locked one, a broken backend: libpq's own sources remain
        return None


def keep_password(url: str | URL, password: str, *, backend=None) -> str:
    """Keep the role's password in the system keyring; returns the entry's account name."""
    ring = backend if backend is not None else _keyring()
    account = keyring_account(url)
    ring.set_password(KEYRING_SERVICE, account, password)
    return account


def forget_password(url: str | URL, *, backend=None) -> bool:
    ring = backend if backend is not None else _keyring()
    try:
        ring.delete_password(KEYRING_SERVICE, keyring_account(url))
    except Exception as exc:
        if type(exc).__name__ == "PasswordDeleteError":
            return False
        raise
    return True


def _keyring():
    import keyring

    return keyring


def _detail(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc) or exc).lower()


def describe_open_failure(url: str, exc: BaseException) -> str:
    """One sentence for a team database that did not open; never the password or the raw error."""
    where = f"Cannot open the team database {describe_server(url)}"
    if isinstance(exc, ServerUrlError):
        return f"Cannot open the team database: {exc}"
    if isinstance(exc, ImportError):
        return f"{where}: the PostgreSQL driver is not installed (pip install 'reviewday[postgres]')."
    detail = _detail(exc)
    if "password authentication failed" in detail or "authentication failed" in detail:
        return (f"{where}: the server refused the role or its password "
                "(check PGPASSWORD, ~/.pgpass or the password kept in the keyring).")
    if "no password supplied" in detail:
        return f"{where}: the server wants a password; give it in PGPASSWORD, ~/.pgpass or the keyring."
    if "does not exist" in detail and "database" in detail:
        return f"{where}: the server has no such database; ask its administrator to create it."
    if "does not exist" in detail and "role" in detail:
        return f"{where}: the server has no such role; ask its administrator to create it."
    if "connection refused" in detail or "could not connect" in detail or "no such file or directory" in detail:
        return f"{where}: the server is not running or refuses connections; check the address and port."
    if "translate host name" in detail or "name or service not known" in detail or "nodename nor" in detail:
        return f"{where}: the server's name is not known on this network."
    if "timeout" in detail or "timed out" in detail:
        return f"{where}: the server did not answer in time; check the network."
    if "permission denied" in detail or "must be owner" in detail:
        return f"{where}: the role may not create or change ReviewDay's tables in this database."
    if "ssl" in detail:
        return f"{where}: the secure (SSL) connection to the server failed."
    if "pg_hba.conf" in detail:
        return f"{where}: the server does not accept connections from this computer for this role."
    return f"{where}: the server reported a problem."


def describe_server_error(exc: BaseException, *, writing: bool) -> str:
    """One sentence for a read or write that failed on the server."""
    detail = _detail(exc)
    if "deadlock" in detail or "lock timeout" in detail or "could not serialize" in detail:
        if writing:
            return "The team database is busy with another change, so the last change could not be saved yet."
        return "The team database is busy with another change; nothing has been lost. Try again."
    if "read-only" in detail or "read only" in detail:
        return "The team database is read-only just now, so the last change could not be saved; your text is kept."
    if "no space" in detail or "disk full" in detail:
        return "The team database server is out of space, so the last change could not be saved; your text is kept."
    if writing:
        return ("The team database server could not be reached, so the last change could not be saved; "
                "your text is kept.")
    return "The team database server could not be reached just now; nothing has been lost."


def setting_url_problem(url: object) -> str | None:
    """Why `url` cannot be the team database setting (one sentence), or None when it can.

    The settings file holds no secrets, so a URL with a password in it is refused.
    """
    if not isinstance(url, str) or not url.strip():
        return "The team database must be a postgresql:// address, or none."
    if url_has_password(url):
        return ("The team database address must not hold a password: give it in PGPASSWORD or ~/.pgpass, "
                "or keep it in the system keyring with 'reviewday team-password'.")
    from app.services.store import database_url

    try:
        parse_server_url(database_url(url))
    except ServerUrlError as exc:
        return str(exc)
    return None
