"""Backups of the SQLite database: made, verified, rotated and listed (no Qt).

- Every backup is made with SQLite's online backup API (``Connection.backup``), never a raw
  file copy, into a temporary file beside the target; the copy is verified (``quick_check`` and
  per-table row counts taken in the same read snapshot as the copy) and only then renamed into
  place. A failed backup leaves no file behind.
- A backup of an encrypted (SQLCipher) database is encrypted with the same key: both ends are
  SQLCipher connections keyed alike, so no page is ever written in plain text.

Restoring a backup and setting a damaged database aside are in db_restore.py; the checks made
before a database is opened (``detect_damage``, ``doctor``) in db_health.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.services.db_files import (
    KEYS_SUFFIX,
    SQLITE_MAGIC,
    TIMESTAMP_FORMAT,
    connect_file,
    connection_path,
    copy_keys,
    create_private,
    db_errors,
    describe_failure,
    discard,
    fsync_file,
    fsync_folder,
    is_sqlcipher,
    keys_path,
    read_header,
    row_counts,
    side_path,
    verify_file,
)
from app.services.errors import ReviewDayError

BACKUP_SUFFIX = ".backup.sqlite3"
_BACKUP_NAME = re.compile(r"^reviewday-(\d{8}-\d{6})(?:-(\d+))?\.backup\.sqlite3$")


class BackupError(ReviewDayError):
    """A backup or restore could not be made; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    created_at: datetime | None = None
    # Rows per table in the backup, when the backup was just made and verified.
    row_counts: dict[str, int] = field(default_factory=dict, compare=False)


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
    discard(temp)
    errors = db_errors()
    sqlcipher = is_sqlcipher(source)
    try:
        started = not source.in_transaction
        if started:
            source.execute("BEGIN")  # one read snapshot for both the counts and the copy
        try:
            expected = row_counts(source)
            create_private(temp)
            target = connect_file(temp, key, sqlcipher=sqlcipher)
            try:
                source.backup(target)
                # A self-contained single file: no -wal needed beside the backup.
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            if started:
                source.rollback()
        fsync_file(temp)
        if on_copied is not None:
            on_copied(temp)  # a seam for fault-injection tests
        problem = verify_file(temp, key, expected=expected)
        if problem:
            raise BackupError(f"The backup was not kept because checking it failed: {problem}")
        if db_path is not None:
            copy_keys(db_path, out)  # an encrypted backup is useless without its wrapped key
        os.replace(temp, out)
        fsync_folder(folder)
    except BackupError:
        discard(temp)
        raise
    except (OSError, *errors) as exc:
        discard(temp)
        raise BackupError(f"Cannot write the backup {out}: {describe_failure(exc)}; nothing was kept.") from None
    except BaseException:
        discard(temp)
        raise
    return BackupInfo(out, out.stat().st_size, _created_at(out), expected)


def _store_key(store, key: bytes | None) -> bytes | None:
    if key is not None:
        return key
    stored = getattr(store, "_key", None)  # Store.open(..., key=...) keeps it there
    return stored if isinstance(stored, (bytes, bytearray)) else None


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
        db_path = connection_path(source)
        if db_path is None:
            raise BackupError("An in-memory database cannot be backed up.")
        if key is None and is_sqlcipher(source) and read_header(db_path)[:16] != SQLITE_MAGIC:
            # Never make a plain-text copy of an encrypted database.
            raise BackupError("The database is encrypted, so its key is needed to back it up.")
        refuse_own_files(db_path, Path(out))
        return _copy_verified(source, Path(out), key, on_copied=on_copied, db_path=db_path)
    finally:
        raw.close()


# The files beside a database that belong to it: a backup written over one would destroy it (the
# key file above all: the data key is wrapped only there).
_SIDE_FILES = (("", "the database itself"), ("-wal", "the database's write-ahead log"),
               ("-shm", "the database's shared-memory index"), ("-journal", "the database's journal"),
               (KEYS_SUFFIX, "the database's key file"), (".lock", "the database's lock file"))


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_own_files(db_path: Path, out: Path) -> None:
    """Refuse a backup (or copy) target that is the database or one of the files that belong to it.

    Compared by resolved path and by file identity, so a symlink, a hard link or another
    spelling of the same path is caught; the key file the backup writes beside itself
    (`<out>.keys`) is checked too. A name ending like a side file (`.keys`, `-wal`...) is refused
    whatever database it belongs to: the next open would take it for one.
    """
    db_path, out = Path(db_path), Path(out).expanduser()
    for written in (out, keys_path(out)):
        for suffix, what in _SIDE_FILES:
            if _same_file(written, side_path(db_path, suffix)):
                raise BackupError(f"Cannot write the backup to {out}: it is {what}; nothing was written.")
    for suffix, what in _SIDE_FILES[1:]:
        if out.name.endswith(suffix):
            kind = what.replace("the database's ", "a database's ")
            raise BackupError(f"Cannot write the backup to {out}: a name ending in {suffix} is {kind}; "
                              "nothing was written.")


