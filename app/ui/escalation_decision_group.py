"""The panel's escalation decision on the set-up page, beside the oversight criteria.

Escalate or not; the reasons (any criterion, met today or not, and "other concern" in the panel's
words); why not, when a criterion is met but the panel does not escalate; who decided (from the
register) and when; the oversight panel's outcome; when the person, family and advocate were told,
or why not. Saved together through app/services/escalation_decision.py, a moment after the last
change, like the rest of the set-up; what is still missing is listed under the fields.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from app.models.enums import EscalationDecision
from app.services import escalation, escalation_decision, people
from app.services.dto import DECISION_COLUMNS
from app.services.errors import ReviewDayError, StorageError
from app.ui.context import ReviewContext
from app.ui.widgets import OptionalDateEdit

PROBLEM_COLOUR = "#b3261e"
MISSING_COLOUR = "#8a4b00"
CodeRole = Qt.ItemDataRole.UserRole + 1


class EscalationDecisionGroup(QGroupBox):
    """The decision's fields, saved as one record."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("The panel's escalation decision"), parent)
        self.setObjectName("setupDecisionBox")
        self.ctx = ctx
        self._loading = False
        self._own_change = False
        self._refused = ""
        form = QFormLayout(self)
        form.setContentsMargins(12, 14, 12, 12)
        form.setVerticalSpacing(6)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def row(text: str, widget: QWidget, buddy: QWidget | None = None) -> None:
            label = QLabel(text, self)
            label.setWordWrap(True)
            label.setBuddy(buddy or widget)
            form.addRow(label, widget)

        self.decision = QComboBox(self)
        self.decision.setObjectName("decisionChoice")
        self.decision.setAccessibleName(self.tr("Escalation decision"))
        labels = {
            EscalationDecision.UNDECIDED: self.tr("Not decided yet"),
            EscalationDecision.ESCALATE: self.tr("Escalate to the ICS oversight panel"),
            EscalationDecision.NOT_ESCALATE: self.tr("Do not escalate"),
        }
        for value, text in labels.items():
            self.decision.addItem(text, value)
        self.decision.currentIndexChanged.connect(self._decision_changed)
        row(self.tr("Decision"), self.decision)

        self.reasons = QListWidget(self)
        self.reasons.setObjectName("decisionReasons")
        self.reasons.setAccessibleName(self.tr("Reasons for escalating"))
        self.reasons.setToolTip(self.tr("Tick every reason; the criteria are not exclusive, so another concern "
                                        "can be a reason too"))
        for code in escalation_decision.REASON_CODES:
            item = QListWidgetItem(self.reasons)
            item.setData(CodeRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.reasons.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Every reason in view at once, at any text size: the row height times the rows.
        self.reasons.setFixedHeight(self.reasons.sizeHintForRow(0) * self.reasons.count()
                                    + 2 * self.reasons.frameWidth() + 2)
        self.reasons.itemChanged.connect(lambda _item: self._edited(immediate=True))
        row(self.tr("Reasons"), self.reasons)

        self.other_concern = self._line("decisionOtherConcern", self.tr("The other concern"),
                                        self.tr("A reason outside the listed criteria"))
        row(self.tr("Other concern"), self.other_concern)
        self.not_because = self._line("decisionNotBecause", self.tr("Why not escalated"),
                                      self.tr("Needed when criteria are met but the panel does not escalate"))
        row(self.tr("Why not escalated"), self.not_because)

        self.decided_by = QComboBox(self)
        self.decided_by.setObjectName("decisionDecidedBy")
        self.decided_by.setAccessibleName(self.tr("Decided by"))
        self.decided_by.setToolTip(self.tr("A named person from the attendance register"))
        self.decided_by.currentIndexChanged.connect(lambda _i: self._edited(immediate=True))
        row(self.tr("Decided by"), self.decided_by)
        self.decided_on = self._date("decisionDecidedOn", self.tr("Date decided"))
        row(self.tr("Date decided"), self.decided_on, self.decided_on.edit)

        self.oversight_outcome = self._line("decisionOutcome", self.tr("The oversight panel's outcome"),
                                            self.tr("What the ICS oversight panel decided, once it has met"))
        row(self.tr("Oversight panel's outcome"), self.oversight_outcome)
        self.oversight_outcome_on = self._date("decisionOutcomeOn", self.tr("Date of the oversight panel's outcome"))
        row(self.tr("Outcome date"), self.oversight_outcome_on, self.oversight_outcome_on.edit)

        self.told: dict[str, tuple[OptionalDateEdit, QLineEdit]] = {}
        names = {"person": self.tr("The person told"), "family": self.tr("Family told"),
                 "advocate": self.tr("Advocate told")}
        for who, _named in escalation_decision.TOLD:
            holder = QWidget(self)
            line = QHBoxLayout(holder)
            line.setContentsMargins(0, 0, 0, 0)
            told_on = self._date(f"decisionTold_{who}", names[who])
            because = self._line(f"decisionNotTold_{who}", self.tr("{who}: not told, because").format(who=names[who]),
                                 self.tr("Or: not told, because…"))
            because.setPlaceholderText(self.tr("or not told, because…"))
            line.addWidget(told_on)
            line.addWidget(because, 1)
            self.told[who] = (told_on, because)
            row(names[who], holder, told_on.edit)

        self.problems = QLabel(self)
        self.problems.setObjectName("decisionProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setAccessibleName(self.tr("What the decision still needs"))
        form.addRow(self.problems)

        self.refresh()
        ctx.changed.connect(self._on_changed)

    # Building -------------------------------------------------------------------------

    def _line(self, name: str, accessible: str, tip: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setToolTip(tip)
        edit.textEdited.connect(lambda _text: self._edited())
        edit.editingFinished.connect(self._flush)
        return edit

    def _date(self, name: str, accessible: str) -> OptionalDateEdit:
        edit = OptionalDateEdit(self, accessible_name=accessible)
        edit.setObjectName(name)
        edit.value_changed.connect(lambda _value: self._edited(immediate=True))
        return edit

    # Values ---------------------------------------------------------------------------

    def chosen(self) -> EscalationDecision:
        return EscalationDecision(self.decision.currentData())

    def ticked(self) -> list[str]:
        return [self.reasons.item(i).data(CodeRole) for i in range(self.reasons.count())
                if self.reasons.item(i).checkState() == Qt.CheckState.Checked]

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "decision": self.chosen(),
            "reasons": escalation_decision.reasons_value(self.ticked()),
            "other_concern": self.other_concern.text(),
            "not_because": self.not_because.text(),
            "decided_by": self.decided_by.currentData() or "",
            "decided_on": self.decided_on.value(),
            "oversight_outcome": self.oversight_outcome.text(),
            "oversight_outcome_on": self.oversight_outcome_on.value(),
        }
        for who, (told_on, because) in self.told.items():
            values[f"{who}_told_on"] = told_on.value()
            values[f"{who}_not_told_because"] = because.text()
        return values

    # Showing what is saved -----------------------------------------------------------

    def refresh(self) -> None:
        data = self.ctx.review.decision
        met = {flag.code for flag in self._flags()}
        self._loading = True
        try:
            self.decision.setCurrentIndex(max(0, self.decision.findData(data.decision)))
            stored = set(data.reasons.split())
            for i in range(self.reasons.count()):
                item = self.reasons.item(i)
                code = item.data(CodeRole)
                title = escalation_decision.REASON_TITLES[code]
                item.setText(self.tr("{title} (met)").format(title=title) if code in met else title)
                item.setCheckState(Qt.CheckState.Checked if code in stored else Qt.CheckState.Unchecked)
            register = [a.name for a in people.list_attendees(self.ctx.store, self.ctx.review_id)]
            self.decided_by.clear()
            self.decided_by.addItem(self.tr("Choose from the register"), "")
            for name in register:
                self.decided_by.addItem(name, name)
            if data.decided_by and data.decided_by not in register:
                self.decided_by.addItem(data.decided_by, data.decided_by)  # kept as recorded
            self.decided_by.setCurrentIndex(max(0, self.decided_by.findData(data.decided_by)))
            for edit, value in ((self.other_concern, data.other_concern), (self.not_because, data.not_because),
                                (self.oversight_outcome, data.oversight_outcome)):
                if edit.text().strip() != value:
                    edit.setText(value)
            for edit, value in ((self.decided_on, data.decided_on), (self.oversight_outcome_on, data.oversight_outcome_on)):
                edit.set_value(value)
            for who, (told_on, because) in self.told.items():
                told_on.set_value(getattr(data, f"{who}_told_on"))
                if because.text().strip() != getattr(data, f"{who}_not_told_because"):
                    because.setText(getattr(data, f"{who}_not_told_because"))
            day = self.ctx.review.review_date
            for edit in (self.decided_on, self.oversight_outcome_on, *(t for t, _ in self.told.values())):
                edit.set_default_date(day)
        finally:
            self._loading = False
        self._update_enabled()
        self._show_problems()

    def _flags(self) -> tuple[escalation.EscalationFlag, ...]:
        try:
            return escalation.assess(self.ctx.store, self.ctx.review_id).flags
        except ReviewDayError:
            return ()

    def _update_enabled(self) -> None:
        escalate = self.chosen() is EscalationDecision.ESCALATE
        self.reasons.setEnabled(escalate)
        self.other_concern.setEnabled(escalate and "other" in self.ticked())
        self.not_because.setEnabled(self.chosen() is EscalationDecision.NOT_ESCALATE)
        self.oversight_outcome.setEnabled(escalate)
        self.oversight_outcome_on.setEnabled(escalate)

    def _show_problems(self) -> None:
        if self._refused:
            lines, colour = [self._refused], PROBLEM_COLOUR
        else:
            try:
                lines = escalation_decision.decision_problems(self.ctx.store, self.ctx.review_id)
            except ReviewDayError:
                lines = []
            colour = MISSING_COLOUR
        self.problems.setText("\n".join(f"\u2022 {line}" for line in lines))
        self.problems.setStyleSheet(f"#decisionProblems {{ color: {colour}; }}")
        self.problems.setVisible(bool(lines))

    # Saving ---------------------------------------------------------------------------

    def _decision_changed(self, _index: int) -> None:
        if self._loading:
            return
        if self.chosen() is EscalationDecision.ESCALATE and not self.ticked():
            # Start from the criteria met today; the panel unticks or adds as it decides.
            met = {flag.code for flag in self._flags()}
            self._loading = True
            try:
                for i in range(self.reasons.count()):
                    item = self.reasons.item(i)
                    if item.data(CodeRole) in met:
                        item.setCheckState(Qt.CheckState.Checked)
            finally:
                self._loading = False
        self._edited(immediate=True)

    def _edited(self, *, immediate: bool = False) -> None:
        if self._loading:
            return
        self._update_enabled()
        self.ctx.autosaver.schedule("decision", partial(self._write, self.values()))
        if immediate:
            self._flush()

    def _flush(self) -> None:
        self.ctx.autosaver.flush()

    def _write(self, values: dict[str, Any]) -> None:
        try:
            escalation_decision.record_decision(self.ctx.store, self.ctx.review_id, self.ctx.actor,
                                                **{k: values[k] for k in DECISION_COLUMNS if k in values})
        except StorageError:
            raise  # the autosaver keeps the write and retries; what was typed stays on screen
        except ReviewDayError as exc:
            # Refused: keep what is on screen, say why once, and here until it is put right.
            self._refused = str(exc)
            self.setStyleSheet(f"#setupDecisionBox {{ border: 2px solid {PROBLEM_COLOUR}; }}")
            self._show_problems()
            self.ctx.message.emit(str(exc))
            return
        self._refused = ""
        self.setStyleSheet("")
        self.ctx.reload_review()
        self._own_change = True
        try:
            self.ctx.changed.emit("decision")
        finally:
            self._own_change = False
        self._show_problems()

    def _on_changed(self, kind: str) -> None:
        if self._own_change:
            return
        if self._refused:
            # Keep the refused values on screen; only the criteria's "(met)" marks and problems move.
            self._show_problems()
            return
        self.refresh()
