"""Text that does not fit its column is refused with one sentence, on every database.

SQLite stores a 300-character ward name in a VARCHAR(200) column without a word; PostgreSQL
refuses the whole change with an error. So every unit of work checks, before it writes, that
each new or changed text value fits its column, and refuses the change as a ValidationError
naming the field when it does not: the same behaviour on a database file and a team database.
"""

from __future__ import annotations

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from app.services.errors import ValidationError

# Plain words for column names that are not already plain when their underscores become spaces.
FIELD_WORDS = {
    "person_label": "person's initials or pseudonym",
    "owner_organisation": "owner's organisation",
    "owner_name": "owner's name",
    "consent_recorded_by": "name of who recorded consent",
    "safeguarding_lead": "safeguarding lead",
    "legal_status": "legal status",
    "escalation_requested_by": "list of who asked for escalation",
    "speaker_name": "speaker's name",
    "author_name": "author's name",
    "contributor_name": "contributor's name",
    "actor_name": "name",
    "created_by": "name",
}


def _field_words(column_key: str) -> str:
    return FIELD_WORDS.get(column_key, column_key.replace("_", " "))


def _string_limits(mapper) -> list[tuple[str, int]]:
    cached = _LIMITS.get(mapper)
    if cached is None:
        cached = [
            (attr.key, attr.columns[0].type.length)
            for attr in mapper.column_attrs
            if len(attr.columns) == 1
            and isinstance(attr.columns[0].type, String)
            and attr.columns[0].type.length
        ]
        _LIMITS[mapper] = cached
    return cached


_LIMITS: dict = {}


def check_text_lengths(session: Session, _flush_context, _instances) -> None:
    """before_flush: every new row, and every changed text of a changed row, fits its column."""
    for obj in list(session.new) + list(session.dirty):
        state = inspect(obj)
        for key, limit in _string_limits(state.mapper):
            value = state.dict.get(key)  # loaded values only: checking never loads a row
            if not isinstance(value, str) or len(value) <= limit:
                continue
            if not state.pending and not state.attrs[key].history.has_changes():
                continue  # an old value this change does not touch
            raise ValidationError(
                f"The {_field_words(key)} can be up to {limit} characters long ({len(value)} given); shorten it."
            )


def watch(sessions) -> None:
    """Check text lengths in every session the sessionmaker `sessions` makes."""
    event.listen(sessions, "before_flush", check_text_lengths)
