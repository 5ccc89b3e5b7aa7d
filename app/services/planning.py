"""Planning before the review day: notice given, the family consulted on the date, the pre-meeting
and the documents asked for (the checklist comes from the review's template, so a C(E)TR, a CETR
and an IC(E)TR ask for different papers).

Refused: a date outside 1900-2100 or after the review day, a date the family was consulted without
"yes". Warned, never refused: no family member or advocate on the attendance register.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.kloe import Template, TemplateRegistry
from app.models import Attendee, PlanningDocument, Review
from app.models.enums import DocumentStatus, YesNo
from app.services import audit
from app.services.dto import PLANNING_FIELDS, Actor, DocumentCheck, PlanningData, PlanningFields
from app.services.errors import ValidationError
from app.services.reviews import check_date, load_review, touch
from app.services.store import Store

# Register roles that count as the person's family or their advocate.
FAMILY_OR_ADVOCATE_ROLES = frozenset({"family_carer", "advocate"})
NO_FAMILY_OR_ADVOCATE = ("No family member or advocate is on the attendance register: invite them, "
                         "or record under People and consent why they will not be there.")
DATE_NAMES = {
    "notice_given_on": "date notice was given",
    "family_consulted_on": "date the family was consulted",
    "pre_meeting_on": "date of the pre-meeting",
}
STATUS_LABELS: dict[DocumentStatus, str] = {
    DocumentStatus.NOT_REQUESTED: "Not requested",
    DocumentStatus.REQUESTED: "Requested",
    DocumentStatus.RECEIVED: "Received",
    DocumentStatus.NOT_AVAILABLE: "Not available",
}


def _template(review: Review, registry: TemplateRegistry | None) -> Template:
    return (registry or TemplateRegistry.default()).get(review.template_id, review.template_version)


def _fields_of(review: Review) -> PlanningFields:
    return PlanningFields(**{name: getattr(review, name) for name in PLANNING_FIELDS})


def _planning(session: Session, review: Review, registry: TemplateRegistry | None) -> PlanningData:
    stored = dict(session.execute(
        select(PlanningDocument.document_id, PlanningDocument.status).where(PlanningDocument.review_id == review.id)
    ).all())
    documents = tuple(
        DocumentCheck(doc.id, doc.title, stored.get(doc.id, DocumentStatus.NOT_REQUESTED))
        for doc in _template(review, registry).documents
    )
    roles = set(session.scalars(select(Attendee.role).where(Attendee.review_id == review.id)))
    warnings = () if roles & FAMILY_OR_ADVOCATE_ROLES else (NO_FAMILY_OR_ADVOCATE,)
    return PlanningData(_fields_of(review), documents, warnings)


def get_planning(store: Store, review_id: int, registry: TemplateRegistry | None = None) -> PlanningData:
    with store.read() as session:
        return _planning(session, load_review(session, review_id), registry)


def validate_planning(fields: PlanningFields, review_date: date) -> PlanningFields:
    """The record as it will be stored (text trimmed), or ValidationError with one sentence."""
    for name, what in DATE_NAMES.items():
        value = getattr(fields, name)
        check_date(value, what)
        if value is not None and value > review_date:
            raise ValidationError(f"The {what} ({value:%d %b %Y}) cannot be after the review day "
                                  f"({review_date:%d %b %Y}).")
    if fields.family_consulted_on is not None and fields.family_consulted is not YesNo.YES:
        raise ValidationError("A date the family was consulted needs 'Yes' for whether they were consulted.")
    return replace(fields, notice_given_to=fields.notice_given_to.strip(), family_consulted=YesNo(fields.family_consulted))


def record_planning(store: Store, review_id: int, actor: Actor, **changes: Any) -> PlanningFields:
    """Change some planning fields in one unit of work; refused on a signed review. Audited by name."""
    unknown = set(changes) - set(PLANNING_FIELDS)
    if unknown:
        raise ValueError(f"not planning fields: {sorted(unknown)}")
    with store.write() as session:
        review = load_review(session, review_id)
        merged = validate_planning(replace(_fields_of(review), **changes), review.review_date)
        changed = [name for name in PLANNING_FIELDS if getattr(review, name) != getattr(merged, name)]
        if changed:
            touch(session, store, review_id)
            for name in changed:
                setattr(review, name, getattr(merged, name))
            audit.record(session, store, actor, review_id, "update", "planning", None, changed)
        return merged


def set_document_status(
    store: Store,
    review_id: int,
    actor: Actor,
    document_id: str,
    status: DocumentStatus,
    registry: TemplateRegistry | None = None,
) -> DocumentStatus:
    """Where one checklist document stands now; returns where it stood before (for undo)."""
    status = DocumentStatus(status)
    with store.write() as session:
        review = load_review(session, review_id)
        if document_id not in {doc.id for doc in _template(review, registry).documents}:
            raise ValidationError(f"'{document_id}' is not on this review type's list of documents.")
        row = session.scalar(select(PlanningDocument).where(
            PlanningDocument.review_id == review_id, PlanningDocument.document_id == document_id))
        before = row.status if row is not None else DocumentStatus.NOT_REQUESTED
        if before is status:
            return before
        touch(session, store, review_id)
        if row is None:
            session.add(PlanningDocument(review_id=review_id, document_id=document_id, status=status))
        else:
            row.status = status
        audit.record(session, store, actor, review_id, "update", "planning_document", None, [document_id])
        return before


def document_summary(planning: PlanningData) -> str:
    """"3 of 6 documents received" for the navigator and the report."""
    received = sum(1 for doc in planning.documents if doc.status is DocumentStatus.RECEIVED)
    return f"{received} of {len(planning.documents)} documents received"
