"""R5 (corrupt database) and R6 (backup and restore) on real SQLite / SQLCipher files.

Every damaged database is made here from a real demo database; nothing binary is committed.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from app.services import backup as bk
from app.services import db_files, db_health, db_restore
from app.services.backup import BackupError
from app.services.demo import seed_demo
from app.services.errors import DatabaseOpenError
from app.services.store import Store

# Backups, restores and damage checks are about database files.
pytestmark = pytest.mark.sqlite_only

DAY = date(2026, 11, 20)
CANARY = "CANARY-Quixotic-Marmalade-7731"


def dump(path: Path, key: bytes | None = None) -> str:
    """A stable text dump of every row and the schema, read without changing the file."""
    conn = db_files.connect_file(path, key, mode=db_files.read_mode(path))
    try:
        lines = [repr(row) for row in conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")]
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").fetchall():
            lines += [f"{table}: {row!r}" for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]
        return "\n".join(lines)
    finally:
        conn.close()


def page_size(path: Path) -> int:
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    """Seeded once per module; each test gets its own copy (made with the backup API)."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    store = Store.open(path)
    seed_demo(store, review_date=DAY)
    store.close()
    return path


def copy_db(source: Path, target: Path, key: bytes | None = None) -> None:
    if key is None:
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return
    conn = db_files.connect_file(source, None, sqlcipher=True)
    conn.execute(f"ATTACH DATABASE '{target}' AS enc KEY \"x'{key.hex()}'\"")
    conn.execute("SELECT sqlcipher_export('enc')")
    conn.execute("DETACH DATABASE enc")
    conn.close()


@pytest.fixture
def demo_store(demo_template, db_path, clock):
    copy_db(demo_template, db_path)
    store = Store.open(db_path, clock=clock)
    yield store
    store.close()


@pytest.fixture
def closed_demo(demo_store, db_path, tmp_path):
    """A demo database with one good backup; the database is closed (checkpointed, no -wal)."""
    info = bk.rotate_backups(demo_store, bk.default_backup_folder(db_path))
    expected = dump(db_path)
    demo_store.close()
    assert not Path(f"{db_path}-wal").exists()
    return info, expected


# -- backups ----------------------------------------------------------------------------------


def test_backup_is_verified_identical_and_single_file(demo_store, db_path, tmp_path):
    out = tmp_path / "copy.sqlite3"
    info = bk.backup_to(demo_store, out)
    assert info.path == out and info.size == out.stat().st_size > 0
    assert info.row_counts["notes"] > 0 and info.row_counts["actions"] > 0
    assert dump(out) == dump(db_path)
    assert bk.verify_backup(out) is None
    assert out.read_bytes()[:16] == db_files.SQLITE_MAGIC
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("copy", ".copy"))) == ["copy.sqlite3"]


def test_backup_replaces_an_existing_file_atomically(demo_store, tmp_path):
    out = tmp_path / "copy.sqlite3"
    out.write_bytes(b"old")
    bk.backup_to(demo_store, out)
    assert bk.verify_backup(out) is None


