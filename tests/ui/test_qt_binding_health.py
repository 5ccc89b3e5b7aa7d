"""The Qt binding must not corrupt Python's reference counts.

PySide6 6.12.0 drops one reference to ``True`` on every signal emitted from Python. Python 3.11's
``True`` is not immortal, so after some thousands of emits (a few hours of a review day: each note,
autosave and navigation emits several) the interpreter aborts with "Fatal Python error:
bool_dealloc". pyproject.toml keeps PySide6 below 6.12; these tests catch any release that brings
the leak back, before it reaches a chair's laptop.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from app.ui.autosave import Autosaver

EMITS = 500


class _Emitter(QObject):
    bare = Signal()
    text = Signal(str)


def _lost_references(action) -> tuple[int, int]:
    action()  # first call: caches and interned objects settle
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(EMITS):
        action()
    return before[0] - sys.getrefcount(True), before[1] - sys.getrefcount(False)


def test_emitting_a_signal_from_python_keeps_true_and_false_alive(qapp):
    emitter = _Emitter()
    received = []
    emitter.text.connect(received.append)

    assert _lost_references(emitter.bare.emit) == (0, 0)
    assert _lost_references(lambda: emitter.text.emit("note")) == (0, 0)
    assert len(received) == EMITS + 1


def test_an_autosave_flush_keeps_true_and_false_alive(qapp):
    saver = Autosaver()
    writes = []

    def edit_and_flush():
        saver.schedule("note", lambda: writes.append(1))
        assert saver.flush() is True

    assert _lost_references(edit_and_flush) == (0, 0)
    assert len(writes) == EMITS + 1
