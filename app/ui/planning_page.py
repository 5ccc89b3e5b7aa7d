"""Planning before the day: notice given, the family consulted on the date, the pre-meeting and the
documents asked for (the review type's checklist), with a warning when no family member or advocate
is on the attendance register.

Every change is saved (typed text a moment after typing stops) and is an undo step
(app/ui/planning_commands.py); a refusal is shown in one sentence and the field keeps what was typed.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import DocumentStatus, YesNo
from app.services import planning
from app.services.dto import PlanningData
from app.ui.context import ReviewContext
from app.ui.planning_commands import DocumentStatusCommand, PlanningFieldsCommand
from app.ui.theme import SECONDARY_TEXT
from app.ui.widgets import OptionalDateEdit

WARNING_STYLE = "color: #8a4b00; font-weight: 600;"


class PlanningPage(QWidget):
    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planningPage")
        self.ctx = ctx
        self._loading = False
        review_date = ctx.review.review_date

        title = QLabel(self.tr("Planning before the day"), self)
        title.setObjectName("planningTitle")
        title.setStyleSheet("#planningTitle { font-size: 14pt; font-weight: 600; color: #005EB8; }")
        intro = QLabel(self.tr("Who was told of the review and when, the family's say in the date, the "
                               "pre-meeting, and the papers asked for before the day."), self)
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {SECONDARY_TEXT};")
        self.warning = QLabel(self)
        self.warning.setObjectName("planningWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.setAccessibleName(self.tr("Planning warning"))

        notice_box = QGroupBox(self.tr("Notice and the date"), self)
        notice_box.setObjectName("planningNoticeBox")
        form = QFormLayout(notice_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.notice_given_on = self._date("planningNoticeGivenOn", self.tr("Date notice was given"),
                                          "notice_given_on", review_date)
        form.addRow(self._label(self.tr("Notice given on"), self.notice_given_on.edit), self.notice_given_on)
        self.notice_given_to = QLineEdit(notice_box)
        self.notice_given_to.setObjectName("planningNoticeGivenTo")
        self.notice_given_to.setAccessibleName(self.tr("Notice given to"))
        self.notice_given_to.setPlaceholderText(self.tr("For example: the person, their mother, the provider"))
        self.notice_given_to.setMaxLength(200)
        self.notice_given_to.textEdited.connect(lambda _t: self._edited({"notice_given_to": self.notice_given_to.text()}))
        self.notice_given_to.editingFinished.connect(ctx.autosaver.flush)
        form.addRow(self._label(self.tr("Notice given to"), self.notice_given_to), self.notice_given_to)
        self.family_consulted = QComboBox(notice_box)
        self.family_consulted.setObjectName("planningFamilyConsulted")
        self.family_consulted.setAccessibleName(self.tr("Family consulted on the date"))
        for value, label in ((YesNo.UNKNOWN, self.tr("Not recorded")), (YesNo.YES, self.tr("Yes")),
                             (YesNo.NO, self.tr("No"))):
            self.family_consulted.addItem(label, value)
        self.family_consulted.currentIndexChanged.connect(self._family_changed)
        form.addRow(self._label(self.tr("Family consulted on the date"), self.family_consulted), self.family_consulted)
        self.family_consulted_on = self._date("planningFamilyConsultedOn", self.tr("Date the family was consulted"),
                                              "family_consulted_on", review_date)
        form.addRow(self._label(self.tr("Family consulted on"), self.family_consulted_on.edit),
                    self.family_consulted_on)
        self.pre_meeting_on = self._date("planningPreMeetingOn", self.tr("Date of the pre-meeting"),
                                         "pre_meeting_on", review_date)
        form.addRow(self._label(self.tr("Pre-meeting held on"), self.pre_meeting_on.edit), self.pre_meeting_on)

        documents_box = QGroupBox(self.tr("Documents before the day"), self)
        documents_box.setObjectName("planningDocumentsBox")
        self.documents_form = QFormLayout(documents_box)
        self.documents_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.documents_summary = QLabel(documents_box)
        self.documents_summary.setObjectName("planningDocumentsSummary")
        self.documents_summary.setStyleSheet(f"color: {SECONDARY_TEXT};")
        self.documents_form.addRow(self.documents_summary)
        self.documents: dict[str, QComboBox] = {}
        self._titles: dict[str, str] = {}
        for document in planning.get_planning(ctx.store, ctx.review_id, ctx.registry).documents:
            combo = QComboBox(documents_box)
            combo.setObjectName(f"planningDocument_{document.id}")
            combo.setAccessibleName(document.title)
            for status in DocumentStatus:
                combo.addItem(self.tr(planning.STATUS_LABELS[status]), status)
            combo.currentIndexChanged.connect(partial(self._document_changed, document.id))
            self.documents[document.id] = combo
            self._titles[document.id] = document.title
            self.documents_form.addRow(self._label(document.title, combo), combo)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.warning)
        layout.addWidget(notice_box)
        layout.addWidget(documents_box)
        layout.addStretch(1)

        self.refresh()
        ctx.changed.connect(self._on_changed)

    # Building -----------------------------------------------------------------------------

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _date(self, name: str, accessible: str, field: str, review_date: date) -> OptionalDateEdit:
        edit = OptionalDateEdit(self, accessible_name=accessible, default_date=review_date)
        edit.setObjectName(name)
        edit.value_changed.connect(lambda value: self._edited({field: value}, immediate=True))
        return edit

    # Reading and writing --------------------------------------------------------------------

    def data(self) -> PlanningData:
        return planning.get_planning(self.ctx.store, self.ctx.review_id, self.ctx.registry)

    def refresh(self) -> None:
        data = self.data()
        fields = data.fields
        self._loading = True
        try:
            self.notice_given_on.set_value(fields.notice_given_on)
            if self.notice_given_to.text().strip() != fields.notice_given_to:
                self.notice_given_to.setText(fields.notice_given_to)
            self.family_consulted.setCurrentIndex(max(0, self.family_consulted.findData(fields.family_consulted)))
            self.family_consulted_on.set_value(fields.family_consulted_on)
            self.family_consulted_on.setEnabled(fields.family_consulted is YesNo.YES)
            self.pre_meeting_on.set_value(fields.pre_meeting_on)
            for document in data.documents:
                combo = self.documents.get(document.id)
                if combo is not None:
                    combo.setCurrentIndex(max(0, combo.findData(document.status)))
        finally:
            self._loading = False
        self.warning.setText("\n".join(self.tr(w) for w in data.warnings))
        self.warning.setVisible(bool(data.warnings))
        self.documents_summary.setText(self.tr(planning.document_summary(data)))

    def _edited(self, changes: dict[str, Any], *, immediate: bool = False) -> None:
        if self._loading:
            return
        key = "planning:" + "+".join(sorted(changes))
        self.ctx.autosaver.schedule(key, partial(self._write, dict(changes)))
        if immediate:
            self.ctx.autosaver.flush()

    def _write(self, changes: dict[str, Any]) -> None:
        # A refusal is shown by ctx.call and leaves no undo step; the screen keeps what was typed.
        self.ctx.undo_stack.push(PlanningFieldsCommand(self.ctx, changes))

    def _family_changed(self, _index: int) -> None:
        value = YesNo(self.family_consulted.currentData())
        self.family_consulted_on.setEnabled(value is YesNo.YES)
        changes: dict[str, Any] = {"family_consulted": value}
        if value is not YesNo.YES:
            changes["family_consulted_on"] = None  # a date only goes with "yes"
        self._edited(changes, immediate=True)

    def _document_changed(self, document_id: str, _index: int) -> None:
        if self._loading:
            return
        self.ctx.autosaver.flush()
        combo = self.documents[document_id]
        self.ctx.undo_stack.push(DocumentStatusCommand(self.ctx, document_id, self._titles[document_id],
                                                       DocumentStatus(combo.currentData())))

    def _on_changed(self, kind: str) -> None:
        if kind in ("planning", "people", "bundle", "merge"):
            self.refresh()
