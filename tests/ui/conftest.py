"""What the UI tests share: the application's look put back after a test, and the chair's real
window as it is on a 1366×768 laptop screen.

A real window on such a screen does not get 1366×768: the taskbar (about 40 px) and the window's
own title bar (about 30 px) take their share, so a maximised window's client area is about
1366×698. The offscreen platform draws no frame, so `chair_window` gives the window exactly the
client area a real maximised window gets; anything that fits there fits on the chair's laptop.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

# The chair's laptop: a 1366×768 screen, less a 40 px taskbar and a 30 px title bar.
LAPTOP_SCREEN = (1366, 768)
TASKBAR_HEIGHT = 40
TITLE_BAR_HEIGHT = 30
CHAIR_CLIENT_AREA = (LAPTOP_SCREEN[0], LAPTOP_SCREEN[1] - TASKBAR_HEIGHT - TITLE_BAR_HEIGHT)


def settle() -> None:
    """Run the layout requests and polish events that showing or restyling posted."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


class WriterAnswers:
    """Answers "Who is writing?" in UI tests: the note-taker of the register when there is one,
    else its first panel member, else Sam Taylor (Note-taker) for a review with an empty register.
    Set `answer` to an Actor (or None, to cancel) to answer otherwise; `asked` lists every question."""

    def __init__(self) -> None:
        self.asked: list[list] = []
        self.answer = "default"

    def __call__(self, cls, parent, choices, current):
        from app.services.dto import Actor

        self.asked.append(list(choices))
        if self.answer != "default":
            return self.answer
        note_taker = next((c for c in choices if c.role == "note_taker"), None)
        return note_taker or (choices[0] if choices else Actor("Sam Taylor", "note_taker"))


@pytest.fixture(autouse=True)
def writer_answers(monkeypatch):
    """Every UI test: the "Who is writing?" dialog is answered (see WriterAnswers); tests of the
    dialog itself build it directly."""
    from app.ui.writer_dialog import WriterDialog

    answers = WriterAnswers()
    monkeypatch.setattr(WriterDialog, "ask", classmethod(answers))
    return answers


@pytest.fixture
def app_look(qapp):
    """Put the application's look back as it was: other tests expect the default one.

    Windows the test opened (`app_look.windows`) are closed and deleted first, so restyling
    does not reach them and nothing piles up from one test to the next.
    """
    from app.ui import theme

    style = qapp.style().name()
    sheet, palette, font = qapp.styleSheet(), QPalette(qapp.palette()), qapp.font()
    windows: list[QWidget] = []
    qapp.windows = windows
    yield qapp
    for window in windows:
        window.close()
        window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del qapp.windows
    theme.apply_theme(qapp, high_contrast=False, scale=100)
    qapp.setStyle(style)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)


@pytest.fixture
def chair_window(qtbot, store, app_look):
    """A factory: `chair_window(scale=100, high_contrast=False)` opens the real main window on the
    demo review (with its earlier review), in the client area of a maximised window on a 1366×768
    laptop (CHAIR_CLIENT_AREA), and returns it. The window is closed and deleted after the test.
    """
    from app.services.demo import seed_demo
    from app.settings import Settings
    from app.ui import theme
    from app.ui.main_window import MainWindow
    from tests.conftest import REVIEW_DATE

    def open_window(*, scale: int = 100, high_contrast: bool = False, open_review: bool = True):
        settings = Settings(text_scale=scale, high_contrast=high_contrast)
        theme.apply_theme(QApplication.instance(), high_contrast=high_contrast, scale=scale)
        review_id = seed_demo(store, review_date=REVIEW_DATE)
        window = MainWindow(store, today=REVIEW_DATE, settings=settings)
        app_look.windows.append(window)
        window.resize(*CHAIR_CLIENT_AREA)
        window.show()
        qtbot.waitExposed(window)
        window.demo_review_id = review_id
        if open_review:
            assert window.open_review(review_id)
        settle()
        return window

    return open_window
