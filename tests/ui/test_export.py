"""The export dialog: every format written off the UI thread; bad folders and failed writes say so once."""

from __future__ import annotations

import errno
import tempfile

import pytest

from app.report import atomic, publish
from app.services.demo import seed_demo
from app.ui import export_dialog
from app.ui.context import ReviewContext
from app.ui.export_dialog import ExportDialog, FolderDialog
from tests.conftest import REVIEW_DATE

MAGIC = {"pdf": b"%PDF-", "easyread": b"%PDF-", "docx": b"PK", "xlsx": b"PK", "audit": "\ufeffWhen".encode()}


@pytest.fixture
def demo_ctx(store):
    return ReviewContext(store, seed_demo(store, review_date=REVIEW_DATE))


@pytest.fixture
def small_ctx(store, consented_review):
    return ReviewContext(store, consented_review.id)


def make_dialog(qtbot, ctx, folder):
    dialog = ExportDialog(ctx, folder=folder)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def opened(monkeypatch):
    paths = []
    monkeypatch.setattr(export_dialog, "open_in_system", lambda path: paths.append(path) or True)
    return paths


def fail_writes_into(monkeypatch, folder, code, only_suffix=""):
    """Make the OS refuse new files in `folder` (as a read-only or full disk does)."""
    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        target_dir = str(kwargs.get("dir", ""))
        if target_dir == str(folder) and kwargs.get("prefix", "").endswith(only_suffix + "."):
            raise OSError(code, "refused by the test")
        return real(*args, **kwargs)

    monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp)


def test_exports_every_format_off_the_ui_thread(qtbot, demo_ctx, tmp_path, opened):
    out = tmp_path / "out"
    out.mkdir()
    dialog = make_dialog(qtbot, demo_ctx, out)
    assert dialog.chosen_formats() == list(publish.FORMATS)  # every format by default
    names = {fmt: publish.default_file_name(demo_ctx.store, demo_ctx.review_id, fmt) for fmt in publish.FORMATS}
    assert dialog.names["easyread"].text() == names["easyread"] == "2026-11-20-A-K-easy-read.pdf"
    assert "not signed yet" in dialog.intro.text()

    assert dialog.export()
    assert dialog.is_busy() and dialog.progress.isVisible() and not dialog.folder.isEnabled()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=15_000)

    for fmt, name in names.items():
        data = (out / name).read_bytes()
        assert data.startswith(MAGIC[fmt]), fmt
    assert not list(out.glob(".*.part"))  # no temporary files left behind
    assert not dialog.problem.isVisible() and dialog.results.isVisible()
    assert set(dialog.open_buttons) == set(publish.FORMATS)
    dialog.open_buttons["easyread"].click()
    dialog.open_folder_button.click()
    assert opened == [out / names["easyread"], out]
    # Exporting again says the files will be replaced.
    dialog.refresh()
    assert dialog.names["pdf"].text().endswith("(replaces the file there)")


def test_a_missing_folder_is_one_clear_message_and_nothing_starts(qtbot, small_ctx, tmp_path, monkeypatch):
    dialog = make_dialog(qtbot, small_ctx, tmp_path / "gone")
    assert dialog.export() is False
    assert dialog.problem.text() == f"The folder {tmp_path / 'gone'} does not exist. Choose another folder."
    assert not dialog.is_busy()
    # Choosing a folder goes through the dialog's seam and fixes it.
    monkeypatch.setattr(FolderDialog, "ask", classmethod(lambda cls, parent, start: tmp_path))
    dialog.choose_button.click()
    assert dialog.chosen_folder() == tmp_path


def test_a_read_only_folder_gives_one_message_for_all_files(qtbot, small_ctx, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    fail_writes_into(monkeypatch, out, errno.EROFS)
    dialog = make_dialog(qtbot, small_ctx, out)
    assert dialog.export()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=15_000)
    assert dialog.problem.isVisible()
    text = dialog.problem.text()
    assert text.startswith(f"{len(publish.FORMATS)} files were not written (")
    assert text.endswith("the folder is read-only or not yours to write. Choose another folder.")
    assert not dialog.results.isVisible() and list(out.iterdir()) == []


def test_one_failed_file_does_not_stop_the_others(qtbot, small_ctx, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    fail_writes_into(monkeypatch, out, errno.ENOSPC, only_suffix=".xlsx")
    dialog = make_dialog(qtbot, small_ctx, out)
    dialog.checks["easyread"].setChecked(False)
    dialog.checks["audit"].setChecked(False)
    assert dialog.export()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=15_000)
    xlsx = publish.default_file_name(small_ctx.store, small_ctx.review_id, "xlsx")
    assert dialog.problem.text() == (f"Cannot write {xlsx}: the disk is full. The previous file, if any, is unchanged. "
                                     "The other files were written.")
    assert set(dialog.open_buttons) == {"pdf", "docx"}
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".pdf"]


def test_nothing_chosen_means_nothing_to_export(qtbot, small_ctx, tmp_path):
    dialog = make_dialog(qtbot, small_ctx, tmp_path)
    for check in dialog.checks.values():
        check.setChecked(False)
    assert not dialog.export_button.isEnabled()
    assert dialog.export() is False and dialog.problem.text() == "Choose at least one thing to export."


def test_main_window_file_menu_opens_export_and_verify(qtbot, store, consented_review):
    from PySide6.QtGui import QAction

    from app.ui.main_window import MainWindow
    from app.ui.verify_window import VerifyWindow

    window = MainWindow(store, today=REVIEW_DATE)
    qtbot.addWidget(window)
    export_action = window.findChild(QAction, "export")
    verify_action = window.findChild(QAction, "verify")
    assert export_action.shortcut().toString() == "Ctrl+E"
    # Verifying needs no review; exporting does.
    assert verify_action.isEnabled() and not export_action.isEnabled()
    verify_action.trigger()
    assert isinstance(window.verify_window, VerifyWindow) and window.verify_window.isVisible()

    assert window.open_review(consented_review.id)
    assert export_action.isEnabled()
    export_action.trigger()
    assert isinstance(window.export_dialog, ExportDialog) and window.export_dialog.isVisible()
    assert not window.export_dialog.isModal()
    assert window.close_review() and window.export_dialog is None
