"""The database file on disk, as backups, restore and health checks see it (no Qt).

Connections by path (sqlite3, or sqlcipher3 when keyed), the files beside a database (-wal, -shm,
the key file), private creation, fsync, clean-up after a failure, and the check every copy passes
(``quick_check`` and per-table row counts).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
# The key file an encrypted database keeps beside it (app.security.data_key.KEYS_SUFFIX; a test
# checks they agree). It holds only wrapped keys, so copies travel with backups and set-aside files.
KEYS_SUFFIX = ".keys"
# Timestamps in backup names and in the names of files set aside.
TIMESTAMP_FORMAT = "%Y%m%d-%H%M%S"


def db_errors() -> tuple[type[BaseException], ...]:
    try:
        from sqlcipher3 import dbapi2
    except ImportError:  # pragma: no cover - sqlcipher3 is a dependency
        return (sqlite3.Error,)
    return (sqlite3.Error, dbapi2.Error)


def _apply_key(conn, key: bytes) -> None:
    # A raw 256-bit key as a blob literal: no key derivation, and the same key opens every copy.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def connect_file(path: Path, key: bytes | None, *, mode: str | None = None, sqlcipher: bool = False):
    """A DB-API connection to a file: sqlite3, or sqlcipher3 when keyed (or asked for)."""
    uri = path.resolve().as_uri()
    if mode:
        uri += f"?{mode}"
    if key is None and not sqlcipher:
        return sqlite3.connect(uri, uri=True, isolation_level=None)
    from app.services.store import _sqlcipher

    conn = _sqlcipher().connect(uri, uri=True, isolation_level=None)  # SQLCipher's stderr log is off
    if key is not None:
        _apply_key(conn, key)
    return conn


def is_sqlcipher(conn) -> bool:
    return not isinstance(conn, sqlite3.Connection)


def read_mode(db_path: Path) -> str:
    """Read without changing anything: ``immutable`` when there is no -wal (creates no files),
    else read-only so the committed pages in the -wal are seen too."""
    return "mode=ro" if side_path(db_path, "-wal").exists() else "immutable=1"


def side_path(db_path: Path, suffix: str) -> Path:
    return db_path.with_name(db_path.name + suffix)


def row_counts(conn) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}


def keys_path(db_path: Path) -> Path:
    return side_path(db_path, KEYS_SUFFIX)


def copy_keys(db_path: Path, copy: Path) -> None:
    """Put a copy of `db_path`'s key file beside `copy` (atomically), if it has one."""
    keys = keys_path(db_path)
    if not keys.is_file():
        return
    temp = copy.parent / f".{copy.name}{KEYS_SUFFIX}.{os.getpid()}.part"
    try:
        copy_file_private(keys, temp)
        os.replace(temp, keys_path(copy))
    except BaseException:
        discard(temp)
        raise


def copy_file_private(source: Path, target: Path) -> None:
    """Copy a small file (a key file) to `target`, readable by the user only, and on the disk."""
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)
    fsync_file(target)


def create_private(path: Path) -> None:
    """An empty file only the user can read: SQLite then writes the copy into it."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


def fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def discard(path: Path) -> None:
    for candidate in (path, side_path(path, "-journal"), side_path(path, "-wal"), side_path(path, "-shm")):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
        except OSError:  # pragma: no cover
            pass


def describe_failure(exc: BaseException) -> str:
    message = str(exc).lower()
    if "full" in message or "no space" in message or "disk i/o" in message:
        return "the disk is full"
    if "readonly" in message or "read-only" in message or "permission" in message:
        return "the folder cannot be written to"
    return "the copy could not be written"


def read_header(path: Path) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read(100)
    except OSError:
        return b""


def connection_path(conn) -> Path | None:
    """The file behind a DB-API connection (None for an in-memory database)."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


def verify_file(path: Path, key: bytes | None, *, expected: dict[str, int] | None = None) -> str | None:
    """None when `path` is an intact ReviewDay database (with the `expected` row counts); else a plain reason."""
    header = read_header(path)
    if len(header) < 100:
        return "the file is too short to be a database."
    if key is None and header[:16] != SQLITE_MAGIC:
        return "the file is not a plain SQLite database (damaged, or encrypted)."
    errors = db_errors()
    try:
        conn = connect_file(path, key, mode=read_mode(path))
    except errors:
        return "the file cannot be opened as a database."
    try:
        result = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if result != ["ok"]:
            return "the file is damaged (SQLite's quick check failed)."
        counts = row_counts(conn)
    except errors as exc:
        if key is not None and "not a database" in str(exc).lower():
            return "the file cannot be read with this key, or it is damaged."
        return "the file is damaged or is not a database."
    finally:
        conn.close()
    if "alembic_version" not in counts:
        return "the file is not a ReviewDay database."
    if expected is not None and counts != expected:
        differing = sorted(name for name in set(counts) | set(expected) if counts.get(name) != expected.get(name))
        return f"the copy's row counts differ from the database's (tables: {', '.join(differing)})."
    return None
