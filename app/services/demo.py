"""A realistic, entirely fictional IC(E)TR day for demonstrations, screenshots and benchmarks."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from app.kloe import TemplateRegistry
from app.models.enums import (
    ActionStatus,
    Attendance,
    ConsentBasis,
    CqcRating,
    DocumentStatus,
    EntryKind,
    EscalationDecision,
    Evidence,
    HeadlineAnswer,
    Listened,
    Mode,
    Priority,
    SectionStatus,
    YesNo,
)
from app.services import actions, escalation_decision, notes, outcomes, people, planning, reviews, sections
from app.services.demo_history import previous_actions_note, seed_earlier_review, seed_follow_up
from app.services.dto import ActionInput, Actor, ReviewSetup
from app.services.store import Store

DEMO_PERSON = "A.K."
# Who writes when the throwaway demo opens: its note-taker, who is on its register.
DEMO_WRITER = Actor("Sam Taylor", "note_taker")
SEGREGATION_WEEKS_BEFORE = 30
# The review is set up this many days before the day, and planned from then on.
PLANNED_DAYS_BEFORE = 28
# Where each document of the IC(E)TR's checklist stands on the day (the rest: received).
DOCUMENTS_NOT_RECEIVED = {"incident_log": DocumentStatus.REQUESTED}

PANEL = (
    # An IC(E)TR's independent chair is appointed by the Department of Health and Social Care.
    ("Morgan Ellis", "independent_chair", "Independent (appointed by DHSC)", Attendance.IN_PERSON),
    ("Dr Priya Nair", "clinical_expert", "Consultant psychiatrist, independent", Attendance.IN_PERSON),
    ("Jamie Fox", "expert_by_experience", "Independent", Attendance.IN_PERSON),
    ("Ruth Okafor", "mha_reviewer", "Care Quality Commission", Attendance.IN_PERSON),
    ("Ravi Patel", "commissioner", "Northvale ICB", Attendance.REMOTE),
    ("Sam Taylor", "note_taker", "Northvale ICB", Attendance.IN_PERSON),
)
OTHERS = (
    ("A.K.", "person", "", Attendance.IN_PERSON),
    ("Linda K.", "family_carer", "Mother", Attendance.REMOTE),
    ("Tom Reid", "advocate", "Northvale Advocacy (IMHA)", Attendance.IN_PERSON),
    ("Dr Helen Marsh", "responsible_clinician", "Elmfield Hospital", Attendance.IN_PERSON),
    ("Chris Doyle", "named_nurse", "Cedar Ward", Attendance.IN_PERSON),
    ("Aisha Rahman", "psychologist", "Elmfield Hospital", Attendance.SENT_VIEWS),
    ("Ben Carter", "care_coordinator", "Northvale Community LD Team", Attendance.IN_PERSON),
    ("Gill Foster", "social_care", "Northvale Council adult safeguarding", Attendance.APOLOGIES),
)

# (section, speaker name, text) - a plausible day, in the order it was said.
NOTES: tuple[tuple[str, str, str], ...] = (
    ("opening", "A.K.", "I want to go home to Northvale. I want my own flat with my cat."),
    ("opening", "Linda K.", "What matters most is that he gets outside every day; he has not been out for three weeks."),
    # With history, the chair's count of the previous review's actions comes after this note.
    ("opening", "Tom Reid", "A.K. prefers short questions and time to answer; he uses a picture timetable."),
    ("safety", "Dr Helen Marsh", "Long-term segregation since {segregation}; reviewed daily by the ward and weekly by the MDT."),
    ("safety", "Chris Doyle", "Restraint down from 11 episodes in September to 4 in October."),
    ("safety", "Dr Priya Nair", "PRN lorazepam used 9 times in October; no clear record of what was tried first."),
    ("safety", "Linda K.", "He tells me it is very loud at night on the ward and he cannot sleep."),
    ("care_treatment", "Dr Helen Marsh", "Formulation updated in September; autism assessment completed in 2023."),
    ("care_treatment", "Aisha Rahman", "Positive behaviour support plan written but not yet shared with night staff."),
    ("care_treatment", "Dr Priya Nair", "No speech and language therapy input since admission."),
    ("care_treatment", "Ruth Okafor", "Section 3 renewed in March; tribunal due in January; IMHA access confirmed."),
    ("daily_life", "A.K.", "I like drawing and football. I don't like the noise."),
    ("daily_life", "Jamie Fox", "Segregation area has a bare room with no pictures; A.K. asked for his drawings."),
    ("daily_life", "Chris Doyle", "Fresh air offered once a day when staffing allows; it did not happen on 6 days last month."),
    ("daily_life", "Linda K.", "Video calls are often cancelled at short notice."),
    ("physical_health", "Dr Priya Nair", "Annual health check overdue since June; weight up 9 kg since admission."),
    ("physical_health", "Chris Doyle", "Dental appointment booked for 3 December."),
    ("physical_health", "Dr Helen Marsh", "Antipsychotic dose reviewed in October; STOMP review not yet recorded."),
    ("future_plans", "Ben Carter", "A provider has been identified in Northvale; funding panel on 10 December."),
    ("future_plans", "Ravi Patel", "Housing: a two-bedroom bungalow is being adapted; no date yet."),
    ("future_plans", "Linda K.", "I want to be part of the planning, not just told at the end."),
    ("hospital_or_community", "Dr Priya Nair", "With the right support and environment, A.K.'s needs could be met in the community."),
    ("hospital_or_community", "Ravi Patel", "Dynamic Support Register rating: blue (in hospital)."),
    ("lts", "Ruth Okafor", "LTS reviews by an independent doctor happen, but the last two were late."),
    ("lts", "Jamie Fox", "The plan to end segregation has no dates or steps A.K. understands."),
    ("lts", "Dr Helen Marsh", "We could trial two hours a day on the main ward from next week."),
    ("findings", "Morgan Ellis", "Feedback given to the ward team and to A.K. and his mother before leaving."),
)

# What the panel marked for "What you told us" in A.K.'s easy-read report: his words and his mother's.
EASY_READ_NOTES = frozenset({
    "I want to go home to Northvale. I want my own flat with my cat.",
    "He tells me it is very loud at night on the ward and he cannot sleep.",
    "I like drawing and football. I don't like the noise.",
    "I want to be part of the planning, not just told at the end.",
})

ENTRIES = (
    ("safety", EntryKind.CONCERN, "PRN use is high and the reasons are not recorded.", Evidence.DOCUMENT, "PRN chart, October", False, ""),
    ("safety", EntryKind.GOOD_PRACTICE, "Restraint has fallen steadily over two months.", Evidence.DOCUMENT, "Incident log", False, ""),
    ("daily_life", EntryKind.CONCERN, "Fresh air not offered on six days last month.", Evidence.QUOTE, "Named nurse", False, ""),
    # The named person is outside the ward being reviewed: the council's adult safeguarding lead.
    ("daily_life", EntryKind.CONCERN, "Bruise on A.K.'s forearm not recorded in the body map.", Evidence.OBSERVATION, "Seen by the panel", True, "Gill Foster"),
    ("care_treatment", EntryKind.FINDING, "No speech and language therapy since admission.", Evidence.DOCUMENT, "MDT notes", False, ""),
    ("lts", EntryKind.FINDING, "Segregation is not the least restrictive option given the recent reduction in incidents.", Evidence.OBSERVATION, "", False, ""),
    ("future_plans", EntryKind.GOOD_PRACTICE, "A community provider and home are identified.", Evidence.QUOTE, "Care co-ordinator", False, ""),
)

ACTIONS = (
    ("Speech and language therapy assessment, including an accessible communication passport.",
     "No SLT input since admission; A.K. uses a picture timetable.", "Dr Helen Marsh", 4, Priority.HIGH, "care_treatment",
     "A speech helper will meet you. They will find out how you like to talk."),
    ("Write a plan to end long-term segregation with dated steps, in easy read for A.K.",
     "The current plan has no dates or steps A.K. understands.", "Dr Helen Marsh", 2, Priority.HIGH, "lts",
     "Your doctor will write a plan to stop keeping you apart. It will have dates and pictures."),
    ("Offer fresh air at least twice a day and record each offer and outcome.",
     "Fresh air did not happen on 6 days last month.", "Chris Doyle", 2, Priority.HIGH, "daily_life",
     "Staff will ask you to go outside two times every day."),
    ("Audit PRN use for October and November against the PBS plan.",
     "9 PRN doses in October without recorded alternatives.", "Dr Helen Marsh", 4, Priority.MEDIUM, "safety",
     "Your doctor will check how often you get medicine to calm you down."),
    ("Share the PBS plan with all night staff and check it is understood.",
     "Plan written but night staff have not seen it.", "Aisha Rahman", 2, Priority.MEDIUM, "care_treatment",
     "Night staff will learn your plan for when you are upset."),
    ("Complete the annual health check and a STOMP medication review.",
     "Health check overdue since June; weight up 9 kg.", "Dr Helen Marsh", 6, Priority.MEDIUM, "physical_health",
     "You will have your yearly health check. A doctor will see if you can take less medicine."),
    ("Confirm the funding panel decision and a target move date.",
     "Provider and home identified; funding panel on 10 December.", "Ravi Patel", 4, Priority.HIGH, "future_plans",
     "We will find out when the money for your new home is agreed. Then we can plan the day you move."),
    ("Invite A.K.'s mother to every discharge planning meeting.",
     "Family asked to be part of planning.", "Ben Carter", 2, Priority.MEDIUM, "future_plans",
     "Your mum will be asked to every meeting about leaving hospital."),
    ("Put A.K.'s drawings and pictures up in the segregation area.",
     "The room is bare; A.K. asked for his drawings.", "Chris Doyle", 2, Priority.LOW, "daily_life",
     "Staff will put your drawings and pictures on the wall."),
)


# With the earlier review: what will be different this time for the recommendations it made before.
DIFFERENT_THIS_TIME = {
    ACTIONS[0][0]: "The ICB funds a speech and language therapist for Cedar Ward from January; named on the plan.",
    ACTIONS[1][0]: "Each step has a date and a named nurse, and the plan comes back to the commissioner monthly.",
    ACTIONS[2][0]: "Each offer is recorded on the daily sheet, and the ward manager checks it weekly.",
}


def _organisation_of(name: str) -> str:
    for person, _role, organisation, _attendance in PANEL + OTHERS:
        if person == name:
            return organisation
    return ""


def _role_of(name: str) -> str:
    for person, role, _organisation, _attendance in PANEL + OTHERS:
        if person == name:
            return role
    return "other"


class _DayClock:
    """A clock for the demo: starts at 09:30 on the review day and moves a little per event."""

    def __init__(self, day: date) -> None:
        self.current = datetime.combine(day, time(9, 30))

    def move_to(self, day: date) -> None:
        self.current = datetime.combine(day, time(9, 30))

    def __call__(self) -> datetime:
        return self.current

    def step(self, minutes: float) -> None:
        self.current += timedelta(minutes=minutes)


def seed_demo(
    store: Store,
    *,
    review_date: date | None = None,
    size: str = "normal",
    registry: TemplateRegistry | None = None,
    history: bool = False,
) -> int:
    """Create the demo IC(E)TR review and return its id. size='large' makes 400+ notes, 120+ actions.

    With history (what `reviewday demo` and `reviewday --demo` use) A.K. also has an earlier, signed
    review a few months before, whose unfinished actions are carried into this one and some of whose
    recommendations are repeated. Without it the demo review stands alone.
    """
    if size not in ("normal", "large"):
        raise ValueError("size must be 'normal' or 'large'")
    review_date = review_date or date.today()
    clock = _DayClock(review_date - timedelta(days=PLANNED_DAYS_BEFORE))
    demo = Store(store.engine, clock=clock)
    chair = Actor("Morgan Ellis", "independent_chair")
    note_taker = DEMO_WRITER
    setup = ReviewSetup(
        template_id="icetr",
        person_label=DEMO_PERSON,
        review_date=review_date,
        age_band="18-25",
        hospital="Elmfield Hospital",
        unit="Elm Unit",
        ward="Cedar Ward",
        secure=False,
        cqc_rating=CqcRating.REQUIRES_IMPROVEMENT,
        legal_status="Section 3 MHA",
        admission_date=review_date - timedelta(days=628),
        community_review_before_admission=YesNo.YES,
        long_term_segregation=True,
        # Before the earlier review (EARLIER_WEEKS_BEFORE), which already found him segregated.
        segregation_started=review_date - timedelta(weeks=SEGREGATION_WEEKS_BEFORE),
        requested_because="Over six months in long-term segregation; asked for by the commissioner.",
        mode=Mode.HYBRID,
        environment_seen=True,
        # An IC(E)TR sets no repeat interval: the panel agrees the next date on the day.
        next_review_agreed=review_date + timedelta(weeks=12),
    )
    if history:
        earlier_id = seed_earlier_review(store, setup, chair, registry=registry)
        review = seed_follow_up(demo, earlier_id, setup, chair, registry=registry)
    else:
        review = reviews.create_review(demo, setup, chair, registry=registry)
    for name, role, organisation, attendance in PANEL + OTHERS:
        people.add_attendee(demo, review.id, chair, name=name, role=role,
                            organisation=organisation, attendance=attendance)
    _plan(demo, clock, review.id, Actor("Ravi Patel", "commissioner"), review_date, registry)
    clock.move_to(review_date)
    people.record_consent(demo, review.id, chair, ConsentBasis.CONSENT,
                          "A.K. agreed with his advocate present; happy for his mother to see the report.")

    template = reviews.template_for(review, registry)
    section_ids = {section.id for section in template.sections}
    started = setup.segregation_started
    for section_id, speaker, text in _notes_for(size, history):
        if section_id not in section_ids:
            continue
        clock.step(3)
        text = text.replace("{segregation}", f"{started.day} {started:%B %Y}")
        notes.add_note(demo, review.id, section_id, text, note_taker,
                       speaker_name=speaker, speaker_role=_role_of(speaker), easy_read=text in EASY_READ_NOTES)
    for section_id, kind, text, evidence, detail, safeguarding, lead in ENTRIES:
        if section_id in section_ids:
            sections.add_entry(demo, review.id, section_id, kind, text, chair, evidence=evidence,
                               evidence_detail=detail, safeguarding=safeguarding, safeguarding_lead=lead)
    for state in sections.list_section_states(demo, review.id):
        if state.section_id != "findings":
            sections.add_elapsed(demo, review.id, state.section_id, state.planned_minutes * 60 + 120)
            sections.set_section_status(demo, review.id, state.section_id, SectionStatus.DONE, chair)
    # In plain words, as the headline page asks: the easy read shows them to A.K.
    answers = (
        ("safe", HeadlineAnswer.PARTLY, "Staff hold you less than before. But you get a lot of medicine to calm you "
                                        "down. A bruise on your arm was not written down."),
        ("good_care", HeadlineAnswer.PARTLY, "Your nurses know you well. But no speech helper has seen you. "
                                             "You are still kept apart from others."),
        ("future_plan", HeadlineAnswer.YES, "A home and a support team in Northvale have been found. "
                                            "The date depends on the money being agreed."),
        ("community", HeadlineAnswer.YES, "You could live in Northvale with the right help and the right home."),
    )
    for question_id, answer, reasons in answers:
        sections.set_headline(demo, review.id, question_id, chair, answer=answer, reasons=reasons)
    for what, why, owner, weeks, priority, section_id, plain, status in _actions_for(size):
        actions.add_action(
            demo,
            review.id,
            ActionInput(
                what=what,
                why=why,
                owner_name=owner,
                owner_organisation=_organisation_of(owner),
                deadline=actions.quick_deadline(review_date, weeks),
                priority=priority,
                status=status,
                section_id=section_id if section_id in section_ids else "",
                completion_evidence="Confirmed in writing to the chair.",
                different_this_time=DIFFERENT_THIS_TIME.get(what, "") if history else "",
                easy_read=plain,
            ),
            chair,
        )
    _record_decision_and_feedback(demo, review.id, chair, review_date)
    return review.id


def _plan(store: Store, clock: _DayClock, review_id: int, commissioner: Actor, day: date,
          registry: TemplateRegistry | None) -> None:
    """The commissioner's planning: the family asked about the date, notice given, the papers asked
    for and (all but one) received, and a pre-meeting the week before."""
    clock.move_to(day - timedelta(days=24))
    planning.record_planning(store, review_id, commissioner, family_consulted=YesNo.YES,
                             family_consulted_on=day - timedelta(days=24))
    clock.move_to(day - timedelta(days=21))
    planning.record_planning(store, review_id, commissioner, notice_given_on=day - timedelta(days=21),
                             notice_given_to="A.K. (easy read letter), his mother, his advocate and Elmfield Hospital")
    documents = planning.get_planning(store, review_id, registry).documents
    for document in documents:
        planning.set_document_status(store, review_id, commissioner, document.id, DocumentStatus.REQUESTED, registry)
    clock.move_to(day - timedelta(days=5))
    planning.record_planning(store, review_id, commissioner, pre_meeting_on=day - timedelta(days=5))
    for document in documents:
        status = DOCUMENTS_NOT_RECEIVED.get(document.id, DocumentStatus.RECEIVED)
        planning.set_document_status(store, review_id, commissioner, document.id, status, registry)


def _record_decision_and_feedback(store: Store, review_id: int, chair: Actor, day: date) -> None:
    """The panel escalates (long stay, segregation), and the person, family and advocate hear it on the day."""
    escalation_decision.record_decision(
        store, review_id, chair, decision=EscalationDecision.ESCALATE, reasons="long_stay long_term_segregation",
        decided_by="Morgan Ellis", decided_on=day, person_told_on=day, family_told_on=day, advocate_told_on=day,
    )
    outcomes.record_feedback(store, review_id, chair, person_listened=Listened.YES,
                             person_feedback="A.K. said the panel listened and liked seeing his drawings talked about.",
                             family_listened=Listened.PARTLY,
                             family_feedback="His mother felt heard, but joining by video was hard.")


def _notes_for(size: str, history: bool = False) -> Iterator[tuple[str, str, str]]:
    yield from NOTES[:2]
    if history:
        yield "opening", "Morgan Ellis", previous_actions_note()
    yield from NOTES[2:]
    if size == "large":
        for number, (section_id, speaker, text) in zip(range(1, 421), itertools.cycle(NOTES)):
            yield section_id, speaker, f"(later discussion {number}) {text}"


def _actions_for(size: str) -> Iterator[tuple]:
    for action in ACTIONS:
        yield (*action, ActionStatus.OPEN)
    if size == "large":
        statuses = itertools.cycle((ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE))
        for number, action in zip(range(1, 121), itertools.cycle(ACTIONS)):
            what, why, owner, weeks, priority, section_id, plain = action
            yield (f"{what} (follow-up {number})", why, owner, weeks + number % 4, priority, section_id, plain,
                   next(statuses))
