"""Every subcommand, fed hostile argument values: a plain answer (exit 0, 1 or 2), never "internal
error" or a traceback. Runs `main()` in this process so hypothesis can try many values quickly;
tests/test_cli_errors.py runs the cases found here as real processes."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.services.demo import seed_demo
from app.services.store import Store
from tests.conftest import REVIEW_DATE

# Printable and control characters alike, but no lone surrogates (a real argv cannot hold them).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
NUMBERISH = st.one_of(st.integers(-(2**70), 2**70).map(str), st.sampled_from(["", " ", "1.5", "0x10", "1e3", "١٢"]))
DATES = st.one_of(st.dates().map(str), st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "", "2026-1-1"]))
LONG = "a" * 300
# Values for files that are read. Character devices and /proc files never end or have no size.
INPUT_SPECIALS = ["", " ", "-", ".", "..", "/", "missing.json", "folder", "file.txt", "empty.json", LONG,
                  f"folder/{LONG}", "file.txt/inside", "a\x00b", "/dev/zero", "/dev/null", "/proc/self/status"]
# Values for files and folders that are written: always inside the test's own folder.
OUTPUT_SPECIALS = ["", " ", "-", ".", "folder", "file.txt", LONG, f"folder/{LONG}", "file.txt/inside",
                   "no/such/folder/out.pdf", "a\x00b", "out.pdf", "out.csv", "out.xlsx", "out.json"]


def _relative(text: str) -> bool:
    return not text.startswith(("/", "~")) and ".." not in text


INPUTS = st.one_of(st.sampled_from(INPUT_SPECIALS), ANY_TEXT)
OUTPUTS = st.one_of(st.sampled_from(OUTPUT_SPECIALS), ANY_TEXT.filter(_relative))

# Each command, with the slots hypothesis fills: {id} numbers, {in} files read, {out} files written,
# {text} names and labels, {date} dates; {db} is the demo database.
COMMANDS = {
    "list": ["list", "--db", "{in}"],
    "export": ["export", "{id}", "--db", "{db}", "--format", "{format}", "--out", "{out}"],
    "export-json": ["export", "{id}", "--db", "{db}", "--format", "json", "--out", "{out}", "--encrypt-to", "{in}"],
    "import": ["import", "{in}", "--db", "{db}"],
    "purge": ["purge", "{id}", "--db", "{db}", "--export-to", "{out}"],
    "subject-access": ["subject-access", "--db", "{db}", "--person", "{text}", "--out", "{out}"],
    "oversight": ["oversight", "--db", "{db}", "--format", "{sheet}", "--out", "{out}", "--today", "{date}"],
    "workbook": ["workbook", "--type", "{text}", "--version", "{id}", "--out", "{out}"],
    "demo": ["demo", "--db", "{out}", "--date", "{date}"],
    "verify": ["verify", "{in}", "--trust", "{in}"],
    "contribution-export": ["contribution", "export", "{id}", "--db", "{db}", "--base", "{in}", "--name", "{text}",
                            "--role", "{text}", "--out", "{out}"],
    "contribution-merge": ["contribution", "merge", "{in}", "--db", "{db}", "--take", "{take}"],
    "bundle-key-create": ["bundle-key", "create", "--name", "{text}", "--passphrase-env", "SWEEP_PASS"],
    "bundle-key-export": ["bundle-key", "export-public", "{text}", "--out", "{out}"],
    "identity-create": ["identity", "create", "--name", "{text}", "--role", "{text}", "--passphrase-env", "SWEEP_PASS"],
    "identity-import": ["identity", "import", "{in}", "--role", "{text}", "--p12-password-env", "SWEEP_PASS",
                        "--passphrase-env", "SWEEP_PASS"],
    "team-password": ["team-password", "{server}", "--password-env", "SWEEP_PASS"],
    "team-check": ["team-check", "{server}"],
    "doctor": ["doctor", "--db", "{in}"],
}
SLOTS = {
    "{id}": NUMBERISH,
    "{in}": INPUTS,
    "{out}": OUTPUTS,
    "{text}": ANY_TEXT,
    "{date}": DATES,
    "{format}": st.sampled_from(["pdf", "easyread", "docx", "xlsx", "audit", "json"]),
    "{sheet}": st.sampled_from(["csv", "xlsx"]),
    "{take}": st.sampled_from(["theirs", "ours"]),
    # Never a real server: nothing here may reach the network.
    "{server}": st.one_of(ANY_TEXT.filter(lambda t: "://" not in t),
                          st.sampled_from(["postgresql://", "postgresql://@/", "postgresql://u:secret@127.0.0.1:1/db",
                                           "postgresql://u@127.0.0.1:1/" + LONG, "mysql://u@127.0.0.1/db"])),
}


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep-source")
    store = Store.open(folder / "demo.sqlite3")
    try:
        seed_demo(store, review_date=REVIEW_DATE)
    finally:
        store.close()
    return folder / "demo.sqlite3"


@pytest.fixture
def workplace(tmp_path, monkeypatch, demo_source):
    """A folder to run in, with a copy of the demo database and cheap key derivation for new keys."""
    from app.bundle.keys import BundleKeyStore
    from app.security.identities import IdentityStore

    monkeypatch.chdir(tmp_path)
    shutil.copy(demo_source, tmp_path / "demo.sqlite3")
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("not what any command wants")
    (tmp_path / "empty.json").write_bytes(b"")
    monkeypatch.setenv("SWEEP_PASS", "a sweep passphrase")
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", "a sweep passphrase")
    monkeypatch.setattr("app.cli.common.identity_store",
                        lambda: IdentityStore(tmp_path / "identities", kdf_iterations=1000))
    monkeypatch.setattr("app.cli.bundle._keys", lambda: BundleKeyStore(tmp_path / "bundle-keys", kdf_iterations=1000))
    monkeypatch.setattr("app.cli.contribution.BundleKeyStore",
                        lambda: BundleKeyStore(tmp_path / "bundle-keys", kdf_iterations=1000), raising=False)
    return tmp_path


def _argv(template: list[str], draw) -> list[str]:
    argv = []
    for token in template:
        if token == "{db}":
            argv.append("demo.sqlite3")
        elif token in SLOTS:
            argv.append(draw(SLOTS[token]))
        else:
            argv.append(token)
    return argv


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", sorted(COMMANDS))
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_command_answers_hostile_values_plainly(command, data, workplace):
    argv = _argv(COMMANDS[command], data.draw)
    code, _out, err = _run(argv)
    assert code in (0, 1, 2), (argv, code, err)
    assert "internal error" not in err and "Traceback" not in err, (argv, err)
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("reviewday: "), (argv, err)
    assert "secret" not in err, (argv, err)  # a password typed into a URL is never repeated
    assert Path.cwd() == workplace and os.path.exists("demo.sqlite3")
