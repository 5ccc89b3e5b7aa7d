"""Closed vocabularies stored as short strings (portable to SQLite and PostgreSQL)."""

from __future__ import annotations

from enum import StrEnum


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


class Mode(StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class SettingKind(StrEnum):
    HOSPITAL = "hospital"
    COMMUNITY = "community"


class Service(StrEnum):
    ADULT = "adult"
    CAMHS = "camhs"


class Attendance(StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"
    SENT_VIEWS = "sent_views"
    APOLOGIES = "apologies"


class ConsentBasis(StrEnum):
    NOT_RECORDED = "not_recorded"
    CONSENT = "consent"
    BEST_INTERESTS = "best_interests"
    DECLINED = "declined"


class SectionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class EntryKind(StrEnum):
    FINDING = "finding"
    GOOD_PRACTICE = "good_practice"
    CONCERN = "concern"


class Evidence(StrEnum):
    NONE = "none"
    DOCUMENT = "document"
    OBSERVATION = "observation"
    QUOTE = "quote"


class HeadlineAnswer(StrEnum):
    UNANSWERED = "unanswered"
    YES = "yes"
    NO = "no"
    PARTLY = "partly"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"
    ESCALATED = "escalated"


class CarriedOutcome(StrEnum):
    """What became of an action carried over from the person's previous review."""

    PENDING = "pending"
    DONE = "done"
    IN_PROGRESS = "in_progress"  # shown as "partly done"
    NOT_DONE = "not_done"
    NO_LONGER_RELEVANT = "no_longer_relevant"


class EscalationRequester(StrEnum):
    """Who may ask for a review to go to the ICS oversight panel."""

    PERSON = "person"
    FAMILY = "family"
    COMMISSIONER = "commissioner"
    ADVOCATE = "advocate"


class CqcRating(StrEnum):
    """The CQC's overall rating of the ward or unit (the oversight panel escalates "inadequate")."""

    NOT_RECORDED = "not_recorded"
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"


class SecureLevel(StrEnum):
    """How secure the service is. SECURE is "secure, level not recorded" (older reviews had only a tick)."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    SECURE = "secure"


class YesNo(StrEnum):
    """A yes/no fact that may not be known yet."""

    UNKNOWN = "unknown"
    YES = "yes"
    NO = "no"


class EscalationDecision(StrEnum):
    """The panel's decision about going to the ICS oversight panel."""

    UNDECIDED = "undecided"
    ESCALATE = "escalate"
    NOT_ESCALATE = "not_escalate"


class Listened(StrEnum):
    """Feedback on the review: did the person (or family) feel listened to?"""

    NOT_ASKED = "not_asked"
    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    DID_NOT_SAY = "did_not_say"


class DocumentStatus(StrEnum):
    """Where a document asked for before the review day stands."""

    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    RECEIVED = "received"
    NOT_AVAILABLE = "not_available"


class CirculationStage(StrEnum):
    """A copy of the report sent out: the draft for the factual accuracy check, or the final report."""

    DRAFT = "draft"
    FINAL = "final"


class DeliveryMethod(StrEnum):
    SECURE_EMAIL = "secure_email"
    EMAIL = "email"
    POST = "post"
    BY_HAND = "by_hand"
    OTHER = "other"


class CorrectionDecision(StrEnum):
    """What the panel decided about a correction asked for in the factual accuracy check."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
