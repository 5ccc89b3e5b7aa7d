"""The main window: menus and shortcuts around either the review list or one open review."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget, QWidget

from app.kloe import TemplateRegistry
from app.services import reviews
from app.services.dto import Actor
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
        settings=None,
        clock=None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.store = store
        self.registry = registry or TemplateRegistry.default()
        self.today = today or date.today()
        self.workspace = None
        self.ctx: ReviewContext | None = None
        self.export_dialog = None  # one per open review, built on first use
        self.verify_window = None
        self.setWindowTitle(APP_TITLE)
        self.resize(1366, 768)  # app.py then fits it to the screen (layout_fit.show_fitted)

        self.pages = QStackedWidget(self)
        self._picker = None  # built when first shown: opening a review straight away skips it
        self.setCentralWidget(self.pages)

        from app.ui.status_bar import StatusBar

        self.setStatusBar(StatusBar(self))  # the save state and one message area, side by side
        self.save_state = SaveStateLabel(store.now, self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("reviewStatus")
        self.statusBar().add_start(self.save_state)
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_actions()
        # Ctrl+Z in any text field: the field's own typing first, then the review's undo stack.
        from app.ui.undo_routing import WindowUndoRouting

        self.undo_routing = WindowUndoRouting(self)
        QApplication.instance().installEventFilter(self.undo_routing)
        self._update_enabled()
        self._build_screen_lock(settings, clock)
        from app.ui.preferences import Preferences

        self.preferences = Preferences(self)  # Edit → Preferences…, View → Plain words view

    @property
    def picker(self):
        """The list of reviews, built on first use."""
        if self._picker is None:
            from app.ui.review_picker import ReviewPicker

            self._picker = ReviewPicker(self.store, self.registry, self, today=self.today,
                                        report_due_working_days=self.report_due_working_days)
            self._picker.open_requested.connect(self.open_review)
            self._picker.new_requested.connect(self.new_review)
            self._picker.follow_up_requested.connect(self.new_follow_up)
            self.pages.addWidget(self._picker)
        return self._picker

    @property
    def report_due_working_days(self) -> int:
        """The setting: working days after the review day by which the final report is due."""
        return getattr(self.settings, "report_due_working_days", 10)

    def show_review_list(self) -> None:
        self.picker.refresh()
        self.pages.setCurrentWidget(self.picker)
        self.picker.focus_list()
        self._offer_retention()

    def _offer_retention(self) -> None:
        """With a retention period set, say (without a dialog) which signed reviews are past it."""
        days = getattr(self.settings, "retention_days", None)
        if not days:
            return
        from app.services.retention import purge_candidates

        overdue = purge_candidates(self.store, days, today=self.today)
        if overdue:
            self.statusBar().showMessage(
                self.tr("{n} signed review(s) are older than the retention period of {days} days: "
                        "open each and use File → Export and purge.").format(n=len(overdue), days=days)
            )

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
        file_menu.addAction(self._action(self.tr("New &follow-up review…"), "Ctrl+Shift+N", lambda: self.new_follow_up(),
                                         name="new_follow_up"))
        file_menu.addAction(self._action(self.tr("&All reviews"), "Ctrl+Shift+O", self.close_review))
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Export…"), "Ctrl+E", self.show_export, name="export"))
        file_menu.addAction(self._action(self.tr("Export and &purge…"), None, self.export_and_purge,
                                         name="export_and_purge"))
        file_menu.addAction(self._action(self.tr("Export my co&ntribution…"), None, self._merge_command("export_contribution"),
                                         name="export_contribution"))
        file_menu.addAction(self._action(self.tr("Export review bun&dle…"), None, self._bundle_command("export_bundle"),
                                         name="export_bundle"))
        file_menu.addAction(self._action(self.tr("&Import review bundle…"), "Ctrl+Shift+I",
                                         self._bundle_command("import_bundle"), review=False, name="import_bundle"))
        file_menu.addAction(self._action(self.tr("&Verify a report…"), None, self.show_verify, review=False, name="verify"))
        file_menu.addAction(self._action(self.tr("Print a &blank workbook…"), "Ctrl+Shift+B", self.show_workbook_dialog,
                                         review=False, name="blank_workbook"))
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Lock"), "Ctrl+L", self.lock, review=False, name="lock"))
        file_menu.addAction(self._action(self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close, review=False))

        edit_menu = bar.addMenu(self.tr("&Edit"))
        self.undo_action = self._action(self.tr("&Undo"), QKeySequence.StandardKey.Undo, self._undo, name="undo")
        self.redo_action = self._action(self.tr("&Redo"), ["Ctrl+Shift+Z", "Ctrl+Y"], self._redo, name="redo")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self._action(self.tr("&Find in this review…"), QKeySequence.StandardKey.Find, self._find, name="find"))
        edit_menu.addSeparator()
        edit_menu.addAction(self._action(self.tr("P&references…"), "Ctrl+,", lambda: self.preferences.open_dialog(),
                                         review=False, name="preferences"))

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addAction(self._action(self.tr("Action &tracker…"), "Ctrl+Shift+T", self.show_tracker, review=False,
                                         name="action_tracker"))
        view_menu.addAction(self._action(self.tr("&Plain words view"), "Ctrl+Shift+W",
                                         lambda: self.preferences.show_plain_words(), review=False, name="plain_words"))

        go_menu = bar.addMenu(self.tr("&Go"))
        go_menu.addAction(self._action(self.tr("&Set-up"), "Ctrl+Shift+S", lambda: self._show("setup")))
        go_menu.addAction(self._action(self.tr("&People and consent"), "Ctrl+Shift+P", lambda: self._show("people")))
        go_menu.addAction(self._action(self.tr("P&lanning before the day"), "Ctrl+Shift+L",
                                       lambda: self._show("planning"), name="go_planning"))
        go_menu.addAction(self._action(self.tr("A&genda"), "Ctrl+Shift+G", lambda: self._show("agenda")))
        go_menu.addAction(self._action(self.tr("&Headline questions"), "Ctrl+Shift+H", lambda: self._show("headline")))
        go_menu.addAction(self._action(self.tr("&Recommendations"), "Ctrl+Shift+R", lambda: self._show("actions")))
        go_menu.addAction(self._action(self.tr("After the &day"), "Ctrl+Shift+D", lambda: self._show("after_day"),
                                       name="go_after_day"))
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
        review_menu.addAction(self._action(self.tr("Note for the &easy read"), "Ctrl+Shift+E", self._note_easy_read,
                                           name="note_easy_read"))
        review_menu.addAction(self._action(self.tr("Mark review &complete"), "Ctrl+Shift+C", self._mark_complete,
                                           name="mark_complete"))
        self.timer_menu_action = self._action(self.tr("Start or pause the &timer"), "Ctrl+T", self._toggle_timer, name="toggle_timer")
        review_menu.addAction(self.timer_menu_action)
        review_menu.addSeparator()
        review_menu.addAction(self._action(self.tr("&Merge a panel member's contribution…"), "Ctrl+Shift+M",
                                           self._merge_command("merge_contribution"), name="merge_contribution"))
        review_menu.addAction(self._action(self.tr("&Undo last merge"), None, self._merge_command("undo_last_merge"),
                                           name="undo_last_merge"))

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&User guide"), "F1", self.show_user_guide, review=False, name="user_guide"))
        help_menu.addAction(self._action(self.tr("&Keyboard shortcuts"), "Ctrl+/", self.show_shortcuts, review=False, name="shortcuts"))
        help_menu.addSeparator()
        help_menu.addAction(self._action(self.tr("&About ReviewDay"), None, self.show_about, review=False, name="about"))

    def _merge_command(self, name: str):
        """A slot for one of app/ui/merge_actions.py's commands (imported when first used)."""

        def run(*_args):
            from app.ui import merge_actions

            return getattr(merge_actions, name)(self)

        return run

    def _bundle_command(self, name: str):
        """A slot for one of app/ui/bundle_actions.py's commands (imported when first used)."""

        def run(*_args):
            from app.ui import bundle_actions

            return getattr(bundle_actions, name)(self)

        return run

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
            ("Shift+F2", self.tr("Change who spoke in the selected note")),
            ("Delete", self.tr("Delete the selected note or action")),
            ("Ctrl+Enter", self.tr("Add the action in the editor")),
        ]
        return rows

    def show_shortcuts(self) -> None:
        from app.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog.ask(self, self.shortcut_list())

    def show_user_guide(self) -> None:
        """F1: the user guide, opened at the heading for the page in front of the user (if any)."""
        from app.ui.help_window import HelpWindow, topic_for

        if getattr(self, "help_window", None) is None:
            self.help_window = HelpWindow(self)
        self.help_window.show()
        self.help_window.raise_()
        self.help_window.activateWindow()
        topic = topic_for(self.workspace.current_key() if self.workspace is not None else None)
        if topic:
            self.help_window.show_topic(topic)

    def show_about(self) -> None:
        from app.ui.about_box import AboutBox

        self.about_box = AboutBox(self.store, self)
        self.about_box.open()

    def show_workbook_dialog(self) -> None:
        """The paper fallback: a blank workbook PDF for a review type (no review need be open)."""
        from app.ui.workbook_dialog import WorkbookDialog

        if getattr(self, "workbook_dialog", None) is None:
            self.workbook_dialog = WorkbookDialog(self.registry, self)
        self.workbook_dialog.show()
        self.workbook_dialog.raise_()
        self.workbook_dialog.activateWindow()

    # Reviews --------------------------------------------------------------------------------

    def new_follow_up(self, review_id: int | None = None) -> None:
        """The next review of the open (or given) review's person; see app/ui/follow_up_flow.py."""
        from app.ui.follow_up_flow import new_follow_up

        new_follow_up(self, review_id)

    def show_tracker(self) -> None:
        """Ctrl+Shift+T: every review's actions, with what is overdue (a separate window)."""
        from app.ui.follow_up_flow import show_tracker

        show_tracker(self)

    def new_review(self) -> None:
        from app.ui.new_review_dialog import NewReviewDialog

        setup = NewReviewDialog.ask(self, self.registry, self.today)
        if setup is None:
            return
        actor = self.writer_for_new_review()
        if actor is None:
            return
        created = self._guard(reviews.create_review, self.store, setup, actor, registry=self.registry)
        if created is not None:
            self.open_review(created.id, writer=actor)

    def writer_for_new_review(self) -> Actor | None:
        """Who is starting or importing a review: the person writing now, else asked. None: cancelled."""
        if self.ctx is not None and self.ctx.actor.name:
            return self.ctx.actor
        from app.ui.writer_dialog import WriterDialog

        return WriterDialog.ask(self, [], None)

    def open_review(self, review_id: int, *, writer: Actor | None = None) -> bool:
        """Open a review. Who is writing: `writer`, else the person writing until now if they are on
        this review's panel, else asked (nobody chosen: changes are refused until someone is)."""
        from app.ui.review_workspace import ReviewWorkspace

        previous = self.ctx.actor if self.ctx is not None else None
        if not self.close_review():
            return False
        ctx = self._guard(ReviewContext, self.store, review_id, registry=self.registry, parent=self)
        if ctx is None:
            return False
        self.ctx = ctx
        ctx.today = self.today
        ctx.report_due_working_days = self.report_due_working_days
        self.workspace = ReviewWorkspace(ctx, self)
        self.workspace.title_changed.connect(self._set_title)
        ctx.saved.connect(self.save_state.mark_saved)
        ctx.save_failed.connect(self.save_state.mark_failed)
        ctx.autosaver.pending_changed.connect(self.save_state.set_pending)
        ctx.save_failed.connect(self._offer_copy)
        ctx.saved.connect(self._withdraw_copy_offer)
        ctx.changed.connect(self._update_status)
        ctx.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_routing.track(ctx.undo_stack)
        ctx.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.pages.addWidget(self.workspace)
        self.pages.setCurrentWidget(self.workspace)
        self._update_enabled()
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.workspace._refresh_header()
        self._update_status()
        if writer is None and previous is not None and previous in self.workspace.writer_choices():
            writer = previous
        if writer is not None and writer.name:
            ctx.set_actor(writer)
        else:
            self.workspace.ensure_writer()
        return True

    def close_review(self) -> bool:
        """Save everything and go back to the review list. False if something could not be saved."""
        if self.workspace is None:
            return True
        if not self.workspace.flush():
            return False
        self._leave_review()
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
        text = labels.get(review.status.value, review.status.value)
        if review.locked:
            text += self.tr(" · Signed and locked")
        self.status_label.setText(text)

    # Export and verify ------------------------------------------------------------------------

    def show_export(self) -> None:
        """Ctrl+E: the export dialog for the open review (not modal; the work runs in the background)."""
        if self.ctx is None:
            return
        from app.ui.export_dialog import ExportDialog

        if self.export_dialog is None:
            self.export_dialog = ExportDialog(self.ctx, self)
        else:
            self.export_dialog.refresh()
        self.export_dialog.show()
        self.export_dialog.raise_()
        self.export_dialog.activateWindow()

    def export_and_purge(self) -> None:
        """A signed review: export everything, check it, then delete it from this computer."""
        if self.ctx is None:
            return
        if not self.ctx.review.locked:
            self.workspace.message_bar.show_message(
                self.tr("Only a signed review can be purged: sign it first on the Sign-off page."))
            return
        from app.ui.purge_dialog import PurgeConfirmation, PurgeDialog, PurgeFolderDialog

        folder = PurgeFolderDialog.ask(self)
        if folder is None or not PurgeConfirmation.ask(self, folder):
            return
        self.purge_dialog = PurgeDialog(self.ctx, folder, self)
        self.purge_dialog.purged.connect(self._review_purged)
        self.purge_dialog.show()
        self.purge_dialog.start()

    def _review_purged(self, _folder: str) -> None:
        # The review no longer exists: leave it without saving anything back.
        self._leave_review()

    def _leave_review(self) -> None:
        """Drop the open review's widgets and show the review list."""
        if self.export_dialog is not None:
            self.export_dialog.close()
            self.export_dialog.deleteLater()
            self.export_dialog = None
        self.pages.removeWidget(self.workspace)
        self.workspace.deleteLater()
        self.ctx.deleteLater()
        self.workspace = None
        self.ctx = None
        self.setWindowTitle(APP_TITLE)
        self.status_label.clear()
        self.save_state.set_pending(False)
        self.undo_routing.track(None)
        self.show_review_list()
        self._update_enabled()

    def show_verify(self) -> None:
        """Check a signed PDF; works with or without a review open."""
        from app.ui.verify_window import VerifyWindow

        if self.verify_window is None:
            self.verify_window = VerifyWindow(self)
        self.verify_window.show()
        self.verify_window.raise_()
        self.verify_window.activateWindow()

    # Locking ---------------------------------------------------------------------------------

    def _build_screen_lock(self, settings, clock) -> None:
        """Ctrl+L and auto-lock after the settings' idle minutes (see app/ui/lock_screen.py)."""
        from app.ui.lock_screen import ScreenLock, database_file

        if settings is None:
            from app.settings import load_settings

            loaded = load_settings()
            settings = loaded.settings
            if loaded.message:
                self.statusBar().showMessage(loaded.message, 15000)
        self.settings = settings
        self.screen_lock = ScreenLock(self, db_path=database_file(self.store),
                                      minutes=settings.auto_lock_minutes, clock=clock)

    def lock(self) -> bool:
        """Save, then show the lock screen (nothing personal) until the passphrase is typed."""
        return self.screen_lock.lock()

    # Slots that act on the open review ------------------------------------------------------

    def _undo(self) -> None:
        if self.ctx:
            self.ctx.flush()
            self.ctx.undo_stack.undo()

    def _redo(self) -> None:
        if self.ctx:
            self.ctx.flush()
            self.ctx.undo_stack.redo()

    def _mark_complete(self) -> None:
        if self.workspace:
            self.workspace.mark_complete()

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

    def _note_easy_read(self) -> None:
        if self.workspace:
            self.workspace.toggle_note_easy_read()

    def _toggle_timer(self) -> None:
        if self.workspace:
            self.workspace.timer.toggle()

    # A failed save: offer a copy elsewhere -------------------------------------------------

    def _offer_copy(self, _message: str = "") -> None:
        """A write failed (read-only or full disk): a non-modal button to save a copy elsewhere."""
        if getattr(self, "copy_button", None) is None:
            from PySide6.QtWidgets import QToolButton

            self.copy_button = QToolButton(self)
            self.copy_button.setObjectName("saveCopyElsewhere")
            self.copy_button.setText(self.tr("Save a copy elsewhere…"))
            self.copy_button.setAccessibleName(self.tr("Save a copy elsewhere"))
            self.copy_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.copy_button.clicked.connect(self.save_copy_elsewhere)
            self.statusBar().addPermanentWidget(self.copy_button)
        self.copy_button.show()

    def _withdraw_copy_offer(self, *_args) -> None:
        if getattr(self, "copy_button", None) is not None:
            self.copy_button.hide()

    @staticmethod
    def ask_copy_path(parent: QWidget):
        """The ask() seam: where to write the copy (a Path), or None. Tests replace it."""
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getSaveFileName(
            parent, parent.tr("Save a copy of the reviews"), str(Path.home() / "reviewday-copy.sqlite3"),
            parent.tr("ReviewDay database (*.sqlite3)"),
        )
        return Path(chosen) if chosen else None

    def save_copy_elsewhere(self):
        """Write a verified copy of everything saved so far to a chosen file (SQLite backup API)."""
        from app.services.backup import backup_to

        target = self.ask_copy_path(self)
        if target is None:
            return None
        info = self._guard(backup_to, self.store, target)
        if info is not None and self.workspace is not None:
            self.workspace.message_bar.show_message(
                self.tr("A copy of everything saved so far is in {path}. What you typed since is kept here "
                        "and is saved as soon as the disk can be written again.").format(path=target)
            )
        return info

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.workspace is not None and not self.workspace.flush():
            # Nothing is lost: the text stays in memory, and the bar says why it was not saved.
            self.workspace.message_bar.show_message(
                self.tr("Some changes could not be saved, so the window stays open. Free some space or save elsewhere, then close again.")
            )
            event.ignore()
            return
        event.accept()
