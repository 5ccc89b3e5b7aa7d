from __future__ import annotations

from datetime import timedelta

import pytest

from app.models.enums import EntryKind, Evidence, HeadlineAnswer, Priority, SectionStatus
from app.services import actions, sections
from app.services.dto import ActionInput
from app.services.errors import ValidationError
from tests.conftest import REVIEW_DATE


def test_safeguarding_concern_requires_a_named_person(store, actor, consented_review):
    with pytest.raises(ValidationError, match="name of the person who will act"):
        sections.add_entry(store, consented_review.id, "daily_life", EntryKind.CONCERN, "Bruise not recorded",
                           actor, safeguarding=True)
    with pytest.raises(ValidationError, match="Only a concern"):
        sections.add_entry(store, consented_review.id, "daily_life", EntryKind.FINDING, "x", actor,
                           safeguarding=True, safeguarding_lead="Chris")
    entry = sections.add_entry(store, consented_review.id, "daily_life", EntryKind.CONCERN, "Bruise not recorded",
                               actor, evidence=Evidence.OBSERVATION, safeguarding=True, safeguarding_lead="Chris Doyle")
    state = sections.get_section_state(store, consented_review.id, "daily_life")
    assert (state.entries, state.concerns, state.safeguarding) == (1, 1, 1)
    with pytest.raises(ValidationError):
        sections.update_entry(store, entry.id, actor, safeguarding_lead="  ")
    assert sections.list_entries(store, consented_review.id)[0].safeguarding_lead == "Chris Doyle"


def test_prompts_timer_and_status(store, actor, review):
    sections.set_prompt_covered(store, review.id, "safety", "restraint", True)
    total = sections.add_elapsed(store, review.id, "safety", 90)
    total = sections.add_elapsed(store, review.id, "safety", 30)
    state = sections.get_section_state(store, review.id, "safety")
    assert total == 120 and state.elapsed_seconds == 120
    assert state.prompts_covered == {"restraint"} and state.status is SectionStatus.IN_PROGRESS
    sections.set_section_status(store, review.id, "safety", SectionStatus.DONE, actor)
    assert sections.get_section_state(store, review.id, "safety").status is SectionStatus.DONE
    with pytest.raises(ValidationError):
        sections.set_planned_minutes(store, review.id, "safety", -5, actor)


def test_headline_answers(store, actor, review):
    sections.set_headline(store, review.id, "safe", actor, answer=HeadlineAnswer.PARTLY, reasons="PRN use high")
    [safe] = [h for h in sections.list_headlines(store, review.id) if h.question_id == "safe"]
    assert (safe.answer, safe.reasons) == (HeadlineAnswer.PARTLY, "PRN use high")


def test_deadline_before_review_date_is_refused_with_the_dates(store, actor, review):
    with pytest.raises(ValidationError, match="before the review date"):
        actions.add_action(store, review.id, ActionInput(what="x", deadline=REVIEW_DATE - timedelta(days=1)), actor)
    assert actions.list_actions(store, review.id) == []
    same_day = actions.add_action(store, review.id, ActionInput(what="x", deadline=REVIEW_DATE), actor)
    with pytest.raises(ValidationError, match="before the review date"):
        actions.update_action(store, same_day.id, actor, deadline=REVIEW_DATE - timedelta(days=30))
    assert actions.get_action(store, same_day.id).deadline == REVIEW_DATE


def test_action_round_trip_with_undoable_delete(store, actor, review):
    first = actions.add_action(store, review.id, ActionInput(
        what="SLT assessment", why="No SLT since admission", owner_name="Dr  Marsh", owner_organisation="Elmfield",
        deadline=actions.quick_deadline(REVIEW_DATE, 4), priority=Priority.HIGH, section_id="care_treatment"), actor)
    second = actions.add_action(store, review.id, ActionInput(what="Fresh air twice a day"), actor)
    assert first.owner_name == "Dr Marsh" and first.deadline == REVIEW_DATE + timedelta(days=28)
    assert [a.position for a in actions.list_actions(store, review.id)] == [0, 1]
    assert actions.missing_owner_or_deadline(actions.list_actions(store, review.id)) == [second]
    deleted = actions.delete_action(store, first.id, actor)
    assert [a.id for a in actions.list_actions(store, review.id)] == [second.id]
    assert actions.restore_action(store, deleted, actor) == first
    assert [a.id for a in actions.list_actions(store, review.id)] == [first.id, second.id]
    with pytest.raises(ValidationError, match="what will be done"):
        actions.update_action(store, first.id, actor, what=" ")
