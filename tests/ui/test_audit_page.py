"""The audit trail page: newest first, plain words, filters by person and kind, read-only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import audit, notes, people, reviews
from app.services.dto import Actor
from app.ui.audit_page import FIELDS, WHAT, WHEN, WHO, AuditPage, AuditTableModel
from app.ui.context import ReviewContext

CHAIR = Actor("Morgan Ellis", "independent_chair")


@pytest.fixture
def changed_review(store, clock, actor, consented_review):
    review_id = consented_review.id
    clock.advance(minutes=1)
    note = notes.add_note(store, review_id, "safety", "Slept well", actor)
    clock.advance(minutes=1)
    reviews.update_setup(store, review_id, CHAIR, ward="Ash Ward")
    clock.advance(minutes=1)
    notes.edit_note(store, note.id, CHAIR, text="Slept well most nights", speaker_name="Chris Doyle")
    clock.advance(minutes=1)
    people.add_attendee(store, review_id, CHAIR, name="Chris Doyle", role="named_nurse")
    return review_id


@pytest.fixture
def page(qtbot, store, changed_review):
    ctx = ReviewContext(store, changed_review)
    widget = AuditPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _column(model, column):
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_model_passes_qmodeltester(qtmodeltester, store, changed_review):
    model = AuditTableModel()
    model.set_events(audit.list_events(store, changed_review))
    qtmodeltester.check(model)
    model.set_filter(kind="note")
    qtmodeltester.check(model)


def test_newest_first_in_plain_words(page):
    model = page.model
    assert _column(model, WHAT) == [
        "Added a person",
        "Changed a note",
        "Changed the ward",
        "Added a note",
        "Recorded the consent basis",
        "Started the review",
    ]
    assert _column(model, WHO)[:2] == ["Morgan Ellis — Independent chair"] * 2
    assert _column(model, WHO)[3] == "Sam Taylor — Note-taker"
    assert _column(model, FIELDS)[1] == "speaker, text"
    assert _column(model, FIELDS)[2] == "ward"
    whens = _column(model, WHEN)
    assert whens == sorted(whens, reverse=True) and len(whens[0]) == len("20 Nov 2026 09:34:00")
    assert not model.flags(model.index(0, WHAT)) & Qt.ItemFlag.ItemIsEditable


def test_filter_by_person_and_by_kind(qtbot, page):
    people_shown = [page.person_filter.itemText(i) for i in range(page.person_filter.count())]
    assert people_shown == ["Everyone", "Morgan Ellis — Independent chair", "Sam Taylor — Note-taker"]
    page.person_filter.setCurrentIndex(2)
    assert _column(page.model, WHAT) == ["Added a note", "Recorded the consent basis", "Started the review"]
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("note"))
    assert _column(page.model, WHAT) == ["Added a note"]
    page.person_filter.setCurrentIndex(0)
    assert _column(page.model, WHAT) == ["Changed a note", "Added a note"]


def test_refreshes_after_a_change_and_keeps_the_filter(page, store, clock):
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("note"))
    clock.advance(minutes=1)
    note = notes.list_notes(store, page.ctx.review_id)[0]
    page.ctx.call(notes.delete_note, store, note.id, CHAIR, changed="notes")
    assert page.kind_filter.currentData() == "note"
    assert _column(page.model, WHAT)[0] == "Deleted a note"


def test_the_navigator_ends_with_the_audit_trail(qtbot, store, changed_review):
    from app.ui.main_window import MainWindow

    window = MainWindow(store)
    qtbot.addWidget(window)
    assert window.open_review(changed_review)
    keys = window.workspace.navigator_model.keys()
    assert keys[-1] == "audit"
    assert window.workspace.show_key("audit")
    assert isinstance(window.workspace.current_page(), AuditPage)
    assert window.workspace.current_page().model.rowCount() >= 6


def test_the_model_takes_qt_events_such_as_a_language_change(qapp, store, changed_review):
    from PySide6.QtCore import QEvent

    model = AuditTableModel()
    model.set_events(audit.list_events(store, changed_review))
    # Installing a translation sends every object a LanguageChange event; the model must take it.
    assert model.event(QEvent(QEvent.Type.LanguageChange)) in (True, False)
    assert model.event_at(0).review_id == changed_review
