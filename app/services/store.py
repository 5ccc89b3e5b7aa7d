"""Opening the database and owning sessions: one unit of work per user action."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.models import utcnow
from app.services.errors import DatabaseOpenError, StorageError

log = logging.getLogger(__name__)

# The newest migration. Checked against app/migrations by a test, and used so that a
# database already at head opens without importing Alembic (start-up time matters).
SCHEMA_HEAD = "0003_signoff"

Clock = Callable[[], datetime]


def default_database_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("ReviewDay", appauthor=False) / "reviewday.sqlite3"


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a path or an existing URL (``postgresql://...``)."""
    text_target = str(target)
    if "://" in text_target:
        return text_target
    return f"sqlite:///{Path(text_target).expanduser()}"


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


def describe_storage_error(exc: BaseException) -> str:
    """One plain sentence for a failed write, from the driver's message."""
    message = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in message or "disk i/o" in message or "no space" in message:
        return "The disk is full, so the last change could not be saved. Free some space; your text is kept."
    if "readonly" in message or "read-only" in message:
        return "The database is on read-only storage, so the last change could not be saved; your text is kept."
    if "locked" in message or "busy" in message:
        return "The database is busy in another program, so the last change could not be saved yet."
    return "The last change could not be saved (the database reported a problem); your text is kept."


class Store:
    """The database and a clock. Services take a Store and open one unit of work per action."""

    def __init__(self, engine: Engine, clock: Clock = utcnow) -> None:
        self.engine = engine
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, target: str | Path, *, clock: Clock = utcnow, create: bool = True) -> Store:
        url = database_url(target)
        is_sqlite = url.startswith("sqlite")
        if is_sqlite:
            _check_sqlite_path(url, create=create)
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise DatabaseOpenError(f"Cannot open the database {_safe_target(target)}: {exc}") from None
        if is_sqlite:
            event.listen(engine, "connect", _sqlite_pragmas)
        try:
            _upgrade_schema(engine)
        except DatabaseOpenError:
            engine.dispose()
            raise
        except (DBAPIError, sqlite3.Error) as exc:
            engine.dispose()
            raise DatabaseOpenError(_open_failure_message(target, exc)) from None
        return cls(engine, clock)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        except OperationalError as exc:
            raise StorageError(describe_storage_error(exc)) from exc
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def now(self) -> datetime:
        return self.clock()

    def close(self) -> None:
        self.engine.dispose()


def _safe_target(target: str | Path) -> str:
    text_target = str(target)
    if "://" in text_target and "@" in text_target:
        scheme, rest = text_target.split("://", 1)
        return f"{scheme}://…@{rest.rsplit('@', 1)[1]}"
    return text_target


def _check_sqlite_path(url: str, *, create: bool) -> None:
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
    _check_existing_sqlite_file(path)


def _check_existing_sqlite_file(path: Path) -> None:
    """Look at an existing file read-only before the app's pragmas could change a byte of it."""
    if path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseOpenError(_open_failure_message(path, exc)) from None
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as exc:
        raise DatabaseOpenError(_open_failure_message(path, exc)) from None
    finally:
        conn.close()
    if tables - {"sqlite_sequence"} and "alembic_version" not in tables:
        raise DatabaseOpenError(f"Cannot open the database {path}: it belongs to another program.")


def _open_failure_message(target: str | Path, exc: BaseException) -> str:
    detail = str(getattr(exc, "orig", exc)).lower()
    where = _safe_target(target)
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
                raise DatabaseOpenError(
                    f"Cannot open the database {_safe_target(engine.url)}: it belongs to another program."
                )
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade_schema(engine: Engine) -> None:
    if _current_revision(engine) == SCHEMA_HEAD:
        return
    from app.migrations.runner import upgrade_to_head

    upgrade_to_head(engine)
