"""R5 at start-up: a damaged database is detected before it is opened, the newest good backup is
offered, the damaged file is set aside byte for byte and never overwritten."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.services import backup as bk
from app.services import db_health
from app.services.demo import seed_demo
from app.services.store import Store
from app.ui import recovery_dialog as rd
from app.ui.recovery_dialog import QUIT, RESTORE, RecoveryDialog, check_database_at_start


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    store = Store.open(path)
    seed_demo(store, review_date=date(2026, 11, 20))
    store.close()
    return path


def _notes(path: Path) -> list:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT id, text FROM notes ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture
def damaged(template, db_path, clock):
    """A demo database with two backups (the newer one itself damaged), then a zeroed header."""
    with sqlite3.connect(template) as src, sqlite3.connect(db_path) as dst:
        src.backup(dst)
    store = Store.open(db_path, clock=clock)
    folder = bk.default_backup_folder(db_path)
    good = bk.rotate_backups(store, folder)
    clock.advance(minutes=5)
    bad = bk.rotate_backups(store, folder)
    store.close()
    data = bytearray(bad.path.read_bytes())
    data[4096 * 4:4096 * 5] = random.Random(5).randbytes(4096)
    bad.path.write_bytes(bytes(data))
    data = bytearray(db_path.read_bytes())
    data[:100] = bytes(100)
    db_path.write_bytes(bytes(data))
    return good, bad


def test_healthy_and_new_databases_start_without_asking(template, db_path, monkeypatch):
    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(lambda *a: pytest.fail("asked")))
    assert check_database_at_start(db_path) is True  # new
    with sqlite3.connect(template) as src, sqlite3.connect(db_path) as dst:
        src.backup(dst)
    assert check_database_at_start(str(db_path)) is True
    assert check_database_at_start("postgresql://user@host/db") is True


def test_restore_sets_the_damaged_file_aside_and_restores_the_newest_good_backup(damaged, db_path, monkeypatch):
    good, bad = damaged
    damaged_bytes = db_path.read_bytes()
    offered = {}

    def ask(cls, parent, path, reason, backups):
        offered.update(path=path, reason=reason, backups=backups)
        return RESTORE

    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(ask))
    messages = []
    assert check_database_at_start(db_path, report=messages.append) is True
    assert offered["path"] == db_path and "damaged" in offered["reason"]
    assert [b.path for b in offered["backups"]] == [good.path]  # the damaged newer backup is not offered
    [aside] = [p for p in db_path.parent.iterdir() if ".damaged-" in p.name]
    assert aside.read_bytes() == damaged_bytes
    assert _notes(db_path) == _notes(good.path)
    assert db_health.detect_damage(db_path) is None
    assert len(messages) == 1 and aside.name in messages[0]


def test_quit_changes_nothing(damaged, db_path, monkeypatch):
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()}
    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(lambda *a: QUIT))
    messages = []
    assert check_database_at_start(db_path, report=messages.append) is False
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()} == before
    assert "was not changed" in messages[0]


def test_no_good_backup_offers_only_quit(damaged, db_path, monkeypatch):
    good, _bad = damaged
    good.path.unlink()
    seen = {}

    def ask(cls, parent, path, reason, backups):
        seen["backups"] = backups
        return RESTORE  # even if asked to restore, there is nothing to restore

    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(ask))
    before = db_path.read_bytes()
    assert check_database_at_start(db_path, report=lambda _m: None) is False
    assert seen["backups"] == [] and db_path.read_bytes() == before


def test_dialog_explains_lists_and_restores(qtbot, tmp_path):
    backups = [bk.BackupInfo(tmp_path / f"b{i}", 10, datetime(2026, 11, 20, 9, 30 - i)) for i in range(7)]
    dialog = RecoveryDialog(tmp_path / "day.sqlite3", "The database file is damaged.", backups)
    qtbot.addWidget(dialog)
    assert dialog.backup_list.count() == rd.SHOWN_BACKUPS
    assert "20 Nov 2026, 09:30:00" in dialog.backup_list.item(0).text()
    explain = dialog.findChild(QLabel, "recoveryExplain").text()
    assert "day.sqlite3" in explain and "The database file is damaged." in explain and "kept aside" in explain
    assert dialog.restore_button.isDefault() and dialog.restore_button.text() == "Restore the newest good backup"
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.choice == RESTORE and dialog.result() == dialog.DialogCode.Accepted


def test_dialog_without_backups_can_only_quit(qtbot, tmp_path):
    dialog = RecoveryDialog(tmp_path / "day.sqlite3", "The database file is damaged.", [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.restore_button.isVisible() and dialog.quit_button.isVisible()
    qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert dialog.choice == QUIT


def test_the_app_refuses_a_damaged_database_at_start_and_keeps_it(damaged, db_path):
    """The real start-up path, as a process: offscreen there is no one to ask, so it quits."""
    before = db_path.read_bytes()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("REVIEWDAY_PASSPHRASE", None)
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(db_path), "--exit-when-ready"],
                          capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert "damaged" in done.stderr and "Traceback" not in done.stderr
    assert db_path.read_bytes() == before


def test_encrypted_database_damage_found_after_opening_and_restored(tmp_path, clock, monkeypatch):
    """Encrypted files are checked with their key once it is known: a flipped byte fails SQLCipher's HMAC."""
    from app.security import data_key
    from app.services import reviews
    from app.ui.recovery_dialog import check_database_after_open

    class NoKeyring:
        def get(self, _path):
            return None

        def remember(self, _path, _key):
            return False

    db = tmp_path / "enc.sqlite3"
    kdf = data_key.ScryptParams(n=2**10)

    def open_it():
        return data_key.open_database(db, passphrase=lambda _c: "a passphrase here", keyring=NoKeyring(),
                                      kdf=kdf, store_clock=clock)[0]

    store = open_it()
    seed_demo(store, review_date=date(2026, 11, 20))
    good = bk.rotate_backups(store, bk.default_backup_folder(db))
    assert check_database_after_open(store, reopen=pytest.fail) is store  # sound: the same store
    store.close()

    data = bytearray(db.read_bytes())
    data[len(data) - 2000] ^= 0x10  # inside the last page
    db.write_bytes(bytes(data))
    damaged_bytes = bytes(data)
    assert check_database_at_start(db) is True  # without the key this cannot be seen
    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(lambda cls, parent, path, reason, backups: RESTORE))
    store = open_it()
    reopened = check_database_after_open(store, reopen=open_it, report=lambda _m: None)
    try:
        assert reopened is not None and reopened is not store
        assert reviews.list_reviews(reopened)[0].notes > 0
    finally:
        reopened.close()
    [aside] = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(".keys")]
    assert aside.read_bytes() == damaged_bytes
    assert Path(f"{aside}.keys").is_file()
    assert good.path.exists()


