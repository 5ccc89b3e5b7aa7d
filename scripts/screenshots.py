"""Regenerate docs/screenshots/ from the demo review (run under Xvfb: `scripts/dev shots`)."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from app.services.demo import seed_demo
    from app.services.store import Store
    from app.ui.app import create_application
    from app.ui.main_window import MainWindow

    app = create_application()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        store = Store.open(Path(workdir) / "shots.sqlite3")
        review_id = seed_demo(store, review_date=date(2026, 11, 20))
        window = MainWindow(store, today=date(2026, 11, 20))
        window.resize(1366, 768)
        window.show()

        def shot(name: str) -> None:
            for _ in range(5):
                app.processEvents()
            window.grab().save(str(OUT / f"{name}.png"))
            print(f"wrote docs/screenshots/{name}.png")

        window.show_review_list()
        shot("01-review-list")
        window.open_review(review_id)
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
        window.close()
        store.close()
    QApplication.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
