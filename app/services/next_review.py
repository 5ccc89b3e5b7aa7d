"""When the person's next review is due, from the cadence kept as template data.

The intervals live in each template's ``[cadence]`` table (marked *verify* there), never here:
`months` (with `secure_months` and `child_months` overriding it), and for the post-admission
review `admission_working_days` / `child_admission_working_days` (or, in older files, weeks), how
soon after admission it is itself due. A date the panel agreed on the day wins over the cadence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.kloe import Template
from app.services.escalation import add_months, is_child, short_date
from app.services.working_days import add_working_days, working_days_between

_VERIFY = re.compile(r"\s*\(verify\)", re.IGNORECASE)


@dataclass(frozen=True)
class NextReview:
    due: date | None
    reason: str


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def cadence_note(template: Template) -> str:
    """The template's cadence note without its '(verify)' marks, for people reading a report."""
    return _VERIFY.sub("", template.cadence.note).strip()


def next_review_due(review: Any, template: Template) -> NextReview:
    """The next review's due date and why; due is None when the template sets no repeat.

    `review` is a ReviewData (or anything with a `setup`), or a ReviewSetup itself.
    """
    setup = getattr(review, "setup", review)
    agreed = getattr(setup, "next_review_agreed", None)
    if agreed is not None:
        return NextReview(agreed, f"Due {short_date(agreed)}: agreed on the day by the panel.")
    cadence = template.cadence
    child = is_child(setup)
    months = cadence.months_for(setup.secure, child)
    if months is None:
        return NextReview(None, cadence_note(template) or "No fixed repeat: agree the next review date on the day.")
    due = add_months(setup.review_date, months)
    who = ("a child or young person" if child else
           "a secure setting" if setup.secure and cadence.secure_months is not None else "this review type")
    reason = (f"Due {short_date(due)}: every {_plural(months, 'month', 'months')} for {who}"
              f" (the usual timing for this type of review, to be confirmed locally).")
    return NextReview(due, reason)


def due_after_admission(review: Any, template: Template) -> NextReview | None:
    """When a review of this type was itself due after admission (post-admission review); None if not set."""
    setup = getattr(review, "setup", review)
    # The person's age when admitted decides the timescale (a 17-year-old admitted is a child's case).
    child = is_child(setup, setup.admission_date) if setup.admission_date else is_child(setup)
    working_days = template.cadence.admission_working_days_for(child)
    if working_days is not None:
        return _due_in_working_days(setup, working_days)
    weeks = template.cadence.admission_weeks_for(child)
    if weeks is None:
        return None
    if setup.admission_date is None:
        return NextReview(None, f"Due within {_plural(weeks, 'week', 'weeks')} of admission; "
                                "add the admission date to see the date.")
    due = setup.admission_date + timedelta(weeks=weeks)
    held = "held in time" if setup.review_date <= due else f"held {(setup.review_date - due).days} days late"
    return NextReview(due, f"This review was due by {short_date(due)} "
                           f"({_plural(weeks, 'week', 'weeks')} after admission): {held}.")


def _due_in_working_days(setup: Any, days: int) -> NextReview:
    within = _plural(days, "working day", "working days")
    if setup.admission_date is None:
        return NextReview(None, f"Due within {within} of admission; add the admission date to see the date.")
    due = add_working_days(setup.admission_date, days)
    late = working_days_between(due, setup.review_date)
    held = "held in time" if setup.review_date <= due else f"held {_plural(late, 'working day', 'working days')} late"
    return NextReview(due, f"This review was due by {short_date(due)} ({within} after admission): {held}.")
