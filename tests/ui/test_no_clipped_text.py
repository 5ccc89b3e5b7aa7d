"""Nothing is cut off or elided at 100%, 150% or 200% text on the chair's laptop: every page of
the main window, the review list, and the dialogs opened from it. Text wraps instead."""

from __future__ import annotations

import pytest

from tests.ui.clipping import clipped_texts
from tests.ui.conftest import settle

PAGES = ("setup", "people", "agenda", "section:safety", "section:lts", "headline", "actions", "signoff", "audit")


def open_window(qtbot, store, app_look, scale):
    """The real main window in the chair's client area, on the demo review with its earlier one
    (so the previous review's actions are on the Recommendations page)."""
    from PySide6.QtWidgets import QApplication

    from app.services.demo import seed_demo
    from app.settings import Settings
    from app.ui import theme
    from app.ui.main_window import MainWindow
    from tests.conftest import REVIEW_DATE
    from tests.ui.conftest import CHAIR_CLIENT_AREA

    theme.apply_theme(QApplication.instance(), scale=scale)
    review_id = seed_demo(store, review_date=REVIEW_DATE, history=True)
    window = MainWindow(store, today=REVIEW_DATE, settings=Settings(text_scale=scale))
    app_look.windows.append(window)
    window.resize(*CHAIR_CLIENT_AREA)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_review(review_id)
    settle()
    return window


@pytest.mark.parametrize("scale", [100, 150, 200])
def test_no_text_is_cut_off_on_any_page(qtbot, store, app_look, scale):
    window = open_window(qtbot, store, app_look, scale)
    problems = []
    for key in PAGES:
        if key.startswith("section:"):
            assert window.workspace.show_section(key.removeprefix("section:"))
        else:
            assert window.workspace.show_key(key)
        settle()
        # Up to 150% nothing scrolls sideways either; at 200% some pages still need to.
        problems += [f"{key}: {p}" for p in clipped_texts(window, sideways=scale <= 150)]
    window.show_review_list()
    settle()
    problems += [f"review list: {p}" for p in clipped_texts(window, sideways=scale <= 150)]
    assert not problems, "\n".join(problems)


# The measuring itself ------------------------------------------------------------------------

def test_the_check_finds_cut_off_labels_buttons_and_cells(qtbot):
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    short = QLabel("A prompt that loses its last word", holder)
    short.setFixedWidth(60)
    wrapped = QLabel("A prompt that wraps onto as many lines as it needs " * 3, holder)
    wrapped.setWordWrap(True)
    button = QPushButton("Carry forward as a new action", holder)
    button.setFixedWidth(50)
    table = QTableView(holder)
    model = QStandardItemModel(1, 1, table)
    model.setItem(0, 0, QStandardItem("Consultant psychiatrist, independent"))
    table.setModel(model)
    table.setColumnWidth(0, 40)
    for widget in (short, wrapped, button, table):
        layout.addWidget(widget)
    holder.resize(400, 600)
    holder.show()
    qtbot.waitExposed(holder)
    settle()
    found = "\n".join(clipped_texts(holder))
    assert "loses its last word" in found
    assert "wraps onto" not in found
    assert "Carry forward" in found
    assert "Consultant psychiatrist" in found


@pytest.mark.parametrize("scale", [100, 150, 200])
def test_no_text_is_cut_off_in_the_main_dialogs(qtbot, store, app_look, tmp_path, scale, monkeypatch):
    from PySide6.QtCore import QRect

    from app.ui import layout_fit

    # Dialogs grow to fit within the screen: the chair's 1366×768 laptop less its taskbar
    # (the test platform's own screen is smaller).
    monkeypatch.setattr(layout_fit, "available_area", lambda _window: QRect(0, 0, 1366, 728))
    from app.kloe import TemplateRegistry
    from app.security.identities import IdentityStore
    from app.services.dto import Actor
    from app.settings import Settings
    from app.ui.first_run_dialog import FirstRunDialog
    from app.ui.identity_dialog import IdentityDialog
    from app.ui.new_review_dialog import NewReviewDialog
    from app.ui.settings_dialog import SettingsDialog
    from tests.conftest import REVIEW_DATE

    window = open_window(qtbot, store, app_look, scale)
    ids = IdentityStore(tmp_path / "ids", kdf_iterations=20_000)
    dialogs = {
        "new review": NewReviewDialog(TemplateRegistry.default(), REVIEW_DATE, window),
        "preferences": SettingsDialog(Settings(text_scale=scale), window, path=tmp_path / "settings.json"),
        "signing identity": IdentityDialog(ids, Actor("Morgan Ellis", "independent_chair"), window),
        "first run": FirstRunDialog(tmp_path / "new.sqlite3", parent=window),
    }
    window.show_export()
    dialogs["export"] = window.export_dialog
    window.show_tracker()
    dialogs["action tracker"] = window.tracker_window
    problems = []
    for name, dialog in dialogs.items():
        dialog.show()
        qtbot.waitExposed(dialog)
        settle()
        problems += [f"{name}: {p}" for p in clipped_texts(dialog, sideways=False)]
        dialog.close()
    assert not problems, "\n".join(problems)
