"""The easy read's own parts: why the review happened, the headline reasons, what you told us,
what happened since last time, and how to ask for help (wording per review type)."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date, datetime

import pytest

from app.kloe import TemplateRegistry
from app.kloe.jargon import find_jargon
from app.report import easyread_words as words
from app.report.document import build_report
from app.report.easyread import render_easyread_pdf
from app.services import notes, people
from app.services.demo import seed_demo
from app.services.store import Store
from tests.report.test_easyread import flat, font_sizes, page_count, run

REVIEW_DAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def history_doc(tmp_path_factory):
    """The demo with its earlier review: carried actions and their outcomes."""
    store = Store.open(tmp_path_factory.mktemp("history") / "reviewday.sqlite3",
                       clock=lambda: datetime(2026, 11, 20, 9, 30))
    try:
        return build_report(store, seed_demo(store, review_date=REVIEW_DAY, history=True))
    finally:
        store.close()


@pytest.fixture(scope="module")
def history_pdf(history_doc, tmp_path_factory):
    out = tmp_path_factory.mktemp("easy-history") / "easy-read.pdf"
    render_easyread_pdf(history_doc, out)
    return out


def _text(path) -> str:
    return flat(run("pdftotext", str(path), "-"))


def test_why_the_review_happened_in_the_review_types_words(history_pdf):
    text = _text(history_pdf)
    assert "Why we had this review" in text
    for line in words.WHY["icetr"]:
        assert line in text
    assert "Your last review was on 24 July 2026." in text


def test_each_headline_answer_gives_its_reasons_one_sentence_a_line(history_doc, history_pdf):
    text = _text(history_pdf)
    safe = next(h for h in history_doc.headlines if h.question.lower().startswith("is the person safe"))
    assert safe.reasons
    assert "Are you safe? We think: partly. Why: Staff hold you less than before. But you get a lot" in text
    lines = run("pdftotext", "-layout", str(history_pdf), "-").splitlines()
    assert any(line.strip().startswith("But you get a lot of medicine") for line in lines)


def test_what_you_told_us_has_the_marked_notes_only(history_doc, history_pdf):
    text = _text(history_pdf)
    assert [n.text for n in history_doc.told_us] == [
        "I want to go home to Northvale. I want my own flat with my cat.",
        "He tells me it is very loud at night on the ward and he cannot sleep.",
        "I like drawing and football. I don't like the noise.",
        "I want to be part of the planning, not just told at the end.",
    ]
    told = text[text.index("What you told us"):text.index("What happened since last time")]
    assert "You said: I want to go home to Northvale. I want my own flat with my cat." in told
    assert "Linda K. (your family or carer) said: He tells me it is very loud at night" in told
    # A note the panel did not mark stays out of the easy read.
    assert "PRN lorazepam" not in text and "What matters most is that he gets outside" not in text


def test_what_happened_since_last_time_in_plain_words_with_each_outcome(history_doc, history_pdf):
    text = _text(history_pdf)
    since = text[text.index("What happened since last time"):text.index("What we found")]
    assert len(history_doc.carried) == 5
    for carried in history_doc.carried:
        assert carried.easy_read and f"What we said would happen: {carried.easy_read}" in since
        assert carried.what not in since  # the panel's wording stays in the full report
    codes = [carried.outcome_code for carried in history_doc.carried]
    assert {"done", "in_progress", "not_done", "no_longer_relevant"} <= set(codes)
    for code, line in words.OUTCOME_LINES.items():
        assert since.count(f"What happened: {line}") == codes.count(code), code


def test_a_first_review_has_no_since_last_time_and_an_older_carried_action_falls_back(history_doc, tmp_path):
    first = dataclasses.replace(history_doc, carried=(), told_us=())
    out = tmp_path / "first.pdf"
    render_easyread_pdf(first, out)
    text = _text(out)
    assert "What happened since last time" not in text and "What you told us" not in text
    older = dataclasses.replace(history_doc, carried=(dataclasses.replace(history_doc.carried[0], easy_read=""),))
    render_easyread_pdf(older, out)
    assert f"What we said would happen: {history_doc.carried[0].what}" in _text(out)


def test_how_to_ask_for_help_names_the_escalation_and_the_people_to_ask(history_pdf):
    text = _text(history_pdf)
    ask = text[text.index("How to ask for help"):]
    assert words.ESCALATED_LINE in ask
    for line in (*words.help_lines("icetr"), *words.ESCALATE_LINES):
        assert line in ask
    assert "Your advocate is Tom Reid." in ask and "Your care co-ordinator is Ben Carter." in ask


def test_the_help_wording_follows_the_review_type(store, actor, setup_icetr, tmp_path):
    from app.models.enums import ConsentBasis
    from app.services.reviews import create_review

    review = create_review(store, dataclasses.replace(setup_icetr, template_id="cyp_community"), actor)
    people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    people.add_attendee(store, review.id, actor, name="Jo", role="person")
    notes.edit_note(store, notes.add_note(store, review.id, "opening", "I like my school.", actor,
                                          speaker_name="Jo", speaker_role="person").id, actor, easy_read=True)
    out = tmp_path / "cyp.pdf"
    render_easyread_pdf(build_report(store, review.id), out)
    text = _text(out)
    assert words.YOUNG_PERSON_LINE in text
    for line in (*words.WHY["cyp_community"], *words.ASK_AGAIN["cyp_community"]):
        assert line in text
    assert words.ASK_AGAIN["icetr"][0] not in text and words.ESCALATED_LINE not in text
    assert "You said: I like my school." in text
    assert min(font_sizes(out)) >= 14


def test_every_review_type_has_its_own_wording_without_jargon():
    type_ids = {t.id for t in TemplateRegistry().all()}
    assert type_ids == set(words.WHY) == set(words.ASK_AGAIN)
    lines = [*words.WHO_CAN_ASK, *words.ESCALATE_LINES, words.ESCALATED_LINE, words.YOUNG_PERSON_LINE,
             *words.OUTCOME_LINES.values(), *words.WHY_ANY, *words.ASK_AGAIN_ANY,
             *(line for group in (*words.WHY.values(), *words.ASK_AGAIN.values()) for line in group)]
    for line in lines:
        assert find_jargon(line) == [], line
        assert len(line.split()) <= 20, line


def test_the_pages_render_as_images_large_and_all_there(history_pdf, tmp_path):
    assert min(font_sizes(history_pdf)) >= 14
    pages = page_count(history_pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(history_pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == pages
