"""Help → About ReviewDay: the version, the licence, the Qt version and where the data is kept."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from app import __version__


def licence() -> str:
    """The licence named in the package metadata (pyproject's `license`), or the source tree's pyproject."""
    from importlib import metadata

    try:
        meta = metadata.metadata("reviewday")
        named = meta.get("License-Expression") or meta.get("License")
        if named:
            return named
    except metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        import tomllib

        value = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["license"]
        return value["text"] if isinstance(value, dict) else str(value)
    except (OSError, KeyError, ValueError):
        return QCoreApplication.translate("AboutBox", "see the LICENSE file that came with ReviewDay")


def data_location(store) -> str:
    """The database file, or (for a server database) its address without any password."""
    from app.ui.lock_screen import database_file

    path = database_file(store)
    if path is not None:
        return str(path.resolve())
    return store.engine.url.render_as_string(hide_password=True)


def about_text(store) -> str:
    tr = lambda text: QCoreApplication.translate("AboutBox", text)  # noqa: E731
    rows = [
        (tr("Version"), __version__),
        (tr("Licence"), licence()),
        (tr("Data stored in"), data_location(store)),
        (tr("Qt version"), f"{qVersion()} (PySide6 {pyside_version})"),
    ]
    lines = "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(v)}</td></tr>" for k, v in rows)
    return (f"<h3>ReviewDay {escape(__version__)}</h3>"
            f"<p>{escape(tr('Offline notes, reports and actions for Care (Education) and Treatment Review days.'))}</p>"
            f"<table>{lines}</table>"
            f"<p>{escape(tr('Everything stays on this computer unless you export it.'))}</p>")


class AboutBox(QMessageBox):
    """Window-modal, opened without blocking (so tests and screen readers can reach it)."""

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutBox")
        self.setWindowTitle(self.tr("About ReviewDay"))
        self.setIcon(QMessageBox.Icon.Information)
        self.setTextFormat(self.textFormat().RichText)
        self.setText(about_text(store))
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.setAccessibleName(self.tr("About ReviewDay"))
        self.setAccessibleDescription(self.tr("The version, licence, Qt version and where the data is kept."))
