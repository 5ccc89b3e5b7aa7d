from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from app.models import Note
from app.models.enums import ConsentBasis
from app.services import notes, people
from app.ui.context import ReviewContext
from app.ui.notes_model import AuthorRole, NoteEditor, NotesModel, SpeakerRole, TimeRole, local_time
from app.ui.section_page import CLOSED, EMPTY, STREAM, SectionPage

# The offscreen platform cannot pass size hints on to a window; nothing to fix on our side.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(store, actor, consented_review):
    people.add_attendee(store, consented_review.id, actor, name="Chris Doyle", role="named_nurse")
    return ReviewContext(store, consented_review.id, actor=actor)


@pytest.fixture
def section(ctx):
    return ctx.template.sections[1]


def make_page(qtbot, ctx, section_id) -> SectionPage:
    page = SectionPage(ctx, section_id)
    qtbot.addWidget(page)
    page.resize(1000, 650)
    page.show()
    qtbot.waitExposed(page)
    return page


def add(ctx, section_id, text, clock, **kw):
    clock.advance(minutes=1)
    return notes.add_note(ctx.store, ctx.review_id, section_id, text, ctx.actor, **kw)


def bulk_notes(ctx, section_id, clock, count, extra=""):
    """A day's worth of notes in one commit (add_note commits each one; too slow for set-up)."""
    with ctx.store.write() as session:
        session.add_all(
            Note(review_id=ctx.review_id, section_id=section_id, text=f"Note {n} {extra}".strip(),
                 author_name="Sam Taylor", author_role="note_taker",
                 created_at=clock() + timedelta(seconds=n), updated_at=clock())
            for n in range(count)
        )
    clock.advance(hours=1)
    return notes.list_notes(ctx.store, ctx.review_id, section_id)


def test_header_and_empty_state(qtbot, ctx, section):
    page = make_page(qtbot, ctx, section.id)
    assert page.title_label.text() == f"{section.number}. {section.title}"
    assert page.summary_label.text() == section.summary
    assert page.lead_label.text().startswith("Suggested lead: ")
    assert page.stream.currentIndex() == EMPTY
    assert page.capture_bar.isEnabled()
    assert page.declined_banner.isHidden()
    assert page.current_note() is None
    page.set_header_visible(False)
    assert page.title_label.isHidden() and page.summary_label.isHidden() and page.lead_label.isHidden()
    page.set_header_visible(True)
    assert page.title_label.isVisible() and page.lead_label.isVisible()


