from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from app.models.enums import ActionStatus, CarriedOutcome
from app.services import actions, follow_up
from app.services.dto import ActionInput
from app.services.tracker import effective_status, tracker_rows
from tests.conftest import REVIEW_DATE

LATER = REVIEW_DATE + timedelta(days=120)


def _add(store, review_id, actor, what, *, owner="Dr Helen Marsh", org="Elmfield Hospital", weeks=4,
         status=ActionStatus.OPEN, on=REVIEW_DATE):
    return actions.add_action(
        store, review_id,
        ActionInput(what=what, owner_name=owner, owner_organisation=org, deadline=on + timedelta(weeks=weeks),
                    status=status),
        actor,
    )


@pytest.fixture
def two_reviews(store, actor, review):
    a = _add(store, review.id, actor, "Speech and language therapy assessment", weeks=2)
    b = _add(store, review.id, actor, "Fresh air twice a day", owner="Chris Doyle", org="Cedar Ward", weeks=6)
    c = _add(store, review.id, actor, "Health check", weeks=2, status=ActionStatus.DONE)
    new = follow_up.start_follow_up(store, review.id, {"review_date": LATER}, actor)
    d = _add(store, new.id, actor, "Funding decision", owner="Ravi Patel", org="Northvale ICB", weeks=8, on=LATER)
    return review, new, {"slt": a, "air": b, "check": c, "funding": d}


def test_rows_cover_every_review_newest_first_with_overdue_from_today(store, two_reviews):
    review, new, ids = two_reviews
    rows = tracker_rows(store, today=REVIEW_DATE + timedelta(weeks=3))
    assert [r.id for r in rows] == [ids["funding"].id, ids["slt"].id, ids["air"].id, ids["check"].id]
    by_id = {r.id: r for r in rows}
    assert by_id[ids["slt"].id].effective_status is ActionStatus.OVERDUE  # due after 2 weeks, open
    assert by_id[ids["slt"].id].status is ActionStatus.OPEN
    assert by_id[ids["air"].id].effective_status is ActionStatus.OPEN
    assert by_id[ids["check"].id].effective_status is ActionStatus.DONE  # done, even though past its date
    funding = by_id[ids["funding"].id]
    assert (funding.person_label, funding.review_date, funding.review_id) == ("J.B.", LATER, new.id)


def test_a_carried_copy_marked_done_later_counts_as_done(store, actor, two_reviews):
    review, new, ids = two_reviews
    slt = next(c for c in follow_up.list_carried(store, new.id) if c.what.startswith("Speech"))
    follow_up.set_carried_outcome(store, slt.id, CarriedOutcome.DONE, "Report seen", actor)
    row = next(r for r in tracker_rows(store, today=LATER) if r.id == ids["slt"].id)
    assert row.status is ActionStatus.OPEN and row.effective_status is ActionStatus.DONE
    assert (row.done_in_review_date, row.done_in_review_id) == (LATER, new.id)


def test_a_carried_copy_no_longer_relevant_later_is_never_overdue(store, actor, two_reviews):
    review, new, ids = two_reviews
    air = next(c for c in follow_up.list_carried(store, new.id) if c.what.startswith("Fresh"))
    before = next(r for r in tracker_rows(store, today=LATER) if r.id == ids["air"].id)
    assert before.effective_status is ActionStatus.OVERDUE and before.dropped_in_review_date is None
    follow_up.set_carried_outcome(store, air.id, CarriedOutcome.NO_LONGER_RELEVANT, "Moved ward", actor)
    row = next(r for r in tracker_rows(store, today=LATER) if r.id == ids["air"].id)
    assert row.effective_status is ActionStatus.OPEN and row.dropped_in_review_date == LATER
    assert row.done_in_review_date is None
    assert ids["air"].id not in {r.id for r in tracker_rows(store, today=LATER, status=ActionStatus.OVERDUE)}


def test_filters(store, two_reviews):
    _review, _new, ids = two_reviews
    today = REVIEW_DATE + timedelta(weeks=3)
    assert [r.id for r in tracker_rows(store, today=today, owner="  doyle ")] == [ids["air"].id]
    assert [r.id for r in tracker_rows(store, today=today, organisation="icb")] == [ids["funding"].id]
    assert {r.id for r in tracker_rows(store, today=today, due_before=REVIEW_DATE + timedelta(weeks=2))} == {
        ids["slt"].id, ids["check"].id}
    assert [r.id for r in tracker_rows(store, today=today, due_after=REVIEW_DATE + timedelta(weeks=7))] == [
        ids["funding"].id]
    assert [r.id for r in tracker_rows(store, today=today, status=ActionStatus.OVERDUE)] == [ids["slt"].id]
    # Wildcards typed by the user are plain text, not patterns.
    assert tracker_rows(store, today=today, owner="%") == []


def test_effective_status_rules():
    today = REVIEW_DATE
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    assert effective_status(ActionStatus.OPEN, yesterday, today, False) is ActionStatus.OVERDUE
    assert effective_status(ActionStatus.IN_PROGRESS, today, today, False) is ActionStatus.IN_PROGRESS
    assert effective_status(ActionStatus.ESCALATED, yesterday, today, False) is ActionStatus.OVERDUE
    assert effective_status(ActionStatus.OPEN, None, today, False) is ActionStatus.OPEN
    assert effective_status(ActionStatus.OPEN, yesterday, today, True) is ActionStatus.DONE
    assert effective_status(ActionStatus.DONE, yesterday, today, False) is ActionStatus.DONE
    assert effective_status(ActionStatus.OPEN, tomorrow, today, False) is ActionStatus.OPEN


def test_two_queries_whatever_the_number_of_reviews(store, actor, review):
    on = review
    for number in range(6):
        _add(store, on.id, actor, f"Action {number}", on=on.review_date)
        on = follow_up.start_follow_up(store, on.id, {"review_date": on.review_date + timedelta(days=30)}, actor)
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        rows = tracker_rows(store, today=REVIEW_DATE)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert len(rows) == 6
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
