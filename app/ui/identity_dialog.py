"""Choosing the signing identity (certificate and key) to sign with, or creating one on the spot."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.kloe.roles import role_label
from app.security.identities import IdentityInfo, IdentityStore
from app.security.passphrase_rule import MIN_PASSPHRASE_LENGTH, passphrase_problem
from app.services.dto import Actor
from app.services.errors import ReviewDayError
from app.ui.worker import run_in_background
from app.ui.theme import SECONDARY_TEXT
from app.ui.layout_fit import GrowToFit

NHS_BLUE = "#005EB8"
PROBLEM_COLOUR = "#b3261e"


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


class IdentityDialog(QDialog):
    """Lists the signing identities on this computer; returns the chosen one and its passphrase."""

    def __init__(self, identities: IdentityStore, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identityDialog")
        self.setWindowTitle(self.tr("Choose a signing identity"))
        self.setModal(True)
        self.setMinimumWidth(520)
        self.grow_to_fit = GrowToFit(self)  # wrapped text whole at any text size
        self.identities = identities
        self.actor = actor
        self._infos: list[IdentityInfo] = []
        self._task = None
        self._busy = False
        self._remembered_cache: dict[str, bool] = {}

        intro = QLabel(
            self.tr("Signing as {name} ({role}). Choose your signing identity and type its passphrase.").format(
                name=actor.name, role=role_label(actor.role)
            ),
            self,
        )
        intro.setObjectName("identityIntro")
        intro.setWordWrap(True)

        self.list = QListWidget(self)
        self.list.setObjectName("identityList")
        self.list.setAccessibleName(self.tr("Signing identities on this computer"))
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(3)
        self.list.setMinimumHeight(110)
        self.list.currentRowChanged.connect(self._selection_changed)
        self.empty = QLabel(
            self.tr("There is no signing identity on this computer yet. Create one below: "
                    "it takes a few seconds and needs only your name, your role and a passphrase."),
            self,
        )
        self.empty.setObjectName("identityEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"#identityEmpty {{ color: {SECONDARY_TEXT}; padding: 8px; }}")

        self.mismatch = QLabel(self)
        self.mismatch.setObjectName("identityMismatch")
        self.mismatch.setWordWrap(True)
        self.mismatch.setStyleSheet(f"#identityMismatch {{ color: {PROBLEM_COLOUR}; }}")
        self.mismatch.hide()

        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("identityPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase of the signing key"))
        self.passphrase.textChanged.connect(self._update_ok)
        self.passphrase_row = QWidget(self)
        passphrase_form = QFormLayout(self.passphrase_row)
        passphrase_form.setContentsMargins(0, 0, 0, 0)
        passphrase_form.addRow(self.tr("&Passphrase"), self.passphrase)

        self.create_toggle = QPushButton(self.tr("Create a signing identity…"), self)
        self.create_toggle.setObjectName("identityCreateToggle")
        self.create_toggle.setAccessibleName(self.tr("Create a signing identity"))
        self.create_toggle.setToolTip(self.tr("A new key and a self-signed certificate, kept on this computer"))
        self.create_toggle.setAutoDefault(False)
        self.create_toggle.clicked.connect(self.show_create)

        self.create_box = self._build_create_box(actor)
        self.create_box.hide()

        self.problem = QLabel(self)
        self.problem.setObjectName("identityProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"#identityProblem {{ color: {PROBLEM_COLOUR}; }}")
        self.problem.setAccessibleName(self.tr("Problem"))
        self.problem.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.addButton(self.tr("Sign"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("identitySignButton")
        self.ok_button.setAccessibleName(self.tr("Sign with this identity"))
        self.buttons.accepted.connect(self._accept_if_ready)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.mismatch)
        layout.addWidget(self.passphrase_row)
        layout.addWidget(self.create_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.create_box)
        layout.addWidget(self.problem)
        layout.addStretch()  # takes the room only while the list is hidden
        layout.addWidget(self.buttons)

        self.refresh()
        # Enter presses Sign, or Create while typing in the new identity's form.
        QApplication.instance().focusChanged.connect(self._focus_moved)
        self._watching_focus = True
        self.ok_button.setDefault(True)
        self._update_create()
        if not self._infos:
            self.show_create()
        else:
            self.passphrase.setFocus()  # the writer's own identity is already chosen

    @classmethod
    def ask(cls, parent: QWidget | None, identities: IdentityStore, actor: Actor) -> tuple[IdentityInfo, str | None] | None:
        """The chosen identity and its passphrase (None: use the one remembered in the keyring)."""
        dialog = cls(identities, actor, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.result_value()
        finally:
            dialog.deleteLater()

    # The "create" part ------------------------------------------------------------------------

    def _build_create_box(self, actor: Actor) -> QFrame:
        box = QFrame(self)
        box.setObjectName("identityCreateBox")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        heading = QLabel(self.tr("New signing identity"), box)
        heading.setObjectName("identityCreateHeading")
        heading.setStyleSheet(f"#identityCreateHeading {{ font-weight: 600; color: {NHS_BLUE}; }}")
        self.new_name = QLineEdit(actor.name, box)
        self.new_name.setObjectName("identityNewName")
        self.new_name.setAccessibleName(self.tr("Name on the certificate"))
        self.new_role = QLineEdit(role_label(actor.role), box)
        self.new_role.setObjectName("identityNewRole")
        self.new_role.setAccessibleName(self.tr("Role on the certificate"))
        self.new_passphrase = QLineEdit(box)
        self.new_passphrase.setObjectName("identityNewPassphrase")
        self.new_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_passphrase.setAccessibleName(self.tr("New passphrase"))
        self.new_passphrase.setPlaceholderText(self.tr("At least {n} characters").format(n=MIN_PASSPHRASE_LENGTH))
        self.new_repeat = QLineEdit(box)
        self.new_repeat.setObjectName("identityNewRepeat")
        self.new_repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_repeat.setAccessibleName(self.tr("Repeat the new passphrase"))
        self.new_remember = QCheckBox(self.tr("Remember the passphrase in this computer's keyring"), box)
        self.new_remember.setObjectName("identityNewRemember")
        self.new_remember.setAccessibleName(self.tr("Remember the passphrase in the keyring"))
        if not self.identities.keyring.available():
            self.new_remember.setEnabled(False)
            self.new_remember.setToolTip(self.tr("This computer has no system keyring; type the passphrase when you sign"))
        else:
            self.new_remember.setToolTip(self.tr("Then you can sign without typing it; anyone using your login could too"))
        self.create_button = QPushButton(self.tr("Create"), box)
        self.create_button.setObjectName("identityCreateButton")
        self.create_button.setAccessibleName(self.tr("Create the signing identity"))
        self.create_button.setAutoDefault(False)
        self.create_button.clicked.connect(self.create_identity)
        self.create_hint = QLabel(box)  # why Create cannot act yet
        self.create_hint.setObjectName("identityCreateHint")
        self.create_hint.setWordWrap(True)
        self.create_hint.setStyleSheet(f"#identityCreateHint {{ color: {SECONDARY_TEXT}; }}")
        for field in (self.new_name, self.new_role, self.new_passphrase, self.new_repeat):
            field.textChanged.connect(self._update_create)
        note = QLabel(
            self.tr("The key is kept encrypted on this computer. Nobody can reset a forgotten passphrase; "
                    "you would create a new identity instead."),
            box,
        )
        note.setObjectName("identityCreateNote")
        note.setWordWrap(True)
        note.setStyleSheet(f"#identityCreateNote {{ color: {SECONDARY_TEXT}; }}")

        form = QFormLayout()
        form.addRow(self.tr("&Name"), self.new_name)
        form.addRow(self.tr("&Role"), self.new_role)
        form.addRow(self.tr("Ne&w passphrase"), self.new_passphrase)
        form.addRow(self.tr("Repea&t it"), self.new_repeat)
        form.addRow("", self.new_remember)
        layout = QVBoxLayout(box)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_hint, 1)
        buttons.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        layout.addLayout(buttons)
        return box

    def show_create(self) -> None:
        self.create_box.show()
        self.create_toggle.hide()
        self.create_button.setDefault(True)
        self.new_passphrase.setFocus()

    def create_problem(self) -> str:
        """What stops the new identity being created ("" when nothing does)."""
        first, second = self.new_passphrase.text(), self.new_repeat.text()
        if not self.new_name.text().strip():
            return self.tr("Type the name to put on the certificate.")
        if not self.new_role.text().strip():
            return self.tr("Type the role to put on the certificate.")
        if passphrase_problem(first):
            return self.tr("Choose a passphrase of at least {n} characters.").format(n=MIN_PASSPHRASE_LENGTH)
        if first != second:
            return self.tr("The two passphrases are not the same.")
        return ""

    def _update_create(self, *_args) -> None:
        problem = self.create_problem()
        self.create_hint.setText(problem)
        self.create_button.setEnabled(not problem and not self._busy)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        try:
            if new is None or new.window() is not self:
                return
            in_form = self.create_box.isVisible() and self.create_box.isAncestorOf(new)
            (self.create_button if in_form else self.ok_button).setDefault(True)
        except RuntimeError:  # the dialog is being deleted
            return

    def done(self, result: int) -> None:
        if self._watching_focus:
            self._watching_focus = False
            QApplication.instance().focusChanged.disconnect(self._focus_moved)
        super().done(result)

    def create_identity(self) -> None:
        """Check the form, then make the key off the UI thread (the key derivation takes a moment)."""
        problem = self.create_problem()
        if problem or self._busy:
            self._show_problem(problem)
            return
        first = self.new_passphrase.text()
        self._show_problem("")
        self._set_busy(True)
        self._task = run_in_background(
            self,
            self.identities.create,
            self.new_name.text(),
            self.new_role.text(),
            first,
            remember=self.new_remember.isChecked(),
            on_done=self._created,
            on_error=self._create_failed,
        )

    def is_busy(self) -> bool:
        return self._busy

    def _created(self, info: IdentityInfo) -> None:
        self._set_busy(False)
        passphrase = self.new_passphrase.text()
        self.new_passphrase.clear()
        self.new_repeat.clear()
        self.create_box.hide()
        self.create_toggle.show()
        self.refresh(select=info.name)
        self.passphrase.setText(passphrase)
        self.problem.setStyleSheet(f"#identityProblem {{ color: {SECONDARY_TEXT}; }}")
        self.problem.setText(
            self.tr("Created. Its fingerprint is {fp}. Anyone checking your signature can compare it with this.").format(
                fp=info.fingerprint_display
            )
        )
        self.problem.show()
        self.ok_button.setDefault(True)
        self.ok_button.setFocus()

    def _create_failed(self, message: str) -> None:
        self._set_busy(False)
        self._show_problem(message)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.new_name, self.new_role, self.new_passphrase, self.new_repeat):
            widget.setEnabled(not busy)
        self.create_button.setText(self.tr("Creating…") if busy else self.tr("Create"))
        self._update_create()
        self._update_ok()

    # Choosing -----------------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        self._infos = self.identities.list()
        self.list.blockSignals(True)
        self.list.clear()
        for info in self._infos:
            created = info.created_at.astimezone().strftime("%d %b %Y")
            text = self.tr("{name} — {role}\nCreated {created} · fingerprint {fp}…").format(
                name=info.name, role=info.role, created=created, fp=info.fingerprint_display[:23]
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{info.name}, {info.role}")
            item.setToolTip(info.fingerprint_display)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list.setVisible(bool(self._infos))
        self.passphrase_row.setVisible(bool(self._infos))
        self.empty.setVisible(not self._infos)
        wanted = select or self.actor.name
        row = next((i for i, info in enumerate(self._infos) if _same_name(info.name, wanted)), 0 if self._infos else -1)
        self.list.setCurrentRow(row)
        self._selection_changed(row)

    def selected(self) -> IdentityInfo | None:
        row = self.list.currentRow()
        return self._infos[row] if 0 <= row < len(self._infos) else None

    def _remembered(self, info: IdentityInfo | None) -> bool:
        if info is None:
            return False
        # Asking the keyring can take a moment (D-Bus); once per identity is enough.
        if info.fingerprint not in self._remembered_cache:
            try:
                self._remembered_cache[info.fingerprint] = self.identities.has_remembered_passphrase(info.name)
            except ReviewDayError:
                self._remembered_cache[info.fingerprint] = False
        return self._remembered_cache[info.fingerprint]

    def _selection_changed(self, _row: int) -> None:
        info = self.selected()
        if info is not None and not _same_name(info.name, self.actor.name):
            self.mismatch.setText(
                self.tr("This identity is {name}'s, but {actor} is writing. "
                        "Each person confirms and signs only with their own identity.").format(
                    name=info.name, actor=self.actor.name)
            )
            self.mismatch.show()
        else:
            self.mismatch.hide()
        remembered = self._remembered(info)
        self.passphrase.setPlaceholderText(
            self.tr("Remembered in the keyring: leave empty, or type it") if remembered else ""
        )
        self._update_ok()

    def _update_ok(self, *_args) -> None:
        info = self.selected()
        ready = info is not None and (bool(self.passphrase.text()) or self._remembered(info)) and not self.is_busy()
        self.ok_button.setEnabled(ready)

    def _accept_if_ready(self) -> None:
        if self.ok_button.isEnabled():
            self.accept()

    def result_value(self) -> tuple[IdentityInfo, str | None] | None:
        info = self.selected()
        if info is None:
            return None
        return info, (self.passphrase.text() or None)

    def _show_problem(self, text: str) -> None:
        self.problem.setStyleSheet(f"#identityProblem {{ color: {PROBLEM_COLOUR}; }}")
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
