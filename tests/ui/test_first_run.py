"""First run: a passphrase typed twice, the encrypted database made, the recovery key kept safe."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from PySide6.QtWidgets import QDialog

from app.security import data_key as dk
from app.services import reviews
from app.ui.first_run_dialog import FirstRunDialog
from app.ui.unlock_dialog import MIN_LENGTH, UnlockDialog, passphrase_strength

PASSPHRASE = "willow kettle orbit lantern"
RECOVERY_PATTERN = re.compile(r"^([2-9A-HJKMNP-Z]{4}-){6}[2-9A-HJKMNP-Z]{4}$")


class FakeKeyringStore:
    """Stands in for KeyringStore: a dict, or (refuse=True) a computer without a keyring."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.secrets: dict[str, str] = {}

    def get(self, account: str) -> str | None:
        return self.secrets.get(account)

    def set(self, account: str, secret: str) -> bool:
        if self.refuse:
            return False
        self.secrets[account] = secret
        return True


@pytest.fixture
def fast_kdf(monkeypatch):
    monkeypatch.setattr(dk, "DEFAULT_KDF", dk.ScryptParams(n=2**10, r=8, p=1))


@pytest.fixture
def new_db(tmp_path):
    return tmp_path / "first.sqlite3"


def _dialog(qtbot, new_db, keyring_store):
    dialog = FirstRunDialog(new_db, keyring=dk.KeyringDataKeys(keyring_store))
    qtbot.addWidget(dialog)
    return dialog


def test_the_passphrase_must_be_long_enough_and_typed_twice(qtbot, new_db, fast_kdf):
    dialog = _dialog(qtbot, new_db, FakeKeyringStore())
    fields = dialog.passphrase
    assert not dialog.create_button.isEnabled()
    qtbot.keyClicks(fields.first, "short")
    assert f"At least {MIN_LENGTH} characters" in fields.hint.text()
    assert fields.problem() == f"The passphrase must have at least {MIN_LENGTH} characters."
    fields.first.setText(PASSPHRASE)
    qtbot.keyClicks(fields.second, "willow kettle")
    assert fields.problem() == "The two passphrases are not the same."
    assert "do not match yet" in fields.hint.text()
    assert not dialog.create_button.isEnabled()
    # Pressing create anyway (Enter on the default button) says why, and nothing is made.
    assert dialog.create() is False
    assert dialog.create_problem.text() == "The two passphrases are not the same."
    assert not new_db.exists() and not dk.has_keys(new_db)


def test_strength_hints_in_plain_words():
    assert passphrase_strength("aaaaaaaaaaaa")[0] == 1
    assert passphrase_strength("Tr0ub4dor&3x")[0] >= 2
    assert passphrase_strength(PASSPHRASE) == (3, "Strong.")


def test_creates_the_encrypted_database_and_shows_the_recovery_key_once(qtbot, new_db, fast_kdf):
    keyring_store = FakeKeyringStore()
    dialog = _dialog(qtbot, new_db, keyring_store)
    qtbot.keyClicks(dialog.passphrase.first, PASSPHRASE)
    qtbot.keyClicks(dialog.passphrase.second, PASSPHRASE)
    assert dialog.create_button.isEnabled()
    dialog.create_button.click()

    assert dialog.pages.currentIndex() == FirstRunDialog.RECOVERY_PAGE
    recovery = dialog.recovery_label.text()
    assert RECOVERY_PATTERN.match(recovery)
    # Made aside: nothing is at the database's place until the recovery key has been seen to.
    assert dialog.store is None and not new_db.exists() and not dk.has_keys(new_db)
    made = [p for p in new_db.parent.iterdir() if p.name.startswith(".first.sqlite3.new-")]
    assert len(made) == 2 and all(recovery not in p.read_bytes().decode("latin-1") for p in made)
    assert "keyring now remembers the key" in dialog.keyring_note.text()
    assert len(keyring_store.secrets) == 1
    assert dialog.passphrase.text() == ""  # not kept in the widget

    # Going on needs the tick; closing the dialog is not a way round it.
    assert not dialog.continue_button.isEnabled()
    dialog.show()
    dialog.reject()
    assert dialog.isVisible()
    assert dialog.reminder.isVisibleTo(dialog)
    dialog.finish()
    assert dialog.isVisible()
    dialog.written_down.click()
    assert dialog.continue_button.isEnabled()
    dialog.continue_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.recovery_label.text() == ""
    assert dialog.store is not None and dialog.store.is_encrypted
    assert new_db.exists() and dk.has_keys(new_db)
    assert recovery not in dk.keys_path(new_db).read_text()  # never written down by us
    assert [p.name for p in new_db.parent.iterdir() if p.name.startswith(".")] == []

    # The database works, the recovery key opens it, the passphrase too.
    store = dialog.store
    try:
        assert reviews.list_reviews(store) == []
    finally:
        store.close()
    assert dk.key_matches(new_db, dk.unlock_with_recovery_key(new_db, recovery))
    assert dk.key_matches(new_db, dk.unlock(new_db, PASSPHRASE, clock=lambda: datetime.now()))


