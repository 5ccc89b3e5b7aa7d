from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from app.models.enums import SecureLevel, Mode, Service, SettingKind
from app.services import reviews
from app.ui.context import ReviewContext
from app.ui.durations import describe_duration, describe_length_of_stay
from app.ui.setup_page import SetupPage
from app.ui.widgets import NOT_SET, OptionalDateEdit
from tests.conftest import REVIEW_DATE

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(store, review, actor):
    return ReviewContext(store, review.id, actor=actor)


@pytest.fixture
def messages(ctx):
    collected: list[str] = []
    ctx.message.connect(collected.append)
    return collected


@pytest.fixture
def page(qtbot, ctx):
    widget = SetupPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def stored(ctx):
    return reviews.get_review(ctx.store, ctx.review_id).setup


def test_shows_the_saved_setup(page, ctx):
    assert page.person_label.text() == "J.B."
    assert page.hospital.text() == "Riverside Hospital"
    assert page.ward.text() == "Willow Ward"
    # The fixture's old "secure" tick is shown as a secure level not yet recorded.
    assert page.secure_level.currentData() == SecureLevel.SECURE and page.long_term_segregation.isChecked()
    assert page.legal_status.currentText() == "Section 3 MHA"
    assert page.admission_date.value() == date(2024, 3, 1)
    assert page.review_date.date().toPython() == REVIEW_DATE
    assert page.date_of_birth.value() is None and page.date_of_birth.edit.text() == "Not set"
    assert "Independent Care (Education) and Treatment Review" in page.review_type.text()
    assert "version 2" in page.review_type.text()
    assert "never the full name" in page.person_hint.text()
    # 1 March 2024 to 20 November 2026.
    assert page.length_of_stay.text() == "2 years 8 months (994 days) on the review date"
    assert page.long_stay_note.isVisible() and "12 months" in page.long_stay_note.text()
    # Other identifiers are secondary: folded away while empty.
    assert not page.person_identifiers.isVisible()


def test_typing_autosaves_after_flush_and_marks_the_review_changed(qtbot, page, ctx):
    changes: list[str] = []
    ctx.changed.connect(changes.append)
    page.ward.clear()
    qtbot.keyClicks(page.ward, "Cedar Ward")
    page.hospital.selectAll()
    qtbot.keyClicks(page.hospital, "Elmfield Hospital")
    assert stored(ctx).ward == "Willow Ward"  # debounced: nothing written yet
    assert ctx.autosaver.has_pending()
    assert ctx.flush()
    setup = stored(ctx)
    assert (setup.ward, setup.hospital) == ("Cedar Ward", "Elmfield Hospital")
    assert "setup" in changes
    assert ctx.review.setup.ward == "Cedar Ward"  # the context was reloaded for the header
    assert page.ward.text() == "Cedar Ward"


def test_every_kind_of_field_saves(qtbot, page, ctx):
    page.identifiers_toggle.click()
    assert page.person_identifiers.isVisible()
    qtbot.keyClicks(page.person_identifiers, "Local ref 4471")
    page.age_band.setCurrentIndex(page.age_band.findText("18-25"))
    page.legal_status.setCurrentIndex(page.legal_status.findText("Section 37/41 MHA"))
    page.date_of_birth.set_value(date(2003, 5, 17))
    page.setting_kind.setCurrentIndex(page.setting_kind.findData(SettingKind.COMMUNITY))
    page.service.setCurrentIndex(page.service.findData(Service.CAMHS))
    page.mode.setCurrentIndex(page.mode.findData(Mode.HYBRID))
    page.secure_level.setCurrentIndex(page.secure_level.findData(SecureLevel.NONE))
    page.long_term_segregation.click()
    page.environment_seen.click()
    ctx.flush()
    setup = stored(ctx)
    assert setup.person_identifiers == "Local ref 4471"
    assert setup.age_band == "18-25"
    assert setup.legal_status == "Section 37/41 MHA"
    assert setup.date_of_birth == date(2003, 5, 17)
    assert setup.setting_kind is SettingKind.COMMUNITY
    assert setup.service is Service.CAMHS
    assert setup.mode is Mode.HYBRID
    assert (setup.secure, setup.long_term_segregation, setup.environment_seen) == (False, False, True)
    assert page.age_note.text() == "Age 23 on the review date"


def test_free_text_in_editable_combos(qtbot, page, ctx):
    page.legal_status.lineEdit().clear()
    qtbot.keyClicks(page.legal_status.lineEdit(), "Section 47/49 MHA")
    page.age_band.lineEdit().clear()
    qtbot.keyClicks(page.age_band.lineEdit(), "Early 20s")
    ctx.flush()
    assert stored(ctx).legal_status == "Section 47/49 MHA"
    assert stored(ctx).age_band == "Early 20s"
    assert page.legal_status.currentText() == "Section 47/49 MHA"


def test_ticks_and_choices_save_at_once(page, ctx):
    page.environment_seen.click()
    assert stored(ctx).environment_seen is True
    assert not ctx.autosaver.has_pending()
    page.mode.setCurrentIndex(page.mode.findData(Mode.VIRTUAL))
    assert stored(ctx).mode is Mode.VIRTUAL


def test_length_of_stay_updates_live_as_dates_change(page, ctx):
    page.admission_date.set_value(date(2025, 3, 1))
    assert page.length_of_stay.text() == "1 year 8 months (629 days) on the review date"
    page.review_date.setDate(QDate(2025, 3, 11))
    assert page.length_of_stay.text() == "10 days on the review date"
    assert not page.long_stay_note.isVisible()
    page.admission_date.clear()
    assert page.length_of_stay.text() == "Add the admission date to see the length of stay."
    ctx.flush()
    setup = stored(ctx)
    assert setup.admission_date is None and setup.review_date == date(2025, 3, 11)


