"""The demo person's earlier review: signed a few months before the demo day, with actions that
were only partly done, so the demo shows carried actions and repeated recommendations."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from app.kloe import TemplateRegistry
from app.models import ReportRevision, Review, Signoff
from app.models.enums import (
    ActionStatus,
    CarriedOutcome,
    CirculationStage,
    ConsentBasis,
    CorrectionDecision,
    DeliveryMethod,
    Priority,
    ReviewStatus,
)
from app.services import actions, after_day, follow_up, notes, people, reviews
from app.services.dto import ActionInput, Actor, ReviewData, ReviewSetup
from app.services.store import Store

EARLIER_WEEKS_BEFORE = 17  # about four months

# (what, owner, organisation, weeks after that review, priority, status then, outcome now, reason now)
EARLIER_ACTIONS = (
    ("Arrange a speech and language therapy assessment and a communication passport.",
     "Dr Helen Marsh", "Elmfield Hospital", 6, Priority.HIGH, ActionStatus.OPEN,
     CarriedOutcome.NOT_DONE, "No speech and language therapist in post on the ward until January."),
    ("Write a plan to end long-term segregation.",
     "Dr Helen Marsh", "Elmfield Hospital", 4, Priority.HIGH, ActionStatus.OVERDUE,
     CarriedOutcome.NOT_DONE, "A draft exists but it has no dates or steps."),
    ("Offer fresh air at least twice a day.",
     "Chris Doyle", "Cedar Ward", 2, Priority.HIGH, ActionStatus.OPEN,
     CarriedOutcome.IN_PROGRESS, "Offered daily; twice a day when staffing allows."),
    ("Identify a community provider in Northvale.",
     "Ben Carter", "Northvale Community LD Team", 8, Priority.MEDIUM, ActionStatus.IN_PROGRESS,
     CarriedOutcome.DONE, "Provider named in the commissioner's letter of 3 October; the panel has seen it."),
    ("Arrange regular video calls with A.K.'s mother.",
     "Chris Doyle", "Cedar Ward", 2, Priority.MEDIUM, ActionStatus.OPEN,
     CarriedOutcome.NO_LONGER_RELEVANT, "His mother now visits every fortnight and prefers visits to calls."),
    ("Confirm tribunal date and IMHA access.",
     "Dr Helen Marsh", "Elmfield Hospital", 4, Priority.MEDIUM, ActionStatus.DONE,
     None, ""),
)

# The earlier actions in plain words, as that panel wrote them for A.K.'s easy-read report.
EARLIER_PLAIN = {
    EARLIER_ACTIONS[0][0]: "A speech helper will meet you and find out how you like to talk.",
    EARLIER_ACTIONS[1][0]: "Your doctor will write a plan to stop keeping you apart.",
    EARLIER_ACTIONS[2][0]: "Staff will ask you to go outside two times every day.",
    EARLIER_ACTIONS[3][0]: "Your team will find people to support you in a home in Northvale.",
    EARLIER_ACTIONS[4][0]: "Staff will help you have video calls with your mum.",
    EARLIER_ACTIONS[5][0]: "Your doctor will tell you the date of your meeting about the hospital rules.",
}


# Why that panel made each recommendation (by its wording).
EARLIER_WHY = {
    EARLIER_ACTIONS[0][0]: "A.K. has no way to say what he wants beyond pointing; nobody has assessed this.",
    EARLIER_ACTIONS[1][0]: "Segregated for over a year with no plan for it to end.",
    EARLIER_ACTIONS[2][0]: "A.K. went outside on 9 days of the last 30.",
    EARLIER_ACTIONS[3][0]: "Discharge cannot be planned without somewhere to go.",
    EARLIER_ACTIONS[4][0]: "A.K. asks for his mother every day; she lives 90 miles away.",
    EARLIER_ACTIONS[5][0]: "A.K. did not know when his tribunal was or who his IMHA is.",
}


def previous_actions_note() -> str:
    """The chair's summary of the earlier review's actions, counted from what the demo records."""
    counts = {"done": 0, "partly done": 0, "not done": 0, "no longer relevant": 0, "not yet followed up": 0}
    for *_rest, status, outcome, _reason in EARLIER_ACTIONS:
        if status is ActionStatus.DONE or outcome is CarriedOutcome.DONE:
            counts["done"] += 1
        elif outcome is CarriedOutcome.IN_PROGRESS:
            counts["partly done"] += 1
        elif outcome is CarriedOutcome.NOT_DONE:
            counts["not done"] += 1
        elif outcome is CarriedOutcome.NO_LONGER_RELEVANT:
            counts["no longer relevant"] += 1
        else:
            counts["not yet followed up"] += 1
    parts = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
    return f"Previous review: {len(EARLIER_ACTIONS)} actions: {parts}."

EARLIER_NOTES = (
    ("opening", "A.K.", "I want to go outside more. I miss my cat."),
    ("safety", "Chris Doyle", "Restraint 11 times in the last month; segregation continues."),
    ("future_plans", "Ben Carter", "No community provider identified yet."),
)


class _Clock:
    def __init__(self, day: date) -> None:
        self.current = datetime.combine(day, time(9, 30))

    def __call__(self) -> datetime:
        self.current += timedelta(minutes=2)
        return self.current


def seed_earlier_review(
    store: Store, setup: ReviewSetup, chair: Actor, *, registry: TemplateRegistry | None = None
) -> int:
    """The demo person's previous review, complete and signed. Returns its id."""
    from app.services.demo import OTHERS, PANEL, _role_of

    day = setup.review_date - timedelta(weeks=EARLIER_WEEKS_BEFORE)
    clock = _Clock(day)
    earlier = Store(store.engine, clock=clock)
    # That panel agreed the demo day as the next review.
    review = reviews.create_review(earlier, replace(setup, review_date=day, next_review_agreed=setup.review_date),
                                   chair, registry=registry)
    for name, role, organisation, attendance in PANEL + OTHERS[:5]:
        people.add_attendee(earlier, review.id, chair, name=name, role=role, organisation=organisation,
                            attendance=attendance)
    people.record_consent(earlier, review.id, chair, ConsentBasis.CONSENT, "A.K. agreed with his advocate present.")
    for section_id, speaker, text in EARLIER_NOTES:
        notes.add_note(earlier, review.id, section_id, text, chair, speaker_name=speaker, speaker_role=_role_of(speaker))
    for what, owner, organisation, weeks, priority, status, _outcome, _reason in EARLIER_ACTIONS:
        actions.add_action(
            earlier, review.id,
            ActionInput(what=what, why=EARLIER_WHY[what], owner_name=owner, owner_organisation=organisation,
                        deadline=day + timedelta(weeks=weeks), priority=priority, status=status,
                        easy_read=EARLIER_PLAIN[what]),
            chair,
        )
    _check_draft(earlier, clock, review.id, Actor("Ravi Patel", "commissioner"), day)
    # Signed and locked, as a finished review would be. (The demo keeps no signed PDF for it.)
    clock.current = datetime.combine(day + timedelta(days=8), time(10, 0))
    with earlier.write() as session:
        row = session.get(Review, review.id)
        now = clock()
        row.status = ReviewStatus.COMPLETE
        row.locked_at = now
        revision = ReportRevision(review_id=review.id, number=1, created_at=now, created_by=chair.name,
                                  signed_at=now)
        revision.signoffs.append(Signoff(kind="sign", name=chair.name, role=chair.role, at=now))
        session.add(revision)
    _distribute(earlier, clock, review.id, Actor("Ravi Patel", "commissioner"), day + timedelta(days=9))
    return review.id


