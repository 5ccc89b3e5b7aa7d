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
