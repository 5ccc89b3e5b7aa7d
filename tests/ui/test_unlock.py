"""Unlocking at start: wrong passphrases meet rising delays that survive a restart; the recovery key."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.security import data_key as dk
from app.ui.unlock_dialog import UnlockDialog
from tests.ui.test_first_run import FakeKeyringStore

PASSPHRASE = "willow kettle orbit lantern"
NEW_PASSPHRASE = "harbour violet engine maple"


@pytest.fixture
def fast_kdf(monkeypatch):
    monkeypatch.setattr(dk, "DEFAULT_KDF", dk.ScryptParams(n=2**10, r=8, p=1))


@pytest.fixture
def encrypted(tmp_path, fast_kdf):
    """An encrypted database (no keyring); returns (path, recovery key)."""
    path = tmp_path / "locked.sqlite3"
    store, recovery = dk.open_database(path, passphrase=lambda _c: PASSPHRASE,
                                       keyring=dk.KeyringDataKeys(FakeKeyringStore(refuse=True)))
    store.close()
    return path, recovery


def _dialog(qtbot, path, clock) -> UnlockDialog:
    dialog = UnlockDialog(path, clock=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _try(qtbot, dialog, text: str) -> None:
    field = dialog.panel.passphrase
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_the_right_passphrase_gives_the_data_key(qtbot, encrypted, clock):
    path, _ = encrypted
    dialog = _dialog(qtbot, path, clock)
    assert not dialog.panel.unlock_button.isEnabled()  # nothing typed yet
    qtbot.keyClicks(dialog.panel.passphrase, PASSPHRASE)
    assert dialog.panel.unlock_button.isEnabled()
    dialog.panel.unlock_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dk.key_matches(path, dialog.data_key)
    assert dialog.panel.passphrase.text() == ""


def test_wrong_passphrases_meet_a_rising_delay_shown_as_a_countdown(qtbot, encrypted, clock):
    path, _ = encrypted
    dialog = _dialog(qtbot, path, clock)
    panel = dialog.panel
    for _ in range(dk.FREE_ATTEMPTS):
        _try(qtbot, dialog, "not the passphrase")
        assert panel.message.text() == "The passphrase is wrong."
        assert panel.countdown.isHidden() and panel.remaining_seconds() == 0
        assert dialog.isVisible()  # Enter tried the passphrase; it did not press Quit
    _try(qtbot, dialog, "still not it")
    assert panel.message.text() == "The passphrase is wrong."  # one message, not a pile
    assert not panel.countdown.isHidden()
    assert panel.countdown.text() == "Too many wrong passphrases. You can try again in 2 s."
    assert not panel.unlock_button.isEnabled()
    # Enter during the wait does not even try (the right passphrase included).
    _try(qtbot, dialog, PASSPHRASE)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dk.failed_attempts(path) == dk.FREE_ATTEMPTS + 1

    clock.advance(seconds=1)
    panel.refresh_countdown()
    assert panel.countdown.text() == "Too many wrong passphrases. You can try again in 1 s."
    assert not panel.unlock_button.isEnabled()
    clock.advance(seconds=1)
    panel.refresh_countdown()
    assert panel.countdown.isHidden() and panel.unlock_button.isEnabled()

    _try(qtbot, dialog, "wrong again")  # the fifth: 4 s
    assert panel.countdown.text() == "Too many wrong passphrases. You can try again in 4 s."
    clock.advance(seconds=4)
    panel.refresh_countdown()
    _try(qtbot, dialog, PASSPHRASE)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dk.failed_attempts(path) == 0  # success resets the count


def test_the_delay_survives_a_restart(qtbot, encrypted, clock):
    path, _ = encrypted
    first = _dialog(qtbot, path, clock)
    for _ in range(dk.FREE_ATTEMPTS + 2):
        _try(qtbot, first, "guess")
        clock.advance(seconds=first.panel.remaining_seconds())
    _try(qtbot, first, "guess")  # the sixth: 8 s
    first.close()
    clock.advance(seconds=3)

    # A new dialog, as after quitting and starting again: the wait is still there.
    second = _dialog(qtbot, path, clock)
    second.panel.passphrase.setText(PASSPHRASE)
    assert second.panel.remaining_seconds() == 5
    assert second.panel.countdown.text() == "Too many wrong passphrases. You can try again in 5 s."
    assert not second.panel.unlock_button.isEnabled()
    clock.advance(seconds=5)
    second.panel.refresh_countdown()
    assert second.panel.unlock_button.isEnabled()
    second.panel.unlock_button.click()
    assert second.result() == QDialog.DialogCode.Accepted


def test_the_recovery_key_unlocks_and_sets_a_new_passphrase(qtbot, encrypted, clock):
    path, recovery = encrypted
    dialog = _dialog(qtbot, path, clock)
    dialog.recovery_link.click()
    assert dialog.pages.currentIndex() == UnlockDialog.RECOVERY_PAGE

    qtbot.keyClicks(dialog.recovery_key, "ABCD-EFGH")
    dialog.new_passphrase.first.setText(NEW_PASSPHRASE)
    dialog.new_passphrase.second.setText(NEW_PASSPHRASE)
    dialog.recover_button.click()
    assert dialog.recovery_message.text().startswith("That is not a recovery key")
    assert dialog.result() != QDialog.DialogCode.Accepted

    dialog.recovery_key.setText(dk.new_recovery_key_text())  # well-formed, but another key
    dialog.recover_button.click()
    assert dialog.recovery_message.text() == "That recovery key does not open this database."

    # Typed in lower case with spaces: still the key.
    dialog.recovery_key.setText(recovery.lower().replace("-", " "))
    dialog.new_passphrase.second.setText("something else entirely")
    dialog.recover_button.click()
    assert dialog.recovery_message.text() == "The two passphrases are not the same."
    dialog.new_passphrase.second.setText(NEW_PASSPHRASE)
    dialog.recover_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.recovered and dk.key_matches(path, dialog.data_key)
    assert dialog.recovery_key.text() == ""

    # The new passphrase works from now on, the old one no longer.
    assert dk.key_matches(path, dk.unlock(path, NEW_PASSPHRASE, clock=clock))
    with pytest.raises(dk.WrongPassphraseError):
        dk.unlock(path, PASSPHRASE, clock=clock)


def test_back_from_the_recovery_page(qtbot, encrypted, clock):
    dialog = _dialog(qtbot, encrypted[0], clock)
    dialog.show_recovery()
    dialog.findChild(type(dialog.recover_button), "backToPassphrase").click()
    assert dialog.pages.currentIndex() == UnlockDialog.PASSPHRASE_PAGE


def test_a_damaged_key_file_is_one_sentence_and_no_unlock_button(qtbot, encrypted, clock):
    path, _ = encrypted
    dk.keys_path(path).write_text("{ not json")
    dialog = _dialog(qtbot, path, clock)
    dialog.panel.passphrase.setText(PASSPHRASE)
    assert dialog.panel.message.text() == (
        "The key file locked.sqlite3.keys is damaged, so the database cannot be unlocked with it.")
    assert not dialog.panel.unlock_button.isEnabled()


def test_ask_returns_none_when_the_user_quits(qtbot, encrypted, clock, monkeypatch):
    monkeypatch.setattr(UnlockDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert UnlockDialog.ask(None, encrypted[0], clock=clock) is None
