"""Verify a report: is a signed PDF intact, who signed it, and is their certificate trusted?

Works on any PDF, with or without a review open. The check runs off the UI thread and
entirely on this computer (no network, not the system's trust store).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.report.verify import NOT_SIGNED, SignatureCheck, VerifyResult, describe, load_trust_certificates, verify_pdf
from app.services.errors import ReviewDayError
from app.ui.notes_model import local_time
from app.ui.worker import BackgroundTask, run_in_background
from app.ui.theme import FIELD_BORDER, SECONDARY_TEXT

NHS_BLUE = "#005EB8"
PROBLEM_COLOUR = "#b3261e"
DONE_COLOUR = "#007f3b"


def _tr(text: str) -> str:
    return QCoreApplication.translate("VerifyWindow", text)


class OpenPdfDialog:
    """Which PDF to check; None when the user cancels."""

    @classmethod
    def ask(cls, parent: QWidget | None, start: Path | None = None) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            parent, _tr("Choose a report to verify"), str(start or Path.home()), _tr("PDF files (*.pdf);;All files (*)")
        )
        return Path(chosen) if chosen else None


class CertificateDialog:
    """A certificate file (PEM or DER) to trust for this check; None when the user cancels."""

    @classmethod
    def ask(cls, parent: QWidget | None, start: Path | None = None) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            parent, _tr("Choose a certificate to trust"), str(start or Path.home()),
            _tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"),
        )
        return Path(chosen) if chosen else None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _mark(flag: bool) -> str:
    return "✓" if flag else "✗"


class SignatureCard(QFrame):
    """One signature: who, when, and each check in plain words."""

    def __init__(self, number: int, check: SignatureCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"verifySignature{number}")
        colour = DONE_COLOUR if check.ok else PROBLEM_COLOUR
        self.setStyleSheet(
            f"#verifySignature{number} {{ background: #f7f9fa; border-left: 4px solid {colour}; border-radius: 2px; }}"
        )
        who = check.signer + (f", {check.role}" if check.role else "")
        heading = QLabel(self.tr("Signature {n} · {who}").format(n=number, who=who), self)
        heading.setObjectName("verifySignatureHeading")
        heading.setStyleSheet("font-weight: 600;")
        if check.signed_at is not None:
            when = self.tr("Signed {when} (by the signer's computer clock)").format(
                when=f"{local_time(check.signed_at):%d %B %Y at %H:%M}")
        else:
            when = self.tr("The time of signing is not recorded")
        coverage = (self.tr("covers the whole file") if check.covers_whole_file
                    else self.tr("does not cover the whole file"))
        checks = "   ".join((
            f"{_mark(check.intact)} " + (self.tr("intact") if check.intact else self.tr("not intact")),
            f"{_mark(check.valid)} " + (self.tr("valid") if check.valid else self.tr("not valid")),
            f"{_mark(check.covers_whole_file)} {coverage}",
        ))
        if check.trusted:
            trust = self.tr("✓ Trusted: the certificate is one you chose to trust.")
        elif check.self_signed:
            trust = self.tr("Not on your trusted list: a self-signed certificate (Adobe Reader says \"validity unknown\").")
        else:
            trust = self.tr("Not on your trusted list (Adobe Reader says \"validity unknown\").")
        lines = [QLabel(when, self), QLabel(checks, self), QLabel(trust, self)]
        fingerprint = QLabel(self.tr("Certificate fingerprint (SHA-256): {fp}").format(fp=check.fingerprint_display or "—"), self)
        fingerprint.setObjectName("verifyFingerprint")
        fingerprint.setWordWrap(True)
        fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fingerprint.setStyleSheet(f"color: {SECONDARY_TEXT}; font-family: monospace;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(3)
        layout.addWidget(heading)
        for label in lines:
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(fingerprint)
        if check.problem:
            problem = QLabel(self.tr("Problem: {problem}.").format(problem=check.problem), self)
            problem.setObjectName("verifySignatureProblem")
            problem.setWordWrap(True)
            problem.setStyleSheet(f"color: {PROBLEM_COLOUR}; font-weight: 600;")
            layout.addWidget(problem)
        self.setAccessibleName(heading.text())
        self.setAccessibleDescription(" ".join(label.text() for label in lines) + (f" {check.problem}" if check.problem else ""))


class VerifyWindow(QWidget):
    """Pick or drop a PDF; see at once whether it is intact and signed, and by whom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("verifyWindow")
        self.setWindowTitle(self.tr("Verify a report"))
        self.setAcceptDrops(True)
        self.resize(760, 640)
        self.path: Path | None = None
        self.result: VerifyResult | None = None
        self.trusted: list[Path] = []
        self._task: BackgroundTask | None = None
        self.signature_cards: list[SignatureCard] = []

        title = QLabel(self.tr("Verify a signed report"), self)
        title.setObjectName("verifyTitle")
        title.setStyleSheet(f"#verifyTitle {{ font-size: 14pt; font-weight: 600; color: {NHS_BLUE}; }}")
        intro = QLabel(
            self.tr("Choose a PDF report, or drop one onto this window. The check runs on this computer; "
                    "nothing is sent anywhere."),
            self,
        )
        intro.setObjectName("verifyIntro")
        intro.setWordWrap(True)
        intro.setStyleSheet(f"#verifyIntro {{ color: {SECONDARY_TEXT}; }}")

        self.choose_button = QPushButton(self.tr("Choose a PDF…"), self)
        self.choose_button.setObjectName("verifyChoose")
        self.choose_button.setAccessibleName(self.tr("Choose a PDF to verify"))
        self.choose_button.setToolTip(self.tr("Choose a PDF to verify (Ctrl+O)"))
        self.choose_button.clicked.connect(self.choose_file)
        open_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Open), self)
        open_key.activated.connect(self.choose_file)
        self.trust_button = QPushButton(self.tr("Trust a certificate…"), self)
        self.trust_button.setObjectName("verifyTrust")
        self.trust_button.setAccessibleName(self.tr("Trust a certificate"))
        self.trust_button.setToolTip(
            self.tr("A certificate file the signer gave you; signatures made with it then show as trusted")
        )
        self.trust_button.setAutoDefault(False)
        self.trust_button.clicked.connect(self.add_trusted_certificate)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.trust_button)
        buttons.addStretch(1)

        self.file_label = QLabel(self.tr("No file chosen yet. Drop a PDF here."), self)
        self.file_label.setObjectName("verifyFile")
        self.file_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.file_label.setWordWrap(True)
        self.file_label.setMinimumHeight(48)
        self.file_label.setStyleSheet(
            f"#verifyFile {{ border: 2px dashed {FIELD_BORDER}; border-radius: 6px; color: {SECONDARY_TEXT}; padding: 8px; }}"
        )
        self.trusted_label = QLabel(self)
        self.trusted_label.setObjectName("verifyTrusted")
        self.trusted_label.setWordWrap(True)
        self.trusted_label.setStyleSheet(f"#verifyTrusted {{ color: {SECONDARY_TEXT}; }}")
        self.trusted_label.hide()

        self.progress = QProgressBar(self)
        self.progress.setObjectName("verifyProgress")
        self.progress.setAccessibleName(self.tr("Checking"))
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()

        self.verdict = QLabel(self)
        self.verdict.setObjectName("verifyVerdict")
        self.verdict.setAccessibleName(self.tr("Verdict"))
        self.verdict.setWordWrap(True)
        verdict_font = QFont(self.font())
        verdict_font.setPointSizeF(max(self.font().pointSizeF(), 9.0) * 1.8)
        verdict_font.setBold(True)
        self.verdict.setFont(verdict_font)
        self.verdict_detail = QLabel(self)
        self.verdict_detail.setObjectName("verifyVerdictDetail")
        self.verdict_detail.setWordWrap(True)
        self.trust_note = QLabel(self)
        self.trust_note.setObjectName("verifyTrustNote")
        self.trust_note.setWordWrap(True)
        self.trust_note.setStyleSheet(
            "#verifyTrustNote { background: #fff9e6; border: 1px solid #e6b800; border-radius: 4px; padding: 8px; }"
        )

        self.signatures = QWidget(self)
        self.signatures.setObjectName("verifySignatures")
        self.signatures_layout = QVBoxLayout(self.signatures)
        self.signatures_layout.setContentsMargins(0, 0, 0, 0)
        self.signatures_layout.setSpacing(8)

        self.details_button = QPushButton(self.tr("Show the full check"), self)
        self.details_button.setObjectName("verifyDetailsToggle")
        self.details_button.setAccessibleName(self.tr("Show or hide the full check as text"))
        self.details_button.setCheckable(True)
        self.details_button.setAutoDefault(False)
        self.details_button.toggled.connect(self._toggle_details)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("verifyDetails")
        self.details.setAccessibleName(self.tr("The full check as text"))
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(160)
        self.details.hide()

        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.file_label)
        layout.addWidget(self.trusted_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.verdict)
        layout.addWidget(self.verdict_detail)
        layout.addWidget(self.trust_note)
        layout.addWidget(self.signatures)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._show_result(None)

    # Public API -------------------------------------------------------------------------------

    def choose_file(self) -> bool:
        path = OpenPdfDialog.ask(self, self.path.parent if self.path else None)
        return self.verify_file(path) if path is not None else False

    def verify_file(self, path: Path) -> bool:
        """Check `path` in the background; the verdict appears when done."""
        if self.is_busy():
            return False
        self.path = Path(path)
        self.file_label.setText(str(self.path))
        self._show_result(None)
        self.progress.show()
        self.choose_button.setEnabled(False)
        self.trust_button.setEnabled(False)
        self._task = run_in_background(
            self, verify_pdf, self.path, trust=tuple(self.trusted), on_done=self._checked, on_error=self._check_failed
        )
        return True

    def add_trusted_certificate(self) -> bool:
        path = CertificateDialog.ask(self)
        if path is None:
            return False
        try:
            load_trust_certificates([path])
        except ReviewDayError as exc:
            self._show_error(self.tr("Could not use that certificate"), str(exc))
            return False
        if path not in self.trusted:
            self.trusted.append(path)
        self.trusted_label.setText(self.tr("Trusting for this check: {names}").format(
            names=", ".join(p.name for p in self.trusted)))
        self.trusted_label.show()
        if self.path is not None:
            self.verify_file(self.path)
        return True

    def is_busy(self) -> bool:
        return self._task is not None and self._task.is_running()

    def verdict_text(self) -> str:
        return self.verdict.text() if not self.verdict.isHidden() else ""

    # Dropping a file --------------------------------------------------------------------------

    def _dropped_pdf(self, event) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile():
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._dropped_pdf(event) is not None and not self.is_busy():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        path = self._dropped_pdf(event)
        if path is None or self.is_busy():
            event.ignore()
            return
        event.acceptProposedAction()
        self.verify_file(path)

    # Showing the result -----------------------------------------------------------------------

    def _checked(self, result: VerifyResult) -> None:
        self._done()
        self._show_result(result)

    def _check_failed(self, message: str) -> None:
        self._done()
        self._show_error(self.tr("Could not check the file"), message)

    def _done(self) -> None:
        self._task = None
        self.progress.hide()
        self.choose_button.setEnabled(True)
        self.trust_button.setEnabled(True)

    def _clear_signatures(self) -> None:
        self.signature_cards = []
        while self.signatures_layout.count():
            item = self.signatures_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # at once: deleteLater alone would leave it drawn a moment
                item.widget().deleteLater()

    def _show_result(self, result: VerifyResult | None) -> None:
        self.result = result
        self._clear_signatures()
        self.trust_note.hide()
        if result is None:
            for widget in (self.verdict, self.verdict_detail, self.details_button, self.details):
                widget.hide()
            return
        if result.ok:
            self._set_verdict(self.tr("✓ Intact and signed"), DONE_COLOUR)
            count = len(result.signatures)
            self.verdict_detail.setText(
                (self.tr("1 signature.") if count == 1 else self.tr("{n} signatures.").format(n=count)) + " "
                + self.tr("Every signature is intact and nothing was changed after signing.")
            )
            if not result.trusted:
                self.trust_note.setText(self.tr(
                    "Who signed: the certificates here are not on your trusted list, so Adobe Reader will show "
                    "\"validity unknown\" even though the file is intact. To be sure who signed, compare the "
                    "certificate fingerprint below with the one the signer gives you, or use Trust a certificate… "
                    "with the certificate file they send you."
                ))
                self.trust_note.show()
        else:
            self._set_verdict("✗ " + _capitalised(result.reason), PROBLEM_COLOUR)
            if result.reason == NOT_SIGNED:
                detail = self.tr("This PDF carries no signature. A signed ReviewDay report has at least the chair's.")
            else:
                detail = self.tr("Do not rely on this copy. Ask the chair for the signed report again.")
            self.verdict_detail.setText(detail)
        self.verdict_detail.show()
        for number, check in enumerate(result.signatures, start=1):
            card = SignatureCard(number, check, self.signatures)
            self.signatures_layout.addWidget(card)
            self.signature_cards.append(card)
        lines = describe(result, file_name=self.path.name if self.path else "")
        self.details.setPlainText("\n".join(lines))
        self.details_button.show()
        self.details.setVisible(self.details_button.isChecked())

    def _show_error(self, heading: str, message: str) -> None:
        self._clear_signatures()
        self.trust_note.hide()
        self._set_verdict("✗ " + heading, PROBLEM_COLOUR)
        self.verdict_detail.setText(message)
        self.verdict_detail.show()
        self.details_button.hide()
        self.details.hide()

    def _set_verdict(self, text: str, colour: str) -> None:
        self.verdict.setText(text)
        self.verdict.setStyleSheet(f"#verifyVerdict {{ color: {colour}; }}")
        self.verdict.show()

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(self.tr("Hide the full check") if shown else self.tr("Show the full check"))
