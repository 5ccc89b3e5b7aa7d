from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models.enums import ActionStatus, Priority, ReviewStatus
from app.services import actions, people, reviews
from app.services.dto import ActionInput
from app.ui.action_table_model import ActionIdRole, ActionSortProxy, ActionTableModel, Column, MissingRole
from app.ui.actions_page import ActionsPage
from app.ui.context import ReviewContext
from tests.conftest import REVIEW_DATE

# The offscreen platform cannot resize, raise or grab for real windows and popups (the owner
# type-ahead list); it logs that for any widget, so these lines are not about our code.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)


@pytest.fixture
def ctx(store, consented_review, actor):
    people.add_attendee(
        store, consented_review.id, actor, name="Priya Shah", role="care_coordinator", organisation="Riverside CMHT"
    )
    return ReviewContext(store, consented_review.id, actor=actor)


@pytest.fixture
def page(qtbot, ctx):
    widget = ActionsPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def add(ctx, what: str, **fields):
    return actions.add_action(ctx.store, ctx.review_id, ActionInput(what=what, **fields), ctx.actor)


def test_empty_state_says_what_to_do(page):
    assert page.table_stack.currentWidget() is page.empty
    assert "Add action" in page.empty.text()
    assert page.summary.text() == "No actions yet."
    assert not page.delete_button.isEnabled()


def test_delete_then_undo_restores_same_id_and_place_then_redo(qtbot, page, ctx):
    first = add(ctx, "First", owner_name="A")
    second = add(ctx, "Second")
    third = add(ctx, "Third")
    page.refresh()
    page.select_action(second.id)
    assert page.editor.what.toPlainText() == "Second"
    page.delete_button.click()
    assert [a.id for a in actions.list_actions(ctx.store, ctx.review_id)] == [first.id, third.id]
    assert page.model.rowCount() == 2
    assert not page.editor.is_editing()  # the editor let go of the deleted action

    ctx.undo_stack.undo()
    restored = actions.list_actions(ctx.store, ctx.review_id)
    assert [a.id for a in restored] == [first.id, second.id, third.id]
    assert restored[1] == actions.get_action(ctx.store, second.id)
    assert restored[1].position == second.position and restored[1].what == "Second"
    assert [page.model.index(r, Column.WHAT).data() for r in range(3)] == ["First", "Second", "Third"]

    ctx.undo_stack.redo()
    assert [a.id for a in actions.list_actions(ctx.store, ctx.review_id)] == [first.id, third.id]


def test_delete_key_on_the_table_deletes_the_selected_action(qtbot, page, ctx):
    kept = add(ctx, "Keep me")
    gone = add(ctx, "Delete me")
    page.refresh()
    page.select_action(gone.id)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert [a.id for a in actions.list_actions(ctx.store, ctx.review_id)] == [kept.id]
    assert ctx.undo_stack.undoText() == "Delete action"


def test_delete_with_nothing_selected_says_so(qtbot, page, ctx):
    add(ctx, "Something")
    page.refresh()
    with qtbot.waitSignal(ctx.message) as message:
        assert page.delete_selected() is False
    assert message.args == ["Select the action to delete first."]


def test_add_undo_redo_keeps_the_same_id(qtbot, page, ctx):
    qtbot.keyClicks(page.editor.what, "Ask for an advocate")
    page.editor.add_button.click()
    (added,) = actions.list_actions(ctx.store, ctx.review_id)
    ctx.undo_stack.undo()
    assert actions.list_actions(ctx.store, ctx.review_id) == []
    assert page.table_stack.currentWidget() is page.empty
    ctx.undo_stack.redo()
    assert actions.list_actions(ctx.store, ctx.review_id) == [added]


