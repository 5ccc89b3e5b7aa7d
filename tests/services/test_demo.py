from __future__ import annotations

from app.kloe.jargon import find_jargon
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
    assert all(a.easy_read.strip() for a in demo_actions)
    assert [a.easy_read for a in demo_actions if find_jargon(a.easy_read)] == []
    # The headline reasons are shown to the person in the easy read: plain words too.
    assert [h.reasons for h in sections.list_headlines(store, review_id) if find_jargon(h.reasons)] == []
    marked = [n for n in notes.list_notes(store, review_id) if n.easy_read]
    assert 2 <= len(marked) <= 6
    assert {n.speaker_name for n in marked} == {"A.K.", "Linda K."}


def test_large_demo_has_enough_for_benchmarks(store):
    review_id = seed_demo(store, review_date=REVIEW_DATE, size="large")
    assert len(notes.list_notes(store, review_id)) >= 400
    assert len(actions.list_actions(store, review_id)) >= 120


def _history(store):
    from app.services import follow_up

    review_id = seed_demo(store, review_date=REVIEW_DATE, history=True)
    series = follow_up.series(store, review_id)
    earlier = next(r for r in series if r.id != review_id)
    return review_id, earlier.id


def test_independent_panel_members_own_no_actions_and_safeguarding_goes_outside_the_ward(store):
    from app.services import independence

    review_id, earlier_id = _history(store)
    for rid in (review_id, earlier_id):
        assert independence.action_warnings(store, rid) == {}
        assert independence.safeguarding_warnings(store, rid) == {}


def test_the_chairs_note_counts_the_previous_actions_as_they_are(store):
    import re

    from app.services import follow_up

    review_id, earlier_id = _history(store)
    (note,) = [n for n in notes.list_notes(store, review_id) if n.text.startswith("Previous review:")]
    said = {word: int(n) for n, word in re.findall(r"(\d+) (done|in progress|not done|not yet followed up)",
                                                   note.text)}
    total = int(re.search(r"Previous review: (\d+) actions", note.text).group(1))
    earlier = actions.list_actions(store, earlier_id)
    carried = {c.source_action_uid: c.outcome.value for c in follow_up.list_carried(store, review_id)}
    assert total == len(earlier) == sum(said.values())
    done_before = sum(1 for a in earlier if a.status.value == "done")
    assert said["done"] == done_before + list(carried.values()).count("done")
    assert said["in progress"] == list(carried.values()).count("in_progress")
    assert said["not done"] == list(carried.values()).count("not_done")
    assert said["not yet followed up"] == list(carried.values()).count("pending")


def test_segregation_began_before_the_previous_review_and_the_notes_say_when(store):
    review_id, earlier_id = _history(store)
    setup = reviews.get_review(store, review_id).setup
    earlier = reviews.get_review(store, earlier_id)
    started = setup.segregation_started
    assert started is not None and setup.admission_date < started < earlier.review_date
    assert earlier.setup.segregation_started == started
    lts_note = next(n.text for n in notes.list_notes(store, review_id) if "segregation since" in n.text)
    assert f"{started.day} {started:%B %Y}" in lts_note


def test_the_demo_chair_is_appointed_by_dhsc_and_the_commissioner_is_on_the_panel(store):
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    register = {a.role: a for a in people.list_attendees(store, review_id)}
    assert "DHSC" in register["independent_chair"].organisation
    assert "NHS England" not in register["independent_chair"].organisation
    template = reviews.template_for(reviews.get_review(store, review_id))
    assert "commissioner" in template.panel_roles and "commissioner" in register
