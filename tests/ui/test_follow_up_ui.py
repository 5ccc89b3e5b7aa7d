"""Follow-up in the app: the previous review's actions panel, repeat badges, starting a follow-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.models.enums import ActionStatus, CarriedOutcome, ConsentBasis
from app.services import actions, follow_up, people, reviews
from app.services.dto import ActionInput
from app.ui.action_table_model import Column as ActionColumn
from app.ui.action_table_model import RecommendedBeforeRole
from app.ui.actions_page import ActionsPage
from app.ui.carried_table_model import CarriedTableModel, Column
from app.ui.context import ReviewContext
from app.ui.main_window import MainWindow
from app.ui.new_review_dialog import NewReviewDialog
from tests.conftest import REVIEW_DATE

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)

LATER = REVIEW_DATE + timedelta(days=120)


def _add(store, review_id, actor, what, status=ActionStatus.OPEN, on=REVIEW_DATE):
    return actions.add_action(
        store, review_id,
        ActionInput(what=what, owner_name="Dr Marsh", owner_organisation="Elmfield",
                    deadline=on + timedelta(weeks=4), status=status),
        actor,
    )


@pytest.fixture
def follow_up_review(store, actor, consented_review):
    _add(store, consented_review.id, actor, "Arrange a speech and language therapy assessment.")
    _add(store, consented_review.id, actor, "Offer fresh air twice a day.", ActionStatus.IN_PROGRESS)
    _add(store, consented_review.id, actor, "Write a plan to end segregation.", ActionStatus.OVERDUE)
    _add(store, consented_review.id, actor, "Complete the health check.", ActionStatus.DONE)
    new = follow_up.start_follow_up(store, consented_review.id, {"review_date": LATER}, actor)
    people.record_consent(store, new.id, actor, ConsentBasis.CONSENT)
    return new


@pytest.fixture
def page(qtbot, store, actor, follow_up_review):
    ctx = ReviewContext(store, follow_up_review.id, actor=actor)
    widget = ActionsPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _outcomes(store, review_id):
    return [(c.outcome, c.reason) for c in follow_up.list_carried(store, review_id)]


def test_carried_model_passes_the_model_tester(qtmodeltester, store, follow_up_review):
    model = CarriedTableModel()
    model.set_rows(follow_up.list_carried(store, follow_up_review.id))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.index(0, Column.OUTCOME).data() == "Not yet recorded"


def test_the_panel_shows_the_previous_reviews_unfinished_actions(page):
    panel = page.carried_panel
    assert panel.isVisible()
    assert "20 Nov 2026" in panel.title.text()
    assert panel.model.rowCount() == 3
    assert "3 carried over · 3 to record" in panel.summary.text()
    assert panel.table.accessibleName() and panel.outcome.accessibleName() and panel.reason.accessibleName()


def test_done_and_in_progress_through_the_combo_then_undo(qtbot, page, store, follow_up_review):
    panel = page.carried_panel
    ctx = page.ctx
    panel.select(panel.model.row_at(0).id)
    panel.outcome.setFocus()
    # Keyboard: choose "Done" in the combo (first item): it waits for the evidence, then Enter records.
    panel.outcome.setCurrentIndex(panel.outcome.findData(CarriedOutcome.DONE))
    panel.outcome.activated.emit(panel.outcome.currentIndex())
    assert _outcomes(store, follow_up_review.id)[0] == (CarriedOutcome.PENDING, "")
    assert "evidence" in panel.problem.text() and panel.reason.placeholderText().startswith("What shows it was done")
    qtbot.keyClicks(panel.reason, "SLT report on file")
    qtbot.keyClick(panel.reason, Qt.Key.Key_Return)
    assert _outcomes(store, follow_up_review.id)[0] == (CarriedOutcome.DONE, "SLT report on file")
    assert panel.model.index(0, Column.OUTCOME).data() == "Done"

    panel.select(panel.model.row_at(1).id)
    panel.outcome.setCurrentIndex(panel.outcome.findData(CarriedOutcome.IN_PROGRESS))
    qtbot.keyClicks(panel.reason, "Twice a day on most days")
    qtbot.keyClick(panel.reason, Qt.Key.Key_Return)
    assert _outcomes(store, follow_up_review.id)[1] == (CarriedOutcome.IN_PROGRESS, "Twice a day on most days")

    ctx.undo_stack.undo()
    assert _outcomes(store, follow_up_review.id)[1] == (CarriedOutcome.PENDING, "")
    ctx.undo_stack.undo()
    assert _outcomes(store, follow_up_review.id)[0] == (CarriedOutcome.PENDING, "")
    ctx.undo_stack.redo()
    assert _outcomes(store, follow_up_review.id)[0] == (CarriedOutcome.DONE, "SLT report on file")


def test_not_done_needs_a_reason_and_nothing_is_lost(qtbot, page, store, follow_up_review):
    panel = page.carried_panel
    panel.select(panel.model.row_at(2).id)
    panel.outcome.setCurrentIndex(panel.outcome.findData(CarriedOutcome.NOT_DONE))
    panel.outcome.activated.emit(panel.outcome.currentIndex())
    # Not recorded yet: the reason field asks for the reason.
    assert panel.problem.isVisible() and "Say why" in panel.problem.text()
    assert _outcomes(store, follow_up_review.id)[2] == (CarriedOutcome.PENDING, "")
    # Pressing the button with no reason: the service's one sentence, nothing recorded, no undo step.
    panel.record_button.click()
    assert panel.problem.text() == "Say why the action was not done."
    assert page.ctx.undo_stack.count() == 0
    qtbot.keyClicks(panel.reason, "Psychologist left in August")
    qtbot.keyClick(panel.reason, Qt.Key.Key_Return)
    assert _outcomes(store, follow_up_review.id)[2] == (CarriedOutcome.NOT_DONE, "Psychologist left in August")
    assert not panel.problem.isVisible()
    assert panel.model.index(2, Column.REASON).data() == "Psychologist left in August"
    assert "1 not done" in panel.summary.text()


def test_carry_forward_adds_an_action_and_undo_removes_it(qtbot, page, store, follow_up_review):
    panel = page.carried_panel
    carried = panel.model.row_at(2)
    panel.select(carried.id)
    panel.outcome.setCurrentIndex(panel.outcome.findData(CarriedOutcome.NOT_DONE))
    qtbot.keyClicks(panel.reason, "No psychologist")
    qtbot.keyClick(panel.reason, Qt.Key.Key_Return)
    assert panel.forward_button.isEnabled()
    panel.forward_button.click()
    [made] = actions.list_actions(store, follow_up_review.id)
    assert made.what == carried.what
    assert page.model.rowCount() == 1
    # The new action carries the badge, and the panel says it was carried forward.
    assert page.model.index(0, ActionColumn.WHAT).data(RecommendedBeforeRole) == "Recommended before on 20 November 2026"
    assert "carried forward" in panel.model.index(2, Column.OUTCOME).data()
    assert not panel.forward_button.isEnabled()
    page.ctx.undo_stack.undo()
    assert actions.list_actions(store, follow_up_review.id) == []
    assert page.model.rowCount() == 0
    page.ctx.undo_stack.redo()
    assert [a.id for a in actions.list_actions(store, follow_up_review.id)] == [made.id]


def test_a_done_or_no_longer_relevant_action_cannot_be_carried_forward(page):
    panel = page.carried_panel
    panel.select(panel.model.row_at(0).id)
    panel.outcome.setCurrentIndex(panel.outcome.findData(CarriedOutcome.DONE))
    panel.reason.setText("Seen on file")
    panel.outcome.activated.emit(panel.outcome.currentIndex())
    assert not panel.forward_button.isEnabled()
    panel.select(panel.model.row_at(1).id)
    assert panel.forward_button.isEnabled()
    panel.reason.clear()
    panel.outcome.setCurrentIndex(panel.outcome.findData(CarriedOutcome.NO_LONGER_RELEVANT))
    panel.outcome.activated.emit(panel.outcome.currentIndex())
    assert panel.model.index(1, Column.OUTCOME).data() == "No longer relevant"
    assert not panel.forward_button.isEnabled()


def test_recommended_before_badge_and_tooltip(qtbot, store, actor, follow_up_review):
    repeat = _add(store, follow_up_review.id, actor, "Speech and language therapy assessment, with a passport.",
                  on=LATER)
    fresh = _add(store, follow_up_review.id, actor, "Put his drawings up in his room.", on=LATER)
    ctx = ReviewContext(store, follow_up_review.id, actor=actor)
    page = ActionsPage(ctx)
    qtbot.addWidget(page)
    model = page.model
    rows = {model.action_at(r).id: r for r in range(model.rowCount())}
    index = model.index(rows[repeat.id], ActionColumn.WHAT)
    assert index.data(RecommendedBeforeRole) == "Recommended before on 20 November 2026"
    assert index.data(Qt.ItemDataRole.ToolTipRole).startswith(
        "Recommended before on 20 November 2026: Arrange a speech and language therapy assessment.")
    assert "(Recommended before on 20 November 2026)" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    other = model.index(rows[fresh.id], ActionColumn.WHAT)
    assert other.data(RecommendedBeforeRole) is None and other.data(Qt.ItemDataRole.DecorationRole) is None


def test_a_first_review_shows_only_the_way_to_type_in_a_paper_report(qtbot, store, actor, consented_review):
    page = ActionsPage(ReviewContext(store, consented_review.id, actor=actor))
    qtbot.addWidget(page)
    page.show()
    panel = page.carried_panel
    assert panel.isVisible() and panel.type_in_button.isVisible() and panel.empty_hint.isVisible()
    assert not panel.table.isVisible() and not panel.outcome.isVisible()


def test_a_locked_review_disables_the_outcome(qtbot, store, actor, follow_up_review):
    from app.models import Review

    with store.write() as session:
        session.get(Review, follow_up_review.id).locked_at = store.now()
    page = ActionsPage(ReviewContext(store, follow_up_review.id, actor=actor))
    qtbot.addWidget(page)
    panel = page.carried_panel
    assert not panel.outcome.isEnabled() and not panel.forward_button.isEnabled()
    # Even when forced, the service refuses with its sentence and nothing changes.
    assert not panel.type_in_button.isEnabled()
    panel.outcome.setCurrentIndex(panel.outcome.findData(CarriedOutcome.DONE))
    panel.reason.setText("Seen")
    assert panel.record() is False
    assert _outcomes(store, follow_up_review.id)[0] == (CarriedOutcome.PENDING, "")
    assert "signed and locked" in panel.problem.text()


# Starting a follow-up ------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, store):
    main = MainWindow(store, today=LATER)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def _accept_as_is(monkeypatch, *, date=None):
    seen = {}

    def exec_(self):
        seen["title"] = self.windowTitle()
        seen["person"] = self.person_label.text()
        seen["template"] = self.template().id
        if date is not None:
            from app.ui.widgets import to_qdate

            self.review_date.setDate(to_qdate(date))
        self.accept()
        seen["problem"] = "" if self.problem.isHidden() else self.problem.text()
        return self.result()

    monkeypatch.setattr(NewReviewDialog, "exec", exec_)
    return seen


def test_follow_up_from_the_review_list(qtbot, window, store, actor, consented_review, monkeypatch):
    _add(store, consented_review.id, actor, "Offer fresh air twice a day.")
    reviews.update_setup(store, consented_review.id, actor, legal_status="Section 37/41 MHA")
    seen = _accept_as_is(monkeypatch)
    window.show_review_list()
    picker = window.picker
    assert picker.follow_up_button.isEnabled()
    menu = picker.context_menu()
    assert [a.text() for a in menu.actions()] == ["&Open", "New &follow-up review…"]
    picker.follow_up_button.click()
    assert seen == {"title": "New follow-up review", "person": "J.B.", "template": "icetr", "problem": ""}
    assert window.ctx is not None and window.ctx.review_id != consented_review.id
    new = window.ctx.review
    assert new.review_date == LATER and new.setup.legal_status == "Section 37/41 MHA"
    assert [c.what for c in follow_up.list_carried(store, new.id)] == ["Offer fresh air twice a day."]
    assert "Recommendations page" in window.workspace.message_bar.text()


def test_follow_up_from_the_file_menu_keeps_the_dialog_open_for_an_early_date(
        qtbot, window, store, consented_review, monkeypatch):
    window.open_review(consented_review.id)
    seen = _accept_as_is(monkeypatch, date=REVIEW_DATE - timedelta(days=1))
    action = next(a for a in window.actions() if a.objectName() == "new_follow_up")
    assert action.isEnabled() and action.shortcut().toString() == "Ctrl+Shift+N"
    action.trigger()
    assert seen["problem"].startswith("A follow-up review must be after the previous review (20 Nov 2026)")
    # The dialog stayed open (exec returned rejected): nothing was created, the review is still open.
    assert window.ctx.review_id == consented_review.id
    assert len(reviews.list_reviews(store)) == 1


def test_cancelling_the_dialog_creates_nothing(window, store, consented_review, monkeypatch):
    monkeypatch.setattr(NewReviewDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    window.open_review(consented_review.id)
    assert window.new_follow_up() is None
    assert len(reviews.list_reviews(store)) == 1


def test_the_outcome_combo_works_from_the_keyboard(qtbot, page, store, follow_up_review):
    panel = page.carried_panel
    panel.select(panel.model.row_at(0).id)
    panel.outcome.setFocus()
    assert panel.outcome.currentData() == CarriedOutcome.PENDING
    qtbot.keyClick(panel.outcome, Qt.Key.Key_Up)  # No longer relevant: recorded at once
    assert _outcomes(store, follow_up_review.id)[0] == (CarriedOutcome.NO_LONGER_RELEVANT, "")
    panel.outcome.setFocus()
    qtbot.keyClick(panel.outcome, Qt.Key.Key_Up)  # Not done: waits for the reason
    assert panel.reason.hasFocus() or not panel.problem.isHidden()
    assert _outcomes(store, follow_up_review.id)[0] == (CarriedOutcome.NO_LONGER_RELEVANT, "")
    panel.outcome.setFocus()
    qtbot.keyClick(panel.outcome, Qt.Key.Key_Up)  # Partly done: recorded at once
    assert _outcomes(store, follow_up_review.id)[0] == (CarriedOutcome.IN_PROGRESS, "")
    assert panel.model.index(0, Column.OUTCOME).data() == "Partly done"
