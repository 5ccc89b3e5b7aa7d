"""Writing one review as a bundle document: plain JSON types, uids for every reference.

The document holds no database ids. Rows are in a stable order (position, then creation
order), dates and times are ISO 8601 and `encode_bundle` sorts keys, so exporting a review,
importing it into another database and exporting it again gives the same bytes.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Enum, select
from sqlalchemy.orm import Session, undefer

from app.models import (
    Action,
    Attendee,
    AuditEvent,
    CarriedAction,
    AccuracyCorrection,
    HeadlineResponse,
    Note,
    PlanningDocument,
    ReportCopy,
    ReportRevision,
    Review,
    SectionEntry,
    SectionState,
)
from app.services.errors import NotFoundError, ReviewDayError
from app.services.store import Store

FORMAT = "reviewday-bundle"
FORMAT_VERSION = 1


class BundleError(ReviewDayError):
    """A bundle file or document was refused; the one-sentence message says why. Nothing was changed."""


# Review columns that describe the review (everything but its id, uid, template and consent).
REVIEW_FIELDS = (
    "status", "person_label", "person_key", "person_identifiers", "age_band", "date_of_birth",
    "setting_kind", "hospital", "ward", "secure", "service", "legal_status", "admission_date",
    "long_term_segregation", "review_date", "mode", "environment_seen", "moj_restricted", "seclusion",
    "restrictive_practice", "ward_rated_inadequate", "safeguarding_investigation", "unresolved_complaint",
    "escalation_requested_by", "declined_before", "locked_at", "created_at", "updated_at",
)
# Added with schema 0006: optional in a bundle (an older bundle without them imports with the
# defaults), written by every export.
PROCESS_FIELDS = (
    "secure_level", "cqc_rating", "unit", "segregation_started", "requested_because", "next_review_agreed",
    "community_review_before_admission", "readmission", "discharge_date",
    "escalation_decision", "escalation_reasons", "escalation_other_concern", "escalation_not_because",
    "escalation_decided_by", "escalation_decided_by_role", "escalation_decided_on", "oversight_outcome",
    "oversight_outcome_on", "person_told_on", "person_not_told_because", "family_told_on",
    "family_not_told_because", "advocate_told_on", "advocate_not_told_because",
    "person_listened", "person_feedback", "family_listened", "family_feedback",
)
# Added with schema 0008: the planning record, optional in a bundle like the process fields.
PLANNING_FIELDS = ("notice_given_on", "notice_given_to", "family_consulted", "family_consulted_on", "pre_meeting_on")
CONSENT_FIELDS = {"basis": "consent_basis", "detail": "consent_detail", "recorded_by": "consent_recorded_by",
                  "recorded_at": "consent_recorded_at"}
ATTENDEE_FIELDS = ("uid", "name", "role", "organisation", "attendance", "position")
NOTE_FIELDS = ("uid", "section_id", "speaker_name", "speaker_role", "author_name", "author_role", "text",
               "created_at", "updated_at", "easy_read")
SECTION_FIELDS = ("section_id", "position", "status", "planned_minutes", "elapsed_seconds", "lead_role")
ENTRY_FIELDS = ("uid", "section_id", "kind", "text", "evidence", "evidence_detail", "safeguarding",
                "safeguarding_lead", "created_at")
HEADLINE_FIELDS = ("question_id", "answer", "reasons")
ACTION_FIELDS = ("uid", "section_id", "what", "why", "owner_name", "owner_organisation", "deadline", "priority",
                 "status", "completion_evidence", "easy_read", "carried_from_uid", "position", "created_at",
                 "updated_at")
# Fields added after the format's first version: a bundle written before them lacks them, and
# they take the column's default on import.
ACTION_OPTIONAL_FIELDS = ("different_this_time",)
CARRIED_OPTIONAL_FIELDS = ("typed_in", "previous_chair")
CARRIED_FIELDS = ("uid", "source_action_uid", "source_review_date", "what", "owner_name", "owner_organisation",
                  "deadline", "outcome", "reason", "position", "updated_at", "easy_read")
# Fields added after bundles were first written: optional in a bundle, these values when absent
# (check_document fills them in, so everything after it reads every field).
OPTIONAL_ROW_FIELDS = {"notes": {"easy_read": False}, "carried_actions": {"easy_read": ""}}
REVISION_FIELDS = ("number", "reason", "created_at", "created_by", "signed_at", "signed_pdf_sha256")
SIGNOFF_FIELDS = ("kind", "name", "role", "at", "certificate_fingerprint")
AUDIT_FIELDS = ("at", "actor_name", "actor_role", "action", "entity")
PLANNING_DOCUMENT_FIELDS = ("document_id", "status")
COPY_FIELDS = ("uid", "stage", "recipient", "organisation", "method", "sent_on", "created_at")
CORRECTION_FIELDS = ("uid", "requested_by", "requested_on", "what", "decision", "reason", "created_at")
# The parts whose rows carry a uid, unique within a bundle and within a database.
UID_PARTS = ("attendees", "notes", "entries", "actions", "carried_actions")
# Parts added with schema 0008: optional in a bundle (an older bundle has none), written by every export.
OPTIONAL_PARTS = ("planning_documents", "report_copies", "corrections")
OPTIONAL_UID_PARTS = ("report_copies", "corrections")


def part_of(document: dict, name: str) -> list:
    """A part of the document; an optional part an older bundle lacks is empty."""
    return document.get(name, []) if name in OPTIONAL_PARTS else document[name]


def column_value(column, value):
    """A document value as the column's Python type (the reverse of `plain`)."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    return value


