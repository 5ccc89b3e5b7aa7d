"""The oversight summary: one row per review with its escalation flags, action counts and next review.

For an ICS oversight panel or a commissioner's tracker. It carries no free text from the review
(no notes, findings or action wording): the person's pseudonym, the review's type, date and
setting, which criteria are met and why (generated sentences), counts and dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.kloe import TemplateRegistry
from app.models import Action, Review
from app.models.enums import ActionStatus
from app.services import escalation
from app.services.next_review import next_review_due
from app.services.reviews import to_data
from app.services.store import Store


@dataclass(frozen=True)
class OversightRow:
    review_id: int
    person_label: str
    review_type: str
    review_date: date
    setting: str
    status: str
    flags: tuple[escalation.EscalationFlag, ...]
    open_actions: int
    overdue_actions: int
    next_review_due: date | None

    def has(self, code: str) -> bool:
        return any(flag.code == code for flag in self.flags)

    @property
    def reasons(self) -> str:
        return " ".join(flag.text for flag in self.flags)


def _setting(review: Review) -> str:
    place = ", ".join(part for part in (review.hospital, review.ward) if part)
    kind = review.setting_kind.value
    if review.secure:
        kind = f"secure {kind}"
    return f"{place} ({kind})" if place else kind


def oversight_rows(store: Store, *, today: date, registry: TemplateRegistry | None = None) -> list[OversightRow]:
    """Every review, newest first. Overdue: a deadline before `today` on an action not done."""
    templates = registry or TemplateRegistry.default()
    with store.read() as session:
        reviews = list(session.scalars(select(Review).order_by(Review.review_date.desc(), Review.id.desc())))
        assessments = escalation.assess_many(session, reviews)
        open_counts: dict[int, int] = {}
        overdue_counts: dict[int, int] = {}
        for review_id, status, deadline in session.execute(
            select(Action.review_id, Action.status, Action.deadline)
        ):
            if status is ActionStatus.DONE:
                continue
            open_counts[review_id] = open_counts.get(review_id, 0) + 1
            if deadline is not None and deadline < today:
                overdue_counts[review_id] = overdue_counts.get(review_id, 0) + 1
        rows = []
        for review in reviews:
            try:
                template = templates.get(review.template_id, review.template_version)
                title, due = template.short_title, next_review_due(to_data(review), template).due
            except KeyError:
                title, due = f"{review.template_id} v{review.template_version}", None
            rows.append(OversightRow(
                review_id=review.id,
                person_label=review.person_label,
                review_type=title,
                review_date=review.review_date,
                setting=_setting(review),
                status=review.status.value.replace("_", " "),
                flags=assessments[review.id].flags,
                open_actions=open_counts.get(review.id, 0),
                overdue_actions=overdue_counts.get(review.id, 0),
                next_review_due=due,
            ))
        return rows