# -- an encrypted database with no keyring: the key comes from the passphrase ---------------------------

PASSPHRASE = "a passphrase for recovery"


class _NoKeyring:
    def get(self, _path):
        return None

    def remember(self, _path, _key):
        return False


@pytest.fixture(scope="module")
def encrypted_template(tmp_path_factory):
    """An encrypted demo database with its key file and one verified backup, made once."""
    from app.security import data_key

    folder = tmp_path_factory.mktemp("enc-template")
    db = folder / "day.sqlite3"
    store, _ = data_key.open_database(db, passphrase=lambda _c: PASSPHRASE, keyring=_NoKeyring(),
                                      kdf=data_key.ScryptParams(n=2**10))
    seed_demo(store, review_date=date(2026, 11, 20))
    bk.rotate_backups(store, bk.default_backup_folder(db))
    store.close()
    return folder


@pytest.fixture
def encrypted_day(encrypted_template, tmp_path, monkeypatch):
    import shutil

    shutil.copytree(encrypted_template, tmp_path / "day")
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", PASSPHRASE)
    return tmp_path / "day" / "day.sqlite3"


def _cut(path: Path, keep: int) -> None:
    with open(path, "r+b") as stream:
        stream.truncate(keep)


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x10
    path.write_bytes(bytes(data))


DAMAGE = {
    "truncated mid-page": lambda p: _cut(p, p.stat().st_size - 5000),
    "truncated by pages": lambda p: _cut(p, p.stat().st_size - 4096 * 3),
    "truncated to nothing": lambda p: _cut(p, 0),
    "cut to a few bytes": lambda p: _cut(p, 50),
    "page 1 damaged": lambda p: _flip(p, 2000),
    "salt damaged": lambda p: _flip(p, 3),
    "a middle page damaged": lambda p: _flip(p, p.stat().st_size // 2),
}


def _open_gui(db: Path):
    from app.ui.app import open_database_for_gui

    return open_database_for_gui(str(db), interactive=False, keyring=_NoKeyring())


def _person(store) -> str:
    from app.services import reviews

    return reviews.list_reviews(store)[0].person_label


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damage_to_an_encrypted_database_without_a_keyring_restores_the_newest_backup(encrypted_day, monkeypatch,
                                                                                      kind):
    db = encrypted_day
    DAMAGE[kind](db)
    damaged_bytes = db.read_bytes()
    offered = {}

    def ask(cls, parent, path, reason, backups):
        offered.update(reason=reason, backups=backups)
        return RESTORE

    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(ask))
    messages = []
    monkeypatch.setattr("app.ui.app._report_start_failure", messages.append)
    store = _open_gui(db)
    assert store is not None, messages
    try:
        assert _person(store) == "A.K."
    finally:
        store.close()
    reason = offered["reason"]
    assert "key does not open" not in reason and "key file beside it belongs" not in reason
    assert any(word in reason for word in ("damaged", "missing", "empty", "cut off")), reason
    assert len(offered["backups"]) == 1
    [aside] = [p for p in db.parent.iterdir() if ".damaged-" in p.name and not p.name.endswith(".keys")]
    assert aside.read_bytes() == damaged_bytes  # kept, byte for byte
    assert len(messages) == 1 and aside.name in messages[0]
    again = _open_gui(db)  # the next start: the restored database, no questions
    try:
        assert _person(again) == "A.K."
    finally:
        again.close()


