from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from app.kloe import TemplateRegistry
from app.models.enums import Service, SettingKind
from app.services.dto import ReviewSetup
from app.ui.new_review_dialog import NewReviewDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TODAY = date(2026, 11, 20)


@pytest.fixture
def registry():
    return TemplateRegistry.default()


@pytest.fixture
def dialog(qtbot, registry):
    widget = NewReviewDialog(registry, TODAY)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_lists_every_review_type_with_its_description(dialog, registry):
    titles = [dialog.type_combo.itemText(i) for i in range(dialog.type_combo.count())]
    assert titles == [t.title for t in registry.latest_all()]
    first = registry.latest_all()[0]
    assert dialog.type_description.text() == first.description
    dialog.select_template("laep")
    assert dialog.type_description.text() == registry.latest("laep").description


def test_defaults(dialog):
    assert dialog.review_date.date() == QDate(2026, 11, 20)
    assert dialog.admission_date.value() is None
    assert dialog.person_label.hasFocus()
    assert not dialog.ok_button.isEnabled()  # the pseudonym is required


def test_ok_is_disabled_until_a_pseudonym_is_typed(qtbot, dialog):
    qtbot.keyClicks(dialog.person_label, "   ")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.person_label, "A.K.")
    assert dialog.ok_button.isEnabled()
    dialog.person_label.clear()
    assert not dialog.ok_button.isEnabled()


def test_fill_and_accept(qtbot, dialog):
    dialog.select_template("cyp_inpatient")
    qtbot.keyClicks(dialog.person_label, " R.M. ")
    dialog.review_date.setDate(QDate(2026, 12, 2))
    qtbot.keyClicks(dialog.hospital, "Elmfield Hospital")
    qtbot.keyClicks(dialog.ward, "Birch Unit")
    dialog.secure.click()
    dialog.admission_date.set_value(date(2026, 6, 1))
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(dialog.person_label, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.setup() == ReviewSetup(
        template_id="cyp_inpatient",
        person_label="R.M.",
        review_date=date(2026, 12, 2),
        setting_kind=SettingKind.HOSPITAL,
        hospital="Elmfield Hospital",
        ward="Birch Unit",
        secure=True,
        service=Service.CAMHS,
        admission_date=date(2026, 6, 1),
        long_term_segregation=False,
    )


def test_icetr_pre_ticks_long_term_segregation_and_emphasises_it(dialog):
    dialog.select_template("adult_inpatient")
    assert not dialog.long_term_segregation.isChecked()
    assert dialog.lts_note.isHidden()
    dialog.select_template("icetr")
    assert dialog.long_term_segregation.isChecked()
    assert not dialog.lts_note.isHidden()
    assert "font-weight: 600" in dialog.long_term_segregation.styleSheet()
    dialog.select_template("adult_community")
    assert not dialog.long_term_segregation.isChecked()  # only the automatic tick goes
    dialog.long_term_segregation.click()
    dialog.select_template("icetr")
    dialog.select_template("laep")
    assert dialog.long_term_segregation.isChecked()  # the user's own tick stays


def test_setting_follows_the_review_type_until_chosen(dialog):
    dialog.select_template("adult_community")
    assert dialog.setting_kind.currentData() == SettingKind.COMMUNITY
    dialog.select_template("adult_inpatient")
    assert dialog.setting_kind.currentData() == SettingKind.HOSPITAL


def test_admission_after_review_date_keeps_the_dialog_open_with_the_reason(qtbot, dialog):
    qtbot.keyClicks(dialog.person_label, "J.B.")
    dialog.admission_date.set_value(date(2026, 12, 25))
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problem.text() == "The admission date is after the review date."
    assert not dialog.problem.isHidden()
    assert dialog.admission_date.value() == date(2026, 12, 25)  # nothing reset
    dialog.admission_date.set_value(date(2026, 1, 5))
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_cancel(qtbot, dialog):
    qtbot.keyClicks(dialog.person_label, "J.B.")
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_ask_returns_the_setup_or_none(qtbot, registry, monkeypatch):
    def accept_filled(self):
        self.person_label.setText("T.W.")
        self.select_template("laep")
        self.accept()
        return self.result()

    monkeypatch.setattr(NewReviewDialog, "exec", accept_filled)
    setup = NewReviewDialog.ask(None, registry, TODAY)
    assert setup is not None
    assert (setup.template_id, setup.person_label, setup.review_date) == ("laep", "T.W.", TODAY)
    assert setup.setting_kind is SettingKind.COMMUNITY

    monkeypatch.setattr(NewReviewDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert NewReviewDialog.ask(None, registry, TODAY) is None
