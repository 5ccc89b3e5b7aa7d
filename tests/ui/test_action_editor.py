from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from app.models.enums import ActionStatus, ConsentBasis, Priority
from app.services import actions, people
from app.services.dto import ActionInput
from app.ui.action_deadline import NO_DATE
from app.ui.action_editor import ActionEditor
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
    people.add_attendee(
        store, consented_review.id, actor, name="Dr Omar Haddad", role="responsible_clinician",
        organisation="Riverside Hospital",
    )
    return ReviewContext(store, consented_review.id, actor=actor)


@pytest.fixture
def page(qtbot, ctx):
    widget = ActionsPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def editor(page) -> ActionEditor:
    return page.editor


def fill(qtbot, editor: ActionEditor, what: str, *, why: str = "", owner: str = "", organisation: str = "") -> None:
    editor.what.clear()
    qtbot.keyClicks(editor.what, what)
    if why:
        qtbot.keyClicks(editor.why, why)
    if owner:
        qtbot.keyClicks(editor.owner.lineEdit(), owner)
    if organisation:
        editor.organisation.clear()
        qtbot.keyClicks(editor.organisation, organisation)


def test_three_actions_added_through_the_editor(qtbot, page, editor, ctx):
    assert page.table_stack.currentWidget() is page.empty
    fill(qtbot, editor, "Refer for a sensory assessment", why="Noise on the ward distresses J.",
         owner="Ann Lee", organisation="Riverside OT")
    editor.quick_buttons[2].click()
    editor.priority.setCurrentIndex(editor.priority.findData(Priority.HIGH))
    editor.section.setCurrentIndex(2)
    editor.add_button.click()

    fill(qtbot, editor, "Plan a trial visit to the community home")
    editor.quick_buttons[6].click()
    editor.add_button.click()

    fill(qtbot, editor, "Daily time outside in the garden", owner="Ward manager")
    qtbot.keyClicks(editor.evidence, "Logged in the daily notes")
    editor.add_button.click()

    stored = actions.list_actions(ctx.store, ctx.review_id)
    assert [a.what for a in stored] == [
        "Refer for a sensory assessment",
        "Plan a trial visit to the community home",
        "Daily time outside in the garden",
    ]
    first, second, third = stored
    assert first.why == "Noise on the ward distresses J."
    assert (first.owner_name, first.owner_organisation) == ("Ann Lee", "Riverside OT")
    assert first.deadline == REVIEW_DATE + timedelta(weeks=2)
    assert first.priority is Priority.HIGH
    assert first.section_id == ctx.template.sections[1].id
    # The next action starts blank but stays in the same section.
    assert second.section_id == first.section_id and second.owner_name == "" and second.priority is Priority.MEDIUM
    assert second.deadline == REVIEW_DATE + timedelta(weeks=6)
    assert third.completion_evidence == "Logged in the daily notes" and third.deadline is None
    # What the user sees: three rows, the missing owner and date called out, the editor ready again.
    assert page.table_stack.currentWidget() is page.table
    assert page.model.rowCount() == 3
    assert page.model.index(1, 3).data() == "Owner needed"
    assert page.model.index(2, 5).data() == "Date needed"
    assert "3 actions" in page.summary.text() and "1 needs an owner" in page.summary.text()
    assert editor.what.toPlainText() == "" and editor.deadline_value() is None
    assert editor.heading.text() == "New action"


