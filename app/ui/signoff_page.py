"""Sign-off: each panel member confirms the report, the chair signs it (which locks the review),
others countersign, and a signed report changes only through an amendment with a reason.

The signature is made off the UI thread (rendering the report and unlocking the key take a
moment); the page shows a progress bar meanwhile and the rest of the app keeps working.
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.kloe.roles import PANEL_ROLE_IDS
from app.services import people, signoff
from app.services.dto import Actor, AttendeeData, RevisionData
from app.services.errors import ReviewDayError
from app.ui.context import ReviewContext
from app.ui.signoff_dialogs import AmendmentDialog, SavePdfDialog
from app.ui.signoff_panel_model import (
    DONE_COLOUR,
    PRESENT,
    SECONDARY_TEXT,
    PanelSignoffModel,
    panel_rows,
    signed_time,
)
from app.ui.signoff_revisions import RevisionList, RevisionStatusCard
from app.ui.layout_fit import WrappedColumns

if TYPE_CHECKING:
    from app.report.publish import SignResult
    from app.security.identities import IdentityInfo, IdentityStore
    from app.ui.worker import BackgroundTask

# The report, signing and identity modules are imported when first used, so that opening the
# sign-off page stays quick.

NHS_BLUE = "#005EB8"
PROBLEM_COLOUR = "#b3261e"


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
    accept_empty_sections: bool = False,
) -> SignResult:
    """Unlock the key (a deliberately slow key derivation), then sign or countersign. Only with the
    signer's own identity: the signed record and the certificate must name the same person."""
    from app.report import publish
    from app.services.errors import ValidationError

    if not signoff.same_person(info.name, actor.name):
        raise ValidationError(
            f"That signing identity is {info.name}'s; {actor.name} signs with their own signing identity."
        )
    signer = identities.load_signer(info.name, passphrase)
    return publish.sign_report(
        store, review_id, signer=signer, signer_actor=actor, fingerprint=info.fingerprint,
        location=location, progress=progress, accept_empty_sections=accept_empty_sections,
    )


