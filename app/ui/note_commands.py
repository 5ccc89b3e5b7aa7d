"""Undoable note changes. Each command calls the notes service and reports through ctx.changed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from app.services import notes
from app.services.dto import NoteData
from app.ui.context import ReviewContext

CHANGED = "notes"


class AddNoteCommand(QUndoCommand):
    """Add a note from the capture bar. Redo after undo puts back the same note (id, time, author)."""

    def __init__(
        self,
        ctx: ReviewContext,
        section_id: str,
        text: str,
        *,
        speaker_name: str = "",
        speaker_role: str = "",
        draft_key: str | None = None,
    ) -> None:
        super().__init__()
        self.setText(QCoreApplication.translate("NoteCommands", "Add note"))
        self.ctx = ctx
        self.section_id = section_id
        self._text = text
        self._speaker_name = speaker_name
        self._speaker_role = speaker_role
        self._draft_key = draft_key
        self.note: NoteData | None = None

    def redo(self) -> None:
        ctx = self.ctx
        if self.note is None:
            note = ctx.call(
                notes.add_note,
                ctx.store,
                ctx.review_id,
                self.section_id,
                self._text,
                ctx.actor,
                speaker_name=self._speaker_name,
                speaker_role=self._speaker_role,
                draft_key=self._draft_key,
                changed=CHANGED,
            )
            if note is None:
                # Refused (no consent basis, empty text...): the stack drops an obsolete command.
                self.setObsolete(True)
                return
            self.note = note
        else:
            ctx.call(notes.restore_note, ctx.store, self.note, ctx.actor, changed=CHANGED)

    def undo(self) -> None:
        if self.note is not None:
            self.ctx.call(notes.delete_note, self.ctx.store, self.note.id, self.ctx.actor, changed=CHANGED)


class EditNoteCommand(QUndoCommand):
    """Change a note's text (and, optionally, who spoke)."""

    def __init__(
        self,
        ctx: ReviewContext,
        note: NoteData,
        *,
        text: str | None = None,
        speaker_name: str | None = None,
        speaker_role: str | None = None,
    ) -> None:
        super().__init__()
        self.setText(QCoreApplication.translate("NoteCommands", "Edit note"))
        self.ctx = ctx
        self.before = note
        self._changes = {
            key: value
            for key, value in (("text", text), ("speaker_name", speaker_name), ("speaker_role", speaker_role))
            if value is not None
        }
        self.after: NoteData | None = None

    def redo(self) -> None:
        ctx = self.ctx
        result = ctx.call(notes.edit_note, ctx.store, self.before.id, ctx.actor, **self._changes, changed=CHANGED)
        if result is None and self.after is None:
            self.setObsolete(True)
            return
        self.after = result

    def undo(self) -> None:
        ctx = self.ctx
        ctx.call(
            notes.edit_note,
            ctx.store,
            self.before.id,
            ctx.actor,
            text=self.before.text,
            speaker_name=self.before.speaker_name,
            speaker_role=self.before.speaker_role,
            changed=CHANGED,
        )


class DeleteNoteCommand(QUndoCommand):
    """Delete a note; undo restores it with the same id, time and authorship."""

    def __init__(self, ctx: ReviewContext, note: NoteData) -> None:
        super().__init__()
        self.setText(QCoreApplication.translate("NoteCommands", "Delete note"))
        self.ctx = ctx
        self.note = note
        self._done = False

    def redo(self) -> None:
        ctx = self.ctx
        deleted = ctx.call(notes.delete_note, ctx.store, self.note.id, ctx.actor, changed=CHANGED)
        if deleted is None and not self._done:
            self.setObsolete(True)
            return
        if deleted is not None:
            self.note = deleted
        self._done = True

    def undo(self) -> None:
        self.ctx.call(notes.restore_note, self.ctx.store, self.note, self.ctx.actor, changed=CHANGED)
