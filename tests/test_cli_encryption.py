"""The command line and the GUI start-up with encrypted databases: real processes and files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime

import keyring
import pytest

from app.cli import main
from app.security import data_key as dk
from app.services.store import Store
from tests.security.test_identities import MemoryKeyring

PASSPHRASE = "correct horse battery"
NEEDS_PASSPHRASE = ("reviewday: This database is encrypted: give the passphrase with --passphrase-env VAR "
                    "or REVIEWDAY_PASSPHRASE.")


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "REVIEWDAY_PASSPHRASE"}
    environment.update({"QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
                        **env})
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          env=environment, timeout=120, stdin=subprocess.DEVNULL)


def _recovery_key(stderr: str) -> str:
    [found] = re.findall(r"^Recovery key: ([A-Z0-9-]+)$", stderr, flags=re.M)
    return found


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def fast_kdf(monkeypatch):
    """Databases created in this process use cheap scrypt settings (the real ones: see below)."""
    monkeypatch.setattr(dk, "DEFAULT_KDF", dk.ScryptParams(n=2**10, r=8, p=1))


@pytest.fixture(scope="module")
def made_by_cli(tmp_path_factory):
    """One demo database made by the real CLI process, with the real key derivation."""
    folder = tmp_path_factory.mktemp("made")
    created = run("demo", "--db", str(folder / "r.sqlite3"), "--date", "2026-11-20",
                  "--passphrase-env", "MY_DB_PASS", MY_DB_PASS=PASSPHRASE)
    assert created.returncode == 0, created.stderr
    return folder, created


@pytest.fixture
def encrypted_db(made_by_cli, tmp_path):
    """A copy of that database and its key file; returns (path, review id, recovery key)."""
    folder, created = made_by_cli
    for name in ("r.sqlite3", "r.sqlite3.keys"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    return tmp_path / "r.sqlite3", int(created.stdout), _recovery_key(created.stderr)


def test_demo_creates_an_encrypted_database_and_shows_the_recovery_key_once_on_stderr(encrypted_db, tmp_path):
    db, review_id, recovery = encrypted_db
    assert not db.read_bytes().startswith(b"SQLite format 3") and dk.has_keys(db)
    key = dk.unlock_with_recovery_key(db, recovery)  # the key shown really opens it
    store = Store.open(db, key=key, create=False)
    try:
        from app.services.reviews import get_review

        assert get_review(store, review_id).setup.person_label == "A.K."
    finally:
        store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    for secret in (PASSPHRASE, recovery, recovery.replace("-", ""), key.hex()):
        assert secret.encode() not in raw
    assert b"A.K." not in raw and key not in raw


def test_demo_prints_only_the_review_id_on_stdout(made_by_cli):
    folder, created = made_by_cli
    assert re.fullmatch(r"\d+\n", created.stdout)
    assert created.stderr.count("Recovery key:") == 1 and "Write down or print this recovery key" in created.stderr
    document = json.loads((folder / "r.sqlite3.keys").read_text())
    assert document["passphrase"]["n"] == dk.ScryptParams().n  # the real cost, not a test's


def test_demo_without_a_passphrase_creates_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("REVIEWDAY_PASSPHRASE", raising=False)
    assert main(["demo", "--db", str(tmp_path / "x.sqlite3")]) == 2
    assert capsys.readouterr().err == ("reviewday: A new database is encrypted: choose its passphrase with "
                                       "--passphrase-env VAR or REVIEWDAY_PASSPHRASE.\n")
    assert list(tmp_path.iterdir()) == []


def test_list_needs_the_passphrase_and_works_with_it(encrypted_db, monkeypatch, capsys):
    db, review_id, _ = encrypted_db
    before = db.read_bytes()
    assert main(["list", "--db", str(db)]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == NEEDS_PASSPHRASE and captured.out == ""
    assert db.read_bytes() == before

    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", PASSPHRASE)
    assert main(["list", "--db", str(db), "--json"]) == 0
    # The demo review first, then A.K.'s earlier review that it follows up.
    assert [row["id"] for row in json.loads(capsys.readouterr().out)][0] == review_id

    monkeypatch.delenv("REVIEWDAY_PASSPHRASE")
    monkeypatch.setenv("OTHER_VAR", PASSPHRASE)
    assert main(["list", "--db", str(db), "--passphrase-env", "OTHER_VAR"]) == 0
    assert "A.K." in capsys.readouterr().out


def test_wrong_passphrase_is_one_line_and_the_delay_is_given(encrypted_db, monkeypatch, capsys):
    db, _, _ = encrypted_db
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", "not the passphrase")
    assert main(["list", "--db", str(db)]) == 2
    assert capsys.readouterr().err == "reviewday: The passphrase is wrong.\n"

    # Six failures recorded a moment ago (a real clock here: the CLI runs on real time).
    document = json.loads(dk.keys_path(db).read_text())
    document["attempts"] = {"failures": 6, "last_failure": datetime.now(UTC).isoformat()}
    dk.keys_path(db).write_text(json.dumps(document))
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", PASSPHRASE)  # even the right one waits
    assert main(["list", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert re.fullmatch(r"reviewday: Too many wrong passphrases: try again in [5-8] s\.\n", err), err


def test_export_takes_the_database_passphrase_from_its_own_option(encrypted_db, tmp_path, monkeypatch, capsys):
    db, review_id, _ = encrypted_db
    out = tmp_path / "report.docx"
    args = ["export", str(review_id), "--db", str(db), "--format", "docx", "--out", str(out)]
    assert main(args) == 2
    assert capsys.readouterr().err.strip() == ("reviewday: This database is encrypted: give the passphrase with "
                                               "--db-passphrase-env VAR or REVIEWDAY_PASSPHRASE.")
    monkeypatch.setenv("DBPASS", PASSPHRASE)
    assert main([*args, "--db-passphrase-env", "DBPASS"]) == 0
    assert out.stat().st_size > 0


def test_keyring_opens_without_a_passphrase_and_a_changed_one_falls_back(tmp_path, memory_keyring, monkeypatch,
                                                                         capsys, fast_kdf):
    db = tmp_path / "k.sqlite3"
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", PASSPHRASE)
    assert main(["demo", "--db", str(db), "--date", "2026-11-20"]) == 0
    [account] = [name for (_, name) in memory_keyring.secrets]
    monkeypatch.delenv("REVIEWDAY_PASSPHRASE")
    capsys.readouterr()
    assert main(["list", "--db", str(db)]) == 0  # the keyring holds the key
    assert "A.K." in capsys.readouterr().out

    memory_keyring.secrets[("ReviewDay", account)] = os.urandom(32).hex()  # a different keyring's key
    assert main(["list", "--db", str(db)]) == 2
    assert capsys.readouterr().err.strip() == NEEDS_PASSPHRASE
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", PASSPHRASE)
    assert main(["list", "--db", str(db)]) == 0
    assert dk.keys_path(db).exists() and db.exists()


def test_an_old_plain_database_still_opens_without_a_passphrase(tmp_path, capsys):
    from app.services.demo import seed_demo

    db = tmp_path / "old.sqlite3"
    store = Store.open(db)
    seed_demo(store)
    store.close()
    assert main(["list", "--db", str(db)]) == 0
    assert "A.K." in capsys.readouterr().out
    assert not dk.has_keys(db)


# -- the GUI's start-up -----------------------------------------------------------------------------


def test_gui_opens_an_encrypted_database_with_the_passphrase_and_refuses_without(encrypted_db):
    db, review_id, _ = encrypted_db
    refused = run("--db", str(db), "--exit-when-ready")
    assert refused.returncode == 2
    assert refused.stderr == ("reviewday: This database is encrypted and its key is not in the system keyring: "
                              "set REVIEWDAY_PASSPHRASE.\n")
    opened = run("--db", str(db), "--review", str(review_id), "--exit-when-ready", REVIEWDAY_PASSPHRASE=PASSPHRASE)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "ready"


def test_gui_demo_runs_on_an_encrypted_throwaway_database():
    opened = run("--demo", "--exit-when-ready")
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "ready"


def test_open_database_for_gui_creates_encrypted_and_shows_the_recovery_key(qapp, tmp_path, monkeypatch, capsys,
                                                                             fast_kdf):
    from app.ui.app import open_database_for_gui

    db = tmp_path / "gui.sqlite3"
    monkeypatch.delenv("REVIEWDAY_PASSPHRASE", raising=False)
    assert open_database_for_gui(str(db)) is None
    assert "set REVIEWDAY_PASSPHRASE to choose its passphrase" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", PASSPHRASE)
    store = open_database_for_gui(str(db))
    try:
        assert store is not None and store.is_encrypted
    finally:
        store.close()
    recovery = _recovery_key(capsys.readouterr().err)
    assert dk.unlock_with_recovery_key(db, recovery)


# -- no plaintext database, ever ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["oversight", "--format", "csv", "--out", "OUT"],
                                     ["subject-access", "--person", "A.K.", "--out", "OUT"]])
def test_commands_on_an_empty_existing_file_refuse_and_write_nothing(tmp_path, monkeypatch, capsys, command):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", PASSPHRASE)
    args = [str(tmp_path / "out.csv") if part == "OUT" else part for part in command]
    assert main([*args, "--db", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "empty" in err and len(err.strip().splitlines()) == 1
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite3"]


def test_store_open_without_create_refuses_an_empty_file(tmp_path):
    from app.services.errors import DatabaseOpenError

    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(DatabaseOpenError, match="empty"):
        Store.open(empty, create=False)
    assert empty.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite3"]


def test_demo_on_an_empty_existing_file_makes_it_encrypted(tmp_path, monkeypatch, fast_kdf, capsys):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", PASSPHRASE)
    assert main(["demo", "--db", str(empty), "--date", "2026-11-20"]) == 0
    assert dk.has_keys(empty) and not empty.read_bytes().startswith(b"SQLite format 3")
    assert oct(empty.stat().st_mode & 0o777) == "0o600"
