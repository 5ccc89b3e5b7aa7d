"""The main window fits the screen it opens on: title bar, status bar and all, above the taskbar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from app.settings import Settings
from app.ui import theme
from app.ui.layout_fit import FRAME_ALLOWANCE, fit_to_screen, show_fitted
from app.ui.main_window import MainWindow
from tests.conftest import REVIEW_DATE
from tests.ui.conftest import TASKBAR_HEIGHT, TITLE_BAR_HEIGHT, settle

# A 1366×768 laptop screen less its taskbar.
LAPTOP_AVAILABLE = QRect(0, 0, 1366, 768 - TASKBAR_HEIGHT)
# The smallest screen the window must fit: 1280×720, less the taskbar and the title bar.
SMALLEST_CLIENT_AREA = (1280, 720 - TASKBAR_HEIGHT - TITLE_BAR_HEIGHT)
PAGES = ("setup", "people", "agenda", "section_safety", "headline", "actions", "signoff", "audit")


def global_rect(widget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def test_the_window_and_its_status_bar_fit_the_screen_less_the_taskbar(qtbot, store, app_look):
    window = MainWindow(store, today=REVIEW_DATE, settings=Settings())
    app_look.windows.append(window)
    fit_to_screen(window, LAPTOP_AVAILABLE)
    window.show()
    qtbot.waitExposed(window)
    window.show_review_list()
    settle()
    assert LAPTOP_AVAILABLE.contains(window.frameGeometry()), window.frameGeometry()
    # Room above the window for a title bar the window system has not drawn yet.
    assert window.geometry().top() - LAPTOP_AVAILABLE.top() >= FRAME_ALLOWANCE.top()
    assert window.statusBar().isVisible()
    assert LAPTOP_AVAILABLE.contains(global_rect(window.statusBar())), global_rect(window.statusBar())


def test_the_window_opens_maximised_inside_its_screen(qtbot, store, app_look):
    window = MainWindow(store, today=REVIEW_DATE, settings=Settings())
    app_look.windows.append(window)
    available = window.screen().availableGeometry()
    show_fitted(window)  # as the app shows it
    qtbot.waitExposed(window)
    window.show_review_list()
    settle()
    assert window.isMaximized()
    assert available.contains(window.frameGeometry())
    assert available.contains(global_rect(window.statusBar()))
    window.showNormal()  # restored: still the screen's size, not a fixed 1366×768
    settle()
    assert available.contains(window.frameGeometry()), window.frameGeometry()


@pytest.mark.parametrize("scale", [100, 200])
def test_every_page_fits_a_1280_by_720_screen(qtbot, store, app_look, scale):
    from app.services.demo import seed_demo

    theme.apply_theme(QApplication.instance(), scale=scale)
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    window = MainWindow(store, today=REVIEW_DATE, settings=Settings(text_scale=scale))
    app_look.windows.append(window)
    window.resize(*SMALLEST_CLIENT_AREA)
    window.show()
    qtbot.waitExposed(window)
    window.show_review_list()
    settle()
    assert window.size().toTuple() == SMALLEST_CLIENT_AREA  # the list's minimum does not push it wider
    assert window.open_review(review_id)
    for key in PAGES:
        if key.startswith("section_"):
            window.workspace.show_section(key.removeprefix("section_"))
        else:
            window.workspace.show_key(key)
        settle()
        minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert minimum.width() <= SMALLEST_CLIENT_AREA[0] and minimum.height() <= SMALLEST_CLIENT_AREA[1], (key, minimum)
        assert window.size().toTuple() == SMALLEST_CLIENT_AREA, key
        assert window.rect().contains(window.statusBar().geometry()), key
