"""run_in_background: work off the UI thread, results and progress back on it, errors in plain words."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QWidget

from app.services.errors import ValidationError
from app.ui.worker import run_in_background, running_tasks


def test_result_and_progress_arrive_on_the_ui_thread(qtbot):
    ui_thread = QThread.currentThread()
    seen: dict = {"progress": [], "threads": set()}

    def work(a, b, *, progress):
        seen["worker"] = threading.get_ident()
        for step in range(1, 4):
            progress(step, 3)
        return a + b

    def on_progress(done, total):
        seen["progress"].append((done, total))
        seen["threads"].add(QThread.currentThread() is ui_thread)

    def on_done(result):
        seen["result"] = result
        seen["threads"].add(QThread.currentThread() is ui_thread)

    task = run_in_background(None, work, 2, 3, on_done=on_done, on_error=seen.setdefault, on_progress=on_progress)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen["result"] == 5
    assert seen["progress"] == [(1, 3), (2, 3), (3, 3)]
    assert seen["threads"] == {True}
    assert seen["worker"] != threading.get_ident()
    assert not task.is_running()


def test_a_user_error_is_passed_on_as_its_sentence(qtbot):
    def work():
        raise ValidationError("Give the reason for the amendment in a sentence.")

    errors: list[str] = []
    task = run_in_background(None, work, on_done=lambda _r: errors.append("done?"), on_error=errors.append)
    qtbot.waitUntil(lambda: not task.is_running(), timeout=5000)
    assert errors == ["Give the reason for the amendment in a sentence."]


def test_a_bug_gives_a_generic_message_and_logs_no_personal_data(qtbot, caplog):
    def work():
        raise KeyError("Canary Patientname")

    errors: list[str] = []
    with caplog.at_level(logging.ERROR, logger="app.ui.worker"):
        task = run_in_background(None, work, on_error=errors.append)
        qtbot.waitUntil(lambda: not task.is_running(), timeout=5000)
    assert len(errors) == 1 and "did not finish" in errors[0] and "Canary" not in errors[0]
    assert "KeyError" in caplog.text and "test_worker.py" in caplog.text
    assert "Canary" not in caplog.text


def test_the_ui_keeps_running_while_work_waits_and_a_closed_owner_gets_no_callback(qtbot):
    release = threading.Event()
    owner = QWidget()
    calls: list = []

    def work():
        release.wait(5)
        return "finished"

    task = run_in_background(owner, work, on_done=calls.append, on_error=calls.append)
    # The UI thread is free: a zero-timeout event round trip happens while the work waits.
    assert task.is_running() and running_tasks() >= 1
    qtbot.waitUntil(lambda: task.is_running(), timeout=1000)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not owner_alive(owner), timeout=2000)
    release.set()
    qtbot.waitUntil(lambda: not task.is_running(), timeout=5000)
    assert calls == []


def owner_alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)