def test_children_long_stay_threshold_is_six_months(page, ctx):
    page.service.setCurrentIndex(page.service.findData(Service.CAMHS))
    page.admission_date.set_value(date(2026, 5, 1))
    assert page.long_stay_note.isVisible() and "6 months" in page.long_stay_note.text()
    page.admission_date.set_value(date(2026, 6, 1))
    assert not page.long_stay_note.isVisible()


def test_empty_pseudonym_is_refused_and_the_field_keeps_what_was_typed(qtbot, page, ctx, messages):
    page.person_label.selectAll()
    qtbot.keyClick(page.person_label, Qt.Key.Key_Backspace)
    qtbot.keyClicks(page.person_label, "   ")
    qtbot.keyClicks(page.ward, " East")
    ctx.flush()
    assert messages == ["Enter the person's initials or a pseudonym."]
    assert page.person_label.text() == "   "  # not reset
    assert page.problem("person_label") == messages[0]
    assert page.person_label.toolTip() == messages[0]
    setup = stored(ctx)
    assert setup.person_label == "J.B."  # nothing lost
    assert setup.ward == "Willow Ward East"  # other fields still save
    # Fixing it saves it and clears the mark.
    page.person_label.clear()
    qtbot.keyClicks(page.person_label, "A.K.")
    ctx.flush()
    assert stored(ctx).person_label == "A.K."
    assert page.problem("person_label") == ""
    assert page.person_label.styleSheet() == ""
    assert len(messages) == 1


def test_admission_after_review_date_is_refused_then_saved_when_the_review_date_moves(page, ctx, messages):
    page.admission_date.set_value(date(2026, 12, 1))
    assert page.length_of_stay.text() == "The admission date is after the review date."
    ctx.flush()
    assert messages == ["The admission date is after the review date."]
    assert page.admission_date.value() == date(2026, 12, 1)  # kept on screen
    assert stored(ctx).admission_date == date(2024, 3, 1)  # DB unchanged
    assert "border" in page.admission_date.edit.styleSheet()
    assert page.review_date.styleSheet() == ""  # only the offending date is marked
    # The dates are saved together: moving the review date saves the admission date too.
    page.review_date.setDate(QDate(2026, 12, 10))
    ctx.flush()
    setup = stored(ctx)
    assert (setup.admission_date, setup.review_date) == (date(2026, 12, 1), date(2026, 12, 10))
    assert page.problem("admission_date") == ""
    assert len(messages) == 1


def test_date_of_birth_after_review_date_is_refused(page, ctx, messages):
    page.date_of_birth.set_value(date(2027, 1, 1))
    ctx.flush()
    assert messages == ["The date of birth is after the review date."]
    assert page.date_of_birth.value() == date(2027, 1, 1)
    assert stored(ctx).date_of_birth is None


def test_refresh_shows_changes_made_elsewhere_but_keeps_refused_text(qtbot, page, ctx, messages):
    page.person_label.selectAll()
    qtbot.keyClick(page.person_label, Qt.Key.Key_Delete)
    ctx.flush()
    assert messages
    reviews.update_setup(ctx.store, ctx.review_id, ctx.actor, ward="Oak Ward")
    ctx.reload_review()
    ctx.changed.emit("setup")
    assert page.ward.text() == "Oak Ward"
    assert page.person_label.text() == ""


def test_saved_identifiers_show_unfolded(qtbot, store, review, actor):
    reviews.update_setup(store, review.id, actor, person_identifiers="Ref 12")
    widget = SetupPage(ReviewContext(store, review.id, actor=actor))
    qtbot.addWidget(widget)
    widget.show()
    assert widget.person_identifiers.isVisible()
    assert widget.person_identifiers.text() == "Ref 12"


def test_loading_does_not_write(page, ctx):
    assert not ctx.autosaver.has_pending()
    assert stored(ctx) == ctx.review.setup


def test_durations():
    assert describe_duration(date(2024, 1, 31), date(2024, 2, 29)) == "29 days"
    assert describe_duration(date(2024, 1, 15), date(2025, 1, 15)) == "1 year (366 days)"
    assert describe_duration(date(2024, 1, 15), date(2024, 2, 15)) == "1 month (31 days)"
    assert describe_length_of_stay(date(2024, 1, 1), date(2024, 1, 1)) == "Admitted on the review date."
    assert describe_length_of_stay(date(2024, 1, 1), date(2024, 1, 2)) == "1 day on the review date"


def test_optional_date_edit(qtbot):
    edit = OptionalDateEdit(default_date=date(2026, 11, 20), accessible_name="Admission date")
    qtbot.addWidget(edit)
    seen: list[object] = []
    edit.value_changed.connect(seen.append)
    assert edit.value() is None and not edit.clear_button.isEnabled()
    assert edit.edit.accessibleName() == "Admission date"
    # An arrow key on "Not set" starts from the default date, not from 1900.
    edit.edit.setFocus()
    qtbot.keyClick(edit.edit, Qt.Key.Key_Up)
    assert edit.value() == date(2026, 11, 20)
    assert edit.clear_button.isEnabled()
    edit.clear_button.click()
    assert edit.value() is None and edit.edit.date() == NOT_SET
    assert seen == [date(2026, 11, 20), None]
    edit.set_value(date(1950, 2, 3))
    assert edit.value() == date(1950, 2, 3)