def test_backup_that_fails_verification_leaves_no_file(demo_store, tmp_path):
    out = tmp_path / "copy.sqlite3"

    def corrupt(temp: Path) -> None:
        data = bytearray(temp.read_bytes())
        size = page_size(temp)
        middle = (len(data) // size) // 2
        data[middle * size:(middle + 1) * size] = random.Random(3).randbytes(size)
        temp.write_bytes(bytes(data))

    with pytest.raises(BackupError, match="checking it failed"):
        bk.backup_to(demo_store, out, on_copied=corrupt)
    assert list(tmp_path.glob("*copy*")) == []


def test_backup_that_is_cut_short_leaves_no_file(demo_store, tmp_path):
    out = tmp_path / "copy.sqlite3"

    def truncate(temp: Path) -> None:
        with open(temp, "r+b") as stream:
            stream.truncate(temp.stat().st_size // 2)

    with pytest.raises(BackupError):
        bk.backup_to(demo_store, out, on_copied=truncate)
    assert list(tmp_path.glob("*copy*")) == []


def test_backup_into_missing_folder_is_one_sentence(demo_store, tmp_path):
    with pytest.raises(BackupError, match="does not exist"):
        bk.backup_to(demo_store, tmp_path / "nope" / "copy.sqlite3")


def test_rotation_keeps_newest_n_and_deletes_only_after_a_verified_backup(demo_store, db_path, clock):
    folder = bk.default_backup_folder(db_path)
    made = []
    for _ in range(5):
        made.append(bk.rotate_backups(demo_store, folder, keep=3).path)
        clock.advance(minutes=5)
    kept = bk.list_backups(folder)
    assert [b.path for b in kept] == list(reversed(made[-3:]))
    assert kept[0].created_at > kept[1].created_at > kept[2].created_at
    assert all(bk.verify_backup(b.path) is None for b in kept)

    def corrupt(temp: Path) -> None:
        with open(temp, "r+b") as stream:
            stream.write(b"\0" * 100)

    with pytest.raises(BackupError):
        bk.rotate_backups(demo_store, folder, keep=3, on_copied=corrupt)
    assert [b.path for b in bk.list_backups(folder)] == [b.path for b in kept]  # nothing deleted
    assert sorted(p.name for p in folder.iterdir()) == sorted(b.path.name for b in kept)  # no temp left


def test_two_backups_in_the_same_second_both_kept(demo_store, db_path):
    folder = bk.default_backup_folder(db_path)
    first = bk.rotate_backups(demo_store, folder)
    second = bk.rotate_backups(demo_store, folder)
    assert first.path != second.path
    assert [b.path for b in bk.list_backups(folder)] == [second.path, first.path]


def test_backup_of_a_database_being_edited_is_a_consistent_snapshot(demo_store, db_path, tmp_path, actor):
    from app.services import notes, reviews

    review_id = reviews.list_reviews(demo_store)[0].id
    section = notes.list_notes(demo_store, review_id)[0].section_id
    notes.add_note(demo_store, review_id, section, "Written just before the backup.", actor)
    info = bk.backup_to(demo_store, tmp_path / "copy.sqlite3")
    assert "Written just before the backup." in dump(info.path)
    assert dump(info.path) == dump(db_path)


# -- verify_backup ----------------------------------------------------------------------------


def test_verify_backup_reasons(tmp_path, demo_store):
    assert bk.verify_backup(tmp_path / "missing") == "there is no such file."
    assert "folder" in bk.verify_backup(tmp_path)
    junk = tmp_path / "junk"
    junk.write_bytes(b"hello")
    assert "too short" in bk.verify_backup(junk)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    assert bk.verify_backup(other) == "the file is not a ReviewDay database."


# -- damage: detect, set aside byte-identical, restore the newest good backup ----------------


def _zero_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))


