"""Findings, good practice and concerns for one section, with a compact form to add them."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import EntryKind, Evidence
from app.services import people, sections
from app.services.dto import EntryData
from app.ui.capture_bar import pass_undo_to_window
from app.ui.context import ReviewContext
from app.ui.entry_commands import AddEntryCommand, DeleteEntryCommand, UpdateEntryCommand
from app.ui.theme import NHS_BLUE, TEXT

Index = QModelIndex | QPersistentModelIndex

EntryRole = Qt.ItemDataRole.UserRole + 1
SafeguardingRole = Qt.ItemDataRole.UserRole + 2
EvidenceRole = Qt.ItemDataRole.UserRole + 3  # "Document seen: care plan, March"
EntryIdRole = Qt.ItemDataRole.UserRole + 4

SAFEGUARDING_RED = "#d5281b"
KINDS: tuple[EntryKind, ...] = (EntryKind.FINDING, EntryKind.GOOD_PRACTICE, EntryKind.CONCERN)
EVIDENCE: tuple[Evidence, ...] = (Evidence.NONE, Evidence.DOCUMENT, Evidence.OBSERVATION, Evidence.QUOTE)


def _tr(text: str) -> str:
    return QCoreApplication.translate("EntriesPanel", text)


def kind_label(kind: EntryKind) -> str:
    return {
        EntryKind.FINDING: _tr("Finding"),
        EntryKind.GOOD_PRACTICE: _tr("Good practice"),
        EntryKind.CONCERN: _tr("Concern"),
    }[kind]


def kind_tab_label(kind: EntryKind) -> str:
    return {
        EntryKind.FINDING: _tr("Findings"),
        EntryKind.GOOD_PRACTICE: _tr("Good practice"),
        EntryKind.CONCERN: _tr("Concerns"),
    }[kind]


def evidence_label(evidence: Evidence) -> str:
    return {
        Evidence.NONE: _tr("No evidence noted"),
        Evidence.DOCUMENT: _tr("Document seen"),
        Evidence.OBSERVATION: _tr("Observation"),
        Evidence.QUOTE: _tr("Quote"),
    }[evidence]


def evidence_line(entry: EntryData) -> str:
    if entry.evidence is Evidence.NONE:
        return ""
    label = evidence_label(entry.evidence)
    return f"{label}: {entry.evidence_detail}" if entry.evidence_detail else label


def safeguarding_line(entry: EntryData) -> str:
    return _tr("Safeguarding: {name} will act on it").format(name=entry.safeguarding_lead) if entry.safeguarding else ""


class EntriesModel(QAbstractListModel):
    """The entries of one kind in one section, oldest first."""

    def __init__(self, kind: EntryKind, parent=None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._entries: list[EntryData] = []

    def set_entries(self, entries: list[EntryData]) -> None:
        entries = [entry for entry in entries if entry.kind is self.kind]
        if entries == self._entries:
            return
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def entries(self) -> list[EntryData]:
        return list(self._entries)

    def entry(self, row: int) -> EntryData | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._entries)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.text
        if role == Qt.ItemDataRole.EditRole:
            return entry.text
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            details = [line for line in (safeguarding_line(entry), evidence_line(entry)) if line]
            return "\n".join(details) or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            prefix = _tr("Safeguarding concern") + ": " if entry.safeguarding else ""
            return prefix + entry.text
        if role == EntryRole:
            return entry
        if role == EntryIdRole:
            return entry.id
        if role == SafeguardingRole:
            return entry.safeguarding
        if role == EvidenceRole:
            return evidence_line(entry)
        return None


class EntryDelegate(QStyledItemDelegate):
    """Draws an entry: a red-outlined "Safeguarding" badge when flagged, the text, then its evidence."""

    PAD_X = 10
    PAD_Y = 6
    GAP = 3

    text_edited = Signal(int, str)

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view

    @staticmethod
    def _small(font: QFont) -> QFont:
        small = QFont(font)
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.9)
        return small

    def _badge_size(self, font: QFont) -> QSize:
        bold = self._small(font)
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        return QSize(metrics.horizontalAdvance(_tr("Safeguarding")) + 12, metrics.height() + 4)

    def _lines(self, index: Index) -> tuple[str, str, str]:
        entry: EntryData | None = index.data(EntryRole)
        if entry is None:
            return "", "", ""
        lead = _tr("Who will act: {name}").format(name=entry.safeguarding_lead) if entry.safeguarding else ""
        return entry.text, evidence_line(entry), lead

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt override
        width = self._view.viewport().width()
        text_width = max(80, width - 2 * self.PAD_X)
        text, evidence, lead = self._lines(index)
        plain = QFontMetrics(option.font)
        small = QFontMetrics(self._small(option.font))
        height = 2 * self.PAD_Y
        if index.data(SafeguardingRole):
            height += self._badge_size(option.font).height() + self.GAP
        wrap = int(Qt.TextFlag.TextWordWrap)
        height += max(plain.height(), plain.boundingRect(QRect(0, 0, text_width, 100_000), wrap, text).height())
        for line in (lead, evidence):
            if line:
                height += self.GAP + small.boundingRect(QRect(0, 0, text_width, 100_000), wrap, line).height()
        return QSize(width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect = option.rect
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor("#e8f1fa"))
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), QColor(NHS_BLUE))
        painter.setPen(QPen(QColor("#e8edee")))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        text, evidence, lead = self._lines(index)
        left = rect.left() + self.PAD_X
        width = max(80, rect.width() - 2 * self.PAD_X)
        top = rect.top() + self.PAD_Y
        wrap = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
        if index.data(SafeguardingRole):
            badge = QRect(QPoint(left, top), self._badge_size(option.font))
            bold = self._small(option.font)
            bold.setBold(True)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(SAFEGUARDING_RED), 1.5))
            painter.setBrush(QColor("#fdecea"))
            painter.drawRoundedRect(badge.adjusted(0, 0, -1, -1), 3, 3)
            painter.setFont(bold)
            painter.setPen(QColor(SAFEGUARDING_RED))
            painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), _tr("Safeguarding"))
            top += badge.height() + self.GAP
        painter.setFont(option.font)
        painter.setPen(QColor(TEXT))
        plain = QFontMetrics(option.font)
        text_rect = plain.boundingRect(QRect(left, top, width, 100_000), wrap, text)
        painter.drawText(QRect(left, top, width, text_rect.height()), wrap, text)
        top += max(plain.height(), text_rect.height())
        small_font = self._small(option.font)
        small = QFontMetrics(small_font)
        painter.setFont(small_font)
        for line, colour in ((lead, SAFEGUARDING_RED), (evidence, "#4c6272")):
            if not line:
                continue
            top += self.GAP
            line_rect = small.boundingRect(QRect(left, top, width, 100_000), wrap, line)
            painter.setPen(QColor(colour))
            painter.drawText(QRect(left, top, width, line_rect.height()), wrap, line)
            top += line_rect.height()
        painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setObjectName("entryEditor")
        editor.setAccessibleName(self.tr("Edit entry"))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802 - Qt override
        if isinstance(editor, QLineEdit) and not editor.isModified():
            editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QWidget, model, index: Index) -> None:  # noqa: N802 - Qt override
        # Changes go through an undo command, not the model.
        if isinstance(editor, QLineEdit):
            entry_id = index.data(EntryIdRole)
            if entry_id is not None and editor.text() != index.data(Qt.ItemDataRole.EditRole):
                self.text_edited.emit(entry_id, editor.text())

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        rect = option.rect.adjusted(self.PAD_X - 4, 2, -self.PAD_X + 4, -2)
        rect.setHeight(max(rect.height(), editor.sizeHint().height()))
        editor.setGeometry(rect)


class EntriesView(QListView):
    """A list of entries that shows what to do when it is empty and deletes with the Delete key."""

    delete_requested = Signal()

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = empty_text
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setFrameShape(QFrame.Shape.NoFrame)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#4c6272"))
            painter.drawText(
                self.viewport().rect().adjusted(12, 10, -12, -10),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                self._empty_text,
            )
            painter.end()


class EntriesPanel(QWidget):
    """Tabs per kind (with counts) over the section's entries, and a compact add form."""

    entry_added = Signal(EntryData)

    def __init__(self, ctx: ReviewContext, section_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entriesPanel")
        self.ctx = ctx
        self.section_id = section_id
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

        self.text_field = QLineEdit(form)
        self.text_field.setObjectName("entryText")
        self.text_field.setAccessibleName(self.tr("Entry text"))
        self.text_field.setPlaceholderText(self.tr("What the panel found (Enter adds it)"))
        self.text_field.returnPressed.connect(self.add_entry)
        pass_undo_to_window(self.text_field)

        self.add_button = QPushButton(self.tr("Add"), form)
        self.add_button.setObjectName("addEntryButton")
        self.add_button.setAccessibleName(self.tr("Add entry"))
        self.add_button.clicked.connect(self.add_entry)

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

    def _refresh_leads(self) -> None:
        typed = self.lead_combo.currentText()
        names = [a.name for a in people.list_attendees(self.ctx.store, self.ctx.review_id)]
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
        )
        self.ctx.undo_stack.push(command)
        entry = command.entry
        if entry is None:
            if flagged and not self.lead_combo.currentText().strip():
                self.lead_combo.setFocus()
            else:
                self.text_field.setFocus()
            return None
        self._clear_form()
        self.text_field.setFocus()
        self.entry_added.emit(entry)
        return entry

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
