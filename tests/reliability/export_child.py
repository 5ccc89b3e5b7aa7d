"""Child for the R14 test: exports a report over an existing file and can stop at a chosen point.

`pause_at` is "fsync" (the new bytes are in the temporary file, not yet flushed) or "replace"
(about to rename it into place): the child prints the point and blocks, and the parent kills it.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from app.report import atomic
from app.report.publish import export_report
from app.services.demo import seed_demo
from app.services.store import Store


def _pausing(name: str, real):
    def wrapper(*args, **kwargs):
        print(f"at {name}", flush=True)
        sys.stdin.readline()  # wait here until killed
        return real(*args, **kwargs)

    return wrapper


def main(db: str, out: str, fmt: str, pause_at: str) -> int:
    store = Store.open(db)
    review_id = seed_demo(store, review_date=date(2026, 11, 20))
    ward_changed = False
    if pause_at in ("fsync", "replace"):
        from app.services import reviews
        from app.services.dto import Actor

        reviews.update_setup(store, review_id, Actor("Sam Taylor", "note_taker"), ward="Changed Ward")
        ward_changed = True
        fake_os = type(os)("os_with_pause")
        fake_os.__dict__.update(os.__dict__)
        setattr(fake_os, pause_at, _pausing(pause_at, getattr(os, pause_at)))
        atomic.os = fake_os
    export_report(store, review_id, fmt, Path(out))
    print(f"exported ward_changed={ward_changed}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
