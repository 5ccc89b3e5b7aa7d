"""A translation file changes what the user sees: tr() strings are looked up at run time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from app.ui.main_window import MainWindow
from app.ui.translations import install_translators, remove_translators

WELSH_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="cy_GB">
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Ffeil</translation>
    </message>
</context>
</TS>
"""


def _lrelease(ts: Path, qm: Path) -> None:
    tool = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(tool), str(ts), "-qm", str(qm)], check=True, capture_output=True)


def test_a_translation_file_changes_the_menus(qtbot, store, tmp_path):
    ts = tmp_path / "reviewday_cy.ts"
    ts.write_text(WELSH_TS, encoding="utf-8")
    _lrelease(ts, tmp_path / "reviewday_cy.qm")
    app = QApplication.instance()
    try:
        loaded = install_translators(app, QLocale("cy_GB"), folder=tmp_path)
        assert "reviewday" in loaded
        window = MainWindow(store)
        qtbot.addWidget(window)
        titles = [action.text() for action in window.menuBar().actions()]
        assert titles[0] == "&Ffeil"
        assert "&Edit" in titles  # untranslated strings stay in English
    finally:
        remove_translators(app)


def test_no_translation_file_means_english(qtbot, store, tmp_path):
    app = QApplication.instance()
    try:
        assert "reviewday" not in install_translators(app, QLocale("cy_GB"), folder=tmp_path)
        window = MainWindow(store)
        qtbot.addWidget(window)
        assert window.menuBar().actions()[0].text() == "&File"
    finally:
        remove_translators(app)
