"""Only app/ui may import Qt; the domain stays testable and reusable without a GUI."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_qt_outside_app_ui():
    offenders = []
    for path in APP.rglob("*.py"):
        relative = path.relative_to(APP)
        if relative.parts[0] == "ui" or relative.name in ("cli.py",):
            continue
        bad = {name for name in _imports(path) if name.split(".")[0] in QT_MODULES}
        if bad:
            offenders.append(f"{relative}: {sorted(bad)}")
    assert offenders == []


def test_services_do_not_import_the_ui():
    offenders = [
        str(path.relative_to(APP))
        for package in ("services", "models", "kloe", "migrations")
        for path in (APP / package).rglob("*.py")
        if any(name.startswith("app.ui") for name in _imports(path))
    ]
    assert offenders == []


def test_the_architecture_check_itself_catches_a_leak(tmp_path):
    leaky = tmp_path / "leaky.py"
    leaky.write_text("from PySide6.QtCore import QObject\n")
    assert "PySide6.QtCore" in _imports(leaky)
