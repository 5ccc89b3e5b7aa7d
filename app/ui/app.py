"""Starting the GUI: the application object, the database, the first window."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from app import __version__

EXIT_USAGE = 2


def create_application(argv: list[str] | None = None, settings=None):
    from PySide6.QtWidgets import QApplication

    from app.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("ReviewDay")
    app.setOrganizationName("ReviewDay")
    app.setApplicationVersion(__version__)
    from app.ui.app_icon import app_icon

    app.setWindowIcon(app_icon())
    app.setDesktopFileName("reviewday")  # matches packaging/reviewday.desktop (Wayland task bars)
    from app.ui.translations import install_translators

    install_translators(app)
    if settings is None:
        from app.settings import load_settings

        settings = load_settings().settings
    apply_theme(app, high_contrast=settings.high_contrast, scale=settings.text_scale)
    return app


def run_gui(
    db: str | None = None, demo: bool = False, review_id: int | None = None, exit_when_ready: bool = False
) -> int:
    """Open the main window; returns the process exit code."""
    from app.services.errors import ReviewDayError
    from app.services.store import Store

    from app.logging_setup import setup_logging

    setup_logging()  # ids-only log file, crash hook without messages, no core dumps
    from app.settings import load_settings

    loaded_settings = load_settings()  # read once: a damaged file is set aside and reported below
    if db is None and not demo:
        db = loaded_settings.settings.database_url  # the team database, when set; --db wins
    app = create_application(settings=loaded_settings.settings)
    demo_dir: Path | None = None
    try:
        if demo:
            import secrets

            from app.services.demo import seed_demo

            demo_dir = Path(tempfile.mkdtemp(prefix="reviewday-demo-"))
            # Encrypted like any database; the key lives only in this process's memory.
            store = Store.open(demo_dir / "demo.sqlite3", key=secrets.token_bytes(32))
            review_id = seed_demo(store, history=True)
        else:
            from app.ui.recovery_dialog import check_database_after_open, check_database_at_start

            if not check_database_at_start(db):  # damaged: offer the newest good backup, or quit
                return EXIT_USAGE
            store = open_database_for_gui(db)
            if store is not None:  # encrypted: the keyed check, now that the key is known
                store = check_database_after_open(store, reopen=lambda: open_database_for_gui(db))
            if store is None:
                return EXIT_USAGE
    except ReviewDayError as exc:
        _report_start_failure(str(exc))
        return EXIT_USAGE

    from app.ui.main_window import MainWindow

    window = MainWindow(store, settings=loaded_settings.settings)
    if loaded_settings.message:
        window.statusBar().showMessage(loaded_settings.message, 15000)
    if not demo:
        from app.ui.backup_timer import start_backups

        start_backups(store, window)  # one now, then every few minutes while there are edits
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


PASSPHRASE_ENV = "REVIEWDAY_PASSPHRASE"


def open_database_for_gui(target: str | None, *, interactive: bool | None = None, clock=None, keyring=None):
    """The database for the main window, or None after telling the user why not (or if they quit).

    - REVIEWDAY_PASSPHRASE set: it is the passphrase, nothing is asked (scripts, tests);
    - on a screen (`interactive`, by default unless Qt runs offscreen): an encrypted database opens
      with the key the system keyring remembers, else the UnlockDialog asks for the passphrase
      (rising delays) or the recovery key; a new database is made by the FirstRunDialog
      (passphrase, then the recovery key to print or write down); an older plain file opens as is;
    - with no screen and no REVIEWDAY_PASSPHRASE: one line saying to set it.

    Raises ReviewDayError (damaged file...) for run_gui to report.
    """
    import os

    from app.security.data_key import PassphraseNeededError, open_database
    from app.services.store import default_database_path

    if target is None:
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        target = str(path)
    from_env = os.environ.get(PASSPHRASE_ENV) or None
    if interactive is None:
        from PySide6.QtGui import QGuiApplication

        interactive = QGuiApplication.platformName() not in ("offscreen", "minimal")
    if interactive and from_env is None and "://" not in str(target):
        return _open_database_asking(Path(target).expanduser(), clock=clock, keyring=keyring)
    try:
        store, recovery = open_database(target, passphrase=lambda _creating: from_env, clock=clock,
                                        **({"keyring": keyring} if keyring is not None else {}))
    except PassphraseNeededError as exc:
        if exc.creating:
            _report_start_failure(f"A new database is encrypted: set {PASSPHRASE_ENV} to choose its passphrase.")
        else:
            _report_start_failure(
                f"This database is encrypted and its key is not in the system keyring: set {PASSPHRASE_ENV}."
            )
        return None
    if recovery is not None:
        _show_recovery_key(recovery)
    return store


def _open_database_asking(path: Path, *, clock=None, keyring=None):
    """The on-screen way in: keyring, else the unlock dialog; a new file: the first-run dialog."""
    from app.security import data_key as dk
    from app.services.store import Store

    keys = keyring if keyring is not None else dk.KeyringDataKeys()
    if dk.has_keys(path):
        data_key = keys.get(path)
        if data_key is None:
            from app.ui.unlock_dialog import UnlockDialog

            data_key = UnlockDialog.ask(None, path, clock=clock)
            if data_key is None:
                return None  # the user quit
            keys.remember(path, data_key)
        return Store.open(path, key=data_key)
    is_new = not path.exists() or (path.is_file() and path.stat().st_size == 0)
    if is_new and path.parent.is_dir():
        from app.ui.first_run_dialog import FirstRunDialog

        return FirstRunDialog.ask(None, path, keyring=keys)
    # An older plain file opens as it is; anything else gets open_database's one sentence.
    store, _ = dk.open_database(path, passphrase=lambda _creating: None, keyring=keys, clock=clock)
    return store


def _show_recovery_key(recovery: str) -> None:
    from PySide6.QtCore import QCoreApplication

    message = QCoreApplication.translate(
        "ReviewDay",
        "The new database is encrypted. Write down or print this recovery key and keep it safe: "
        "it opens the database if the passphrase is forgotten or the keyring changes. "
        "It is shown only this once.",
    )
    print(f"reviewday: {message}\nRecovery key: {recovery}", file=sys.stderr)
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        from PySide6.QtWidgets import QMessageBox

        key_line = QCoreApplication.translate("ReviewDay", "Recovery key: {key}").format(key=recovery)
        QMessageBox.information(None, "ReviewDay", f"{message}\n\n{key_line}")


def _report_start_failure(message: str) -> None:
    print(f"reviewday: {message}", file=sys.stderr)
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "ReviewDay", message)
