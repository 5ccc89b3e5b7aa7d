"""The oversight panel fields on the set-up page and the banner of escalation flags, through real widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QSpinBox

from app.models import Review
from app.models.enums import CqcRating
from app.services import reviews
from app.ui.context import ReviewContext
from app.ui.setup_page import SetupPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def open_page(qtbot, store, review_id, actor):
    ctx = ReviewContext(store, review_id, actor=actor)
    page = SetupPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitExposed(page)
    return ctx, page


@pytest.fixture
def opened(qtbot, store, review, actor):
    return open_page(qtbot, store, review.id, actor)


def stored(store, review_id):
    return reviews.get_review(store, review_id).setup


def banner_text(page) -> str:
    return page.oversight_banner.details.text()


def test_banner_lists_the_flags_with_reasons_and_the_next_review(opened):
    _ctx, page = opened
    banner = page.oversight_banner
    assert banner.isVisible()
    # The fixture's review: admitted 1 March 2024, in long-term segregation, an IC(E)TR (no fixed repeat).
    assert "2 criteria met" in banner.heading.text()
    assert "Long stay: In hospital 32 months (since 1 Mar 2024); adults are escalated at 12 months." in banner_text(page)
    assert "Long-term segregation: The person is in long-term segregation." in banner_text(page)
    assert banner.next_due.text().startswith("Next review:")
    assert "Long stay" in banner.accessibleDescription()


def test_rate_the_ward_inadequate_the_flag_appears_and_is_still_there_after_reopening(qtbot, opened, store, review,
                                                                                     actor):
    _ctx, page = opened
    combo = page.oversight.cqc_rating
    assert "Ward rated inadequate" not in banner_text(page)
    combo.setCurrentIndex(combo.findData(CqcRating.INADEQUATE))
    qtbot.waitUntil(lambda: stored(store, review.id).ward_rated_inadequate)
    assert stored(store, review.id).cqc_rating is CqcRating.INADEQUATE
    qtbot.waitUntil(lambda: "Ward rated inadequate by the CQC: The ward or unit is rated inadequate" in banner_text(page))
    assert "3 criteria met" in page.oversight_banner.heading.text()
    page.close()

    _ctx2, again = open_page(qtbot, store, review.id, actor)
    assert again.oversight.cqc_rating.currentData() == CqcRating.INADEQUATE
    assert "Ward rated inadequate by the CQC" in banner_text(again)
    again.oversight.cqc_rating.setCurrentIndex(again.oversight.cqc_rating.findData(CqcRating.REQUIRES_IMPROVEMENT))
    qtbot.waitUntil(lambda: "Ward rated inadequate" not in banner_text(again))
    assert not stored(store, review.id).ward_rated_inadequate
    assert stored(store, review.id).cqc_rating is CqcRating.REQUIRES_IMPROVEMENT


def test_a_restriction_order_in_the_legal_status_removes_the_long_stay_flag_and_explains(qtbot, opened, store,
                                                                                         review):
    _ctx, page = opened
    # The fixture's Section 3 carries no restriction order: the tick is not used, and the banner says so.
    page.oversight.moj_restricted.click()
    qtbot.waitUntil(lambda: stored(store, review.id).moj_restricted)
    qtbot.waitUntil(lambda: "tick was not used" in banner_text(page))
    assert "Long stay:" in banner_text(page) and page.long_stay_note.isVisible()
    page.legal_status.setCurrentIndex(page.legal_status.findText("Section 37/41 MHA"))
    qtbot.waitUntil(lambda: stored(store, review.id).legal_status == "Section 37/41 MHA")
    qtbot.waitUntil(lambda: "Long stay:" not in banner_text(page))
    assert "Section 37/41 MHA is a restriction order, so the long stay is not escalated" in banner_text(page)
    assert not page.long_stay_note.isVisible()


def test_who_requested_escalation_saves_as_ticks(qtbot, opened, store, review, actor):
    _ctx, page = opened
    page.oversight.requesters["advocate"].click()
    page.oversight.requesters["family"].click()
    qtbot.waitUntil(lambda: stored(store, review.id).escalation_requested_by == "family advocate")
    qtbot.waitUntil(lambda: "requested by their family and their advocate" in banner_text(page))
    page.close()
    _ctx2, again = open_page(qtbot, store, review.id, actor)
    ticked = [who.value for who, box in again.oversight.requesters.items() if box.isChecked()]
    assert ticked == ["family", "advocate"]


def test_declined_earlier_typed_in_the_spin_box(qtbot, opened, store, review, actor):
    _ctx, page = opened
    spin = page.oversight.declined_before
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    spin.selectAll()
    qtbot.keyClicks(spin, "2")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(store, review.id).declined_before == 2)
    qtbot.waitUntil(lambda: "Declined reviews: The person has declined 2 reviews (2 before)" in banner_text(page))
    # The spin box refuses what the service would refuse.
    assert (spin.minimum(), spin.maximum()) == (0, reviews.DECLINED_BEFORE_MAX)


def test_banner_follows_changes_made_elsewhere(qtbot, opened, store, review):
    ctx, page = opened
    with store.write() as session:
        session.get(Review, review.id).unresolved_complaint = True
    ctx.reload_review()
    ctx.changed.emit("setup")
    assert "Unresolved complaint: A complaint" in banner_text(page)
    assert page.oversight.unresolved_complaint.isChecked()


def test_next_review_due_for_a_repeating_review(qtbot, store, actor):
    from app.services.dto import ReviewSetup

    created = reviews.create_review(store, ReviewSetup(
        template_id="adult_inpatient", person_label="Q.R.", review_date=date(2026, 11, 20), secure=True,
    ), actor)
    _ctx, page = open_page(qtbot, store, created.id, actor)
    assert "Due 20 Nov 2027: every 12 months for a secure setting" in page.oversight_banner.next_due.text()
    assert page.oversight_banner.heading.text() == "No ICS oversight panel criteria met"
    assert not page.oversight_banner.details.isVisible()


def test_every_new_control_has_an_accessible_name_and_a_shortcut(opened):
    _ctx, page = opened
    group = page.oversight
    controls = group.findChildren(QCheckBox) + group.findChildren(QSpinBox)
    assert len(controls) == 10
    for control in controls:
        assert control.accessibleName(), control.objectName()
    assert group.cqc_rating.accessibleName()
    for box in (group.seclusion, group.restrictive_practice,
                group.safeguarding_investigation, group.unresolved_complaint, group.moj_restricted):
        assert "&" in box.text(), box.objectName()
    assert page.oversight_banner.accessibleName()
