"""The cross-review action tracker: every review's actions in one list, with what is overdue.

Two queries whatever the number of reviews (the actions joined to their reviews, and the carried
copies later reviews recorded as done), so it opens fast over a thousand reviews.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.models import Action, CarriedAction, Review
from app.models.enums import ActionStatus, CarriedOutcome
from app.services.dto import TrackerRow
from app.services.store import Store


def effective_status(
    status: ActionStatus, deadline: date | None, today: date, done_later: bool, dropped_later: bool = False
) -> ActionStatus:
    """Done when done here or recorded as done at a later review; overdue when past its date and not
    done, unless a later review recorded it as no longer relevant."""
    if status is ActionStatus.DONE or done_later:
        return ActionStatus.DONE
    if deadline is not None and deadline < today and not dropped_later:
        return ActionStatus.OVERDUE
    return status


def _contains(column, text: str):
    return func.lower(column).contains(text.strip().lower(), autoescape=True)


def tracker_rows(
    store: Store,
    *,
    today: date,
    owner: str | None = None,
    organisation: str | None = None,
    due_before: date | None = None,
    due_after: date | None = None,
    status: ActionStatus | None = None,
) -> list[TrackerRow]:
    """Actions of every review, newest review first. Filters: owner and organisation (part of the
    name, any case), due on or before / on or after a date, and the effective status."""
    # Core columns (not ORM entities): thousands of rows come back as plain tuples, much faster.
    a, r = Action.__table__.c, Review.__table__.c
    query = (
        select(a.id, a.review_id, a.uid, a.what, a.owner_name, a.owner_organisation, a.deadline, a.priority,
               a.status, r.person_label, r.review_date)
        .select_from(Action.__table__.join(Review.__table__, r.id == a.review_id))
        .order_by(r.review_date.desc(), r.id.desc(), a.position, a.id)
    )
    if owner and owner.strip():
        query = query.where(_contains(a.owner_name, owner))
    if organisation and organisation.strip():
        query = query.where(_contains(a.owner_organisation, organisation))
    if due_before is not None:
        query = query.where(a.deadline.is_not(None), a.deadline <= due_before)
    if due_after is not None:
        query = query.where(a.deadline.is_not(None), a.deadline >= due_after)
    done_query = (
        select(CarriedAction.source_action_uid, Review.review_date, Review.id, CarriedAction.outcome)
        .join(Review, Review.id == CarriedAction.review_id)
        .where(CarriedAction.outcome.in_([CarriedOutcome.DONE, CarriedOutcome.NO_LONGER_RELEVANT]))
        .order_by(Review.review_date)
    )
    with store.read() as session:
        connection = session.connection()
        actions = connection.execute(query).all()
        done_later: dict[str, tuple[date, int]] = {}
        dropped_later: dict[str, date] = {}
        for uid, when, review_id, outcome in connection.execute(done_query):
            if CarriedOutcome(outcome) is CarriedOutcome.DONE:
                done_later[uid] = (when, review_id)
            else:
                dropped_later[uid] = when
    rows: list[TrackerRow] = []
    for (action_id, review_id, uid, what, owner_name, org, deadline, priority, action_status,
         person, review_date) in actions:
        later = done_later.get(uid)
        dropped = dropped_later.get(uid) if later is None and action_status is not ActionStatus.DONE else None
        effective = effective_status(action_status, deadline, today, later is not None, dropped is not None)
        if status is not None and effective is not status:
            continue
        rows.append(
            TrackerRow(
                id=action_id, review_id=review_id, person_label=person, review_date=review_date, what=what,
                owner_name=owner_name, owner_organisation=org, deadline=deadline, priority=priority,
                status=action_status, effective_status=effective,
                done_in_review_date=later[0] if later and action_status is not ActionStatus.DONE else None,
                done_in_review_id=later[1] if later and action_status is not ActionStatus.DONE else None,
                dropped_in_review_date=dropped,
            )
        )
    return rows
