from __future__ import annotations

from app.services.errors import StorageError, ValidationError
from app.ui.autosave import Autosaver


def test_debounced_writes_keep_only_the_newest_per_key(qtbot):
    saver = Autosaver(delay_ms=50)
    written: list[str] = []
    for text in ("a", "ab", "abc"):
        saver.schedule("field", lambda t=text: written.append(t))
    with qtbot.waitSignal(saver.saved, timeout=2000):
        pass
    assert written == ["abc"]
    assert not saver.has_pending()


def test_storage_failure_keeps_the_write_pending_and_retries(qtbot):
    saver = Autosaver(delay_ms=10_000)
    disk = {"full": True}
    written: list[str] = []

    def write() -> None:
        if disk["full"]:
            raise StorageError("The disk is full")
        written.append("kept text")

    saver.schedule("note", write)
    with qtbot.waitSignal(saver.failed) as failed:
        assert saver.flush() is False
    assert failed.args == ["The disk is full"]
    assert saver.has_pending() and written == []
    disk["full"] = False
    assert saver.flush() is True
    assert written == ["kept text"] and not saver.has_pending()


def test_validation_failure_is_reported_once_and_dropped(qtbot):
    saver = Autosaver(delay_ms=10_000)

    def write() -> None:
        raise ValidationError("The admission date is after the review date.")

    saver.schedule("admission", write)
    with qtbot.waitSignal(saver.failed):
        saver.flush()
    assert not saver.has_pending()


def test_a_newer_write_scheduled_during_flush_is_not_lost(qtbot):
    saver = Autosaver(delay_ms=10_000)
    written: list[str] = []

    def first() -> None:
        written.append("first")
        saver.schedule("field", lambda: written.append("second"))

    saver.schedule("field", first)
    saver.flush()
    assert saver.has_pending()
    saver.flush()
    assert written == ["first", "second"]


def test_pending_state_is_reported_and_the_status_bar_never_says_saved_meanwhile(qtbot):
    from datetime import datetime

    from app.ui.save_state import SaveStateLabel

    saver = Autosaver(delay_ms=10_000)
    label = SaveStateLabel(lambda: datetime(2026, 11, 20, 10, 0))
    qtbot.addWidget(label)
    saver.pending_changed.connect(label.set_pending)
    saver.saved.connect(label.mark_saved)
    label.mark_saved()
    assert label.text().startswith("✓ Saved")
    saver.schedule("a", lambda: None)
    assert label.text() == "Saving…"
    saver.schedule("b", lambda: None)
    saver.cancel("a")
    assert label.text() == "Saving…"  # "b" is still waiting
    saver.cancel("b")
    assert label.text().startswith("✓ Saved")
    saver.schedule("a", lambda: None)
    assert saver.flush()
    assert label.text().startswith("✓ Saved")

    def full() -> None:
        raise StorageError("The disk is full")

    saver.failed.connect(label.mark_failed)
    saver.schedule("c", full)
    saver.flush()
    assert label.text().startswith("⚠ Not saved")
