"""Lengths of stay and ages in words, as the set-up page shows them beside the dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("SetupPage", text)


def whole_months(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _plural(n: int, one: str, many: str) -> str:
    return (one if n == 1 else many).format(n=n)


def describe_duration(start: date, end: date) -> str:
    """'1 year 8 months (628 days)': whole years and months, then the exact days."""
    days = (end - start).days
    years, months = divmod(whole_months(start, end), 12)
    parts = []
    if years:
        parts.append(_plural(years, _tr("{n} year"), _tr("{n} years")))
    if months:
        parts.append(_plural(months, _tr("{n} month"), _tr("{n} months")))
    if not parts:
        return _plural(days, _tr("{n} day"), _tr("{n} days"))
    return " ".join(parts) + " " + _plural(days, _tr("({n} day)"), _tr("({n} days)"))


def describe_length_of_stay(admission: date | None, review_date: date) -> str:
    if admission is None:
        return _tr("Add the admission date to see the length of stay.")
    if admission > review_date:
        return _tr("The admission date is after the review date.")
    if admission == review_date:
        return _tr("Admitted on the review date.")
    return _tr("{duration} on the review date").format(duration=describe_duration(admission, review_date))
