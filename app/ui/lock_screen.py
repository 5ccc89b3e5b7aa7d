"""Locking the main window: save first, then show nothing personal until the passphrase is typed.

ScreenLock does the locking for a MainWindow (on Ctrl+L, File → Lock, or IdleLock's `idle`):

1. the open review's pending edits and the section timer are saved (workspace.flush());
2. the window's whole central content (review list or open review) is taken out of the window,
   not merely hidden, and a LockScreen takes its place; the title goes back to "ReviewDay",
   the menus are hidden and their shortcuts disabled, other windows of ours are hidden;
3. the LockScreen asks for the database's passphrase (data_key.unlock, with the same rising
   delays as at start-up). A database without a key file (the demo, or a file made before
   encryption) has no passphrase to ask for: a plain Unlock button, and the screen says so.
4. On unlock everything is put back as it was: the same review, the same page, the same focus.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from app.security import data_key as dk
from app.ui.idle_lock import IdleLock
from app.ui.unlock_dialog import NHS_BLUE, SECONDARY_TEXT, PassphrasePanel, utc_now

APP_TITLE = "ReviewDay"


def database_file(store) -> Path | None:
    """The database file behind a Store (None for a server database or an in-memory one)."""
    url = store.engine.url
    if not url.get_backend_name().startswith("sqlite") or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


class LockScreen(QWidget):
    """What a locked window shows: no names, no review, only how to unlock."""

    unlocked = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        db_path: Path | None,
        *,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.db_path = db_path
        self.needs_passphrase = db_path is not None and dk.has_keys(db_path)

        card = QFrame(self)
        card.setObjectName("lockCard")
        card.setFixedWidth(540)  # a fixed width lets the wrapped lines get their full height
        card.setStyleSheet("#lockCard { background: white; border: 1px solid #d8dde0; border-radius: 8px; }")
        heading = QLabel(self.tr("ReviewDay is locked"), card)
        heading.setObjectName("lockHeading")
        heading.setStyleSheet(f"#lockHeading {{ font-size: 18pt; font-weight: 600; color: {NHS_BLUE}; }}")
        saved = QLabel(self.tr("Your work was saved before the screen locked."), card)
        saved.setObjectName("lockSaved")
        saved.setWordWrap(True)

        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(saved)
        self.panel: PassphrasePanel | None = None
        self.unlock_button: QPushButton | None = None
        if self.needs_passphrase:
            ask = QLabel(self.tr("Type the passphrase to carry on where you left off."), card)
            ask.setWordWrap(True)
            layout.addWidget(ask)
            self.panel = PassphrasePanel(db_path, clock=clock, parent=card)
            self.panel.unlocked.connect(lambda _key: self.unlocked.emit())
            layout.addWidget(self.panel)
            hint = QLabel(
                self.tr("Forgotten it? Quit ReviewDay (everything is saved) and start it again: "
                        "it offers the recovery key."),
                card,
            )
        else:
            self.unlock_button = QPushButton(self.tr("&Unlock"), card)
            self.unlock_button.setObjectName("unlockButton")
            self.unlock_button.setAccessibleName(self.tr("Unlock"))
            self.unlock_button.clicked.connect(self.unlocked)
            layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignLeft)
            hint = QLabel(
                self.tr("This database has no passphrase (a demo, or a file made before encryption), "
                        "so anyone at this computer can unlock it. Locking still hides everything."),
                card,
            )
        hint.setObjectName("lockHint")
        hint.setWordWrap(True)
        hint.setStyleSheet(f"#lockHint {{ color: {SECONDARY_TEXT}; }}")
        layout.addWidget(hint)
        quit_button = QPushButton(self.tr("&Quit ReviewDay"), card)
        quit_button.setObjectName("lockQuit")
        quit_button.setAccessibleName(self.tr("Quit ReviewDay"))
        quit_button.setAutoDefault(False)
        quit_button.clicked.connect(self.quit_requested)
        layout.addWidget(quit_button, 0, Qt.AlignmentFlag.AlignRight)

        # The centred card does not pass height-for-width on: give wrapped lines their height.
        inner_width = card.width() - 2 * 28
        for label in card.findChildren(QLabel):
            if label.wordWrap() and label.text():
                label.setMinimumHeight(label.heightForWidth(inner_width))

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockScreen { background: #f0f4f5; }")

    def focus_input(self) -> None:
        if self.panel is not None:
            self.panel.focus_passphrase()
        elif self.unlock_button is not None:
            self.unlock_button.setFocus(Qt.FocusReason.OtherFocusReason)


class ScreenLock(QObject):
    """Locks and unlocks one main window; owns its IdleLock."""

    locked_changed = Signal(bool)

    def __init__(
        self,
        window,
        *,
        db_path: Path | None = None,
        minutes: int = 10,
        clock: Callable[[], datetime] | None = None,
        check_interval_ms: int | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.db_path = db_path
        self.clock = clock or utc_now
        kwargs = {"check_interval_ms": check_interval_ms} if check_interval_ms else {}
        self.idle = IdleLock(minutes, clock=self.clock, parent=self, **kwargs)
        self.idle.idle.connect(self.lock)
        self.screen: LockScreen | None = None
        self._central: QWidget | None = None
        self._vault: QWidget | None = None
        self._title = ""
        self._focus: QWidget | None = None
        self._actions: list[tuple[object, bool]] = []
        self._hidden_windows: list[QWidget] = []

    @property
    def is_locked(self) -> bool:
        return self.screen is not None

    def lock(self) -> bool:
        """Save, then hide everything personal behind the lock screen. False if already locked."""
        if self.is_locked:
            return False
        window = self.window
        workspace = getattr(window, "workspace", None)
        if workspace is not None:
            # Pending text and the timer are written now. A write that fails (full disk) stays
            # pending in memory and is retried; locking must still go ahead.
            workspace.flush()
        self._focus = QApplication.focusWidget()
        self._title = window.windowTitle()
        window.setWindowTitle(APP_TITLE)
        window.statusBar().clearMessage()
        self._actions = [(action, action.isEnabled()) for action in window.actions()]
        for action, _ in self._actions:
            action.setEnabled(False)
        window.menuBar().setVisible(False)
        self._hidden_windows = [
            widget for widget in QApplication.topLevelWidgets()
            if widget is not window and widget.isVisible() and _belongs_to(widget, window)
        ]
        for widget in self._hidden_windows:
            widget.hide()
        # Out of the window's visible tree, not merely covered: kept (hidden) in a hidden holder.
        self._vault = QWidget(window)
        self._vault.setObjectName("lockedContent")
        self._vault.hide()
        self._central = window.takeCentralWidget()
        if self._central is not None:
            self._central.setParent(self._vault)
        self.screen = LockScreen(self.db_path, clock=self.clock, parent=window)
        self.screen.unlocked.connect(self.unlock)
        self.screen.quit_requested.connect(window.close)
        window.setCentralWidget(self.screen)
        self.screen.focus_input()
        self.idle.set_active(False)
        self.locked_changed.emit(True)
        return True

    def unlock(self) -> bool:
        """Put everything back as it was (called by the lock screen after the passphrase)."""
        if not self.is_locked:
            return False
        window = self.window
        screen = window.takeCentralWidget()
        self.screen = None
        if screen is not None:
            screen.hide()
            screen.deleteLater()
        if self._central is not None:
            window.setCentralWidget(self._central)
            self._central.show()  # a change of parent hides a widget
            self._central = None
        if self._vault is not None:
            self._vault.deleteLater()
            self._vault = None
        window.setWindowTitle(self._title or APP_TITLE)
        window.menuBar().setVisible(True)
        for action, enabled in self._actions:
            action.setEnabled(enabled)
        self._actions = []
        for widget in self._hidden_windows:
            if not widget.isModal():
                widget.show()
        self._hidden_windows = []
        if self._focus is not None:
            try:
                self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
            except RuntimeError:  # the widget was deleted meanwhile
                pass
        self._focus = None
        self.idle.set_active(True)
        self.locked_changed.emit(False)
        return True


def _belongs_to(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False
