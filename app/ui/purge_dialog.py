"""Export and purge: everything about a signed review goes to a folder, then leaves this computer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.report.archive import export_and_purge
from app.ui.context import ReviewContext
from app.ui.worker import run_in_background


class PurgeFolderDialog:
    @staticmethod
    def ask(parent: QWidget | None) -> Path | None:
        folder = QFileDialog.getExistingDirectory(parent, parent.tr("Choose where to keep the exports") if parent else "")
        return Path(folder) if folder else None


class PurgeConfirmation:
    @staticmethod
    def ask(parent: QWidget | None, folder: Path) -> bool:
        # One of the few modal questions: deleting a review from this computer cannot be undone.
        answer = QMessageBox.question(
            parent,
            "ReviewDay",
            QCoreApplication.translate(
                "PurgeConfirmation",
                "Export every report and the signed PDFs to {folder}, check them, and then delete this "
                "review from this computer? This cannot be undone.",
            ).format(folder=folder),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes


class PurgeDialog(QDialog):
    """Runs export_and_purge off the UI thread with progress; emits purged when the review is gone."""

    purged = Signal(str)  # the folder the exports went to

    def __init__(self, ctx: ReviewContext, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("purgeDialog")
        self.setWindowTitle(self.tr("Export and purge"))
        self.ctx = ctx
        self.folder = folder
        self.status = QLabel(self.tr("Exporting and checking the files…"), self)
        self.status.setObjectName("purgeStatus")
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Export progress"))
        self.progress.setRange(0, 0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.buttons.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.task = None
        self.succeeded = False

    def start(self) -> None:
        self.ctx.flush()
        self.task = run_in_background(
            self, export_and_purge, self.ctx.store, self.ctx.review_id, self.folder, self.ctx.actor,
            on_done=self._done, on_error=self._failed, on_progress=self._progress,
        )

    def is_busy(self) -> bool:
        return self.task is not None and self.task.is_running()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _done(self, result) -> None:
        self.succeeded = True
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(self.tr("{n} files are in {folder}. The review has been deleted from this computer.")
                            .format(n=len(result.files), folder=result.folder))
        self.buttons.setEnabled(True)
        self.purged.emit(str(result.folder))

    def _failed(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(message + " " + self.tr("Nothing was deleted."))
        self.buttons.setEnabled(True)
