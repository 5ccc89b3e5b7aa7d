"""The action tracker over 1,000 reviews: time to open the window until its model is filled,
beside an empty QTableView window opened the same way (the baseline)."""

from __future__ import annotations

import os
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

REVIEWS = 1000
ACTIONS_PER_REVIEW = 6
TARGET_SECONDS = 0.200


def seed_many(store, reviews: int = REVIEWS) -> None:
    """Bulk insert through the ORM in one unit of work: series of four reviews per person, with
    carried actions, some of them recorded as done."""
    from app.models import Action, CarriedAction, Review
    from app.models.enums import ActionStatus, CarriedOutcome

    start = date(2024, 1, 8)
    statuses = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.OVERDUE)
    with store.write() as session:
        previous: list[Action] = []
        key = ""
        for number in range(reviews):
            if number % 4 == 0:
                key, previous = str(uuid.uuid4()), []
            day = start + timedelta(days=number)
            review = Review(uid=str(uuid.uuid4()), person_key=key, template_id="icetr", template_version=1,
                            person_label=f"P{number // 4:03d}", review_date=day)
            session.add(review)
            session.flush()
            for index, earlier in enumerate(previous):
                if earlier.status is not ActionStatus.DONE:
                    session.add(CarriedAction(
                        review_id=review.id, source_action_uid=earlier.uid, what=earlier.what,
                        owner_name=earlier.owner_name, deadline=earlier.deadline, position=index,
                        outcome=CarriedOutcome.DONE if index % 3 == 0 else CarriedOutcome.PENDING))
            previous = [
                Action(review_id=review.id, uid=str(uuid.uuid4()), what=f"Action {n} of review {number}",
                       owner_name=f"Owner {n}", owner_organisation=f"Organisation {number % 7}",
                       deadline=day + timedelta(weeks=n + 1), status=statuses[(number + n) % 4], position=n)
                for n in range(ACTIONS_PER_REVIEW)
            ]
            session.add_all(previous)


def bench_tracker(runs: int, workdir: Path) -> list[dict]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from app.services.store import Store
    from app.ui.app import create_application
    from app.ui.tracker_window import TrackerWindow
    from tests.benchmarks.run import _row

    app = create_application()
    store = Store.open(workdir / "tracker.sqlite3")
    seed_many(store)
    today = date(2026, 11, 20)

    def empty_window() -> None:
        view = QTableView()
        view.setModel(QStandardItemModel(0, 8, view))
        view.show()
        app.processEvents()
        view.close()
        view.deleteLater()

    def tracker_window() -> None:
        window = TrackerWindow(store, today)
        window.show()
        app.processEvents()
        assert window.model.rowCount() == REVIEWS * ACTIONS_PER_REVIEW
        window.close()
        window.deleteLater()

    results = {}
    for name, fn in (("baseline", empty_window), ("tracker", tracker_window)):
        fn()  # warm up: imports, fonts, the first query
        samples = []
        for _ in range(runs):
            begin = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - begin)
            app.processEvents()
        results[name] = samples
    store.close()
    return [
        _row("empty QTableView window shown (baseline)", results["baseline"], "ms"),
        _row(f"action tracker window, {REVIEWS} reviews, {REVIEWS * ACTIONS_PER_REVIEW} actions",
             results["tracker"], "ms", target=TARGET_SECONDS, baseline=results["baseline"]),
    ]
