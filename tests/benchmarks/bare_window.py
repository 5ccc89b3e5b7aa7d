"""Baseline for the start-up benchmark: a bare PySide6 QMainWindow, measured the same way."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1366, 768)
window.show()


def ready() -> None:
    print("ready", flush=True)
    app.exit(0)


QTimer.singleShot(0, ready)
sys.exit(app.exec())
