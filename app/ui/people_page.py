"""People and consent: the attendance register, and the consent basis that opens the sections."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QStringListModel,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.kloe.roles import PANEL_ROLE_IDS, ROLES_BY_ID, role_label
from app.models.enums import Attendance, ConsentBasis
from app.services import people
from app.services.dto import AttendeeData
from app.services.errors import ReviewDayError, StorageError
from app.ui.attendee_commands import (
    AddAttendeeCommand,
    RecordConsentCommand,
    RemoveAttendeeCommand,
    UpdateAttendeeCommand,
)
from app.ui.attendee_table_model import (  # noqa: F401 - re-exported for the page's users
    ATTENDANCE_ORDER,
    AttendeeIdRole,
    AttendeeTableModel,
    ChoiceDelegate,
    Column,
    _tr,
    attendance_label,
    ordered_roles,
)
from app.ui.context import ReviewContext
from app.ui.notes_model import local_time
from app.ui.theme import SECONDARY_TEXT
from app.ui.layout_fit import WrappedColumns

NHS_BLUE = "#005EB8"
# A calm, flat header whose text lines up with the cells' text.
TABLE_STYLE = (
    "#{name}::item {{ padding: 0 4px; }}"
    "#{name} QHeaderView::section {{ padding: 4px 6px; background: #f0f4f5; border: none;"
    " border-bottom: 1px solid #d8dde0; border-right: 1px solid #e8edee; font-weight: 600; }}"
)
_CONTEXT = "PeoplePage"


CONSENT_ORDER: tuple[ConsentBasis, ...] = (
    ConsentBasis.CONSENT,
    ConsentBasis.BEST_INTERESTS,
    ConsentBasis.DECLINED,
    ConsentBasis.NOT_RECORDED,
)

_CLOSED_STYLE = "background: #fff4d6; border: 1px solid #e6b800; border-radius: 4px; padding: 6px 10px;"
_OPEN_STYLE = "background: #e8f4ec; border: 1px solid #007f3b; border-radius: 4px; padding: 6px 10px;"


def _in_sentence(label: str) -> str:
    """'Expert by experience' -> 'expert by experience'; 'CQC ...' keeps its capitals."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def missing_panel_hint(panel_roles: Sequence[str], attendees: Sequence[AttendeeData]) -> str:
    present = {a.role for a in attendees}
    missing = [_in_sentence(role_label(role)) for role in panel_roles if role not in present]
    if not missing:
        return ""
    if len(missing) == 1:
        names = missing[0]
    else:
        names = _tr("{first} or {last}").format(first=", ".join(missing[:-1]), last=missing[-1])
    return _tr("No {names} in the register yet.").format(names=names)


def describe_recorded_by(recorded_by: str) -> str:
    """'Sam Taylor (note_taker)' as people read it: 'Sam Taylor (Note-taker)'."""
    match = re.fullmatch(r"(.*) \(([a-z_]+)\)", recorded_by)
    if match and match.group(2) in ROLES_BY_ID:
        return f"{match.group(1)} ({role_label(match.group(2))})"
    return recorded_by



