"""Debounced autosave: edits are committed about a second after typing stops, or at once on flush."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.services.errors import ReviewDayError

AUTOSAVE_DELAY_MS = 800
RETRY_DELAY_MS = 5000


class Autosaver(QObject):
    """Keeps the newest pending write per key; runs them when typing pauses or on flush().

    A write that fails (disk full, read-only media) stays pending, so what was typed is kept
    in memory and saved on the next attempt.
    """

    saved = Signal()
    failed = Signal(str)
    # True when a write is waiting (typed text not yet stored), False when none is left.
    pending_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, delay_ms: int = AUTOSAVE_DELAY_MS) -> None:
        super().__init__(parent)
        self._pending: dict[str, Callable[[], object]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self._delay_ms = delay_ms

    def schedule(self, key: str, write: Callable[[], object]) -> None:
        was_pending = bool(self._pending)
        self._pending[key] = write
        self._timer.start(self._delay_ms)
        if not was_pending:
            self.pending_changed.emit(True)

    def cancel(self, key: str) -> None:
        if self._pending.pop(key, None) is not None and not self._pending:
            self.pending_changed.emit(False)

    def has_pending(self) -> bool:
        return bool(self._pending)

    def flush(self) -> bool:
        """Run every pending write now. Returns True when nothing is left pending."""
        self._timer.stop()
        failure = None
        for key, write in list(self._pending.items()):
            try:
                write()
            except ReviewDayError as exc:
                failure = str(exc)
                # Validation errors will not fix themselves: drop them; storage errors retry.
                if exc.__class__.__name__ != "StorageError":
                    self._pending.pop(key, None)
                continue
            # Only forget the write if no newer one was scheduled while it ran.
            if self._pending.get(key) is write:
                del self._pending[key]
        if not self._pending:
            self.pending_changed.emit(False)
        if failure is not None:
            self.failed.emit(failure)
            if self._pending:
                self._timer.start(RETRY_DELAY_MS)
            return not self._pending
        self.saved.emit()
        return True
