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
            # Holds the database's lock while the app runs; checks the file (with its key when
            # encrypted) and offers the newest good backup when it is damaged.
            store = open_database_for_gui(db)
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

        # One now unless nothing changed since the newest, then every few minutes while there are
        # edits, within the space the settings allow.
        start_backups(store, window, max_bytes=loaded_settings.settings.backup_space_bytes)
    from PySide6.QtCore import QTimer

    from app.ui.layout_fit import show_fitted

    def open_asked(writer=None) -> None:
        if review_id is None or not window.open_review(review_id, writer=writer):
            if review_id is not None:
                print(f"reviewday: there is no review with id {review_id}.", file=sys.stderr)
            window.show_review_list()

    if demo:
        # A throwaway demo opens straight away in the name of its note-taker.
        from app.services.demo import DEMO_WRITER

        open_asked(DEMO_WRITER)
        show_fitted(window)  # maximised: the status bar stays above the taskbar
    else:
        # The window is on screen first, so the question who is writing appears over it.
        window.show_review_list()
        show_fitted(window)
        QTimer.singleShot(0, open_asked)
    if exit_when_ready:

        def ready() -> None:
            opened = window.workspace is not None or review_id is None
            print("ready" if opened else "not-ready", flush=True)
            app.exit(0 if opened else 1)

        # Runs once the event loop is up, after the review has opened (while the question who is
        # writing waits for an answer, in its loop): the window is interactive.
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

    - the database's lock is taken first and held by the returned store until it closes: a second
      ReviewDay on the same file, or one started while a restore runs, is refused in one sentence;
    - REVIEWDAY_PASSPHRASE set: it is the passphrase, nothing is asked (scripts, tests);
    - on a screen (`interactive`, by default unless Qt runs offscreen): an encrypted database opens
      with the key the system keyring remembers, else the UnlockDialog asks for the passphrase
      (rising delays) or the recovery key; a new database is made by the FirstRunDialog
      (passphrase, then the recovery key to print or write down); an older plain file opens as is;
    - with no screen and no REVIEWDAY_PASSPHRASE: one line saying to set it;
    - before opening, the file is checked (with its key, once known): damage offers the newest
      good backup (recovery_dialog.check_database).

    Raises ReviewDayError (in use elsewhere, a wrong passphrase...) for run_gui to report.
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
    if "://" in str(target):
        try:
            store, _ = open_database(target, passphrase=lambda _creating: from_env, clock=clock)
        except PassphraseNeededError as exc:  # pragma: no cover - servers take no passphrase
            _report_start_failure(str(exc))
            return None
        return store
    from app.services.db_lock import DatabaseLock

    path = Path(target).expanduser()
    lock = DatabaseLock(path).acquire()
    try:
        store = _open_file_for_gui(path, interactive=interactive, from_env=from_env, clock=clock,
                                   keyring=keyring)
    except BaseException:
        lock.release()
        raise
    if store is None:
        lock.release()
        return None
    store.hold(lock)
    return store


def _open_file_for_gui(path: Path, *, interactive: bool, from_env: str | None, clock, keyring, restored=False):
    from datetime import UTC, datetime

    from app.security import data_key as dk
    from app.services.store import Store
    from app.ui.recovery_dialog import check_database

    keys = keyring if keyring is not None else dk.KeyringDataKeys()
    now = clock or (lambda: datetime.now(UTC))
    dk.tidy_before_open(path)  # a first start killed part-way: finish its pair or clear it away

    def key_for(key_file_of: Path) -> bytes | None:
        """The data key from `key_file_of`'s key file: keyring, passphrase variable, or the dialog."""
        data_key = keys.get(key_file_of)
        if data_key is not None:
            return data_key
        if from_env is not None:
            data_key = dk.unlock(key_file_of, from_env, clock=now)
        elif interactive:
            from app.ui.unlock_dialog import UnlockDialog

            data_key = UnlockDialog.ask(None, key_file_of, clock=clock)
        else:
            _report_start_failure(
                f"This database is encrypted and its key is not in the system keyring: set {PASSPHRASE_ENV}."
            )
            return None
        if data_key is not None:
            keys.remember(key_file_of, data_key)
        return data_key

    if dk.has_keys(path):
        data_key = key_for(path)
        if data_key is None:
            return None  # the user quit, or was told what to set
        if not check_database(path, key=data_key, report=_report_start_failure):
            return None
        return Store.open(path, key=data_key, create=False)
    if dk.is_new_database(path) and path.parent.is_dir():
        if interactive and from_env is None:
            from app.ui.first_run_dialog import FirstRunDialog

            return FirstRunDialog.ask(None, path, keyring=keys)
        if from_env is None:
            _report_start_failure(f"A new database is encrypted: set {PASSPHRASE_ENV} to choose its passphrase.")
            return None
        store, _ = dk.open_database(path, passphrase=lambda _creating: from_env, keyring=keys, clock=clock,
                                    on_recovery_key=_show_recovery_key)
        return store
    # An existing file without a key file: an older plain database, or a damaged one.
    if not check_database(path, key=None, report=_report_start_failure, unlock_backup=key_for):
        return None
    if dk.has_keys(path) and not restored:  # an encrypted backup was restored: open it with its key
        return _open_file_for_gui(path, interactive=interactive, from_env=from_env, clock=clock,
                                  keyring=keys, restored=True)
    # A plain file opens as it is; anything else gets open_database's one sentence.
    store, _ = dk.open_database(path, passphrase=lambda _creating: None, keyring=keys, clock=clock, create=False)
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
