"""Undoable note changes. Each command calls the notes service and reports through ctx.changed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.services import notes
from app.services.dto import NoteData
from app.ui.context import ReviewContext
from app.ui.undo_commands import AddRowCommand, DeleteRowCommand, UpdateRowCommand

CHANGED = "notes"
NOTE_FIELDS: tuple[str, ...] = ("text", "speaker_name", "speaker_role", "easy_read")


def _tr(text: str) -> str:
    return QCoreApplication.translate("NoteCommands", text)


class AddNoteCommand(AddRowCommand):
    """Add a note from the capture bar. Redo after undo puts back the same note (id, time, author).

    Refused (no consent basis, empty text...): the stack drops the obsolete command, `note` stays None.
    """

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
        def add(store, actor) -> NoteData:
            return notes.add_note(
                store, ctx.review_id, section_id, text, actor,
                speaker_name=speaker_name, speaker_role=speaker_role, draft_key=draft_key,
            )

        super().__init__(
            ctx, _tr("Add note"), changed=CHANGED, add=add,
            restore=notes.restore_note, delete=notes.delete_note, strict=False,
        )
        self.section_id = section_id

    @property
    def note(self) -> NoteData | None:
        return self.result


class EditNoteCommand(UpdateRowCommand):
    """Change a note's text, who spoke, or its easy-read mark. Undo puts back every field as it was."""

    def __init__(
        self,
        ctx: ReviewContext,
        note: NoteData,
        *,
        text: str | None = None,
        speaker_name: str | None = None,
        speaker_role: str | None = None,
        easy_read: bool | None = None,
    ) -> None:
        given = {"text": text, "speaker_name": speaker_name, "speaker_role": speaker_role, "easy_read": easy_read}
        title = _tr("Edit note") if easy_read is None else (
            _tr("Mark note for the easy read") if easy_read else _tr("Unmark note for the easy read"))
        super().__init__(
            ctx, title, note.id,
            {key: value for key, value in given.items() if value is not None},
            {name: getattr(note, name) for name in NOTE_FIELDS},
            changed=CHANGED, update=notes.edit_note, strict=False,
        )


class DeleteNoteCommand(DeleteRowCommand):
    """Delete a note; undo restores it with the same id, time and authorship."""

    def __init__(self, ctx: ReviewContext, note: NoteData) -> None:
        super().__init__(
            ctx, _tr("Delete note"), note.id, changed=CHANGED,
            delete=notes.delete_note, restore=notes.restore_note, row=note, strict=False,
        )

    @property
    def note(self) -> NoteData:
        return self.removed
