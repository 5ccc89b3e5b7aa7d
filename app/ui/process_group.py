"""The set-up page's "Place and process" group: the unit, segregation start, why the review was
requested, the next review agreed on the day, and admission and readmission.

The fields are set-up fields: they autosave through the set-up page like its others. The dates
are saved with the review's other dates, because the service checks them against each other.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit, QWidget

from app.models.enums import YesNo
from app.ui.theme import SECONDARY_TEXT
from app.ui.widgets import OptionalDateEdit

if TYPE_CHECKING:
    from app.ui.setup_page import SetupPage


class ProcessGroup(QGroupBox):
    """Fields registered with the set-up page, plus the length of segregation worked out as they change."""

    def __init__(self, page: SetupPage, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Place and process"), parent)
        self.setObjectName("setupProcessBox")
        self.page = page
        form = page._form(self)
        short = page.ctx.template.short_title

        self.unit = QLineEdit(self)
        self.unit.setObjectName("setupUnit")
        self.unit.setAccessibleName(self.tr("Unit"))
        self.unit.setToolTip(self.tr("The unit within the hospital, if it has one (the ward is in Setting)"))
        page._text_field("unit", self.unit)
        form.addRow(page._label(self.tr("Unit"), self.unit), self.unit)

        self.requested_because = QLineEdit(self)
        self.requested_because.setObjectName("setupRequestedBecause")
        label = self.tr("Why this {review} was requested").format(review=short)
        self.requested_because.setAccessibleName(label)
        self.requested_because.setPlaceholderText(self.tr("For example: from the long-term segregation register"))
        page._text_field("requested_because", self.requested_because)
        # A long reason shows from its start, not scrolled to its end.
        page._setters["requested_because"] = self._set_requested_because
        form.addRow(page._label(label, self.requested_because), self.requested_because)

        self.segregation_started = OptionalDateEdit(self, accessible_name=self.tr("Segregation start date"))
        self.segregation_started.setObjectName("setupSegregationStarted")
        self.segregation_started.setToolTip(self.tr("When long-term segregation began; gives how long it has lasted"))
        page._date_field("segregation_started", self.segregation_started)
        form.addRow(page._label(self.tr("Segregation began"), self.segregation_started.edit),
                    self.segregation_started)
        self.segregation_length = QLabel(self)
        self.segregation_length.setObjectName("setupSegregationLength")
        self.segregation_length.setWordWrap(True)
        self.segregation_length.setAccessibleName(self.tr("Length of segregation"))
        self.segregation_length.setStyleSheet(f"color: {SECONDARY_TEXT};")
        form.addRow("", self.segregation_length)

        self.next_review_agreed = OptionalDateEdit(self, accessible_name=self.tr("Next review agreed on the day"))
        self.next_review_agreed.setObjectName("setupNextReviewAgreed")
        self.next_review_agreed.setToolTip(self.tr("The date the panel agreed; it replaces the template's interval"))
        page._date_field("next_review_agreed", self.next_review_agreed)
        form.addRow(page._label(self.tr("Next review agreed"), self.next_review_agreed.edit), self.next_review_agreed)

        yes_no = ((YesNo.UNKNOWN, self.tr("Not known")), (YesNo.YES, self.tr("Yes")), (YesNo.NO, self.tr("No")))
        self.community_review = page._choice_combo(
            "community_review_before_admission", "setupCommunityReviewBefore",
            self.tr("Community C(E)TR before admission"), yes_no, self,
        )
        self.community_review.setToolTip(
            self.tr("No: a root cause analysis of the admission is due, and a post-admission review")
        )
        form.addRow(page._label(self.tr("Community C(E)TR before admission"), self.community_review),
                    self.community_review)

        self.readmission = page._choice_combo("readmission", "setupReadmission", self.tr("Readmission"), yes_no, self)
        form.addRow(page._label(self.tr("Readmission"), self.readmission), self.readmission)
        self.discharge_date = OptionalDateEdit(self, accessible_name=self.tr("Last discharge from hospital"))
        self.discharge_date.setObjectName("setupDischargeDate")
        self.discharge_date.setToolTip(
            self.tr("For a readmission, the discharge before this admission; after discharge, the day the person left")
        )
        page._date_field("discharge_date", self.discharge_date)
        form.addRow(page._label(self.tr("Last discharged"), self.discharge_date.edit), self.discharge_date)

    def _set_requested_because(self, text: str) -> None:
        self.requested_because.setText(text)
        self.requested_because.setCursorPosition(0)

    def update_derived(self, review_date: date) -> None:
        """The length of segregation on the review date, as the dates on screen say."""
        for edit in (self.segregation_started, self.discharge_date):
            edit.set_default_date(review_date)
        self.next_review_agreed.set_default_date(review_date)
        started = self.segregation_started.value()
        if started is None:
            text = ""
        elif started > review_date:
            text = self.tr("The segregation start date is after the review date.")
        else:
            days = (review_date - started).days
            text = self.tr("{days} days ({weeks} weeks) in segregation on the review date").format(
                days=days, weeks=days // 7)
        self.segregation_length.setText(text)
        self.segregation_length.setVisible(bool(text))
