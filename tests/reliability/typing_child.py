"""R1 child: the real main window, typing into a section's capture bar, until it is killed.

Usage: python typing_child.py DB REVIEW_ID SEED

Prints "ready" once the window is up, "saved <n>" right after the note numbered n was committed
(AddNoteCommand returned it), and "draft <text>" right after the debounced draft autosave ran
(the text read back from the database). The parent kills it at a random printed line.
"""

from __future__ import annotations

import os
import random
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.services import drafts  # noqa: E402
from app.services.dto import Actor  # noqa: E402
from app.services.store import Store  # noqa: E402
from app.ui.capture_bar import draft_key  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

SECTION = "safety"
WORDS = "ward staff said plan good sleep family visit restraint less calm meds review".split()
ACTOR = Actor("Sam Taylor", "note_taker")
PAUSE_MS = 900  # longer than the autosave delay: the draft is written


def script(rng: random.Random) -> list[tuple[str, str]]:
    """Steps: ("type", text), ("enter", ""), ("pause", "")."""
    steps: list[tuple[str, str]] = []
    for seq in range(1, 40):
        steps.append(("type", f"n{seq}"))
        for _ in range(rng.randint(1, 4)):
            steps.append(("type", " " + rng.choice(WORDS)))
            if rng.random() < 0.3:
                steps.append(("pause", ""))
        if rng.random() < 0.75:
            steps.append(("enter", ""))
        else:
            steps.append(("pause", ""))
            steps.append(("type", " "))
    return steps


def main() -> int:
    db, review_id, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    app = QApplication.instance() or QApplication([sys.argv[0]])
    store = Store.open(db)
    window = MainWindow(store)
    if not window.open_review(review_id, writer=ACTOR):
        print("not-ready", flush=True)
        return 1
    window.show()
    window.workspace.show_section(SECTION)
    page = window.workspace.page("section:" + SECTION)
    bar = page.capture_bar
    ctx = window.ctx
    field = bar.field
    field.setFocus()

    bar.note_added.connect(lambda note: print(f"saved {note.text.split()[0][1:]}", flush=True))
    last_draft = [""]

    def draft_saved() -> None:
        text = drafts.get_draft(store, review_id, draft_key(SECTION))
        if text and text != last_draft[0]:
            last_draft[0] = text
            print(f"draft {text}", flush=True)

    ctx.autosaver.saved.connect(draft_saved)

    steps = iter(script(random.Random(seed)))

    def step() -> None:
        kind, text = next(steps, ("end", ""))
        if kind == "end":
            print("done", flush=True)
            app.quit()
            return
        delay = 15
        if kind == "type":
            QTest.keyClicks(field, text)
        elif kind == "enter":
            QTest.keyClick(field, Qt.Key.Key_Return)
        else:
            delay = PAUSE_MS
        QTimer.singleShot(delay, step)

    print("ready", flush=True)
    QTimer.singleShot(0, step)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