def _check_draft(store: Store, clock: _Clock, review_id: int, commissioner: Actor, day: date) -> None:
    """The factual accuracy check: the draft to the hospital and the commissioner, one correction
    accepted and one declined."""
    clock.current = datetime.combine(day + timedelta(days=3), time(14, 0))
    for recipient, organisation in (("Dr Helen Marsh", "Elmfield Hospital"), ("Ravi Patel", "Northvale ICB")):
        after_day.add_copy(store, review_id, commissioner, stage=CirculationStage.DRAFT, recipient=recipient,
                           organisation=organisation, method=DeliveryMethod.SECURE_EMAIL, sent_on=day + timedelta(days=3))
    clock.current = datetime.combine(day + timedelta(days=6), time(11, 0))
    after_day.add_correction(store, review_id, commissioner, requested_by="Elmfield Hospital",
                             requested_on=day + timedelta(days=6), decision=CorrectionDecision.ACCEPTED,
                             what="The ward is Cedar Ward, not Cedar Unit.")
    after_day.add_correction(store, review_id, commissioner, requested_by="Elmfield Hospital",
                             requested_on=day + timedelta(days=6), decision=CorrectionDecision.DECLINED,
                             what="Remove the finding that fresh air was not offered on six days.",
                             reason="The named nurse told the panel so on the day; the finding stands.")


def _distribute(store: Store, clock: _Clock, review_id: int, commissioner: Actor, sent_on: date) -> None:
    """The signed report sent to the person, their family, the hospital and the commissioner."""
    clock.current = datetime.combine(sent_on, time(15, 0))
    for recipient, organisation, method in (
        ("A.K. (easy read, with his advocate)", "", DeliveryMethod.BY_HAND),
        ("Linda K.", "", DeliveryMethod.POST),
        ("Dr Helen Marsh", "Elmfield Hospital", DeliveryMethod.SECURE_EMAIL),
        ("Ravi Patel", "Northvale ICB", DeliveryMethod.SECURE_EMAIL),
    ):
        after_day.add_copy(store, review_id, commissioner, stage=CirculationStage.FINAL, recipient=recipient,
                           organisation=organisation, method=method, sent_on=sent_on)


def seed_follow_up(
    store: Store, earlier_id: int, setup: ReviewSetup, chair: Actor, *, registry: TemplateRegistry | None = None
) -> ReviewData:
    """The demo day as the follow-up of the earlier review, with most carried outcomes recorded."""
    review = follow_up.start_follow_up(store, earlier_id, setup, chair, registry=registry)
    outcomes = {what: (outcome, reason) for what, *_rest, outcome, reason in EARLIER_ACTIONS}
    for carried in follow_up.list_carried(store, review.id):
        outcome, reason = outcomes.get(carried.what, (None, ""))
        if outcome is not None:
            follow_up.set_carried_outcome(store, carried.id, outcome, reason, chair)
    return review
