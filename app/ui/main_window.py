"""The main window: menus and shortcuts around either the review list or one open review."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from app.kloe import TemplateRegistry
from app.services import reviews
from app.services.store import Store
from app.ui.context import ReviewContext
from app.ui.save_state import SaveStateLabel

APP_TITLE = "ReviewDay"


class MainWindow(QMainWindow):
    def __init__(
        self,
        store: Store,
        *,
        registry: TemplateRegistry | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.store = store
        self.registry = registry or TemplateRegistry.default()
        self.today = today or date.today()
        self.workspace = None
        self.ctx: ReviewContext | None = None
        self.setWindowTitle(APP_TITLE)
        self.resize(1366, 768)

        self.pages = QStackedWidget(self)
        self._picker = None  # built when first shown: opening a review straight away skips it
        self.setCentralWidget(self.pages)

        self.save_state = SaveStateLabel(store.now, self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("reviewStatus")
        self.statusBar().addWidget(self.save_state, 1)
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_actions()
        self._update_enabled()

    @property
    def picker(self):
        """The list of reviews, built on first use."""
        if self._picker is None:
            from app.ui.review_picker import ReviewPicker

            self._picker = ReviewPicker(self.store, self.registry, self)
            self._picker.open_requested.connect(self.open_review)
            self._picker.new_requested.connect(self.new_review)
            self.pages.addWidget(self._picker)
        return self._picker

    def show_review_list(self) -> None:
        self.picker.refresh()
        self.pages.setCurrentWidget(self.picker)
        self.picker.focus_list()

    # Menus and shortcuts ------------------------------------------------------------------

    def _action(self, text: str, shortcut, slot, *, review: bool = True, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            if isinstance(shortcut, (list, tuple)):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        action.setProperty("needs_review", review)
        action.setObjectName(name or text.replace("…", "").replace("&", "").replace(" ", "_").lower())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self._action(self.tr("&New review…"), QKeySequence.StandardKey.New, self.new_review, review=False))
        file_menu.addAction(self._action(self.tr("&All reviews"), "Ctrl+Shift+O", self.close_review))
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close, review=False))

        edit_menu = bar.addMenu(self.tr("&Edit"))
        self.undo_action = self._action(self.tr("&Undo"), QKeySequence.StandardKey.Undo, self._undo, name="undo")
        self.redo_action = self._action(self.tr("&Redo"), ["Ctrl+Shift+Z", "Ctrl+Y"], self._redo, name="redo")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action(self.tr("&Find in notes…"), QKeySequence.StandardKey.Find, self._find, name="find"))

        go_menu = bar.addMenu(self.tr("&Go"))
        go_menu.addAction(self._action(self.tr("&Set-up"), "Ctrl+Shift+S", lambda: self._show("setup")))
        go_menu.addAction(self._action(self.tr("&People and consent"), "Ctrl+Shift+P", lambda: self._show("people")))
        go_menu.addAction(self._action(self.tr("A&genda"), "Ctrl+Shift+G", lambda: self._show("agenda")))
        go_menu.addAction(self._action(self.tr("&Headline questions"), "Ctrl+Shift+H", lambda: self._show("headline")))
        go_menu.addAction(self._action(self.tr("&Recommendations"), "Ctrl+Shift+R", lambda: self._show("actions")))
        go_menu.addSeparator()
        go_menu.addAction(self._action(self.tr("&Next part"), QKeySequence("Ctrl+PgDown"), lambda: self._step(1), name="next_part"))
        go_menu.addAction(self._action(self.tr("&Previous part"), QKeySequence("Ctrl+PgUp"), lambda: self._step(-1), name="previous_part"))
        self.section_menu = go_menu.addMenu(self.tr("&Section"))
        for number in range(1, 10):
            self.section_menu.addAction(
                self._action(self.tr("Section {n}").format(n=number), f"Ctrl+{number}",
                             lambda _=False, n=number: self._section(n), name=f"section_{number}")
            )

        review_menu = bar.addMenu(self.tr("&Review"))
        review_menu.addAction(self._action(self.tr("Add &action from note"), "Ctrl+Shift+A", self._action_from_note, name="action_from_note"))
        self.timer_menu_action = self._action(self.tr("Start or pause the &timer"), "Ctrl+T", self._toggle_timer, name="toggle_timer")
        review_menu.addAction(self.timer_menu_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&Keyboard shortcuts"), ["Ctrl+/", "F1"], self.show_shortcuts, review=False, name="shortcuts"))

    def _update_enabled(self) -> None:
        has_review = self.workspace is not None
        for action in self.actions():
            if action.property("needs_review"):
                action.setEnabled(has_review)

    def shortcut_list(self) -> list[tuple[str, str]]:
        """Every bound shortcut and what it does, for the help overlay (and its test)."""
        rows = []
        for action in self.actions():
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
            if keys:
                rows.append((keys, action.text().replace("&", "").replace("…", "")))
        rows += [
            ("Enter", self.tr("Save the note and keep typing")),
            ("Alt+Up / Alt+Down", self.tr("Previous / next speaker")),
            ("Alt+1 … Alt+9", self.tr("Choose a speaker by number")),
            ("F2", self.tr("Edit the selected note")),
            ("Delete", self.tr("Delete the selected note or action")),
            ("Ctrl+Enter", self.tr("Add the action in the editor")),
        ]
        return rows

    def show_shortcuts(self) -> None:
        from app.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog.ask(self, self.shortcut_list())

    # Reviews --------------------------------------------------------------------------------

    def new_review(self) -> None:
        from app.ui.new_review_dialog import NewReviewDialog

        setup = NewReviewDialog.ask(self, self.registry, self.today)
        if setup is None:
            return
        actor = self.ctx.actor if self.ctx else None
        from app.ui.context import DEFAULT_ACTOR

        created = self._guard(reviews.create_review, self.store, setup, actor or DEFAULT_ACTOR, registry=self.registry)
        if created is not None:
            self.open_review(created.id)

    def open_review(self, review_id: int) -> bool:
        from app.ui.review_workspace import ReviewWorkspace

        if not self.close_review():
            return False
        ctx = self._guard(ReviewContext, self.store, review_id, registry=self.registry, parent=self)
        if ctx is None:
            return False
        self.ctx = ctx
        self.workspace = ReviewWorkspace(ctx, self)
        self.workspace.title_changed.connect(self._set_title)
        ctx.saved.connect(self.save_state.mark_saved)
        ctx.save_failed.connect(self.save_state.mark_failed)
        ctx.changed.connect(self._update_status)
        ctx.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        ctx.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.pages.addWidget(self.workspace)
        self.pages.setCurrentWidget(self.workspace)
        self._update_enabled()
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.workspace._refresh_header()
        self._update_status()
        return True

    def close_review(self) -> bool:
        """Save everything and go back to the review list. False if something could not be saved."""
        if self.workspace is None:
            return True
        if not self.workspace.flush():
            return False
        self.pages.removeWidget(self.workspace)
        self.workspace.deleteLater()
        self.ctx.deleteLater()
        self.workspace = None
        self.ctx = None
        self.setWindowTitle(APP_TITLE)
        self.status_label.clear()
        self.show_review_list()
        self._update_enabled()
        return True

    def _guard(self, fn, *args, **kwargs):
        from app.services.errors import ReviewDayError

        try:
            return fn(*args, **kwargs)
        except ReviewDayError as exc:
            self.statusBar().showMessage(str(exc), 10000)
            if self.workspace is not None:
                self.workspace.message_bar.show_message(str(exc))
            return None

    def _set_title(self, title: str) -> None:
        # The pseudonym only: people look over shoulders on wards.
        self.setWindowTitle(f"{title} — {APP_TITLE}")

    def _update_status(self, *_args) -> None:
        if self.ctx is None:
            return
        review = self.ctx.review
        labels = {"draft": self.tr("Draft"), "in_progress": self.tr("In progress"), "complete": self.tr("Complete")}
        self.status_label.setText(labels.get(review.status.value, review.status.value))

    # Slots that act on the open review ------------------------------------------------------

    def _undo(self) -> None:
        if self.ctx:
            self.ctx.flush()
            self.ctx.undo_stack.undo()

    def _redo(self) -> None:
        if self.ctx:
            self.ctx.flush()
            self.ctx.undo_stack.redo()

    def _find(self) -> None:
        if self.workspace:
            self.workspace.open_find()

    def _show(self, key: str) -> None:
        if self.workspace:
            self.workspace.show_key(key)

    def _step(self, delta: int) -> None:
        if self.workspace:
            self.workspace.step(delta)

    def _section(self, number: int) -> None:
        if self.workspace:
            self.workspace.show_section_number(number)

    def _action_from_note(self) -> None:
        if self.workspace:
            self.workspace.add_action_from_note()

    def _toggle_timer(self) -> None:
        if self.workspace:
            self.workspace.timer.toggle()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.workspace is not None and not self.workspace.flush():
            # Nothing is lost: the text stays in memory, and the bar says why it was not saved.
            self.workspace.message_bar.show_message(
                self.tr("Some changes could not be saved, so the window stays open. Free some space or save elsewhere, then close again.")
            )
            event.ignore()
            return
        event.accept()
