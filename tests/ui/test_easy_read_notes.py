"""Marking notes for the easy read's "What you told us", in the chair's real window."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from app.services import notes
from app.ui.notes_model import SpeakerRole
from tests.ui.conftest import settle

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_ctrl_shift_e_marks_the_selected_note_and_undo_takes_the_mark_off(qtbot, chair_window):
    window = chair_window()
    review_id = window.demo_review_id
    workspace = window.workspace
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = workspace.current_page()
    assert page.section_id == "opening"
    row = next(i for i in range(page.notes_model.rowCount())
               if page.notes_model.note(i).speaker_name == "Linda K." and not page.notes_model.note(i).easy_read)
    note = page.notes_model.note(row)
    page.notes_view.selectionModel().setCurrentIndex(
        page.notes_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    page.notes_view.setFocus()

    qtbot.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    assert notes.get_note(window.store, note.id).easy_read is True
    settle()
    assert page.notes_model.index(row).data(SpeakerRole).endswith("for the easy read")
    assert "(for the easy read)" in page.notes_model.index(row).data(Qt.ItemDataRole.AccessibleTextRole)

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert notes.get_note(window.store, note.id).easy_read is False
    settle()
    assert not page.notes_model.index(row).data(SpeakerRole).endswith("for the easy read")
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL_SHIFT)
    assert notes.get_note(window.store, note.id).easy_read is True
    # Pressed again, the mark comes off; the text and who spoke never change.
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    after = notes.get_note(window.store, note.id)
    assert (after.easy_read, after.text, after.speaker_name) == (False, note.text, note.speaker_name)
    assert review_id == window.workspace.ctx.review_id


def test_without_a_selected_note_the_shortcut_says_what_to_do(qtbot, chair_window):
    window = chair_window()
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL_SHIFT)  # the recommendations page
    with qtbot.waitSignal(window.workspace.ctx.message) as message:
        qtbot.keyClick(window, Qt.Key.Key_E, CTRL_SHIFT)
    assert message.args == ["Select a note in a section first, then mark it for the easy read."]
    marked = [n for n in notes.list_notes(window.store, window.demo_review_id) if n.easy_read]
    assert all(n.speaker_role in ("person", "family_carer", "advocate") for n in marked)
