"""Following up a previous review in the app: recommendations typed in from a paper report,
outcomes with evidence, "what will be different this time?", and the required why."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from app.models.enums import ActionStatus, CarriedOutcome, ConsentBasis
from app.services import actions, follow_up, people
from app.services.dto import ActionInput
from app.ui.actions_page import ActionsPage
from app.ui.carried_table_model import Column
from app.ui.context import ReviewContext
from app.ui.main_window import MainWindow
from app.ui.review_workspace import ACTIONS
from tests.conftest import REVIEW_DATE

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)

LATER = REVIEW_DATE + timedelta(days=120)


@pytest.fixture
def window(qtbot, store, consented_review):
    main = MainWindow(store, today=REVIEW_DATE)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    assert main.open_review(consented_review.id)
    assert main.workspace.show_key(ACTIONS)
    return main


def test_the_panel_types_in_a_paper_reports_recommendations_in_the_window(qtbot, window, store, consented_review):
    page = window.workspace.page(ACTIONS)
    panel = page.carried_panel
    assert panel.type_in_button.isVisible() and not panel.table.isVisible()
    qtbot.mouseClick(panel.type_in_button, Qt.MouseButton.LeftButton)
    dialog = panel.type_in_dialog
    assert dialog is not None and dialog.isVisible()

    # Nothing typed: one clear sentence, nothing added.
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "Type the recommendation" in dialog.problem.text() and dialog.problem.isVisible()
    assert follow_up.list_carried(store, consented_review.id) == []

    qtbot.keyClicks(dialog.what, "Arrange a sensory assessment")
    qtbot.keyClicks(dialog.owner, "Dr Patel")
    qtbot.keyClicks(dialog.organisation, "Elmfield Hospital")
    dialog.deadline.set_value(date(2026, 9, 1))
    dialog.set_previous_date(date(2026, 5, 20))
    qtbot.keyClicks(dialog.chair, "Sam Okoro")
    qtbot.keyClick(dialog.what, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Ready for the next one of the same report: the date and chair stay.
    assert dialog.what.toPlainText() == "" and dialog.chair.text() == "Sam Okoro"
    qtbot.keyClicks(dialog.what, "Review PRN use")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "2 added" in dialog.count.text()
    # Closed with something typed and not added: it is there when the dialog opens again.
    qtbot.keyClicks(dialog.what, "Half typed")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert panel.type_in_dialog is None
    dialog = panel.open_type_in()
    assert dialog.what.toPlainText() == "Half typed" and dialog.chair.text() == "Sam Okoro"
    dialog.what.clear()
    dialog.close_button.click()

    rows = follow_up.list_carried(store, consented_review.id)
    assert [(r.what, r.typed_in, r.previous_chair, r.source_review_date) for r in rows] == [
        ("Arrange a sensory assessment", True, "Sam Okoro", date(2026, 5, 20)),
        ("Review PRN use", True, "Sam Okoro", date(2026, 5, 20)),
    ]
    assert rows[0].owner_name == "Dr Patel" and rows[0].deadline == date(2026, 9, 1)
    assert panel.table.isVisible() and panel.model.rowCount() == 2
    assert panel.model.index(0, Column.WHAT).data() == "Arrange a sensory assessment · typed in"
    assert "chaired by Sam Okoro" in panel.model.index(0, Column.WHAT).data(Qt.ItemDataRole.ToolTipRole)
    assert "20 May 2026" in panel.title.text()

    # A typo corrected: Correct…, change the words, Save changes; Ctrl+Z puts the old words back.
    panel.select(rows[0].id)
    assert panel.edit_button.isEnabled()
    editing = panel.edit_selected()
    assert editing.what.toPlainText() == "Arrange a sensory assessment" and editing.chair.text() == "Sam Okoro"
    editing.what.setPlainText("Arrange a sensory assessment of the ward")
    editing.owner.clear()
    editing.save()
    assert panel.type_in_dialog is None
    fixed = follow_up.get_carried(store, rows[0].id)
    assert (fixed.what, fixed.owner_name) == ("Arrange a sensory assessment of the ward", "")
    page.ctx.undo_stack.undo()
    assert follow_up.get_carried(store, rows[0].id) == rows[0]

    # Removed by mistake: Remove, then Ctrl+Z puts it back as it was.
    panel.select(rows[1].id)
    assert panel.remove_button.isEnabled()
    assert panel.remove_selected()
    assert [r.what for r in follow_up.list_carried(store, consented_review.id)] == ["Arrange a sensory assessment"]
    page.ctx.undo_stack.undo()
    assert [r.id for r in follow_up.list_carried(store, consented_review.id)] == [rows[0].id, rows[1].id]


def test_a_typed_in_recommendation_marks_a_matching_action_as_recommended_before(qtbot, window, store, actor,
                                                                                 consented_review):
    from app.ui.action_table_model import Column as ActionColumn
    from app.ui.action_table_model import RecommendedBeforeRole

    made = actions.add_action(store, consented_review.id, ActionInput(what="Arrange a full sensory assessment"), actor)
    page = window.workspace.page(ACTIONS)
    page.refresh()
    dialog = page.carried_panel.open_type_in()
    qtbot.keyClicks(dialog.what, "Arrange a sensory assessment")
    dialog.set_previous_date(date(2026, 5, 20))
    dialog.add()
    dialog.close_button.click()
    row = next(r for r in range(page.model.rowCount()) if page.model.action_at(r).id == made.id)
    assert page.model.index(row, ActionColumn.WHAT).data(RecommendedBeforeRole) == "Recommended before on 20 May 2026"
    # Editing that action asks what will be different this time.
    page.select_action(made.id)
    assert page.editor.repeat_note.isVisible() and page.editor.different.isVisible()


def test_typed_in_recommendations_need_an_outcome_before_completion(qtbot, window, store, consented_review):
    page = window.workspace.page(ACTIONS)
    panel = page.carried_panel
    dialog = panel.open_type_in()
    qtbot.keyClicks(dialog.what, "Arrange a sensory assessment")
    dialog.add()
    dialog.close_button.click()
    with qtbot.waitSignal(page.ctx.message):
        assert page.mark_complete() is False
    assert "Record the outcome of the previous review's recommendation “Arrange a sensory assessment”" in (
        page.complete_problem.text())
    panel.select(panel.model.row_at(0).id)
    panel.outcome.setCurrentIndex(panel.outcome.findData(CarriedOutcome.NO_LONGER_RELEVANT))
    panel.outcome.activated.emit(panel.outcome.currentIndex())
    assert page.mark_complete() is True


@pytest.fixture
def follow_up_page(qtbot, store, actor, consented_review):
    actions.add_action(store, consented_review.id, ActionInput(
        what="Arrange a speech and language therapy assessment.", owner_name="Dr Marsh",
        deadline=REVIEW_DATE + timedelta(weeks=4), status=ActionStatus.OPEN), actor)
    new = follow_up.start_follow_up(store, consented_review.id, {"review_date": LATER}, actor)
    people.record_consent(store, new.id, actor, ConsentBasis.CONSENT)
    page = ActionsPage(ReviewContext(store, new.id, actor=actor))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_a_repeated_recommendation_asks_what_will_be_different(qtbot, follow_up_page, store):
    page = follow_up_page
    editor = page.editor
    assert not editor.different.isVisible()
    qtbot.keyClicks(editor.what, "Fresh air twice a day")
    assert not editor.repeat_note.isVisible()
    editor.what.clear()
    qtbot.keyClicks(editor.what, "Speech and language therapy assessment, again")
    assert editor.repeat_note.isVisible() and editor.different.isVisible()
    assert "Recommended before (20 Nov 2026)" in editor.repeat_note.text()
    qtbot.keyClicks(editor.why, "Still no assessment.")
    # Add asks once, with the question; nothing is added and the answer field has focus.
    assert editor.add() is None
    assert "What will be different" in editor.repeat_note.text()
    assert "different this time" in editor.problem_text()
    assert actions.list_actions(store, page.ctx.review_id) == []
    qtbot.keyClicks(editor.different, "The ICB funds an SLT directly")
    added = editor.add()
    assert added is not None and added.different_this_time == "The ICB funds an SLT directly"
    # The new row is highlighted while the editor waits for the next; opening the row shows the answer.
    page.select_action(added.id)
    page.table.clicked.emit(page.table.currentIndex())
    assert editor.different.isVisible() and editor.different.text() == "The ICB funds an SLT directly"


def test_a_repeat_can_be_added_without_an_answer_when_asked_twice(qtbot, follow_up_page, store):
    editor = follow_up_page.editor
    qtbot.keyClicks(editor.what, "Arrange a speech and language therapy assessment")
    assert editor.add() is None
    added = editor.add()
    assert added is not None and added.different_this_time == ""


def test_the_why_is_shown_as_required(qtbot, follow_up_page, store, actor):
    editor = follow_up_page.editor
    labels = [w.text() for w in editor.findChildren(type(editor.heading)) if w.buddy() is editor.why]
    assert labels == ["Wh&y (required)"]
    assert "Required" in editor.why.placeholderText() and "required" in editor.why.accessibleName()
    lacking = actions.add_action(store, follow_up_page.ctx.review_id, ActionInput(what="Book a dentist"), actor)
    follow_up_page.refresh()
    follow_up_page.select_action(lacking.id)
    assert editor.why_hint.isVisible()
    qtbot.keyClicks(editor.why, "Toothache reported")
    assert not editor.why_hint.isVisible()


def test_on_the_chairs_laptop_a_repeat_shows_its_question_and_the_fields_stay_usable(qtbot, store, app_look):
    from app.services.demo import seed_demo
    from app.settings import Settings
    from tests.ui.conftest import CHAIR_CLIENT_AREA, settle

    review_id = seed_demo(store, review_date=REVIEW_DATE, history=True)
    window = MainWindow(store, today=REVIEW_DATE, settings=Settings())
    app_look.windows.append(window)
    window.resize(*CHAIR_CLIENT_AREA)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_review(review_id)
    assert window.workspace.show_key(ACTIONS)
    settle()
    page = window.workspace.page(ACTIONS)
    repeated = next(a for a in actions.list_actions(store, review_id) if a.different_this_time)
    assert page.select_action(repeated.id)
    settle()
    editor = page.editor
    assert editor.repeat_note.isVisible() and editor.different.text() == repeated.different_this_time
    # Every field keeps room for its text (the page scrolls on a small screen, the fields do not shrink away).
    assert editor.what.height() >= 2 * editor.what.fontMetrics().lineSpacing()
    for field in (editor.why, editor.different, editor.evidence):
        assert field.isVisible() and field.height() >= field.fontMetrics().lineSpacing() + 4, field.objectName()
    assert not editor.repeat_note.geometry().intersects(editor.different.geometry())
    # The carried panel above shows every outcome, none left to record, and nothing is wider than the window.
    assert "0 to record" in page.carried_panel.summary.text()
    from PySide6.QtWidgets import QScrollArea

    area = page.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert area is not None and page.width() <= area.viewport().width()
    assert not area.horizontalScrollBar().isVisible()
    assert page.carried_panel.reason.width() >= 250
