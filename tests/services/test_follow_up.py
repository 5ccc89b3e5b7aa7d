from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.models.enums import ActionStatus, CarriedOutcome, Priority
from app.services import actions, audit, follow_up, reviews
from app.services.dto import ActionInput, ReviewSetup
from app.services.errors import NotFoundError, ReviewLockedError, ValidationError
from app.services.follow_up import SIMILARITY_THRESHOLD, similarity
from tests.conftest import REVIEW_DATE

LATER = REVIEW_DATE + timedelta(days=182)


def _add(store, review_id, actor, what, status=ActionStatus.OPEN, owner="Dr Marsh", weeks=4):
    on = reviews.get_review(store, review_id).review_date
    return actions.add_action(
        store, review_id,
        ActionInput(what=what, owner_name=owner, owner_organisation="Elmfield",
                    deadline=on + timedelta(weeks=weeks), status=status),
        actor,
    )


@pytest.fixture
def previous(store, actor, review):
    _add(store, review.id, actor, "Arrange a speech and language therapy assessment.")
    _add(store, review.id, actor, "Share the PBS plan with night staff.", ActionStatus.IN_PROGRESS)
    _add(store, review.id, actor, "Complete the annual health check.", ActionStatus.DONE)
    _add(store, review.id, actor, "Write a plan to end segregation.", ActionStatus.OVERDUE)
    _add(store, review.id, actor, "Confirm funding with the ICB.", ActionStatus.ESCALATED)
    return review


def test_follow_up_joins_the_series_and_carries_every_unfinished_action(store, actor, previous):
    new = follow_up.start_follow_up(store, previous.id, {"review_date": LATER}, actor)
    assert new.id != previous.id and new.review_date == LATER
    assert new.template_id == previous.template_id
    # The person's details come across; the day's own facts do not.
    for name in ("person_label", "hospital", "ward", "secure", "legal_status", "admission_date",
                 "long_term_segregation"):
        assert getattr(new.setup, name) == getattr(previous.setup, name)
    carried = follow_up.list_carried(store, new.id)
    assert [c.what for c in carried] == [
        "Arrange a speech and language therapy assessment.",
        "Share the PBS plan with night staff.",
        "Write a plan to end segregation.",
        "Confirm funding with the ICB.",
    ]
    first = carried[0]
    assert first.outcome is CarriedOutcome.PENDING and first.reason == ""
    assert first.owner_name == "Dr Marsh" and first.owner_organisation == "Elmfield"
    assert first.source_review_id == previous.id and first.source_review_date == REVIEW_DATE
    assert first.deadline == REVIEW_DATE + timedelta(weeks=4)
    assert [s.id for s in follow_up.series(store, new.id)] == [previous.id, new.id]
    assert follow_up.series(store, previous.id)[1].previous_review_id == previous.id
    assert actions.list_actions(store, new.id) == []  # carried, not copied as this review's actions
    assert [e.action for e in audit.list_events(store, new.id)][-2:] == ["create", "follow_up"]


def test_a_full_setup_chooses_another_template(store, actor, previous):
    setup = follow_up.follow_up_setup(store, previous.id, LATER)
    assert setup.person_label == "J.B." and setup.review_date == LATER
    new = follow_up.start_follow_up(store, previous.id, ReviewSetup(**{**setup.__dict__, "template_id": "adult_inpatient"}),
                                     actor)
    assert new.template_id == "adult_inpatient"
    assert len(follow_up.list_carried(store, new.id)) == 4


def test_follow_up_refuses_a_date_not_after_the_previous_review(store, actor, previous):
    with pytest.raises(ValidationError, match="must be after the previous review"):
        follow_up.start_follow_up(store, previous.id, {"review_date": REVIEW_DATE}, actor)
    with pytest.raises(ValidationError, match="Give the date"):
        follow_up.start_follow_up(store, previous.id, {}, actor)
    with pytest.raises(NotFoundError):
        follow_up.start_follow_up(store, 999, {"review_date": LATER}, actor)
    assert len(reviews.list_reviews(store)) == 1  # nothing half made