def test_ctrl_enter_adds_from_the_what_field(qtbot, editor, ctx):
    editor.what.setFocus()
    qtbot.keyClicks(editor.what, "Book a dental check-up")
    qtbot.keyClick(editor.what, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [a.what for a in actions.list_actions(ctx.store, ctx.review_id)] == ["Book a dental check-up"]
    assert editor.what.toPlainText() == ""


def test_owner_type_ahead_picks_an_attendee_and_fills_the_organisation(qtbot, editor):
    qtbot.keyClicks(editor.owner.lineEdit(), "pri")
    popup = editor.owner.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(row, 0).data() for row in range(popup.model().rowCount())]
    assert shown == ["Priya Shah — Care co-ordinator, Riverside CMHT"]
    popup.setCurrentIndex(popup.model().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.owner.currentText() == "Priya Shah"
    assert editor.organisation.text() == "Riverside CMHT"


def test_owner_can_be_chosen_from_the_list_or_typed_new(qtbot, editor, ctx):
    editor.owner.setCurrentIndex(1)
    editor.owner.activated.emit(1)
    assert editor.owner.currentText() == "Dr Omar Haddad"
    assert editor.organisation.text() == "Riverside Hospital"
    editor.owner.lineEdit().clear()
    editor.organisation.clear()
    qtbot.keyClicks(editor.owner.lineEdit(), "Jo Bloggs (housing)")
    qtbot.keyClicks(editor.what, "Find a flat")
    editor.add_button.click()
    assert actions.list_actions(ctx.store, ctx.review_id)[0].owner_name == "Jo Bloggs (housing)"


def test_quick_four_weeks_is_28_days_after_the_review(qtbot, editor, ctx):
    assert editor.deadline.text() == "No date"
    editor.quick_buttons[4].click()
    assert editor.deadline_value() == ctx.review.review_date + timedelta(days=28)
    assert editor.deadline.date() == QDate(2026, 12, 18)
    editor.no_date_button.click()
    assert editor.deadline_value() is None and editor.deadline.date() == NO_DATE
    # Stepping up from "No date" starts at the review date, not in the year 2000.
    editor.deadline.stepBy(1)
    assert editor.deadline_value() == REVIEW_DATE


def test_a_past_deadline_is_refused_and_the_typed_values_stay(qtbot, editor, ctx):
    fill(qtbot, editor, "Review the care plan", why="Plan out of date", owner="Priya Shah")
    editor.set_deadline(REVIEW_DATE - timedelta(days=1))
    with qtbot.waitSignal(ctx.message) as message:
        editor.add_button.click()
    assert "before the review date" in message.args[0]
    assert editor.problem_text() == message.args[0]
    assert editor.problem.isVisible()
    assert actions.list_actions(ctx.store, ctx.review_id) == []
    assert editor.what.toPlainText() == "Review the care plan"
    assert editor.why.toPlainText() == "Plan out of date"
    assert editor.owner.currentText() == "Priya Shah"
    assert editor.deadline_value() == REVIEW_DATE - timedelta(days=1)
    assert ctx.undo_stack.count() == 0
    # Fixing the date clears the message, and the action goes in.
    editor.quick_buttons[2].click()
    assert editor.problem_text() == ""
    editor.add_button.click()
    assert actions.list_actions(ctx.store, ctx.review_id)[0].deadline == REVIEW_DATE + timedelta(weeks=2)


def test_an_empty_action_is_refused_with_one_message(qtbot, editor, ctx):
    qtbot.keyClicks(editor.what, "   ")
    with qtbot.waitSignal(ctx.message) as message:
        editor.add_button.click()
    assert message.args == ["Say what will be done."]
    assert actions.list_actions(ctx.store, ctx.review_id) == []


def test_start_new_prefills_section_and_rationale_and_focuses_what(qtbot, page, editor, ctx):
    section = ctx.template.sections[0]
    qtbot.keyClicks(editor.what, "half-typed")
    page.start_new(section_id=section.id, rationale="Mum: he has not been outside for a week")
    assert editor.what.toPlainText() == ""
    assert editor.why.toPlainText() == "Mum: he has not been outside for a week"
    assert editor.section.currentData() == section.id
    qtbot.waitUntil(editor.what.hasFocus)
    editor.start_new(section_id="no-such-section")
    assert editor.section.currentData() == ""


def test_editing_a_selected_action_autosaves_and_undoes(qtbot, page, editor, ctx):
    added = actions.add_action(ctx.store, ctx.review_id, actions.ActionInput(what="Fresh air daily"), ctx.actor)
    page.refresh()
    assert page.select_action(added.id)
    assert editor.heading.text() == "Action 1"
    assert editor.what.toPlainText() == "Fresh air daily"
    assert not editor.add_button.isVisible()

    editor.what.moveCursor(editor.what.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.what, ", twice a day")
    editor.quick_buttons[4].click()
    editor.status.setCurrentIndex(editor.status.findData(ActionStatus.IN_PROGRESS))
    assert actions.get_action(ctx.store, added.id).what == "Fresh air daily"  # not yet: debounced
    ctx.flush()
    saved = actions.get_action(ctx.store, added.id)
    assert saved.what == "Fresh air daily, twice a day"
    assert saved.deadline == REVIEW_DATE + timedelta(weeks=4)
    assert saved.status is ActionStatus.IN_PROGRESS
    assert page.model.index(0, 1).data() == "Fresh air daily, twice a day"

    ctx.undo_stack.undo()  # the status change
    ctx.undo_stack.undo()  # the deadline
    assert actions.get_action(ctx.store, added.id).deadline is None
    assert editor.deadline_value() is None
    assert editor.values()["status"] is ActionStatus.OPEN
    ctx.undo_stack.redo()
    assert editor.deadline_value() == REVIEW_DATE + timedelta(weeks=4)


def test_a_past_deadline_on_an_existing_action_is_refused_and_kept_in_the_editor(qtbot, page, editor, ctx):
    added = actions.add_action(ctx.store, ctx.review_id, actions.ActionInput(what="Tribunal advice"), ctx.actor)
    page.refresh()
    page.select_action(added.id)
    with qtbot.waitSignal(ctx.message) as message:
        editor.set_deadline(date(2026, 1, 5))
        ctx.flush()
    assert "before the review date" in message.args[0]
    assert actions.get_action(ctx.store, added.id).deadline is None
    assert editor.deadline_value() == date(2026, 1, 5)
    assert editor.problem_text() == message.args[0]


def test_a_draft_survives_looking_at_another_action(qtbot, page, editor, ctx):
    added = actions.add_action(ctx.store, ctx.review_id, actions.ActionInput(what="Existing"), ctx.actor)
    page.refresh()
    qtbot.keyClicks(editor.what, "My unfinished draft")
    page.select_action(added.id)
    assert editor.what.toPlainText() == "Existing"
    editor.new_button.click()
    assert editor.what.toPlainText() == "My unfinished draft"
    assert page.selected_action() is None
    assert actions.get_action(ctx.store, added.id).what == "Existing"


def test_attendees_refresh_when_people_change(qtbot, editor, ctx):
    assert editor.owner.attendees_model.rowCount() == 2
    qtbot.keyClicks(editor.owner.lineEdit(), "Someone typed")
    ctx.call(people.add_attendee, ctx.store, ctx.review_id, ctx.actor, name="Lee Brown", role="advocate",
             changed="people")
    assert editor.owner.attendees_model.rowCount() == 3
    assert editor.owner.attendees_model.index(2, 0).data() == "Lee Brown — Advocate (IMHA)"
    assert editor.owner.currentText() == "Someone typed"


def test_every_field_has_an_accessible_name(editor):
    for widget in (editor.what, editor.why, editor.owner, editor.organisation, editor.deadline, editor.priority,
                   editor.status, editor.section, editor.evidence, editor.add_button, editor.no_date_button,
                   *editor.quick_buttons.values()):
        assert widget.accessibleName()
    assert QApplication.instance() is not None


def test_focusing_the_table_does_not_take_the_editor_away_from_a_draft(qtbot, page, editor, ctx):
    actions.add_action(ctx.store, ctx.review_id, actions.ActionInput(what="Existing"), ctx.actor)
    page.refresh()
    qtbot.keyClicks(editor.what, "Draft in progress")
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    assert not editor.is_editing()
    assert editor.what.toPlainText() == "Draft in progress"


def test_consecutive_edits_of_one_field_are_one_undo_step(qtbot, page, editor, ctx):
    added = actions.add_action(ctx.store, ctx.review_id, actions.ActionInput(what="Call"), ctx.actor)
    page.refresh()
    page.select_action(added.id)
    steps = ctx.undo_stack.count()
    editor.what.moveCursor(editor.what.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.what, " the")
    ctx.flush()
    qtbot.keyClicks(editor.what, " family")
    qtbot.keyClick(editor.what, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # saves now
    assert actions.get_action(ctx.store, added.id).what == "Call the family"
    assert ctx.undo_stack.count() == steps + 1
    ctx.undo_stack.undo()
    assert actions.get_action(ctx.store, added.id).what == "Call"
    assert editor.what.toPlainText() == "Call"


def test_undoing_the_add_of_the_action_being_edited_drops_its_unsaved_edits(qtbot, page, editor, ctx):
    qtbot.keyClicks(editor.what, "Short-lived")
    editor.add_button.click()
    (added,) = actions.list_actions(ctx.store, ctx.review_id)
    page.select_action(added.id)
    qtbot.keyClicks(editor.why, "typed but not yet saved")
    ctx.undo_stack.undo()
    assert actions.list_actions(ctx.store, ctx.review_id) == []
    assert not editor.is_editing()
    with qtbot.assertNotEmitted(ctx.message):
        ctx.flush()


def test_an_independent_panel_member_as_owner_is_warned_about(qtbot, store, ctx, editor, actor):
    people.add_attendee(store, ctx.review_id, actor, name="Dr Priya Nair", role="clinical_expert",
                        organisation="Independent")
    editor.refresh_attendees()
    assert editor.owner_warning.isHidden()
    qtbot.keyClicks(editor.owner.lineEdit(), "Dr Priya Nair")
    assert editor.owner_warning.isVisible()
    assert editor.owner_warning.text() == (
        "Dr Priya Nair is an independent panel member (Clinical expert); actions for the provider should be "
        "owned by someone from the provider."
    )
    assert editor.owner.accessibleDescription() == editor.owner_warning.text()
    editor.owner.lineEdit().clear()
    qtbot.keyClicks(editor.owner.lineEdit(), "Dr Omar Haddad")
    assert editor.owner_warning.isHidden()


def test_owner_type_ahead_completes_by_the_start_of_any_word(qtbot, page, editor, ctx):
    from app.ui.action_owner import owner_matches

    assert owner_matches("Dr Hana Said", "Dr H") and owner_matches("Dr Hana Said", "hana s")
    assert owner_matches("Dr Hana Said", "SAID") and owner_matches("Dr Hana Said", "dr said")
    assert not owner_matches("Dr Hana Said", "ana") and not owner_matches("Dr Hana Said", "said hana")
    ctx.call(people.add_attendee, ctx.store, ctx.review_id, ctx.actor, name="Dr Hana Said",
             role="clinical_expert", organisation="Independent", changed="people")
    # An owner already named on an action (not in the register) is offered too.
    actions.add_action(ctx.store, ctx.review_id, ActionInput(what="Housing referral", owner_name="Jo Hale",
                                                             owner_organisation="Council housing"), ctx.actor)
    ctx.changed.emit("actions")

    editor.owner.setFocus()
    qtbot.keyClicks(editor.owner.lineEdit(), "Dr H")
    popup = editor.owner.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(row, 0).data() for row in range(popup.model().rowCount())]
    assert shown == ["Dr Omar Haddad — Responsible clinician, Riverside Hospital",
                     "Dr Hana Said — Clinical expert, Independent"]
    assert editor.owner.matching_names("h") == ["Dr Omar Haddad", "Dr Hana Said", "Jo Hale"]
    assert editor.owner.currentText() == "Dr H"  # nothing chosen until Enter
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    assert editor.owner.currentText() == "Dr Hana Said"  # the arrow keys show the whole name
    editor.owner.lineEdit().clear()
    qtbot.keyClicks(editor.owner.lineEdit(), "Dr H")
    # Typing more narrows it; the best match is ready, so Enter completes the name.
    qtbot.keyClicks(editor.owner.lineEdit(), "an")
    qtbot.waitUntil(lambda: popup.model().rowCount() == 1)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.owner.currentText() == "Dr Hana Said"
    assert editor.organisation.text() == "Independent"

    editor.owner.lineEdit().clear()
    qtbot.keyClicks(editor.owner.lineEdit(), "hal")
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.owner.currentText() == "Jo Hale"
    assert editor.organisation.text() == "Council housing"


def test_a_new_action_being_written_survives_a_crash_and_is_cleared_when_added(qtbot, page, editor, ctx, db_path,
                                                                                clock):
    from app.services import drafts
    from app.services.store import Store
    from app.ui.action_editor import NEW_ACTION_DRAFT_KEY

    editor.what.setFocus()
    qtbot.keyClicks(editor.what, "Weekly phone call with mum")
    qtbot.keyClicks(editor.owner.lineEdit(), "Ward manager")
    editor.quick_buttons[4].click()
    editor.priority.setCurrentIndex(editor.priority.findData(Priority.HIGH))
    qtbot.waitUntil(lambda: not ctx.autosaver.has_pending())  # stored a moment after typing stops

    # The process dies: nothing is closed or flushed; the file is opened afresh.
    other = Store.open(db_path, clock=clock)
    try:
        again = ActionsPage(ReviewContext(other, ctx.review_id, actor=ctx.actor))
        qtbot.addWidget(again)
        restored = again.editor
        assert restored.heading.text() == "New action"
        assert restored.what.toPlainText() == "Weekly phone call with mum"
        assert restored.owner.currentText() == "Ward manager"
        assert restored.deadline_value() == REVIEW_DATE + timedelta(weeks=4)
        assert restored.priority.currentData() == Priority.HIGH
    finally:
        other.close()

    editor.add_button.click()
    assert [a.what for a in actions.list_actions(ctx.store, ctx.review_id)] == ["Weekly phone call with mum"]
    assert drafts.get_draft(ctx.store, ctx.review_id, NEW_ACTION_DRAFT_KEY) == ""
    assert not ctx.autosaver.has_pending()


def test_owners_of_the_previous_reviews_actions_are_offered(qtbot, store, actor, review):
    from app.services import follow_up

    actions.add_action(store, review.id, ActionInput(what="Share the PBS plan", owner_name="Dr Hana Said",
                                                     owner_organisation="Elmfield"), actor)
    new = follow_up.start_follow_up(store, review.id, {"review_date": REVIEW_DATE + timedelta(days=182)}, actor)
    people.record_consent(store, new.id, actor, ConsentBasis.CONSENT)
    page = ActionsPage(ReviewContext(store, new.id, actor=actor))
    qtbot.addWidget(page)
    assert page.editor.owner.matching_names("dr h") == ["Dr Hana Said"]
    row = page.editor.owner.findText("Dr Hana Said — Elmfield")
    assert row >= 0 and page.editor.owner.attendee_at(row) == ("Dr Hana Said", "Elmfield")


def test_leaving_a_field_stores_the_draft_at_once(qtbot, page, editor, ctx):
    from app.services import drafts
    from app.ui.action_editor import NEW_ACTION_DRAFT_KEY

    editor.what.setFocus()
    qtbot.waitUntil(editor.what.hasFocus)
    qtbot.keyClicks(editor.what, "Ask about a day centre place")
    assert ctx.autosaver.has_pending()
    qtbot.keyClick(editor.what, Qt.Key.Key_Tab)
    assert not ctx.autosaver.has_pending()
    assert "day centre" in drafts.get_draft(ctx.store, ctx.review_id, NEW_ACTION_DRAFT_KEY)