def test_without_a_keyring_the_user_is_told_it_will_ask_each_time(qtbot, new_db, fast_kdf):
    dialog = _dialog(qtbot, new_db, FakeKeyringStore(refuse=True))
    dialog.passphrase.first.setText(PASSPHRASE)
    dialog.passphrase.second.setText(PASSPHRASE)
    assert dialog.create() is True
    assert "no keyring" in dialog.keyring_note.text()
    assert "ask for the passphrase each time" in dialog.keyring_note.text()


def test_a_failure_to_create_is_one_sentence_and_leaves_nothing(qtbot, tmp_path, fast_kdf):
    target = tmp_path / "first.sqlite3"
    dk.keys_path(target).write_text("someone else's keys")  # an existing key file is never replaced
    dialog = _dialog(qtbot, target, FakeKeyringStore())
    dialog.passphrase.first.setText(PASSPHRASE)
    dialog.passphrase.second.setText(PASSPHRASE)
    assert dialog.create() is False
    assert dialog.create_problem.text() == "The database first.sqlite3 already has a key file; nothing was changed."
    assert dialog.store is None and not target.exists()
    assert dk.keys_path(target).read_text() == "someone else's keys"


def test_the_recovery_key_prints_on_one_page(qtbot, new_db, fast_kdf, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    dialog = _dialog(qtbot, new_db, FakeKeyringStore())
    dialog.passphrase.first.setText(PASSPHRASE)
    dialog.passphrase.second.setText(PASSPHRASE)
    assert dialog.create()
    assert dialog.recovery_label.text() in dialog.recovery_document_html()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    dialog.print_to(printer)
    assert out.read_bytes().startswith(b"%PDF")


# -- open_database_for_gui: which dialog, when ---------------------------------------------------


def test_gui_start_on_a_new_file_asks_the_first_run_dialog(qapp, new_db, monkeypatch):
    from app.ui.app import open_database_for_gui

    monkeypatch.delenv("REVIEWDAY_PASSPHRASE", raising=False)
    calls = []
    monkeypatch.setattr(FirstRunDialog, "ask",
                        classmethod(lambda cls, parent, path, keyring=None: calls.append(path) or None))
    assert open_database_for_gui(str(new_db), interactive=True) is None  # the user quit
    assert calls == [new_db]
    assert not new_db.exists()


def test_gui_start_on_an_encrypted_file_asks_the_unlock_dialog_unless_the_keyring_knows(
        qapp, new_db, monkeypatch, fast_kdf):
    from app.ui.app import open_database_for_gui

    monkeypatch.delenv("REVIEWDAY_PASSPHRASE", raising=False)
    store, _ = dk.open_database(new_db, passphrase=lambda _c: PASSPHRASE,
                                keyring=dk.KeyringDataKeys(FakeKeyringStore(refuse=True)))
    store.close()
    asked = []

    def unlock(cls, parent, path, clock=None):
        asked.append(path)
        return dk.unlock(path, PASSPHRASE, clock=lambda: datetime.now())

    monkeypatch.setattr(UnlockDialog, "ask", classmethod(unlock))
    keyring_store = FakeKeyringStore()
    opened = open_database_for_gui(str(new_db), interactive=True, keyring=dk.KeyringDataKeys(keyring_store))
    assert opened is not None and opened.is_encrypted
    opened.close()
    assert asked == [new_db]
    # Now remembered: the next start does not ask.
    opened = open_database_for_gui(str(new_db), interactive=True, keyring=dk.KeyringDataKeys(keyring_store))
    opened.close()
    assert asked == [new_db]
    # Quitting the unlock dialog opens nothing.
    monkeypatch.setattr(UnlockDialog, "ask", classmethod(lambda cls, parent, path, clock=None: None))
    assert open_database_for_gui(str(new_db), interactive=True,
                                 keyring=dk.KeyringDataKeys(FakeKeyringStore())) is None


def test_a_first_run_stopped_at_the_recovery_key_leaves_nothing_and_the_next_start_begins_again(
        qtbot, new_db, fast_kdf, monkeypatch):
    """The app killed while the recovery key is on screen (here: the dialog simply abandoned, its
    pair never put in place): nothing is at the database's place, and the next start clears the
    half-made pair away and asks again."""
    from app.ui.app import open_database_for_gui

    dialog = _dialog(qtbot, new_db, FakeKeyringStore())
    dialog.passphrase.first.setText(PASSPHRASE)
    dialog.passphrase.second.setText(PASSPHRASE)
    assert dialog.create()
    dialog._release_lock()  # as the end of the process would
    assert not new_db.exists() and not dk.has_keys(new_db)
    assert [p for p in new_db.parent.iterdir() if p.name.startswith(".")]  # the half-made pair

    asked = []
    monkeypatch.delenv("REVIEWDAY_PASSPHRASE", raising=False)
    monkeypatch.setattr(FirstRunDialog, "ask",
                        classmethod(lambda cls, parent, path, keyring=None: asked.append(path) or None))
    assert open_database_for_gui(str(new_db), interactive=True) is None
    assert asked == [new_db]
    assert list(new_db.parent.iterdir()) == []
