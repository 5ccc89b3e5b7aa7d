"""Starting a review: the few facts needed to open it. Everything else is on the Set-up page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.kloe import Template, TemplateRegistry
from app.models.enums import Service, SettingKind
from app.services import reviews
from app.services.dto import ReviewSetup
from app.services.errors import ReviewDayError
from app.ui.widgets import DATE_FORMAT, OptionalDateEdit, to_qdate
from app.ui.theme import SECONDARY_TEXT
from app.ui.layout_fit import GrowToFit

NHS_BLUE = "#005EB8"
PROBLEM_COLOUR = "#b3261e"
# The review type whose whole point is long-term segregation.
LTS_TEMPLATE_ID = "icetr"

_LTS_EMPHASIS = (
    "QCheckBox#newReviewLts { font-weight: 600; color: %s; }" % NHS_BLUE
)


class NewReviewDialog(QDialog):
    """Asks for the review type, the person's pseudonym and the basics; returns a ReviewSetup."""

    def __init__(self, registry: TemplateRegistry, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newReviewDialog")
        self.setWindowTitle(self.tr("New review"))
        self.setModal(True)
        self.registry = registry
        self.today = today
        self.templates: list[Template] = list(registry.latest_all())
        self._lts_touched = False
        self._setting_touched = False
        # A follow-up: the previous review's set-up (details the dialog does not show come from it)
        # and its date (the new one must be later).
        self._prefill: ReviewSetup | None = None
        self._after: date | None = None

        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("newReviewType")
        self.type_combo.setAccessibleName(self.tr("Review type"))
        for template in self.templates:
            self.type_combo.addItem(template.title, template.id)
            self.type_combo.setItemData(self.type_combo.count() - 1, template.description, Qt.ItemDataRole.ToolTipRole)
        self.type_description = QLabel(self)
        self.type_description.setObjectName("newReviewTypeDescription")
        self.type_description.setWordWrap(True)
        self.type_description.setStyleSheet(f"color: {SECONDARY_TEXT};")

        self.person_label = QLineEdit(self)
        self.person_label.setObjectName("newReviewPerson")
        self.person_label.setAccessibleName(self.tr("Initials or pseudonym"))
        self.person_label.setPlaceholderText(self.tr("For example J.B."))
        self.person_label.setMaxLength(reviews.PERSON_LABEL_MAX)
        person_hint = QLabel(self.tr("Required. Initials or a pseudonym only, never the full name."), self)
        person_hint.setObjectName("newReviewPersonHint")
        person_hint.setWordWrap(True)
        person_hint.setStyleSheet(f"color: {SECONDARY_TEXT};")
        self.person_label.setAccessibleDescription(person_hint.text())

        self.review_date = QDateEdit(self)
        self.review_date.setObjectName("newReviewDate")
        self.review_date.setAccessibleName(self.tr("Review date"))
        self.review_date.setDisplayFormat(DATE_FORMAT)
        self.review_date.setCalendarPopup(True)
        self.review_date.setDate(to_qdate(today))

        self.setting_kind = QComboBox(self)
        self.setting_kind.setObjectName("newReviewSetting")
        self.setting_kind.setAccessibleName(self.tr("Setting"))
        self.setting_kind.addItem(self.tr("Hospital"), SettingKind.HOSPITAL)
        self.setting_kind.addItem(self.tr("Community"), SettingKind.COMMUNITY)
        self.setting_kind.activated.connect(self._setting_chosen)

        self.hospital = QLineEdit(self)
        self.hospital.setObjectName("newReviewHospital")
        self.hospital.setAccessibleName(self.tr("Hospital"))
        self.ward = QLineEdit(self)
        self.ward.setObjectName("newReviewWard")
        self.ward.setAccessibleName(self.tr("Ward"))
        self.secure = QCheckBox(self.tr("Secure service"), self)
        self.secure.setObjectName("newReviewSecure")
        self.secure.setAccessibleName(self.tr("Secure service"))

        self.long_term_segregation = QCheckBox(self.tr("In long-term segregation"), self)
        self.long_term_segregation.setObjectName("newReviewLts")
        self.long_term_segregation.setAccessibleName(self.tr("In long-term segregation"))
        self.long_term_segregation.clicked.connect(self._lts_clicked)
        self.lts_note = QLabel(self.tr("An IC(E)TR is for a person in long-term segregation."), self)
        self.lts_note.setObjectName("newReviewLtsNote")
        self.lts_note.setWordWrap(True)
        self.lts_note.setStyleSheet(f"color: {SECONDARY_TEXT};")

        self.admission_date = OptionalDateEdit(self, default_date=today, accessible_name=self.tr("Admission date"))
        self.admission_date.setObjectName("newReviewAdmission")
        self.admission_date.setToolTip(self.tr("Optional; gives the length of stay"))

        self.problem = QLabel(self)
        self.problem.setObjectName("newReviewProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {PROBLEM_COLOUR}; font-weight: 600;")
        self.problem.setAccessibleName(self.tr("Problem"))
        self.problem.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Start review"))
        self.ok_button.setObjectName("newReviewOk")
        self.ok_button.setAccessibleName(self.tr("Start review"))
        self.ok_button.setToolTip(self.tr("Enter the person's initials or pseudonym first"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("newReviewCancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._label(self.tr("Review &type"), self.type_combo), self._stacked(self.type_combo, self.type_description))
        form.addRow(
            self._label(self.tr("Initials or &pseudonym"), self.person_label), self._stacked(self.person_label, person_hint)
        )
        form.addRow(self._label(self.tr("Review &date"), self.review_date), self.review_date)
        form.addRow(self._label(self.tr("&Setting"), self.setting_kind), self.setting_kind)
        form.addRow(self._label(self.tr("&Hospital"), self.hospital), self.hospital)
        form.addRow(self._label(self.tr("&Ward"), self.ward), self.ward)
        form.addRow("", self.secure)
        form.addRow("", self._stacked(self.long_term_segregation, self.lts_note))
        form.addRow(self._label(self.tr("Ad&mission date"), self.admission_date.edit), self.admission_date)

        heading = QLabel(self.tr("Start a new review"), self)
        heading.setObjectName("newReviewHeading")
        heading.setStyleSheet(f"#newReviewHeading {{ font-size: 13pt; font-weight: 600; color: {NHS_BLUE}; }}")
        more = QLabel(self.tr("Legal status, age band and the rest go on the Set-up page once the review is open."), self)
        more.setObjectName("newReviewMore")
        more.setWordWrap(True)
        more.setStyleSheet(f"color: {SECONDARY_TEXT};")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(more)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.grow_to_fit = GrowToFit(self)  # the review type's description, whole at any text size

        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.person_label.textChanged.connect(self._update_ok)
        self._type_changed()
        self._update_ok()
        self.person_label.setFocus(Qt.FocusReason.OtherFocusReason)

    @classmethod
    def ask(cls, parent: QWidget | None, registry: TemplateRegistry, today: date) -> ReviewSetup | None:
        """Show the dialog; the set-up to create, or None if cancelled. Tests replace this."""
        dialog = cls(registry, today, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.setup()
            return None
        finally:
            dialog.deleteLater()

    @classmethod
    def ask_follow_up(
        cls, parent: QWidget | None, registry: TemplateRegistry, today: date, setup: ReviewSetup, previous_date: date
    ) -> ReviewSetup | None:
        """The same dialog for the person's next review, filled from the previous one. Tests replace this."""
        dialog = cls(registry, today, parent)
        dialog.prefill_follow_up(setup, previous_date)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.setup()
            return None
        finally:
            dialog.deleteLater()

    # Public ----------------------------------------------------------------------------

    def prefill_follow_up(self, setup: ReviewSetup, previous_date: date) -> None:
        """Fill the fields from the previous review's set-up; the date must be after previous_date."""
        self._prefill, self._after = setup, previous_date
        self.setWindowTitle(self.tr("New follow-up review"))
        self.ok_button.setText(self.tr("Start follow-up review"))
        self.ok_button.setAccessibleName(self.tr("Start follow-up review"))
        heading = self.findChild(QLabel, "newReviewHeading")
        if heading is not None:
            heading.setText(self.tr("Follow-up review for {person}").format(person=setup.person_label))
        self.select_template(setup.template_id)
        self.person_label.setText(setup.person_label)
        self.review_date.setDate(to_qdate(setup.review_date))
        self.setting_kind.setCurrentIndex(self.setting_kind.findData(setup.setting_kind))
        self._setting_touched = True
        self.hospital.setText(setup.hospital)
        self.ward.setText(setup.ward)
        self.secure.setChecked(setup.secure)
        self.long_term_segregation.setChecked(setup.long_term_segregation)
        self._lts_touched = True
        self.admission_date.set_value(setup.admission_date)
        self.review_date.setFocus(Qt.FocusReason.OtherFocusReason)

    def template(self) -> Template:
        return self.templates[max(self.type_combo.currentIndex(), 0)]

    def select_template(self, template_id: str) -> None:
        self.type_combo.setCurrentIndex(self.type_combo.findData(template_id))

    def setup(self) -> ReviewSetup:
        """What the dialog holds, as a set-up (not yet validated)."""
        template = self.template()
        chosen = ReviewSetup(
            template_id=template.id,
            person_label=self.person_label.text().strip(),
            review_date=self.review_date.date().toPython(),
            setting_kind=SettingKind(self.setting_kind.currentData()),
            hospital=self.hospital.text().strip(),
            ward=self.ward.text().strip(),
            secure=self.secure.isChecked(),
            service=Service.CAMHS if template.age_group == "children" else Service.ADULT,
            admission_date=self.admission_date.value(),
            long_term_segregation=self.long_term_segregation.isChecked(),
        )
        if self._prefill is None:
            return chosen
        # Legal status, age band and the rest are not in the dialog: they come from the previous review.
        shown = ("template_id", "person_label", "review_date", "setting_kind", "hospital", "ward", "secure",
                 "service", "admission_date", "long_term_segregation")
        return replace(self._prefill, **{name: getattr(chosen, name) for name in shown})

    def accept(self) -> None:
        """Only close with a set-up the service would accept; otherwise say why and stay open."""
        try:
            setup = reviews.validate_setup(self.setup())
        except ReviewDayError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        if self._after is not None and setup.review_date <= self._after:
            self.problem.setText(self.tr("A follow-up review must be after the previous review ({date}); "
                                         "choose a later date.").format(date=f"{self._after:%d %b %Y}"))
            self.problem.show()
            return
        super().accept()

    # Internals -------------------------------------------------------------------------

    def _stacked(self, field: QWidget, hint: QLabel) -> QWidget:
        """A field with its hint just beneath it, closer than the form's row spacing."""
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        column.addWidget(hint)
        return holder

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _update_ok(self) -> None:
        filled = bool(self.person_label.text().strip())
        self.ok_button.setEnabled(filled)
        self.ok_button.setToolTip("" if filled else self.tr("Enter the person's initials or pseudonym first"))
        if filled and self.problem.text() == self.tr("Enter the person's initials or a pseudonym."):
            self.problem.hide()

    def _type_changed(self) -> None:
        template = self.template()
        self.type_description.setText(template.description)
        self.type_combo.setToolTip(template.description)
        if not self._setting_touched:
            setting = SettingKind.COMMUNITY if template.setting == "community" else SettingKind.HOSPITAL
            self.setting_kind.setCurrentIndex(self.setting_kind.findData(setting))
        is_lts_type = template.id == LTS_TEMPLATE_ID
        if not self._lts_touched:
            self.long_term_segregation.setChecked(is_lts_type)
        self.long_term_segregation.setStyleSheet(_LTS_EMPHASIS if is_lts_type else "")
        self.lts_note.setVisible(is_lts_type)

    def _lts_clicked(self) -> None:
        self._lts_touched = True

    def _setting_chosen(self) -> None:
        self._setting_touched = True