def _random_middle_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    size = page_size(path)
    middle = (len(data) // size) // 2
    data[middle * size:(middle + 1) * size] = random.Random(7).randbytes(size)
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    size = page_size(path)
    pages = path.stat().st_size // size
    with open(path, "r+b") as stream:
        stream.truncate((pages // 2) * size)


def _truncate_mid_page(path: Path) -> None:
    with open(path, "r+b") as stream:
        stream.truncate(path.stat().st_size - 1000)


@pytest.mark.parametrize("damage", [_zero_header, _random_middle_page, _truncate, _truncate_mid_page])
def test_damaged_database_detected_set_aside_and_restored(closed_demo, db_path, clock, damage):
    info, expected = closed_demo
    damage(db_path)
    damaged_bytes = db_path.read_bytes()

    reason = db_health.detect_damage(db_path)
    assert reason and reason.endswith(".") and "\n" not in reason
    problems = db_health.doctor(db_path)
    assert problems and all("\n" not in p for p in problems)
    assert db_path.read_bytes() == damaged_bytes  # checking changed nothing
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["backups", db_path.name]

    aside = db_restore.set_aside(db_path, now=clock())
    assert aside.name == f"{db_path.name}.damaged-20261120-093000"
    assert aside.read_bytes() == damaged_bytes and not db_path.exists()

    newest = bk.list_backups(bk.default_backup_folder(db_path))[0]
    assert newest.path == info.path
    restored = db_restore.restore(newest.path, db_path, now=clock())
    assert restored.replaced is None
    assert dump(db_path) == expected
    assert aside.read_bytes() == damaged_bytes  # never overwritten
    assert db_health.detect_damage(db_path) is None and db_health.doctor(db_path) == []
    reopened = Store.open(db_path)
    try:
        from app.services import reviews

        assert reviews.list_reviews(reopened)[0].notes > 0
    finally:
        reopened.close()


def _crash_with_writes_in_wal(db_path: Path, *, committed: bool) -> None:
    """A real process commits a note (or not), opens an uncommitted write, and is killed."""
    script = textwrap.dedent(f"""
        import os
        from app.services import notes, reviews
        from app.services.dto import Actor
        from app.services.store import Store
        store = Store.open({str(db_path)!r})
        review_id = reviews.list_reviews(store)[0].id
        section = notes.list_notes(store, review_id)[0].section_id
        if {committed!r}:
            notes.add_note(store, review_id, section, "Committed only into the -wal.", Actor("A", "note_taker"))
        raw = store.engine.raw_connection().driver_connection
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("UPDATE reviews SET ward = 'Uncommitted ward'")
        print("written", flush=True)
        os.kill(os.getpid(), 9)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=60)
    assert "written" in done.stdout, done.stderr
    assert Path(f"{db_path}-wal").exists() and Path(f"{db_path}-shm").exists()


def test_removed_wal_after_committed_writes_is_detected(closed_demo, db_path, clock):
    info, expected = closed_demo
    _crash_with_writes_in_wal(db_path, committed=True)
    assert db_health.detect_damage(db_path) is None  # a crash alone is not damage: the -wal holds the note
    assert "Committed only into the -wal." in dump(db_path)
    os.remove(f"{db_path}-wal")
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()}

    reason = db_health.detect_damage(db_path)
    assert reason and "-wal" in reason
    assert any("-wal" in p for p in db_health.doctor(db_path))
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()} == before

    aside = db_restore.set_aside(db_path, now=clock())
    assert aside.read_bytes() == before[db_path.name]
    assert Path(f"{aside}-shm").read_bytes() == before[f"{db_path.name}-shm"]
    db_restore.restore(info.path, db_path)
    assert dump(db_path) == expected


def test_removed_wal_after_only_uncommitted_writes_loses_nothing(closed_demo, db_path):
    _info, expected = closed_demo
    _crash_with_writes_in_wal(db_path, committed=False)
    os.remove(f"{db_path}-wal")
    # Nothing committed was in the -wal, so nothing is lost and the file is sound.
    assert db_health.detect_damage(db_path) is None
    assert dump(db_path) == expected


def test_detect_damage_leaves_new_and_healthy_files_alone(tmp_path, closed_demo, db_path):
    assert db_health.detect_damage(tmp_path / "new.sqlite3") is None
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert db_health.detect_damage(tmp_path / "empty.sqlite3") is None
    assert db_health.detect_damage(db_path) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "empty.sqlite3", db_path.name]


def test_random_header_is_damage_unless_the_file_has_a_key_file(closed_demo, db_path):
    data = bytearray(db_path.read_bytes())
    data[:100] = random.Random(1).randbytes(100)
    db_path.write_bytes(bytes(data))
    assert "damaged" in db_health.detect_damage(db_path)
    assert db_health.doctor(db_path)
    Path(f"{db_path}.keys").write_text("{}")
    assert db_health.detect_damage(db_path) is None  # may be a SQLCipher file: the keyed open decides
    assert db_health.detect_damage(db_path, strict=True)
    assert db_health.doctor(db_path) == ["The database is encrypted, so its key is needed to check it."]


def test_keys_suffix_matches_the_key_files():
    from app.security import data_key

    assert db_files.KEYS_SUFFIX == data_key.KEYS_SUFFIX


# -- restore ----------------------------------------------------------------------------------


def test_restore_drill_round_trip_keeps_the_replaced_database(closed_demo, db_path, clock, actor):
    from app.services import notes, reviews

    info, expected = closed_demo
    store = Store.open(db_path, clock=clock)
    review_id = reviews.list_reviews(store)[0].id
    section = notes.list_notes(store, review_id)[0].section_id
    notes.add_note(store, review_id, section, "Written after the backup.", actor)
    later = dump(db_path)
    store.close()

    result = db_restore.restore(info.path, db_path, now=clock())
    assert dump(db_path) == expected
    assert result.replaced.name == f"{db_path.name}.replaced-20261120-093000"
    assert dump(result.replaced) == later  # the replaced database is kept, whole
    assert not Path(f"{db_path}-wal").exists()

    again = db_restore.restore(info.path, db_path, now=clock())  # same second: a second name, nothing overwritten
    assert again.replaced != result.replaced and again.replaced.exists() and result.replaced.exists()


def test_restore_refuses_a_bad_backup_and_changes_nothing(closed_demo, db_path, tmp_path):
    before = db_path.read_bytes()
    bad = tmp_path / "bad.backup.sqlite3"
    bad.write_bytes(before)
    _random_middle_page(bad)
    with pytest.raises(BackupError, match="cannot be restored"):
        db_restore.restore(bad, db_path)
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == [
        "backups", "bad.backup.sqlite3", db_path.name]


def test_restore_into_a_new_place(closed_demo, tmp_path):
    info, expected = closed_demo
    target = tmp_path / "elsewhere.sqlite3"
    assert db_restore.restore(info.path, target).replaced is None
    assert dump(target) == expected


# -- doctor -----------------------------------------------------------------------------------


def test_doctor_reports_foreign_key_and_schema_problems(closed_demo, db_path):
    assert db_health.doctor(db_path) == []
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("INSERT INTO notes SELECT * FROM notes LIMIT 0")
    conn.execute("DELETE FROM reviews")
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()
    problems = db_health.doctor(db_path)
    assert any("point to rows that no longer exist" in p and "notes" in p for p in problems)
    assert any("9999_future" in p and "newer version" in p for p in problems)


def test_doctor_refuses_missing_and_folders(tmp_path):
    with pytest.raises(DatabaseOpenError, match="no such file"):
        db_health.doctor(tmp_path / "missing.sqlite3")
    with pytest.raises(DatabaseOpenError, match="folder"):
        db_health.doctor(tmp_path)


# -- encrypted databases: backups stay encrypted with the same key ----------------------------


@pytest.fixture
def encrypted_store(demo_template, tmp_path, clock, actor):
    from sqlalchemy import create_engine

    from app.models.enums import ConsentBasis
    from app.services import notes, people, reviews

    key = os.urandom(32)
    path = tmp_path / "secret.sqlite3"
    copy_db(demo_template, path, key)

    def connect():
        return db_files.connect_file(path, key)

    store = Store(create_engine("sqlite://", creator=connect), clock)
    review_id = reviews.list_reviews(store)[0].id
    people.record_consent(store, review_id, actor, ConsentBasis.CONSENT)
    section = notes.list_notes(store, review_id)[0].section_id
    notes.add_note(store, review_id, section, f"Met {CANARY} on the ward.", actor)
    assert reviews.list_reviews(store)
    yield store, path, key
    store.close()


def test_encrypted_backup_is_encrypted_with_the_same_key(encrypted_store, tmp_path):
    store, path, key = encrypted_store
    out = tmp_path / "secret.backup.sqlite3"
    bk.backup_to(store, out, key=key)
    raw = out.read_bytes()
    assert CANARY.encode() not in raw and CANARY.encode("utf-16-le") not in raw
    assert raw[:16] != db_files.SQLITE_MAGIC
    assert bk.verify_backup(out, key) is None
    assert bk.verify_backup(out) is not None
    assert "key" in bk.verify_backup(out, os.urandom(32))
    assert CANARY in dump(out, key)
    assert dump(out, key) == dump(path, key)


def test_encrypted_database_is_never_backed_up_in_plain_text(encrypted_store, tmp_path):
    store, _path, _key = encrypted_store
    with pytest.raises(BackupError, match="key is needed"):
        bk.backup_to(store, tmp_path / "plain.sqlite3")
    assert list(tmp_path.glob("plain*")) == [] and list(tmp_path.glob(".plain*")) == []


def test_encrypted_restore_and_damage(encrypted_store, tmp_path, clock):
    store, path, key = encrypted_store
    info = bk.rotate_backups(store, tmp_path / "backups", key=key)
    expected = dump(path, key)
    store.close()
    assert db_health.detect_damage(path, key) is None and db_health.doctor(path, key) == []
    assert db_health.detect_damage(path, strict=False) is None  # without the key: cannot tell, left to the keyed open

    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit: SQLCipher's HMAC catches it
    path.write_bytes(bytes(data))
    damaged = path.read_bytes()
    assert db_health.detect_damage(path, key)
    assert db_health.doctor(path, key)
    aside = db_restore.set_aside(path, now=clock())
    with pytest.raises(BackupError):
        db_restore.restore(info.path, path)  # without the key it cannot be checked, so it is refused
    db_restore.restore(info.path, path, key=key)
    assert dump(path, key) == expected
    assert aside.read_bytes() == damaged
    assert CANARY.encode() not in path.read_bytes()


def test_encrypted_database_from_open_database_keeps_its_key_file_with_backups(tmp_path, clock, monkeypatch):
    """The real encrypted path: a key file beside the database travels with backups and restores."""
    from app.security import data_key
    from app.services import reviews

    class NoKeyring:
        def get(self, _path):
            return None

        def remember(self, _path, _key):
            return False

    kdf = data_key.ScryptParams(n=2**10)
    db = tmp_path / "enc.sqlite3"
    store, recovery = data_key.open_database(db, passphrase=lambda _c: "correct horse battery", keyring=NoKeyring(),
                                             kdf=kdf, store_clock=clock)
    assert recovery
    seed_demo(store, review_date=DAY)
    info = bk.rotate_backups(store, bk.default_backup_folder(db))  # the key comes from the Store
    store.close()
    assert Path(f"{info.path}.keys").read_bytes() == Path(f"{db}.keys").read_bytes()
    assert b"Elmfield" not in info.path.read_bytes() and info.path.read_bytes()[:16] != db_files.SQLITE_MAGIC

    elsewhere = tmp_path / "other" / "restored.sqlite3"
    elsewhere.parent.mkdir()
    key = data_key.unlock(db, "correct horse battery", clock=clock)
    db_restore.restore(info.path, elsewhere, key=key)
    assert Path(f"{elsewhere}.keys").is_file()
    reopened, _ = data_key.open_database(elsewhere, passphrase=lambda _c: "correct horse battery",
                                         keyring=NoKeyring(), kdf=kdf)
    try:
        assert reviews.list_reviews(reopened)[0].person_label
    finally:
        reopened.close()
    aside = db_restore.set_aside(db, now=clock())
    assert Path(f"{aside}.keys").is_file() and Path(f"{db}.keys").is_file()


def test_a_plain_backup_is_never_restored_over_an_encrypted_database(closed_demo, tmp_path, clock):
    from app.security import data_key

    info, _expected = closed_demo
    enc = tmp_path / "enc.sqlite3"
    store, _ = data_key.open_database(enc, passphrase=lambda _c: "a passphrase here", kdf=data_key.ScryptParams(n=2**10),
                                      keyring=type("K", (), {"get": lambda s, p: None, "remember": lambda s, p, k: False})())
    store.close()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and p.suffix != ".lock"}
    with pytest.raises(BackupError, match="not encrypted"):
        db_restore.restore(info.path, enc, now=clock())
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and p.suffix != ".lock"} == before


def test_backup_onto_a_full_disk_leaves_no_file(closed_demo, db_path, tmp_path):
    """A real process whose file-size limit is smaller than the database: the copy cannot be
    written, the error is one sentence, and no partial backup or temporary file is left."""
    out = tmp_path / "full" / "copy.sqlite3"
    out.parent.mkdir()
    script = textwrap.dedent(f"""
        import resource, signal
        from pathlib import Path
        from app.services import backup
        from app.services.store import Store
        store = Store.open({str(db_path)!r})
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, resource.RLIM_INFINITY))
        try:
            backup.backup_to(store, Path({str(out)!r}))
        except backup.BackupError as exc:
            print("refused:", exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=60)
    assert "refused: Cannot write the backup" in done.stdout, done.stdout + done.stderr
    assert "disk is full" in done.stdout
    assert list(out.parent.iterdir()) == []


def test_backups_and_restored_files_are_private(demo_store, db_path, tmp_path):
    import stat

    folder = tmp_path / "private-backups"
    info = bk.rotate_backups(demo_store, folder)
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    target = tmp_path / "restored.sqlite3"
    db_restore.restore(info.path, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
