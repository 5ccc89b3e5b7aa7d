from __future__ import annotations

from app.services import actions, notes, people, reviews, sections
from app.services.demo import seed_demo
from tests.conftest import REVIEW_DATE


def test_demo_is_a_realistic_icetr_day(store):
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    review = reviews.get_review(store, review_id)
    assert review.template_id == "icetr" and review.consent_recorded
    roles = {a.role for a in people.list_attendees(store, review_id)}
    assert {"independent_chair", "clinical_expert", "expert_by_experience", "mha_reviewer", "note_taker"} <= roles
    sections_with_notes = {n.section_id for n in notes.list_notes(store, review_id)}
    assert len(sections_with_notes) >= 7
    demo_actions = actions.list_actions(store, review_id)
    assert len(demo_actions) >= 8
    assert all(a.owner_name and a.deadline and a.deadline >= REVIEW_DATE for a in demo_actions)
    assert any(e.safeguarding for e in sections.list_entries(store, review_id))
    assert reviews.completion_problems(store, review_id) == []


def test_large_demo_has_enough_for_benchmarks(store):
    review_id = seed_demo(store, review_date=REVIEW_DATE, size="large")
    assert len(notes.list_notes(store, review_id)) >= 400
    assert len(actions.list_actions(store, review_id)) >= 120
