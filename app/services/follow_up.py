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
from app.models import Action, CarriedAction, Review, new_uid
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
from app.services.reviews import (
    check_date,
    insert_review,
    latest_template,
    load_review,
    to_data,
    touch,
    validate_setup,
)
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
        typed_in=row.typed_in,
        previous_chair=row.previous_chair,
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


OUTCOME_WORDS: dict[CarriedOutcome, str] = {
    CarriedOutcome.PENDING: "not yet recorded",
    CarriedOutcome.DONE: "done",
    CarriedOutcome.IN_PROGRESS: "partly done",
    CarriedOutcome.NOT_DONE: "not done",
    CarriedOutcome.NO_LONGER_RELEVANT: "no longer relevant",
}


def check_carried_outcome(outcome: CarriedOutcome, reason: str, *, evidence_for_done: bool = True) -> str:
    """The reason, spaces tidied. "Not done" needs the reason and "done" the evidence.

    Bundle import shares this rule without the evidence (`evidence_for_done=False`): bundles
    written before the evidence was asked for may hold "done" alone; completion asks for it then.
    """
    reason = " ".join((reason or "").split())
    if outcome is CarriedOutcome.NOT_DONE and not reason:
        raise ValidationError("Say why the action was not done.")
    if evidence_for_done and outcome is CarriedOutcome.DONE and not reason:
        raise ValidationError("Say what shows the action was done (the evidence).")
    return reason


def set_carried_outcome(
    store: Store, carried_id: int, outcome: CarriedOutcome | str, reason: str, actor: Actor
) -> CarriedActionData:
    """Record what became of an action from the previous review: "done" needs the evidence,
    "not done" the reason."""
    try:
        outcome = CarriedOutcome(outcome)
    except ValueError:
        raise ValidationError(
            f"'{outcome}' is not an outcome: choose done, partly done, not done or no longer relevant."
        ) from None
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


# Recommendations typed in from a paper report --------------------------------------------

PREVIOUS_CHAIR_MAX = 200


def _clean_typed_in(what: str, owner_name: str, owner_organisation: str, previous_chair: str,
                    deadline: date | None, previous_review_date: date | None) -> tuple[str, str, str, str]:
    """A typed-in recommendation's text tidied and checked (adding and editing share this)."""
    what = what.strip()
    if not what:
        raise ValidationError("Type the recommendation as the previous report words it.")
    owner_name = " ".join(owner_name.split())
    owner_organisation = " ".join(owner_organisation.split())
    previous_chair = " ".join(previous_chair.split())
    for value, label in ((owner_name, "owner"), (owner_organisation, "organisation"),
                         (previous_chair, "previous chair's name")):
        if len(value) > PREVIOUS_CHAIR_MAX:
            raise ValidationError(f"Keep the {label} under {PREVIOUS_CHAIR_MAX} characters.")
    check_date(deadline, "deadline")
    check_date(previous_review_date, "previous review's date")
    return what, owner_name, owner_organisation, previous_chair


def add_typed_in(
    store: Store,
    review_id: int,
    what: str,
    actor: Actor,
    *,
    owner_name: str = "",
    owner_organisation: str = "",
    deadline: date | None = None,
    previous_chair: str = "",
    previous_review_date: date | None = None,
    restore: CarriedActionData | None = None,
) -> CarriedActionData:
    """Add a recommendation of the previous review typed in from its paper report (that review is
    not in this database). It is followed up like a carried one and marked as typed in.
    `restore` puts back one removed by undo, with the same id and outcome."""
    what, owner_name, owner_organisation, previous_chair = _clean_typed_in(
        what, owner_name, owner_organisation, previous_chair, deadline, previous_review_date)
    with store.write() as session:
        review = touch(session, store, review_id)
        if previous_review_date is not None and previous_review_date >= review.review_date:
            raise ValidationError(
                f"The previous review must be before this one ({review.review_date:%d %b %Y}); check its date."
            )
        last = session.scalar(select(func.max(CarriedAction.position)).where(CarriedAction.review_id == review_id))
        row = CarriedAction(
            review_id=review_id,
            source_action_uid=restore.source_action_uid if restore else new_uid(),
            source_review_id=None,
            source_review_uid="",
            source_review_date=previous_review_date,
            what=what,
            owner_name=owner_name,
            owner_organisation=owner_organisation,
            deadline=deadline,
            outcome=restore.outcome if restore else CarriedOutcome.PENDING,
            reason=restore.reason if restore else "",
            typed_in=True,
            previous_chair=previous_chair,
            position=restore.position if restore else (0 if last is None else last + 1),
            updated_at=store.now(),
        )
        if restore is not None:
            row.id = restore.id
        session.add(row)
        session.flush()
        audit.record(session, store, actor, review_id, "restore" if restore else "add", "carried_action", row.id)
        return _carried_data(row)