def test_typing_a_note_shows_it_in_the_stream_and_keeps_focus(qtbot, ctx, section, clock):
    page = make_page(qtbot, ctx, section.id)
    page.activateWindow()
    page.focus_capture()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.capture_bar.field)
    qtbot.keyClick(page.capture_bar.field, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(page.capture_bar.field, "Restraint down this month")
    qtbot.keyClick(page.capture_bar.field, Qt.Key.Key_Return)

    assert page.stream.currentIndex() == STREAM
    index = page.notes_model.index(0)
    assert index.data(SpeakerRole) == "Named nurse · Chris Doyle"
    assert index.data(TimeRole) == f"{local_time(clock()):%H:%M}"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "noted by Sam Taylor (Note-taker)"
    assert index.data(AuthorRole) == "noted by Sam Taylor (Note-taker)"
    assert page.current_note().text == "Restraint down this month"
    assert notes.list_notes(ctx.store, ctx.review_id, section.id)[0].speaker_name == "Chris Doyle"
    assert QApplication.focusWidget() is page.capture_bar.field


def test_consent_gate_closes_notes_until_the_basis_is_recorded(qtbot, store, actor, review):
    ctx = ReviewContext(store, review.id, actor=actor)
    page = make_page(qtbot, ctx, ctx.template.sections[1].id)
    assert page.stream.currentIndex() == CLOSED
    assert "Record it under People and consent" in page.closed_label.text()
    assert not page.capture_bar.isEnabled()
    assert not page.entries_panel.form.isEnabled() and page.entries_panel.isHidden()

    ctx.call(people.record_consent, store, review.id, actor, ConsentBasis.CONSENT, changed="consent")
    assert page.stream.currentIndex() == EMPTY
    assert page.capture_bar.isEnabled() and page.entries_panel.form.isEnabled()
    assert page.entries_panel.isVisible()
    assert page.declined_banner.isHidden()


def test_declined_shows_a_calm_banner_and_notes_stay_open(qtbot, store, actor, review):
    ctx = ReviewContext(store, review.id, actor=actor)
    page = make_page(qtbot, ctx, ctx.template.sections[1].id)
    ctx.call(people.record_consent, store, review.id, actor, ConsentBasis.DECLINED, "Said no", changed="consent")
    assert page.declined_banner.isVisible()
    assert page.declined_banner.text() == (
        "The person declined the review: do not read their records; note only what people share."
    )
    assert page.capture_bar.isEnabled()


def test_draft_survives_rebuilding_the_page(qtbot, ctx, section, store, actor):
    page = make_page(qtbot, ctx, section.id)
    qtbot.keyClicks(page.capture_bar.field, "Mum said the visits")
    ctx.flush()
    page.close()
    rebuilt = make_page(qtbot, ReviewContext(store, ctx.review_id, actor=actor), section.id)
    assert rebuilt.capture_bar.text() == "Mum said the visits"


def test_edit_delete_undo_redo_round_trip_through_the_database(qtbot, ctx, section, clock):
    first = add(ctx, section.id, "Frist note", clock, speaker_name="Chris Doyle", speaker_role="named_nurse")
    second = add(ctx, section.id, "Second note", clock)
    page = make_page(qtbot, ctx, section.id)
    view = page.notes_view
    assert page.current_note() == second  # nothing selected: the newest

    # F2 edits inline; Enter keeps the change.
    view.setFocus()
    view.selectionModel().setCurrentIndex(page.notes_model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert page.current_note() == first
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(NoteEditor)
    assert editor is not None and editor.toPlainText() == "Frist note"
    editor.selectAll()
    qtbot.keyClicks(editor, "First note")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert notes.get_note(ctx.store, first.id).text == "First note"
    assert page.notes_model.index(0).data(Qt.ItemDataRole.EditRole) == "First note"
    ctx.undo_stack.undo()
    assert notes.get_note(ctx.store, first.id).text == "Frist note"
    assert page.notes_model.index(0).data(Qt.ItemDataRole.EditRole) == "Frist note"
    ctx.undo_stack.redo()
    assert notes.get_note(ctx.store, first.id).text == "First note"

    # Delete removes the selected note; undo puts it back with its id, time and author.
    view.selectionModel().setCurrentIndex(page.notes_model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert [n.id for n in notes.list_notes(ctx.store, ctx.review_id, section.id)] == [second.id]
    assert page.notes_model.rowCount() == 1
    ctx.undo_stack.undo()
    restored = notes.get_note(ctx.store, first.id)
    assert (restored.created_at, restored.author_name, restored.speaker_name) == (
        first.created_at, "Sam Taylor", "Chris Doyle"
    )
    assert [n.id for n in page.notes_model.notes()] == [first.id, second.id]
    ctx.undo_stack.redo()
    assert [n.id for n in page.notes_model.notes()] == [second.id]


def test_undo_of_an_added_note_and_redo_keep_the_same_note(qtbot, ctx, section):
    page = make_page(qtbot, ctx, section.id)
    qtbot.keyClicks(page.capture_bar.field, "Said on the ward")
    note = page.capture_bar.submit()
    ctx.undo_stack.undo()
    assert notes.list_notes(ctx.store, ctx.review_id) == []
    assert page.stream.currentIndex() == EMPTY
    ctx.undo_stack.redo()
    assert notes.list_notes(ctx.store, ctx.review_id) == [note]


def test_editing_to_empty_text_is_refused_and_nothing_is_lost(qtbot, ctx, section, clock):
    note = add(ctx, section.id, "Keep me", clock)
    page = make_page(qtbot, ctx, section.id)
    with qtbot.waitSignal(ctx.message) as message:
        page.edit_note_text(note.id, "   ")
    assert message.args == ["A note needs some text."]
    assert notes.get_note(ctx.store, note.id).text == "Keep me"
    assert ctx.undo_stack.count() == 0


def test_show_note_selects_and_scrolls(qtbot, ctx, section, clock):
    made = bulk_notes(ctx, section.id, clock, 60, "words " * 20)
    page = make_page(qtbot, ctx, section.id)
    assert page.show_note(made[3].id)
    assert page.current_note() == made[3]
    assert page.notes_view.visualRect(page.notes_model.index(3)).intersects(page.notes_view.viewport().rect())
    assert not page.show_note(999_999)


def test_a_long_day_appends_rows_instead_of_resetting(qtbot, ctx, section, clock):
    bulk_notes(ctx, section.id, clock, 300)
    page = make_page(qtbot, ctx, section.id)
    model = page.notes_model
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted) as inserted:
        qtbot.keyClicks(page.capture_bar.field, "One more")
        page.capture_bar.submit()
    assert inserted.args[1:] == [300, 300]
    assert model.rowCount() == 301
    last = model.index(300)
    assert page.notes_view.visualRect(last).bottom() <= page.notes_view.viewport().rect().bottom()
    assert page.notes_view.visualRect(last).intersects(page.notes_view.viewport().rect())


def test_notes_model_diffs(qtmodeltester, ctx, section, clock):
    made = [add(ctx, section.id, f"Note {n}", clock) for n in range(5)]
    model = NotesModel(ctx.store, ctx.review_id, section.id)
    model.refresh()
    qtmodeltester.check(model)
    changed = []
    model.dataChanged.connect(lambda a, b: changed.append(a.row()))
    model.set_notes(made[:2] + made[3:])  # one removed from the middle
    assert [n.id for n in model.notes()] == [m.id for m in made[:2] + made[3:]]
    model.set_notes(made)  # put back in the middle
    edited = made[4].__class__(**{**made[4].__dict__, "text": "Changed", "updated_at": clock() + timedelta(1)})
    model.set_notes(made[:4] + [edited])
    assert changed == [4]
    model.set_notes(list(reversed(made)))  # anything else: a reset
    assert model.note(0) == made[4]
    qtmodeltester.check(model)


def test_notes_from_other_sections_are_not_shown(qtbot, ctx, section, clock):
    other = ctx.template.sections[2].id
    add(ctx, other, "Elsewhere", clock)
    page = make_page(qtbot, ctx, section.id)
    ctx.call(notes.add_note, ctx.store, ctx.review_id, other, "Also elsewhere", ctx.actor, changed="notes")
    assert page.notes_model.rowCount() == 0


# Correcting a saved note ------------------------------------------------------------------------


def select_row(page, row):
    index = page.notes_model.index(row)
    page.notes_view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    return index


def test_shift_f2_corrects_the_speaker_of_a_saved_note_and_ctrl_z_puts_it_back(qtbot, ctx, section, clock,
                                                                              monkeypatch):
    from app.services import audit
    from app.ui.speaker_dialog import SpeakerDialog

    note = add(ctx, section.id, "Restraint down this month", clock)  # the panel, by mistake
    page = make_page(qtbot, ctx, section.id)
    select_row(page, 0)
    offered: list = []

    def ask(cls, parent, choices, current):
        offered.extend(choices)
        assert current == ("", "")
        return ("Chris Doyle", "named_nurse")

    monkeypatch.setattr(SpeakerDialog, "ask", classmethod(ask))
    page.notes_view.setFocus()
    qtbot.keyClick(page.notes_view, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    assert (("Chris Doyle", "named_nurse"), "Chris Doyle — Named nurse") in offered
    saved = notes.get_note(ctx.store, note.id)
    assert (saved.speaker_name, saved.speaker_role, saved.text) == ("Chris Doyle", "named_nurse",
                                                                     "Restraint down this month")
    assert page.notes_model.index(0).data(SpeakerRole) == "Named nurse · Chris Doyle"
    event = audit.list_events(ctx.store, ctx.review_id)[-1]
    assert (event.action, event.entity, set(event.fields)) == ("update", "note", {"speaker_name", "speaker_role"})
    assert page.notes_view.state() != page.notes_view.State.EditingState  # Shift+F2 is not the text editor

    ctx.undo_stack.undo()
    saved = notes.get_note(ctx.store, note.id)
    assert (saved.speaker_name, saved.speaker_role) == ("", "")
    ctx.undo_stack.redo()
    assert notes.get_note(ctx.store, note.id).speaker_name == "Chris Doyle"


def test_the_speaker_dialog_chooses_with_the_keyboard(qtbot):
    from app.ui.speaker_dialog import SpeakerDialog

    dialog = SpeakerDialog([(("", ""), "Panel (general)"), (("Chris Doyle", "named_nurse"), "Chris Doyle — Named nurse")],
                           ("", ""))
    qtbot.addWidget(dialog)
    assert dialog.value() == ("", "")
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    assert dialog.value() == ("Chris Doyle", "named_nurse")


def test_f2_editor_grows_its_row_and_never_covers_the_next_note(qtbot, ctx, section, clock):
    add(ctx, section.id, "Short note", clock)
    add(ctx, section.id, "The next note must stay in view while the first is edited", clock)
    page = make_page(qtbot, ctx, section.id)
    first = select_row(page, 0)
    page.notes_view.setFocus()
    qtbot.keyClick(page.notes_view, Qt.Key.Key_F2)
    editor = page.notes_view.findChild(NoteEditor, "noteEditor")
    assert editor is not None and editor.isVisible()

    line = editor.fontMetrics().height()

    def editor_fits_above_next_note(lines: int) -> bool:
        next_top = page.notes_view.visualRect(page.notes_model.index(1)).top()
        return editor.geometry().height() >= lines * line and editor.geometry().bottom() < next_top

    # Three lines to type in, and the row grows to hold them: the next note moves down.
    qtbot.waitUntil(lambda: editor_fits_above_next_note(3))
    # Typing more lines grows the row again: the editor still ends above the next note.
    for _ in range(4):
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyClicks(editor, "another line of the corrected note")
    qtbot.waitUntil(lambda: editor_fits_above_next_note(5))
    assert page.notes_view.visualRect(first).contains(editor.geometry().center())
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.notes_view.visualRect(first).height() < editor.geometry().height() + 20)
