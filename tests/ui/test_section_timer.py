from __future__ import annotations

import pytest

from app.models.enums import SectionStatus
from app.services import sections
from app.ui.context import ReviewContext
from app.ui.section_timer import (
    COMMIT_EVERY_SECONDS,
    SectionTimer,
    TimeState,
    describe_against_plan,
    format_duration,
    time_state,
)


@pytest.fixture
def ctx(qtbot, store, review, actor):
    return ReviewContext(store, review.id, actor=actor)


@pytest.fixture
def timer(ctx):
    return SectionTimer(ctx)


@pytest.fixture
def ids(ctx):
    return [section.id for section in ctx.template.sections]


def stored(ctx, section_id):
    return sections.get_section_state(ctx.store, ctx.review_id, section_id)


def test_running_time_counts_from_the_clock_and_commits_on_section_change(ctx, timer, clock, ids, qtbot):
    first, second = ids[0], ids[1]
    timer.set_section(first)
    with qtbot.waitSignal(timer.running_changed) as started:
        timer.start()
    assert started.args == [True] and timer.running
    clock.advance(seconds=90)
    assert timer.elapsed_seconds(first) == 90
    assert stored(ctx, first).elapsed_seconds == 0  # not written on every tick

    timer.set_section(second)
    assert stored(ctx, first).elapsed_seconds == 90
    assert stored(ctx, first).status is SectionStatus.IN_PROGRESS
    assert timer.elapsed_seconds(first) == 90
    clock.advance(seconds=60)
    assert timer.elapsed_seconds(second) == 60
    assert timer.elapsed_seconds(first) == 90


def test_pause_commits_and_stops_counting_then_resumes(ctx, timer, clock, ids, qtbot):
    section = ids[0]
    timer.set_section(section)
    timer.start()
    clock.advance(seconds=30)
    with qtbot.waitSignal(timer.running_changed) as paused:
        timer.toggle()
    assert paused.args == [False] and not timer.running
    assert stored(ctx, section).elapsed_seconds == 30
    clock.advance(minutes=10)  # a break: not counted
    assert timer.elapsed_seconds(section) == 30
    timer.toggle()
    clock.advance(seconds=15)
    assert timer.elapsed_seconds(section) == 45
    timer.flush()
    assert stored(ctx, section).elapsed_seconds == 45
    assert timer.running  # flush does not stop the timer


def test_running_time_is_written_every_30_seconds_not_on_every_tick(ctx, timer, clock, ids):
    section = ids[0]
    timer.set_section(section)
    timer.start()
    clock.advance(seconds=COMMIT_EVERY_SECONDS - 5)
    timer._ticker.timeout.emit()  # a display tick
    assert stored(ctx, section).elapsed_seconds == 0
    clock.advance(seconds=10)
    timer._ticker.timeout.emit()
    assert stored(ctx, section).elapsed_seconds == COMMIT_EVERY_SECONDS + 5
    assert timer.elapsed_seconds(section) == COMMIT_EVERY_SECONDS + 5
    assert timer.commit_if_due() is False
    timer.pause()


def test_a_missed_tick_loses_nothing_and_fractions_carry_over(ctx, timer, clock, ids):
    section = ids[0]
    timer.set_section(section)
    timer.start()
    clock.advance(seconds=0.6)
    timer.flush()
    clock.advance(seconds=0.6)
    timer.flush()
    clock.advance(minutes=5)  # no ticks at all for five minutes
    timer.pause()
    assert stored(ctx, section).elapsed_seconds == 301


def test_no_section_open_counts_nothing(ctx, timer, clock, ids):
    timer.start()
    clock.advance(minutes=3)
    assert timer.day_elapsed_seconds() == 0
    timer.set_section(ids[0])
    clock.advance(seconds=20)
    timer.set_section(None)
    clock.advance(minutes=3)
    assert timer.running and not timer.timing
    assert timer.day_elapsed_seconds() == 20
    assert stored(ctx, ids[0]).elapsed_seconds == 20


def test_day_totals_add_every_section(ctx, timer, clock, ids):
    timer.set_section(ids[0])
    timer.start()
    clock.advance(seconds=90)
    timer.set_section(ids[1])
    clock.advance(seconds=60)
    assert timer.day_elapsed_seconds() == 150
    states = sections.list_section_states(ctx.store, ctx.review_id)
    assert timer.day_planned_seconds() == sum(s.planned_minutes for s in states) * 60
    assert timer.planned_seconds(ids[0]) == states[0].planned_minutes * 60
    # A fresh timer (the review reopened) reads the committed time back.
    timer.flush()
    again = SectionTimer(ctx)
    assert again.day_elapsed_seconds() == 150 and not again.running


def test_over_time_state_follows_planned_minutes_edits(ctx, timer, clock, ids):
    section = ids[0]
    ctx.call(sections.set_planned_minutes, ctx.store, ctx.review_id, section, 1, ctx.actor, changed="sections")
    assert timer.planned_seconds(section) == 60
    timer.set_section(section)
    timer.start()
    clock.advance(seconds=30)
    assert timer.time_state(section) is TimeState.UNDER
    clock.advance(seconds=20)
    assert timer.time_state(section) is TimeState.NEAR
    clock.advance(seconds=11)
    assert timer.time_state(section) is TimeState.OVER
    assert describe_against_plan(timer.elapsed_seconds(section), 60) == "1 min over"


def test_clock_going_backwards_never_subtracts(ctx, timer, clock, ids):
    timer.set_section(ids[0])
    timer.start()
    clock.advance(seconds=40)
    timer.flush()
    clock.advance(seconds=-100)
    assert timer.elapsed_seconds(ids[0]) == 40
    timer.pause()
    assert stored(ctx, ids[0]).elapsed_seconds == 40


def test_unknown_section_is_treated_as_none(timer, clock):
    timer.set_section("no-such-section")
    assert timer.section_id is None


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00"), (750, "12:30"), (3600 + 150, "1:02:30")]
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


def test_time_state_and_words():
    assert time_state(0, 0) is TimeState.UNDER
    assert time_state(1, 0) is TimeState.OVER
    assert time_state(960, 1200) is TimeState.NEAR
    assert describe_against_plan(25 * 60, 20 * 60) == "5 min over"
    assert describe_against_plan(10, 0) == "1 min over"
    assert describe_against_plan(0, 20 * 60) == "20 min left"
    assert describe_against_plan(1200, 1200) == "Planned time used"
    assert describe_against_plan(0, 256 * 60) == "4 h 16 min left"
    assert describe_against_plan(3 * 3600, 60 * 60) == "2 h over"