def test_mark_complete_refused_until_every_action_has_owner_and_date(qtbot, page, ctx):
    done = add(ctx, "Fine already", owner_name="Priya Shah", deadline=REVIEW_DATE + timedelta(days=10),
               why="Asked for by the family.", easy_read="Nothing changes.")
    lacking = add(ctx, "Arrange a housing assessment")
    page.refresh()
    assert "1 needs an owner" in page.summary.text() and "1 needs a date" in page.summary.text()
    assert "1 needs a why" in page.summary.text()

    with qtbot.waitSignal(ctx.message) as message:
        assert page.mark_complete() is False
    assert "Action 2 (Arrange a housing assessment) needs an owner and a deadline." in message.args[0]
    assert "Say why (the rationale) for action 2 (Arrange a housing assessment)." in message.args[0]
    assert "Action 2 (Arrange a housing assessment) needs plain words for the easy read." in message.args[0]
    assert "Action 1" not in message.args[0]
    assert page.complete_problem.isVisible()
    assert "Action 2" in page.complete_problem.text()
    assert reviews.get_review(ctx.store, ctx.review_id).status is not ReviewStatus.COMPLETE

    # Fix it in the editor: choose the owner from the register, a quick date, then complete.
    page.select_action(lacking.id)
    page.editor.owner.setCurrentIndex(0)
    page.editor.owner.activated.emit(0)
    page.editor.quick_buttons[6].click()
    page.editor.why.setPlainText("No home to move to yet.")
    qtbot.keyClicks(page.editor.easy_read, "Someone will look for a home for you.")
    page.complete_button.click()  # flushes the pending edits first
    fixed = actions.get_action(ctx.store, lacking.id)
    assert (fixed.owner_name, fixed.owner_organisation) == ("Priya Shah", "Riverside CMHT")
    assert fixed.deadline == REVIEW_DATE + timedelta(weeks=6)
    assert reviews.get_review(ctx.store, ctx.review_id).status is ReviewStatus.COMPLETE
    assert ctx.review.status is ReviewStatus.COMPLETE
    assert not page.complete_problem.isVisible()
    assert page.review_status.text() == "Review: Complete"
    assert not page.complete_button.isEnabled()
    assert "all have an owner, a date and a why" in page.summary.text()
    assert done.id != lacking.id


def test_sorting_by_deadline_and_priority(qtbot, page, ctx):
    add(ctx, "Late", deadline=REVIEW_DATE + timedelta(weeks=6), priority=Priority.LOW)
    add(ctx, "Undated", priority=Priority.HIGH)
    add(ctx, "Soon", deadline=REVIEW_DATE + timedelta(weeks=2))
    page.refresh()

    def shown() -> list[str]:
        return [page.proxy.index(r, Column.WHAT).data() for r in range(page.proxy.rowCount())]

    page.table.sortByColumn(Column.DEADLINE, Qt.SortOrder.AscendingOrder)
    assert shown() == ["Soon", "Late", "Undated"]
    page.table.sortByColumn(Column.PRIORITY, Qt.SortOrder.AscendingOrder)
    assert shown() == ["Undated", "Soon", "Late"]
    # Selecting in a sorted view edits the right action.
    page.table.selectRow(0)
    assert page.editor.what.toPlainText() == "Undated"
    assert page.editor.heading.text() == "Action 2"


def test_action_table_model_passes_qtmodeltester(qtmodeltester, ctx):
    model = ActionTableModel()
    qtmodeltester.check(model)
    section = ctx.template.sections[0]
    rows = [
        add(ctx, "Refer to\nspeech and language therapy", why="Communication", owner_name="Priya Shah",
            owner_organisation="Riverside CMHT", deadline=date(2026, 12, 4), priority=Priority.HIGH,
            status=ActionStatus.IN_PROGRESS, section_id=section.id),
        add(ctx, "No owner or date yet"),
    ]
    model.set_actions(rows, {section.id: section.title})
    qtmodeltester.check(model)
    proxy = ActionSortProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)

    def cell(row: int, column: Column, role=Qt.ItemDataRole.DisplayRole):
        return model.index(row, column).data(role)

    assert [cell(0, c) for c in Column] == [
        "1", "Refer to speech and language therapy", "Communication", "Priya Shah", "Riverside CMHT",
        "04 Dec 2026", "High", "In progress", section.title,
    ]
    assert cell(1, Column.OWNER) == "Owner needed" and cell(1, Column.OWNER, MissingRole) is True
    assert cell(1, Column.DEADLINE) == "Date needed" and cell(1, Column.DEADLINE, MissingRole) is True
    assert cell(1, Column.OWNER, Qt.ItemDataRole.DecorationRole) is not None  # an icon, not colour alone
    assert cell(1, Column.SECTION) == "General"
    assert cell(0, Column.OWNER, MissingRole) is False
    assert cell(1, Column.WHAT, ActionIdRole) == rows[1].id
    assert model.row_of(rows[1].id) == 1 and model.row_of(999) == -1
    assert model.headerData(Column.DEADLINE, Qt.Orientation.Horizontal) == "Deadline"


