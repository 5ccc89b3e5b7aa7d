"""Backups, restore and health checks of the SQLite database (no Qt).

- Every backup is made with SQLite's online backup API (``Connection.backup``), never a raw
  file copy, into a temporary file beside the target; the copy is verified (``quick_check`` and
  per-table row counts taken in the same read snapshot as the copy) and only then renamed into
  place. A failed backup leaves no file behind.
- A backup of an encrypted (SQLCipher) database is encrypted with the same key: both ends are
  SQLCipher connections keyed alike, so no page is ever written in plain text.
- A damaged or replaced database is never deleted or overwritten: it is renamed aside
  (``<name>.damaged-<timestamp>`` / ``<name>.replaced-<timestamp>``, with its -wal/-shm files).
- ``detect_damage`` runs before the app opens the database: it looks at the file without
  changing a byte of it (header, a -wal file that went missing, ``PRAGMA quick_check``).

Plain SQLite has no page checksums, so damage inside a row's text cannot be seen by any check;
structural damage (a page of random bytes, a zeroed header, a truncated file) is detected, and
SQLCipher's per-page HMAC detects any changed byte of an encrypted database.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.services.errors import DatabaseOpenError, ReviewDayError

SQLITE_MAGIC = b"SQLite format 3\x00"
# The key file an encrypted database keeps beside it (app.security.data_key.KEYS_SUFFIX; a test
# checks they agree). It holds only wrapped keys, so copies travel with backups and set-aside files.
KEYS_SUFFIX = ".keys"
BACKUP_SUFFIX = ".backup.sqlite3"
_BACKUP_NAME = re.compile(r"^reviewday-(\d{8}-\d{6})(?:-(\d+))?\.backup\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S"


class BackupError(ReviewDayError):
    """A backup or restore could not be made; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    created_at: datetime | None = None
    # Rows per table in the backup, when the backup was just made and verified.
    row_counts: dict[str, int] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class RestoreInfo:
    db_path: Path
    backup: Path
    replaced: Path | None  # where the database that was there before was put; None if there was none


# -- connections ------------------------------------------------------------------------------


def _db_errors() -> tuple[type[BaseException], ...]:
    try:
        from sqlcipher3 import dbapi2
    except ImportError:  # pragma: no cover - sqlcipher3 is a dependency
        return (sqlite3.Error,)
    return (sqlite3.Error, dbapi2.Error)


def _apply_key(conn, key: bytes) -> None:
    # A raw 256-bit key as a blob literal: no key derivation, and the same key opens every copy.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def _connect(path: Path, key: bytes | None, *, mode: str | None = None, sqlcipher: bool = False):
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


def _is_sqlcipher(conn) -> bool:
    return not isinstance(conn, sqlite3.Connection)


def _read_mode(db_path: Path) -> str:
    """Read without changing anything: ``immutable`` when there is no -wal (creates no files),
    else read-only so the committed pages in the -wal are seen too."""
    return "mode=ro" if _side(db_path, "-wal").exists() else "immutable=1"


def _side(db_path: Path, suffix: str) -> Path:
    return db_path.with_name(db_path.name + suffix)


def _row_counts(conn) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}


def _keys_of(db_path: Path) -> Path:
    return _side(db_path, KEYS_SUFFIX)


def _copy_keys(db_path: Path, copy: Path) -> None:
    """Put a copy of `db_path`'s key file beside `copy` (atomically), if it has one."""
    keys = _keys_of(db_path)
    if not keys.is_file():
        return
    temp = copy.parent / f".{copy.name}{KEYS_SUFFIX}.{os.getpid()}.part"
    try:
        shutil.copyfile(keys, temp)
        os.chmod(temp, 0o600)
        _fsync_file(temp)
        os.replace(temp, _keys_of(copy))
    except BaseException:
        _discard(temp)
        raise


