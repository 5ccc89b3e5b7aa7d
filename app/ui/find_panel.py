"""Find across every note of the review (Ctrl+F)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.kloe.roles import role_label
from app.services import notes
from app.ui.context import ReviewContext
from app.ui.notes_model import local_time

MAX_RESULTS = 200


class FindPanel(QWidget):
    """A search field and its results; choosing a result asks to show that note."""

    note_chosen = Signal(str, int)  # section id, note id
    closed = Signal()

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findPanel")
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setPlaceholderText(self.tr("Find in notes…"))
        self.field.setAccessibleName(self.tr("Find in notes"))
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.search)
        self.field.returnPressed.connect(self._choose_first)
        row.addWidget(self.field)
        self.count = QLabel(self)
        row.addWidget(self.count)
        layout.addLayout(row)
        self.results = QListWidget(self)
        self.results.setObjectName("findResults")
        self.results.setAccessibleName(self.tr("Notes found"))
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._choose)
        layout.addWidget(self.results)
        self.hide()

    def open(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            self.closed.emit()
            return
        if event.key() == Qt.Key.Key_Down and self.field.hasFocus() and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return
        super().keyPressEvent(event)

    def search(self, text: str) -> None:
        self.results.clear()
        if not text.strip():
            self.count.clear()
            return
        found = notes.search_notes(self.ctx.store, self.ctx.review_id, text)
        titles = {section.id: section.title for section in self.ctx.template.sections}
        for note in found[:MAX_RESULTS]:
            speaker = note.speaker_name or role_label(note.speaker_role) or self.tr("Panel")
            item = QListWidgetItem(
                f"{titles.get(note.section_id, note.section_id)} · {local_time(note.created_at):%H:%M} · {speaker}\n{note.text}"
            )
            item.setData(Qt.ItemDataRole.UserRole, (note.section_id, note.id))
            self.results.addItem(item)
        self.count.setText(self.tr("{n} found").format(n=len(found)))

    def _choose_first(self) -> None:
        if self.results.count():
            self._choose(self.results.item(0))

    def _choose(self, item: QListWidgetItem) -> None:
        section_id, note_id = item.data(Qt.ItemDataRole.UserRole)
        self.note_chosen.emit(section_id, note_id)
