"""The action tracker: every review's actions in one window, filtered, with what is overdue.

The rows come from one service call (two SQL queries); the filters then work in memory on a
QSortFilterProxyModel, so typing in a filter never touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import IntEnum

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ActionStatus
from app.services import tracker
from app.services.dto import TrackerRow
from app.services.store import Store
from app.ui.action_table_model import STATUS_ORDER, PRIORITY_ORDER, priority_label, status_label
from app.ui.row_table_model import RowTableModel, SortKeyProxy, SortKeyRole, bold_font, read_only_row_table
from app.ui.widgets import OptionalDateEdit
from app.ui.layout_fit import WrappedColumns

ReviewIdRole = Qt.ItemDataRole.UserRole + 1
OverdueRole = Qt.ItemDataRole.UserRole + 3

# Dark red with AA contrast on white; always with the word "Overdue" and an icon, never colour alone.
OVERDUE_COLOUR = QColor("#b3261e")
NO_DATE_SORT = 10**7


def _tr(text: str) -> str:
    return QCoreApplication.translate("ActionTracker", text)


class Column(IntEnum):
    PERSON = 0
    REVIEW_DATE = 1
    WHAT = 2
    OWNER = 3
    ORGANISATION = 4
    DEADLINE = 5
    PRIORITY = 6
    STATUS = 7


def _headers() -> list[str]:
    return [_tr("Person"), _tr("Review"), _tr("What"), _tr("Owner"), _tr("Organisation"), _tr("Deadline"),
            _tr("Priority"), _tr("Status")]


def _day(value: date | None) -> str:
    return f"{value:%d %b %Y}" if value else ""


class TrackerTableModel(RowTableModel[TrackerRow]):
    """One row per action of any review. A thin adapter over cached TrackerRow rows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Asked for on every cell; translated once (the tracker can hold thousands of rows).
        self._headers = _headers()

    def headers(self) -> list[str]:
        return self._headers

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(Column)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.item_at(index)
        if row is None:
            return None
        column = Column(index.column())
        overdue = row.effective_status is ActionStatus.OVERDUE
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == ReviewIdRole:
            return row.review_id
        if role == OverdueRole:
            return overdue
        if role == SortKeyRole:
            return self._sort_key(row, column)
        if overdue and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(OVERDUE_COLOUR)
        if overdue and role == Qt.ItemDataRole.FontRole and column in (Column.DEADLINE, Column.STATUS):
            return bold_font()
        if overdue and role == Qt.ItemDataRole.DecorationRole and column == Column.STATUS:
            return self.standard_icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return None

    def _display(self, row: TrackerRow, column: Column) -> str:
        if column == Column.PERSON:
            return row.person_label
        if column == Column.REVIEW_DATE:
            return _day(row.review_date)
        if column == Column.WHAT:
            return " ".join(row.what.split())
        if column == Column.OWNER:
            return row.owner_name
        if column == Column.ORGANISATION:
            return row.owner_organisation
        if column == Column.DEADLINE:
            return _day(row.deadline) or _tr("No date")
        if column == Column.PRIORITY:
            return priority_label(row.priority)
        if row.done_in_review_date is not None:
            return _tr("Done (review of {date})").format(date=_day(row.done_in_review_date))
        if row.dropped_in_review_date is not None:
            return _tr("No longer relevant (review of {date})").format(date=_day(row.dropped_in_review_date))
        return status_label(row.effective_status)

    def _tooltip(self, row: TrackerRow, column: Column) -> str | None:
        if column == Column.WHAT:
            return row.what
        if column == Column.STATUS:
            if row.done_in_review_date is not None:
                return _tr("Recorded as done at the review of {date}").format(date=_day(row.done_in_review_date))
            if row.dropped_in_review_date is not None:
                return _tr("Recorded as no longer relevant at the review of {date}").format(
                    date=_day(row.dropped_in_review_date))
            if row.effective_status is ActionStatus.OVERDUE:
                return _tr("Overdue: the deadline has passed and it is not done")
        return None

    def _sort_key(self, row: TrackerRow, column: Column):
        if column == Column.REVIEW_DATE:
            return row.review_date.toordinal()
        if column == Column.DEADLINE:
            return row.deadline.toordinal() if row.deadline else NO_DATE_SORT
        if column == Column.PRIORITY:
            return PRIORITY_ORDER.index(row.priority)
        if column == Column.STATUS:
            return STATUS_ORDER.index(row.effective_status)
        return self._display(row, column).casefold()


