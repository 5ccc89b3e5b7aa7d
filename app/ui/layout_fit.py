"""Layouts that cope with large text (up to 200%) on a 1366×768 screen."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QStackedWidget, QWidget


def size_by_current_page(stack: QStackedWidget) -> None:
    """Let only the page shown set the stack's size (not the widest page ever built)."""
    def update(_index: int = -1) -> None:
        current = stack.currentWidget()
        for i in range(stack.count()):
            page = stack.widget(i)
            policy = QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        stack.updateGeometry()

    stack.currentChanged.connect(update)
    update()


def scrolling(widget: QWidget, parent: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area: it fills the area, and scrolls only when it cannot fit."""
    area = QScrollArea(parent)
    area.setObjectName(f"{widget.objectName() or 'content'}Scroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


def text_width(widget: QWidget, characters: int, at_least: int) -> int:
    """A width for about `characters` average characters of the widget's font, but at least `at_least` px."""
    return max(at_least, widget.fontMetrics().averageCharWidth() * characters)
