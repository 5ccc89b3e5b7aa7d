"""A whole review day through the real main window, then close, reopen: everything is there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton

from app.models.enums import ConsentBasis
from app.services import actions, notes, people, reviews
from app.services.dto import ReviewSetup
from app.services.store import Store
from app.ui.main_window import MainWindow
from app.ui.new_review_dialog import NewReviewDialog
from tests.conftest import REVIEW_DATE

ATTENDEES = [
    ("Morgan Ellis", "independent_chair", "Independent"),
    ("Sam Taylor", "note_taker", "ICB"),
    ("Chris Doyle", "named_nurse", "Willow Ward"),
    ("Ben Carter", "care_coordinator", "Community LD team"),
]


@pytest.fixture
def window(qtbot, store, monkeypatch):
    monkeypatch.setattr(
        NewReviewDialog,
        "ask",
        classmethod(lambda cls, parent, registry, today: ReviewSetup(
            template_id="icetr", person_label="R.T.", review_date=REVIEW_DATE,
            hospital="Riverside Hospital", ward="Willow Ward", long_term_segregation=True)),
    )
    main = MainWindow(store, today=REVIEW_DATE)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def _set_combo_data(combo: QComboBox, value) -> None:
    index = combo.findData(value)
    assert index >= 0, f"{value!r} not offered"
    combo.setCurrentIndex(index)


def _type_note(qtbot, page, text: str) -> None:
    field = page.capture_bar.findChild(QPlainTextEdit, "captureField")
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_whole_day_survives_close_and_reopen(qtbot, window, db_path, clock):
    # Set up a new review from the menu shortcut.
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    workspace = window.workspace
    assert workspace is not None
    # The pseudonym and type only: nothing else that identifies the person in the title bar.
    assert window.windowTitle() == "R.T. · IC(E)TR — ReviewDay"
    review_id = window.ctx.review_id

    # Sections are closed until the consent basis is recorded.
    assert workspace.show_section("safety") is False
    assert "consent basis" in workspace.message_bar.text()

    # People and consent.
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    people_page = workspace.current_page()
    assert people_page.objectName() == "peoplePage"
    for name, role, organisation in ATTENDEES:
        qtbot.keyClicks(people_page.findChild(QLineEdit, "attendeeName"), name)
        _set_combo_data(people_page.findChild(QComboBox, "attendeeRole"), role)
        qtbot.keyClicks(people_page.findChild(QLineEdit, "attendeeOrganisation"), organisation)
        people_page.findChild(QPushButton, "addAttendeeButton").click()
    people_page.findChild(QRadioButton, "consent_consent").click()
    people_page.findChild(QPushButton, "consentRecordButton").click()
    assert reviews.get_review(window.store, review_id).consent_basis is ConsentBasis.CONSENT
    # The writing-as picker now offers the panel; the note-taker is chosen by default.
    assert window.ctx.actor.name == "Sam Taylor"

    # Notes in three sections, switching with Ctrl+1..3 and speakers with Alt+Down.
    for number, text in ((1, "The person says the ward is too loud at night."),
                         (2, "Restraint down from eleven to four episodes."),
                         (3, "No speech and language therapy since admission.")):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        page = workspace.current_page()
        assert page.section_id == window.ctx.template.sections[number - 1].id
        field = page.capture_bar.findChild(QPlainTextEdit, "captureField")
        qtbot.waitUntil(lambda field=field: field.hasFocus() or not window.isActiveWindow())
        qtbot.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
        _type_note(qtbot, page, text)
        clock.advance(minutes=5)
    safety_notes = notes.list_notes(window.store, review_id, window.ctx.template.sections[1].id)
    assert [n.text for n in safety_notes] == ["Restraint down from eleven to four episodes."]
    assert safety_notes[0].author_name == "Sam Taylor" and safety_notes[0].speaker_name

    # An action from the current note (Ctrl+Shift+A) and two more from the editor.
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    actions_page = workspace.current_page()
    editor = actions_page.editor
    assert "No speech and language therapy" in editor.why.toPlainText()
    for what, owner, weeks in (("Refer for an SLT assessment", "Chris Doyle", 4),
                               ("Plan to end segregation with dates", "Morgan Ellis", 2),
                               ("Invite family to discharge planning", "Ben Carter", 6)):
        if editor.is_editing():
            editor.start_new()
        qtbot.keyClicks(editor.what, what)
        qtbot.keyClicks(editor.owner.lineEdit() if isinstance(editor.owner, QComboBox) else editor.owner, owner)
        editor.findChild(QPushButton, f"actionDeadline{weeks}Weeks").click()
        editor.findChild(QPushButton, "addActionButton").click()
    saved = actions.list_actions(window.store, review_id)
    assert [(a.what, a.owner_name) for a in saved] == [
        ("Refer for an SLT assessment", "Chris Doyle"),
        ("Plan to end segregation with dates", "Morgan Ellis"),
        ("Invite family to discharge planning", "Ben Carter"),
    ]
    assert [a.deadline for a in saved] == [REVIEW_DATE + timedelta(weeks=w) for w in (4, 2, 6)]

    # Half-typed text in the capture bar is a draft; closing saves it.
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = workspace.current_page()
    qtbot.keyClicks(page.capture_bar.findChild(QPlainTextEdit, "captureField"), "half a thought")
    assert window.close()

    # Reopen from the file, as after a restart.
    reopened = Store.open(db_path, clock=clock)
    try:
        assert [a.name for a in people.list_attendees(reopened, review_id)] == [a[0] for a in ATTENDEES]
        assert reviews.get_review(reopened, review_id).consent_recorded
        assert len({n.section_id for n in notes.list_notes(reopened, review_id)}) == 3
        assert len(actions.list_actions(reopened, review_id)) == 3
        second = MainWindow(reopened, today=REVIEW_DATE)
        qtbot.addWidget(second)
        assert second.open_review(review_id)
        second.workspace.show_section_number(4)
        field = second.workspace.current_page().capture_bar.findChild(QPlainTextEdit, "captureField")
        assert field.toPlainText() == "half a thought"
        second.workspace.show_key("actions")
        assert second.workspace.current_page().model.rowCount() == 3
        second.close()
    finally:
        reopened.close()


def test_undo_and_redo_a_note_from_the_keyboard(qtbot, window, store, actor, setup_icetr):
    review = reviews.create_review(store, setup_icetr, actor)
    people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    window.open_review(review.id)
    window.workspace.show_section("safety")
    page = window.workspace.current_page()
    _type_note(qtbot, page, "A note to undo")
    assert len(notes.list_notes(store, review.id)) == 1
    field = page.capture_bar.findChild(QPlainTextEdit, "captureField")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert notes.list_notes(store, review.id) == []
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [n.text for n in notes.list_notes(store, review.id)] == ["A note to undo"]


def test_find_across_notes_jumps_to_the_note(qtbot, window, store, actor, setup_icetr):
    review = reviews.create_review(store, setup_icetr, actor)
    people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    notes.add_note(store, review.id, "daily_life", "Fresh air only once a day", actor)
    target = notes.add_note(store, review.id, "safety", "PRN lorazepam nine times", actor)
    window.open_review(review.id)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    panel = window.workspace.find_panel
    assert panel.isVisible()
    qtbot.keyClicks(panel.field, "lorazepam")
    assert panel.results.count() == 1
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    page = window.workspace.current_page()
    assert page.section_id == "safety" and page.current_note().id == target.id


def test_shortcut_list_names_every_bound_shortcut(window):
    rows = dict(window.shortcut_list())
    for keys in ("Ctrl+N", "Ctrl+Z", "Ctrl+F", "Ctrl+1", "Ctrl+T", "Ctrl+Shift+A", "Ctrl+PgDown"):
        assert any(keys in bound for bound in rows), keys


def test_next_and_previous_part_skip_closed_sections(qtbot, window, store, actor, setup_icetr):
    review = reviews.create_review(store, setup_icetr, actor)
    window.open_review(review.id)
    workspace = window.workspace
    workspace.show_key("agenda")
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert workspace.current_key() == "headline"  # sections are closed without consent
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert workspace.current_key() == "agenda"


def test_opening_a_review_without_consent_shows_the_set_up_page(window, store, actor, setup_icetr):
    review = reviews.create_review(store, setup_icetr, actor)
    window.open_review(review.id)
    assert window.workspace.current_key() == "setup"
    assert window.workspace.current_page().objectName() == "setupPage"
