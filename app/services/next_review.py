"""When the person's next review is due, from the cadence kept as template data.

The intervals live in each template's ``[cadence]`` table (marked *verify* there), never here:
`months` (with `secure_months` and `child_months` overriding it), and for the post-admission
review `admission_weeks` / `child_admission_weeks`, how soon after admission it is itself due.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.kloe import Template
from app.services.escalation import add_months, is_child, short_date

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
    cadence = template.cadence
    child = is_child(setup)
    months = cadence.months_for(setup.secure, child)
    if months is None:
        return NextReview(None, cadence_note(template) or "No fixed repeat: agree the next review date on the day.")
    due = add_months(setup.review_date, months)
    who = ("a child or young person" if child else
           "a secure setting" if setup.secure and cadence.secure_months is not None else "this review type")
    reason = (f"Due {short_date(due)}: every {_plural(months, 'month', 'months')} for {who}"
              f" (template cadence, to be confirmed locally).")
    return NextReview(due, reason)


def due_after_admission(review: Any, template: Template) -> NextReview | None:
    """When a review of this type was itself due after admission (post-admission review); None if not set."""
    setup = getattr(review, "setup", review)
    weeks = template.cadence.admission_weeks_for(is_child(setup))
    if weeks is None:
        return None
    if setup.admission_date is None:
        return NextReview(None, f"Due within {_plural(weeks, 'week', 'weeks')} of admission; "
                                "add the admission date to see the date.")
    due = setup.admission_date + timedelta(weeks=weeks)
    held = "held in time" if setup.review_date <= due else f"held {(setup.review_date - due).days} days late"
    return NextReview(due, f"This review was due by {short_date(due)} "
                           f"({_plural(weeks, 'week', 'weeks')} after admission): {held}.")
