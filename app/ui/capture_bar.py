"""The capture bar: who is speaking, and what they said. Enter saves and keeps typing going."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QWidget,
)

from app.kloe.roles import role_label
from app.models.enums import Attendance
from app.services import drafts, people
from app.services.dto import NoteData
from app.ui.context import ReviewContext
from app.ui.layout_fit import FitRowLayout, text_width
from app.ui.note_commands import AddNoteCommand
from app.ui.undo_routing import pass_undo_to_window

MAX_VISIBLE_LINES = 4
# The note field asks for room for about this many average characters of its font. When the
# bar cannot give it that beside the speaker picker and the button (large text, a narrow
# window), the field moves to a line of its own below them.
NOTE_CHARACTERS = 40
# The speaker picker grows with the longest name up to about this many characters.
SPEAKER_CHARACTERS = 32
SPEAKER_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}


def draft_key(section_id: str) -> str:
    """Key of the capture-bar draft in the drafts table (cleared by add_note in the same commit)."""
    return f"capture:{section_id}"


class CaptureField(QPlainTextEdit):
    """The note field.

    A QPlainTextEdit rather than a QLineEdit: people speak in long sentences, and a one-line
    field scrolls sideways so the note-taker cannot see the start of what they are typing to
    proof-read it. This field starts one line high and grows to four as the text wraps, while
    Enter still saves at once (Shift+Enter starts a new line for the rare list), so typing stays
    as fast as in a line edit. Alt+Up/Down and Alt+0..9 change the speaker without leaving it.
    """

    submitted = Signal()
    speaker_step = Signal(int)
    speaker_pick = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, speaker_keys: bool = True) -> None:
        super().__init__(parent)
        self._speaker_keys = speaker_keys
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        mods = event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if mods & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit()
            return
        # Alt alone: AltGr reports Ctrl+Alt on some systems and types characters such as "{".
        if (
            self._speaker_keys
            and mods & Qt.KeyboardModifier.AltModifier
            and not mods & Qt.KeyboardModifier.ControlModifier
        ):
            if key == Qt.Key.Key_Up:
                self.speaker_step.emit(-1)
                return
            if key == Qt.Key.Key_Down:
                self.speaker_step.emit(1)
                return
            if key in SPEAKER_KEYS:
                self.speaker_pick.emit(SPEAKER_KEYS[key])
                return
        super().keyPressEvent(event)

    def _lines(self) -> int:
        # With a plain-text layout the document's height is its number of visual lines.
        return max(1, min(MAX_VISIBLE_LINES, round(self.document().size().height())))

    def _fit_height(self, *_args) -> None:
        margins = self.contentsMargins()
        doc_margin = self.document().documentMargin()
        height = (
            self.fontMetrics().lineSpacing() * self._lines()
            + int(2 * doc_margin)
            + margins.top()
            + margins.bottom()
            + 2
        )
        if self.height() != height:
            self.setFixedHeight(height)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_height()  # a new text size or border: the lines need a new height
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Room for NOTE_CHARACTERS of the current font, with the frame, the document's margins
        # and the scroll bar that appears after MAX_VISIBLE_LINES lines.
        chrome = (
            2 * self.frameWidth()
            + int(2 * self.document().documentMargin())
            + self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
            + 4  # a focus border may be thicker than the resting one
        )
        return QSize(self.fontMetrics().averageCharWidth() * NOTE_CHARACTERS + chrome, self.minimumHeight())


class CaptureBar(QFrame):
    """Speaker picker + note field for one section. Notes are added through AddNoteCommand."""

    note_added = Signal(NoteData)

    def __init__(self, ctx: ReviewContext, section_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("captureBar")
        self.ctx = ctx
        self.section_id = section_id
        self._restoring = False
        self._speakers: list[tuple[str, str]] = [("", "")]
        # Its colours and borders are the theme's (app/ui/theme.py), so high contrast reaches them.

        self.speaker = QComboBox(self)
        self.speaker.setObjectName("speakerPicker")
        self.speaker.setAccessibleName(self.tr("Speaker"))
        self.speaker.setToolTip(self.tr("Who is speaking. From the note field: Alt+Up / Alt+Down, or Alt+1..9 "
                                        "for the nth person; Alt+0 for the panel in general"))
        self.speaker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.speaker.setMinimumContentsLength(16)
        self._fit_speaker_width()

        self.field = CaptureField(self)
        self.field.setObjectName("captureField")
        self.field.setAccessibleName(self.tr("Note"))
        self.field.setAccessibleDescription(
            self.tr("Type what is said. Enter saves the note; Shift+Enter starts a new line; "
                    "Alt+Up and Alt+Down change the speaker.")
        )
        self.field.setPlaceholderText(self.tr("Type what is said; Enter saves"))
        self.field.setToolTip(self.tr("Enter saves the note · Shift+Enter new line · Alt+↑/↓ or Alt+1..9 change the "
                                      "speaker"))
        self.field.submitted.connect(self.submit)
        self.field.speaker_step.connect(self.step_speaker)
        self.field.speaker_pick.connect(self.pick_speaker)
        self.field.textChanged.connect(self._schedule_draft)
        pass_undo_to_window(self.field)

        self.add_button = QPushButton(self.tr("Add note"), self)
        self.add_button.setObjectName("addNoteButton")
        self.add_button.setAccessibleName(self.tr("Add note"))
        self.add_button.setToolTip(self.tr("Save the note (Enter)"))
        self.add_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_button.clicked.connect(self.submit)

        # Speaker, note and button on one line; with large text or a narrow window the note gets
        # a whole line of its own under the speaker and the button, never a sliver between them.
        layout = FitRowLayout(self, spacing=8)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.speaker)
        layout.add_main(self.field)
        layout.addWidget(self.add_button)
        layout.setAlignment(self.speaker, Qt.AlignmentFlag.AlignTop)
        layout.setAlignment(self.add_button, Qt.AlignmentFlag.AlignTop)

        self.refresh_speakers()
        self._restore_draft()
        ctx.changed.connect(self._on_changed)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_speaker_width()

    def _fit_speaker_width(self) -> None:
        # In characters, not pixels, so that a long name keeps its room at every text size.
        self.speaker.setMaximumWidth(text_width(self.speaker, SPEAKER_CHARACTERS, 280))

    # Speakers ------------------------------------------------------------------------------

    def _on_changed(self, kind: str) -> None:
        if kind == "people":
            self.refresh_speakers()

    def refresh_speakers(self) -> None:
        """Reload the register, keeping the chosen speaker if they are still there."""
        current = self.current_speaker()
        choices: list[tuple[str, str]] = [("", "")]
        labels = [self.tr("Panel (general)")]
        for attendee in people.list_attendees(self.ctx.store, self.ctx.review_id):
            if attendee.attendance is Attendance.APOLOGIES:
                continue  # sent apologies: not in the room, did not contribute
            choices.append((attendee.name, attendee.role))
            labels.append(f"{attendee.name} — {role_label(attendee.role)}")
        self.speaker.blockSignals(True)
        self.speaker.clear()
        self.speaker.addItems(labels)
        self._speakers = choices
        self.speaker.setCurrentIndex(choices.index(current) if current in choices else 0)
        self.speaker.blockSignals(False)

    def current_speaker(self) -> tuple[str, str]:
        """(name, role id) of the chosen speaker; ("", "") for the panel in general."""
        index = self.speaker.currentIndex()
        return self._speakers[index] if 0 <= index < len(self._speakers) else ("", "")

    def speaker_choices(self) -> list[tuple[str, str]]:
        """(name, role id) of each speaker offered, in the list's order; ("", "") is the panel."""
        return list(self._speakers)

    def speakers(self) -> list[str]:
        return [self.speaker.itemText(i) for i in range(self.speaker.count())]

    def step_speaker(self, delta: int) -> None:
        count = self.speaker.count()
        if count:
            self.speaker.setCurrentIndex((self.speaker.currentIndex() + delta) % count)

    def pick_speaker(self, number: int) -> None:
        """Alt+n: the nth person in the register (n >= 1); Alt+0: the panel in general."""
        if 0 <= number < self.speaker.count():
            self.speaker.setCurrentIndex(number)

    # Typing and saving -----------------------------------------------------------------------

    def text(self) -> str:
        return self.field.toPlainText()

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.field.moveCursor(self.field.textCursor().MoveOperation.End)

    def _autosave_key(self) -> str:
        return f"draft:{self.section_id}"

    def _restore_draft(self) -> None:
        text = drafts.get_draft(self.ctx.store, self.ctx.review_id, draft_key(self.section_id))
        if text:
            self._set_text_quietly(text)

    def _set_text_quietly(self, text: str) -> None:
        self._restoring = True
        try:
            self.field.setPlainText(text)
            self.field.moveCursor(self.field.textCursor().MoveOperation.End)
        finally:
            self._restoring = False

    def _schedule_draft(self) -> None:
        if self._restoring:
            return
        ctx = self.ctx
        text = self.field.toPlainText()
        key = draft_key(self.section_id)
        ctx.autosaver.schedule(
            self._autosave_key(), lambda: drafts.save_draft(ctx.store, ctx.review_id, key, text)
        )

    def submit(self) -> NoteData | None:
        """Save the typed note as said by the chosen speaker. Empty text: nothing happens."""
        text = self.field.toPlainText()
        if not text.strip():
            return None
        name, role = self.current_speaker()
        # The note's commit clears the stored draft; a pending draft write must not bring it back.
        self.ctx.autosaver.cancel(self._autosave_key())
        command = AddNoteCommand(
            self.ctx, self.section_id, text, speaker_name=name, speaker_role=role,
            draft_key=draft_key(self.section_id),
        )
        self.ctx.undo_stack.push(command)
        note = command.note
        if note is None:
            self._schedule_draft()  # refused: the text stays in the field and in the draft
            return None
        self._set_text_quietly("")
        self.focus()
        self.note_added.emit(note)
        return note
