"""Enter does what the form is for, once it is ready: create the database, go on past the recovery
key, create a signing identity, sign. A button that cannot act yet is disabled, and says why."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.security import data_key as dk
from app.security.identities import IdentityStore
from app.services.dto import Actor
from app.ui.first_run_dialog import FirstRunDialog
from app.ui.identity_dialog import IdentityDialog
from tests.ui.test_first_run import PASSPHRASE, FakeKeyringStore

CHAIR = Actor("Morgan Ellis", "independent_chair")
PASS = "correct horse battery"
FAST_KDF = 20_000


@pytest.fixture
def fast_kdf(monkeypatch):
    monkeypatch.setattr(dk, "DEFAULT_KDF", dk.ScryptParams(n=2**10, r=8, p=1))


def enter(qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def first_run(qtbot, path) -> FirstRunDialog:
    dialog = FirstRunDialog(path, keyring=dk.KeyringDataKeys(FakeKeyringStore()))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_creates_the_database_once_the_passphrase_is_ready(qtbot, tmp_path, fast_kdf):
    dialog = first_run(qtbot, tmp_path / "first.sqlite3")
    fields = dialog.passphrase
    qtbot.keyClicks(fields.first, PASSPHRASE)
    qtbot.keyClicks(fields.second, "willow")
    assert not dialog.create_button.isEnabled()
    enter(qtbot, fields.second)  # not ready: nothing happens, and nothing is made
    assert dialog.pages.currentIndex() == dialog.PASSPHRASE_PAGE
    assert not dk.has_keys(tmp_path / "first.sqlite3")

    qtbot.keyClicks(fields.second, PASSPHRASE.removeprefix("willow"))
    assert dialog.create_button.isEnabled() and dialog.create_button.isDefault()
    enter(qtbot, fields.second)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == dialog.RECOVERY_PAGE)

    # The recovery key: Enter goes on only once the box is ticked.
    assert dialog.continue_button.isDefault() and not dialog.continue_button.isEnabled()
    enter(qtbot, dialog.written_down)
    assert dialog.isVisible() and dialog.store is None
    dialog.written_down.setChecked(True)
    enter(qtbot, dialog.written_down)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert dialog.store is not None
    dialog.store.close()


def identity_dialog(qtbot, ids) -> IdentityDialog:
    dialog = IdentityDialog(ids, CHAIR)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_in_the_new_identity_form_creates_it_when_ready(qtbot, tmp_path):
    ids = IdentityStore(tmp_path / "ids", kdf_iterations=FAST_KDF)
    dialog = identity_dialog(qtbot, ids)
    assert not dialog.create_button.isEnabled()
    assert "at least" in dialog.create_hint.text()  # why it cannot act yet

    qtbot.keyClicks(dialog.new_passphrase, PASS)
    qtbot.keyClicks(dialog.new_repeat, PASS + "x")
    assert not dialog.create_button.isEnabled()
    assert dialog.create_hint.text() == "The two passphrases are not the same."
    enter(qtbot, dialog.new_repeat)
    assert not dialog.is_busy() and ids.list() == []

    dialog.new_name.clear()
    dialog.new_repeat.setText(PASS)
    assert not dialog.create_button.isEnabled()
    assert dialog.create_hint.text() == "Type the name to put on the certificate."
    qtbot.keyClicks(dialog.new_name, "Morgan Ellis")
    assert dialog.create_button.isEnabled() and dialog.create_hint.text() == ""
    assert dialog.create_button.isDefault()
    enter(qtbot, dialog.new_repeat)
    qtbot.waitUntil(lambda: not dialog.is_busy() and len(ids.list()) == 1, timeout=10_000)

    # Created: the passphrase is filled in, Sign is the default, and Enter signs.
    assert dialog.ok_button.isEnabled() and dialog.ok_button.isDefault()
    enter(qtbot, dialog.passphrase)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert dialog.result_value()[0].name == "Morgan Ellis"


def test_enter_in_the_passphrase_field_signs(qtbot, tmp_path):
    ids = IdentityStore(tmp_path / "ids", kdf_iterations=FAST_KDF)
    ids.create("Morgan Ellis", "Independent chair", PASS)
    dialog = identity_dialog(qtbot, ids)
    assert not dialog.ok_button.isEnabled()
    enter(qtbot, dialog.passphrase)  # nothing typed: nothing happens
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.passphrase, PASS)
    assert dialog.ok_button.isDefault()
    enter(qtbot, dialog.passphrase)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert dialog.result_value() == (ids.get("Morgan Ellis"), PASS)


def test_the_default_button_follows_the_form_being_typed_in(qtbot, tmp_path):
    ids = IdentityStore(tmp_path / "ids", kdf_iterations=FAST_KDF)
    ids.create("Dr Priya Nair", "Clinical expert", PASS)
    dialog = identity_dialog(qtbot, ids)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.create_toggle.click()  # both forms on screen
    qtbot.waitUntil(dialog.new_passphrase.hasFocus)
    assert dialog.create_button.isDefault()
    dialog.passphrase.setFocus()
    qtbot.waitUntil(dialog.ok_button.isDefault)
    dialog.new_role.setFocus()
    qtbot.waitUntil(dialog.create_button.isDefault)
