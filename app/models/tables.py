"""The review day's tables. Typed ORM, no Qt, no business rules (those live in services)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, new_uid, utcnow
from app.models.enums import (
    ActionStatus,
    Attendance,
    CarriedOutcome,
    CirculationStage,
    ConsentBasis,
    CorrectionDecision,
    CqcRating,
    DeliveryMethod,
    DocumentStatus,
    EscalationDecision,
    EntryKind,
    Evidence,
    HeadlineAnswer,
    Mode,
    Priority,
    Listened,
    ReviewStatus,
    SecureLevel,
    SectionStatus,
    Service,
    SettingKind,
    YesNo,
)


def _enum(kind: type[StrEnum]) -> Enum:
    # Stored as plain strings (no native enum type) so SQLite and PostgreSQL agree and
    # adding a value never needs an ALTER TYPE.
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[ReviewStatus] = mapped_column(_enum(ReviewStatus), default=ReviewStatus.DRAFT)

    person_label: Mapped[str] = mapped_column(String(120))
    # Reviews of the same person share a person_key; a follow-up review also names the one before.
    person_key: Mapped[str] = mapped_column(String(36), default=new_uid, index=True)
    previous_review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL"), nullable=True
    )
    # The uid of the review before, kept when that review is not (or no longer) in this database,
    # so the link is not lost and is made again when that review is imported.
    previous_review_uid: Mapped[str] = mapped_column(String(36), default="", index=True)
    person_identifiers: Mapped[str] = mapped_column(Text, default="")
    age_band: Mapped[str] = mapped_column(String(32), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)

    setting_kind: Mapped[SettingKind] = mapped_column(_enum(SettingKind), default=SettingKind.HOSPITAL)
    hospital: Mapped[str] = mapped_column(String(200), default="")
    ward: Mapped[str] = mapped_column(String(200), default="")
    secure: Mapped[bool] = mapped_column(Boolean, default=False)
    service: Mapped[Service] = mapped_column(_enum(Service), default=Service.ADULT)
    legal_status: Mapped[str] = mapped_column(String(120), default="")
    admission_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    long_term_segregation: Mapped[bool] = mapped_column(Boolean, default=False)
    review_date: Mapped[date] = mapped_column(Date)
    mode: Mapped[Mode] = mapped_column(_enum(Mode), default=Mode.IN_PERSON)
    environment_seen: Mapped[bool] = mapped_column(Boolean, default=False)

    # What the ICS oversight criteria need that the rest of the review does not already say.
    moj_restricted: Mapped[bool] = mapped_column(Boolean, default=False)  # long stay is not flagged then
    seclusion: Mapped[bool] = mapped_column(Boolean, default=False)  # regular seclusion
    restrictive_practice: Mapped[bool] = mapped_column(Boolean, default=False)  # other very restrictive practice
    ward_rated_inadequate: Mapped[bool] = mapped_column(Boolean, default=False)
    safeguarding_investigation: Mapped[bool] = mapped_column(Boolean, default=False)
    unresolved_complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    # Space-separated EscalationRequester values: who asked for escalation to the oversight panel.
    escalation_requested_by: Mapped[str] = mapped_column(String(120), default="")
    # Reviews the person declined that are not in this database (those that are get counted).
    declined_before: Mapped[int] = mapped_column(Integer, default=0)

    # Where and why, in more detail. `secure` and `ward_rated_inadequate` above are kept, derived
    # from these two by the service, so older exports and queries still read them.
    secure_level: Mapped[SecureLevel] = mapped_column(_enum(SecureLevel), default=SecureLevel.NONE)
    cqc_rating: Mapped[CqcRating] = mapped_column(_enum(CqcRating), default=CqcRating.NOT_RECORDED)
    unit: Mapped[str] = mapped_column(String(200), default="")
    segregation_started: Mapped[date | None] = mapped_column(Date, nullable=True)
    requested_because: Mapped[str] = mapped_column(Text, default="")
    next_review_agreed: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Admission and readmission: a root cause analysis is due when no community review came first.
    community_review_before_admission: Mapped[YesNo] = mapped_column(_enum(YesNo), default=YesNo.UNKNOWN)
    readmission: Mapped[YesNo] = mapped_column(_enum(YesNo), default=YesNo.UNKNOWN)
    discharge_date: Mapped[date | None] = mapped_column(Date, nullable=True)  # the last discharge from hospital

    # The panel's escalation decision (app/services/escalation_decision.py).
    escalation_decision: Mapped[EscalationDecision] = mapped_column(
        _enum(EscalationDecision), default=EscalationDecision.UNDECIDED
    )
    escalation_reasons: Mapped[str] = mapped_column(String(400), default="")  # space-separated flag codes, "other"
    escalation_other_concern: Mapped[str] = mapped_column(Text, default="")
    escalation_not_because: Mapped[str] = mapped_column(Text, default="")
    escalation_decided_by: Mapped[str] = mapped_column(String(200), default="")
    escalation_decided_by_role: Mapped[str] = mapped_column(String(64), default="")
    escalation_decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    oversight_outcome: Mapped[str] = mapped_column(Text, default="")
    oversight_outcome_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    person_told_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    person_not_told_because: Mapped[str] = mapped_column(Text, default="")
    family_told_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    family_not_told_because: Mapped[str] = mapped_column(Text, default="")
    advocate_told_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    advocate_not_told_because: Mapped[str] = mapped_column(Text, default="")

    # Feedback on the review from the person and their family (the scale goes to oversight, the words do not).
    person_listened: Mapped[Listened] = mapped_column(_enum(Listened), default=Listened.NOT_ASKED)
    person_feedback: Mapped[str] = mapped_column(Text, default="")
    family_listened: Mapped[Listened] = mapped_column(_enum(Listened), default=Listened.NOT_ASKED)
    family_feedback: Mapped[str] = mapped_column(Text, default="")

    # Planning before the day (app/services/planning.py): notice given, the family consulted on the
    # date, the pre-meeting. The documents asked for are rows of planning_documents.
    notice_given_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notice_given_to: Mapped[str] = mapped_column(String(200), default="")
    family_consulted: Mapped[YesNo] = mapped_column(_enum(YesNo), default=YesNo.UNKNOWN)
    family_consulted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    pre_meeting_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    consent_basis: Mapped[ConsentBasis] = mapped_column(
        _enum(ConsentBasis), default=ConsentBasis.NOT_RECORDED
    )
    consent_detail: Mapped[str] = mapped_column(Text, default="")
    consent_recorded_by: Mapped[str] = mapped_column(String(200), default="")
    consent_recorded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Set when the chair signs; cleared when an amendment (with a reason) opens a new revision.
    locked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="Attendee.position"
    )


class Attendee(Base):
    __tablename__ = "attendees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable across databases: how bundles and panel contributions match rows.
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, unique=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    attendance: Mapped[Attendance] = mapped_column(_enum(Attendance), default=Attendance.IN_PERSON)
    position: Mapped[int] = mapped_column(Integer, default=0)

    review: Mapped[Review] = relationship(back_populates="attendees")


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable across databases: how bundles and panel contributions match rows.
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, unique=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[str] = mapped_column(String(64))
    # Speaker and author are snapshots: the record says who spoke even if the register changes.
    speaker_name: Mapped[str] = mapped_column(String(200), default="")
    speaker_role: Mapped[str] = mapped_column(String(64), default="")
    author_name: Mapped[str] = mapped_column(String(200), default="")
    author_role: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Marked by the panel for "What you told us" in the person's easy-read report.
    easy_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SectionState(Base):
    __tablename__ = "section_states"
    __table_args__ = (UniqueConstraint("review_id", "section_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[SectionStatus] = mapped_column(_enum(SectionStatus), default=SectionStatus.NOT_STARTED)
    planned_minutes: Mapped[int] = mapped_column(Integer, default=0)
    elapsed_seconds: Mapped[int] = mapped_column(Integer, default=0)
    lead_role: Mapped[str] = mapped_column(String(64), default="")
    # Space-separated prompt ids ticked off as covered.
    prompts_covered: Mapped[str] = mapped_column(Text, default="")


class SectionEntry(Base):
    """A finding, an example of good practice or a concern, within one section."""

    __tablename__ = "section_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable across databases: how bundles and panel contributions match rows.
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, unique=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind))
    text: Mapped[str] = mapped_column(Text)
    evidence: Mapped[Evidence] = mapped_column(_enum(Evidence), default=Evidence.NONE)
    evidence_detail: Mapped[str] = mapped_column(Text, default="")
    safeguarding: Mapped[bool] = mapped_column(Boolean, default=False)
    safeguarding_lead: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class HeadlineResponse(Base):
    __tablename__ = "headline_responses"
    __table_args__ = (UniqueConstraint("review_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    answer: Mapped[HeadlineAnswer] = mapped_column(_enum(HeadlineAnswer), default=HeadlineAnswer.UNANSWERED)
    reasons: Mapped[str] = mapped_column(Text, default="")


class Action(Base):
    """A recommendation and the action that follows it."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable across databases: how bundles and panel contributions match rows.
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, unique=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[str] = mapped_column(String(64), default="")
    what: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text, default="")
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    owner_organisation: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    priority: Mapped[Priority] = mapped_column(_enum(Priority), default=Priority.MEDIUM)
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus), default=ActionStatus.OPEN)
    completion_evidence: Mapped[str] = mapped_column(Text, default="")
    # The same action in plain words for the easy-read report: what will happen, who, by when.
    easy_read: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The action in an earlier review of the same person that this one repeats or continues.
    carried_from_uid: Mapped[str] = mapped_column(String(36), default="")
    # When it repeats a recommendation carried from the previous review: what will be different this time.
    different_this_time: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CarriedAction(Base):
    """An action from the person's previous review, brought into this one to be followed up.

    The wording, owner and date are copied so the record stands even if the earlier review is
    purged from this computer.
    """

    __tablename__ = "carried_actions"
    __table_args__ = (UniqueConstraint("review_id", "source_action_uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, unique=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    source_action_uid: Mapped[str] = mapped_column(String(36))
    source_review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"), nullable=True)
    # As Review.previous_review_uid: the source review's uid, kept when it is not in this database.
    source_review_uid: Mapped[str] = mapped_column(String(36), default="", index=True)
    source_review_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    what: Mapped[str] = mapped_column(Text)
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    owner_organisation: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[CarriedOutcome] = mapped_column(_enum(CarriedOutcome), default=CarriedOutcome.PENDING)
    # The evidence for "done", the reason for "not done", or any detail.
    reason: Mapped[str] = mapped_column(Text, default="")
    # Typed in by the panel from a paper report (the earlier review is not in the database), and
    # who chaired that review.
    typed_in: Mapped[bool] = mapped_column(Boolean, default=False)
    previous_chair: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The action's plain words, copied with the rest (for "What happened since last time").
    easy_read: Mapped[str] = mapped_column(Text, default="", server_default="")


class PlanningDocument(Base):
    """One document of the template's checklist and where it stands before the day."""

    __tablename__ = "planning_documents"
    __table_args__ = (UniqueConstraint("review_id", "document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[DocumentStatus] = mapped_column(_enum(DocumentStatus), default=DocumentStatus.NOT_REQUESTED)


class ReportCopy(Base):
    """A copy of the report sent out: the draft for the factual accuracy check, or the final report."""

    __tablename__ = "report_copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, unique=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    stage: Mapped[CirculationStage] = mapped_column(_enum(CirculationStage))
    recipient: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[DeliveryMethod] = mapped_column(_enum(DeliveryMethod), default=DeliveryMethod.SECURE_EMAIL)
    sent_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AccuracyCorrection(Base):
    """A correction asked for in the factual accuracy check, and what the panel decided."""

    __tablename__ = "accuracy_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, unique=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    what: Mapped[str] = mapped_column(Text)
    decision: Mapped[CorrectionDecision] = mapped_column(
        _enum(CorrectionDecision), default=CorrectionDecision.PENDING
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Merge(Base):
    """A panel member's contribution merged into a review, kept so the merge can be undone."""

    __tablename__ = "merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    contributor_name: Mapped[str] = mapped_column(String(200), default="")
    contributor_role: Mapped[str] = mapped_column(String(64), default="")
    # The review as it was just before the merge (a bundle document), and what the merge did.
    before: Mapped[str] = mapped_column(Text, deferred=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    undone_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Draft(Base):
    """Text typed but not yet submitted (e.g. the capture bar), kept so a crash loses nothing."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("review_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEvent(Base):
    """Who changed what and when. Holds ids and field names, never the personal text itself."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), index=True, nullable=True
    )
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    actor_role: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fields: Mapped[str] = mapped_column(Text, default="")


class ReportRevision(Base):
    """One version of the report. Revision 1 is the first; each amendment opens the next."""

    __tablename__ = "report_revisions"
    __table_args__ = (UniqueConstraint("review_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    signed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The signed PDF itself, so every earlier signed revision can still be verified and re-sent.
    signed_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    signed_pdf_sha256: Mapped[str] = mapped_column(String(64), default="")

    signoffs: Mapped[list[Signoff]] = relationship(
        back_populates="revision", cascade="all, delete-orphan", order_by="Signoff.id"
    )


class Signoff(Base):
    """A panel member's confirmation, the chair's signature or a countersignature."""

    __tablename__ = "signoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("report_revisions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # confirm | sign | countersign
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    certificate_fingerprint: Mapped[str] = mapped_column(String(128), default="")

    revision: Mapped[ReportRevision] = relationship(back_populates="signoffs")


class RetentionLog(Base):
    """Exports and purges, for the record. Holds no names, pseudonyms or paths: only the review's uid."""

    __tablename__ = "retention_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(16))  # export | purge
    review_uid: Mapped[str] = mapped_column(String(36))
    formats: Mapped[str] = mapped_column(String(200), default="")
    files: Mapped[int] = mapped_column(Integer, default=0)
