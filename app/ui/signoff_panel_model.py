"""The sign-off page's panel table: each panel member present and where they are in the sign-off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.kloe.roles import PANEL_ROLE_IDS, role_label
from app.models.enums import Attendance
from app.services import signoff
from app.services.dto import AttendeeData, RevisionData
from app.ui.notes_model import local_time
from app.ui.row_table_model import RowTableModel
from app.ui.theme import SECONDARY_TEXT

DONE_COLOUR = "#007f3b"
PRESENT = (Attendance.IN_PERSON, Attendance.REMOTE)


def signed_on(moment: datetime) -> str:
    return f"{local_time(moment):%d %b %Y at %H:%M}"


def signed_time(moment: datetime) -> str:
    return f"{local_time(moment):%H:%M}"


@dataclass(frozen=True)
class PanelRow:
    name: str
    role: str
    status: str  # what the Confirmation column says
    done: bool  # confirmed, signed or countersigned


def panel_rows(attendees: list[AttendeeData], revision: RevisionData) -> list[PanelRow]:
    """The panel members present, each with where they are in the sign-off of this revision."""
    tr = _translate
    rows = []
    for member in attendees:
        if member.role not in PANEL_ROLE_IDS or member.attendance not in PRESENT:
            continue
        mine = [s for s in revision.signoffs if (s.name, s.role) == (member.name, member.role)]
        signed = next((s for s in mine if s.kind == "sign"), None)
        countersigned = next((s for s in mine if s.kind == "countersign"), None)
        confirmed = next((s for s in mine if s.kind == "confirm"), None)
        if signed:
            status, done = tr("Signed at {time}").format(time=signed_time(signed.at)), True
        elif countersigned:
            status, done = tr("Countersigned at {time}").format(time=signed_time(countersigned.at)), True
        elif confirmed:
            status, done = tr("Confirmed at {time}").format(time=signed_time(confirmed.at)), True
        elif member.role in signoff.CHAIR_ROLES:
            status, done = tr("Signs once the others have confirmed"), False
        else:
            status, done = tr("Not confirmed yet"), False
        rows.append(PanelRow(member.name, member.role, status, done))
    return rows


class PanelSignoffModel(RowTableModel[PanelRow]):
    """Panel member, role and confirmation for the current revision."""

    NAME, ROLE, STATUS = range(3)

    def headers(self) -> tuple[str, str, str]:
        return (_translate("Panel member"), _translate("Role"), _translate("Confirmation"))

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.item_at(index)
        if row is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (row.name, role_label(row.role), ("✓ " if row.done else "") + row.status)[column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.name}, {role_label(row.role)}, {row.status}"
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS:
            return QColor(DONE_COLOUR if row.done else SECONDARY_TEXT)
        return None


def _translate(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("SignoffPage", text)
