"""The oversight summary: one row per review with its escalation flags, action counts and next review.

For an ICS oversight panel or a commissioner's tracker. It carries no free text from the review
(no notes, findings, action wording, feedback in anyone's words or reasons typed by the panel):
the person's pseudonym, the review's type, date and setting, which criteria are met and why
(generated sentences), the panel's decision and its dates, the admission and readmission facts,
the person's and family's feedback on a simple scale, counts and dates (what became of the previous
review's recommendations: done, partly done, not done, not yet recorded; the final report's due
day, when it was sent and whether it is overdue; when the draft was shared and how many corrections
were accepted and declined, never their words).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.kloe import TemplateRegistry
from app.models import AccuracyCorrection, Action, CarriedAction, ReportCopy, Review
from app.models.enums import (
    ActionStatus,
    CarriedOutcome,
    CirculationStage,
    CorrectionDecision,
    EscalationDecision,
    Listened,
    SecureLevel,
    YesNo,
)
from app.services import after_day, escalation
from app.services.next_review import next_review_due
from app.services.reviews import to_data
from app.services.store import Store


@dataclass(frozen=True)
class OversightRow:
    review_id: int
    person_label: str
    review_type: str
    review_date: date
    setting: str
    status: str
    flags: tuple[escalation.EscalationFlag, ...]
    open_actions: int
    overdue_actions: int
    next_review_due: date | None
    cqc_rating: str = ""
    secure_level: str = ""
    segregation_days: int | None = None
    community_review_before_admission: str = ""
    root_cause_analysis_due: bool = False
    readmission: str = ""
    days_from_discharge_to_readmission: int | None = None
    decision: str = ""
    decided_on: date | None = None
    oversight_outcome_on: date | None = None
    # Each: the date told, "Not told" (the reason stays in the review), or "".
    person_told: date | str = ""
    family_told: date | str = ""
    advocate_told: date | str = ""
    person_listened: str = ""
    family_listened: str = ""
    # After the day: the final report's due day and first sending, the draft's first sharing for
    # the factual accuracy check, the corrections decided and how many copies of the final went out.
    report_due: date | None = None
    report_sent_on: date | None = None
    report_overdue: bool = False
    draft_shared_on: date | None = None
    corrections_accepted: int = 0
    corrections_declined: int = 0
    final_copies: int = 0
    # The previous review's recommendations followed up in this one, and what became of them (counts).
    previous_recommendations: int = 0
    previous_done: int = 0
    previous_partly_done: int = 0
    previous_not_done: int = 0
    previous_not_recorded: int = 0

    def has(self, code: str) -> bool:
        return any(flag.code == code for flag in self.flags)

    @property
    def reasons(self) -> str:
        return " ".join(flag.text for flag in self.flags)


def _setting(review: Review) -> str:
    place = ", ".join(part for part in (review.hospital, review.unit, review.ward) if part)
    kind = review.setting_kind.value
    if review.secure:
        kind = f"secure {kind}"
    return f"{place} ({kind})" if place else kind


YES_NO = {YesNo.YES: "Yes", YesNo.NO: "No", YesNo.UNKNOWN: ""}
DECISIONS = {EscalationDecision.UNDECIDED: "Not decided", EscalationDecision.ESCALATE: "Escalate",
             EscalationDecision.NOT_ESCALATE: "Not escalated"}
LISTENED = {Listened.NOT_ASKED: "", Listened.YES: "Yes", Listened.PARTLY: "Partly", Listened.NO: "No",
            Listened.DID_NOT_SAY: "Did not say"}
SECURE_LEVELS = {SecureLevel.NONE: "Not secure", SecureLevel.LOW: "Low secure", SecureLevel.MEDIUM: "Medium secure",
                 SecureLevel.HIGH: "High secure", SecureLevel.SECURE: "Secure (level not recorded)"}


def _told(on: date | None, because: str) -> date | str:
    return on if on is not None else ("Not told" if because else "")


def _outcomes(review: Review) -> dict:
    """The process and outcome columns: scales, yes/no and dates, never the words typed."""
    segregation = ((review.review_date - review.segregation_started).days
                   if review.segregation_started and review.long_term_segregation else None)
    readmitted = (review.readmission is YesNo.YES and review.admission_date is not None
                  and review.discharge_date is not None)
    return dict(
        cqc_rating=review.cqc_rating.value.replace("_", " ").capitalize() if review.cqc_rating.value != "not_recorded"
        else "",
        secure_level=SECURE_LEVELS[review.secure_level],
        segregation_days=segregation,
        community_review_before_admission=YES_NO[review.community_review_before_admission],
        root_cause_analysis_due=review.community_review_before_admission is YesNo.NO,
        readmission=YES_NO[review.readmission],
        days_from_discharge_to_readmission=(review.admission_date - review.discharge_date).days if readmitted else None,
        decision=DECISIONS[review.escalation_decision],
        decided_on=review.escalation_decided_on,
        oversight_outcome_on=review.oversight_outcome_on,
        person_told=_told(review.person_told_on, review.person_not_told_because),
        family_told=_told(review.family_told_on, review.family_not_told_because),
        advocate_told=_told(review.advocate_told_on, review.advocate_not_told_because),
        person_listened=LISTENED[review.person_listened],
        family_listened=LISTENED[review.family_listened],
    )


def _follow_up(counts: dict[CarriedOutcome, int]) -> dict:
    return dict(
        previous_recommendations=sum(counts.values()),
        previous_done=counts.get(CarriedOutcome.DONE, 0),
        previous_partly_done=counts.get(CarriedOutcome.IN_PROGRESS, 0),
        previous_not_done=counts.get(CarriedOutcome.NOT_DONE, 0),
        previous_not_recorded=counts.get(CarriedOutcome.PENDING, 0),
    )



def _after_day(session, reviews: list[Review], today: date, working_days: int) -> dict[int, dict]:
    """The after-the-day columns for every review, in three queries: dates and counts only."""
    timelines = after_day.timelines(session, reviews, today=today, working_days=working_days)
    drafts = dict(session.execute(
        select(ReportCopy.review_id, func.min(ReportCopy.sent_on))
        .where(ReportCopy.stage == CirculationStage.DRAFT).group_by(ReportCopy.review_id)
    ).all())
    finals = dict(session.execute(
        select(ReportCopy.review_id, func.count()).where(ReportCopy.stage == CirculationStage.FINAL)
        .group_by(ReportCopy.review_id)
    ).all())
    decided: dict[tuple[int, CorrectionDecision], int] = {
        (review_id, decision): count for review_id, decision, count in session.execute(
            select(AccuracyCorrection.review_id, AccuracyCorrection.decision, func.count())
            .group_by(AccuracyCorrection.review_id, AccuracyCorrection.decision)
        )
    }
    return {
        review.id: dict(
            report_due=timelines[review.id].due, report_sent_on=timelines[review.id].sent_on,
            report_overdue=timelines[review.id].overdue, draft_shared_on=drafts.get(review.id),
            corrections_accepted=decided.get((review.id, CorrectionDecision.ACCEPTED), 0),
            corrections_declined=decided.get((review.id, CorrectionDecision.DECLINED), 0),
            final_copies=finals.get(review.id, 0),
        )
        for review in reviews
    }


def oversight_rows(store: Store, *, today: date, registry: TemplateRegistry | None = None,
                   report_due_working_days: int = after_day.DEFAULT_DUE_WORKING_DAYS) -> list[OversightRow]:
    """Every review, newest first. Overdue: a deadline before `today` on an action not done; a final
    report not sent by its due day (`report_due_working_days` after the review day)."""
    templates = registry or TemplateRegistry.default()
    with store.read() as session:
        reviews = list(session.scalars(select(Review).order_by(Review.review_date.desc(), Review.id.desc())))
        assessments = escalation.assess_many(session, reviews)
        sent = _after_day(session, reviews, today, report_due_working_days)
        open_counts: dict[int, int] = {}
        overdue_counts: dict[int, int] = {}
        for review_id, status, deadline in session.execute(
            select(Action.review_id, Action.status, Action.deadline)
        ):
            if status is ActionStatus.DONE:
                continue
            open_counts[review_id] = open_counts.get(review_id, 0) + 1
            if deadline is not None and deadline < today:
                overdue_counts[review_id] = overdue_counts.get(review_id, 0) + 1
        carried: dict[int, dict[CarriedOutcome, int]] = {}
        for review_id, outcome in session.execute(select(CarriedAction.review_id, CarriedAction.outcome)):
            counts = carried.setdefault(review_id, {})
            counts[outcome] = counts.get(outcome, 0) + 1
        rows = []
        for review in reviews:
            try:
                template = templates.get(review.template_id, review.template_version)
                title, due = template.short_title, next_review_due(to_data(review), template).due
            except KeyError:
                title, due = f"{review.template_id} v{review.template_version}", None
            rows.append(OversightRow(
                review_id=review.id,
                person_label=review.person_label,
                review_type=title,
                review_date=review.review_date,
                setting=_setting(review),
                status=review.status.value.replace("_", " "),
                flags=assessments[review.id].flags,
                open_actions=open_counts.get(review.id, 0),
                overdue_actions=overdue_counts.get(review.id, 0),
                next_review_due=due,
                **_outcomes(review),
                **sent[review.id],
                **_follow_up(carried.get(review.id, {})),
            ))
        return rows
