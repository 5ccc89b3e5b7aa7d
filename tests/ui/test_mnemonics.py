"""Alt+letter reaches one thing only: no field or button mnemonic on a page repeats another on the
same page or one of the menu bar's (Alt+H opens Help, never a field called "W&hy")."""

from __future__ import annotations

from collections import defaultdict

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar, QWidget

from tests.ui.conftest import settle

PAGES = ("setup", "people", "agenda", "headline", "actions", "signoff", "audit")


def mnemonic(text: str) -> str:
    """The letter Alt reaches in `text` ('&&' is a plain ampersand), or ''."""
    return QKeySequence.mnemonic(text).toString().removeprefix("Alt+").upper()


def menu_mnemonics(window) -> dict[str, str]:
    return {mnemonic(action.text()): action.text() for action in window.menuBar().actions() if mnemonic(action.text())}


def page_mnemonics(root: QWidget, *, shown_only: bool = True) -> dict[str, list[str]]:
    """Each letter and the texts that use it, for the widgets shown in `root` (or all of them:
    a field the page shows later must not clash either)."""
    found: dict[str, list[str]] = defaultdict(list)

    def add(text: str, widget: QWidget) -> None:
        key = mnemonic(text)
        if key:
            found[key].append(f"{text!r} ({type(widget).__name__} {widget.objectName()})")

    for widget in root.findChildren(QWidget):
        if shown_only and not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), widget)
        elif isinstance(widget, QAbstractButton) and not widget.parent().inherits("QTabBar"):
            add(widget.text(), widget)
        elif isinstance(widget, QGroupBox):
            add(widget.title(), widget)
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if widget.isTabVisible(i) and widget.isTabEnabled(i):
                    add(widget.tabText(i), widget)
    return found


def clashes(window, root: QWidget | None = None, *, shown_only: bool = True) -> list[str]:
    menus = menu_mnemonics(window)
    problems = []
    for key, texts in page_mnemonics(root or window.centralWidget(), shown_only=shown_only).items():
        if key in menus:
            problems.append(f"Alt+{key}: menu {menus[key]!r} and {', '.join(texts)}")
        elif len(texts) > 1:
            problems.append(f"Alt+{key}: {', '.join(texts)}")
    return problems


def test_mnemonic_reads_the_letter_after_the_ampersand():
    assert mnemonic("W&hy") == "H"
    assert mnemonic("Fish && chips") == ""
    assert mnemonic("Plain") == ""


def test_the_menu_bar_has_its_own_letters(chair_window):
    window = chair_window(open_review=False)
    assert set(menu_mnemonics(window)) == {"F", "E", "V", "G", "R", "H"}


def test_the_review_list_has_no_mnemonic_clashes(chair_window):
    window = chair_window(open_review=False)
    window.show_review_list()
    settle()
    problems = clashes(window)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key", [*PAGES, "section:safety", "section:lts"])
def test_no_mnemonic_on_a_page_clashes_with_the_menus_or_another(chair_window, key):
    window = chair_window()
    workspace = window.workspace
    if key.startswith("section:"):
        assert workspace.show_section(key.removeprefix("section:"))
    else:
        assert workspace.show_key(key)
    settle()
    problems = clashes(window)
    assert not problems, "\n".join(problems)
    # What the page shows only at times (an action's editor, the escalation questions) too.
    problems = clashes(window, workspace.current_page(), shown_only=False)
    assert not problems, "\n".join(problems)


def dialog_clashes(dialog) -> list[str]:
    return [f"Alt+{key}: {', '.join(texts)}" for key, texts in page_mnemonics(dialog).items() if len(texts) > 1]


def test_the_signing_identity_dialog_has_no_mnemonic_clashes(qtbot, tmp_path):
    from app.security.identities import IdentityStore
    from app.services.dto import Actor
    from app.ui.identity_dialog import IdentityDialog

    ids = IdentityStore(tmp_path / "ids", kdf_iterations=20_000)
    ids.create("Morgan Ellis", "Independent chair", "correct horse battery")
    dialog = IdentityDialog(ids, Actor("Morgan Ellis", "independent_chair"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_create()  # the passphrase to sign with and the new identity's form, both on screen
    problems = dialog_clashes(dialog)
    assert not problems, "\n".join(problems)


def test_the_first_run_and_new_review_dialogs_have_no_mnemonic_clashes(qtbot, tmp_path):
    from app.kloe import TemplateRegistry
    from app.ui.first_run_dialog import FirstRunDialog
    from app.ui.new_review_dialog import NewReviewDialog
    from tests.conftest import REVIEW_DATE

    for dialog in (FirstRunDialog(tmp_path / "new.sqlite3"), NewReviewDialog(TemplateRegistry.default(), REVIEW_DATE)):
        qtbot.addWidget(dialog)
        dialog.show()
        problems = dialog_clashes(dialog)
        assert not problems, "\n".join(problems)
