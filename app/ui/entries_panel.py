"""Findings, good practice and concerns for one section, with a compact form to add them."""

from __future__ import annotations

import json

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import EntryKind, Evidence
from app.services import drafts, independence, people, sections
from app.services.dto import EntryData
from app.ui.capture_bar import CaptureField
from app.ui.context import ReviewContext
from app.ui.entries_model import (
    EVIDENCE,
    KINDS,
    EntriesModel,
    EntryRole,
    evidence_label,
    kind_label,
    kind_tab_label,
)
from app.ui.entries_view import EntriesView, EntryDelegate
from app.ui.entry_commands import AddEntryCommand, DeleteEntryCommand, UpdateEntryCommand
from app.ui.undo_routing import pass_undo_to_window


def entry_draft_key(section_id: str) -> str:
    """Key of the add form's draft in the drafts table (cleared by add_entry in the same commit)."""
    return f"entry:{section_id}"


class EntryTextField(CaptureField):
    """The entry's text: several lines (findings and concerns are often long), one line high to
    start and growing as the text wraps. Enter adds the entry, Shift+Enter starts a new line."""

    left = Signal()  # focus went elsewhere: store the draft now

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, speaker_keys=False)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - the QLineEdit name the form used
        # setPlainText, not clear(): it starts a fresh undo history, so Ctrl+Z then reaches the review.
        self.setPlainText(text)
        self.moveCursor(self.textCursor().MoveOperation.End)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.left.emit()


