"""Recommendations and actions: the table, the editor beside it, and completing the review."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ReviewStatus
from app.services import actions, follow_up, reviews
from app.services.dto import ActionData
from app.ui.action_commands import DeleteActionCommand
from app.ui.action_editor import ActionEditor
from app.ui.action_table_model import ActionSortProxy, ActionTableModel, Column
from app.ui.carried_panel import CarriedActionsPanel
from app.ui.context import ReviewContext
from app.ui.row_table_model import read_only_row_table
from app.ui.layout_fit import WrappedColumns, stack_at_large_text

# Starting widths of the columns the user may resize; "What" takes the rest.
_COLUMN_WIDTHS = {Column.WHY: 170, Column.OWNER: 130, Column.ORGANISATION: 130, Column.SECTION: 140}
# Dropped in this order when the table is too narrow for "What" to stay readable; the editor
# still shows them for the selected action and the tooltips carry them.
_OPTIONAL_COLUMNS = (Column.WHY, Column.ORGANISATION, Column.SECTION)
_WHAT_MIN_WIDTH = 240


class ActionsPage(QWidget):
    """Every recommendation with its owner and deadline; edit beside the table; mark the review complete."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionsPage")
        self.ctx = ctx
        self._capturing = False
        self._keep_drafting = False
        self._just_added: int | None = None  # the action last added, kept in view as the page settles
        self._in_view_queued = False

        title = QLabel(self.tr("Recommendations and actions"), self)
        title.setObjectName("actionsTitle")
        title.setStyleSheet("#actionsTitle { font-size: 14pt; font-weight: 600; color: #005EB8; }")
        title.setWordWrap(True)  # large text: two lines rather than widen the page
        intro = QLabel(
            self.tr("Each action says what will happen, who will do it and by when. "
                    "Every action needs an owner, a date and a why before the review can be completed."),
            self,
        )
        intro.setObjectName("actionsIntro")
        intro.setWordWrap(True)
        intro.setStyleSheet("#actionsIntro { color: #4c6272; }")

        self.model = ActionTableModel(self)
        self.proxy = ActionSortProxy(self)
        self.proxy.setSourceModel(self.model)

        self.table = read_only_row_table(
            self, self.proxy, name="actionsTable", accessible_name=self.tr("Actions"),
            description=self.tr("Select an action to edit it below. Press Delete to delete the selected action."))
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.WHAT, QHeaderView.ResizeMode.Stretch)
        for column in (Column.NUMBER, Column.DEADLINE, Column.PRIORITY, Column.STATUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in _COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self.fitted_columns = WrappedColumns(self.table, stretch=Column.WHAT)  # wrap, never "…"
        # Follow the selection, not the current index: focusing the table sets a current row
        # without selecting it, and that must not take the editor away from a new draft.
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.viewport().installEventFilter(self)
        # Rows grow to their wrapped text after a reload: the row just added is kept in view.
        self.table.verticalHeader().sectionResized.connect(lambda *_args: self._keep_added_in_view())
        # A click on the row already highlighted (the one just added) opens it in the editor.
        self.table.clicked.connect(self._row_clicked)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_selected)

        self.empty = QLabel(
            self.tr("No actions yet. Write the first one below: what will happen, who will do it "
                    "and by when, then press Add action (Ctrl+Enter)."),
            self,
        )
        self.empty.setObjectName("actionsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("#actionsEmpty { color: #4c6272; padding: 24px; }")
        self.table_stack = QStackedWidget(self)
        self.table_stack.addWidget(self.empty)
        self.table_stack.addWidget(self.table)

        self.delete_button = QPushButton(self.tr("Delete action"), self)
        self.delete_button.setObjectName("deleteActionButton")
        self.delete_button.setAccessibleName(self.tr("Delete the selected action"))
        self.delete_button.setToolTip(self.tr("Delete the selected action (Delete key); Ctrl+Z brings it back"))
        self.delete_button.setAutoDefault(False)
        self.delete_button.clicked.connect(self.delete_selected)

        self.editor = ActionEditor(ctx, self)
        self.editor.new_started.connect(self._clear_selection)
        self.editor.action_added.connect(self._scroll_to)

        splitter = _CompactSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("actionsSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table_stack)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 330])
        # The previous review's actions come first: what became of them shapes the new ones.
        self.carried_panel = CarriedActionsPanel(ctx, self)
        splitter.insertWidget(0, self.carried_panel)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)

        self.summary = QLabel(self)
        self.summary.setObjectName("actionsSummary")
        self.summary.setAccessibleName(self.tr("Actions summary"))
        self.summary.setWordWrap(True)  # wraps rather than widen the page past the window
        self.review_status = QLabel(self)
        self.review_status.setObjectName("reviewStatus")
        self.review_status.setAccessibleName(self.tr("Review status"))
        self.complete_button = QPushButton(self.tr("Mark review complete"), self)
        self.complete_button.setObjectName("markCompleteButton")
        self.complete_button.setAccessibleName(self.tr("Mark review complete"))
        self.complete_button.setToolTip(
            self.tr("Checks that consent is recorded and every action has an owner and a date")
        )
        self.complete_button.setAutoDefault(False)
        self.complete_button.clicked.connect(self.mark_complete)
        self.complete_problem = QLabel(self)
        self.complete_problem.setObjectName("completeProblem")
        self.complete_problem.setWordWrap(True)
        self.complete_problem.setAccessibleName(self.tr("Why the review cannot be completed yet"))
        self.complete_problem.setStyleSheet("#completeProblem { color: #b3261e; }")
        self.complete_problem.hide()

        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.delete_button)
        # The summary and "Mark review complete": the review window keeps this bar below the
        # page, outside its scrolling, so it is always in view (see ReviewWorkspace).
        self.footer_bar = QFrame(self)
        self.footer_bar.setObjectName("actionsFooter")
        self.footer_bar.setStyleSheet("#actionsFooter { border-top: 1px solid #d8dde0; }")
        for widget in (self.summary, self.review_status, self.complete_button, self.complete_problem):
            widget.setParent(self.footer_bar)
        # The summary beside the button; at large text one under the other (the bar sits outside
        # the page's scrolling, so it must never make the window wider).
        footer = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.footer_row = footer
        self.summary.setWordWrap(True)
        footer.addWidget(self.summary, 1)
        footer.addWidget(self.review_status)
        footer.addSpacing(12)
        footer.addWidget(self.complete_button)
        stack_at_large_text(footer)
        footer_layout = QVBoxLayout(self.footer_bar)
        footer_layout.setContentsMargins(12, 6, 12, 6)
        footer_layout.setSpacing(4)
        footer_layout.addWidget(self.complete_problem)
        footer_layout.addLayout(footer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.footer_bar)

        ctx.changed.connect(self._on_changed)
        ctx.message.connect(self._on_message)
        self.refresh()

    # Public API -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the actions (keeping the selection), the review's status and the register."""
        self._reload_actions()
        self._refresh_status()
        self.editor.refresh_attendees()
        self.editor.refresh_review_date()

    def start_new(self, section_id: str = "", rationale: str = "") -> None:
        """Draft a new action pre-filled with a section and rationale (e.g. from the current note)."""
        self.editor.start_new(section_id=section_id, rationale=rationale)

    def selected_action(self) -> ActionData | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.action_at(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def select_action(self, action_id: int) -> bool:
        row = self.model.row_of(action_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        return True

    def delete_selected(self) -> bool:
        action = self.selected_action()
        if action is None:
            self.ctx.message.emit(self.tr("Select the action to delete first."))
            return False
        self.editor.forget(action.id)
        command = DeleteActionCommand(self.ctx, action.id)
        self.ctx.undo_stack.push(command)
        return command.removed is not None

    def mark_complete(self) -> bool:
        """Ask the service to complete the review; when it refuses, its message lists what is missing."""
        self.ctx.flush()
        self._hide_complete_problem()
        self._capturing = True
        try:
            result = self.ctx.call(
                reviews.set_status, self.ctx.store, self.ctx.review_id, ReviewStatus.COMPLETE, self.ctx.actor,
                changed="setup",
            )
        finally:
            self._capturing = False
        return result is not None

    # Reacting to changes --------------------------------------------------------------

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        from PySide6.QtCore import QEvent

        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "footer_row"):
            stack_at_large_text(self.footer_row)  # Edit → Preferences changed the text size

    def _on_changed(self, kind: str) -> None:
        if kind == "actions":
            self._reload_actions()
            self._hide_complete_problem()
            self.editor.refresh_attendees()  # owners named on actions are offered too
        elif kind == "carried":
            # A recommendation typed in from a paper report can make an action "recommended before".
            self._reload_actions()
            self.editor.refresh_attendees()  # the previous review's owners are offered too
        elif kind == "people":
            self.editor.refresh_attendees()
        elif kind == "setup":
            self._refresh_status()
            self.editor.refresh_review_date()

    def _on_message(self, text: str) -> None:
        if self._capturing:
            self.complete_problem.setText(text)
            self.complete_problem.show()

    def _hide_complete_problem(self) -> None:
        self.complete_problem.clear()
        self.complete_problem.hide()

    def _reload_actions(self) -> None:
        keep = self.editor.current_action_id()
        action_list = actions.list_actions(self.ctx.store, self.ctx.review_id)
        titles = {section.id: section.title for section in self.ctx.template.sections}
        self.model.set_actions(action_list, titles)
        self.model.set_recommended_before(follow_up.similar_earlier(self.ctx.store, self.ctx.review_id))
        self.table_stack.setCurrentWidget(self.table if action_list else self.empty)
        if keep is not None and not self.select_action(keep):
            # The action being edited is gone (deleted, or its adding undone): drop its unsaved edits.
            self.editor.forget(keep)
            self.editor.show_action(None)
        self._refresh_summary(action_list)
        self.delete_button.setEnabled(bool(action_list))

    def _refresh_summary(self, action_list: list[ActionData]) -> None:
        count = len(action_list)
        if count == 0:
            self.summary.setText(self.tr("No actions yet."))
            self.summary.setStyleSheet("")
            return
        no_owner = sum(1 for a in action_list if not a.owner_name.strip())
        no_date = sum(1 for a in action_list if a.deadline is None)
        parts = [self.tr("1 action") if count == 1 else self.tr("{n} actions").format(n=count)]
        if no_owner:
            parts.append(
                self.tr("1 needs an owner") if no_owner == 1 else self.tr("{n} need an owner").format(n=no_owner)
            )
        if no_date:
            parts.append(self.tr("1 needs a date") if no_date == 1 else self.tr("{n} need a date").format(n=no_date))
        no_why = sum(1 for a in action_list if not a.why.strip())
        if no_why:
            parts.append(self.tr("1 needs a why") if no_why == 1 else self.tr("{n} need a why").format(n=no_why))
        if not no_owner and not no_date and not no_why:
            parts.append(self.tr("all have an owner, a date and a why"))
        no_plain = sum(1 for a in action_list if not a.easy_read.strip())
        if no_plain:
            # Needed before the review can be marked complete, like an owner and a date.
            parts.append(
                self.tr("1 has no plain words for the easy read") if no_plain == 1
                else self.tr("{n} have no plain words for the easy read").format(n=no_plain)
            )
        self.summary.setText("  ·  ".join(parts))
        warn = "#actionsSummary { color: #b3261e; font-weight: 600; }"
        self.summary.setStyleSheet(warn if no_owner or no_date or no_why or no_plain else "")

    def _refresh_status(self) -> None:
        status = self.ctx.review.status
        status_text = {
            ReviewStatus.DRAFT: self.tr("Draft"),
            ReviewStatus.IN_PROGRESS: self.tr("In progress"),
            ReviewStatus.COMPLETE: self.tr("Complete"),
        }[status]
        self.review_status.setText(self.tr("Review: {status}").format(status=status_text))
        complete = status is ReviewStatus.COMPLETE
        self.complete_button.setEnabled(not complete)
        self.complete_button.setText(self.tr("Review complete") if complete else self.tr("Mark review complete"))

    def _selection_changed(self, *_args) -> None:
        if self._keep_drafting:
            return
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            if self.editor.is_editing():
                self.editor.show_action(None)
            return
        row = self.proxy.mapToSource(rows[0]).row()
        action = self.model.action_at(row)
        if action is not None:
            self.editor.show_action(action, number=row + 1)

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        available = self.table.viewport().width()
        for column in _OPTIONAL_COLUMNS:
            header.setSectionHidden(column, False)
        for column in _OPTIONAL_COLUMNS:
            others = sum(
                header.sectionSize(c) if c not in _COLUMN_WIDTHS else _COLUMN_WIDTHS[c]
                for c in Column
                if c != Column.WHAT and not header.isSectionHidden(c)
            )
            if available - others >= _WHAT_MIN_WIDTH:
                break
            header.setSectionHidden(column, True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
            self._keep_added_in_view()  # the row just added stays in view while the page settles
        return super().eventFilter(watched, event)

    def _keep_added_in_view(self) -> None:
        selected = self.selected_action()
        if selected is not None and selected.id == self._just_added and not self._in_view_queued:
            self._in_view_queued = True

            def again() -> None:
                self._in_view_queued = False
                self._ensure_visible(selected.id)

            QTimer.singleShot(0, self, again)

    def _clear_selection(self) -> None:
        selection = self.table.selectionModel()
        if selection.currentIndex().isValid() or selection.hasSelection():
            selection.clear()

    def _row_clicked(self, _index) -> None:
        action = self.selected_action()
        if action is not None and action.id != self.editor.current_action_id():
            self._selection_changed()

    def _scroll_to(self, action_id: int) -> None:
        """Highlight the action just added and bring it into view; the editor stays on the next draft."""
        row = self.model.row_of(action_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self._just_added = action_id
        self._keep_drafting = True
        try:
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
        finally:
            self._keep_drafting = False
        # The rows were just reloaded: lay them out now, or the scroll range is still the old one.
        self.table.updateGeometries()
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        # The rows' wrapped heights are fitted once the reload's events are handled; look again then.
        QTimer.singleShot(0, self, lambda: self._ensure_visible(action_id))

    def _ensure_visible(self, action_id: int) -> None:
        row = self.model.row_of(action_id)
        if row >= 0:
            self.table.updateGeometries()  # the scroll range for the rows' heights as they are now
            self.table.scrollTo(self.proxy.mapFromSource(self.model.index(row, 0)),
                                QAbstractItemView.ScrollHint.EnsureVisible)


class _CompactSplitter(QSplitter):
    """Asks only for a modest height, so the page fits the window and the panes share what is there
    (their preferred heights together are taller than a laptop screen)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(hint.width(), max(self.minimumSizeHint().height(), 360))


__all__ = ["ActionsPage"]
