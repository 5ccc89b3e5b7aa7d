"""Writing a bundle document into a database: as a new review, or over an existing one.

Both run inside one unit of work: a refusal part-way leaves the database as it was.
"""

from __future__ import annotations

import base64

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.bundle.document import (
    ACTION_FIELDS,
    ACTION_OPTIONAL_FIELDS,
    ATTENDEE_FIELDS,
    AUDIT_FIELDS,
    CARRIED_FIELDS,
    CARRIED_OPTIONAL_FIELDS,
    CONSENT_FIELDS,
    COPY_FIELDS,
    CORRECTION_FIELDS,
    ENTRY_FIELDS,
    HEADLINE_FIELDS,
    NOTE_FIELDS,
    OPTIONAL_UID_PARTS,
    PLANNING_DOCUMENT_FIELDS,
    REVISION_FIELDS,
    SECTION_FIELDS,
    SIGNOFF_FIELDS,
    UID_PARTS,
    BundleError,
    _entity_refs,
    column_value,
    part_of,
    review_values,
    with_optional,
)
from app.bundle.rules import check_rules
from app.bundle.validate import check_document
from app.kloe import Template, TemplateRegistry
from app.models import (
    AccuracyCorrection,
    Action,
    Attendee,
    AuditEvent,
    CarriedAction,
    HeadlineResponse,
    Note,
    PlanningDocument,
    ReportCopy,
    ReportRevision,
    Review,
    SectionEntry,
    SectionState,
    Signoff,
)
from app.services import audit
from app.services.dto import Actor
from app.services.errors import NotFoundError, ValidationError
from app.services.store import Store

ALREADY_HERE = "This review is already in the database, so it was not imported again."
# Tables whose rows carry a uid that must be unique in the whole database.
_UID_TABLES = tuple(zip(UID_PARTS + OPTIONAL_UID_PARTS,
                       (Attendee, Note, SectionEntry, Action, CarriedAction, ReportCopy, AccuracyCorrection),
                       strict=True))
# Everything a review owns apart from its audit trail and merges, deleted before a replace.
_CONTENT_TABLES = (Attendee, Note, SectionEntry, SectionState, HeadlineResponse, Action, CarriedAction,
                   ReportRevision, PlanningDocument, ReportCopy, AccuracyCorrection)


def import_review(store: Store, document: dict, actor: Actor, *, registry: TemplateRegistry | None = None) -> int:
    """Add the bundle's review to the database as a new review; returns its id.

    Refused (BundleError, nothing written) when the review is already in the database, when
    its rows are already here under another review, when this installation does not have
    the review's template version, or when the review breaks a rule the app's own forms
    apply (app/bundle/rules.py), a stored signed report that does not verify included.
    """
    check_document(document)
    check_rules(document, _check_template(document, registry))
    try:
        return _import(store, document, actor)
    except BundleError:
        raise
    except ValidationError as exc:  # a rule checked as the rows are written: nothing was written
        raise BundleError(f"The bundle was not imported: {exc}") from None
    except IntegrityError:
        # Another program imported the same review (or rows of it) between our check and our
        # write: the unit of work was rolled back, so say which, from what is there now.
        with store.read() as session:
            _refuse_present(session, document)
        raise


def _refuse_present(session: Session, document: dict) -> None:
    if session.scalar(select(Review.id).where(Review.uid == document["review"]["uid"])) is not None:
        raise BundleError(ALREADY_HERE)
    _refuse_taken_uids(session, document, review_id=None)


def _import(store: Store, document: dict, actor: Actor) -> int:
    with store.write() as session:
        uid = document["review"]["uid"]
        _refuse_present(session, document)
        review = Review(uid=uid)
        _fill_review(session, review, document)
        session.add(review)
        session.flush()
        ids = _insert_contents(session, review.id, document)
        ids[("review", uid)] = review.id
        for event in document["audit"]:
            row = _build(AuditEvent, event, AUDIT_FIELDS)
            row.review_id = review.id
            row.fields = " ".join(event["fields"])
            row.entity_id = ids.get((_ref_kind(event["entity"]), event["entity_ref"]))
            session.add(row)
        link_waiting_reviews(session, review)
        # The import itself is recorded outside the review's own trail, so the review reads as it was sent.
        audit.record(session, store, actor, None, "import", "review", review.id)
        session.flush()
        return review.id


