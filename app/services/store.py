"""Opening the database and owning sessions: one unit of work per user action."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.models import utcnow
from app.services.errors import DatabaseOpenError, StorageError
from app.services.limits import watch as watch_text_lengths

log = logging.getLogger(__name__)

# The newest migration. Checked against app/migrations by a test, and used so that a
# database already at head opens without importing Alembic (start-up time matters).
SCHEMA_HEAD = "0010_easy_read"

Clock = Callable[[], datetime]

DATA_KEY_BYTES = 32


def default_database_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("ReviewDay", appauthor=False) / "reviewday.sqlite3"


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a path or an existing URL; ``postgresql://`` uses the psycopg 3 driver."""
    text_target = str(target)
    if "://" in text_target:
        scheme, rest = text_target.split("://", 1)
        if scheme in ("postgresql", "postgres"):
            return f"postgresql+psycopg://{rest}"
        return text_target
    return f"sqlite:///{Path(text_target).expanduser()}"


def is_server_url(target: str | Path) -> bool:
    """True for a database server's URL (PostgreSQL), False for a database file."""
    return "://" in str(target) and not database_url(target).startswith("sqlite")


def _sqlcipher():
    """The sqlcipher3 module, with SQLCipher's own logging to stderr turned off (once)."""
    global _SQLCIPHER
    if _SQLCIPHER is None:
        import sqlcipher3

        quiet = sqlcipher3.connect(":memory:")
        try:
            quiet.execute("PRAGMA cipher_log_level = NONE")
        finally:
            quiet.close()
        _SQLCIPHER = sqlcipher3
    return _SQLCIPHER


_SQLCIPHER = None


def _key_pragma_value(key: bytes) -> str:
    """SQLCipher's raw-key form: the 32 bytes are the AES key, no key derivation."""
    return f"\"x'{key.hex()}'\""


def _check_key(key: object) -> bytes:
    if not isinstance(key, bytes | bytearray) or len(key) != DATA_KEY_BYTES:
        raise DatabaseOpenError("Cannot open the database: the key given is not a database key.")
    return bytes(key)


def connect_sqlite(path: str | Path, *, key: bytes | None = None, read_only: bool = False):
    """A plain DB-API connection to a SQLite file: SQLCipher keyed with `key`, else sqlite3.

    For work SQLAlchemy does not do, such as the backup API into a new file. The caller closes it.
    """
    uri = f"{Path(path).resolve().as_uri()}{'?mode=ro' if read_only else ''}"
    if key is None:
        return sqlite3.connect(uri, uri=True)
    conn = _sqlcipher().connect(uri, uri=True)
    try:
        conn.execute(f"PRAGMA key = {_key_pragma_value(_check_key(key))}")
    except BaseException:
        conn.close()
        raise
    return conn


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def describe_storage_error(exc: BaseException, *, folder: Path | None = None) -> str:
    """One plain sentence for a failed write, from the driver's message.

    `folder` is where the database lives: SQLite reports a WAL database on read-only media as
    "unable to open database file", so the folder itself is asked whether it can be written.
    """
    message = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in message or "disk i/o" in message or "no space" in message:
        return "The disk is full, so the last change could not be saved. Free some space; your text is kept."
    read_only_folder = folder is not None and folder.is_dir() and not os.access(folder, os.W_OK)
    if "readonly" in message or "read-only" in message or ("unable to open" in message and read_only_folder):
        return "The database is on read-only storage, so the last change could not be saved; your text is kept."
    if "locked" in message or "busy" in message:
        return "The database is busy in another program, so the last change could not be saved yet."
    return "The last change could not be saved (the database reported a problem); your text is kept."


def _describe_read_error(exc: BaseException, folder: Path | None) -> str:
    if folder is not None and folder.is_dir() and not os.access(folder, os.W_OK):
        return ("The database's storage has become read-only, so it cannot be read right now; "
                "nothing has been lost. Make the drive writable again, or save a copy elsewhere.")
    return "The database could not be read just now (it reported a problem); nothing has been lost."


