from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from app.models.enums import Attendance, ConsentBasis
from app.services import people, reviews
from app.ui.attendee_commands import AddAttendeeCommand, RemoveAttendeeCommand, UpdateAttendeeCommand
from app.ui.context import ReviewContext
from app.ui.people_page import (
    AttendeeIdRole,
    AttendeeTableModel,
    Column,
    PeoplePage,
    describe_recorded_by,
    local_time,
    missing_panel_hint,
    ordered_roles,
)

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)


@pytest.fixture
def ctx(store, review, actor):
    return ReviewContext(store, review.id, actor=actor)


@pytest.fixture
def messages(ctx):
    collected: list[str] = []
    ctx.message.connect(collected.append)
    return collected


@pytest.fixture
def page(qtbot, ctx):
    widget = PeoplePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def register(ctx):
    return people.list_attendees(ctx.store, ctx.review_id)


def choose(combo: QComboBox, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def add(ctx, name, role, organisation="", attendance=Attendance.IN_PERSON):
    return people.add_attendee(
        ctx.store, ctx.review_id, ctx.actor, name=name, role=role, organisation=organisation, attendance=attendance
    )


# The register ------------------------------------------------------------------------------


def test_empty_register_says_what_to_do_and_names_missing_panel_roles(page):
    assert page.table_stack.currentWidget() is page.empty
    assert "type a name, choose a role and press Enter" in page.empty.text()
    assert page.panel_hint.text() == (
        "No independent chair, clinical expert, expert by experience, CQC Mental Health Act reviewer, "
        "commissioner or note-taker in the register yet."
    )
    assert not page.remove_button.isEnabled()


def test_role_combo_offers_the_templates_panel_roles_first(page):
    labels = [page.role_combo.itemText(i) for i in range(page.role_combo.count())]
    assert labels[:6] == [
        "Independent chair",
        "Clinical expert",
        "Expert by experience",
        "CQC Mental Health Act reviewer",
        "Commissioner",
        "Note-taker",
    ]
    assert labels[6] == "Chair"
    assert labels[7] == ""  # separator before the people who are not on the panel
    assert "The person" in labels and "Advocate (IMHA)" in labels
    assert len([label for label in labels if label]) == len(ordered_roles())


def test_enter_adds_and_returns_focus_to_name(qtbot, page, ctx):
    page.name_edit.setFocus()
    qtbot.keyClicks(page.name_edit, "Morgan Ellis")
    choose(page.role_combo, "independent_chair")
    qtbot.keyClicks(page.organisation_edit, "Northvale ICB")
    qtbot.keyClick(page.organisation_edit, Qt.Key.Key_Return)
    [added] = register(ctx)
    assert (added.name, added.role, added.organisation, added.attendance) == (
        "Morgan Ellis", "independent_chair", "Northvale ICB", Attendance.IN_PERSON
    )
    assert page.name_edit.text() == "" and page.organisation_edit.text() == ""
    assert page.name_edit.hasFocus()
    assert page.table_stack.currentWidget() is page.table
    assert page.model.index(0, Column.ROLE).data() == "Independent chair"
    assert "independent chair" not in page.panel_hint.text()

    # Enter on a combo box adds too.
    qtbot.keyClicks(page.name_edit, "Linda K.")
    choose(page.role_combo, "family_carer")
    choose(page.attendance_combo, Attendance.REMOTE.value)
    qtbot.keyClick(page.attendance_combo, Qt.Key.Key_Return)
    assert [a.name for a in register(ctx)] == ["Morgan Ellis", "Linda K."]
    assert register(ctx)[1].attendance is Attendance.REMOTE
    assert page.model.index(1, Column.ATTENDANCE).data() == "Remote"


def test_add_undo_redo_keeps_the_same_id(qtbot, page, ctx):
    qtbot.keyClicks(page.name_edit, "Jamie Fox")
    choose(page.role_combo, "expert_by_experience")
    qtbot.keyClick(page.name_edit, Qt.Key.Key_Return)
    [added] = register(ctx)
    assert ctx.undo_stack.undoText() == "Add Jamie Fox to the register"
    ctx.undo_stack.undo()
    assert register(ctx) == []
    assert page.model.rowCount() == 0
    assert "expert by experience" in page.panel_hint.text()
    ctx.undo_stack.redo()
    assert register(ctx) == [added]
    assert page.model.rowCount() == 1


def test_empty_name_is_refused_and_nothing_is_lost(qtbot, page, ctx, messages):
    assert not page.add_button.isEnabled()  # no name yet: greyed out
    qtbot.keyClicks(page.organisation_edit, "Riverside CMHT")
    assert not page.add_button.isEnabled()
    qtbot.keyClick(page.organisation_edit, Qt.Key.Key_Return)
    assert messages == ["Enter the attendee's name."]
    assert register(ctx) == []
    assert page.organisation_edit.text() == "Riverside CMHT"
    assert ctx.undo_stack.count() == 0  # no undo step for a change that never happened
    assert page.name_edit.hasFocus()


def test_edit_in_place_through_the_model_with_undo(page, ctx):
    nurse = add(ctx, "Chris Doyle", "named_nurse", "Cedar Ward")
    page.refresh()
    page.select_attendee(nurse.id)
    assert page.model.setData(page.model.index(0, Column.NAME), "Chris Doyle-Hart")
    assert page.model.setData(page.model.index(0, Column.ROLE), "responsible_clinician")
    assert page.model.setData(page.model.index(0, Column.ATTENDANCE), Attendance.APOLOGIES.value)
    [row] = register(ctx)
    assert (row.name, row.role, row.attendance) == ("Chris Doyle-Hart", "responsible_clinician", Attendance.APOLOGIES)
    assert page.model.index(0, Column.ROLE).data() == "Responsible clinician"
    assert page.selected_attendee().id == nurse.id  # edits keep the selection
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert register(ctx)[0].role == "named_nurse"
    assert register(ctx)[0].attendance is Attendance.IN_PERSON
    ctx.undo_stack.redo()
    assert register(ctx)[0].role == "responsible_clinician"
    # Setting the same value is no edit at all.
    count = ctx.undo_stack.count()
    assert not page.model.setData(page.model.index(0, Column.NAME), "Chris Doyle-Hart")
    assert ctx.undo_stack.count() == count


def test_edit_in_place_with_the_delegates(qtbot, page, ctx):
    add(ctx, "Ben Carter", "care_coordinator", "Northvale LD Team")
    page.refresh()
    index = page.model.index(0, Column.ROLE)
    page.table.setCurrentIndex(index)
    page.table.edit(index)
    editor = page.table.indexWidget(index) or page.table.findChild(QComboBox)
    assert isinstance(editor, QComboBox)
    assert editor.currentData() == "care_coordinator"
    editor.setCurrentIndex(editor.findData("social_care"))
    page.table.commitData(editor)
    assert register(ctx)[0].role == "social_care"

    name_index = page.model.index(0, Column.NAME)
    page.table.setCurrentIndex(name_index)
    page.table.edit(name_index)
    line = page.table.findChild(QLineEdit)
    line.setText("Ben Carter-Smith")
    page.table.commitData(line)
    assert register(ctx)[0].name == "Ben Carter-Smith"


def test_refused_edit_shows_the_message_and_keeps_the_stored_name(page, ctx, messages):
    add(ctx, "Tom Reid", "advocate")
    page.refresh()
    page.model.setData(page.model.index(0, Column.NAME), "   ")
    assert messages == ["Enter the attendee's name."]
    assert register(ctx)[0].name == "Tom Reid"
    assert page.model.index(0, Column.NAME).data() == "Tom Reid"
    assert ctx.undo_stack.count() == 0


def test_delete_key_removes_with_undo_and_redo(qtbot, page, ctx):
    first = add(ctx, "Dr Helen Marsh", "responsible_clinician")
    second = add(ctx, "Aisha Rahman", "psychologist")
    third = add(ctx, "Gill Foster", "social_care")
    page.refresh()
    page.select_attendee(second.id)
    assert page.remove_button.isEnabled()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert [a.id for a in register(ctx)] == [first.id, third.id]
    assert page.selected_attendee().id == third.id  # the next row takes its place
    ctx.undo_stack.undo()
    assert register(ctx) == [first, second, third]  # same id, same place
    assert page.model.index(1, Column.NAME).data() == "Aisha Rahman"
    ctx.undo_stack.redo()
    assert [a.id for a in register(ctx)] == [first.id, third.id]


def test_remove_button(page, ctx):
    only = add(ctx, "Ravi Patel", "commissioner")
    page.refresh()
    page.select_attendee(only.id)
    page.remove_button.click()
    assert register(ctx) == []
    assert page.table_stack.currentWidget() is page.empty
    assert not page.remove_button.isEnabled()


def test_commands_without_the_page(ctx):
    ctx.undo_stack.push(AddAttendeeCommand(ctx, name="Ruth Okafor", role="mha_reviewer", organisation="CQC"))
    [ruth] = register(ctx)
    ctx.undo_stack.push(UpdateAttendeeCommand(ctx, ruth.id, {"organisation": "Care Quality Commission"}))
    assert register(ctx)[0].organisation == "Care Quality Commission"
    ctx.undo_stack.push(RemoveAttendeeCommand(ctx, ruth.id, ruth.name))
    assert register(ctx) == []
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert register(ctx)[0] == ruth
    ctx.undo_stack.undo()
    assert register(ctx) == []
    for _ in range(3):
        ctx.undo_stack.redo()
    assert register(ctx) == []
    with pytest.raises(ValueError):
        UpdateAttendeeCommand(ctx, ruth.id, {"email": "x"})


def test_the_register_refreshes_when_people_change_elsewhere(page, ctx):
    add(ctx, "Sam Taylor", "note_taker")
    ctx.changed.emit("people")
    assert page.model.rowCount() == 1
    assert "note-taker" not in page.panel_hint.text()
    assert page.organisations.stringList() == []


# Consent -----------------------------------------------------------------------------------


def test_consent_starts_not_recorded_and_says_sections_are_closed(page):
    assert page.consent_basis() is ConsentBasis.NOT_RECORDED
    assert page.consent_buttons[ConsentBasis.NOT_RECORDED].isChecked()
    assert "sections stay closed" in page.consent_status.text()
    assert page.consent_recorded.text() == "Not recorded yet."
    labels = [b.text() for b in page.consent_buttons.values()]
    assert labels == [people.CONSENT_LABELS[b] for b in page.consent_buttons]
    assert "family (16+)" in page.family_note.text()


def writer_in_register(page, ctx):
    """Sam Taylor, who is writing, joins the register; the page then offers them as the recorder."""
    sam = add(ctx, "Sam Taylor", "note_taker")
    ctx.changed.emit("people")
    assert page.consent_by.currentData() == sam.id
    return sam


def test_choosing_a_basis_records_nothing_until_a_register_member_records_it(qtbot, page, ctx, clock, messages):
    changes: list[str] = []
    ctx.changed.connect(changes.append)
    page.consent_buttons[ConsentBasis.CONSENT].click()
    assert not reviews.get_review(ctx.store, ctx.review_id).consent_recorded
    assert changes == []
    # Nobody in the register: the app says who must record it, and records nothing.
    assert page.consent_by.currentData() is None
    qtbot.mouseClick(page.consent_record_button, Qt.MouseButton.LeftButton)
    assert messages == ['Choose who is recording the consent basis under "Recorded by".']
    assert not reviews.get_review(ctx.store, ctx.review_id).consent_recorded
    assert page.consent_buttons[ConsentBasis.CONSENT].isChecked()  # the choice stays on screen

    writer_in_register(page, ctx)
    assert page.consent_buttons[ConsentBasis.CONSENT].isChecked()
    qtbot.mouseClick(page.consent_record_button, Qt.MouseButton.LeftButton)
    review = reviews.get_review(ctx.store, ctx.review_id)
    assert review.consent_basis is ConsentBasis.CONSENT
    assert review.consent_recorded_by == "Sam Taylor (Note-taker)"
    assert "consent" in changes
    assert ctx.review.consent_recorded
    assert "sections are open" in page.consent_status.text()
    shown = local_time(clock())  # the fixed clock's 09:30 UTC, as the room's wall clock reads it
    assert page.consent_recorded.text() == f"Recorded by Sam Taylor (Note-taker) on {shown:%d %b %Y} at {shown:%H:%M}."


def test_consent_is_credited_to_the_register_member_chosen(page, ctx):
    add(ctx, "Sam Taylor", "note_taker")
    chair = add(ctx, "Morgan Ellis", "independent_chair")
    ctx.changed.emit("people")
    choose(page.consent_by, chair.id)
    assert page.record_consent(ConsentBasis.CONSENT)
    assert reviews.get_review(ctx.store, ctx.review_id).consent_recorded_by == "Morgan Ellis (Independent chair)"


def test_focus_and_stray_keys_on_the_consent_choices_record_nothing(qtbot, page, ctx):
    writer_in_register(page, ctx)
    button = page.consent_buttons[ConsentBasis.NOT_RECORDED]
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_Return):
        focused = page.focusWidget()
        qtbot.keyClick(focused, key)
    qtbot.keyClicks(page.consent_detail, "x")
    ctx.flush()
    review = reviews.get_review(ctx.store, ctx.review_id)
    assert review.consent_basis is ConsentBasis.NOT_RECORDED and not review.consent_recorded
    assert review.consent_recorded_by == ""


