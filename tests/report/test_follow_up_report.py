"""A follow-up review's report: the previous review's actions and repeated recommendations."""

from __future__ import annotations

from datetime import date, datetime

import docx
import pytest

from app.report.document import build_report
from app.report.docx_report import render_report_docx
from app.report.pdf import render_report_pdf
from app.services import follow_up
from app.services.demo import seed_demo
from app.services.demo_history import EARLIER_ACTIONS
from app.services.store import Store
from tests.report.test_docx import all_text, headings
from tests.report.test_pdf import flat, run

DAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def follow_up_doc(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("follow-up") / "reviewday.sqlite3",
                       clock=lambda: datetime(2026, 11, 20, 9, 30))
    try:
        review_id = seed_demo(store, review_date=DAY, history=True)
        assert len(follow_up.series(store, review_id)) == 2
        return build_report(store, review_id)
    finally:
        store.close()


def test_the_document_holds_the_carried_actions_and_repeats(follow_up_doc):
    doc = follow_up_doc
    earlier = DAY.toordinal() - 17 * 7
    assert doc.previous_review_date == date.fromordinal(earlier)
    outcomes = {c.what: (c.outcome, c.reason) for c in doc.carried}
    assert outcomes["Write a plan to end long-term segregation."] == (
        "Not done", "A draft exists but it has no dates or steps.")
    assert outcomes["Identify a community provider in Northvale."][0] == "Done"
    assert outcomes["Identify a community provider in Northvale."][1].startswith("Provider named")
    assert outcomes["Arrange regular video calls with A.K.'s mother."][0] == "No longer relevant"
    assert outcomes["Offer fresh air at least twice a day."][0] == "Partly done"
    # Done at the time: not carried.
    assert not any(c.what.startswith("Confirm tribunal") for c in doc.carried)
    assert len(doc.carried) == sum(1 for a in EARLIER_ACTIONS if a[5].value != "done")
    repeated = [a for a in doc.actions if a.recommended_before]
    assert len(repeated) >= 3 and all(a.recommended_before == doc.previous_review_date for a in repeated)
    assert all(a.why for a in doc.actions)
    assert sum(1 for a in repeated if a.different_this_time) == 3


def test_the_pdf_shows_the_table_and_the_note(follow_up_doc, tmp_path):
    out = tmp_path / "report.pdf"
    render_report_pdf(follow_up_doc, out)
    text = flat(run("pdftotext", "-layout", str(out), "-"))
    assert "Previous review's actions" in text
    for heading in ("What", "Owner", "Was due", "Outcome", "Evidence or reason"):
        assert heading in text
    assert "A draft exists but it has no dates or steps." in text
    assert "No longer relevant" in text and "Partly done" in text
    assert "Different this time: The ICB funds a speech and" in text
    # Every recommendation's why is printed beside it.
    assert "No SLT input since admission;" in text
    assert f"Recommended before on {follow_up_doc.previous_review_date:%-d %B %Y}" in text


def test_the_docx_shows_the_table_and_the_note(follow_up_doc, tmp_path):
    out = tmp_path / "report.docx"
    render_report_docx(follow_up_doc, out)
    word = docx.Document(str(out))
    assert "Previous review's actions" in headings(word, 1)
    table = next(t for t in word.tables if [c.text for c in t.rows[0].cells][:1] == ["What"])
    assert [c.text for c in table.rows[0].cells] == ["What", "Owner", "Was due", "Outcome", "Evidence or reason"]
    assert len(table.rows) == len(follow_up_doc.carried) + 1
    text = all_text(word)
    assert "No speech and language therapist in post on the ward until January." in text
    assert "Different this time: Each step has a date and a named nurse" in text
    assert "No SLT input since admission; A.K. uses a picture timetable." in text
    assert f"Recommended before on {follow_up_doc.previous_review_date:%-d %B %Y}" in text


def test_a_first_review_has_no_such_table(demo_doc):
    assert demo_doc.carried == () and demo_doc.previous_review_date is None
    assert not any(a.recommended_before for a in demo_doc.actions)


def test_typed_in_recommendations_show_as_typed_in_with_the_chair(store, actor, consented_review, tmp_path):
    from app.models.enums import CarriedOutcome

    typed = follow_up.add_typed_in(store, consented_review.id, "Arrange a sensory assessment", actor,
                                   owner_name="Dr Patel", previous_chair="Sam Okoro",
                                   previous_review_date=date(2026, 5, 20))
    follow_up.set_carried_outcome(store, typed.id, CarriedOutcome.DONE, "Assessment report seen by the panel", actor)
    doc = build_report(store, consented_review.id)
    assert doc.carried[0].source_note == "Typed in from the previous review's paper report, chaired by Sam Okoro."
    out = tmp_path / "report.pdf"
    render_report_pdf(doc, out)
    text = flat(run("pdftotext", "-layout", str(out), "-"))
    assert "Typed in from the previous" in text and "Sam Okoro" in text and "Assessment report" in text
    word_out = tmp_path / "report.docx"
    render_report_docx(doc, word_out)
    assert "Typed in from the previous review's paper report, chaired by Sam Okoro." in all_text(docx.Document(str(word_out)))


def test_the_action_tracker_workbook_says_what_will_be_different(follow_up_doc, tmp_path):
    from openpyxl import load_workbook

    from app.report.xlsx_tracker import HEADINGS, render_action_tracker_xlsx

    out = tmp_path / "actions.xlsx"
    render_action_tracker_xlsx(follow_up_doc, out)
    sheet = load_workbook(out)["Actions"]
    column = HEADINGS.index("Different this time") + 1
    said = [sheet.cell(row, column).value for row in range(2, sheet.max_row + 1)]
    assert said[0].startswith("The ICB funds a speech and language therapist")
    assert sum(1 for value in said if value) == 3
