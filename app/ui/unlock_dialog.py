"""Unlocking an encrypted database: the passphrase (with rising delays), or the recovery key.

PassphrasePanel is the passphrase field, the Unlock button and the countdown; the start-up
UnlockDialog and the LockScreen both use it. Whether a try is allowed is decided by the key
file's record of failures and the injected clock (data_key.delay_before_next_attempt), so the
delay survives a restart; the one-second timer only repaints the countdown.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.security import data_key as dk
from app.security.passphrase_rule import MIN_PASSPHRASE_LENGTH
from app.ui.theme import SECONDARY_TEXT

NHS_BLUE = "#005EB8"
PROBLEM_COLOUR = "#b3261e"
GOOD_COLOUR = "#007f3b"

# The one rule for a new passphrase (app/security/passphrase_rule.py).
MIN_LENGTH = MIN_PASSPHRASE_LENGTH

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _busy(fn):
    """Run `fn` with a wait cursor (key derivation takes about half a second)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return fn()
    finally:
        QGuiApplication.restoreOverrideCursor()


def monospace_font(point_size: float = 0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if point_size:
        font.setPointSizeF(point_size)
    return font


# -- choosing a new passphrase ---------------------------------------------------------------


def passphrase_strength(text: str) -> tuple[int, str]:
    """A rough strength (0 too short, 1 weak, 2 fair, 3 strong) and a hint in plain words."""
    if len(text) < MIN_LENGTH:
        return 0, f"At least {MIN_LENGTH} characters; four or five unrelated words are easy to remember."
    pool = 0
    if any(c.islower() for c in text):
        pool += 26
    if any(c.isupper() for c in text):
        pool += 26
    if any(c.isdigit() for c in text):
        pool += 10
    if any(not c.isalnum() for c in text):
        pool += 20
    distinct = len(set(text.lower()))
    # Repeats ("aaaaaaaaaa", "abcabcabc") add little: count distinct symbols as well as length.
    bits = min(len(text), distinct * 2) * math.log2(max(pool, 2))
    words = len(text.split())
    if bits >= 75 or (words >= 4 and len(text) >= 20):
        return 3, "Strong."
    if bits >= 55:
        return 2, "Fair: another word or two would make it strong."
    return 1, "Weak: easy to guess. Use a longer phrase of unrelated words."


class NewPassphraseFields(QWidget):
    """A new passphrase typed twice, with a strength hint. problem() says what is wrong, if anything."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = QLineEdit(self)
        self.first.setObjectName("newPassphrase")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName(self.tr("New passphrase"))
        self.first.setPlaceholderText(self.tr("At least {n} characters").format(n=MIN_LENGTH))
        self.second = QLineEdit(self)
        self.second.setObjectName("repeatPassphrase")
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName(self.tr("Repeat the new passphrase"))
        self.hint = QLabel(self)
        self.hint.setObjectName("passphraseStrength")
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(self.tr("Passphrase strength"))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("New &passphrase"), self.first)
        form.addRow(self.tr("&Repeat it"), self.second)
        form.addRow("", self.hint)
        self.first.textChanged.connect(self._changed)
        self.second.textChanged.connect(self._changed)
        self._changed()

    def text(self) -> str:
        return self.first.text()

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()

    def problem(self) -> str | None:
        text = self.first.text()
        if len(text) < MIN_LENGTH:
            return self.tr("The passphrase must have at least {n} characters.").format(n=MIN_LENGTH)
        if text.strip() != text:
            return self.tr("The passphrase must not start or end with a space.")
        if self.second.text() != text:
            return self.tr("The two passphrases are not the same.")
        return None

    def _changed(self) -> None:
        level, hint = passphrase_strength(self.first.text())
        colour = {0: SECONDARY_TEXT, 1: PROBLEM_COLOUR, 2: "#8a5300", 3: GOOD_COLOUR}[level]
        text = self.tr(hint)
        if self.second.text() and self.second.text() != self.first.text():
            text += " " + self.tr("The two do not match yet.")
        self.hint.setText(text)
        self.hint.setStyleSheet(f"color: {colour};")
        self.changed.emit()


# -- the passphrase with rising delays -------------------------------------------------------


class PassphrasePanel(QWidget):
    """Passphrase field + Unlock + countdown. Emits `unlocked(data_key)` on the right passphrase."""

    unlocked = Signal(bytes)

    def __init__(
        self,
        db_path: str | Path,
        *,
        clock: Clock | None = None,
        button_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passphrasePanel")
        self.db_path = Path(db_path)
        self.clock = clock or utc_now
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("unlockPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.passphrase.setMinimumWidth(280)
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.passphrase.textChanged.connect(self._update_button)
        self.unlock_button = QPushButton(button_text or self.tr("&Unlock"), self)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setAccessibleName(self.tr("Unlock"))
        self.unlock_button.setAutoDefault(False)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.message = QLabel(self)
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Problem"))
        self.message.setStyleSheet(f"#unlockMessage {{ color: {PROBLEM_COLOUR}; }}")
        self.message.hide()
        self.countdown = QLabel(self)
        self.countdown.setObjectName("unlockCountdown")
        self.countdown.setAccessibleName(self.tr("Time before the next try"))
        self.countdown.setStyleSheet(f"#unlockCountdown {{ color: {SECONDARY_TEXT}; font-weight: 600; }}")
        self.countdown.hide()
        self._wait = 0.0
        self._broken = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.refresh_countdown)

        row = QHBoxLayout()
        label = QLabel(self.tr("&Passphrase"), self)
        label.setBuddy(self.passphrase)
        row.addWidget(label)
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.countdown)
        self.refresh_countdown()

    def remaining_seconds(self) -> float:
        return self._wait

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refresh_countdown(self) -> float:
        """Ask the key file and the clock how long to wait; show it and enable Unlock when 0."""
        try:
            self._wait = dk.delay_before_next_attempt(self.db_path, clock=self.clock)
        except dk.DataKeyError as exc:
            self._broken = True
            self._wait = 0.0
            self.show_message(str(exc))
        if self._wait > 0:
            seconds = math.ceil(self._wait)
            self.countdown.setText(
                self.tr("Too many wrong passphrases. You can try again in {n} s.").format(n=seconds)
                if seconds < 120 else
                self.tr("Too many wrong passphrases. You can try again in {n} minutes.").format(n=math.ceil(seconds / 60))
            )
            self.countdown.show()
            if not self._ticker.isActive():
                self._ticker.start()
        else:
            self.countdown.hide()
            self._ticker.stop()
        self._update_button()
        return self._wait

    def _update_button(self) -> None:
        self.unlock_button.setEnabled(not self._broken and self._wait <= 0 and bool(self.passphrase.text()))

    def try_unlock(self) -> bytes | None:
        """One try: the data key on success (also emitted), else None with one message shown."""
        if self.refresh_countdown() > 0 or self._broken or not self.passphrase.text():
            return None
        secret = self.passphrase.text()
        try:
            key = _busy(lambda: dk.unlock(self.db_path, secret, clock=self.clock))
        except dk.TooSoonError:
            self.refresh_countdown()
            return None
        except dk.WrongPassphraseError:
            self.passphrase.selectAll()
            self.show_message(self.tr("The passphrase is wrong."))
            self.refresh_countdown()
            return None
        except dk.DataKeyError as exc:
            self.show_message(str(exc))
            return None
        self.passphrase.clear()
        self.show_message("")
        self.refresh_countdown()
        self.unlocked.emit(key)
        return key

    def focus_passphrase(self) -> None:
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)


# -- the start-up dialog ---------------------------------------------------------------------


class UnlockDialog(QDialog):
    """Asks for the passphrase of an encrypted database, or its recovery key and a new passphrase."""

    PASSPHRASE_PAGE, RECOVERY_PAGE = 0, 1

    def __init__(self, db_path: str | Path, *, clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockDialog")
        self.setWindowTitle(self.tr("Unlock ReviewDay"))
        self.setModal(True)
        self.setMinimumWidth(520)
        self.db_path = Path(db_path)
        self.clock = clock or utc_now
        self.data_key: bytes | None = None
        self.recovered = False

        heading = QLabel(self.tr("Unlock ReviewDay"), self)
        heading.setObjectName("unlockHeading")
        heading.setStyleSheet(f"#unlockHeading {{ font-size: 15pt; font-weight: 600; color: {NHS_BLUE}; }}")
        where = QLabel(self.tr("Database: {name}").format(name=self.db_path.name), self)
        where.setObjectName("unlockDatabase")
        where.setStyleSheet(f"#unlockDatabase {{ color: {SECONDARY_TEXT}; }}")

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_passphrase_page())
        self.pages.addWidget(self._build_recovery_page())

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Quit"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(self.tr("Quit ReviewDay"))
        # Enter belongs to the passphrase field (one try), never to Quit.
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(False)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(where)
        layout.addWidget(self.pages)
        layout.addStretch()
        layout.addWidget(self.buttons)
        self.panel.focus_passphrase()

    @classmethod
    def ask(cls, parent: QWidget | None, db_path: str | Path, *, clock: Clock | None = None) -> bytes | None:
        """The database's data key, or None if the user quit."""
        dialog = cls(db_path, clock=clock, parent=parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.data_key
        finally:
            dialog.deleteLater()

    def _build_passphrase_page(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(
            self.tr("The reviews on this computer are encrypted. Type your passphrase to open them."), page
        )
        intro.setWordWrap(True)
        self.panel = PassphrasePanel(self.db_path, clock=self.clock, parent=page)
        self.panel.unlocked.connect(self._unlocked)
        self.recovery_link = QPushButton(self.tr("Use the &recovery key instead…"), page)
        self.recovery_link.setObjectName("useRecoveryKey")
        self.recovery_link.setAccessibleName(self.tr("Use the recovery key instead"))
        self.recovery_link.setToolTip(self.tr("If the passphrase is forgotten: the recovery key you wrote down or printed"))
        self.recovery_link.setFlat(True)
        self.recovery_link.setAutoDefault(False)
        self.recovery_link.setStyleSheet(f"#useRecoveryKey {{ color: {NHS_BLUE}; text-decoration: underline; }}")
        self.recovery_link.clicked.connect(self.show_recovery)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(self.panel)
        layout.addWidget(self.recovery_link, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch()
        return page

    def _build_recovery_page(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(
            self.tr("Type the recovery key you wrote down or printed when ReviewDay was set up, "
                    "then choose a new passphrase. Dashes and spaces do not matter."),
            page,
        )
        intro.setWordWrap(True)
        self.recovery_key = QLineEdit(page)
        self.recovery_key.setObjectName("recoveryKey")
        self.recovery_key.setAccessibleName(self.tr("Recovery key"))
        self.recovery_key.setFont(monospace_font(12))
        self.recovery_key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.new_passphrase = NewPassphraseFields(page)
        self.recovery_message = QLabel(page)
        self.recovery_message.setObjectName("recoveryMessage")
        self.recovery_message.setWordWrap(True)
        self.recovery_message.setStyleSheet(f"#recoveryMessage {{ color: {PROBLEM_COLOUR}; }}")
        self.recovery_message.hide()
        self.recover_button = QPushButton(self.tr("Unlock and set the new passphrase"), page)
        self.recover_button.setObjectName("recoverButton")
        self.recover_button.setAccessibleName(self.tr("Unlock with the recovery key and set the new passphrase"))
        self.recover_button.setAutoDefault(False)
        self.recover_button.clicked.connect(self.recover)
        back = QPushButton(self.tr("&Back to the passphrase"), page)
        back.setObjectName("backToPassphrase")
        back.setAccessibleName(self.tr("Back to the passphrase"))
        back.setAutoDefault(False)
        back.clicked.connect(self.show_passphrase)
        form = QFormLayout()
        form.addRow(self.tr("Recovery &key"), self.recovery_key)
        row = QHBoxLayout()
        row.addWidget(back)
        row.addStretch()
        row.addWidget(self.recover_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.new_passphrase)
        layout.addWidget(self.recovery_message)
        layout.addLayout(row)
        layout.addStretch()
        return page

    def show_recovery(self) -> None:
        self.pages.setCurrentIndex(self.RECOVERY_PAGE)
        self.recovery_key.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_passphrase(self) -> None:
        self.pages.setCurrentIndex(self.PASSPHRASE_PAGE)
        self.panel.focus_passphrase()

    def _show_recovery_problem(self, text: str) -> None:
        self.recovery_message.setText(text)
        self.recovery_message.setVisible(bool(text))

    def recover(self) -> bytes | None:
        """Recovery key + new passphrase: unlock, re-protect the key with the new passphrase."""
        problem = self.new_passphrase.problem()
        if problem:
            self._show_recovery_problem(problem)
            return None
        recovery, passphrase = self.recovery_key.text(), self.new_passphrase.text()

        def run() -> bytes:
            key = dk.unlock_with_recovery_key(self.db_path, recovery)
            dk.rewrap(self.db_path, key, passphrase)
            return key

        try:
            key = _busy(run)
        except dk.DataKeyError as exc:
            self._show_recovery_problem(str(exc))
            return None
        self.recovered = True
        self._unlocked(key)
        return key

    def _unlocked(self, key: bytes) -> None:
        self.data_key = key
        self.recovery_key.clear()
        self.new_passphrase.clear()
        self.accept()
