"""A KLOE section: what it covers, the notes stream, the capture bar, and the panel's findings."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.kloe.roles import role_label
from app.models.enums import ConsentBasis
from app.services import sections
from app.services.dto import NoteData
from app.services.errors import NotFoundError
from app.ui.capture_bar import CaptureBar
from app.ui.context import ReviewContext
from app.ui.entries_panel import EntriesPanel
from app.ui.layout_fit import by_text_scale, scrolling
from app.ui.note_commands import DeleteNoteCommand, EditNoteCommand
from app.ui.notes_model import NoteDelegate, NotesModel
from app.ui.theme import NHS_BLUE
from app.ui.wrapped_list import WrappedEditableList

# Pages of the stream area.
CLOSED, EMPTY, STREAM = range(3)


class NotesView(WrappedEditableList):
    """The notes stream. Delete removes the selected note; F2 or a double-click edits it;
    Shift+F2 changes who spoke."""

    speaker_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesStream")
        self.setAccessibleName(self.tr("Notes"))
        self.setAccessibleDescription(
            self.tr("Notes of this section, oldest first. F2 edits the selected note; Shift+F2 changes who spoke; "
                    "Delete removes it.")
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if (event.key() == Qt.Key.Key_F2 and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                and self.state() != QAbstractItemView.State.EditingState):
            self.speaker_requested.emit()
            return
        super().keyPressEvent(event)


class SectionPage(QWidget):
    """One KLOE section of the open review. Built by the workspace; refreshes itself on ctx.changed."""

    def __init__(self, ctx: ReviewContext, section_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"sectionPage_{section_id}")
        self.ctx = ctx
        self.section_id = section_id
        self.section = ctx.template.section(section_id)
        self._scrolled_once = False
        self._header_visible = True

        # Header: what this part of the day is about.
        self.title_label = QLabel(self)
        self.title_label.setObjectName("sectionTitle")
        self.title_label.setStyleSheet(f"#sectionTitle {{ font-size: 15pt; font-weight: 600; color: {NHS_BLUE}; }}")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("sectionSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet("#sectionSummary { color: #4c6272; }")
        self.lead_label = QLabel(self)
        self.lead_label.setObjectName("sectionLead")
        self.lead_label.setStyleSheet("#sectionLead { color: #4c6272; }")
        self.lead_label.setToolTip(self.tr("A suggestion: the chair can change who leads each section"))

        self.declined_banner = QLabel(
            self.tr("The person declined the review: do not read their records; note only what people share."), self
        )
        self.declined_banner.setObjectName("declinedBanner")
        self.declined_banner.setWordWrap(True)
        self.declined_banner.setAccessibleName(self.tr("Consent declined"))
        self.declined_banner.setStyleSheet(
            "#declinedBanner { background: #eef7ff; border: 1px solid #a9c7e8; border-left: 4px solid #005EB8;"
            " border-radius: 4px; padding: 6px 10px; }"
        )

        # The notes stream, with its closed and empty states.
        self.notes_model = NotesModel(ctx.store, ctx.review_id, section_id, self)
        self.notes_view = NotesView(self)
        self.notes_view.setModel(self.notes_model)
        self.delegate = NoteDelegate(self.notes_view)
        self.delegate.text_edited.connect(self.edit_note_text)
        self.notes_view.setItemDelegate(self.delegate)
        self.notes_view.delete_requested.connect(self.delete_selected_note)
        self.notes_view.speaker_requested.connect(self.change_speaker_of_selected)
        self.notes_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.notes_view.customContextMenuRequested.connect(self._context_menu)
        self.notes_model.rowsInserted.connect(self._rows_inserted)
        self.notes_model.rowsRemoved.connect(self._update_stream_state)
        self.notes_model.modelReset.connect(self._update_stream_state)

        self.closed_label = self._state_label(
            "notesClosed",
            self.tr("Notes are closed until the consent basis is recorded. Record it under People and consent."),
        )
        self.empty_label = self._state_label(
            "notesEmpty",
            self.tr("No notes yet. Choose who is speaking, type what they say, and press Enter."),
        )
        self.stream = QStackedWidget(self)
        self.stream.setObjectName("streamArea")
        self.stream.addWidget(self.closed_label)
        self.stream.addWidget(self.empty_label)
        self.stream.addWidget(self.notes_view)
        self.stream.setStyleSheet("#streamArea { background: white; }")

        self.capture_bar = CaptureBar(ctx, section_id, self)
        self.capture_bar.note_added.connect(self._note_added)

        # The stream and the capture bar stay together, like a conversation; entries sit below.
        notes_block = QFrame(self)
        notes_block.setObjectName("notesBlock")
        notes_block.setStyleSheet("#notesBlock { border: 1px solid #d8dde0; border-radius: 4px; background: white; }")
        block_layout = QVBoxLayout(notes_block)
        block_layout.setContentsMargins(1, 1, 1, 1)
        block_layout.setSpacing(0)
        block_layout.addWidget(self.stream, 1)
        block_layout.addWidget(self.capture_bar)

        self.entries_panel = EntriesPanel(ctx, section_id, self)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("sectionSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(notes_block)
        # Findings scroll when large text leaves them little room: the notes come first.
        self.splitter.addWidget(scrolling(self.entries_panel, self))
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self._share_height()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(6)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label, 1)
        title_row.addWidget(self.lead_label, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(title_row)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.declined_banner)
        layout.addWidget(self.splitter, 1)

        ctx.changed.connect(self._on_changed)
        self.refresh()

    def _share_height(self) -> None:
        """Notes and findings share the height 3:2, the notes more as the text grows (several
        notes stay in sight at 200%); the note-taker lives in the stream."""
        notes = by_text_scale(0.6, 0.8)
        self.splitter.setSizes([round(notes * 1000), round((1 - notes) * 1000)])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._share_height()

    def _state_label(self, name: str, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setMargin(24)
        label.setStyleSheet(f"#{name} {{ color: #4c6272; font-size: 11pt; background: white; }}")
        return label

    # Refreshing ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._refresh_header()
        self.notes_model.refresh()
        self.capture_bar.refresh_speakers()
        self.entries_panel.refresh()
        self._apply_consent()

    def _on_changed(self, kind: str) -> None:
        if kind == "notes":
            self.notes_model.refresh()
        elif kind in ("consent", "setup"):
            self._apply_consent()
        elif kind == "sections":
            self._refresh_header()

    def _refresh_header(self) -> None:
        section = self.section
        self.title_label.setText(self.tr("{number}. {title}").format(number=section.number, title=section.title))
        self.summary_label.setText(section.summary)
        self.summary_label.setVisible(self._header_visible and bool(section.summary))
        lead = section.lead_role
        try:
            lead = sections.get_section_state(self.ctx.store, self.ctx.review_id, self.section_id).lead_role or lead
        except NotFoundError:
            pass
        self.lead_label.setText(self.tr("Suggested lead: {role}").format(role=role_label(lead)) if lead else "")
        self.lead_label.setVisible(self._header_visible and bool(lead))

    def set_header_visible(self, visible: bool) -> None:
        """Hide the title block when a guidance panel beside the page already shows it."""
        self.title_label.setVisible(visible)
        self.summary_label.setVisible(visible and bool(self.section.summary))
        self.lead_label.setVisible(visible and bool(self.lead_label.text()))
        self._header_visible = visible

    def notes_open(self) -> bool:
        return self.ctx.review.consent_recorded

    def _apply_consent(self) -> None:
        review = self.ctx.review
        is_open = review.consent_recorded
        self.declined_banner.setVisible(review.consent_basis is ConsentBasis.DECLINED)
        self.capture_bar.setEnabled(is_open)
        # Findings rest on what the panel reads and hears: closed too until there is a basis.
        self.entries_panel.form.setEnabled(is_open)
        self.entries_panel.setVisible(is_open)
        self._update_stream_state()

    def _update_stream_state(self, *_args) -> None:
        if not self.notes_open():
            self.stream.setCurrentIndex(CLOSED)
        elif self.notes_model.rowCount() == 0:
            self.stream.setCurrentIndex(EMPTY)
        else:
            self.stream.setCurrentIndex(STREAM)

    # The stream ------------------------------------------------------------------------------------

    def _rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._update_stream_state()
        if last == self.notes_model.rowCount() - 1:
            self.scroll_to_newest()

    def scroll_to_newest(self) -> None:
        count = self.notes_model.rowCount()
        if count:
            self.notes_view.scrollTo(self.notes_model.index(count - 1), QAbstractItemView.ScrollHint.PositionAtBottom)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._scrolled_once:
            self._scrolled_once = True
            self.scroll_to_newest()

    def _note_added(self, note: NoteData) -> None:
        self.notes_view.clearSelection()
        self.notes_view.setCurrentIndex(QModelIndex())
        self.scroll_to_newest()

    def current_note(self) -> NoteData | None:
        """The selected note, else the newest one; None when the section has no notes."""
        selected = self.selected_note()
        if selected is not None:
            return selected
        count = self.notes_model.rowCount()
        return self.notes_model.note(count - 1) if count else None

    def selected_note(self) -> NoteData | None:
        rows = self.notes_view.selectionModel().selectedRows()
        return self.notes_model.note(rows[0].row()) if rows else None

    def show_note(self, note_id: int) -> bool:
        """Select a note and scroll it into view (find). False if it no longer exists."""
        row = self.notes_model.row_of(note_id)
        if row < 0:
            self.notes_model.refresh()
            row = self.notes_model.row_of(note_id)
        if row < 0:
            return False
        self._update_stream_state()
        index = self.notes_model.index(row)
        self.notes_view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.notes_view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def focus_capture(self) -> None:
        self.capture_bar.focus()

    # Editing notes -------------------------------------------------------------------------------

    def edit_note_text(self, note_id: int, text: str) -> None:
        row = self.notes_model.row_of(note_id)
        note = self.notes_model.note(row)
        if note is None or text.strip() == note.text:
            return
        self.ctx.undo_stack.push(EditNoteCommand(self.ctx, note, text=text))

    def change_speaker_of_selected(self) -> bool:
        """Shift+F2: correct who spoke in the selected note (undoable, audited like any edit)."""
        from app.ui.speaker_dialog import SpeakerDialog

        note = self.selected_note()
        if note is None:
            return False
        self.capture_bar.refresh_speakers()
        choices = list(zip(self.capture_bar.speaker_choices(), self.capture_bar.speakers(), strict=True))
        current = (note.speaker_name, note.speaker_role)
        if current not in [speaker for speaker, _label in choices]:
            from app.ui.notes_model import speaker_label

            choices.append((current, speaker_label(note)))  # someone since removed from the register
        chosen = SpeakerDialog.ask(self, choices, current)
        if chosen is None or chosen == current:
            return False
        name, role = chosen
        self.ctx.undo_stack.push(EditNoteCommand(self.ctx, note, speaker_name=name, speaker_role=role))
        self.show_note(note.id)
        return True

    def edit_selected_note(self) -> None:
        index = self.notes_view.currentIndex()
        if index.isValid():
            self.notes_view.edit(index)

    def delete_selected_note(self) -> None:
        note = self.selected_note()
        if note is None:
            return
        row = self.notes_model.row_of(note.id)
        self.ctx.undo_stack.push(DeleteNoteCommand(self.ctx, note))
        # Keep the keyboard where it was: select the note that took its place.
        count = self.notes_model.rowCount()
        if count:
            index = self.notes_model.index(min(row, count - 1))
            self.notes_view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _context_menu(self, pos) -> None:
        index = self.notes_view.indexAt(pos)
        if not index.isValid():
            return
        self.notes_view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        menu = QMenu(self.notes_view)
        edit = menu.addAction(self.tr("Edit note\tF2"))
        speaker = menu.addAction(self.tr("Change speaker…\tShift+F2"))
        delete = menu.addAction(self.tr("Delete note\tDel"))
        menu.addSeparator()
        easy_read = menu.addAction(self.tr("For the easy read (What you told us)\tCtrl+Shift+E"))
        easy_read.setCheckable(True)
        note = self.selected_note()
        easy_read.setChecked(bool(note and note.easy_read))
        chosen = menu.exec(self.notes_view.viewport().mapToGlobal(pos))
        if chosen is edit:
            self.notes_view.edit(index)
        elif chosen is speaker:
            self.change_speaker_of_selected()
        elif chosen is delete:
            self.delete_selected_note()
        elif chosen is easy_read:
            self.toggle_easy_read()

    def toggle_easy_read(self) -> bool:
        """Mark the selected note for the easy read's "What you told us", or take the mark off (undoable)."""
        note = self.selected_note()
        if note is None:
            return False
        self.ctx.undo_stack.push(EditNoteCommand(self.ctx, note, easy_read=not note.easy_read))
        return True
