"""Plain data handed to the UI and the CLI. Never live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.models.enums import (
    ActionStatus,
    Attendance,
    CirculationStage,
    ConsentBasis,
    CorrectionDecision,
    CqcRating,
    DeliveryMethod,
    DocumentStatus,
    EntryKind,
    EscalationDecision,
    Evidence,
    HeadlineAnswer,
    Listened,
    Mode,
    Priority,
    ReviewStatus,
    SecureLevel,
    SectionStatus,
    Service,
    SettingKind,
    YesNo,
)


@dataclass(frozen=True)
class Actor:
    """Who is making a change: the person at the keyboard and their panel role."""

    name: str
    role: str


# Nobody chosen yet: the services refuse every change in this name (see audit.record).
NOBODY = Actor("", "")


@dataclass(frozen=True)
class ReviewSetup:
    """Everything entered when a review is set up. Also the input to create_review."""

    template_id: str
    person_label: str
    review_date: date
    person_identifiers: str = ""
    age_band: str = ""
    date_of_birth: date | None = None
    setting_kind: SettingKind = SettingKind.HOSPITAL
    hospital: str = ""
    ward: str = ""
    secure: bool = False
    service: Service = Service.ADULT
    legal_status: str = ""
    admission_date: date | None = None
    long_term_segregation: bool = False
    mode: Mode = Mode.IN_PERSON
    environment_seen: bool = False
    # ICS oversight panel criteria (see app.services.escalation).
    moj_restricted: bool = False
    seclusion: bool = False
    restrictive_practice: bool = False
    ward_rated_inadequate: bool = False
    safeguarding_investigation: bool = False
    unresolved_complaint: bool = False
    escalation_requested_by: str = ""  # space-separated EscalationRequester values
    declined_before: int = 0
    # Where and why in more detail. `secure` and `ward_rated_inadequate` are derived from these two
    # (reviews.validate_setup keeps them in step), so either may be given.
    secure_level: SecureLevel = SecureLevel.NONE
    cqc_rating: CqcRating = CqcRating.NOT_RECORDED
    unit: str = ""
    segregation_started: date | None = None
    requested_because: str = ""
    next_review_agreed: date | None = None  # agreed on the day; wins over the template's cadence
    community_review_before_admission: YesNo = YesNo.UNKNOWN
    readmission: YesNo = YesNo.UNKNOWN
    discharge_date: date | None = None  # the person's last discharge from hospital


SETUP_FIELDS: tuple[str, ...] = tuple(
    name for name in ReviewSetup.__dataclass_fields__ if name != "template_id"
)


@dataclass(frozen=True)
class EscalationDecisionData:
    """What the panel decided about the ICS oversight panel, who decided, and who was told when."""

    decision: EscalationDecision = EscalationDecision.UNDECIDED
    reasons: str = ""  # space-separated escalation flag codes, and "other"
    other_concern: str = ""  # the reason outside the listed criteria, when "other" is a reason
    not_because: str = ""  # why not escalated although criteria are met
    decided_by: str = ""  # a name from the attendance register
    decided_by_role: str = ""
    decided_on: date | None = None
    oversight_outcome: str = ""
    oversight_outcome_on: date | None = None
    person_told_on: date | None = None
    person_not_told_because: str = ""
    family_told_on: date | None = None
    family_not_told_because: str = ""
    advocate_told_on: date | None = None
    advocate_not_told_because: str = ""


# Field name in EscalationDecisionData -> column on reviews.
DECISION_COLUMNS: dict[str, str] = {
    "decision": "escalation_decision",
    "reasons": "escalation_reasons",
    "other_concern": "escalation_other_concern",
    "not_because": "escalation_not_because",
    "decided_by": "escalation_decided_by",
    "decided_by_role": "escalation_decided_by_role",
    "decided_on": "escalation_decided_on",
    **{name: name for name in (
        "oversight_outcome", "oversight_outcome_on", "person_told_on", "person_not_told_because", "family_told_on",
        "family_not_told_because", "advocate_told_on", "advocate_not_told_because",
    )},
}


@dataclass(frozen=True)
class FeedbackData:
    """The person's and family's feedback on the review: a simple scale and their words."""

    person_listened: Listened = Listened.NOT_ASKED
    person_feedback: str = ""
    family_listened: Listened = Listened.NOT_ASKED
    family_feedback: str = ""


FEEDBACK_FIELDS: tuple[str, ...] = tuple(FeedbackData.__dataclass_fields__)


@dataclass(frozen=True)
class ReviewData:
    id: int
    uid: str
    template_id: str
    template_version: int
    status: ReviewStatus
    setup: ReviewSetup
    consent_basis: ConsentBasis
    consent_detail: str
    consent_recorded_by: str
    consent_recorded_at: datetime | None
    locked_at: datetime | None
    created_at: datetime
    updated_at: datetime
    decision: EscalationDecisionData = field(default_factory=EscalationDecisionData)
    feedback: FeedbackData = field(default_factory=FeedbackData)

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def person_label(self) -> str:
        return self.setup.person_label

    @property
    def review_date(self) -> date:
        return self.setup.review_date

    @property
    def consent_recorded(self) -> bool:
        return self.consent_basis is not ConsentBasis.NOT_RECORDED

    def length_of_stay_days(self, on: date | None = None) -> int | None:
        if self.setup.admission_date is None:
            return None
        return ((on or self.setup.review_date) - self.setup.admission_date).days


@dataclass(frozen=True)
class ReviewSummary:
    id: int
    template_id: str
    template_version: int
    template_title: str
    person_label: str
    review_date: date
    setting: str
    status: ReviewStatus
    notes: int
    actions: int
    flags: tuple[str, ...] = ()
    unit: str = ""
    cqc_rating: CqcRating = CqcRating.NOT_RECORDED
    secure_level: SecureLevel = SecureLevel.NONE
    segregation_started: date | None = None
    next_review_agreed: date | None = None
    escalation_decision: EscalationDecision = EscalationDecision.UNDECIDED
    # The final report: due so many working days after the review day, and when it was first sent.
    report_due: date | None = None
    report_sent_on: date | None = None


@dataclass(frozen=True)
class AttendeeData:
    id: int
    review_id: int
    name: str
    role: str
    organisation: str
    attendance: Attendance
    position: int


@dataclass(frozen=True)
class NoteData:
    id: int
    review_id: int
    section_id: str
    speaker_name: str
    speaker_role: str
    author_name: str
    author_role: str
    text: str
    created_at: datetime
    updated_at: datetime
    # Marked by the panel for "What you told us" in the easy-read report.
    easy_read: bool = False


@dataclass(frozen=True)
class SectionStateData:
    review_id: int
    section_id: str
    position: int
    status: SectionStatus
    planned_minutes: int
    elapsed_seconds: int
    lead_role: str
    prompts_covered: frozenset[str] = field(default_factory=frozenset)
    notes: int = 0
    entries: int = 0
    concerns: int = 0
    safeguarding: int = 0


@dataclass(frozen=True)
class EntryData:
    id: int
    review_id: int
    section_id: str
    kind: EntryKind
    text: str
    evidence: Evidence
    evidence_detail: str
    safeguarding: bool
    safeguarding_lead: str
    created_at: datetime


@dataclass(frozen=True)
class HeadlineData:
    question_id: str
    answer: HeadlineAnswer
    reasons: str


@dataclass(frozen=True)
class ActionInput:
    what: str
    why: str = ""
    owner_name: str = ""
    owner_organisation: str = ""
    deadline: date | None = None
    priority: Priority = Priority.MEDIUM
    status: ActionStatus = ActionStatus.OPEN
    section_id: str = ""
    completion_evidence: str = ""
    easy_read: str = ""
    # When it repeats a recommendation from the previous review: what will be different this time.
    different_this_time: str = ""


ACTION_FIELDS: tuple[str, ...] = tuple(ActionInput.__dataclass_fields__)


@dataclass(frozen=True)
class ActionData:
    id: int
    review_id: int
    position: int
    what: str
    why: str
    owner_name: str
    owner_organisation: str
    deadline: date | None
    priority: Priority
    status: ActionStatus
    section_id: str
    completion_evidence: str
    easy_read: str
    different_this_time: str
    created_at: datetime
    updated_at: datetime

    def as_input(self) -> ActionInput:
        return ActionInput(**{name: getattr(self, name) for name in ACTION_FIELDS})


@dataclass(frozen=True)
class AuditData:
    id: int
    review_id: int | None
    at: datetime
    actor_name: str
    actor_role: str
    action: str
    entity: str
    entity_id: int | None
    fields: tuple[str, ...]


@dataclass(frozen=True)
class SignoffData:
    kind: str  # confirm | sign | countersign
    name: str
    role: str
    at: datetime
    certificate_fingerprint: str


@dataclass(frozen=True)
class RevisionData:
    id: int
    review_id: int
    number: int
    reason: str
    created_at: datetime
    created_by: str
    signed_at: datetime | None
    signed_pdf_sha256: str
    signoffs: tuple[SignoffData, ...]

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    def confirmed_by(self, name: str, role: str) -> bool:
        return any(s.name == name and s.role == role for s in self.signoffs)


# Follow-up across reviews: carried actions, the person's series, the action tracker.
from app.models.enums import CarriedOutcome  # noqa: E402  (kept beside the classes that use it)


@dataclass(frozen=True)
class CarriedActionData:
    """An action of the person's previous review, as brought into this one, and what became of it."""

    id: int
    review_id: int
    source_action_uid: str
    source_review_id: int | None
    source_review_date: date | None
    what: str
    owner_name: str
    owner_organisation: str
    deadline: date | None
    outcome: CarriedOutcome
    reason: str  # the evidence for "done", the reason for "not done", or any detail
    position: int
    # The id of the action in this review that carries it forward, if the chair made one.
    carried_forward_action_id: int | None = None
    # Typed in from the earlier review's paper report, and who chaired that review.
    typed_in: bool = False
    previous_chair: str = ""
    # The action's plain words, as its review wrote them for the easy read.
    easy_read: str = ""


