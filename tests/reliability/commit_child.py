"""R2 child: commits one note per unit of work and prints its sequence number after the commit returns.

Usage: python commit_child.py DB REVIEW_ID COUNT
"""

from __future__ import annotations

import sys

from app.services import notes
from app.services.dto import Actor
from app.services.store import Store


def main() -> None:
    db, review_id, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = Store.open(db)
    actor = Actor("Sam Taylor", "note_taker")
    for seq in range(1, count + 1):
        notes.add_note(store, review_id, "safety", f"seq {seq}", actor)
        print(seq, flush=True)  # only after the commit returned
    print("done", flush=True)


if __name__ == "__main__":
    main()
