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
