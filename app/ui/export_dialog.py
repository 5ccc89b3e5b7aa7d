"""Exporting the review: the full report, the easy-read report, Word and the action tracker.

The files are made off the UI thread (a long report takes a moment to lay out), each written
atomically: a failure leaves the old file or none, never half a file. One file failing (a
full disk, a read-only folder) does not stop the others; the dialog says plainly which.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.report import publish
from app.services import reviews
from app.services.errors import ReviewDayError
from app.ui.context import ReviewContext
from app.ui.worker import BackgroundTask, run_in_background
from app.ui.theme import SECONDARY_TEXT
from app.ui.layout_fit import GrowToFit

log = logging.getLogger(__name__)

NHS_BLUE = "#005EB8"
PROBLEM_COLOUR = "#b3261e"
DONE_COLOUR = "#007f3b"
_STEPS = 1000  # progress units per file


def open_in_system(path: Path) -> bool:
    """Open a file or folder with the program the system uses for it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


class FolderDialog:
    """Which folder to export into; None when the user cancels."""

    @classmethod
    def ask(cls, parent: QWidget | None, start: Path) -> Path | None:
        from PySide6.QtCore import QCoreApplication

        chosen = QFileDialog.getExistingDirectory(
            parent, QCoreApplication.translate("ExportDialog", "Export into which folder?"), str(start)
        )
        return Path(chosen) if chosen else None


@dataclass(frozen=True)
class ExportOutcome:
    fmt: str
    path: Path
    error: str = ""  # "" when the file was written

    @property
    def ok(self) -> bool:
        return not self.error