def link_waiting_reviews(session: Session, review: Review) -> None:
    """Link reviews already here that name this one by uid (a follow-up imported before it)."""
    session.execute(
        update(Review)
        .where(Review.previous_review_uid == review.uid, Review.previous_review_id.is_(None), Review.id != review.id)
        .values(previous_review_id=review.id)
    )
    session.execute(
        update(CarriedAction)
        .where(CarriedAction.source_review_uid == review.uid, CarriedAction.source_review_id.is_(None))
        .values(source_review_id=review.id)
    )


def replace_review_contents(session_or_store: Session | Store, review_id: int, document: dict, *,
                            registry: TemplateRegistry | None = None) -> None:
    """Rewrite an existing review from a bundle document of the same review (for undoing a merge).

    The set-up, consent, people, notes, sections, entries, headline answers, actions, carried
    actions and report revisions become the document's. The review's id and its audit trail
    stay as they are: the caller records what it did. Given a Store, this is one unit of
    work; given a Session, it joins the caller's.
    """
    if isinstance(session_or_store, Store):
        with session_or_store.write() as session:
            _replace(session, review_id, document, registry)
    else:
        _replace(session_or_store, review_id, document, registry)


def _replace(session: Session, review_id: int, document: dict, registry: TemplateRegistry | None) -> None:
    check_document(document)
    _check_template(document, registry)
    review = session.get(Review, review_id)
    if review is None:
        raise NotFoundError(f"There is no review with id {review_id}.")
    if review.uid != document["review"]["uid"]:
        raise BundleError("The bundle is of a different review, so it cannot replace this one.")
    old_refs = _entity_refs(session, review)
    for model in _CONTENT_TABLES:
        session.execute(delete(model).where(model.review_id == review_id))
    session.expire_all()
    review = session.get(Review, review_id)
    _refuse_taken_uids(session, document, review_id=review_id)
    _fill_review(session, review, document)
    session.flush()
    ids = _insert_contents(session, review_id, document)
    # The trail stays, pointing at the rows as they now are (a row the document lacks: no row).
    # Events the document already holds take its references; later ones, the replaced rows'.
    known = document["audit"]
    events = session.scalars(select(AuditEvent).where(AuditEvent.review_id == review_id).order_by(AuditEvent.id))
    for index, event in enumerate(events):
        if event.entity == "review" or event.entity_id is None:
            continue
        same = index < len(known) and (known[index]["action"], known[index]["entity"]) == (event.action, event.entity)
        ref = known[index]["entity_ref"] if same else old_refs.get((event.entity, event.entity_id))
        event.entity_id = ids.get((_ref_kind(event.entity), ref)) if ref is not None else None
    session.flush()


def _check_template(document: dict, registry: TemplateRegistry | None) -> Template:
    template = document["template"]
    known = registry or TemplateRegistry.default()
    try:
        return known.get(template["id"], template["version"])
    except KeyError:
        raise BundleError(
            f"The bundle's review uses template '{template['id']}' version {template['version']}, "
            "which this installation of ReviewDay does not have."
        ) from None


def _refuse_taken_uids(session: Session, document: dict, *, review_id: int | None) -> None:
    for table, model in _UID_TABLES:
        uids = [row["uid"] for row in part_of(document, table)]
        for start in range(0, len(uids), 500):
            query = select(model.uid).where(model.uid.in_(uids[start:start + 500]))
            if review_id is not None:
                query = query.where(model.review_id != review_id)
            if session.scalar(query.limit(1)) is not None:
                outcome = "it was not imported" if review_id is None else "the review was left as it was"
                raise BundleError(
                    f"The bundle's {table} are already in this database under another review, so {outcome}."
                )


_value = column_value


