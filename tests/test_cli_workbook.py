"""`reviewday workbook`: a blank paper workbook from the command line, with real exit codes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.cli import main


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env,
                          timeout=120, stdin=subprocess.DEVNULL, cwd=cwd)


def test_workbook_as_a_real_process(tmp_path):
    out = tmp_path / "icetr.pdf"
    done = run_cli("workbook", "--type", "icetr", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert "IC(E)TR" in done.stdout and str(out) in done.stdout
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Section safety (1)" in text and "Section lts (7)" in text


def test_unknown_type_exits_2_with_one_line_listing_the_known_types(tmp_path):
    done = run_cli("workbook", "--type", "adult", "--out", str(tmp_path / "w.pdf"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "Unknown review type 'adult'" in lines[0]
    for known in ("adult_community", "adult_inpatient", "icetr", "laep", "post_admission"):
        assert known in lines[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["workbook", "--type", "icetr", "--version", "9", "--out", "w.pdf"], "has no version 9"),
        (["workbook", "--type", "icetr", "--version", "two", "--out", "w.pdf"], "invalid int value"),
        (["workbook", "--type", "icetr"], "--out"),
        (["workbook", "--out", "w.pdf"], "--type"),
    ],
)
def test_bad_usage_exits_2_with_one_line(args, fragment, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and fragment in err
    assert not (tmp_path / "w.pdf").exists()


def test_a_missing_folder_or_a_folder_as_out_exits_2(tmp_path, capsys):
    assert main(["workbook", "--type", "laep", "--out", str(tmp_path / "nope" / "w.pdf")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["workbook", "--type", "laep", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "is a folder" in err


def test_an_explicit_version_is_used(tmp_path, capsys):
    assert main(["workbook", "--type", "laep", "--version", "1", "--out", str(tmp_path / "w.pdf")]) == 0
    assert "template laep v1" in capsys.readouterr().out
