"""What every page of an open review shares: the store, the review, who is writing, undo, saving."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.kloe import Template, TemplateRegistry
from app.services import reviews
from app.services.dto import NOBODY as _NOBODY
from app.services.dto import Actor, ReviewData
from app.services.errors import ReviewDayError
from app.services.store import Store
from app.ui.autosave import Autosaver

T = TypeVar("T")

NOBODY = _NOBODY  # until someone is chosen as writing, every change is refused


class ReviewContext(QObject):
    """Shared by the pages of one open review. Pages call services through call()."""

    # Emitted after any successful change; the argument names what changed
    # ("setup", "people", "consent", "notes", "entries", "sections", "headline", "actions").
    changed = Signal(str)
    # One plain sentence for the user; shown in the message bar, never a modal.
    message = Signal(str)
    saved = Signal(datetime)
    save_failed = Signal(str)
    # A request to show a section (e.g. from search results).
    navigate = Signal(str)
    # Someone else is now writing (chosen deliberately under "Writing as").
    writer_changed = Signal(object)

    def __init__(
        self,
        store: Store,
        review_id: int,
        *,
        registry: TemplateRegistry | None = None,
        actor: Actor = NOBODY,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.review_id = review_id
        self.registry = registry or TemplateRegistry.default()
        self.actor = actor
        self.undo_stack = QUndoStack(self)
        self.autosaver = Autosaver(self)
        self.autosaver.saved.connect(self._on_saved)
        self.autosaver.failed.connect(self.save_failed)
        # The day the app takes as today (None: the store's clock), and the working days after the
        # review day by which the final report is due (the setting; the main window sets both).
        self.today: date | None = None
        self.report_due_working_days = 10
        self._review = reviews.get_review(store, review_id)
        self.template: Template = reviews.template_for(self._review, self.registry)

    def set_actor(self, actor: Actor) -> None:
        """Change who is writing; only a deliberate choice calls this."""
        if actor != self.actor:
            self.actor = actor
            self.writer_changed.emit(actor)

    @property
    def review(self) -> ReviewData:
        return self._review

    def reload_review(self) -> ReviewData:
        self._review = reviews.get_review(self.store, self.review_id)
        return self._review

    def now(self) -> datetime:
        return self.store.now()

    def call(self, fn: Callable[..., T], *args, changed: str | None = None, **kwargs) -> T | None:
        """Run one service call for a user action. Errors become one message; returns None then."""
        try:
            result = fn(*args, **kwargs)
        except ReviewDayError as exc:
            if exc.__class__.__name__ == "StorageError":
                self.save_failed.emit(str(exc))
            else:
                self.message.emit(str(exc))
            return None
        self._on_saved()
        if changed:
            if changed in ("setup", "consent"):
                self.reload_review()
            self.changed.emit(changed)
        return result

    def _on_saved(self) -> None:
        self.saved.emit(self.now())

    def flush(self) -> bool:
        """Commit pending edits now (section change, lock, close)."""
        return self.autosaver.flush()
