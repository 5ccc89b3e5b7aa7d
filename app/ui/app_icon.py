"""The ReviewDay window icon, from resources/icons (beside app/ in the source tree and the bundle)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

import app

ICON_DIR = Path(app.__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """Every rendered size of the icon; an empty icon when the files are not installed."""
    icon = QIcon()
    for size in SIZES:
        path = ICON_DIR / f"reviewday-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon
