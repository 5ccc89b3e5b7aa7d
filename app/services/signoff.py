"""Sign-off: panel confirmations, the chair's signature (which locks), countersignatures, amendments.

The PDF work (render, sign) lives in app/report/publish.py; this module keeps the record.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from app.kloe.roles import PANEL_ROLE_IDS, role_label
from app.models import Attendee, ReportRevision, Signoff
from app.models.enums import Attendance, ReviewStatus
from app.services import audit, reviews, sections
from app.services.dto import Actor, RevisionData, SignoffData
from app.services.errors import NotFoundError, ValidationError
from app.services.reviews import completion_problems, load_review
from app.services.store import Store

CHAIR_ROLES = frozenset({"chair", "independent_chair"})
MIN_REASON_CHARS = 10


def _data(row: ReportRevision) -> RevisionData:
    return RevisionData(
        id=row.id,
        review_id=row.review_id,
        number=row.number,
        reason=row.reason,
        created_at=row.created_at,
        created_by=row.created_by,
        signed_at=row.signed_at,
        signed_pdf_sha256=row.signed_pdf_sha256,
        signoffs=tuple(
            SignoffData(s.kind, s.name, s.role, s.at, s.certificate_fingerprint) for s in row.signoffs
        ),
    )


def _current(session: Session, store: Store, review_id: int) -> ReportRevision:
    row = session.scalar(
        select(ReportRevision).where(ReportRevision.review_id == review_id).order_by(ReportRevision.number.desc())
    )
    if row is None:
        load_review(session, review_id)
        row = ReportRevision(review_id=review_id, number=1, reason="", created_at=store.now(), created_by="")
        session.add(row)
        session.flush()
    return row


def current_revision(store: Store, review_id: int) -> RevisionData:
    with store.write() as session:
        return _data(_current(session, store, review_id))


def list_revisions(store: Store, review_id: int) -> list[RevisionData]:
    with store.read() as session:
        rows = session.scalars(
            select(ReportRevision).where(ReportRevision.review_id == review_id).order_by(ReportRevision.number)
        )
        return [_data(row) for row in rows]


def _panel_present(session: Session, review_id: int) -> list[Attendee]:
    return list(session.scalars(
        select(Attendee).where(
            Attendee.review_id == review_id,
            Attendee.role.in_(PANEL_ROLE_IDS),
            Attendee.attendance.in_((Attendance.IN_PERSON, Attendance.REMOTE)),
        ).order_by(Attendee.position)
    ))


SIGNOFF_ROLE_RULES = {
    "confirm": (PANEL_ROLE_IDS, "Only panel members confirm the report."),
    "sign": (CHAIR_ROLES, "Only the chair signs the report; other panel members countersign."),
    "countersign": (PANEL_ROLE_IDS, "Only panel members countersign the report."),
}


def check_signoff_role(kind: str, role: str) -> None:
    """Who may confirm, sign and countersign: the sign-off page and bundle import share the rule."""
    roles, message = SIGNOFF_ROLE_RULES[kind]
    if role not in roles:
        raise ValidationError(message)


def check_amendment_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationError("Give the reason for the amendment in a sentence.")
    return reason


def same_person(a: str, b: str) -> bool:
    """Names compared as people read them: spaces and capitals do not matter."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def confirm(store: Store, review_id: int, actor: Actor, *, identity_name: str, fingerprint: str) -> RevisionData:
    """A panel member confirms the report of the current revision, proven with their own signing
    identity: its name must be theirs, and its certificate's fingerprint is kept with the confirmation.
    (app.report.publish.confirm_report unlocks the identity first, which proves the passphrase.)"""
    check_signoff_role("confirm", actor.role)
    if not fingerprint.strip():
        raise ValidationError("A confirmation needs the confirming person's signing identity.")
    if not same_person(identity_name, actor.name):
        raise ValidationError(
            f"That signing identity is {identity_name}'s; {actor.name} confirms with their own signing identity."
        )
    with store.write() as session:
        review = load_review(session, review_id)
        revision = _current(session, store, review_id)
        if review.locked_at is not None:
            raise ValidationError("This revision is already signed; confirmations are closed.")
        if _data(revision).confirmed_by(actor.name, actor.role):
            raise ValidationError(f"{actor.name} has already confirmed this revision.")
        revision.signoffs.append(Signoff(kind="confirm", name=actor.name, role=actor.role, at=store.now(),
                                         certificate_fingerprint=fingerprint.strip()))
        audit.record(session, store, actor, review_id, "confirm", "revision", revision.id)
        session.flush()
        return _data(revision)


def empty_sections(store: Store, review_id: int) -> list[tuple[str, str]]:
    """The KLOE sections nothing was written in (no note, no entry, no prompt ticked), as
    (id, title) in the template's order: the chair is warned before signing with them."""
    review = reviews.get_review(store, review_id)
    titles = {s.id: s.title for s in reviews.template_for(review).sections}
    return [
        (state.section_id, titles.get(state.section_id, state.section_id))
        for state in sections.list_section_states(store, review_id)
        if not (state.notes or state.entries or state.prompts_covered)
    ]


def empty_sections_message(empty: list[tuple[str, str]]) -> str:
    names = ", ".join(title for _id, title in empty)
    count = len(empty)
    return f"{count} section{'s' if count != 1 else ''} {'have' if count != 1 else 'has'} nothing written: {names}."


