"""The user guide behind F1: app/help/user-guide.md shown offline, with contents and a find box.

F1 on a page of an open review opens the guide at that page's heading (see TOPIC_FOR_KEY).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.help import guide_text, guide_title
from app.ui.navigator import SECTION_PREFIX

# The guide's heading for each part of an open review (F1 opens the guide there).
TOPIC_FOR_KEY = {
    "setup": "Setting up a review",
    "people": "People and consent",
    "planning": "Planning before the day",
    "after_day": "After the day",
    "agenda": "The agenda and the timer",
    "headline": "Headline questions",
    "actions": "Recommendations and actions",
    "signoff": "Sign-off",
    "audit": "The audit trail",
}
SECTION_TOPIC = "Capturing notes fast"


def topic_for(key: str | None) -> str | None:
    if not key:
        return None
    if key.startswith(SECTION_PREFIX):
        return SECTION_TOPIC
    return TOPIC_FOR_KEY.get(key)


class HelpWindow(QWidget):
    """A separate, non-modal window: contents on the left, the guide on the right, find on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpWindow")
        self.setWindowTitle(self.tr("ReviewDay user guide"))
        self.resize(980, 720)

        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpBrowser")
        self.browser.setAccessibleName(self.tr("User guide"))
        self.browser.setAccessibleDescription(self.tr("The ReviewDay user guide. Use the find box to search it."))
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.setMarkdown(guide_text())
        self.title = guide_title()

        self.contents = QListWidget(self)
        self.contents.setObjectName("helpContents")
        self.contents.setAccessibleName(self.tr("Contents of the user guide"))
        for level, heading in self.headings():
            if level <= 2:
                item = QListWidgetItem(("    " if level == 2 else "") + heading)
                item.setData(Qt.ItemDataRole.UserRole, heading)
                self.contents.addItem(item)
        self.contents.currentItemChanged.connect(self._contents_moved)

        find_label = QLabel(self.tr("&Find:"), self)
        self.find_field = QLineEdit(self)
        self.find_field.setObjectName("helpFind")
        self.find_field.setPlaceholderText(self.tr("Find in the guide (Ctrl+F)"))
        self.find_field.setAccessibleName(self.tr("Find in the user guide"))
        self.find_field.setAccessibleDescription(self.tr("Type a word; Enter or F3 finds the next place, "
                                                          "Shift+F3 the previous one."))
        self.find_field.setClearButtonEnabled(True)
        find_label.setBuddy(self.find_field)
        self.find_field.textChanged.connect(self._find_changed)
        self.find_field.returnPressed.connect(self.find_next)
        self.next_button = QPushButton(self.tr("&Next"), self)
        self.next_button.setObjectName("helpFindNext")
        self.next_button.setAccessibleName(self.tr("Find the next place"))
        self.next_button.clicked.connect(self.find_next)
        self.previous_button = QPushButton(self.tr("&Previous"), self)
        self.previous_button.setObjectName("helpFindPrevious")
        self.previous_button.setAccessibleName(self.tr("Find the previous place"))
        self.previous_button.clicked.connect(self.find_previous)
        self.status = QLabel(self)
        self.status.setObjectName("helpFindStatus")
        self.status.setAccessibleName(self.tr("Find result"))

        for keys, slot in ((QKeySequence.StandardKey.Find, self.focus_find),
                           (QKeySequence.StandardKey.FindNext, self.find_next),
                           (QKeySequence.StandardKey.FindPrevious, self.find_previous),
                           (QKeySequence("Ctrl+W"), self.close), (QKeySequence("Esc"), self._escape)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        find_row = QHBoxLayout()
        find_row.addWidget(find_label)
        find_row.addWidget(self.find_field, 1)
        find_row.addWidget(self.previous_button)
        find_row.addWidget(self.next_button)
        find_row.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 730])
        layout = QVBoxLayout(self)
        layout.addLayout(find_row)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.find_field, self.contents)
        self.setTabOrder(self.contents, self.browser)

    # Headings and topics -------------------------------------------------------------------

    def headings(self) -> list[tuple[int, str]]:
        """(level, text) of every heading in the rendered guide, in order."""
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                found.append((level, block.text().strip()))
            block = block.next()
        return found

    def show_topic(self, heading: str) -> bool:
        """Scroll so that `heading` is at the top; False when the guide has no such heading."""
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text().strip() == heading:
                cursor = QTextCursor(block)
                self.browser.setTextCursor(cursor)
                bar = self.browser.verticalScrollBar()
                bar.setValue(bar.maximum())  # then back up, so the heading lands at the top
                self.browser.ensureCursorVisible()
                return True
            block = block.next()
        return False

    def current_heading(self) -> str:
        """The heading of the part the text cursor is in (for tests and the contents list)."""
        block = self.browser.textCursor().block()
        while block.isValid():
            if block.blockFormat().headingLevel():
                return block.text().strip()
            block = block.previous()
        return ""

    def _contents_moved(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None:
            self.show_topic(current.data(Qt.ItemDataRole.UserRole))

    # Find ---------------------------------------------------------------------------------

    def focus_find(self) -> None:
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()

    def _escape(self) -> None:
        if self.find_field.text():
            self.find_field.clear()
        else:
            self.close()

    def _find_changed(self, text: str) -> None:
        """Highlight every place the text occurs and move to the first one after the top."""
        self._highlight(text)
        if not text.strip():
            self.status.clear()
            return
        cursor = self.browser.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        self.find_next()

    def _highlight(self, text: str) -> int:
        selections = []
        if text.strip():
            document = self.browser.document()
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#FFEB3B"))
            fmt.setForeground(QColor("#000000"))
            cursor = document.find(text, 0)
            while not cursor.isNull():
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
                cursor = document.find(text, cursor)
        self.browser.setExtraSelections(selections)
        self.match_count = len(selections)
        return len(selections)

    def find_next(self) -> bool:
        return self._find(QTextDocument.FindFlag(0))

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward)

    def _find(self, flags) -> bool:
        text = self.find_field.text()
        if not text.strip():
            return False
        if self.browser.find(text, flags):
            self._say_found()
            return True
        # Wrap around once.
        cursor = self.browser.textCursor()
        backward = bool(flags & QTextDocument.FindFlag.FindBackward)
        cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        if self.browser.find(text, flags):
            self._say_found()
            return True
        self.status.setText(self.tr("Not found"))
        return False

    def _say_found(self) -> None:
        count = getattr(self, "match_count", 0)
        self.status.setText(self.tr("1 place") if count == 1 else self.tr("{n} places").format(n=count))