class TrackerFilterProxy(SortKeyProxy):
    """Owner and organisation (part of the name, any case), due from / to, status, overdue only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.owner = ""
        self.organisation = ""
        self.due_from: date | None = None
        self.due_to: date | None = None
        self.status: ActionStatus | None = None
        self.overdue_only = False
        self._active = False

    def set_filters(self, **values) -> None:
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.9+; invalidateFilter() is deprecated there
        if begin is not None:
            begin()
        for name, value in values.items():
            if not hasattr(self, name):
                raise AttributeError(name)
            setattr(self, name, value)
        self._active = bool(self.owner or self.organisation or self.due_from or self.due_to or self.status
                            or self.overdue_only)
        if begin is not None:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        if not self._active:
            return True
        model = self.sourceModel()
        row = model.row_at(source_row) if isinstance(model, TrackerTableModel) else None
        if row is None:
            return False
        if self.owner and self.owner.casefold() not in row.owner_name.casefold():
            return False
        if self.organisation and self.organisation.casefold() not in row.owner_organisation.casefold():
            return False
        if self.due_from is not None and (row.deadline is None or row.deadline < self.due_from):
            return False
        if self.due_to is not None and (row.deadline is None or row.deadline > self.due_to):
            return False
        if self.status is not None and row.effective_status is not self.status:
            return False
        if self.overdue_only and row.effective_status is not ActionStatus.OVERDUE:
            return False
        return True


class TrackerWindow(QWidget):
    """A separate window listing every review's actions. Double-click (or Enter) opens that review."""

    open_review_requested = Signal(int)

    def __init__(self, store: Store, today: date | Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("trackerWindow")
        self.setWindowTitle(self.tr("Action tracker — ReviewDay"))
        self.setAccessibleName(self.tr("Action tracker"))
        self.store = store
        self._today = today
        self.resize(1100, 620)

        heading = QLabel(self.tr("Action tracker"), self)
        heading.setObjectName("trackerHeading")
        heading.setStyleSheet("#trackerHeading { font-size: 14pt; font-weight: 600; color: #005EB8; }")
        intro = QLabel(self.tr("Every review's actions. Overdue means past its deadline and not done; an action "
                               "recorded as done at a later review counts as done, and one recorded as no longer "
                               "relevant is never overdue. Double-click a row to open its review."), self)
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #4c6272;")

        self.owner = self._line("trackerOwner", self.tr("Owner"), self.tr("Part of the owner's name"))
        self.organisation = self._line("trackerOrganisation", self.tr("Organisation"),
                                       self.tr("Part of the organisation's name"))
        self.due_from = OptionalDateEdit(self, accessible_name=self.tr("Due from"))
        self.due_from.setObjectName("trackerDueFrom")
        self.due_to = OptionalDateEdit(self, accessible_name=self.tr("Due to"))
        self.due_to.setObjectName("trackerDueTo")
        self.status = QComboBox(self)
        self.status.setObjectName("trackerStatus")
        self.status.setAccessibleName(self.tr("Status"))
        self.status.addItem(self.tr("Any status"), None)
        for status in STATUS_ORDER:
            self.status.addItem(status_label(status), status)
        self.overdue_only = QCheckBox(self.tr("&Overdue only"), self)
        self.overdue_only.setObjectName("trackerOverdueOnly")
        self.overdue_only.setAccessibleName(self.tr("Overdue only"))
        self.count = QLabel(self)
        self.count.setObjectName("trackerCount")
        self.count.setAccessibleName(self.tr("Actions shown"))

        self.model = TrackerTableModel(self)
        self.proxy = TrackerFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = read_only_row_table(
            self, self.proxy, name="trackerTable", accessible_name=self.tr("Actions of every review"),
            description=self.tr("Enter or double-click opens the action's review"))
        # Opens in the service's order (newest review first) without sorting thousands of rows in
        # Python; a click on a header sorts by that column.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.WHAT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.PERSON, 80), (Column.REVIEW_DATE, 100), (Column.OWNER, 140),
                              (Column.ORGANISATION, 150), (Column.DEADLINE, 100), (Column.PRIORITY, 70),
                              (Column.STATUS, 170)):
            header.resizeSection(column, width)
        # Wrap, never "…"; the first few hundred rows are measured so thousands stay quick.
        self.fitted_columns = WrappedColumns(self.table, stretch=Column.WHAT, rows=300)
        self.table.doubleClicked.connect(self._open_index)
        self.table.installEventFilter(self)  # Enter opens the review (the view would only move on)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        close.activated.connect(self.close)

        filters = QFormLayout()
        filters.addRow(self._label(self.tr("O&wner"), self.owner), self.owner)
        filters.addRow(self._label(self.tr("Or&ganisation"), self.organisation), self.organisation)
        dates = QHBoxLayout()
        dates.addWidget(self.due_from)
        dates.addWidget(QLabel(self.tr("to"), self))
        dates.addWidget(self.due_to)
        filters.addRow(self._label(self.tr("&Due from"), self.due_from.edit), dates)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addWidget(self.overdue_only)
        status_row.addStretch(1)
        status_row.addWidget(self.count)
        filters.addRow(self._label(self.tr("&Status"), self.status), status_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.owner.textChanged.connect(lambda text: self._filter(owner=text.strip()))
        self.organisation.textChanged.connect(lambda text: self._filter(organisation=text.strip()))
        self.due_from.value_changed.connect(lambda value: self._filter(due_from=value))
        self.due_to.value_changed.connect(lambda value: self._filter(due_to=value))
        self.status.currentIndexChanged.connect(lambda _i: self._filter(status=self._status()))
        self.overdue_only.toggled.connect(lambda on: self._filter(overdue_only=on))
        self.refresh()

    # Public ---------------------------------------------------------------------------------

    def today(self) -> date:
        return self._today() if callable(self._today) else self._today

    def refresh(self) -> None:
        """Reload every review's actions (one service call)."""
        self.model.set_rows(tracker.tracker_rows(self.store, today=self.today()))
        self._update_count()

    def current_review_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.siblingAtColumn(0).data(ReviewIdRole) if index.isValid() else None

    def open_current(self) -> None:
        review_id = self.current_review_id()
        if review_id is not None:
            self.open_review_requested.emit(review_id)

    # Internals ------------------------------------------------------------------------------

    def _line(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        return edit

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _status(self) -> ActionStatus | None:
        value = self.status.currentData()  # a StrEnum comes back from Qt as a plain str
        return ActionStatus(value) if value else None

    def _filter(self, **values) -> None:
        self.proxy.set_filters(**values)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        overdue = sum(1 for row in self.model.rows() if row.effective_status is ActionStatus.OVERDUE)
        text = self.tr("{shown} of {total} actions").format(shown=shown, total=total)
        if overdue:
            text += self.tr(" · {n} overdue").format(n=overdue)
        self.count.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.open_current()
            return True
        return super().eventFilter(watched, event)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.open_current()
