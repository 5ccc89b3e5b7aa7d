"""Auto-lock and Ctrl+L: the draft is saved first, nothing personal is visible, the passphrase unlocks."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.models.enums import ConsentBasis
from app.security import data_key as dk
from app.services import drafts, people, reviews
from app.services.dto import ReviewSetup
from app.settings import Settings, SettingsError, load_settings, save_settings
from app.ui.capture_bar import draft_key
from app.ui.idle_lock import IdleLock
from app.ui.main_window import MainWindow
from tests.conftest import REVIEW_DATE
from tests.ui.test_first_run import FakeKeyringStore

PASSPHRASE = "willow kettle orbit lantern"
PSEUDONYM = "Q.Z."
HOSPITAL = "Quillfeather House"


@pytest.fixture
def fast_kdf(monkeypatch):
    monkeypatch.setattr(dk, "DEFAULT_KDF", dk.ScryptParams(n=2**10, r=8, p=1))


def _seed(store, actor) -> int:
    setup = ReviewSetup(template_id="icetr", person_label=PSEUDONYM, review_date=REVIEW_DATE,
                        hospital=HOSPITAL, ward="Willow Ward")
    review = reviews.create_review(store, setup, actor)
    people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    return review.id


@pytest.fixture
def encrypted_store(tmp_path, fast_kdf, clock):
    path = tmp_path / "locked.sqlite3"
    store, _ = dk.open_database(path, passphrase=lambda _c: PASSPHRASE, store_clock=clock,
                                keyring=dk.KeyringDataKeys(FakeKeyringStore(refuse=True)))
    yield store
    store.close()


def _window(qtbot, store, clock, minutes=10) -> MainWindow:
    window = MainWindow(store, today=REVIEW_DATE, settings=Settings(auto_lock_minutes=minutes), clock=clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _visible_texts(window: QWidget) -> list[str]:
    """Everything a person could read in the window: labels, fields, lists and tables, the title."""
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # list models keep columnCount private: one column
                columns = 1
            for row in range(model.rowCount(QModelIndex())):
                for column in range(columns):
                    texts.append(str(model.index(row, column).data() or ""))
    return texts


def _mentions(texts: list[str], *words: str) -> bool:
    return any(word in text for text in texts for word in words)


def test_idle_locks_after_the_limit_with_the_draft_saved_and_nothing_personal_shown(
        qtbot, encrypted_store, actor, clock):
    review_id = _seed(encrypted_store, actor)
    window = _window(qtbot, encrypted_store, clock)
    assert window.open_review(review_id)
    workspace = window.workspace
    section_id = window.ctx.template.sections[0].id
    assert workspace.show_section(section_id)
    page = workspace.current_page()
    field = page.capture_bar.findChild(QPlainTextEdit, "captureField")
    qtbot.keyClicks(field, "Keeps a diary of good days")
    assert _mentions(_visible_texts(window), PSEUDONYM)  # the walker does see it while unlocked
    assert drafts.get_draft(encrypted_store, review_id, draft_key(section_id)) == ""  # still debounced

    clock.advance(minutes=9, seconds=59)
    assert window.screen_lock.idle.check() is False
    assert not window.screen_lock.is_locked
    clock.advance(seconds=2)
    assert window.screen_lock.idle.check() is True
    assert window.screen_lock.is_locked

    # Saved before locking.
    assert drafts.get_draft(encrypted_store, review_id, draft_key(section_id)) == "Keeps a diary of good days"
    # Nothing personal anywhere in the window.
    texts = _visible_texts(window)
    assert window.windowTitle() == "ReviewDay"
    assert not _mentions(texts, PSEUDONYM, HOSPITAL, "diary")
    assert window.centralWidget().objectName() == "lockScreen"
    assert not window.menuBar().isVisible()
    assert not window.findChild(QAction, "export").isEnabled()

    # A wrong passphrase: one message; after the free tries, a countdown.
    panel = window.screen_lock.screen.panel
    for _ in range(dk.FREE_ATTEMPTS + 1):
        panel.passphrase.setText("not the passphrase")
        panel.try_unlock()
    assert panel.message.text() == "The passphrase is wrong."
    assert panel.countdown.text() == "Too many wrong passphrases. You can try again in 2 s."
    assert not panel.unlock_button.isEnabled()
    assert window.screen_lock.is_locked
    clock.advance(seconds=2)
    panel.refresh_countdown()

    # The right one: back where they were, the same review, page and typed text.
    qtbot.keyClicks(panel.passphrase, PASSPHRASE)
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    assert not window.screen_lock.is_locked
    assert window.centralWidget() is window.pages
    assert window.workspace is workspace and workspace.current_page() is page
    assert field.toPlainText() == "Keeps a diary of good days"
    assert window.windowTitle().startswith(PSEUDONYM)
    assert window.menuBar().isVisible() and window.findChild(QAction, "export").isEnabled()
    assert window.screen_lock.idle.is_active()


def test_input_keeps_the_window_unlocked(qtbot, encrypted_store, actor, clock):
    _seed(encrypted_store, actor)
    window = _window(qtbot, encrypted_store, clock, minutes=1)
    clock.advance(seconds=50)
    qtbot.keyClick(window, Qt.Key.Key_Shift)  # any key press counts
    clock.advance(seconds=50)
    assert window.screen_lock.idle.check() is False
    clock.advance(seconds=11)
    assert window.screen_lock.idle.check() is True
    assert window.screen_lock.is_locked
    # While locked, the idle check does not lock again.
    clock.advance(minutes=5)
    assert window.screen_lock.idle.check() is False


def test_ctrl_l_locks_the_review_list_too(qtbot, encrypted_store, actor, clock):
    _seed(encrypted_store, actor)
    window = _window(qtbot, encrypted_store, clock)
    window.show_review_list()
    assert _mentions(_visible_texts(window), PSEUDONYM)
    lock_action = window.findChild(QAction, "lock")
    assert lock_action.shortcut().toString() == "Ctrl+L"
    assert ("Ctrl+L", "Lock") in window.shortcut_list()
    lock_action.trigger()
    assert window.screen_lock.is_locked
    assert not _mentions(_visible_texts(window), PSEUDONYM, HOSPITAL)
    assert window.lock() is False  # already locked
    panel = window.screen_lock.screen.panel
    panel.passphrase.setText(PASSPHRASE)
    panel.unlock_button.click()
    assert not window.screen_lock.is_locked
    assert _mentions(_visible_texts(window), PSEUDONYM)


def test_other_windows_of_the_review_hide_while_locked(qtbot, encrypted_store, actor, clock):
    review_id = _seed(encrypted_store, actor)
    window = _window(qtbot, encrypted_store, clock)
    window.open_review(review_id)
    window.show_export()
    assert window.export_dialog.isVisible()
    window.lock()
    assert not window.export_dialog.isVisible()
    window.screen_lock.unlock()
    assert window.export_dialog.isVisible()


def test_a_database_without_a_passphrase_still_hides_everything(qtbot, store, review, clock):
    window = _window(qtbot, store, clock)
    window.open_review(review.id)
    window.lock()
    screen = window.screen_lock.screen
    assert screen.panel is None and screen.unlock_button is not None
    hint = screen.findChild(QLabel, "lockHint").text()
    assert "no passphrase" in hint and "Locking still hides everything" in hint
    assert not _mentions(_visible_texts(window), review.setup.person_label, "Riverside")
    screen.unlock_button.click()
    assert not window.screen_lock.is_locked
    assert _mentions(_visible_texts(window), review.setup.person_label)


def test_idle_lock_ignores_nothing_but_input(qapp, clock):
    idle = IdleLock(1, clock=clock)
    fired = []
    idle.idle.connect(lambda: fired.append(True))
    clock.advance(seconds=59)
    assert idle.check() is False
    clock.advance(seconds=1)
    assert idle.check() is True and fired == [True]
    assert idle.check() is False  # once
    idle.set_active(True)
    assert idle.idle_seconds() == 0
    idle.set_minutes(2)
    clock.advance(seconds=90)
    assert idle.check() is False
    idle.stop()
    QApplication.processEvents()


# -- settings --------------------------------------------------------------------------------------


def test_settings_defaults_and_round_trip(tmp_path):
    path = tmp_path / "config" / "settings.json"
    loaded = load_settings(path)
    assert loaded.settings == Settings() and loaded.settings.auto_lock_minutes == 10
    assert loaded.message is None
    save_settings(Settings(auto_lock_minutes=5), path)
    assert load_settings(path).settings.auto_lock_minutes == 5
    document = json.loads(path.read_text())
    assert {key: document["settings"][key] for key in ("auto_lock_minutes", "retention_days")} == {
        "auto_lock_minutes": 5, "retention_days": None}


@pytest.mark.parametrize("bad", [0, 61, -5, "ten", 2.5, True, None])
def test_settings_refuse_bad_values(bad):
    with pytest.raises(SettingsError, match="from 1 to 60"):
        Settings(auto_lock_minutes=bad)


def test_a_bad_value_in_the_file_falls_back_to_its_default(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"format": "reviewday-settings", "version": 1,
                                "settings": {"auto_lock_minutes": 600, "unknown_later_setting": 1}}))
    loaded = load_settings(path)
    assert loaded.settings.auto_lock_minutes == 10
    assert loaded.message == ("The auto-lock time must be a whole number of minutes from 1 to 60. "
                              "The default is used instead.")
    assert path.exists()


@pytest.mark.parametrize("content", [b"{ not json", b"\xff\xfe", b"[1, 2]", b'{"format": "other"}'])
def test_a_malformed_settings_file_is_kept_aside_and_defaults_used(tmp_path, content):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert loaded.message == ("The settings file was damaged, so the default settings are used. "
                              "It was kept as settings.json.bad.")
    assert not path.exists()
    assert (tmp_path / "settings.json.bad").read_bytes() == content
    # Again: the earlier copy is not overwritten.
    path.write_bytes(content)
    assert "settings.json.bad-1" in load_settings(path).message


def test_the_window_uses_the_settings_file_and_says_when_it_was_damaged(qtbot, store, clock, tmp_path, monkeypatch):
    import app.settings as settings_module

    path = tmp_path / "settings.json"
    path.write_text("garbage")
    monkeypatch.setattr(settings_module, "default_settings_path", lambda: path)
    window = MainWindow(store, today=REVIEW_DATE, clock=clock)
    qtbot.addWidget(window)
    assert window.settings == Settings()
    assert window.statusBar().currentMessage().startswith("The settings file was damaged")
    save_settings(Settings(auto_lock_minutes=3), path)
    other = MainWindow(store, today=REVIEW_DATE, clock=clock)
    qtbot.addWidget(other)
    assert other.screen_lock.idle.minutes == 3
