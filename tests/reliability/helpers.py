"""Running child processes for the reliability tests: real `python` processes, real files."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def start_child(script: str, *args: str, env: dict[str, str] | None = None, prefix: list[str] | None = None):
    """Start tests/reliability/<script> with this interpreter; stdout is a line-by-line pipe."""
    command = [*(prefix or []), sys.executable, str(HERE / script), *args]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env or child_env(),
        cwd=str(ROOT),
    )


def read_until_kill(proc: subprocess.Popen, kill_after: int, timeout_lines: int = 100_000) -> list[str]:
    """Read printed lines; SIGKILL the child right after line number kill_after. Returns the lines read.

    The printed lines are the clock: no sleeps. If the child ends first, its lines are returned.
    """
    lines: list[str] = []
    assert proc.stdout is not None
    for raw in proc.stdout:
        lines.append(raw.rstrip("\n"))
        if len(lines) >= kill_after:
            proc.send_signal(signal.SIGKILL)
            break
        if len(lines) >= timeout_lines:
            break
    proc.wait(timeout=30)
    # Anything already in the pipe was printed before the kill: count it too.
    rest = proc.stdout.read()
    lines += [line for line in rest.splitlines() if line]
    proc.stdout.close()
    if proc.stderr is not None:
        # Kept for assertion messages when the child ended on its own (e.g. an import error).
        proc.stderr_text = proc.stderr.read() if proc.returncode != -signal.SIGKILL else ""
        proc.stderr.close()
    return lines


def quick_check(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