def test_recording_consent_is_undone_with_the_undo_stack(page, ctx):
    writer_in_register(page, ctx)
    assert page.record_consent(ConsentBasis.CONSENT)
    assert ctx.undo_stack.count() == 1
    ctx.undo_stack.undo()
    review = reviews.get_review(ctx.store, ctx.review_id)
    assert review.consent_basis is ConsentBasis.NOT_RECORDED and review.consent_recorded_by == ""
    assert page.consent_buttons[ConsentBasis.NOT_RECORDED].isChecked()
    assert "sections stay closed" in page.consent_status.text()
    ctx.undo_stack.redo()
    review = reviews.get_review(ctx.store, ctx.review_id)
    assert review.consent_basis is ConsentBasis.CONSENT and review.consent_recorded_by == "Sam Taylor (Note-taker)"


def test_a_register_member_of_another_review_cannot_record_consent(store, ctx, setup_icetr, actor):
    other = reviews.create_review(store, setup_icetr, actor)
    stranger = people.add_attendee(store, other.id, actor, name="Pat Doe", role="independent_chair")
    with pytest.raises(Exception, match="from the register"):
        people.record_consent(store, ctx.review_id, actor, ConsentBasis.CONSENT, attendee_id=stranger.id)


def test_best_interests_needs_detail_then_records_when_typed(qtbot, page, ctx, messages):
    writer_in_register(page, ctx)
    assert not page.record_consent(ConsentBasis.BEST_INTERESTS)
    assert messages == ["Say who made the best-interests decision and when."]
    assert page.consent_buttons[ConsentBasis.BEST_INTERESTS].isChecked()  # the choice stays
    assert page.consent_detail.hasFocus()
    assert not reviews.get_review(ctx.store, ctx.review_id).consent_recorded
    assert "sections stay closed" in page.consent_status.text()
    assert ctx.undo_stack.count() == 0

    qtbot.keyClicks(page.consent_detail, "Dr Marsh (RC), capacity assessment on 18 Nov 2026")
    ctx.flush()
    assert not reviews.get_review(ctx.store, ctx.review_id).consent_recorded  # typing records no basis
    assert page.record_consent()
    review = reviews.get_review(ctx.store, ctx.review_id)
    assert review.consent_basis is ConsentBasis.BEST_INTERESTS
    assert review.consent_detail == "Dr Marsh (RC), capacity assessment on 18 Nov 2026"
    assert "sections are open" in page.consent_status.text()
    assert len(messages) == 1


