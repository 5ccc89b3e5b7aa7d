"""The audit trail: who changed what and when. Field names only, never the text itself."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent
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
