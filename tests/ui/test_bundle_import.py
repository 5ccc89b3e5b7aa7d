"""File → Import review bundle… and File → Export review bundle… in the real main window."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QKeySequence

from app.bundle import dump_review, encode_bundle
from app.bundle.envelope import encrypt
from app.bundle.keys import BundleKeyStore, load_public_key
from app.services.reviews import list_reviews
from app.services.store import Store
from app.ui.bundle_actions import BundleFiles
from app.ui.main_window import MainWindow
from tests.bundle.bundle_support import full_review
from tests.conftest import REVIEW_DATE

PASS = "a bundle key passphrase"


@pytest.fixture
def bundle_file(tmp_path):
    source = Store.open(tmp_path / "chair.sqlite3")
    try:
        document = dump_review(source, full_review(source))
    finally:
        source.close()
    path = tmp_path / "review.json"
    path.write_bytes(encode_bundle(document))
    return path, document


@pytest.fixture
def window(qtbot, store):
    main = MainWindow(store, today=REVIEW_DATE)
    qtbot.addWidget(main)
    main.show()
    return main


@pytest.fixture
def warnings(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(BundleFiles, "warn", staticmethod(lambda parent, text: shown.append(text)))
    return shown


def _menu(window, name) -> QAction:
    return window.findChild(QAction, name)


def test_importing_a_bundle_from_the_file_menu_opens_the_review(qtbot, window, store, bundle_file, monkeypatch,
                                                                warnings):
    path, document = bundle_file
    action = _menu(window, "import_bundle")
    assert action.isEnabled() and action.shortcut() == QKeySequence("Ctrl+Shift+I")
    monkeypatch.setattr(BundleFiles, "ask_import", staticmethod(lambda parent: path))
    action.trigger()
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=10_000)
    assert window.ctx.review.uid == document["review"]["uid"]
    assert "imported" in window.statusBar().currentMessage()
    assert dump_review(store, window.ctx.review_id) == document
    assert warnings == []


def test_a_bad_bundle_is_explained_in_a_message_box_and_nothing_changes(qtbot, window, store, db_path, tmp_path,
                                                                       monkeypatch, warnings):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"format": "reviewday-bundle", "format_version": 9}')
    monkeypatch.setattr(BundleFiles, "ask_import", staticmethod(lambda parent: bad))
    _menu(window, "import_bundle").trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert warnings == ["The bundle is format version 9, from a newer ReviewDay; "
                        "this version reads format version 1 only."]
    assert window.ctx is None and list_reviews(store) == []


def test_the_same_review_twice_is_refused(qtbot, window, store, bundle_file, monkeypatch, warnings):
    path, _ = bundle_file
    monkeypatch.setattr(BundleFiles, "ask_import", staticmethod(lambda parent: path))
    _menu(window, "import_bundle").trigger()
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=10_000)
    window.close_review()
    _menu(window, "import_bundle").trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert "already in the database" in warnings[0]
    assert len(list_reviews(store)) == 1


def test_an_encrypted_bundle_asks_for_the_key_passphrase(qtbot, window, store, bundle_file, tmp_path, monkeypatch,
                                                         warnings):
    path, document = bundle_file
    monkeypatch.setenv("REVIEWDAY_BUNDLE_KEY_DIR", str(tmp_path / "keys"))
    info = BundleKeyStore(tmp_path / "keys", kdf_iterations=1000).create("Morgan Expert", PASS)
    sealed = tmp_path / "review.rdb"
    sealed.write_bytes(encrypt(path.read_bytes(), load_public_key(info.public_path)))
    asked: list[str] = []
    answers = iter(["not the passphrase", PASS])
    monkeypatch.setattr(BundleFiles, "ask_import", staticmethod(lambda parent: sealed))
    monkeypatch.setattr(BundleFiles, "ask_passphrase",
                        staticmethod(lambda parent, name: asked.append(name) or next(answers)))
    _menu(window, "import_bundle").trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert warnings == ["Wrong passphrase for the bundle key Morgan Expert."]
    assert list_reviews(store) == []
    _menu(window, "import_bundle").trigger()
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=10_000)
    assert asked == ["Morgan Expert", "Morgan Expert"]
    assert dump_review(store, window.ctx.review_id) == document


def test_cancelling_the_file_dialog_does_nothing(window, monkeypatch, warnings, db_path, store):
    monkeypatch.setattr(BundleFiles, "ask_import", staticmethod(lambda parent: None))
    _menu(window, "import_bundle").trigger()
    assert window.ctx is None and warnings == [] and list_reviews(store) == []


def test_exporting_the_open_review_as_a_bundle(qtbot, window, store, tmp_path, monkeypatch):
    review_id = full_review(store)
    export = _menu(window, "export_bundle")
    assert not export.isEnabled()  # only with a review open
    assert window.open_review(review_id)
    assert export.isEnabled()
    out = tmp_path / "out.json"
    monkeypatch.setattr(BundleFiles, "ask_export", staticmethod(lambda parent, suggested: out))
    export.trigger()
    qtbot.waitUntil(lambda: "Wrote the review bundle" in window.statusBar().currentMessage(), timeout=10_000)
    assert out.read_bytes() == encode_bundle(dump_review(store, review_id))
