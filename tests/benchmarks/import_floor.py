"""Second baseline for start-up: the unavoidable floor of the fixed stack (Qt + SQLAlchemy ORM)."""

import sys

import sqlalchemy.orm  # noqa: F401 - the import is what is measured
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.show()


def ready() -> None:
    print("ready", flush=True)
    app.exit(0)


QTimer.singleShot(0, ready)
sys.exit(app.exec())
