"""First run: choose a passphrase, create the encrypted database, and keep the recovery key safe.

Two steps in one dialog. First, plain words about what the passphrase protects and a new
passphrase typed twice. Then the recovery key, shown once in large letters, with Print… and a
tick the user must give ("I have written down or printed the recovery key") before going on.
The key is never written to a file by ReviewDay: a key file beside the data would defeat it.

The database and its key file are made aside first (``data_key.prepare_new_database``) and put in
place only when the user goes on past the recovery key: a start killed before that leaves nothing
at the database's path (the next start clears the half-made pair and asks again), so there is never
a database whose recovery key was not shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.security import data_key as dk
from app.services.errors import ReviewDayError
from app.ui.layout_fit import GrowToFit
from app.ui.unlock_dialog import (
    GOOD_COLOUR,
    NHS_BLUE,
    PROBLEM_COLOUR,
    SECONDARY_TEXT,
    NewPassphraseFields,
    _busy,
    monospace_font,
)


class _RememberingKeyring:
    """Wraps KeyringDataKeys to learn whether the keyring really took the key."""

    def __init__(self, inner: dk.KeyringDataKeys) -> None:
        self.inner = inner
        self.remembered: bool | None = None

    def get(self, db_path):
        return self.inner.get(db_path)

    def remember(self, db_path, data_key: bytes) -> bool:
        try:
            self.remembered = bool(self.inner.remember(db_path, data_key))
        except ReviewDayError:
            self.remembered = False
        return self.remembered


class FirstRunDialog(QDialog):
    """Creates the encrypted database at `db_path`; `store` holds it once created."""

    PASSPHRASE_PAGE, RECOVERY_PAGE = 0, 1

    def __init__(
        self,
        db_path: str | Path,
        *,
        keyring: dk.KeyringDataKeys | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("Welcome to ReviewDay"))
        self.setModal(True)
        self.setMinimumWidth(600)
        self.grow_to_fit = GrowToFit(self)  # wrapped text whole at any text size
        self.db_path = Path(db_path)
        self._keyring = keyring
        self.store = None
        self.pending: dk.NewDatabase | None = None  # made aside, put in place by finish()
        self._lock = None
        self.recovery_text = ""
        self.remembered = False

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_passphrase_page())
        self.pages.addWidget(self._build_recovery_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addWidget(self.pages)
        # Enter presses the page's own button (only one button in a dialog can be the default).
        self.pages.currentChanged.connect(self._default_for_page)
        self._default_for_page(self.pages.currentIndex())
        self.passphrase.first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _default_for_page(self, index: int) -> None:
        button = self.create_button if index == self.PASSPHRASE_PAGE else self.continue_button
        button.setDefault(True)

    @classmethod
    def ask(cls, parent: QWidget | None, db_path: str | Path, *, keyring: dk.KeyringDataKeys | None = None):
        """The new, open Store, or None if the user quit before it was created."""
        dialog = cls(db_path, keyring=keyring, parent=parent)
        try:
            dialog.exec()
            return dialog.store
        finally:
            if dialog.pending is not None:  # closed some other way before going on: nothing is kept
                dialog.pending.discard()
                dialog.pending = None
            dialog._release_lock()
            dialog.deleteLater()

    # Step 1: the passphrase ---------------------------------------------------------------

    def _build_passphrase_page(self) -> QWidget:
        page = QWidget(self)
        heading = QLabel(self.tr("Welcome to ReviewDay"), page)
        heading.setObjectName("firstRunHeading")
        heading.setStyleSheet(f"#firstRunHeading {{ font-size: 16pt; font-weight: 600; color: {NHS_BLUE}; }}")
        explain = QLabel(
            self.tr(
                "The notes you take here are about people's health and care, so ReviewDay keeps them "
                "encrypted on this computer. Choose a passphrase to protect them: you will type it when "
                "ReviewDay starts and when you come back to a locked screen.\n\n"
                "A passphrase of four or five unrelated words is strong and easy to remember. "
                "Nobody can reset it for you, so next you will get a recovery key to print or write down."
            ),
            page,
        )
        explain.setObjectName("firstRunExplain")
        explain.setWordWrap(True)
        self.passphrase = NewPassphraseFields(page)
        self.passphrase.changed.connect(self._update_create)
        self.create_problem = QLabel(page)
        self.create_problem.setObjectName("firstRunProblem")
        self.create_problem.setWordWrap(True)
        self.create_problem.setStyleSheet(f"#firstRunProblem {{ color: {PROBLEM_COLOUR}; }}")
        self.create_problem.hide()
        # A long path may break after any "/" (a zero-width space there) instead of being cut off.
        breakable = str(self.db_path).replace("/", "/\u200b").replace("\\", "\\\u200b")
        where = QLabel(self.tr("The database will be created at {path}").format(path=breakable), page)
        where.setObjectName("firstRunWhere")
        where.setWordWrap(True)
        where.setStyleSheet(f"#firstRunWhere {{ color: {SECONDARY_TEXT}; }}")

        self.quit_button = QPushButton(self.tr("&Quit"), page)
        self.quit_button.setObjectName("firstRunQuit")
        self.quit_button.setAccessibleName(self.tr("Quit without creating a database"))
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        self.create_button = QPushButton(self.tr("&Create the encrypted database"), page)
        self.create_button.setObjectName("firstRunCreate")
        self.create_button.setAccessibleName(self.tr("Create the encrypted database"))
        self.create_button.clicked.connect(self.create)
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch()
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.create_problem)
        layout.addWidget(where)
        layout.addStretch()
        layout.addLayout(buttons)
        self._update_create()
        return page

    def _update_create(self) -> None:
        self.create_button.setEnabled(self.passphrase.problem() is None)

    def _show_problem(self, text: str) -> None:
        self.create_problem.setText(text)
        self.create_problem.setVisible(bool(text))

    def create(self) -> bool:
        """Make the keys and the encrypted database aside; then show the recovery key."""
        from app.services.db_lock import DatabaseLock

        problem = self.passphrase.problem()
        if problem:
            self._show_problem(problem)
            return False
        secret = self.passphrase.text()
        keyring = _RememberingKeyring(self._keyring if self._keyring is not None else dk.KeyringDataKeys())
        lock = DatabaseLock(self.db_path)
        try:
            lock.acquire()
            pending = _busy(lambda: dk.prepare_new_database(self.db_path, secret))
        except ReviewDayError as exc:
            lock.release()
            self._show_problem(str(exc))
            return False
        self.pending, self._lock = pending, lock
        # The keyring keys the data key by the key file's id, which the pair keeps when put in place.
        keyring.remember(pending.temp, pending.data_key)
        self.recovery_text = pending.recovery
        self.remembered = bool(keyring.remembered)
        self.passphrase.clear()
        self._show_problem("")
        self._fill_recovery_page()
        self.pages.setCurrentIndex(self.RECOVERY_PAGE)
        self.written_down.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # Step 2: the recovery key ----------------------------------------------------------------

    def _build_recovery_page(self) -> QWidget:
        page = QWidget(self)
        heading = QLabel(self.tr("Your recovery key"), page)
        heading.setObjectName("recoveryHeading")
        heading.setStyleSheet(f"#recoveryHeading {{ font-size: 16pt; font-weight: 600; color: {NHS_BLUE}; }}")
        explain = QLabel(
            self.tr(
                "If the passphrase is ever forgotten, this key is the only way back into the notes. "
                "Print it or write it down now, and keep it somewhere safe away from this computer "
                "(not in a file on it). It is shown only this once."
            ),
            page,
        )
        explain.setWordWrap(True)
        self.recovery_label = QLabel(page)
        self.recovery_label.setObjectName("recoveryKeyText")
        self.recovery_label.setFont(monospace_font(18))
        self.recovery_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recovery_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery_label.setAccessibleName(self.tr("Recovery key"))
        self.recovery_label.setStyleSheet(
            "#recoveryKeyText { border: 2px solid #005EB8; border-radius: 6px; padding: 14px; "
            "background: #f0f4f5; }"
        )
        self.print_button = QPushButton(self.tr("&Print…"), page)
        self.print_button.setObjectName("printRecoveryKey")
        self.print_button.setAccessibleName(self.tr("Print the recovery key"))
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_recovery_key)
        self.keyring_note = QLabel(page)
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        self.written_down = QCheckBox(self.tr("I have &written down or printed the recovery key"), page)
        self.written_down.setObjectName("recoveryWrittenDown")
        self.written_down.setAccessibleName(self.tr("I have written down or printed the recovery key"))
        self.written_down.toggled.connect(self._update_continue)
        self.reminder = QLabel(self.tr("Tick the box once the key is written down or printed."), page)
        self.reminder.setObjectName("recoveryReminder")
        self.reminder.setStyleSheet(f"#recoveryReminder {{ color: {PROBLEM_COLOUR}; }}")
        self.reminder.hide()
        self.continue_button = QPushButton(self.tr("&Continue"), page)
        self.continue_button.setObjectName("firstRunContinue")
        self.continue_button.setAccessibleName(self.tr("Continue to ReviewDay"))
        self.continue_button.setEnabled(False)
        self.continue_button.clicked.connect(self.finish)
        print_row = QHBoxLayout()
        print_row.addStretch()
        print_row.addWidget(self.print_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.written_down)
        buttons.addStretch()
        buttons.addWidget(self.continue_button)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(self.recovery_label)
        layout.addLayout(print_row)
        layout.addWidget(self.keyring_note)
        layout.addStretch()
        layout.addWidget(self.reminder)
        layout.addLayout(buttons)
        return page

    def _fill_recovery_page(self) -> None:
        self.recovery_label.setText(self.recovery_text)
        # All of it on one line, never clipped: the width of the text plus the frame's padding.
        width = self.recovery_label.fontMetrics().horizontalAdvance(self.recovery_text)
        self.recovery_label.setMinimumWidth(width + 2 * 14 + 2 * 2 + 16)
        if self.remembered:
            self.keyring_note.setText(self.tr(
                "This computer's keyring now remembers the key, so ReviewDay opens without asking when you "
                "are logged in. It still asks for the passphrase after the screen locks."))
            self.keyring_note.setStyleSheet(f"#keyringNote {{ color: {GOOD_COLOUR}; }}")
        else:
            self.keyring_note.setText(self.tr(
                "This computer has no keyring ReviewDay can use, so it will ask for the passphrase each "
                "time it starts."))
            self.keyring_note.setStyleSheet(f"#keyringNote {{ color: {SECONDARY_TEXT}; }}")

    def _update_continue(self) -> None:
        self.continue_button.setEnabled(self.written_down.isChecked())
        if self.written_down.isChecked():
            self.reminder.hide()

    def finish(self) -> None:
        """Past the recovery key: put the database and its key file in place, and open it."""
        from app.services.store import Store

        if self.pending is None:
            return
        if not self.written_down.isChecked():
            self.reminder.show()
            return
        pending = self.pending
        try:
            pending.commit()
            self.store = Store.open(pending.path, key=pending.data_key, create=False)
        except (ReviewDayError, OSError) as exc:
            pending.discard()
            self.pending = None
            self._release_lock()
            self.pages.setCurrentIndex(self.PASSPHRASE_PAGE)
            self._show_problem(str(exc) if isinstance(exc, ReviewDayError) else self.tr(
                "The database could not be put in place ({reason}); nothing was kept.").format(
                    reason=exc.strerror or type(exc).__name__))
            return
        self.pending = None
        self._release_lock()
        self.recovery_label.clear()
        self.recovery_text = ""
        self.accept()

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def reject(self) -> None:
        # Once the recovery key is on screen, the only way on is past it: it is shown once.
        if self.pending is not None:
            self.reminder.show()
            return
        super().reject()

    # Printing --------------------------------------------------------------------------------

    def recovery_document_html(self) -> str:
        from html import escape

        return (
            "<h2 style='color:#005EB8'>ReviewDay recovery key</h2>"
            f"<p style='font-family:monospace; font-size:22pt'>{escape(self.recovery_text)}</p>"
            "<p>This key opens the ReviewDay notes on the computer it was made for if the passphrase "
            "is forgotten. Keep it somewhere safe, away from that computer. Anyone with this key and "
            "the computer can read the notes.</p>"
        )

    def print_to(self, printer) -> None:
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.setHtml(self.recovery_document_html())
        document.print_(printer)

    def print_recovery_key(self) -> bool:
        """Print… : the system print dialog, then the key on one page."""
        try:
            from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        except ImportError:  # a Qt build without printing: writing it down is the way
            self.keyring_note.setText(self.tr("Printing is not available here: please write the key down."))
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the recovery key"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.print_to(printer)
        return True