class PeoplePage(QWidget):
    """The register of who took part, and the consent basis. Changes go through undo or autosave."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peoplePage")
        self.ctx = ctx
        self.panel_roles: tuple[str, ...] = tuple(getattr(ctx.template, "panel_roles", ()) or ())
        self._loading = False
        self._consent_pending = False  # a basis chosen on screen, not recorded yet
        self._consent_refused = False
        self._detail_pending = False

        heading = QLabel(self.tr("People and consent"), self)
        heading.setObjectName("peopleHeading")
        heading.setStyleSheet(f"#peopleHeading {{ font-size: 14pt; font-weight: 600; color: {NHS_BLUE}; }}")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self._build_consent())
        layout.addWidget(self._build_register(), 1)

        ctx.changed.connect(self._on_changed)
        # Someone else now writing: they are offered as who records the consent basis.
        ctx.writer_changed.connect(
            lambda _actor: self._fill_consent_by(people.list_attendees(ctx.store, ctx.review_id), keep=False))
        self.refresh()

    # Building: consent ------------------------------------------------------------------

    def _build_consent(self) -> QGroupBox:
        box = QGroupBox(self.tr("Consent to the review"), self)
        box.setObjectName("consentBox")

        self.consent_status = QLabel(box)
        self.consent_status.setObjectName("consentStatus")
        self.consent_status.setWordWrap(True)
        self.consent_status.setAccessibleName(self.tr("Consent status"))

        self.consent_group = QButtonGroup(self)
        self.consent_group.setExclusive(True)
        self.consent_buttons: dict[ConsentBasis, QRadioButton] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        for number, basis in enumerate(CONSENT_ORDER):
            button = QRadioButton(self.tr(people.CONSENT_LABELS[basis]), box)
            button.setObjectName(f"consent_{basis.value}")
            button.setAccessibleName(self.tr("Consent basis: {label}").format(label=people.CONSENT_LABELS[basis]))
            self.consent_group.addButton(button)
            self.consent_buttons[basis] = button
            grid.addWidget(button, number // 2, number % 2)
        grid.setColumnStretch(2, 1)
        # Choosing a basis records nothing: only the Record button does, as a named register member.
        self.consent_group.buttonClicked.connect(self._basis_chosen)

        by_label = QLabel(self.tr("Recorded &by"), box)
        self.consent_by = QComboBox(box)
        self.consent_by.setObjectName("consentBy")
        self.consent_by.setAccessibleName(self.tr("Consent basis recorded by"))
        self.consent_by.setAccessibleDescription(self.tr("The register member who records the consent basis"))
        self.consent_by.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.consent_by.setMinimumContentsLength(22)
        self.consent_by.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.consent_by.installEventFilter(self)  # the wheel does not change who records it
        by_label.setBuddy(self.consent_by)
        self.consent_record_button = QPushButton(self.tr("Record co&nsent basis"), box)
        self.consent_record_button.setObjectName("consentRecordButton")
        self.consent_record_button.setAccessibleName(self.tr("Record the chosen consent basis"))
        self.consent_record_button.setToolTip(
            self.tr("Records the chosen basis in the name of the person chosen; Ctrl+Z undoes it")
        )
        self.consent_record_button.setAutoDefault(False)
        self.consent_record_button.clicked.connect(lambda: self.record_consent())

        detail_label = QLabel(self.tr("&Detail"), box)
        self.consent_detail = QPlainTextEdit(box)
        self.consent_detail.setObjectName("consentDetail")
        self.consent_detail.setAccessibleName(self.tr("Consent detail"))
        self.consent_detail.setAccessibleDescription(
            self.tr("For a best-interests decision, who made it and when. Also whether the report may be shared with family.")
        )
        self.consent_detail.setPlaceholderText(
            self.tr("For a best-interests decision: who made it and when (required).")
        )
        self.consent_detail.setTabChangesFocus(True)
        self.consent_detail.setFixedHeight(58)
        self.consent_detail.textChanged.connect(self._detail_typed)
        detail_label.setBuddy(self.consent_detail)

        self.family_note = QLabel(
            self.tr("Consent to share the report with family (16+) is a separate question: note the answer in the detail."),
            box,
        )
        self.family_note.setObjectName("consentFamilyNote")
        self.family_note.setWordWrap(True)
        self.family_note.setStyleSheet(f"color: {SECONDARY_TEXT};")

        self.consent_recorded = QLabel(box)
        self.consent_recorded.setObjectName("consentRecorded")
        self.consent_recorded.setStyleSheet(f"color: {SECONDARY_TEXT};")
        self.consent_recorded.setWordWrap(True)  # large text: wraps rather than widen the page
        self.consent_recorded.setAccessibleName(self.tr("Consent recorded by"))

        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 14, 12, 10)
        layout.setSpacing(6)
        layout.addWidget(self.consent_status)
        layout.addLayout(grid)
        detail_row = QHBoxLayout()
        detail_row.addWidget(detail_label, 0, Qt.AlignmentFlag.AlignTop)
        detail_row.addWidget(self.consent_detail, 1)
        layout.addLayout(detail_row)
        record_row = QHBoxLayout()
        record_row.addWidget(by_label)
        record_row.addWidget(self.consent_by)
        record_row.addWidget(self.consent_record_button)
        record_row.addStretch(1)
        layout.addLayout(record_row)
        layout.addWidget(self.family_note)
        layout.addWidget(self.consent_recorded)
        return box

    # Building: register -----------------------------------------------------------------

    def _build_register(self) -> QGroupBox:
        box = QGroupBox(self.tr("Attendance register"), self)
        box.setObjectName("registerBox")

        self.panel_hint = QLabel(box)
        self.panel_hint.setObjectName("panelHint")
        self.panel_hint.setWordWrap(True)
        self.panel_hint.setStyleSheet("color: #8a4b00;")
        self.panel_hint.setAccessibleName(self.tr("Panel roles missing"))

        self.model = AttendeeTableModel(self)
        self.model.edit_requested.connect(self._edit_requested)
        self.table = QTableView(box)
        self.table.setObjectName("attendeeTable")
        self.table.setAccessibleName(self.tr("Attendance register"))
        self.table.setAccessibleDescription(self.tr("Double-click or press F2 to edit; Delete removes the selected person"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setStyleSheet(TABLE_STYLE.format(name="attendeeTable"))
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.ROLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.ORGANISATION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.ATTENDANCE, QHeaderView.ResizeMode.ResizeToContents)
        self.fitted_columns = WrappedColumns(self.table, stretch=Column.NAME)  # wrap, never "…"
        self.role_ids = ordered_roles(self.panel_roles)
        self.role_delegate = ChoiceDelegate([(role_label(r), r) for r in self.role_ids], self.table)
        self.attendance_delegate = ChoiceDelegate(
            [(attendance_label(a), a.value) for a in ATTENDANCE_ORDER], self.table
        )
        self.table.setItemDelegateForColumn(Column.ROLE, self.role_delegate)
        self.table.setItemDelegateForColumn(Column.ATTENDANCE, self.attendance_delegate)
        self.table.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.empty = QLabel(
            self.tr("No one in the register yet. Add the panel first: type a name, choose a role and press Enter."),
            box,
        )
        self.empty.setObjectName("registerEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(f"color: {SECONDARY_TEXT}; font-size: 11pt; padding: 20px;")
        self.table_stack = QStackedWidget(box)
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty)

        # The add form: Enter anywhere in it adds the person and goes back to the name.
        self.name_edit = QLineEdit(box)
        self.name_edit.setObjectName("attendeeName")
        self.name_edit.setAccessibleName(self.tr("Name of the person to add"))
        self.name_edit.setPlaceholderText(self.tr("Name"))
        self.name_edit.returnPressed.connect(self.add_from_form)

        self.role_combo = QComboBox(box)
        self.role_combo.setObjectName("attendeeRole")
        self.role_combo.setAccessibleName(self.tr("Role"))
        self.role_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.role_combo.setMinimumContentsLength(14)
        for role_id in self.role_ids:
            if role_id not in PANEL_ROLE_IDS and self.role_combo.count() and self.role_combo.itemData(
                self.role_combo.count() - 1
            ) in PANEL_ROLE_IDS:
                self.role_combo.insertSeparator(self.role_combo.count())
            self.role_combo.addItem(role_label(role_id), role_id)
        self.role_combo.installEventFilter(self)

        self.organisation_edit = QLineEdit(box)
        self.organisation_edit.setObjectName("attendeeOrganisation")
        self.organisation_edit.setAccessibleName(self.tr("Organisation"))
        self.organisation_edit.setPlaceholderText(self.tr("Organisation"))
        self.organisation_edit.returnPressed.connect(self.add_from_form)
        self.organisations = QStringListModel(self)
        completer = QCompleter(self.organisations, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.organisation_edit.setCompleter(completer)

        self.attendance_combo = QComboBox(box)
        self.attendance_combo.setObjectName("attendeeAttendance")
        self.attendance_combo.setAccessibleName(self.tr("Attendance"))
        for attendance in ATTENDANCE_ORDER:
            self.attendance_combo.addItem(attendance_label(attendance), attendance.value)
        self.attendance_combo.installEventFilter(self)

        self.add_button = QPushButton(self.tr("Add"), box)
        self.add_button.setObjectName("addAttendeeButton")
        self.add_button.setAccessibleName(self.tr("Add to the register"))
        self.add_button.setToolTip(self.tr("Add to the register (Enter)"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_from_form)
        # Greyed out until there is a name to add (Enter in the form still says what is missing).
        self.name_edit.textChanged.connect(self._update_add)
        self._update_add()

        self.remove_button = QPushButton(self.tr("Remove"), box)
        self.remove_button.setObjectName("removeAttendeeButton")
        self.remove_button.setAccessibleName(self.tr("Remove the selected person from the register"))
        self.remove_button.setToolTip(self.tr("Remove the selected person (Delete); Ctrl+Z brings them back"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)

        form = QHBoxLayout()
        form.setSpacing(6)
        form.addWidget(self.name_edit, 3)
        form.addWidget(self.role_combo, 3)
        form.addWidget(self.organisation_edit, 3)
        form.addWidget(self.attendance_combo, 2)
        form.addWidget(self.add_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.panel_hint, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)

        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 14, 12, 10)
        layout.setSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.table_stack, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.name_edit, self.role_combo)
        self.setTabOrder(self.role_combo, self.organisation_edit)
        self.setTabOrder(self.organisation_edit, self.attendance_combo)
        self.setTabOrder(self.attendance_combo, self.add_button)
        return box

    # Public ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.refresh_register()
        self.refresh_consent()

    def refresh_register(self) -> None:
        attendees = people.list_attendees(self.ctx.store, self.ctx.review_id)
        self.model.set_attendees(attendees)
        self.table_stack.setCurrentWidget(self.table if attendees else self.empty)
        hint = missing_panel_hint(self.panel_roles, attendees)
        self.panel_hint.setText(hint)
        self.panel_hint.setVisible(bool(hint))
        self.organisations.setStringList(sorted({a.organisation for a in attendees if a.organisation}))
        self._fill_consent_by(attendees)
        self._update_buttons()

    def _fill_consent_by(self, attendees: Sequence[AttendeeData], *, keep: bool = True) -> None:
        """The register members who may record consent; the writer is chosen when they are in it."""
        kept = self.consent_by.currentData() if keep else None
        self.consent_by.blockSignals(True)
        self.consent_by.clear()
        self.consent_by.addItem(self.tr("Choose who records it…"), None)
        for attendee in attendees:
            self.consent_by.addItem(f"{attendee.name} — {role_label(attendee.role)}", attendee.id)
        actor = self.ctx.actor
        writer = next((a.id for a in attendees if (a.name, a.role) == (actor.name, actor.role)), None)
        wanted = kept if kept is not None and self.consent_by.findData(kept) >= 0 else writer
        index = self.consent_by.findData(wanted) if wanted is not None else 0
        self.consent_by.setCurrentIndex(max(index, 0))
        self.consent_by.blockSignals(False)

    def refresh_consent(self) -> None:
        review = self.ctx.reload_review()
        self._loading = True
        try:
            # Keep a choice or text the user has not had saved yet.
            if not self._consent_refused and not self._consent_pending:
                self.consent_buttons[review.consent_basis].setChecked(True)
            if not self._consent_refused and not self._detail_pending:
                if self.consent_detail.toPlainText() != review.consent_detail:
                    self.consent_detail.setPlainText(review.consent_detail)
        finally:
            self._loading = False
        if review.consent_recorded:
            self.consent_status.setText(
                self.tr("Consent basis recorded: {label}. The sections are open for notes.").format(
                    label=people.CONSENT_LABELS[review.consent_basis]
                )
            )
            self.consent_status.setStyleSheet(_OPEN_STYLE)
        else:
            self.consent_status.setText(
                self.tr("The sections stay closed until a consent basis is recorded. Choose one below.")
            )
            self.consent_status.setStyleSheet(_CLOSED_STYLE)
        if review.consent_recorded and review.consent_recorded_at is not None:
            when = local_time(review.consent_recorded_at)
            text = self.tr("Recorded by {who} on {day} at {time}.").format(
                who=describe_recorded_by(review.consent_recorded_by),
                day=f"{when:%d %b %Y}",
                time=f"{when:%H:%M}",
            )
            if review.consent_basis is ConsentBasis.DECLINED:
                text += " " + self.tr("Declining two or more reviews is an escalation criterion (consider capacity).")
            self.consent_recorded.setText(text)
        else:
            self.consent_recorded.setText(self.tr("Not recorded yet."))

    def consent_basis(self) -> ConsentBasis:
        """The basis chosen on screen (it may not be saved yet if it was refused)."""
        for basis, button in self.consent_buttons.items():
            if button.isChecked():
                return basis
        return ConsentBasis.NOT_RECORDED

    def selected_attendee(self) -> AttendeeData | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.attendee_at(index.row())

    def select_attendee(self, attendee_id: int) -> None:
        row = self.model.row_of(attendee_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, Column.NAME))

    # Register slots ---------------------------------------------------------------------

    def _update_add(self, *_args) -> None:
        self.add_button.setEnabled(bool(self.name_edit.text().strip()))

    def add_from_form(self) -> AttendeeData | None:
        """Add the person in the form. Refused: the message shows and the form keeps its text."""
        command = AddAttendeeCommand(
            self.ctx,
            name=self.name_edit.text(),
            role=self.role_combo.currentData(),
            organisation=self.organisation_edit.text(),
            attendance=Attendance(self.attendance_combo.currentData()),
        )
        self.ctx.undo_stack.push(command)
        added = command.result
        if added is not None:
            self.name_edit.clear()
            self.organisation_edit.clear()
            row = self.model.row_of(added.id)
            if row >= 0:
                self.table.scrollTo(self.model.index(row, 0))
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return added

    def remove_selected(self) -> None:
        attendee = self.selected_attendee()
        if attendee is None:
            return
        row = self.model.row_of(attendee.id)
        self.ctx.undo_stack.push(RemoveAttendeeCommand(self.ctx, attendee.id, attendee.name))
        # Keep the keyboard in the table, on the row that took the removed one's place.
        if self.model.rowCount():
            next_row = min(row, self.model.rowCount() - 1)
            self.table.selectRow(next_row)
            self.table.setCurrentIndex(self.model.index(next_row, Column.NAME))

    def _edit_requested(self, attendee_id: int, field: str, value: Any) -> None:
        self.ctx.undo_stack.push(UpdateAttendeeCommand(self.ctx, attendee_id, {field: value}))

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.selected_attendee() is not None)

    # Consent slots ----------------------------------------------------------------------

    def _basis_chosen(self, _button: QRadioButton) -> None:
        # A choice on screen, not yet recorded: refreshing keeps it until Record is pressed.
        self._consent_pending = self.consent_basis() is not self.ctx.review.consent_basis

    def record_consent(self, basis: ConsentBasis | None = None, attendee_id: int | None = None) -> bool:
        """Record the basis (the one chosen on screen by default) with the detail on screen, in the
        name of the register member chosen under "Recorded by". Undoable. Refused: the choice stays."""
        ctx = self.ctx
        if basis is not None:
            self.consent_buttons[basis].setChecked(True)
        basis = self.consent_basis()
        if attendee_id is None:
            attendee_id = self.consent_by.currentData()
        if attendee_id is None:
            ctx.message.emit(self.tr("Choose who is recording the consent basis under \"Recorded by\"."))
            self.consent_by.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        ctx.autosaver.cancel(self._detail_key())
        command = RecordConsentCommand(ctx, basis, self.consent_detail.toPlainText(), attendee_id)
        ctx.undo_stack.push(command)
        self._consent_refused = command.refused
        if command.refused:
            # Most likely the best-interests detail is missing: put the cursor where it goes.
            self.consent_detail.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self._consent_pending = False
        self.refresh_consent()
        return True

    def _detail_key(self) -> str:
        return f"consent:{self.ctx.review_id}"

    def _detail_typed(self) -> None:
        if self._loading:
            return
        ctx = self.ctx
        text = self.consent_detail.toPlainText()
        self._detail_pending = True

        def write() -> None:
            # The detail only: a basis is recorded by the Record button, never by typing.
            try:
                people.set_consent_detail(ctx.store, ctx.review_id, ctx.actor, text)
            except StorageError:
                raise  # kept pending by the autosaver and retried; the text stays on screen
            except ReviewDayError as exc:
                self._detail_pending = False
                ctx.message.emit(str(exc))
                return
            self._detail_pending = False
            ctx.reload_review()
            ctx.changed.emit("consent")

        ctx.autosaver.schedule(self._detail_key(), write)

    # Events -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.table and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                if self.table.state() != QAbstractItemView.State.EditingState:
                    self.remove_selected()
                    return True
            if watched in (self.role_combo, self.attendance_combo) and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.add_from_form()
                return True
        if watched is self.consent_by and event.type() == QEvent.Type.Wheel:
            return True
        return super().eventFilter(watched, event)

    def _on_changed(self, kind: str) -> None:
        if kind == "people":
            self.refresh_register()
        elif kind == "consent":
            self.refresh_consent()

