"""The action editor: a panel beside the table, never a dialog.

With no action selected it drafts a new one ("Add action", Ctrl+Enter). With an action
selected, each field autosaves on its own through ctx.autosaver and an UpdateActionCommand,
so every edit can be undone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from enum import Enum
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ActionStatus, Priority
from app.services import actions, drafts, follow_up, independence, people
from app.services.dto import ACTION_FIELDS, ActionData, ActionInput, AttendeeData, CarriedActionData
from app.ui.action_commands import AddActionCommand, UpdateActionCommand
from app.ui.action_deadline import NO_DATE, DeadlineEdit
from app.ui.action_owner import OwnerCombo
from app.ui.action_table_model import (
    PRIORITY_ORDER,
    STATUS_ORDER,
    general_section_label,
    priority_label,
    status_label,
)
from app.ui.context import ReviewContext
from app.ui.jargon_hint import JargonHint
from app.ui.layout_fit import stack_at_large_text

# The new action being drafted is kept in the drafts table under this key, so a crash loses nothing.
NEW_ACTION_DRAFT_KEY = "action:new"
_NEW_DRAFT_AUTOSAVE = "action-draft"

EDITED_TEXT_FIELDS = frozenset(
    {"what", "why", "owner_name", "owner_organisation", "section_id", "completion_evidence", "easy_read",
     "different_this_time"}
)


def _same_text(a: str, b: str) -> bool:
    """Equal but for spacing the service tidies anyway (so the cursor is not disturbed)."""
    return " ".join(a.split()) == " ".join(b.split())


class ActionEditor(QFrame):
    """Drafts a new action or edits the selected one."""

    # A new action was added (its id); the page scrolls the table to it.
    action_added = Signal(int)
    # The editor switched to drafting a new action; the page clears the table's selection.
    new_started = Signal()

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#actionEditor { background: #f7f9fa; border: 1px solid #d8dde0; border-radius: 6px; }")
        self.ctx = ctx
        self._action: ActionData | None = None
        self._number = 0
        self._loading = False
        self._own_write = False
        self._capturing = False
        self._pending: set[tuple[int, str]] = set()
        self._draft: dict[str, Any] | None = None
        self._attendees: list[AttendeeData] | None = None
        self._known_owners: tuple[tuple[str, str], ...] = ()

        self.heading = QLabel(self)
        self.heading.setObjectName("actionEditorHeading")
        self.heading.setStyleSheet("#actionEditorHeading { font-weight: 600; color: #005EB8; }")
        self.mode_hint = QLabel(self)
        self.mode_hint.setObjectName("actionEditorHint")
        self.mode_hint.setStyleSheet("#actionEditorHint { color: #4c6272; }")
        self.mode_hint.setWordWrap(True)  # large text: wraps rather than widen the page

        self.what = QPlainTextEdit(self)
        self.what.setObjectName("actionWhat")
        self.what.setAccessibleName(self.tr("What will happen"))
        self.what.setPlaceholderText(
            self.tr("What will be done? For example: Arrange a sensory assessment of the ward")
        )
        self.what.setTabChangesFocus(True)
        self.what.setMinimumHeight(56)

        self.why = QPlainTextEdit(self)
        self.why.setObjectName("actionWhy")
        self.why.setAccessibleName(self.tr("Why (rationale), required"))
        self.why.setAccessibleDescription(self.tr("Needed before the review can be completed or signed."))
        self.why.setPlaceholderText(self.tr("Required: the finding or concern behind it"))
        self.why.setTabChangesFocus(True)
        self.why.setMinimumHeight(44)

        self.why_hint = QLabel(self.tr("Every recommendation needs its why before the review can be completed."), self)
        self.why_hint.setObjectName("actionWhyHint")
        self.why_hint.setWordWrap(True)
        self.why_hint.setStyleSheet("#actionWhyHint { color: #8a4b00; }")
        self.why_hint.hide()

        # Shown when the wording repeats a recommendation carried from the previous review.
        self.repeat_note = QLabel(self)
        self.repeat_note.setObjectName("actionRepeatNote")
        self.repeat_note.setWordWrap(True)
        self.repeat_note.setAccessibleName(self.tr("Recommended before"))
        self.repeat_note.setStyleSheet("#actionRepeatNote { color: #8a4b00; font-weight: 600; }")
        self.different = QLineEdit(self)
        self.different.setObjectName("actionDifferent")
        self.different.setAccessibleName(self.tr("What will be different this time"))
        self.different.setPlaceholderText(
            self.tr("For example: the ICB funds the therapist directly, and the plan names a date"))
        self._carried: list[CarriedActionData] = []
        self._repeats: CarriedActionData | None = None
        self._asked_for: str | None = None

        self.evidence = QLineEdit(self)
        self.evidence.setObjectName("actionEvidence")
        self.evidence.setAccessibleName(self.tr("How will we know it's done"))
        self.evidence.setPlaceholderText(self.tr("For example: plan shared with the family"))

        # Easy-read wording for the person's own copy of the report (only when the schema has it).
        self.easy_read: QLineEdit | None = None
        if "easy_read" in ACTION_FIELDS:
            self.easy_read = QLineEdit(self)
            self.easy_read.setObjectName("actionEasyRead")
            self.easy_read.setAccessibleName(self.tr("In plain words, for the easy-read report"))
            self.easy_read.setPlaceholderText(
                self.tr("For example: Your nurse will help you phone your mum every week")
            )
        # Advice as the words are typed: jargon in the plain words, with what to say instead.
        self.easy_read_warning = JargonHint("actionEasyReadWarning", self.tr("Jargon in the plain words"), self)
        if self.easy_read is not None:
            self.easy_read.textChanged.connect(self.easy_read_warning.check)

        self.owner = OwnerCombo(self)
        # A warning, not a refusal: an independent panel member should not own the provider's action.
        self.owner_warning = QLabel(self)
        self.owner_warning.setObjectName("actionOwnerWarning")
        self.owner_warning.setWordWrap(True)
        self.owner_warning.setAccessibleName(self.tr("Warning about the owner"))
        self.owner_warning.setStyleSheet("#actionOwnerWarning { color: #8a4b00; }")
        self.owner_warning.hide()
        self.owner.editTextChanged.connect(lambda _text: self._update_owner_warning())

        self.organisation = QLineEdit(self)
        self.organisation.setObjectName("actionOrganisation")
        self.organisation.setAccessibleName(self.tr("Owner's organisation"))
        self.organisation.setPlaceholderText(self.tr("Filled in when you choose an attendee"))

        self.deadline = DeadlineEdit(lambda: ctx.review.review_date, self)
        self.deadline.setObjectName("actionDeadline")
        self.deadline.setAccessibleName(self.tr("Deadline"))
        self.deadline.setToolTip(self.tr("Choose a date, or use a quick button; \"No date\" until one is set"))
        self.deadline.setDisplayFormat("dd MMM yyyy")
        self.deadline.setCalendarPopup(True)
        self.deadline.setSpecialValueText(self.tr("No date"))
        self.deadline.calendarWidget().installEventFilter(self)

        self.quick_buttons: dict[int, QPushButton] = {}
        quick_row = QHBoxLayout()
        quick_row.setSpacing(4)
        for weeks in actions.QUICK_DEADLINE_WEEKS:
            button = QPushButton(self.tr("{weeks} weeks").format(weeks=weeks), self)
            button.setObjectName(f"actionDeadline{weeks}Weeks")
            button.setAccessibleName(self.tr("Deadline {weeks} weeks after the review").format(weeks=weeks))
            button.setAutoDefault(False)
            button.clicked.connect(partial(self.set_quick_deadline, weeks))
            self.quick_buttons[weeks] = button
            quick_row.addWidget(button)
        self.no_date_button = QPushButton(self.tr("No date"), self)
        self.no_date_button.setObjectName("actionNoDate")
        self.no_date_button.setAccessibleName(self.tr("Clear the deadline"))
        self.no_date_button.setToolTip(self.tr("Clear the deadline"))
        self.no_date_button.setAutoDefault(False)
        self.no_date_button.clicked.connect(lambda: self.set_deadline(None))
        quick_row.addWidget(self.no_date_button)
        quick_row.addStretch(1)

        self.priority = QComboBox(self)
        self.priority.setObjectName("actionPriority")
        self.priority.setAccessibleName(self.tr("Priority"))
        for priority in PRIORITY_ORDER:
            self.priority.addItem(priority_label(priority), priority)

        self.status = QComboBox(self)
        self.status.setObjectName("actionStatus")
        self.status.setAccessibleName(self.tr("Status"))
        for status in STATUS_ORDER:
            self.status.addItem(status_label(status), status)

        self.section = QComboBox(self)
        self.section.setObjectName("actionSection")
        self.section.setAccessibleName(self.tr("Section"))
        self.section.setToolTip(self.tr("The part of the review this action comes from"))
        self.section.addItem(general_section_label(), "")
        for section in ctx.template.sections:
            self.section.addItem(section.title, section.id)

        self.problem = QLabel(self)
        self.problem.setObjectName("actionEditorProblem")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Problem with this action"))
        self.problem.setStyleSheet("#actionEditorProblem { color: #b3261e; font-weight: 600; }")
        self.problem.hide()

        self.new_button = QPushButton(self.tr("New action"), self)
        self.new_button.setObjectName("newActionButton")
        self.new_button.setAccessibleName(self.tr("Start a new action"))
        self.new_button.setToolTip(self.tr("Leave this action and draft a new one"))
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.show_new)

        self.add_button = QPushButton(self.tr("Add action"), self)
        self.add_button.setObjectName("addActionButton")
        self.add_button.setAccessibleName(self.tr("Add action"))
        self.add_button.setToolTip(self.tr("Add this action (Ctrl+Enter)"))
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add)

        self._build_layout(quick_row)
        self._connect_fields()
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._ctrl_enter)
        ctx.message.connect(self._on_message)

        ctx.changed.connect(self._on_changed)
        self.refresh_attendees()
        self.refresh_carried()
        self.refresh_review_date()
        self._enter_new_mode(restore_draft=False)
        self._restore_stored_draft()
        # Leaving a text field stores what was typed at once (a draft, or the action's field).
        self._text_fields = [self.what, self.why, self.evidence, self.organisation, self.owner.lineEdit(),
                             self.different]
        if self.easy_read is not None:
            self._text_fields.append(self.easy_read)
        for field in self._text_fields:
            field.installEventFilter(self)

    # Layout ---------------------------------------------------------------------------

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "fields"):
            stack_at_large_text(self.fields)  # Edit → Preferences changed the text size

    def _build_layout(self, quick_row: QHBoxLayout) -> None:
        left = QVBoxLayout()
        left.setSpacing(4)
        left.addWidget(self._label(self.tr("&What will happen"), self.what))
        left.addWidget(self.what, 3)
        left.addWidget(self._label(self.tr("Wh&y (required)"), self.why))
        left.addWidget(self.why, 2)
        left.addWidget(self.why_hint)
        left.addWidget(self.repeat_note)
        self.different_label = self._label(self.tr("What will &be different this time?"), self.different)
        left.addWidget(self.different_label)
        left.addWidget(self.different)
        left.addWidget(self._label(self.tr("How will we &know it's done?"), self.evidence))
        left.addWidget(self.evidence)
        if self.easy_read is not None:
            left.addWidget(self._label(self.tr("In p&lain words (easy read)"), self.easy_read))
            left.addWidget(self.easy_read)
            left.addWidget(self.easy_read_warning)

        right = QFormLayout()
        right.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        right.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        right.setVerticalSpacing(6)
        right.setHorizontalSpacing(10)
        right.addRow(self._label(self.tr("&Owner"), self.owner), self.owner)
        right.addRow("", self.owner_warning)
        right.addRow(self._label(self.tr("Organisa&tion"), self.organisation), self.organisation)
        right.addRow(self._label(self.tr("&Deadline"), self.deadline), self.deadline)
        right.addRow("", quick_row)
        right.addRow(self._label(self.tr("&Priority"), self.priority), self.priority)
        right.addRow(self._label(self.tr("&Status"), self.status), self.status)
        right.addRow(self._label(self.tr("Se&ction"), self.section), self.section)

        # Side by side; one under the other at large text (the page would scroll sideways).
        fields = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        fields.setSpacing(18)
        fields.addLayout(left, 3)
        fields.addLayout(right, 2)
        self.fields = fields
        stack_at_large_text(fields)

        title_row = QHBoxLayout()
        title_row.addWidget(self.heading)
        title_row.addWidget(self.mode_hint, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.problem, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.add_button)
        self.problem.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(title_row)
        layout.addLayout(fields, 1)
        layout.addLayout(buttons)

    # Fields ---------------------------------------------------------------------------

    def _connect_fields(self) -> None:
        self._getters: dict[str, Callable[[], Any]] = {
            "what": self.what.toPlainText,
            "why": self.why.toPlainText,
            "owner_name": self.owner.currentText,
            "owner_organisation": self.organisation.text,
            "deadline": self.deadline_value,
            # Qt hands enum data back as plain strings; give the service its enums.
            "priority": lambda: Priority(self.priority.currentData()),
            "status": lambda: ActionStatus(self.status.currentData()),
            "section_id": self.section.currentData,
            "completion_evidence": self.evidence.text,
            "different_this_time": self.different.text,
        }
        self._setters: dict[str, Callable[[Any], None]] = {
            "what": self.what.setPlainText,
            "why": self.why.setPlainText,
            "owner_name": self.owner.set_owner_text,
            "owner_organisation": self.organisation.setText,
            "deadline": self.set_deadline,
            "priority": lambda value: self._set_combo(self.priority, value),
            "status": lambda value: self._set_combo(self.status, value),
            "section_id": lambda value: self._set_combo(self.section, value),
            "completion_evidence": self.evidence.setText,
            "different_this_time": self.different.setText,
        }
        self._widgets: dict[str, QWidget] = {
            "what": self.what,
            "why": self.why,
            "owner_name": self.owner,
            "owner_organisation": self.organisation,
            "deadline": self.deadline,
            "priority": self.priority,
            "status": self.status,
            "section_id": self.section,
            "completion_evidence": self.evidence,
            "different_this_time": self.different,
        }
        if self.easy_read is not None:
            self._getters["easy_read"] = self.easy_read.text
            self._setters["easy_read"] = self.easy_read.setText
            self._widgets["easy_read"] = self.easy_read
            self.easy_read.textChanged.connect(lambda _text: self._edited("easy_read"))
        self.what.textChanged.connect(lambda: self._edited("what"))
        self.what.textChanged.connect(self._update_repeat)
        self.why.textChanged.connect(lambda: self._edited("why"))
        self.why.textChanged.connect(self._update_why_hint)
        self.different.textChanged.connect(lambda _text: self._edited("different_this_time"))
        self.different.textChanged.connect(lambda _text: self._update_repeat())
        self.owner.editTextChanged.connect(lambda _text: self._edited("owner_name"))
        self.owner.activated.connect(self._attendee_chosen)
        self.organisation.textChanged.connect(lambda _text: self._edited("owner_organisation"))
        self.deadline.dateChanged.connect(lambda _date: self._edited("deadline"))
        self.priority.currentIndexChanged.connect(lambda _i: self._edited("priority"))
        self.status.currentIndexChanged.connect(lambda _i: self._edited("status"))
        self.section.currentIndexChanged.connect(lambda _i: self._edited("section_id"))
        self.evidence.textChanged.connect(lambda _text: self._edited("completion_evidence"))

    @staticmethod
    def _set_combo(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def deadline_value(self) -> date | None:
        return self.deadline.value()

    def set_deadline(self, value: date | None) -> None:
        self.deadline.set_value(value)

    def set_quick_deadline(self, weeks: int) -> None:
        self.set_deadline(actions.quick_deadline(self.ctx.review.review_date, weeks))

    def values(self) -> dict[str, Any]:
        return {name: getter() for name, getter in self._getters.items()}

    def action_input(self) -> ActionInput:
        """What the editor holds now, as the service's input."""
        return ActionInput(**self.values())

    def _set_values(self, values: dict[str, Any], *, only_changed: bool = False) -> None:
        self._loading = True
        try:
            for name, value in values.items():
                if only_changed:
                    current = self._getters[name]()
                    same = _same_text(current, value) if isinstance(value, str) else current == value
                    if same:
                        continue
                self._setters[name](value)
        finally:
            self._loading = False

    @staticmethod
    def _blank(section_id: str = "", why: str = "") -> dict[str, Any]:
        return {
            **{name: "" for name in ACTION_FIELDS if name in EDITED_TEXT_FIELDS},
            "deadline": None,
            "priority": Priority.MEDIUM,
            "status": ActionStatus.OPEN,
            "section_id": section_id,
            "why": why,
        }

    # Refreshing from services ---------------------------------------------------------

    def refresh_attendees(self) -> None:
        """Reload who the owner type-ahead offers: the attendance register, then owners already named."""
        attendees = people.list_attendees(self.ctx.store, self.ctx.review_id)
        # Owners already named: on this review's actions, then on the previous review's (carried).
        named = [*actions.list_actions(self.ctx.store, self.ctx.review_id),
                 *follow_up.list_carried(self.ctx.store, self.ctx.review_id)]
        known = tuple(
            dict.fromkeys(
                (a.owner_name.strip(), a.owner_organisation.strip()) for a in named if a.owner_name.strip()
            )
        )
        if (attendees, known) != (self._attendees, self._known_owners):
            self._attendees, self._known_owners = attendees, known
            self._loading = True
            try:
                self.owner.set_attendees(self._attendees, self._known_owners)
            finally:
                self._loading = False
        self._update_owner_warning()

    def refresh_carried(self) -> None:
        """Reload the previous review's recommendations a new wording is checked against."""
        self._carried = follow_up.list_carried(self.ctx.store, self.ctx.review_id)
        self._update_repeat()

    def repeats(self) -> CarriedActionData | None:
        """The carried recommendation the wording in the editor repeats, if any."""
        return self._repeats

    def _update_repeat(self) -> None:
        what = self.what.toPlainText()
        self._repeats = follow_up.repeated_carried(what, self._carried) if what.strip() and self._carried else None
        show = self._repeats is not None or bool(self.different.text().strip())
        if self._repeats is not None:
            since = self._repeats.source_review_date
            self.repeat_note.setText(
                self.tr("Recommended before{since}: “{what}”. What will be different this time?").format(
                    since=self.tr(" ({date})").format(date=f"{since:%d %b %Y}") if since else "",
                    what=" ".join(self._repeats.what.split())))
        else:
            self.repeat_note.setText("")
        self.repeat_note.setVisible(self._repeats is not None)
        self.different_label.setVisible(show)
        self.different.setVisible(show)

    def _update_why_hint(self) -> None:
        self.why_hint.setVisible(self._action is not None and not self.why.toPlainText().strip())

    def _on_changed(self, kind: str) -> None:
        if kind == "carried":
            self.refresh_carried()

    def _update_owner_warning(self) -> None:
        text = independence.owner_warning(self._attendees or [], self.owner.currentText())
        self.owner_warning.setText(text)  # the service's sentence, as it is
        self.owner_warning.setVisible(bool(text))
        self.owner.setAccessibleDescription(text)

    def refresh_review_date(self) -> None:
        review_date = self.ctx.review.review_date
        for weeks, button in self.quick_buttons.items():
            due = actions.quick_deadline(review_date, weeks)
            tip = self.tr("{weeks} weeks after the review: {date}").format(weeks=weeks, date=f"{due:%d %b %Y}")
            button.setToolTip(tip)

    def attendees(self) -> list[AttendeeData]:
        return list(self._attendees or [])

    # Modes ----------------------------------------------------------------------------

    def current_action_id(self) -> int | None:
        return self._action.id if self._action else None

    def is_editing(self) -> bool:
        return self._action is not None

    def show_action(self, action: ActionData | None, number: int = 0) -> None:
        """Edit this action (None: go back to drafting a new one)."""
        if action is None:
            if self._action is not None:
                self._enter_new_mode(restore_draft=True)
            return
        if self._action is not None and self._action.id == action.id:
            self._action = action
            self._number = number or self._number
            self._show_mode()
            if not self._own_write:
                # Changed elsewhere (undo, redo): show it, but never overwrite an unsaved edit.
                fresh = {
                    name: getattr(action, name)
                    for name in self._getters
                    if (action.id, name) not in self._pending
                }
                self._set_values(fresh, only_changed=True)
            return
        if self._action is None:
            values = self.values()
            self._draft = values if values != self._blank(values["section_id"]) else None
        self._action = action
        self._number = number
        self._clear_problem()
        self._set_values({name: getattr(action, name) for name in self._getters})
        self._show_mode()

    def show_new(self) -> None:
        """Back to drafting a new action (keeps any draft typed before an action was selected)."""
        self._enter_new_mode(restore_draft=True)
        self.what.setFocus(Qt.FocusReason.OtherFocusReason)

    def start_new(self, section_id: str = "", rationale: str = "") -> None:
        """A fresh action with this section and rationale; focus goes to "what"."""
        if self.section.findData(section_id) < 0:
            section_id = ""
        self._draft = None
        self._enter_new_mode(restore_draft=False)
        self._set_values(self._blank(section_id, rationale))
        self._schedule_new_draft()
        self.what.setFocus(Qt.FocusReason.OtherFocusReason)

    def _enter_new_mode(self, *, restore_draft: bool) -> None:
        was_editing = self._action is not None
        self._action = None
        self._number = 0
        self._clear_problem()
        if was_editing or not restore_draft:
            draft = self._draft if restore_draft and self._draft else None
            section_id = self.section.currentData() if was_editing else ""
            self._set_values(draft or self._blank(section_id or ""))
            self._draft = None
        self._show_mode()
        self.new_started.emit()

    def _show_mode(self) -> None:
        editing = self._action is not None
        if editing:
            number = self._number
            self.heading.setText(self.tr("Action {number}").format(number=number) if number else self.tr("Action"))
            self.mode_hint.setText(self.tr("Changes save as you type; Ctrl+Z undoes them."))
        else:
            self.heading.setText(self.tr("New action"))
            self.mode_hint.setText(
                self.tr("Say what will happen, who will do it and by when, then Add action (Ctrl+Enter).")
            )
        self.add_button.setVisible(not editing)
        self.new_button.setVisible(editing)
        self._update_why_hint()
        self._update_repeat()

    def forget(self, action_id: int) -> None:
        """Drop unsaved edits of an action that is being deleted."""
        for key in [key for key in self._pending if key[0] == action_id]:
            self._pending.discard(key)
            self.ctx.autosaver.cancel(self._key(*key))

    # Saving ---------------------------------------------------------------------------

    def add(self) -> ActionData | None:
        """Add the drafted action. When the service refuses, its message shows and the text stays."""
        if self._action is not None:
            return None
        data = self.action_input()
        repeated = self.repeats()
        if repeated is not None and not data.different_this_time.strip() and self._asked_for != data.what:
            # Asked once: a second Add adds it without an answer.
            self._asked_for = data.what
            self.problem.setText(self.tr(
                "This repeats a recommendation from the previous review. Say what will be different this time, "
                "or press Add action again to add it as it is."))
            self.problem.show()
            self.different.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        self._asked_for = None
        command = AddActionCommand(self.ctx, data, draft_key=NEW_ACTION_DRAFT_KEY)
        self._clear_problem()
        # The action's commit clears the stored draft; a pending draft write must not bring it back.
        self.ctx.autosaver.cancel(_NEW_DRAFT_AUTOSAVE)
        self._capturing = True
        try:
            self.ctx.undo_stack.push(command)
        finally:
            self._capturing = False
        added = command.result
        if added is None:
            self._schedule_new_draft()  # refused: what was typed stays, on screen and stored
            if not data.what.strip():
                self.what.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        # Ready for the next one, in the same section.
        self._set_values(self._blank(data.section_id))
        self.what.setFocus(Qt.FocusReason.OtherFocusReason)
        self.action_added.emit(added.id)
        return added

    def _ctrl_enter(self) -> None:
        if self._action is None:
            self.add()
        else:
            self.ctx.flush()

    @staticmethod
    def _key(action_id: int, name: str) -> str:
        return f"action:{action_id}:{name}"

    def _edited(self, name: str) -> None:
        if self._loading:
            return
        self._clear_problem()
        if self._action is None:
            self._schedule_new_draft()
            return
        action_id = self._action.id
        value = self._getters[name]()
        self._pending.add((action_id, name))
        self.ctx.autosaver.schedule(self._key(action_id, name), partial(self._write_field, action_id, name, value))

    # The new action's draft ------------------------------------------------------------

    def _schedule_new_draft(self) -> None:
        """Store what the new action holds (debounced, like every edit); nothing typed clears it."""
        values = self.values()
        if values == self._blank(values["section_id"]):
            text = ""
        else:
            text = json.dumps(
                {name: (value.isoformat() if isinstance(value, date) else
                        value.value if isinstance(value, Enum) else value)
                 for name, value in values.items()},
                ensure_ascii=False,
            )
        ctx = self.ctx
        ctx.autosaver.schedule(
            _NEW_DRAFT_AUTOSAVE, lambda: drafts.save_draft(ctx.store, ctx.review_id, NEW_ACTION_DRAFT_KEY, text)
        )

    def _restore_stored_draft(self) -> None:
        stored = drafts.get_draft(self.ctx.store, self.ctx.review_id, NEW_ACTION_DRAFT_KEY)
        if not stored:
            return
        try:
            raw = json.loads(stored)
            values: dict[str, Any] = {}
            for name, value in raw.items():
                if name not in self._getters:
                    continue
                if name == "deadline":
                    value = date.fromisoformat(value) if value else None
                elif name == "priority":
                    value = Priority(value)
                elif name == "status":
                    value = ActionStatus(value)
                elif not isinstance(value, str):
                    continue
                values[name] = value
        except (ValueError, TypeError, AttributeError):
            return  # not a draft this version wrote: start blank
        self._set_values(values)

    def _write_field(self, action_id: int, name: str, value: Any) -> None:
        self._pending.discard((action_id, name))
        command = UpdateActionCommand(self.ctx, action_id, {name: value})
        self._own_write = True
        self._capturing = True
        try:
            self.ctx.undo_stack.push(command)
        finally:
            self._own_write = False
            self._capturing = False

    def _attendee_chosen(self, row: int) -> None:
        chosen = self.owner.attendee_at(row)
        if chosen is None:
            return
        name, organisation = chosen
        # Edits are scheduled by the text-changed signals, as if typed.
        self.owner.set_owner_text(name)
        self.organisation.setText(organisation)

    # Messages -------------------------------------------------------------------------

    def _on_message(self, text: str) -> None:
        if self._capturing:
            self.problem.setText(text)
            self.problem.show()

    def _clear_problem(self) -> None:
        if self.problem.isVisible() or self.problem.text():
            self.problem.clear()
            self.problem.hide()

    def problem_text(self) -> str:
        return self.problem.text() if not self.problem.isHidden() else ""

    # Qt overrides ---------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.FocusOut and watched in getattr(self, "_text_fields", ())
                and self.ctx.autosaver.has_pending()):
            self.ctx.flush()
        # Open the calendar at the review month, not at the "No date" placeholder year.
        if event.type() == QEvent.Type.Show and watched is self.deadline.calendarWidget():
            if self.deadline.date() == NO_DATE:
                review_date = self.ctx.review.review_date
                self.deadline.calendarWidget().setCurrentPage(review_date.year, review_date.month)
        return super().eventFilter(watched, event)

