"""Follow-up across a person's reviews: start the next review, bring in the previous review's
unfinished actions, record what became of each, and spot recommendations made before.

A person's reviews share `person_key`; a follow-up also names the review before it. Carried
actions are snapshots (wording, owner, date), so the record stands even if the earlier review is
later purged from this computer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from rapidfuzz import fuzz, utils
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.kloe import TemplateRegistry
from app.models import Action, CarriedAction, Review
from app.models.enums import ActionStatus, CarriedOutcome, Priority
from app.services import audit
from app.services.actions import _to_data as action_data
from app.services.dto import (
    SETUP_FIELDS,
    ActionData,
    Actor,
    CarriedActionData,
    ReviewData,
    ReviewSetup,
    SeriesReview,
)
from app.services.errors import NotFoundError, ValidationError
from app.services.reviews import insert_review, latest_template, load_review, to_data, touch, validate_setup
from app.services.store import Store

# Actions in these states are brought into the next review to be followed up.
UNFINISHED: frozenset[ActionStatus] = frozenset(
    {ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.OVERDUE, ActionStatus.ESCALATED}
)
# Set-up fields that describe the day rather than the person: not copied into a follow-up.
_PER_DAY_FIELDS = frozenset({"review_date", "environment_seen", "mode", "next_review_agreed", "requested_because"})
# rapidfuzz token_set_ratio at or above this counts as "recommended before".
SIMILARITY_THRESHOLD = 80.0
# Very short wording ("Review plan") matches too much by token sets; below this many words on
# either side only a near-identical wording counts.
MIN_WORDS_FOR_SET_MATCH = 3
# A carried-forward action gets this long before its new deadline, from the review date.
CARRY_FORWARD_WEEKS = 4


def _carried_data(row: CarriedAction, forward_id: int | None = None) -> CarriedActionData:
    return CarriedActionData(
        id=row.id,
        review_id=row.review_id,
        source_action_uid=row.source_action_uid,
        source_review_id=row.source_review_id,
        source_review_date=row.source_review_date,
        what=row.what,
        owner_name=row.owner_name,
        owner_organisation=row.owner_organisation,
        deadline=row.deadline,
        outcome=row.outcome,
        reason=row.reason,
        position=row.position,
        carried_forward_action_id=forward_id,
        easy_read=row.easy_read,
    )


# Starting a follow-up ----------------------------------------------------------------------


def follow_up_setup(store: Store, previous_review_id: int, review_date: date) -> ReviewSetup:
    """The set-up a follow-up starts from: the person's details copied, the new date, same type."""
    with store.read() as session:
        previous = load_review(session, previous_review_id)
        values = {name: getattr(previous, name) for name in SETUP_FIELDS if name not in _PER_DAY_FIELDS}
        return ReviewSetup(template_id=previous.template_id, review_date=review_date, **values)


def start_follow_up(
    store: Store,
    previous_review_id: int,
    setup: ReviewSetup | Mapping[str, Any],
    actor: Actor,
    *,
    registry: TemplateRegistry | None = None,
) -> ReviewData:
    """Create the next review in the person's series and carry in every unfinished action.

    `setup` is the whole set-up (as the new-review dialog returns it) or only the overrides to
    apply to the previous review's details (e.g. {"review_date": ..., "template_id": ...}).
    One unit of work: the new review and its carried actions commit together or not at all.
    """
    if not isinstance(setup, ReviewSetup):
        overrides = dict(setup)
        if "review_date" not in overrides:
            raise ValidationError("Give the date of the follow-up review.")
        base = follow_up_setup(store, previous_review_id, overrides["review_date"])
        unknown = set(overrides) - set(SETUP_FIELDS) - {"template_id"}
        if unknown:
            raise ValueError(f"not set-up fields: {sorted(unknown)}")
        setup = replace(base, **overrides)
    template = latest_template(setup.template_id, registry)
    setup = validate_setup(setup)
    with store.write() as session:
        previous = load_review(session, previous_review_id)
        if setup.review_date <= previous.review_date:
            raise ValidationError(
                f"A follow-up review must be after the previous review ({previous.review_date:%d %b %Y}); "
                "choose a later date."
            )
        review = insert_review(session, store, setup, template, actor)
        review.person_key = previous.person_key
        review.previous_review_id = previous.id
        review.previous_review_uid = previous.uid
        unfinished = session.scalars(
            select(Action)
            .where(Action.review_id == previous.id, Action.status.in_(list(UNFINISHED)))
            .order_by(Action.position, Action.id)
        )
        for position, action in enumerate(unfinished):
            session.add(
                CarriedAction(
                    review_id=review.id,
                    source_action_uid=action.uid,
                    source_review_id=previous.id,
                    source_review_uid=previous.uid,
                    source_review_date=previous.review_date,
                    what=action.what,
                    owner_name=action.owner_name,
                    owner_organisation=action.owner_organisation,
                    deadline=action.deadline,
                    easy_read=action.easy_read,
                    outcome=CarriedOutcome.PENDING,
                    position=position,
                    updated_at=store.now(),
                )
            )
        session.flush()
        audit.record(session, store, actor, review.id, "follow_up", "review", previous.id)
        return to_data(review)


