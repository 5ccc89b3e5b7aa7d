"""Planning before the day and After the day, through the real window and real widgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models.enums import CirculationStage, CorrectionDecision, DeliveryMethod, DocumentStatus, YesNo
from app.services import after_day, people, planning, reviews
from app.services.dto import ReviewSetup
from app.ui.context import ReviewContext
from app.ui.navigator import AFTER_DAY, PLANNING
from tests.conftest import REVIEW_DATE
from tests.ui.conftest import settle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def fields(window):
    return planning.get_planning(window.store, window.demo_review_id).fields


def statuses(window):
    return {d.id: d.status for d in planning.get_planning(window.store, window.demo_review_id).documents}


def test_ctrl_shift_l_opens_the_demo_planning_record(qtbot, chair_window):
    window = chair_window()
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL_SHIFT)
    settle()
    workspace = window.workspace
    assert workspace.current_key() == PLANNING
    page = workspace.current_page()
    assert page.objectName() == "planningPage" and page.isVisible()
    stored = fields(window)
    assert page.notice_given_on.value() == stored.notice_given_on == REVIEW_DATE - timedelta(days=21)
    assert page.notice_given_to.text() == stored.notice_given_to
    assert page.family_consulted.currentData() == YesNo.YES and page.family_consulted_on.isEnabled()
    assert page.pre_meeting_on.value() == REVIEW_DATE - timedelta(days=5)
    # The IC(E)TR's own checklist, with the one document still awaited.
    assert "segregation_records" in page.documents and "ehcp" not in page.documents
    assert page.documents["incident_log"].currentData() == DocumentStatus.REQUESTED
    assert page.warning.isHidden()  # the demo's mother and advocate are on the register
    assert page.documents_summary.text() == f"{len(page.documents) - 1} of {len(page.documents)} documents received"
    row = workspace.navigator_model.row_of(PLANNING)
    assert "documents received" in workspace.navigator_model.item(row).badge


def test_a_document_status_change_is_saved_and_undone_and_redone(qtbot, chair_window):
    window = chair_window()
    window.workspace.show_key(PLANNING)
    page = window.workspace.current_page()
    combo = page.documents["incident_log"]
    combo.setCurrentIndex(combo.findData(DocumentStatus.RECEIVED))
    assert statuses(window)["incident_log"] is DocumentStatus.RECEIVED
    assert page.documents_summary.text().startswith(f"{len(page.documents)} of")
    window.undo_action.trigger()
    assert statuses(window)["incident_log"] is DocumentStatus.REQUESTED
    assert combo.currentData() == DocumentStatus.REQUESTED
    window.redo_action.trigger()
    assert statuses(window)["incident_log"] is DocumentStatus.RECEIVED and combo.currentData() == DocumentStatus.RECEIVED


def test_typed_notice_autosaves_as_one_undo_step(qtbot, chair_window):
    window = chair_window()
    window.workspace.show_key(PLANNING)
    page = window.workspace.current_page()
    before = page.notice_given_to.text()
    page.notice_given_to.clear()
    qtbot.keyClicks(page.notice_given_to, "The person and the ward")
    qtbot.waitUntil(lambda: fields(window).notice_given_to == "The person and the ward")
    window.undo_action.trigger()
    assert fields(window).notice_given_to == before
    assert page.notice_given_to.text() == before


def test_a_pre_meeting_after_the_review_day_is_refused_in_one_sentence_and_kept_on_screen(qtbot, chair_window):
    window = chair_window()
    window.workspace.show_key(PLANNING)
    page = window.workspace.current_page()
    page.pre_meeting_on.set_value(REVIEW_DATE + timedelta(days=2))
    window.ctx.flush()
    assert window.workspace.message_bar.isVisible()
    assert "cannot be after the review day" in window.workspace.message_bar.label.text()
    assert fields(window).pre_meeting_on == REVIEW_DATE - timedelta(days=5)
    assert page.pre_meeting_on.value() == REVIEW_DATE + timedelta(days=2)


def test_family_not_consulted_clears_the_date_and_warns_without_family_or_advocate(qtbot, store, actor):
    review = reviews.create_review(store, ReviewSetup(template_id="cyp_inpatient", person_label="R.M.",
                                                      review_date=REVIEW_DATE), actor)
    from app.ui.planning_page import PlanningPage

    ctx = ReviewContext(store, review.id, actor=actor)
    page = PlanningPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    assert page.warning.isVisible() and "No family member or advocate" in page.warning.text()
    assert "ehcp" in page.documents and "segregation_records" not in page.documents  # a CETR's papers
    page.family_consulted.setCurrentIndex(page.family_consulted.findData(YesNo.YES))
    page.family_consulted_on.set_value(REVIEW_DATE - timedelta(days=10))
    ctx.flush()
    assert planning.get_planning(store, review.id).fields.family_consulted_on == REVIEW_DATE - timedelta(days=10)
    page.family_consulted.setCurrentIndex(page.family_consulted.findData(YesNo.NO))
    ctx.flush()
    saved = planning.get_planning(store, review.id).fields
    assert (saved.family_consulted, saved.family_consulted_on) == (YesNo.NO, None)
    assert not page.family_consulted_on.isEnabled()
    ctx.call(people.add_attendee, store, review.id, actor, name="Jo Bloggs", role="family_carer", changed="people")
    assert page.warning.isHidden()


def test_after_the_day_records_the_draft_corrections_and_distribution_with_undo(qtbot, chair_window, clock):
    window = chair_window()
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL_SHIFT)
    settle()
    assert window.workspace.current_key() == AFTER_DAY
    page = window.workspace.current_page()
    assert page.objectName() == "afterDayPage" and page.isVisible()
    due = after_day.report_due_on(REVIEW_DATE)
    assert f"{due:%a %d %b %Y}" in page.due.text() and "10 working days" in page.due.text()
    review_id = window.demo_review_id
    clock.current = clock.current + timedelta(days=4)
    today = REVIEW_DATE + timedelta(days=4)

    draft = page.draft
    qtbot.keyClicks(draft.recipient, "Dr Helen Marsh")
    qtbot.keyClicks(draft.organisation, "Elmfield Hospital")
    draft.sent_on.set_value(today)
    qtbot.mouseClick(draft.add_button, Qt.MouseButton.LeftButton)
    [copy] = after_day.list_copies(window.store, review_id, CirculationStage.DRAFT)
    assert (copy.recipient, copy.organisation, copy.method, copy.sent_on) == (
        "Dr Helen Marsh", "Elmfield Hospital", DeliveryMethod.SECURE_EMAIL, today)
    assert draft.table.rowCount() == 1 and draft.recipient.text() == ""
    window.undo_action.trigger()
    assert after_day.list_copies(window.store, review_id) == [] and draft.table.rowCount() == 0
    window.redo_action.trigger()
    assert after_day.list_copies(window.store, review_id) == [copy]

    corrections = page.corrections
    qtbot.keyClicks(corrections.requested_by, "Elmfield Hospital")
    qtbot.keyClicks(corrections.what, "Restraint was 10 episodes in September, not 11.")
    corrections.decision.setCurrentIndex(corrections.decision.findData(CorrectionDecision.DECLINED))
    qtbot.mouseClick(corrections.add_button, Qt.MouseButton.LeftButton)
    assert "reason the correction was declined" in window.workspace.message_bar.label.text()
    assert after_day.list_corrections(window.store, review_id) == []
    assert corrections.what.text()  # nothing typed is lost
    qtbot.keyClicks(corrections.reason, "The incident log shows 11.")
    qtbot.mouseClick(corrections.add_button, Qt.MouseButton.LeftButton)
    [correction] = after_day.list_corrections(window.store, review_id)
    assert (correction.decision, correction.reason) == (CorrectionDecision.DECLINED, "The incident log shows 11.")
    corrections.table.setCurrentCell(0, 0)
    corrections.decision.setCurrentIndex(corrections.decision.findData(CorrectionDecision.ACCEPTED))
    qtbot.mouseClick(corrections.save_button, Qt.MouseButton.LeftButton)
    assert after_day.list_corrections(window.store, review_id)[0].decision is CorrectionDecision.ACCEPTED
    assert corrections.table.item(0, 3).text() == "Accepted"
    window.undo_action.trigger()
    assert after_day.list_corrections(window.store, review_id)[0].decision is CorrectionDecision.DECLINED

    final = page.final
    qtbot.keyClicks(final.recipient, "Linda K.")
    final.method.setCurrentIndex(final.method.findData(DeliveryMethod.POST))
    final.sent_on.set_value(today)
    qtbot.keyClick(final.recipient, Qt.Key.Key_Return)
    [sent] = after_day.list_copies(window.store, review_id, CirculationStage.FINAL)
    assert (sent.recipient, sent.method) == ("Linda K.", DeliveryMethod.POST)
    assert f"First sent on {today:%d %b %Y}" in page.due.text()
    row = window.workspace.navigator_model.row_of(AFTER_DAY)
    assert window.workspace.navigator_model.item(row).badge == f"Report sent {today:%d %b}"


def test_the_review_list_says_report_overdue_with_the_setting(qtbot, store, actor, app_look):
    from app.settings import Settings
    from app.ui.main_window import MainWindow
    from app.ui.review_picker import Column

    review = reviews.create_review(store, ReviewSetup(template_id="adult_inpatient", person_label="Q.R.",
                                                      review_date=REVIEW_DATE), actor)
    due = after_day.report_due_on(REVIEW_DATE)

    def flags_on(today, days=10):
        window = MainWindow(store, today=today, settings=Settings(report_due_working_days=days))
        app_look.windows.append(window)
        window.show_review_list()
        picker = window.picker
        row = picker.model.row_of(review.id)
        return picker.model.index(row, Column.FLAGS).data()

    assert "Report overdue" not in flags_on(due)
    assert "Report overdue" in flags_on(due + timedelta(days=1))
    assert "Report overdue" not in flags_on(due + timedelta(days=1), days=15)
    QApplication.processEvents()


def test_no_two_commands_share_a_shortcut(qtbot, store, app_look):
    from collections import Counter

    from PySide6.QtGui import QKeySequence

    from app.ui.main_window import MainWindow

    window = MainWindow(store, today=REVIEW_DATE)
    app_look.windows.append(window)
    keys = Counter(sequence.toString(QKeySequence.SequenceFormat.PortableText)
                   for action in window.actions() for sequence in action.shortcuts())
    assert keys["Ctrl+Shift+L"] == 1 and keys["Ctrl+Shift+D"] == 1
    assert [key for key, count in keys.items() if count > 1] == []


def test_delete_removes_the_chosen_copy_and_undo_brings_it_back(qtbot, chair_window, clock):
    window = chair_window()
    window.workspace.show_key(AFTER_DAY)
    page = window.workspace.current_page()
    clock.current = clock.current + timedelta(days=3)
    final = page.final
    qtbot.keyClicks(final.recipient, "Ravi Patel")
    final.sent_on.set_value(REVIEW_DATE + timedelta(days=3))
    qtbot.mouseClick(final.add_button, Qt.MouseButton.LeftButton)
    [sent] = after_day.list_copies(window.store, window.demo_review_id)
    final.table.setFocus()
    final.table.setCurrentCell(0, 0)
    qtbot.keyClick(final.table, Qt.Key.Key_Delete)
    assert after_day.list_copies(window.store, window.demo_review_id) == []
    assert final.table.rowCount() == 0
    window.undo_action.trigger()
    assert after_day.list_copies(window.store, window.demo_review_id) == [sent]
    assert final.table.item(0, 0).text() == "Ravi Patel"


def test_enter_adds_a_correction_and_then_saves_changes_to_the_chosen_one(qtbot, chair_window, clock):
    window = chair_window()
    window.workspace.show_key(AFTER_DAY)
    corrections = window.workspace.current_page().corrections
    review_id = window.demo_review_id
    qtbot.keyClicks(corrections.requested_by, "Northvale ICB")
    qtbot.keyClicks(corrections.what, "The funding panel is on 10 December.")
    qtbot.keyClick(corrections.what, Qt.Key.Key_Return)
    [added] = after_day.list_corrections(window.store, review_id)
    assert (added.requested_by, added.decision) == ("Northvale ICB", CorrectionDecision.PENDING)
    assert corrections.what.text() == "" and corrections.selected() is None  # ready for the next one
    corrections.table.setCurrentCell(0, 0)
    assert corrections.what.text() == "The funding panel is on 10 December."
    corrections.decision.setCurrentIndex(corrections.decision.findData(CorrectionDecision.ACCEPTED))
    qtbot.keyClick(corrections.reason, Qt.Key.Key_Return)
    [saved] = after_day.list_corrections(window.store, review_id)
    assert saved.id == added.id and saved.decision is CorrectionDecision.ACCEPTED
