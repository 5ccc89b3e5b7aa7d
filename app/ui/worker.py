"""Slow work off the UI thread: one helper that runs a function and reports back on the UI thread.

    task = run_in_background(self, publish.export_report, store, review_id, "pdf", path,
                             on_done=self._exported, on_error=self._failed, on_progress=self._progress)

The function runs on a QThreadPool thread. Its result, its error (as one plain sentence) and
its progress reach the callbacks through queued signals, so the callbacks run on the UI
thread and may touch widgets. Services open their own session per call, so calling them from
the worker thread is safe as long as no session is shared with the UI thread.

A ReviewDayError is the user's to fix: its message is passed on as it is. Anything else is a
bug: the user gets a generic sentence, and the log gets the exception's type and where it
happened, never its message (which might quote a name or a note).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from app.services.errors import ReviewDayError

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# Tasks started and not yet reported back. Holding them here (not on a widget) means a task's
# Qt objects are always destroyed on the UI thread, after their last signal was delivered.
_IN_FLIGHT: set[BackgroundTask] = set()


def _generic_message() -> str:
    return QCoreApplication.translate(
        "Worker", "Something went wrong and the task did not finish. Nothing was changed; please try again."
    )


class _Relay(QObject):
    """Lives on the UI thread; the worker emits these, Qt queues them to the UI thread."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)


class _Runner(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._relay = relay

    def run(self) -> None:  # runs on a pool thread
        relay = self._relay
        try:
            result = self._fn(*self._args, **self._kwargs)
        except ReviewDayError as exc:
            relay.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: tell the user plainly, log without data
            frames = traceback.extract_tb(exc.__traceback__)
            where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames[-6:]))
            log.error("background task %s failed: %s at %s", _name(self._fn), type(exc).__name__, where)
            relay.failed.emit(_generic_message())
        else:
            relay.succeeded.emit(result)
        finally:
            self._fn = self._args = self._kwargs = None  # drop references on this thread early


class BackgroundTask(QObject):
    """One piece of work running off the UI thread. Signals arrive on the UI thread."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()  # after succeeded or failed

    def __init__(self, owner: QObject | None = None) -> None:
        # No Qt parent: the owner may be closed while the work runs; the task outlives it.
        super().__init__(None)
        self._owner = owner
        self._running = True
        self._relay = _Relay()
        self._relay.progress.connect(self._on_progress)
        self._relay.succeeded.connect(self._on_succeeded)
        self._relay.failed.connect(self._on_failed)

    def is_running(self) -> bool:
        return self._running

    def _owner_alive(self) -> bool:
        return self._owner is None or shiboken6.isValid(self._owner)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._running and self._owner_alive():
            self.progress.emit(done, total)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._finish()
        if self._owner_alive():
            self.succeeded.emit(result)
            self.finished.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._finish()
        if self._owner_alive():
            self.failed.emit(message)
            self.finished.emit()

    def _finish(self) -> None:
        self._running = False
        # The pool thread may still hold a Python reference to the relay for a moment; delete
        # the Qt object here, on the UI thread, so its last reference never destroys it there.
        self._relay.deleteLater()
        _IN_FLIGHT.discard(self)


def run_in_background(
    owner: QObject | None,
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    **kwargs: Any,
) -> BackgroundTask:
    """Run fn(*args, **kwargs) on a pool thread; report back on the UI thread.

    on_done(result) or on_error(message) is called exactly once, unless `owner` (a widget, say)
    has been deleted by then. With on_progress, fn is also given progress=callback(done, total),
    which it may call from its thread as often as it likes.
    """
    task = BackgroundTask(owner)
    if on_progress is not None:
        task.progress.connect(on_progress)
        kwargs["progress"] = task._relay.progress.emit
    if on_done is not None:
        task.succeeded.connect(on_done)
    if on_error is not None:
        task.failed.connect(on_error)
    _IN_FLIGHT.add(task)
    _wait_at_quit()
    QThreadPool.globalInstance().start(_Runner(fn, args, kwargs, task._relay))
    return task


_hooked_quit = False


def _wait_at_quit() -> None:
    # Quitting while a signature or an export is being written must not cut the work off
    # half-way (files are atomic, but the database record of a signature should land too).
    global _hooked_quit
    app = QCoreApplication.instance()
    if not _hooked_quit and app is not None:
        app.aboutToQuit.connect(wait_for_all)
        _hooked_quit = True


def running_tasks() -> int:
    """How many background tasks have not reported back yet (closing the app waits for these)."""
    return len(_IN_FLIGHT)


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Block until every pool thread is idle (at exit, so no work is cut off half-way)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or type(fn).__name__
