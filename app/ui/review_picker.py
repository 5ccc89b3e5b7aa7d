"""The start screen when no review is open: every review in the database, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import IntEnum

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.kloe import TemplateRegistry
from app.models.enums import ReviewStatus
from app.services import reviews
from app.services.dto import ReviewSummary
from app.services.store import Store
from app.ui.row_table_model import RowTableModel, SortKeyProxy, SortKeyRole, read_only_row_table
from app.ui.theme import SECONDARY_TEXT
from app.ui.layout_fit import WrappedColumns

NHS_BLUE = "#005EB8"
# A calm, flat header whose text lines up with the cells' text.
TABLE_STYLE = (
    "#{name}::item {{ padding: 0 4px; }}"
    "#{name} QHeaderView::section {{ padding: 4px 6px; background: #f0f4f5; border: none;"
    " border-bottom: 1px solid #d8dde0; border-right: 1px solid #e8edee; font-weight: 600; }}"
)
FLAG_COLOUR = QColor("#8a4b00")

ReviewIdRole = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReviewPicker", text)


def status_label(status: ReviewStatus) -> str:
    return {
        ReviewStatus.DRAFT: _tr("Draft"),
        ReviewStatus.IN_PROGRESS: _tr("In progress"),
        ReviewStatus.COMPLETE: _tr("Complete"),
    }[ReviewStatus(status)]


def flag_label(flag: str) -> str:
    labels = {
        "long-term segregation": _tr("Long-term segregation"),
        "consent not recorded": _tr("Consent not recorded"),
        "report overdue": _tr("Report overdue"),
    }
    return labels.get(flag, flag[:1].upper() + flag[1:])


class Column(IntEnum):
    TYPE = 0
    PERSON = 1
    DATE = 2
    SETTING = 3
    STATUS = 4
    NOTES = 5
    ACTIONS = 6
    FLAGS = 7


def _headers() -> dict[Column, str]:
    return {
        Column.TYPE: _tr("Type"),
        Column.PERSON: _tr("Person"),
        Column.DATE: _tr("Date"),
        Column.SETTING: _tr("Setting"),
        Column.STATUS: _tr("Status"),
        Column.NOTES: _tr("Notes"),
        Column.ACTIONS: _tr("Actions"),
        Column.FLAGS: _tr("Flags"),
    }


_STATUS_ORDER = {ReviewStatus.DRAFT: 0, ReviewStatus.IN_PROGRESS: 1, ReviewStatus.COMPLETE: 2}


class ReviewListModel(RowTableModel[ReviewSummary]):
    """One row per review summary, in the order the service gives (newest first)."""

    def set_reviews(self, summaries: Sequence[ReviewSummary]) -> None:
        self.set_rows(summaries)

    def reviews(self) -> list[ReviewSummary]:
        return self.rows()

    def review_at(self, row: int) -> ReviewSummary | None:
        return self.row_at(row)

    def headers(self) -> list[str]:
        labels = _headers()
        return [labels[column] for column in Column]

    # Qt overrides ---------------------------------------------------------------------

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        summary = self.item_at(index)
        if summary is None:
            return None
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(summary, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.TYPE:
                return f"{summary.template_title} (v{summary.template_version})"
            return self._display(summary, column) or None
        if role == ReviewIdRole:
            return summary.id
        if role == SortKeyRole:
            return self._sort_key(summary, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.NOTES, Column.ACTIONS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.FLAGS and summary.flags:
            return QBrush(FLAG_COLOUR)
        return None

    @staticmethod
    def _display(summary: ReviewSummary, column: Column) -> str:
        if column == Column.TYPE:
            return summary.template_title
        if column == Column.PERSON:
            return summary.person_label
        if column == Column.DATE:
            return f"{summary.review_date:%d %b %Y}"
        if column == Column.SETTING:
            setting = summary.setting
            return setting[:1].upper() + setting[1:]
        if column == Column.STATUS:
            return status_label(summary.status)
        if column == Column.NOTES:
            return str(summary.notes)
        if column == Column.ACTIONS:
            return str(summary.actions)
        return " · ".join(flag_label(flag) for flag in summary.flags)

    def _sort_key(self, summary: ReviewSummary, column: Column):
        if column == Column.DATE:
            return summary.review_date.toordinal()
        if column == Column.NOTES:
            return summary.notes
        if column == Column.ACTIONS:
            return summary.actions
        if column == Column.STATUS:
            return _STATUS_ORDER.get(summary.status, 9)
        return self._display(summary, column).casefold()


class ReviewFilterProxy(SortKeyProxy):
    """Matches the filter text against every column; sorts by the model's sort keys."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class ReviewPicker(QWidget):
    """Lists the reviews; asks the main window to open one or to start a new one."""

    open_requested = Signal(int)
    new_requested = Signal()
    # The next review of the selected review's person.
    follow_up_requested = Signal(int)

    def __init__(self, store: Store, registry: TemplateRegistry, parent: QWidget | None = None, *,
                 today: date | None = None, report_due_working_days: int = 10) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPicker")
        self.store = store
        self.registry = registry
        # "Report overdue" is judged on this day, this many working days after the review day.
        self.today = today
        self.report_due_working_days = report_due_working_days

        heading = QLabel(self.tr("Reviews"), self)
        heading.setObjectName("pickerHeading")
        heading.setStyleSheet(f"#pickerHeading {{ font-size: 15pt; font-weight: 600; color: {NHS_BLUE}; }}")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("pickerCount")
        self.count_label.setStyleSheet(f"color: {SECONDARY_TEXT};")

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("pickerFilter")
        self.filter_edit.setAccessibleName(self.tr("Filter reviews"))
        self.filter_edit.setPlaceholderText(self.tr("Filter by person, type, place, status…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.filter_edit.returnPressed.connect(self.open_current)
        self.filter_edit.installEventFilter(self)

        self.new_button = QPushButton(self.tr("New review…"), self)
        self.new_button.setObjectName("pickerNew")
        self.new_button.setAccessibleName(self.tr("New review"))
        self.new_button.setToolTip(self.tr("Start a new review (Ctrl+N)"))
        self.new_button.setAutoDefault(False)
        self.new_button.setStyleSheet(
            f"#pickerNew {{ background: {NHS_BLUE}; color: white; border-radius: 4px; padding: 6px 16px; font-weight: 600; }}"
        )
        self.new_button.clicked.connect(self.new_requested)

        self.open_button = QPushButton(self.tr("Open"), self)
        self.open_button.setObjectName("pickerOpen")
        self.open_button.setAccessibleName(self.tr("Open the selected review"))
        self.open_button.setToolTip(self.tr("Open the selected review (Enter or double-click)"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_current)

        self.follow_up_button = QPushButton(self.tr("New follo&w-up…"), self)
        self.follow_up_button.setObjectName("pickerFollowUp")
        self.follow_up_button.setAccessibleName(self.tr("New follow-up review of the selected review"))
        self.follow_up_button.setToolTip(
            self.tr("Start the person's next review, bringing in the selected review's unfinished actions"))
        self.follow_up_button.setAutoDefault(False)
        self.follow_up_button.clicked.connect(self.follow_up_current)

        self.model = ReviewListModel(self)
        self.proxy = ReviewFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = read_only_row_table(self, self.proxy, name="reviewTable", accessible_name=self.tr("Reviews"),
                                         description=self.tr("Enter or double-click opens a review"))
        self.table.setTabKeyNavigation(False)
        self.table.setStyleSheet(TABLE_STYLE.format(name="reviewTable"))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.SETTING, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.FLAGS, QHeaderView.ResizeMode.Stretch)
        self.fitted_columns = WrappedColumns(self.table, stretch=Column.SETTING)  # wrap, never "…"
        header.setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(self._open_index)
        self.table.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.empty = QLabel(self)
        self.empty.setObjectName("pickerEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(f"color: {SECONDARY_TEXT}; font-size: 12pt; padding: 40px;")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.count_label, 1, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.new_button)
        self.filter_row = QWidget(self)
        bar = QHBoxLayout(self.filter_row)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.follow_up_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.filter_row)
        layout.addWidget(self.stack, 1)

        self.refresh()

    # Public ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list from the database, keeping the selected review if it is still there."""
        current = self.current_review_id()
        self.model.set_reviews(reviews.list_reviews(self.store, self.registry, today=self.today,
                                                    report_due_working_days=self.report_due_working_days))
        if current is None or not self.select_review(current):
            self._select_first()
        self._update_state()

    def current_review_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return index.siblingAtColumn(0).data(ReviewIdRole)

    def select_review(self, review_id: int) -> bool:
        row = self.model.row_of(review_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self._set_current(index)
        return True

    def open_current(self) -> None:
        review_id = self.current_review_id()
        if review_id is not None:
            self.open_requested.emit(review_id)

    def follow_up_current(self) -> None:
        review_id = self.current_review_id()
        if review_id is not None:
            self.follow_up_requested.emit(review_id)

    def context_menu(self) -> QMenu:
        """The review list's context menu (also what the right mouse button shows)."""
        menu = QMenu(self)
        menu.setObjectName("pickerMenu")
        menu.addAction(self.tr("&Open"), self.open_current)
        menu.addAction(self.tr("New &follow-up review…"), self.follow_up_current)
        return menu

    def _context_menu(self, position) -> None:
        index = self.table.indexAt(position)
        if index.isValid():
            self._set_current(index)
            self.context_menu().exec(self.table.viewport().mapToGlobal(position))

    def set_filter(self, text: str) -> None:
        self.filter_edit.setText(text)

    def focus_list(self) -> None:
        """Where the keyboard starts: the filter box, from which Enter opens the selected review."""
        self.filter_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # Internals -------------------------------------------------------------------------

    def _set_current(self, index: QModelIndex) -> None:
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    def _select_first(self) -> None:
        if self.proxy.rowCount():
            self._set_current(self.proxy.index(0, 0))
        else:
            self.table.selectionModel().clear()

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if not self.table.currentIndex().isValid() or not self.table.selectionModel().hasSelection():
            self._select_first()
        self._update_state()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._set_current(index)
            self.open_current()

    def _update_state(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if total == 0:
            self.empty.setText(self.tr("No reviews yet. Start one with New review… (Ctrl+N)"))
        elif shown == 0:
            self.empty.setText(
                self.tr("No reviews match “{text}”. Clear the filter to see all {n}.").format(
                    text=self.filter_edit.text().strip(), n=total
                )
            )
        self.stack.setCurrentWidget(self.table if shown else self.empty)
        # Nothing to filter or open yet: only "New review…" is left to do.
        self.filter_row.setVisible(total > 0)
        if total == 0:
            self.count_label.setText("")
        elif shown == total:
            self.count_label.setText(self.tr("1 review") if total == 1 else self.tr("{n} reviews").format(n=total))
        else:
            self.count_label.setText(self.tr("{shown} of {n} reviews").format(shown=shown, n=total))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.current_review_id() is not None and self.proxy.rowCount() > 0)
        self.follow_up_button.setEnabled(self.open_button.isEnabled())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
            if watched is self.filter_edit and key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                # Arrow keys move through the list while the cursor stays in the filter box.
                self._move(key)
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: int) -> None:
        rows = self.proxy.rowCount()
        if not rows:
            return
        row = self.table.currentIndex().row()
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}[Qt.Key(key)]
        row = min(max(0 if row < 0 else row + step, 0), rows - 1)
        self._set_current(self.proxy.index(row, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Ctrl+N when the picker stands alone. In the main window its File > New review action
        # (the same keys) takes the shortcut first, so there is no ambiguous double binding.
        if event.matches(QKeySequence.StandardKey.New):
            self.new_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
