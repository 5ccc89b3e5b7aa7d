"""The report's first page gives the place, CQC rating, secure level, segregation and why the review
was requested; the follow-up wording is the review type's; a next review agreed on the day is shown."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from app.report.docx_report import render_report_docx
from app.report.document import build_report
from app.report.pdf import render_report_pdf
from app.services import reviews


def pdf_text(path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def test_the_first_page_says_where_how_rated_how_secure_and_why(demo_doc, tmp_path):
    facts = dict(demo_doc.process_facts)
    assert demo_doc.place == "Elmfield Hospital, Elm Unit, Cedar Ward"
    assert facts["CQC rating"] == "Requires improvement"
    assert facts["Secure level"] == "Not secure"
    assert facts["In segregation since"] == "24 April 2026 (210 days, 30 weeks, by the review date)"
    assert facts["Why requested"].startswith("Over six months in long-term segregation")
    out = tmp_path / "report.pdf"
    render_report_pdf(demo_doc, out)
    first = pdf_text(out, 1)
    for text in ("Elmfield Hospital, Elm Unit, Cedar Ward", "CQC rating Requires improvement",
                 "In segregation since 24 April 2026 (210 days", "Why requested Over six months"):
        assert text in first


def test_follow_up_wording_is_the_review_types_not_the_chair(demo_doc, tmp_path):
    assert demo_doc.follow_up_note == ("The commissioner follows up each action with its owner and reports progress "
                                       "to the ICS oversight panel.")
    out = tmp_path / "report.pdf"
    render_report_pdf(demo_doc, out)
    text = pdf_text(out)
    assert "Owners confirm completion to the chair" not in text
    assert "reports progress to the ICS oversight panel" in text
    word = tmp_path / "report.docx"
    render_report_docx(demo_doc, word)
    from docx import Document

    paragraphs = "\n".join(p.text for p in Document(str(word)).paragraphs)
    assert "Owners confirm completion to the chair" not in paragraphs
    assert demo_doc.follow_up_note in paragraphs
    assert "CQC rating" in "\n".join(c.text for t in Document(str(word)).tables for r in t.rows for c in r.cells)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_next_review_agreed_on_the_day_is_not_to_be_agreed(store, actor, review, tmp_path, fmt):
    reviews.update_setup(store, review.id, actor, next_review_agreed=date(2027, 2, 19))
    doc = build_report(store, review.id)
    assert doc.next_review_due == date(2027, 2, 19) and "agreed on the day" in doc.next_review_note
    out = tmp_path / f"report.{fmt}"
    if fmt == "pdf":
        render_report_pdf(doc, out)
        text = pdf_text(out)
        assert "Next review due 19 February 2027" in pdf_text(out, 1)
    else:
        render_report_docx(doc, out)
        from docx import Document

        word = Document(str(out))
        text = "\n".join(p.text for p in word.paragraphs)
        text += "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
        assert "19 February 2027" in text
    assert "To be agreed" not in text


def test_the_decision_and_the_root_cause_analysis_are_in_the_escalation_part(demo_doc, store, actor, review,
                                                                            tmp_path):
    assert demo_doc.escalation_decision[0] == "Decision: escalate to the ICS oversight panel."
    assert any("Morgan Ellis" in line and "20 November 2026" in line for line in demo_doc.escalation_decision)
    from app.models.enums import YesNo

    reviews.update_setup(store, review.id, actor, community_review_before_admission=YesNo.NO)
    doc = build_report(store, review.id)
    assert any(line.startswith("Root cause analysis due:") for line in doc.process_flags)
    out = tmp_path / "report.pdf"
    render_report_pdf(doc, out)
    assert "Root cause analysis due" in pdf_text(out)
