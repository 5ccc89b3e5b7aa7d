"""Setting up a review, reading it back, listing reviews and completing one."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.kloe import Template, TemplateRegistry
from app.models import Action, CarriedAction, HeadlineResponse, Note, Review, SectionState
from app.models.enums import CarriedOutcome, CqcRating, EscalationRequester, ReviewStatus, SecureLevel, YesNo
from app.services import audit, escalation
from app.services.dto import (
    DECISION_COLUMNS,
    FEEDBACK_FIELDS,
    SETUP_FIELDS,
    Actor,
    EscalationDecisionData,
    FeedbackData,
    ReviewData,
    ReviewSetup,
    ReviewSummary,
)
from app.services.errors import NotFoundError, ReviewLockedError, ValidationError
from app.services.store import Store

PERSON_LABEL_MAX = 120
DECLINED_BEFORE_MAX = 99
# The years any date in a review can have (birth, admission, the review, a deadline); the app's
# date fields offer the same range.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def check_date(value: date | None, what: str) -> None:
    """Refuse a date outside the years a review can have; `what` names the field ("date of birth")."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            f"The {what} must be between {EARLIEST_DATE.year} and {LATEST_DATE.year} ({value:%d %b %Y} given)."
        )


def _templates(registry: TemplateRegistry | None) -> TemplateRegistry:
    return registry or TemplateRegistry.default()


def validate_setup(setup: ReviewSetup) -> ReviewSetup:
    label = setup.person_label.strip()
    if not label:
        raise ValidationError("Enter the person's initials or a pseudonym.")
    if len(label) > PERSON_LABEL_MAX:
        raise ValidationError(f"Keep the person's pseudonym under {PERSON_LABEL_MAX} characters.")
    check_date(setup.review_date, "review date")
    check_date(setup.date_of_birth, "date of birth")
    check_date(setup.admission_date, "admission date")
    if setup.date_of_birth and setup.date_of_birth > setup.review_date:
        raise ValidationError("The date of birth is after the review date.")
    if setup.admission_date and setup.admission_date > setup.review_date:
        raise ValidationError("The admission date is after the review date.")
    if setup.date_of_birth and setup.admission_date and setup.admission_date < setup.date_of_birth:
        raise ValidationError("The admission date is before the date of birth.")
    if not 0 <= setup.declined_before <= DECLINED_BEFORE_MAX:
        raise ValidationError(f"Reviews declined before must be a whole number from 0 to {DECLINED_BEFORE_MAX}.")
    requested = setup.escalation_requested_by.split()
    unknown = [word for word in requested if word not in {r.value for r in EscalationRequester}]
    if unknown:
        raise ValidationError("Escalation can be requested by the person, family, commissioner or advocate only.")
    ordered = " ".join(r.value for r in EscalationRequester if r.value in requested)
    _check_process_dates(setup)
    return _derived(replace(setup, person_label=label, escalation_requested_by=ordered,
                            unit=setup.unit.strip(), requested_because=setup.requested_because.strip()))


def _check_process_dates(setup: ReviewSetup) -> None:
    """The dates of segregation, discharge and the next review, against the review's other dates."""
    born, admitted, day = setup.date_of_birth, setup.admission_date, setup.review_date
    started = setup.segregation_started
    if started is not None:
        if started > day:
            raise ValidationError("The segregation start date is after the review date.")
        if born and started < born:
            raise ValidationError("The segregation start date is before the date of birth.")
        if admitted and started < admitted:
            raise ValidationError("The segregation start date is before the admission date.")
    discharged = setup.discharge_date
    if discharged is not None:
        if discharged > day:
            raise ValidationError("The discharge date is after the review date.")
        if born and discharged < born:
            raise ValidationError("The discharge date is before the date of birth.")
        if setup.readmission is YesNo.YES and admitted and discharged >= admitted:
            raise ValidationError(
                "For a readmission, the discharge date is the last discharge before this admission: "
                "it must be before the admission date."
            )
    if setup.next_review_agreed is not None and setup.next_review_agreed <= day:
        raise ValidationError("The next review date agreed must be after the review date.")


