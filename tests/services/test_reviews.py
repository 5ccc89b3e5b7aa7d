from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.models.enums import ConsentBasis, ReviewStatus
from app.services import actions, audit, people, reviews, sections
from app.services.dto import ActionInput
from app.services.errors import NotFoundError, ValidationError
from tests.conftest import REVIEW_DATE


def test_create_review_pins_template_and_builds_agenda(store, review):
    template = reviews.template_for(review)
    assert (review.template_id, review.template_version) == ("icetr", template.version)
    states = sections.list_section_states(store, review.id)
    assert [s.section_id for s in states] == [s.id for s in template.sections]
    assert [s.planned_minutes for s in states] == [s.minutes for s in template.sections]
    assert "lts" in {s.section_id for s in states}
    assert {h.question_id for h in sections.list_headlines(store, review.id)} == {
        "safe", "good_care", "future_plan", "community"
    }
    assert review.status is ReviewStatus.DRAFT
    assert review.consent_basis is ConsentBasis.NOT_RECORDED


def test_unknown_type_and_blank_pseudonym_are_refused(store, actor, setup_icetr):
    with pytest.raises(ValidationError, match="Unknown review type"):
        reviews.create_review(store, replace(setup_icetr, template_id="nope"), actor)
    with pytest.raises(ValidationError, match="initials or a pseudonym"):
        reviews.create_review(store, replace(setup_icetr, person_label="   "), actor)
    assert reviews.list_reviews(store) == []


def test_dates_that_cannot_be_true_are_refused(store, actor, setup_icetr):
    with pytest.raises(ValidationError, match="admission date is after the review date"):
        reviews.create_review(store, replace(setup_icetr, admission_date=REVIEW_DATE + timedelta(days=1)), actor)
    with pytest.raises(ValidationError, match="date of birth is after"):
        reviews.create_review(store, replace(setup_icetr, date_of_birth=REVIEW_DATE + timedelta(days=1)), actor)


def test_update_setup_changes_only_what_changed_and_audits_field_names(store, actor, review):
    updated = reviews.update_setup(store, review.id, actor, ward="Oak Ward", secure=False)
    assert updated.setup.ward == "Oak Ward" and updated.setup.secure is False
    events = [e for e in audit.list_events(store, review.id) if e.action == "update"]
    assert events[-1].fields == ("secure", "secure_level", "ward")  # the level the tick is derived from
    assert "Oak" not in repr(events)  # the trail holds field names, not the text


def test_update_setup_refusal_changes_nothing(store, actor, review):
    with pytest.raises(ValidationError):
        reviews.update_setup(store, review.id, actor, admission_date=date(2030, 1, 1))
    assert reviews.get_review(store, review.id).setup.admission_date == date(2024, 3, 1)


def test_length_of_stay(review):
    assert review.length_of_stay_days() == (REVIEW_DATE - date(2024, 3, 1)).days


def test_list_reviews_counts_and_flags(store, actor, consented_review):
    from app.services import notes

    notes.add_note(store, consented_review.id, "safety", "Restraint down this month.", actor)
    [summary] = reviews.list_reviews(store)
    assert summary.notes == 1 and summary.actions == 0
    assert "long-term segregation" in summary.flags
    assert summary.template_title == "IC(E)TR"


def test_complete_needs_consent_and_owner_and_date_for_every_action(store, actor, review):
    with pytest.raises(ValidationError, match="consent basis"):
        reviews.set_status(store, review.id, ReviewStatus.COMPLETE, actor)
    people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    action = actions.add_action(store, review.id, ActionInput(what="Book SLT assessment"), actor)
    with pytest.raises(ValidationError, match="needs an owner and a deadline"):
        reviews.set_status(store, review.id, ReviewStatus.COMPLETE, actor)
    actions.update_action(store, action.id, actor, owner_name="Dr Marsh")
    with pytest.raises(ValidationError, match="needs a deadline"):
        reviews.set_status(store, review.id, ReviewStatus.COMPLETE, actor)
    actions.update_action(store, action.id, actor, deadline=REVIEW_DATE + timedelta(weeks=4),
                          easy_read="Someone will check how you talk and what helps you.")
    with pytest.raises(ValidationError, match=r"Say why \(the rationale\) for action 1 \(Book SLT assessment\)"):
        reviews.set_status(store, review.id, ReviewStatus.COMPLETE, actor)
    actions.update_action(store, action.id, actor, why="No communication assessment on file.")
    assert reviews.set_status(store, review.id, ReviewStatus.COMPLETE, actor).status is ReviewStatus.COMPLETE


def test_completion_names_every_recommendation_without_a_why(store, actor, consented_review):
    def add(what, why=""):
        return actions.add_action(store, consented_review.id, ActionInput(
            what=what, why=why, owner_name="Dr Marsh", deadline=REVIEW_DATE + timedelta(weeks=2),
            easy_read="Someone will help you."), actor)

    add("Book SLT assessment")
    add("Share the PBS plan", "Night staff had not seen it.")
    add("Review the segregation plan", "   ")
    problems = reviews.completion_problems(store, consented_review.id)
    assert problems == ["Say why (the rationale) for actions 1 (Book SLT assessment), 3 (Review the segregation plan)."]
    with pytest.raises(ValidationError, match="actions 1 .*, 3 "):
        reviews.set_status(store, consented_review.id, ReviewStatus.COMPLETE, actor)
    assert reviews.get_review(store, consented_review.id).status is not ReviewStatus.COMPLETE


def test_complete_is_refused_naming_every_action_without_plain_words(store, actor, review):
    people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    due = REVIEW_DATE + timedelta(weeks=4)
    plain = actions.add_action(store, review.id, ActionInput(
        what="Book SLT assessment", why="Needed.", owner_name="Dr Marsh", deadline=due,
        easy_read="Someone will check how you talk."), actor)
    bare = actions.add_action(store, review.id, ActionInput(
        what="Share the PBS plan with night staff", why="Needed.", owner_name="Dr Marsh", deadline=due), actor)
    blank = actions.add_action(store, review.id, ActionInput(
        what="Audit PRN use", why="Needed.", owner_name="Dr Marsh", deadline=due, easy_read="   "), actor)
    with pytest.raises(ValidationError) as refused:
        reviews.set_status(store, review.id, ReviewStatus.COMPLETE, actor)
    message = str(refused.value)
    assert "Action 2 (Share the PBS plan with night staff) needs plain words for the easy read." in message
    assert "Action 3 (Audit PRN use) needs plain words for the easy read." in message
    assert "Action 1" not in message
    assert reviews.get_review(store, review.id).status is not ReviewStatus.COMPLETE
    actions.update_action(store, bare.id, actor, easy_read="Night staff will learn your plan for calm times.")
    actions.update_action(store, blank.id, actor, easy_read="A doctor will check your calming medicine.")
    assert reviews.completion_problems(store, review.id) == []
    assert reviews.set_status(store, review.id, ReviewStatus.COMPLETE, actor).status is ReviewStatus.COMPLETE
    assert plain.easy_read


def test_missing_review_is_not_found(store):
    with pytest.raises(NotFoundError):
        reviews.get_review(store, 999)


def test_first_edit_moves_draft_to_in_progress(store, actor, review):
    people.add_attendee(store, review.id, actor, name="Morgan Ellis", role="independent_chair")
    assert reviews.get_review(store, review.id).status is ReviewStatus.IN_PROGRESS
