from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.kloe import TemplateRegistry
from app.models.enums import ConsentBasis, SettingKind
from app.services import notes, people, reviews
from app.services.dto import ReviewSetup
from app.ui.review_picker import Column, ReviewIdRole, ReviewListModel, ReviewPicker

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def registry():
    return TemplateRegistry.default()


@pytest.fixture
def picker(qtbot, store, registry):
    widget = ReviewPicker(store, registry)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def create(store, actor, template_id, person, day, **fields):
    return reviews.create_review(
        store, ReviewSetup(template_id=template_id, person_label=person, review_date=day, **fields), actor
    )


@pytest.fixture
def three(store, actor):
    first = create(store, actor, "icetr", "J.B.", date(2026, 11, 20), hospital="Riverside Hospital",
                   ward="Willow Ward", long_term_segregation=True)
    second = create(store, actor, "adult_community", "T.W.", date(2026, 10, 2), setting_kind=SettingKind.COMMUNITY)
    third = create(store, actor, "cyp_inpatient", "R.M.", date(2026, 12, 1), hospital="Elmfield Hospital")
    people.record_consent(store, second.id, actor, ConsentBasis.CONSENT)
    notes.add_note(store, second.id, "opening", "I want my own flat.", actor, speaker_name="T.W.", speaker_role="person")
    return first, second, third


def shown(picker, column=Column.PERSON):
    return [picker.proxy.index(row, column).data() for row in range(picker.proxy.rowCount())]


def test_empty_state_says_what_to_do(picker):
    assert picker.stack.currentWidget() is picker.empty
    assert picker.empty.text() == "No reviews yet. Start one with New review… (Ctrl+N)"
    assert not picker.open_button.isEnabled()


def test_lists_reviews_newest_first_with_details(picker, three):
    first, second, third = three
    picker.refresh()
    assert picker.stack.currentWidget() is picker.table
    assert shown(picker) == ["R.M.", "J.B.", "T.W."]
    assert shown(picker, Column.TYPE) == ["Inpatient CETR", "IC(E)TR", "Community CTR"]
    assert shown(picker, Column.DATE) == ["01 Dec 2026", "20 Nov 2026", "02 Oct 2026"]
    assert shown(picker, Column.SETTING)[1] == "Riverside Hospital, Willow Ward"
    assert shown(picker, Column.SETTING)[2] == "Community"
    assert shown(picker, Column.STATUS) == ["Draft", "Draft", "In progress"]
    assert shown(picker, Column.NOTES) == ["0", "0", "1"]
    assert shown(picker, Column.FLAGS)[1] == "Long-term segregation · Consent not recorded"
    # Held on 2 October, no final report sent by 20 November: past the 10 working days.
    assert shown(picker, Column.FLAGS)[2] == "Report overdue"
    assert picker.count_label.text() == "3 reviews"
    assert picker.current_review_id() == third.id  # the newest is ready to open


def test_filter_and_enter_opens(qtbot, picker, three):
    first, second, third = three
    picker.refresh()
    picker.filter_edit.setFocus()
    qtbot.keyClicks(picker.filter_edit, "willow")
    assert shown(picker) == ["J.B."]
    assert picker.count_label.text() == "1 of 3 reviews"
    with qtbot.waitSignal(picker.open_requested, timeout=1000) as blocker:
        qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Return)
    assert blocker.args == [first.id]


def test_filter_matches_type_status_and_flags(qtbot, picker, three):
    picker.refresh()
    picker.set_filter("community ctr")
    assert shown(picker) == ["T.W."]
    picker.set_filter("in progress")
    assert shown(picker) == ["T.W."]
    picker.set_filter("consent not")
    assert shown(picker) == ["R.M.", "J.B."]


def test_filter_with_no_match_says_so(picker, three):
    picker.refresh()
    picker.set_filter("zzz")
    assert picker.stack.currentWidget() is picker.empty
    assert picker.empty.text() == "No reviews match “zzz”. Clear the filter to see all 3."
    assert not picker.open_button.isEnabled()
    picker.set_filter("")
    assert picker.stack.currentWidget() is picker.table
    assert picker.open_button.isEnabled()


def test_arrow_keys_in_the_filter_move_the_selection(qtbot, picker, three):
    first, second, third = three
    picker.refresh()
    picker.focus_list()
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Down)
    assert picker.current_review_id() == first.id
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Down)
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Down)
    assert picker.current_review_id() == second.id  # stops at the last row
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Up)
    assert picker.current_review_id() == first.id
    assert picker.filter_edit.hasFocus()


def test_enter_on_the_table_and_double_click_open(qtbot, picker, three):
    first, second, third = three
    picker.refresh()
    picker.select_review(second.id)
    picker.table.setFocus()
    with qtbot.waitSignal(picker.open_requested, timeout=1000) as blocker:
        qtbot.keyClick(picker.table, Qt.Key.Key_Return)
    assert blocker.args == [second.id]

    index = picker.proxy.mapFromSource(picker.model.index(picker.model.row_of(first.id), Column.PERSON))
    rect = picker.table.visualRect(index)
    # A real double-click starts with a press: the view only opens the index it saw pressed.
    qtbot.mouseClick(picker.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(picker.open_requested, timeout=1000) as blocker:
        qtbot.mouseDClick(picker.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [first.id]

    with qtbot.waitSignal(picker.open_requested, timeout=1000) as blocker:
        picker.open_button.click()
    assert blocker.args == [first.id]


def test_new_review_button_and_ctrl_n(qtbot, picker):
    with qtbot.waitSignal(picker.new_requested, timeout=1000):
        picker.new_button.click()
    picker.focus_list()
    with qtbot.waitSignal(picker.new_requested, timeout=1000):
        qtbot.keyClick(picker.filter_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)


def test_refresh_keeps_the_selection_and_shows_new_reviews(picker, three, store, actor):
    first, second, third = three
    picker.refresh()
    picker.select_review(first.id)
    create(store, actor, "laep", "Q.Z.", date(2026, 12, 5))
    picker.refresh()
    assert shown(picker)[0] == "Q.Z."
    assert picker.current_review_id() == first.id


def test_sorting_by_a_column(picker, three):
    picker.refresh()
    picker.table.sortByColumn(Column.PERSON, Qt.SortOrder.AscendingOrder)
    assert shown(picker) == ["J.B.", "R.M.", "T.W."]
    picker.table.sortByColumn(Column.DATE, Qt.SortOrder.AscendingOrder)
    assert shown(picker) == ["T.W.", "J.B.", "R.M."]


def test_review_list_model(qtmodeltester, store, three):
    model = ReviewListModel()
    model.set_reviews(reviews.list_reviews(store))
    qtmodeltester.check(model)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.index(0, Column.TYPE).data(ReviewIdRole) == model.review_at(0).id
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    qtmodeltester.check(ReviewListModel())
