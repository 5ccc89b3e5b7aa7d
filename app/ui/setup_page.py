"""The review's set-up: who, where, under what legal framework, and when. Every field autosaves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Mode, SecureLevel, Service, SettingKind
from app.services import escalation, reviews
from app.services.dto import SETUP_FIELDS
from app.services.errors import ReviewDayError, StorageError
from app.ui.context import ReviewContext
from app.ui.durations import describe_length_of_stay
from app.ui.layout_fit import StackingColumns
from app.ui.escalation_decision_group import EscalationDecisionGroup
from app.ui.feedback_group import FeedbackGroup
from app.ui.oversight_group import OversightBanner, OversightGroup
from app.ui.process_group import ProcessGroup
from app.ui.widgets import DATE_FORMAT, OptionalDateEdit, to_qdate
from app.ui.theme import SECONDARY_TEXT

NHS_BLUE = "#005EB8"
PROBLEM_COLOUR = "#b3261e"
LONG_STAY_COLOUR = "#8a4b00"

AGE_BANDS: tuple[str, ...] = ("Under 14", "14-17", "18-25", "26-64", "65+")
LEGAL_STATUSES: tuple[str, ...] = (
    "Informal",
    "Section 2 MHA",
    "Section 3 MHA",
    "Section 37 MHA",
    "Section 37/41 MHA",
    "Section 47/49 MHA",
    "Section 48/49 MHA",
    "Community Treatment Order",
    "Deprivation of Liberty",
    "Not detained",
)
# ICS oversight panel criterion: a stay this long (in months) is escalated.
LONG_STAY_MONTHS = {Service.ADULT: 12, Service.CAMHS: 6}

# Fields validated against each other are saved together, so fixing one saves the others.
_GROUP_OF: dict[str, str] = {
    name: "dates" for name in ("review_date", "date_of_birth", "admission_date", "segregation_started",
                               "discharge_date", "next_review_agreed", "readmission")
}
# Derived by the service from the secure level and the CQC rating; the page shows those instead.
DERIVED_FIELDS = frozenset({"secure", "ward_rated_inadequate"})


def field_group(name: str) -> str:
    return _GROUP_OF.get(name, name)


def group_fields(group: str) -> tuple[str, ...]:
    return tuple(name for name in SETUP_FIELDS if field_group(name) == group)


class SetupPage(QWidget):
    """The set-up form. Text saves when typing pauses; ticks, choices and dates save at once.

    A value the service refuses stays in its field, marked, with the service's sentence sent
    to ctx.message; nothing already saved is lost.
    """

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupPage")
        self.ctx = ctx
        self._loading = False
        self._own_change = False
        self._pending: set[str] = set()
        self._invalid: dict[str, str] = {}
        self._getters: dict[str, Callable[[], Any]] = {}
        self._setters: dict[str, Callable[[Any], None]] = {}
        self._widgets: dict[str, QWidget] = {}
        self._tooltips: dict[str, tuple[str, str]] = {}

        self._build()
        self.refresh()
        ctx.changed.connect(self._on_changed)

    # Building --------------------------------------------------------------------------

    def _build(self) -> None:
        heading = QLabel(self.tr("Set-up"), self)
        heading.setObjectName("setupHeading")
        heading.setStyleSheet(f"#setupHeading {{ font-size: 14pt; font-weight: 600; color: {NHS_BLUE}; }}")
        intro = QLabel(self.tr("Who the review is for, where, and under what legal framework. Changes save as you type."), self)
        intro.setObjectName("setupIntro")
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {SECONDARY_TEXT};")

        body = QWidget(self)
        body.setObjectName("setupBody")
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 6, 0)
        columns.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(self._build_person_box(body))
        left.addWidget(self._build_review_box(body))
        self.process = ProcessGroup(self, body)
        left.addWidget(self.process)
        self.feedback = FeedbackGroup(self.ctx, body)
        left.addWidget(self.feedback)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(self._build_place_box(body))
        self.oversight = OversightGroup(self, body)
        right.addWidget(self.oversight)
        self.decision = EscalationDecisionGroup(self.ctx, body)
        right.addWidget(self.decision)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        scroll = QScrollArea(self)
        scroll.setObjectName("setupScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(body)
        self.columns = StackingColumns(columns, scroll)  # one column when two do not fit the width

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(intro)
        self.oversight_banner = OversightBanner(self.ctx, self)
        layout.addWidget(self.oversight_banner)
        layout.addWidget(scroll, 1)

    @staticmethod
    def _form(box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setContentsMargins(12, 14, 12, 12)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return form

    @staticmethod
    def _hint(text: str, parent: QWidget, name: str) -> QLabel:
        label = QLabel(text, parent)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {SECONDARY_TEXT};")
        return label

    def _build_person_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("The person"), parent)
        box.setObjectName("setupPersonBox")
        form = self._form(box)

        self.person_label = QLineEdit(box)
        self.person_label.setObjectName("setupPersonLabel")
        self.person_label.setAccessibleName(self.tr("Initials or pseudonym"))
        self.person_label.setPlaceholderText(self.tr("For example J.B."))
        self.person_label.setMaxLength(reviews.PERSON_LABEL_MAX)
        self._text_field("person_label", self.person_label)
        form.addRow(self._label(self.tr("Initials or &pseudonym"), self.person_label), self.person_label)
        self.person_hint = self._hint(
            self.tr("Required. Use initials or a pseudonym, never the full name: it shows on screen and in the report."),
            box,
            "setupPersonHint",
        )
        self.person_label.setAccessibleDescription(self.person_hint.text())
        form.addRow(self.person_hint)

        self.identifiers_toggle = QToolButton(box)
        self.identifiers_toggle.setObjectName("setupIdentifiersToggle")
        self.identifiers_toggle.setText(self.tr("Other identifiers (optional)"))
        self.identifiers_toggle.setAccessibleName(self.tr("Show other identifiers"))
        self.identifiers_toggle.setCheckable(True)
        self.identifiers_toggle.setAutoRaise(True)
        self.identifiers_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.identifiers_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.identifiers_toggle.toggled.connect(self._show_identifiers)
        form.addRow(self.identifiers_toggle)
        self.person_identifiers = QLineEdit(box)
        self.person_identifiers.setObjectName("setupPersonIdentifiers")
        self.person_identifiers.setAccessibleName(self.tr("Other identifiers"))
        self.person_identifiers.setPlaceholderText(self.tr("e.g. a local reference, only if needed"))
        self.person_identifiers.setToolTip(
            self.tr("Optional. Keep it to the minimum needed to match records; it is never shown in the title bar.")
        )
        self._text_field("person_identifiers", self.person_identifiers)
        self.identifiers_label = self._label(self.tr("Identifiers"), self.person_identifiers)
        form.addRow(self.identifiers_label, self.person_identifiers)
        self._identifiers_form = form

        self.age_band = self._editable_combo("setupAgeBand", self.tr("Age band"), ("", *AGE_BANDS), box)
        self.age_band.lineEdit().setPlaceholderText(self.tr("Choose or type"))
        self._combo_text_field("age_band", self.age_band)
        form.addRow(self._label(self.tr("&Age band"), self.age_band), self.age_band)

        self.date_of_birth = OptionalDateEdit(box, accessible_name=self.tr("Date of birth"))
        self.date_of_birth.setObjectName("setupDateOfBirth")
        self.date_of_birth.setToolTip(self.tr("Optional; the age band is often enough"))
        self._date_field("date_of_birth", self.date_of_birth)
        form.addRow(self._label(self.tr("Date of &birth"), self.date_of_birth.edit), self.date_of_birth)
        self.age_note = self._hint("", box, "setupAgeNote")
        form.addRow("", self.age_note)
        return box

    def _build_review_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("The review"), parent)
        box.setObjectName("setupReviewBox")
        form = self._form(box)

        template = self.ctx.template
        self.review_type = QLabel(
            self.tr("{title} (version {version})").format(title=template.title, version=template.version), box
        )
        self.review_type.setObjectName("setupReviewType")
        self.review_type.setWordWrap(True)
        self.review_type.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_type.setAccessibleName(self.tr("Review type"))
        self.review_type.setToolTip(template.description)
        form.addRow(self.tr("Review type"), self.review_type)

        self.review_date = QDateEdit(box)
        self.review_date.setObjectName("setupReviewDate")
        self.review_date.setAccessibleName(self.tr("Review date"))
        self.review_date.setDisplayFormat(DATE_FORMAT)
        self.review_date.setCalendarPopup(True)
        self._getters["review_date"] = lambda: self.review_date.date().toPython()
        self._setters["review_date"] = lambda value: self.review_date.setDate(to_qdate(value))
        self._widgets["review_date"] = self.review_date
        self.review_date.dateChanged.connect(lambda _d: self._edited("review_date"))
        form.addRow(self._label(self.tr("Review &date"), self.review_date), self.review_date)

        self.mode = self._choice_combo(
            "mode",
            "setupMode",
            self.tr("How the review is held"),
            ((Mode.IN_PERSON, self.tr("In person")), (Mode.VIRTUAL, self.tr("Virtual")), (Mode.HYBRID, self.tr("Hybrid"))),
            box,
        )
        form.addRow(self._label(self.tr("&Mode"), self.mode), self.mode)

        self.environment_seen = self._check_field(
            "environment_seen",
            "setupEnvironmentSeen",
            self.tr("The panel saw where the person lives (ward or home)"),
            box,
        )
        form.addRow(self.environment_seen)
        return box

    def _build_place_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Setting and legal status"), parent)
        box.setObjectName("setupPlaceBox")
        form = self._form(box)

        self.setting_kind = self._choice_combo(
            "setting_kind",
            "setupSettingKind",
            self.tr("Setting"),
            ((SettingKind.HOSPITAL, self.tr("Hospital")), (SettingKind.COMMUNITY, self.tr("Community"))),
            box,
        )
        form.addRow(self._label(self.tr("Se&tting"), self.setting_kind), self.setting_kind)
        self.service = self._choice_combo(
            "service",
            "setupService",
            self.tr("Service"),
            ((Service.ADULT, self.tr("Adult")), (Service.CAMHS, self.tr("Children and young people (CAMHS)"))),
            box,
        )
        form.addRow(self._label(self.tr("&Service"), self.service), self.service)

        self.hospital = QLineEdit(box)
        self.hospital.setObjectName("setupHospital")
        self.hospital.setAccessibleName(self.tr("Hospital"))
        self._text_field("hospital", self.hospital)
        form.addRow(self._label(self.tr("H&ospital"), self.hospital), self.hospital)
        self.ward = QLineEdit(box)
        self.ward.setObjectName("setupWard")
        self.ward.setAccessibleName(self.tr("Ward"))
        self._text_field("ward", self.ward)
        form.addRow(self._label(self.tr("&Ward"), self.ward), self.ward)
        self.secure_level = self._choice_combo(
            "secure_level",
            "setupSecureLevel",
            self.tr("Secure level"),
            ((SecureLevel.NONE, self.tr("Not secure")), (SecureLevel.LOW, self.tr("Low secure")),
             (SecureLevel.MEDIUM, self.tr("Medium secure")), (SecureLevel.HIGH, self.tr("High secure")),
             (SecureLevel.SECURE, self.tr("Secure, level not recorded"))),
            box,
        )
        form.addRow(self._label(self.tr("Secure level"), self.secure_level), self.secure_level)

        self.legal_status = self._editable_combo(
            "setupLegalStatus", self.tr("Legal status"), ("", *LEGAL_STATUSES), box
        )
        self.legal_status.lineEdit().setPlaceholderText(self.tr("Choose or type"))
        self.legal_status.setToolTip(self.tr("Choose a common status or type another"))
        self._combo_text_field("legal_status", self.legal_status)
        form.addRow(self._label(self.tr("&Legal status"), self.legal_status), self.legal_status)

        self.admission_date = OptionalDateEdit(box, accessible_name=self.tr("Admission date"))
        self.admission_date.setObjectName("setupAdmissionDate")
        self.admission_date.setToolTip(self.tr("Optional; gives the length of stay on the review date"))
        self._date_field("admission_date", self.admission_date)
        form.addRow(self._label(self.tr("Admissio&n date"), self.admission_date.edit), self.admission_date)
        self.length_of_stay = QLabel(box)
        self.length_of_stay.setObjectName("setupLengthOfStay")
        self.length_of_stay.setWordWrap(True)
        self.length_of_stay.setAccessibleName(self.tr("Length of stay"))
        form.addRow(self.tr("Length of stay"), self.length_of_stay)
        self.long_stay_note = self._hint("", box, "setupLongStayNote")
        self.long_stay_note.setStyleSheet(f"color: {LONG_STAY_COLOUR};")
        form.addRow("", self.long_stay_note)

        self.long_term_segregation = self._check_field(
            "long_term_segregation", "setupLongTermSegregation", self.tr("In long-term segregation"), box
        )
        self.long_term_segregation.setToolTip(self.tr("An escalation criterion; an IC(E)TR adds the segregation addendum"))
        form.addRow(self.long_term_segregation)
        return box

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _editable_combo(self, name: str, accessible: str, items: tuple[str, ...], parent: QWidget) -> QComboBox:
        combo = QComboBox(parent)
        combo.setObjectName(name)
        combo.setEditable(True)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(list(items))
        combo.setAccessibleName(accessible)
        combo.lineEdit().setAccessibleName(accessible)
        # The built-in completer would finish "Section 3" as "Section 37..." while typing.
        combo.setCompleter(None)
        return combo

    # Field wiring ----------------------------------------------------------------------

    def _text_field(self, name: str, edit: QLineEdit) -> None:
        self._getters[name] = edit.text
        self._setters[name] = edit.setText
        self._widgets[name] = edit
        edit.textEdited.connect(lambda _text: self._edited(name))
        edit.editingFinished.connect(self._flush_if_pending)

    def _combo_text_field(self, name: str, combo: QComboBox) -> None:
        self._getters[name] = combo.currentText
        self._setters[name] = lambda value: self._set_combo_text(combo, value)
        self._widgets[name] = combo
        combo.editTextChanged.connect(lambda _text: self._edited(name))
        combo.activated.connect(lambda _index: self._flush_if_pending())

    def _date_field(self, name: str, edit: OptionalDateEdit) -> None:
        self._getters[name] = edit.value
        self._setters[name] = edit.set_value
        self._widgets[name] = edit
        edit.value_changed.connect(lambda _value: self._edited(name))

    def _check_field(self, name: str, object_name: str, text: str, parent: QWidget) -> QCheckBox:
        box = QCheckBox(text, parent)
        box.setObjectName(object_name)
        box.setAccessibleName(text)
        self._getters[name] = box.isChecked
        self._setters[name] = box.setChecked
        self._widgets[name] = box
        box.toggled.connect(lambda _checked: self._edited(name, immediate=True))
        return box

    def _choice_combo(
        self, name: str, object_name: str, accessible: str, choices: tuple[tuple[Any, str], ...], parent: QWidget
    ) -> QComboBox:
        combo = QComboBox(parent)
        combo.setObjectName(object_name)
        combo.setAccessibleName(accessible)
        # Long labels must not force the form to wrap on a narrow centre pane.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        for value, label in choices:
            combo.addItem(label, value)
        kind = type(choices[0][0])
        # Qt hands a str-based enum back as a plain str: turn it back into the enum.
        self._getters[name] = lambda: kind(combo.currentData())
        self._setters[name] = lambda value: combo.setCurrentIndex(max(0, combo.findData(value)))
        self._widgets[name] = combo
        combo.currentIndexChanged.connect(lambda _index: self._edited(name, immediate=True))
        return combo

    @staticmethod
    def _set_combo_text(combo: QComboBox, value: str) -> None:
        index = combo.findText(value) if value else -1
        combo.setCurrentIndex(index)
        if index < 0:
            combo.setEditText(value)

    # Public ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show what is saved, except in fields still being saved or holding a refused value."""
        setup = self.ctx.review.setup
        keep = self._pending | set(self._invalid)
        self._loading = True
        try:
            for name in SETUP_FIELDS:
                if field_group(name) in keep or name not in self._getters:
                    continue
                if self._getters[name]() != getattr(setup, name):
                    self._setters[name](getattr(setup, name))
            if setup.person_identifiers and not self.identifiers_toggle.isChecked():
                self.identifiers_toggle.setChecked(True)
        finally:
            self._loading = False
        self._show_identifiers(self.identifiers_toggle.isChecked())
        self._update_derived()

    def values(self) -> dict[str, Any]:
        """What the form shows now, field by field (set-up field names)."""
        return {name: getter() for name, getter in self._getters.items()}

    def problem(self, name: str) -> str:
        """The refusal message for a field's group, or "" when the field is saved."""
        return self._invalid.get(field_group(name), "")

    # Saving ----------------------------------------------------------------------------

    def _edited(self, name: str, *, immediate: bool = False) -> None:
        if self._loading:
            return
        self._update_derived()
        group = field_group(name)
        values = {field: self._getters[field]() for field in group_fields(group)}
        self._pending.add(group)
        self.ctx.autosaver.schedule(f"setup:{group}", partial(self._write, group, values))
        if immediate:
            self.ctx.autosaver.flush()

    def _flush_if_pending(self) -> None:
        if self._pending:
            self.ctx.autosaver.flush()

    def _write(self, group: str, values: Mapping[str, Any]) -> None:
        ctx = self.ctx
        try:
            reviews.update_setup(ctx.store, ctx.review_id, ctx.actor, **values)
        except StorageError:
            raise  # the autosaver keeps the write and retries; the text stays on screen
        except ReviewDayError as exc:
            # Refused: keep what was typed, mark the field, say why once.
            self._pending.discard(group)
            self._invalid[group] = str(exc)
            self._mark(group)
            ctx.message.emit(str(exc))
            return
        self._pending.discard(group)
        if self._invalid.pop(group, None) is not None:
            self._mark(group)
        ctx.reload_review()
        self._own_change = True
        try:
            ctx.changed.emit("setup")
        finally:
            self._own_change = False

    def _mark(self, group: str) -> None:
        message = self._invalid.get(group, "")
        for name in group_fields(group):
            widget = self._widgets[name]
            target = widget.edit if isinstance(widget, OptionalDateEdit) else widget
            tooltip, description = self._tooltips.setdefault(name, (target.toolTip(), target.accessibleDescription()))
            if message and name in self._offending(group, message):
                target.setStyleSheet(f"border: 2px solid {PROBLEM_COLOUR}; border-radius: 3px;")
                target.setToolTip(message)
                target.setAccessibleDescription(message)
            else:
                target.setStyleSheet("")
                target.setToolTip(tooltip)
                target.setAccessibleDescription(description)

    @staticmethod
    def _offending(group: str, message: str) -> tuple[str, ...]:
        """Which fields of a group a refusal is about, so only they are marked."""
        if group != "dates":
            return group_fields(group)
        lowered = message.lower()
        named = tuple(
            name
            for name, words in (("date_of_birth", "birth"), ("admission_date", "admission"),
                                ("segregation_started", "segregation"), ("discharge_date", "discharge"),
                                ("next_review_agreed", "next review"))
            if words in lowered
        )
        return named or group_fields(group)

    # Derived text ----------------------------------------------------------------------

    def _update_derived(self) -> None:
        review_date = self._getters["review_date"]()
        self.process.update_derived(review_date)
        admission = self.admission_date.value()
        birth = self.date_of_birth.value()
        self.date_of_birth.set_default_date(review_date)
        self.admission_date.set_default_date(review_date)

        self.length_of_stay.setText(describe_length_of_stay(admission, review_date))
        colour = PROBLEM_COLOUR if admission and admission > review_date else SECONDARY_TEXT if admission is None else ""
        self.length_of_stay.setStyleSheet(f"color: {colour};" if colour else "font-weight: 600;")

        threshold = LONG_STAY_MONTHS.get(self.service.currentData(), 12)
        # The escalation rule's month arithmetic (31 Aug + 6 months = 28 Feb), as the oversight banner uses.
        long_stay = admission is not None and escalation.add_months(admission, threshold) <= review_date
        # Not for an adult restricted by the Ministry of Justice (the oversight banner says why).
        shown = SimpleNamespace(
            legal_status=self._getters["legal_status"](), moj_restricted=self._getters["moj_restricted"](),
            service=self.service.currentData(), date_of_birth=birth, age_band=self._getters["age_band"](),
            review_date=review_date,
        )
        long_stay = long_stay and not escalation.moj_exempt(shown).exempt
        self.long_stay_note.setText(
            self.tr("Long stay ({months} months or more): an escalation criterion for the ICS oversight panel.").format(
                months=threshold
            )
            if long_stay
            else ""
        )
        self.long_stay_note.setVisible(long_stay)

        if birth is None:
            self.age_note.setText("")
        elif birth > review_date:
            self.age_note.setText(self.tr("The date of birth is after the review date."))
        else:
            self.age_note.setText(self.tr("Age {age} on the review date").format(age=escalation.age_on(birth, review_date)))
        self.age_note.setVisible(bool(self.age_note.text()))

    def _show_identifiers(self, shown: bool) -> None:
        self.identifiers_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.identifiers_toggle.setAccessibleName(
            self.tr("Hide other identifiers") if shown else self.tr("Show other identifiers")
        )
        self._identifiers_form.setRowVisible(self.person_identifiers, shown)

    def _on_changed(self, kind: str) -> None:
        if kind == "setup" and not self._own_change:
            self.refresh()

