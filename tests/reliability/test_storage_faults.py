"""R3 disk full and R4 read-only disk, on a real small tmpfs in a private mount namespace.

The child (storage_child.py) runs inside `unshare -Urm`, so it can mount a 1 MiB tmpfs and
remount it read-only without root on the host. Where user namespaces are refused, R3 falls back
to RLIMIT_FSIZE (SQLite then says "disk I/O error" or "database or disk is full") and R4 is skipped.
"""

from __future__ import annotations

import functools
import json
import sys
import subprocess

import pytest

from tests.reliability.helpers import HERE, child_env

TMPFS_SIZE = "1m"
PLAIN_MESSAGES = {
    "full": "The disk is full, so the last change could not be saved. Free some space; your text is kept.",
    "ro": "The database is on read-only storage, so the last change could not be saved; your text is kept.",
    "generic": "The last change could not be saved (the database reported a problem); your text is kept.",
}


@functools.cache
def user_namespaces() -> bool:
    try:
        return subprocess.run(["unshare", "-Urm", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def run_child(folder, mode: str, script: str = "storage_child.py") -> dict:
    child = [sys.executable, str(HERE / script), str(folder), mode]
    if mode != "rlimit":
        mount = f'mount -t tmpfs -o size={TMPFS_SIZE} tmpfs "$0" && exec "$@"'
        child = ["unshare", "-Urm", "sh", "-c", mount, str(folder), *child]
    done = subprocess.run(child, capture_output=True, text=True, env=child_env(), timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _check_full(result: dict) -> None:
    assert result["committed"] >= 1
    assert result["error_type"] == "StorageError"
    assert result["error"] == PLAIN_MESSAGES["full"]  # one plain sentence, no driver text
    assert result["quick_check_after_failure"] == "ok"
    assert result["stored_after_failure"] == result["committed"]  # nothing half-written
    assert result["stored_after_retry"] == result["committed"] + 1  # the pending write went through
    assert result["quick_check_final"] == "ok"


def test_r3_disk_full_on_a_small_tmpfs(tmp_path):
    if not user_namespaces():
        pytest.skip("user namespaces are refused here; see the RLIMIT_FSIZE test")
    _check_full(run_child(tmp_path, "full"))


def test_r3_disk_full_under_a_file_size_limit(tmp_path):
    _check_full(run_child(tmp_path, "rlimit"))


@pytest.fixture(scope="module")
def read_only_result(tmp_path_factory):
    if not user_namespaces():
        pytest.skip("user namespaces are refused here: cannot remount read-only without root")
    return run_child(tmp_path_factory.mktemp("ro"), "ro")


def test_r4_read_only_remount_fails_cleanly_and_recovers(read_only_result):
    result = read_only_result
    assert result["error_type"] == "StorageError"
    assert result["error"] in PLAIN_MESSAGES.values()
    assert result["quick_check_after_failure"] == "ok"
    assert result["stored_after_failure"] == result["committed"]
    assert result["stored_after_retry"] == result["committed"] + 1
    assert result["quick_check_final"] == "ok"


def test_r4_read_only_is_named_as_such_and_reads_fail_plainly(read_only_result):
    # On read-only media SQLite cannot even open a WAL database ("unable to open database
    # file"): the write is still named as read-only storage, and a read fails with one plain
    # sentence instead of a raw driver error.
    assert read_only_result["error"] == PLAIN_MESSAGES["ro"]
    readable = read_only_result["readable_while_read_only"]
    assert isinstance(readable, int) or readable.startswith("StorageError: The database's storage has become read-only")


def test_r3_disk_full_in_the_real_window(tmp_path):
    """The capture bar on a full disk: told plainly, text kept, window stays open, recovers."""
    if not user_namespaces():
        pytest.skip("user namespaces are refused here")
    result = run_child(tmp_path, "ui", script="ui_disk_full_child.py")
    assert result["refused_at"] and result["refused_at"] > 1
    assert result["status"] == "⚠ Not saved: " + PLAIN_MESSAGES["full"]
    assert result["offer_visible"]  # "Save a copy elsewhere…"
    assert result["text_kept"]
    assert result["flush_while_full"] is False and result["pending_while_full"] is True
    assert result["closed_while_full"] is False  # refuses to close with unsaved text
    assert result["quick_check_while_full"] == "ok"
    assert result["stored_while_full"] == result["refused_at"] - 1
    assert result["flush_after_freeing"] and result["draft_after_freeing"]
    assert result["stored_after_freeing"] == result["refused_at"]
    assert result["field_after_freeing"] == ""
    assert result["status_after_freeing"].startswith("✓")
    assert result["closed_after_freeing"]
