"""Retention: the record of exports and purges, and purging a signed review for good.

The log holds only a review's random uid, the formats and a file count: no names, no
pseudonyms, no paths. Purging deletes every row of the review in one unit of work (the
foreign keys cascade), and then checkpoints the WAL with TRUNCATE: with secure_delete on,
no deleted text lingers in the database file or its write-ahead log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, text

from app.models import ReportRevision, RetentionLog, Review
from app.services import audit
from app.services.dto import Actor
from app.services.errors import ValidationError
from app.services.reviews import load_review
from app.services.store import Store


@dataclass(frozen=True)
class RetentionEntry:
    at: datetime
    action: str
    review_uid: str
    formats: tuple[str, ...]
    files: int


@dataclass(frozen=True)
class PurgeCandidate:
    review_id: int
    review_uid: str
    signed_on: date


def log_event(store: Store, action: str, review_uid: str, formats: tuple[str, ...] = (), files: int = 0) -> None:
    with store.write() as session:
        session.add(RetentionLog(at=store.now(), action=action, review_uid=review_uid,
                                 formats=" ".join(formats), files=files))


def list_log(store: Store) -> list[RetentionEntry]:
    with store.read() as session:
        rows = session.scalars(select(RetentionLog).order_by(RetentionLog.id))
        return [RetentionEntry(r.at, r.action, r.review_uid, tuple(r.formats.split()), r.files) for r in rows]


def purge_review(store: Store, review_id: int, actor: Actor) -> str:
    """Delete a signed review and everything about it. Returns its uid (for the log)."""
    with store.write() as session:
        review = load_review(session, review_id)
        if review.locked_at is None:
            raise ValidationError("Only a signed review can be purged: sign it (or export it) first.")
        uid = review.uid
        audit.record(session, store, actor, None, "purge", "review", None)
        session.delete(review)
        session.add(RetentionLog(at=store.now(), action="purge", review_uid=uid, formats="", files=0))
    checkpoint(store)
    return uid


def checkpoint(store: Store) -> None:
    """Fold the WAL back into the database and truncate it, so deleted text does not linger."""
    if store.engine.dialect.name != "sqlite":
        return
    with store.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def purge_candidates(store: Store, older_than_days: int, *, today: date) -> list[PurgeCandidate]:
    """Signed reviews whose latest signature is older than the retention period."""
    limit = today - timedelta(days=older_than_days)
    with store.read() as session:
        found = []
        for review in session.scalars(select(Review).where(Review.locked_at.is_not(None)).order_by(Review.id)):
            signed = session.scalar(
                select(ReportRevision.signed_at).where(ReportRevision.review_id == review.id,
                                                       ReportRevision.signed_at.is_not(None))
                .order_by(ReportRevision.number.desc())
            )
            if signed is not None and signed.date() < limit:
                found.append(PurgeCandidate(review.id, review.uid, signed.date()))
        return found


def reviews_of_person(store: Store, person_label: str) -> list[int]:
    wanted = " ".join(person_label.split()).casefold()
    if not wanted:
        raise ValidationError("Give the person's initials or pseudonym.")
    with store.read() as session:
        return [r.id for r in session.scalars(select(Review).order_by(Review.review_date, Review.id))
                if " ".join(r.person_label.split()).casefold() == wanted]