def test_narrow_tables_drop_optional_columns_first(qtbot, page, ctx):
    add(ctx, "Something to see")
    page.refresh()
    header = page.table.horizontalHeader()
    page.resize(1500, 700)
    qtbot.waitUntil(lambda: not header.isSectionHidden(Column.WHY))
    assert not any(header.isSectionHidden(c) for c in Column)
    page.resize(760, 700)
    qtbot.waitUntil(lambda: header.isSectionHidden(Column.WHY))
    assert not header.isSectionHidden(Column.WHAT) and not header.isSectionHidden(Column.OWNER)
    assert not header.isSectionHidden(Column.DEADLINE)
    assert header.sectionSize(Column.WHAT) >= 200


def test_summary_warns_of_missing_plain_words(qtbot, page, ctx):
    first = add(ctx, "Arrange an SLT assessment", why="Asked for.", owner_name="Priya Shah", deadline=REVIEW_DATE + timedelta(days=10))
    second = add(ctx, "Share the PBS plan", why="Asked for.", owner_name="Priya Shah", deadline=REVIEW_DATE + timedelta(days=10))
    page.refresh()
    assert "2 have no plain words for the easy read" in page.summary.text()
    # Required to complete the review, so the summary warns as it does for a missing owner.
    assert "color: #b3261e" in page.summary.styleSheet()
    page.select_action(first.id)
    qtbot.keyClicks(page.editor.easy_read, "Someone will check how you like to talk and listen.")
    ctx.flush()
    assert actions.get_action(ctx.store, first.id).easy_read.startswith("Someone will check")
    page.refresh()
    assert "1 has no plain words for the easy read" in page.summary.text()
    page.select_action(second.id)
    qtbot.keyClicks(page.editor.easy_read, "Staff will learn your plan for when you are upset.")
    ctx.flush()
    page.refresh()
    assert "plain words" not in page.summary.text()
    assert page.summary.styleSheet() == ""


def test_jargon_in_the_plain_words_is_flagged_as_it_is_typed(qtbot, page, ctx):
    action = add(ctx, "Audit PRN use", owner_name="Priya Shah", deadline=REVIEW_DATE + timedelta(days=10))
    page.refresh()
    page.select_action(action.id)
    warning = page.editor.easy_read_warning
    assert not warning.isVisible()
    qtbot.keyClicks(page.editor.easy_read, "The MDT will check your PRN")
    assert warning.isVisible()
    assert "\u201cMDT\u201d: say \u201cthe team of staff who look after you\u201d" in warning.text()
    assert "\u201cPRN\u201d" in warning.text()
    # Advice, not a refusal: the words are saved as typed.
    ctx.flush()
    assert actions.get_action(ctx.store, action.id).easy_read == "The MDT will check your PRN"
    page.editor.easy_read.selectAll()
    qtbot.keyClicks(page.editor.easy_read, "Your team will check your calming medicine")
    assert not warning.isVisible()
    # Showing another action with jargon in its plain words warns at once.
    other = add(ctx, "Share the plan", easy_read="Staff will read your PBS plan")
    page.refresh()
    page.select_action(other.id)
    assert warning.isVisible() and "\u201cPBS\u201d" in warning.text()


def _fully_shown(widget) -> bool:
    """Visible on screen without scrolling: no part of it is clipped by a scroll area or the window."""
    return widget.isVisible() and widget.visibleRegion().boundingRect().size() == widget.size()


