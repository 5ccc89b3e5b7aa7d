"""The audit trail: who changed what and when. Field names only, never the text itself."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent
from app.services.errors import NoWriterError
from app.services.dto import Actor, AuditData
from app.services.store import Store


def record(
    session: Session,
    store: Store,
    actor: Actor,
    review_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None = None,
    fields: Iterable[str] = (),
) -> None:
    """Record a change in the audit trail. Every write passes through here, so a change in nobody's
    name is refused here (the caller's transaction rolls back): nothing is credited to a placeholder."""
    if not actor.name.strip():
        raise NoWriterError("Nobody is chosen as writing: choose who is writing (Writing as) first.")
    session.add(
        AuditEvent(
            review_id=review_id,
            at=store.now(),
            actor_name=actor.name,
            actor_role=actor.role,
            action=action,
            entity=entity,
            entity_id=entity_id,
            fields=" ".join(sorted(fields)),
        )
    )


def list_events(store: Store, review_id: int) -> list[AuditData]:
    with store.read() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.review_id == review_id).order_by(AuditEvent.id)
        )
        return [
            AuditData(
                id=row.id,
                review_id=row.review_id,
                at=row.at,
                actor_name=row.actor_name,
                actor_role=row.actor_role,
                action=row.action,
                entity=row.entity,
                entity_id=row.entity_id,
                fields=tuple(row.fields.split()) if row.fields else (),
            )
            for row in rows
        ]


# Plain words for the audit trail page ------------------------------------------------------

_ENTITY_WORDS = {
    "note": "a note",
    "action": "an action",
    "attendee": "a person",
    "review": "the review",
    "headline": "a headline answer",
    "section": "a section",
    "revision": "the report",
    "finding": "a finding",
    "concern": "a concern",
    "good_practice": "good practice",
    "planning": "the planning record",
    "planning_document": "a document asked for before the day",
    "draft_copy": "the draft sent for the factual accuracy check",
    "distribution": "a copy of the final report sent",
    "correction": "a correction asked for",
}

_VERBS = {
    "add": "Added",
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "remove": "Removed",
    "restore": "Put back",
    "merge_add": "Merged in",
    "merge_update": "Merged changes to",
}

_FIXED = {
    ("consent", "review"): "Recorded the consent basis",
    ("status", "review"): "Changed the review's status",
    ("confirm", "revision"): "Confirmed the report",
    ("sign", "revision"): "Signed the report",
    ("accept empty sections", "revision"): "Accepted signing with sections that have nothing written",
    ("countersign", "revision"): "Countersigned the report",
    ("amend", "revision"): "Opened an amendment",
    ("create", "review"): "Started the review",
    ("merge", "merge"): "Merged a panel member's contribution",
    ("undo", "merge"): "Undid a merge of a panel member's contribution",
    ("merge_remove", "rows"): "Removed rows the panel member deleted (merge)",
}

_FIELD_WORDS = {
    "person_label": "person's initials",
    "planned_minutes": "planned time",
    "speaker_name": "speaker",
    "speaker_role": "speaker's role",
    "owner_name": "owner",
    "owner_organisation": "owner's organisation",
    "consent_basis": "consent basis",
    "consent_note": "consent note",
    "easy_read": "easy read",
}


def field_words(name: str) -> str:
    """A column name in plain words: "ward", "admission date", "speaker"."""
    return _FIELD_WORDS.get(name, name.replace("_", " "))


def describe_event(event: AuditData) -> str:
    """What happened in plain words: "Added a note", "Changed the ward", "Signed the report"."""
    fixed = _FIXED.get((event.action, event.entity))
    if fixed:
        return fixed
    thing = _ENTITY_WORDS.get(event.entity, field_words(event.entity))
    verb = _VERBS.get(event.action, event.action.replace("_", " ").capitalize())
    if event.action == "update" and event.entity == "review" and len(event.fields) == 1:
        return f"Changed the {field_words(event.fields[0])}"
    if event.action == "update" and event.entity == "review":
        return "Changed the set-up"
    return f"{verb} {thing}"


def event_kind(event: AuditData) -> str:
    """The kind of thing changed, for filtering: the entity name ("note", "action", "review"...)."""
    return event.entity