# Carried actions ---------------------------------------------------------------------------


def _forward_ids(session: Session, review_id: int) -> dict[str, int]:
    """Source action uid -> the action in this review that carries it forward."""
    rows = session.execute(
        select(Action.carried_from_uid, Action.id).where(Action.review_id == review_id, Action.carried_from_uid != "")
    )
    return {uid: action_id for uid, action_id in rows}


def list_carried(store: Store, review_id: int) -> list[CarriedActionData]:
    with store.read() as session:
        forward = _forward_ids(session, review_id)
        rows = session.scalars(
            select(CarriedAction)
            .where(CarriedAction.review_id == review_id)
            .order_by(CarriedAction.position, CarriedAction.id)
        )
        return [_carried_data(row, forward.get(row.source_action_uid)) for row in rows]


def get_carried(store: Store, carried_id: int) -> CarriedActionData:
    with store.read() as session:
        row = _load_carried(session, carried_id)
        return _carried_data(row, _forward_ids(session, row.review_id).get(row.source_action_uid))


def _load_carried(session: Session, carried_id: int) -> CarriedAction:
    row = session.get(CarriedAction, carried_id)
    if row is None:
        raise NotFoundError("That action from the previous review is no longer here.")
    return row


def check_carried_outcome(outcome: CarriedOutcome, reason: str) -> str:
    """The reason, spaces tidied; "not done" needs one (the panel and bundle import share this rule)."""
    reason = " ".join((reason or "").split())
    if outcome is CarriedOutcome.NOT_DONE and not reason:
        raise ValidationError("Say why the action was not done.")
    return reason


def set_carried_outcome(
    store: Store, carried_id: int, outcome: CarriedOutcome | str, reason: str, actor: Actor
) -> CarriedActionData:
    """Record what became of an action from the previous review. "Not done" needs a reason."""
    try:
        outcome = CarriedOutcome(outcome)
    except ValueError:
        raise ValidationError(f"'{outcome}' is not an outcome: choose done, in progress or not done.") from None
    reason = check_carried_outcome(outcome, reason)
    with store.write() as session:
        row = _load_carried(session, carried_id)
        touch(session, store, row.review_id)  # refuses a signed (locked) review
        changed = [name for name, value in (("outcome", outcome), ("reason", reason)) if getattr(row, name) != value]
        if changed:
            row.outcome = outcome
            row.reason = reason
            row.updated_at = store.now()
            audit.record(session, store, actor, row.review_id, "update", "carried_action", row.id, changed)
        return _carried_data(row, _forward_ids(session, row.review_id).get(row.source_action_uid))


