"""Logging that never writes personal data: ids and exception types only.

- One rotating log file in the user's log folder (platformdirs), or a folder given by the caller.
- The format has no free text from the data: services log ids, and the excepthook below logs an
  unexpected exception as its type and the traceback's file/line/function lines only. Exception
  messages and local variables are never written, because they can hold what was typed.
- No core dumps (RLIMIT_CORE 0): a core file would hold the whole decrypted database in memory.
- faulthandler stays off: it would write raw stacks to stderr, outside this policy.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_NAME = "reviewday.log"
MAX_BYTES = 512 * 1024
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_handler: RotatingFileHandler | None = None


def default_log_dir() -> Path:
    from platformdirs import user_log_path

    return user_log_path("ReviewDay", appauthor=False)


def disable_core_dumps() -> None:
    try:
        import resource
    except ImportError:  # Windows: no core files to turn off
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass


def describe_exception(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """The exception's type and where it happened: never its message, never local variables."""
    frames = traceback.extract_tb(tb)
    lines = [f'  File "{Path(f.filename).name}", line {f.lineno}, in {f.name}' for f in frames]
    return f"{exc_type.__module__}.{exc_type.__qualname__}\n" + "\n".join(lines)


def _excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    logging.getLogger("reviewday.crash").error("unhandled exception %s", describe_exception(exc_type, tb))
    # Qt calls this for exceptions inside slots and carries on; tell the person on stderr without
    # the message (it can hold what was typed).
    print(f"reviewday: internal error ({exc_type.__name__}); details are in the log.", file=sys.stderr)


def setup_logging(log_dir: Path | None = None, *, level: int = logging.WARNING) -> Path:
    """Set up the log file, the crash hook and core-dump protection. Returns the log file's path.

    Safe to call more than once (later calls only return the path).
    """
    global _handler
    disable_core_dumps()
    if faulthandler.is_enabled():
        faulthandler.disable()
    sys.excepthook = _excepthook
    if _handler is not None:
        return Path(_handler.baseFilename)
    folder = Path(log_dir) if log_dir is not None else default_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    _handler = handler
    return path


def teardown_logging() -> None:
    """Undo setup_logging (tests)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
    sys.excepthook = sys.__excepthook__