def _build(model, item: dict, fields, **extra):
    columns = model.__table__.columns
    return model(**{name: _value(columns[name], item[name]) for name in fields}, **extra)


def _fill_review(session: Session, review: Review, document: dict) -> None:
    columns = Review.__table__.columns
    setup = document["review"]
    review.template_id = document["template"]["id"]
    review.template_version = document["template"]["version"]
    for name, value in review_values(setup).items():
        setattr(review, name, value)
    for key, column in CONSENT_FIELDS.items():
        setattr(review, column, _value(columns[column], document["consent"][key]))
    previous = setup["previous_review_uid"]
    # The uid is kept even when that review is not here; link_waiting_reviews() links it if it comes later.
    review.previous_review_uid = previous or ""
    review.previous_review_id = (
        session.scalar(select(Review.id).where(Review.uid == previous)) if previous is not None else None
    )


def _insert_contents(session: Session, review_id: int, document: dict) -> dict[tuple[str, str], int]:
    """Insert every row the review owns; returns (kind, stable reference) -> new database id."""
    made: list[tuple[str, str, object]] = []
    for item in document["attendees"]:
        made.append(("attendee", item["uid"], _build(Attendee, item, ATTENDEE_FIELDS, review_id=review_id)))
    for item in document["notes"]:
        made.append(("note", item["uid"], _build(Note, item, NOTE_FIELDS, review_id=review_id)))
    for item in document["section_states"]:
        row = _build(SectionState, item, SECTION_FIELDS, review_id=review_id,
                     prompts_covered=" ".join(item["prompts_covered"]))
        made.append(("section", item["section_id"], row))
    for item in document["entries"]:
        made.append(("entry", item["uid"], _build(SectionEntry, item, ENTRY_FIELDS, review_id=review_id)))
    for item in document["headlines"]:
        row = _build(HeadlineResponse, item, HEADLINE_FIELDS, review_id=review_id)
        made.append(("headline", item["question_id"], row))
    for item in document["actions"]:
        item = with_optional(item, Action, ACTION_OPTIONAL_FIELDS)
        made.append(("action", item["uid"], _build(Action, item, ACTION_FIELDS + ACTION_OPTIONAL_FIELDS,
                                                   review_id=review_id)))
    for item in document["carried_actions"]:
        source = item["source_review_uid"]
        source_id = session.scalar(select(Review.id).where(Review.uid == source)) if source else None
        item = with_optional(item, CarriedAction, CARRIED_OPTIONAL_FIELDS)
        row = _build(CarriedAction, item, CARRIED_FIELDS + CARRIED_OPTIONAL_FIELDS, review_id=review_id, source_review_id=source_id,
                     source_review_uid=source or "")
        made.append(("carried", item["uid"], row))
    for item in document["revisions"]:
        pdf = base64.b64decode(item["signed_pdf"]) if item["signed_pdf"] is not None else None
        row = _build(ReportRevision, item, REVISION_FIELDS, review_id=review_id, signed_pdf=pdf)
        row.signoffs = [_build(Signoff, signoff, SIGNOFF_FIELDS) for signoff in item["signoffs"]]
        made.append(("revision", str(item["number"]), row))
    for item in part_of(document, "planning_documents"):
        made.append(("planning_document", item["document_id"],
                     _build(PlanningDocument, item, PLANNING_DOCUMENT_FIELDS, review_id=review_id)))
    for item in part_of(document, "report_copies"):
        made.append(("report_copy", item["uid"], _build(ReportCopy, item, COPY_FIELDS, review_id=review_id)))
    for item in part_of(document, "corrections"):
        made.append(("correction", item["uid"], _build(AccuracyCorrection, item, CORRECTION_FIELDS,
                                                       review_id=review_id)))
    session.add_all(row for _, _, row in made)
    session.flush()
    return {(kind, ref): row.id for kind, ref, row in made}


def _ref_kind(entity: str) -> str:
    if entity in ("finding", "good_practice", "concern"):
        return "entry"
    if entity in ("draft_copy", "distribution"):
        return "report_copy"
    return entity