TYPED_IN_FIELDS = ("what", "owner_name", "owner_organisation", "deadline", "previous_chair", "source_review_date")


def update_typed_in(store: Store, carried_id: int, actor: Actor, **changes) -> CarriedActionData:
    """Correct a typed-in recommendation (its wording, owner, deadline, the previous review's date
    and chair). A recommendation brought from a review in this database keeps its words."""
    unknown = set(changes) - set(TYPED_IN_FIELDS)
    if unknown:
        raise ValueError(f"not typed-in fields: {sorted(unknown)}")
    with store.write() as session:
        row = _load_carried(session, carried_id)
        if not row.typed_in:
            raise ValidationError("Only a recommendation typed in from a paper report can be changed.")
        review = touch(session, store, row.review_id)
        values = {name: changes.get(name, getattr(row, name)) for name in TYPED_IN_FIELDS}
        what, owner_name, owner_organisation, previous_chair = _clean_typed_in(
            values["what"], values["owner_name"], values["owner_organisation"], values["previous_chair"],
            values["deadline"], values["source_review_date"])
        if values["source_review_date"] is not None and values["source_review_date"] >= review.review_date:
            raise ValidationError(
                f"The previous review must be before this one ({review.review_date:%d %b %Y}); check its date."
            )
        values.update(what=what, owner_name=owner_name, owner_organisation=owner_organisation,
                      previous_chair=previous_chair)
        changed = [name for name in TYPED_IN_FIELDS if getattr(row, name) != values[name]]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            row.updated_at = store.now()
            audit.record(session, store, actor, row.review_id, "update", "carried_action", row.id, changed)
        return _carried_data(row, _forward_ids(session, row.review_id).get(row.source_action_uid))


def restore_typed_in(store: Store, data: CarriedActionData, actor: Actor) -> CarriedActionData:
    """Put back a typed-in recommendation removed (undo), with the same id, outcome and detail."""
    return add_typed_in(
        store, data.review_id, data.what, actor, owner_name=data.owner_name,
        owner_organisation=data.owner_organisation, deadline=data.deadline, previous_chair=data.previous_chair,
        previous_review_date=data.source_review_date, restore=data,
    )


def remove_typed_in(store: Store, carried_id: int, actor: Actor) -> CarriedActionData:
    """Remove a typed-in recommendation (one brought from a review in this database stays)."""
    with store.write() as session:
        row = _load_carried(session, carried_id)
        if not row.typed_in:
            raise ValidationError(
                "Only a recommendation typed in from a paper report can be removed; record its outcome instead."
            )
        touch(session, store, row.review_id)
        data = _carried_data(row)
        session.delete(row)
        audit.record(session, store, actor, data.review_id, "delete", "carried_action", data.id)
        return data


def repeated_carried(what: str, carried: list[CarriedActionData]) -> CarriedActionData | None:
    """The carried recommendation a new wording repeats (the most similar at or above the
    threshold), or None."""
    best: tuple[float, CarriedActionData] | None = None
    for row in carried:
        score = similarity(what, row.what)
        if score >= SIMILARITY_THRESHOLD and (best is None or score > best[0]):
            best = (score, row)
    return best[1] if best else None


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
            if row.outcome is CarriedOutcome.NO_LONGER_RELEVANT:
                raise ValidationError("That action is no longer relevant; there is nothing to carry forward.")
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
    "completion_evidence", "easy_read", "different_this_time",
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
    """For each action of this review worded like an action of an earlier review of the same person
    (or a recommendation typed in from the previous review's paper report):
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
        # Recommendations typed in from the previous review's paper report count too (when dated).
        earlier += session.execute(
            select(CarriedAction.source_action_uid, CarriedAction.what, CarriedAction.source_review_date)
            .where(CarriedAction.review_id == review_id, CarriedAction.typed_in.is_(True),
                   CarriedAction.source_review_date.is_not(None))
            .order_by(CarriedAction.position)
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
