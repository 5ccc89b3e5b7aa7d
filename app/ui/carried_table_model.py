"""The previous review's actions, as brought into this review, with what became of each."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.models.enums import CarriedOutcome
from app.services.dto import CarriedActionData
from app.ui.row_table_model import RowTableModel, bold_font

CarriedIdRole = Qt.ItemDataRole.UserRole + 1
OUTCOME_ORDER: tuple[CarriedOutcome, ...] = (
    CarriedOutcome.DONE, CarriedOutcome.IN_PROGRESS, CarriedOutcome.NOT_DONE, CarriedOutcome.NO_LONGER_RELEVANT,
    CarriedOutcome.PENDING,
)
NOT_DONE_COLOUR = QColor("#b3261e")


def _tr(text: str) -> str:
    return QCoreApplication.translate("CarriedActions", text)


def outcome_label(outcome: CarriedOutcome) -> str:
    return {
        CarriedOutcome.PENDING: _tr("Not yet recorded"),
        CarriedOutcome.DONE: _tr("Done"),
        CarriedOutcome.IN_PROGRESS: _tr("Partly done"),
        CarriedOutcome.NOT_DONE: _tr("Not done"),
        CarriedOutcome.NO_LONGER_RELEVANT: _tr("No longer relevant"),
    }[outcome]


class Column(IntEnum):
    WHAT = 0
    OWNER = 1
    DEADLINE = 2
    OUTCOME = 3
    REASON = 4


class CarriedTableModel(RowTableModel[CarriedActionData]):
    """One row per carried action, in the previous review's order."""

    def headers(self) -> list[str]:
        return [_tr("What"), _tr("Owner"), _tr("Was due"), _tr("Outcome"), _tr("Evidence or reason")]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.item_at(index)
        if row is None:
            return None
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.WHAT:
                if row.typed_in:
                    chair = _tr(", chaired by {chair}").format(chair=row.previous_chair) if row.previous_chair else ""
                    return _tr("{what}\n\nTyped in from the previous review's paper report{chair}.").format(
                        what=row.what, chair=chair)
                return row.what
            if column == Column.REASON:
                return row.reason or None
            if column == Column.OUTCOME and row.carried_forward_action_id is not None:
                return _tr("Carried forward as a new action in this review")
            return None
        if role == CarriedIdRole:
            return row.id
        if column == Column.OUTCOME and role == Qt.ItemDataRole.FontRole and row.outcome is not CarriedOutcome.PENDING:
            return bold_font()
        if column == Column.OUTCOME and role == Qt.ItemDataRole.ForegroundRole and row.outcome is CarriedOutcome.NOT_DONE:
            return QBrush(NOT_DONE_COLOUR)
        return None

    def _display(self, row: CarriedActionData, column: Column) -> str:
        if column == Column.WHAT:
            what = " ".join(row.what.split())
            return _tr("{what} · typed in").format(what=what) if row.typed_in else what
        if column == Column.OWNER:
            return ", ".join(part for part in (row.owner_name, row.owner_organisation) if part)
        if column == Column.DEADLINE:
            return f"{row.deadline:%d %b %Y}" if row.deadline else _tr("No date")
        if column == Column.OUTCOME:
            text = outcome_label(row.outcome)
            if row.carried_forward_action_id is not None:
                text += _tr(" · carried forward")
            return text
        return " ".join(row.reason.split())
