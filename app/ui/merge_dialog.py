"""Review → Merge a panel member's contribution…: what will be added, and the differences to decide.

The dialog shows a summary of what the contribution adds and a table of differences, each with
the starting value, the review's value and the member's side by side and a choice: keep the
review's (the default: nothing is overwritten unless chosen) or take the member's. Merge applies
the plan off the UI thread; `merged` then carries the MergeResult.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.bundle.merge import OURS, ROW, THEIRS, Conflict, MergePlan
from app.bundle.merge_store import apply_merge, describe_counts
from app.kloe.roles import role_label
from app.services.audit import field_words
from app.services.dto import Actor
from app.services.store import Store
from app.ui.row_table_model import RowTableModel
from app.ui.worker import run_in_background

CHOICE_COLUMN = 4
# The words shown for a row, by bundle part: the first of these fields that has text.
_LABEL_FIELDS = ("what", "name", "text", "question_id", "section_id")


def _tr(text: str) -> str:
    return QCoreApplication.translate("MergeDialog", text)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_value(conflict: Conflict, value: Any) -> str:
    """A conflict's value in plain words for the table."""
    if conflict.field == ROW:
        if value is None:
            return _tr("(deleted)")
        label = next((value.get(name) for name in _LABEL_FIELDS if value.get(name)), "")
        return _tr("(kept) {text}").format(text=_short(label)) if label else _tr("(kept)")
    if value is None or value == "":
        return _tr("(blank)")
    if isinstance(value, bool):
        return _tr("Yes") if value else _tr("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or _tr("(none)")
    return _short(value, 200)


class ConflictTableModel(RowTableModel[Conflict]):
    """One row per difference; the last column is the chair's choice (ours or theirs)."""

    def __init__(self, plan: MergePlan | None = None, parent=None) -> None:
        super().__init__(parent)
        self._choices: dict[str, str] = {}
        self._labels: dict[tuple[str, str], str] = {}
        if plan is not None:
            self.set_plan(plan)

    def set_plan(self, plan: MergePlan) -> None:
        self._labels = {}
        for part, rows in plan.current.items():
            if isinstance(rows, list):
                for row in rows:
                    if isinstance(row, dict):
                        key = row.get("uid") or row.get("question_id") or row.get("section_id")
                        label = next((row.get(name) for name in _LABEL_FIELDS if row.get(name)), "")
                        self._labels[(part, str(key))] = _short(label, 40)
        self._choices = {conflict.id: OURS for conflict in plan.conflicts}
        self.set_rows(plan.conflicts)

    def headers(self):
        return (_tr("What"), _tr("Started as"), _tr("In this review"), _tr("In the contribution"), _tr("Use"))

    def header_tooltip(self, section: int) -> str | None:
        return {
            1: _tr("The value in the copy the panel member started from"),
            2: _tr("The value in this review now"),
            3: _tr("The value in the panel member's copy"),
            4: _tr("Which value the merged review keeps"),
        }.get(section)

    def describe(self, conflict: Conflict) -> str:
        label = self._labels.get((conflict.part, conflict.key), "")
        what = conflict.entity.capitalize()
        if label:
            what += f" “{label}”"
        if conflict.field != ROW:
            what += f": {field_words(conflict.field)}"
        else:
            what += _tr(": deleted on one side, edited on the other")
        return what

    def choices(self) -> dict[str, str]:
        return dict(self._choices)

    def choice_at(self, row: int) -> str | None:
        conflict = self.row_at(row)
        return None if conflict is None else self._choices[conflict.id]

    def set_choice(self, row: int, choice: str) -> bool:
        conflict = self.row_at(row)
        if conflict is None or choice not in (OURS, THEIRS):
            return False
        if self._choices[conflict.id] != choice:
            self._choices[conflict.id] = choice
            index = self.index(row, CHOICE_COLUMN)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        conflict = self.item_at(index)
        if conflict is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.EditRole and column == CHOICE_COLUMN:
            return self._choices[conflict.id]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if column == 0:
            return self.describe(conflict)
        if column in (1, 2, 3):
            return show_value(conflict, (conflict.base, conflict.ours, conflict.theirs)[column - 1])
        if column == CHOICE_COLUMN:
            return _tr("Keep this review's") if self._choices[conflict.id] == OURS else _tr("Take the contribution's")
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802 - Qt override
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != CHOICE_COLUMN or role != Qt.ItemDataRole.EditRole:
            return False
        return self.set_choice(index.row(), value)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == CHOICE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags


class ChoiceDelegate(QStyledItemDelegate):
    """F2 (or a double click) on the choice opens a two-item list: keep this review's / take theirs."""

    def createEditor(self, parent: QWidget, option, index) -> QWidget:  # noqa: N802 - Qt override
        editor = QComboBox(parent)
        editor.setObjectName("mergeChoiceEditor")
        editor.setAccessibleName(self.tr("Which value to keep"))
        editor.addItem(self.tr("Keep this review's"), OURS)
        editor.addItem(self.tr("Take the contribution's"), THEIRS)
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:  # noqa: N802 - Qt override
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model, index) -> None:  # noqa: N802 - Qt override
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class MergeDialog(QDialog):
    """Shows the plan, takes the chair's choices and merges in the background."""

    merged = Signal(object)  # the MergeResult

    def __init__(self, store: Store, review_id: int, plan: MergePlan, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(self.tr("Merge a panel member's contribution"))
        self.setAccessibleName(self.tr("Merge a panel member's contribution"))
        self.store, self.review_id, self.plan, self.actor = store, review_id, plan, actor
        self.task = None
        self.result = None

        self.summary = QLabel(self)
        self.summary.setObjectName("mergeSummary")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("What the merge will do"))
        self.summary.setText(self._summary_text())

        self.model = ConflictTableModel(plan, self)
        self.table = QTableView(self)
        self.table.setObjectName("mergeConflicts")
        self.table.setAccessibleName(self.tr("Differences to decide"))
        self.table.setAccessibleDescription(self.tr(
            "Each row is a value changed both in this review and by the panel member. Alt+O keeps this "
            "review's value for the selected rows, Alt+T takes the contribution's; F2 opens the choice."))
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(CHOICE_COLUMN, ChoiceDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setVisible(bool(plan.conflicts))

        self.keep_ours = self._button(self.tr("Keep this review's (&O)"), "keepOurs",
                                      self.tr("Keep this review's value for the selected differences"),
                                      lambda: self._choose(OURS), None)
        self.take_theirs = self._button(self.tr("Take the contribution's (&T)"), "takeTheirs",
                                        self.tr("Take the panel member's value for the selected differences"),
                                        lambda: self._choose(THEIRS), None)
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.keep_ours)
        choice_row.addWidget(self.take_theirs)
        choice_row.addStretch(1)
        for button in (self.keep_ours, self.take_theirs):
            button.setVisible(bool(plan.conflicts))

        self.status = QLabel(self)
        self.status.setObjectName("mergeStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Merge status"))
        self.merge_button = self._button(self.tr("&Merge"), "mergeButton", self.tr("Merge the contribution now"),
                                         self.start, "Ctrl+Return")
        self.merge_button.setDefault(True)
        self.cancel_button = self._button(self.tr("Cancel"), "mergeCancel", self.tr("Close without merging"),
                                          self.reject, None)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(choice_row)
        layout.addLayout(buttons)
        self.resize(900, 480 if plan.conflicts else 200)
        if plan.conflicts:
            self.table.selectRow(0)
            self.table.setFocus()
        else:
            self.merge_button.setFocus()

    def _button(self, text: str, name: str, accessible: str, slot, shortcut: str | None) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        if shortcut:
            button.setShortcut(QKeySequence(shortcut))
            button.setToolTip(f"{accessible} ({shortcut})")
        button.clicked.connect(slot)
        return button

    def _summary_text(self) -> str:
        plan = self.plan
        who = self.tr("{name} ({role})").format(name=plan.contributor_name, role=role_label(plan.contributor_role)) \
            if plan.contributor_name else self.tr("the panel member")
        if plan.is_empty:
            return self.tr("The contribution from {who} adds nothing new to this review.").format(who=who)
        counts = describe_counts(plan.added_counts(), len(plan.changes), len(plan.deletions), 0, 0)
        text = self.tr("From {who}: {counts}").format(who=who, counts=counts)
        if plan.conflicts:
            text += " " + self.tr("{n} difference(s) below were changed on both sides: choose which to keep "
                                  "(this review's value is kept unless you choose otherwise).").format(
                n=len(plan.conflicts))
        return text

    def _choose(self, choice: str) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        for row in rows:
            self.model.set_choice(row, choice)

    def choose(self, row: int, choice: str) -> None:
        """Select `row` and make `choice` for it, as the keyboard would."""
        self.table.selectRow(row)
        self._choose(choice)

    def start(self) -> None:
        if self.task is not None and self.task.is_running():
            return
        if self.plan.is_empty:
            self.reject()
            return
        self._busy(True)
        self.status.setText(self.tr("Merging…"))
        self.task = run_in_background(self, apply_merge, self.store, self.review_id, self.plan, self.model.choices(),
                                      self.actor, on_done=self._done, on_error=self._failed)

    def _busy(self, busy: bool) -> None:
        for widget in (self.merge_button, self.cancel_button, self.keep_ours, self.take_theirs, self.table):
            widget.setEnabled(not busy)

    def _done(self, result) -> None:
        self.result = result
        self.status.setText(result.text)
        self.merged.emit(result)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.status.setText(message)
