"""A chair's database and a panel member's, with the review handed from one to the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.bundle import dump_review, import_review
from app.bundle.contribution import encode_contribution, load_contribution, make_contribution
from app.bundle.merge_store import plan_contribution
from app.models import Review
from app.models.enums import ConsentBasis, EntryKind
from app.services import actions, notes, people, sections
from app.services.dto import Actor, ActionInput, ReviewSetup
from app.services.reviews import create_review
from app.services.store import Store

CHAIR = Actor("Alex Chair", "chair")
MEMBER = Actor("Morgan Expert", "clinical_expert")
SECTION = "safety"


@dataclass
class Handover:
    chair: Store
    member: Store
    review_id: int  # in the chair's database
    member_review_id: int  # the imported copy in the member's database
    base: dict  # the bundle the chair handed over

    def contribution(self, who: Actor = MEMBER) -> dict:
        return make_contribution(self.member, self.member_review_id, self.base, who)

    def plan(self, contribution: dict | None = None):
        loaded = load_contribution(encode_contribution(contribution or self.contribution()))
        return plan_contribution(self.chair, self.review_id, loaded)


def seeded_review(store: Store, review_date: date) -> int:
    review = create_review(store, ReviewSetup(template_id="icetr", person_label="J.B.", review_date=review_date,
                                              hospital="Riverside", ward="Willow"), CHAIR)
    people.record_consent(store, review.id, CHAIR, ConsentBasis.CONSENT)
    people.add_attendee(store, review.id, CHAIR, name="Alex Chair", role="chair")
    people.add_attendee(store, review.id, CHAIR, name="Morgan Expert", role="clinical_expert")
    notes.add_note(store, review.id, SECTION, "Seen on the ward; calm.", CHAIR)
    sections.add_entry(store, review.id, SECTION, EntryKind.FINDING, "Risk plan is shared with staff.", CHAIR)
    actions.add_action(store, review.id, ActionInput(what="Review the risk plan", owner_name="Dr Ward",
                                                     deadline=date(2026, 12, 18), section_id=SECTION), CHAIR)
    return review.id


def hand_over(chair: Store, member: Store, review_id: int) -> Handover:
    base = dump_review(chair, review_id)
    member_review_id = import_review(member, base, MEMBER)
    return Handover(chair, member, review_id, member_review_id, base)


def row_id(store: Store, model, uid: str) -> int:
    from sqlalchemy import select

    with store.read() as session:
        return session.scalar(select(model.id).where(model.uid == uid))


def lock(store: Store, review_id: int) -> None:
    """Mark the review signed, as record_signature does (signing itself is tested elsewhere)."""
    with store.write() as session:
        session.get(Review, review_id).locked_at = store.now()


def content(document: dict) -> dict:
    """A bundle document without its audit trail (which a merge and its undo add to)."""
    return {key: value for key, value in document.items() if key != "audit"}
