"""Errors a user can act on. Each carries one plain sentence fit to show as it is."""

from __future__ import annotations


class ReviewDayError(Exception):
    """Base for every error that is the user's to fix, not a bug."""


class ValidationError(ReviewDayError):
    """Input was refused; nothing was changed."""


class NoWriterError(ValidationError):
    """A change in nobody's name: every change is recorded against the named person making it."""


class ConsentRequiredError(ValidationError):
    """Section notes stay closed until a consent basis is recorded."""


class ReviewLockedError(ValidationError):
    """The review is signed; a change needs an amendment with a reason first."""


class NotFoundError(ReviewDayError):
    """The thing asked for is not (or no longer) in the database."""


class DatabaseOpenError(ReviewDayError):
    """The database could not be opened or is not a ReviewDay database."""


class StorageError(ReviewDayError):
    """A write failed (disk full, read-only media...). What was typed is still in memory."""
