"""The expert by experience's own view: the current section's prompts in plain words, in large text.

A separate window (View → Plain words view) that can be moved to a second screen or handed
over on a tablet. It follows the section open in the main window; the text size is its own
(Ctrl+= / Ctrl+-), on top of the app's text size.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.kloe import Template, TemplateError
from app.kloe.plain_words import PlainWords, default_plain_words

SIZES = (18, 22, 28, 36)  # points before the app's text size is applied
DEFAULT_SIZE_INDEX = 1


class PlainWordsWindow(QWidget):
    """Large, plain prompts for the section now open; `show_section` keeps it in step."""

    def __init__(self, parent: QWidget | None = None, *, words: PlainWords | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("plainWordsWindow")
        self.setWindowTitle(self.tr("Plain words — ReviewDay"))
        self.setAccessibleName(self.tr("Plain words view"))
        self.setAccessibleDescription(self.tr("The questions for this part of the review, in plain words"))
        self.resize(760, 640)
        self._size_index = DEFAULT_SIZE_INDEX
        self._template: Template | None = None
        self._section_id: str | None = None
        self._error: str | None = None
        try:
            self.words = words or default_plain_words()
        except TemplateError as exc:
            self.words = PlainWords(sections={}, prompts={})
            self._error = str(exc)

        self.heading = QLabel(self)
        self.heading.setObjectName("plainWordsHeading")
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName(self.tr("Section"))
        self.body = QWidget(self)
        self.body.setObjectName("plainWordsBody")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setSpacing(18)
        self.body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("plainWordsScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName(self.tr("Questions"))
        self.scroll = scroll

        self.smaller = QPushButton(self.tr("Smaller text"), self)
        self.smaller.setObjectName("plainWordsSmaller")
        self.smaller.setAccessibleName(self.tr("Smaller text"))
        self.smaller.setToolTip(self.tr("Make the text smaller (Ctrl+-)"))
        self.smaller.clicked.connect(lambda: self.change_size(-1))
        self.bigger = QPushButton(self.tr("Bigger text"), self)
        self.bigger.setObjectName("plainWordsBigger")
        self.bigger.setAccessibleName(self.tr("Bigger text"))
        self.bigger.setToolTip(self.tr("Make the text bigger (Ctrl+=)"))
        self.bigger.clicked.connect(lambda: self.change_size(1))
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("plainWordsClose")
        self.close_button.setAccessibleName(self.tr("Close the plain words view"))
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        self.close_button.clicked.connect(self.close)
        for keys, slot in ((["Ctrl+=", "Ctrl++"], lambda: self.change_size(1)), (["Ctrl+-"], lambda: self.change_size(-1)),
                           (["Esc"], self.close)):
            for key in keys:
                QShortcut(QKeySequence(key), self, slot)

        buttons = QHBoxLayout()
        buttons.addWidget(self.smaller)
        buttons.addWidget(self.bigger)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.smaller, self.bigger)
        self.setTabOrder(self.bigger, self.close_button)
        self._render()

    # Public ------------------------------------------------------------------------------

    def show_section(self, template: Template | None, section_id: str | None) -> None:
        """Show `section_id` of `template` (None or "": nothing chosen yet)."""
        self._template = template
        self._section_id = section_id or None
        self._render()

    @property
    def section_id(self) -> str | None:
        return self._section_id

    def prompt_texts(self) -> list[str]:
        return [label.text() for label in self.body.findChildren(QLabel, "plainWordsPrompt")]

    def point_size(self) -> float:
        """The prompts' size before the app's text size (the theme scales style sheets)."""
        return float(SIZES[self._size_index])

    def change_size(self, step: int) -> None:
        self._size_index = max(0, min(len(SIZES) - 1, self._size_index + step))
        self._apply_size()

    # Drawing -----------------------------------------------------------------------------

    def _render(self) -> None:
        while self.body_layout.count() > 1:
            item = self.body_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
                item.widget().setParent(None)
        section = None
        if self._template is not None and self._section_id is not None:
            try:
                section = self._template.section(self._section_id)
            except KeyError:
                section = None
        if section is None:
            self.heading.setText(self.tr("Nothing to show yet"))
            texts = [self._error or self.tr("When the panel opens a part of the review, its questions show here.")]
        else:
            self.heading.setText(self.words.section(section.id, section.title))
            texts = [self.words.prompt(p.id, p.text) for p in section.prompts]
            if not texts:
                texts = [self.tr("No questions for this part.")]
        for position, text in enumerate(texts):
            label = QLabel(text, self.body)
            label.setObjectName("plainWordsPrompt")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(text)
            self.body_layout.insertWidget(position, label)
        self._apply_size()

    def _apply_size(self) -> None:
        size = self.point_size()
        self.heading.setStyleSheet(
            f"#plainWordsHeading {{ font-size: {size * 1.25:g}pt; font-weight: 700; color: #003087; }}")
        self.body.setStyleSheet(
            f"QLabel#plainWordsPrompt {{ font-size: {size:g}pt; color: #000000; background: #ffffff;"
            " border-left: 6px solid #005EB8; padding: 8px 12px; }")
        self.smaller.setEnabled(self._size_index > 0)
        self.bigger.setEnabled(self._size_index < len(SIZES) - 1)
