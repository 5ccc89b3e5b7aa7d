"""The report's factual accuracy check, in PDF and Word, from what was recorded after the day."""

from __future__ import annotations

from datetime import date, timedelta

import docx

from app.models.enums import CirculationStage, CorrectionDecision
from app.report.docx_report import render_report_docx
from app.report.document import ACCURACY_TITLE, build_report
from app.report.pdf import render_report_pdf
from app.services import after_day, reviews
from app.services.dto import ReviewSetup
from tests.report.test_pdf import flat, run

DAY = date(2026, 11, 20)


def checked_review(store, actor, clock):
    review = reviews.create_review(store, ReviewSetup(template_id="adult_inpatient", person_label="Q.R.",
                                                      review_date=DAY), actor)
    clock.advance(days=7)
    after_day.add_copy(store, review.id, actor, stage=CirculationStage.DRAFT, recipient="Ward manager",
                       organisation="Riverside Hospital", sent_on=DAY + timedelta(days=3))
    after_day.add_copy(store, review.id, actor, stage=CirculationStage.FINAL, recipient="The person",
                       sent_on=DAY + timedelta(days=7))
    after_day.add_correction(store, review.id, actor, requested_by="Riverside Hospital",
                             requested_on=DAY + timedelta(days=5), what="The ward is Willow Ward.",
                             decision=CorrectionDecision.ACCEPTED)
    after_day.add_correction(store, review.id, actor, requested_by="Northvale ICB", what="Drop the finding on leave.",
                             decision=CorrectionDecision.DECLINED, reason="The panel saw the leave records.")
    return review.id


def test_the_report_lists_the_draft_shared_and_each_correction_with_its_decision(store, actor, clock, tmp_path):
    doc = build_report(store, checked_review(store, actor, clock))
    assert [c.recipient for c in doc.draft_shared] == ["Ward manager"]  # the final copies are not the check
    assert [(c.requested_by, c.decision) for c in doc.corrections] == [
        ("Riverside Hospital", "Accepted"), ("Northvale ICB", "Declined")]

    pdf = tmp_path / "report.pdf"
    render_report_pdf(doc, pdf)
    text = flat(run("pdftotext", str(pdf), "-"))
    assert ACCURACY_TITLE in text
    assert "shared for a check of the facts with Ward manager (Riverside Hospital) on 23 November 2026" in text
    assert "2 corrections were asked for: 1 accepted, 1 declined" in text
    assert "The panel saw the leave records." in text and "The ward is Willow Ward." in text

    out = tmp_path / "report.docx"
    render_report_docx(doc, out)
    word = docx.Document(str(out))
    assert ACCURACY_TITLE in [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    rows = {tuple(cell.text for cell in row.cells) for table in word.tables for row in table.rows}
    assert ("Northvale ICB", "", "Drop the finding on leave.", "Declined", "The panel saw the leave records.") in rows
    assert ("Riverside Hospital", "25 Nov 2026", "The ward is Willow Ward.", "Accepted", "") in rows


def test_a_report_without_a_check_has_no_such_part(store, actor, tmp_path):
    review = reviews.create_review(store, ReviewSetup(template_id="adult_inpatient", person_label="Q.R.",
                                                      review_date=DAY), actor)
    doc = build_report(store, review.id)
    assert doc.draft_shared == () and doc.corrections == ()
    pdf = tmp_path / "plain.pdf"
    render_report_pdf(doc, pdf)
    assert ACCURACY_TITLE not in flat(run("pdftotext", str(pdf), "-"))


def test_export_keeps_the_planning_and_distribution_record_beside_the_report(store, actor, clock, tmp_path):
    import csv
    import io

    from app.report.archive import export_review
    from app.services import planning

    review_id = checked_review(store, actor, clock)
    planning.record_planning(store, review_id, actor, notice_given_on=DAY - timedelta(days=14),
                             notice_given_to="=the ward")
    out = tmp_path / "export"
    out.mkdir()
    files = export_review(store, review_id, out)
    [record] = [p for p in files if p.name.endswith("-planning-and-distribution.csv")]
    rows = list(csv.reader(io.StringIO(record.read_bytes().decode("utf-8-sig"))))
    assert rows[0][0] == "Part"
    assert ["Planning", "Notice given", "'=the ward", "", "", "2026-11-06", "", ""] in rows  # never a formula
    assert ["Final report sent", "", "The person", "", "Secure email", "2026-11-27", "", ""] in rows
    assert ["Correction asked for", "Drop the finding on leave.", "Northvale ICB", "", "", "", "Declined",
            "The panel saw the leave records."] in rows
    assert sum(1 for row in rows if row[0] == "Document before the day") == 7


def test_about_the_review_says_how_it_was_planned(store, actor, tmp_path):
    from app.models.enums import DocumentStatus, YesNo
    from app.report.document import PLANNING_TITLE
    from app.services import planning

    review = reviews.create_review(store, ReviewSetup(template_id="adult_inpatient", person_label="Q.R.",
                                                      review_date=DAY), actor)
    assert build_report(store, review.id).planning_facts == ()
    planning.record_planning(store, review.id, actor, notice_given_on=date(2026, 11, 2),
                             notice_given_to="the person and the ward", family_consulted=YesNo.YES,
                             family_consulted_on=date(2026, 10, 30), pre_meeting_on=date(2026, 11, 13))
    for document, status in (("care_plan", DocumentStatus.RECEIVED), ("pbs_plan", DocumentStatus.REQUESTED),
                             ("section_papers", DocumentStatus.NOT_AVAILABLE)):
        planning.set_document_status(store, review.id, actor, document, status)
    doc = build_report(store, review.id)
    assert doc.planning_facts == (
        ("Notice given", "2 November 2026, to the person and the ward"),
        ("Family consulted on the date", "Yes, on 30 October 2026"),
        ("Pre-meeting", "13 November 2026"),
        ("Documents received before the day", "1 of the 3 asked for; not received: Positive behaviour support "
                                              "plan; not available: Mental Health Act section papers"),
    )
    pdf = tmp_path / "planned.pdf"
    render_report_pdf(doc, pdf)
    text = flat(run("pdftotext", str(pdf), "-"))
    assert PLANNING_TITLE in text and "2 November 2026, to the person and the ward" in text
    out = tmp_path / "planned.docx"
    render_report_docx(doc, out)
    rows = {tuple(cell.text for cell in row.cells) for table in docx.Document(str(out)).tables for row in table.rows}
    assert ("Pre-meeting", "13 November 2026") in rows
