from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.models.enums import EntryKind, Evidence
from app.services import people, sections
from app.ui.context import ReviewContext
from app.ui.entries_model import EntriesModel, SafeguardingRole
from app.ui.entries_panel import EntriesPanel

# The offscreen platform cannot pass size hints on to a window; nothing to fix on our side.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(store, actor, consented_review):
    people.add_attendee(store, consented_review.id, actor, name="Morgan Ellis", role="independent_chair")
    people.add_attendee(store, consented_review.id, actor, name="Ade Brown", role="social_care")
    return ReviewContext(store, consented_review.id, actor=actor)


@pytest.fixture
def section_id(ctx):
    return ctx.template.sections[1].id


@pytest.fixture
def panel(qtbot, ctx, section_id):
    widget = EntriesPanel(ctx, section_id)
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def listed(ctx, section_id):
    return sections.list_entries(ctx.store, ctx.review_id, section_id)


def test_adding_a_finding_with_evidence(qtbot, ctx, section_id, panel):
    assert panel.tabs.tabText(0) == "Findings"
    assert not panel.evidence_detail.isEnabled()
    qtbot.keyClicks(panel.text_field, "Restraint has fallen since March")
    panel.evidence_combo.setCurrentIndex(1)  # document seen
    assert panel.evidence_detail.isEnabled()
    qtbot.keyClicks(panel.evidence_detail, "Incident log")
    qtbot.keyClick(panel.evidence_detail, Qt.Key.Key_Return)

    [entry] = listed(ctx, section_id)
    assert (entry.kind, entry.text, entry.evidence, entry.evidence_detail) == (
        EntryKind.FINDING, "Restraint has fallen since March", Evidence.DOCUMENT, "Incident log"
    )
    assert panel.tabs.tabText(0) == "Findings (1)"
    assert panel.models[EntryKind.FINDING].index(0).data() == "Restraint has fallen since March"
    assert "Document seen: Incident log" in panel.models[EntryKind.FINDING].index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert panel.text_field.text() == "" and panel.evidence_combo.currentIndex() == 0


def test_empty_text_is_refused_with_one_message(qtbot, ctx, section_id, panel):
    assert not panel.add_button.isEnabled()  # nothing to add: greyed out
    panel.text_field.setText("   ")
    assert not panel.add_button.isEnabled()
    with qtbot.waitSignal(ctx.message) as message:
        qtbot.keyClick(panel.text_field, Qt.Key.Key_Return)  # Enter says what is missing
    assert message.args == ["Write the finding, good practice or concern first."]
    panel.text_field.setText("Restraint has fallen")
    assert panel.add_button.isEnabled()
    panel.text_field.clear()
    assert listed(ctx, section_id) == [] and ctx.undo_stack.count() == 0


def test_kind_follows_the_tab_and_safeguarding_is_only_for_concerns(qtbot, panel):
    assert panel.safeguarding_check.isHidden()
    panel.tabs.setCurrentIndex(2)
    assert panel.current_kind() is EntryKind.CONCERN
    assert not panel.safeguarding_check.isHidden()
    assert panel.lead_combo.isHidden()
    panel.safeguarding_check.click()
    assert not panel.lead_combo.isHidden()
    assert [panel.lead_combo.itemText(i) for i in range(panel.lead_combo.count())] == ["Morgan Ellis", "Ade Brown"]
    panel.set_kind(EntryKind.GOOD_PRACTICE)
    assert panel.tabs.currentIndex() == 1
    assert panel.safeguarding_check.isHidden() and not panel.safeguarding_check.isChecked()


def test_safeguarding_without_a_named_person_is_refused_and_the_text_kept(qtbot, ctx, section_id, panel):
    panel.set_kind(EntryKind.CONCERN)
    qtbot.keyClicks(panel.text_field, "Bruise on arm not recorded")
    panel.safeguarding_check.click()
    panel.lead_combo.setEditText("")
    with qtbot.waitSignal(ctx.message) as message:
        qtbot.keyClick(panel.text_field, Qt.Key.Key_Return)
    assert message.args == ["A safeguarding concern needs the name of the person who will act on it."]
    assert listed(ctx, section_id) == []
    assert panel.text_field.text() == "Bruise on arm not recorded"
    assert panel.safeguarding_check.isChecked()

    panel.lead_combo.setCurrentIndex(1)
    assert panel.add_entry() is not None
    [entry] = listed(ctx, section_id)
    assert (entry.kind, entry.safeguarding, entry.safeguarding_lead) == (EntryKind.CONCERN, True, "Ade Brown")
    model = panel.models[EntryKind.CONCERN]
    assert model.index(0).data(SafeguardingRole) is True
    assert model.index(0).data(Qt.ItemDataRole.AccessibleTextRole).startswith("Safeguarding concern")
    assert "Ade Brown will act on it" in model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert panel.tabs.tabText(2) == "Concerns (1, 1 safeguarding)"
    assert not panel.safeguarding_check.isChecked()


def test_a_typed_name_is_accepted(qtbot, ctx, section_id, panel):
    panel.set_kind(EntryKind.CONCERN)
    qtbot.keyClicks(panel.text_field, "Visits stopped without a reason")
    panel.safeguarding_check.click()
    panel.lead_combo.setEditText("")
    qtbot.keyClicks(panel.lead_combo.lineEdit(), "Jo Smith, ward manager")
    qtbot.keyClick(panel.lead_combo.lineEdit(), Qt.Key.Key_Return)
    assert listed(ctx, section_id)[0].safeguarding_lead == "Jo Smith, ward manager"


