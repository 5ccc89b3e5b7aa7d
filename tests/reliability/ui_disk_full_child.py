"""R3 in the real UI: the capture bar on a 1 MiB tmpfs (mounted by the parent with `unshare -Urm`).

Usage: python ui_disk_full_child.py DIR

Types notes (Enter after each) until the disk is full, then reports as one JSON line what the
window showed and kept; frees space (deletes a filler file) and reports the recovery.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.models.enums import ConsentBasis  # noqa: E402
from app.services import drafts, notes, people, reviews  # noqa: E402
from app.services.dto import Actor, ReviewSetup  # noqa: E402
from app.services.store import Store  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

ACTOR = Actor("Sam Taylor", "note_taker")


def main() -> int:
    folder = Path(sys.argv[1])
    db = folder / "review.sqlite3"
    app = QApplication.instance() or QApplication([sys.argv[0]])
    store = Store.open(db)
    setup = ReviewSetup(template_id="icetr", person_label="J.B.", review_date=date(2026, 11, 20),
                        hospital="Riverside Hospital", ward="Willow Ward")
    review_id = reviews.create_review(store, setup, ACTOR).id
    people.record_consent(store, review_id, ACTOR, ConsentBasis.CONSENT)
    filler = folder / "filler.bin"
    filler.write_bytes(b"\0" * 96 * 1024)

    window = MainWindow(store)
    window.open_review(review_id, writer=ACTOR)
    window.show()
    window.workspace.show_section("safety")
    bar = window.workspace.page("section:safety").capture_bar
    bar.field.setFocus()
    result: dict[str, object] = {}
    for n in range(1, 400):
        text = f"{n} " + "x" * 4000
        bar.field.setPlainText(text)
        QTest.keyClick(bar.field, Qt.Key.Key_Return)
        if bar.text():
            result["refused_at"] = n
            break
    else:
        result["refused_at"] = None
    # The refused note went back into the capture draft; keep typing until that cannot be saved either.
    result["draft_saves_while_full"] = 0
    for _ in range(100):
        if not window.ctx.flush():
            break
        result["draft_saves_while_full"] += 1
        bar.field.moveCursor(bar.field.textCursor().MoveOperation.End)
        bar.field.insertPlainText(" " + "y" * 4000)
    pending = bar.text()
    app.processEvents()
    result["status"] = window.save_state.text()
    result["offer_visible"] = bool(getattr(window, "copy_button", None) and window.copy_button.isVisible())
    result["text_kept"] = pending.startswith(f"{result['refused_at']} ")
    result["flush_while_full"] = window.ctx.flush()
    result["pending_while_full"] = window.ctx.autosaver.has_pending()
    result["closed_while_full"] = window.close()
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    result["quick_check_while_full"] = conn.execute("PRAGMA quick_check").fetchone()[0]
    conn.close()
    result["stored_while_full"] = len(notes.list_notes(store, review_id))

    filler.unlink()  # space comes back
    result["flush_after_freeing"] = window.ctx.flush()
    result["draft_after_freeing"] = drafts.get_draft(store, review_id, "capture:safety") == pending
    QTest.keyClick(bar.field, Qt.Key.Key_Return)
    result["stored_after_freeing"] = len(notes.list_notes(store, review_id))
    result["field_after_freeing"] = bar.text()
    result["status_after_freeing"] = window.save_state.text()
    result["closed_after_freeing"] = window.close()
    store.close()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
