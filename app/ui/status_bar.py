"""The status bar: whether everything is saved, then one message area, then the review's status.

QStatusBar draws a temporary message (showMessage, a menu's status tip) over its own widgets, so
"Not saved" and a message once sat on top of each other. Here the message goes in a label of its
own beside the others; nothing is drawn over anything, and "Not saved" stays in sight.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QStyle, QStyleOption, QWidget


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setSizeGripEnabled(False)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("statusMessage")
        self.message_label.setAccessibleName(self.tr("Status message"))
        self.message_label.setWordWrap(True)  # a long message takes a second line, never cut off
        self.message_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message_label.setMinimumWidth(1)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.messageChanged.connect(self._show_message)

    def add_start(self, widget: QWidget) -> None:
        """A widget before the message area (the save state)."""
        # Permanent widgets are never hidden while a message shows; the message label comes after.
        # Both wrap and share the width (1:2), so a long one takes a second line, not all the room.
        if isinstance(widget, QLabel):
            widget.setWordWrap(True)
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            widget.setMinimumWidth(1)
        self.addPermanentWidget(widget, 1)
        self.addPermanentWidget(self.message_label, 2)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setToolTip(text)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        # The panel only: the message itself is the label's to draw.
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, self)
