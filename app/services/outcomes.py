"""Feedback on the review from the person and their family: did they feel listened to, and their words.

The scale goes into the oversight summary; the words stay in the review (never exported there).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.services import audit
from app.services.dto import FEEDBACK_FIELDS, Actor, FeedbackData
from app.services.reviews import load_review, touch
from app.services.store import Store


def _of(review: Any) -> FeedbackData:
    return FeedbackData(**{name: getattr(review, name) for name in FEEDBACK_FIELDS})


def record_feedback(store: Store, review_id: int, actor: Actor, **changes: Any) -> FeedbackData:
    """Change some feedback fields in one unit of work; audited by field name only."""
    unknown = set(changes) - set(FEEDBACK_FIELDS)
    if unknown:
        raise ValueError(f"not feedback fields: {sorted(unknown)}")
    with store.write() as session:
        review = load_review(session, review_id)
        merged = replace(_of(review), **changes)
        merged = replace(merged, person_feedback=merged.person_feedback.strip(),
                         family_feedback=merged.family_feedback.strip())
        changed = [name for name in FEEDBACK_FIELDS if getattr(review, name) != getattr(merged, name)]
        if changed:
            touch(session, store, review_id)
            for name in changed:
                setattr(review, name, getattr(merged, name))
            audit.record(session, store, actor, review_id, "update", "feedback", review_id, changed)
        return merged
