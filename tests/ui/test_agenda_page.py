from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QComboBox, QSpinBox

from app.models.enums import SectionStatus
from app.services import sections
from app.ui.agenda_page import AgendaPage, AgendaRow, AgendaTableModel
from app.ui.context import ReviewContext
from app.ui.section_timer import SectionTimer


# Showing a window on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(qtbot, store, review, actor):
    return ReviewContext(store, review.id, actor=actor)


@pytest.fixture
def timer(ctx):
    return SectionTimer(ctx)


@pytest.fixture
def page(qtbot, ctx, timer):
    widget = AgendaPage(ctx, timer)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    return widget


def state(ctx, section_id):
    return sections.get_section_state(ctx.store, ctx.review_id, section_id)


def cell(page, row, column):
    return page.model.index(row, column)


def test_lists_every_section_with_its_plan(ctx, page):
    model = page.model
    assert model.rowCount() == len(ctx.template.sections)
    first = ctx.template.sections[0]
    assert cell(page, 0, AgendaTableModel.TITLE).data() == first.title
    assert cell(page, 0, AgendaTableModel.PLANNED).data() == f"{first.minutes} min"
    assert cell(page, 0, AgendaTableModel.STATUS).data() == "Not started"
    assert cell(page, 0, AgendaTableModel.ELAPSED).data() == "0:00"
    assert cell(page, 0, AgendaTableModel.NOTES).data() == "0"


def test_planned_minutes_edited_in_place_are_saved(qtbot, ctx, page):
    page.show()
    qtbot.waitExposed(page)
    section_id = page.model.row(1).section_id
    index = cell(page, 1, AgendaTableModel.PLANNED)
    page.table.setCurrentIndex(index)
    page.table.edit(index)
    editor = page.table.findChild(QSpinBox, "plannedMinutesEditor")
    assert editor is not None
    editor.setValue(45)
    with qtbot.waitSignal(ctx.changed):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert state(ctx, section_id).planned_minutes == 45
    assert cell(page, 1, AgendaTableModel.PLANNED).data() == "45 min"
    total = sum(s.planned_minutes for s in sections.list_section_states(ctx.store, ctx.review_id))
    assert page.finish.text().startswith("Planned finish " + QTime(9, 30).addSecs(total * 60).toString("HH:mm"))


def test_out_of_range_planned_minutes_are_refused_with_a_message(qtbot, ctx, page):
    section_id = page.model.row(0).section_id
    before = state(ctx, section_id).planned_minutes
    with qtbot.waitSignal(ctx.message) as message:
        page.model.setData(cell(page, 0, AgendaTableModel.PLANNED), 700)
    assert message.args == [f"Planned time must be between 0 and {sections.MAX_PLANNED_MINUTES} minutes."]
    assert state(ctx, section_id).planned_minutes == before
    assert cell(page, 0, AgendaTableModel.PLANNED).data() == f"{before} min"
    with qtbot.waitSignal(ctx.message) as message:
        page.model.setData(cell(page, 0, AgendaTableModel.PLANNED), "twenty")
    assert message.args == ["Enter the planned time as a whole number of minutes."]
    assert state(ctx, section_id).planned_minutes == before


def test_spin_box_editor_cannot_go_beyond_the_limit(qtbot, page):
    index = cell(page, 0, AgendaTableModel.PLANNED)
    page.table.edit(index)
    editor = page.table.findChild(QSpinBox, "plannedMinutesEditor")
    assert editor.maximum() == sections.MAX_PLANNED_MINUTES and editor.minimum() == 0


def test_status_is_edited_with_a_combo(qtbot, ctx, page):
    section_id = page.model.row(2).section_id
    index = cell(page, 2, AgendaTableModel.STATUS)
    page.table.edit(index)
    editor = page.table.findChild(QComboBox, "sectionStatusEditor")
    editor.setCurrentIndex(editor.findData(SectionStatus.DONE.value))
    page.table.commitData(editor)
    assert state(ctx, section_id).status is SectionStatus.DONE
    assert cell(page, 2, AgendaTableModel.STATUS).data() == "Done"


def test_bad_status_is_refused(qtbot, ctx, page):
    with qtbot.waitSignal(ctx.message):
        page.model.setData(cell(page, 0, AgendaTableModel.STATUS), "finished-ish")
    assert state(ctx, page.model.row(0).section_id).status is SectionStatus.NOT_STARTED


def test_enter_and_double_click_open_the_section(qtbot, page):
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    page.select_section(page.model.row(3).section_id)
    with qtbot.waitSignal(page.open_section) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [page.model.row(3).section_id]
    title = cell(page, 4, AgendaTableModel.TITLE)
    centre = page.table.visualRect(title).center()
    with qtbot.waitSignal(page.open_section) as opened:
        # A real double-click: press and release, then the double-click event.
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened.args == [page.model.row(4).section_id]
    # Double-click on Planned edits the minutes instead of opening the section.
    planned = page.table.visualRect(cell(page, 5, AgendaTableModel.PLANNED)).center()
    with qtbot.assertNotEmitted(page.open_section):
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=planned)
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=planned)
    assert page.table.findChild(QSpinBox, "plannedMinutesEditor") is not None


def test_elapsed_time_updates_live_and_footer_totals(qtbot, ctx, page, timer, clock):
    section_id = page.model.row(0).section_id
    timer.set_section(section_id)
    timer.start()
    clock.advance(seconds=90)
    timer.tick.emit()
    assert cell(page, 0, AgendaTableModel.ELAPSED).data() == "1:30"
    assert "Elapsed 1:30" in page.totals.text()
    assert "If the rest keeps to plan" in page.finish.text()
    timer.pause()
    # Over time: the cell says so in words, not only in red.
    ctx.call(sections.set_planned_minutes, ctx.store, ctx.review_id, section_id, 0, ctx.actor, changed="sections")
    assert cell(page, 0, AgendaTableModel.ELAPSED).data() == "1:30 · 1 min over"
    assert cell(page, 0, AgendaTableModel.STATUS).data() == "In progress"


def test_day_start_moves_the_planned_finish(page, ctx):
    total = sum(s.planned_minutes for s in sections.list_section_states(ctx.store, ctx.review_id))
    page.day_start.setTime(QTime(10, 0))
    assert page.finish.text() == "Planned finish " + QTime(10, 0).addSecs(total * 60).toString("HH:mm")


def test_agenda_model(qtmodeltester):
    model = AgendaTableModel()
    model.set_rows(
        [
            AgendaRow("opening", 0, "Opening", "chair", 20, 90, SectionStatus.IN_PROGRESS, 3),
            AgendaRow("safety", 1, "Safety", "clinical_expert", 40, 0, SectionStatus.NOT_STARTED, 0),
        ]
    )
    qtmodeltester.check(model)
    model.set_elapsed({"safety": 30})
    assert model.index(1, AgendaTableModel.ELAPSED).data() == "0:30"
    qtmodeltester.check(model)