def test_outcomes_and_the_reason_not_done_needs(store, actor, previous):
    new = follow_up.start_follow_up(store, previous.id, {"review_date": LATER}, actor)
    first, second, third, _ = follow_up.list_carried(store, new.id)
    with pytest.raises(ValidationError, match="what shows the action was done"):
        follow_up.set_carried_outcome(store, first.id, CarriedOutcome.DONE, "  ", actor)
    assert follow_up.get_carried(store, first.id).outcome is CarriedOutcome.PENDING
    done = follow_up.set_carried_outcome(store, first.id, CarriedOutcome.DONE, "Report seen on file", actor)
    assert (done.outcome, done.reason) == (CarriedOutcome.DONE, "Report seen on file")
    assert follow_up.set_carried_outcome(store, second.id, "in_progress", "", actor).outcome is CarriedOutcome.IN_PROGRESS
    with pytest.raises(ValidationError) as refused:
        follow_up.set_carried_outcome(store, third.id, CarriedOutcome.NOT_DONE, "   ", actor)
    assert str(refused.value) == "Say why the action was not done."
    assert follow_up.get_carried(store, third.id).outcome is CarriedOutcome.PENDING
    done = follow_up.set_carried_outcome(store, third.id, CarriedOutcome.NOT_DONE, " No  psychologist ", actor)
    assert (done.outcome, done.reason) == (CarriedOutcome.NOT_DONE, "No psychologist")
    with pytest.raises(ValidationError, match="is not an outcome"):
        follow_up.set_carried_outcome(store, third.id, "maybe", "", actor)
    with pytest.raises(NotFoundError):
        follow_up.set_carried_outcome(store, 999, CarriedOutcome.DONE, "Seen", actor)
    events = [(e.entity, e.fields) for e in audit.list_events(store, new.id) if e.entity == "carried_action"]
    assert events[-1] == ("carried_action", ("outcome", "reason"))


def test_a_locked_review_refuses_outcomes(store, actor, previous):
    from app.models import Review

    new = follow_up.start_follow_up(store, previous.id, {"review_date": LATER}, actor)
    carried = follow_up.list_carried(store, new.id)[0]
    with store.write() as session:
        session.get(Review, new.id).locked_at = store.now()
    with pytest.raises(ReviewLockedError):
        follow_up.set_carried_outcome(store, carried.id, CarriedOutcome.DONE, "Seen", actor)
    with pytest.raises(ReviewLockedError):
        follow_up.add_typed_in(store, new.id, "Typed in", actor)
    with pytest.raises(ReviewLockedError):
        follow_up.carry_forward(store, carried.id, actor)


def test_carry_forward_makes_a_new_action_that_names_the_old_one(store, actor, previous):
    new = follow_up.start_follow_up(store, previous.id, {"review_date": LATER}, actor)
    carried = follow_up.list_carried(store, new.id)[2]
    follow_up.set_carried_outcome(store, carried.id, CarriedOutcome.NOT_DONE, "Psychologist left", actor)
    made = follow_up.carry_forward(store, carried.id, actor)
    assert made.review_id == new.id and made.what == carried.what
    assert made.deadline == LATER + timedelta(weeks=4) and made.priority is Priority.HIGH
    assert "Psychologist left" in made.why and "20 November 2026" in made.why
    assert follow_up.get_carried(store, carried.id).carried_forward_action_id == made.id
    with pytest.raises(ValidationError, match="already carried forward"):
        follow_up.carry_forward(store, carried.id, actor)
    # Undo and redo: delete, then put back with the same id.
    removed = actions.delete_action(store, made.id, actor)
    assert follow_up.get_carried(store, carried.id).carried_forward_action_id is None
    back = follow_up.carry_forward(store, carried.id, actor, restore=removed)
    assert back.id == made.id and follow_up.get_carried(store, carried.id).carried_forward_action_id == made.id
    # It is "recommended before", whatever the wording now says.
    actions.update_action(store, made.id, actor, what="Something worded quite differently")
    assert follow_up.similar_earlier(store, new.id) == {made.id: (REVIEW_DATE, carried.what)}


def test_a_done_action_is_not_carried_forward(store, actor, previous):
    new = follow_up.start_follow_up(store, previous.id, {"review_date": LATER}, actor)
    carried, other = follow_up.list_carried(store, new.id)[:2]
    follow_up.set_carried_outcome(store, carried.id, CarriedOutcome.DONE, "Seen", actor)
    with pytest.raises(ValidationError, match="nothing to carry forward"):
        follow_up.carry_forward(store, carried.id, actor)
    follow_up.set_carried_outcome(store, other.id, CarriedOutcome.NO_LONGER_RELEVANT, "", actor)
    with pytest.raises(ValidationError, match="no longer relevant"):
        follow_up.carry_forward(store, other.id, actor)


