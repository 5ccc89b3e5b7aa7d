"""Preferences: the settings window round trip, appearance applied to the whole app, damaged files,
contrast ratios of the palettes, and the plain-words window following the section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from app.kloe.plain_words import default_plain_words
from app.services.demo import seed_demo
from app.settings import Settings, load_settings, save_settings
from app.ui import theme
from app.ui.main_window import MainWindow
from app.ui.settings_dialog import SettingsDialog
from tests.conftest import REVIEW_DATE


@pytest.fixture
def settings_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    from app.settings import default_settings_path

    return default_settings_path()


@pytest.fixture
def window(qtbot, store, settings_home, app_look):
    main = MainWindow(store, today=REVIEW_DATE)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def _in_dialog(window, act):
    """Run `act(dialog)` once the modal settings window is up (it blocks the calling key press)."""
    def step():
        dialog = window.preferences.dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(0, step)
            return
        act(dialog)
    QTimer.singleShot(0, step)


# Contrast --------------------------------------------------------------------------------

def test_contrast_ratio_matches_the_wcag_examples():
    assert theme.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert theme.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the AA threshold grey


@pytest.mark.parametrize(("high_contrast", "minimum"), [(True, 7.0), (False, 4.5)])
def test_every_text_colour_in_the_palette_meets_wcag(qapp, high_contrast, minimum):
    # High contrast meets AAA (7:1) for every pair; the normal look meets AA (4.5:1).
    palette = theme.build_palette(qapp.style().standardPalette(), high_contrast)
    for foreground, background in theme.TEXT_PAIRS:
        ratio = theme.contrast_ratio(palette.color(foreground), palette.color(background))
        assert ratio >= minimum, (foreground, background, ratio)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert theme.contrast_ratio(disabled, palette.color(QPalette.ColorRole.Base)) >= 4.5
    assert disabled != palette.color(QPalette.ColorRole.Text)  # what cannot be used yet looks it
    if high_contrast:
        assert theme.contrast_ratio(theme.HC_TEXT, theme.HC_FOCUS) >= 7.0  # focus: black on yellow


def test_high_contrast_and_text_size_apply_to_the_whole_app(qtbot, app_look):
    theme.apply_theme(app_look, scale=100)
    base = app_look.font().pointSizeF()
    heading = QLabel("Heading")
    heading.setStyleSheet("font-size: 14pt; font-weight: 600;")
    qtbot.addWidget(heading)
    heading.show()
    theme.apply_theme(app_look, high_contrast=True, scale=200)
    assert app_look.font().pointSizeF() == pytest.approx(base * 2)
    assert app_look.palette().color(QPalette.ColorRole.Text).name() == "#000000"
    assert "font-size: 28pt" in heading.styleSheet()
    later = QLabel("Shown later")
    later.setStyleSheet("font-size: 12pt;")
    qtbot.addWidget(later)
    later.show()
    assert "font-size: 24pt" in later.styleSheet()
    theme.apply_theme(app_look, high_contrast=False, scale=100)
    assert app_look.font().pointSizeF() == pytest.approx(base)
    assert heading.styleSheet() == "font-size: 14pt; font-weight: 600;"
    assert app_look.palette().color(QPalette.ColorRole.Text).name() == theme.TEXT


# The settings window ---------------------------------------------------------------------

def test_preferences_round_trip_changes_the_text_size_and_saves_it(qtbot, window, settings_home, app_look):
    base = app_look.font().pointSizeF()

    def choose(dialog):
        combo = dialog.findChild(QComboBox, "textSize")
        combo.setCurrentIndex(combo.findData(200))
        dialog.findChild(type(dialog.auto_lock), "autoLockMinutes").setValue(5)
        dialog.high_contrast.setChecked(True)
        dialog.retention.setValue(400)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    _in_dialog(window, choose)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)

    assert app_look.font().pointSizeF() == pytest.approx(base * 2)
    assert app_look.palette().color(QPalette.ColorRole.Text).name() == "#000000"
    assert window.screen_lock.idle.minutes == 5
    document = json.loads(settings_home.read_text())
    assert document["settings"]["text_scale"] == 200
    loaded = load_settings(settings_home)
    assert loaded.message is None
    assert loaded.settings == Settings(auto_lock_minutes=5, retention_days=400, high_contrast=True, text_scale=200)

    reopened = SettingsDialog(loaded.settings, path=settings_home)
    qtbot.addWidget(reopened)
    assert reopened.text_size.currentText() == "200%"
    assert reopened.high_contrast.isChecked() and reopened.retention.value() == 400


def test_cancel_changes_nothing(qtbot, window, settings_home, app_look):
    before = app_look.font().pointSizeF()

    def cancel(dialog):
        dialog.text_size.setCurrentIndex(dialog.text_size.findData(150))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    _in_dialog(window, cancel)
    assert window.preferences.open_dialog() is None
    assert app_look.font().pointSizeF() == before
    assert not settings_home.exists()


def test_never_retention_is_saved_as_none(qtbot, tmp_path):
    path = tmp_path / "settings.json"
    dialog = SettingsDialog(Settings(retention_days=30), path=path)
    qtbot.addWidget(dialog)
    assert dialog.retention.text() == "30 days"
    dialog.retention.setValue(0)
    assert dialog.retention.text() == "Never"
    dialog.accept()
    assert dialog.result_settings.retention_days is None
    assert load_settings(path).settings.retention_days is None


def test_a_file_that_cannot_be_written_gives_one_sentence_and_stays_open(qtbot, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    dialog = SettingsDialog(Settings(), path=blocker / "settings.json")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(125))
    dialog.accept()
    assert dialog.isVisible() and dialog.result_settings is None
    text = dialog.message.text()
    assert dialog.message.isVisible() and text.startswith("The preferences could not be saved")
    assert "\n" not in text and "Traceback" not in text
    assert dialog.text_size.currentData() == 125  # nothing the user chose is lost


def test_a_damaged_settings_file_is_set_aside_and_said_once(qtbot, store, settings_home, app_look):
    settings_home.parent.mkdir(parents=True)
    settings_home.write_bytes(b"{ not json")
    main = MainWindow(store, today=REVIEW_DATE)
    qtbot.addWidget(main)
    assert "damaged" in main.statusBar().currentMessage()
    assert main.settings == Settings()
    assert settings_home.with_name("settings.json.bad").read_bytes() == b"{ not json"
    # Saving from the settings window writes a good file again.
    dialog = SettingsDialog(main.settings, path=settings_home)
    qtbot.addWidget(dialog)
    dialog.plain_words.setChecked(True)
    dialog.accept()
    assert load_settings(settings_home).settings.plain_words_in_guidance is True


def test_an_unknown_text_size_in_the_file_falls_back_with_one_sentence(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(Settings(high_contrast=True), path)
    document = json.loads(path.read_text())
    document["settings"]["text_scale"] = 175
    path.write_text(json.dumps(document))
    loaded = load_settings(path)
    assert loaded.settings.text_scale == 100 and loaded.settings.high_contrast is True
    assert loaded.message == "The text size must be one of 100%, 125%, 150%, 200%. The default is used instead."


# Plain words ------------------------------------------------------------------------------

def test_the_plain_words_window_follows_the_section(qtbot, window, store):
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    assert window.open_review(review_id)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = window.preferences.plain_words_window
    assert view is not None and view.isVisible()
    words = default_plain_words()
    template = window.ctx.template
    for number in (1, 2):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        section = template.sections[number - 1]
        assert view.section_id == section.id
        assert view.heading.text() == words.sections[section.id]
        assert view.prompt_texts() == [words.prompts[p.id] for p in section.prompts]
    # Opening it does not take the keyboard from the note-taker; the view's own keys work once it has it.
    before = view.point_size()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.point_size() > before
    window.close_review()
    assert view.section_id is None and view.heading.text() == "Nothing to show yet"
    assert window.open_review(review_id)
    window.workspace.show_section_number(3)
    assert view.section_id == template.sections[2].id


def test_plain_words_in_the_guidance_panel(qtbot, window, store):
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    window.preferences.apply(Settings(plain_words_in_guidance=True))
    assert window.open_review(review_id)
    window.workspace.show_section("safety")
    rows = [r.text for r in window.workspace.guidance.prompt_model.rows()]
    section = window.ctx.template.section("safety")
    assert rows == [default_plain_words().prompts[p.id] for p in section.prompts]
    window.preferences.apply(Settings(plain_words_in_guidance=False))
    assert [r.text for r in window.workspace.guidance.prompt_model.rows()] == [p.text for p in section.prompts]
    assert QApplication.instance() is not None


def test_a_broken_plain_words_file_is_said_in_the_window_not_a_traceback(qtbot, monkeypatch):
    from app.kloe import TemplateError
    from app.ui import plain_words_window

    def broken():
        raise TemplateError(Path("plain_words.toml"), "the [prompts] table is missing or empty.")

    monkeypatch.setattr(plain_words_window, "default_plain_words", broken)
    view = plain_words_window.PlainWordsWindow()
    qtbot.addWidget(view)
    assert view.prompt_texts() == ["plain_words.toml: the [prompts] table is missing or empty."]


def test_the_report_due_setting_is_saved_and_moves_the_overdue_flag_at_once(qtbot, store, actor, settings_home,
                                                                             app_look):
    from datetime import timedelta

    from app.services import after_day, reviews
    from app.services.dto import ReviewSetup
    from app.ui.review_picker import Column

    review = reviews.create_review(store, ReviewSetup(template_id="adult_inpatient", person_label="Q.R.",
                                                      review_date=REVIEW_DATE), actor)
    day_after_due = after_day.report_due_on(REVIEW_DATE) + timedelta(days=1)
    main = MainWindow(store, today=day_after_due, settings=Settings())
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.show_review_list()
    flags = main.picker.model.index(main.picker.model.row_of(review.id), Column.FLAGS)
    assert "Report overdue" in flags.data()

    def longer(dialog):
        assert dialog.report_due.value() == 10 and dialog.report_due.text() == "10 working days"
        dialog.report_due.setValue(20)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    _in_dialog(main, longer)
    assert main.preferences.open_dialog().report_due_working_days == 20
    assert load_settings(settings_home).settings.report_due_working_days == 20
    flags = main.picker.model.index(main.picker.model.row_of(review.id), Column.FLAGS)
    assert "Report overdue" not in (flags.data() or "")
    assert main.open_review(review.id)
    assert main.ctx.report_due_working_days == 20


def test_a_report_due_setting_out_of_range_falls_back_with_one_sentence(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"format": "reviewday-settings", "version": 1,
                                "settings": {"report_due_working_days": 0}}))
    loaded = load_settings(path)
    assert loaded.settings.report_due_working_days == 10
    assert loaded.message == ("The time to send the report must be a whole number of working days from 1 to 60. "
                              "The default is used instead.")
def _drawn_colours(image, rect):
    """(background, text) colours actually painted in `rect`: the commonest pixel, and the pixel
    that differs most from it (the core of the glyphs; anti-aliased edges lie in between)."""
    from collections import Counter

    pixels = Counter(
        image.pixelColor(x, y).name()
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    )
    background = pixels.most_common(1)[0][0]
    text = max(pixels, key=lambda colour: theme.contrast_ratio(colour, background))
    return background, text


@pytest.mark.parametrize("high_contrast", [False, True])
def test_the_highlighted_item_of_a_drop_down_list_is_readable(qtbot, app_look, high_contrast):
    from PySide6.QtWidgets import QComboBox

    theme.apply_theme(app_look, high_contrast=high_contrast, scale=100)
    combo = QComboBox()
    combo.addItems(["Open", "In progress", "Done — with evidence", "Escalated"])
    qtbot.addWidget(combo)
    combo.show()
    qtbot.waitExposed(combo)
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    view.setCurrentIndex(combo.model().index(2, 0))
    image = view.viewport().grab().toImage()
    ratio_of, backgrounds = {}, {}
    for row in (1, 2):
        rect = view.visualRect(combo.model().index(row, 0))
        background, text = _drawn_colours(image, rect.adjusted(1, 1, -1, -1).intersected(image.rect()))
        ratio_of[row] = theme.contrast_ratio(text, background)
        backgrounds[row] = background
    combo.hidePopup()
    assert ratio_of[2] >= 4.5, f"highlighted item {ratio_of[2]:.1f}:1"
    assert ratio_of[1] >= 4.5, f"plain item {ratio_of[1]:.1f}:1"
    assert backgrounds[2] != backgrounds[1], "the highlighted item does not stand out"


@pytest.mark.parametrize("high_contrast", [False, True])
def test_the_highlighted_item_of_a_type_ahead_list_is_readable(qtbot, app_look, high_contrast):
    from PySide6.QtWidgets import QCompleter, QLineEdit

    theme.apply_theme(app_look, high_contrast=high_contrast, scale=100)
    field = QLineEdit()
    completer = QCompleter(["Dr Hana Said", "Dr Helen Marsh", "Dr Omar Haddad"], field)
    field.setCompleter(completer)
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    completer.setCompletionPrefix("Dr")
    completer.complete()
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    popup.setCurrentIndex(completer.completionModel().index(1, 0))
    image = popup.viewport().grab().toImage()
    ratios, backgrounds = {}, {}
    for row in (0, 1):
        rect = popup.visualRect(completer.completionModel().index(row, 0))
        backgrounds[row], text = _drawn_colours(image, rect.adjusted(1, 1, -1, -1).intersected(image.rect()))
        ratios[row] = theme.contrast_ratio(text, backgrounds[row])
    popup.hide()
    assert ratios[1] >= 4.5 and ratios[0] >= 4.5, ratios
    assert backgrounds[1] != backgrounds[0]
