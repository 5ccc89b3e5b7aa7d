"""R3 / R4 child: a Store on a small tmpfs (mounted by the parent through `unshare -Urm`).

Usage: python storage_child.py DIR full|ro|rlimit

Prints one JSON line describing what the app did. Modes:
- full: write notes until the disk is full; then delete a filler file and retry the same write.
- rlimit: the same, with RLIMIT_FSIZE instead of a small disk (where user namespaces are refused).
- ro: remount the folder read-only, try to write, remount read-write, retry the same write.
"""

from __future__ import annotations

import json
import resource
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from app.models.enums import ConsentBasis
from app.services import notes, people, reviews
from app.services.dto import Actor, ReviewSetup
from app.services.errors import StorageError
from app.services.store import Store

ACTOR = Actor("Sam Taylor", "note_taker")
NOTE = "x" * 4_000
FILLER_BYTES = 96 * 1024


def quick_check(path: Path) -> str:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()


def new_review(store: Store) -> int:
    setup = ReviewSetup(template_id="icetr", person_label="J.B.", review_date=date(2026, 11, 20),
                        hospital="Riverside Hospital", ward="Willow Ward")
    review = reviews.create_review(store, setup, ACTOR)
    people.record_consent(store, review.id, ACTOR, ConsentBasis.CONSENT)
    return review.id


def fill_until_failure(store: Store, review_id: int) -> tuple[int, StorageError | None]:
    committed = 0
    for n in range(1, 500):
        try:
            notes.add_note(store, review_id, "safety", f"{n} {NOTE}", ACTOR)
        except StorageError as exc:
            return committed, exc
        committed = n
    return committed, None


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True, capture_output=True)


def main() -> int:
    folder, mode = Path(sys.argv[1]), sys.argv[2]
    db = folder / "review.sqlite3"
    result: dict[str, object] = {"mode": mode}
    if mode == "rlimit":
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    store = Store.open(db)
    review_id = new_review(store)
    filler = folder / "filler.bin"
    if mode in ("full", "rlimit"):
        filler.write_bytes(b"\0" * FILLER_BYTES)
        if mode == "rlimit":
            # The limit is per file: leave room above the largest of the database and its WAL.
            wal = db.with_name(db.name + "-wal")
            largest = max(db.stat().st_size, wal.stat().st_size if wal.exists() else 0)
            resource.setrlimit(resource.RLIMIT_FSIZE, (largest + 400 * 1024, resource.RLIM_INFINITY))
        committed, error = fill_until_failure(store, review_id)
        pending = f"{committed + 1} {NOTE}"
        result["committed"] = committed
        result["error"] = None if error is None else str(error)
        result["error_type"] = None if error is None else type(error).__name__
        result["quick_check_after_failure"] = quick_check(db)
        result["stored_after_failure"] = len(notes.list_notes(store, review_id))
        # Free space (or lift the limit), then the pending write goes through.
        filler.unlink()
        if mode == "rlimit":
            resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        notes.add_note(store, review_id, "safety", pending, ACTOR)
        result["stored_after_retry"] = len(notes.list_notes(store, review_id))
    else:
        for n in range(1, 4):
            notes.add_note(store, review_id, "safety", f"{n} before", ACTOR)
        # The kernel refuses to remount read-only while files are open for writing, so the pool's
        # connections are closed first (as after a lock or an idle period); the next write reopens.
        store.engine.dispose()
        remount(folder, "ro")
        try:
            notes.add_note(store, review_id, "safety", "4 pending", ACTOR)
            result["error"] = None
        except StorageError as exc:
            result["error"] = str(exc)
            result["error_type"] = type(exc).__name__
        try:  # reading on read-only media: SQLite needs the -shm file, which it can only read now
            result["readable_while_read_only"] = len(notes.list_notes(store, review_id))
        except Exception as exc:  # noqa: BLE001 - recorded for the report
            result["readable_while_read_only"] = f"{type(exc).__name__}: {exc}"
        store.engine.dispose()
        remount(folder, "rw")
        result["quick_check_after_failure"] = quick_check(db)
        result["stored_after_failure"] = len(notes.list_notes(store, review_id))
        notes.add_note(store, review_id, "safety", "4 pending", ACTOR)
        result["committed"] = 3
        result["stored_after_retry"] = len(notes.list_notes(store, review_id))
    store.close()
    result["quick_check_final"] = quick_check(db)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
