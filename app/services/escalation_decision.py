"""The panel's decision about the ICS oversight panel: escalate or not, why, who decided and when,
the oversight panel's outcome, and when the person, their family and their advocate were told.

The criteria in app/services/escalation.py are not exclusive: a panel may escalate for a reason
outside them ("other", with its words), and may decide not to escalate although a criterion is
met (then it records why). Hard mistakes (a date in the future, a decider not on the register)
are refused; what is still missing is listed by `decision_problems`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Attendee
from app.models.enums import EscalationDecision
from app.services import audit, escalation
from app.services.dto import DECISION_COLUMNS, Actor, EscalationDecisionData
from app.services.errors import ValidationError
from app.services.reviews import load_review, touch
from app.services.store import Store

OTHER = "other"
REASON_CODES: tuple[str, ...] = (*escalation.FLAG_CODES, OTHER)
REASON_TITLES: dict[str, str] = {**escalation.FLAG_TITLES, OTHER: "Other concern"}
# Who is told of the decision: (field prefix, how a sentence names them).
TOLD: tuple[tuple[str, str], ...] = (("person", "the person"), ("family", "their family"),
                                     ("advocate", "their advocate"))
DECISION_LABELS: dict[EscalationDecision, str] = {
    EscalationDecision.UNDECIDED: "Not decided yet",
    EscalationDecision.ESCALATE: "Escalate to the ICS oversight panel",
    EscalationDecision.NOT_ESCALATE: "Do not escalate",
}


def reasons_value(chosen: Any) -> str:
    """Reason codes as stored: known codes, space-separated, in the criteria's order, "other" last."""
    wanted = set(chosen.split() if isinstance(chosen, str) else chosen)
    return " ".join(code for code in REASON_CODES if code in wanted)


def _of(review: Any) -> EscalationDecisionData:
    return EscalationDecisionData(**{name: getattr(review, column) for name, column in DECISION_COLUMNS.items()})


def get_decision(store: Store, review_id: int) -> EscalationDecisionData:
    with store.read() as session:
        return _of(load_review(session, review_id))


def record_decision(store: Store, review_id: int, actor: Actor, **changes: Any) -> EscalationDecisionData:
    """Change some fields of the decision in one unit of work; refused on a signed review."""
    unknown = set(changes) - set(DECISION_COLUMNS)
    if unknown:
        raise ValueError(f"not decision fields: {sorted(unknown)}")
    with store.write() as session:
        review = load_review(session, review_id)
        merged = _tidy(replace(_of(review), **changes))
        _validate(session, review, merged, today=store.now().date())
        merged = replace(merged, decided_by_role=_register_role(session, review_id, merged.decided_by))
        changed = [name for name in DECISION_COLUMNS if getattr(review, DECISION_COLUMNS[name]) != getattr(merged, name)]
        if changed:
            touch(session, store, review_id)
            for name in changed:
                setattr(review, DECISION_COLUMNS[name], getattr(merged, name))
            audit.record(session, store, actor, review_id, "update", "escalation_decision", review_id,
                         [DECISION_COLUMNS[name] for name in changed])
        return merged


def _tidy(data: EscalationDecisionData) -> EscalationDecisionData:
    texts = {name: " ".join(getattr(data, name).split()) if name == "decided_by" else getattr(data, name).strip()
             for name in ("other_concern", "not_because", "decided_by", "oversight_outcome",
                          "person_not_told_because", "family_not_told_because", "advocate_not_told_because")}
    for word in data.reasons.split():
        if word not in REASON_CODES:
            raise ValidationError(f"'{word}' is not an escalation criterion.")
    return replace(data, reasons=reasons_value(data.reasons), **texts)


def _register_role(session: Session, review_id: int, name: str) -> str:
    if not name:
        return ""
    for attendee_name, role in session.execute(
        select(Attendee.name, Attendee.role).where(Attendee.review_id == review_id).order_by(Attendee.position)
    ):
        if " ".join(attendee_name.split()).casefold() == name.casefold():
            return role
    raise ValidationError(f"Choose who decided from the attendance register; {name} is not on it.")


def _validate(session: Session, review: Any, data: EscalationDecisionData, *, today: date) -> None:
    words = data.reasons.split()
    if data.decision is EscalationDecision.ESCALATE:
        if not words:
            raise ValidationError("Give at least one reason for escalating: a criterion, or another concern.")
        if OTHER in words and not data.other_concern:
            raise ValidationError("Describe the other concern that is a reason for escalating.")
    if data.decision is EscalationDecision.NOT_ESCALATE and not data.not_because:
        met = escalation.assess(session, review.id).flags
        if met:
            raise ValidationError(
                f"Say why the review is not escalated although it meets {len(met)} "
                f"{'criterion' if len(met) == 1 else 'criteria'}."
            )
    if data.decided_on is not None:
        if data.decided_on > today:
            raise ValidationError("The date decided is in the future; give the day the panel decided.")
        if data.decided_on < review.review_date:
            raise ValidationError("The date decided is before the review date.")
    since = data.decided_on or review.review_date
    if (data.oversight_outcome or data.oversight_outcome_on) and data.decision is not EscalationDecision.ESCALATE:
        raise ValidationError("Record the oversight panel's outcome only when the review was escalated.")
    if data.oversight_outcome_on is not None:
        if data.oversight_outcome_on > today:
            raise ValidationError("The oversight panel's outcome is dated in the future.")
        if data.oversight_outcome_on < since:
            raise ValidationError("The oversight panel's outcome is dated before the decision.")
    for who, named in TOLD:
        told_on, because = getattr(data, f"{who}_told_on"), getattr(data, f"{who}_not_told_because")
        if told_on is not None and because:
            raise ValidationError(f"For {named}, give either the date they were told or why they were not told, "
                                  "not both.")
        if told_on is not None and told_on > today:
            raise ValidationError(f"The date {named} were told is in the future.")
        if told_on is not None and told_on < since:
            raise ValidationError(f"{named[0].upper()}{named[1:]} were told on a date before the decision.")


def decision_problems(store: Store, review_id: int) -> list[str]:
    """What the decision still lacks, in plain sentences; empty when complete (or nothing to decide)."""
    with store.read() as session:
        review = load_review(session, review_id)
        data = _of(review)
        met = escalation.assess(session, review_id).flags
    problems: list[str] = []
    if data.decision is EscalationDecision.UNDECIDED:
        if met:
            count = f"{len(met)} {'criterion' if len(met) == 1 else 'criteria'}"
            problems.append(f"Record whether the review goes to the ICS oversight panel: it meets {count}.")
        return problems
    if not data.decided_by:
        problems.append("Name who decided, from the attendance register.")
    if data.decided_on is None:
        problems.append("Give the date of the decision.")
    for who, named in TOLD:
        if getattr(data, f"{who}_told_on") is None and not getattr(data, f"{who}_not_told_because"):
            problems.append(f"Record when {named} were told of the decision, or why not.")
    return problems