def _create_private(path: Path) -> None:
    """An empty file only the user can read: SQLite then writes the copy into it."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


def _fsync_folder(folder: Path) -> None:
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


def _discard(path: Path) -> None:
    for candidate in (path, _side(path, "-journal"), _side(path, "-wal"), _side(path, "-shm")):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
        except OSError:  # pragma: no cover
            pass


def _describe_failure(exc: BaseException) -> str:
    message = str(exc).lower()
    if "full" in message or "no space" in message or "disk i/o" in message:
        return "the disk is full"
    if "readonly" in message or "read-only" in message or "permission" in message:
        return "the folder cannot be written to"
    return "the copy could not be written"


# -- making and checking backups --------------------------------------------------------------


def _copy_verified(
    source, out: Path, key: bytes | None, *, on_copied: Callable[[Path], None] | None = None,
    db_path: Path | None = None,
) -> BackupInfo:
    """Copy `source` (an open DB-API connection) to `out` through a verified temporary file."""
    out = Path(out)
    folder = out.parent
    if not folder.is_dir():
        raise BackupError(f"Cannot write the backup {out}: the folder {folder} does not exist.")
    if out.is_dir():
        raise BackupError(f"Cannot write the backup {out}: it is a folder.")
    temp = folder / f".{out.name}.{os.getpid()}.part"
    _discard(temp)
    errors = _db_errors()
    sqlcipher = _is_sqlcipher(source)
    try:
        started = not source.in_transaction
        if started:
            source.execute("BEGIN")  # one read snapshot for both the counts and the copy
        try:
            expected = _row_counts(source)
            _create_private(temp)
            target = _connect(temp, key, sqlcipher=sqlcipher)
            try:
                source.backup(target)
                # A self-contained single file: no -wal needed beside the backup.
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            if started:
                source.rollback()
        _fsync_file(temp)
        if on_copied is not None:
            on_copied(temp)  # a seam for fault-injection tests
        problem = _verify_file(temp, key, expected=expected)
        if problem:
            raise BackupError(f"The backup was not kept because checking it failed: {problem}")
        if db_path is not None:
            _copy_keys(db_path, out)  # an encrypted backup is useless without its wrapped key
        os.replace(temp, out)
        _fsync_folder(folder)
    except BackupError:
        _discard(temp)
        raise
    except (OSError, *errors) as exc:
        _discard(temp)
        raise BackupError(f"Cannot write the backup {out}: {_describe_failure(exc)}; nothing was kept.") from None
    except BaseException:
        _discard(temp)
        raise
    return BackupInfo(out, out.stat().st_size, _created_at(out), expected)


def _store_key(store, key: bytes | None) -> bytes | None:
    if key is not None:
        return key
    stored = getattr(store, "_key", None)  # Store.open(..., key=...) keeps it there
    return stored if isinstance(stored, (bytes, bytearray)) else None


def _connection_path(conn) -> Path | None:
    """The file behind a DB-API connection (None for an in-memory database)."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


def backup_to(
    store, out: Path, *, key: bytes | None = None, on_copied: Callable[[Path], None] | None = None
) -> BackupInfo:
    """Back the store's database up into `out` (replaced atomically), verified before it is kept."""
    return backup_engine_to(store.engine, out, key=_store_key(store, key), on_copied=on_copied)


def backup_engine_to(
    engine, out: Path, *, key: bytes | None = None, on_copied: Callable[[Path], None] | None = None
) -> BackupInfo:
    """The same for an engine that is not yet a Store (e.g. before its migrations run)."""
    if engine.dialect.name != "sqlite":
        raise BackupError("Only a database file can be backed up here; use the server's own backups for PostgreSQL.")
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        db_path = _connection_path(source)
        if db_path is None:
            raise BackupError("An in-memory database cannot be backed up.")
        if key is None and _is_sqlcipher(source) and _header(db_path)[:16] != SQLITE_MAGIC:
            # Never make a plain-text copy of an encrypted database.
            raise BackupError("The database is encrypted, so its key is needed to back it up.")
        return _copy_verified(source, Path(out), key, on_copied=on_copied, db_path=db_path)
    finally:
        raw.close()


def backup_name(moment: datetime) -> str:
    return f"reviewday-{moment.strftime(_STAMP)}{BACKUP_SUFFIX}"


