"""The audit trail of one review: who changed what and when. Read-only; field names, never text."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.kloe.roles import role_label
from app.services import audit
from app.services.dto import AuditData
from app.ui.context import ReviewContext
from app.ui.layout_fit import WrappedColumns

COLUMNS = ("When", "Who", "What", "Fields changed")
WHEN, WHO, WHAT, FIELDS = range(4)
EventRole = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("AuditPage", text)


def kind_label(entity: str) -> str:
    labels = {
        "note": _tr("Notes"),
        "action": _tr("Actions"),
        "attendee": _tr("People"),
        "review": _tr("The review"),
        "headline": _tr("Headline answers"),
        "section": _tr("Sections"),
        "revision": _tr("Report and sign-off"),
        "finding": _tr("Findings"),
        "concern": _tr("Concerns"),
        "good_practice": _tr("Good practice"),
    }
    return labels.get(entity, entity.replace("_", " ").capitalize())


def local_time(at: datetime) -> datetime:
    """Stored times are UTC without a zone; show them in the computer's local time."""
    return at.replace(tzinfo=UTC).astimezone() if at.tzinfo is None else at.astimezone()


def who(event: AuditData) -> str:
    role = role_label(event.actor_role) if event.actor_role else ""
    return f"{event.actor_name} — {role}" if role else event.actor_name


class AuditTableModel(QAbstractTableModel):
    """Audit events, newest first, optionally filtered by person and by kind."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._all: list[AuditData] = []
        self._rows: list[AuditData] = []
        self._person = ""
        self._kind = ""

    def set_events(self, events: list[AuditData]) -> None:
        self._all = sorted(events, key=lambda e: (e.at, e.id), reverse=True)
        self._apply()

    def set_filter(self, *, person: str = "", kind: str = "") -> None:
        """person: the "who" text ("" for everyone); kind: an entity name ("" for every kind)."""
        self._person, self._kind = person, kind
        self._apply()

    def _apply(self) -> None:
        self.beginResetModel()
        self._rows = [
            e for e in self._all
            if (not self._person or who(e) == self._person) and (not self._kind or audit.event_kind(e) == self._kind)
        ]
        self.endResetModel()

    def people(self) -> list[str]:
        return sorted({who(e) for e in self._all})

    def kinds(self) -> list[str]:
        return sorted({audit.event_kind(e) for e in self._all}, key=kind_label)

    def event_at(self, row: int) -> AuditData:  # not `event`: that is every QObject's event handler
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return _tr(COLUMNS[section])
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        event = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == WHEN:
                return local_time(event.at).strftime("%d %b %Y %H:%M:%S")
            if column == WHO:
                return who(event)
            if column == WHAT:
                return audit.describe_event(event)
            if column == FIELDS:
                return ", ".join(audit.field_words(f) for f in event.fields)
        if role == Qt.ItemDataRole.ToolTipRole and column == WHEN:
            return local_time(event.at).isoformat(timespec="seconds")
        if role == EventRole:
            return event.id
        return None


class AuditPage(QWidget):
    """The review's audit trail. Refreshes when shown and after every change."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self.ctx = ctx
        self.model = AuditTableModel(self)

        title = QLabel(self.tr("Audit trail"), self)
        title.setObjectName("pageTitle")
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        hint = QLabel(self.tr("Every change to this review: who made it and when. "
                              "It names the fields changed, never what was written."), self)
        hint.setWordWrap(True)

        self.person_filter = QComboBox(self)
        self.person_filter.setObjectName("auditPersonFilter")
        self.person_filter.setAccessibleName(self.tr("Show changes by"))
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("auditKindFilter")
        self.kind_filter.setAccessibleName(self.tr("Show changes to"))
        self.person_filter.currentIndexChanged.connect(self._filter)
        self.kind_filter.currentIndexChanged.connect(self._filter)
        filters = QHBoxLayout()
        by = QLabel(self.tr("&By"), self)
        by.setBuddy(self.person_filter)
        to = QLabel(self.tr("&Kind"), self)
        to.setBuddy(self.kind_filter)
        filters.addWidget(by)
        filters.addWidget(self.person_filter, 1)
        filters.addWidget(to)
        filters.addWidget(self.kind_filter, 1)

        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setAccessibleName(self.tr("Audit trail"))
        self.table.setModel(self.model)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(WHEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHO, QHeaderView.ResizeMode.ResizeToContents)
        # "What" says the change in words: it gets the room; the field names fit what is left.
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FIELDS, QHeaderView.ResizeMode.Stretch)
        self.fitted_columns = WrappedColumns(self.table, stretch=WHAT)  # wrap, never "…"

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        ctx.changed.connect(lambda _kind: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.model.set_events(audit.list_events(self.ctx.store, self.ctx.review_id))
        self._fill(self.person_filter, self.tr("Everyone"), [(p, p) for p in self.model.people()])
        self._fill(self.kind_filter, self.tr("Every kind"), [(kind_label(k), k) for k in self.model.kinds()])
        self._filter()

    @staticmethod
    def _fill(combo: QComboBox, everyone: str, choices: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, "")
        for label, value in choices:
            combo.addItem(label, value)
        found = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(0, found))
        combo.blockSignals(False)

    def _filter(self, *_args) -> None:
        self.model.set_filter(person=self.person_filter.currentData() or "", kind=self.kind_filter.currentData() or "")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.refresh()
        super().showEvent(event)
