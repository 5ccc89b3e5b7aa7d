"""Text typed but not yet submitted, saved so that a crash or a lock loses nothing."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Draft
from app.services.store import Store


def save_draft(store: Store, review_id: int, key: str, text: str) -> None:
    with store.write() as session:
        row = session.scalar(select(Draft).where(Draft.review_id == review_id, Draft.key == key))
        if not text:
            if row is not None:
                session.delete(row)
            return
        if row is None:
            session.add(Draft(review_id=review_id, key=key, text=text, updated_at=store.now()))
        elif row.text != text:
            row.text = text
            row.updated_at = store.now()


def get_draft(store: Store, review_id: int, key: str) -> str:
    with store.read() as session:
        row = session.scalar(select(Draft).where(Draft.review_id == review_id, Draft.key == key))
        return row.text if row else ""
