"""The chair's timer: how long the panel has spent on each section, against the plan.

Time is measured with the store's clock (ctx.now()), never with a wall-clock timer, so tests
can move a fake clock and a late or missed tick loses nothing. The QTimer only asks the views
to redraw once a second.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from enum import Enum

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.models.enums import SectionStatus
from app.services import sections
from app.services.dto import SectionStateData
from app.ui.context import ReviewContext

TICK_MS = 1000
# Elapsed time is written to the database at most this often while the timer runs
# (and always on section change, pause and flush), so a crash loses half a minute at most.
COMMIT_EVERY_SECONDS = 30
# The bar turns amber once this share of the planned time has gone.
NEAR_LIMIT_SHARE = 0.8


class TimeState(Enum):
    UNDER = "under"
    NEAR = "near"
    OVER = "over"


def time_state(elapsed_seconds: int, planned_seconds: int) -> TimeState:
    """Where a section (or the day) stands against its plan."""
    if elapsed_seconds > planned_seconds:
        return TimeState.OVER
    if planned_seconds and elapsed_seconds >= planned_seconds * NEAR_LIMIT_SHARE:
        return TimeState.NEAR
    return TimeState.UNDER


def format_duration(seconds: int) -> str:
    """12:30 for twelve and a half minutes; 1:02:30 once past an hour."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def describe_against_plan(elapsed_seconds: int, planned_seconds: int) -> str:
    """Words, not colour alone: "5 min over", "3 min left", "1 h 10 min left"."""
    tr = _translate
    difference = planned_seconds - elapsed_seconds
    if difference == 0:
        return tr("Planned time used")
    if difference < 0:
        # Whole minutes over, as the clock shows them; any time over counts as at least one.
        return tr("{amount} over").format(amount=format_minutes(max(1, -difference // 60)))
    # Round up what is left: 10 s left is "1 min left", never "0 min left".
    return tr("{amount} left").format(amount=format_minutes(-(-difference // 60)))


def format_minutes(minutes: int) -> str:
    """95 -> "1 h 35 min"; 40 -> "40 min"."""
    minutes = max(0, int(minutes))
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _translate("{h} h {m} min").format(h=hours, m=rest)
    if hours:
        return _translate("{h} h").format(h=hours)
    return _translate("{m} min").format(m=rest)


def _translate(text: str) -> str:
    return QCoreApplication.translate("SectionTimer", text)


class SectionTimer(QObject):
    """Tracks the current section and whether the chair's timer runs; commits time to the store."""

    tick = Signal()
    running_changed = Signal(bool)
    section_changed = Signal(object)  # str | None

    def __init__(self, ctx: ReviewContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._section_id: str | None = None
        self._running = False
        # Start of the time not yet written to the store (only while running in a section).
        self._since: datetime | None = None
        self._last_commit: datetime | None = None
        self._states: dict[str, SectionStateData] = {}
        self._order: list[str] = []
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._on_tick)
        ctx.changed.connect(self._on_changed)
        self.reload()

    # State ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    @property
    def section_id(self) -> str | None:
        return self._section_id

    @property
    def timing(self) -> bool:
        """True when time is being counted: running, with a section open."""
        return self._running and self._section_id is not None

    def reload(self) -> None:
        """Re-read planned and committed times (after edits elsewhere)."""
        states = sections.list_section_states(self.ctx.store, self.ctx.review_id)
        self._states = {state.section_id: state for state in states}
        self._order = [state.section_id for state in states]

    def section_ids(self) -> list[str]:
        return list(self._order)

    def state_of(self, section_id: str) -> SectionStateData | None:
        return self._states.get(section_id)

    # Control ----------------------------------------------------------------------------

    def set_section(self, section_id: str | None) -> None:
        """The section now being discussed (None outside the sections: time is not counted)."""
        if section_id == self._section_id:
            return
        if section_id is not None and section_id not in self._states:
            self.reload()
            if section_id not in self._states:
                section_id = None
        self._commit()
        self._section_id = section_id
        self._restart_span()
        self.section_changed.emit(section_id)
        self.tick.emit()

    def start(self) -> None:
        if self._running:
            return
        if self.ctx.review.locked:
            # A signed review's day is over: its time no longer counts.
            self.ctx.message.emit(_translate("The review is signed, so the timer no longer runs."))
            return
        self._running = True
        self._restart_span()
        self._ticker.start()
        self.running_changed.emit(True)
        self.tick.emit()

    def pause(self) -> None:
        if not self._running:
            return
        self._commit()
        self._running = False
        self._since = None
        self._ticker.stop()
        self.running_changed.emit(False)
        self.tick.emit()

    def toggle(self) -> None:
        self.pause() if self._running else self.start()

    def flush(self) -> None:
        """Write the time counted so far (closing the review, locking, quitting)."""
        self._commit()

    def commit_if_due(self) -> bool:
        """Write the running time if the last write was COMMIT_EVERY_SECONDS ago or more."""
        if not self.timing or self._last_commit is None:
            return False
        if (self.ctx.now() - self._last_commit).total_seconds() < COMMIT_EVERY_SECONDS:
            return False
        self._commit()
        return True

    # Reading ----------------------------------------------------------------------------

    def _uncommitted(self) -> int:
        if not self.timing or self._since is None:
            return 0
        return max(0, int((self.ctx.now() - self._since).total_seconds()))

    def elapsed_seconds(self, section_id: str) -> int:
        state = self._states.get(section_id)
        committed = state.elapsed_seconds if state else 0
        return committed + (self._uncommitted() if section_id == self._section_id else 0)

    def day_elapsed_seconds(self) -> int:
        return sum(state.elapsed_seconds for state in self._states.values()) + self._uncommitted()

    def planned_seconds(self, section_id: str) -> int:
        state = self._states.get(section_id)
        return state.planned_minutes * 60 if state else 0

    def day_planned_seconds(self) -> int:
        return sum(state.planned_minutes for state in self._states.values()) * 60

    def time_state(self, section_id: str) -> TimeState:
        return time_state(self.elapsed_seconds(section_id), self.planned_seconds(section_id))

    def day_time_state(self) -> TimeState:
        return time_state(self.day_elapsed_seconds(), self.day_planned_seconds())

    # Internals --------------------------------------------------------------------------

    def _restart_span(self) -> None:
        if self.timing:
            now = self.ctx.now()
            self._since = now
            self._last_commit = now
        else:
            self._since = None
            self._last_commit = None

    def _commit(self) -> None:
        if not self.timing or self._since is None:
            return
        now = self.ctx.now()
        seconds = int((now - self._since).total_seconds())
        if seconds < 0:
            # The clock went backwards (changed by hand): count nothing, start again from now.
            self._since = self._last_commit = now
            return
        # Keep the fraction of a second for the next span, so nothing is lost to rounding.
        self._since += timedelta(seconds=seconds)
        self._last_commit = now
        if seconds == 0:
            return
        section_id = self._section_id
        state = self._states.get(section_id)
        first_time = state is not None and state.status is SectionStatus.NOT_STARTED
        total = self.ctx.call(
            sections.add_elapsed,
            self.ctx.store,
            self.ctx.review_id,
            section_id,
            seconds,
            # The navigator's progress mark changes when a section first gets time.
            changed="sections" if first_time else None,
        )
        if total is None:
            return
        if state is not None and not first_time:
            self._states[section_id] = _with_elapsed(state, total)

    def _on_changed(self, kind: str) -> None:
        if kind == "sections":
            self.reload()
            self.tick.emit()
        elif kind == "signoff" and self.ctx.review.locked and self._running:
            self.stop()

    def stop(self) -> None:
        """Stop counting for good (the review was signed): what was counted is kept if it can be."""
        if self.timing and not self.ctx.review.locked:
            self._commit()
        self._running = False
        self._since = None
        self._ticker.stop()
        self.running_changed.emit(False)
        self.tick.emit()

    def _on_tick(self) -> None:
        self.commit_if_due()
        self.tick.emit()


def _with_elapsed(state: SectionStateData, total: int) -> SectionStateData:
    return replace(state, elapsed_seconds=total)
