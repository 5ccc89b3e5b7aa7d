"""Auto-lock: after so many minutes without a key press or a click, ask for the window to lock.

IdleLock watches the whole application's input through an event filter (it only notes the
time; it never reads or stops an event). A check timer asks the injected clock whether the
limit has passed: the decision is the clock's, so tests move a fake clock and call check().
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

CHECK_INTERVAL_MS = 15_000

# Input that means someone is at the keyboard. Mouse moves count too: reading without typing
# is still using the app.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


def _system_now() -> datetime:
    return datetime.now()


class IdleLock(QObject):
    """Emits `idle` once when no input came for `minutes`; call reset() (or input) to re-arm."""

    idle = Signal()

    def __init__(
        self,
        minutes: int,
        *,
        clock: Callable[[], datetime] | None = None,
        check_interval_ms: int = CHECK_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock or _system_now
        self._limit_seconds = float(minutes) * 60
        self._last_input = self.clock()
        self._active = True
        self._timer = QTimer(self)
        self._timer.setObjectName("idleLockCheck")
        self._timer.setInterval(check_interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def minutes(self) -> float:
        return self._limit_seconds / 60

    def set_minutes(self, minutes: int) -> None:
        self._limit_seconds = float(minutes) * 60

    def set_active(self, active: bool) -> None:
        """Inactive while the window is locked; becoming active again starts a fresh wait."""
        self._active = active
        if active:
            self.reset()

    def is_active(self) -> bool:
        return self._active

    def reset(self) -> None:
        self._last_input = self.clock()

    def idle_seconds(self) -> float:
        return (self.clock() - self._last_input).total_seconds()

    def check(self) -> bool:
        """True (and `idle` emitted) when the limit has passed; the caller locks."""
        if not self._active or self.idle_seconds() < self._limit_seconds:
            return False
        self._active = False  # once: the lock turns it back on after unlocking
        self.idle.emit()
        return True

    def stop(self) -> None:
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in INPUT_EVENTS:
            self._last_input = self.clock()
        return False
