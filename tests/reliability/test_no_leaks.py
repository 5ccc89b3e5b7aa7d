"""R8: a canary used everywhere (services, the UI, a crash in a slot) appears nowhere but the database.

Every place the app could write is redirected under tmp_path (TMPDIR, HOME, XDG_* for settings,
data, state and cache, the log folder), then every file there is searched for the canary.

Expected to hold the canary (and only these):
- the database file and its -wal / -shm (plain SQLite in this test; encrypted at rest is R10),
- the backup copies made by backup_to (copies of the database, by design).
Everything else (log files, temp files, settings) must have zero hits.
"""

from __future__ import annotations

import logging
import resource
import tempfile
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from app.logging_setup import setup_logging, teardown_logging
from app.models.enums import ConsentBasis, EntryKind, HeadlineAnswer
from app.services import actions, drafts, notes, people, reviews, sections
from app.services.dto import ActionInput, Actor, ReviewSetup
from app.services.store import Store

CANARY = "ZQXCANARY"
ACTOR = Actor("Morgan Ellis", "independent_chair")


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Every folder the app may write to, under tmp_path."""
    folders = {name: tmp_path / name for name in ("home", "config", "data", "state", "cache", "tmp", "logs")}
    for folder in folders.values():
        folder.mkdir()
    monkeypatch.setenv("HOME", str(folders["home"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folders["config"]))
    monkeypatch.setenv("XDG_DATA_HOME", str(folders["data"]))
    monkeypatch.setenv("XDG_STATE_HOME", str(folders["state"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(folders["cache"]))
    monkeypatch.setenv("TMPDIR", str(folders["tmp"]))
    monkeypatch.setattr(tempfile, "tempdir", str(folders["tmp"]))
    log_file = setup_logging(folders["logs"])
    yield tmp_path, log_file
    teardown_logging()


def _use_canary_through_services(store: Store, tmp_path) -> int:
    from app.services.backup import backup_to

    setup = ReviewSetup(template_id="icetr", person_label="Q.Z.", review_date=date(2026, 11, 20),
                        hospital=f"{CANARY} Hospital", ward=f"{CANARY} Ward")
    review = reviews.create_review(store, setup, ACTOR)
    people.add_attendee(store, review.id, ACTOR, name=f"{CANARY} Person", role="advocate")
    people.record_consent(store, review.id, ACTOR, ConsentBasis.CONSENT, f"{CANARY} agreed")
    note = notes.add_note(store, review.id, "safety", f"{CANARY} said the night was calm", ACTOR,
                          speaker_name=f"{CANARY} Person", speaker_role="advocate")
    notes.edit_note(store, note.id, ACTOR, text=f"{CANARY} said the night was calm, mostly")
    sections.add_entry(store, review.id, "safety", EntryKind.CONCERN, f"{CANARY} bruise not recorded", ACTOR)
    sections.set_headline(store, review.id, "safe", ACTOR, answer=HeadlineAnswer.PARTLY, reasons=f"{CANARY} reasons")
    actions.add_action(store, review.id, ActionInput(what=f"{CANARY} to see a dentist", owner_name=f"{CANARY} Owner"),
                       ACTOR)
    drafts.save_draft(store, review.id, "capture:safety", f"{CANARY} half typed")
    logging.getLogger("app.services").warning("saved review %s", review.id)  # what a service may log: ids
    (tmp_path / "backups").mkdir()
    backup_to(store, tmp_path / "backups" / "copy.sqlite3")
    return review.id


EXPECTED_SUFFIXES = ("", "-wal", "-shm")


def hits_outside_database(root, db) -> tuple[list[str], list[str]]:
    """(files outside the database holding the canary, expected files holding it)."""
    leaks, holders = [], []
    expected = {db.name + suffix for suffix in EXPECTED_SUFFIXES} | {"copy.sqlite3"}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found = CANARY.encode() in data or CANARY.encode("utf-16-le") in data
        if found:
            (holders if path.name in expected else leaks).append(path.relative_to(root).as_posix())
    return leaks, holders


@pytest.mark.qt_no_exception_capture  # our excepthook, not pytest-qt's, must see the slot's exception
def test_r8_canary_only_in_the_database(qtbot, sandbox, monkeypatch):
    tmp_path, log_file = sandbox
    assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)  # no core dumps with decrypted pages
    db = tmp_path / "data" / "review.sqlite3"
    store = Store.open(db)
    try:
        review_id = _use_canary_through_services(store, tmp_path)

        from app.ui.main_window import MainWindow

        window = MainWindow(store, today=date(2026, 11, 20))
        qtbot.addWidget(window)
        window.show()
        assert window.open_review(review_id, writer=ACTOR)
        window.workspace.show_section("safety")
        bar = window.workspace.page("section:safety").capture_bar
        bar.field.clear()
        QTest.keyClicks(bar.field, f"{CANARY} typed in the UI")
        QTest.keyClick(bar.field, Qt.Key.Key_Return)
        assert any(n.text == f"{CANARY} typed in the UI" for n in notes.list_notes(store, review_id))
        window.workspace.show_key("setup")
        setup = window.workspace.page("setup")
        setup.ward.setFocus()
        setup.ward.selectAll()
        QTest.keyClicks(setup.ward, f"{CANARY} Ward 2")
        assert window.ctx.flush()
        assert reviews.get_review(store, review_id).setup.ward == f"{CANARY} Ward 2"

        # A crash inside a slot: the message holds the canary, as real messages can hold typed text.
        def broken_slot() -> None:
            raise RuntimeError(f"could not handle {CANARY} typed in the UI")

        seen: list[str] = []
        original = logging.getLogger("reviewday.crash").handle
        monkeypatch.setattr(logging.getLogger("reviewday.crash"), "handle",
                            lambda record: (seen.append(record.getMessage()), original(record)))
        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: bool(seen))
        assert window.isVisible()  # the app carried on
        for handler in logging.getLogger().handlers:
            handler.flush()
        # While the database is open its -wal and -shm exist: searched too (they are the database).
        leaks, holders = hits_outside_database(tmp_path, db)
        assert leaks == []
        assert "data/review.sqlite3-wal" in holders
        assert window.close()
    finally:
        store.close()
    for handler in logging.getLogger().handlers:
        handler.flush()

    log_text = log_file.read_text(encoding="utf-8")
    assert "RuntimeError" in log_text and "broken_slot" in log_text  # the crash was logged, by type and place
    assert f"saved review {review_id}" in log_text

    assert hits_outside_database(tmp_path, db) == ([], ["backups/copy.sqlite3", "data/review.sqlite3"])
