"""When the database is damaged at start: say so in one sentence, offer the newest good backup.

``check_database(path, key=...)`` runs before the database is opened, with the data key once it
is known (the key file unlocks without the database, so an encrypted file gets the full check:
SQLCipher's page checks and ``quick_check``). A damaged file is never overwritten or lost:
"Restore" first copies the newest good backup into a staged file and checks it, and only when
that succeeded renames the damaged file aside (``<name>.damaged-<timestamp>``, with its -wal and
-shm) and puts the copy in its place. When no backup can be restored nothing is moved, and the
user is told so plainly.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from app.services import backup, db_health, db_restore
from app.services.backup import BackupInfo
from app.services.db_files import KEYS_SUFFIX, connection_path
from app.services.errors import ReviewDayError

log = logging.getLogger(__name__)

RESTORE, QUIT = "restore", "quit"
SHOWN_BACKUPS = 5


def _when(info: BackupInfo) -> str:
    if info.created_at is None:
        return info.path.name
    return info.created_at.strftime("%d %b %Y, %H:%M:%S")


class RecoveryDialog(QDialog):
    """'The database is damaged': lists the newest good backups; Restore the newest, or Quit."""

    def __init__(self, db_path: Path, reason: str, backups: list[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle(self.tr("ReviewDay: the database is damaged"))
        self.choice = QUIT

        explain = QLabel(self)
        explain.setObjectName("recoveryExplain")
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.PlainText)
        if backups:
            explain.setText(self.tr(
                "ReviewDay cannot safely use the database {name}: {reason} "
                "The damaged file will be kept aside, not deleted."
            ).format(name=db_path.name, reason=reason))
        else:
            explain.setText(self.tr(
                "ReviewDay cannot safely use the database {name}: {reason} "
                "There is no good backup to restore; the file has not been changed."
            ).format(name=db_path.name, reason=reason))

        self.backup_list = QListWidget(self)
        self.backup_list.setObjectName("recoveryBackups")
        for info in backups[:SHOWN_BACKUPS]:
            self.backup_list.addItem(self.tr("Backup of {when}").format(when=_when(info)))
        if backups:
            self.backup_list.setCurrentRow(0)
        self.backup_list.setVisible(bool(backups))
        self.backup_list.setEnabled(False)  # the newest good backup is the one restored

        self.buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton(self.tr("Restore the newest good backup"), self)
        self.restore_button.setObjectName("recoveryRestore")
        self.quit_button = QPushButton(self.tr("Quit"), self)
        self.quit_button.setObjectName("recoveryQuit")
        if backups:
            self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.restore_button.setDefault(True)
        else:
            self.restore_button.hide()
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._restore)
        self.quit_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(explain)
        layout.addWidget(self.backup_list)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _restore(self) -> None:
        self.choice = RESTORE
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, db_path: Path, reason: str, backups: list[BackupInfo]) -> str:
        """RESTORE or QUIT. Tests replace this; without a screen (offscreen) it answers QUIT."""
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.platformName() in ("offscreen", "minimal"):
            return QUIT
        dialog = cls(db_path, reason, backups, parent)
        try:
            dialog.exec()
            return dialog.choice
        finally:
            dialog.deleteLater()


def good_backups(folder: Path, key: bytes | None = None, *, limit: int = SHOWN_BACKUPS) -> list[BackupInfo]:
    """The newest backups in `folder` that pass their check, newest first (at most `limit`)."""
    good = []
    for info in backup.list_backups(folder):
        if backup.verify_backup(info.path, key) is None:
            good.append(info)
            if len(good) >= limit:
                break
    return good


def check_database(
    target: str | Path,
    *,
    key: bytes | None = None,
    parent: QWidget | None = None,
    report: Callable[[str], None] | None = None,
    unlock_backup: Callable[[Path], bytes | None] | None = None,
) -> bool:
    """True when start-up may go on (sound, new, or restored); False when it may not (the user was told).

    With `key` (an encrypted database, its key from its key file) the keyed check; without, the
    checks that need no key. `unlock_backup(path)` gives the data key of an encrypted backup when
    `key` is not known (the keyring, else the passphrase for the backup's key file).
    """
    if "://" in str(target):
        return True
    db_path = Path(target).expanduser()
    if key is not None:
        reason = db_health.damage_with_key(db_path, key)
    else:
        reason = db_health.detect_damage(db_path)
    if reason is None:
        return True
    return _recover(db_path, reason, key, parent, report or _print, unlock_backup)


def check_database_at_start(
    target: str | Path | None,
    *,
    key: bytes | None = None,
    parent: QWidget | None = None,
    report: Callable[[str], None] | None = None,
) -> bool:
    """The check before opening, for a database given by path (None: the default one)."""
    if target is None:
        from app.services.store import default_database_path

        target = default_database_path()
    if "://" not in str(target) and key is None and not Path(target).expanduser().exists():
        return True  # new
    return check_database(target, key=key, parent=parent, report=report, unlock_backup=_key_from_backup)


def check_database_after_open(
    store,
    *,
    reopen: Callable[[], object],
    parent: QWidget | None = None,
    report: Callable[[str], None] | None = None,
):
    """For an encrypted database already open, the keyed check. Returns the store to use (the same,
    or a reopened one after a restore), or None when start-up may not go on (the store is closed)."""
    key = getattr(store, "_key", None)
    if key is None or store.engine.dialect.name != "sqlite":
        return store  # plain files were checked before opening
    raw = store.engine.raw_connection()
    try:
        db_path = connection_path(raw.driver_connection)
    finally:
        raw.close()
    if db_path is None:
        return store
    reason = db_health.detect_damage(db_path, key)
    if reason is None:
        return store
    store.close()
    if not _recover(db_path, reason, key, parent, report or _print, None):
        return None
    return reopen()


def _recover(db_path: Path, reason: str, key: bytes | None, parent: QWidget | None,
             report: Callable[[str], None], unlock_backup: Callable[[Path], bytes | None] | None) -> bool:
    log.warning("the database failed its start-up check")  # no path or content in the log
    folder = backup.default_backup_folder(db_path)
    if key is not None:
        candidates = good_backups(folder, key)
    else:
        # An encrypted backup cannot be checked without its key: offer it; restore checks it first.
        candidates = [info for info in backup.list_backups(folder)
                      if _has_keys(info.path) or backup.verify_backup(info.path) is None][:SHOWN_BACKUPS]
    choice = RecoveryDialog.ask(parent, db_path, reason, candidates)
    if choice != RESTORE or not candidates:
        report(f"The database {db_path} is damaged: {reason} It was not changed.")
        return False
    problems: list[str] = []
    for candidate in candidates:
        backup_key = key
        if backup_key is None and _has_keys(candidate.path):
            backup_key = (unlock_backup or _key_from_backup)(candidate.path)
            if backup_key is None:
                problems.append(f"the backup of {_when(candidate)} needs its passphrase")
                continue
        try:
            result = db_restore.restore(candidate.path, db_path, key=backup_key, label="damaged")
        except ReviewDayError as exc:
            log.warning("a backup could not be restored: %s", type(exc).__name__)
            problems.append(str(exc))
            continue
        log.info("restored the newest good backup")
        restored = f"the backup of {_when(candidate)} was restored into {db_path.name}."
        if result.replaced is not None:
            report(f"The damaged database was kept as {result.replaced.name}; {restored}")
        else:
            report(restored[0].upper() + restored[1:])
        return True
    why = problems[0].rstrip(".") if problems else "there is none"
    report(f"The database {db_path} is damaged: {reason} No backup could be restored ({why}), "
           "so it was not changed.")
    return False


def _has_keys(path: Path) -> bool:
    return Path(f"{path}{KEYS_SUFFIX}").is_file()


def _key_from_backup(path: Path) -> bytes | None:
    """An encrypted backup's data key, from the keyring (the same data key as the database's)."""
    if not _has_keys(path):
        return None
    try:
        from app.security.data_key import KeyringDataKeys

        return KeyringDataKeys().get(path)
    except ReviewDayError:
        return None


def _print(message: str) -> None:
    if message:
        print(f"reviewday: {message}", file=sys.stderr)
