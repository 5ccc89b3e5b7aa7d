"""Notes taken during the day, attributed to the speaker and the author."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from app.models import Draft, Note
from app.models.enums import ConsentBasis
from app.services import audit
from app.services.dto import Actor, NoteData
from app.services.errors import ConsentRequiredError, NotFoundError, ValidationError
from app.services.reviews import load_review, touch
from app.services.sections import require_section
from app.services.store import Store

NOTE_MAX_CHARS = 20_000


def _to_data(row: Note) -> NoteData:
    return NoteData(
        id=row.id,
        review_id=row.review_id,
        section_id=row.section_id,
        speaker_name=row.speaker_name,
        speaker_role=row.speaker_role,
        author_name=row.author_name,
        author_role=row.author_role,
        text=row.text,
        created_at=row.created_at,
        updated_at=row.updated_at,
        easy_read=row.easy_read,
    )


def check_note_text(text: str) -> str:
    """A note's text, trimmed: not empty and not longer than a note can be (form and import alike)."""
    return _clean_text(text)


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError("A note needs some text.")
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError(f"A note can hold up to {NOTE_MAX_CHARS:,} characters; split it in two.")
    return text


def add_note(
    store: Store,
    review_id: int,
    section_id: str,
    text: str,
    actor: Actor,
    *,
    speaker_name: str = "",
    speaker_role: str = "",
    restore: NoteData | None = None,
    draft_key: str | None = None,
    easy_read: bool = False,
) -> NoteData:
    """Add a note; with draft_key, the capture-bar draft it came from is cleared in the same commit."""
    text = _clean_text(text)
    with store.write() as session:
        review = load_review(session, review_id)
        if review.consent_basis is ConsentBasis.NOT_RECORDED:
            raise ConsentRequiredError("Record the consent basis before writing section notes.")
        require_section(session, review_id, section_id)
        now = store.now()
        row = Note(
            id=restore.id if restore else None,
            review_id=review_id,
            section_id=section_id,
            speaker_name=speaker_name,
            speaker_role=speaker_role,
            author_name=restore.author_name if restore else actor.name,
            author_role=restore.author_role if restore else actor.role,
            text=text,
            created_at=restore.created_at if restore else now,
            updated_at=now,
            easy_read=restore.easy_read if restore else easy_read,
        )
        session.add(row)
        session.flush()
        if draft_key is not None:
            session.execute(delete(Draft).where(Draft.review_id == review_id, Draft.key == draft_key))
        touch(session, store, review_id)
        audit.record(session, store, actor, review_id, "restore" if restore else "add", "note", row.id)
        return _to_data(row)


def restore_note(store: Store, data: NoteData, actor: Actor) -> NoteData:
    """Put back a deleted note with its id, time and authorship (undo of delete)."""
    return add_note(
        store,
        data.review_id,
        data.section_id,
        data.text,
        actor,
        speaker_name=data.speaker_name,
        speaker_role=data.speaker_role,
        restore=data,
    )


def edit_note(store: Store, note_id: int, actor: Actor, *, text: str | None = None,
              speaker_name: str | None = None, speaker_role: str | None = None,
              easy_read: bool | None = None) -> NoteData:
    """Change a note's text, who spoke, or whether it goes in the easy read ("What you told us")."""
    with store.write() as session:
        row = session.get(Note, note_id)
        if row is None:
            raise NotFoundError("That note has been deleted.")
        changed = []
        if text is not None and _clean_text(text) != row.text:
            row.text = _clean_text(text)
            changed.append("text")
        if speaker_name is not None and speaker_name != row.speaker_name:
            row.speaker_name = speaker_name
            changed.append("speaker_name")
        if speaker_role is not None and speaker_role != row.speaker_role:
            row.speaker_role = speaker_role
            changed.append("speaker_role")
        if easy_read is not None and bool(easy_read) != row.easy_read:
            row.easy_read = bool(easy_read)
            changed.append("easy_read")
        if changed:
            row.updated_at = store.now()
            touch(session, store, row.review_id)
            audit.record(session, store, actor, row.review_id, "update", "note", row.id, changed)
        return _to_data(row)


def delete_note(store: Store, note_id: int, actor: Actor) -> NoteData:
    with store.write() as session:
        row = session.get(Note, note_id)
        if row is None:
            raise NotFoundError("That note has already been deleted.")
        data = _to_data(row)
        session.delete(row)
        touch(session, store, data.review_id)
        audit.record(session, store, actor, data.review_id, "delete", "note", data.id)
        return data


def list_notes(store: Store, review_id: int, section_id: str | None = None) -> list[NoteData]:
    with store.read() as session:
        query = select(Note).where(Note.review_id == review_id)
        if section_id is not None:
            query = query.where(Note.section_id == section_id)
        rows = session.scalars(query.order_by(Note.created_at, Note.id))
        return [_to_data(row) for row in rows]


def list_section_notes(store: Store, review_id: int, section_id: str) -> list[NoteData]:
    """The same rows as list_notes(..., section_id), read as plain columns without ORM objects.

    The section page reloads its notes after every change, hundreds of times on a long day;
    this is about four times faster than loading Note objects.
    """
    columns = (
        Note.id,
        Note.review_id,
        Note.section_id,
        Note.speaker_name,
        Note.speaker_role,
        Note.author_name,
        Note.author_role,
        Note.text,
        Note.created_at,
        Note.updated_at,
        Note.easy_read,
    )
    with store.read() as session:
        rows = session.execute(
            select(*columns)
            .where(Note.review_id == review_id, Note.section_id == section_id)
            .order_by(Note.created_at, Note.id)
        )
        return [NoteData(*row) for row in rows]


def get_note(store: Store, note_id: int) -> NoteData:
    with store.read() as session:
        row = session.get(Note, note_id)
        if row is None:
            raise NotFoundError("That note has been deleted.")
        return _to_data(row)


def count_notes_by_section(store: Store, review_id: int) -> dict[str, int]:
    with store.read() as session:
        rows = session.execute(
            select(Note.section_id, func.count()).where(Note.review_id == review_id).group_by(Note.section_id)
        )
        return dict(rows.all())


def search_notes(store: Store, review_id: int, query: str) -> list[NoteData]:
    """Notes whose text or speaker contains every word of the query (case-insensitive)."""
    words = [word.casefold() for word in query.split()]
    if not words:
        return []
    found = []
    for note in list_notes(store, review_id):
        haystack = f"{note.text} {note.speaker_name}".casefold()
        if all(word in haystack for word in words):
            found.append(note)
    return found


def review_consent_open(store: Store, review_id: int) -> bool:
    with store.read() as session:
        return load_review(session, review_id).consent_basis is not ConsentBasis.NOT_RECORDED
