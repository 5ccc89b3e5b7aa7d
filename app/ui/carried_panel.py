"""The "Previous review's actions" panel on the Recommendations page.

The chair goes through what the last review asked for: done, in progress or not done (with the
reason), and an action not done can be re-made as a new action of this review. It sits above this
review's own actions because what became of the old ones shapes the new ones, and "Carry forward"
adds straight into the table beneath it.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import CarriedOutcome
from app.services import follow_up
from app.services.dto import CarriedActionData
from app.ui.layout_fit import WrappedColumns, stack_at_large_text
from app.ui.carried_table_model import OUTCOME_ORDER, CarriedTableModel, Column, outcome_label
from app.ui.context import ReviewContext
from app.ui.follow_up_commands import CarryForwardCommand, SetCarriedOutcomeCommand
from app.ui.row_table_model import read_only_row_table

PROBLEM_STYLE = "color: #b3261e; font-weight: 600;"


class CarriedActionsPanel(QWidget):
    """Carried actions table, with an outcome and reason for the selected one. Hidden when there are none."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("carriedPanel")
        self.ctx = ctx

        self.title = QLabel(self)
        self.title.setObjectName("carriedTitle")
        self.title.setStyleSheet("#carriedTitle { font-size: 11.5pt; font-weight: 600; color: #005EB8; }")
        self.summary = QLabel(self)
        self.summary.setObjectName("carriedSummary")
        self.summary.setAccessibleName(self.tr("Previous review's actions summary"))
        self.summary.setStyleSheet("color: #4c6272;")

        self.model = CarriedTableModel(self)
        self.table = read_only_row_table(
            self, self.model, name="carriedTable", accessible_name=self.tr("Previous review's actions"),
            description=self.tr("Select an action, then choose its outcome below; not done needs a reason."))
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.WHAT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.OWNER, 170), (Column.DEADLINE, 95), (Column.OUTCOME, 150), (Column.REASON, 200)):
            header.resizeSection(column, width)
        self.fitted_columns = WrappedColumns(self.table, stretch=Column.WHAT)  # wrap, never "…"
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())

        self.outcome = QComboBox(self)
        self.outcome.setObjectName("carriedOutcome")
        self.outcome.setAccessibleName(self.tr("Outcome"))
        self.outcome.setToolTip(self.tr("What became of the selected action"))
        for outcome in OUTCOME_ORDER:
            self.outcome.addItem(outcome_label(outcome), outcome)
        self.outcome.activated.connect(self._outcome_chosen)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("carriedReason")
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setAccessibleDescription(self.tr("Why it was not done, or any detail. Enter records it."))
        self.reason.setPlaceholderText(self.tr("Why it was not done (needed for not done)"))
        self.reason.returnPressed.connect(self.record)
        self.record_button = QPushButton(self.tr("Record o&utcome"), self)
        self.record_button.setObjectName("carriedRecord")
        self.record_button.setAccessibleName(self.tr("Record the outcome"))
        self.record_button.setAutoDefault(False)
        self.record_button.clicked.connect(self.record)
        self.forward_button = QPushButton(self.tr("Carry forward as a new &action"), self)
        self.forward_button.setObjectName("carriedForward")
        self.forward_button.setAccessibleName(self.tr("Carry forward as a new action"))
        self.forward_button.setToolTip(
            self.tr("Make it an action of this review again, with a new deadline (Ctrl+Z undoes)"))
        self.forward_button.setAutoDefault(False)
        self.forward_button.clicked.connect(self.carry_forward)
        self.problem = QLabel(self)
        self.problem.setObjectName("carriedProblem")
        self.problem.setAccessibleName(self.tr("Problem"))
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.hide()

        outcome_label_widget = QLabel(self.tr("Outco&me"), self)
        outcome_label_widget.setBuddy(self.outcome)
        reason_label = QLabel(self.tr("Reaso&n"), self)
        reason_label.setBuddy(self.reason)
        fields = QHBoxLayout()
        fields.addWidget(outcome_label_widget)
        fields.addWidget(self.outcome)
        fields.addWidget(reason_label)
        fields.addWidget(self.reason, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.forward_button)
        # One row; the buttons on a line of their own at large text (no sideways scrolling).
        editor = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        editor.addLayout(fields, 1)
        editor.addLayout(buttons)
        self.editor_row = editor
        stack_at_large_text(editor)
        self.title.setWordWrap(True)  # large text: wrap rather than widen the page
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.summary, 1)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(editor)
        layout.addWidget(self.problem)

        ctx.changed.connect(self._on_changed)
        ctx.message.connect(self._on_message)
        self._capturing = False
        self.refresh()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        from PySide6.QtCore import QEvent

        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "editor_row"):
            stack_at_large_text(self.editor_row)  # Edit → Preferences changed the text size

    # Public ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self.selected()
        rows = follow_up.list_carried(self.ctx.store, self.ctx.review_id)
        self.model.set_rows(rows)
        self.setVisible(bool(rows))
        since = next((r.source_review_date for r in rows if r.source_review_date), None)
        self.title.setText(
            self.tr("Previous review's actions ({date})").format(date=f"{since:%d %b %Y}") if since
            else self.tr("Previous review's actions"))
        pending = sum(1 for r in rows if r.outcome is CarriedOutcome.PENDING)
        not_done = sum(1 for r in rows if r.outcome is CarriedOutcome.NOT_DONE)
        self.summary.setText(self.tr("{n} carried over · {pending} to record · {not_done} not done").format(
            n=len(rows), pending=pending, not_done=not_done))
        if keep is None or not self.select(keep.id):
            if rows:
                self.select(rows[0].id)
        self._show_selected()

    def selected(self) -> CarriedActionData | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, carried_id: int) -> bool:
        row = self.model.row_of(carried_id)
        if row < 0:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        return True

    def record(self) -> bool:
        """Record the chosen outcome and reason for the selected action (undoable)."""
        carried = self.selected()
        if carried is None:
            self._show_problem(self.tr("Select an action from the previous review first."))
            return False
        outcome = CarriedOutcome(self.outcome.currentData())
        reason = self.reason.text()
        self._hide_problem()
        self._capturing = True
        try:
            # A refused change drops its command (and the stack deletes it); the refusal's sentence
            # arrives through ctx.message and shows in self.problem.
            self.ctx.undo_stack.push(SetCarriedOutcomeCommand(self.ctx, carried.id, outcome, reason))
        finally:
            self._capturing = False
        if not self.problem.isHidden():
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        return True

    def carry_forward(self) -> bool:
        carried = self.selected()
        if carried is None:
            self._show_problem(self.tr("Select an action from the previous review first."))
            return False
        self._hide_problem()
        self._capturing = True
        try:
            self.ctx.undo_stack.push(CarryForwardCommand(self.ctx, carried.id))
        finally:
            self._capturing = False
        return self.problem.isHidden()

    # Internals ------------------------------------------------------------------------------

    def _outcome_chosen(self, _index: int) -> None:
        # Done and in progress record at once; not done waits for the reason (Enter records).
        outcome = CarriedOutcome(self.outcome.currentData())
        if outcome is CarriedOutcome.NOT_DONE and not self.reason.text().strip():
            self._show_problem(self.tr("Say why it was not done, then press Enter."), problem=False)
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.record()

    def _show_selected(self) -> None:
        carried = self.selected()
        enabled = carried is not None and not self.ctx.review.locked
        for widget in (self.outcome, self.reason, self.record_button):
            widget.setEnabled(enabled)
        self.forward_button.setEnabled(
            enabled and carried.outcome is not CarriedOutcome.DONE and carried.carried_forward_action_id is None)
        if carried is None:
            return
        self.outcome.setCurrentIndex(self.outcome.findData(carried.outcome))
        self.reason.setText(carried.reason)

    def _on_changed(self, kind: str) -> None:
        if kind in ("carried", "actions", "setup"):
            self.refresh()

    def _on_message(self, text: str) -> None:
        if self._capturing:
            self._show_problem(text)

    def _show_problem(self, text: str, *, problem: bool = True) -> None:
        self.problem.setText(text)
        self.problem.setStyleSheet(PROBLEM_STYLE if problem else "color: #4c6272;")
        self.problem.show()

    def _hide_problem(self) -> None:
        self.problem.clear()
        self.problem.hide()
