"""The table of recommendations and actions: what, why, who, by when."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QStyle

from app.models.enums import ActionStatus, Priority
from app.services.dto import ActionData
from app.ui.row_table_model import RowTableModel, SortKeyProxy, SortKeyRole, bold_font

ActionIdRole = Qt.ItemDataRole.UserRole + 1
# True when the cell shows something that must be filled in before the review can be completed.
MissingRole = Qt.ItemDataRole.UserRole + 3
# "Recommended before on <date>" when an earlier review of the person made a similar recommendation.
RecommendedBeforeRole = Qt.ItemDataRole.UserRole + 4

# Dark red that keeps AA contrast on white; always paired with text and an icon, never colour alone.
MISSING_COLOUR = QColor("#b3261e")
GENERAL_SECTION = ""

_CONTEXT = "ActionLabels"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


PRIORITY_ORDER: tuple[Priority, ...] = (Priority.HIGH, Priority.MEDIUM, Priority.LOW)
STATUS_ORDER: tuple[ActionStatus, ...] = (
    ActionStatus.OPEN,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.OVERDUE,
    ActionStatus.ESCALATED,
)


def priority_label(priority: Priority) -> str:
    return {
        Priority.HIGH: _tr("High"),
        Priority.MEDIUM: _tr("Medium"),
        Priority.LOW: _tr("Low"),
    }[priority]


def status_label(status: ActionStatus) -> str:
    return {
        ActionStatus.OPEN: _tr("Open"),
        ActionStatus.IN_PROGRESS: _tr("In progress"),
        ActionStatus.DONE: _tr("Done"),
        ActionStatus.OVERDUE: _tr("Overdue"),
        ActionStatus.ESCALATED: _tr("Escalated"),
    }[status]


def general_section_label() -> str:
    return _tr("General")


def format_deadline(action: ActionData) -> str:
    return f"{action.deadline:%d %b %Y}" if action.deadline else _tr("No date")


class Column(IntEnum):
    NUMBER = 0
    WHAT = 1
    WHY = 2
    OWNER = 3
    ORGANISATION = 4
    DEADLINE = 5
    PRIORITY = 6
    STATUS = 7
    SECTION = 8


def _headers() -> dict[Column, str]:
    return {
        Column.NUMBER: _tr("#"),
        Column.WHAT: _tr("What"),
        Column.WHY: _tr("Why"),
        Column.OWNER: _tr("Owner"),
        Column.ORGANISATION: _tr("Organisation"),
        Column.DEADLINE: _tr("Deadline"),
        Column.PRIORITY: _tr("Priority"),
        Column.STATUS: _tr("Status"),
        Column.SECTION: _tr("Section"),
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ActionTableModel(RowTableModel[ActionData]):
    """One row per action, in the review's order. A thin adapter over cached ActionData rows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._section_titles: dict[str, str] = {}
        # Action id -> (earlier review's date, earlier wording) for repeated recommendations.
        self._before: dict[int, tuple] = {}

    # Data in --------------------------------------------------------------------------

    def set_actions(self, actions: Sequence[ActionData], section_titles: Mapping[str, str] | None = None) -> None:
        if section_titles is not None:
            self._section_titles = dict(section_titles)
        self.set_rows(actions)

    def actions(self) -> list[ActionData]:
        return self.rows()

    def set_recommended_before(self, found: Mapping[int, tuple]) -> None:
        """Mark actions worded like one of an earlier review of the person: {id: (date, wording)}."""
        self._before = dict(found)
        if self._rows:
            self.dataChanged.emit(self.index(0, Column.WHAT), self.index(len(self._rows) - 1, Column.WHAT))

    def recommended_before(self, action_id: int) -> str | None:
        """"Recommended before on 12 May 2026" for a repeated recommendation, else None."""
        if action_id not in self._before:
            return None
        return _tr("Recommended before on {date}").format(date=f"{self._before[action_id][0]:%-d %B %Y}")

    def action_at(self, row: int) -> ActionData | None:
        return self.row_at(row)

    def headers(self) -> list[str]:
        labels = _headers()
        return [labels[column] for column in Column]

    def header_tooltip(self, section: int) -> str | None:
        return _tr("Action number, as in the report") if section == Column.NUMBER else None

    def section_title(self, section_id: str) -> str:
        if not section_id:
            return general_section_label()
        return self._section_titles.get(section_id, section_id)

    # Qt overrides ---------------------------------------------------------------------

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        action = self.item_at(index)
        if action is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(action, index.row(), column)
        before = self.recommended_before(action.id) if column == Column.WHAT else None
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tooltip(action, column)
            return f"{before}: {self._before[action.id][1]}\n\n{tip}" if before else tip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(action, index.row(), column)
            return f"{text} ({before})" if before else text
        if role == RecommendedBeforeRole:
            return before
        if role == Qt.ItemDataRole.DecorationRole and before:
            return self.standard_icon(QStyle.StandardPixmap.SP_BrowserReload)
        if role == ActionIdRole:
            return action.id
        if role == SortKeyRole:
            return self._sort_key(action, index.row(), column)
        missing = self._missing(action, column)
        if role == MissingRole:
            return missing
        if role == Qt.ItemDataRole.DecorationRole and missing:
            return self.standard_icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.ForegroundRole and missing:
            return QBrush(MISSING_COLOUR)
        if role == Qt.ItemDataRole.FontRole and missing:
            return bold_font()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # Helpers --------------------------------------------------------------------------

    def _display(self, action: ActionData, row: int, column: Column) -> str:
        if column == Column.NUMBER:
            return str(row + 1)
        if column == Column.WHAT:
            return _one_line(action.what)
        if column == Column.WHY:
            return _one_line(action.why)
        if column == Column.OWNER:
            return action.owner_name or _tr("Owner needed")
        if column == Column.ORGANISATION:
            return action.owner_organisation
        if column == Column.DEADLINE:
            return format_deadline(action) if action.deadline else _tr("Date needed")
        if column == Column.PRIORITY:
            return priority_label(action.priority)
        if column == Column.STATUS:
            return status_label(action.status)
        return self.section_title(action.section_id)

    def _tooltip(self, action: ActionData, column: Column) -> str | None:
        if column == Column.OWNER and not action.owner_name:
            return _tr("No owner yet: choose who will do this before the review is completed.")
        if column == Column.DEADLINE and action.deadline is None:
            return _tr("No date yet: set a deadline before the review is completed.")
        if column == Column.WHAT:
            return action.what + (_tr("\n\nWhy: {why}").format(why=action.why) if action.why else "")
        if column == Column.OWNER and action.owner_organisation:
            return f"{action.owner_name}, {action.owner_organisation}"
        if column == Column.WHY:
            return action.why or None
        if column == Column.ORGANISATION:
            return action.owner_organisation or None
        return None

    @staticmethod
    def _missing(action: ActionData, column: Column) -> bool:
        if column == Column.OWNER:
            return not action.owner_name.strip()
        if column == Column.DEADLINE:
            return action.deadline is None
        return False

    def _sort_key(self, action: ActionData, row: int, column: Column):
        if column == Column.NUMBER:
            return row
        if column == Column.DEADLINE:
            # Missing dates sort after every real date.
            return action.deadline.toordinal() if action.deadline else 10**7
        if column == Column.PRIORITY:
            return PRIORITY_ORDER.index(action.priority)
        if column == Column.STATUS:
            return STATUS_ORDER.index(action.status)
        return self._display(action, row, column).casefold()


class ActionSortProxy(SortKeyProxy):
    """Sorts by the model's sort keys (deadline as a date, priority by rank), not the shown text."""
