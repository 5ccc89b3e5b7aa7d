"""The attendance register and the consent basis."""

from __future__ import annotations

from sqlalchemy import func, select

from app.kloe.roles import ROLES_BY_ID, role_label
from app.models import Attendee
from app.models.enums import Attendance, ConsentBasis
from app.services import audit
from app.services.dto import Actor, AttendeeData, ReviewData
from app.services.errors import NotFoundError, ValidationError
from app.services.reviews import load_review, to_data, touch
from app.services.store import Store

CONSENT_LABELS: dict[ConsentBasis, str] = {
    ConsentBasis.NOT_RECORDED: "Not yet recorded",
    ConsentBasis.CONSENT: "The person consents",
    ConsentBasis.BEST_INTERESTS: "Best-interests decision (Mental Capacity Act)",
    ConsentBasis.DECLINED: "The person declined",
}


def _to_data(row: Attendee) -> AttendeeData:
    return AttendeeData(
        id=row.id,
        review_id=row.review_id,
        name=row.name,
        role=row.role,
        organisation=row.organisation,
        attendance=row.attendance,
        position=row.position,
    )


def check_attendee(name: str, role: str) -> str:
    """The attendee's name with its spaces tidied; refuses an empty name or a role not on the list.

    Shared by the register's form and bundle import, so the message never quotes the name.
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Enter the attendee's name.")
    if role not in ROLES_BY_ID:
        raise ValidationError("Choose a role for the attendee from the list of roles.")
    return name


_clean = check_attendee


def check_consent(basis: ConsentBasis, detail: str) -> str:
    """The consent detail, trimmed; a best-interests decision needs to say who made it and when."""
    detail = detail.strip()
    if basis is ConsentBasis.BEST_INTERESTS and not detail:
        raise ValidationError("Say who made the best-interests decision and when.")
    return detail


def add_attendee(
    store: Store,
    review_id: int,
    actor: Actor,
    *,
    name: str,
    role: str,
    organisation: str = "",
    attendance: Attendance = Attendance.IN_PERSON,
    restore_id: int | None = None,
    position: int | None = None,
) -> AttendeeData:
    name = _clean(name, role)
    with store.write() as session:
        touch(session, store, review_id)
        if position is None:
            last = session.scalar(
                select(func.max(Attendee.position)).where(Attendee.review_id == review_id)
            )
            position = 0 if last is None else last + 1
        row = Attendee(
            id=restore_id,
            review_id=review_id,
            name=name,
            role=role,
            organisation=organisation.strip(),
            attendance=attendance,
            position=position,
        )
        session.add(row)
        session.flush()
        audit.record(session, store, actor, review_id, "add", "attendee", row.id)
        return _to_data(row)


def update_attendee(store: Store, attendee_id: int, actor: Actor, **changes) -> AttendeeData:
    allowed = {"name", "role", "organisation", "attendance"}
    if set(changes) - allowed:
        raise ValueError(f"not attendee fields: {sorted(set(changes) - allowed)}")
    with store.write() as session:
        row = session.get(Attendee, attendee_id)
        if row is None:
            raise NotFoundError("That attendee is no longer in the register.")
        name = _clean(changes.get("name", row.name), changes.get("role", row.role))
        changes["name"] = name
        if "organisation" in changes:
            changes["organisation"] = changes["organisation"].strip()
        changed = [key for key, value in changes.items() if getattr(row, key) != value]
        for key in changed:
            setattr(row, key, changes[key])
        if changed:
            touch(session, store, row.review_id)
            audit.record(session, store, actor, row.review_id, "update", "attendee", row.id, changed)
        return _to_data(row)


def remove_attendee(store: Store, attendee_id: int, actor: Actor) -> AttendeeData:
    """Remove from the register; returns what was removed so it can be restored (undo)."""
    with store.write() as session:
        row = session.get(Attendee, attendee_id)
        if row is None:
            raise NotFoundError("That attendee is no longer in the register.")
        data = _to_data(row)
        session.delete(row)
        touch(session, store, data.review_id)
        audit.record(session, store, actor, data.review_id, "remove", "attendee", data.id)
        return data


def restore_attendee(store: Store, data: AttendeeData, actor: Actor) -> AttendeeData:
    return add_attendee(
        store,
        data.review_id,
        actor,
        name=data.name,
        role=data.role,
        organisation=data.organisation,
        attendance=data.attendance,
        restore_id=data.id,
        position=data.position,
    )


def list_attendees(store: Store, review_id: int) -> list[AttendeeData]:
    with store.read() as session:
        rows = session.scalars(
            select(Attendee).where(Attendee.review_id == review_id).order_by(Attendee.position, Attendee.id)
        )
        return [_to_data(row) for row in rows]


def _recorder(session, review_id: int, attendee_id: int | None, actor: Actor) -> str:
    """Who records a consent basis, as the report shows them: someone in this review's register."""
    if attendee_id is None:
        return f"{actor.name} ({role_label(actor.role)})"
    row = session.get(Attendee, attendee_id)
    if row is None or row.review_id != review_id:
        raise ValidationError("Choose who is recording the consent basis from the register.")
    return f"{row.name} ({role_label(row.role)})"


def record_consent(
    store: Store,
    review_id: int,
    actor: Actor,
    basis: ConsentBasis,
    detail: str = "",
    *,
    attendee_id: int | None = None,
) -> ReviewData:
    """Record the consent basis. `attendee_id` names the register member who records it (the
    People and consent page always gives one); without it, the writer is credited."""
    detail = check_consent(basis, detail)
    with store.write() as session:
        review = load_review(session, review_id)
        recorder = _recorder(session, review_id, attendee_id, actor)
        changed = [name for name, value in (("consent_basis", basis), ("consent_detail", detail))
                   if getattr(review, name) != value]
        if not changed:
            return to_data(review)
        basis_changed = review.consent_basis is not basis
        review.consent_basis = basis
        review.consent_detail = detail
        if basis is ConsentBasis.NOT_RECORDED:
            review.consent_recorded_by = ""
            review.consent_recorded_at = None
        elif basis_changed:
            # Editing the detail later keeps who recorded the basis, and when.
            review.consent_recorded_by = recorder
            review.consent_recorded_at = store.now()
        touch(session, store, review_id)
        audit.record(session, store, actor, review_id, "consent", "review", review_id, changed)
        return to_data(review)


def set_consent_detail(store: Store, review_id: int, actor: Actor, detail: str) -> ReviewData:
    """Change the consent detail only; the recorded basis, who recorded it and when stay."""
    with store.write() as session:
        review = load_review(session, review_id)
        detail = check_consent(review.consent_basis, detail)
        if review.consent_detail == detail:
            return to_data(review)
        review.consent_detail = detail
        touch(session, store, review_id)
        audit.record(session, store, actor, review_id, "consent", "review", review_id, ["consent_detail"])
        return to_data(review)


def restore_consent(store: Store, review_id: int, actor: Actor, before: ReviewData) -> ReviewData:
    """Put the consent basis back as `before` had it, with who recorded it and when (undo)."""
    with store.write() as session:
        review = load_review(session, review_id)
        values = {
            "consent_basis": before.consent_basis,
            "consent_detail": before.consent_detail,
            "consent_recorded_by": before.consent_recorded_by,
            "consent_recorded_at": before.consent_recorded_at,
        }
        changed = [name for name, value in values.items() if getattr(review, name) != value]
        if not changed:
            return to_data(review)
        for name, value in values.items():
            setattr(review, name, value)
        touch(session, store, review_id)
        audit.record(session, store, actor, review_id, "consent", "review", review_id, changed)
        return to_data(review)
