"""The attendance register's table: one row per attendee, with in-place editing delegates."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.kloe.roles import PANEL_ROLE_IDS, ROLES, ROLES_BY_ID, role_label
from app.models.enums import Attendance
from app.services.dto import AttendeeData
from app.ui.row_table_model import RowTableModel, bold_font

_CONTEXT = "PeoplePage"

AttendeeIdRole = Qt.ItemDataRole.UserRole + 1

ATTENDANCE_ORDER: tuple[Attendance, ...] = (
    Attendance.IN_PERSON,
    Attendance.REMOTE,
    Attendance.SENT_VIEWS,
    Attendance.APOLOGIES,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def attendance_label(attendance: Attendance) -> str:
    return {
        Attendance.IN_PERSON: _tr("In person"),
        Attendance.REMOTE: _tr("Remote"),
        Attendance.SENT_VIEWS: _tr("Sent views beforehand"),
        Attendance.APOLOGIES: _tr("Apologies"),
    }[Attendance(attendance)]


def ordered_roles(panel_first: Sequence[str] = ()) -> list[str]:
    """Every role id: the template's panel roles, then other panel roles, then everyone else."""
    chosen = [role for role in panel_first if role in ROLES_BY_ID]
    chosen += [role.id for role in ROLES if role.panel and role.id not in chosen]
    chosen += [role.id for role in ROLES if not role.panel and role.id not in chosen]
    return chosen


class Column(IntEnum):
    NAME = 0
    ROLE = 1
    ORGANISATION = 2
    ATTENDANCE = 3


_FIELD_OF = {
    Column.NAME: "name",
    Column.ROLE: "role",
    Column.ORGANISATION: "organisation",
    Column.ATTENDANCE: "attendance",
}


def _headers() -> dict[Column, str]:
    return {
        Column.NAME: _tr("Name"),
        Column.ROLE: _tr("Role"),
        Column.ORGANISATION: _tr("Organisation"),
        Column.ATTENDANCE: _tr("Attendance"),
    }


class AttendeeTableModel(RowTableModel[AttendeeData]):
    """One row per attendee, in register order. Edits are passed on as requests, never applied here.

    ``edit_requested(attendee_id, field, value)`` asks the page to change one field (through an
    undoable command); the page then hands the model the fresh rows.
    """

    edit_requested = Signal(int, str, object)

    # Data in --------------------------------------------------------------------------

    def set_attendees(self, attendees: Sequence[AttendeeData]) -> None:
        new = list(attendees)
        if [a.id for a in new] == [a.id for a in self._rows]:
            # Same people in the same order: update in place, keeping selection and editors calm.
            old, self._rows = self._rows, new
            for row, (before, after) in enumerate(zip(old, new, strict=True)):
                if before != after:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
            return
        self.beginResetModel()
        self._rows = new
        self.endResetModel()

    def attendees(self) -> list[AttendeeData]:
        return self.rows()

    def attendee_at(self, row: int) -> AttendeeData | None:
        return self.row_at(row)

    def headers(self) -> list[str]:
        labels = _headers()
        return [labels[column] for column in Column]

    # Qt overrides ---------------------------------------------------------------------

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.isValid() else flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        attendee = self.item_at(index)
        if attendee is None:
            return None
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(attendee, column)
        if role == Qt.ItemDataRole.EditRole:
            value = getattr(attendee, _FIELD_OF[column])
            return value.value if isinstance(value, Attendance) else value
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.ROLE:
                return _tr("Panel member") if attendee.role in PANEL_ROLE_IDS else None
            return self._display(attendee, column) or None
        if role == Qt.ItemDataRole.FontRole and column == Column.ROLE and attendee.role in PANEL_ROLE_IDS:
            return bold_font()
        if role == AttendeeIdRole:
            return attendee.id
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        attendee = self.attendee_at(index.row())
        if attendee is None:
            return False
        field = _FIELD_OF[Column(index.column())]
        if field == "attendance":
            value = Attendance(value)
        if getattr(attendee, field) == value:
            return False
        self.edit_requested.emit(attendee.id, field, value)
        return True

    @staticmethod
    def _display(attendee: AttendeeData, column: Column) -> str:
        if column == Column.NAME:
            return attendee.name
        if column == Column.ROLE:
            return role_label(attendee.role)
        if column == Column.ORGANISATION:
            return attendee.organisation
        return attendance_label(attendee.attendance)


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a combo box of (label, value) choices; the model gets the value."""

    def __init__(self, choices: Sequence[tuple[str, Any]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.choices = list(choices)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        combo.setAccessibleName(str(index.model().headerData(index.column(), Qt.Orientation.Horizontal)))
        for label, value in self.choices:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
