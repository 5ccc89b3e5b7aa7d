"""The report opened for reading before sign-off: rendered into a private folder (only this user
may read it: $XDG_RUNTIME_DIR when there is one, else a 0700 temporary folder), opened in the
system's PDF viewer, and removed when the next preview replaces it or the app quits."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_FOLDERS: list[Path] = []


def private_folder() -> Path:
    """A new folder only this user can read (mkdtemp makes it 0700)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = runtime if runtime and os.path.isdir(runtime) and os.access(runtime, os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="reviewday-preview-", dir=base))
    os.chmod(folder, 0o700)
    _FOLDERS.append(folder)
    return folder


def render_preview(store, review_id: int, file_name: str, progress=None) -> Path:
    """Write the report as it stands now (the signed copy once signed) into a private folder."""
    from app.report import publish

    folder = private_folder()
    return publish.export_report(store, review_id, "pdf", folder / file_name, progress=progress)


def clean_up(keep: Path | None = None) -> None:
    """Remove the preview folders (all but the one holding `keep`)."""
    for folder in list(_FOLDERS):
        if keep is not None and keep.parent == folder:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        _FOLDERS.remove(folder)


atexit.register(clean_up)
