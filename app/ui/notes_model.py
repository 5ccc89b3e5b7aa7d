"""The notes stream of one section: a thin list model over NoteData and the delegate that draws it."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.kloe.roles import role_label
from app.services import notes
from app.services.dto import NoteData
from app.services.store import Store
from app.ui.theme import NHS_BLUE, SECONDARY_TEXT, TEXT

Index = QModelIndex | QPersistentModelIndex

NoteRole = Qt.ItemDataRole.UserRole + 1  # the NoteData itself
SpeakerRole = Qt.ItemDataRole.UserRole + 2  # "Named nurse · Chris Doyle"
TimeRole = Qt.ItemDataRole.UserRole + 3  # "09:31" (local time)
AuthorRole = Qt.ItemDataRole.UserRole + 4  # "noted by Sam Taylor (Note-taker)"
NoteIdRole = Qt.ItemDataRole.UserRole + 5


def _tr(text: str) -> str:
    return QCoreApplication.translate("NotesModel", text)


def local_time(moment: datetime) -> datetime:
    """Times are stored as naive UTC; the stream shows the wall-clock time in the room."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def speaker_label(note: NoteData) -> str:
    """Role label and name, e.g. "Named nurse · Chris Doyle"; "Panel" when nobody in particular."""
    role = role_label(note.speaker_role) if note.speaker_role else ""
    parts = [part for part in (role, note.speaker_name) if part]
    return " · ".join(parts) if parts else _tr("Panel")


def author_label(note: NoteData) -> str:
    if not note.author_name:
        return ""
    role = role_label(note.author_role) if note.author_role else ""
    who = f"{note.author_name} ({role})" if role else note.author_name
    return _tr("noted by {who}").format(who=who)


