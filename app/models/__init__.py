"""Typed SQLAlchemy models. No Qt here, and no business rules."""

from app.models.base import Base, new_uid, utcnow
from app.models.tables import (
    Action,
    Attendee,
    AuditEvent,
    CarriedAction,
    Draft,
    HeadlineResponse,
    Merge,
    Note,
    ReportRevision,
    RetentionLog,
    Review,
    SectionEntry,
    SectionState,
    Signoff,
)

__all__ = [
    "Action",
    "Attendee",
    "AuditEvent",
    "Base",
    "CarriedAction",
    "Draft",
    "HeadlineResponse",
    "Merge",
    "Note",
    "ReportRevision",
    "RetentionLog",
    "Review",
    "SectionEntry",
    "SectionState",
    "Signoff",
    "new_uid",
    "utcnow",
]
