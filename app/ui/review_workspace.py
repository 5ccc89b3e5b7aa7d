"""One open review: navigator on the left, the current part in the centre, guidance on the right."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.kloe.roles import PANEL_ROLE_IDS, role_label
from app.services import actions, after_day, people, planning, sections, signoff
from app.services.dto import Actor
from app.ui.context import ReviewContext
from app.ui.find_panel import FindPanel
from app.ui.message_bar import MessageBar
from app.ui.navigator import (
    NavigatorDelegate,
    ACTIONS,
    AFTER_DAY,
    AGENDA,
    AUDIT,
    HEADLINE,
    PEOPLE,
    PLANNING,
    SECTION_PREFIX,
    SETUP,
    SIGNOFF,
    NavigatorModel,
    build_items,
    signoff_badge,
)

# The header's size at the usual text size; larger text makes it no larger than the text.
HEADER_POINTS = 15.0


class ReviewWorkspace(QWidget):
    """Holds the pages of one review and moves between them. Pages are built when first shown."""

    title_changed = Signal(str)

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.ui.guidance_panel import GuidancePanel
        from app.ui.section_timer import SectionTimer

        self.setObjectName("reviewWorkspace")
        self.ctx = ctx
        self.timer = SectionTimer(ctx, self)
        self._pages: dict[str, QWidget] = {}

        self.header = QLabel(self)
        self.header.setObjectName("reviewHeader")
        self.header.setStyleSheet("#reviewHeader { color: #005EB8; }")
        self._fit_header_font()
        self.header.setAccessibleName(self.tr("Review"))
        self.header.setWordWrap(True)  # large text: wrap rather than widen the window
        self.header.setMinimumWidth(1)
        # Who is writing: a button that opens a chooser, so focus, arrow keys or the wheel never
        # change the author by accident.
        self.writing_as = QPushButton(self)
        self.writing_as.setObjectName("writingAs")
        self.writing_as.setAutoDefault(False)
        self.writing_as.setToolTip(self.tr("Notes and changes are attributed to this person; press to change"))
        self.writing_as.clicked.connect(self.choose_writer)
        ctx.writer_changed.connect(lambda _actor: self._refresh_writing_as())
        header_row = QHBoxLayout()
        header_row.addWidget(self.header, 1)
        label = QLabel(self.tr("Writing as"), self)
        label.setBuddy(self.writing_as)
        header_row.addWidget(label)
        header_row.addWidget(self.writing_as)

        self.navigator_model = NavigatorModel(self)
        self.navigator = QListView(self)
        self.navigator.setObjectName("navigator")
        self.navigator.setAccessibleName(self.tr("Parts of the review day"))
        self.navigator.setModel(self.navigator_model)
        self.navigator.setSpacing(2)
        # Long entries ("3. Daily life ⚑ Safeguarding" at large text) wrap rather than being cut off.
        self.navigator.setItemDelegate(NavigatorDelegate(self.navigator))
        self.navigator.setWordWrap(True)
        self.navigator.setUniformItemSizes(False)
        self.navigator.setResizeMode(QListView.ResizeMode.Adjust)
        self.navigator.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        from app.ui.layout_fit import scrolling, size_by_current_page, text_width

        self._fit_navigator_width()
        self.navigator.selectionModel().currentChanged.connect(self._navigator_moved)

        self.message_bar = MessageBar(self)
        from app.ui.lock_banner import LockBanner

        # A signed review says so above every page, with the way to change it.
        self.lock_banner = LockBanner(ctx, self)
        self.lock_banner.open_signoff.connect(lambda: self.show_key(SIGNOFF))
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pages")
        self.find_panel = FindPanel(ctx, self)
        self.find_panel.hit_chosen.connect(self.show_hit)
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.lock_banner)
        centre_layout.addWidget(self.message_bar)
        centre_layout.addWidget(self.find_panel)
        size_by_current_page(self.stack)
        centre_layout.addWidget(scrolling(self.stack, centre), 1)  # scrolls only if large text cannot fit
        # A page's `footer_bar` (e.g. "Mark review complete") sits here, below the scrolling, always in view.
        self._footers = centre_layout

        self.guidance = GuidancePanel(ctx, self.timer, self)
        self.guidance.setMinimumWidth(text_width(self, 34, 260))

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.navigator)
        splitter.addWidget(centre)
        splitter.addWidget(self.guidance)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 760, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 0)
        layout.addLayout(header_row)
        layout.addWidget(splitter, 1)

        ctx.message.connect(self.message_bar.show_message)
        ctx.changed.connect(self._on_changed)
        ctx.navigate.connect(self.show_section)
        self._refresh_writing_as()
        self.refresh_navigator()
        self._refresh_header()
        self.show_key(SETUP if not ctx.review.consent_recorded else self._first_section_key())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_navigator_width()  # a new text size (Edit → Preferences) applies at once
            self._fit_header_font()

    def _fit_header_font(self) -> None:
        """Larger than the text at the usual size, but no larger than the text when that is large:
        at 200% the header stays on one line and leaves the room to the notes."""
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        font.setPointSizeF(max(font.pointSizeF(), HEADER_POINTS))
        self.header.setFont(font)

    def _fit_navigator_width(self) -> None:
        from app.ui.layout_fit import text_width

        self.navigator.setMinimumWidth(text_width(self, 28, 240))

    # Navigation -----------------------------------------------------------------------

    def _first_section_key(self) -> str:
        return SECTION_PREFIX + self.ctx.template.sections[0].id

    def current_key(self) -> str:
        index = self.navigator.currentIndex()
        return self.navigator_model.item(index.row()).key if index.isValid() else SETUP

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def show_key(self, key: str) -> bool:
        row = self.navigator_model.row_of(key)
        if row < 0:
            return False
        if not self.navigator_model.item(row).enabled:
            self.ctx.message.emit(self.tr("Record the consent basis under People and consent to open the sections."))
            return False
        index = self.navigator_model.index(row)
        if self.navigator.currentIndex() == index:
            if key in self._pages and self.stack.currentWidget() is self._pages[key]:
                return True
            # Already current (e.g. set while refreshing with signals blocked): show its page anyway.
            self._navigator_moved(index, index)
            return True
        self.navigator.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return True

    def show_section(self, section_id: str) -> bool:
        return self.show_key(SECTION_PREFIX + section_id)

    def show_section_number(self, position: int) -> bool:
        """Ctrl+1..9: the nth KLOE section (1-based)."""
        sections_list = self.ctx.template.sections
        if not 1 <= position <= len(sections_list):
            return False
        return self.show_section(sections_list[position - 1].id)

    def step(self, delta: int) -> None:
        keys = self.navigator_model.keys()
        row = keys.index(self.current_key()) if self.current_key() in keys else 0
        while 0 <= row + delta < len(keys):
            row += delta
            if self.navigator_model.item(row).enabled:
                self.show_key(keys[row])
                return

    def _navigator_moved(self, current, _previous) -> None:
        if not current.isValid():
            return
        item = self.navigator_model.item(current.row())
        if not item.enabled:
            return
        self.ctx.flush()
        page = self._page(item.key)
        self.stack.setCurrentWidget(page)
        for other in self._pages.values():
            footer = getattr(other, "footer_bar", None)
            if footer is not None:
                footer.setVisible(other is page)
        self.lock_banner.set_on_signoff_page(item.key == SIGNOFF)
        self.timer.set_section(item.section_id)
        self.guidance.show_section(item.section_id)
        if item.section_id and hasattr(page, "focus_capture"):
            page.focus_capture()
        elif not self.navigator.hasFocus():
            # Opened from the menu or a shortcut: the keyboard goes to the page, not left behind.
            from app.ui.focus import focus_page

            focus_page(page)

    def _page(self, key: str) -> QWidget:
        page = self._pages.get(key)
        if page is None:
            page = self._build_page(key)
            self._pages[key] = page
            self.stack.addWidget(page)
            footer = getattr(page, "footer_bar", None)
            if footer is not None:
                self._footers.addWidget(footer)
                footer.setVisible(self.stack.currentWidget() is page)
        return page

    def _build_page(self, key: str) -> QWidget:
        ctx = self.ctx
        if key == SETUP:
            from app.ui.setup_page import SetupPage

            return SetupPage(ctx, self)
        if key == PEOPLE:
            from app.ui.people_page import PeoplePage

            return PeoplePage(ctx, self)
        if key == PLANNING:
            from app.ui.planning_page import PlanningPage

            return PlanningPage(ctx, self)
        if key == AFTER_DAY:
            from app.ui.after_day_page import AfterDayPage

            return AfterDayPage(ctx, self)
        if key == AGENDA:
            from app.ui.agenda_page import AgendaPage

            page = AgendaPage(ctx, self.timer, self)
            page.open_section.connect(self.show_section)
            return page
        if key == HEADLINE:
            from app.ui.headline_page import HeadlinePage

            return HeadlinePage(ctx, self)
        if key == ACTIONS:
            from app.ui.actions_page import ActionsPage

            return ActionsPage(ctx, self)
        if key == AUDIT:
            from app.ui.audit_page import AuditPage

            return AuditPage(ctx, self)
        if key == SIGNOFF:
            from app.ui.signoff_page import SignoffPage

            page = SignoffPage(ctx, self)
            # Who may confirm or sign depends on who is writing.
            ctx.writer_changed.connect(page.refresh)
            return page
        from app.ui.section_page import SectionPage

        page = SectionPage(ctx, key.removeprefix(SECTION_PREFIX), self)
        page.set_header_visible(False)  # the guidance panel already shows title, summary and lead
        return page

    def page(self, key: str) -> QWidget:
        """The page for a key, built if needed (tests and the main window use this)."""
        return self._page(key)

    # Actions from the menu -------------------------------------------------------------

    def open_find(self) -> None:
        self.find_panel.open()

    def mark_complete(self) -> bool:
        """Ctrl+Shift+C: to the recommendations page, and complete the review there (it says what is missing)."""
        if not self.show_key(ACTIONS):
            return False
        return self._page(ACTIONS).mark_complete()

    def show_hit(self, hit) -> bool:
        """Go to what find found (a SearchHit from app/services/search.py), selected where it lives."""
        from app.services.search import HitKind

        if hit.kind is HitKind.NOTE:
            return self.show_note(hit.section_id, hit.target_id)
        if hit.kind is HitKind.ENTRY:
            if not self.show_section(hit.section_id):
                return False
            return self._page(SECTION_PREFIX + hit.section_id).entries_panel.select_entry(hit.target_id)
        if hit.kind is HitKind.ACTION:
            return self.show_key(ACTIONS) and self._page(ACTIONS).select_action(hit.target_id)
        if hit.kind is HitKind.PERSON:
            if not self.show_key(PEOPLE):
                return False
            self._page(PEOPLE).select_attendee(hit.target_id)
            return True
        if not self.show_key(HEADLINE):
            return False
        box = self._page(HEADLINE).boxes.get(hit.target_id)
        if box is None:
            return False
        box.reasons.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def show_note(self, section_id: str, note_id: int) -> bool:
        if self.show_section(section_id):
            return self._page(SECTION_PREFIX + section_id).show_note(note_id)
        return False

    def toggle_note_easy_read(self) -> None:
        """Ctrl+Shift+E: mark (or unmark) the selected note for the person's easy-read report."""
        toggle = getattr(self.current_page(), "toggle_easy_read", None)
        if toggle is None or not toggle():
            self.ctx.message.emit(self.tr("Select a note in a section first, then mark it for the easy read."))

    def add_action_from_note(self) -> None:
        """Ctrl+Shift+A: a new action pre-filled with the current section and the note as rationale."""
        page = self.current_page()
        section_id = ""
        rationale = ""
        current_note = getattr(page, "current_note", None)
        if current_note is not None:
            note = current_note()
            section_id = getattr(page, "section_id", "")
            if note is not None:
                speaker = note.speaker_name or role_label(note.speaker_role)
                rationale = f"{speaker}: {note.text}" if speaker else note.text
        self.show_key(ACTIONS)
        self._page(ACTIONS).start_new(section_id=section_id, rationale=rationale)

    def flush(self) -> bool:
        self.timer.flush()
        return self.ctx.flush()

    # Refreshing ------------------------------------------------------------------------

    def _on_changed(self, kind: str) -> None:
        if kind in ("setup",):
            self._refresh_header()
        self.refresh_navigator()

    def refresh_navigator(self) -> None:
        ctx = self.ctx
        review = ctx.review
        states = sections.list_section_states(ctx.store, ctx.review_id)
        action_list = actions.list_actions(ctx.store, ctx.review_id)
        headlines = sections.list_headlines(ctx.store, ctx.review_id)
        attendees = people.list_attendees(ctx.store, ctx.review_id)
        revisions = signoff.list_revisions(ctx.store, ctx.review_id)
        key = self.current_key()
        self.navigator_model.set_items(
            build_items(
                ctx.template,
                states,
                consent_recorded=review.consent_recorded,
                attendee_count=len(attendees),
                action_count=len(action_list),
                actions_missing=len(actions.missing_owner_or_deadline(action_list)),
                plain_words_missing=sum(1 for a in action_list if not a.easy_read.strip()),
                headline_answered=sum(1 for h in headlines if h.answer.value != "unanswered"),
                signoff=signoff_badge(revisions[-1] if revisions else None, attendees),
                audit=True,
                planning=self._planning_badge(),
                after_day=self._after_day_badge(),
            )
        )
        row = self.navigator_model.row_of(key)
        if row >= 0 and self.navigator.currentIndex().row() != row:
            self.navigator.selectionModel().blockSignals(True)
            self.navigator.setCurrentIndex(self.navigator_model.index(row))
            self.navigator.selectionModel().blockSignals(False)

    def _planning_badge(self) -> tuple[str, str]:
        data = planning.get_planning(self.ctx.store, self.ctx.review_id, self.ctx.registry)
        badge = self.tr(planning.document_summary(data))
        if data.warnings:
            return badge + self.tr(" · no family or advocate"), "!"
        return badge, ""

    def _after_day_badge(self) -> tuple[str, str]:
        ctx = self.ctx
        timeline = after_day.report_timeline(ctx.store, ctx.review_id, today=ctx.today,
                                             working_days=ctx.report_due_working_days)
        if timeline.sent_on is not None:
            return self.tr("Report sent {date}").format(date=f"{timeline.sent_on:%d %b}"), "●"
        if timeline.overdue:
            return self.tr("Report overdue"), "!"
        return self.tr("Report due {date}").format(date=f"{timeline.due:%d %b}"), "○"

    def _refresh_header(self) -> None:
        review = self.ctx.review
        setup = review.setup
        place = ", ".join(p for p in (setup.hospital, setup.ward) if p)
        parts = [setup.person_label, self.ctx.template.short_title, f"{setup.review_date:%d %b %Y}"]
        if place:
            parts.append(place)
        self.header.setText("  ·  ".join(parts))
        self.title_changed.emit(f"{setup.person_label} · {self.ctx.template.short_title}")

    def _refresh_writing_as(self) -> None:
        actor = self.ctx.actor
        if actor.name:
            text = self.tr("{name} — {role}").format(name=actor.name, role=role_label(actor.role))
        else:
            text = self.tr("Nobody chosen")
        # The name alone (a trailing "…" read as cut-off text); the tooltip and accessible name say
        # that pressing it changes who is writing.
        self.writing_as.setText(text)
        self.writing_as.setAccessibleName(self.tr("Writing as {who}; press to change").format(who=text))

    def writer_choices(self) -> list[Actor]:
        """The panel members in the register, in its order."""
        return [Actor(a.name, a.role) for a in people.list_attendees(self.ctx.store, self.ctx.review_id)
                if a.role in PANEL_ROLE_IDS]

    def choose_writer(self) -> bool:
        """Ask who is writing; the choice changes only when the chooser is confirmed."""
        self.ctx.flush()  # what was typed so far stays in the name of who typed it
        from app.ui.writer_dialog import WriterDialog

        current = self.ctx.actor if self.ctx.actor.name else None
        chosen = WriterDialog.ask(self, self.writer_choices(), current)
        if chosen is None or not chosen.name:
            return False
        self.ctx.set_actor(chosen)
        # Said in the status bar, for a moment: the Writing as button shows it from now on, and the
        # message bar above the page stays for what needs acting on.
        from PySide6.QtWidgets import QMainWindow

        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(self.tr("Writing as {name}.").format(name=chosen.name), 8000)
        return True

    def ensure_writer(self) -> bool:
        """When nobody is chosen as writing, ask. False if still nobody (changes are then refused)."""
        if self.ctx.actor.name:
            return True
        if self.choose_writer():
            return True
        self.ctx.message.emit(self.tr("Nobody is chosen as writing, so changes are refused. Press Writing as to choose."))
        return False
