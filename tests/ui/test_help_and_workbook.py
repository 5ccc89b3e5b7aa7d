"""F1 opens the user guide, About says what and where, and File → Print a blank workbook writes a PDF."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QKeySequence

from app import __version__
from app.help import guide_text, guide_title
from app.ui.help_window import SECTION_TOPIC, TOPIC_FOR_KEY, HelpWindow
from app.ui.main_window import MainWindow
from app.ui.shortcuts_dialog import ShortcutsDialog
from app.ui.workbook_dialog import WorkbookDialog, WorkbookPathDialog
from tests.conftest import REVIEW_DATE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, store):
    main = MainWindow(store, today=REVIEW_DATE)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)  # window shortcuts need the active window
    return main


def action(window: MainWindow, name: str):
    [found] = [a for a in window.actions() if a.objectName() == name]
    return found


# -- the user guide --------------------------------------------------------------------------


def test_f1_opens_the_user_guide_showing_its_title(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "help_window", None) is not None and window.help_window.isVisible())
    guide = window.help_window
    assert guide_title() == "ReviewDay user guide" == guide.title
    assert guide.windowTitle() == "ReviewDay user guide"
    assert guide.browser.toPlainText().startswith("ReviewDay user guide")
    assert (1, "ReviewDay user guide") in guide.headings()
    assert guide.browser.accessibleName() and guide.find_field.accessibleName()
    # Pressing F1 again reuses the same window.
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.help_window is guide


def test_f1_belongs_to_the_guide_and_ctrl_slash_to_the_shortcuts(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(ShortcutsDialog, "ask", classmethod(lambda cls, parent, rows: shown.append(rows)))
    assert [s.toString() for s in action(window, "user_guide").shortcuts()] == ["F1"]
    assert [s.toString() for s in action(window, "shortcuts").shortcuts()] == ["Ctrl+/"]
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert len(shown) == 1
    rows = dict(shown[0])
    assert rows["F1"] == "User guide" and rows["Ctrl+Shift+B"] == "Print a blank workbook"


def test_f1_on_a_page_opens_the_guide_at_that_page(qtbot, window, review):
    window.open_review(review.id)
    window.workspace.show_key("people")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.help_window.isVisible())
    assert window.help_window.current_heading() == "People and consent"
    window.workspace.show_key("agenda")
    window.show_user_guide()
    assert window.help_window.current_heading() == "The agenda and the timer"


def test_every_context_topic_is_a_heading_of_the_guide(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    headings = {text for _level, text in guide.headings()}
    for topic in [*TOPIC_FOR_KEY.values(), SECTION_TOPIC]:
        assert topic in headings, topic
    assert not guide.show_topic("No such heading")


def test_find_highlights_every_place_and_steps_through_them(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.show()
    guide.activateWindow()
    qtbot.waitUntil(guide.isActiveWindow)
    guide.browser.setFocus()
    qtbot.keyClick(guide.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(guide.find_field.hasFocus)
    qtbot.keyClicks(guide.find_field, "workbook")
    expected = guide_text().lower().replace("**", "").count("workbook")
    assert len(guide.browser.extraSelections()) >= 5
    assert guide.status.text() == f"{len(guide.browser.extraSelections())} places"
    assert expected >= len(guide.browser.extraSelections())
    first = guide.browser.textCursor().selectionStart()
    qtbot.keyClick(guide.find_field, Qt.Key.Key_Return)
    second = guide.browser.textCursor().selectionStart()
    assert second > first
    qtbot.keyClick(guide.find_field, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert guide.browser.textCursor().selectionStart() == first
    guide.find_field.setText("zzqx no such words")
    assert guide.status.text() == "Not found" and guide.browser.extraSelections() == []
    qtbot.keyClick(guide.find_field, Qt.Key.Key_Escape)
    assert guide.find_field.text() == "" and guide.status.text() == ""


def test_the_contents_list_jumps_to_a_heading(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    texts = [guide.contents.item(row).data(Qt.ItemDataRole.UserRole) for row in range(guide.contents.count())]
    assert "Backups" in texts and "The paper workbook" in texts
    guide.contents.setCurrentRow(texts.index("The paper workbook"))
    assert guide.current_heading() == "The paper workbook"


def test_the_guide_ships_with_the_package_and_docs_point_to_it():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "*.md" in pyproject["tool"]["setuptools"]["package-data"]["app.help"]
    assert (ROOT / "app" / "help" / "user-guide.md").read_text(encoding="utf-8") == guide_text()
    pointer = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    assert "app/help/user-guide.md" in pointer
    for image in ("workbook-cover.png", "workbook-section.png"):
        assert f"screenshots/{image}" in pointer and (ROOT / "docs" / "screenshots" / image).is_file()


def test_the_guide_names_only_shortcuts_the_window_binds(window):
    bound = {key for keys, _text in window.shortcut_list() for key in keys.split(", ")}
    for key in ("F1", "Ctrl+N", "Ctrl+E", "Ctrl+L", "Ctrl+Shift+B", "Ctrl+T", "Ctrl+Shift+A", "Ctrl+/"):
        assert key in bound, key
        assert f"**{key}**" in guide_text() or f"| {key} |" in guide_text(), key


# -- About -------------------------------------------------------------------------------------


def test_about_shows_version_licence_data_location_and_qt_version(qtbot, window, db_path):
    action(window, "about").trigger()
    box = window.about_box
    qtbot.waitUntil(box.isVisible)
    text = box.text()
    assert f"ReviewDay {__version__}" in text
    assert "MIT" in text
    assert str(Path(db_path).resolve()) in text
    assert qVersion() in text
    assert box.windowTitle() == "About ReviewDay" and box.accessibleName()
    box.accept()


# -- the blank workbook ------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def dialog(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: getattr(window, "workbook_dialog", None) is not None and window.workbook_dialog.isVisible())
    return window.workbook_dialog


def test_the_dialog_writes_a_workbook_with_no_review_open(qtbot, window, dialog, tmp_path, monkeypatch):
    assert window.workspace is None and action(window, "blank_workbook").isEnabled()
    asked = []
    target = tmp_path / "laep workbook.pdf"
    monkeypatch.setattr(WorkbookPathDialog, "ask", classmethod(lambda cls, parent, suggested: asked.append(suggested)
                                                               or target))
    combo = dialog.type_combo
    assert combo.accessibleName() and dialog.save_button.accessibleName()
    combo.setCurrentIndex(combo.findData("laep:1"))
    assert dialog.chosen_template().id == "laep"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.written, timeout=20_000) as written:
        pass
    assert written.args == [str(target)]
    assert asked[0].name == "workbook-laep-v1.pdf"
    assert target.read_bytes().startswith(b"%PDF")
    text = pdf_text(target)
    assert "Local Area Emergency Protocol" in text or "LAEP" in text
    assert "Section " in text and "Attendance register" in text
    assert str(target) in dialog.status.text()
    assert dialog.open_button.isEnabled() and dialog.save_button.isEnabled()


def test_cancelling_the_save_dialog_writes_nothing(qtbot, dialog, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(WorkbookPathDialog, "ask", classmethod(lambda cls, parent, suggested: asked.append(1)))
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.type_combo.setFocus()
    qtbot.keyClick(dialog.type_combo, Qt.Key.Key_Return)  # Save as PDF… is the default button
    assert asked == [1]
    assert dialog.task is None and dialog.status.text() == ""
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_folder_that_is_gone_is_one_plain_sentence_and_the_dialog_stays_usable(qtbot, dialog, tmp_path,
                                                                                 monkeypatch):
    monkeypatch.setattr(WorkbookPathDialog, "ask",
                        classmethod(lambda cls, parent, suggested: tmp_path / "gone" / "w.pdf"))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=20_000)
    assert "the folder" in dialog.status.text() and "does not exist" in dialog.status.text()
    assert "\n" not in dialog.status.text() and not dialog.open_button.isEnabled()


def test_every_template_version_is_offered_newest_first_chosen(qtbot, window):
    dialog = WorkbookDialog(window.registry, window)
    qtbot.addWidget(dialog)
    offered = [dialog.type_combo.itemData(i) for i in range(dialog.type_combo.count())]
    assert sorted(offered) == sorted(f"{t.id}:{t.version}" for t in window.registry.all())
    assert dialog.chosen_template() == window.registry.latest(offered[0].split(":")[0])
    assert dialog.choose("icetr") and dialog.chosen_template().id == "icetr"
    assert not dialog.choose("nope")


def test_file_menu_lists_the_workbook(window):
    [file_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    texts = [a.text() for a in file_menu.actions()]
    assert "Print a &blank workbook…" in texts
    assert action(window, "blank_workbook").shortcut() == QKeySequence("Ctrl+Shift+B")
