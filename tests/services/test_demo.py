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
    said = {word: int(n) for n, word in re.findall(
        r"(\d+) (done|partly done|not done|no longer relevant|not yet followed up)", note.text)}
    total = int(re.search(r"Previous review: (\d+) actions", note.text).group(1))
    earlier = actions.list_actions(store, earlier_id)
    carried = {c.source_action_uid: c.outcome.value for c in follow_up.list_carried(store, review_id)}
    assert total == len(earlier) == sum(said.values())
    done_before = sum(1 for a in earlier if a.status.value == "done")
    assert said["done"] == done_before + list(carried.values()).count("done")
    assert said.get("partly done", 0) == list(carried.values()).count("in_progress")
    assert said.get("not done", 0) == list(carried.values()).count("not_done")
    assert said.get("no longer relevant", 0) == list(carried.values()).count("no_longer_relevant")
    assert said.get("not yet followed up", 0) == list(carried.values()).count("pending")


def test_the_demo_gives_every_recommendation_a_why_and_every_carried_one_an_outcome(store):
    from app.models.enums import CarriedOutcome
    from app.services import follow_up

    review_id, earlier_id = _history(store)
    for rid in (review_id, earlier_id):
        assert all(a.why.strip() for a in actions.list_actions(store, rid))
    carried = follow_up.list_carried(store, review_id)
    assert carried and all(c.outcome is not CarriedOutcome.PENDING for c in carried)
    assert all(c.reason for c in carried if c.outcome is CarriedOutcome.DONE)
    repeated = [a for a in actions.list_actions(store, review_id) if a.different_this_time]
    assert len(repeated) == 3
    assert all(follow_up.repeated_carried(a.what, carried) is not None for a in repeated)
    assert reviews.completion_problems(store, review_id) == []


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


def test_the_demo_was_planned_before_the_day_and_the_earlier_report_was_checked_and_sent(store):
    from datetime import timedelta

    from app.models.enums import CirculationStage, CorrectionDecision, DocumentStatus, YesNo
    from app.services import after_day, planning

    review_id, earlier_id = _history(store)
    review = reviews.get_review(store, review_id)
    assert review.created_at.date() < REVIEW_DATE
    data = planning.get_planning(store, review_id)
    fields = data.fields
    assert fields.family_consulted is YesNo.YES
    assert fields.family_consulted_on < fields.notice_given_on < fields.pre_meeting_on < REVIEW_DATE
    assert fields.notice_given_to and data.warnings == ()
    statuses = {d.id: d.status for d in data.documents}
    assert statuses["incident_log"] is DocumentStatus.REQUESTED
    assert sum(s is DocumentStatus.RECEIVED for s in statuses.values()) == len(statuses) - 1
    # The earlier, signed review went through the accuracy check and was sent within the 10 working days.
    earlier = reviews.get_review(store, earlier_id)
    drafts = after_day.list_copies(store, earlier_id, CirculationStage.DRAFT)
    assert {c.organisation for c in drafts} == {"Elmfield Hospital", "Northvale ICB"}
    decisions = {c.decision for c in after_day.list_corrections(store, earlier_id)}
    assert decisions == {CorrectionDecision.ACCEPTED, CorrectionDecision.DECLINED}
    timeline = after_day.report_timeline(store, earlier_id, today=REVIEW_DATE)
    assert timeline.sent_on is not None and timeline.sent_on <= timeline.due and not timeline.overdue
    assert earlier.review_date < drafts[0].sent_on < timeline.sent_on <= earlier.review_date + timedelta(days=14)
    assert earlier.locked
    # On the day, the review list flags neither report as overdue.
    assert not any("report overdue" in s.flags for s in reviews.list_reviews(store, today=REVIEW_DATE))
