"""Find across everything the panel records in a review: notes, findings, good practice and
concerns, recommendations and actions (with their owners), the people in the register, and the
headline questions' reasons.

A record matches when every word of the query appears in it, ignoring case; the words may be in
any of the record's fields (an action's wording, rationale, owner, organisation...). Hits come in
the order of the review: people, then section by section (entries before notes), then the
headline reasons, then the actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.kloe.roles import role_label
from app.services import actions, notes, people, sections
from app.services.store import Store


class HitKind(StrEnum):
    PERSON = "person"
    ENTRY = "entry"
    NOTE = "note"
    HEADLINE = "headline"
    ACTION = "action"


@dataclass(frozen=True)
class SearchHit:
    kind: HitKind
    target_id: int | str  # the row's id (a headline question's id for HEADLINE)
    section_id: str  # "" when the record belongs to no section
    text: str  # the record's main words, as shown in the results
    detail: str  # who / what kind / owner, shown before the text


def _matches(words: list[str], *fields: str) -> bool:
    haystack = " ".join(fields).casefold()
    return all(word in haystack for word in words)


def search_review(store: Store, review_id: int, query: str, *, section_order: list[str] | None = None) -> list[SearchHit]:
    """Every record of the review that contains each word of `query` (case-insensitive)."""
    words = [word.casefold() for word in query.split()]
    if not words:
        return []
    hits: list[SearchHit] = []
    for person in people.list_attendees(store, review_id):
        role = role_label(person.role)
        if _matches(words, person.name, role, person.organisation):
            hits.append(SearchHit(HitKind.PERSON, person.id, "", person.name,
                                  ", ".join(p for p in (role, person.organisation) if p)))

    by_section: dict[str, list[SearchHit]] = {}
    for entry in sections.list_entries(store, review_id):
        if _matches(words, entry.text, entry.evidence_detail, entry.safeguarding_lead):
            by_section.setdefault(entry.section_id, []).append(
                SearchHit(HitKind.ENTRY, entry.id, entry.section_id, entry.text, entry.kind.value))
    for note in notes.list_notes(store, review_id):
        if _matches(words, note.text, note.speaker_name):
            by_section.setdefault(note.section_id, []).append(
                SearchHit(HitKind.NOTE, note.id, note.section_id, note.text,
                          note.speaker_name or role_label(note.speaker_role)))
    order = list(section_order or [])
    order += sorted(key for key in by_section if key not in order)
    for section_id in order:
        hits.extend(by_section.get(section_id, []))

    for headline in sections.list_headlines(store, review_id):
        if headline.reasons.strip() and _matches(words, headline.reasons):
            hits.append(SearchHit(HitKind.HEADLINE, headline.question_id, "", headline.reasons,
                                  headline.answer.value))
    for action in actions.list_actions(store, review_id):
        fields = [action.what, action.why, action.owner_name, action.owner_organisation,
                  action.completion_evidence, getattr(action, "easy_read", "")]
        if _matches(words, *fields):
            owner = ", ".join(p for p in (action.owner_name, action.owner_organisation) if p)
            hits.append(SearchHit(HitKind.ACTION, action.id, action.section_id, action.what, owner))
    return hits
