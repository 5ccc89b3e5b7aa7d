"""After the review day: the factual accuracy check and sending the report out.

The draft report goes to the provider and the commissioner to check for factual accuracy (a
`ReportCopy` of stage "draft": who, how, when); the corrections they ask for are recorded with the
panel's decision (accepted, or declined with a reason). The final report's copies are the
distribution log (stage "final"). The final report is due a number of working days after the review
day (`Settings.report_due_working_days`, 10 by default: two weeks); it is overdue when that day has
passed and no final copy was sent.

The draft's copies and the corrections belong to the report (its appendix), so a signed review
refuses them like any change; the distribution of the final report is recorded after signing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AccuracyCorrection, ReportCopy, Review
from app.models.enums import CirculationStage, CorrectionDecision, DeliveryMethod
from app.services import audit
from app.services.dto import Actor, CorrectionData, ReportCopyData, ReportTimeline
from app.services.errors import NotFoundError, ValidationError
from app.services.reviews import check_date, load_review, touch
from app.services.store import Store
from app.services.working_days import add_working_days

DEFAULT_DUE_WORKING_DAYS = 10
METHOD_LABELS: dict[DeliveryMethod, str] = {
    DeliveryMethod.SECURE_EMAIL: "Secure email",
    DeliveryMethod.EMAIL: "Email",
    DeliveryMethod.POST: "Post",
    DeliveryMethod.BY_HAND: "By hand",
    DeliveryMethod.OTHER: "Other",
}
DECISION_LABELS: dict[CorrectionDecision, str] = {
    CorrectionDecision.PENDING: "Not decided yet",
    CorrectionDecision.ACCEPTED: "Accepted",
    CorrectionDecision.DECLINED: "Declined",
}
COPY_FIELDS = ("stage", "recipient", "organisation", "method", "sent_on")
CORRECTION_FIELDS = ("requested_by", "requested_on", "what", "decision", "reason")


# The due date ----------------------------------------------------------------------------------


def report_due_on(review_date: date, working_days: int = DEFAULT_DUE_WORKING_DAYS) -> date:
    """The day the final report is due: `working_days` working days after the review day."""
    return add_working_days(review_date, working_days)


def _timeline(review_date: date, sent_on: date | None, today: date, working_days: int) -> ReportTimeline:
    due = report_due_on(review_date, working_days)
    return ReportTimeline(due=due, sent_on=sent_on, overdue=sent_on is None and today > due)


def first_final_sent(session: Session, review_ids: Iterable[int] | None = None) -> dict[int, date]:
    """The day each review's final report was first sent, for those sent (one query)."""
    query = (select(ReportCopy.review_id, func.min(ReportCopy.sent_on))
             .where(ReportCopy.stage == CirculationStage.FINAL).group_by(ReportCopy.review_id))
    if review_ids is not None:
        query = query.where(ReportCopy.review_id.in_(list(review_ids)))
    return dict(session.execute(query).all())


def timelines(session: Session, reviews: Iterable[Review], *, today: date,
              working_days: int = DEFAULT_DUE_WORKING_DAYS) -> dict[int, ReportTimeline]:
    """Each review's report timeline, in one query (the review list, the oversight summary)."""
    sent = first_final_sent(session)
    return {review.id: _timeline(review.review_date, sent.get(review.id), today, working_days) for review in reviews}


def report_timeline(store: Store, review_id: int, *, today: date | None = None,
                    working_days: int = DEFAULT_DUE_WORKING_DAYS) -> ReportTimeline:
    with store.read() as session:
        review = load_review(session, review_id)
        sent = first_final_sent(session, [review_id]).get(review_id)
        return _timeline(review.review_date, sent, today or store.now().date(), working_days)


# Copies sent out ---------------------------------------------------------------------------------


def _copy_data(row: ReportCopy) -> ReportCopyData:
    return ReportCopyData(id=row.id, uid=row.uid, review_id=row.review_id, stage=row.stage, recipient=row.recipient,
                          organisation=row.organisation, method=row.method, sent_on=row.sent_on,
                          created_at=row.created_at)