def default_backup_folder(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def rotate_backups(
    store, folder: Path, keep: int = 10, *, key: bytes | None = None,
    on_copied: Callable[[Path], None] | None = None,
) -> BackupInfo:
    """A new verified backup in `folder`; then only the newest `keep` backups are kept."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    folder = Path(folder)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Cannot make the backup folder {folder}: {_describe_failure(exc)}.") from None
    name = backup_name(store.now())
    out = folder / name
    serial = 0
    while out.exists():  # two backups in the same second: never replace the earlier one
        serial += 1
        out = folder / name.replace(BACKUP_SUFFIX, f"-{serial}{BACKUP_SUFFIX}")
    info = backup_to(store, out, key=key, on_copied=on_copied)
    for old in list_backups(folder)[keep:]:
        try:
            old.path.unlink()
            _keys_of(old.path).unlink(missing_ok=True)
        except OSError:  # an old backup that cannot be removed is harmless
            pass
    return info


def _created_at(path: Path) -> datetime | None:
    match = _BACKUP_NAME.match(path.name)
    if not match:
        return None
    return datetime.strptime(match.group(1), _STAMP)


def list_backups(folder: Path) -> list[BackupInfo]:
    """The rotating backups in `folder`, newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _BACKUP_NAME.match(path.name)
        if match and path.is_file():
            found.append(((match.group(1), int(match.group(2) or 0)), path))
    found.sort(reverse=True)
    return [BackupInfo(path, path.stat().st_size, _created_at(path)) for _, path in found]


def _verify_file(path: Path, key: bytes | None, *, expected: dict[str, int] | None = None) -> str | None:
    header = _header(path)
    if len(header) < 100:
        return "the file is too short to be a database."
    if key is None and header[:16] != SQLITE_MAGIC:
        return "the file is not a plain SQLite database (damaged, or encrypted)."
    errors = _db_errors()
    try:
        conn = _connect(path, key, mode=_read_mode(path))
    except errors:
        return "the file cannot be opened as a database."
    try:
        result = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if result != ["ok"]:
            return "the file is damaged (SQLite's quick check failed)."
        counts = _row_counts(conn)
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


def verify_backup(path: Path, key: bytes | None = None) -> str | None:
    """None when the backup is a readable, intact ReviewDay database; else a plain reason."""
    path = Path(path)
    if not path.is_file():
        return "there is no such file." if not path.exists() else "it is a folder, not a file."
    return _verify_file(path, key)


# -- damage, setting aside, restore -----------------------------------------------------------


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read(100)
    except OSError:
        return b""


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now()).strftime(_STAMP)


def _move_aside(db_path: Path, label: str, now: datetime | None) -> Path:
    """Rename the database and its -wal/-shm to `<name>.<label>-<timestamp>[-n]`; all or nothing."""
    base_name = f"{db_path.name}.{label}-{_stamp(now)}"
    aside = db_path.with_name(base_name)
    serial = 0
    while any(_side(aside, s).exists() for s in ("", "-wal", "-shm")):
        serial += 1
        aside = db_path.with_name(f"{base_name}-{serial}")
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("", "-wal", "-shm"):
            source = _side(db_path, suffix)
            if source.exists():
                destination = _side(aside, suffix)
                os.rename(source, destination)
                moved.append((source, destination))
        _copy_keys(db_path, aside)  # copied, not moved: the key file stays for the restored database
        _fsync_folder(db_path.parent)
    except OSError as exc:
        for source, destination in reversed(moved):
            try:
                os.rename(destination, source)
            except OSError:  # pragma: no cover
                pass
        raise BackupError(f"Cannot move {db_path.name} aside: {_describe_failure(exc)}; nothing was changed.") from None
    return aside


def set_aside(db_path: Path, *, now: datetime | None = None) -> Path:
    """Rename a damaged database (and its -wal/-shm) to `<name>.damaged-<timestamp>`; never deletes it."""
    return _move_aside(Path(db_path), "damaged", now)


