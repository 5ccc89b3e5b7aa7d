"""R14: kill the app mid-export: the old file stays intact or the new one is complete, never half."""

from __future__ import annotations

import signal
import subprocess
import sys
import zipfile

import pytest

from tests.reliability.helpers import HERE, ROOT, child_env


def _export(tmp_path, fmt: str, out, pause_at: str = "none") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(HERE / "export_child.py"), str(tmp_path / f"{pause_at}.sqlite3"), str(out), fmt, pause_at],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=child_env(), cwd=str(ROOT),
    )


def _complete(data: bytes, fmt: str, path) -> bool:
    if fmt == "pdf":
        return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None and "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("pause_at", ["fsync", "replace"])
def test_killed_mid_export_leaves_the_old_file_whole(tmp_path, fmt, pause_at):
    out = tmp_path / f"report.{fmt}"
    first = _export(tmp_path, fmt, out)
    assert first.communicate(timeout=120)[0].startswith("exported"), first.stderr
    old = out.read_bytes()
    assert _complete(old, fmt, out)

    child = _export(tmp_path, fmt, out, pause_at)
    line = child.stdout.readline()
    assert line.strip() == f"at {pause_at}", child.stderr.read()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    # Killed with the new report written but not yet in place: the old one is untouched.
    assert out.read_bytes() == old
    def leftovers():
        return [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}.")]

    assert len(leftovers()) == 1  # the dead run's temporary file (it holds report text)...
    again = _export(tmp_path, fmt, out)
    assert again.communicate(timeout=120)[0].startswith("exported")
    assert leftovers() == []  # ...is removed by the next export
    assert _complete(out.read_bytes(), fmt, out)


def test_a_finished_export_replaces_the_file_completely(tmp_path):
    out = tmp_path / "report.pdf"
    out.write_bytes(b"an older report")
    child = _export(tmp_path, "pdf", out)
    assert child.communicate(timeout=120)[0].startswith("exported")
    assert _complete(out.read_bytes(), "pdf", out)
