"""Who spoke: the chooser used to correct the speaker of a saved note."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

Speaker = tuple[str, str]  # (name, role id); ("", "") is the panel in general


class SpeakerDialog(QDialog):
    """Lists the speakers; arrow keys move, Enter or double-click chooses, Esc keeps the note as it was."""

    def __init__(self, choices: list[tuple[Speaker, str]], current: Speaker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("speakerDialog")
        self.setWindowTitle(self.tr("Change the speaker"))
        self.setModal(True)
        self.setMinimumWidth(380)
        label = QLabel(self.tr("Who &said this?"), self)
        self.list = QListWidget(self)
        self.list.setObjectName("speakerList")
        self.list.setAccessibleName(self.tr("Speaker of the note"))
        label.setBuddy(self.list)
        for speaker, text in choices:
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, speaker)
            if speaker == current:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def value(self) -> Speaker | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @classmethod
    def ask(cls, parent: QWidget | None, choices: list[tuple[Speaker, str]], current: Speaker) -> Speaker | None:
        dialog = cls(choices, current, parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
