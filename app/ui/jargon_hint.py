"""A one-line hint under a plain-words field: the jargon in it and what to say instead.

Advice only: the words are saved as typed. The list is app/kloe/jargon.toml.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.kloe.jargon import find_jargon


class JargonHint(QLabel):
    def __init__(self, object_name: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setAccessibleName(accessible_name)
        self.setStyleSheet(f"#{object_name} {{ color: #8a4b00; }}")
        self.hide()

    def check(self, text: str) -> None:
        hits = find_jargon(text)
        words = "; ".join(self.tr("\u201c{found}\u201d: say \u201c{say}\u201d").format(found=h.found, say=h.say)
                          for h in hits)
        self.setText(self.tr("Jargon the person may not know. {words}.").format(words=words) if hits else "")
        self.setVisible(bool(hits))
