from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from app.models.enums import Attendance
from app.services import drafts, notes, people
from app.ui.capture_bar import CaptureBar, draft_key
from app.ui.context import ReviewContext

# The offscreen platform cannot pass size hints on to a window; nothing to fix on our side.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(store, actor, consented_review):
    people.add_attendee(store, consented_review.id, actor, name="Morgan Ellis", role="independent_chair")
    people.add_attendee(store, consented_review.id, actor, name="Chris Doyle", role="named_nurse")
    people.add_attendee(store, consented_review.id, actor, name="Pat Away", role="provider",
                        attendance=Attendance.APOLOGIES)
    return ReviewContext(store, consented_review.id, actor=actor)


@pytest.fixture
def section_id(ctx):
    return ctx.template.sections[1].id


def make_bar(qtbot, ctx, section_id) -> CaptureBar:
    bar = CaptureBar(ctx, section_id)
    qtbot.addWidget(bar)
    bar.resize(700, 60)
    bar.show()
    qtbot.waitExposed(bar)
    bar.activateWindow()
    bar.focus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is bar.field)
    return bar


def test_speakers_are_the_register_plus_the_panel(qtbot, ctx, section_id):
    bar = make_bar(qtbot, ctx, section_id)
    assert bar.speakers() == [
        "Panel (general)",
        "Morgan Ellis — Independent chair",
        "Chris Doyle — Named nurse",
    ]  # apologies are not in the room
    assert bar.current_speaker() == ("", "")


