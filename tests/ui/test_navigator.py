from __future__ import annotations

from datetime import datetime, timedelta

from app.kloe import TemplateRegistry
from app.services import sections
from app.ui.navigator import NavigatorModel, build_items
from app.ui.save_state import SaveStateLabel, describe_age


def _items(store, review, consent: bool):
    return build_items(
        TemplateRegistry.default().latest("icetr"),
        sections.list_section_states(store, review.id),
        consent_recorded=consent,
        attendee_count=3,
        action_count=2,
        actions_missing=1,
        headline_answered=0,
    )


def test_navigator_model_passes_qmodeltester(qtmodeltester, store, review):
    model = NavigatorModel()
    model.set_items(_items(store, review, consent=True))
    qtmodeltester.check(model)
    model.set_items(_items(store, review, consent=False))
    qtmodeltester.check(model)


def test_sections_are_disabled_until_consent_and_badges_say_what_is_missing(store, review):
    items = {item.key: item for item in _items(store, review, consent=False)}
    assert not items["section:safety"].enabled and items["setup"].enabled
    assert "consent needed" in items["people"].badge
    assert items["actions"].badge == "2 actions · 1 need owner or date"
    assert list(items)[-2:] == ["headline", "actions"]


def test_actions_without_plain_words_are_counted_and_marked(store, review):
    items = {item.key: item for item in build_items(
        TemplateRegistry.default().latest("icetr"), sections.list_section_states(store, review.id),
        consent_recorded=True, attendee_count=3, action_count=2, actions_missing=0, headline_answered=0,
        plain_words_missing=2)}
    assert items["actions"].badge == "2 actions · 2 need plain words"
    assert items["actions"].mark == "!"


def test_save_state_label_counts_up_and_shows_failures(qtbot):
    now = {"t": datetime(2026, 11, 20, 10, 0)}
    label = SaveStateLabel(lambda: now["t"])
    qtbot.addWidget(label)
    label.mark_saved()
    assert label.text() == "✓ Saved just now"
    now["t"] += timedelta(seconds=42)
    label.update_text()
    assert label.text() == "✓ Saved 42 s ago"
    label.mark_failed("The disk is full")
    assert label.failed and "Not saved: The disk is full" in label.text()
    assert describe_age(3 * 60) == "Saved 3 min ago"


def test_sections_closed_until_consent_are_drawn_greyed(qtbot, store, review, actor):
    """Without a consent basis the sections cannot be opened, and the navigator shows it."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from app.settings import Settings
    from app.ui import theme
    from app.ui.main_window import MainWindow
    from tests.conftest import REVIEW_DATE

    theme.apply_theme(QApplication.instance(), high_contrast=False, scale=100)
    window = MainWindow(store, today=REVIEW_DATE, settings=Settings())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_review(review.id)
    navigator = window.workspace.navigator
    model = navigator.model()
    image = navigator.viewport().grab().toImage()

    def darkest(row: int) -> QColor:
        rect = navigator.visualRect(model.index(row, 0))
        pixels = (image.pixelColor(x, y) for x in range(rect.left(), rect.right(), 2)
                  for y in range(rect.top(), rect.bottom(), 2))
        return min(pixels, key=theme.relative_luminance)

    rows = {model.item(r).key: r for r in range(model.rowCount())}
    section = next(r for key, r in rows.items() if key.startswith("section:"))
    assert not model.flags(model.index(section, 0)) & Qt.ItemFlag.ItemIsEnabled
    assert theme.relative_luminance(darkest(section)) >= theme.relative_luminance(theme.DISABLED_TEXT) - 0.01
    assert theme.relative_luminance(darkest(rows["agenda"])) < theme.relative_luminance(theme.DISABLED_TEXT) - 0.05
