"""A whole review day by keyboard alone: every key goes to the widget that has the focus.

No mouse events, no clicks on widgets, no calls that move the focus for the user: if the
keyboard cannot reach something, this test fails.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.models.enums import ConsentBasis, EntryKind, HeadlineAnswer
from app.services import actions, notes, people, reviews, sections
from app.settings import Settings
from app.ui.main_window import MainWindow
from tests.conftest import REVIEW_DATE

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot, store):
    main = MainWindow(store, today=REVIEW_DATE, settings=Settings())
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)
    return main


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def key(qtbot, k, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), k, modifiers)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def tab_to(qtbot, object_name: str, *, limit: int = 40, backwards: bool = False) -> QWidget:
    """Press Tab (or Shift+Tab) until the focus is on `object_name`, as a keyboard user would."""
    for _ in range(limit):
        if focused().objectName() == object_name:
            return focused()
        key(qtbot, Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {object_name!r} (stuck on {focused().objectName()!r})")


def test_a_review_day_by_keyboard_alone(qtbot, window, store):
    window.show_review_list()

    # New review: Ctrl+N, type the pseudonym (the dialog opens on it), Tab to the hospital, Enter.
    problems: list[str] = []

    def fill_dialog():
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isActiveWindow():
            QTimer.singleShot(0, fill_dialog)  # not up yet: the event loop is still showing it
            return
        try:
            assert focused().objectName() == "newReviewPerson"
            type_text(qtbot, "K.L.")
            tab_to(qtbot, "newReviewHospital")
            type_text(qtbot, "Riverside Hospital")
            key(qtbot, Qt.Key.Key_Tab)
            assert focused().objectName() == "newReviewWard"
            type_text(qtbot, "Willow Ward")
            key(qtbot, Qt.Key.Key_Return)
        except AssertionError as exc:
            problems.append(str(exc))
        if dialog.isVisible():
            problems.append("Enter did not close the dialog")
            dialog.reject()  # never leave a modal dialog blocking the test

    QTimer.singleShot(0, fill_dialog)
    key(qtbot, Qt.Key.Key_N, CTRL)
    assert problems == []
    assert window.workspace is not None, "Enter in the new-review dialog did not start the review"
    review_id = window.ctx.review_id
    review = reviews.get_review(store, review_id)
    assert (review.setup.person_label, review.setup.hospital, review.setup.ward) == (
        "K.L.", "Riverside Hospital", "Willow Ward")
    template = window.ctx.template
    # A window manager gives the main window back when its dialog closes; the offscreen platform
    # does not, so do what it would. Where the keyboard lands inside is the app's doing.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.isAncestorOf(focused()), "the keyboard is not in the review after it opened"

    # People and consent: Ctrl+Shift+P puts the keyboard on the page.
    key(qtbot, Qt.Key.Key_P, CTRL | SHIFT)
    assert window.workspace.current_key() == "people"
    tab_to(qtbot, "attendeeName")
    type_text(qtbot, "Morgan Ellis")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused().objectName() == "attendeeRole"
    type_text(qtbot, "Independent")  # type-ahead in the role list
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "NHS England")
    key(qtbot, Qt.Key.Key_Return)
    assert focused().objectName() == "attendeeName"  # ready for the next person
    attendees = people.list_attendees(store, review_id)
    assert [(a.name, a.role, a.organisation) for a in attendees] == [
        ("Morgan Ellis", "independent_chair", "NHS England")]

    # Consent: Shift+Tab back to the consent choices, Space to choose "Consent" (which records
    # nothing yet), then who records it (typing picks from the register), then the Record button.
    tab_to(qtbot, "consent_consent", backwards=True)
    key(qtbot, Qt.Key.Key_Space)
    assert reviews.get_review(store, review_id).consent_basis is ConsentBasis.NOT_RECORDED
    tab_to(qtbot, "consentBy")
    type_text(qtbot, "Morgan")
    tab_to(qtbot, "consentRecordButton")
    key(qtbot, Qt.Key.Key_Space)
    review = reviews.get_review(store, review_id)
    assert review.consent_basis is ConsentBasis.CONSENT
    assert review.consent_recorded_by == "Morgan Ellis (Independent chair)"

    # A section from the Go menu: the keyboard lands in the note field; Enter saves each note.
    key(qtbot, Qt.Key.Key_2, CTRL)
    section = template.sections[1]
    assert window.workspace.current_page().section_id == section.id
    assert focused().objectName() == "captureField"
    type_text(qtbot, "The person says the ward is too loud at night.")
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # next speaker
    type_text(qtbot, "Restraint is down from eleven to four episodes.")
    key(qtbot, Qt.Key.Key_Return)
    assert [n.text for n in notes.list_notes(store, review_id, section.id)] == [
        "The person says the ward is too loud at night.", "Restraint is down from eleven to four episodes."]

    # A finding: Tab from the note field to the entry form, type, Enter.
    tab_to(qtbot, "entryText")
    type_text(qtbot, "Noise at night is not managed.")
    key(qtbot, Qt.Key.Key_Return)
    entries = sections.list_entries(store, review_id, section.id)
    assert [(e.kind, e.text) for e in entries] == [(EntryKind.FINDING, "Noise at night is not managed.")]

    # A headline question: Ctrl+Shift+H, the first answer has the keyboard; Right to "No", Space.
    key(qtbot, Qt.Key.Key_H, CTRL | SHIFT)
    assert window.workspace.current_key() == "headline"
    tab_to(qtbot, "answer_yes")
    key(qtbot, Qt.Key.Key_Right)
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused().objectName() == "headlineReasons"
    type_text(qtbot, "Noise at night is not managed.")
    window.ctx.flush()
    first = sections.list_headlines(store, review_id)[0]
    assert first.answer is HeadlineAnswer.NO and first.reasons == "Noise at night is not managed."

    # An action with an owner and a deadline: Ctrl+Shift+R, What, Tab to the owner, 4 weeks, Ctrl+Enter.
    key(qtbot, Qt.Key.Key_R, CTRL | SHIFT)
    assert window.workspace.current_key() == "actions"
    tab_to(qtbot, "actionWhat")
    type_text(qtbot, "Plan quieter nights with the ward team")
    tab_to(qtbot, "actionOwner")
    type_text(qtbot, "Morgan Ellis")
    tab_to(qtbot, "actionDeadline4Weeks")
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_Return, CTRL)
    saved = actions.list_actions(store, review_id)
    assert [(a.what, a.owner_name, a.deadline) for a in saved] == [
        ("Plan quieter nights with the ward team", "Morgan Ellis", REVIEW_DATE + timedelta(weeks=4))]


def test_tab_never_gets_stuck_in_an_empty_date(qtbot):
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    from app.ui.action_deadline import DeadlineEdit
    from app.ui.widgets import OptionalDateEdit

    holder = QWidget()
    qtbot.addWidget(holder)
    before = QLineEdit(holder)  # created in tab order
    deadline = DeadlineEdit(lambda: REVIEW_DATE, holder)
    deadline.setSpecialValueText("No date")  # as the action editor shows it
    optional = OptionalDateEdit(holder, accessible_name="Admission date")
    after = QLineEdit(holder)
    layout = QVBoxLayout(holder)
    for widget in (before, deadline, optional, after):
        layout.addWidget(widget)
    holder.show()
    holder.activateWindow()
    qtbot.waitUntil(holder.isActiveWindow)
    before.setFocus()
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is deadline
    assert deadline.text() == "No date"
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is optional.edit
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is after  # the Clear button is off while there is no date to clear
    for _ in range(2):
        key(qtbot, Qt.Key.Key_Backtab)
    assert focused() is deadline  # Shift+Tab walks back out the same way