def test_completion_needs_an_outcome_for_every_carried_recommendation(store, actor, previous):
    from app.models import CarriedAction
    from app.models.enums import ConsentBasis, ReviewStatus
    from app.services import people

    new = follow_up.start_follow_up(store, previous.id, {"review_date": LATER}, actor)
    people.record_consent(store, new.id, actor, ConsentBasis.CONSENT)
    first, second, third, fourth = follow_up.list_carried(store, new.id)
    with pytest.raises(ValidationError, match="Record the outcome of the previous review's recommendations"):
        reviews.set_status(store, new.id, ReviewStatus.COMPLETE, actor)
    follow_up.set_carried_outcome(store, first.id, CarriedOutcome.DONE, "Report on file", actor)
    follow_up.set_carried_outcome(store, second.id, CarriedOutcome.IN_PROGRESS, "", actor)
    follow_up.set_carried_outcome(store, third.id, CarriedOutcome.NOT_DONE, "No psychologist", actor)
    assert reviews.completion_problems(store, new.id) == [
        "Record the outcome of the previous review's recommendation “Confirm funding with the ICB.” "
        "(done, partly done, not done or no longer relevant)."
    ]
    follow_up.set_carried_outcome(store, fourth.id, CarriedOutcome.NO_LONGER_RELEVANT, "", actor)
    assert reviews.completion_problems(store, new.id) == []
    # "Done" without evidence (as an older bundle may bring it) is caught at completion.
    with store.write() as session:
        session.get(CarriedAction, first.id).reason = ""
    assert reviews.completion_problems(store, new.id) == [
        "Give the evidence that “Arrange a speech and language therapy a…” was done."]
    follow_up.set_carried_outcome(store, first.id, CarriedOutcome.DONE, "Report on file", actor)
    assert reviews.set_status(store, new.id, ReviewStatus.COMPLETE, actor).status is ReviewStatus.COMPLETE


def test_recommendations_typed_in_from_a_paper_report(store, actor, review):
    typed = follow_up.add_typed_in(
        store, review.id, "  Arrange a sensory assessment ", actor, owner_name=" Dr  Patel ",
        owner_organisation="Elmfield", deadline=date(2026, 9, 1), previous_chair="Sam Okoro",
        previous_review_date=date(2026, 5, 20))
    assert typed.typed_in and typed.previous_chair == "Sam Okoro" and typed.owner_name == "Dr Patel"
    assert typed.what == "Arrange a sensory assessment" and typed.outcome is CarriedOutcome.PENDING
    assert typed.source_review_id is None and typed.source_review_date == date(2026, 5, 20)
    second = follow_up.add_typed_in(store, review.id, "Review medication", actor)
    assert [c.id for c in follow_up.list_carried(store, review.id)] == [typed.id, second.id]
    with pytest.raises(ValidationError, match="Type the recommendation"):
        follow_up.add_typed_in(store, review.id, "   ", actor)
    with pytest.raises(ValidationError, match="previous review must be before this one"):
        follow_up.add_typed_in(store, review.id, "Later", actor, previous_review_date=REVIEW_DATE)
    with pytest.raises(ValidationError, match="between 1900 and 2100"):
        follow_up.add_typed_in(store, review.id, "Far", actor, deadline=date(2200, 1, 1))
    assert len(follow_up.list_carried(store, review.id)) == 2
    # Followed up like any carried recommendation, and removable (with undo putting it back).
    follow_up.set_carried_outcome(store, typed.id, CarriedOutcome.NOT_DONE, "No OT in post", actor)
    removed = follow_up.remove_typed_in(store, typed.id, actor)
    assert [c.id for c in follow_up.list_carried(store, review.id)] == [second.id]
    back = follow_up.add_typed_in(store, review.id, removed.what, actor, owner_name=removed.owner_name,
                                  owner_organisation=removed.owner_organisation, deadline=removed.deadline,
                                  previous_chair=removed.previous_chair,
                                  previous_review_date=removed.source_review_date, restore=removed)
    assert back == removed
    # A new recommendation worded like a dated typed-in one is "recommended before" on that date.
    made = actions.add_action(store, review.id, ActionInput(what="Arrange a full sensory assessment"), actor)
    assert follow_up.similar_earlier(store, review.id) == {made.id: (date(2026, 5, 20), typed.what)}


def test_a_carried_recommendation_from_the_database_is_not_removed_or_changed(store, actor, previous):
    new = follow_up.start_follow_up(store, previous.id, {"review_date": LATER}, actor)
    first = follow_up.list_carried(store, new.id)[0]
    with pytest.raises(ValidationError, match="Only a recommendation typed in"):
        follow_up.remove_typed_in(store, first.id, actor)
    with pytest.raises(ValidationError, match="Only a recommendation typed in"):
        follow_up.update_typed_in(store, first.id, actor, what="Other words")
    assert follow_up.get_carried(store, first.id) == first


