"""The sign-off page's view of the report's revisions: where the current one stands, and every one."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.kloe.roles import role_label
from app.services import signoff
from app.services.dto import RevisionData
from app.ui.signoff_panel_model import DONE_COLOUR, SECONDARY_TEXT, PanelRow, signed_on

NHS_BLUE = "#005EB8"


class RevisionStatusCard(QFrame):
    """Where the current revision stands: signed and locked, or how many have confirmed it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signoffStatusCard")
        self.heading = QLabel(self)
        self.heading.setObjectName("signoffStatusHeading")
        self.heading.setWordWrap(True)  # large text: wraps rather than widen the page
        self.heading.setAccessibleName(self.tr("Sign-off status"))
        self.detail = QLabel(self)
        self.detail.setObjectName("signoffStatusDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.heading)
        layout.addWidget(self.detail)

    def show_revision(self, revision: RevisionData, rows: list[PanelRow], locked: bool) -> None:
        others = [row for row in rows if row.role not in signoff.CHAIR_ROLES]
        confirmed = sum(1 for row in others if row.done)
        heading = self.tr("Revision {n}").format(n=revision.number)
        details = []
        if revision.reason:
            details.append(self.tr("Amendment started by {who}: {reason}").format(
                who=revision.created_by or self.tr("a panel member"), reason=revision.reason))
        signer = next((s for s in revision.signoffs if s.kind == "sign"), None)
        if locked and signer is not None:
            heading += self.tr(" · signed and locked")
            details.append(self.tr("Signed on {when} by {name} ({role}). To change anything, start an amendment.").format(
                when=signed_on(signer.at), name=signer.name, role=role_label(signer.role)))
            counters = [s for s in revision.signoffs if s.kind == "countersign"]
            if counters:
                details.append(self.tr("Countersigned by {names}.").format(names=", ".join(s.name for s in counters)))
            colour, background = DONE_COLOUR, "#eef7f1"
        else:
            heading += self.tr(" · not signed yet")
            details.append(self.tr("{done} of {total} panel members have confirmed the report.").format(
                done=confirmed, total=len(others)))
            colour, background = NHS_BLUE, "#eef4fa"
        self.heading.setText(heading)
        self.detail.setText("\n".join(details))
        self.setStyleSheet(
            f"#signoffStatusCard {{ background: {background}; border-left: 4px solid {colour}; border-radius: 2px; }}"
            f"#signoffStatusHeading {{ font-size: 12pt; font-weight: 600; color: {colour}; }}"
        )


class RevisionList(QWidget):
    """Every revision, newest first, each signed one with a button that saves its signed PDF."""

    save_requested = Signal(int)  # the revision number

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signoffRevisions")
        self.rows_layout = QVBoxLayout(self)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(6)
        self.buttons: dict[int, QPushButton] = {}

    def show_revisions(self, revisions: list[RevisionData]) -> None:
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # at once: deleteLater would leave it drawn under the new rows
                item.widget().deleteLater()
        self.buttons = {}
        for revision in reversed(revisions):
            self.rows_layout.addWidget(self._revision_row(revision))
        if not revisions:
            empty = QLabel(self.tr("No revisions yet: the first is made when someone confirms the report."), self)
            empty.setStyleSheet(f"color: {SECONDARY_TEXT};")
            self.rows_layout.addWidget(empty)

    def _revision_row(self, revision: RevisionData) -> QWidget:
        row = QFrame(self)
        row.setObjectName(f"signoffRevision{revision.number}")
        row.setStyleSheet(f"#signoffRevision{revision.number} {{ border-bottom: 1px solid #d8dde0; }}")
        text = self.tr("Revision {n}").format(n=revision.number)
        parts = []
        signer = next((s for s in revision.signoffs if s.kind == "sign"), None)
        if revision.signed and signer is not None:
            count = sum(1 for s in revision.signoffs if s.kind in ("sign", "countersign"))
            parts.append(self.tr("signed {when} by {name}").format(when=signed_on(signer.at), name=signer.name))
            parts.append(self.tr("1 signature") if count == 1 else self.tr("{n} signatures").format(n=count))
        else:
            parts.append(self.tr("not signed yet"))
        if revision.reason:
            parts.append(self.tr("amended because: {reason}").format(reason=revision.reason))
        label = QLabel(f"<b>{escape(text, quote=False)}</b> · " + escape(" · ".join(parts), quote=False), row)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 4, 0, 6)
        layout.addWidget(label, 1)
        if revision.signed:
            button = QPushButton(self.tr("Save signed PDF…"), row)
            button.setObjectName(f"signoffSaveRevision{revision.number}")
            button.setAccessibleName(self.tr("Save the signed PDF of revision {n}").format(n=revision.number))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, n=revision.number: self.save_requested.emit(n))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.buttons[revision.number] = button
        return row
