"""The Word report: reopened with python-docx, it says what the review said, in real Word structure."""

from __future__ import annotations

import dataclasses
import errno
from datetime import date, datetime

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import RGBColor

from app.report import docx_report
from app.report.document import MARKING, ReportAmendment, ReportSignoff, build_report
from app.report.docx_report import render_report_docx
from app.services.errors import ReviewDayError, StorageError

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
RECOMMENDATION_HEADINGS = ["#", "What", "Why", "Owner", "Organisation", "Deadline", "Priority", "Section"]


def dd_mon_yyyy(day: date) -> str:
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture(scope="module")
def demo_docx(demo_doc, tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "report.docx"
    render_report_docx(demo_doc, out)
    return docx.Document(str(out))


def all_text(word) -> str:
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def recommendations_table(word):
    for table in word.tables:
        if [cell.text for cell in table.rows[0].cells] == RECOMMENDATION_HEADINGS:
            return table
    raise AssertionError("no recommendations table")


def is_header_row(row) -> bool:
    properties = row._tr.trPr
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


def headings(word, level: int) -> list[str]:
    return [p.text for p in word.paragraphs if p.style.name == f"Heading {level}"]


def test_every_action_has_its_owner_and_formatted_deadline_in_the_table(demo_doc, demo_docx):
    table = recommendations_table(demo_docx)
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(demo_doc.actions) == 9
    for row, action in zip(rows, demo_doc.actions, strict=True):
        assert row[0] == str(action.number)
        assert row[1].startswith(action.what)
        assert row[3] == action.owner
        assert row[4] == action.organisation
        assert row[5] == dd_mon_yyyy(action.deadline)
        assert row[6] == action.priority
        assert row[7] == action.section
    assert "04 Dec 2026" in [row[5] for row in rows]


def test_recommendations_table_repeats_its_header_row(demo_docx):
    table = recommendations_table(demo_docx)
    assert is_header_row(table.rows[0])
    assert not any(is_header_row(row) for row in table.rows[1:])


def test_headline_questions_and_answers_appear(demo_doc, demo_docx):
    text = all_text(demo_docx)
    assert len(demo_doc.headlines) == 4
    for headline in demo_doc.headlines:
        assert headline.question in text
        assert headline.reasons in text
    assert "Partly" in text


def test_content_is_in_the_pdf_order_with_real_headings(demo_doc, demo_docx):
    assert headings(demo_docx, 1) == [
        "Headline answers",
        "Escalation flags and safeguarding",
        "Recommendations and actions",
        "About the review",
        "Findings by section",
        "Notes taken on the day",
        "Sign-off",
    ]
    level_two = headings(demo_docx, 2)
    # The demo was planned before the day, so About the review says how.
    assert level_two[:9] == ["The panel", "Escalation flags", "The panel's decision", "Safeguarding concerns",
                             "Next review", "The person's situation", "Who took part", "Planning before the day",
                             "Consent"]
    text = all_text(demo_docx)
    for section in demo_doc.sections:
        title = f"{section.number}. {section.title}"
        if section.is_empty:
            assert title not in level_two and title in text  # listed under "Nothing was recorded for"
        else:
            assert title in level_two
        # Under "Findings by section", and again in the notes appendix when it has notes.
        assert level_two.count(title) == (not section.is_empty) + bool(section.notes)
    assert "In their own words" in headings(demo_docx, 3)
    assert [p.style.name for p in demo_docx.paragraphs if p.text == demo_doc.review_type] == ["Title"]


def test_cover_says_who_what_when_where(demo_doc, demo_docx):
    cover = {row.cells[0].text: row.cells[1].text for row in demo_docx.tables[0].rows}
    assert cover["Person (pseudonym)"] == "A.K."
    assert cover["Date of review"] == "20 November 2026"
    assert cover["Place"] == demo_doc.place
    assert cover["How the panel met"] == "Hybrid"
    assert cover["Report revision"] == "1 (first issue)"
    panel = [row.cells[0].text for row in demo_docx.tables[1].rows[1:]]
    assert panel == [member.name for member in demo_doc.panel]


def test_heading_styles_are_nhs_blue_and_the_font_is_arial(demo_docx):
    blue = RGBColor(0x00, 0x5E, 0xB8)
    for name in ("Heading 1", "Heading 2"):
        style = demo_docx.styles[name]
        assert style.font.color.rgb == blue
        assert style.font.name == "Arial"
        theme_fonts = style.element.rPr.find(qn("w:rFonts")).get(qn("w:asciiTheme"))
        assert theme_fonts is None  # a theme font would override Arial in Word
    assert demo_docx.styles["Normal"].font.name == "Arial"


def test_every_page_header_carries_the_marking_and_footers_number_pages(demo_docx):
    assert len(demo_docx.sections) == 3  # portrait, landscape recommendations, portrait detail and sign-off
    for section in demo_docx.sections:
        assert MARKING in section.header.paragraphs[0].text
        instructions = " ".join(t.text for t in section.footer._element.iter(qn("w:instrText")))
        assert "PAGE" in instructions and "NUMPAGES" in instructions
        assert "Page 1 of 1" in "\n".join(p.text for p in section.footer.paragraphs)
    assert demo_docx.sections[1].orientation == 1  # landscape for the wide table


def test_safeguarding_concern_names_the_lead_and_escalations_are_listed(demo_doc, demo_docx):
    text = all_text(demo_docx)
    assert demo_doc.safeguarding_concerns
    for concern in demo_doc.safeguarding_concerns:
        assert f"Named person: {concern.safeguarding_lead}" in text
    for flag in demo_doc.escalation_flags:
        assert flag in text
    for attendee in demo_doc.panel + demo_doc.attendees:
        assert attendee.name in text
    assert demo_doc.consent in text
    for document in demo_doc.documents_seen:
        assert document in text
    assert "\u201cI want to go home to Northvale. I want my own flat with my cat.\u201d" in text


def test_core_properties(demo_doc, demo_docx):
    assert demo_docx.core_properties.title == demo_doc.title
    assert demo_docx.core_properties.author == "ReviewDay"
    assert demo_docx.core_properties.category == MARKING


def test_an_empty_review_renders(store, review, tmp_path):
    doc = build_report(store, review.id)
    assert doc.actions == ()
    out = tmp_path / "empty.docx"
    render_report_docx(doc, out)
    word = docx.Document(str(out))
    text = all_text(word)
    assert "The panel made no recommendations." in text
    assert "No notes were taken." in text
    assert headings(word, 1) == ["Headline answers", "Escalation flags and safeguarding", "Recommendations and actions",
                                 "About the review", "Findings by section", "Notes taken on the day", "Sign-off"]
    assert "No one has confirmed this report yet." in text
    assert "No safeguarding concerns were raised." in text
    assert len(word.sections) == 1
    assert MARKING in word.sections[0].header.paragraphs[0].text


def test_amendments_and_signoffs_are_listed(demo_doc, tmp_path):
    amendment = ReportAmendment(2, "Corrected the care co-ordinator's name.", datetime(2026, 11, 27, 14, 5),
                                "Morgan Ellis")
    signoff = ReportSignoff("Morgan Ellis", "Independent chair", "Signed", datetime(2026, 11, 27, 15, 0))
    doc = dataclasses.replace(demo_doc, revision=2, amendments=(amendment,), signoffs=(signoff,))
    out = tmp_path / "amended.docx"
    render_report_docx(doc, out)
    word = docx.Document(str(out))
    assert "Amendments" in headings(word, 2)
    rows = {tuple(cell.text for cell in row.cells) for table in word.tables for row in table.rows}
    assert ("2", "27 November 2026, 14:05", "Morgan Ellis", "Corrected the care co-ordinator's name.") in rows
    assert ("Morgan Ellis", "Independent chair", "Signed", "27 November 2026, 15:00") in rows
    assert ("Report revision", "2 (amended: see Amendments)") in rows


def test_control_characters_and_formula_like_text_are_written_safely(demo_doc, tmp_path):
    first = dataclasses.replace(demo_doc.actions[0], what="=SUM(A1)\x07 bell\x0b\r\nnext", owner="Dr \x00Marsh")
    doc = dataclasses.replace(demo_doc, actions=(first, *demo_doc.actions[1:]))
    out = tmp_path / "odd.docx"
    render_report_docx(doc, out)
    row = recommendations_table(docx.Document(str(out))).rows[1]
    assert row.cells[1].text.startswith("=SUM(A1) bell\nnext")
    assert row.cells[3].text == "Dr Marsh"


def test_missing_folder_is_one_plain_sentence_and_leaves_nothing(demo_doc, tmp_path):
    out = tmp_path / "no such folder" / "report.docx"
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(StorageError) as caught:
        render_report_docx(demo_doc, out)
    assert isinstance(caught.value, ReviewDayError)
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message and "report.docx" in message
    assert sorted(tmp_path.rglob("*")) == before


def test_existing_file_is_untouched_when_rendering_fails_midway(demo_doc, tmp_path, monkeypatch):
    out = tmp_path / "exports" / "report.docx"
    out.parent.mkdir()
    out.write_bytes(b"the previous report")

    def broken(word, doc):
        raise RuntimeError("renderer failed half way")

    monkeypatch.setattr(docx_report, "_recommendations", broken)
    with pytest.raises(RuntimeError):
        render_report_docx(demo_doc, out)
    assert out.read_bytes() == b"the previous report"
    assert list(out.parent.iterdir()) == [out]


def test_disk_full_while_writing_keeps_the_old_file(demo_doc, tmp_path, monkeypatch):
    out = tmp_path / "exports" / "report.docx"
    out.parent.mkdir()
    out.write_bytes(b"the previous report")

    def disk_full(descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("app.report.atomic.os.fsync", disk_full)
    with pytest.raises(StorageError, match="disk is full"):
        render_report_docx(demo_doc, out)
    assert out.read_bytes() == b"the previous report"
    assert list(out.parent.iterdir()) == [out]
