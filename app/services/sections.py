"""The walk-through: section progress, timer, findings / good practice / concerns, headline answers."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from app.models import Draft, HeadlineResponse, Note, SectionEntry, SectionState
from app.models.enums import EntryKind, Evidence, HeadlineAnswer, SectionStatus
from app.services import audit
from app.services.dto import Actor, EntryData, HeadlineData, SectionStateData
from app.services.errors import NotFoundError, ValidationError
from app.services.reviews import touch
from app.services.store import Store

MAX_PLANNED_MINUTES = 600


def check_planned_minutes(minutes: int) -> None:
    if not 0 <= minutes <= MAX_PLANNED_MINUTES:
        raise ValidationError(f"Planned time must be between 0 and {MAX_PLANNED_MINUTES} minutes.")


def check_entry(text: str, kind: EntryKind, safeguarding: bool, safeguarding_lead: str) -> str:
    """A finding, good practice or concern as every stored one is (the form and bundle import share it)."""
    return _check_entry(text, kind, safeguarding, safeguarding_lead)


def require_section(session, review_id: int, section_id: str) -> SectionState:
    """The review's section, or NotFoundError: only the sections of the review's template take notes."""
    return _state(session, review_id, section_id)


def _state(session, review_id: int, section_id: str) -> SectionState:
    row = session.scalar(
        select(SectionState).where(SectionState.review_id == review_id, SectionState.section_id == section_id)
    )
    if row is None:
        raise NotFoundError(f"The review has no section '{section_id}'.")
    return row


def list_section_states(store: Store, review_id: int) -> list[SectionStateData]:
    with store.read() as session:
        notes = dict(
            session.execute(
                select(Note.section_id, func.count()).where(Note.review_id == review_id).group_by(Note.section_id)
            ).all()
        )
        entries: dict[str, int] = {}
        concerns: dict[str, int] = {}
        safeguarding: dict[str, int] = {}
        for section_id, kind, flagged in session.execute(
            select(SectionEntry.section_id, SectionEntry.kind, SectionEntry.safeguarding).where(
                SectionEntry.review_id == review_id
            )
        ):
            entries[section_id] = entries.get(section_id, 0) + 1
            if kind is EntryKind.CONCERN:
                concerns[section_id] = concerns.get(section_id, 0) + 1
            if flagged:
                safeguarding[section_id] = safeguarding.get(section_id, 0) + 1
        rows = session.scalars(
            select(SectionState).where(SectionState.review_id == review_id).order_by(SectionState.position)
        )
        return [
            SectionStateData(
                review_id=row.review_id,
                section_id=row.section_id,
                position=row.position,
                status=row.status,
                planned_minutes=row.planned_minutes,
                elapsed_seconds=row.elapsed_seconds,
                lead_role=row.lead_role,
                prompts_covered=frozenset(row.prompts_covered.split()),
                notes=notes.get(row.section_id, 0),
                entries=entries.get(row.section_id, 0),
                concerns=concerns.get(row.section_id, 0),
                safeguarding=safeguarding.get(row.section_id, 0),
            )
            for row in rows
        ]


def get_section_state(store: Store, review_id: int, section_id: str) -> SectionStateData:
    for state in list_section_states(store, review_id):
        if state.section_id == section_id:
            return state
    raise NotFoundError(f"The review has no section '{section_id}'.")


def set_section_status(store: Store, review_id: int, section_id: str, status: SectionStatus, actor: Actor) -> None:
    with store.write() as session:
        row = _state(session, review_id, section_id)
        if row.status is not status:
            row.status = status
            touch(session, store, review_id)
            audit.record(session, store, actor, review_id, "update", "section", row.id, ["status"])


def set_prompt_covered(store: Store, review_id: int, section_id: str, prompt_id: str, covered: bool) -> None:
    with store.write() as session:
        row = _state(session, review_id, section_id)
        ids = set(row.prompts_covered.split())
        ids.add(prompt_id) if covered else ids.discard(prompt_id)
        row.prompts_covered = " ".join(sorted(ids))
        if covered and row.status is SectionStatus.NOT_STARTED:
            row.status = SectionStatus.IN_PROGRESS
        touch(session, store, review_id)


def set_planned_minutes(store: Store, review_id: int, section_id: str, minutes: int, actor: Actor) -> None:
    check_planned_minutes(minutes)
    with store.write() as session:
        row = _state(session, review_id, section_id)
        if row.planned_minutes != minutes:
            row.planned_minutes = minutes
            audit.record(session, store, actor, review_id, "update", "section", row.id, ["planned_minutes"])


def add_elapsed(store: Store, review_id: int, section_id: str, seconds: int) -> int:
    """Add time spent in a section (the chair's timer); returns the new total."""
    if seconds < 0:
        raise ValueError("elapsed time cannot go backwards")
    with store.write() as session:
        row = _state(session, review_id, section_id)
        row.elapsed_seconds += seconds
        if seconds and row.status is SectionStatus.NOT_STARTED:
            row.status = SectionStatus.IN_PROGRESS
        return row.elapsed_seconds


# Findings, good practice and concerns -------------------------------------------------


def _entry_data(row: SectionEntry) -> EntryData:
    return EntryData(
        id=row.id,
        review_id=row.review_id,
        section_id=row.section_id,
        kind=row.kind,
        text=row.text,
        evidence=row.evidence,
        evidence_detail=row.evidence_detail,
        safeguarding=row.safeguarding,
        safeguarding_lead=row.safeguarding_lead,
        created_at=row.created_at,
    )


def _check_entry(text: str, kind: EntryKind, safeguarding: bool, safeguarding_lead: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError("Write the finding, good practice or concern first.")
    if safeguarding and kind is not EntryKind.CONCERN:
        raise ValidationError("Only a concern can be flagged as a safeguarding concern.")
    if safeguarding and not safeguarding_lead.strip():
        raise ValidationError("A safeguarding concern needs the name of the person who will act on it.")
    return text


def add_entry(
    store: Store,
    review_id: int,
    section_id: str,
    kind: EntryKind,
    text: str,
    actor: Actor,
    *,
    evidence: Evidence = Evidence.NONE,
    evidence_detail: str = "",
    safeguarding: bool = False,
    safeguarding_lead: str = "",
    restore_id: int | None = None,
    draft_key: str | None = None,
) -> EntryData:
    """Add an entry; with draft_key, the form's draft it came from is cleared in the same commit."""
    text = _check_entry(text, kind, safeguarding, safeguarding_lead)
    with store.write() as session:
        _state(session, review_id, section_id)
        row = SectionEntry(
            id=restore_id,
            review_id=review_id,
            section_id=section_id,
            kind=kind,
            text=text,
            evidence=evidence,
            evidence_detail=evidence_detail.strip(),
            safeguarding=safeguarding,
            safeguarding_lead=safeguarding_lead.strip(),
            created_at=store.now(),
        )
        session.add(row)
        session.flush()
        touch(session, store, review_id)
        audit.record(session, store, actor, review_id, "add", kind.value, row.id)
        if draft_key is not None:
            session.execute(delete(Draft).where(Draft.review_id == review_id, Draft.key == draft_key))
        return _entry_data(row)


def update_entry(store: Store, entry_id: int, actor: Actor, **changes) -> EntryData:
    allowed = {"text", "evidence", "evidence_detail", "safeguarding", "safeguarding_lead", "kind"}
    if set(changes) - allowed:
        raise ValueError(f"not entry fields: {sorted(set(changes) - allowed)}")
    with store.write() as session:
        row = session.get(SectionEntry, entry_id)
        if row is None:
            raise NotFoundError("That entry has been deleted.")
        merged = {name: changes.get(name, getattr(row, name)) for name in allowed}
        merged["text"] = _check_entry(merged["text"], merged["kind"], merged["safeguarding"], merged["safeguarding_lead"])
        changed = [name for name in allowed if getattr(row, name) != merged[name]]
        for name in changed:
            setattr(row, name, merged[name])
        if changed:
            touch(session, store, row.review_id)
            audit.record(session, store, actor, row.review_id, "update", row.kind.value, row.id, changed)
        return _entry_data(row)


def delete_entry(store: Store, entry_id: int, actor: Actor) -> EntryData:
    with store.write() as session:
        row = session.get(SectionEntry, entry_id)
        if row is None:
            raise NotFoundError("That entry has already been deleted.")
        data = _entry_data(row)
        session.delete(row)
        touch(session, store, data.review_id)
        audit.record(session, store, actor, data.review_id, "delete", data.kind.value, data.id)
        return data


def restore_entry(store: Store, data: EntryData, actor: Actor) -> EntryData:
    """Put back a deleted entry with its id and creation time (undo of delete)."""
    _check_entry(data.text, data.kind, data.safeguarding, data.safeguarding_lead)
    with store.write() as session:
        _state(session, data.review_id, data.section_id)
        row = SectionEntry(
            id=data.id,
            review_id=data.review_id,
            section_id=data.section_id,
            kind=data.kind,
            text=data.text,
            evidence=data.evidence,
            evidence_detail=data.evidence_detail,
            safeguarding=data.safeguarding,
            safeguarding_lead=data.safeguarding_lead,
            created_at=data.created_at,
        )
        session.add(row)
        session.flush()
        touch(session, store, data.review_id)
        audit.record(session, store, actor, data.review_id, "restore", data.kind.value, row.id)
        return _entry_data(row)


def list_entries(store: Store, review_id: int, section_id: str | None = None) -> list[EntryData]:
    with store.read() as session:
        query = select(SectionEntry).where(SectionEntry.review_id == review_id)
        if section_id is not None:
            query = query.where(SectionEntry.section_id == section_id)
        return [_entry_data(row) for row in session.scalars(query.order_by(SectionEntry.id))]


# Headline questions --------------------------------------------------------------------


def list_headlines(store: Store, review_id: int) -> list[HeadlineData]:
    with store.read() as session:
        rows = session.scalars(
            select(HeadlineResponse).where(HeadlineResponse.review_id == review_id).order_by(HeadlineResponse.id)
        )
        return [HeadlineData(row.question_id, row.answer, row.reasons) for row in rows]


def set_headline(
    store: Store, review_id: int, question_id: str, actor: Actor, *,
    answer: HeadlineAnswer | None = None, reasons: str | None = None,
) -> HeadlineData:
    with store.write() as session:
        row = session.scalar(
            select(HeadlineResponse).where(
                HeadlineResponse.review_id == review_id, HeadlineResponse.question_id == question_id
            )
        )
        if row is None:
            raise NotFoundError(f"The review has no headline question '{question_id}'.")
        changed = []
        if answer is not None and answer is not row.answer:
            row.answer = answer
            changed.append("answer")
        if reasons is not None and reasons != row.reasons:
            row.reasons = reasons
            changed.append("reasons")
        if changed:
            touch(session, store, review_id)
            audit.record(session, store, actor, review_id, "update", "headline", row.id, changed)
        return HeadlineData(row.question_id, row.answer, row.reasons)
