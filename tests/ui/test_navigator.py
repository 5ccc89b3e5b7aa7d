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