def backup_name(moment: datetime) -> str:
    return f"reviewday-{moment.strftime(TIMESTAMP_FORMAT)}{BACKUP_SUFFIX}"


def default_backup_folder(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


# The space the rotating backups may take, unless the settings say otherwise (backup_space_mb).
DEFAULT_MAX_BYTES = 500 * 1024 * 1024


def rotate_backups(
    store, folder: Path, keep: int = 10, *, key: bytes | None = None,
    on_copied: Callable[[Path], None] | None = None, max_bytes: int | None = None,
) -> BackupInfo:
    """A new verified backup in `folder`; then only the newest `keep` backups are kept, and of
    those only as many as fit in `max_bytes` (oldest deleted first; the new one is always kept)."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    folder = Path(folder)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Cannot make the backup folder {folder}: {describe_failure(exc)}.") from None
    name = backup_name(store.now())
    out = folder / name
    serial = 0
    while out.exists():  # two backups in the same second: never replace the earlier one
        serial += 1
        out = folder / name.replace(BACKUP_SUFFIX, f"-{serial}{BACKUP_SUFFIX}")
    info = backup_to(store, out, key=key, on_copied=on_copied)
    kept = list_backups(folder)
    old = kept[keep:]
    kept = kept[:keep]
    if max_bytes is not None:
        total = sum(_space(backup) for backup in kept)
        while len(kept) > 1 and total > max_bytes:
            oldest = kept.pop()
            total -= _space(oldest)
            old.append(oldest)
    for backup in old:
        if backup.path == info.path:  # pragma: no cover - the newest is never among the old
            continue
        try:
            backup.path.unlink()
            keys_path(backup.path).unlink(missing_ok=True)
        except OSError:  # an old backup that cannot be removed is harmless
            pass
    return info


def _space(backup: BackupInfo) -> int:
    keys = keys_path(backup.path)
    return backup.size + (keys.stat().st_size if keys.is_file() else 0)


def change_marker(conn) -> tuple[int, dict[str, int]]:
    """What tells two copies of a database apart cheaply: the change counter Store moves on every
    write (user_version) and the rows per table (which also differ after a restore of another copy)."""
    return conn.execute("PRAGMA user_version").fetchone()[0], row_counts(conn)


def unchanged_since(store, backup: Path, *, key: bytes | None = None) -> bool:
    """True when `backup` holds what the store's database holds now, by change_marker."""
    key = _store_key(store, key)
    errors = db_errors()
    try:
        conn = connect_file(Path(backup), key, mode="immutable=1")
    except errors:
        return False
    try:
        copied = change_marker(conn)
    except errors:
        return False
    finally:
        conn.close()
    with store.raw_connection() as source:
        return change_marker(source) == copied


def startup_backup(
    store, folder: Path, *, keep: int = 10, key: bytes | None = None, max_bytes: int | None = None,
) -> BackupInfo | None:
    """The backup made when the app starts: none when the newest backup already holds exactly
    what the database holds (the app was started again without any change in between), so that
    starting the app repeatedly does not fill the disk with identical full copies."""
    newest = list_backups(folder)[:1]
    if newest and unchanged_since(store, newest[0].path, key=key):
        return None
    return rotate_backups(store, folder, keep, key=key, max_bytes=max_bytes)


def _created_at(path: Path) -> datetime | None:
    match = _BACKUP_NAME.match(path.name)
    if not match:
        return None
    return datetime.strptime(match.group(1), TIMESTAMP_FORMAT)


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


def verify_backup(path: Path, key: bytes | None = None) -> str | None:
    """None when the backup is a readable, intact ReviewDay database; else a plain reason."""
    path = Path(path)
    if not path.is_file():
        return "there is no such file." if not path.exists() else "it is a folder, not a file."
    return verify_file(path, key)
