"""Keyboard focus helpers: where the keyboard lands when a page is opened from the menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


def first_tab_stop(page: QWidget) -> QWidget | None:
    """The first widget inside `page`, in tab order, that Tab would stop on."""
    widget = page.nextInFocusChain()
    seen = 0
    while widget is not None and widget is not page and seen < 5000:
        seen += 1
        if (page.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.focusProxy() is None):
            return widget
        widget = widget.nextInFocusChain()
    return None


def focus_page(page: QWidget) -> bool:
    """Put the keyboard in `page` unless it already is: its own choice (`focus_first()`), else the first tab stop."""
    current = QApplication.focusWidget()
    if current is not None and page.isAncestorOf(current):
        return True
    chooser = getattr(page, "focus_first", None)
    if callable(chooser):
        chooser()
        return True
    target = first_tab_stop(page)
    if target is None:
        return False
    target.setFocus(Qt.FocusReason.TabFocusReason)
    return True


def leave_on_tab(widget: QWidget, event) -> bool:
    """For date edits: Tab / Shift+Tab leave the field (True: handled).

    QDateEdit keeps Tab on a special value such as "No date" or "Not set", which traps a
    keyboard user; Left and Right still move between day, month and year.
    """
    if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return False
    forward = event.key() == Qt.Key.Key_Tab and not (event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    QWidget.focusNextPrevChild(widget, forward)
    event.accept()
    return True
