"""Edit → Preferences… (Ctrl+,): every setting as a typed control; OK saves and applies at once.

Settings stay in the small typed JSON file of `app/settings.py` (not QSettings): see
docs/architecture.md. Fields this dialog does not show are kept as they are
(`dataclasses.replace`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import ReviewDayError
from app.settings import (
    AUTO_LOCK_MAX,
    AUTO_LOCK_MIN,
    BACKUP_SPACE_MAX_MB,
    BACKUP_SPACE_MIN_MB,
    REPORT_DUE_MAX,
    REPORT_DUE_MIN,
    TEXT_SCALES,
    Settings,
    SettingsError,
    save_settings,
)

RETENTION_MAX = 36_500


class SettingsDialog(QDialog):
    """Shows `settings`; on OK, `result_settings` holds the checked, saved new settings."""

    def __init__(self, settings: Settings, parent: QWidget | None = None, *, path: str | Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Preferences"))
        self.setAccessibleName(self.tr("Preferences"))
        self.original = settings
        self.path = path
        self.result_settings: Settings | None = None

        self.auto_lock = QSpinBox(self)
        self.auto_lock.setObjectName("autoLockMinutes")
        self.auto_lock.setRange(AUTO_LOCK_MIN, AUTO_LOCK_MAX)
        self.auto_lock.setSuffix(self.tr(" minutes"))
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.auto_lock.setAccessibleName(self.tr("Lock after minutes without use"))
        self.auto_lock.setAccessibleDescription(
            self.tr("The window locks after this many minutes without a key press or a click"))

        self.retention = QSpinBox(self)
        self.retention.setObjectName("retentionDays")
        self.retention.setRange(0, RETENTION_MAX)
        self.retention.setSpecialValueText(self.tr("Never"))
        self.retention.setSuffix(self.tr(" days"))
        self.retention.setValue(settings.retention_days or 0)
        self.retention.setAccessibleName(self.tr("Offer to purge signed reviews after days"))
        self.retention.setAccessibleDescription(
            self.tr("Signed reviews older than this are pointed out for export and purge; 0 means never"))

        self.backup_space = QSpinBox(self)
        self.backup_space.setObjectName("backupSpaceMb")
        self.backup_space.setRange(BACKUP_SPACE_MIN_MB, BACKUP_SPACE_MAX_MB)
        self.backup_space.setSingleStep(50)
        self.backup_space.setSuffix(self.tr(" MB"))
        self.backup_space.setValue(settings.backup_space_mb)
        self.backup_space.setAccessibleName(self.tr("Space for backups in MB"))
        self.backup_space.setAccessibleDescription(
            self.tr("The oldest backups are deleted to stay within this; the newest is always kept"))

        self.report_due = QSpinBox(self)
        self.report_due.setObjectName("reportDueWorkingDays")
        self.report_due.setRange(REPORT_DUE_MIN, REPORT_DUE_MAX)
        self.report_due.setSuffix(self.tr(" working days"))
        self.report_due.setValue(settings.report_due_working_days)
        self.report_due.setAccessibleName(self.tr("Send the final report within working days"))
        self.report_due.setAccessibleDescription(
            self.tr("After the review day; past it, an unsent report is marked overdue in the review list"))

        self.high_contrast = QCheckBox(self.tr("&High contrast (black on white, strong borders)"), self)
        self.high_contrast.setObjectName("highContrast")
        self.high_contrast.setChecked(settings.high_contrast)
        self.high_contrast.setAccessibleName(self.tr("High contrast"))

        self.text_size = QComboBox(self)
        self.text_size.setObjectName("textSize")
        for scale in TEXT_SCALES:
            self.text_size.addItem(f"{scale}%", scale)
        self.text_size.setCurrentIndex(max(0, self.text_size.findData(settings.text_scale)))
        self.text_size.setAccessibleName(self.tr("Text size"))
        self.text_size.setAccessibleDescription(self.tr("The size of all the text in ReviewDay"))

        self.plain_words = QCheckBox(self.tr("Show the prompts in &plain words in the guidance panel"), self)
        self.plain_words.setObjectName("plainWordsInGuidance")
        self.plain_words.setChecked(settings.plain_words_in_guidance)
        self.plain_words.setAccessibleName(self.tr("Plain words in the guidance panel"))

        security = QGroupBox(self.tr("Locking and keeping"), self)
        security_form = QFormLayout(security)
        security_form.addRow(self._label(self.tr("&Lock after"), self.auto_lock), self.auto_lock)
        security_form.addRow(self._label(self.tr("&Offer to purge after"), self.retention), self.retention)
        security_form.addRow(self._label(self.tr("&Backups may use"), self.backup_space), self.backup_space)
        security_form.addRow(self._label(self.tr("Send the &report within"), self.report_due), self.report_due)
        appearance = QGroupBox(self.tr("Appearance"), self)
        appearance_form = QFormLayout(appearance)
        appearance_form.addRow(self._label(self.tr("&Text size"), self.text_size), self.text_size)
        appearance_form.addRow(self.high_contrast)
        appearance_form.addRow(self.plain_words)

        self.message = QLabel(self)
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("#settingsMessage { color: #b3261e; font-weight: 600; }")
        self.message.setAccessibleName(self.tr("Problem"))
        self.message.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.setObjectName("settingsButtons")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setObjectName("settingsOk")
        ok.setAccessibleName(self.tr("Save and apply the preferences"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("settingsCancel")
        cancel.setAccessibleName(self.tr("Cancel without changing anything"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(security)
        layout.addWidget(appearance)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.auto_lock, self.retention)
        self.setTabOrder(self.retention, self.backup_space)
        self.setTabOrder(self.backup_space, self.report_due)
        self.setTabOrder(self.report_due, self.text_size)
        self.setTabOrder(self.text_size, self.high_contrast)
        self.setTabOrder(self.high_contrast, self.plain_words)
        self.setTabOrder(self.plain_words, ok)
        self.setTabOrder(ok, cancel)
        self.auto_lock.setFocus(Qt.FocusReason.OtherFocusReason)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def chosen(self) -> Settings:
        """The settings as the controls show them; raises SettingsError with one sentence."""
        return dataclasses.replace(
            self.original,
            auto_lock_minutes=self.auto_lock.value(),
            retention_days=self.retention.value() or None,
            backup_space_mb=self.backup_space.value(),
            report_due_working_days=self.report_due.value(),
            high_contrast=self.high_contrast.isChecked(),
            text_scale=int(self.text_size.currentData()),
            plain_words_in_guidance=self.plain_words.isChecked(),
        )

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def accept(self) -> None:
        """Check, then save atomically; on any problem say it in one sentence and stay open."""
        try:
            settings = self.chosen()
        except SettingsError as exc:
            self.show_message(str(exc))
            return
        try:
            save_settings(settings, self.path)
        except ReviewDayError as exc:
            self.show_message(str(exc))
            return
        except OSError as exc:
            self.show_message(self.tr("The preferences could not be saved ({reason}); nothing was changed.").format(
                reason=exc.strerror or type(exc).__name__))
            return
        self.result_settings = settings
        self.message.hide()
        super().accept()
