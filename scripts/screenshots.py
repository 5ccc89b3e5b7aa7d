"""Regenerate docs/screenshots/ from the demo review (run under Xvfb: `scripts/dev shots`).

The demo is the one `reviewday --demo` opens: A.K.'s review day, the follow-up of an earlier
signed review. The app's default settings are used (never the user's), so the pictures are the
same on every machine; the last ones show the section at 200% text.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
REVIEW_DATE = date(2026, 11, 20)


def main() -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    from app.services import follow_up
    from app.services.demo import DEMO_WRITER, seed_demo
    from app.services.store import Store
    from app.settings import Settings
    from app.ui.app import create_application
    from app.ui.main_window import MainWindow
    from app.ui.new_review_dialog import NewReviewDialog
    from app.ui.settings_dialog import SettingsDialog
    from app.ui.theme import apply_theme

    settings = Settings()
    app = create_application(settings=settings)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        store = Store.open(Path(workdir) / "shots.sqlite3")
        review_id = seed_demo(store, review_date=REVIEW_DATE, history=True)
        window = MainWindow(store, today=REVIEW_DATE, settings=settings)
        window.resize(1366, 768)
        window.show()

        def shot(name: str, widget: QWidget | None = None) -> None:
            for _ in range(5):
                app.processEvents()
            (widget or window).grab().save(str(OUT / f"{name}.png"))
            print(f"wrote docs/screenshots/{name}.png")

        window.show_review_list()
        shot("01-review-list")
        window.open_review(review_id, writer=DEMO_WRITER)  # the demo's note-taker, as `--demo` opens it
        workspace = window.workspace
        workspace.show_key("setup")
        shot("02-set-up")
        workspace.show_key("people")
        shot("03-people-and-consent")
        workspace.show_key("agenda")
        shot("04-agenda")
        workspace.show_section("safety")
        shot("05-section-notes")
        workspace.show_section("lts")
        shot("06-long-term-segregation")
        workspace.show_key("headline")
        shot("07-headline-questions")
        workspace.show_key("actions")
        shot("08-recommendations")
        workspace.show_key("signoff")
        shot("09-sign-off")
        workspace.show_key("audit")
        shot("10-audit-trail")

        # The windows beside the main one.
        setup = follow_up.follow_up_setup(store, review_id, REVIEW_DATE + timedelta(weeks=12))
        dialog = NewReviewDialog(window.registry, REVIEW_DATE, window)
        dialog.prefill_follow_up(setup, REVIEW_DATE)
        dialog.show()
        shot("11-new-follow-up-review", dialog)
        dialog.close()
        window.show_tracker()
        tracker = window.tracker_window
        tracker.resize(1200, 640)
        shot("12-action-tracker", tracker)
        tracker.close()
        preferences = SettingsDialog(settings, window, path=Path(workdir) / "settings.json")
        preferences.show()
        shot("13-preferences", preferences)
        preferences.close()
        window.show_workbook_dialog()
        shot("14-blank-workbook", window.workbook_dialog)
        window.workbook_dialog.close()

        # Large text, as Edit → Preferences applies it: the note field keeps its line, the timer its digits.
        apply_theme(app, scale=200)
        workspace.show_section("safety")
        shot("15-section-200-percent-text")
        apply_theme(app, high_contrast=True, scale=200)
        shot("16-section-200-percent-high-contrast")
        apply_theme(app, high_contrast=settings.high_contrast, scale=settings.text_scale)

        window.close()
        store.close()
    QApplication.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
