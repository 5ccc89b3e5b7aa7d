"""Recommendations and actions: what, why, who, by when."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import delete, func, select

from app.models import Action, Draft
from app.services import audit
from app.services.dto import ACTION_FIELDS, ActionData, ActionInput, Actor
from app.services.errors import NotFoundError, ValidationError
from app.services.reviews import check_date, load_review, touch
from app.services.store import Store

QUICK_DEADLINE_WEEKS: tuple[int, ...] = (2, 4, 6)


def quick_deadline(review_date: date, weeks: int) -> date:
    return review_date + timedelta(weeks=weeks)


def _to_data(row: Action) -> ActionData:
    return ActionData(
        id=row.id,
        review_id=row.review_id,
        position=row.position,
        created_at=row.created_at,
        updated_at=row.updated_at,
        **{name: getattr(row, name) for name in ACTION_FIELDS},
    )


def check_action(data: ActionInput) -> None:
    """What every stored action holds: some wording, and a deadline (if any) in the years a review has.

    Shared by the actions form (through validate_action) and bundle import.
    """
    if not data.what.strip():
        raise ValidationError("Say what will be done.")
    check_date(data.deadline, "deadline")


def validate_action(data: ActionInput, review_date: date) -> ActionInput:
    """An action as the form gives it: check_action, and a new deadline not before the review date.

    (The second rule is about entering a deadline: moving the review date later afterwards is
    allowed, so a stored action may have an earlier deadline.)
    """
    check_action(data)
    what = data.what.strip()
    if data.deadline is not None and data.deadline < review_date:
        raise ValidationError(
            f"The deadline {data.deadline:%d %b %Y} is before the review date "
            f"({review_date:%d %b %Y}); choose a later date."
        )
    return replace(
        data,
        what=what,
        why=data.why.strip(),
        owner_name=" ".join(data.owner_name.split()),
        owner_organisation=data.owner_organisation.strip(),
        completion_evidence=data.completion_evidence.strip(),
        easy_read=data.easy_read.strip(),
        different_this_time=data.different_this_time.strip(),
    )


def add_action(
    store: Store, review_id: int, data: ActionInput, actor: Actor, *, restore: ActionData | None = None,
    draft_key: str | None = None,
) -> ActionData:
    """Add an action; with draft_key, the editor's draft it came from is cleared in the same commit."""
    with store.write() as session:
        review = load_review(session, review_id)
        data = validate_action(data, review.review_date)
        if restore is not None:
            position = restore.position
        else:
            last = session.scalar(select(func.max(Action.position)).where(Action.review_id == review_id))
            position = 0 if last is None else last + 1
        now = store.now()
        row = Action(
            id=restore.id if restore else None,
            review_id=review_id,
            position=position,
            created_at=restore.created_at if restore else now,
            updated_at=now,
            **{name: getattr(data, name) for name in ACTION_FIELDS},
        )
        session.add(row)
        session.flush()
        touch(session, store, review_id)
        audit.record(session, store, actor, review_id, "restore" if restore else "add", "action", row.id)
        if draft_key is not None:
            session.execute(delete(Draft).where(Draft.review_id == review_id, Draft.key == draft_key))
        return _to_data(row)


def restore_action(store: Store, data: ActionData, actor: Actor) -> ActionData:
    return add_action(store, data.review_id, data.as_input(), actor, restore=data)


def update_action(store: Store, action_id: int, actor: Actor, **changes) -> ActionData:
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not action fields: {sorted(unknown)}")
    with store.write() as session:
        row = session.get(Action, action_id)
        if row is None:
            raise NotFoundError("That action has been deleted.")
        review = load_review(session, row.review_id)
        current = _to_data(row).as_input()
        merged = validate_action(replace(current, **changes), review.review_date)
        changed = [name for name in ACTION_FIELDS if getattr(row, name) != getattr(merged, name)]
        for name in changed:
            setattr(row, name, getattr(merged, name))
        if changed:
            row.updated_at = store.now()
            touch(session, store, row.review_id)
            audit.record(session, store, actor, row.review_id, "update", "action", row.id, changed)
        return _to_data(row)


def delete_action(store: Store, action_id: int, actor: Actor) -> ActionData:
    with store.write() as session:
        row = session.get(Action, action_id)
        if row is None:
            raise NotFoundError("That action has already been deleted.")
        data = _to_data(row)
        session.delete(row)
        touch(session, store, data.review_id)
        audit.record(session, store, actor, data.review_id, "delete", "action", data.id)
        return data


def list_actions(store: Store, review_id: int) -> list[ActionData]:
    with store.read() as session:
        rows = session.scalars(
            select(Action).where(Action.review_id == review_id).order_by(Action.position, Action.id)
        )
        return [_to_data(row) for row in rows]


def get_action(store: Store, action_id: int) -> ActionData:
    with store.read() as session:
        row = session.get(Action, action_id)
        if row is None:
            raise NotFoundError("That action has been deleted.")
        return _to_data(row)


def missing_owner_or_deadline(actions: list[ActionData]) -> list[ActionData]:
    return [a for a in actions if not a.owner_name or a.deadline is None]
