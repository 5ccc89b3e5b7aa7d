"""The set-up page's place and process, escalation decision and feedback groups, through real widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.models.enums import EscalationDecision, Listened, SecureLevel, YesNo
from app.services import people, reviews
from tests.ui.test_oversight_group import open_page

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def opened(qtbot, store, review, actor):
    people.add_attendee(store, review.id, actor, name="Morgan Ellis", role="independent_chair")
    people.add_attendee(store, review.id, actor, name="Ravi Patel", role="commissioner")
    return open_page(qtbot, store, review.id, actor)


def saved(store, review_id):
    return reviews.get_review(store, review_id)


def test_place_and_process_fields_autosave_and_show_the_length_of_segregation(qtbot, opened, store, review):
    ctx, page = opened
    group = page.process
    qtbot.keyClicks(group.unit, "Elm Unit")
    qtbot.keyClicks(group.requested_because, "From the LTS register")
    group.segregation_started.set_value(date(2026, 8, 14))
    assert group.segregation_length.text() == "98 days (14 weeks) in segregation on the review date"
    group.next_review_agreed.set_value(date(2027, 2, 19))
    group.community_review.setCurrentIndex(group.community_review.findData(YesNo.NO))
    page.secure_level.setCurrentIndex(page.secure_level.findData(SecureLevel.MEDIUM))
    ctx.flush()
    setup = saved(store, review.id).setup
    assert (setup.unit, setup.requested_because) == ("Elm Unit", "From the LTS register")
    assert (setup.segregation_started, setup.next_review_agreed) == (date(2026, 8, 14), date(2027, 2, 19))
    assert setup.secure_level is SecureLevel.MEDIUM and setup.secure
    assert setup.community_review_before_admission is YesNo.NO
    qtbot.waitUntil(lambda: "Due 19 Feb 2027: agreed on the day" in page.oversight_banner.next_due.text())
    assert "Root cause analysis due" in page.oversight_banner.details.text()
    assert "Why this IC(E)TR was requested" == group.requested_because.accessibleName()


def test_a_segregation_start_before_admission_is_refused_kept_and_marked(qtbot, opened, store, review):
    ctx, page = opened
    messages: list[str] = []
    ctx.message.connect(messages.append)
    page.process.segregation_started.set_value(date(2024, 2, 1))  # admitted 1 March 2024
    ctx.flush()
    assert messages == ["The segregation start date is before the admission date."]
    assert saved(store, review.id).setup.segregation_started is None
    assert page.process.segregation_started.value() == date(2024, 2, 1)
    assert "border" in page.process.segregation_started.edit.styleSheet()
    page.process.segregation_started.set_value(date(2024, 3, 1))
    ctx.flush()
    assert saved(store, review.id).setup.segregation_started == date(2024, 3, 1)
    assert page.process.segregation_started.edit.styleSheet() == ""


def test_escalating_ticks_the_criteria_met_and_records_who_and_when(qtbot, opened, store, review):
    ctx, page = opened
    group = page.decision
    assert "Record whether the review goes to the ICS oversight panel" in group.problems.text()
    group.decision.setCurrentIndex(group.decision.findData(EscalationDecision.ESCALATE))
    ctx.flush()
    data = saved(store, review.id).decision
    assert data.decision is EscalationDecision.ESCALATE
    assert data.reasons == "long_stay long_term_segregation"  # the criteria met, ticked to start from
    group.decided_by.setCurrentIndex(group.decided_by.findData("Ravi Patel"))
    group.decided_on.set_value(date(2026, 11, 20))
    group.told["person"][0].set_value(date(2026, 11, 20))
    qtbot.keyClicks(group.told["advocate"][1], "No advocate appointed yet")
    ctx.flush()
    data = saved(store, review.id).decision
    assert (data.decided_by, data.decided_by_role) == ("Ravi Patel", "commissioner")
    assert data.person_told_on == date(2026, 11, 20)
    assert data.advocate_not_told_because == "No advocate appointed yet"
    assert group.problems.text() == "\u2022 Record when their family were told of the decision, or why not."


def test_another_concern_and_not_escalating_need_their_words(qtbot, opened, store, review):
    ctx, page = opened
    group = page.decision
    messages: list[str] = []
    ctx.message.connect(messages.append)
    group.decision.setCurrentIndex(group.decision.findData(EscalationDecision.NOT_ESCALATE))
    ctx.flush()
    assert messages[-1].startswith("Say why the review is not escalated although it meets 2 criteria")
    assert saved(store, review.id).decision.decision is EscalationDecision.UNDECIDED
    assert group.chosen() is EscalationDecision.NOT_ESCALATE  # kept on screen
    assert messages[-1] in group.problems.text()
    qtbot.keyClicks(group.not_because, "Already before the oversight panel this month")
    ctx.flush()
    assert saved(store, review.id).decision.not_because == "Already before the oversight panel this month"
    assert "not escalated" not in group.problems.text()

    group.decision.setCurrentIndex(group.decision.findData(EscalationDecision.ESCALATE))
    other = group.reasons.item(group.reasons.count() - 1)
    assert other.data(Qt.ItemDataRole.UserRole + 1) == "other"
    other.setCheckState(Qt.CheckState.Checked)
    ctx.flush()
    assert messages[-1] == "Describe the other concern that is a reason for escalating."
    assert group.other_concern.isEnabled()
    qtbot.keyClicks(group.other_concern, "Family cannot visit")
    ctx.flush()
    data = saved(store, review.id).decision
    assert "other" in data.reasons.split() and data.other_concern == "Family cannot visit"


def test_feedback_saves_a_scale_and_words(qtbot, opened, store, review):
    ctx, page = opened
    group = page.feedback
    group.person_listened.setCurrentIndex(group.person_listened.findData(Listened.PARTLY))
    qtbot.keyClicks(group.family_feedback, "We were heard")
    ctx.flush()
    feedback = saved(store, review.id).feedback
    assert feedback.person_listened is Listened.PARTLY and feedback.family_feedback == "We were heard"


def test_every_new_control_has_an_accessible_name(opened):
    _ctx, page = opened
    from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget

    for group in (page.process, page.decision, page.feedback):
        for widget in group.findChildren(QComboBox) + group.findChildren(QLineEdit) + group.findChildren(QListWidget):
            if isinstance(widget.parent(), QComboBox) or widget.objectName().startswith("qt_"):
                continue  # a combo's or a date field's own line edit
            assert widget.accessibleName(), widget.objectName()
