"""The "Previous review's actions" panel on the Recommendations page.

The chair goes through what the last review asked for: done (with the evidence), partly done,
not done (with the reason) or no longer relevant, and an action not done can be re-made as a new
action of this review. It sits above this review's own actions because what became of the old ones
shapes the new ones, and "Carry forward" adds straight into the table beneath it. When the previous
review is not in this database, its recommendations can be typed in from the paper report; with
none carried, the panel is one line offering that.
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
from app.ui.follow_up_commands import CarryForwardCommand, RemoveTypedInCommand, SetCarriedOutcomeCommand
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
        self.summary.setWordWrap(True)  # wraps rather than widen the page past the window
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.model = CarriedTableModel(self)
        self.table = read_only_row_table(
            self, self.model, name="carriedTable", accessible_name=self.tr("Previous review's actions"),
            description=self.tr("Select an action, then choose its outcome below; done needs the evidence and "
                                "not done a reason."))
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
        self.reason.setAccessibleName(self.tr("Evidence or reason"))
        self.reason.setAccessibleDescription(
            self.tr("What shows it was done, why it was not done, or any detail. Enter records it."))
        self.outcome.currentIndexChanged.connect(lambda _i: self._update_reason_hint())
        self._update_reason_hint()
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
        self.type_in_button = QPushButton(self.tr("Type &in from a paper report…"), self)
        self.type_in_button.setObjectName("carriedTypeIn")
        self.type_in_button.setAccessibleName(self.tr("Type in the previous review's recommendations"))
        self.type_in_button.setToolTip(
            self.tr("When the previous review is not in ReviewDay: type in its recommendations to follow them up"))
        self.type_in_button.setAutoDefault(False)
        self.type_in_button.clicked.connect(self.open_type_in)
        self.edit_button = QPushButton(self.tr("Correct…"), self)
        self.edit_button.setObjectName("carriedEdit")
        self.edit_button.setAccessibleName(self.tr("Correct the typed-in recommendation"))
        self.edit_button.setToolTip(self.tr("Correct what was typed in from the paper report (Ctrl+Z undoes)"))
        self.edit_button.setAutoDefault(False)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("carriedRemove")
        self.remove_button.setAccessibleName(self.tr("Remove the typed-in recommendation"))
        self.remove_button.setToolTip(self.tr("Remove a recommendation typed in by mistake (Ctrl+Z undoes)"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        self.empty_hint = QLabel(
            self.tr("No recommendations from a previous review. If the last review is only on paper, type its "
                    "recommendations in to follow them up."), self)
        self.empty_hint.setObjectName("carriedEmptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #4c6272;")
        self.type_in_dialog = None
        self._type_in_draft: dict = {}

        self.problem = QLabel(self)
        self.problem.setObjectName("carriedProblem")
        self.problem.setAccessibleName(self.tr("Problem"))
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.hide()

        outcome_label_widget = QLabel(self.tr("Outco&me"), self)
        outcome_label_widget.setBuddy(self.outcome)
        reason_label = QLabel(self.tr("Evidence or reaso&n"), self)
        reason_label.setBuddy(self.reason)
        # The fields on one row, the buttons under them, so the evidence or reason keeps its width
        # beside the page's other columns; at large text the buttons take two rows (no sideways
        # scrolling).
        editor = QHBoxLayout()
        editor.addWidget(outcome_label_widget)
        editor.addWidget(self.outcome)
        editor.addWidget(reason_label)
        editor.addWidget(self.reason, 1)
        corrections = QHBoxLayout()  # "Type in…" joins these when there are rows
        corrections.addWidget(self.edit_button)
        corrections.addWidget(self.remove_button)
        corrections.addStretch(1)
        outcomes = QHBoxLayout()
        outcomes.addStretch(1)
        outcomes.addWidget(self.record_button)
        outcomes.addWidget(self.forward_button)
        buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        buttons.addLayout(corrections, 1)
        buttons.addLayout(outcomes)
        self.editor_row = buttons
        stack_at_large_text(buttons)
        self._top_row, self._buttons_row = None, corrections
        self._editor_widgets = (outcome_label_widget, self.outcome, reason_label, self.reason, self.record_button,
                                self.forward_button, self.edit_button, self.remove_button)
        self.title.setWordWrap(True)  # large text: wrap rather than widen the page
        self.summary.setWordWrap(True)
        top = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # at large text the summary goes under the title
        top.addWidget(self.title, 1)
        top.addWidget(self.empty_hint, 1)
        top.addWidget(self.summary, 1)
        top.addWidget(self.type_in_button)
        self._top_row = top
        stack_at_large_text(top)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(editor)
        layout.addLayout(buttons)
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
            stack_at_large_text(self._top_row)

    # Public ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self.selected()
        rows = follow_up.list_carried(self.ctx.store, self.ctx.review_id)
        self.model.set_rows(rows)
        # With nothing carried the panel is one line: the title and the way to type in a paper report.
        for widget in (self.table, self.summary, *self._editor_widgets):
            widget.setVisible(bool(rows))
        self.empty_hint.setVisible(not rows)
        self._place_type_in(bool(rows))
        self.type_in_button.setEnabled(not self.ctx.review.locked)
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

    def _place_type_in(self, beside_the_buttons: bool) -> None:
        """With rows, "Type in…" sits at the start of the buttons row (the title row keeps its
        summary on one line); with none, it sits on the one-line title row."""
        target = self._buttons_row if beside_the_buttons else self._top_row
        if target is None or target.indexOf(self.type_in_button) >= 0:
            return
        for layout in (self._top_row, self._buttons_row):
            if layout is not None:
                layout.removeWidget(self.type_in_button)
        if beside_the_buttons:
            target.insertWidget(0, self.type_in_button)
        else:
            target.addWidget(self.type_in_button)

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

    def open_type_in(self):
        """Open the dialog for typing in the previous review's recommendations (stays open for more)."""
        from app.ui.typed_in_dialog import TypedInDialog

        dialog = TypedInDialog(self.ctx, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self._type_in_draft:
            dialog.restore_draft(self._type_in_draft)
        self.type_in_dialog = dialog
        dialog.finished.connect(lambda _result: self._type_in_closed(dialog))
        dialog.open()
        return dialog

    def edit_selected(self):
        """Open the selected typed-in recommendation to correct it (None when it is not typed in)."""
        from app.ui.typed_in_dialog import TypedInDialog

        carried = self.selected()
        if carried is None or not carried.typed_in:
            self._show_problem(self.tr("Select a recommendation typed in from a paper report first."))
            return None
        dialog = TypedInDialog(self.ctx, self.window(), editing=carried)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.type_in_dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "type_in_dialog", None))
        dialog.open()
        return dialog

    def _type_in_closed(self, dialog) -> None:
        # Whatever was typed and not added waits for the next time the dialog opens.
        self._type_in_draft = dialog.draft()
        self.type_in_dialog = None

    def remove_selected(self) -> bool:
        return self._push_for_selected(RemoveTypedInCommand)

    def carry_forward(self) -> bool:
        return self._push_for_selected(CarryForwardCommand)

    # Internals ------------------------------------------------------------------------------

    def _push_for_selected(self, command) -> bool:
        """Push `command(ctx, carried_id)` for the selected row; its refusal shows in self.problem."""
        carried = self.selected()
        if carried is None:
            self._show_problem(self.tr("Select an action from the previous review first."))
            return False
        self._hide_problem()
        self._capturing = True
        try:
            self.ctx.undo_stack.push(command(self.ctx, carried.id))
        finally:
            self._capturing = False
        return self.problem.isHidden()

    def _outcome_chosen(self, _index: int) -> None:
        # Partly done and no longer relevant record at once; done waits for the evidence and not
        # done for the reason (Enter records).
        outcome = CarriedOutcome(self.outcome.currentData())
        if not self.reason.text().strip():
            if outcome is CarriedOutcome.NOT_DONE:
                self._show_problem(self.tr("Say why it was not done, then press Enter."), problem=False)
                self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
                return
            if outcome is CarriedOutcome.DONE:
                self._show_problem(self.tr("Say what shows it was done (the evidence), then press Enter."),
                                   problem=False)
                self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.record()

    def _update_reason_hint(self) -> None:
        outcome = self.outcome.currentData()
        self.reason.setPlaceholderText({
            CarriedOutcome.DONE: self.tr("What shows it was done (needed for done)"),
            CarriedOutcome.NOT_DONE: self.tr("Why it was not done (needed for not done)"),
        }.get(outcome and CarriedOutcome(outcome), self.tr("Any detail (optional)")))

    def _show_selected(self) -> None:
        carried = self.selected()
        enabled = carried is not None and not self.ctx.review.locked
        for widget in (self.outcome, self.reason, self.record_button):
            widget.setEnabled(enabled)
        self.forward_button.setEnabled(
            enabled and carried.outcome not in (CarriedOutcome.DONE, CarriedOutcome.NO_LONGER_RELEVANT)
            and carried.carried_forward_action_id is None)
        self.remove_button.setEnabled(enabled and carried.typed_in)
        self.edit_button.setEnabled(enabled and carried.typed_in)
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
