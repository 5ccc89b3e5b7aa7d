"""Ctrl+Z and Ctrl+Shift+Z in text fields: one timeline for the field's typing and the review's changes.

A text field claims the undo keys even when it has nothing of its own to undo, so with the
cursor in any field (where it nearly always is) the review's undo (Edit → Undo, the review's
QUndoStack: notes saved, actions added or deleted, fields autosaved) could not be reached by
keyboard. In the review window the keys undo whichever came last:

- the field's own typing, when it has typing to undo that is newer than the review's last change;
- otherwise the review's last change (the page's commands: an action added or deleted, a note
  saved...), even while the field still has older typing of its own, which the next Ctrl+Z reaches.

Redo mirrors it: the field redoes when its own undo was the most recent undo.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget


def own_history(field: QObject) -> tuple[bool, bool] | None:
    """(can undo, can redo) of a text field's own typing, or None when `field` is not a text field."""
    if isinstance(field, QComboBox):
        field = field.lineEdit() if field.isEditable() else None
    if isinstance(field, QLineEdit):
        if field.isReadOnly():
            return False, False
        return field.isUndoAvailable(), field.isRedoAvailable()
    if isinstance(field, (QPlainTextEdit, QTextEdit)):
        if field.isReadOnly() or not field.isUndoRedoEnabled():
            return False, False
        document = field.document()
        return document.isUndoAvailable(), document.isRedoAvailable()
    return None


def passes_to_window(field: QObject, event: QEvent) -> bool:
    """True when `event` is an undo or redo key the field has nothing of its own for."""
    if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
        return False
    history = own_history(field)
    if history is None:
        return False
    can_undo, can_redo = history
    return (event.matches(QKeySequence.StandardKey.Undo) and not can_undo) or (
        event.matches(QKeySequence.StandardKey.Redo) and not can_redo
    )


class UndoPassThrough(QObject):
    """On one field: lets its empty-history undo keys reach the window's shortcuts."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if passes_to_window(watched, event):
            event.ignore()  # not claimed: the window's Undo / Redo shortcut fires
            return True
        return False


# Dynamic properties on a field: when it was last typed in (or redone), and when it last undid.
_OWN_EDIT = "reviewdayOwnEditAt"
_OWN_UNDO = "reviewdayOwnUndoAt"
_EDITING_KEYS = frozenset({Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Return, Qt.Key.Key_Enter})


class WindowUndoRouting(QObject):
    """The rule for every text field in `window` (installed on the application, owned by the window).

    Every event of the timeline gets a number from one counter: typing in a field, a field's own
    undo or redo, and each move of the review's undo stack (`track()` follows the open review's).
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._counter = itertools.count(1)
        self._stack: QUndoStack | None = None
        self._index = 0
        self._done_at: dict[int, int] = {}  # command index -> when it was last done or redone
        self._undone_at = 0  # when the stack last undid

    def track(self, stack: QUndoStack | None) -> None:
        """Follow this review's undo stack (None when no review is open)."""
        if self._stack is not None:
            try:
                self._stack.indexChanged.disconnect(self._stack_moved)
            except (RuntimeError, TypeError):
                pass  # the stack has gone with its review
        self._stack = stack
        self._index = stack.index() if stack is not None else 0
        self._done_at = {}
        self._undone_at = 0
        if stack is not None:
            stack.indexChanged.connect(self._stack_moved)

    def _stack_moved(self, index: int) -> None:
        now = next(self._counter)
        if index > self._index:
            for done in range(self._index, index):
                self._done_at[done] = now
        else:
            self._undone_at = now
        self._index = index

    def _stack_top(self) -> int:
        return self._done_at.get(self._index - 1, 0) if self._stack is not None else 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        history = own_history(watched)
        if history is None or not isinstance(event, QKeyEvent):
            return False
        undo = event.matches(QKeySequence.StandardKey.Undo)
        redo = event.matches(QKeySequence.StandardKey.Redo)
        if kind == QEvent.Type.KeyPress:
            if not undo and not redo and (
                event.text().isprintable() and event.text()
                or event.key() in _EDITING_KEYS
                or event.matches(QKeySequence.StandardKey.Paste)
                or event.matches(QKeySequence.StandardKey.Cut)
            ):
                watched.setProperty(_OWN_EDIT, next(self._counter))
            return False
        can_undo, can_redo = history
        if undo:
            if can_undo and (watched.property(_OWN_EDIT) or 0) > self._stack_top():
                watched.setProperty(_OWN_UNDO, next(self._counter))
                return False  # the field's own typing is the newer: it undoes it
        elif redo:
            if can_redo and (watched.property(_OWN_UNDO) or 0) > self._undone_at:
                watched.setProperty(_OWN_EDIT, next(self._counter))
                return False
        else:
            return False
        event.ignore()  # not claimed: the window's Undo / Redo shortcut fires
        return True


def pass_undo_to_window(field: QPlainTextEdit | QLineEdit) -> None:
    """Install the pass-through on one field (it is owned by, and lives as long as, the field)."""
    field.installEventFilter(UndoPassThrough(field))
