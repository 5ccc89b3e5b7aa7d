"""Walking a window's widget tree for interactive widgets a screen reader cannot name."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox,
               QAbstractItemView, QTabBar, QAbstractSlider)


def widget_path(widget: QWidget) -> str:
    """`Class#objectName` from the window down, for a readable failure list."""
    parts = []
    current = widget
    while current is not None:
        name = current.objectName()
        parts.append(f"{type(current).__name__}#{name}" if name else type(current).__name__)
        current = current.parentWidget()
    return " > ".join(reversed(parts))


def _is_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside another widget, which that widget names for screen readers."""
    parent = widget.parentWidget()
    if isinstance(widget, (QScrollBar, QHeaderView)):
        return True
    if isinstance(parent, (QAbstractSpinBox, QComboBox, QLineEdit, QTabBar)):
        return True  # a spin box's or combo box's line edit, a clear button, tab scroll arrows
    if isinstance(parent, QAbstractItemView) and isinstance(widget, QAbstractButton):
        return True  # the table's corner button
    if isinstance(parent, QAbstractItemView) and parent.indexWidget(parent.currentIndex()) is not widget \
            and isinstance(widget, (QLineEdit, QComboBox, QAbstractSpinBox)) and parent.state() \
            == QAbstractItemView.State.EditingState:
        return True  # a delegate's editor: the view names the cell
    return False


def spoken_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def unnamed(root: QWidget) -> list[str]:
    """Every visible interactive widget under `root` (included) without a name.

    A widget passes when it has an accessibleName, or is a button whose visible text names it
    (Qt gives that text to screen readers); in both cases the name a screen reader announces
    (QAccessibleInterface.text(Name)) must not be empty.
    """
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or not widget.isVisible() or _is_internal(widget):
            continue
        named = bool(widget.accessibleName().strip())
        if not named and isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            named = True
        if not named or not spoken_name(widget):
            problems.append(widget_path(widget))
    return problems
