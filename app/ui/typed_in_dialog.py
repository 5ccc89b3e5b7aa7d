"""Type in the previous review's recommendations from its paper report.

For a person whose previous review is not in this database (another panel's C(E)TR, a review
on paper): each recommendation typed here becomes a carried recommendation of this review,
marked as typed in, and is followed up like one brought from the database. The dialog stays
open for the next one; each addition is one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.dto import CarriedActionData
from app.ui.action_deadline import NO_DATE, DeadlineEdit
from app.ui.context import ReviewContext
from app.ui.follow_up_commands import AddTypedInCommand, UpdateTypedInCommand


class TypedInDialog(QDialog):
    """Recommendation, owner, deadline, and the previous review's date and chair."""

    def __init__(
        self, ctx: ReviewContext, parent: QWidget | None = None, *, editing: CarriedActionData | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("typedInDialog")
        self.setWindowTitle(self.tr("Correct a typed-in recommendation") if editing
                            else self.tr("Previous review's recommendations from a paper report"))
        self.ctx = ctx
        self.editing = editing
        self._capturing = False
        self.added: list[CarriedActionData] = []

        intro = QLabel(self.tr(
            "Type each recommendation as the previous report words it. It is followed up in this review like "
            "one carried from a review in ReviewDay, and marked as typed in."), self)
        intro.setWordWrap(True)

        self.what = QPlainTextEdit(self)
        self.what.setObjectName("typedInWhat")
        self.what.setAccessibleName(self.tr("Recommendation"))
        self.what.setTabChangesFocus(True)
        self.what.setMinimumHeight(60)
        self.owner = QLineEdit(self)
        self.owner.setObjectName("typedInOwner")
        self.owner.setAccessibleName(self.tr("Owner"))
        self.organisation = QLineEdit(self)
        self.organisation.setObjectName("typedInOrganisation")
        self.organisation.setAccessibleName(self.tr("Owner's organisation"))
        review_date = ctx.review.review_date
        self.deadline = DeadlineEdit(lambda: review_date, self)
        self.deadline.setObjectName("typedInDeadline")
        self.deadline.setAccessibleName(self.tr("Deadline the report gave"))
        self.deadline.setDisplayFormat("dd MMM yyyy")
        self.deadline.setCalendarPopup(True)
        self.deadline.setSpecialValueText(self.tr("No date"))
        self.previous_date = QDateEdit(self)
        self.previous_date.setObjectName("typedInReviewDate")
        self.previous_date.setAccessibleName(self.tr("Date of the previous review"))
        self.previous_date.setDisplayFormat("dd MMM yyyy")
        self.previous_date.setCalendarPopup(True)
        self.previous_date.setMinimumDate(NO_DATE)
        self.previous_date.setSpecialValueText(self.tr("Not known"))
        self.previous_date.setDate(NO_DATE)
        self.chair = QLineEdit(self)
        self.chair.setObjectName("typedInChair")
        self.chair.setAccessibleName(self.tr("Who chaired the previous review"))

        self.problem = QLabel(self)
        self.problem.setObjectName("typedInProblem")
        self.problem.setAccessibleName(self.tr("Problem"))
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("#typedInProblem { color: #b3261e; font-weight: 600; }")
        self.problem.hide()
        self.count = QLabel(self)
        self.count.setObjectName("typedInCount")
        self.count.setStyleSheet("#typedInCount { color: #4c6272; }")

        form = QFormLayout()
        form.addRow(self._label(self.tr("&Recommendation"), self.what), self.what)
        form.addRow(self._label(self.tr("&Owner"), self.owner), self.owner)
        form.addRow(self._label(self.tr("Or&ganisation"), self.organisation), self.organisation)
        form.addRow(self._label(self.tr("&Deadline"), self.deadline), self.deadline)
        form.addRow(self._label(self.tr("Previous review's d&ate"), self.previous_date), self.previous_date)
        form.addRow(self._label(self.tr("&Chaired by"), self.chair), self.chair)

        buttons = QDialogButtonBox(self)
        self.add_button = QPushButton(self.tr("Add recommendation"), self)
        self.add_button.setObjectName("typedInAdd")
        self.add_button.setToolTip(self.tr("Add it and type the next one (Ctrl+Enter)"))
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.save if editing else self.add)
        if editing is not None:
            self.add_button.setText(self.tr("Save changes"))
            self.add_button.setToolTip(self.tr("Save the corrections (Ctrl+Enter); Ctrl+Z undoes them"))
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("typedInClose")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        ctx.message.connect(self._on_message)
        if editing is not None:
            self.restore_draft({"what": editing.what, "owner": editing.owner_name,
                                "organisation": editing.owner_organisation, "deadline": editing.deadline,
                                "previous_date": editing.source_review_date, "chair": editing.previous_chair})
        self.what.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(560, self.sizeHint().height())

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            if self.editing is not None:
                self.save()
            else:
                self.add()
            return
        super().keyPressEvent(event)

    def add(self) -> CarriedActionData | None:
        """Add what is typed; on a refusal its sentence shows and nothing typed is lost."""
        self.problem.hide()
        previous = self.previous_date.date()
        command = AddTypedInCommand(
            self.ctx, self.what.toPlainText(), owner_name=self.owner.text(),
            owner_organisation=self.organisation.text(), deadline=self.deadline.value(),
            previous_chair=self.chair.text(),
            previous_review_date=None if previous == NO_DATE else previous.toPython(),
        )
        self._capturing = True
        try:
            self.ctx.undo_stack.push(command)
        finally:
            self._capturing = False
        if command.result is None:
            self.what.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        self.added.append(command.result)
        # Ready for the next recommendation of the same report: its date and chair stay.
        self.what.clear()
        self.owner.clear()
        self.organisation.clear()
        self.deadline.set_value(None)
        self.count.setText(self.tr("{n} added from this report.").format(n=len(self.added)))
        self.what.setFocus(Qt.FocusReason.OtherFocusReason)
        return command.result

    def save(self) -> CarriedActionData | None:
        """Save the corrections of the recommendation being edited and close; on a refusal its
        sentence shows and the dialog stays open with what was typed."""
        if self.editing is None:
            return None
        self.problem.hide()
        previous = self.previous_date.date()
        command = UpdateTypedInCommand(self.ctx, self.editing.id, {
            "what": self.what.toPlainText(), "owner_name": self.owner.text(),
            "owner_organisation": self.organisation.text(), "deadline": self.deadline.value(),
            "previous_chair": self.chair.text(),
            "source_review_date": None if previous == NO_DATE else previous.toPython(),
        })
        self._capturing = True
        try:
            self.ctx.undo_stack.push(command)
        finally:
            self._capturing = False
        if not self.problem.isHidden():
            return None
        self.accept()
        return command.result

    def draft(self) -> dict:
        """What is typed and not yet added, kept by the panel so closing the dialog loses nothing."""
        previous = self.previous_date.date()
        return {"what": self.what.toPlainText(), "owner": self.owner.text(),
                "organisation": self.organisation.text(), "deadline": self.deadline.value(),
                "previous_date": None if previous == NO_DATE else previous.toPython(), "chair": self.chair.text()}

    def restore_draft(self, draft: dict) -> None:
        self.what.setPlainText(draft.get("what", ""))
        self.owner.setText(draft.get("owner", ""))
        self.organisation.setText(draft.get("organisation", ""))
        self.deadline.set_value(draft.get("deadline"))
        if draft.get("previous_date") is not None:
            self.set_previous_date(draft["previous_date"])
        self.chair.setText(draft.get("chair", ""))
        self.what.moveCursor(self.what.textCursor().MoveOperation.End)

    def set_previous_date(self, value) -> None:
        self.previous_date.setDate(QDate(value.year, value.month, value.day))

    def _on_message(self, text: str) -> None:
        if self._capturing:
            self.problem.setText(text)
            self.problem.show()

    def done(self, result: int) -> None:
        try:
            self.ctx.message.disconnect(self._on_message)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
