"""R2: kill -9 at random points; every commit the child reported is there after reopening (R1: test_kill9_typing)."""

from __future__ import annotations

import random

from app.models.enums import ConsentBasis
from app.services import notes, people, reviews
from app.services.store import Store
from tests.reliability.helpers import quick_check, read_until_kill, start_child

SEED = 20261120


def _consented_review(path, setup, actor) -> int:
    store = Store.open(path)
    try:
        review = reviews.create_review(store, setup, actor)
        people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
        return review.id
    finally:
        store.close()


def test_r2_every_printed_commit_survives_sigkill(tmp_path, setup_icetr, actor):
    rng = random.Random(SEED)
    for run in range(8):
        path = tmp_path / f"r2-{run}.sqlite3"
        review_id = _consented_review(path, setup_icetr, actor)
        kill_after = rng.randint(1, 60)
        proc = start_child("commit_child.py", str(path), str(review_id), "200")
        lines = read_until_kill(proc, kill_after)
        printed = [int(line) for line in lines if line.isdigit()]
        assert printed == list(range(1, len(printed) + 1))
        assert len(printed) >= kill_after, f"run {run}: the child ended early: {proc.stderr_text[-2000:]}"

        assert quick_check(path) == "ok"
        store = Store.open(path)
        try:
            stored = sorted(int(n.text.split()[1]) for n in notes.list_notes(store, review_id))
        finally:
            store.close()
        # Every number printed is there, and there are no holes (at most one more than printed:
        # a commit that finished just before the kill, whose print did not).
        assert stored == list(range(1, len(stored) + 1)), f"run {run}: holes in {stored}"
        assert len(stored) >= len(printed), f"run {run}: lost committed rows"
        assert len(stored) <= len(printed) + 1
