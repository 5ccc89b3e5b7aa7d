"""Bad input on the command line: one plain line on stderr and exit 2, never "internal error" or a
traceback. Real processes, real files, as a user or a script runs them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.bundle import dump_review, encode_bundle
from app.services.demo import seed_demo
from app.services.store import Store
from tests.bundle.bundle_support import database_fingerprint, full_review, review_count
from tests.conftest import REVIEW_DATE
from tests.test_cli import DB_PASSPHRASE, run_cli

LONG_PART = "a" * 300  # one path part over the 255 bytes a file name can have


def _one_line_exit_2(result: subprocess.CompletedProcess, *fragments: str) -> str:
    err = result.stderr.strip()
    assert result.returncode == 2, (result.returncode, err)
    assert "internal error" not in err and "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("reviewday: "), err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A plain (unencrypted) database with the demo reviews, closed; returns (path, review id)."""
    folder = tmp_path_factory.mktemp("cli-errors")
    db = folder / "demo.sqlite3"
    store = Store.open(db)
    try:
        review_id = seed_demo(store, review_date=REVIEW_DATE)
    finally:
        store.close()
    return db, review_id


@pytest.mark.parametrize("where", ["db", "db-folder", "out", "import"])
def test_a_path_part_over_255_bytes_is_one_line(demo_db, tmp_path, where):
    db, review_id = demo_db
    long_path = str(tmp_path / LONG_PART / "r.sqlite3") if where == "db-folder" else str(tmp_path / LONG_PART)
    argv = {
        "db": ["list", "--db", long_path],
        "db-folder": ["list", "--db", long_path],
        "out": ["export", str(review_id), "--db", str(db), "--format", "docx", "--out", long_path],
        "import": ["import", long_path, "--db", str(db)],
    }[where]
    _one_line_exit_2(run_cli(*argv), "too long")


def test_an_empty_db_path_is_one_line():
    _one_line_exit_2(run_cli("list", "--db", ""), "--db")


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999999", "0"])
def test_review_ids_out_of_range_are_one_line(demo_db, tmp_path, value):
    db, _ = demo_db
    for argv in (["export", value, "--db", str(db), "--format", "pdf", "--out", str(tmp_path / "r.pdf")],
                 ["purge", value, "--db", str(db), "--export-to", str(tmp_path)]):
        _one_line_exit_2(run_cli(*argv), "review id")
    assert not (tmp_path / "r.pdf").exists()


def test_subject_access_into_an_existing_file_is_one_line(demo_db, tmp_path):
    db, _ = demo_db
    target = tmp_path / "not-a-folder.txt"
    target.write_text("keep me")
    _one_line_exit_2(run_cli("subject-access", "--db", str(db), "--person", "A.K.", "--out", str(target)),
                     "not a folder")
    assert target.read_text() == "keep me"


def test_exporting_the_audit_trail_of_no_review_writes_nothing(demo_db, tmp_path):
    db, _ = demo_db
    out = tmp_path / "audit.csv"
    _one_line_exit_2(run_cli("export", "999", "--db", str(db), "--format", "audit", "--out", str(out)),
                     "no review with id 999")
    assert not out.exists()


def test_list_into_a_closed_pipe_exits_quietly(demo_db):
    """`reviewday list | head -1`: the reader has gone; like other Unix tools, stop without a word."""
    db, _ = demo_db
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written: every write breaks the pipe
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REVIEWDAY_PASSPHRASE": DB_PASSPHRASE}
        result = subprocess.run([sys.executable, "-m", "app", "list", "--db", str(db)], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 141  # 128 + SIGPIPE, what a shell reports for `yes | head -1`


def _damage_table(db: Path, table: str) -> None:
    """Overwrite the first page of `table`'s b-tree with garbage (the file opens; reading the table fails)."""
    conn = sqlite3.connect(db)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        conn.close()
    with db.open("r+b") as stream:
        stream.seek((root - 1) * page_size)
        stream.write(b"\x5a" * page_size)


def test_exporting_from_a_damaged_database_is_one_line(tmp_path):
    db = tmp_path / "damaged.sqlite3"
    store = Store.open(db)
    try:
        review_id = seed_demo(store, review_date=REVIEW_DATE)
    finally:
        store.close()
    _damage_table(db, "notes")
    for fmt in ("pdf", "json"):
        out = tmp_path / f"out.{fmt}"
        line = _one_line_exit_2(run_cli("export", str(review_id), "--db", str(db), "--format", fmt, "--out", str(out)))
        assert "damaged" in line or "could not be read" in line, line
        assert not out.exists()


# -- the same bundle imported by two processes at once --------------------------------------------


def _sleeping_on_a_lock(pid: int) -> bool:
    """True while the process waits in SQLite's busy handler (which sleeps between tries)."""
    try:
        return "sleep" in Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux /proc to see a process wait")
def test_the_same_bundle_imported_twice_at_once_gives_one_review_and_one_clear_refusal(tmp_path):
    source = Store.open(tmp_path / "chair.sqlite3")
    try:
        bundle = tmp_path / "review.json"
        bundle.write_bytes(encode_bundle(dump_review(source, full_review(source))))
    finally:
        source.close()
    db = tmp_path / "member.sqlite3"
    Store.open(db).close()

    # Hold the database's write lock, so both imports check "not here yet" and then wait to write.
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REVIEWDAY_PASSPHRASE": DB_PASSPHRASE}
    processes = [
        subprocess.Popen([sys.executable, "-m", "app", "import", str(bundle), "--db", str(db)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                         stdin=subprocess.DEVNULL)
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 60
        while not all(_sleeping_on_a_lock(p.pid) for p in processes):
            assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
            assert time.monotonic() < deadline, "the imports never reached the database"
            time.sleep(0.01)
    finally:
        holder.rollback()
        holder.close()
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    [(_, _, refusal)] = [r for r in results if r[0] == 2]
    assert refusal.strip() == "reviewday: This review is already in the database, so it was not imported again."
    store = Store.open(db, create=False)
    try:
        assert review_count(store) == 1
    finally:
        store.close()


def test_a_refused_import_leaves_the_database_byte_for_byte(tmp_path):
    """The refusal after a race happens inside the unit of work: nothing of it is kept."""
    source = Store.open(tmp_path / "chair.sqlite3")
    try:
        bundle = tmp_path / "review.json"
        bundle.write_bytes(encode_bundle(dump_review(source, full_review(source))))
    finally:
        source.close()
    db = tmp_path / "member.sqlite3"
    Store.open(db).close()
    assert run_cli("import", str(bundle), "--db", str(db)).returncode == 0
    before = database_fingerprint(db)
    _one_line_exit_2(run_cli("import", str(bundle), "--db", str(db)), "already in the database")
    assert database_fingerprint(db) == before
