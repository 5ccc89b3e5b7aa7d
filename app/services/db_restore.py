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


def _looks_encrypted(path: Path) -> bool:
    """A file whose start is neither SQLite's header nor blank: an encrypted (SQLCipher) database."""
    header = db_files.read_header(path)
    return len(header) >= 100 and header[:16] != db_files.SQLITE_MAGIC and header.count(0) <= 80


def _refuse_plain_over_encrypted(backup: Path, db_path: Path) -> None:
    """A plain (unencrypted) copy never goes over an encrypted database.

    Plain backups date from before encryption: restoring one where an encrypted database is (or
    its key file still is) would leave the data in plain text on the disk and the key file
    beside a file it does not open. Refused; a plain copy goes back only over the plain
    database it came from, or where there is no database.
    """
    if not backup.is_file() or db_files.read_header(backup)[:16] != db_files.SQLITE_MAGIC:
        return
    if db_files.keys_path(db_path).is_file() or (db_path.is_file() and _looks_encrypted(db_path)):
        raise BackupError(
            f"The backup {backup.name} is not encrypted, so it cannot be restored over the encrypted database "
            f"{db_path.name}: that would leave its data on the disk unencrypted. Nothing was changed."
        )


def restore(
    backup: Path, db_path: Path, *, key: bytes | None = None, now: datetime | None = None, label: str = "replaced",
) -> RestoreInfo:
    """Put a verified backup in place of the database; the old one is kept aside. All or nothing.

    Everything that can fail is done before anything is moved: the backup is checked, copied
    into a staged file beside the database, and the copy checked again; the key file the restored
    database needs is staged too. Only then is the old database renamed aside (`label`:
    "replaced", or "damaged" for the app's recovery) and the staged files renamed into place.
    Refused while the app has the database open (its lock), and a plain copy never goes over an
    encrypted database.
    """
    from app.services.db_lock import DatabaseLock

    backup, db_path = Path(backup), Path(db_path)
    if db_path.is_dir():
        raise BackupError(f"Cannot restore into {db_path}: it is a folder.")
    if not db_path.parent.is_dir():
        raise BackupError(f"Cannot restore into {db_path}: the folder {db_path.parent} does not exist.")
    lock = DatabaseLock(db_path).acquire(
        f"Cannot restore into {db_path.name}: ReviewDay has it open. Close ReviewDay first, then restore; "
        "nothing was changed."
    )
    try:
        return _restore_locked(backup, db_path, key=key, now=now, label=label)
    finally:
        lock.release()


def _restore_locked(backup: Path, db_path: Path, *, key: bytes | None, now: datetime | None, label: str) -> RestoreInfo:
    _refuse_plain_over_encrypted(backup, db_path)
    problem = verify_backup(backup, key)
    if problem:
        raise BackupError(f"The backup {backup} cannot be restored: {problem}")
    staged = db_path.parent / f".{db_path.name}.{os.getpid()}.restoring"
    staged_keys = _stage_key_file(backup, db_path, key)
    errors = db_files.db_errors()
    try:
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
                reason = db_files.describe_failure(exc)
                raise BackupError(f"Cannot restore into {db_path}: {reason}; nothing was changed.") from None
        finally:
            source.close()
        problem = db_files.verify_file(staged, key, expected=expected)
        if problem:
            raise BackupError(f"The restored copy failed its check ({problem}); nothing was changed.")
        replaced = None
        if any(db_files.side_path(db_path, s).exists() for s in ("", "-wal", "-shm")):
            replaced = _move_aside(db_path, label, now)
        try:
            if staged_keys is not None:
                os.replace(staged_keys, db_files.keys_path(db_path))
                staged_keys = None
            os.replace(staged, db_path)
            db_files.fsync_folder(db_path.parent)
        except OSError as exc:
            if replaced is not None:  # put the old database (and its key file) back where it was
                for suffix in ("", "-wal", "-shm"):
                    if db_files.side_path(replaced, suffix).exists():
                        os.rename(db_files.side_path(replaced, suffix), db_files.side_path(db_path, suffix))
                if db_files.keys_path(replaced).is_file():
                    db_files.copy_keys(replaced, db_path)
            reason = db_files.describe_failure(exc)
            raise BackupError(f"Cannot restore into {db_path}: {reason}; nothing was changed.") from None
    finally:
        db_files.discard(staged)
        if staged_keys is not None:
            staged_keys.unlink(missing_ok=True)
    return RestoreInfo(db_path, backup, replaced)


def _stage_key_file(backup: Path, db_path: Path, key: bytes | None) -> Path | None:
    """The key file the restored database needs, copied beside it under a temporary name; None
    when the database's own key file already opens it (or neither is encrypted).

    The database's key file is kept when it holds the same data key (it may wrap it with a newer
    passphrase); else the backup's own key file goes with the data it opens, and the old one
    stays with the database set aside.
    """
    if key is None:
        return None
    current = db_files.keys_path(db_path)
    if current.is_file() and _key_opens(db_path, key):
        return None
    if not db_files.keys_path(backup).is_file():
        if not current.is_file():
            return None  # keys kept elsewhere by the caller (no key files on either side)
        raise BackupError(
            f"The backup {backup.name} has no key file beside it, and the key file of {db_path.name} does not "
            "open it, so the restored database could not be opened. Nothing was changed."
        )
    staged = db_path.parent / f".{db_path.name}.{os.getpid()}.restoring{db_files.KEYS_SUFFIX}"
    try:
        db_files.copy_file_private(db_files.keys_path(backup), staged)
    except OSError as exc:
        raise BackupError(f"Cannot restore into {db_path}: {db_files.describe_failure(exc)}; "
                          "nothing was changed.") from None
    return staged


def _key_opens(db_path: Path, key: bytes) -> bool:
    """True when the key file beside `db_path` holds `key` (so it opens the restored copy)."""
    from app.security.data_key import DataKeyError, key_matches

    try:
        return key_matches(db_path, key)
    except DataKeyError:
        return False