def carry_forward(
    store: Store, carried_id: int, actor: Actor, *, restore: ActionData | None = None
) -> ActionData:
    """Re-make an unfinished action from the previous review as a new action in this review.

    The new action names the one it continues (carried_from_uid), gets a fresh deadline four
    weeks after this review and high priority: it has already waited a whole review. `restore`
    puts back an action removed by undo, with the same id.
    """
    with store.write() as session:
        row = _load_carried(session, carried_id)
        review = touch(session, store, row.review_id)
        if restore is None:
            if row.outcome is CarriedOutcome.DONE:
                raise ValidationError("That action was done; there is nothing to carry forward.")
            existing = _forward_ids(session, row.review_id).get(row.source_action_uid)
            if existing is not None:
                raise ValidationError("That action is already carried forward as a new action in this review.")
        last = session.scalar(select(func.max(Action.position)).where(Action.review_id == row.review_id))
        now = store.now()
        if restore is not None:
            action = Action(
                id=restore.id, review_id=row.review_id, position=restore.position,
                created_at=restore.created_at, updated_at=now, carried_from_uid=row.source_action_uid,
                **{name: getattr(restore, name) for name in _ACTION_INPUT_FIELDS},
            )
        else:
            since = f" since the review of {row.source_review_date:%d %B %Y}" if row.source_review_date else ""
            why = f"Not done{since}." + (f" {row.reason}" if row.reason else "")
            action = Action(
                review_id=row.review_id,
                position=0 if last is None else last + 1,
                what=row.what,
                why=why,
                owner_name=row.owner_name,
                owner_organisation=row.owner_organisation,
                deadline=review.review_date + timedelta(weeks=CARRY_FORWARD_WEEKS),
                priority=Priority.HIGH,
                status=ActionStatus.OPEN,
                carried_from_uid=row.source_action_uid,
                created_at=now,
                updated_at=now,
            )
        session.add(action)
        session.flush()
        audit.record(session, store, actor, row.review_id, "restore" if restore else "carry_forward", "action",
                     action.id)
        return action_data(action)


_ACTION_INPUT_FIELDS: tuple[str, ...] = (
    "what", "why", "owner_name", "owner_organisation", "deadline", "priority", "status", "section_id",
    "completion_evidence", "easy_read",
)


# The person's series -----------------------------------------------------------------------


def series(store: Store, review_id: int) -> list[SeriesReview]:
    """Every review of the same person in this database, oldest first."""
    with store.read() as session:
        key = load_review(session, review_id).person_key
        rows = session.scalars(
            select(Review).where(Review.person_key == key).order_by(Review.review_date, Review.id)
        )
        return [
            SeriesReview(r.id, r.review_date, r.template_id, r.status, r.locked_at is not None, r.previous_review_id)
            for r in rows
        ]


# "Recommended before" ----------------------------------------------------------------------


def similarity(a: str, b: str) -> float:
    """How alike two action wordings are, 0-100 (rapidfuzz token_set_ratio, case and punctuation ignored)."""
    left, right = utils.default_process(a), utils.default_process(b)
    if not left or not right:
        return 0.0
    if min(len(left.split()), len(right.split())) < MIN_WORDS_FOR_SET_MATCH:
        # Token sets make any short wording a "subset" of a long one: compare whole strings instead.
        return fuzz.ratio(left, right)
    return fuzz.token_set_ratio(left, right)


def similar_earlier(store: Store, review_id: int) -> dict[int, tuple[date, str]]:
    """For each action of this review worded like an action of an earlier review of the same person:
    {action id: (that earlier review's date, the earlier wording)}. The most similar wins; on a tie,
    the most recent. An action carried forward always matches the one it continues."""
    with store.read() as session:
        review = load_review(session, review_id)
        mine = session.execute(
            select(Action.id, Action.what, Action.carried_from_uid).where(Action.review_id == review_id)
        ).all()
        if not mine:
            return {}
        earlier = session.execute(
            select(Action.uid, Action.what, Review.review_date)
            .join(Review, Review.id == Action.review_id)
            .where(Review.person_key == review.person_key, Review.review_date < review.review_date)
            .order_by(Review.review_date.desc(), Action.position)
        ).all()
    by_uid = {uid: (when, what) for uid, what, when in earlier}
    found: dict[int, tuple[date, str]] = {}
    for action_id, what, carried_from in mine:
        if carried_from and carried_from in by_uid:
            found[action_id] = by_uid[carried_from]
            continue
        best: tuple[float, date, str] | None = None
        for _uid, earlier_what, when in earlier:
            score = similarity(what, earlier_what)
            if score >= SIMILARITY_THRESHOLD and (best is None or score > best[0]):
                best = (score, when, earlier_what)
        if best is not None:
            found[action_id] = (best[1], best[2])
    return found