def _check_sent_on(sent_on: date | None, review_date: date, today: date | None) -> date:
    if sent_on is None:
        raise ValidationError("Give the date the report was sent.")
    check_date(sent_on, "date the report was sent")
    if sent_on < review_date:
        raise ValidationError(f"The report cannot have been sent ({sent_on:%d %b %Y}) before the review day "
                              f"({review_date:%d %b %Y}).")
    if today is not None and sent_on > today:
        raise ValidationError(f"The date the report was sent ({sent_on:%d %b %Y}) is in the future.")
    return sent_on


def check_copy(values: dict[str, Any], review_date: date) -> None:
    """The rules for a copy sent, on plain values (bundle import; its date may be after this computer's today)."""
    if not " ".join(str(values["recipient"]).split()):
        raise ValidationError("Say who the report was sent to.")
    _check_sent_on(values["sent_on"], review_date, None)


def check_correction(values: dict[str, Any], review_date: date) -> None:
    """The rules for a correction, on plain values (bundle import)."""
    _clean_correction(values, review_date, None)


def _entity(stage: CirculationStage) -> str:
    return "draft_copy" if stage is CirculationStage.DRAFT else "distribution"


def add_copy(
    store: Store,
    review_id: int,
    actor: Actor,
    *,
    stage: CirculationStage,
    recipient: str,
    organisation: str = "",
    method: DeliveryMethod = DeliveryMethod.SECURE_EMAIL,
    sent_on: date | None,
    restore: ReportCopyData | None = None,
) -> ReportCopyData:
    """Record a copy sent. The draft's copies are refused on a signed review; the final's are not."""
    stage, method = CirculationStage(stage), DeliveryMethod(method)
    recipient = " ".join(recipient.split())
    if not recipient:
        raise ValidationError("Say who the report was sent to.")
    with store.write() as session:
        review = load_review(session, review_id)
        sent_on = _check_sent_on(sent_on, review.review_date, store.now().date())
        if stage is CirculationStage.DRAFT:
            touch(session, store, review_id)
        row = ReportCopy(review_id=review_id, stage=stage, recipient=recipient, organisation=organisation.strip(),
                         method=method, sent_on=sent_on, created_at=store.now())
        if restore is not None:
            row.id, row.uid, row.created_at = restore.id, restore.uid, restore.created_at
        session.add(row)
        session.flush()
        audit.record(session, store, actor, review_id, "restore" if restore else "add", _entity(stage), row.id)
        return _copy_data(row)


def restore_copy(store: Store, data: ReportCopyData, actor: Actor) -> ReportCopyData:
    return add_copy(store, data.review_id, actor, stage=data.stage, recipient=data.recipient,
                    organisation=data.organisation, method=data.method, sent_on=data.sent_on, restore=data)


def delete_copy(store: Store, copy_id: int, actor: Actor) -> ReportCopyData:
    """Remove a copy from the record; returns it so it can be restored (undo)."""
    with store.write() as session:
        row = session.get(ReportCopy, copy_id)
        if row is None:
            raise NotFoundError("That copy of the report is no longer recorded.")
        data = _copy_data(row)
        if data.stage is CirculationStage.DRAFT:
            touch(session, store, data.review_id)
        session.delete(row)
        audit.record(session, store, actor, data.review_id, "remove", _entity(data.stage), data.id)
        return data


def list_copies(store: Store, review_id: int, stage: CirculationStage | None = None) -> list[ReportCopyData]:
    with store.read() as session:
        query = select(ReportCopy).where(ReportCopy.review_id == review_id)
        if stage is not None:
            query = query.where(ReportCopy.stage == stage)
        return [_copy_data(r) for r in session.scalars(query.order_by(ReportCopy.sent_on, ReportCopy.id))]


# Corrections asked for in the accuracy check ---------------------------------------------------------


def _correction_data(row: AccuracyCorrection) -> CorrectionData:
    return CorrectionData(id=row.id, uid=row.uid, review_id=row.review_id, requested_by=row.requested_by,
                          requested_on=row.requested_on, what=row.what, decision=row.decision, reason=row.reason,
                          created_at=row.created_at)


