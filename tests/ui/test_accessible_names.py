"""Every visible interactive widget in the app has a name a screen reader can announce.

Opens the demo review, visits the review list, every part of the review (every tab in it), the
find panel and every dialog, and lists each unnamed widget by class and object-name path.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTabWidget, QWidget

from app.services.demo import seed_demo
from app.settings import Settings
from app.ui.main_window import MainWindow
from tests.conftest import REVIEW_DATE
from tests.ui.a11y_support import unnamed


@pytest.fixture
def window(qtbot, store):
    main = MainWindow(store, today=REVIEW_DATE, settings=Settings())
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def _check(root: QWidget, where: str, problems: dict[str, str]) -> None:
    """Check `root` as it is, then with each tab of each visible tab widget shown in turn."""
    for path in unnamed(root):
        problems.setdefault(path, where)
    for tabs in root.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        current = tabs.currentIndex()
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            for path in unnamed(tabs):
                problems.setdefault(path, f"{where}, tab {tabs.tabText(index)!r}")
        tabs.setCurrentIndex(current)


def _report(problems: dict[str, str]) -> str:
    return "\n".join(f"  {path}   (on {where})" for path, where in sorted(problems.items()))


def test_every_part_of_the_main_window_names_its_widgets(qtbot, window, store):
    problems: dict[str, str] = {}
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    window.show_review_list()
    _check(window, "the review list", problems)

    assert window.open_review(review_id)
    workspace = window.workspace
    for key in workspace.navigator_model.keys():
        if workspace.show_key(key):
            _check(window, f"part {key!r}", problems)
    workspace.show_section_number(1)
    workspace.open_find()
    _check(window, "the find panel", problems)
    assert not problems, "Interactive widgets without an accessible name:\n" + _report(problems)


def test_every_dialog_names_its_widgets(qtbot, window, store, tmp_path):
    from app.security.identities import IdentityStore
    from app.ui.about_box import AboutBox
    from app.ui.help_window import HelpWindow
    from app.ui.tracker_window import TrackerWindow
    from app.ui.workbook_dialog import WorkbookDialog
    from app.ui.export_dialog import ExportDialog
    from app.ui.first_run_dialog import FirstRunDialog
    from app.ui.identity_dialog import IdentityDialog
    from app.ui.lock_screen import LockScreen
    from app.ui.new_review_dialog import NewReviewDialog
    from app.ui.purge_dialog import PurgeDialog
    from app.ui.settings_dialog import SettingsDialog
    from app.ui.shortcuts_dialog import ShortcutsDialog
    from app.ui.signoff_dialogs import AmendmentDialog
    from app.ui.unlock_dialog import PassphrasePanel, UnlockDialog
    from app.ui.verify_window import VerifyWindow

    review_id = seed_demo(store, review_date=REVIEW_DATE)
    assert window.open_review(review_id)
    ctx = window.ctx
    db = tmp_path / "other.sqlite3"
    builders = {
        "new review": lambda: NewReviewDialog(window.registry, REVIEW_DATE, window),
        "export": lambda: ExportDialog(ctx, window, folder=tmp_path),
        "identity": lambda: IdentityDialog(IdentityStore(tmp_path / "ids"), ctx.actor, window),
        "verify": lambda: VerifyWindow(window),
        "unlock": lambda: UnlockDialog(db),
        "passphrase panel": lambda: PassphrasePanel(db),
        "lock screen": lambda: LockScreen(None),
        "first run": lambda: FirstRunDialog(db),
        "purge": lambda: PurgeDialog(ctx, tmp_path, window),
        "shortcuts": lambda: ShortcutsDialog(window.shortcut_list(), window),
        "amendment": lambda: AmendmentDialog(window),
        "preferences": lambda: SettingsDialog(window.settings, window, path=tmp_path / "settings.json"),
        "help": lambda: HelpWindow(window),
        "action tracker": lambda: TrackerWindow(store, REVIEW_DATE, window),
        "workbook": lambda: WorkbookDialog(window.registry, window),
        "about": lambda: AboutBox(store, window),
    }
    problems: dict[str, str] = {}
    for where, build in builders.items():
        dialog = build()
        qtbot.addWidget(dialog)
        dialog.show()
        _check(dialog, where, problems)
        dialog.close()
    window.preferences.show_plain_words()
    _check(window.preferences.plain_words_window, "the plain words view", problems)
    window.lock()
    _check(window, "the locked window", problems)
    assert not problems, "Interactive widgets without an accessible name:\n" + _report(problems)
