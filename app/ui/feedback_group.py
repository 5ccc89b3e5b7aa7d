"""Feedback on the review from the person and their family: did they feel listened to, and their words.

Saved through app/services/outcomes.py (autosaved like the set-up). The scale goes to the
oversight summary; the words stay in the review.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from app.models.enums import Listened
from app.services import outcomes
from app.services.dto import FEEDBACK_FIELDS
from app.services.errors import ReviewDayError, StorageError
from app.ui.context import ReviewContext


class FeedbackGroup(QGroupBox):
    """Two scales and two lines of words, saved together a moment after the last change."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Feedback on the review"), parent)
        self.setObjectName("setupFeedbackBox")
        self.ctx = ctx
        self._loading = False
        form = QFormLayout(self)
        form.setContentsMargins(12, 14, 12, 12)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        choices = (
            (Listened.NOT_ASKED, self.tr("Not asked yet")), (Listened.YES, self.tr("Yes")),
            (Listened.PARTLY, self.tr("Partly")), (Listened.NO, self.tr("No")),
            (Listened.DID_NOT_SAY, self.tr("Did not want to say")),
        )
        self.person_listened = self._combo("feedbackPersonListened", self.tr("Did the person feel listened to?"),
                                           choices)
        self.person_feedback = self._line("feedbackPersonWords", self.tr("The person's words about the review"))
        self.family_listened = self._combo("feedbackFamilyListened", self.tr("Did the family feel listened to?"),
                                           choices)
        self.family_feedback = self._line("feedbackFamilyWords", self.tr("The family's words about the review"))
        for widget in (self.person_listened, self.person_feedback, self.family_listened, self.family_feedback):
            label = QLabel(widget.accessibleName(), self)
            label.setBuddy(widget)
            label.setWordWrap(True)
            form.addRow(label, widget)
        self.refresh()
        ctx.changed.connect(self._on_changed)

    def _combo(self, name: str, accessible: str, choices) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for value, label in choices:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _i: self._edited(immediate=True))
        return combo

    def _line(self, name: str, accessible: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setToolTip(self.tr("Stays in the review; never in the oversight summary"))
        edit.textEdited.connect(lambda _text: self._edited())
        edit.editingFinished.connect(self.ctx.autosaver.flush)
        return edit

    def values(self) -> dict:
        return {
            "person_listened": Listened(self.person_listened.currentData()),
            "person_feedback": self.person_feedback.text(),
            "family_listened": Listened(self.family_listened.currentData()),
            "family_feedback": self.family_feedback.text(),
        }

    def refresh(self) -> None:
        feedback = self.ctx.review.feedback
        self._loading = True
        try:
            for combo, value in ((self.person_listened, feedback.person_listened),
                                 (self.family_listened, feedback.family_listened)):
                combo.setCurrentIndex(max(0, combo.findData(value)))
            for edit, value in ((self.person_feedback, feedback.person_feedback),
                                (self.family_feedback, feedback.family_feedback)):
                if edit.text().strip() != value:
                    edit.setText(value)
        finally:
            self._loading = False

    def _edited(self, *, immediate: bool = False) -> None:
        if self._loading:
            return
        self.ctx.autosaver.schedule("feedback", partial(self._write, self.values()))
        if immediate:
            self.ctx.autosaver.flush()

    def _write(self, values: dict) -> None:
        try:
            outcomes.record_feedback(self.ctx.store, self.ctx.review_id, self.ctx.actor,
                                     **{k: values[k] for k in FEEDBACK_FIELDS})
        except StorageError:
            raise  # the autosaver keeps the write and retries
        except ReviewDayError as exc:
            self.ctx.message.emit(str(exc))
            return
        self.ctx.reload_review()

    def _on_changed(self, kind: str) -> None:
        if kind in ("setup", "feedback", "bundle", "merge"):
            self.refresh()
