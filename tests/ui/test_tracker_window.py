"""The action tracker window: every review's actions, filters, overdue rows, opening a review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from app.models.enums import ActionStatus, CarriedOutcome
from app.services import actions, follow_up
from app.services.dto import ActionInput
from app.ui.main_window import MainWindow
from app.ui.tracker_window import Column, OverdueRole, TrackerTableModel, TrackerWindow
from app.ui.widgets import to_qdate
from tests.conftest import REVIEW_DATE

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)

LATER = REVIEW_DATE + timedelta(days=60)
TODAY = REVIEW_DATE + timedelta(days=70)


def _add(store, review_id, actor, what, *, owner, org, weeks, on, status=ActionStatus.OPEN):
    return actions.add_action(
        store, review_id,
        ActionInput(what=what, owner_name=owner, owner_organisation=org, deadline=on + timedelta(weeks=weeks),
                    status=status),
        actor,
    )


@pytest.fixture
def seeded(store, actor, review):
    ids = {
        "slt": _add(store, review.id, actor, "SLT assessment", owner="Dr Helen Marsh", org="Elmfield Hospital",
                    weeks=4, on=REVIEW_DATE).id,
        "air": _add(store, review.id, actor, "Fresh air twice a day", owner="Chris Doyle", org="Cedar Ward",
                    weeks=2, on=REVIEW_DATE).id,
        "done": _add(store, review.id, actor, "Health check", owner="Dr Helen Marsh", org="Elmfield Hospital",
                     weeks=2, on=REVIEW_DATE, status=ActionStatus.DONE).id,
    }
    new = follow_up.start_follow_up(store, review.id, {"review_date": LATER}, actor)
    ids["funding"] = _add(store, new.id, actor, "Funding decision", owner="Ravi Patel", org="Northvale ICB",
                          weeks=6, on=LATER).id
    air = next(c for c in follow_up.list_carried(store, new.id) if c.what.startswith("Fresh"))
    follow_up.set_carried_outcome(store, air.id, CarriedOutcome.DONE, "Log seen", actor)
    return review, new, ids


@pytest.fixture
def tracker(qtbot, store, seeded):
    window = TrackerWindow(store, TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _shown(window) -> list[str]:
    proxy = window.proxy
    return sorted(proxy.index(row, Column.WHAT).data() for row in range(proxy.rowCount()))


def _row_of(window, what: str) -> int:
    return next(r for r in range(window.model.rowCount()) if window.model.index(r, Column.WHAT).data() == what)


def test_model_passes_the_model_tester(qtmodeltester, store, seeded):
    from app.services.tracker import tracker_rows

    model = TrackerTableModel()
    model.set_rows(tracker_rows(store, today=TODAY))
    qtmodeltester.check(model)


def test_lists_every_review_with_overdue_marked_in_words_not_colour_alone(tracker):
    assert _shown(tracker) == ["Fresh air twice a day", "Funding decision", "Health check", "SLT assessment"]
    model = tracker.model
    slt = _row_of(tracker, "SLT assessment")
    status = model.index(slt, Column.STATUS)
    assert status.data() == "Overdue" and status.data(OverdueRole) is True
    assert status.data(Qt.ItemDataRole.DecorationRole) is not None
    assert status.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "deadline has passed" in status.data(Qt.ItemDataRole.ToolTipRole)
    air = model.index(_row_of(tracker, "Fresh air twice a day"), Column.STATUS)
    assert air.data() == f"Done (review of {LATER:%d %b %Y})" and air.data(OverdueRole) is False
    assert air.data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(_row_of(tracker, "Funding decision"), Column.PERSON).data() == "J.B."
    assert "4 of 4 actions · 1 overdue" == tracker.count.text()


def test_filters_through_the_real_widgets(qtbot, tracker):
    qtbot.keyClicks(tracker.owner, "marsh")
    assert _shown(tracker) == ["Health check", "SLT assessment"]
    tracker.owner.clear()
    qtbot.keyClicks(tracker.organisation, "ICB")
    assert _shown(tracker) == ["Funding decision"]
    tracker.organisation.clear()
    tracker.due_from.edit.setDate(to_qdate(REVIEW_DATE + timedelta(weeks=3)))
    assert _shown(tracker) == ["Funding decision", "SLT assessment"]
    tracker.due_to.edit.setDate(to_qdate(REVIEW_DATE + timedelta(weeks=5)))
    assert _shown(tracker) == ["SLT assessment"]
    tracker.due_from.clear()
    tracker.due_to.clear()
    tracker.status.setCurrentIndex(tracker.status.findData(ActionStatus.DONE))
    assert _shown(tracker) == ["Fresh air twice a day", "Health check"]
    tracker.status.setCurrentIndex(0)
    tracker.overdue_only.click()
    assert _shown(tracker) == ["SLT assessment"]
    assert tracker.count.text().startswith("1 of 4 actions")
    tracker.overdue_only.click()
    assert len(_shown(tracker)) == 4


def test_sorting_by_deadline_uses_dates(tracker):
    tracker.table.sortByColumn(Column.DEADLINE, Qt.SortOrder.AscendingOrder)
    proxy = tracker.proxy
    order = [proxy.index(r, Column.WHAT).data() for r in range(proxy.rowCount())]
    assert order == ["Fresh air twice a day", "Health check", "SLT assessment", "Funding decision"]


def test_every_filter_has_an_accessible_name(tracker):
    for widget in (tracker.owner, tracker.organisation, tracker.due_from.edit, tracker.due_to.edit, tracker.status,
                   tracker.overdue_only, tracker.table):
        assert widget.accessibleName()


def test_double_click_opens_the_review_in_the_main_window(qtbot, store, seeded):
    review, new, _ids = seeded
    main = MainWindow(store, today=TODAY)
    qtbot.addWidget(main)
    main.show()
    action = next(a for a in main.actions() if a.objectName() == "action_tracker")
    assert action.shortcut().toString() == "Ctrl+Shift+T" and action.isEnabled()
    action.trigger()
    tracker = main.tracker_window
    assert tracker.isVisible() and tracker.model.rowCount() == 4
    row = next(r for r in range(tracker.proxy.rowCount())
               if tracker.proxy.index(r, Column.WHAT).data() == "Funding decision")
    index = tracker.proxy.index(row, Column.WHAT)
    rect = tracker.table.visualRect(index)
    qtbot.mouseClick(tracker.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tracker.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main.ctx is not None and main.ctx.review_id == new.id
    # Enter on another row opens that one.
    row = next(r for r in range(tracker.proxy.rowCount())
               if tracker.proxy.index(r, Column.WHAT).data() == "SLT assessment")
    tracker.table.setCurrentIndex(tracker.proxy.index(row, 0))
    tracker.table.setFocus()
    qtbot.keyClick(tracker.table, Qt.Key.Key_Return)
    assert main.ctx.review_id == review.id


def test_a_recommendation_no_longer_relevant_later_says_so_and_is_not_overdue(qtbot, store, actor, seeded):
    _review, new, _ids = seeded
    slt = next(c for c in follow_up.list_carried(store, new.id) if c.what.startswith("SLT"))
    follow_up.set_carried_outcome(store, slt.id, CarriedOutcome.NO_LONGER_RELEVANT, "Has an SLT now", actor)
    window = TrackerWindow(store, TODAY)
    qtbot.addWidget(window)
    window.show()
    index = window.model.index(_row_of(window, "SLT assessment"), Column.STATUS)
    assert index.data() == f"No longer relevant (review of {LATER:%d %b %Y})"
    assert index.data(OverdueRole) is False
    assert "no longer relevant" in index.data(Qt.ItemDataRole.ToolTipRole)
