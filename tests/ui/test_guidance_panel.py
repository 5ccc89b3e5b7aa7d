from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from app.kloe.roles import role_label
from app.services import sections
from app.ui.context import ReviewContext
from app.ui.guidance_panel import GuidancePanel, PromptListModel, PromptRow
from app.ui.section_timer import SectionTimer, format_duration


# Showing a window on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(qtbot, store, review, actor):
    return ReviewContext(store, review.id, actor=actor)


@pytest.fixture
def timer(ctx):
    return SectionTimer(ctx)


@pytest.fixture
def panel(qtbot, ctx, timer):
    widget = GuidancePanel(ctx, timer)
    qtbot.addWidget(widget)
    widget.resize(320, 700)
    return widget


@pytest.fixture
def section(ctx):
    return next(s for s in ctx.template.sections if s.prompts)


def covered(ctx, section_id):
    return sections.get_section_state(ctx.store, ctx.review_id, section_id).prompts_covered


def test_no_section_says_what_to_do_next(panel):
    assert "Choose a section on the left" in panel.summary.text()
    assert panel.prompts.isHidden()
    assert panel.section_time.isHidden()
    assert not panel.day_time.isHidden()


def test_shows_the_sections_prompts_and_suggested_lead(panel, section):
    panel.show_section(section.id)
    assert panel.title.text() == f"{section.number}. {section.title}"
    assert panel.lead.text() == f"Suggested lead: {role_label(section.lead_role)}"
    model = panel.prompt_model
    assert [model.index(r).data() for r in range(model.rowCount())] == [p.text for p in section.prompts]
    assert all(model.index(r).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked for r in range(model.rowCount()))
    assert panel.prompts_progress.text() == f"0 of {len(section.prompts)} covered"


def test_ticking_a_prompt_is_saved_and_survives_reload(qtbot, ctx, timer, panel, section):
    panel.show_section(section.id)
    first = section.prompts[0]
    index = panel.prompt_model.index(0)
    with qtbot.waitSignal(ctx.changed) as changed:
        assert panel.prompt_model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert changed.args == ["sections"]
    assert first.id in covered(ctx, section.id)
    assert panel.prompt_model.index(0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert panel.prompts_progress.text().startswith("1 of")

    reopened = GuidancePanel(ctx, timer)
    qtbot.addWidget(reopened)
    reopened.show_section(section.id)
    assert reopened.prompt_model.index(0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked

    panel.prompt_model.setData(index, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert first.id not in covered(ctx, section.id)


def test_space_ticks_the_current_prompt(qtbot, ctx, panel, section):
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_section(section.id)
    panel.activateWindow()
    panel.prompts.setFocus()
    qtbot.waitUntil(panel.prompts.hasFocus)
    panel.prompts.setCurrentIndex(panel.prompt_model.index(0))
    qtbot.keyClick(panel.prompts.viewport(), Qt.Key.Key_Space)
    assert section.prompts[0].id in covered(ctx, section.id)


def test_timer_block_shows_elapsed_against_planned(ctx, timer, panel, clock, section):
    planned = timer.planned_seconds(section.id)
    timer.set_section(section.id)
    panel.show_section(section.id)
    panel.toggle_button.click()
    assert timer.running and panel.toggle_button.text() == "Pause timer"
    clock.advance(seconds=90)
    timer.tick.emit()
    assert panel.section_time.text() == f"1:30 of {format_duration(planned)}"
    assert panel.day_time.text() == f"1:30 of {format_duration(timer.day_planned_seconds())}"
    assert panel.section_bar.value() == 90
    assert panel.section_bar.property("timeState") == "under"


def test_over_time_says_so_in_words_and_turns_the_bar_red(ctx, timer, panel, clock, section):
    ctx.call(sections.set_planned_minutes, ctx.store, ctx.review_id, section.id, 10, ctx.actor, changed="sections")
    timer.set_section(section.id)
    panel.show_section(section.id)
    timer.start()
    clock.advance(minutes=9)
    timer.tick.emit()
    assert panel.section_bar.property("timeState") == "near"
    assert panel.section_note.text() == "1 min left"
    clock.advance(minutes=6)
    timer.tick.emit()
    assert panel.section_time.text() == "15:00 of 10:00"
    assert panel.section_note.text() == "5 min over"
    assert panel.section_bar.property("timeState") == "over"


def test_toggle_action_has_ctrl_t_and_drives_the_timer(panel, timer):
    assert panel.toggle_action.shortcut() == QKeySequence("Ctrl+T")
    panel.toggle_action.trigger()
    assert timer.running and panel.toggle_action.text() == "Pause the timer"
    panel.toggle_action.trigger()
    assert not timer.running and panel.toggle_button.text() == "Start timer"


def test_unknown_section_falls_back_to_the_day(panel):
    panel.show_section("no-such-section")
    assert panel.section_id is None
    assert "Choose a section" in panel.summary.text()


def test_prompt_model(qtmodeltester):
    model = PromptListModel()
    model.set_rows([PromptRow("a", "What matters most today", False), PromptRow("b", "Consent basis", True)])
    qtmodeltester.check(model)
    assert model.index(1).data(Qt.ItemDataRole.AccessibleTextRole) == "Consent basis, covered"
