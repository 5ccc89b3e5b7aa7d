"""`reviewday backup | restore | doctor` as real processes: real files, real exit codes (R5, R6)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.services.db_files import SQLITE_MAGIC
from app.services.demo import seed_demo
from app.services.store import Store

DB_PASSPHRASE = "cli backup test passphrase"


def run_cli(*args: str, passphrase: str | None = DB_PASSPHRASE) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("REVIEWDAY_PASSPHRASE", None)
    if passphrase is not None:
        env["REVIEWDAY_PASSPHRASE"] = passphrase
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env,
                          timeout=120, stdin=subprocess.DEVNULL)


class NoKeyring:
    def get(self, _path):
        return None

    def remember(self, _path, _key):
        return False


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    store = Store.open(path)
    seed_demo(store, review_date=date(2026, 11, 20))
    store.close()
    return path


@pytest.fixture
def plain_db(template, tmp_path) -> Path:
    """A plain (unencrypted) demo database, as made before encryption existed."""
    path = tmp_path / "plain.sqlite3"
    with sqlite3.connect(template) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return path


@pytest.fixture
def encrypted_db(tmp_path) -> Path:
    """An encrypted demo database with its key file (a cheap key derivation, to keep tests fast)."""
    from app.security import data_key

    path = tmp_path / "day.sqlite3"
    store, _ = data_key.open_database(path, passphrase=lambda _c: DB_PASSPHRASE, keyring=NoKeyring(),
                                      kdf=data_key.ScryptParams(n=2**10))
    seed_demo(store, review_date=date(2026, 11, 20))
    store.close()
    return path


def _rows(path: Path) -> list:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT id, section_id, text FROM notes ORDER BY id").fetchall()
    finally:
        conn.close()


def test_encrypted_backup_doctor_damage_restore_round_trip(encrypted_db, tmp_path, capsys, monkeypatch):
    db = encrypted_db
    out = tmp_path / "copies" / "day.backup.sqlite3"
    out.parent.mkdir()

    made = run_cli("backup", "--db", str(db), "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert str(out) in made.stdout and "KB" in made.stdout
    data = out.read_bytes()
    assert data[:16] != SQLITE_MAGIC and b"Elmfield" not in data and b"Cedar Ward" not in data
    assert Path(f"{out}.keys").is_file()

    healthy = run_cli("doctor", "--db", str(db))
    assert healthy.returncode == 0, healthy.stderr
    assert "healthy" in healthy.stdout

    damaged = bytearray(db.read_bytes())
    damaged[len(damaged) // 2] ^= 0x40
    db.write_bytes(bytes(damaged))
    sick = run_cli("doctor", "--db", str(db))
    assert sick.returncode == 1
    assert sick.stdout.strip() and "Traceback" not in sick.stdout + sick.stderr
    assert "damaged" in sick.stdout
    assert db.read_bytes() == bytes(damaged)

    restored = run_cli("restore", str(out), "--db", str(db))
    assert restored.returncode == 0, restored.stderr
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("day.sqlite3.replaced-") and not p.name.endswith(".keys")]
    assert len(kept) == 1 and str(kept[0]) in restored.stdout
    assert kept[0].read_bytes() == bytes(damaged)  # set aside, byte for byte
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", DB_PASSPHRASE)
    capsys.readouterr()
    assert main(["doctor", "--db", str(db)]) == 0
    assert main(["list", "--db", str(db)]) == 0
    assert "A.K." in capsys.readouterr().out


def test_plain_database_doctor_and_restore(plain_db, tmp_path):
    out = tmp_path / "plain.backup.sqlite3"
    assert main(["backup", "--db", str(plain_db), "--out", str(out)]) == 0
    expected = _rows(out)

    data = bytearray(plain_db.read_bytes())
    data[:100] = bytes(100)
    plain_db.write_bytes(bytes(data))
    sick = run_cli("doctor", "--db", str(plain_db), passphrase=None)
    assert sick.returncode == 1
    assert sick.stdout.strip().splitlines() == [
        "The start of the database file is damaged (it is not a SQLite database any more)."
    ]
    assert "1 problem found" in sick.stderr

    restored = run_cli("restore", str(out), "--db", str(plain_db), passphrase=None)
    assert restored.returncode == 0, restored.stderr
    assert _rows(plain_db) == expected


def test_doctor_unopenable_paths_exit_2(tmp_path, capsys):
    missing = run_cli("doctor", "--db", str(tmp_path / "missing.sqlite3"))
    assert missing.returncode == 2
    assert missing.stderr.startswith("reviewday: ") and "no such file" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    assert main(["doctor", "--db", str(tmp_path)]) == 2
    assert "folder" in capsys.readouterr().err


def test_restore_of_a_damaged_backup_changes_nothing(plain_db, tmp_path, capsys):
    bad = tmp_path / "bad.backup.sqlite3"
    data = bytearray(plain_db.read_bytes())
    data[4096 * 3:4096 * 4] = random.Random(2).randbytes(4096)
    bad.write_bytes(bytes(data))
    before = plain_db.read_bytes()
    assert main(["restore", str(bad), "--db", str(plain_db)]) == 2
    err = capsys.readouterr().err
    assert "cannot be restored" in err and len(err.strip().splitlines()) == 1
    assert plain_db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == ["bad.backup.sqlite3", "plain.sqlite3"]


def test_backup_usage_errors(tmp_path, capsys):
    assert main(["backup", "--db", str(tmp_path / "x.sqlite3")]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["backup", "--db", str(tmp_path / "missing.sqlite3"), "--out", str(tmp_path / "b")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


def test_encrypted_doctor_without_passphrase_is_one_line(encrypted_db, monkeypatch, capsys):
    db = encrypted_db
    monkeypatch.delenv("REVIEWDAY_PASSPHRASE", raising=False)
    assert main(["doctor", "--db", str(db)]) == 2
    assert "--passphrase-env" in capsys.readouterr().err
    monkeypatch.setenv("MY_PW", DB_PASSPHRASE)
    assert main(["doctor", "--db", str(db), "--passphrase-env", "MY_PW"]) == 0
    assert "healthy" in capsys.readouterr().out


# -- what a backup may never be written over --------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, but for the lock file a restore takes (empty, and it only says who has the file)."""
    return {p.name: p.read_bytes() for p in folder.iterdir()
            if p.is_file() and not p.is_symlink() and p.suffix != ".lock"}