class Store:
    """The database and a clock. Services take a Store and open one unit of work per action."""

    def __init__(self, engine: Engine, clock: Clock = utcnow, *, key: bytes | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self._key = key
        self._held: list = []  # e.g. the database's lock (db_lock.DatabaseLock), released by close()
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        watch_text_lengths(self._sessions)  # text too long for its column: one sentence, on every database
        if engine.dialect.name == "sqlite":
            event.listen(self._sessions, "after_flush", _count_change)

    @classmethod
    def open(
        cls, target: str | Path, *, clock: Clock = utcnow, create: bool = True, key: bytes | None = None
    ) -> Store:
        """Open (or create) the database; with `key` (32 bytes) it is a SQLCipher-encrypted file.

        Without a key a plain SQLite file opens as before. A key that does not open the file is
        refused before anything is written: the file stays byte-for-byte as it was.
        """
        url = database_url(target)
        is_sqlite = url.startswith("sqlite")
        if not is_sqlite and not url.startswith("postgresql"):
            raise DatabaseOpenError(
                f"Cannot open the database {_safe_target(target)}: ReviewDay works with database files "
                "and PostgreSQL servers (postgresql://) only."
            )
        if key is not None:
            key = _check_key(key)
            if not is_sqlite:
                raise DatabaseOpenError(
                    f"Cannot open the database {_safe_target(target)}: encryption works with database files only."
                )
        if is_sqlite:
            _check_sqlite_path(url, create=create, key=key)
        try:
            if key is not None:
                engine = _create_encrypted_engine(url, key)
            elif url.startswith("postgresql"):
                from app.services.server_db import create_server_engine

                engine = create_server_engine(url)
            else:
                engine = create_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            if not is_sqlite:
                from app.services.server_db import describe_open_failure

                raise DatabaseOpenError(describe_open_failure(url, exc)) from None
            raise DatabaseOpenError(f"Cannot open the database {_safe_target(target)}: {exc}") from None
        if is_sqlite:
            event.listen(engine, "connect", _sqlite_pragmas)
        try:
            _upgrade_schema(engine, key=key)
        except DatabaseOpenError:
            engine.dispose()
            raise
        except (DBAPIError, sqlite3.Error) as exc:
            engine.dispose()
            if not is_sqlite:
                from app.services.server_db import describe_open_failure

                raise DatabaseOpenError(describe_open_failure(url, exc)) from None
            raise DatabaseOpenError(_open_failure_message(target, exc, keyed=key is not None)) from None
        return cls(engine, clock, key=key)

    @property
    def is_file(self) -> bool:
        """True for a SQLite database file (or in-memory one); False for a database server."""
        return self.engine.dialect.name == "sqlite"

    @property
    def is_encrypted(self) -> bool:
        return self._key is not None

    @contextmanager
    def raw_connection(self) -> Iterator:
        """A pooled DB-API connection to this database (already keyed when encrypted)."""
        conn = self.engine.raw_connection()
        try:
            yield conn.driver_connection
        finally:
            conn.close()

    def connect_file(self, path: str | Path, *, read_only: bool = False):
        """A DB-API connection to another file with this database's encryption (or none).

        A backup with the same key: ``with store.raw_connection() as src:
        dst = store.connect_file(copy); src.backup(dst); dst.close()``.
        """
        return connect_sqlite(path, key=self._key, read_only=read_only)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        except OperationalError as exc:
            if not self.is_file:
                from app.services.server_db import describe_server_error

                raise StorageError(describe_server_error(exc, writing=True)) from exc
            raise StorageError(describe_storage_error(exc, folder=self.folder)) from exc
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
        except OperationalError as exc:
            if not self.is_file:
                from app.services.server_db import describe_server_error

                raise StorageError(describe_server_error(exc, writing=False)) from exc
            raise StorageError(_describe_read_error(exc, self.folder)) from exc
        finally:
            try:
                session.rollback()
            except OperationalError:
                pass  # the connection already failed; the StorageError above says why
            session.close()

    @property
    def folder(self) -> Path | None:
        """The folder of a SQLite database file; None for other databases or in-memory ones."""
        database = self.engine.url.database if self.engine.url.get_backend_name() == "sqlite" else None
        return Path(database).parent if database and database != ":memory:" else None

    def now(self) -> datetime:
        return self.clock()

    def hold(self, resource) -> None:
        """Keep `resource` (anything with release()) until this store closes: the app's lock on its file."""
        self._held.append(resource)

    def close(self) -> None:
        self.engine.dispose()
        while self._held:
            self._held.pop().release()


def _count_change(session, _flush_context) -> None:
    """Move the database's change counter (SQLite's user_version, in the file header) on every
    flush that wrote something, in the same transaction: a backup copies the header, so "has the
    database changed since its newest backup?" is one cheap comparison (backup.unchanged_since)."""
    connection = session.connection()
    current = connection.exec_driver_sql("PRAGMA user_version").scalar() or 0
    connection.exec_driver_sql(f"PRAGMA user_version = {(int(current) + 1) % 2**31}")


def _safe_target(target: str | Path) -> str:
    text_target = str(target)
    if "://" in text_target and "@" in text_target:
        scheme, rest = text_target.split("://", 1)
        return f"{scheme}://…@{rest.rsplit('@', 1)[1]}"
    return text_target


def _create_encrypted_engine(url: str, key: bytes) -> Engine:
    from sqlalchemy.engine import URL

    raw = url.split(":///", 1)[1] if ":///" in url else ""
    _sqlcipher()  # quiet SQLCipher's logging before the first keyed connection
    encrypted_url = URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=raw or None)
    if raw in ("", ":memory:"):
        return create_engine(encrypted_url)
    # The pysqlcipher dialect would pick SingletonThreadPool; files use QueuePool like plain SQLite.
    return create_engine(encrypted_url, poolclass=QueuePool)


