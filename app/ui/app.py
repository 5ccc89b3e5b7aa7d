"""Starting the GUI: the application object, the database, the first window."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from app import __version__

EXIT_USAGE = 2


def create_application(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    from app.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("ReviewDay")
    app.setOrganizationName("ReviewDay")
    app.setApplicationVersion(__version__)
    apply_theme(app)
    return app


def run_gui(
    db: str | None = None, demo: bool = False, review_id: int | None = None, exit_when_ready: bool = False
) -> int:
    """Open the main window; returns the process exit code."""
    from app.services.errors import ReviewDayError
    from app.services.store import Store, default_database_path

    app = create_application()
    demo_dir: Path | None = None
    try:
        if demo:
            from app.services.demo import seed_demo

            demo_dir = Path(tempfile.mkdtemp(prefix="reviewday-demo-"))
            store = Store.open(demo_dir / "demo.sqlite3")
            review_id = seed_demo(store)
        else:
            target = db
            if target is None:
                path = default_database_path()
                path.parent.mkdir(parents=True, exist_ok=True)
                target = str(path)
            store = Store.open(target)
    except ReviewDayError as exc:
        _report_start_failure(str(exc))
        return EXIT_USAGE

    from app.ui.main_window import MainWindow

    window = MainWindow(store)
    if review_id is None or not window.open_review(review_id):
        if review_id is not None:
            print(f"reviewday: there is no review with id {review_id}.", file=sys.stderr)
        window.show_review_list()
    window.show()
    if exit_when_ready:
        from PySide6.QtCore import QTimer

        def ready() -> None:
            opened = window.workspace is not None or review_id is None
            print("ready" if opened else "not-ready", flush=True)
            app.exit(0 if opened else 1)

        # Runs once the event loop is up and the first paint is queued: the window is interactive.
        QTimer.singleShot(0, ready)
    try:
        return app.exec()
    finally:
        store.close()
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)


def _report_start_failure(message: str) -> None:
    print(f"reviewday: {message}", file=sys.stderr)
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "ReviewDay", message)