def test_undo_redo_and_delete_round_trip(qtbot, ctx, section_id, panel):
    qtbot.keyClicks(panel.text_field, "Good PBS plan")
    panel.set_kind(EntryKind.GOOD_PRACTICE)
    added = panel.add_entry()
    ctx.undo_stack.undo()
    assert listed(ctx, section_id) == []
    assert panel.tabs.tabText(1) == "Good practice"
    ctx.undo_stack.redo()
    assert listed(ctx, section_id) == [added]

    view = panel.views[EntryKind.GOOD_PRACTICE]
    view.setCurrentIndex(panel.models[EntryKind.GOOD_PRACTICE].index(0))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert listed(ctx, section_id) == []
    ctx.undo_stack.undo()
    assert listed(ctx, section_id) == [added]  # same id and time
    assert panel.models[EntryKind.GOOD_PRACTICE].entries() == [added]


def test_inline_edit_goes_through_undo(qtbot, ctx, section_id, panel):
    qtbot.keyClicks(panel.text_field, "Frist draft")
    panel.add_entry()
    view = panel.views[EntryKind.FINDING]
    index = panel.models[EntryKind.FINDING].index(0)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.findChild(QLineEdit, "entryEditor")
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "First draft")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # Qt commits a line editor's data on a queued call, after the key press.
    qtbot.waitUntil(lambda: listed(ctx, section_id)[0].text == "First draft")
    ctx.undo_stack.undo()
    assert listed(ctx, section_id)[0].text == "Frist draft"
    assert panel.models[EntryKind.FINDING].index(0).data() == "Frist draft"


def test_entries_model(qtmodeltester, ctx, section_id, actor):
    sections.add_entry(ctx.store, ctx.review_id, section_id, EntryKind.CONCERN, "Low mood", actor)
    sections.add_entry(ctx.store, ctx.review_id, section_id, EntryKind.CONCERN, "Bruise", actor,
                       safeguarding=True, safeguarding_lead="Ade Brown", evidence=Evidence.OBSERVATION)
    sections.add_entry(ctx.store, ctx.review_id, section_id, EntryKind.FINDING, "Other kind", actor)
    model = EntriesModel(EntryKind.CONCERN)
    model.set_entries(listed(ctx, section_id))
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_a_named_person_from_the_ward_being_reviewed_is_warned_about(qtbot, store, actor, ctx, section_id, panel):
    # The review is of Willow Ward at Riverside Hospital (tests/conftest.py).
    people.add_attendee(store, ctx.review_id, actor, name="Chris Doyle", role="named_nurse", organisation="Willow Ward")
    people.add_attendee(store, ctx.review_id, actor, name="Pat Lee", role="other", organisation="Riverside Hospital")
    ctx.changed.emit("people")
    panel.set_kind(EntryKind.CONCERN)
    panel.safeguarding_check.click()
    panel.lead_combo.setEditText("Chris Doyle")
    assert panel.lead_warning.isVisible()
    assert panel.lead_warning.text().startswith("Chris Doyle works for the provider being reviewed (Named nurse, Willow Ward)")
    assert "local authority's safeguarding lead" in panel.lead_warning.text()
    panel.lead_combo.setEditText("Pat Lee")  # not a provider role, but works at the hospital
    assert "Pat Lee works for the provider" in panel.lead_warning.text()
    panel.lead_combo.setEditText("Ade Brown")  # the council's social worker
    assert panel.lead_warning.isHidden()
    panel.lead_combo.setEditText("Chris Doyle")
    panel.safeguarding_check.click()  # not a safeguarding concern any more: nothing to warn about
    assert panel.lead_warning.isHidden()


def test_concerns_are_written_in_a_box_of_several_lines(qtbot, ctx, section_id, panel):
    panel.set_kind(EntryKind.CONCERN)
    field = panel.text_field
    one_line = field.height()
    qtbot.keyClicks(field, "Family visits stopped in May")
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # a new line, not "add"
    qtbot.keyClicks(field, "and no one has said why")
    assert listed(ctx, section_id) == []
    assert field.height() > one_line  # it grew to show both lines
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert [e.text for e in listed(ctx, section_id)] == ["Family visits stopped in May\nand no one has said why"]
    assert field.text() == ""


def test_what_is_typed_in_the_form_is_kept_as_a_draft_and_cleared_with_the_entry(qtbot, ctx, section_id, panel):
    from app.services import drafts
    from app.ui.entries_panel import entry_draft_key

    panel.set_kind(EntryKind.CONCERN)
    qtbot.keyClicks(panel.text_field, "No record of the restraint on 3 May")
    panel.evidence_combo.setCurrentIndex(2)
    qtbot.keyClicks(panel.evidence_detail, "Seen on the ward")
    assert ctx.autosaver.has_pending()
    panel.evidence_detail.clearFocus()
    panel.text_field.setFocus()
    panel.add_button.setFocus()  # leaving a field stores the draft at once
    assert not ctx.autosaver.has_pending()
    assert "restraint on 3 May" in drafts.get_draft(ctx.store, ctx.review_id, entry_draft_key(section_id))

    again = EntriesPanel(ctx, section_id)
    qtbot.addWidget(again)
    assert again.current_kind() is EntryKind.CONCERN
    assert again.text_field.text() == "No record of the restraint on 3 May"
    assert again.evidence_detail.text() == "Seen on the ward"

    panel.add_entry()
    assert [e.text for e in listed(ctx, section_id)] == ["No record of the restraint on 3 May"]
    assert drafts.get_draft(ctx.store, ctx.review_id, entry_draft_key(section_id)) == ""
    ctx.flush()
    assert drafts.get_draft(ctx.store, ctx.review_id, entry_draft_key(section_id)) == ""