@pytest.mark.parametrize("spelling", [
    "{db}", "{db}.keys", "{db}-wal", "{db}-shm", "{folder}/./day.sqlite3.keys", "{folder}/sub/../day.sqlite3.keys",
    "link-to-keys", "link-to-db", "hardlink-to-db",
])
def test_backup_refuses_the_database_its_side_files_and_its_key_file(encrypted_db, tmp_path, monkeypatch, capsys,
                                                                     spelling):
    db = encrypted_db
    (tmp_path / "sub").mkdir()
    (tmp_path / "link-to-keys").symlink_to(Path(f"{db}.keys"))
    (tmp_path / "link-to-db").symlink_to(db)
    os.link(db, tmp_path / "hardlink-to-db")
    out = spelling.format(db=db, folder=tmp_path) if "{" in spelling else str(tmp_path / spelling)
    before = _snapshot(tmp_path)
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", DB_PASSPHRASE)
    monkeypatch.chdir(tmp_path)
    assert main(["backup", "--db", str(db), "--out", out]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reviewday: ") and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "nothing was written" in err
    assert _snapshot(tmp_path) == before
    assert main(["doctor", "--db", str(db)]) == 0  # the database and its key file still open


def test_backup_into_a_key_file_name_of_another_database_is_refused(encrypted_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", DB_PASSPHRASE)
    assert main(["backup", "--db", str(encrypted_db), "--out", str(tmp_path / "other.sqlite3.keys")]) == 2
    assert "key file" in capsys.readouterr().err
    assert not (tmp_path / "other.sqlite3.keys").exists()


# -- restore never makes a database plaintext ---------------------------------------------------------


def test_restoring_a_plain_copy_over_an_encrypted_database_is_refused(plain_db, encrypted_db, tmp_path, capsys,
                                                                      monkeypatch):
    before = _snapshot(tmp_path)
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", DB_PASSPHRASE)
    assert main(["restore", str(plain_db), "--db", str(encrypted_db)]) == 2
    err = capsys.readouterr().err
    assert "not encrypted" in err and len(err.strip().splitlines()) == 1
    assert _snapshot(tmp_path) == before
    assert main(["doctor", "--db", str(encrypted_db)]) == 0


def test_restoring_a_plain_copy_where_only_the_key_file_is_left_is_refused(plain_db, encrypted_db, tmp_path, capsys):
    encrypted_db.unlink()  # the encrypted database gone, its key file still there
    before = _snapshot(tmp_path)
    assert main(["restore", str(plain_db), "--db", str(encrypted_db)]) == 2
    assert "not encrypted" in capsys.readouterr().err
    assert _snapshot(tmp_path) == before and not encrypted_db.exists()


# -- restore while the app has the database open ------------------------------------------------------


def test_restore_is_refused_while_the_app_has_the_database_open(encrypted_db, tmp_path, monkeypatch):
    """The app holds the lock beside the database (here this test process, as the app would); a
    restore from another process is refused with one line and changes nothing."""
    from app.services.db_lock import DatabaseLock

    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", DB_PASSPHRASE)
    out = tmp_path / "copy.sqlite3"
    assert main(["backup", "--db", str(encrypted_db), "--out", str(out)]) == 0
    before = _snapshot(tmp_path)
    with DatabaseLock(encrypted_db):
        refused = run_cli("restore", str(out), "--db", str(encrypted_db))
        assert refused.returncode == 2
        assert refused.stderr.startswith("reviewday: ") and len(refused.stderr.strip().splitlines()) == 1
        assert "ReviewDay has it open" in refused.stderr
        assert _snapshot(tmp_path) == before
        listed = run_cli("list", "--db", str(encrypted_db))  # reading alongside the app still works
        assert listed.returncode == 0, listed.stderr
    restored = run_cli("restore", str(out), "--db", str(encrypted_db))  # once it is closed
    assert restored.returncode == 0, restored.stderr
