"""The status-bar label that says whether everything is saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget


def describe_age(seconds: float) -> str:
    from PySide6.QtCore import QCoreApplication

    tr = lambda text: QCoreApplication.translate("SaveStateLabel", text)  # noqa: E731
    if seconds < 5:
        return tr("Saved just now")
    if seconds < 60:
        return tr("Saved {n} s ago").format(n=int(seconds))
    if seconds < 3600:
        return tr("Saved {n} min ago").format(n=int(seconds // 60))
    return tr("Saved over an hour ago")


class SaveStateLabel(QLabel):
    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveState")
        self.setAccessibleName(self.tr("Save state"))
        self._now = now
        self._saved_at: datetime | None = None
        self._failure: str | None = None
        self._pending = False
        self._timer = QTimer(self)
        self._timer.setInterval(5000)
        self._timer.timeout.connect(self.update_text)
        self._timer.start()
        self.update_text()

    def mark_saved(self, at: datetime | None = None) -> None:
        self._saved_at = at or self._now()
        self._failure = None
        self.update_text()

    def mark_failed(self, message: str) -> None:
        self._failure = message
        self.update_text()

    def set_pending(self, pending: bool) -> None:
        """Typed text is waiting to be stored: never claim "Saved" meanwhile."""
        self._pending = pending
        self.update_text()

    @property
    def failed(self) -> bool:
        return self._failure is not None

    def update_text(self) -> None:
        if self._failure:
            self.setText("⚠ " + self.tr("Not saved: ") + self._failure)
            self.setStyleSheet("color: #8a1538; font-weight: bold;")
        elif self._pending:
            self.setText(self.tr("Saving…"))
            self.setStyleSheet("")
        elif self._saved_at is None:
            self.setText(self.tr("All changes are saved automatically"))
            self.setStyleSheet("")
        else:
            age = max(0.0, (self._now() - self._saved_at).total_seconds())
            self.setText("✓ " + describe_age(age))
            self.setStyleSheet("color: #1e6b34;")
