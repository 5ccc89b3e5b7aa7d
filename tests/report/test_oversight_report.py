"""The report carries every escalation flag with its reason, and the next review's due date on its first page."""

from __future__ import annotations

import subprocess
from datetime import date

from app.models.enums import ConsentBasis, EntryKind
from app.report.docx_report import render_report_docx
from app.report.document import build_report
from app.report.pdf import render_report_pdf
from app.services import people, reviews, sections
from app.services.dto import ReviewSetup


def pdf_text(path, *pages: int) -> str:
    args = ["pdftotext"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def test_pdf_lists_each_flag_with_its_reason(tmp_path, store, actor, review):
    reviews.update_setup(store, review.id, actor, ward_rated_inadequate=True, escalation_requested_by="family",
                         declined_before=2)
    people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)
    sections.add_entry(store, review.id, "safety", EntryKind.CONCERN, "Bruising seen", actor, safeguarding=True,
                       safeguarding_lead="R. Lead")
    doc = build_report(store, review.id)
    assert doc.escalation_flags == (
        "Long stay: In hospital 32 months (since 1 Mar 2024); adults are escalated at 12 months.",
        "Long-term segregation: The person is in long-term segregation.",
        "Ward rated inadequate by the CQC: The ward or unit is rated inadequate by the CQC.",
        "Safeguarding concern recorded: This review recorded 1 safeguarding concern; check whether an investigation "
        "has been raised.",
        "Escalation requested: Escalation to the oversight panel was requested by their family.",
        "Declined reviews: The person has declined 2 reviews (2 before); consider their capacity.",
    )
    out = tmp_path / "report.pdf"
    render_report_pdf(doc, out)
    text = pdf_text(out)
    for flag in doc.escalation_flags:
        assert flag in text


def test_moj_restricted_long_stay_is_not_in_the_report(store, actor, review):
    # A restriction order in the legal status (the set-up's Section 3 would carry none).
    reviews.update_setup(store, review.id, actor, legal_status="Section 37/41 MHA")
    flags = build_report(store, review.id).escalation_flags
    assert not any(flag.startswith("Long stay") for flag in flags)


def test_next_review_due_on_the_first_page(tmp_path, store, actor):
    created = reviews.create_review(store, ReviewSetup(
        template_id="adult_inpatient", person_label="Q.R.", review_date=date(2026, 8, 31),
    ), actor)
    doc = build_report(store, created.id)
    assert doc.next_review_due == date(2027, 2, 28)
    assert doc.escalation_flags == ()
    out = tmp_path / "report.pdf"
    render_report_pdf(doc, out)
    assert "Next review due 28 February 2027" in pdf_text(out, 1)
    assert "No escalation flags were raised." in pdf_text(out)


def test_docx_lists_the_flags_with_reasons(tmp_path, store, actor, review):
    from docx import Document

    reviews.update_setup(store, review.id, actor, seclusion=True)
    doc = build_report(store, review.id)
    out = tmp_path / "report.docx"
    render_report_docx(doc, out)
    word = Document(str(out))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Regular seclusion: The person is secluded regularly." in text


def test_sheet_cells_never_become_formulas():
    from app.report.oversight_sheet import render_csv, render_xlsx
    from app.services.oversight import OversightRow

    row = OversightRow(review_id=1, person_label="=HYPERLINK(1)", review_type="CTR", review_date=date(2026, 1, 2),
                       setting="+ward", status="draft", flags=(), open_actions=0, overdue_actions=0,
                       next_review_due=None)
    text = render_csv([row]).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'+ward" in text
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(render_xlsx([row], today=date(2026, 1, 3))))["Oversight"]
    assert sheet["B2"].value == "=HYPERLINK(1)" and sheet["B2"].data_type == "s"
