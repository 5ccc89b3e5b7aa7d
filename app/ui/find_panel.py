"""Find across everything the panel recorded in the review (Ctrl+F): notes, findings and concerns,
actions and their owners, people, headline reasons. The search is app/services/search.py."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import EntryKind
from app.services.search import HitKind, SearchHit, search_review
from app.ui.context import ReviewContext
from app.ui.entries_model import kind_label

MAX_RESULTS = 200
HitRole = Qt.ItemDataRole.UserRole


class FindPanel(QWidget):
    """A search field and its results; choosing a result asks to show that record where it lives."""

    hit_chosen = Signal(object)  # SearchHit
    closed = Signal()

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findPanel")
        self.ctx = ctx
        self._return_to: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setPlaceholderText(self.tr("Find in this review: notes, findings, concerns, actions, people…"))
        self.field.setAccessibleName(self.tr("Find in this review"))
        self.field.setAccessibleDescription(
            self.tr("Enter goes to the first match; Down moves to the list; Escape closes"))
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.search)
        self.field.returnPressed.connect(self._choose_first)
        row.addWidget(self.field)
        self.count = QLabel(self)
        self.count.setObjectName("findCount")
        row.addWidget(self.count)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("findClose")
        self.close_button.setAccessibleName(self.tr("Close find"))
        self.close_button.setToolTip(self.tr("Close find (Escape)"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close_panel)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.results = QListWidget(self)
        self.results.setObjectName("findResults")
        self.results.setAccessibleName(self.tr("Found in this review"))
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._choose)
        layout.addWidget(self.results)
        # Escape anywhere in the panel closes it (a shortcut: the field and the list would not pass the key on).
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_panel)
        self.hide()

    def open(self) -> None:
        focused = QApplication.focusWidget()
        if focused is not None and not self.isAncestorOf(focused):
            self._return_to = focused
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text().strip():
            self.search(self.field.text())  # the review may have changed since

    def close_panel(self) -> None:
        """Hide the panel and give the keyboard back to where it was before Ctrl+F."""
        self.hide()
        target, self._return_to = self._return_to, None
        try:
            if target is not None and target.isVisible() and target.isEnabled():
                target.setFocus(Qt.FocusReason.OtherFocusReason)
        except RuntimeError:
            pass  # that widget has gone (its page was closed)
        self.closed.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Down and self.field.hasFocus() and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return
        super().keyPressEvent(event)

    def hits(self) -> list[SearchHit]:
        return [self.results.item(row).data(HitRole) for row in range(self.results.count())]

    def search(self, text: str) -> None:
        self.results.clear()
        if not text.strip():
            self.count.clear()
            return
        order = [section.id for section in self.ctx.template.sections]
        found = search_review(self.ctx.store, self.ctx.review_id, text, section_order=order)
        for hit in found[:MAX_RESULTS]:
            item = QListWidgetItem(f"{self._where(hit)}\n{hit.text}")
            item.setData(HitRole, hit)
            self.results.addItem(item)
        self.count.setText(self.tr("{n} found").format(n=len(found)))

    def _where(self, hit: SearchHit) -> str:
        titles = {section.id: section.title for section in self.ctx.template.sections}
        section = titles.get(hit.section_id, hit.section_id)
        if hit.kind is HitKind.NOTE:
            parts = [section, self.tr("Note"), hit.detail or self.tr("Panel")]
        elif hit.kind is HitKind.ENTRY:
            parts = [section, kind_label(EntryKind(hit.detail))]
        elif hit.kind is HitKind.ACTION:
            parts = [self.tr("Recommendations"), hit.detail or self.tr("No owner yet")]
        elif hit.kind is HitKind.PERSON:
            parts = [self.tr("People"), hit.detail]
        else:
            questions = {q.id: q.text for q in self.ctx.template.headline_questions}
            parts = [self.tr("Headline questions"), questions.get(hit.target_id, "")]
        return " · ".join(p for p in parts if p)

    def _choose_first(self) -> None:
        if self.results.count():
            self._choose(self.results.item(0))

    def _choose(self, item: QListWidgetItem) -> None:
        self.hit_chosen.emit(item.data(HitRole))
