"""The entries of one kind in one section as a list model, and the words for kinds and evidence."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.models.enums import EntryKind, Evidence
from app.services.dto import EntryData

Index = QModelIndex | QPersistentModelIndex

EntryRole = Qt.ItemDataRole.UserRole + 1
SafeguardingRole = Qt.ItemDataRole.UserRole + 2
EvidenceRole = Qt.ItemDataRole.UserRole + 3  # "Document seen: care plan, March"
EntryIdRole = Qt.ItemDataRole.UserRole + 4

SAFEGUARDING_RED = "#d5281b"
KINDS: tuple[EntryKind, ...] = (EntryKind.FINDING, EntryKind.GOOD_PRACTICE, EntryKind.CONCERN)
EVIDENCE: tuple[Evidence, ...] = (Evidence.NONE, Evidence.DOCUMENT, Evidence.OBSERVATION, Evidence.QUOTE)


def entries_tr(text: str) -> str:
    """Text shown with section entries (one translation context for the model, view and panel)."""
    return QCoreApplication.translate("EntriesPanel", text)


def kind_label(kind: EntryKind) -> str:
    return {
        EntryKind.FINDING: entries_tr("Finding"),
        EntryKind.GOOD_PRACTICE: entries_tr("Good practice"),
        EntryKind.CONCERN: entries_tr("Concern"),
    }[kind]


def kind_tab_label(kind: EntryKind) -> str:
    return {
        EntryKind.FINDING: entries_tr("Findings"),
        EntryKind.GOOD_PRACTICE: entries_tr("Good practice"),
        EntryKind.CONCERN: entries_tr("Concerns"),
    }[kind]


def evidence_label(evidence: Evidence) -> str:
    return {
        Evidence.NONE: entries_tr("No evidence noted"),
        Evidence.DOCUMENT: entries_tr("Document seen"),
        Evidence.OBSERVATION: entries_tr("Observation"),
        Evidence.QUOTE: entries_tr("Quote"),
    }[evidence]


def evidence_line(entry: EntryData) -> str:
    if entry.evidence is Evidence.NONE:
        return ""
    label = evidence_label(entry.evidence)
    return f"{label}: {entry.evidence_detail}" if entry.evidence_detail else label


def safeguarding_line(entry: EntryData) -> str:
    if not entry.safeguarding:
        return ""
    return entries_tr("Safeguarding: {name} will act on it").format(name=entry.safeguarding_lead)


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
            prefix = entries_tr("Safeguarding concern") + ": " if entry.safeguarding else ""
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