def restore(backup: Path, db_path: Path, *, key: bytes | None = None, now: datetime | None = None) -> RestoreInfo:
    """Put a verified backup in place of the database; the old one is kept aside. All or nothing."""
    backup, db_path = Path(backup), Path(db_path)
    problem = verify_backup(backup, key)
    if problem:
        raise BackupError(f"The backup {backup} cannot be restored: {problem}")
    if db_path.is_dir():
        raise BackupError(f"Cannot restore into {db_path}: it is a folder.")
    if not db_path.parent.is_dir():
        raise BackupError(f"Cannot restore into {db_path}: the folder {db_path.parent} does not exist.")
    staged = db_path.parent / f".{db_path.name}.{os.getpid()}.restoring"
    errors = _db_errors()
    try:
        source = _connect(backup, key, mode="immutable=1")
    except errors:
        raise BackupError(f"The backup {backup} cannot be opened.") from None
    try:
        expected = _row_counts(source)
        _discard(staged)
        try:
            _create_private(staged)
            target = _connect(staged, key)
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
            _fsync_file(staged)
        except (OSError, *errors) as exc:
            _discard(staged)
            raise BackupError(f"Cannot restore into {db_path}: {_describe_failure(exc)}; nothing was changed.") from None
    finally:
        source.close()
    problem = _verify_file(staged, key, expected=expected)
    if problem:
        _discard(staged)
        raise BackupError(f"The restored copy failed its check ({problem}); nothing was changed.")
    replaced = None
    if any(_side(db_path, s).exists() for s in ("", "-wal", "-shm")):
        try:
            replaced = _move_aside(db_path, "replaced", now)
        except BackupError:
            _discard(staged)
            raise
    try:
        if not _keys_of(backup).is_file() and _keys_of(db_path).is_file() and replaced is not None:
            # A plain backup (made before encryption) over an encrypted database: the key file goes
            # with the replaced database (_move_aside copied it there), or the plain file would not open.
            _keys_of(db_path).unlink()
        elif not _keys_of(db_path).exists():
            _copy_keys(backup, db_path)
        os.replace(staged, db_path)
        _fsync_folder(db_path.parent)
    except OSError as exc:
        if replaced is not None:  # put the old database back where it was
            for suffix in ("", "-wal", "-shm"):
                if _side(replaced, suffix).exists():
                    os.rename(_side(replaced, suffix), _side(db_path, suffix))
        _discard(staged)
        raise BackupError(f"Cannot restore into {db_path}: {_describe_failure(exc)}; nothing was changed.") from None
    return RestoreInfo(db_path, backup, replaced)


def _lost_wal(db_path: Path) -> str | None:
    """Committed changes that lived only in a -wal file that has gone (the -shm index remembers them)."""
    shm, wal = _side(db_path, "-shm"), _side(db_path, "-wal")
    if wal.exists() or not shm.exists():
        return None
    try:
        with open(shm, "rb") as stream:
            index = stream.read(136)
    except OSError:
        return None
    if len(index) < 100 or index[12] != 1:  # isInit: the index was never filled in
        return None
    max_frame = struct.unpack("=I", index[16:20])[0]
    backfilled = struct.unpack("=I", index[96:100])[0]
    if max_frame > backfilled:
        return ("The database's write-ahead log (the -wal file beside it) is missing, "
                "so its most recent changes are lost.")
    return None


def _header_problem(db_path: Path, header: bytes, key: bytes | None, *, strict: bool) -> str | None:
    if len(header) < 100:
        return "The database file is too short to be a database (it was cut off)."
    if header[:16] == SQLITE_MAGIC:
        page_size = struct.unpack(">H", header[16:18])[0]
        page_size = 65536 if page_size == 1 else page_size
        if page_size < 512 or page_size & (page_size - 1):
            return "The start of the database file is damaged."
        size = db_path.stat().st_size
        pages = struct.unpack(">I", header[28:32])[0]
        counted = header[92:96] == header[24:28]
        if size % page_size or (counted and not _side(db_path, "-wal").exists() and size < pages * page_size):
            return "The database file is shorter than it should be (it was cut off)."
        return None
    if key is not None:
        return None  # SQLCipher: the whole file looks random; the key check below decides
    if strict and _keys_of(db_path).is_file():
        return "The database is encrypted, so its key is needed to check it."
    if strict or header.count(0) > 80:
        return "The start of the database file is damaged (it is not a SQLite database any more)."
    return None  # may be an encrypted database: opening it with its key will tell


