"""Atomic file writes: a failure or a kill leaves the old file or none, never half a file."""

from __future__ import annotations

import os
import tempfile
from glob import escape as glob_escape
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from app.services.errors import StorageError


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[BinaryIO]:
    """Write to a temporary file beside `path`, fsync it, then rename it into place."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise StorageError(f"Cannot write {target.name}: the folder {folder} does not exist.")
    _discard_leftovers(folder, target.name)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise StorageError(_describe(target, exc)) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
        _fsync_folder(folder)
    except OSError as exc:
        _discard(temp_name)
        raise StorageError(_describe(target, exc)) from exc
    except BaseException:
        _discard(temp_name)
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_writer(path) as stream:
        stream.write(data)


def _discard_leftovers(folder: Path, name: str) -> None:
    """A run killed mid-write leaves its temporary file; it holds report text, so remove it now."""
    for leftover in folder.glob(f".{glob_escape(name)}.*.part"):
        _discard(str(leftover))


def _discard(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _describe(target: Path, exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return f"Cannot write {target.name}: the disk is full. The previous file, if any, is unchanged."
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"Cannot write {target.name}: the folder is read-only or not yours to write. Choose another folder."
    return f"Cannot write {target.name}: {exc.strerror or exc}."
