"""Where the keyboard is can be seen (WCAG 2.4.7): in the real window, each kind of control looks
different with the focus, in the NHS focus style."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox, QPushButton, QRadioButton, QWidget

from app.ui.theme import FOCUS_FILL, FOCUS_RING
from tests.ui.conftest import settle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def pixels_of(widget: QWidget, colour: str) -> int:
    image = widget.grab().toImage()
    wanted = QColor(colour).rgb()
    return sum(1 for y in range(0, image.height()) for x in range(0, image.width(), 2)
               if image.pixel(x, y) == wanted)


def focus_shows(qtbot, widget: QWidget, colour: str) -> tuple[int, int]:
    """(pixels of `colour` without the focus, with it)."""
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.clearFocus()
    settle()
    before = pixels_of(widget, colour)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    settle()
    return before, pixels_of(widget, colour)


def test_focus_is_visible_on_the_navigator_lists_buttons_radios_and_check_boxes(qtbot, chair_window):
    window = chair_window()
    workspace = window.workspace
    # The navigator: a dark ring round it.
    before, after = focus_shows(qtbot, workspace.navigator, FOCUS_RING)
    assert after > before + 100, (before, after)
    # The notes list of a section.
    workspace.show_section("safety")
    notes_view = workspace.current_page().notes_view
    before, after = focus_shows(qtbot, notes_view, FOCUS_RING)
    assert after > before + 100, (before, after)
    # A push button: Writing as.
    before, after = focus_shows(qtbot, workspace.writing_as, FOCUS_FILL)
    assert before == 0 and after > 50
    # Radio buttons: the consent choices.
    workspace.show_key("people")
    radio = workspace.current_page().findChild(QRadioButton, "consent_consent")
    before, after = focus_shows(qtbot, radio, FOCUS_FILL)
    assert before == 0 and after > 50
    # A check box and a button elsewhere in the window.
    workspace.show_key("setup")
    box = workspace.current_page().findChildren(QCheckBox)[0]
    before, after = focus_shows(qtbot, box, FOCUS_FILL)
    assert before == 0 and after > 50
    workspace.show_key("people")
    page = workspace.current_page()
    qtbot.keyClicks(page.findChild(QWidget, "attendeeName"), "Ann Other")  # Add is greyed out until then
    button = page.findChild(QPushButton, "addAttendeeButton")
    assert button.isEnabled()
    before, after = focus_shows(qtbot, button, FOCUS_FILL)
    assert before == 0 and after > 50
    assert QApplication.focusWidget() is button