def test_detail_typed_first_is_kept_when_the_basis_is_chosen(qtbot, page, ctx, clock):
    writer_in_register(page, ctx)
    qtbot.keyClicks(page.consent_detail, "Agrees to the report going to his mother.")
    page.consent_buttons[ConsentBasis.CONSENT].click()
    assert page.record_consent()
    assert not ctx.autosaver.has_pending()
    review = reviews.get_review(ctx.store, ctx.review_id)
    assert (review.consent_basis, review.consent_detail) == (
        ConsentBasis.CONSENT, "Agrees to the report going to his mother."
    )


def test_declined_mentions_escalation_and_back_to_not_recorded(page, ctx):
    writer_in_register(page, ctx)
    assert page.record_consent(ConsentBasis.DECLINED)
    assert "escalation criterion" in page.consent_recorded.text()
    page.record_consent(ConsentBasis.NOT_RECORDED)
    review = reviews.get_review(ctx.store, ctx.review_id)
    assert review.consent_basis is ConsentBasis.NOT_RECORDED and review.consent_recorded_by == ""
    assert page.consent_recorded.text() == "Not recorded yet."


def test_consent_recorded_elsewhere_shows_on_refresh(page, ctx):
    people.record_consent(ctx.store, ctx.review_id, ctx.actor, ConsentBasis.CONSENT, "Said yes at 9:10")
    ctx.reload_review()
    ctx.changed.emit("consent")
    assert page.consent_buttons[ConsentBasis.CONSENT].isChecked()
    assert page.consent_detail.toPlainText() == "Said yes at 9:10"


