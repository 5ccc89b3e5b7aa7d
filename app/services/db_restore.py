"""Restoring a backup, and setting a damaged or replaced database aside (no Qt).

A damaged or replaced database is never deleted or overwritten: it is renamed aside
(``<name>.damaged-<timestamp>`` / ``<name>.replaced-<timestamp>``, with its -wal/-shm files).
A restore is all or nothing: the backup is verified, copied through SQLite's backup API into a
staged file, verified again, and only then renamed into place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.services import db_files
from app.services.backup import BackupError, verify_backup


@dataclass(frozen=True)
class RestoreInfo:
    db_path: Path
    backup: Path
    replaced: Path | None  # where the database that was there before was put; None if there was none


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now()).strftime(db_files.TIMESTAMP_FORMAT)


def _move_aside(db_path: Path, label: str, now: datetime | None) -> Path:
    """Rename the database and its -wal/-shm to `<name>.<label>-<timestamp>[-n]`; all or nothing."""
    base_name = f"{db_path.name}.{label}-{_stamp(now)}"
    aside = db_path.with_name(base_name)
    serial = 0
    while any(db_files.side_path(aside, s).exists() for s in ("", "-wal", "-shm")):
        serial += 1
        aside = db_path.with_name(f"{base_name}-{serial}")
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("", "-wal", "-shm"):
            source = db_files.side_path(db_path, suffix)
            if source.exists():
                destination = db_files.side_path(aside, suffix)
                os.rename(source, destination)
                moved.append((source, destination))
        db_files.copy_keys(db_path, aside)  # copied, not moved: the key file stays for the restored database
        db_files.fsync_folder(db_path.parent)
    except OSError as exc:
        for source, destination in reversed(moved):
            try:
                os.rename(destination, source)
            except OSError:  # pragma: no cover
                pass
        reason = db_files.describe_failure(exc)
        raise BackupError(f"Cannot move {db_path.name} aside: {reason}; nothing was changed.") from None
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
    errors = db_files.db_errors()
    try:
        source = db_files.connect_file(backup, key, mode="immutable=1")
    except errors:
        raise BackupError(f"The backup {backup} cannot be opened.") from None
    try:
        expected = db_files.row_counts(source)
        db_files.discard(staged)
        try:
            db_files.create_private(staged)
            target = db_files.connect_file(staged, key)
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
            db_files.fsync_file(staged)
        except (OSError, *errors) as exc:
            db_files.discard(staged)
            reason = db_files.describe_failure(exc)
            raise BackupError(f"Cannot restore into {db_path}: {reason}; nothing was changed.") from None
    finally:
        source.close()
    problem = db_files.verify_file(staged, key, expected=expected)
    if problem:
        db_files.discard(staged)
        raise BackupError(f"The restored copy failed its check ({problem}); nothing was changed.")
    replaced = None
    if any(db_files.side_path(db_path, s).exists() for s in ("", "-wal", "-shm")):
        try:
            replaced = _move_aside(db_path, "replaced", now)
        except BackupError:
            db_files.discard(staged)
            raise
    try:
        if not db_files.keys_path(backup).is_file() and db_files.keys_path(db_path).is_file() and replaced is not None:
            # A plain backup (made before encryption) over an encrypted database: the key file goes
            # with the replaced database (_move_aside copied it there), or the plain file would not open.
            db_files.keys_path(db_path).unlink()
        elif not db_files.keys_path(db_path).exists():
            db_files.copy_keys(backup, db_path)
        os.replace(staged, db_path)
        db_files.fsync_folder(db_path.parent)
    except OSError as exc:
        if replaced is not None:  # put the old database back where it was
            for suffix in ("", "-wal", "-shm"):
                if db_files.side_path(replaced, suffix).exists():
                    os.rename(db_files.side_path(replaced, suffix), db_files.side_path(db_path, suffix))
        db_files.discard(staged)
        reason = db_files.describe_failure(exc)
        raise BackupError(f"Cannot restore into {db_path}: {reason}; nothing was changed.") from None
    return RestoreInfo(db_path, backup, replaced)
