"""Ctrl+F in the review window: finds notes, findings, concerns, actions (with owners) and people,
goes to what was chosen, and Escape closes the panel and gives the keyboard back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models.enums import EntryKind
from app.services import actions, people, sections
from app.services.dto import ActionInput
from app.services.search import HitKind
from tests.ui.conftest import settle

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)

CTRL = Qt.KeyboardModifier.ControlModifier


def test_find_reaches_everything_and_escape_closes_it(qtbot, chair_window, actor):
    window = chair_window()
    ctx, store, review_id = window.ctx, window.ctx.store, window.ctx.review_id
    section_id = ctx.template.sections[1].id
    concern = sections.add_entry(store, review_id, section_id, EntryKind.CONCERN, "Quokka-shaped bruise unexplained",
                                 actor)
    action = actions.add_action(store, review_id, ActionInput(what="Explain the quokka bruise",
                                                              owner_name="Zebedee Quill"), actor)
    person = people.add_attendee(store, review_id, actor, name="Zebedee Quill", role="advocate")
    question = ctx.template.headline_questions[0]
    sections.set_headline(store, review_id, question.id, actor, reasons="Partly: the quokka bruise is unexplained")
    window.workspace.show_section(section_id)
    settle()
    capture = window.workspace.current_page().capture_bar.field
    capture.setFocus()
    qtbot.waitUntil(capture.hasFocus)

    qtbot.keyClick(capture, Qt.Key.Key_F, CTRL)
    panel = window.workspace.find_panel
    assert panel.isVisible() and panel.field.hasFocus()
    qtbot.keyClicks(panel.field, "quokka")
    assert [(h.kind, h.target_id) for h in panel.hits()] == [
        (HitKind.ENTRY, concern.id), (HitKind.HEADLINE, question.id), (HitKind.ACTION, action.id)]
    assert panel.results.item(1).text().startswith(f"Headline questions · {question.text}")
    panel.results.setCurrentRow(1)
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    settle()
    headline_page = window.workspace.current_page()
    assert QApplication.focusWidget() is headline_page.box(question.id).reasons
    panel.field.clear()
    qtbot.keyClicks(panel.field, "zebedee")  # the action's owner and the person in the register
    assert [(h.kind, h.target_id) for h in panel.hits()] == [(HitKind.PERSON, person.id), (HitKind.ACTION, action.id)]

    # Choosing a hit goes to it, selected where it lives.
    panel.results.setCurrentRow(1)
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    settle()
    actions_page = window.workspace.current_page()
    assert actions_page.objectName() == "actionsPage" and actions_page.selected_action().id == action.id
    panel.field.clear()
    qtbot.keyClicks(panel.field, "quokka-shaped")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    settle()
    entries = window.workspace.current_page().entries_panel
    assert entries.current_kind() is EntryKind.CONCERN and entries.selected_entry().id == concern.id
    panel.field.clear()
    qtbot.keyClicks(panel.field, "zebedee advocate")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    settle()
    assert window.workspace.current_page().selected_attendee().id == person.id

    # Escape closes it and the keyboard goes back to where it was before Ctrl+F.
    window.workspace.show_section(section_id)
    settle()
    capture.setFocus()
    qtbot.keyClick(capture, Qt.Key.Key_F, CTRL)
    assert panel.field.hasFocus()
    qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    assert not panel.isVisible()
    assert QApplication.focusWidget() is capture
    # From the results list too.
    qtbot.keyClick(capture, Qt.Key.Key_F, CTRL)
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.results.hasFocus()
    qtbot.keyClick(panel.results, Qt.Key.Key_Escape)
    assert not panel.isVisible() and QApplication.focusWidget() is capture
