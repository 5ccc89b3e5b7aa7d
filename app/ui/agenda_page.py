"""The day's agenda: every section with its lead, planned and elapsed time, status and notes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QStyledItemDelegate,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.kloe.roles import role_label
from app.models.enums import SectionStatus
from app.services import sections
from app.services.dto import SectionStateData
from app.ui.context import ReviewContext
from app.ui.layout_fit import WrappedColumns
from app.ui.section_timer import (
    SectionTimer,
    TimeState,
    describe_against_plan,
    format_duration,
    format_minutes,
    time_state,
)

DEFAULT_DAY_START = QTime(9, 30)
SectionIdRole = Qt.ItemDataRole.UserRole + 1


def _translate(text: str) -> str:
    return QCoreApplication.translate("AgendaPage", text)


def status_label(status: SectionStatus) -> str:
    return {
        SectionStatus.NOT_STARTED: _translate("Not started"),
        SectionStatus.IN_PROGRESS: _translate("In progress"),
        SectionStatus.DONE: _translate("Done"),
    }[status]


@dataclass(frozen=True)
class AgendaRow:
    section_id: str
    number: int | str
    title: str
    lead_role: str
    planned_minutes: int
    elapsed_seconds: int
    status: SectionStatus
    notes: int


class AgendaTableModel(QAbstractTableModel):
    """One row per section. Edits are not applied here: they are emitted for the page to save."""

    NUMBER, TITLE, LEAD, PLANNED, ELAPSED, STATUS, NOTES = range(7)
    HEADERS = ("No.", "Section", "Lead", "Planned", "Elapsed", "Status", "Notes")

    planned_edited = Signal(str, object)  # section id, the value typed
    status_edited = Signal(str, object)  # section id, a SectionStatus (or its value)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[AgendaRow] = []

    # Loading ----------------------------------------------------------------------------

    def set_rows(self, rows: list[AgendaRow]) -> None:
        # Same sections: update in place so an open editor and the selection survive.
        if [r.section_id for r in rows] == [r.section_id for r in self._rows]:
            old = self._rows
            self._rows = list(rows)
            for row, (before, after) in enumerate(zip(old, rows, strict=True)):
                if before != after:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, self.NOTES))
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_elapsed(self, elapsed: dict[str, int]) -> None:
        """Live timer update: only the Elapsed cells that changed are repainted."""
        for row, item in enumerate(self._rows):
            seconds = elapsed.get(item.section_id, item.elapsed_seconds)
            if seconds != item.elapsed_seconds:
                self._rows[row] = replace(item, elapsed_seconds=seconds)
                index = self.index(row, self.ELAPSED)
                self.dataChanged.emit(index, index)

    def row(self, row: int) -> AgendaRow:
        return self._rows[row]

    def rows(self) -> list[AgendaRow]:
        return list(self._rows)

    def row_of(self, section_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.section_id == section_id), -1)

    # Qt model API -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _translate(self.HEADERS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (self.NUMBER, self.PLANNED, self.ELAPSED, self.NOTES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == self.PLANNED:
                return _translate("Planned minutes; type a number or press F2 to change it")
            if section == self.STATUS:
                return _translate("Press F2 to change the status")
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (self.PLANNED, self.STATUS):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.EditRole:
            if column == self.PLANNED:
                return item.planned_minutes
            if column == self.STATUS:
                return item.status.value
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.ELAPSED:
                return describe_against_plan(item.elapsed_seconds, item.planned_minutes * 60)
            if column == self.TITLE:
                return item.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.NUMBER, self.PLANNED, self.ELAPSED, self.NOTES):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ELAPSED:
            if time_state(item.elapsed_seconds, item.planned_minutes * 60) is TimeState.OVER:
                return QColor("#b3261e")
        if role == SectionIdRole:
            return item.section_id
        return None

    def _display(self, item: AgendaRow, column: int) -> str:
        if column == self.NUMBER:
            return str(item.number)
        if column == self.TITLE:
            return item.title
        if column == self.LEAD:
            return role_label(item.lead_role) if item.lead_role else ""
        if column == self.PLANNED:
            return _translate("{m} min").format(m=item.planned_minutes)
        if column == self.ELAPSED:
            text = format_duration(item.elapsed_seconds)
            if time_state(item.elapsed_seconds, item.planned_minutes * 60) is TimeState.OVER:
                text += " · " + describe_against_plan(item.elapsed_seconds, item.planned_minutes * 60)
            return text
        if column == self.STATUS:
            return status_label(item.status)
        if column == self.NOTES:
            return str(item.notes)
        return ""

    def setData(self, index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt override
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        section_id = self._rows[index.row()].section_id
        if index.column() == self.PLANNED:
            self.planned_edited.emit(section_id, value)
            return True
        if index.column() == self.STATUS:
            self.status_edited.emit(section_id, value)
            return True
        return False


class PlannedMinutesDelegate(QStyledItemDelegate):
    """A spin box for planned minutes, limited to what the service accepts."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        editor = QSpinBox(parent)
        editor.setObjectName("plannedMinutesEditor")
        editor.setRange(0, sections.MAX_PLANNED_MINUTES)
        editor.setSingleStep(5)
        editor.setSuffix(_translate(" min"))
        editor.setAccessibleName(_translate("Planned minutes"))
        editor.setToolTip(_translate("From 0 to {max} minutes").format(max=sections.MAX_PLANNED_MINUTES))
        return editor

    def setEditorData(self, editor, index) -> None:  # noqa: N802 - Qt override
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setValue(int(value) if value is not None else 0)

    def setModelData(self, editor, model, index) -> None:  # noqa: N802 - Qt override
        editor.interpretText()
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class StatusDelegate(QStyledItemDelegate):
    """A combo box of section statuses."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        editor = QComboBox(parent)
        editor.setObjectName("sectionStatusEditor")
        editor.setAccessibleName(_translate("Section status"))
        for status in SectionStatus:
            editor.addItem(status_label(status), status.value)
        return editor

    def setEditorData(self, editor, index) -> None:  # noqa: N802 - Qt override
        row = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(row, 0))

    def setModelData(self, editor, model, index) -> None:  # noqa: N802 - Qt override
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class AgendaPage(QWidget):
    """The agenda; Enter or double-click on a section opens it."""

    open_section = Signal(str)

    def __init__(self, ctx: ReviewContext, timer: SectionTimer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaPage")
        self.ctx = ctx
        self.timer = timer

        heading = QLabel(self.tr("Agenda"), self)
        heading.setObjectName("agendaHeading")
        heading.setStyleSheet("#agendaHeading { font-size: 14pt; font-weight: 600; color: #005EB8; }")
        hint = QLabel(
            self.tr("Type a number in Planned to change the time for a section. Press Enter to open a section."),
            self,
        )
        hint.setObjectName("agendaHint")
        hint.setWordWrap(True)
        hint.setStyleSheet("#agendaHint { color: #4c6272; }")

        self.model = AgendaTableModel(self)
        self.model.planned_edited.connect(self._planned_edited)
        self.model.status_edited.connect(self._status_edited)
        self.table = QTableView(self)
        self.table.setObjectName("agendaTable")
        self.table.setAccessibleName(self.tr("Agenda of the review day"))
        self.table.setAccessibleDescription(
            self.tr("One row per section. F2 edits planned minutes or status; Enter opens the section.")
        )
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(AgendaTableModel.PLANNED, PlannedMinutesDelegate(self.table))
        self.table.setItemDelegateForColumn(AgendaTableModel.STATUS, StatusDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setStyleSheet(
            "#agendaTable::item { padding: 0px 8px; }"
            "#agendaTable QHeaderView::section { background: #f0f4f5; border: none;"
            " border-bottom: 1px solid #d8dde0; padding: 5px 11px; font-weight: 600; }"
        )
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AgendaTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.fitted_columns = WrappedColumns(self.table, stretch=AgendaTableModel.TITLE)  # wrap, never "…"
        self.table.activated.connect(self._activated)

        self.totals = QLabel(self)
        self.totals.setObjectName("agendaTotals")
        self.totals.setWordWrap(True)  # large text: wraps rather than widen the page
        self.totals.setAccessibleName(self.tr("Planned and elapsed time for the day"))
        self.day_start = QTimeEdit(DEFAULT_DAY_START, self)
        self.day_start.setObjectName("dayStart")
        self.day_start.setDisplayFormat("HH:mm")
        self.day_start.setAccessibleName(self.tr("Day starts at"))
        self.day_start.setToolTip(self.tr("When the review day starts; used to work out the planned finish"))
        self.day_start.timeChanged.connect(self._update_footer)
        start_label = QLabel(self.tr("Day starts at"), self)
        start_label.setBuddy(self.day_start)
        self.finish = QLabel(self)
        self.finish.setObjectName("plannedFinish")
        self.finish.setAccessibleName(self.tr("Planned finish"))
        self.finish.setWordWrap(True)  # the longest part: wraps rather than widen the page past the window

        footer = QHBoxLayout()
        footer.setSpacing(10)
        footer.addWidget(self.totals, 1)
        footer.addWidget(start_label)
        footer.addWidget(self.day_start)
        footer.addSpacing(12)
        footer.addWidget(self.finish)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

        ctx.changed.connect(self._on_changed)
        timer.tick.connect(self._on_tick)
        self.refresh()

    # Public -----------------------------------------------------------------------------

    def refresh(self) -> None:
        states = sections.list_section_states(self.ctx.store, self.ctx.review_id)
        self.model.set_rows([self._row(state) for state in states])
        self._update_footer()

    def select_section(self, section_id: str) -> None:
        row = self.model.row_of(section_id)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, AgendaTableModel.TITLE))

    # Building ---------------------------------------------------------------------------

    def _row(self, state: SectionStateData) -> AgendaRow:
        try:
            section = self.ctx.template.section(state.section_id)
            number, title = section.number, section.title
        except KeyError:
            number, title = state.position + 1, state.section_id
        return AgendaRow(
            section_id=state.section_id,
            number=number,
            title=title,
            lead_role=state.lead_role,
            planned_minutes=state.planned_minutes,
            elapsed_seconds=self.timer.elapsed_seconds(state.section_id),
            status=state.status,
            notes=state.notes,
        )

    def _update_footer(self) -> None:
        rows = self.model.rows()
        planned = sum(r.planned_minutes for r in rows)
        elapsed = self.timer.day_elapsed_seconds()
        self.totals.setText(
            self.tr("Planned {planned} · Elapsed {elapsed} ({against})").format(
                planned=format_minutes(planned),
                elapsed=format_duration(elapsed),
                against=describe_against_plan(elapsed, planned * 60),
            )
        )
        start = self.day_start.time()
        finish = start.addSecs(planned * 60)
        text = self.tr("Planned finish {time}").format(time=finish.toString("HH:mm"))
        if planned * 60 >= 24 * 3600 - start.msecsSinceStartOfDay() // 1000:
            text += self.tr(" (next day)")
        expected = self._expected_finish(rows)
        if expected is not None:
            text += " · " + self.tr("If the rest keeps to plan, {time}").format(time=f"{expected:%H:%M}")
        self.finish.setText(text)

    def _expected_finish(self, rows: list[AgendaRow]) -> datetime | None:
        """Now plus the planned time still to go in unfinished sections, once the timer has started."""
        if not any(r.elapsed_seconds for r in rows):
            return None
        remaining = sum(
            max(r.planned_minutes * 60 - r.elapsed_seconds, 0) for r in rows if r.status is not SectionStatus.DONE
        )
        return self.ctx.now() + timedelta(seconds=remaining)

    # Slots ------------------------------------------------------------------------------

    def _on_tick(self) -> None:
        self.model.set_elapsed({r.section_id: self.timer.elapsed_seconds(r.section_id) for r in self.model.rows()})
        self._update_footer()

    def _on_changed(self, kind: str) -> None:
        if kind in ("sections", "notes", "setup"):
            self.refresh()

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_section.emit(self.model.row(index.row()).section_id)

    def _planned_edited(self, section_id: str, value: object) -> None:
        try:
            minutes = int(value)
        except (TypeError, ValueError):
            self.ctx.message.emit(self.tr("Enter the planned time as a whole number of minutes."))
            return
        self.ctx.call(
            sections.set_planned_minutes,
            self.ctx.store,
            self.ctx.review_id,
            section_id,
            minutes,
            self.ctx.actor,
            changed="sections",
        )

    def _status_edited(self, section_id: str, value: object) -> None:
        try:
            status = SectionStatus(value)
        except ValueError:
            self.ctx.message.emit(self.tr("Choose not started, in progress or done."))
            return
        self.ctx.call(
            sections.set_section_status,
            self.ctx.store,
            self.ctx.review_id,
            section_id,
            status,
            self.ctx.actor,
            changed="sections",
        )