def confirm_in_background(store, review_id: int, identities: IdentityStore, info: IdentityInfo,
                          passphrase: str | None, actor: Actor) -> RevisionData:
    """Unlock the person's own signing identity (proof it is them), then record the confirmation."""
    from app.report import publish

    return publish.confirm_report(store, review_id, actor, identities, info.name, passphrase)


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
        self.last_preview: Path | None = None

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
        self.status_card = RevisionStatusCard(self)
        self.status_heading = self.status_card.heading
        self.status_detail = self.status_card.detail

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
        self.fitted_columns = WrappedColumns(self.table, stretch=PanelSignoffModel.STATUS)  # wrap, never "…"
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
        self.preview_button = self._button("signoffPreviewButton", self.open_report, self.tr("&Open report"))
        self.preview_button.setAccessibleName(self.tr("Open the report to read it"))
        self.preview_button.setToolTip(self.tr("Open the report as it stands in your PDF viewer, to read before confirming"))
        self.amend_button = self._button("signoffAmendButton", self.start_amendment, self.tr("Start an amendment…"))
        self.amend_button.setToolTip(self.tr("Unlock the review for a change; the signed report is kept as it is"))
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.preview_button, self.confirm_button, self.sign_button, self.countersign_button,
                       self.amend_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.empty_warning = QLabel(self)
        self.empty_warning.setObjectName("signoffEmptySections")
        self.empty_warning.setWordWrap(True)
        self.empty_warning.setStyleSheet("#signoffEmptySections { color: #8a4b00; }")
        self.empty_warning.setAccessibleName(self.tr("Sections with nothing written"))

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
        self.revisions_box = RevisionList(self)
        self.revisions_box.save_requested.connect(self.save_signed_pdf)

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
        layout.addWidget(self.empty_warning)
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
            empty = [] if locked else signoff.empty_sections(ctx.store, ctx.review_id)
        except ReviewDayError as exc:
            ctx.message.emit(str(exc))
            return
        self._revision = revision
        rows = panel_rows(attendees, revision)
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.panel_empty.setVisible(not rows)
        self._fit_table()
        self.status_card.show_revision(revision, rows, locked)
        self._refresh_actions(revision, locked, problems)
        self.empty_warning.setText(
            self.tr("Nothing is written in: {names}. The chair is asked to accept that before signing.").format(
                names=", ".join(title for _id, title in empty)) if empty else "")
        self.empty_warning.setVisible(bool(empty))
        self.revisions_box.show_revisions(revisions)

    @property
    def revision_buttons(self) -> dict[int, QPushButton]:
        """The "Save signed PDF…" button of each signed revision, by number."""
        return self.revisions_box.buttons

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
        """The writer confirms the current revision, proven with their own signing identity."""
        if self.is_busy():
            return False
        ctx = self.ctx
        ctx.flush()
        from app.ui.identity_dialog import IdentityDialog
        from app.ui.worker import run_in_background

        identities = self.identity_store()
        actor = ctx.actor
        chosen = IdentityDialog.ask(self, identities, actor)
        if chosen is None:
            return False
        info, passphrase = chosen
        if not signoff.same_person(info.name, actor.name):
            self._show_outcome(
                self.tr("That signing identity is {identity}'s; {name} confirms with their own.").format(
                    identity=info.name, name=actor.name), problem=True)
            return False
        self._show_outcome("")
        self.progress_label.setText(self.tr("Checking {name}'s signing identity…").format(name=actor.name))
        self._show_progress(True)
        self._set_enabled(False)
        self._task = run_in_background(
            self, confirm_in_background, ctx.store, ctx.review_id, identities, info, passphrase, actor,
            on_done=self._confirmed, on_error=self._sign_failed,
        )
        return True

    def _confirmed(self, revision: RevisionData) -> None:
        self._task = None
        self._show_progress(False)
        self.ctx.saved.emit(self.ctx.now())
        self._changed()

    def open_report(self) -> bool:
        """Render the report as it stands into a private folder and open it in the PDF viewer."""
        if self.is_busy():
            return False
        from app.ui import report_preview
        from app.ui.worker import run_in_background

        self.ctx.flush()
        self.progress_label.setText(self.tr("Preparing the report…"))
        self._show_progress(True)
        self._set_enabled(False)
        name = self._file_name(self._revision.number if self._revision else 1).replace("-signed-", "-")
        self._task = run_in_background(
            self, report_preview.render_preview, self.ctx.store, self.ctx.review_id, name,
            on_done=self._preview_ready, on_error=self._sign_failed, on_progress=self._progress,
        )
        return True

    def _preview_ready(self, path: Path) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from app.ui import report_preview

        self._task = None
        self._show_progress(False)
        self.refresh()
        report_preview.clean_up(keep=path)  # one preview at a time
        self.last_preview = path
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self._show_outcome(self.tr("No PDF viewer opened the report."), problem=True)

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
        from app.ui import export_dialog

        suggested = (self._folder or export_dialog.default_folder()) / self._file_name(number)
        path = SavePdfDialog.ask(self, suggested)
        if path is None:
            return None
        from app.report.atomic import atomic_write_bytes

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

        from app.ui.signoff_dialogs import EmptySectionsDialog

        accept_empty = False
        if not countersign:
            empty = signoff.empty_sections(self.ctx.store, self.ctx.review_id)
            if empty:
                if not EmptySectionsDialog.ask(self, [title for _id, title in empty]):
                    return False
                accept_empty = True
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
            accept_empty_sections=accept_empty,
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

    def _refresh_actions(self, revision: RevisionData, locked: bool, problems: list[str]) -> None:
        self.preview_button.setEnabled(True)
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
            hint = self.tr("{name} confirmed this revision at {time}.").format(name=actor.name, time=signed_time(confirmed.at))
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
            items = "".join(f"<li>{escape(problem, quote=False)}</li>" for problem in problems)
            heading = self.tr("Before you can sign:") if is_chair else self.tr("Before the chair can sign:")
            self.problems.setText(
                f"<p style='margin:0'><b>{escape(heading, quote=False)}</b></p>"
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

    def _set_enabled(self, enabled: bool) -> None:
        for button in (self.preview_button, self.confirm_button, self.sign_button, self.countersign_button,
                       self.amend_button):
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