def signing_problems(store: Store, review_id: int, signer: Actor) -> list[str]:
    """Why the chair cannot sign yet; empty when they can."""
    problems = list(completion_problems(store, review_id))
    with store.write() as session:
        review = load_review(session, review_id)
        revision = _data(_current(session, store, review_id))
        if review.locked_at is not None:
            problems.append("This revision is already signed.")
        if signer.role not in CHAIR_ROLES:
            problems.append(SIGNOFF_ROLE_RULES["sign"][1])
        for member in _panel_present(session, review_id):
            if (member.name, member.role) == (signer.name, signer.role):
                continue
            if not revision.confirmed_by(member.name, member.role):
                problems.append(f"{member.name} ({role_label(member.role)}) has not confirmed the report.")
    return problems


def record_signature(
    store: Store,
    review_id: int,
    signer: Actor,
    signed_pdf: bytes,
    fingerprint: str,
    *,
    rendered_at: datetime | None = None,
    accept_empty_sections: bool = False,
) -> RevisionData:
    """Keep the chair's signed PDF with the revision and lock the review.

    `rendered_at` is the review's updated_at when the PDF was rendered: if anything changed
    since (a note saved on another laptop page while signing), the signature is refused, so a
    signed PDF never misses what the locked review holds.
    """
    problems = signing_problems(store, review_id, signer)
    if problems:
        raise ValidationError("The report cannot be signed yet: " + " ".join(problems))
    empty = empty_sections(store, review_id)
    if empty and not accept_empty_sections:
        raise ValidationError(
            empty_sections_message(empty) + " Sign only after accepting that they stay empty."
        )
    with store.write() as session:
        review = load_review(session, review_id)
        if rendered_at is not None and review.updated_at != rendered_at:
            raise ValidationError("The review changed while the report was being signed; sign it again.")
        revision = _current(session, store, review_id)
        now = store.now()
        revision.signed_pdf = signed_pdf
        revision.signed_pdf_sha256 = hashlib.sha256(signed_pdf).hexdigest()
        revision.signed_at = now
        revision.signoffs.append(Signoff(kind="sign", name=signer.name, role=signer.role, at=now,
                                         certificate_fingerprint=fingerprint))
        review.locked_at = now
        review.status = ReviewStatus.COMPLETE  # signed: the review is complete, not in progress
        if empty:
            # The chair's explicit acceptance of the empty sections, kept with the record.
            audit.record(session, store, signer, review_id, "accept empty sections", "revision", revision.id,
                         [section_id for section_id, _title in empty])
        audit.record(session, store, signer, review_id, "sign", "revision", revision.id, ["status"])
        session.flush()
        return _data(revision)


def record_countersignature(
    store: Store, review_id: int, signer: Actor, signed_pdf: bytes, fingerprint: str
) -> RevisionData:
    check_signoff_role("countersign", signer.role)
    with store.write() as session:
        revision = _current(session, store, review_id)
        if revision.signed_at is None:
            raise ValidationError("The chair signs first; countersignatures follow.")
        if any(s.kind in ("sign", "countersign") and (s.name, s.role) == (signer.name, signer.role)
               for s in revision.signoffs):
            raise ValidationError(f"{signer.name} has already signed this revision.")
        revision.signed_pdf = signed_pdf
        revision.signed_pdf_sha256 = hashlib.sha256(signed_pdf).hexdigest()
        revision.signoffs.append(Signoff(kind="countersign", name=signer.name, role=signer.role, at=store.now(),
                                         certificate_fingerprint=fingerprint))
        audit.record(session, store, signer, review_id, "countersign", "revision", revision.id)
        session.flush()
        return _data(revision)


def signature_count(store: Store, review_id: int) -> int:
    with store.write() as session:
        revision = _current(session, store, review_id)
        return session.scalar(
            select(func.count()).select_from(Signoff).where(
                Signoff.revision_id == revision.id, Signoff.kind.in_(("sign", "countersign"))
            )
        ) or 0


def signed_pdf(store: Store, review_id: int, number: int | None = None) -> bytes:
    """The stored signed PDF of a revision (the newest signed one by default)."""
    with store.read() as session:
        query = (
            select(ReportRevision)
            .options(undefer(ReportRevision.signed_pdf))
            .where(ReportRevision.review_id == review_id, ReportRevision.signed_at.is_not(None))
        )
        if number is not None:
            query = query.where(ReportRevision.number == number)
        row = session.scalar(query.order_by(ReportRevision.number.desc()))
        if row is None or row.signed_pdf is None:
            raise NotFoundError("There is no signed report for this review yet.")
        return row.signed_pdf


def amend(store: Store, review_id: int, actor: Actor, reason: str) -> RevisionData:
    """Open the next revision after a signed one. The earlier signed PDF stays as it was."""
    reason = check_amendment_reason(reason)
    if actor.role not in PANEL_ROLE_IDS:
        raise ValidationError("Only panel members can amend a signed report.")
    with store.write() as session:
        review = load_review(session, review_id)
        current = _current(session, store, review_id)
        if review.locked_at is None:
            raise ValidationError("The review is not signed yet, so it can be changed without an amendment.")
        row = ReportRevision(review_id=review_id, number=current.number + 1, reason=reason,
                             created_at=store.now(), created_by=f"{actor.name} ({role_label(actor.role)})")
        session.add(row)
        review.locked_at = None
        review.status = ReviewStatus.IN_PROGRESS
        session.flush()
        audit.record(session, store, actor, review_id, "amend", "revision", row.id, ["reason"])
        return _data(row)
