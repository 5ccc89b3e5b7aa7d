"""The action editor's owner field: type to choose someone from the attendance register (or an
owner already named on another action), or a new name."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.kloe.roles import role_label
from app.services.dto import AttendeeData

# The attendee's name: what the owner type-ahead matches and inserts (the list shows role and organisation too).
NameRole = Qt.ItemDataRole.UserRole + 1
OrganisationRole = Qt.ItemDataRole.UserRole + 2


def owner_matches(name: str, typed: str) -> bool:
    """True when each typed word starts a word of `name`, in order, ignoring case.

    "Dr H", "hel", "helen m" and "dr marsh" all match "Dr Helen Marsh"; "elen" does not.
    """
    wanted = typed.casefold().split()
    words = name.casefold().split()
    position = 0
    for part in wanted:
        while position < len(words) and not words[position].startswith(part):
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


class _WordPrefixFilter(QSortFilterProxyModel):
    """The owners whose name has a word starting with what is typed."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._typed = ""

    def set_typed(self, typed: str) -> None:
        if typed != self._typed:
            self._typed = typed
            self.invalidate()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        index = self.sourceModel().index(row, 0, parent)
        return owner_matches(index.data(NameRole) or "", self._typed)


class _OwnerCompleter(QCompleter):
    """Completes by the start of any word of a name, with the best match ready for Enter."""

    def __init__(self, source: QStandardItemModel, parent: QWidget) -> None:
        self.matches = _WordPrefixFilter(parent)
        self.matches.setSourceModel(source)
        super().__init__(self.matches, parent)
        self.setCompletionRole(NameRole)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # The word-prefix filter does the matching; the completer shows what it lets through.
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt override
        self.matches.set_typed(path)
        return [""]


class OwnerCombo(QComboBox):
    """An editable combo over the attendance register and the owners already named, matching the
    start of any word of a name as you type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionOwner")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName(self.tr("Owner"))
        self.setToolTip(self.tr("Type the start of any part of a name to choose someone from the attendance "
                                "register or an owner already named; or type a new name"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.attendees_model = QStandardItemModel(self)
        self.setModel(self.attendees_model)
        self.setCompleter(_OwnerCompleter(self.attendees_model, self))
        # Moving through the list shows the whole name (Qt would splice it onto what was typed).
        self.completer().highlighted[str].connect(self.lineEdit().setText)
        self.completer().popup().installEventFilter(self)  # after the completer's own: runs first
        self.lineEdit().textEdited.connect(self._complete)
        self.lineEdit().setPlaceholderText(self.tr("Name"))
        self.setCurrentIndex(-1)

    def matching_names(self, typed: str) -> list[str]:
        """The names the type-ahead offers for `typed`, in list order."""
        return [
            self.attendees_model.item(row).data(NameRole)
            for row in range(self.attendees_model.rowCount())
            if owner_matches(self.attendees_model.item(row).data(NameRole) or "", typed)
        ]

    def _complete(self, text: str) -> None:
        completer = self.completer()
        if not text.strip():
            completer.popup().hide()
            return
        completer.setCompletionPrefix(text)
        if completer.completionCount() == 0:
            completer.popup().hide()
            return
        completer.complete()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Enter with nothing highlighted takes the best (first) match: "Dr H" + Enter completes.
        completer = self.completer()
        if (
            watched is completer.popup()
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not completer.popup().currentIndex().isValid()
            and completer.completionCount() > 0
        ):
            completer.popup().setCurrentIndex(completer.completionModel().index(0, 0))
        return super().eventFilter(watched, event)

    def set_owner_text(self, text: str) -> None:
        """Show `text` as typed, with no register entry chosen."""
        self.setCurrentIndex(-1)
        self.setEditText(text)

    def set_attendees(self, attendees: Sequence[AttendeeData], known_owners: Sequence[tuple[str, str]] = ()) -> None:
        """Offer these people, then the owners already named (name, organisation) who are not among
        them; what is typed stays as it was."""
        text = self.currentText()
        self.attendees_model.clear()
        seen: set[str] = set()
        for attendee in attendees:
            details = ", ".join(p for p in (role_label(attendee.role), attendee.organisation) if p)
            self._add(f"{attendee.name} — {details}" if details else attendee.name, attendee.name,
                      attendee.organisation)
            seen.add(" ".join(attendee.name.split()).casefold())
        for name, organisation in known_owners:
            key = " ".join(name.split()).casefold()
            if not key or key in seen:
                continue
            seen.add(key)
            self._add(f"{name} — {organisation}" if organisation else name, name, organisation)
        self.set_owner_text(text)

    def _add(self, label: str, name: str, organisation: str) -> None:
        item = QStandardItem(label)
        item.setData(name, NameRole)
        item.setData(organisation, OrganisationRole)
        item.setEditable(False)
        self.attendees_model.appendRow(item)

    def attendee_at(self, row: int) -> tuple[str, str] | None:
        """The name and organisation of the register entry in `row`, or None."""
        index = self.attendees_model.index(row, 0)
        if not index.isValid():
            return None
        return index.data(NameRole), index.data(OrganisationRole) or ""
