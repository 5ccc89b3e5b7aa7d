"""Ctrl+Z and Ctrl+Shift+Z in text fields: the field's own undo first, then the review's.

A text field claims the undo keys even when it has nothing of its own to undo, so with the
cursor in any field (where it nearly always is) the review's undo (Edit → Undo, the review's
QUndoStack: notes saved, actions added or deleted, fields autosaved) could not be reached by
keyboard. The rule, everywhere in the review window:

- the field has typing of its own to undo (or redo): the keys undo that typing, as in any editor;
- it has none (nothing typed since it was loaded, cleared or saved): the keys go to the window's
  Undo / Redo, i.e. to the review's stack.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
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


class WindowUndoRouting(QObject):
    """The same rule for every text field in `window` (installed on the application, owned by the window)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(watched, QWidget)
            and watched.window() is self._window
            and passes_to_window(watched, event)
        ):
            event.ignore()
            return True
        return False


def pass_undo_to_window(field: QPlainTextEdit | QLineEdit) -> None:
    """Install the pass-through on one field (it is owned by, and lives as long as, the field)."""
    field.installEventFilter(UndoPassThrough(field))
