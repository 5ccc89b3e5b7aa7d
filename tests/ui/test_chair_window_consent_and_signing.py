"""In the chair's real window (1366×768): consent recorded and undone from the keyboard, and a
signature that leaves the review complete with its timer stopped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.models.enums import ConsentBasis, ReviewStatus
from app.security.identities import IdentityStore
from app.services import reviews
from app.services.demo import PANEL
from app.services.dto import Actor
from app.ui.identity_dialog import IdentityDialog
from tests.conftest import confirm_as

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                                       "This plugin does not support raise")

CHAIR = Actor("Morgan Ellis", "independent_chair")
PASS = "correct horse battery"


def test_consent_recorded_with_the_record_button_is_undone_with_ctrl_z(qtbot, chair_window):
    window = chair_window()
    ctx, workspace = window.ctx, window.workspace
    before = reviews.get_review(ctx.store, ctx.review_id)
    assert before.consent_basis is ConsentBasis.CONSENT
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    page = workspace.current_page()
    assert page.consent_by.currentText().startswith("Sam Taylor")  # the person writing, in the register
    page.consent_buttons[ConsentBasis.DECLINED].click()
    assert reviews.get_review(ctx.store, ctx.review_id).consent_basis is ConsentBasis.CONSENT  # not yet
    page.consent_record_button.setFocus()
    qtbot.keyClick(page.consent_record_button, Qt.Key.Key_Space)
    after = reviews.get_review(ctx.store, ctx.review_id)
    assert (after.consent_basis, after.consent_recorded_by) == (ConsentBasis.DECLINED, "Sam Taylor (Note-taker)")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undone = reviews.get_review(ctx.store, ctx.review_id)
    assert (undone.consent_basis, undone.consent_recorded_by, undone.consent_recorded_at) == (
        before.consent_basis, before.consent_recorded_by, before.consent_recorded_at)
    assert page.consent_buttons[ConsentBasis.CONSENT].isChecked()


def test_after_the_chair_signs_the_window_says_complete_and_the_timer_stops(qtbot, chair_window, tmp_path,
                                                                          monkeypatch, writer_answers):
    folder = tmp_path / "identities"
    monkeypatch.setenv("REVIEWDAY_IDENTITY_DIR", str(folder))
    identities = IdentityStore(folder, kdf_iterations=20_000)
    identities.create(CHAIR.name, "Independent chair", PASS)
    monkeypatch.setattr(IdentityDialog, "ask",
                        classmethod(lambda cls, parent, store, actor: (identities.get(CHAIR.name), PASS)))
    window = chair_window()
    ctx, workspace = window.ctx, window.workspace
    for name, role, _organisation, _attendance in PANEL:
        if role != CHAIR.role:
            confirm_as(ctx.store, ctx.review_id, Actor(name, role))
    workspace.show_section("safety")
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert workspace.timer.running
    writer_answers.answer = CHAIR
    workspace.writing_as.click()
    workspace.show_key("signoff")
    page = workspace.current_page()
    assert page.sign_button.isEnabled(), page.problems.text()
    page.sign_button.click()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=15_000)
    assert reviews.get_review(ctx.store, ctx.review_id).locked
    assert window.status_label.text() == "Complete · Signed and locked"
    assert "In progress" not in window.status_label.text()
    assert not workspace.timer.running
    assert reviews.get_review(ctx.store, ctx.review_id).status is ReviewStatus.COMPLETE
