from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.models.enums import EntryKind, HeadlineAnswer
from app.services import sections
from app.ui.context import ReviewContext
from app.ui.headline_page import HeadlinePage


# Showing a window on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(qtbot, store, review, actor):
    return ReviewContext(store, review.id, actor=actor)


@pytest.fixture
def page(qtbot, ctx):
    widget = HeadlinePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    return widget


def stored(ctx):
    return {h.question_id: h for h in sections.list_headlines(ctx.store, ctx.review_id)}


def test_every_question_starts_not_answered(ctx, page):
    questions = ctx.template.headline_questions
    assert len(page.boxes) == len(questions) == 4
    for question in questions:
        box = page.box(question.id)
        assert question.text in box.question.text()
        assert not box.unanswered.isHidden() and box.unanswered.text() == "Not answered yet"
        assert box.answer() is HeadlineAnswer.UNANSWERED
    assert page.progress.text() == "0 of 4 answered"


def test_answer_is_saved_and_shown(qtbot, ctx, page):
    question = ctx.template.headline_questions[0]
    box = page.box(question.id)
    with qtbot.waitSignal(ctx.changed) as changed:
        box.buttons[HeadlineAnswer.PARTLY].click()
    assert changed.args == ["headline"]
    assert stored(ctx)[question.id].answer is HeadlineAnswer.PARTLY
    assert box.unanswered.isHidden()
    assert page.progress.text() == "1 of 4 answered"
    box.buttons[HeadlineAnswer.YES].click()
    assert stored(ctx)[question.id].answer is HeadlineAnswer.YES

    again = HeadlinePage(ctx)
    qtbot.addWidget(again)
    assert again.box(question.id).buttons[HeadlineAnswer.YES].isChecked()
    assert again.box(question.id).unanswered.isHidden()


def test_answers_are_keyboard_reachable(qtbot, ctx, page):
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    question = ctx.template.headline_questions[1]
    box = page.box(question.id)
    yes = box.buttons[HeadlineAnswer.YES]
    assert yes.focusPolicy() & Qt.FocusPolicy.TabFocus
    yes.setFocus()
    qtbot.waitUntil(yes.hasFocus)
    qtbot.keyClick(yes, Qt.Key.Key_Space)
    assert stored(ctx)[question.id].answer is HeadlineAnswer.YES
    qtbot.keyClick(yes, Qt.Key.Key_Right)
    assert box.buttons[HeadlineAnswer.NO].isChecked() and box.buttons[HeadlineAnswer.NO].hasFocus()
    assert stored(ctx)[question.id].answer is HeadlineAnswer.NO


def test_reasons_autosave_after_flush_and_survive_reload(qtbot, ctx, page):
    question = ctx.template.headline_questions[2]
    box = page.box(question.id)
    qtbot.keyClicks(box.reasons, "Discharge plan agreed with a date")
    assert stored(ctx)[question.id].reasons == ""  # debounced, not yet written
    assert ctx.flush()
    assert stored(ctx)[question.id].reasons == "Discharge plan agreed with a date"
    assert stored(ctx)[question.id].answer is HeadlineAnswer.UNANSWERED

    again = HeadlinePage(ctx)
    qtbot.addWidget(again)
    assert again.box(question.id).reasons.toPlainText() == "Discharge plan agreed with a date"


def test_refresh_never_overwrites_reasons_being_typed(qtbot, ctx, page):
    question = ctx.template.headline_questions[3]
    box = page.box(question.id)
    qtbot.keyClicks(box.reasons, "Community option")
    page.box(ctx.template.headline_questions[0].id).buttons[HeadlineAnswer.NO].click()  # refreshes the page
    assert box.reasons.toPlainText() == "Community option"
    ctx.flush()
    assert stored(ctx)[question.id].reasons == "Community option"


def test_reasons_can_be_cleared(qtbot, ctx, page):
    question = ctx.template.headline_questions[0]
    box = page.box(question.id)
    qtbot.keyClicks(box.reasons, "x")
    ctx.flush()
    box.reasons.clear()
    ctx.flush()
    assert stored(ctx)[question.id].reasons == ""


def test_concern_count_is_shown(qtbot, ctx, page):
    assert page.concerns.text() == "No concerns recorded in the sections yet."
    section_id = ctx.template.sections[1].id
    ctx.call(
        sections.add_entry, ctx.store, ctx.review_id, section_id, EntryKind.CONCERN,
        "Restraint rising since March", ctx.actor, changed="entries",
    )
    assert page.concerns.text() == "1 concern recorded in the sections."


def test_jargon_in_the_reasons_is_pointed_out_as_it_is_typed(qtbot, ctx, page):
    page.show()
    qtbot.waitExposed(page)
    box = page.box("safe")
    assert box.jargon.isHidden()
    qtbot.keyClicks(box.reasons, "PRN use is high")
    assert box.jargon.isVisible()
    assert "\u201cPRN\u201d: say" in box.jargon.text()
    box.reasons.selectAll()
    qtbot.keyClicks(box.reasons, "You get a lot of medicine to calm you down.")
    assert box.jargon.isHidden()
    # Reasons already stored are checked when the page shows them.
    sections.set_headline(ctx.store, ctx.review_id, "community", ctx.actor, reasons="After discharge, with an MDT.")
    page.refresh()
    assert page.box("community").jargon.isVisible()
def test_leaving_the_reasons_stores_them_at_once(qtbot, ctx, page):
    page.show()
    qtbot.waitExposed(page)
    first, second = ctx.template.headline_questions[:2]
    page.box(first.id).reasons.setFocus()
    qtbot.waitUntil(page.box(first.id).reasons.hasFocus)
    qtbot.keyClicks(page.box(first.id).reasons, "Seen the seclusion log")
    assert ctx.autosaver.has_pending()
    qtbot.keyClick(page.box(first.id).reasons, Qt.Key.Key_Tab)  # on to the next field
    assert not ctx.autosaver.has_pending()
    assert stored(ctx)[first.id].reasons == "Seen the seclusion log"
