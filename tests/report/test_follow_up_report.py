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
    assert outcomes["Identify a community provider in Northvale."] == ("Done", "")
    assert outcomes["Arrange regular video calls with A.K.'s mother."] == ("Not yet recorded", "")
    # Done at the time: not carried.
    assert not any(c.what.startswith("Confirm tribunal") for c in doc.carried)
    assert len(doc.carried) == sum(1 for a in EARLIER_ACTIONS if a[5].value != "done")
    repeated = [a for a in doc.actions if a.recommended_before]
    assert len(repeated) >= 3 and all(a.recommended_before == doc.previous_review_date for a in repeated)


def test_the_pdf_shows_the_table_and_the_note(follow_up_doc, tmp_path):
    out = tmp_path / "report.pdf"
    render_report_pdf(follow_up_doc, out)
    text = flat(run("pdftotext", "-layout", str(out), "-"))
    assert "Previous review's actions" in text
    for heading in ("What", "Owner", "Was due", "Outcome", "Reason"):
        assert heading in text
    assert "A draft exists but it has no dates or steps." in text
    assert "Not yet recorded" in text
    assert f"Recommended before on {follow_up_doc.previous_review_date:%-d %B %Y}" in text


def test_the_docx_shows_the_table_and_the_note(follow_up_doc, tmp_path):
    out = tmp_path / "report.docx"
    render_report_docx(follow_up_doc, out)
    word = docx.Document(str(out))
    assert "Previous review's actions" in headings(word, 1)
    table = next(t for t in word.tables if [c.text for c in t.rows[0].cells][:1] == ["What"])
    assert [c.text for c in table.rows[0].cells] == ["What", "Owner", "Was due", "Outcome", "Reason"]
    assert len(table.rows) == len(follow_up_doc.carried) + 1
    text = all_text(word)
    assert "No speech and language therapist in post on the ward until January." in text
    assert f"Recommended before on {follow_up_doc.previous_review_date:%-d %B %Y}" in text


def test_a_first_review_has_no_such_table(demo_doc):
    assert demo_doc.carried == () and demo_doc.previous_review_date is None
    assert not any(a.recommended_before for a in demo_doc.actions)
