"""Text that does not fit its column, or holds characters no text of ours may, is refused with
one sentence, on every database.

SQLite stores a 300-character ward name in a VARCHAR(200) column without a word; PostgreSQL
refuses the whole change with an error. So every unit of work checks, before it writes, that
each new or changed text value fits its column, and refuses the change as a ValidationError
naming the field when it does not: the same behaviour on a database file and a team database.

The same check refuses invisible characters. A name or other one-line field (a VARCHAR column)
holds no control character (NUL, line breaks, escapes) and no bidirectional control: U+202E
RIGHT-TO-LEFT OVERRIDE and its kin make text display in another order than it reads, which
could disguise a name on a signed report. Free text (a TEXT column: notes, findings, reasons)
may hold tabs, line breaks and the direction marks that right-to-left languages use, but no
other control character and no override, embedding or isolate. PostgreSQL cannot store NUL at
all. Because every write passes here, the app's forms, bundle import and merges share the rule.
"""

from __future__ import annotations

from sqlalchemy import String, Text, event, inspect
from sqlalchemy.orm import Session

from app.services.errors import ValidationError

# Every bidirectional control character (Unicode's Bidi_Control property).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# The ones free text may still hold: the marks right-to-left writing uses between words.
DIRECTION_MARKS = frozenset("\u061c\u200e\u200f")
FREE_TEXT_CONTROLS = frozenset("\t\n\r")
# Columns that keep the app's own working copies, not what a person entered: not checked.
UNCHECKED = frozenset({("merges", "before"), ("merges", "summary"), ("drafts", "text")})

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


# Where a column's own name is not enough ("name" of what?).
TABLE_FIELD_WORDS = {
    ("attendees", "name"): "attendee's name",
    ("signoffs", "name"): "signer's name",
}


def _field_words(column_key: str, table: str = "") -> str:
    return TABLE_FIELD_WORDS.get((table, column_key)) or FIELD_WORDS.get(column_key, column_key.replace("_", " "))


def _is_control(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch) == "Cc"


def character_problem(value: str, *, one_line: bool) -> str | None:
    """What is wrong with the characters of `value` (a short phrase), or None when nothing is."""
    if one_line:
        if any(ch in BIDI_CONTROLS or _is_control(ch) for ch in value):
            return "an invisible control or text-direction character"
        return None
    if any((_is_control(ch) and ch not in FREE_TEXT_CONTROLS) or (ch in BIDI_CONTROLS and ch not in DIRECTION_MARKS)
           for ch in value):
        return "an invisible control or text-direction override character"
    return None


def value_problem(model, key: str, value: object) -> str | None:
    """The sentence refusing `value` for the column `key` of `model`, or None when it may be written.

    The rule the before-flush check applies, for callers that check values before a unit of work
    (bundle import names the row and field).
    """
    if not isinstance(value, str):
        return None
    column = model.__table__.columns.get(key)
    table = model.__table__.name
    if column is None or (table, key) in UNCHECKED or not isinstance(column.type, String):
        return None
    limit = column.type.length
    if limit and len(value) > limit:
        return f"The {_field_words(key, table)} can be up to {limit} characters long ({len(value)} given); shorten it."
    one_line = not isinstance(column.type, Text) and bool(limit)
    problem = character_problem(value, one_line=one_line)
    if problem:
        return f"The {_field_words(key, table)} holds {problem}; remove it."
    return None


def _text_columns(mapper) -> list[str]:
    """The attribute keys of the mapper's text columns that are checked."""
    cached = _LIMITS.get(mapper)
    if cached is None:
        table = mapper.local_table.name
        cached = [
            attr.key
            for attr in mapper.column_attrs
            if len(attr.columns) == 1
            and isinstance(attr.columns[0].type, String)
            and (table, attr.key) not in UNCHECKED
        ]
        _LIMITS[mapper] = cached
    return cached


_LIMITS: dict = {}


def check_text_lengths(session: Session, _flush_context, _instances) -> None:
    """before_flush: every new row, and every changed text of a changed row, fits its column and
    holds no character its kind of text may not."""
    for obj in list(session.new) + list(session.dirty):
        state = inspect(obj)
        for key in _text_columns(state.mapper):
            value = state.dict.get(key)  # loaded values only: checking never loads a row
            if not isinstance(value, str):
                continue
            if not state.pending and not state.attrs[key].history.has_changes():
                continue  # an old value this change does not touch
            problem = value_problem(state.mapper.class_, key, value)
            if problem:
                raise ValidationError(problem)


def watch(sessions) -> None:
    """Check text lengths in every session the sessionmaker `sessions` makes."""
    event.listen(sessions, "before_flush", check_text_lengths)
