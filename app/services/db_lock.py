"""Who has a database file open: an operating-system lock on `<name>.lock` beside it (no Qt).

The app holds it from before its start-up check until it quits, and so does anything that
replaces the file (restore, the app's own recovery, creating a new database). A second app on the
same file, or a restore while the app is working in it, is refused with one sentence instead of
the app going on writing into a file that has been moved aside.

The lock is `filelock`'s (flock on POSIX, LockFileEx on Windows): the system drops it when the
process ends, however it ends, so a crash never leaves the database locked. The lock file itself is
empty and is removed when the lock is given back (a crash leaves an unlocked, empty one). Within
one process the lock is shared (counted), so the app's start-up, recovery and creation steps nest
without locking themselves out.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from app.services.errors import ReviewDayError

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"


class DatabaseInUseError(ReviewDayError):
    """Another ReviewDay (or a restore) has the database open; nothing was changed."""


def lock_path(db_path: str | Path) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + LOCK_SUFFIX)


_held: dict[str, list] = {}  # resolved lock path -> [FileLock, count], this process's locks
_guard = threading.Lock()


def _key(db_path: str | Path) -> str:
    return str(lock_path(Path(db_path).expanduser()).resolve())


class DatabaseLock:
    """This process's hold on a database file; release() (or close the Store holding it) gives it back."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path).expanduser()
        self._key: str | None = None

    @property
    def held(self) -> bool:
        return self._key is not None

    def acquire(self, in_use_message: str | None = None) -> DatabaseLock:
        """Take the lock now or raise DatabaseInUseError (never waits).

        On storage where no lock file can be made (read-only media) there is nothing to protect
        against a restore either, so the app goes on without one.
        """
        if self._key is not None:
            return self
        from filelock import FileLock, Timeout

        key = _key(self.db_path)
        with _guard:
            entry = _held.get(key)
            if entry is not None:
                entry[1] += 1
                self._key = key
                return self
            lock = FileLock(key, timeout=0, mode=0o600, thread_local=False)
            try:
                lock.acquire()
            except Timeout:
                raise DatabaseInUseError(in_use_message or (
                    f"ReviewDay already has the database {self.db_path.name} open (in another window, or a "
                    "restore is running). Close it there first; nothing was changed."
                )) from None
            except OSError as exc:
                log.warning("no lock file beside the database: %s", type(exc).__name__)
                return self
            _held[key] = [lock, 1]
            self._key = key
        return self

    def release(self) -> None:
        if self._key is None:
            return
        with _guard:
            entry = _held.get(self._key)
            if entry is not None:
                entry[1] -= 1
                if entry[1] <= 0:
                    del _held[self._key]
                    # Removed while still held: one who opened it meanwhile finds it unlinked once
                    # the lock is theirs, and filelock then treats it as not taken.
                    try:
                        Path(self._key).unlink(missing_ok=True)
                    except OSError:
                        pass
                    entry[0].release()
            self._key = None

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *_exc) -> None:
        self.release()


def in_use_elsewhere(db_path: str | Path) -> bool:
    """True when another process holds the database's lock (this process's own holds do not count)."""
    if _key(db_path) in _held:
        return False
    try:
        with DatabaseLock(db_path):
            return False
    except DatabaseInUseError:
        return True


def held_here(db_path: str | Path) -> bool:
    return _key(db_path) in _held


__all__ = ["DatabaseInUseError", "DatabaseLock", "LOCK_SUFFIX", "held_here", "in_use_elsewhere", "lock_path"]
