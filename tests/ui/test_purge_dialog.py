"""Export and purge from the File menu: exports checked, the review gone, back to the list."""

from __future__ import annotations

import pytest

from app.report import publish
from app.security.identities import IdentityStore
from app.services import reviews
from app.services.demo import PANEL, seed_demo
from app.services.dto import Actor
from app.ui.main_window import MainWindow
from app.ui.purge_dialog import PurgeConfirmation, PurgeFolderDialog
from tests.conftest import REVIEW_DATE, confirm_as

CHAIR = Actor("Morgan Ellis", "independent_chair")


@pytest.fixture
def window(qtbot, store):
    main = MainWindow(store, today=REVIEW_DATE)
    qtbot.addWidget(main)
    main.show()
    return main


def _sign(store, review_id, tmp_path):
    for name, role, _org, _attendance in PANEL[1:]:
        confirm_as(store, review_id, Actor(name, role))
    ids = IdentityStore(tmp_path / "ids", kdf_iterations=20_000)
    info = ids.create("Morgan Ellis", "Independent chair", "purge passphrase")
    publish.sign_report(store, review_id, signer=ids.load_signer(info.name, "purge passphrase"),
                        signer_actor=CHAIR, fingerprint=info.fingerprint)


def test_purge_from_the_menu(qtbot, window, store, tmp_path, monkeypatch):
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    _sign(store, review_id, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(PurgeFolderDialog, "ask", staticmethod(lambda parent: out))
    monkeypatch.setattr(PurgeConfirmation, "ask", staticmethod(lambda parent, folder: True))
    assert window.open_review(review_id)
    window.findChild(type(window.undo_action), "export_and_purge").trigger()
    qtbot.waitUntil(lambda: window.workspace is None, timeout=30_000)
    assert reviews.list_reviews(store) == []
    assert any(p.name.endswith("-signed-revision-1.pdf") for p in out.iterdir())
    assert window.pages.currentWidget() is window.picker
    assert "deleted from this computer" in window.purge_dialog.status.text()


def test_an_unsigned_review_is_not_offered_for_purging(qtbot, window, store, monkeypatch):
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    asked = []
    monkeypatch.setattr(PurgeFolderDialog, "ask", staticmethod(lambda parent: asked.append(1)))
    window.open_review(review_id)
    window.export_and_purge()
    assert asked == [] and "Only a signed review" in window.workspace.message_bar.text()
    assert reviews.get_review(store, review_id)


def test_cancelling_the_confirmation_changes_nothing(qtbot, window, store, tmp_path, monkeypatch):
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    _sign(store, review_id, tmp_path)
    monkeypatch.setattr(PurgeFolderDialog, "ask", staticmethod(lambda parent: tmp_path))
    monkeypatch.setattr(PurgeConfirmation, "ask", staticmethod(lambda parent, folder: False))
    window.open_review(review_id)
    window.export_and_purge()
    assert window.workspace is not None and reviews.get_review(store, review_id).locked
    assert list(tmp_path.glob("*.pdf")) == []


def test_the_retention_period_offers_old_signed_reviews(qtbot, store, tmp_path):
    from app.settings import Settings

    review_id = seed_demo(store, review_date=REVIEW_DATE)
    _sign(store, review_id, tmp_path)
    later = REVIEW_DATE.replace(year=REVIEW_DATE.year + 1)
    main = MainWindow(store, today=later, settings=Settings(retention_days=90))
    qtbot.addWidget(main)
    main.show_review_list()
    assert "1 signed review(s) are older than the retention period of 90 days" in main.statusBar().currentMessage()
    soon = MainWindow(store, today=REVIEW_DATE, settings=Settings(retention_days=90))
    qtbot.addWidget(soon)
    soon.show_review_list()
    assert soon.statusBar().currentMessage() == ""


def test_retention_setting_is_checked():
    from app.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match="retention period"):
        Settings(retention_days=0)
    assert Settings().retention_days is None