def test_in_the_window_a_new_action_stays_in_view_and_complete_is_always_reachable(qtbot, chair_window):
    from PySide6.QtGui import QAction

    from tests.ui.conftest import settle

    window = chair_window()
    window.workspace.show_key("actions")
    settle()
    page = window.workspace.current_page()
    assert _fully_shown(page.complete_button), "Mark review complete is below the fold"
    assert _fully_shown(page.table)

    editor = page.editor
    for n in range(4):
        editor.what.setFocus()
        qtbot.keyClicks(editor.what, f"Extra support step {n}")
        qtbot.keyClick(editor.what, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        settle()
        added = [a for a in actions.list_actions(window.ctx.store, window.ctx.review_id)
                 if a.what == f"Extra support step {n}"]
        assert added, editor.problem_text()
        selected = page.selected_action()
        assert selected is not None and selected.id == added[0].id
        index = page.table.selectionModel().selectedRows()[0]
        assert page.table.viewport().rect().contains(page.table.visualRect(index)), f"action {n}: the new row is out of view"
        assert _fully_shown(page.table)
        # The editor is ready for the next one.
        assert editor.heading.text() == "New action" and editor.what.toPlainText() == ""
        assert _fully_shown(page.complete_button)

    # A click on the highlighted new row opens it for editing.
    rect = page.table.visualRect(page.table.selectionModel().selectedRows()[0])
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.is_editing() and editor.what.toPlainText() == "Extra support step 3"

    # Ctrl+Shift+C completes the review from anywhere (or says what is missing, beside the button).
    window.workspace.show_key("people")
    settle()
    assert not page.footer_bar.isVisible()
    shortcut = window.findChild(QAction, "mark_complete")
    assert shortcut.shortcut().toString() == "Ctrl+Shift+C"
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle()
    assert window.workspace.current_page() is page
    assert _fully_shown(page.complete_button)
    # The actions added above have no owner, so it says so beside the button, in view.
    assert reviews.get_review(window.ctx.store, window.ctx.review_id).status is not ReviewStatus.COMPLETE
    assert "owner" in page.complete_problem.text() and _fully_shown(page.complete_problem)


def test_ctrl_z_in_a_text_field_undoes_its_typing_first_then_the_reviews_last_change(qtbot, chair_window):
    from tests.ui.conftest import settle

    window = chair_window()
    window.workspace.show_key("actions")
    settle()
    page = window.workspace.current_page()
    editor = page.editor
    store, review_id = window.ctx.store, window.ctx.review_id
    before = len(actions.list_actions(store, review_id))
    ctrl = Qt.KeyboardModifier.ControlModifier

    editor.what.setFocus()
    qtbot.keyClicks(editor.what, "Weekly call with the family")
    qtbot.keyClick(editor.what, Qt.Key.Key_Return, ctrl)
    assert len(actions.list_actions(store, review_id)) == before + 1
    # The field was cleared for the next action: nothing of its own to undo, so the add is undone.
    qtbot.keyClick(editor.what, Qt.Key.Key_Z, ctrl)
    assert len(actions.list_actions(store, review_id)) == before
    assert QApplication.focusWidget() is editor.what
    # ...and redone with Ctrl+Shift+Z.
    qtbot.keyClick(editor.what, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert len(actions.list_actions(store, review_id)) == before + 1

    # Typing in a field is undone first, in the field; the review is left alone.
    qtbot.keyClicks(editor.what, "Half a thought")
    qtbot.keyClick(editor.what, Qt.Key.Key_Z, ctrl)
    assert editor.what.toPlainText() == ""
    assert len(actions.list_actions(store, review_id)) == before + 1

    # The same in a one-line field and in the owner type-ahead.
    editor.evidence.setFocus()
    qtbot.keyClicks(editor.evidence, "x")
    qtbot.keyClick(editor.evidence, Qt.Key.Key_Z, ctrl)
    assert editor.evidence.text() == "" and len(actions.list_actions(store, review_id)) == before + 1
    editor.owner.setFocus()
    qtbot.keyClick(editor.owner.lineEdit(), Qt.Key.Key_Z, ctrl)
    assert len(actions.list_actions(store, review_id)) == before


def test_ctrl_z_undoes_whichever_came_last_the_fields_typing_or_the_pages_command(qtbot, chair_window):
    from tests.ui.conftest import settle

    window = chair_window()
    window.workspace.show_key("actions")
    settle()
    page = window.workspace.current_page()
    editor = page.editor
    store, review_id = window.ctx.store, window.ctx.review_id
    before = len(actions.list_actions(store, review_id))
    ctrl = Qt.KeyboardModifier.ControlModifier

    editor.what.setFocus()
    qtbot.keyClicks(editor.what, "Quarterly housing review")
    qtbot.keyClick(editor.what, Qt.Key.Key_Return, ctrl)  # added; its row stays selected
    qtbot.keyClicks(editor.what, "Half a thought")  # the next one, typed...
    page.delete_button.click()  # ...then the page's command: the new action is deleted
    assert len(actions.list_actions(store, review_id)) == before
    editor.what.setFocus()

    # The delete came last: Ctrl+Z brings the action back, and leaves the typing alone.
    qtbot.keyClick(editor.what, Qt.Key.Key_Z, ctrl)
    assert len(actions.list_actions(store, review_id)) == before + 1
    assert editor.what.toPlainText() == "Half a thought"
    # Then the typing, which is older than the delete but newer than the add.
    qtbot.keyClick(editor.what, Qt.Key.Key_Z, ctrl)
    assert editor.what.toPlainText() == ""
    assert len(actions.list_actions(store, review_id)) == before + 1
    # Then the add.
    qtbot.keyClick(editor.what, Qt.Key.Key_Z, ctrl)
    assert len(actions.list_actions(store, review_id)) == before
    # Redo goes forward along the same line: the add (the stack undid last).
    qtbot.keyClick(editor.what, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert len(actions.list_actions(store, review_id)) == before + 1
