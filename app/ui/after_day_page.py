"""After the day: the report's due date, the draft shared for the factual accuracy check, the
corrections asked for (accepted, or declined with a reason) and the distribution of the final report.

Adding, changing and removing are undo steps (app/ui/planning_commands.py); a refusal is one
sentence in the message bar and the form keeps what was typed.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import CirculationStage, CorrectionDecision, DeliveryMethod
from app.services import after_day
from app.services.dto import CorrectionData, ReportCopyData
from app.ui.context import ReviewContext
from app.ui.planning_commands import (
    AddCopyCommand,
    AddCorrectionCommand,
    RemoveCopyCommand,
    RemoveCorrectionCommand,
    UpdateCorrectionCommand,
)
from app.ui.theme import SECONDARY_TEXT
from app.ui.widgets import OptionalDateEdit

OVERDUE_STYLE = "color: #b3261e; font-weight: 600;"


class DeleteKey(QObject):
    """Delete (or Backspace) on a list removes its chosen row, as on the other pages."""

    def __init__(self, table: QTableWidget, remove) -> None:
        super().__init__(table)
        self._remove = remove
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._remove()
            return True
        return super().eventFilter(watched, event)


def _table(parent: QWidget, name: str, accessible: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    # About four rows: the three lists share the page, and each scrolls when longer.
    table.setMinimumHeight(90)
    table.setMaximumHeight(max(120, table.fontMetrics().height() * 9))
    table.setTabKeyNavigation(False)
    return table


class CopiesGroup(QGroupBox):
    """Copies of the report sent at one stage: a table and a form to add one."""

    def __init__(self, ctx: ReviewContext, stage: CirculationStage, title: str, parent: QWidget) -> None:
        super().__init__(title, parent)
        self.ctx, self.stage = ctx, stage
        prefix = "draft" if stage is CirculationStage.DRAFT else "final"
        self.setObjectName(f"{prefix}CopiesBox")
        self.rows: list[ReportCopyData] = []
        self.table = _table(self, f"{prefix}CopiesTable", title,
                            [self.tr("Sent to"), self.tr("Organisation"), self.tr("How"), self.tr("When")])
        self.recipient = QLineEdit(self)
        self.recipient.setObjectName(f"{prefix}Recipient")
        self.recipient.setAccessibleName(self.tr("Sent to"))
        self.recipient.setPlaceholderText(self.tr("Name or role"))
        self.recipient.setMaxLength(200)
        self.organisation = QLineEdit(self)
        self.organisation.setObjectName(f"{prefix}Organisation")
        self.organisation.setAccessibleName(self.tr("Organisation"))
        self.organisation.setMaxLength(200)
        self.method = QComboBox(self)
        self.method.setObjectName(f"{prefix}Method")
        self.method.setAccessibleName(self.tr("How it was sent"))
        for method in DeliveryMethod:
            self.method.addItem(self.tr(after_day.METHOD_LABELS[method]), method)
        self.sent_on = OptionalDateEdit(self, accessible_name=self.tr("Date sent"))
        self.sent_on.setObjectName(f"{prefix}SentOn")
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName(f"{prefix}AddCopy")
        self.add_button.setAccessibleName(self.tr("Add to {what}").format(what=title.lower()))
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName(f"{prefix}RemoveCopy")
        self.remove_button.setAccessibleName(self.tr("Remove from {what}").format(what=title.lower()))
        self.remove_button.clicked.connect(self.remove_selected)
        self.recipient.returnPressed.connect(self.add)
        self.organisation.returnPressed.connect(self.add)
        self._delete_key = DeleteKey(self.table, self.remove_selected)

        who = QHBoxLayout()
        how = QHBoxLayout()
        for row, label, widget, stretch in ((who, self.tr("Sent to"), self.recipient, 1),
                                            (who, self.tr("Organisation"), self.organisation, 1),
                                            (how, self.tr("How"), self.method, 0), (how, self.tr("When"), self.sent_on, 0)):
            caption = QLabel(label, self)
            caption.setBuddy(widget.edit if isinstance(widget, OptionalDateEdit) else widget)
            row.addWidget(caption)
            row.addWidget(widget, stretch)
        how.addWidget(self.add_button)
        how.addStretch(1)
        how.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(who)
        layout.addLayout(how)

    def set_default_date(self, today: date) -> None:
        self.sent_on.set_default_date(today)
        if self.sent_on.value() is None:
            self.sent_on.set_value(today)

    def refresh(self) -> None:
        self.rows = after_day.list_copies(self.ctx.store, self.ctx.review_id, self.stage)
        self.table.setRowCount(len(self.rows))
        for row, copy in enumerate(self.rows):
            for column, text in enumerate((copy.recipient, copy.organisation, self.tr(after_day.METHOD_LABELS[copy.method]),
                                           f"{copy.sent_on:%d %b %Y}")):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.remove_button.setEnabled(bool(self.rows))

    def add(self) -> None:
        before = self.ctx.undo_stack.count()
        self.ctx.undo_stack.push(AddCopyCommand(
            self.ctx, stage=self.stage, recipient=self.recipient.text(), organisation=self.organisation.text(),
            method=DeliveryMethod(self.method.currentData()), sent_on=self.sent_on.value()))
        if self.ctx.undo_stack.count() > before:
            self.recipient.clear()
            self.organisation.clear()
            self.recipient.setFocus()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            copy = self.rows[row]
            self.ctx.undo_stack.push(RemoveCopyCommand(self.ctx, copy.id, copy.recipient))


class CorrectionsGroup(QGroupBox):
    """Corrections asked for: a table; choosing a row loads it into the form below to change it."""

    def __init__(self, ctx: ReviewContext, parent: QWidget) -> None:
        super().__init__(self.tr("Corrections asked for"), parent)
        self.setObjectName("correctionsBox")
        self.ctx = ctx
        self.rows: list[CorrectionData] = []
        self.table = _table(self, "correctionsTable", self.tr("Corrections asked for"),
                            [self.tr("From"), self.tr("Asked on"), self.tr("Correction"), self.tr("Decision"),
                             self.tr("Reason")])
        self.table.currentCellChanged.connect(lambda *_: self._load_selected())
        self.requested_by = QLineEdit(self)
        self.requested_by.setObjectName("correctionFrom")
        self.requested_by.setAccessibleName(self.tr("Correction asked for by"))
        self.requested_by.setPlaceholderText(self.tr("For example: Riverside Hospital, the commissioner"))
        self.requested_by.setMaxLength(200)
        self.requested_on = OptionalDateEdit(self, accessible_name=self.tr("Date the correction was asked for"))
        self.requested_on.setObjectName("correctionAskedOn")
        self.what = QLineEdit(self)
        self.what.setObjectName("correctionWhat")
        self.what.setAccessibleName(self.tr("Correction asked for"))
        self.decision = QComboBox(self)
        self.decision.setObjectName("correctionDecision")
        self.decision.setAccessibleName(self.tr("Panel's decision on the correction"))
        for decision in CorrectionDecision:
            self.decision.addItem(self.tr(after_day.DECISION_LABELS[decision]), decision)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("correctionReason")
        self.reason.setAccessibleName(self.tr("Reason for the decision"))
        self.reason.setPlaceholderText(self.tr("Needed when a correction is declined"))
        self.add_button = QPushButton(self.tr("Add correction"), self)
        self.add_button.setObjectName("correctionAdd")
        self.add_button.clicked.connect(self.add)
        self.save_button = QPushButton(self.tr("Save changes to the chosen correction"), self)
        self.save_button.setObjectName("correctionSave")
        self.save_button.clicked.connect(self.save_selected)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("correctionRemove")
        self.remove_button.setAccessibleName(self.tr("Remove the chosen correction"))
        self.remove_button.clicked.connect(self.remove_selected)
        self._delete_key = DeleteKey(self.table, self.remove_selected)
        # Enter in the form adds the correction, or saves the changes to the one chosen in the list.
        for edit in (self.requested_by, self.what, self.reason):
            edit.returnPressed.connect(self._enter)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        who_row = QHBoxLayout()
        who_row.addWidget(self.requested_by, 1)
        asked = QLabel(self.tr("Asked on"), self)
        asked.setBuddy(self.requested_on.edit)
        who_row.addWidget(asked)
        who_row.addWidget(self.requested_on)
        form.addRow(self._label(self.tr("From"), self.requested_by), who_row)
        form.addRow(self._label(self.tr("Correction"), self.what), self.what)
        decision_row = QHBoxLayout()
        decision_row.addWidget(self.decision)
        reason = QLabel(self.tr("Reason"), self)
        reason.setBuddy(self.reason)
        decision_row.addWidget(reason)
        decision_row.addWidget(self.reason, 1)
        form.addRow(self._label(self.tr("Decision"), self.decision), decision_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def set_default_date(self, today: date) -> None:
        self.requested_on.set_default_date(today)

    def refresh(self) -> None:
        current = self.table.currentRow()
        self.rows = after_day.list_corrections(self.ctx.store, self.ctx.review_id)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for row, correction in enumerate(self.rows):
            asked = f"{correction.requested_on:%d %b %Y}" if correction.requested_on else ""
            for column, text in enumerate((correction.requested_by, asked, correction.what,
                                           self.tr(after_day.DECISION_LABELS[correction.decision]), correction.reason)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if 0 <= current < len(self.rows):
            self.table.setCurrentCell(current, 0)
        else:
            self.table.setCurrentCell(-1, -1)
        self.table.blockSignals(False)
        chosen = self.selected() is not None
        self.save_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def selected(self) -> CorrectionData | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _load_selected(self) -> None:
        correction = self.selected()
        self.save_button.setEnabled(correction is not None)
        self.remove_button.setEnabled(correction is not None)
        if correction is None:
            return
        self.requested_by.setText(correction.requested_by)
        self.requested_on.set_value(correction.requested_on)
        self.what.setText(correction.what)
        self.what.setCursorPosition(0)
        self.decision.setCurrentIndex(max(0, self.decision.findData(correction.decision)))
        self.reason.setText(correction.reason)

    def _values(self) -> dict:
        return {"requested_by": self.requested_by.text(), "requested_on": self.requested_on.value(),
                "what": self.what.text(), "decision": CorrectionDecision(self.decision.currentData()),
                "reason": self.reason.text()}

    def add(self) -> None:
        before = self.ctx.undo_stack.count()
        self.ctx.undo_stack.push(AddCorrectionCommand(self.ctx, **self._values()))
        if self.ctx.undo_stack.count() > before:
            for edit in (self.requested_by, self.what, self.reason):
                edit.clear()
            self.requested_on.clear()
            self.decision.setCurrentIndex(0)
            self.table.setCurrentCell(-1, -1)  # the form is for the next one, not the row just added
            self.requested_by.setFocus()

    def save_selected(self) -> None:
        correction = self.selected()
        if correction is None:
            return
        values = self._values()
        before = {name: getattr(correction, name) for name in values}
        changes = {name: value for name, value in values.items() if before[name] != value}
        if changes:
            self.ctx.undo_stack.push(UpdateCorrectionCommand(self.ctx, correction.id, values, before))

    def _enter(self) -> None:
        if self.selected() is None:
            self.add()
        else:
            self.save_selected()

    def remove_selected(self) -> None:
        correction = self.selected()
        if correction is not None:
            self.ctx.undo_stack.push(RemoveCorrectionCommand(self.ctx, correction.id))


class AfterDayPage(QWidget):
    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("afterDayPage")
        self.ctx = ctx
        title = QLabel(self.tr("After the day"), self)
        title.setObjectName("afterDayTitle")
        title.setStyleSheet("#afterDayTitle { font-size: 14pt; font-weight: 600; color: #005EB8; }")
        self.due = QLabel(self)
        self.due.setObjectName("reportDue")
        self.due.setWordWrap(True)
        self.due.setAccessibleName(self.tr("When the report is due"))
        intro = QLabel(self.tr("The draft goes to the provider and the commissioner to check the facts; record "
                               "what they ask to change and what the panel decided, then who got the final report."),
                       self)
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {SECONDARY_TEXT};")
        self.draft = CopiesGroup(ctx, CirculationStage.DRAFT, self.tr("Draft shared for the factual accuracy check"),
                                 self)
        self.corrections = CorrectionsGroup(ctx, self)
        self.final = CopiesGroup(ctx, CirculationStage.FINAL, self.tr("Distribution of the final report"), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(self.due)
        layout.addWidget(intro)
        layout.addWidget(self.draft)
        layout.addWidget(self.corrections)
        layout.addWidget(self.final)
        layout.addStretch(1)
        today = self.today()
        for group in (self.draft, self.corrections, self.final):
            group.set_default_date(today)
        self.refresh()
        ctx.changed.connect(self._on_changed)

    def today(self) -> date:
        return getattr(self.ctx, "today", None) or self.ctx.store.now().date()

    def refresh(self) -> None:
        timeline = after_day.report_timeline(self.ctx.store, self.ctx.review_id, today=self.today(),
                                             working_days=self.ctx.report_due_working_days)
        days = self.ctx.report_due_working_days
        text = self.tr("The final report is due by {due} ({days} working days after the review day).").format(
            due=f"{timeline.due:%a %d %b %Y}", days=days)
        if timeline.sent_on is not None:
            text += " " + self.tr("First sent on {sent}.").format(sent=f"{timeline.sent_on:%d %b %Y}")
            style = ""
        elif timeline.overdue:
            text += " " + self.tr("Report overdue: no copy of the final report is recorded as sent.")
            style = OVERDUE_STYLE
        else:
            style = ""
        self.due.setText(text)
        self.due.setStyleSheet(style)
        for group in (self.draft, self.corrections, self.final):
            group.refresh()

    def _on_changed(self, kind: str) -> None:
        if kind in ("after_day", "setup", "bundle", "merge"):
            self.refresh()
