"""Text typed on the findings form but not yet added survives the app being killed, and the
status bar never says "Saved" while typed text is not yet stored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.models.enums import EntryKind
from app.services.store import Store
from tests.conftest import REVIEW_DATE
from tests.ui.conftest import CHAIR_CLIENT_AREA, settle

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)


def test_unsent_concern_is_back_after_the_process_dies(qtbot, chair_window, db_path, clock, app_look):
    from app.settings import Settings
    from app.ui.main_window import MainWindow

    window = chair_window()
    review_id = window.demo_review_id
    section_id = window.ctx.template.sections[2].id
    assert window.workspace.show_section(section_id)
    settle()
    panel = window.workspace.current_page().entries_panel
    assert panel.form.isEnabled()
    panel.set_kind(EntryKind.CONCERN)
    panel.text_field.setFocus()
    qtbot.keyClicks(panel.text_field, "Bedroom door alarm used at night")
    qtbot.keyClick(panel.text_field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(panel.text_field, "with no care plan for it")
    # Typed but not stored yet: the status bar must not claim it is saved.
    assert window.save_state.text() == "Saving…"
    # The draft is stored a moment after typing stops (no close, no flush, no focus change).
    qtbot.waitUntil(lambda: not window.ctx.autosaver.has_pending())
    assert window.save_state.text().startswith("✓ Saved")

    # The process dies: the window is simply dropped, never closed; the file is opened afresh.
    window.hide()
    store = Store.open(db_path, clock=clock)
    reopened = MainWindow(store, today=REVIEW_DATE, settings=Settings())
    try:
        reopened.resize(*CHAIR_CLIENT_AREA)
        reopened.show()
        qtbot.waitExposed(reopened)
        assert reopened.open_review(review_id)
        assert reopened.workspace.show_section(section_id)
        settle()
        again = reopened.workspace.current_page().entries_panel
        assert again.current_kind() is EntryKind.CONCERN
        assert again.text_field.text() == "Bedroom door alarm used at night\nwith no care plan for it"
        assert again.tabs.currentIndex() == 2  # the concerns list, where it will go
    finally:
        reopened.close()
        reopened.deleteLater()
        store.close()