def review_values(setup: dict) -> dict:
    """The review's own columns from a document's `review` part, as Python values.

    A bundle written before the process fields existed lacks them: they take the column's
    default, and its secure and inadequate ticks become the secure level and CQC rating (as the
    0006 migration does for a database). Used by both the import rules and the import itself.
    """
    from app.models.enums import CqcRating, SecureLevel

    columns = Review.__table__.columns
    values = {name: column_value(columns[name], setup[name]) for name in REVIEW_FIELDS}
    for name in PROCESS_FIELDS + PLANNING_FIELDS:
        default = columns[name].default.arg if columns[name].default is not None else None
        values[name] = column_value(columns[name], setup[name]) if name in setup else default
    if "secure_level" not in setup and values["secure"]:
        values["secure_level"] = SecureLevel.SECURE
    if "cqc_rating" not in setup and values["ward_rated_inadequate"]:
        values["cqc_rating"] = CqcRating.INADEQUATE
    return values


def with_optional(item: dict, model, names) -> dict:
    """The row with each optional field it lacks (an older bundle) set to the column's default."""
    columns = model.__table__.columns
    filled = dict(item)
    for name in names:
        if name not in filled:
            default = columns[name].default
            filled[name] = plain(default.arg) if default is not None else None
    return filled


def plain(value):
    """A column value as JSON: enums as their value, dates and times as ISO 8601."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def _row(obj, fields) -> dict:
    return {name: plain(getattr(obj, name)) for name in fields}


def dump_review(store: Store, review_id: int) -> dict:
    """The bundle document for one review (see docs/bundle.md). Raises NotFoundError."""
    with store.read() as session:
        return dump_review_in(session, review_id)


def dump_review_in(session: Session, review_id: int) -> dict:
    """`dump_review` inside a unit of work the caller already has open."""
    review = session.get(Review, review_id)
    if review is None:
        raise NotFoundError(f"There is no review with id {review_id}.")

    def rows(model, *order):
        return list(session.scalars(select(model).where(model.review_id == review_id).order_by(*order)))

    setup = _row(review, REVIEW_FIELDS + PROCESS_FIELDS + PLANNING_FIELDS)
    setup["uid"] = review.uid
    setup["previous_review_uid"] = review.previous_review_uid or _uid_of_review(session, review.previous_review_id)

    revisions = []
    for revision in session.scalars(
        select(ReportRevision).options(undefer(ReportRevision.signed_pdf))
        .where(ReportRevision.review_id == review_id).order_by(ReportRevision.number)
    ):
        item = _row(revision, REVISION_FIELDS)
        pdf = revision.signed_pdf
        item["signed_pdf"] = base64.b64encode(pdf).decode("ascii") if pdf is not None else None
        item["signoffs"] = [_row(s, SIGNOFF_FIELDS) for s in revision.signoffs]
        revisions.append(item)

    carried = []
    for row in rows(CarriedAction, CarriedAction.position, CarriedAction.id):
        item = _row(row, CARRIED_FIELDS + CARRIED_OPTIONAL_FIELDS)
        item["source_review_uid"] = row.source_review_uid or _uid_of_review(session, row.source_review_id)
        carried.append(item)

    refs = _entity_refs(session, review)
    audit = []
    for event in rows(AuditEvent, AuditEvent.id):
        item = _row(event, AUDIT_FIELDS)
        item["fields"] = event.fields.split() if event.fields else []
        item["entity_ref"] = refs.get((event.entity, event.entity_id)) if event.entity_id is not None else None
        audit.append(item)

    sections = []
    for row in rows(SectionState, SectionState.position, SectionState.id):
        item = _row(row, SECTION_FIELDS)
        item["prompts_covered"] = sorted(set(row.prompts_covered.split()))
        sections.append(item)

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "template": {"id": review.template_id, "version": review.template_version},
        "review": setup,
        "consent": {key: plain(getattr(review, column)) for key, column in CONSENT_FIELDS.items()},
        "attendees": [_row(r, ATTENDEE_FIELDS) for r in rows(Attendee, Attendee.position, Attendee.id)],
        "notes": [_row(r, NOTE_FIELDS) for r in rows(Note, Note.id)],
        "section_states": sections,
        "entries": [_row(r, ENTRY_FIELDS) for r in rows(SectionEntry, SectionEntry.id)],
        "headlines": [_row(r, HEADLINE_FIELDS) for r in rows(HeadlineResponse, HeadlineResponse.id)],
        "actions": [_row(r, ACTION_FIELDS + ACTION_OPTIONAL_FIELDS) for r in rows(Action, Action.position, Action.id)],
        "carried_actions": carried,
        "revisions": revisions,
        "audit": audit,
        "planning_documents": [_row(r, PLANNING_DOCUMENT_FIELDS)
                               for r in rows(PlanningDocument, PlanningDocument.document_id)],
        "report_copies": [_row(r, COPY_FIELDS) for r in rows(ReportCopy, ReportCopy.sent_on, ReportCopy.id)],
        "corrections": [_row(r, CORRECTION_FIELDS) for r in rows(AccuracyCorrection, AccuracyCorrection.id)],
    }


def encode_bundle(document: dict) -> bytes:
    """The document as the bytes of a bundle file: UTF-8 JSON, sorted keys, one trailing newline."""
    return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode(
        "utf-8"
    )


def _uid_of_review(session: Session, review_id: int | None) -> str | None:
    if review_id is None:
        return None
    return session.scalar(select(Review.uid).where(Review.id == review_id))


def _entity_refs(session: Session, review: Review) -> dict[tuple[str, int], str]:
    """(audit entity, database id) -> the stable reference written instead of the id."""
    refs: dict[tuple[str, int], str] = {("review", review.id): review.uid}
    uid_rows = {
        "attendee": select(Attendee.id, Attendee.uid).where(Attendee.review_id == review.id),
        "note": select(Note.id, Note.uid).where(Note.review_id == review.id),
        "action": select(Action.id, Action.uid).where(Action.review_id == review.id),
        "entry": select(SectionEntry.id, SectionEntry.uid).where(SectionEntry.review_id == review.id),
    }
    for kind, query in uid_rows.items():
        for row_id, uid in session.execute(query):
            names = ("finding", "good_practice", "concern") if kind == "entry" else (kind,)
            for name in names:
                refs[(name, row_id)] = uid
    for row_id, question in session.execute(
        select(HeadlineResponse.id, HeadlineResponse.question_id).where(HeadlineResponse.review_id == review.id)
    ):
        refs[("headline", row_id)] = question
    for row_id, section in session.execute(
        select(SectionState.id, SectionState.section_id).where(SectionState.review_id == review.id)
    ):
        refs[("section", row_id)] = section
    for row_id, number in session.execute(
        select(ReportRevision.id, ReportRevision.number).where(ReportRevision.review_id == review.id)
    ):
        refs[("revision", row_id)] = str(number)
    for row_id, uid in session.execute(select(ReportCopy.id, ReportCopy.uid).where(ReportCopy.review_id == review.id)):
        refs[("draft_copy", row_id)] = refs[("distribution", row_id)] = uid
    for row_id, uid in session.execute(
        select(AccuracyCorrection.id, AccuracyCorrection.uid).where(AccuracyCorrection.review_id == review.id)
    ):
        refs[("correction", row_id)] = uid
    return refs
