"""The command line, run as a user runs it: a real process, real files, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.cli import main


# New databases are encrypted: the CLI takes their passphrase from REVIEWDAY_PASSPHRASE.
DB_PASSPHRASE = "cli test database passphrase"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REVIEWDAY_PASSPHRASE": DB_PASSPHRASE}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_demo_then_list_as_a_real_process(tmp_path):
    db = tmp_path / "demo.sqlite3"
    created = run_cli("demo", "--db", str(db), "--date", "2026-11-20")
    assert created.returncode == 0, created.stderr
    review_id = int(created.stdout.strip())
    listed = run_cli("list", "--db", str(db), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 2  # the demo review and A.K.'s earlier, signed review
    [row] = [r for r in rows if r["id"] == review_id]
    assert row["id"] == review_id and row["type"] == "icetr" and row["person"] == "A.K."
    assert row["actions"] >= 8 and "long-term segregation" in row["flags"]
    # Ten working days after the review day; the earlier review's report was sent nine days after it.
    assert (row["report_due"], row["report_sent"]) == ("2026-12-04", None)
    [earlier] = [r for r in rows if r["id"] != review_id]
    assert (earlier["report_due"], earlier["report_sent"]) == ("2026-08-07", "2026-08-02")


def test_list_table_and_empty(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", DB_PASSPHRASE)
    db = tmp_path / "r.sqlite3"
    assert main(["demo", "--db", str(db), "--date", "2026-11-20"]) == 0
    capsys.readouterr()
    assert main(["list", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["ID", "TYPE", "PERSON", "DATE"]
    assert "A.K." in out[1] and "2026-11-20" in out[1]


def test_templates_lists_every_type(capsys):
    assert main(["templates", "--json"]) == 0
    ids = {t["id"] for t in json.loads(capsys.readouterr().out)}
    assert {"adult_community", "adult_inpatient", "post_admission", "cyp_community", "cyp_inpatient", "icetr"} <= ids
    assert main(["templates"]) == 0
    assert "icetr" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["list"], "--db"),
        (["frobnicate"], "invalid choice"),
        (["demo", "--db", "X", "--size", "huge"], "invalid choice"),
        (["demo", "--db", "X", "--date", "20/11/2026"], "is not a date"),
        (["list", "--db", "/no/such/folder/r.sqlite3"], "no such file"),
    ],
)
def test_bad_usage_exits_2_with_one_line(args, fragment, capsys):
    assert main(args) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and lines[0].startswith("reviewday: ")
    assert "Traceback" not in captured.err


def test_unopenable_database_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"\x00garbage" * 500)
    result = run_cli("list", "--db", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("reviewday: Cannot open the database")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert bad.read_bytes() == b"\x00garbage" * 500


def test_gui_on_unopenable_database_exits_2(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = run_cli("--db", str(folder))
    assert result.returncode == 2
    assert "it is a folder" in result.stderr and "Traceback" not in result.stderr
