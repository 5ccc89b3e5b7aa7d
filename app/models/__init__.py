"""Typed SQLAlchemy models. No Qt here, and no business rules."""

from app.models.base import Base, utcnow
from app.models.tables import (
    Action,
    Attendee,
    AuditEvent,
    Draft,
    HeadlineResponse,
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
    "Draft",
    "HeadlineResponse",
    "Note",
    "ReportRevision",
    "RetentionLog",
    "Review",
    "SectionEntry",
    "SectionState",
    "Signoff",
    "utcnow",
]