def test_enter_saves_the_note_with_speaker_and_author_and_keeps_focus(qtbot, ctx, section_id, clock):
    bar = make_bar(qtbot, ctx, section_id)
    qtbot.keyClick(bar.field, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert bar.speaker.currentText() == "Chris Doyle — Named nurse"
    qtbot.keyClicks(bar.field, "Restraint down from 12 to 4 this month")
    with qtbot.waitSignal(bar.note_added):
        qtbot.keyClick(bar.field, Qt.Key.Key_Return)

    [note] = notes.list_notes(ctx.store, ctx.review_id, section_id)
    assert note.text == "Restraint down from 12 to 4 this month"
    assert (note.speaker_name, note.speaker_role) == ("Chris Doyle", "named_nurse")
    assert (note.author_name, note.author_role) == ("Sam Taylor", "note_taker")
    assert note.created_at == clock()
    assert bar.text() == ""
    assert QApplication.focusWidget() is bar.field
    # The speaker stays chosen for the next note.
    assert bar.current_speaker() == ("Chris Doyle", "named_nurse")
    qtbot.keyClicks(bar.field, "Seclusion not used")
    qtbot.keyClick(bar.field, Qt.Key.Key_Enter)
    assert [n.speaker_name for n in notes.list_notes(ctx.store, ctx.review_id, section_id)] == [
        "Chris Doyle", "Chris Doyle"
    ]
    assert ctx.undo_stack.count() == 2


def test_alt_arrows_cycle_speakers_and_alt_0_picks_the_panel(qtbot, ctx, section_id):
    bar = make_bar(qtbot, ctx, section_id)
    qtbot.keyClick(bar.field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert bar.current_speaker() == ("Morgan Ellis", "independent_chair")
    qtbot.keyClick(bar.field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert bar.current_speaker() == ("Chris Doyle", "named_nurse")
    qtbot.keyClick(bar.field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert bar.current_speaker() == ("", "")  # wraps round
    qtbot.keyClick(bar.field, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert bar.current_speaker() == ("Chris Doyle", "named_nurse")
    qtbot.keyClick(bar.field, Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)
    assert bar.current_speaker() == ("", "")
    qtbot.keyClick(bar.field, Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)  # nobody ninth: no change
    assert bar.current_speaker() == ("", "")
    assert bar.text() == "" and QApplication.focusWidget() is bar.field


def test_empty_enter_does_nothing(qtbot, ctx, section_id):
    bar = make_bar(qtbot, ctx, section_id)
    qtbot.keyClicks(bar.field, "   ")
    with qtbot.assertNotEmitted(ctx.message), qtbot.assertNotEmitted(bar.note_added):
        qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert notes.list_notes(ctx.store, ctx.review_id) == []
    assert ctx.undo_stack.count() == 0
    assert bar.text() == "   "


def test_shift_enter_starts_a_new_line(qtbot, ctx, section_id):
    bar = make_bar(qtbot, ctx, section_id)
    qtbot.keyClicks(bar.field, "Plan:")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(bar.field, "move in spring")
    assert bar.text() == "Plan:\nmove in spring"
    assert notes.list_notes(ctx.store, ctx.review_id) == []
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert notes.list_notes(ctx.store, ctx.review_id)[0].text == "Plan:\nmove in spring"


def test_draft_is_autosaved_restored_and_cleared_when_the_note_is_saved(qtbot, ctx, section_id):
    bar = make_bar(qtbot, ctx, section_id)
    qtbot.keyClicks(bar.field, "Half a sentence")
    assert ctx.autosaver.has_pending()
    ctx.flush()
    assert drafts.get_draft(ctx.store, ctx.review_id, draft_key(section_id)) == "Half a sentence"

    again = CaptureBar(ctx, section_id)
    qtbot.addWidget(again)
    assert again.text() == "Half a sentence"
    assert not ctx.autosaver.has_pending()  # restoring is not an edit

    qtbot.keyClicks(bar.field, " more")
    bar.submit()
    ctx.flush()
    assert drafts.get_draft(ctx.store, ctx.review_id, draft_key(section_id)) == ""
    assert notes.list_notes(ctx.store, ctx.review_id)[0].text == "Half a sentence more"


def test_speaker_list_follows_the_register_and_keeps_the_choice(qtbot, ctx, section_id, actor):
    bar = make_bar(qtbot, ctx, section_id)
    bar.pick_speaker(2)
    ctx.call(people.add_attendee, ctx.store, ctx.review_id, actor, name="Linda K.", role="family_carer",
             changed="people")
    assert bar.speakers()[-1] == "Linda K. — Family or carer"
    assert bar.current_speaker() == ("Chris Doyle", "named_nurse")


def test_refused_note_keeps_the_text(qtbot, store, actor, review):
    ctx = ReviewContext(store, review.id, actor=actor)  # consent basis not recorded
    bar = make_bar(qtbot, ctx, ctx.template.sections[1].id)
    qtbot.keyClicks(bar.field, "Something said")
    with qtbot.waitSignal(ctx.message) as message:
        qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert "consent basis" in message.args[0]
    assert bar.text() == "Something said"
    assert ctx.undo_stack.count() == 0
    assert notes.list_notes(store, review.id) == []


def test_ctrl_z_in_the_field_undoes_the_saved_note_once_the_field_has_nothing_to_undo(qtbot, ctx, section_id):
    bar = make_bar(qtbot, ctx, section_id)
    # The main window binds the undo keys to the review's stack, like this.
    undo = QShortcut(QKeySequence.StandardKey.Undo, bar)
    undo.activated.connect(ctx.undo_stack.undo)
    qtbot.keyClicks(bar.field, "Wrong section")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert len(notes.list_notes(ctx.store, ctx.review_id)) == 1
    qtbot.keyClicks(bar.field, "ab")
    qtbot.keyClick(bar.field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the field's own undo
    assert bar.text() == "" and len(notes.list_notes(ctx.store, ctx.review_id)) == 1
    qtbot.keyClick(bar.field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # now the stack's
    assert notes.list_notes(ctx.store, ctx.review_id) == []


def test_a_narrow_bar_gives_the_note_a_line_of_its_own(qtbot, ctx, section_id):
    # Wide enough: speaker, note and button on one line. Narrower (large text, a small window): the
    # note keeps the bar's whole width under the speaker and the button, never a sliver between them.
    bar = make_bar(qtbot, ctx, section_id)
    layout = bar.layout()
    wide = layout.sizeHint().width() + 40
    bar.resize(wide, layout.heightForWidth(wide))
    qtbot.waitUntil(lambda: bar.width() == wide)
    assert bar.speaker.y() == bar.field.y() == bar.add_button.y()
    narrow = layout.sizeHint().width() - 100
    bar.resize(narrow, layout.heightForWidth(narrow))
    qtbot.waitUntil(lambda: bar.field.y() > bar.speaker.y())
    margins = layout.contentsMargins()
    assert bar.field.width() == narrow - margins.left() - margins.right()
    assert bar.speaker.y() == bar.add_button.y()
    assert bar.add_button.geometry().right() == bar.field.geometry().right()
    assert QApplication.focusWidget() is bar.field  # moving it keeps the typing where it was
    qtbot.keyClicks(bar.field, "Still typing")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert [n.text for n in notes.list_notes(ctx.store, ctx.review_id, section_id)][-1] == "Still typing"


def test_the_note_field_asks_for_room_for_forty_characters(qtbot, ctx, section_id):
    bar = make_bar(qtbot, ctx, section_id)
    field = bar.field
    assert field.sizeHint().width() >= field.fontMetrics().averageCharWidth() * 40