def test_a_lost_wal_after_kill_9_of_an_encrypted_database_offers_the_backup(encrypted_day, monkeypatch):
    from app.security import data_key

    db = encrypted_day
    key = data_key.unlock(db, PASSPHRASE, clock=lambda: datetime(2026, 11, 20, 10, 0))
    script = (
        "import os\n"
        "from app.services import notes, reviews\n"
        "from app.services.dto import Actor\n"
        "from app.services.store import Store\n"
        f"store = Store.open({str(db)!r}, key=bytes.fromhex({key.hex()!r}))\n"
        "review_id = reviews.list_reviews(store)[0].id\n"
        "notes.add_note(store, review_id, 'safety', 'Committed only into the -wal.', Actor('A', 'note_taker'))\n"
        "print('written', flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=60)
    assert "written" in done.stdout, done.stderr
    Path(f"{db}-wal").unlink()
    offered = {}
    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(
        lambda cls, parent, path, reason, backups: offered.update(reason=reason) or RESTORE))
    monkeypatch.setattr("app.ui.app._report_start_failure", lambda _m: None)
    store = _open_gui(db)
    try:
        assert "-wal" in offered["reason"] and _person(store) == "A.K."
    finally:
        store.close()


def test_when_no_backup_can_be_restored_nothing_is_moved_and_the_user_is_told(encrypted_day, monkeypatch):
    db = encrypted_day
    _cut(db, db.stat().st_size - 5000)
    [backup_file] = bk.list_backups(bk.default_backup_folder(db))
    _flip(backup_file.path, backup_file.path.stat().st_size // 2)  # the only backup is damaged too
    before = {p: p.read_bytes() for p in db.parent.rglob("*") if p.is_file()}
    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(lambda *a: RESTORE))
    messages = []
    monkeypatch.setattr("app.ui.app._report_start_failure", messages.append)
    assert _open_gui(db) is None
    assert {p: p.read_bytes() for p in db.parent.rglob("*") if p.is_file()} == before
    assert len(messages) == 1 and "damaged" in messages[0] and "not changed" in messages[0]
    # The next start finds the same damaged file, never an empty database in its place.
    assert _open_gui(db) is None
    assert db.read_bytes() == before[db]


def test_the_app_says_damaged_not_wrong_key_for_an_encrypted_database_and_keeps_it(encrypted_day):
    """The real start-up, as a process with the passphrase and no keyring: offscreen no one can
    choose Restore, so it stops, says the file is damaged, and changes nothing."""
    db = encrypted_day
    _flip(db, 2000)
    before = db.read_bytes()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REVIEWDAY_PASSPHRASE": PASSPHRASE,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "--exit-when-ready"],
                          capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert "damaged" in done.stderr and "key does not open" not in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before


# -- one ReviewDay per database ----------------------------------------------------------------------------


def test_a_second_app_on_the_same_database_is_refused_and_a_restore_waits_for_the_first(encrypted_day, monkeypatch):
    db = encrypted_day
    first = _open_gui(db)
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REVIEWDAY_PASSPHRASE": PASSPHRASE}
        second = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "--exit-when-ready"],
                                capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
        assert second.returncode == 2
        assert "already has the database day.sqlite3 open" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
        [newest] = bk.list_backups(bk.default_backup_folder(db))
        restore = subprocess.run([sys.executable, "-m", "app", "restore", str(newest.path), "--db", str(db)],
                                 capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
        assert restore.returncode == 2 and "ReviewDay has it open" in restore.stderr
        assert not [p for p in db.parent.iterdir() if ".replaced-" in p.name]
    finally:
        first.close()
    again = _open_gui(db)  # closed: the lock went with it
    again.close()


def test_a_backup_that_cannot_be_unlocked_is_not_restored_and_nothing_moves(encrypted_day, monkeypatch):
    """The key file beside the database is gone and the backup's passphrase is not to be had: the
    user chose Restore, nothing could be restored, so nothing was moved and they are told why."""
    from app.ui.recovery_dialog import check_database

    db = encrypted_day
    Path(f"{db}.keys").unlink()
    before = {p: p.read_bytes() for p in db.parent.rglob("*") if p.is_file()}
    monkeypatch.setattr(RecoveryDialog, "ask", classmethod(lambda *a: RESTORE))
    messages = []
    assert check_database(db, key=None, report=messages.append, unlock_backup=lambda _path: None) is False
    assert {p: p.read_bytes() for p in db.parent.rglob("*") if p.is_file()} == before
    assert len(messages) == 1 and "needs its passphrase" in messages[0] and "not changed" in messages[0]