def test_a_typed_in_recommendation_is_corrected(store, actor, review):
    typed = follow_up.add_typed_in(store, review.id, "Arange a sensory assesment", actor, previous_chair="Sam")
    fixed = follow_up.update_typed_in(store, typed.id, actor, what=" Arrange a sensory assessment ",
                                      previous_chair="Sam  Okoro", source_review_date=date(2026, 5, 20))
    assert (fixed.what, fixed.previous_chair, fixed.source_review_date) == (
        "Arrange a sensory assessment", "Sam Okoro", date(2026, 5, 20))
    assert fixed.typed_in and fixed.owner_name == ""
    with pytest.raises(ValidationError, match="Type the recommendation"):
        follow_up.update_typed_in(store, typed.id, actor, what="  ")
    with pytest.raises(ValidationError, match="must be before this one"):
        follow_up.update_typed_in(store, typed.id, actor, source_review_date=REVIEW_DATE)
    assert follow_up.get_carried(store, typed.id) == fixed
    events = [e.fields for e in audit.list_events(store, review.id) if e.entity == "carried_action"]
    assert set(events[-1]) == {"what", "previous_chair", "source_review_date"}


def test_a_new_recommendation_that_repeats_a_carried_one(store, actor, previous):
    new = follow_up.start_follow_up(store, previous.id, {"review_date": LATER}, actor)
    carried = follow_up.list_carried(store, new.id)
    match = follow_up.repeated_carried("Speech and language therapy assessment for J", carried)
    assert match is not None and match.what == "Arrange a speech and language therapy assessment."
    assert follow_up.repeated_carried("Book a dental appointment", carried) is None
    made = actions.add_action(store, new.id, ActionInput(
        what="Arrange the speech and language therapy assessment", why="Still not done",
        different_this_time="  The ICB funds an SLT directly  "), actor)
    assert made.different_this_time == "The ICB funds an SLT directly"
    assert actions.update_action(store, made.id, actor, different_this_time="").different_this_time == ""


@pytest.mark.parametrize(
    ("earlier", "now", "similar"),
    [
        # Same words in another order, with extra words: token sets match.
        ("Arrange a speech and language therapy assessment.",
         "Speech and language therapy assessment, including a communication passport.", True),
        ("Offer fresh air twice a day.", "Offer fresh air at least twice a day and record each offer.", True),
        # Different actions that share a few words.
        ("Complete the annual health check.", "Complete the STOMP medication review.", False),
        ("Invite the family to discharge planning meetings.", "Write a discharge plan with dates.", False),
        # Short wordings are compared whole, so "Review plan" is not "a subset" of every plan.
        ("Review plan", "Review the plan to end long-term segregation with the MDT.", False),
        ("Review plan", "Review plan.", True),
    ],
)
def test_similarity_threshold_cases(earlier, now, similar):
    assert (similarity(earlier, now) >= SIMILARITY_THRESHOLD) is similar


def test_similarity_is_just_at_and_below_the_threshold():
    # Scores either side of 80 with real wordings: the threshold is inclusive.
    assert similarity("Check the care plan weekly", "Check the care plan weekly") == 100
    assert similarity("", "anything") == 0
    assert SIMILARITY_THRESHOLD == 80


def test_similar_earlier_looks_only_at_earlier_reviews_of_the_same_person(store, actor, previous, setup_icetr):
    new = follow_up.start_follow_up(store, previous.id, {"review_date": LATER}, actor)
    repeat = _add(store, new.id, actor, "Speech and language therapy assessment, with a communication passport.")
    fresh = _add(store, new.id, actor, "Put his drawings up in the room.")
    stranger = reviews.create_review(store, ReviewSetup(**{**setup_icetr.__dict__, "review_date": date(2026, 1, 5)}),
                                     actor)
    _add(store, stranger.id, actor, "Put his drawings up in the room.")
    found = follow_up.similar_earlier(store, new.id)
    assert found == {repeat.id: (REVIEW_DATE, "Arrange a speech and language therapy assessment.")}
    assert fresh.id not in found
    # Nothing earlier than the first review.
    assert follow_up.similar_earlier(store, previous.id) == {}


def test_carried_actions_keep_their_plain_words(store, actor, previous):
    first = actions.list_actions(store, previous.id)[0]
    actions.update_action(store, first.id, actor, easy_read="A speech helper will meet you.")
    new = follow_up.start_follow_up(store, previous.id, {"review_date": LATER}, actor)
    carried = {c.what: c.easy_read for c in follow_up.list_carried(store, new.id)}
    assert carried["Arrange a speech and language therapy assessment."] == "A speech helper will meet you."
    assert carried["Share the PBS plan with night staff."] == ""
    # A snapshot: changing the earlier wording later does not change what was carried.
    actions.update_action(store, first.id, actor, easy_read="Changed afterwards.")
    assert follow_up.list_carried(store, new.id)[0].easy_read == "A speech helper will meet you."