def detect_damage(db_path: Path, key: bytes | None = None, *, strict: bool | None = None) -> str | None:
    """A cheap check before opening: None when the file looks sound (or is new), else a plain reason.

    Changes nothing on disk. Without a key, a file whose header is neither SQLite's nor blank is
    damaged unless it may be an encrypted database: by default (``strict=None``) when it has a key
    file beside it; then the keyed open decides.
    """
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    if strict is None:
        strict = not _keys_of(db_path).is_file()
    lost = _lost_wal(db_path)
    if lost:
        return lost
    header = _header(db_path)
    problem = _header_problem(db_path, header, key, strict=strict)
    if problem or (key is None and header[:16] != SQLITE_MAGIC):
        return problem
    errors = _db_errors()
    try:
        conn = _connect(db_path, key, mode=_read_mode(db_path))
    except errors:
        return "The database file cannot be opened."
    try:
        result = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except errors as exc:
        if key is not None and "not a database" in str(exc).lower():
            return "The database cannot be read with this key, or it is damaged."
        return "The database file is damaged."
    finally:
        conn.close()
    if result != ["ok"]:
        return "The database file is damaged (SQLite's quick check found problems)."
    return None


def doctor(db_path: Path, key: bytes | None = None) -> list[str]:
    """Every problem found, one plain sentence each; empty when healthy. Changes nothing on disk.

    Raises DatabaseOpenError when there is no file to check.
    """
    from app.services.store import SCHEMA_HEAD

    db_path = Path(db_path)
    if db_path.is_dir():
        raise DatabaseOpenError(f"Cannot check {db_path}: it is a folder, not a file.")
    if not db_path.exists():
        raise DatabaseOpenError(f"Cannot check {db_path}: there is no such file.")
    if not os.access(db_path, os.R_OK):
        raise DatabaseOpenError(f"Cannot check {db_path}: the file cannot be read (check permissions).")
    problems: list[str] = []
    lost = _lost_wal(db_path)
    if lost:
        problems.append(lost)
    header = _header(db_path)
    problem = _header_problem(db_path, header, key, strict=key is None)
    if problem:
        return [*problems, problem]
    errors = _db_errors()
    try:
        conn = _connect(db_path, key, mode=_read_mode(db_path))
    except errors:
        return [*problems, "The database file cannot be opened."]
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if integrity != ["ok"]:
            first = integrity[0].replace("*** in database main ***", "").strip().splitlines()[0]
            problems.append(f"The database file is damaged: SQLite's integrity check found problems (first: {first}).")
            return problems
        broken: dict[str, int] = {}
        for row in conn.execute("PRAGMA foreign_key_check"):
            broken[row[0]] = broken.get(row[0], 0) + 1
        for table, count in sorted(broken.items()):
            rows = "row" if count == 1 else "rows"
            problems.append(f"{count} {rows} in the table {table} point to rows that no longer exist.")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            problems.append("It is not a ReviewDay database (it has no schema version).")
        else:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = revision[0] if revision else None
            if revision != SCHEMA_HEAD:
                if revision in _known_revisions():
                    problems.append(f"The database's schema is at {revision}, older than this version of "
                                    f"ReviewDay ({SCHEMA_HEAD}); opening it in the app upgrades it.")
                else:
                    problems.append(f"The database's schema ({revision}) is unknown to this version of "
                                    f"ReviewDay ({SCHEMA_HEAD}); it may come from a newer version.")
    except errors as exc:
        if key is not None and "not a database" in str(exc).lower():
            problems.append("The database cannot be read with this key, or it is damaged.")
        else:
            problems.append("The database file is damaged (it cannot be read as a database).")
    finally:
        conn.close()
    return problems


def _known_revisions() -> set[str]:
    versions = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    return {path.stem for path in versions.glob("*.py") if not path.name.startswith("_")}
