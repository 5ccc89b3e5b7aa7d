"""The sign-off page's small dialogs, each behind ask(): the reason for an amendment, where to save a PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


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


def _translate(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("SignoffPage", text)


class EmptySectionsDialog(QDialog):
    """Before the chair signs with sections nothing was written in: names them, and signing goes
    ahead only when the chair explicitly accepts that they stay empty (which is recorded)."""

    def __init__(self, titles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptySectionsDialog")
        self.setWindowTitle(self.tr("Sections with nothing written"))
        self.setModal(True)
        self.setMinimumWidth(460)
        intro = QLabel(
            self.tr("Nothing is written in these sections: {names}. The signed report will show them empty. "
                    "Sign anyway only if that is right; your acceptance is recorded with the signature.").format(
                names=", ".join(titles)),
            self,
        )
        intro.setObjectName("emptySectionsText")
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.accept_button = buttons.addButton(self.tr("Accept the empty sections and sign"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setObjectName("emptySectionsAccept")
        self.accept_button.setAutoDefault(False)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)  # Enter alone does not accept
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, titles: list[str]) -> bool:
        dialog = cls(titles, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
