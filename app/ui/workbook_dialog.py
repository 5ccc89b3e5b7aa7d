"""File → Print a blank workbook…: choose a review type, then where to save; the PDF is made in the background.

Works with no review open: the workbook is the paper fallback for wards where laptops are not allowed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.kloe import Template, TemplateRegistry
from app.report.workbook import workbook_file_name, write_blank_workbook
from app.ui.export_dialog import default_folder, open_in_system
from app.ui.worker import BackgroundTask, run_in_background


def template_key(template: Template) -> str:
    """The combo box's item data: "id:version" (plain strings survive Qt's variant conversion)."""
    return f"{template.id}:{template.version}"


class WorkbookPathDialog:
    """The ask() seam: where to save the workbook (a Path), or None when cancelled. Tests replace it."""

    @classmethod
    def ask(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, QCoreApplication.translate("WorkbookDialog", "Save the blank workbook"), str(suggested),
            QCoreApplication.translate("WorkbookDialog", "PDF (*.pdf)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


class WorkbookDialog(QDialog):
    """Not modal: the PDF is laid out off the UI thread, and the dialog says where it went."""

    written = Signal(str)

    def __init__(self, registry: TemplateRegistry, parent: QWidget | None = None,
                 *, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workbookDialog")
        self.setWindowTitle(self.tr("Print a blank workbook"))
        self.setModal(False)
        self.setMinimumWidth(520)
        self.registry = registry
        self.folder = folder
        self.task: BackgroundTask | None = None
        self.last_path: Path | None = None

        intro = QLabel(self.tr(
            "A blank workbook to fill in by hand where a laptop cannot be used: a cover with the consent "
            "basis, an attendance register, pages for every section of the review type, the headline "
            "questions and the recommendations. Once filled in it holds personal data: the chair collects it."), self)
        intro.setWordWrap(True)
        type_label = QLabel(self.tr("Review &type:"), self)
        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("workbookType")
        self.type_combo.setAccessibleName(self.tr("Review type"))
        self.type_combo.setAccessibleDescription(self.tr("The review type whose sections the workbook prints"))
        type_label.setBuddy(self.type_combo)
        newest = {t.id: t.version for t in registry.latest_all()}
        self.templates = registry.all()
        for template in self.templates:
            text = self.tr("{title} ({short}), version {version}").format(
                title=template.title, short=template.short_title, version=template.version)
            if newest.get(template.id) != template.version:
                text += self.tr(" (older)")
            self.type_combo.addItem(text, template_key(template))
        self.type_combo.setCurrentIndex(next(
            (i for i, t in enumerate(self.templates) if newest.get(t.id) == t.version), 0))

        self.status = QLabel(self)
        self.status.setObjectName("workbookStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Workbook status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.save_button = QPushButton(self.tr("&Save as PDF…"), self)
        self.save_button.setObjectName("workbookSave")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName(self.tr("Save the blank workbook as a PDF"))
        self.save_button.clicked.connect(self.save)
        self.open_button = QPushButton(self.tr("&Open it"), self)
        self.open_button.setObjectName("workbookOpen")
        self.open_button.setAccessibleName(self.tr("Open the saved workbook"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_file)
        close_button = QPushButton(self.tr("&Close"), self)
        close_button.setObjectName("workbookClose")
        close_button.setAccessibleName(self.tr("Close"))
        close_button.clicked.connect(self.close)

        type_row = QHBoxLayout()
        type_row.addWidget(type_label)
        type_row.addWidget(self.type_combo, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(type_row)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.type_combo.setFocus()

    def chosen_template(self) -> Template:
        return self.templates[self.type_combo.currentIndex()]

    def choose(self, template_id: str, version: int | None = None) -> bool:
        """Select a review type (its newest version unless one is given); False when not offered."""
        for index, template in enumerate(self.templates):
            if template.id == template_id and (version is None or template.version == version):
                self.type_combo.setCurrentIndex(index)
                if version is not None:
                    return True
        return self.type_combo.currentIndex() >= 0 and self.chosen_template().id == template_id

    def save(self) -> None:
        """Ask where, then lay the PDF out in the background; the old file stays until the new one is whole."""
        if self.task is not None and self.task.is_running():
            return
        template = self.chosen_template()
        suggested = (self.folder or default_folder()) / workbook_file_name(template)
        path = WorkbookPathDialog.ask(self, suggested)
        if path is None:
            return
        self.folder = path.parent
        self.save_button.setEnabled(False)
        self.open_button.setEnabled(False)
        self.status.setText(self.tr("Making the workbook…"))
        self.task = run_in_background(self, write_blank_workbook, template, path,
                                      on_done=self._done, on_error=self._failed)

    def _done(self, path) -> None:
        self.last_path = Path(path)
        self.save_button.setEnabled(True)
        self.open_button.setEnabled(True)
        self.status.setText(self.tr("Saved to {path}.")
                            .format(path=self.last_path))
        self.written.emit(str(self.last_path))

    def _failed(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(message)

    def _open_file(self) -> None:
        if self.last_path is not None:
            open_in_system(self.last_path)