def _derived(setup: ReviewSetup) -> ReviewSetup:
    """Keep the old ticks in step with the secure level and the CQC rating they are derived from.

    A tick given without its detail (an older caller or bundle) becomes "secure, level not
    recorded" or the rating "inadequate".
    """
    level, rating = setup.secure_level, setup.cqc_rating
    if setup.secure and level is SecureLevel.NONE:
        level = SecureLevel.SECURE
    if setup.ward_rated_inadequate and rating is CqcRating.NOT_RECORDED:
        rating = CqcRating.INADEQUATE
    return replace(setup, secure_level=level, secure=level is not SecureLevel.NONE, cqc_rating=rating,
                   ward_rated_inadequate=rating is CqcRating.INADEQUATE)


def _tick_changes(current: ReviewSetup, changes: dict[str, Any]) -> dict[str, Any]:
    """A change to an old tick alone becomes a change to the detail it is derived from."""
    changes = dict(changes)
    # The detail wins when it is given; the tick follows it.
    if "secure_level" in changes:
        changes["secure"] = changes["secure_level"] is not SecureLevel.NONE
    if "cqc_rating" in changes:
        changes["ward_rated_inadequate"] = changes["cqc_rating"] is CqcRating.INADEQUATE
    if "secure" in changes and "secure_level" not in changes:
        if not changes["secure"]:
            changes["secure_level"] = SecureLevel.NONE
        elif current.secure_level is SecureLevel.NONE:
            changes["secure_level"] = SecureLevel.SECURE
    if "ward_rated_inadequate" in changes and "cqc_rating" not in changes:
        if changes["ward_rated_inadequate"]:
            changes["cqc_rating"] = CqcRating.INADEQUATE
        elif current.cqc_rating is CqcRating.INADEQUATE:
            changes["cqc_rating"] = CqcRating.NOT_RECORDED
    return changes


def _setup_of(review: Review) -> ReviewSetup:
    return ReviewSetup(
        template_id=review.template_id,
        **{name: getattr(review, name) for name in SETUP_FIELDS},
    )


def to_data(review: Review) -> ReviewData:
    return ReviewData(
        id=review.id,
        uid=review.uid,
        template_id=review.template_id,
        template_version=review.template_version,
        status=review.status,
        setup=_setup_of(review),
        consent_basis=review.consent_basis,
        consent_detail=review.consent_detail,
        consent_recorded_by=review.consent_recorded_by,
        consent_recorded_at=review.consent_recorded_at,
        locked_at=review.locked_at,
        created_at=review.created_at,
        updated_at=review.updated_at,
        decision=EscalationDecisionData(**{name: getattr(review, column) for name, column in DECISION_COLUMNS.items()}),
        feedback=FeedbackData(**{name: getattr(review, name) for name in FEEDBACK_FIELDS}),
    )


