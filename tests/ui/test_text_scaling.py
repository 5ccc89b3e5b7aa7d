"""Large text (up to 200%) and high contrast on a 1366×768 screen: the note field keeps room to
type, and the chair's timer shows every word and number in full."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollArea, QWidget

from app.services.demo import seed_demo
from app.settings import Settings
from app.ui import theme
from app.ui.layout_fit import FitRowLayout, text_width
from app.ui.main_window import MainWindow
from tests.conftest import REVIEW_DATE
from tests.ui.conftest import settle

# Room for about this many average characters in the note field, at any text size.
NOTE_CHARACTERS = 40
SCREEN = (1366, 768)


def open_section(qtbot, store, *, scale: int, high_contrast: bool = False, section: str = "safety"):
    """The real main window at `scale`, 1366×768, with the demo review open on a section.

    Needs the `app_look` fixture, which puts the look back and deletes the window afterwards.
    """
    settings = Settings(text_scale=scale, high_contrast=high_contrast)
    theme.apply_theme(QApplication.instance(), high_contrast=high_contrast, scale=scale)
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    window = MainWindow(store, today=REVIEW_DATE, settings=settings)
    QApplication.instance().windows.append(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_review(review_id)
    assert window.workspace.show_section(section)
    page = window.workspace.current_page()
    qtbot.waitUntil(lambda: page.isVisible() and page.capture_bar.field.isVisible())
    settle()
    return window, page


def fully_inside(widget: QWidget, container: QWidget) -> bool:
    """True if `widget` is drawn whole inside `container` (not cut off by its edges)."""
    top_left = widget.mapTo(container, widget.rect().topLeft())
    return container.rect().contains(QRect(top_left, widget.size()))


def assert_note_field_is_usable(page) -> None:
    bar = page.capture_bar
    field = bar.field
    room = field.fontMetrics().averageCharWidth() * NOTE_CHARACTERS
    assert field.viewport().width() >= room, (
        f"the note field has {field.viewport().width()} px for text; {NOTE_CHARACTERS} characters need {room}"
    )
    assert field.viewport().height() >= field.fontMetrics().lineSpacing()
    for widget in (bar.speaker, field, bar.add_button):
        assert fully_inside(widget, bar), widget.objectName()
    for widget in (bar.speaker, bar.add_button):
        wanted = min(widget.sizeHint().width(), widget.maximumWidth(), bar.contentsRect().width())
        assert widget.width() >= wanted, widget.objectName()
    assert bar.add_button.width() >= bar.add_button.sizeHint().width()
    assert not bar.speaker.geometry().intersects(field.geometry())
    assert not bar.add_button.geometry().intersects(field.geometry())
    assert not bar.speaker.geometry().intersects(bar.add_button.geometry())


def assert_timer_text_is_whole(guidance) -> None:
    box = guidance.timer_box
    labels = [label for label in box.findChildren(QLabel) if label.isVisibleTo(guidance)]
    assert len(labels) >= 5
    for label in labels:
        text = label.text()
        metrics = label.fontMetrics()
        if label.wordWrap():
            needed = label.heightForWidth(label.contentsRect().width())
            assert needed <= label.height(), f"{text!r} needs {needed} px of height, has {label.height()}"
            widest_word = max(metrics.horizontalAdvance(word) for word in text.split())
            assert widest_word <= label.contentsRect().width(), text
        else:
            assert label.sizeHint().width() <= label.width(), f"{text!r}: {label.sizeHint().width()} > {label.width()}"
            assert metrics.horizontalAdvance(text) <= label.contentsRect().width(), text
        assert label.height() >= metrics.height(), text
        assert fully_inside(label, box), text
    for label in labels:  # nothing drawn over anything else
        for other in labels:
            if other is not label:
                assert not label.geometry().intersects(other.geometry()), (label.text(), other.text())
    button = guidance.toggle_button
    assert button.width() >= button.sizeHint().width() and fully_inside(button, box)
    assert fully_inside(box, guidance)


# The real window at each text size ------------------------------------------------------------

@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
@pytest.mark.parametrize("scale", [100, 150, 200])
def test_the_note_field_keeps_room_to_type_at_every_text_size(qtbot, store, app_look, scale, high_contrast):
    window, page = open_section(qtbot, store, scale=scale, high_contrast=high_contrast)
    assert_note_field_is_usable(page)


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
@pytest.mark.parametrize("scale", [100, 150, 200])
def test_the_chairs_timer_is_never_cut_off(qtbot, store, app_look, scale, high_contrast):
    window, _page = open_section(qtbot, store, scale=scale, high_contrast=high_contrast)
    assert_timer_text_is_whole(window.workspace.guidance)


def test_a_section_past_an_hour_still_fits_at_200_percent(qtbot, store, clock, app_look):
    window, _page = open_section(qtbot, store, scale=200)
    guidance = window.workspace.guidance
    guidance.timer.start()
    clock.advance(hours=1, minutes=25)
    guidance.timer.tick.emit()
    settle()
    assert guidance.section_time.text().startswith("2:07:00 of ")  # 42 min in the demo, then 1 h 25
    assert_timer_text_is_whole(guidance)
    guidance.timer.pause()


def test_a_shorter_window_scrolls_the_prompts_never_the_timer(qtbot, store, app_look):
    window, page = open_section(qtbot, store, scale=200)
    window.resize(SCREEN[0], 640)
    settle()
    guidance = window.workspace.guidance
    assert_timer_text_is_whole(guidance)
    assert_note_field_is_usable(page)
    area = guidance.guidance_area
    assert area.verticalScrollBar().maximum() > 0  # what to cover scrolls instead
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    assert guidance.prompts.isVisibleTo(guidance)


def test_one_row_at_100_percent(qtbot, store, app_look):
    # At the usual size nothing changes: speaker, note and button on one line, time beside its caption.
    window, page = open_section(qtbot, store, scale=100)
    bar = page.capture_bar
    assert bar.speaker.y() == bar.field.y() == bar.add_button.y()
    guidance = window.workspace.guidance
    assert guidance.section_caption.y() == guidance.section_time.y()
    assert guidance.day_caption.y() == guidance.day_time.y()


def test_changing_the_text_size_while_a_review_is_open(qtbot, store, app_look):
    window, page = open_section(qtbot, store, scale=100)
    window.preferences.apply(Settings(text_scale=200))
    settle()
    assert_note_field_is_usable(page)
    assert_timer_text_is_whole(window.workspace.guidance)
    # The side panels widen with the text, as they would in a window opened at 200%.
    workspace = window.workspace
    assert workspace.navigator.width() >= text_width(workspace, 28, 240) > 240
    assert workspace.guidance.width() >= text_width(workspace, 34, 260) > 260
    field = page.capture_bar.field
    assert field.viewport().height() >= field.fontMetrics().lineSpacing()
    window.preferences.apply(Settings(text_scale=100))
    settle()
    assert_note_field_is_usable(page)
    assert page.capture_bar.speaker.y() == field.y()  # back on one line


def test_the_field_grows_with_the_text_at_200_percent(qtbot, store, app_look):
    _window, page = open_section(qtbot, store, scale=200)
    field = page.capture_bar.field
    one_line = field.height()
    field.setPlainText("The ward manager said the night staff now check on him every hour, " * 3)
    settle()
    assert field.height() > one_line
    assert_note_field_is_usable(page)


def test_the_note_field_outline_meets_the_non_text_contrast_minimum(qtbot, store, app_look):
    window, page = open_section(qtbot, store, scale=100)
    field = page.capture_bar.field
    window.workspace.navigator.setFocus()  # the resting outline, not the focus ring
    qtbot.waitUntil(lambda: not field.hasFocus())
    settle()
    image = field.grab().toImage()
    edge = image.pixelColor(0, image.height() // 2)
    assert theme.contrast_ratio(edge, "#ffffff") >= 3.0, edge.name()  # WCAG 1.4.11: 3:1 for a boundary


# High contrast ------------------------------------------------------------------------------

def test_in_high_contrast_the_note_field_has_a_strong_border(qtbot, store, app_look):
    _window, page = open_section(qtbot, store, scale=100, high_contrast=True)
    field = page.capture_bar.field
    image = field.grab().toImage()
    edge = image.pixelColor(0, image.height() // 2)
    assert theme.contrast_ratio(edge, theme.HC_BACKGROUND) >= 7.0, edge.name()


def test_in_high_contrast_the_timer_words_meet_aaa(qtbot, store, app_look):
    window, _page = open_section(qtbot, store, scale=100, high_contrast=True)
    guidance = window.workspace.guidance
    for note in (guidance.section_note, guidance.day_note):  # "2 min over", "29 min left"
        colour = note.palette().color(QPalette.ColorRole.WindowText)
        assert theme.contrast_ratio(colour, theme.HC_BACKGROUND) >= 7.0, (note.text(), colour.name())


# The layout itself ---------------------------------------------------------------------------

def _row(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = FitRowLayout(holder)
    first = QLabel("Speaker picker", holder)
    main = QLabel("The widest part of the row", holder)
    last = QPushButton("Add", holder)
    layout.addWidget(first)
    layout.add_main(main)
    layout.addWidget(last)
    return holder, layout, first, main, last


def test_fit_row_is_one_row_when_everything_fits_and_two_when_not(qtbot):
    holder, layout, first, main, last = _row(qtbot)
    wide = layout.sizeHint().width() + 50
    holder.resize(wide, layout.heightForWidth(wide))
    holder.show()
    qtbot.waitExposed(holder)
    settle()
    assert first.y() == main.y() == last.y()
    assert main.width() >= main.sizeHint().width() + 50  # the main item takes what is left over
    narrow = layout.sizeHint().width() - 20
    assert layout.heightForWidth(narrow) > layout.heightForWidth(wide)
    holder.resize(narrow, layout.heightForWidth(narrow))
    settle()
    assert first.y() == last.y() < main.y()
    assert main.width() == holder.contentsRect().width() - layout.contentsMargins().left() - layout.contentsMargins().right()
    assert last.geometry().right() == main.geometry().right()  # items after the main one keep to the right
    first.hide()
    last.hide()
    settle()
    assert layout.heightForWidth(narrow) == layout.heightForWidth(wide)  # only the main item: one row


def _set_up_page(qtbot, store, *, scale: int, size=SCREEN):
    window, _page = open_section(qtbot, store, scale=scale)
    window.resize(*size)
    window.workspace.show_key("setup")
    page = window.workspace.current_page()
    qtbot.waitUntil(lambda: page.isVisible())
    settle()
    return window, page


# At 200% one column is still wider than the centre: check-box labels do not wrap in Qt.
@pytest.mark.parametrize("scale", [100, 150])
def test_set_up_page_never_needs_sideways_scrolling_on_a_laptop_screen(qtbot, store, app_look, scale):
    _window, page = _set_up_page(qtbot, store, scale=scale)
    scroll = page.findChild(QScrollArea, "setupScroll")

    assert scroll.horizontalScrollBar().maximum() == 0
    for field in (page.findChild(QWidget, name) for name in ("setupWard", "setupAdmission", "setupLegal")):
        if field is not None:
            assert fully_inside(field, scroll.viewport()) or scroll.verticalScrollBar().maximum() > 0
            assert field.mapTo(scroll.widget(), field.rect().topRight()).x() <= scroll.viewport().width()


def test_set_up_columns_sit_side_by_side_on_a_wide_screen_and_stack_on_a_narrow_one(qtbot, store, app_look):
    window, page = _set_up_page(qtbot, store, scale=100, size=(1920, 1000))
    assert page.columns.side_by_side()

    window.resize(*SCREEN)
    qtbot.waitUntil(lambda: not page.columns.side_by_side())
    assert page.findChild(QScrollArea, "setupScroll").horizontalScrollBar().maximum() == 0
    window.resize(1920, 1000)
    qtbot.waitUntil(page.columns.side_by_side)


@pytest.mark.parametrize(("scale", "high_contrast"), [(100, False), (200, False), (200, True)])
def test_navigator_entries_wrap_instead_of_being_cut_off(qtbot, store, app_look, scale, high_contrast):
    window, _page = open_section(qtbot, store, scale=scale, high_contrast=high_contrast)
    navigator = window.workspace.navigator
    model = navigator.model()

    assert navigator.horizontalScrollBar().maximum() == 0
    width = navigator.viewport().width()
    for row in range(model.rowCount()):
        index = model.index(row)
        rect = navigator.visualRect(index)
        font = index.data(Qt.ItemDataRole.FontRole) or navigator.font()
        font.setPointSizeF(navigator.font().pointSizeF())
        needed = QFontMetrics(font).boundingRect(
            QRect(0, 0, rect.width(), 10_000), int(Qt.TextFlag.TextWordWrap), index.data()).height()
        assert rect.right() < width, index.data()  # nothing past the right edge
        assert needed <= rect.height(), index.data()  # every line of the entry has room
