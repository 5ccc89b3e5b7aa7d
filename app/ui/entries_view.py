"""How entries are shown: the list view (with its empty text) and the delegate that draws and edits one."""

from __future__ import annotations

from PySide6.QtCore import (
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.services.dto import EntryData
from app.ui.entries_model import (
    SAFEGUARDING_RED,
    EntryIdRole,
    EntryRole,
    Index,
    SafeguardingRole,
    entries_tr,
    evidence_line,
)
from app.ui.theme import NHS_BLUE, SECONDARY_TEXT, TEXT
from app.ui.wrapped_list import WrappedEditableList


class EntryDelegate(QStyledItemDelegate):
    """Draws an entry: a red-outlined "Safeguarding" badge when flagged, the text, then its evidence."""

    PAD_X = 10
    PAD_Y = 6
    GAP = 3

    text_edited = Signal(int, str)

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view

    @staticmethod
    def _small(font: QFont) -> QFont:
        small = QFont(font)
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.9)
        return small

    def _badge_size(self, font: QFont) -> QSize:
        bold = self._small(font)
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        return QSize(metrics.horizontalAdvance(entries_tr("Safeguarding")) + 12, metrics.height() + 4)

    def _lines(self, index: Index) -> tuple[str, str, str]:
        entry: EntryData | None = index.data(EntryRole)
        if entry is None:
            return "", "", ""
        lead = entries_tr("Who will act: {name}").format(name=entry.safeguarding_lead) if entry.safeguarding else ""
        return entry.text, evidence_line(entry), lead

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt override
        width = self._view.viewport().width()
        text_width = max(80, width - 2 * self.PAD_X)
        text, evidence, lead = self._lines(index)
        plain = QFontMetrics(option.font)
        small = QFontMetrics(self._small(option.font))
        height = 2 * self.PAD_Y
        if index.data(SafeguardingRole):
            height += self._badge_size(option.font).height() + self.GAP
        wrap = int(Qt.TextFlag.TextWordWrap)
        height += max(plain.height(), plain.boundingRect(QRect(0, 0, text_width, 100_000), wrap, text).height())
        for line in (lead, evidence):
            if line:
                height += self.GAP + small.boundingRect(QRect(0, 0, text_width, 100_000), wrap, line).height()
        return QSize(width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect = option.rect
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor("#e8f1fa"))
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), QColor(NHS_BLUE))
        painter.setPen(QPen(QColor("#e8edee")))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        text, evidence, lead = self._lines(index)
        left = rect.left() + self.PAD_X
        width = max(80, rect.width() - 2 * self.PAD_X)
        top = rect.top() + self.PAD_Y
        wrap = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
        if index.data(SafeguardingRole):
            badge = QRect(QPoint(left, top), self._badge_size(option.font))
            bold = self._small(option.font)
            bold.setBold(True)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(SAFEGUARDING_RED), 1.5))
            painter.setBrush(QColor("#fdecea"))
            painter.drawRoundedRect(badge.adjusted(0, 0, -1, -1), 3, 3)
            painter.setFont(bold)
            painter.setPen(QColor(SAFEGUARDING_RED))
            painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), entries_tr("Safeguarding"))
            top += badge.height() + self.GAP
        painter.setFont(option.font)
        painter.setPen(QColor(TEXT))
        plain = QFontMetrics(option.font)
        text_rect = plain.boundingRect(QRect(left, top, width, 100_000), wrap, text)
        painter.drawText(QRect(left, top, width, text_rect.height()), wrap, text)
        top += max(plain.height(), text_rect.height())
        small_font = self._small(option.font)
        small = QFontMetrics(small_font)
        painter.setFont(small_font)
        for line, colour in ((lead, SAFEGUARDING_RED), (evidence, SECONDARY_TEXT)):
            if not line:
                continue
            top += self.GAP
            line_rect = small.boundingRect(QRect(left, top, width, 100_000), wrap, line)
            painter.setPen(QColor(colour))
            painter.drawText(QRect(left, top, width, line_rect.height()), wrap, line)
            top += line_rect.height()
        painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setObjectName("entryEditor")
        editor.setAccessibleName(self.tr("Edit entry"))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802 - Qt override
        if isinstance(editor, QLineEdit) and not editor.isModified():
            editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QWidget, model, index: Index) -> None:  # noqa: N802 - Qt override
        # Changes go through an undo command, not the model.
        if isinstance(editor, QLineEdit):
            entry_id = index.data(EntryIdRole)
            if entry_id is not None and editor.text() != index.data(Qt.ItemDataRole.EditRole):
                self.text_edited.emit(entry_id, editor.text())

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        rect = option.rect.adjusted(self.PAD_X - 4, 2, -self.PAD_X + 4, -2)
        rect.setHeight(max(rect.height(), editor.sizeHint().height()))
        editor.setGeometry(rect)


class EntriesView(WrappedEditableList):
    """A list of entries that shows what to do when it is empty and deletes with the Delete key."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = empty_text

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(QColor(SECONDARY_TEXT))
            painter.drawText(
                self.viewport().rect().adjusted(12, 10, -12, -10),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                self._empty_text,
            )
            painter.end()