@dataclass(frozen=True)
class SeriesReview:
    """One review in a person's series (same person_key), for "previous / next review" links."""

    id: int
    review_date: date
    template_id: str
    status: ReviewStatus
    locked: bool
    previous_review_id: int | None


@dataclass(frozen=True)
class TrackerRow:
    """One action of any review, for the cross-review action tracker."""

    id: int  # the action's id
    review_id: int
    person_label: str
    review_date: date
    what: str
    owner_name: str
    owner_organisation: str
    deadline: date | None
    priority: Priority
    status: ActionStatus
    # What the tracker shows: overdue when past its deadline and not done; done when a later
    # review recorded its carried copy as done.
    effective_status: ActionStatus
    # When a later review recorded it as done, that review's date (else None).
    done_in_review_date: date | None = None
    done_in_review_id: int | None = None
    # When a later review recorded it as no longer relevant, that review's date: it is then never overdue.
    dropped_in_review_date: date | None = None


@dataclass(frozen=True)
class PlanningFields:
    """The planning record's own fields: notice given, the family consulted on the date, the pre-meeting."""

    notice_given_on: date | None = None
    notice_given_to: str = ""
    family_consulted: YesNo = YesNo.UNKNOWN
    family_consulted_on: date | None = None
    pre_meeting_on: date | None = None


PLANNING_FIELDS: tuple[str, ...] = tuple(PlanningFields.__dataclass_fields__)


@dataclass(frozen=True)
class DocumentCheck:
    """One document of the template's checklist and where it stands."""

    id: str
    title: str
    status: DocumentStatus = DocumentStatus.NOT_REQUESTED


@dataclass(frozen=True)
class PlanningData:
    fields: PlanningFields
    documents: tuple[DocumentCheck, ...]
    # Sentences for the planner (never refusals): no family member or advocate on the register...
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportCopyData:
    """A copy of the report sent out: the draft for the accuracy check, or the final report."""

    id: int
    uid: str
    review_id: int
    stage: CirculationStage
    recipient: str
    organisation: str
    method: DeliveryMethod
    sent_on: date
    created_at: datetime


@dataclass(frozen=True)
class CorrectionData:
    """A correction asked for in the factual accuracy check, and the panel's decision."""

    id: int
    uid: str
    review_id: int
    requested_by: str
    requested_on: date | None
    what: str
    decision: CorrectionDecision
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class ReportTimeline:
    """When the final report is due (working days after the review) and when it was first sent."""

    due: date
    sent_on: date | None
    overdue: bool
