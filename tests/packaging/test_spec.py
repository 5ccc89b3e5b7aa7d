"""The PyInstaller spec ships every file the app reads at run time, and only the Qt it uses."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import app
from tests.packaging.support import PACKAGING, ROOT, load

bundle_data = load("bundle_data")
SPEC = PACKAGING / "reviewday.spec"


def _shipped() -> dict[str, str]:
    """Bundled file (relative to the repository) -> its folder inside the bundle."""
    return {Path(src).relative_to(ROOT).as_posix(): dest for src, dest in bundle_data.data_files(ROOT)}


def _tracked_data_files() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("git is not available to list the tracked files")
    listed = subprocess.run(
        ["git", "ls-files", "--", "app", "resources", "docs/user-guide.md"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    # A file deleted in the working tree but not yet in git's index is not shipped, rightly.
    return [name for name in listed if not name.endswith(".py") and (ROOT / name).is_file()]


def test_every_tracked_non_python_file_is_shipped_at_its_own_path():
    shipped = _shipped()
    tracked = _tracked_data_files()
    assert tracked, "git lists no data files at all"
    missing = [name for name in tracked if name not in shipped]
    assert missing == []
    for name in tracked:  # Path(__file__)-relative lookups need the same folder inside the bundle
        assert shipped[name] == str(Path(name).parent)


def test_the_files_the_app_loads_are_shipped():
    shipped = _shipped()
    expected = [
        "app/kloe/schema.json",
        "app/kloe/templates/validated.json",
        "app/migrations/script.py.mako",
        "app/report/fonts/LiberationSans-Regular.ttf",
        "app/report/fonts/LiberationSans-Bold.ttf",
        "resources/icons/reviewday.svg",
        "resources/icons/reviewday-256.png",
    ]
    expected += [p.relative_to(ROOT).as_posix() for p in (ROOT / "app/kloe/templates").glob("*.toml")]
    assert [name for name in expected if name not in shipped] == []


def test_alembic_sources_ship_as_files_because_alembic_reads_them_from_disk():
    shipped = _shipped()
    revisions = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app/migrations/versions").glob("*.py"))
    assert revisions, "no migration revisions found"
    assert [name for name in revisions + ["app/migrations/env.py"] if name not in shipped] == []


def test_no_python_caches_or_other_code_are_shipped_as_data():
    for name in _shipped():
        assert "__pycache__" not in name
        assert not name.endswith((".pyc", ".pyo"))
        if name.endswith(".py"):
            assert name.startswith("app/migrations/")


def test_data_files_skip_caches(tmp_path):
    (tmp_path / "app" / "kloe" / "__pycache__").mkdir(parents=True)
    (tmp_path / "app" / "kloe" / "__pycache__" / "loader.cpython-311.pyc").write_bytes(b"x")
    (tmp_path / "app" / "kloe" / "loader.py").write_text("")
    (tmp_path / "app" / "kloe" / "schema.json").write_text("{}")
    (tmp_path / "resources" / "icons").mkdir(parents=True)
    (tmp_path / "resources" / "icons" / "a.png").write_bytes(b"png")
    files = bundle_data.data_files(tmp_path)
    assert files == [
        (str(tmp_path / "app/kloe/schema.json"), "app/kloe"),
        (str(tmp_path / "resources/icons/a.png"), "resources/icons"),
    ]


def test_spec_is_valid_python_and_takes_its_lists_from_bundle_data():
    text = SPEC.read_text(encoding="utf-8")
    ast.parse(text)
    assert "datas=bundle_data.data_files(ROOT)" in text
    assert "bundle_data.EXCLUDED_QT_MODULES" in text
    assert "bundle_data.DROPPED_QT_PLUGINS" in text
    assert 'name="ReviewDay"' in text
    assert "COLLECT(" in text and "BUNDLE(" in text  # one folder; an .app on macOS
    assert "reviewday.ico" in text and "reviewday.icns" in text


def test_no_qt_module_the_app_imports_is_excluded():
    used = set()
    for path in (ROOT / "app").rglob("*.py"):
        used.update(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    assert used & set(bundle_data.EXCLUDED_QT_MODULES) == set()
    for heavy in ("QtQuick", "QtQml", "QtWebEngineCore", "Qt3DCore", "QtMultimedia"):
        assert heavy in bundle_data.EXCLUDED_QT_MODULES


def test_the_gtk3_theme_plugin_is_left_out():
    assert "platformthemes/libqgtk3" in bundle_data.DROPPED_QT_PLUGINS
    assert not any(name.startswith(("platforms/libqxcb", "platforms/libqwayland", "platforms/libqoffscreen"))
                   for name in bundle_data.DROPPED_QT_PLUGINS)


def test_versions_agree():
    assert bundle_data.project_version(ROOT) == bundle_data.app_version(ROOT) == app.__version__


def test_app_version_needs_a_declaration(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text('"""No version here."""\n')
    with pytest.raises(ValueError, match="declares no __version__"):
        bundle_data.app_version(tmp_path)