class EntriesPanel(QWidget):
    """Tabs per kind (with counts) over the section's entries, and a compact add form."""

    entry_added = Signal(EntryData)

    def __init__(self, ctx: ReviewContext, section_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entriesPanel")
        self.ctx = ctx
        self.section_id = section_id
        self._restoring = False
        self.models: dict[EntryKind, EntriesModel] = {}
        self.views: dict[EntryKind, EntriesView] = {}

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("entryTabs")
        self.tabs.setAccessibleName(self.tr("Findings, good practice and concerns"))
        self.tabs.tabBar().setAccessibleName(self.tr("Kind of entry"))
        self.tabs.tabBar().setAccessibleDescription(self.tr("Left and right arrows switch between the kinds"))
        self.tabs.setDocumentMode(True)
        empty = {
            EntryKind.FINDING: self.tr("No findings yet. Write one below, with the evidence behind it."),
            EntryKind.GOOD_PRACTICE: self.tr("No good practice noted yet. Add what is working well below."),
            EntryKind.CONCERN: self.tr("No concerns yet. Add one below; tick Safeguarding concern if "
                                       "someone must act on it."),
        }
        names = {EntryKind.FINDING: "findingsList", EntryKind.GOOD_PRACTICE: "goodPracticeList",
                 EntryKind.CONCERN: "concernsList"}
        for kind in KINDS:
            model = EntriesModel(kind, self)
            view = EntriesView(empty[kind], self.tabs)
            view.setObjectName(names[kind])
            view.setAccessibleName(kind_tab_label(kind))
            view.setModel(model)
            delegate = EntryDelegate(view)
            delegate.text_edited.connect(self._edit_text)
            view.setItemDelegate(delegate)
            view.delete_requested.connect(self.delete_selected)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self._context_menu(v, pos))
            self.models[kind] = model
            self.views[kind] = view
            self.tabs.addTab(view, kind_tab_label(kind))
        self.tabs.currentChanged.connect(self._tab_changed)

        self.form = self._build_form()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.form)

        self.refresh()
        self._kind_changed()
        self._restore_draft()
        self._watch_for_draft()
        ctx.changed.connect(self._on_changed)

    # The add form ------------------------------------------------------------------------------

    def _build_form(self) -> QFrame:
        form = QFrame(self)
        form.setObjectName("entryForm")
        form.setStyleSheet("#entryForm { background: #f7f9fa; border: 1px solid #d8dde0; border-radius: 4px; }")
        self.kind_combo = QComboBox(form)
        self.kind_combo.setObjectName("entryKind")
        self.kind_combo.setAccessibleName(self.tr("Kind of entry"))
        for kind in KINDS:
            self.kind_combo.addItem(kind_label(kind), kind.value)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)

        self.text_field = EntryTextField(form)
        self.text_field.setObjectName("entryText")
        self.text_field.setAccessibleName(self.tr("Entry text"))
        self.text_field.setAccessibleDescription(self.tr("Enter adds the entry; Shift+Enter starts a new line"))
        self.text_field.setPlaceholderText(self.tr("What the panel found (Enter adds it)"))
        self.text_field.submitted.connect(self.add_entry)
        pass_undo_to_window(self.text_field)

        self.add_button = QPushButton(self.tr("Add"), form)
        self.add_button.setObjectName("addEntryButton")
        self.add_button.setAccessibleName(self.tr("Add entry"))
        self.add_button.clicked.connect(self.add_entry)
        # Greyed out until there is something to add (Enter in the field still says what is missing).
        self.text_field.textChanged.connect(self._update_add)
        self.add_button.setEnabled(False)

        self.evidence_combo = QComboBox(form)
        self.evidence_combo.setObjectName("entryEvidence")
        self.evidence_combo.setAccessibleName(self.tr("Evidence type"))
        self.evidence_combo.setToolTip(self.tr("What the entry rests on: a document seen, an observation or a quote"))
        for evidence in EVIDENCE:
            self.evidence_combo.addItem(
                self.tr("No evidence") if evidence is Evidence.NONE else evidence_label(evidence), evidence.value
            )
        self.evidence_combo.currentIndexChanged.connect(self._evidence_changed)
        self.evidence_detail = QLineEdit(form)
        self.evidence_detail.setObjectName("entryEvidenceDetail")
        self.evidence_detail.setAccessibleName(self.tr("Evidence detail"))
        self.evidence_detail.returnPressed.connect(self.add_entry)

        self.safeguarding_check = QCheckBox(self.tr("Safeguarding concern"), form)
        self.safeguarding_check.setObjectName("entrySafeguarding")
        self.safeguarding_check.setAccessibleName(self.tr("Safeguarding concern"))
        self.safeguarding_check.setToolTip(self.tr("A safeguarding concern needs a named person who will act on it"))
        self.safeguarding_check.toggled.connect(self._safeguarding_toggled)

        self.lead_label = QLabel(self.tr("Who will act on it (named person)"), form)
        self.lead_combo = QComboBox(form)
        self.lead_combo.setObjectName("entrySafeguardingLead")
        self.lead_combo.setEditable(True)
        self.lead_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.lead_combo.setAccessibleName(self.tr("Who will act on it (named person)"))
        self.lead_combo.setAccessibleDescription(self.tr("Required for a safeguarding concern"))
        self.lead_combo.setMinimumContentsLength(18)
        self.lead_combo.lineEdit().setPlaceholderText(self.tr("Name (required)"))
        self.lead_combo.lineEdit().returnPressed.connect(self.add_entry)
        self.lead_label.setBuddy(self.lead_combo)
        # A warning, not a refusal: the named person should not work for the provider being reviewed.
        self.lead_warning = QLabel(form)
        self.lead_warning.setObjectName("entrySafeguardingLeadWarning")
        self.lead_warning.setWordWrap(True)
        self.lead_warning.setAccessibleName(self.tr("Warning about the named person"))
        self.lead_warning.setStyleSheet("#entrySafeguardingLeadWarning { color: #8a4b00; }")
        self.lead_warning.hide()
        self.lead_combo.editTextChanged.connect(lambda _text: self._update_lead_warning())

        # Three rows with the choosers in one column: what kind / on what evidence / who acts.
        grid = QGridLayout(form)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.kind_combo, 0, 0)
        grid.addWidget(self.text_field, 0, 1)
        grid.addWidget(self.add_button, 0, 2)
        grid.addWidget(self.evidence_combo, 1, 0)
        grid.addWidget(self.evidence_detail, 1, 1, 1, 2)
        grid.addWidget(self.safeguarding_check, 2, 0)
        lead_row = QHBoxLayout()
        lead_row.setContentsMargins(0, 0, 0, 0)
        lead_row.addWidget(self.lead_label)
        lead_row.addWidget(self.lead_combo, 1)
        grid.addLayout(lead_row, 2, 1, 1, 2)
        grid.addWidget(self.lead_warning, 3, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self._evidence_changed()
        self._safeguarding_toggled(False)
        self._refresh_leads()
        return form

    def current_kind(self) -> EntryKind:
        # Qt hands enum data back as plain strings.
        return EntryKind(self.kind_combo.currentData())

    def current_evidence(self) -> Evidence:
        return Evidence(self.evidence_combo.currentData())

    def set_kind(self, kind: EntryKind) -> None:
        self.kind_combo.setCurrentIndex(KINDS.index(kind))

    def _kind_changed(self, *_args) -> None:
        kind = self.current_kind()
        is_concern = kind is EntryKind.CONCERN
        self.safeguarding_check.setVisible(is_concern)  # its row collapses for other kinds
        if not is_concern:
            self.safeguarding_check.setChecked(False)
        self._safeguarding_toggled(self.safeguarding_check.isChecked())
        placeholders = {
            EntryKind.FINDING: self.tr("What the panel found (Enter adds it)"),
            EntryKind.GOOD_PRACTICE: self.tr("What is working well (Enter adds it)"),
            EntryKind.CONCERN: self.tr("What worries the panel (Enter adds it)"),
        }
        self.text_field.setPlaceholderText(placeholders[kind])
        if self.tabs.currentIndex() != KINDS.index(kind):
            self.tabs.setCurrentIndex(KINDS.index(kind))

    def _tab_changed(self, index: int) -> None:
        if 0 <= index < len(KINDS) and self.kind_combo.currentIndex() != index:
            self.kind_combo.setCurrentIndex(index)

    def _evidence_changed(self, *_args) -> None:
        evidence = self.current_evidence()
        placeholders = {
            Evidence.NONE: self.tr("Choose an evidence type to add detail"),
            Evidence.DOCUMENT: self.tr("Which document (e.g. care plan, March)"),
            Evidence.OBSERVATION: self.tr("What the panel saw"),
            Evidence.QUOTE: self.tr("Who said it, and their words"),
        }
        self.evidence_detail.setPlaceholderText(placeholders[evidence])
        self.evidence_detail.setEnabled(evidence is not Evidence.NONE)

    def _safeguarding_toggled(self, checked: bool) -> None:
        show = checked and self.current_kind() is EntryKind.CONCERN
        self.lead_label.setVisible(show)
        self.lead_combo.setVisible(show)
        self._update_lead_warning()

    def _update_lead_warning(self) -> None:
        shown = self.lead_combo.isVisibleTo(self) and self.safeguarding_check.isChecked()
        text = independence.safeguarding_lead_warning(
            getattr(self, "_attendees", []), self.ctx.review.setup, self.lead_combo.currentText()
        ) if shown else ""
        # The service's sentence, shown as it is (like every service message).
        self.lead_warning.setText(text)
        self.lead_warning.setVisible(bool(text))
        self.lead_combo.setAccessibleDescription(text or self.tr("Required for a safeguarding concern"))

    def _refresh_leads(self) -> None:
        typed = self.lead_combo.currentText()
        self._attendees = people.list_attendees(self.ctx.store, self.ctx.review_id)
        names = [a.name for a in self._attendees]
        self.lead_combo.blockSignals(True)
        self.lead_combo.clear()
        self.lead_combo.addItems(names)
        self.lead_combo.setEditText(typed)
        self.lead_combo.blockSignals(False)

    def _clear_form(self) -> None:
        # setText, not clear(): clearing is undoable, and Ctrl+Z should undo the entry just added.
        self.text_field.setText("")
        self.evidence_combo.setCurrentIndex(0)
        self.evidence_detail.setText("")
        self.safeguarding_check.setChecked(False)
        self.lead_combo.setEditText("")

    def _update_add(self, *_args) -> None:
        self.add_button.setEnabled(bool(self.text_field.text().strip()))

    def add_entry(self) -> EntryData | None:
        """Add what the form holds. If the service refuses, its message shows and the form is kept."""
        kind = self.current_kind()
        flagged = kind is EntryKind.CONCERN and self.safeguarding_check.isChecked()
        evidence = self.current_evidence()
        command = AddEntryCommand(
            self.ctx,
            self.section_id,
            kind,
            self.text_field.text(),
            evidence=evidence,
            evidence_detail=self.evidence_detail.text() if evidence is not Evidence.NONE else "",
            safeguarding=flagged,
            safeguarding_lead=self.lead_combo.currentText() if flagged else "",
            draft_key=entry_draft_key(self.section_id),
        )
        # The entry's commit clears the stored draft; a pending draft write must not bring it back.
        self.ctx.autosaver.cancel(self._draft_autosave_key())
        self.ctx.undo_stack.push(command)
        entry = command.entry
        if entry is None:
            self._schedule_draft()  # refused: what was typed stays on screen and in the draft
            if flagged and not self.lead_combo.currentText().strip():
                self.lead_combo.setFocus()
            else:
                self.text_field.setFocus()
            return None
        self._restoring = True
        try:
            self._clear_form()
        finally:
            self._restoring = False
        self.text_field.setFocus()
        self.entry_added.emit(entry)
        return entry

    # The draft: what is typed in the form is stored as it is typed, so a crash loses nothing ---

    def _draft_autosave_key(self) -> str:
        return f"entry-draft:{self.section_id}"

    def draft(self) -> dict:
        """What the add form holds, as stored in the draft ({} when nothing is typed)."""
        values = {
            "kind": self.current_kind().value,
            "text": self.text_field.text(),
            "evidence": self.current_evidence().value,
            "evidence_detail": self.evidence_detail.text(),
            "safeguarding": self.safeguarding_check.isChecked(),
            "safeguarding_lead": self.lead_combo.currentText(),
        }
        typed = any(values[name].strip() for name in ("text", "evidence_detail", "safeguarding_lead"))
        return values if typed else {}

    def _watch_for_draft(self) -> None:
        self.text_field.textChanged.connect(self._schedule_draft)
        self.text_field.left.connect(self._store_draft_now)
        self.evidence_detail.textChanged.connect(self._schedule_draft)
        self.evidence_detail.editingFinished.connect(self._store_draft_now)
        self.lead_combo.editTextChanged.connect(self._schedule_draft)
        self.kind_combo.currentIndexChanged.connect(self._schedule_draft)
        self.evidence_combo.currentIndexChanged.connect(self._schedule_draft)
        self.safeguarding_check.toggled.connect(self._schedule_draft)

    def _schedule_draft(self, *_args) -> None:
        if self._restoring:
            return
        ctx = self.ctx
        values = self.draft()
        text = json.dumps(values, ensure_ascii=False) if values else ""
        key = entry_draft_key(self.section_id)
        ctx.autosaver.schedule(
            self._draft_autosave_key(), lambda: drafts.save_draft(ctx.store, ctx.review_id, key, text)
        )

    def _store_draft_now(self) -> None:
        if self.ctx.autosaver.has_pending():
            self.ctx.flush()

    def _restore_draft(self) -> None:
        stored = drafts.get_draft(self.ctx.store, self.ctx.review_id, entry_draft_key(self.section_id))
        if not stored:
            return
        try:
            values = json.loads(stored)
            kind = EntryKind(values.get("kind", EntryKind.FINDING.value))
            evidence = Evidence(values.get("evidence", Evidence.NONE.value))
        except (ValueError, TypeError, AttributeError):
            return  # not a draft this version wrote: leave the form empty
        self._restoring = True
        try:
            self.set_kind(kind)
            self.evidence_combo.setCurrentIndex(EVIDENCE.index(evidence))
            self.evidence_detail.setText(str(values.get("evidence_detail", "")))
            self.safeguarding_check.setChecked(bool(values.get("safeguarding")) and kind is EntryKind.CONCERN)
            self.lead_combo.setEditText(str(values.get("safeguarding_lead", "")))
            self.text_field.setText(str(values.get("text", "")))
        finally:
            self._restoring = False

    # The lists ---------------------------------------------------------------------------------

    def _on_changed(self, kind: str) -> None:
        if kind == "entries":
            self.refresh()
        elif kind == "people":
            self._refresh_leads()

    def refresh(self) -> None:
        entries = sections.list_entries(self.ctx.store, self.ctx.review_id, self.section_id)
        for position, kind in enumerate(KINDS):
            self.models[kind].set_entries(entries)
            count = self.models[kind].rowCount()
            title = kind_tab_label(kind)
            flagged = sum(1 for entry in self.models[kind].entries() if entry.safeguarding)
            if flagged:
                title = self.tr("{title} ({count}, {flagged} safeguarding)").format(
                    title=title, count=count, flagged=flagged
                )
            elif count:
                title = f"{title} ({count})"
            self.tabs.setTabText(position, title)
            self.tabs.setTabToolTip(
                position,
                self.tr("{n} safeguarding concern(s)").format(n=flagged) if flagged else "",
            )

    def counts(self) -> dict[EntryKind, int]:
        return {kind: model.rowCount() for kind, model in self.models.items()}

    def select_entry(self, entry_id: int) -> bool:
        """Show the entry's kind and select it (find). False if it no longer exists."""
        for kind, model in self.models.items():
            for row, entry in enumerate(model.entries()):
                if entry.id == entry_id:
                    self.tabs.setCurrentIndex(KINDS.index(kind))
                    view = self.views[kind]
                    view.setCurrentIndex(model.index(row))
                    view.scrollTo(model.index(row))
                    view.setFocus(Qt.FocusReason.OtherFocusReason)
                    return True
        return False

    def selected_entry(self) -> EntryData | None:
        view = self.views[KINDS[self.tabs.currentIndex()]]
        index = view.currentIndex()
        return index.data(EntryRole) if index.isValid() else None

    def delete_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.ctx.undo_stack.push(DeleteEntryCommand(self.ctx, entry))

    def _edit_text(self, entry_id: int, text: str) -> None:
        for model in self.models.values():
            for entry in model.entries():
                if entry.id == entry_id and entry.text != text:
                    self.ctx.undo_stack.push(UpdateEntryCommand(self.ctx, entry, text=text))
                    return

    def _context_menu(self, view: EntriesView, pos) -> None:
        index = view.indexAt(pos)
        if not index.isValid():
            return
        view.setCurrentIndex(index)
        menu = QMenu(view)
        edit = menu.addAction(self.tr("Edit text\tF2"))
        delete = menu.addAction(self.tr("Delete\tDel"))
        chosen = menu.exec(view.viewport().mapToGlobal(pos))
        if chosen is edit:
            view.edit(index)
        elif chosen is delete:
            self.delete_selected()