def export_files(store, review_id: int, jobs: list[tuple[str, Path]], progress=None) -> list[ExportOutcome]:
    """Write each (format, path); a failure is recorded and the next file still made. Off the UI thread."""
    outcomes = []
    total = len(jobs) * _STEPS
    for number, (fmt, path) in enumerate(jobs):
        base = number * _STEPS

        def step(done: int, of: int, base: int = base) -> None:
            if progress is not None and of > 0:
                progress(base + min(done, of) * _STEPS // of, total)

        try:
            publish.export_report(store, review_id, fmt, path, progress=step)
            outcomes.append(ExportOutcome(fmt, path))
        except ReviewDayError as exc:
            outcomes.append(ExportOutcome(fmt, path, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug in one renderer must not lose the other files
            log.error("export of %s failed: %s", fmt, type(exc).__name__)
            outcomes.append(ExportOutcome(fmt, path, _tr("{name} could not be made because of an internal error.")
                                          .format(name=path.name)))
        if progress is not None:
            progress(base + _STEPS, total)
    return outcomes


class ExportDialog(QDialog):
    """Choose formats and a folder; the files are made in the background. Not modal."""

    def __init__(self, ctx: ReviewContext, parent: QWidget | None = None, *, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export the report"))
        self.setModal(False)
        self.setMinimumWidth(560)
        self.grow_to_fit = GrowToFit(self)  # wrapped text whole at any text size
        self.ctx = ctx
        self._task: BackgroundTask | None = None
        self.outcomes: list[ExportOutcome] = []

        title = QLabel(self.tr("Export the report"), self)
        title.setObjectName("exportTitle")
        title.setStyleSheet(f"#exportTitle {{ font-size: 14pt; font-weight: 600; color: {NHS_BLUE}; }}")
        self.intro = QLabel(self)
        self.intro.setObjectName("exportIntro")
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet(f"#exportIntro {{ color: {SECONDARY_TEXT}; }}")

        formats = QGridLayout()
        formats.setHorizontalSpacing(16)
        formats.setVerticalSpacing(6)
        self.checks: dict[str, QCheckBox] = {}
        self.names: dict[str, QLabel] = {}
        for row, (fmt, label) in enumerate(publish.FORMATS.items()):
            check = QCheckBox(self.tr(label), self)
            check.setObjectName(f"exportFormat_{fmt}")
            check.setAccessibleName(self.tr(label))
            check.setChecked(True)
            check.toggled.connect(self._update_export_enabled)
            name = QLabel(self)
            name.setObjectName(f"exportFileName_{fmt}")
            name.setStyleSheet(f"color: {SECONDARY_TEXT};")
            name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            formats.addWidget(check, row, 0)
            formats.addWidget(name, row, 1)
            self.checks[fmt] = check
            self.names[fmt] = name
        formats.setColumnStretch(1, 1)

        self.folder = QLineEdit(str(folder or default_folder()), self)
        self.folder.setObjectName("exportFolder")
        self.folder.setAccessibleName(self.tr("Folder to export into"))
        self.folder.textChanged.connect(self._refresh_names)
        self.choose_button = QPushButton(self.tr("Choose…"), self)
        self.choose_button.setObjectName("exportChooseFolder")
        self.choose_button.setAccessibleName(self.tr("Choose the folder"))
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_folder)
        folder_label = QLabel(self.tr("&Folder"), self)
        folder_label.setBuddy(self.folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(folder_label)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_button)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.setAccessibleName(self.tr("Export progress"))
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.hide()

        self.problem = QLabel(self)
        self.problem.setObjectName("exportProblem")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Problem"))
        self.problem.setStyleSheet(f"#exportProblem {{ color: {PROBLEM_COLOUR}; }}")
        self.problem.hide()

        self.results = QFrame(self)
        self.results.setObjectName("exportResults")
        self.results_layout = QVBoxLayout(self.results)
        self.results_layout.setContentsMargins(0, 0, 0, 0)
        self.results_layout.setSpacing(4)
        self.results.hide()
        self.open_buttons: dict[str, QPushButton] = {}

        self.export_button = QPushButton(self.tr("Export"), self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setAccessibleName(self.tr("Export the chosen files"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.open_folder_button = QPushButton(self.tr("Open folder"), self)
        self.open_folder_button.setObjectName("exportOpenFolder")
        self.open_folder_button.setAccessibleName(self.tr("Open the folder the files are in"))
        self.open_folder_button.setAutoDefault(False)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.hide()
        close = QPushButton(self.tr("Close"), self)
        close.setObjectName("exportClose")
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.intro)
        layout.addLayout(formats)
        layout.addLayout(folder_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.problem)
        layout.addWidget(self.results)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.refresh()

    # Public API -------------------------------------------------------------------------------

    def refresh(self) -> None:
        review = reviews.get_review(self.ctx.store, self.ctx.review_id)
        if review.locked:
            self.intro.setText(self.tr("The review is signed: the full report (PDF) is the signed copy, "
                                       "exactly as the chair signed it. Each file is written whole or not at all."))
        else:
            self.intro.setText(self.tr("The review is not signed yet, so these copies are unsigned drafts. "
                                       "Each file is written whole or not at all."))
        self._refresh_names()

    def chosen_formats(self) -> list[str]:
        return [fmt for fmt, check in self.checks.items() if check.isChecked()]

    def chosen_folder(self) -> Path:
        return Path(self.folder.text().strip()).expanduser()

    def choose_folder(self) -> None:
        start = self.chosen_folder() if self.chosen_folder().is_dir() else default_folder()
        folder = FolderDialog.ask(self, start)
        if folder is not None:
            self.folder.setText(str(folder))

    def is_busy(self) -> bool:
        return self._task is not None and self._task.is_running()

    def export(self) -> bool:
        """Start making the chosen files in the background. False (with a message) if it cannot start."""
        if self.is_busy():
            return False
        formats = self.chosen_formats()
        folder = self.chosen_folder()
        if not formats:
            self._show_problem(self.tr("Choose at least one thing to export."))
            return False
        if not self.folder.text().strip() or not folder.is_dir():
            self._show_problem(self.tr("The folder {folder} does not exist. Choose another folder.").format(folder=folder))
            return False
        self.ctx.flush()  # what was typed a moment ago belongs in the files
        jobs = [(fmt, folder / self._file_name(fmt)) for fmt in formats]
        self._show_problem("")
        self._clear_results()
        self._set_busy(True)
        self._task = run_in_background(
            self, export_files, self.ctx.store, self.ctx.review_id, jobs,
            on_done=self._finished, on_error=self._failed, on_progress=self._progress,
        )
        return True

    def open_folder(self) -> None:
        open_in_system(self.chosen_folder())

    # Internals --------------------------------------------------------------------------------

    def _file_name(self, fmt: str) -> str:
        return publish.default_file_name(self.ctx.store, self.ctx.review_id, fmt)

    def _refresh_names(self, *_args) -> None:
        folder = self.chosen_folder()
        for fmt, label in self.names.items():
            name = self._file_name(fmt)
            exists = folder.is_dir() and (folder / name).exists()
            label.setText(name + (self.tr("  (replaces the file there)") if exists else ""))
            self.checks[fmt].setToolTip(str(folder / name))
        self._update_export_enabled()

    def _update_export_enabled(self, *_args) -> None:
        self.export_button.setEnabled(bool(self.chosen_formats()) and not self.is_busy())

    def _set_busy(self, busy: bool) -> None:
        for widget in (*self.checks.values(), self.folder, self.choose_button):
            widget.setEnabled(not busy)
        self.export_button.setText(self.tr("Exporting…") if busy else self.tr("Export"))
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
        self._update_export_enabled()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self, outcomes: list[ExportOutcome]) -> None:
        self._task = None
        self.outcomes = outcomes
        self._set_busy(False)
        self._show_results(outcomes)
        self._refresh_names()

    def _failed(self, message: str) -> None:
        self._task = None
        self._set_busy(False)
        self._show_problem(message)

    def _clear_results(self) -> None:
        while self.results_layout.count():
            item = self.results_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # at once: deleteLater alone would leave it drawn a moment
                item.widget().deleteLater()
        self.open_buttons = {}
        self.results.hide()
        self.open_folder_button.hide()

    def _show_results(self, outcomes: list[ExportOutcome]) -> None:
        self._clear_results()
        written = [o for o in outcomes if o.ok]
        failed = [o for o in outcomes if not o.ok]
        if written:
            heading = QLabel(
                self.tr("Written to {folder}:").format(folder=written[0].path.parent), self.results
            )
            heading.setWordWrap(True)
            heading.setStyleSheet(f"color: {DONE_COLOUR}; font-weight: 600;")
            self.results_layout.addWidget(heading)
        for outcome in written:
            row = QWidget(self.results)
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            label = QLabel(f"✓  {outcome.path.name}", row)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton(self.tr("Open"), row)
            button.setObjectName(f"exportOpen_{outcome.fmt}")
            button.setAccessibleName(self.tr("Open {name}").format(name=outcome.path.name))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, path=outcome.path: open_in_system(path))
            row_layout.addWidget(label, 1)
            row_layout.addWidget(button)
            self.results_layout.addWidget(row)
            self.open_buttons[outcome.fmt] = button
        self.results.setVisible(bool(written))
        self.open_folder_button.setVisible(bool(written))
        if failed:
            messages = list(dict.fromkeys(o.error for o in failed))
            if len(failed) > 1 and _same_cause(messages):
                names = ", ".join(o.path.name for o in failed)
                text = self.tr("{n} files were not written ({names}): {why}").format(
                    n=len(failed), names=names, why=_cause(messages[0]))
            else:
                text = " ".join(messages)
            if written:
                text += " " + self.tr("The other files were written.")
            self._show_problem(text)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


def _cause(message: str) -> str:
    """'Cannot write a.pdf: the disk is full. …' -> 'the disk is full. …' (the same for every file)."""
    return message.split(": ", 1)[1] if message.startswith("Cannot write ") and ": " in message else message


def _same_cause(messages: list[str]) -> bool:
    return len({_cause(m) for m in messages}) == 1


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("ExportDialog", text)
