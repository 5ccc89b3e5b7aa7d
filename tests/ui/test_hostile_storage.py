"""R3/R4 in the UI: a write that fails at the storage layer keeps what was typed, says so, recovers.

The failing write is a real SQLite failure: the store's sessions are switched to a connection
opened with `?mode=ro`, so every write raises "attempt to write a readonly database" inside
Store.write(), as on read-only media. (chmod does not work here: the tests may run as root, which
ignores file modes, and SQLite keeps its already-open file descriptors anyway.)
"""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from app.services import drafts, notes, reviews
from app.services.store import describe_storage_error
from app.ui.main_window import MainWindow
from tests.conftest import REVIEW_DATE

READ_ONLY = describe_storage_error(Exception("attempt to write a readonly database"))


class ReadOnlySwitch:
    """Makes the store's writes fail as on read-only media, and puts write access back."""

    def __init__(self, store, db_path) -> None:
        self.store = store
        self._writable = store._sessions
        self._engine = create_engine(f"sqlite:///file:{db_path}?mode=ro&uri=true")

    def on(self) -> None:
        self.store._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def off(self) -> None:
        self.store._sessions = self._writable

    def close(self) -> None:
        self.off()
        self._engine.dispose()


@pytest.fixture
def read_only(store, db_path):
    switch = ReadOnlySwitch(store, db_path)
    yield switch
    switch.close()


@pytest.fixture
def window(qtbot, store, consented_review):
    main = MainWindow(store, today=REVIEW_DATE)
    qtbot.addWidget(main)
    main.show()
    assert main.open_review(consented_review.id)
    yield main


def test_a_note_typed_on_read_only_storage_is_kept_and_saved_later(qtbot, window, store, read_only,
                                                                   consented_review):
    review_id = consented_review.id
    window.workspace.show_section("safety")
    bar = window.workspace.page("section:safety").capture_bar
    bar.field.setFocus()

    read_only.on()
    QTest.keyClicks(bar.field, "Slept well, ate breakfast")
    QTest.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.text() == "Slept well, ate breakfast"  # refused: still in the field
    assert window.save_state.failed
    assert window.save_state.text() == "⚠ Not saved: " + READ_ONLY
    assert window.copy_button.isVisible()  # offered: save a copy elsewhere
    assert not window.ctx.flush()  # the draft write stays pending, no crash
    assert window.ctx.autosaver.has_pending()
    assert notes.list_notes(store, review_id) == []

    read_only.off()
    assert window.ctx.flush()  # the next flush saves the pending draft
    assert drafts.get_draft(store, review_id, "capture:safety") == "Slept well, ate breakfast"
    assert not window.save_state.failed
    assert window.save_state.text().startswith("✓")
    assert not window.copy_button.isVisible()
    QTest.keyClick(bar.field, Qt.Key.Key_Return)
    assert [n.text for n in notes.list_notes(store, review_id)] == ["Slept well, ate breakfast"]
    assert bar.text() == ""


def test_a_setup_field_edited_on_read_only_storage_is_kept_and_saved_later(qtbot, window, store, read_only,
                                                                            consented_review):
    review_id = consented_review.id
    window.workspace.show_key("setup")
    page = window.workspace.page("setup")
    page.ward.setFocus()
    page.ward.selectAll()

    read_only.on()
    QTest.keyClicks(page.ward, "Ash Ward")
    assert not window.ctx.flush()
    assert page.ward.text() == "Ash Ward"
    assert window.ctx.autosaver.has_pending()
    assert window.save_state.text() == "⚠ Not saved: " + READ_ONLY
    assert reviews.get_review(store, review_id).setup.ward == "Willow Ward"
    window.close()  # refused while something is unsaved: nothing lost
    assert window.isVisible()

    read_only.off()
    assert window.ctx.flush()
    assert reviews.get_review(store, review_id).setup.ward == "Ash Ward"
    assert window.save_state.text().startswith("✓")


def test_save_a_copy_elsewhere_writes_a_verified_copy(qtbot, window, store, read_only, tmp_path, monkeypatch,
                                                      consented_review):
    out = tmp_path / "elsewhere" / "copy.sqlite3"
    out.parent.mkdir()
    window.workspace.show_key("setup")
    page = window.workspace.page("setup")
    read_only.on()
    page.ward.setFocus()
    QTest.keyClicks(page.ward, " 2")
    assert not window.ctx.flush()
    assert window.copy_button.isVisible()

    monkeypatch.setattr(MainWindow, "ask_copy_path", staticmethod(lambda parent: out))
    qtbot.mouseClick(window.copy_button, Qt.MouseButton.LeftButton)
    conn = sqlite3.connect(out)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM reviews WHERE id = ?", (consented_review.id,)).fetchone()[0] == 1
    finally:
        conn.close()
    assert str(out) in window.workspace.message_bar.text()
    assert page.ward.text() == "Willow Ward 2"  # still kept here, still pending
    assert window.ctx.autosaver.has_pending()
    read_only.off()
    assert window.ctx.flush()
