"""Applying the settings to the running app: theme and text size, auto-lock, plain words.

`Preferences` belongs to the main window. It opens the settings window (Edit → Preferences…),
applies what was saved at once, keeps each open review's guidance panel in plain words when
that is chosen, and owns the plain-words window (View → Plain words view), which follows the
section open in the main window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from app.settings import Settings


class Preferences(QObject):
    def __init__(self, window, *, path: str | Path | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.path = path  # None: the user's settings file
        self.dialog = None
        self.plain_words_window = None
        self._followed = None  # the guidance panel the plain-words window follows
        window.pages.currentChanged.connect(self._page_changed)

    @property
    def settings(self) -> Settings:
        return self.window.settings

    # The settings window -----------------------------------------------------------------

    def open_dialog(self) -> Settings | None:
        """Show the settings window (modal: it changes the whole app); the saved settings or None."""
        from app.ui.settings_dialog import SettingsDialog

        self.dialog = SettingsDialog(self.settings, self.window, path=self.path)
        try:
            if self.dialog.exec() != SettingsDialog.DialogCode.Accepted or self.dialog.result_settings is None:
                return None
            chosen = self.dialog.result_settings
        finally:
            self.dialog.deleteLater()
            self.dialog = None
        self.apply(chosen)
        self.window.statusBar().showMessage(self.tr("Preferences saved."), 5000)
        return chosen

    def apply(self, settings: Settings) -> None:
        """Use `settings` from now on (already saved)."""
        from app.ui.theme import apply_theme

        self.window.settings = settings
        app = QApplication.instance()
        if app is not None:
            apply_theme(app, high_contrast=settings.high_contrast, scale=settings.text_scale)
        self.window.screen_lock.idle.set_minutes(settings.auto_lock_minutes)
        self._apply_report_due(settings.report_due_working_days)
        self._apply_to_workspace()

    def _apply_report_due(self, days: int) -> None:
        """The review list and the open review judge the report's due day by the new setting at once."""
        ctx = self.window.ctx
        if ctx is not None and ctx.report_due_working_days != days:
            ctx.report_due_working_days = days
            ctx.changed.emit("after_day")
        picker = self.window._picker
        if picker is not None and picker.report_due_working_days != days:
            picker.report_due_working_days = days
            picker.refresh()

    # Plain words -------------------------------------------------------------------------

    def show_plain_words(self) -> QWidget:
        from app.ui.plain_words_window import PlainWordsWindow

        if self.plain_words_window is None:
            self.plain_words_window = PlainWordsWindow(self.window)
        self._follow()
        self.plain_words_window.show()
        self.plain_words_window.raise_()
        return self.plain_words_window

    def _page_changed(self, _index: int) -> None:
        self._apply_to_workspace()
        self._follow()

    def _current_workspace(self):
        """The open review's workspace while it is the page shown (not while it is being left)."""
        workspace = self.window.workspace
        return workspace if workspace is not None and self.window.pages.currentWidget() is workspace else None

    def _apply_to_workspace(self) -> None:
        workspace = self._current_workspace()
        if workspace is not None:
            workspace.guidance.set_plain_words(bool(getattr(self.settings, "plain_words_in_guidance", False)))

    def _follow(self) -> None:
        """Point the plain-words window at the open review's current section (or at nothing)."""
        target = self.plain_words_window
        if target is None:
            return
        workspace = self._current_workspace()
        guidance = workspace.guidance if workspace is not None else None
        if guidance is not self._followed:
            if self._followed is not None:
                try:
                    self._followed.section_changed.disconnect(self._section_changed)
                except (RuntimeError, TypeError):
                    pass  # the old review's panel is already gone
            self._followed = guidance
            if guidance is not None:
                guidance.section_changed.connect(self._section_changed)
        if guidance is None:
            target.show_section(None, None)
        else:
            target.show_section(self.window.ctx.template, guidance.section_id)

    def _section_changed(self, section_id: str) -> None:
        if self.plain_words_window is not None and self.window.ctx is not None:
            self.plain_words_window.show_section(self.window.ctx.template, section_id)
