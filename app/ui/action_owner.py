"""The action editor's owner field: type to choose someone from the attendance register, or a new name."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.kloe.roles import role_label
from app.services.dto import AttendeeData

# The attendee's name: what the owner type-ahead matches and inserts (the list shows role and organisation too).
NameRole = Qt.ItemDataRole.UserRole + 1
OrganisationRole = Qt.ItemDataRole.UserRole + 2


class OwnerCombo(QComboBox):
    """An editable combo over the attendance register, matching any part of a name as you type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionOwner")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName(self.tr("Owner"))
        self.setToolTip(self.tr("Type to choose someone from the attendance register, or type a new name"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.attendees_model = QStandardItemModel(self)
        self.setModel(self.attendees_model)
        completer = QCompleter(self.attendees_model, self)
        completer.setCompletionRole(NameRole)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText(self.tr("Name"))
        self.setCurrentIndex(-1)

    def set_owner_text(self, text: str) -> None:
        """Show `text` as typed, with no register entry chosen."""
        self.setCurrentIndex(-1)
        self.setEditText(text)

    def set_attendees(self, attendees: Sequence[AttendeeData]) -> None:
        """Offer these people; what is typed stays as it was."""
        text = self.currentText()
        self.attendees_model.clear()
        for attendee in attendees:
            details = ", ".join(p for p in (role_label(attendee.role), attendee.organisation) if p)
            item = QStandardItem(f"{attendee.name} — {details}")
            item.setData(attendee.name, NameRole)
            item.setData(attendee.organisation, OrganisationRole)
            item.setEditable(False)
            self.attendees_model.appendRow(item)
        self.set_owner_text(text)

    def attendee_at(self, row: int) -> tuple[str, str] | None:
        """The name and organisation of the register entry in `row`, or None."""
        index = self.attendees_model.index(row, 0)
        if not index.isValid():
            return None
        return index.data(NameRole), index.data(OrganisationRole) or ""
