"""Merging a contribution that changes nothing changes nothing, whatever the chair did meanwhile."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bundle import dump_review
from app.bundle.merge import plan_merge
from app.bundle.merge_store import apply_merge, list_merges
from app.models import Action
from app.models.enums import HeadlineAnswer
from app.services import actions, notes, people, reviews, sections
from app.services.store import Store
from tests.bundle.merge_support import CHAIR, SECTION, hand_over, row_id, seeded_review
from tests.conftest import REVIEW_DATE

WORDS = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=20).map(str.strip).filter(bool)
EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("note"), WORDS),
        st.tuples(st.just("ward"), WORDS),
        st.tuples(st.just("headline"), st.sampled_from(list(HeadlineAnswer))),
        st.tuples(st.just("action_why"), WORDS),
        st.tuples(st.just("attendee"), WORDS),
        st.tuples(st.just("delete_note"), st.just("")),
    ),
    max_size=5,
)


def _edit(store: Store, review_id: int, base: dict, edit: tuple) -> None:
    kind, value = edit
    if kind == "note":
        notes.add_note(store, review_id, SECTION, value, CHAIR)
    elif kind == "ward":
        reviews.update_setup(store, review_id, CHAIR, ward=value)
    elif kind == "headline":
        sections.set_headline(store, review_id, "safe", CHAIR, answer=value)
    elif kind == "action_why":
        actions.update_action(store, row_id(store, Action, base["actions"][0]["uid"]), CHAIR, why=value)
    elif kind == "attendee":
        people.add_attendee(store, review_id, CHAIR, name=value, role="advocate")
    elif kind == "delete_note":
        listed = notes.list_notes(store, review_id)
        if listed:
            notes.delete_note(store, listed[-1].id, CHAIR)


@pytest.fixture
def handover(tmp_path, clock):
    chair = Store.open(tmp_path / "chair.sqlite3", clock=clock)
    member = Store.open(tmp_path / "member.sqlite3", clock=clock)
    yield hand_over(chair, member, seeded_review(chair, REVIEW_DATE))
    chair.close()
    member.close()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_merging_a_contribution_with_no_changes_is_a_no_op(handover, edits):
    h = handover
    for edit in edits:
        _edit(h.chair, h.review_id, h.base, edit)
    before = dump_review(h.chair, h.review_id)

    plan = h.plan()
    result = apply_merge(h.chair, h.review_id, plan, {}, CHAIR)

    assert plan.is_empty and plan.conflicts == []
    assert result.merge_id is None
    assert dump_review(h.chair, h.review_id) == before
    assert list_merges(h.chair, h.review_id) == []


def _mutate(document: dict, data, *, delete_notes: bool = True) -> dict:
    """A copy of `document` with a few fields changed and rows deleted at random."""
    changed = copy.deepcopy(document)
    for part in ("notes", "actions", "attendees", "entries", "headlines"):
        rows = changed[part]
        if rows and data.draw(st.booleans()):
            row = rows[data.draw(st.integers(0, len(rows) - 1))]
            fields = sorted(k for k, v in row.items()
                            if isinstance(v, str) and k not in ("uid", "question_id", "updated_at"))
            row[data.draw(st.sampled_from(fields))] = data.draw(WORDS)
        if rows and (delete_notes or part != "notes") and data.draw(st.booleans()):
            rows.pop(data.draw(st.integers(0, len(rows) - 1)))
    if data.draw(st.booleans()):
        changed["review"]["hospital"] = data.draw(WORDS)
    return changed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_plan_for_an_unchanged_contribution_is_empty_and_the_merged_document_is_the_current_one(handover, data):
    base = handover.base
    current = _mutate(base, data)
    plan = plan_merge(current, base, copy.deepcopy(base))
    assert plan.is_empty
    assert plan.document({}) == current
    # And the other way round: the member's changes alone are all taken, with nothing to decide
    # (a note the member deleted is the exception: notes are append-only, tested elsewhere).
    theirs = _mutate(base, data, delete_notes=False)
    plan = plan_merge(copy.deepcopy(base), base, theirs)
    assert plan.conflicts == []
    assert plan.document({}) == theirs