# Models and helpers ------------------------------------------------------------------------


def test_attendee_model(qtmodeltester, ctx):
    add(ctx, "Morgan Ellis", "independent_chair", "ICB")
    add(ctx, "Linda K.", "family_carer", attendance=Attendance.SENT_VIEWS)
    model = AttendeeTableModel()
    model.set_attendees(register(ctx))
    qtmodeltester.check(model)
    assert model.index(0, Column.NAME).data(AttendeeIdRole) == register(ctx)[0].id
    assert model.index(0, Column.ROLE).data(Qt.ItemDataRole.FontRole).bold()  # panel member
    assert model.index(1, Column.ROLE).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(1, Column.ATTENDANCE).data() == "Sent views beforehand"
    assert model.index(1, Column.ATTENDANCE).data(Qt.ItemDataRole.EditRole) == "sent_views"
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    # An empty model passes too.
    qtmodeltester.check(AttendeeTableModel())


def test_helpers():
    assert missing_panel_hint(["chair"], []) == "No chair in the register yet."
    assert missing_panel_hint(["chair", "expert_by_experience"], []) == (
        "No chair or expert by experience in the register yet."
    )
    assert missing_panel_hint([], []) == ""
    assert describe_recorded_by("Sam Taylor (note_taker)") == "Sam Taylor (Note-taker)"
    assert describe_recorded_by("Someone") == "Someone"


def test_who_records_consent_follows_a_change_of_writer(page, ctx):
    sam = writer_in_register(page, ctx)
    chair = add(ctx, "Morgan Ellis", "independent_chair")
    ctx.changed.emit("people")
    assert page.consent_by.currentData() == sam.id
    from app.services.dto import Actor

    ctx.set_actor(Actor("Morgan Ellis", "independent_chair"))
    assert page.consent_by.currentData() == chair.id