def _clean_correction(values: dict[str, Any], review_date: date, today: date | None) -> dict[str, Any]:
    values = dict(values)
    values["requested_by"] = " ".join(str(values["requested_by"]).split())
    values["what"] = str(values["what"]).strip()
    values["reason"] = str(values["reason"]).strip()
    values["decision"] = CorrectionDecision(values["decision"])
    if not values["requested_by"]:
        raise ValidationError("Say who asked for the correction.")
    if not values["what"]:
        raise ValidationError("Say what correction was asked for.")
    asked = values["requested_on"]
    check_date(asked, "date the correction was asked for")
    if asked is not None and asked < review_date:
        raise ValidationError(f"A correction cannot have been asked for ({asked:%d %b %Y}) before the review day "
                              f"({review_date:%d %b %Y}).")
    if asked is not None and today is not None and asked > today:
        raise ValidationError(f"The date the correction was asked for ({asked:%d %b %Y}) is in the future.")
    if values["decision"] is CorrectionDecision.DECLINED and not values["reason"]:
        raise ValidationError("Give the reason the correction was declined.")
    return values


def add_correction(
    store: Store,
    review_id: int,
    actor: Actor,
    *,
    requested_by: str,
    what: str,
    requested_on: date | None = None,
    decision: CorrectionDecision = CorrectionDecision.PENDING,
    reason: str = "",
    restore: CorrectionData | None = None,
) -> CorrectionData:
    """Record a correction asked for; refused on a signed review (it belongs to the report)."""
    with store.write() as session:
        review = load_review(session, review_id)
        values = _clean_correction({"requested_by": requested_by, "what": what, "requested_on": requested_on,
                                    "decision": decision, "reason": reason}, review.review_date, store.now().date())
        touch(session, store, review_id)
        row = AccuracyCorrection(review_id=review_id, created_at=store.now(), **values)
        if restore is not None:
            row.id, row.uid, row.created_at = restore.id, restore.uid, restore.created_at
        session.add(row)
        session.flush()
        audit.record(session, store, actor, review_id, "restore" if restore else "add", "correction", row.id)
        return _correction_data(row)


def restore_correction(store: Store, data: CorrectionData, actor: Actor) -> CorrectionData:
    return add_correction(store, data.review_id, actor, requested_by=data.requested_by, what=data.what,
                          requested_on=data.requested_on, decision=data.decision, reason=data.reason, restore=data)


def update_correction(store: Store, correction_id: int, actor: Actor, **changes: Any) -> CorrectionData:
    unknown = set(changes) - set(CORRECTION_FIELDS)
    if unknown:
        raise ValueError(f"not correction fields: {sorted(unknown)}")
    with store.write() as session:
        row = session.get(AccuracyCorrection, correction_id)
        if row is None:
            raise NotFoundError("That correction is no longer recorded.")
        review = load_review(session, row.review_id)
        current = {name: getattr(row, name) for name in CORRECTION_FIELDS}
        values = _clean_correction({**current, **changes}, review.review_date, store.now().date())
        changed = [name for name in CORRECTION_FIELDS if current[name] != values[name]]
        if changed:
            touch(session, store, row.review_id)
            for name in changed:
                setattr(row, name, values[name])
            audit.record(session, store, actor, row.review_id, "update", "correction", row.id, changed)
        return _correction_data(row)


def delete_correction(store: Store, correction_id: int, actor: Actor) -> CorrectionData:
    with store.write() as session:
        row = session.get(AccuracyCorrection, correction_id)
        if row is None:
            raise NotFoundError("That correction is no longer recorded.")
        data = _correction_data(row)
        touch(session, store, data.review_id)
        session.delete(row)
        audit.record(session, store, actor, data.review_id, "remove", "correction", data.id)
        return data


def list_corrections(store: Store, review_id: int) -> list[CorrectionData]:
    with store.read() as session:
        rows = session.scalars(select(AccuracyCorrection).where(AccuracyCorrection.review_id == review_id)
                               .order_by(AccuracyCorrection.id))
        return [_correction_data(r) for r in rows]
