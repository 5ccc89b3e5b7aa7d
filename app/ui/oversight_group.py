"""The ICS oversight panel on the set-up page: the criteria's fields, and a banner of the flags.

The fields autosave through the set-up page like its other fields. The banner lists every
escalation flag with its reason and the next review's due date, and refreshes after any change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import CqcRating, EscalationRequester
from app.services import escalation, reviews
from app.services.errors import ReviewDayError
from app.services.next_review import due_after_admission, next_review_due
from app.ui.context import ReviewContext

if TYPE_CHECKING:
    from app.ui.setup_page import SetupPage

FLAG_COLOUR = "#8a4b00"
FLAG_BACKGROUND = "#fff9e6"
CALM_BACKGROUND = "#f0f4f5"
BORDER = "#d8dde0"


class OversightGroup(QGroupBox):
    """Fields for the oversight criteria not said elsewhere in the set-up, registered with the page."""

    def __init__(self, page: SetupPage, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Oversight panel"), parent)
        self.setObjectName("setupOversightBox")
        self.setToolTip(self.tr("What the ICS oversight panel escalation criteria need"))
        form = page._form(self)

        def check(name: str, object_name: str, text: str, accessible: str) -> QCheckBox:
            box = page._check_field(name, object_name, text, self)
            box.setAccessibleName(accessible)
            form.addRow(box)
            return box

        self.seclusion = check("seclusion", "setupSeclusion", self.tr("Regular secl&usion"),
                               self.tr("Regular seclusion"))
        self.restrictive_practice = check("restrictive_practice", "setupRestrictivePractice",
                                          self.tr("Other ver&y restrictive practice"),
                                          self.tr("Other very restrictive practice"))
        # The CQC's rating of the ward or unit; "inadequate" is the criterion (the old tick is derived from it).
        self.cqc_rating = page._choice_combo(
            "cqc_rating", "setupCqcRating", self.tr("CQC rating of the ward or unit"),
            ((CqcRating.NOT_RECORDED, self.tr("Not recorded")), (CqcRating.OUTSTANDING, self.tr("Outstanding")),
             (CqcRating.GOOD, self.tr("Good")), (CqcRating.REQUIRES_IMPROVEMENT, self.tr("Requires improvement")),
             (CqcRating.INADEQUATE, self.tr("Inadequate"))),
            self,
        )
        self.cqc_rating.setToolTip(self.tr("A ward or unit rated inadequate is an escalation criterion"))
        form.addRow(page._label(self.tr("CQC rating"), self.cqc_rating), self.cqc_rating)
        self.safeguarding_investigation = check("safeguarding_investigation", "setupSafeguardingInvestigation",
                                                self.tr("Safeguarding &investigation raised"),
                                                self.tr("Safeguarding investigation raised"))
        self.unresolved_complaint = check("unresolved_complaint", "setupUnresolvedComplaint",
                                          self.tr("Unresolved &complaint after formal escalation"),
                                          self.tr("Unresolved complaint after formal escalation"))
        self.moj_restricted = check("moj_restricted", "setupMojRestricted",
                                    self.tr("Restricted by the Ministry of &Justice"),
                                    self.tr("Restricted by the Ministry of Justice"))
        self.moj_restricted.setAccessibleDescription(self.tr(
            "For a legal status not listed: an adult's long stay is not escalated when this is ticked. "
            "A restriction order in the legal status (37/41, 47/49, 48/49) counts by itself; a child is never exempt"
        ))
        self.moj_restricted.setToolTip(self.moj_restricted.accessibleDescription())

        requested = QWidget(self)
        requested.setObjectName("setupEscalationRequestedBy")
        requested.setAccessibleName(self.tr("Escalation requested by"))
        row = QHBoxLayout(requested)
        row.setContentsMargins(0, 0, 0, 0)
        labels = {
            EscalationRequester.PERSON: self.tr("The person"),
            EscalationRequester.FAMILY: self.tr("Family"),
            EscalationRequester.COMMISSIONER: self.tr("Commissioner"),
            EscalationRequester.ADVOCATE: self.tr("Advocate"),
        }
        self.requesters: dict[EscalationRequester, QCheckBox] = {}
        for who, text in labels.items():
            box = QCheckBox(text, requested)
            box.setObjectName(f"setupRequestedBy_{who.value}")
            box.setAccessibleName(self.tr("Escalation requested by {who}").format(who=text.replace("&", "")))
            box.toggled.connect(lambda _checked: page._edited("escalation_requested_by", immediate=True))
            row.addWidget(box)
            self.requesters[who] = box
        row.addStretch(1)
        page._getters["escalation_requested_by"] = self._requested_value
        page._setters["escalation_requested_by"] = self._set_requested
        page._widgets["escalation_requested_by"] = requested
        first = self.requesters[EscalationRequester.PERSON]
        form.addRow(page._label(self.tr("Escalation re&quested by"), first), requested)

        self.declined_before = QSpinBox(self)
        self.declined_before.setObjectName("setupDeclinedBefore")
        self.declined_before.setRange(0, reviews.DECLINED_BEFORE_MAX)
        self.declined_before.setAccessibleName(self.tr("Reviews declined earlier"))
        self.declined_before.setAccessibleDescription(
            self.tr("Reviews the person declined that are not in this database; those that are count by themselves")
        )
        self.declined_before.setToolTip(self.declined_before.accessibleDescription())
        page._getters["declined_before"] = self.declined_before.value
        page._setters["declined_before"] = self.declined_before.setValue
        page._widgets["declined_before"] = self.declined_before
        self.declined_before.valueChanged.connect(lambda _value: page._edited("declined_before"))
        self.declined_before.editingFinished.connect(page._flush_if_pending)
        form.addRow(page._label(self.tr("Reviews declined earlier"), self.declined_before), self.declined_before)

    def _requested_value(self) -> str:
        return escalation.requesters_value(who for who, box in self.requesters.items() if box.isChecked())

    def _set_requested(self, value: str) -> None:
        chosen = set(escalation.requesters(value))
        for who, box in self.requesters.items():
            box.setChecked(who in chosen)


class OversightBanner(QFrame):
    """Every escalation flag with its reason, and when the next review is due; refreshed on any change."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("oversightBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Oversight panel escalation"))
        self.heading = QLabel(self)
        self.heading.setObjectName("oversightHeading")
        self.heading.setStyleSheet("font-weight: 600;")
        self.heading.setWordWrap(True)  # large text: wraps rather than widen the page
        self.details = QLabel(self)
        self.details.setObjectName("oversightFlags")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_due = QLabel(self)
        self.next_due.setObjectName("oversightNextReview")
        self.next_due.setWordWrap(True)
        self.next_due.setAccessibleName(self.tr("Next review due"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(3)
        layout.addWidget(self.heading)
        layout.addWidget(self.details)
        layout.addWidget(self.next_due)
        self.flags: tuple[escalation.EscalationFlag, ...] = ()
        self.notes: tuple[str, ...] = ()
        self.refresh()
        ctx.changed.connect(lambda _kind: self.refresh())

    def refresh(self) -> None:
        try:
            found = escalation.assess(self.ctx.store, self.ctx.review_id)
        except ReviewDayError:
            return  # keep what is shown; the save bar already says why the database is unreadable
        self.flags, self.notes = found.flags, found.notes
        count = len(self.flags)
        if count:
            self.heading.setText(
                self.tr("Escalate to the ICS oversight panel: {n} criteria met").format(n=count) if count > 1
                else self.tr("Escalate to the ICS oversight panel: 1 criterion met")
            )
        else:
            self.heading.setText(self.tr("No ICS oversight panel criteria met"))
        lines = [f"\u2022 {flag.title}: {flag.reason}" for flag in self.flags]
        lines += [f"\u2022 {note}" for note in self.notes]
        lines += [f"\u2022 {step.title}: {step.reason}" for step in found.process]
        self.details.setText("\n".join(lines))
        self.details.setVisible(bool(lines))
        review = self.ctx.review
        due = next_review_due(review, self.ctx.template)
        text = due.reason if due.due else self.tr("Next review: {why}").format(why=due.reason)
        after = due_after_admission(review, self.ctx.template)
        if after is not None:
            text = f"{after.reason} {text}"
        self.next_due.setText(text)
        colour = (FLAG_BACKGROUND, FLAG_COLOUR) if count else (CALM_BACKGROUND, "#212b32")
        self.setStyleSheet(
            f"#oversightBanner {{ background: {colour[0]}; border: 1px solid {BORDER}; border-radius: 4px; }}"
            f" #oversightHeading {{ color: {colour[1]}; }}"
        )
        self.setAccessibleDescription(" ".join([self.heading.text(), *lines, text]))
