"""The right-hand panel: the current section's prompts, its suggested lead, and the chair's timer."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QLabel,
    QListView,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.kloe.roles import role_label
from app.models.enums import SectionStatus
from app.services import sections
from app.ui.context import ReviewContext
from app.ui.layout_fit import FitRowLayout, scrolling, text_width
from app.ui.section_timer import SectionTimer, TimeState, describe_against_plan, format_duration
from app.ui.theme import SECONDARY_TEXT

NHS_BLUE = "#005EB8"
TOGGLE_SHORTCUT = "Ctrl+T"
# The panel is at least this many average characters wide (as the workspace first sets it).
MIN_CHARACTERS = 34

PromptIdRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class PromptRow:
    id: str
    text: str
    covered: bool


class PromptListModel(QAbstractListModel):
    """The section's prompts as checkable rows. Ticking one emits covered_toggled; the panel saves it."""

    covered_toggled = Signal(str, bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[PromptRow] = []

    def set_rows(self, rows: list[PromptRow]) -> None:
        if [r.id for r in rows] == [r.id for r in self._rows]:
            changed = [i for i, (old, new) in enumerate(zip(self._rows, rows, strict=True)) if old != new]
            self._rows = rows
            for row in changed:
                index = self.index(row)
                self.dataChanged.emit(index, index)
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[PromptRow]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if row.covered else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and row.covered:
            return QColor(SECONDARY_TEXT)  # covered prompts step back; the tick says so too
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = self.tr("covered") if row.covered else self.tr("not covered yet")
            return f"{row.text}, {state}"
        if role == PromptIdRole:
            return row.id
        return None

    def setData(self, index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt override
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        covered = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        self.covered_toggled.emit(self._rows[index.row()].id, covered)
        return True


class PromptListView(QListView):
    """The prompts. They take the height left over (stretch) but ask for no more than their
    minimum, so the panel around them scrolls only when even that does not fit."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())


class GuidancePanel(QWidget):
    """Shows what to cover in the current section and how the time is going."""

    # The section now shown ("" for the whole day): the plain-words window follows it.
    section_changed = Signal(str)

    def __init__(self, ctx: ReviewContext, timer: SectionTimer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidancePanel")
        self.ctx = ctx
        self.timer = timer
        self._section_id: str | None = None
        self._plain_words = False  # show the prompts in plain words (a setting)
        self._bar_state: tuple[TimeState, TimeState] | None = None

        self.title = QLabel(self)
        self.title.setObjectName("guidanceTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet(f"#guidanceTitle {{ font-size: 13pt; font-weight: 600; color: {NHS_BLUE}; }}")
        self.summary = QLabel(self)
        self.summary.setObjectName("guidanceSummary")
        self.summary.setWordWrap(True)
        self.lead = QLabel(self)
        self.lead.setObjectName("guidanceLead")
        self.lead.setWordWrap(True)
        self.lead.setAccessibleName(self.tr("Suggested lead"))

        self.prompts_heading = QLabel(self.tr("Prompts"), self)
        self.prompts_heading.setObjectName("promptsHeading")
        self.prompts_heading.setStyleSheet("#promptsHeading { font-weight: 600; }")
        self.prompts_heading.setToolTip(self.tr("Tick each prompt once the panel has covered it"))
        self.prompt_model = PromptListModel(self)
        self.prompt_model.covered_toggled.connect(self._set_covered)
        self.prompts = PromptListView(self)
        self.prompts.setObjectName("guidancePrompts")
        self.prompts.setModel(self.prompt_model)
        self.prompts.setWordWrap(True)
        self.prompts.setUniformItemSizes(False)
        self.prompts.setResizeMode(QListView.ResizeMode.Adjust)
        self.prompts.setSpacing(2)
        self.prompts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.prompts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.prompts.setFrameShape(QFrame.Shape.NoFrame)
        self.prompts.setAccessibleName(self.tr("Prompts for this section"))
        self.prompts.setAccessibleDescription(self.tr("Press Space to tick a prompt as covered"))
        self.prompts.setToolTip(self.tr("Tick a prompt once the panel has covered it (Space)"))
        self.prompts_heading.setBuddy(self.prompts)
        self.prompts_progress = QLabel(self)
        self.prompts_progress.setObjectName("promptsProgress")
        self.prompts_progress.setStyleSheet("#promptsProgress { color: #4c6272; }")
        self.prompts_progress.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.day_overview = QLabel(self)
        self.day_overview.setObjectName("dayOverview")
        self.day_overview.setWordWrap(True)

        self._build_timer_block()

        # What to cover scrolls when large text leaves it too little height; the chair's timer
        # below it always keeps the height its words and numbers need.
        guidance = QWidget(self)
        guidance.setObjectName("guidanceContent")
        content = QVBoxLayout(guidance)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(6)
        content.addWidget(self.title)
        content.addWidget(self.summary)
        content.addWidget(self.lead)
        content.addSpacing(4)
        prompts_row = FitRowLayout(spacing=8)
        prompts_row.addWidget(self.prompts_heading)
        prompts_row.add_main(self.prompts_progress)
        content.addLayout(prompts_row)
        content.addWidget(self.prompts, 1)
        content.addWidget(self.day_overview)
        content.addStretch(0)
        self.guidance_area = scrolling(guidance, self)
        self.guidance_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.guidance_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the prompts take the keyboard

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.guidance_area, 1)
        layout.addWidget(self.timer_box)
        self._fit_width()

        ctx.changed.connect(self._on_changed)
        timer.tick.connect(self._update_timer)
        timer.running_changed.connect(self._update_running)
        self._update_running(timer.running)
        self.show_section(None)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_width()

    def _fit_width(self) -> None:
        # In characters, so a new text size (Edit → Preferences) widens the panel at once.
        self.setMinimumWidth(text_width(self, MIN_CHARACTERS, 260))

    def _build_timer_block(self) -> None:
        box = QFrame(self)
        box.setObjectName("timerBox")  # its colours and those of the bars are the theme's
        self.timer_box = box
        heading = QLabel(self.tr("Chair's timer"), box)
        heading.setObjectName("timerHeading")
        heading.setStyleSheet("#timerHeading { font-weight: 600; }")
        heading.setWordWrap(True)

        self.section_caption = QLabel(self.tr("This section"), box)
        self.section_time = QLabel(box)
        self.section_time.setObjectName("sectionTime")
        self.section_time.setAccessibleName(self.tr("Time in this section"))
        self.section_time.setStyleSheet("#sectionTime { font-size: 12pt; font-weight: 600; }")
        self.section_time.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.section_bar = self._bar("sectionTimeBar", self.tr("Time in this section against the plan"))
        self.section_note = QLabel(box)
        self.section_note.setObjectName("sectionTimeNote")
        self.section_note.setAccessibleName(self.tr("Time left in this section"))
        self.section_note.setWordWrap(True)

        self.day_caption = QLabel(self.tr("Whole day"), box)
        self.day_time = QLabel(box)
        self.day_time.setObjectName("dayTime")
        self.day_time.setAccessibleName(self.tr("Time for the whole day"))
        self.day_time.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.day_bar = self._bar("dayTimeBar", self.tr("Time for the whole day against the plan"))
        self.day_note = QLabel(box)
        self.day_note.setObjectName("dayTimeNote")
        self.day_note.setAccessibleName(self.tr("Time left in the day"))
        self.day_note.setWordWrap(True)

        self.toggle_button = QPushButton(box)
        self.toggle_button.setObjectName("timerToggle")
        self.toggle_button.setAccessibleName(self.tr("Start or pause the timer"))
        self.toggle_button.setToolTip(self.tr("Start or pause the chair's timer ({key})").format(key=TOGGLE_SHORTCUT))
        self.toggle_button.clicked.connect(self.timer.toggle)

        # The main window puts this in its menu; not added to any widget here, so its shortcut
        # is live only once the window owns it (no ambiguous Ctrl+T).
        self.toggle_action = QAction(self.tr("Start the timer"), self)
        self.toggle_action.setObjectName("toggleTimerAction")
        self.toggle_action.setShortcut(QKeySequence(TOGGLE_SHORTCUT))
        self.toggle_action.setToolTip(self.tr("Start or pause the chair's timer"))
        self.toggle_action.triggered.connect(self.timer.toggle)

        grid = QGridLayout(box)
        grid.setContentsMargins(10, 8, 10, 10)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.addWidget(heading, 0, 0, 1, 2)
        grid.addLayout(self._caption_and_time(self.section_caption, self.section_time), 1, 0, 1, 2)
        grid.addWidget(self.section_bar, 2, 0, 1, 2)
        grid.addWidget(self.section_note, 3, 0, 1, 2)
        day_row = self._caption_and_time(self.day_caption, self.day_time)
        day_row.setContentsMargins(0, 6, 0, 0)  # a little space between the section and the day
        grid.addLayout(day_row, 4, 0, 1, 2)
        grid.addWidget(self.day_bar, 5, 0, 1, 2)
        grid.addWidget(self.day_note, 6, 0, 1, 2)
        grid.addWidget(self.toggle_button, 7, 0, 1, 2)
        grid.setRowMinimumHeight(4, 28)
        grid.setColumnStretch(0, 1)

    @staticmethod
    def _caption_and_time(caption: QLabel, time: QLabel) -> FitRowLayout:
        # The time beside its caption while both fit; under it with large text or a narrow panel,
        # so the chair always sees every digit (the panel's width is set by the workspace).
        row = FitRowLayout(spacing=8)
        row.addWidget(caption)
        row.add_main(time)
        return row

    def _bar(self, name: str, accessible: str) -> QProgressBar:
        bar = QProgressBar(self)
        bar.setObjectName(name)
        bar.setAccessibleName(accessible)
        bar.setTextVisible(False)
        bar.setFixedHeight(8)
        return bar

    # Public -----------------------------------------------------------------------------

    @property
    def section_id(self) -> str | None:
        return self._section_id

    def show_section(self, section_id: str | None) -> None:
        if section_id is not None:
            try:
                self.ctx.template.section(section_id)
            except KeyError:
                section_id = None
        self._section_id = section_id
        self.refresh()
        self.section_changed.emit(section_id or "")

    @property
    def plain_words(self) -> bool:
        return self._plain_words

    def set_plain_words(self, on: bool) -> None:
        """Show the prompts in plain words (app/kloe/plain_words.toml) instead of the template's."""
        if on != self._plain_words:
            self._plain_words = on
            self.refresh()

    def refresh(self) -> None:
        if self._section_id is None:
            self._show_day()
        else:
            self._show_section()
        self._update_timer()

    # Showing ----------------------------------------------------------------------------

    def _show_day(self) -> None:
        self.title.setText(self.tr("The review day"))
        self.summary.setText(self.tr("Choose a section on the left to see its prompts and time it."))
        self.lead.hide()
        for widget in (self.prompts_heading, self.prompts, self.prompts_progress):
            widget.hide()
        self.prompt_model.set_rows([])
        states = sections.list_section_states(self.ctx.store, self.ctx.review_id)
        done = sum(1 for s in states if s.status is SectionStatus.DONE)
        started = sum(1 for s in states if s.status is SectionStatus.IN_PROGRESS)
        self.day_overview.setText(
            self.tr("{done} of {total} sections done, {started} in progress.").format(
                done=done, total=len(states), started=started
            )
            + "\n"
            + self.tr("The timer counts time only while a section is open.")
        )
        self.day_overview.show()
        self.section_caption.hide()
        self.section_time.hide()
        self.section_bar.hide()
        self.section_note.hide()

    def _show_section(self) -> None:
        section = self.ctx.template.section(self._section_id)
        state = sections.get_section_state(self.ctx.store, self.ctx.review_id, section.id)
        self.title.setText(f"{section.number}. {section.title}")
        self.summary.setText(section.summary)
        self.summary.setVisible(bool(section.summary))
        lead = state.lead_role or section.lead_role
        self.lead.setText(self.tr("Suggested lead: {role}").format(role=role_label(lead)) if lead else "")
        self.lead.setVisible(bool(lead))
        self.day_overview.hide()
        words = None
        if self._plain_words:
            from app.kloe import TemplateError
            from app.kloe.plain_words import default_plain_words

            try:
                words = default_plain_words()
            except TemplateError as exc:  # the template's own wording, and one sentence why
                self.ctx.message.emit(str(exc))
        if words is not None:
            rows = [PromptRow(p.id, words.prompt(p.id, p.text), p.id in state.prompts_covered) for p in section.prompts]
        else:
            rows = [PromptRow(p.id, p.text, p.id in state.prompts_covered) for p in section.prompts]
        self.prompt_model.set_rows(rows)
        has_prompts = bool(rows)
        self.prompts_heading.setVisible(has_prompts)
        self.prompts.setVisible(has_prompts)
        covered = sum(1 for r in rows if r.covered)
        self.prompts_progress.setText(
            self.tr("{covered} of {total} covered").format(covered=covered, total=len(rows))
            if has_prompts
            else self.tr("No prompts for this section.")
        )
        self.prompts_progress.show()
        for widget in (self.section_caption, self.section_time, self.section_bar, self.section_note):
            widget.show()

    def _update_timer(self) -> None:
        timer = self.timer
        section_state = TimeState.UNDER
        if self._section_id is not None:
            elapsed = timer.elapsed_seconds(self._section_id)
            planned = timer.planned_seconds(self._section_id)
            self.section_time.setText(
                self.tr("{elapsed} of {planned}").format(
                    elapsed=format_duration(elapsed), planned=format_duration(planned)
                )
            )
            self._fill(self.section_bar, elapsed, planned)
            self.section_note.setText(describe_against_plan(elapsed, planned))
            section_state = timer.time_state(self._section_id)
        day_elapsed = timer.day_elapsed_seconds()
        day_planned = timer.day_planned_seconds()
        self.day_time.setText(
            self.tr("{elapsed} of {planned}").format(
                elapsed=format_duration(day_elapsed), planned=format_duration(day_planned)
            )
        )
        self._fill(self.day_bar, day_elapsed, day_planned)
        self.day_note.setText(describe_against_plan(day_elapsed, day_planned))
        states = (section_state, timer.day_time_state())
        if states != self._bar_state:
            self._bar_state = states
            self._colour(self.section_bar, self.section_note, states[0])
            self._colour(self.day_bar, self.day_note, states[1])

    @staticmethod
    def _fill(bar: QProgressBar, elapsed: int, planned: int) -> None:
        maximum = max(planned, 1)
        if bar.maximum() != maximum:
            bar.setRange(0, maximum)
        bar.setValue(min(elapsed, maximum))

    @staticmethod
    def _colour(bar: QProgressBar, note: QLabel, state: TimeState) -> None:
        # The theme's style sheets colour each state (NHS Blue, Orange, Red; darker in high
        # contrast); the words ("5 min over") say it too, so colour is never the only sign.
        for widget in (bar, note):
            widget.setProperty("timeState", state.value)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def _update_running(self, running: bool) -> None:
        if running:
            self.toggle_button.setText(self.tr("Pause timer"))
            self.toggle_action.setText(self.tr("Pause the timer"))
        else:
            self.toggle_button.setText(self.tr("Start timer"))
            self.toggle_action.setText(self.tr("Start the timer"))
        self.toggle_button.setProperty("running", running)

    # Slots ------------------------------------------------------------------------------

    def _set_covered(self, prompt_id: str, covered: bool) -> None:
        if self._section_id is None:
            return
        self.ctx.call(
            sections.set_prompt_covered,
            self.ctx.store,
            self.ctx.review_id,
            self._section_id,
            prompt_id,
            covered,
            changed="sections",
        )

    def _on_changed(self, kind: str) -> None:
        if kind in ("sections", "setup"):
            self.refresh()
