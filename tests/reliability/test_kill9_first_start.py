"""kill -9 during a first start: the next start works, and finds a complete pair or none.

A complete pair is a database and its key file that opens it, whose recovery key was shown before
the pair was put in place. Creation stops at named points when REVIEWDAY_PAUSE_AT names one
(app/security/data_key.py, PAUSE_POINTS); the child says "paused at ..." on stderr and waits, and
is killed there, so every point is hit exactly, with no timing.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.security import data_key as dk
from app.services.store import Store
from tests.reliability.helpers import ROOT, child_env

PASSPHRASE = "first start passphrase"
# Each point, and whether the database is in its place once the process was killed there.
IN_PLACE_AFTER = {"temp-made": False, "keys-made": False, "schema-made": False, "before-commit": False,
                  "database-in-place": True, "committed": True}


def _env(**extra: str) -> dict[str, str]:
    env = child_env(REVIEWDAY_PASSPHRASE=PASSPHRASE, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
                    **extra)
    env.pop("REVIEWDAY_PAUSE_AT", None)
    env.update(extra)
    return env


def _run_until_paused(args: list[str], point: str) -> str:
    """Start `reviewday ARGS` paused at `point`, kill -9 it there; returns what it said on stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "app", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=_env(REVIEWDAY_PAUSE_AT=point), cwd=str(ROOT),
                            stdin=subprocess.DEVNULL)
    said = []
    for line in proc.stderr:
        said.append(line)
        if line.strip() == f"paused at {point}":
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, f"never reached {point}: {''.join(said)[-2000:]}"
    return "".join(said)


def _recovery_keys(said: str) -> list[str]:
    return re.findall(r"^Recovery key: ([A-Z0-9-]+)$", said, flags=re.M)


def _assert_complete_pair(db: Path, recovery: str | None) -> None:
    """The database opens with the key its key file gives, and (when given) with the recovery key shown."""
    key = dk.unlock(db, PASSPHRASE, clock=lambda: datetime.now(UTC))
    store = Store.open(db, key=key, create=False)
    try:
        from app.services import reviews

        reviews.list_reviews(store)
    finally:
        store.close()
    if recovery is not None:
        assert dk.unlock_with_recovery_key(db, recovery) == key


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("point", list(IN_PLACE_AFTER))
@pytest.mark.parametrize("how", ["demo", "app"])
def test_a_first_start_killed_at_any_point_leaves_a_pair_or_none_and_the_next_start_works(tmp_path, point, how):
    db = tmp_path / "first.sqlite3"
    first_args = ["demo", "--db", str(db), "--date", "2026-11-20"] if how == "demo" else \
        ["--db", str(db), "--exit-when-ready"]
    said = _run_until_paused(first_args, point)
    shown = _recovery_keys(said)

    # Killed there: either nothing at the database's place, or the database whose key file is
    # still to be put beside it; never a key file alone, never a database with no key shown.
    assert db.exists() is IN_PLACE_AFTER[point]
    if point != "committed":
        assert not dk.has_keys(db)
    if db.exists():
        assert len(shown) == 1  # put in place only after its recovery key was shown

    nxt = subprocess.run([sys.executable, "-m", "app", *first_args], capture_output=True, text=True,
                         env=_env(), cwd=str(ROOT), timeout=120, stdin=subprocess.DEVNULL)
    assert nxt.returncode == 0, nxt.stderr
    assert "already exists" not in nxt.stderr and "Traceback" not in nxt.stderr
    _assert_complete_pair(db, shown[0] if IN_PLACE_AFTER[point] else _recovery_keys(nxt.stderr)[0])
    assert _leftovers(tmp_path) == []  # the half-made pair was finished or cleared away


def test_a_key_file_left_without_a_database_by_an_older_version_does_not_block_the_next_start(tmp_path):
    """An older ReviewDay could die after writing the key file and before the database: the key
    file's recovery key was never shown and it protects nothing. It is set aside, never deleted,
    and the next start makes a new pair and shows its recovery key."""
    db = tmp_path / "first.sqlite3"
    dk.create_keys(db, "someone typed this once", kdf=dk.ScryptParams(n=2**10))
    db.touch()
    stale = dk.keys_path(db).read_bytes()
    made = subprocess.run([sys.executable, "-m", "app", "demo", "--db", str(db), "--date", "2026-11-20"],
                          capture_output=True, text=True, env=_env(), cwd=str(ROOT), timeout=120,
                          stdin=subprocess.DEVNULL)
    assert made.returncode == 0, made.stderr
    [recovery] = _recovery_keys(made.stderr)
    _assert_complete_pair(db, recovery)
    [aside] = [p for p in tmp_path.iterdir() if p.name.startswith("first.sqlite3.keys.unused-")]
    assert aside.read_bytes() == stale
