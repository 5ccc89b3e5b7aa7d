"""Loading translations: every user-visible string goes through tr(), so a .qm file is enough.

Translations live beside this module in `translations/reviewday_<locale>.qm` (made from the .ts
files that `pyside6-lupdate` writes; see docs/translating.md). Qt's own strings (standard buttons,
context menus) come from the translations shipped with Qt. A missing file means English.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

FOLDER = Path(__file__).resolve().parent / "translations"

_installed: list[QTranslator] = []


def install_translators(app: QCoreApplication, locale: QLocale | None = None, folder: Path = FOLDER) -> list[str]:
    """Install ReviewDay's and Qt's translations for `locale` (default: the system's); returns what loaded."""
    remove_translators(app)
    locale = locale or QLocale.system()
    loaded = []
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
        loaded.append("qtbase")
    own = QTranslator(app)
    if own.load(locale, "reviewday", "_", str(folder)):
        app.installTranslator(own)
        _installed.append(own)
        loaded.append("reviewday")
    return loaded


def remove_translators(app: QCoreApplication) -> None:
    while _installed:
        app.removeTranslator(_installed.pop())
