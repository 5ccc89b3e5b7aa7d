"""The left-hand list of the day's parts, with progress marks and badges."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QMargins, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.kloe import Template
from app.models.enums import SectionStatus
from app.services.dto import AttendeeData, RevisionData, SectionStateData

SETUP, PEOPLE, AGENDA, HEADLINE, ACTIONS = "setup", "people", "agenda", "headline", "actions"
SIGNOFF = "signoff"
PLANNING, AFTER_DAY = "planning", "after_day"
AUDIT = "audit"
SECTION_PREFIX = "section:"

ItemIdRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class NavItem:
    key: str
    title: str
    badge: str = ""
    mark: str = ""
    safeguarding: bool = False
    enabled: bool = True

    @property
    def section_id(self) -> str | None:
        return self.key.removeprefix(SECTION_PREFIX) if self.key.startswith(SECTION_PREFIX) else None


_MARKS = {
    SectionStatus.NOT_STARTED: "○",
    SectionStatus.IN_PROGRESS: "◐",
    SectionStatus.DONE: "●",
}


def build_items(
    template: Template,
    states: list[SectionStateData],
    *,
    consent_recorded: bool,
    attendee_count: int,
    action_count: int,
    actions_missing: int,
    headline_answered: int,
    signoff: tuple[str, str] | None = None,
    audit: bool = False,
    planning: tuple[str, str] | None = None,
    after_day: tuple[str, str] | None = None,
    plain_words_missing: int = 0,
) -> list[NavItem]:
    """The day's parts in order. `signoff`, `planning` and `after_day` are those items' (badge, mark);
    None leaves an item out."""
    tr = _translate
    by_id = {state.section_id: state for state in states}
    items = [
        NavItem(SETUP, tr("Set-up")),
        NavItem(
            PEOPLE,
            tr("People and consent"),
            badge=(tr("1 person") if attendee_count == 1 else tr("{n} people")).format(n=attendee_count)
            + ("" if consent_recorded else tr(" · consent needed")),
            mark="●" if consent_recorded else "!",
        ),
    ]
    if planning is not None:
        items.append(NavItem(PLANNING, tr("Planning before the day"), badge=planning[0], mark=planning[1]))
    items.append(NavItem(AGENDA, tr("Agenda")))
    for section in template.sections:
        state = by_id.get(section.id)
        parts = []
        if state and state.notes:
            parts.append((tr("1 note") if state.notes == 1 else tr("{n} notes")).format(n=state.notes))
        if state and state.concerns:
            parts.append((tr("1 concern") if state.concerns == 1 else tr("{n} concerns")).format(n=state.concerns))
        items.append(
            NavItem(
                SECTION_PREFIX + section.id,
                f"{section.number}. {section.title}",
                badge=" · ".join(parts),
                mark=_MARKS[state.status] if state else "○",
                safeguarding=bool(state and state.safeguarding),
                enabled=consent_recorded,
            )
        )
    items.append(
        NavItem(HEADLINE, tr("Headline questions"), badge=tr("{n} of 4 answered").format(n=headline_answered))
    )
    badge = (tr("1 action") if action_count == 1 else tr("{n} actions")).format(n=action_count)
    if actions_missing:
        badge += tr(" · {n} need owner or date").format(n=actions_missing)
    if plain_words_missing:
        badge += tr(" · {n} need plain words").format(n=plain_words_missing)
    items.append(NavItem(ACTIONS, tr("Recommendations"), badge=badge,
                         mark="!" if actions_missing or plain_words_missing else ""))
    if signoff is not None:
        items.append(NavItem(SIGNOFF, tr("Sign-off"), badge=signoff[0], mark=signoff[1]))
    if after_day is not None:
        items.append(NavItem(AFTER_DAY, tr("After the day"), badge=after_day[0], mark=after_day[1]))
    if audit:
        items.append(NavItem(AUDIT, tr("Audit trail")))
    return items


def signoff_badge(revision: RevisionData | None, attendees: list[AttendeeData]) -> tuple[str, str]:
    """("Signed, revision 1", "●") or ("2 of 4 confirmed", "◐"): confirmations of panel members
    present other than the chair, who confirms by signing."""
    from app.kloe.roles import PANEL_ROLE_IDS
    from app.models.enums import Attendance
    from app.services.signoff import CHAIR_ROLES

    tr = _translate
    number = revision.number if revision else 1
    if revision is not None and revision.signed:
        return tr("Signed, revision {n}").format(n=number), "●"
    others = [
        (a.name, a.role) for a in attendees
        if a.role in PANEL_ROLE_IDS and a.role not in CHAIR_ROLES
        and a.attendance in (Attendance.IN_PERSON, Attendance.REMOTE)
    ]
    done = sum(1 for name, role in others if revision is not None and revision.confirmed_by(name, role))
    badge = tr("{done} of {total} confirmed").format(done=done, total=len(others))
    if number > 1:
        badge = tr("Revision {n}").format(n=number) + " · " + badge
    return badge, ("◐" if done else "○")


def _translate(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("Navigator", text)


class NavigatorModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[NavItem] = []

    def set_items(self, items: list[NavItem]) -> None:
        if [i.key for i in items] == [i.key for i in self._items]:
            self._items = items
            if items:
                self.dataChanged.emit(self.index(0), self.index(len(items) - 1))
            return
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def item(self, row: int) -> NavItem:
        return self._items[row]

    def row_of(self, key: str) -> int:
        for row, item in enumerate(self._items):
            if item.key == key:
                return row
        return -1

    def keys(self) -> list[str]:
        return [item.key for item in self._items]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable
        if self._items[index.row()].enabled:
            flags |= Qt.ItemFlag.ItemIsEnabled
        return flags

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            mark = f"{item.mark}  " if item.mark else "    "
            flag = "  ⚑ " + _translate("Safeguarding") if item.safeguarding else ""
            text = f"{mark}{item.title}{flag}"
            return f"{text}\n      {item.badge}" if item.badge else text
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = item.title
            if not item.enabled:
                tip += " — " + _translate("record the consent basis to open the sections")
            return tip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [item.title, item.badge]
            if item.safeguarding:
                parts.append(_translate("safeguarding concern"))
            return ", ".join(p for p in parts if p)
        if role == Qt.ItemDataRole.ForegroundRole and item.safeguarding:
            return QColor("#8a1538")
        if role == Qt.ItemDataRole.FontRole and item.key.startswith(SECTION_PREFIX) is False:
            font = QFont()
            font.setBold(True)
            return font
        if role == ItemIdRole:
            return item.key
        return None


class NavigatorDelegate(QStyledItemDelegate):
    """Draws an entry's lines wrapped to the list's width, and measures them with that same width.

    Qt's style sheets measure wrapped item text without the item's padding and paint it with the
    padding, so at large text a row came out a line short and its last line ("14 people") was
    elided. Here one rectangle serves both; the style still draws the background, the selection
    and the focus frame.
    """

    PADDING = QMargins(4, 6, 4, 6)

    def _text_rect(self, item_rect: QRect) -> QRect:
        return item_rect.marginsRemoved(self.PADDING)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802 - Qt override
        view = self.parent()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = max(1, view.viewport().width() - 2 * view.spacing())
        text = self._text_rect(QRect(0, 0, width, 100_000))
        height = QFontMetrics(opt.font).boundingRect(text, int(Qt.TextFlag.TextWordWrap), opt.text).height()
        return QSize(width, height + self.PADDING.top() + self.PADDING.bottom())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if opt.state & QStyle.StateFlag.State_Selected:
            colour = opt.palette.color(QPalette.ColorRole.HighlightedText)
        elif not opt.state & QStyle.StateFlag.State_Enabled:
            # The style sheet's colour covers every state of the view's palette; the application
            # palette has the theme's own colour for what cannot be used yet.
            colour = QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        else:
            colour = opt.palette.color(QPalette.ColorRole.Text)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(colour)
        painter.drawText(self._text_rect(opt.rect),
                         int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()
