"""The app's look: calm, readable, NHS Blue used sparingly."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

NHS_BLUE = "#005EB8"
TEXT = "#212b32"

STYLE_SHEET = f"""
QWidget {{ color: {TEXT}; }}
QListView#navigator {{ background: #f0f4f5; border: none; padding: 4px; }}
QListView#navigator::item {{ padding: 6px 4px; border-radius: 4px; }}
QListView#navigator::item:selected {{ background: {NHS_BLUE}; color: white; }}
QPushButton {{ padding: 4px 12px; }}
QPushButton:default {{ background: {NHS_BLUE}; color: white; border-radius: 4px; padding: 5px 14px; }}
QGroupBox {{ font-weight: 600; margin-top: 14px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 6px; color: {NHS_BLUE}; }}
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor(NHS_BLUE))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("white"))
    palette.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f9fa"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
    palette.setColor(QPalette.ColorRole.Text, QColor(TEXT))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)