class NotesModel(QAbstractListModel):
    """Notes of one section, oldest first. refresh() reloads and applies only what changed.

    A long day has hundreds of notes: adding one inserts one row (beginInsertRows), so the view
    keeps its layout, scroll position and selection instead of re-measuring every wrapped row.
    """

    def __init__(self, store: Store, review_id: int, section_id: str, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._review_id = review_id
        self._section_id = section_id
        self._notes: list[NoteData] = []

    # Loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.set_notes(notes.list_section_notes(self._store, self._review_id, self._section_id))

    def set_notes(self, new: list[NoteData]) -> None:
        """Replace the rows, emitting the smallest change: an insert, a removal, or changed rows."""
        old = self._notes
        old_ids = [note.id for note in old]
        new_ids = [note.id for note in new]
        if old_ids == new_ids:
            self._notes = list(new)
            self._emit_changed(old, new)
            return
        prefix = 0
        limit = min(len(old_ids), len(new_ids))
        while prefix < limit and old_ids[prefix] == new_ids[prefix]:
            prefix += 1
        suffix = 0
        while (
            suffix < limit - prefix
            and old_ids[len(old_ids) - 1 - suffix] == new_ids[len(new_ids) - 1 - suffix]
        ):
            suffix += 1
        old_middle = len(old_ids) - prefix - suffix
        new_middle = len(new_ids) - prefix - suffix
        if old_middle == 0:
            self.beginInsertRows(QModelIndex(), prefix, prefix + new_middle - 1)
            self._notes = list(new)
            self.endInsertRows()
        elif new_middle == 0:
            self.beginRemoveRows(QModelIndex(), prefix, prefix + old_middle - 1)
            self._notes = list(new)
            self.endRemoveRows()
        else:
            self.beginResetModel()
            self._notes = list(new)
            self.endResetModel()
            return
        kept_old = old[:prefix] + old[len(old) - suffix:]
        kept_new = new[:prefix] + new[len(new) - suffix:]
        rows = list(range(prefix)) + list(range(len(new) - suffix, len(new)))
        for row, before, after in zip(rows, kept_old, kept_new, strict=True):
            if before != after:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def _emit_changed(self, old: list[NoteData], new: list[NoteData]) -> None:
        for row, (before, after) in enumerate(zip(old, new, strict=True)):
            if before != after:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    # Access --------------------------------------------------------------------------------

    @property
    def section_id(self) -> str:
        return self._section_id

    def notes(self) -> list[NoteData]:
        return list(self._notes)

    def note(self, row: int) -> NoteData | None:
        return self._notes[row] if 0 <= row < len(self._notes) else None

    def row_of(self, note_id: int) -> int:
        for row, note in enumerate(self._notes):
            if note.id == note_id:
                return row
        return -1

    # Qt model interface ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._notes)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note = self._notes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{local_time(note.created_at):%H:%M}  {speaker_label(note)}: {note.text}"
        if role == Qt.ItemDataRole.EditRole:
            return note.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return author_label(note) or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            marked = _tr(" (for the easy read)") if note.easy_read else ""
            return f"{speaker_label(note)}, {local_time(note.created_at):%H:%M}{marked}: {note.text}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return author_label(note)
        if role == NoteRole:
            return note
        if role == NoteIdRole:
            return note.id
        if role == SpeakerRole:
            return speaker_label(note) + (_tr("  ·  for the easy read") if note.easy_read else "")
        if role == TimeRole:
            return f"{local_time(note.created_at):%H:%M}"
        if role == AuthorRole:
            return author_label(note)
        return None


class NoteEditor(QPlainTextEdit):
    """Inline editor for a note: Enter keeps the change, Shift+Enter adds a line, Esc cancels."""

    commit_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.commit_requested.emit()
            return
        super().keyPressEvent(event)


class NoteDelegate(QStyledItemDelegate):
    """Draws a note as: time in a narrow left column, speaker in bold, the text wrapped below."""

    PAD_X = 10
    PAD_Y = 7
    GAP = 2
    MIN_TIME_COLUMN = 52

    @property
    def TIME_COLUMN(self) -> int:  # noqa: N802 - reads like the constant it was; grows with large text
        return max(self.MIN_TIME_COLUMN, QFontMetrics(self._view.font()).horizontalAdvance("00:00") + 12)

    # Emitted when an inline edit is confirmed; the page turns it into an EditNoteCommand.
    text_edited = Signal(int, str)

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._heights: dict[tuple[NoteData | None, int], int] = {}
        # While a note is edited in place, its row grows to hold the editor, so the editor never
        # covers the next note: note id -> the editor's height.
        self._editing: dict[int, int] = {}

    # Geometry ----------------------------------------------------------------------------------
    # Time in a column of its own, speaker and text beside it; when that would leave the text too
    # narrow (large text, a narrow pane), the time goes on the speaker's line and the text takes
    # the whole width. The speaker wraps rather than being cut off.

    # The text column keeps room for about this many average characters, or the time moves up.
    TEXT_CHARACTERS = 45

    def _text_width(self, total_width: int) -> int:
        return max(80, total_width - self.TIME_COLUMN - 2 * self.PAD_X)

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        return bold, option.font

    def time_inline(self, width: int, plain: QFont) -> bool:
        """True when the time sits on the speaker's line (the text column would be too narrow)."""
        return self._text_width(width) < QFontMetrics(plain).averageCharWidth() * self.TEXT_CHARACTERS

    def _geometry(self, rect: QRect, option: QStyleOptionViewItem, time: str, speaker: str,
                  text: str) -> tuple[QRect, QRect, QRect]:
        """The time's, the speaker's and the text's rectangles in a row drawn in `rect`."""
        bold, plain = self._fonts(option)
        inner_left, inner_right = rect.left() + self.PAD_X, rect.right() - self.PAD_X
        top = rect.top() + self.PAD_Y
        line = QFontMetrics(bold).height()
        wrap = int(Qt.TextFlag.TextWordWrap)
        if self.time_inline(rect.width(), plain):
            time_width = QFontMetrics(plain).horizontalAdvance(time) + QFontMetrics(plain).averageCharWidth() * 2
            time_rect = QRect(inner_left, top, time_width, line)
            speaker_left, text_left = inner_left + time_width, inner_left
        else:
            time_rect = QRect(inner_left, top, self.TIME_COLUMN, line)
            speaker_left = text_left = inner_left + self.TIME_COLUMN
        speaker_width = max(1, inner_right - speaker_left + 1)
        speaker_height = max(line, QFontMetrics(bold).boundingRect(
            QRect(0, 0, speaker_width, 100_000), wrap, speaker).height()) if speaker else line
        speaker_rect = QRect(speaker_left, top, speaker_width, speaker_height)
        text_top = top + speaker_height + self.GAP
        text_width = max(1, inner_right - text_left + 1)
        text_height = max(QFontMetrics(plain).height(), QFontMetrics(plain).boundingRect(
            QRect(0, 0, text_width, 100_000), wrap, text).height())
        return time_rect, speaker_rect, QRect(text_left, text_top, text_width, text_height)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt override
        # QListView measures every row again whenever one is inserted, so this must be cheap:
        # heights are cached per note (a frozen dataclass, so an edit is a new key) and width.
        # The width is the view's, not option.rect's: list views ask before laying rows out.
        width = self._view.viewport().width()
        model = index.model()
        note = model.note(index.row()) if isinstance(model, NotesModel) else index.data(NoteRole)
        key = (note, width, option.font.pointSizeF())
        height = self._heights.get(key)
        if height is None:
            _time, _speaker, text = self._geometry(
                QRect(0, 0, width, 100_000), option, index.data(TimeRole) or "",
                index.data(SpeakerRole) or "", note.text if note is not None else "")
            height = text.bottom() + 1 + self.PAD_Y
            if len(self._heights) > 5000:  # widths change on resize; keep the cache small
                self._heights.clear()
            self._heights[key] = height
        if note is not None and note.id in self._editing:
            bold, _plain = self._fonts(option)
            height = max(height, 2 * self.PAD_Y + QFontMetrics(bold).height() + self.GAP + self._editing[note.id])
        return QSize(width, height)

    def _editor_height(self, editor: NoteEditor) -> int:
        """What the editor needs: its text wrapped at the row's text width, plus a spare line for
        typing, and never under three lines."""
        metrics = QFontMetrics(editor.font())
        margin = int(editor.document().documentMargin())
        width = self._text_width(self._view.viewport().width()) - 2 * margin - 2 * editor.frameWidth()
        text = metrics.boundingRect(QRect(0, 0, max(40, width), 100_000), int(Qt.TextFlag.TextWordWrap),
                                    editor.toPlainText() or " ").height()
        return max(3 * metrics.height(), text + metrics.height()) + 2 * margin + 2 * editor.frameWidth()

    def _fit_editor(self, editor: NoteEditor, note_id: int) -> None:
        height = self._editor_height(editor)
        if self._editing.get(note_id) == height:
            return
        self._editing[note_id] = height
        model = self._view.model()
        row = model.row_of(note_id) if isinstance(model, NotesModel) else -1
        if row >= 0:
            self.sizeHintChanged.emit(model.index(row))

    def _text_rect(self, rect: QRect, option: QStyleOptionViewItem, index: Index | None = None) -> QRect:
        time = index.data(TimeRole) or "" if index is not None else ""
        speaker = index.data(SpeakerRole) or "" if index is not None else ""
        _time, _speaker, text = self._geometry(rect, option, time, speaker, "")
        return QRect(text.left(), text.top(), text.width(), rect.bottom() - self.PAD_Y - text.top() + 1)

    # Painting ----------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, QColor("#e8f1fa"))
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), QColor(NHS_BLUE))
        painter.setPen(QPen(QColor("#e8edee")))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())

        bold, plain = self._fonts(option)
        time, speaker = index.data(TimeRole) or "", index.data(SpeakerRole) or ""
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        time_rect, speaker_rect, text_rect = self._geometry(rect, option, time, speaker, text)

        painter.setFont(plain)
        painter.setPen(QColor(SECONDARY_TEXT))
        painter.drawText(time_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), time)

        painter.setFont(bold)
        painter.setPen(QColor(TEXT))
        painter.drawText(speaker_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                         speaker)

        painter.setFont(plain)
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                         text)
        painter.restore()

    # Inline editing ----------------------------------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        editor = NoteEditor(parent)
        editor.setObjectName("noteEditor")
        editor.setAccessibleName(self.tr("Edit note"))
        editor.setToolTip(self.tr("Enter keeps the change, Shift+Enter starts a new line, Esc cancels"))
        editor.commit_requested.connect(lambda: self._finish(editor))
        note_id = index.data(NoteIdRole)
        if note_id is not None:
            self._editing[note_id] = 0
            editor.textChanged.connect(lambda: self._fit_editor(editor, note_id))
        return editor

    def destroyEditor(self, editor: QWidget, index: Index) -> None:  # noqa: N802 - Qt override
        note_id = index.data(NoteIdRole) if index.isValid() else None
        super().destroyEditor(editor, index)
        if note_id is not None and self._editing.pop(note_id, None) is not None:
            self.sizeHintChanged.emit(index)

    def _finish(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802 - Qt override
        if isinstance(editor, NoteEditor) and not editor.document().isModified():
            editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.moveCursor(editor.textCursor().MoveOperation.End)
            note_id = index.data(NoteIdRole)
            if note_id is not None:
                self._fit_editor(editor, note_id)

    def setModelData(self, editor: QWidget, model, index: Index) -> None:  # noqa: N802 - Qt override
        # The model is read-only from the view's side: the change goes through an undo command.
        if isinstance(editor, NoteEditor):
            note_id = index.data(NoteIdRole)
            if note_id is not None and editor.toPlainText() != index.data(Qt.ItemDataRole.EditRole):
                self.text_edited.emit(note_id, editor.toPlainText())

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        rect = self._text_rect(option.rect, option, index).adjusted(-4, -3, 4, 3)
        wanted = self._editing.get(index.data(NoteIdRole)) or QFontMetrics(option.font).height() * 3
        # As tall as the editor needs, but never past its own row: the next note stays in view.
        rect.setHeight(min(max(rect.height(), wanted), option.rect.bottom() - rect.top()))
        editor.setGeometry(rect)