def _check_sqlite_path(url: str, *, create: bool, key: bytes | None = None) -> None:
    raw = url.split(":///", 1)[1] if ":///" in url else ""
    if raw in ("", ":memory:"):
        return
    path = Path(raw)
    if path.is_dir():
        raise DatabaseOpenError(f"Cannot open the database {path}: it is a folder, not a file.")
    if not path.exists():
        if not create:
            raise DatabaseOpenError(f"Cannot open the database {path}: there is no such file.")
        if not path.parent.exists():
            raise DatabaseOpenError(f"Cannot open the database {path}: the folder {path.parent} does not exist.")
        return
    _check_existing_sqlite_file(path, key=key, create=create)


def _check_existing_sqlite_file(path: Path, *, key: bytes | None = None, create: bool = True) -> None:
    """Look at an existing file read-only before the app's pragmas could change a byte of it.

    With a key the look goes through SQLCipher, so a wrong key is refused here, untouched. An
    empty file holds no database: without `create` it is refused rather than given a schema.
    """
    if path.stat().st_size == 0:
        if not create:
            raise DatabaseOpenError(
                f"Cannot open the database {path}: the file is empty, so it is not a ReviewDay database; "
                "nothing was changed."
            )
        return
    errors = (sqlite3.Error,) if key is None else (sqlite3.Error, _sqlcipher().Error)
    try:
        conn = connect_sqlite(path, key=key, read_only=True)
    except errors as exc:
        raise DatabaseOpenError(_open_failure_message(path, exc, keyed=key is not None)) from None
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except errors as exc:
        raise DatabaseOpenError(_open_failure_message(path, exc, keyed=key is not None)) from None
    finally:
        conn.close()
    if tables - {"sqlite_sequence"} and "alembic_version" not in tables:
        raise DatabaseOpenError(f"Cannot open the database {path}: it belongs to another program.")


def _open_failure_message(target: str | Path, exc: BaseException, *, keyed: bool = False) -> str:
    detail = str(getattr(exc, "orig", exc)).lower()
    where = _safe_target(target)
    if keyed and "not a database" in detail:
        return f"Cannot open the database {where}: the key does not open this database (or the file is damaged)."
    if "not a database" in detail or "malformed" in detail or "encrypted" in detail:
        return f"Cannot open the database {where}: the file is damaged or is not a ReviewDay database."
    if "unable to open" in detail or "readonly" in detail or "permission" in detail:
        return f"Cannot open the database {where}: the file cannot be opened for writing (check permissions)."
    return f"Cannot open the database {where}: {detail}"


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
        if "alembic_version" not in tables:
            if tables - {"sqlite_sequence"}:
                if engine.dialect.name != "sqlite":
                    from app.services.server_db import describe_server

                    raise DatabaseOpenError(
                        f"Cannot open the team database {describe_server(engine.url)}: it belongs to another "
                        "program (it has tables but none of ReviewDay's)."
                    )
                raise DatabaseOpenError(
                    f"Cannot open the database {_safe_target(engine.url)}: it belongs to another program."
                )
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def pre_migration_copy_path(db_path: Path, revision: str) -> Path:
    return db_path.with_name(f"{db_path.name}.before-{revision}")


def _upgrade_schema(engine: Engine, *, key: bytes | None = None) -> None:
    current = _current_revision(engine)
    if current == SCHEMA_HEAD:
        return
    copy = None
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if current is not None and database and database != ":memory:":
        # SQLite runs most DDL outside a transaction, so a migration that fails half-way can
        # leave the file half-changed: keep a verified copy from before the attempt first.
        from app.services.backup import BackupError, backup_engine_to

        copy = pre_migration_copy_path(Path(database), current)
        if not copy.exists():
            try:
                backup_engine_to(engine, copy, key=key)
            except BackupError as exc:
                raise DatabaseOpenError(
                    f"The database needs updating, but a safety copy could not be made first: {exc}"
                ) from None
    from app.migrations.runner import upgrade_to_head

    try:
        upgrade_to_head(engine)
    except Exception as exc:
        if copy is None:
            raise
        log.error("migration from %s failed: %s", current, type(exc).__name__)
        raise DatabaseOpenError(
            f"The database could not be updated to this version of ReviewDay ({type(exc).__name__}). "
            f"A copy from before the update is kept as {copy.name}: restore it with "
            f"'reviewday restore {copy.name} --db {Path(database).name}'."
        ) from None
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:  # the content changed: a backup from before it no longer matches
            current = conn.exec_driver_sql("PRAGMA user_version").scalar() or 0
            conn.exec_driver_sql(f"PRAGMA user_version = {(int(current) + 1) % 2**31}")
    if copy is not None:
        # Updated and committed: the safety copy would only be one more copy of personal data.
        copy.unlink(missing_ok=True)
        copy.with_name(copy.name + ".keys").unlink(missing_ok=True)
