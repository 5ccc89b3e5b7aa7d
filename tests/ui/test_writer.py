"""Who is writing: asked when a review opens, changed only deliberately, and no change in nobody's name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.services import notes, people
from app.services.dto import NOBODY, Actor
from app.services.errors import NoWriterError
from app.ui.writer_dialog import WriterDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SAM = Actor("Sam Taylor", "note_taker")
CHAIR = Actor("Morgan Ellis", "independent_chair")


def test_the_services_refuse_a_change_in_nobodys_name(store, consented_review):
    with pytest.raises(NoWriterError, match="choose who is writing"):
        notes.add_note(store, consented_review.id, "safety", "Said in nobody's name", NOBODY)
    with pytest.raises(NoWriterError):
        people.add_attendee(store, consented_review.id, Actor("  ", "note_taker"), name="Pat Doe", role="other")
    assert notes.list_notes(store, consented_review.id) == []
    assert people.list_attendees(store, consented_review.id) == []


def test_opening_a_review_asks_who_is_writing_from_the_panel(chair_window, writer_answers):
    window = chair_window()
    assert len(writer_answers.asked) == 1
    offered = writer_answers.asked[0]
    assert CHAIR in offered and SAM in offered and all(a.role != "named_nurse" for a in offered)
    assert window.ctx.actor == SAM
    assert window.workspace.writing_as.text().startswith("Sam Taylor — Note-taker")


def test_nobody_chosen_means_changes_are_refused_with_a_clear_message(qtbot, chair_window, writer_answers):
    writer_answers.answer = None  # the question is cancelled
    window = chair_window()
    ctx, workspace = window.ctx, window.workspace
    assert ctx.actor == NOBODY
    assert workspace.writing_as.text().startswith("Nobody chosen")
    before = len(notes.list_notes(ctx.store, ctx.review_id))
    workspace.show_section("safety")
    page = workspace.current_page()
    qtbot.keyClicks(page.capture_bar.field, "A note nobody wrote")
    qtbot.keyClick(page.capture_bar.field, Qt.Key.Key_Return)
    assert len(notes.list_notes(ctx.store, ctx.review_id)) == before
    assert "Nobody is chosen as writing" in workspace.message_bar.text()
    # Choosing someone then lets the same note be saved in their name.
    writer_answers.answer = CHAIR
    workspace.writing_as.click()
    assert ctx.actor == CHAIR
    qtbot.keyClick(page.capture_bar.field, Qt.Key.Key_Return)
    saved = notes.list_notes(ctx.store, ctx.review_id)
    newest = max(saved, key=lambda note: note.id)
    assert len(saved) == before + 1 and (newest.text, newest.author_name) == ("A note nobody wrote", "Morgan Ellis")


def test_arrow_keys_and_the_wheel_on_writing_as_do_not_change_the_author(qtbot, chair_window, writer_answers):
    window = chair_window()
    ctx, button = window.ctx, window.workspace.writing_as
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_End):
        qtbot.keyClick(button, key)
    centre = QPointF(button.rect().center())
    wheel = QWheelEvent(centre, QPointF(button.mapToGlobal(QPoint(5, 5))), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(button, wheel)
    assert ctx.actor == SAM and len(writer_answers.asked) == 1
    # Space opens the chooser; cancelling it changes nothing, choosing changes the author.
    writer_answers.answer = None
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert len(writer_answers.asked) == 2 and ctx.actor == SAM
    writer_answers.answer = CHAIR
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert ctx.actor == CHAIR
    assert window.statusBar().currentMessage() == "Writing as Morgan Ellis."
    assert not window.workspace.message_bar.isVisible()  # the page keeps its room


def test_the_writer_dialog_offers_the_panel_or_someone_new(qtbot):
    dialog = WriterDialog([CHAIR, SAM], SAM)
    qtbot.addWidget(dialog)
    assert dialog.value() == SAM
    qtbot.keyClick(dialog.list, Qt.Key.Key_Up)
    assert dialog.value() == CHAIR
    qtbot.keyClicks(dialog.new_name, "  Ravi   Patel ")
    dialog.new_role.setCurrentIndex(dialog.new_role.findData("commissioner"))
    assert dialog.value() == Actor("Ravi Patel", "commissioner")

    empty = WriterDialog([], None)
    qtbot.addWidget(empty)
    assert empty.list.isHidden() and empty.value() is None
    empty.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert empty.message.text() == "Choose who is writing, or type their name." and not empty.result()
