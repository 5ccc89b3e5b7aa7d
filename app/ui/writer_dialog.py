"""Who is writing: asked when a review opens with nobody chosen, and when "Writing as" is pressed.

Choosing is always a deliberate act (a list and OK, or Enter): nothing changes the writer on
focus, arrow keys or the scroll wheel alone. Someone not yet in the register types their name
and panel role.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.kloe.roles import PANEL_ROLE_IDS, ROLES, role_label
from app.services.dto import Actor


class WriterDialog(QDialog):
    """Choose a panel member from the register, or type someone new (name and panel role)."""

    def __init__(self, choices: list[Actor], current: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("writerDialog")
        self.setWindowTitle(self.tr("Who is writing?"))
        self.setModal(True)
        self.setMinimumWidth(420)
        intro = QLabel(
            self.tr("Notes and changes are recorded in the name of the person writing. Choose who is at the keyboard."),
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("writerList")
        self.list.setAccessibleName(self.tr("Panel members in the register"))
        for actor in choices:
            item = QListWidgetItem(f"{actor.name} — {role_label(actor.role)}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, actor)
            if actor == current:
                self.list.setCurrentItem(item)
        self.list.setVisible(bool(choices))
        self.list.itemActivated.connect(lambda _item: self.accept())

        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("writerName")
        self.new_name.setAccessibleName(self.tr("Name of someone not in the register yet"))
        self.new_name.setPlaceholderText(self.tr("Name"))
        self.new_role = QComboBox(self)
        self.new_role.setObjectName("writerRole")
        self.new_role.setAccessibleName(self.tr("Their panel role"))
        for role in ROLES:
            if role.id in PANEL_ROLE_IDS:
                self.new_role.addItem(role.label, role.id)
        self.new_name.textChanged.connect(self._typed)
        form = QFormLayout()
        form.addRow(self.tr("Someone &else:") if choices else self.tr("&Name:"), self.new_name)
        form.addRow(self.tr("&Role:"), self.new_role)

        self.message = QLabel(self)
        self.message.setObjectName("writerMessage")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept_if_chosen)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.list if choices else self.new_name).setFocus()

    def _typed(self, text: str) -> None:
        if text.strip():
            self.list.clearSelection()
            self.list.setCurrentItem(None)

    def value(self) -> Actor | None:
        name = " ".join(self.new_name.text().split())
        if name:
            return Actor(name, self.new_role.currentData())
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _accept_if_chosen(self) -> None:
        if self.value() is None:
            self.message.setText(self.tr("Choose who is writing, or type their name."))
            self.message.show()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, choices: list[Actor], current: Actor | None) -> Actor | None:
        """The person chosen; None when the dialog is cancelled."""
        dialog = cls(choices, current, parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
