"""Main-window flows for follow-up: start the person's next review, and the action tracker window.

Kept out of main_window.py so that file stays about menus and the open review.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from app.services import follow_up, reviews

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def _review_to_follow(window: MainWindow, review_id: int | None) -> int | None:
    if review_id is not None:
        return review_id
    if window.ctx is not None:
        return window.ctx.review_id
    if window._picker is not None:
        return window._picker.current_review_id()
    return None


def new_follow_up(window: MainWindow, review_id: int | None = None) -> int | None:
    """Ask (the new-review dialog, filled from the previous review) and start the follow-up; open it.

    Returns the new review's id, or None when cancelled or refused (the reason is shown).
    """
    from app.ui.new_review_dialog import NewReviewDialog

    review_id = _review_to_follow(window, review_id)
    if review_id is None:
        window.statusBar().showMessage(window.tr("Select the review to follow up first."), 10000)
        return None
    previous = window._guard(reviews.get_review, window.store, review_id)
    if previous is None:
        return None
    # Today, unless the previous review is today or later (then the day after it).
    proposed = window.today if window.today > previous.review_date else previous.review_date + timedelta(days=1)
    setup = window._guard(follow_up.follow_up_setup, window.store, review_id, proposed)
    if setup is None:
        return None
    chosen = NewReviewDialog.ask_follow_up(window, window.registry, window.today, setup, previous.review_date)
    if chosen is None:
        return None
    actor = window.writer_for_new_review()
    if actor is None:
        return None
    created = window._guard(follow_up.start_follow_up, window.store, review_id, chosen, actor,
                            registry=window.registry)
    if created is None:
        return None
    window.open_review(created.id, writer=actor)
    if window.workspace is not None and follow_up.list_carried(window.store, created.id):
        window.workspace.message_bar.show_message(window.tr(
            "The previous review's unfinished actions are on the Recommendations page (Ctrl+Shift+R): "
            "record what became of each."))
    return created.id


def show_tracker(window: MainWindow):
    """The action tracker window (one per main window), refreshed each time it is shown."""
    from app.ui.tracker_window import TrackerWindow

    tracker = getattr(window, "tracker_window", None)
    if tracker is None:
        tracker = TrackerWindow(window.store, lambda: window.today, window)
        tracker.open_review_requested.connect(lambda review_id: _open_from_tracker(window, review_id))
        window.tracker_window = tracker
    else:
        tracker.refresh()
    tracker.show()
    tracker.raise_()
    tracker.activateWindow()
    return tracker


def _open_from_tracker(window: MainWindow, review_id: int) -> None:
    if window.ctx is None or window.ctx.review_id != review_id:
        window.open_review(review_id)
    window.raise_()
    window.activateWindow()
