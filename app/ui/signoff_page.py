"""Sign-off: each panel member confirms the report, the chair signs it (which locks the review),
others countersign, and a signed report changes only through an amendment with a reason.

The signature is made off the UI thread (rendering the report and unlocking the key take a
moment); the page shows a progress bar meanwhile and the rest of the app keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.kloe.roles import PANEL_ROLE_IDS, role_label
from app.models.enums import Attendance
from app.services import people, signoff
from app.services.dto import Actor, AttendeeData, RevisionData
from app.services.errors import ReviewDayError
from app.ui.context import ReviewContext
from app.ui.notes_model import local_time

if TYPE_CHECKING:
    from app.report.publish import SignResult
    from app.security.identities import IdentityInfo, IdentityStore
    from app.ui.worker import BackgroundTask

# The report, signing and identity modules are imported when first used: the workspace builds
# the lock banner from this module for every review, and opening a review must stay quick.

NHS_BLUE = "#005EB8"
SECONDARY_TEXT = "#4c6272"
PROBLEM_COLOUR = "#b3261e"
DONE_COLOUR = "#007f3b"
PRESENT = (Attendance.IN_PERSON, Attendance.REMOTE)


def _when(moment: datetime) -> str:
    return f"{local_time(moment):%d %b %Y at %H:%M}"


def _time(moment: datetime) -> str:
    return f"{local_time(moment):%H:%M}"


# The panel table ------------------------------------------------------------------------------


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
            status, done = tr("Signed at {time}").format(time=_time(signed.at)), True
        elif countersigned:
            status, done = tr("Countersigned at {time}").format(time=_time(countersigned.at)), True
        elif confirmed:
            status, done = tr("Confirmed at {time}").format(time=_time(confirmed.at)), True
        elif member.role in signoff.CHAIR_ROLES:
            status, done = tr("Signs once the others have confirmed"), False
        else:
            status, done = tr("Not confirmed yet"), False
        rows.append(PanelRow(member.name, member.role, status, done))
    return rows


class PanelSignoffModel(QAbstractTableModel):
    """Panel member, role and confirmation for the current revision."""

    NAME, ROLE, STATUS = range(3)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[PanelRow] = []

    def set_rows(self, rows: list[PanelRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> PanelRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 3:
            return (_translate("Panel member"), _translate("Role"), _translate("Confirmation"))[section]
        return None

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (row.name, role_label(row.role), ("✓ " if row.done else "") + row.status)[column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.name}, {role_label(row.role)}, {row.status}"
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS:
            return QColor(DONE_COLOUR if row.done else SECONDARY_TEXT)
        return None


# Small dialogs behind ask() -------------------------------------------------------------------


class AmendmentDialog(QDialog):
    """Asks why a signed report is being amended. The reason is kept with the new revision."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("amendmentDialog")
        self.setWindowTitle(self.tr("Start an amendment"))
        self.setModal(True)
        self.setMinimumWidth(460)
        intro = QLabel(
            self.tr("The signed report stays as it is. Say in a sentence why it needs to change; "
                    "the reason is kept with the new revision and shown on it."),
            self,
        )
        intro.setWordWrap(True)
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("amendmentReason")
        self.reason.setAccessibleName(self.tr("Reason for the amendment"))
        self.reason.setPlaceholderText(self.tr("For example: the deadline for the SLT assessment was wrong."))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.addButton(self.tr("Start the amendment"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("amendmentOk")
        self.ok_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(lambda: self.ok_button.setEnabled(bool(self.value())))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)

    def value(self) -> str:
        return " ".join(self.reason.toPlainText().split())

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        dialog = cls(parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class SavePdfDialog:
    """Where to save a signed PDF; None when the user cancels."""

    @classmethod
    def ask(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            parent, _translate("Save the signed report"), str(suggested), _translate("PDF files (*.pdf)")
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


# The signing job, run off the UI thread ---------------------------------------------------------


def sign_in_background(
    store,
    review_id: int,
    identities: IdentityStore,
    info: IdentityInfo,
    passphrase: str | None,
    actor: Actor,
    location: str = "",
    progress=None,
) -> SignResult:
    """Unlock the key (a deliberately slow key derivation), then sign or countersign."""
    from app.report import publish

    signer = identities.load_signer(info.name, passphrase)
    return publish.sign_report(
        store, review_id, signer=signer, signer_actor=actor, fingerprint=info.fingerprint,
        location=location, progress=progress,
    )


# The page ---------------------------------------------------------------------------------------


class SignoffPage(QWidget):
    """Confirmations, the chair's signature, countersignatures, amendments and the signed copies."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signoffPage")
        self.ctx = ctx
        self._stale = False
        self._task: BackgroundTask | None = None
        self._last_signed: int | None = None
        self._folder: Path | None = None
        self._revision: RevisionData | None = None

        title = QLabel(self.tr("Sign-off"), self)
        title.setObjectName("signoffTitle")
        title.setStyleSheet(f"#signoffTitle {{ font-size: 14pt; font-weight: 600; color: {NHS_BLUE}; }}")
        intro = QLabel(
            self.tr("Each panel member reads the report and confirms it. Then the chair signs it, "
                    "which locks the review. Others may countersign. After that, a change needs an "
                    "amendment with a reason, and the report is signed again."),
            self,
        )
        intro.setObjectName("signoffIntro")
        intro.setWordWrap(True)
        intro.setStyleSheet(f"#signoffIntro {{ color: {SECONDARY_TEXT}; }}")

        # Where the current revision stands.
        self.status_card = QFrame(self)
        self.status_card.setObjectName("signoffStatusCard")
        self.status_heading = QLabel(self.status_card)
        self.status_heading.setObjectName("signoffStatusHeading")
        self.status_heading.setAccessibleName(self.tr("Sign-off status"))
        self.status_detail = QLabel(self.status_card)
        self.status_detail.setObjectName("signoffStatusDetail")
        self.status_detail.setWordWrap(True)
        self.status_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        card_layout = QVBoxLayout(self.status_card)
        card_layout.setContentsMargins(14, 10, 14, 10)
        card_layout.addWidget(self.status_heading)
        card_layout.addWidget(self.status_detail)

        # The panel and their confirmations.
        panel_heading = self._heading(self.tr("Panel"), "signoffPanelHeading")
        self.model = PanelSignoffModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("signoffPanelTable")
        self.table.setAccessibleName(self.tr("Panel members and their confirmations"))
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # read-only; the status card says the same in words
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(PanelSignoffModel.NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PanelSignoffModel.ROLE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PanelSignoffModel.STATUS, QHeaderView.ResizeMode.Stretch)
        self.panel_empty = QLabel(
            self.tr("No panel members are marked as attending. Add them under People and consent."), self
        )
        self.panel_empty.setObjectName("signoffPanelEmpty")
        self.panel_empty.setWordWrap(True)
        self.panel_empty.setStyleSheet(f"#signoffPanelEmpty {{ color: {SECONDARY_TEXT}; }}")

        # What the person writing can do now.
        self.confirm_button = self._button("signoffConfirmButton", self.confirm)
        self.confirm_hint = QLabel(self)
        self.confirm_hint.setObjectName("signoffConfirmHint")
        self.confirm_hint.setWordWrap(True)
        self.confirm_hint.setStyleSheet(f"#signoffConfirmHint {{ color: {SECONDARY_TEXT}; }}")
        self.sign_button = self._button("signoffSignButton", self.sign, self.tr("Sign the report…"))
        self.sign_button.setToolTip(self.tr("The chair signs with their signing identity; this locks the review"))
        self.countersign_button = self._button("signoffCountersignButton", self.countersign)
        self.countersign_button.setToolTip(self.tr("Add your signature to the chair's signed report"))
        self.amend_button = self._button("signoffAmendButton", self.start_amendment, self.tr("Start an amendment…"))
        self.amend_button.setToolTip(self.tr("Unlock the review for a change; the signed report is kept as it is"))
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.confirm_button, self.sign_button, self.countersign_button, self.amend_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.problems = QLabel(self)
        self.problems.setObjectName("signoffProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.setAccessibleName(self.tr("What is needed before the report can be signed"))

        # Progress and outcome of a signature.
        self.progress = QProgressBar(self)
        self.progress.setObjectName("signoffProgress")
        self.progress.setAccessibleName(self.tr("Signing progress"))
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("signoffProgressLabel")
        self.outcome = QLabel(self)
        self.outcome.setObjectName("signoffOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName(self.tr("Result of signing"))
        self.open_button = self._button("signoffOpenButton", self.open_signed_report, self.tr("Open the signed report…"))
        self.open_button.setToolTip(self.tr("Save a copy of the signed report where you choose, then open it"))
        self.outcome_card = QFrame(self)
        self.outcome_card.setObjectName("signoffOutcomeCard")
        outcome_row = QHBoxLayout(self.outcome_card)
        outcome_row.setContentsMargins(12, 8, 8, 8)
        outcome_row.addWidget(self.outcome, 1)
        outcome_row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignVCenter)

        # Every revision, each signed one with its PDF.
        revisions_heading = self._heading(self.tr("Revisions"), "signoffRevisionsHeading")
        self.revisions_box = QWidget(self)
        self.revisions_box.setObjectName("signoffRevisions")
        self.revisions_layout = QVBoxLayout(self.revisions_box)
        self.revisions_layout.setContentsMargins(0, 0, 0, 0)
        self.revisions_layout.setSpacing(6)
        self.revision_buttons: dict[int, QPushButton] = {}

        content = QWidget(self)
        content.setObjectName("signoffContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.status_card)
        layout.addSpacing(4)
        layout.addWidget(panel_heading)
        layout.addWidget(self.table)
        layout.addWidget(self.panel_empty)
        layout.addLayout(buttons)
        layout.addWidget(self.confirm_hint)
        layout.addWidget(self.problems)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome_card)
        layout.addSpacing(4)
        layout.addWidget(revisions_heading)
        layout.addWidget(self.revisions_box)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("signoffScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.setStyleSheet(
            f"QPushButton[primary=\"true\"]:enabled {{ background: {NHS_BLUE}; color: white; font-weight: 600;"
            f" border: 1px solid {NHS_BLUE}; border-radius: 3px; padding: 5px 14px; }}"
            "QPushButton[primary=\"true\"]:enabled:focus { border: 2px solid #ffb81c; }"
        )
        self._show_progress(False)
        self._show_outcome("")
        ctx.changed.connect(self._on_changed)
        self.refresh()

    def _heading(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setStyleSheet(f"#{name} {{ font-weight: 600; color: {NHS_BLUE}; }}")
        return label

    def _button(self, name: str, slot, text: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # Public API -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the revision, the panel's confirmations and what the writer can do."""
        self._stale = False
        ctx = self.ctx
        try:
            revision = signoff.current_revision(ctx.store, ctx.review_id)
            revisions = signoff.list_revisions(ctx.store, ctx.review_id)
            attendees = people.list_attendees(ctx.store, ctx.review_id)
            locked = ctx.review.locked
            problems = [] if locked else signoff.signing_problems(ctx.store, ctx.review_id, self._signer(attendees))
        except ReviewDayError as exc:
            ctx.message.emit(str(exc))
            return
        self._revision = revision
        rows = panel_rows(attendees, revision)
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.panel_empty.setVisible(not rows)
        self._fit_table()
        self._refresh_status(revision, rows, locked)
        self._refresh_actions(revision, locked, problems)
        self._refresh_revisions(revisions)

    def is_busy(self) -> bool:
        return self._task is not None and self._task.is_running()

    def _signer(self, attendees: list[AttendeeData]) -> Actor:
        """Who would sign now: the writer if they chair, else the chair on the register (so the list
        of what is missing is the same whoever looks at it)."""
        actor = self.ctx.actor
        if actor.role in signoff.CHAIR_ROLES:
            return actor
        chair = next((a for a in attendees if a.role in signoff.CHAIR_ROLES and a.attendance in PRESENT), None)
        return Actor(chair.name, chair.role) if chair is not None else actor

    def confirm(self) -> bool:
        """The writer confirms the current revision of the report."""
        self.ctx.flush()
        result = self.ctx.call(signoff.confirm, self.ctx.store, self.ctx.review_id, self.ctx.actor, changed="signoff")
        return result is not None

    def sign(self) -> bool:
        """The chair signs: choose an identity, then sign off the UI thread."""
        return self._start_signing(countersign=False)

    def countersign(self) -> bool:
        return self._start_signing(countersign=True)

    def start_amendment(self) -> bool:
        reason = AmendmentDialog.ask(self)
        if reason is None:
            return False
        result = self.ctx.call(signoff.amend, self.ctx.store, self.ctx.review_id, self.ctx.actor, reason)
        if result is None:
            return False
        self._last_signed = None
        self._show_outcome("")
        self._changed()
        return True

    def save_signed_pdf(self, number: int, *, open_after: bool = False) -> Path | None:
        """Write the signed PDF of revision `number` where the user chooses (atomically)."""
        suggested = (self._folder or default_folder()) / self._file_name(number)
        path = SavePdfDialog.ask(self, suggested)
        if path is None:
            return None
        from app.report.atomic import atomic_write_bytes
        from app.ui import export_dialog

        try:
            atomic_write_bytes(path, signoff.signed_pdf(self.ctx.store, self.ctx.review_id, number))
        except ReviewDayError as exc:
            self._show_outcome(str(exc), problem=True)
            return None
        self._folder = path.parent
        if open_after:
            export_dialog.open_in_system(path)
        return path

    def open_signed_report(self) -> Path | None:
        number = self._last_signed or (self._revision.number if self._revision and self._revision.signed else None)
        if number is None:
            return None
        return self.save_signed_pdf(number, open_after=True)

    # Signing ----------------------------------------------------------------------------------

    def identity_store(self) -> IdentityStore:
        from app.security.identities import IdentityStore, default_identity_dir

        return IdentityStore(default_identity_dir())

    def _start_signing(self, *, countersign: bool) -> bool:
        if self.is_busy():
            return False
        self.ctx.flush()  # what was typed a moment ago belongs in the signed report
        from app.ui.identity_dialog import IdentityDialog
        from app.ui.worker import run_in_background

        identities = self.identity_store()
        actor = self.ctx.actor
        chosen = IdentityDialog.ask(self, identities, actor)
        if chosen is None:
            return False
        info, passphrase = chosen
        self._show_outcome("")
        self.progress_label.setText(
            self.tr("Countersigning the report…") if countersign else self.tr("Signing the report…")
        )
        self._show_progress(True)
        self._set_enabled(False)
        setup = self.ctx.review.setup
        self._task = run_in_background(
            self,
            sign_in_background,
            self.ctx.store,
            self.ctx.review_id,
            identities,
            info,
            passphrase,
            actor,
            setup.hospital,
            on_done=self._signed,
            on_error=self._sign_failed,
            on_progress=self._progress,
        )
        return True

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _signed(self, result: SignResult) -> None:
        self._task = None
        self._show_progress(False)
        self._last_signed = result.revision.number
        latest = [s for s in result.revision.signoffs if s.kind in ("sign", "countersign")]
        who = latest[-1].name if latest else self.ctx.actor.name
        if result.countersigned:
            text = self.tr("Countersigned by {name}. The signed report now carries your signature too.").format(name=who)
        else:
            text = self.tr("Signed by {name}. Revision {n} is locked; a change now needs an amendment.").format(
                name=who, n=result.revision.number
            )
        self._changed()
        self._show_outcome(text, offer_open=True)

    def _sign_failed(self, message: str) -> None:
        self._task = None
        self._show_progress(False)
        self.refresh()
        self._show_outcome(message, problem=True)

    # Refreshing -------------------------------------------------------------------------------

    def _changed(self) -> None:
        self.ctx.reload_review()
        self.ctx.changed.emit("signoff")

    def _on_changed(self, _kind: str) -> None:
        # Confirmations, the register, consent and actions all bear on sign-off.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _fit_table(self) -> None:
        rows = self.model.rowCount()
        header = self.table.horizontalHeader().sizeHint().height()
        row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(header + rows * row_height + 2 * self.table.frameWidth() + 2)

    def _refresh_status(self, revision: RevisionData, rows: list[PanelRow], locked: bool) -> None:
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
                when=_when(signer.at), name=signer.name, role=role_label(signer.role)))
            counters = [s for s in revision.signoffs if s.kind == "countersign"]
            if counters:
                details.append(self.tr("Countersigned by {names}.").format(names=", ".join(s.name for s in counters)))
            colour, background = DONE_COLOUR, "#eef7f1"
        else:
            heading += self.tr(" · not signed yet")
            details.append(self.tr("{done} of {total} panel members have confirmed the report.").format(
                done=confirmed, total=len(others)))
            colour, background = NHS_BLUE, "#eef4fa"
        self.status_heading.setText(heading)
        self.status_detail.setText("\n".join(details))
        self.status_card.setStyleSheet(
            f"#signoffStatusCard {{ background: {background}; border-left: 4px solid {colour}; border-radius: 2px; }}"
            f"#signoffStatusHeading {{ font-size: 12pt; font-weight: 600; color: {colour}; }}"
        )

    def _refresh_actions(self, revision: RevisionData, locked: bool, problems: list[str]) -> None:
        actor = self.ctx.actor
        on_panel = actor.role in PANEL_ROLE_IDS
        is_chair = actor.role in signoff.CHAIR_ROLES
        mine = [s for s in revision.signoffs if (s.name, s.role) == (actor.name, actor.role)]
        confirmed = next((s for s in mine if s.kind == "confirm"), None)
        has_signed = any(s.kind in ("sign", "countersign") for s in mine)

        self.confirm_button.setText(self.tr("Confirm the report as {name}").format(name=actor.name))
        self.confirm_button.setAccessibleName(self.tr("Confirm the report as {name}").format(name=actor.name))
        self.confirm_button.setVisible(not locked and not is_chair)
        self.confirm_button.setEnabled(on_panel and confirmed is None)
        if locked:
            hint = ""
        elif not on_panel:
            hint = self.tr("Only panel members confirm the report. Choose who is writing at the top right.")
        elif confirmed is not None:
            hint = self.tr("{name} confirmed this revision at {time}.").format(name=actor.name, time=_time(confirmed.at))
        elif is_chair:
            hint = self.tr("As chair, you confirm the report by signing it once the others have confirmed.")
        else:
            hint = self.tr("Confirm once you have read the report and agree with it.")
        self.confirm_hint.setText(hint)
        self.confirm_hint.setVisible(bool(hint))

        self.sign_button.setVisible(not locked)
        self.sign_button.setEnabled(is_chair and not problems)
        self.sign_button.setAccessibleName(self.tr("Sign the report as chair"))
        self.sign_button.setToolTip(
            self.tr("Sign with your signing identity; this locks the review") if is_chair
            else self.tr("Only the chair signs the report; other panel members countersign once it is signed.")
        )

        self.countersign_button.setVisible(locked and on_panel and not has_signed)
        self.countersign_button.setText(self.tr("Countersign as {name}…").format(name=actor.name))
        self.countersign_button.setAccessibleName(self.tr("Countersign the report as {name}").format(name=actor.name))
        self.countersign_button.setEnabled(locked and on_panel and not has_signed)
        self.amend_button.setVisible(locked)
        self.amend_button.setEnabled(locked and on_panel)
        self.amend_button.setAccessibleName(self.tr("Start an amendment"))

        if problems:
            items = "".join(f"<li>{_escape(problem)}</li>" for problem in problems)
            heading = self.tr("Before you can sign:") if is_chair else self.tr("Before the chair can sign:")
            self.problems.setText(
                f"<p style='margin:0'><b>{_escape(heading)}</b></p>"
                f"<ul style='margin-top:2px; margin-left:-20px; color:{PROBLEM_COLOUR}'>{items}</ul>"
            )
        self.problems.setVisible(bool(problems))
        # One primary action at a time, in NHS Blue: what this person would do next.
        primary = None
        if not locked and is_chair:
            primary = self.sign_button
        elif not locked and on_panel and confirmed is None:
            primary = self.confirm_button
        for button in (self.confirm_button, self.sign_button, self.countersign_button, self.amend_button):
            button.setProperty("primary", button is primary)
            button.style().unpolish(button)
            button.style().polish(button)
        if self.is_busy():
            self._set_enabled(False)

    def _refresh_revisions(self, revisions: list[RevisionData]) -> None:
        while self.revisions_layout.count():
            item = self.revisions_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # at once: deleteLater would leave it drawn under the new rows
                item.widget().deleteLater()
        self.revision_buttons = {}
        for revision in reversed(revisions):
            self.revisions_layout.addWidget(self._revision_row(revision))
        if not revisions:
            empty = QLabel(self.tr("No revisions yet: the first is made when someone confirms the report."), self)
            empty.setStyleSheet(f"color: {SECONDARY_TEXT};")
            self.revisions_layout.addWidget(empty)

    def _revision_row(self, revision: RevisionData) -> QWidget:
        row = QFrame(self.revisions_box)
        row.setObjectName(f"signoffRevision{revision.number}")
        row.setStyleSheet(f"#signoffRevision{revision.number} {{ border-bottom: 1px solid #d8dde0; }}")
        text = self.tr("Revision {n}").format(n=revision.number)
        parts = []
        signer = next((s for s in revision.signoffs if s.kind == "sign"), None)
        if revision.signed and signer is not None:
            count = sum(1 for s in revision.signoffs if s.kind in ("sign", "countersign"))
            parts.append(self.tr("signed {when} by {name}").format(when=_when(signer.at), name=signer.name))
            parts.append(self.tr("1 signature") if count == 1 else self.tr("{n} signatures").format(n=count))
        else:
            parts.append(self.tr("not signed yet"))
        if revision.reason:
            parts.append(self.tr("amended because: {reason}").format(reason=revision.reason))
        label = QLabel(f"<b>{_escape(text)}</b> · " + _escape(" · ".join(parts)), row)
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
            button.clicked.connect(lambda _=False, n=revision.number: self.save_signed_pdf(n))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.revision_buttons[revision.number] = button
        return row

    def _set_enabled(self, enabled: bool) -> None:
        for button in (self.confirm_button, self.sign_button, self.countersign_button, self.amend_button):
            button.setEnabled(enabled and button.isEnabled())

    def _show_progress(self, visible: bool) -> None:
        if visible:
            self.progress.setRange(0, 0)  # busy until the renderer reports its pages
        self.progress.setVisible(visible)
        self.progress_label.setVisible(visible)

    def _show_outcome(self, text: str, *, problem: bool = False, offer_open: bool = False) -> None:
        self.outcome.setText(text)
        colour = PROBLEM_COLOUR if problem else DONE_COLOUR
        background = "#fdf1f0" if problem else "#eef7f1"
        self.outcome.setStyleSheet(f"#signoffOutcome {{ color: {colour}; font-weight: 600; }}")
        self.outcome_card.setStyleSheet(
            f"#signoffOutcomeCard {{ background: {background}; border: 1px solid {colour}; border-radius: 4px; }}"
        )
        self.outcome.setVisible(bool(text))
        self.outcome_card.setVisible(bool(text))
        self.open_button.setVisible(offer_open)

    def _file_name(self, number: int) -> str:
        from app.report import publish

        base = publish.default_file_name(self.ctx.store, self.ctx.review_id, "pdf")
        return base.removesuffix(".pdf") + f"-signed-revision-{number}.pdf"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _translate(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("SignoffPage", text)


# The banner a locked review shows above every page ---------------------------------------------


class LockBanner(QFrame):
    """'Signed on … by …. To change anything, start an amendment.' Hidden while unlocked."""

    open_signoff = Signal()

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockBanner")
        self.ctx = ctx
        self._on_signoff_page = False
        self.setStyleSheet(
            f"#lockBanner {{ background: #eef4fa; border: 1px solid {NHS_BLUE}; border-radius: 4px; }}"
        )
        self.label = QLabel(self)
        self.label.setObjectName("lockBannerText")
        self.label.setWordWrap(True)
        self.label.setAccessibleName(self.tr("This review is signed and locked"))
        self.button = QPushButton(self.tr("Go to sign-off"), self)
        self.button.setObjectName("lockBannerButton")
        self.button.setAccessibleName(self.tr("Go to the sign-off page"))
        self.button.setAutoDefault(False)
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.clicked.connect(self.open_signoff)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        icon = QLabel(self.tr("Locked"), self)
        icon.setObjectName("lockBannerTag")
        icon.setStyleSheet(
            f"#lockBannerTag {{ background: {NHS_BLUE}; color: white; font-weight: 600; border-radius: 3px; padding: 1px 6px; }}"
        )
        layout.addWidget(icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, _kind: str) -> None:
        self.refresh()

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""

    def set_on_signoff_page(self, on_it: bool) -> None:
        """The sign-off page says the same in its own status card; no need to say it twice."""
        self._on_signoff_page = on_it
        self.refresh()

    def refresh(self) -> None:
        review = self.ctx.review
        if not review.locked or self._on_signoff_page:
            self.hide()
            return
        signer = None
        try:
            revisions = signoff.list_revisions(self.ctx.store, self.ctx.review_id)
        except ReviewDayError:
            revisions = []
        if revisions:
            signer = next((s for s in revisions[-1].signoffs if s.kind == "sign"), None)
        if signer is not None:
            text = self.tr("Signed on {when} by {name}. To change anything, start an amendment.").format(
                when=_when(signer.at), name=signer.name)
        else:
            text = self.tr("Signed on {when}. To change anything, start an amendment.").format(when=_when(review.locked_at))
        self.label.setText(text)
        self.show()