def load_review(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFoundError(f"There is no review with id {review_id}.")
    return review


def create_review(
    store: Store, setup: ReviewSetup, actor: Actor, *, registry: TemplateRegistry | None = None
) -> ReviewData:
    """Create a review pinned to the newest version of its template, with its agenda."""
    template = latest_template(setup.template_id, registry)
    setup = validate_setup(setup)
    with store.write() as session:
        return to_data(insert_review(session, store, setup, template, actor))


def latest_template(template_id: str, registry: TemplateRegistry | None = None) -> Template:
    try:
        return _templates(registry).latest(template_id)
    except KeyError:
        raise ValidationError(f"Unknown review type '{template_id}'.") from None


def insert_review(session: Session, store: Store, setup: ReviewSetup, template: Template, actor: Actor) -> Review:
    """Add a new review (a validated set-up) with its agenda and headline questions, inside a unit of work."""
    now = store.now()
    uid = str(uuid.uuid4())
    review = Review(
        uid=uid,
        person_key=uid,  # a new series; a follow-up review joins its predecessor's
        template_id=template.id,
        template_version=template.version,
        status=ReviewStatus.DRAFT,
        created_at=now,
        updated_at=now,
        **{name: getattr(setup, name) for name in SETUP_FIELDS},
    )
    session.add(review)
    session.flush()
    for position, section in enumerate(template.sections):
        session.add(
            SectionState(
                review_id=review.id,
                section_id=section.id,
                position=position,
                planned_minutes=section.minutes,
                lead_role=section.lead_role,
            )
        )
    for question in template.headline_questions:
        session.add(HeadlineResponse(review_id=review.id, question_id=question.id))
    audit.record(session, store, actor, review.id, "create", "review", review.id)
    return review


def get_review(store: Store, review_id: int) -> ReviewData:
    with store.read() as session:
        return to_data(load_review(session, review_id))


def template_for(review: ReviewData, registry: TemplateRegistry | None = None) -> Template:
    """The template version the review was started with, so old reviews still render."""
    return _templates(registry).get(review.template_id, review.template_version)


def update_setup(store: Store, review_id: int, actor: Actor, **changes: Any) -> ReviewData:
    unknown = set(changes) - set(SETUP_FIELDS)
    if unknown:
        raise ValueError(f"not set-up fields: {sorted(unknown)}")
    with store.write() as session:
        review = load_review(session, review_id)
        check_unlocked(review)
        current = _setup_of(review)
        merged = validate_setup(replace(current, **_tick_changes(current, changes)))
        changed = [name for name in SETUP_FIELDS if getattr(review, name) != getattr(merged, name)]
        if not changed:
            return to_data(review)
        for name in changed:
            setattr(review, name, getattr(merged, name))
        review.updated_at = store.now()
        audit.record(session, store, actor, review_id, "update", "review", review_id, changed)
        return to_data(review)


REPORT_OVERDUE = "report overdue"


def list_reviews(store: Store, registry: TemplateRegistry | None = None, *, today: date | None = None,
                 report_due_working_days: int = 10) -> list[ReviewSummary]:
    """Every review, newest first, with its flags: the escalation criteria met, "consent not
    recorded", and "report overdue" when the final report's due day has passed with no copy sent."""
    from app.services import after_day

    templates = _templates(registry)
    today = today or store.now().date()
    with store.read() as session:
        note_counts = dict(
            session.execute(select(Note.review_id, func.count()).group_by(Note.review_id)).all()
        )
        action_counts = dict(
            session.execute(select(Action.review_id, func.count()).group_by(Action.review_id)).all()
        )
        reviews = list(session.scalars(select(Review).order_by(Review.review_date.desc(), Review.id.desc())))
        assessments = escalation.assess_many(session, reviews)
        timelines = after_day.timelines(session, reviews, today=today, working_days=report_due_working_days)
        summaries = []
        for review in reviews:
            try:
                title = templates.get(review.template_id, review.template_version).short_title
            except KeyError:
                title = f"{review.template_id} v{review.template_version}"
            flags = [escalation.SHORT_LABELS[code] for code in assessments[review.id].codes]
            if review.consent_basis.value == "not_recorded":
                flags.append("consent not recorded")
            timeline = timelines[review.id]
            if timeline.overdue:
                flags.insert(0, REPORT_OVERDUE)  # first: the one thing due now, not cut off at the column's end
            setting = (", ".join(part for part in (review.hospital, review.unit, review.ward) if part)
                       or review.setting_kind.value)
            summaries.append(
                ReviewSummary(
                    id=review.id,
                    template_id=review.template_id,
                    template_version=review.template_version,
                    template_title=title,
                    person_label=review.person_label,
                    review_date=review.review_date,
                    setting=setting,
                    status=review.status,
                    notes=note_counts.get(review.id, 0),
                    actions=action_counts.get(review.id, 0),
                    flags=tuple(flags),
                    unit=review.unit,
                    cqc_rating=review.cqc_rating,
                    secure_level=review.secure_level,
                    segregation_started=review.segregation_started,
                    next_review_agreed=review.next_review_agreed,
                    escalation_decision=review.escalation_decision,
                    report_due=timeline.due,
                    report_sent_on=timeline.sent_on,
                )
            )
        return summaries


def completion_problems(store: Store, review_id: int) -> list[str]:
    """Why the review cannot be marked complete yet; empty when it can."""
    with store.read() as session:
        review = load_review(session, review_id)
        problems: list[str] = []
        if not to_data(review).consent_recorded:
            problems.append("Record the consent basis.")
        actions = session.scalars(select(Action).where(Action.review_id == review_id).order_by(Action.position))
        no_why: list[str] = []
        for number, action in enumerate(actions, start=1):
            missing = []
            if not action.owner_name.strip():
                missing.append("an owner")
            if action.deadline is None:
                missing.append("a deadline")
            if missing:
                problems.append(f"Action {number} ({_short(action.what)}) needs {' and '.join(missing)}.")
            # The easy-read report tells the person each action in their words, never the panel's.
            if not action.easy_read.strip():
                problems.append(f"Action {number} ({_short(action.what)}) needs plain words for the easy read.")
            if not action.why.strip():
                no_why.append(f"{number} ({_short(action.what)})")
        if no_why:
            which = f"action {no_why[0]}" if len(no_why) == 1 else "actions " + ", ".join(no_why)
            problems.append(f"Say why (the rationale) for {which}.")
        carried = list(session.scalars(
            select(CarriedAction).where(CarriedAction.review_id == review_id)
            .order_by(CarriedAction.position, CarriedAction.id)
        ))
        pending = [f"“{_short(row.what)}”" for row in carried if row.outcome is CarriedOutcome.PENDING]
        if pending:
            problems.append(
                "Record the outcome of the previous review's "
                + ("recommendation " if len(pending) == 1 else "recommendations ")
                + ", ".join(pending) + " (done, partly done, not done or no longer relevant)."
            )
        for row in carried:
            if row.outcome is CarriedOutcome.DONE and not row.reason.strip():
                problems.append(f"Give the evidence that “{_short(row.what)}” was done.")
            if row.outcome is CarriedOutcome.NOT_DONE and not row.reason.strip():
                problems.append(f"Say why “{_short(row.what)}” was not done.")
        return problems


def set_status(store: Store, review_id: int, status: ReviewStatus, actor: Actor) -> ReviewData:
    if status is ReviewStatus.COMPLETE:
        problems = completion_problems(store, review_id)
        if problems:
            raise ValidationError("The review cannot be marked complete yet: " + " ".join(problems))
    with store.write() as session:
        review = load_review(session, review_id)
        if review.status is not status:
            review.status = status
            review.updated_at = store.now()
            audit.record(session, store, actor, review_id, "status", "review", review_id, ["status"])
        return to_data(review)


LOCKED_MESSAGE = "The review is signed and locked. To change it, start an amendment and give the reason."


def check_unlocked(review: Review) -> None:
    if review.locked_at is not None:
        raise ReviewLockedError(LOCKED_MESSAGE)


def touch(session: Session, store: Store, review_id: int) -> Review:
    """Mark a review as changed now; a draft becomes in progress at its first edit.

    Every change to a review's content passes through here, so this is also where a signed
    (locked) review refuses changes.
    """
    review = load_review(session, review_id)
    check_unlocked(review)
    review.updated_at = store.now()
    if review.status is ReviewStatus.DRAFT:
        review.status = ReviewStatus.IN_PROGRESS
    return review


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def review_date_of(session: Session, review_id: int) -> date:
    return load_review(session, review_id).review_date
