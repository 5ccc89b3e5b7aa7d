"""Periodic backups while editing: one when the app starts, then every few minutes if anything changed.

The start-up backup is skipped when the newest backup already holds exactly what the database
holds (backup.startup_backup: the change counter and row counts), so starting the app again and
again does not add identical full copies; rotation keeps the newest `keep` backups within
`max_bytes` (the backup_space_mb setting), always keeping the newest.

Measured on the normal demo: a backup (SQLite's backup API, then ``quick_check`` and row counts
on the copy) takes about 6 ms on an idle machine, 30-40 ms encrypted, and 40-90 ms on a busy
2-core box: over the 50 ms a UI thread can spare, so the app runs backups on a QThreadPool thread
(``background=True``, app/ui/worker.py); tests may run them inline. A backup reads one snapshot
and never blocks writers (WAL).
A failed backup (disk full...) is reported once through ``failed`` and retried at the next tick.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.services import backup
from app.services.db_files import connection_path
from app.services.errors import ReviewDayError
from app.services.store import Store

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MS = 5 * 60_000


class BackupTimer(QObject):
    """Keeps a rotating set of verified backups of `store` in `folder`."""

    backed_up = Signal(object)  # BackupInfo
    failed = Signal(str)  # one plain sentence

    def __init__(
        self,
        store: Store,
        folder: Path,
        *,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        keep: int = 10,
        max_bytes: int | None = backup.DEFAULT_MAX_BYTES,
        background: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.folder = Path(folder)
        self.keep = keep
        self.max_bytes = max_bytes
        self._dirty = False
        self._last_version: int | None = None
        self._watch = None  # a pooled DB-API connection held for PRAGMA data_version
        self._failed_before = False
        self._background = background
        self._task = None  # the backup running on a pool thread, if any
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """One backup now unless the newest one already holds this database, then one per
        interval while there were edits."""
        self.backup_now(only_if_changed=True)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._close_watch()

    @Slot()
    @Slot(str)
    def note_edit(self, *_what) -> None:
        """Connect to ReviewContext.changed (or call after any change)."""
        self._dirty = True

    @property
    def pending(self) -> bool:
        """Were there edits since the last backup (noted, or committed through any connection)?"""
        return self._dirty or self._data_version() != self._last_version

    def _data_version(self) -> int | None:
        """SQLite's PRAGMA data_version on a connection of our own: it moves whenever another
        connection commits, so autosaves and other windows count as edits too. (fetchall():
        the statement finishes, so no read snapshot is left open.)"""
        try:
            if self._watch is None:
                self._watch = self.store.engine.raw_connection()
            return self._watch.driver_connection.execute("PRAGMA data_version").fetchall()[0][0]
        except Exception:  # noqa: BLE001 - no counter: rely on note_edit()
            self._close_watch()
            return None

    def _close_watch(self) -> None:
        if self._watch is not None:
            try:
                self._watch.close()
            except Exception:  # noqa: BLE001
                pass
            self._watch = None

    @Slot()
    def _tick(self) -> None:
        if self.busy:
            return  # the previous backup is still running: the next tick will see the edits
        if self.pending:
            self.backup_now()

    @property
    def busy(self) -> bool:
        return self._task is not None and self._task.is_running()

    def backup_now(self, *, only_if_changed: bool = False):
        """Make a backup now. Inline: returns its BackupInfo, or None when it failed (``failed`` is
        emitted) or was not needed (`only_if_changed`). In the background: returns None at once;
        ``backed_up`` / ``failed`` follow."""
        if self.busy:
            return None
        self._dirty = False
        version = self._data_version()
        make = backup.startup_backup if only_if_changed else backup.rotate_backups
        if self._background:
            from app.ui.worker import run_in_background

            self._task = run_in_background(
                self, make, self.store, self.folder, keep=self.keep, max_bytes=self.max_bytes,
                on_done=lambda info: self._succeeded(info, version), on_error=self._failed,
            )
            return None
        try:
            info = make(self.store, self.folder, keep=self.keep, max_bytes=self.max_bytes)
        except Exception as exc:  # noqa: BLE001 - a backup must never take the app down
            if isinstance(exc, ReviewDayError):
                message = str(exc)
            else:
                log.error("backup failed: %s", type(exc).__name__)  # the type only, never the message
                message = "The backup could not be made."
            self._failed(message)
            return None
        self._succeeded(info, version)
        return info

    def _succeeded(self, info, version: int | None) -> None:
        self._failed_before = False
        self._last_version = version
        if info is not None:  # None: the newest backup already held this database
            self.backed_up.emit(info)

    def _failed(self, message: str) -> None:
        self._dirty = True  # try again at the next tick
        if not self._failed_before:
            self._failed_before = True
            self.failed.emit(f"Backup not made: {message}")



def start_backups(store: Store, window=None, **options) -> BackupTimer | None:
    """Start periodic backups into the `backups` folder beside the store's database file.

    None for a database that is not a file (PostgreSQL, in-memory). Failures show in the
    window's status bar, one plain sentence.
    """
    if store.engine.dialect.name != "sqlite":
        return None
    raw = store.engine.raw_connection()
    try:
        db_path = connection_path(raw.driver_connection)
    finally:
        raw.close()
    if db_path is None:
        return None
    options.setdefault("background", True)
    timer = BackupTimer(store, backup.default_backup_folder(db_path), parent=window, **options)
    if window is not None and hasattr(window, "statusBar"):
        timer.failed.connect(lambda message: window.statusBar().showMessage(message, 15_000))
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if app is not None:  # give the watching connection back before the store closes
        app.aboutToQuit.connect(timer.stop)
    timer.start()
    return timer
