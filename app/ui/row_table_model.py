"""A flat table model over a list of frozen dataclasses that have an `id`: the shared plumbing.

Also the read-only, one-row-at-a-time table view most of these models are shown in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle, QTableView, QWidget

T = TypeVar("T")

# What a model gives for sorting a cell (a date as a number, a rank, folded text): SortKeyProxy sorts by it.
SortKeyRole = Qt.ItemDataRole.UserRole + 2


def bold_font() -> QFont:
    """The FontRole value of a cell that stands out (missing, overdue, a panel member)."""
    font = QFont()
    font.setBold(True)
    return font


def read_only_row_table(parent: QWidget, model: QAbstractItemModel, *, name: str, accessible_name: str,
                        description: str) -> QTableView:
    """A table view that selects one whole row at a time, never edits in place and does not wrap."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible_name)
    table.setAccessibleDescription(description)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Subclasses give `headers()` (one label per column) and `data()`; rows are replaced whole."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []
        self._icons: dict[QStyle.StandardPixmap, QIcon] = {}

    def headers(self) -> Sequence[str]:
        raise NotImplementedError

    def header_tooltip(self, section: int) -> str | None:
        return None

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def item_at(self, index: QModelIndex | QPersistentModelIndex) -> T | None:
        """The row behind a cell, or None for an invalid index or a row that is no longer there."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def row_of(self, row_id: int) -> int:
        return next((row for row, item in enumerate(self._rows) if getattr(item, "id", None) == row_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        labels = self.headers()
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(labels):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return labels[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tooltip(section)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """Cells are enabled and selectable; a model that edits in place adds ItemIsEditable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def standard_icon(self, pixmap: QStyle.StandardPixmap) -> QIcon:
        """One of the style's icons, made on first use (there is no style before the application)."""
        icon = self._icons.get(pixmap)
        if icon is None:
            style = QApplication.style()
            icon = self._icons[pixmap] = style.standardIcon(pixmap) if style else QIcon()
        return icon


class SortKeyProxy(QSortFilterProxyModel):
    """Sorts by the source model's SortKeyRole (deadline as a date, priority by rank), not the shown text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortKeyRole)
