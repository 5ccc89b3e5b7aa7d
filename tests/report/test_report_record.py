"""The report carries what the panel recorded: per-section summaries, every note in an appendix,
the reason for every recommendation, and the recommendations before the section-by-section detail.

Checked on real files: PDFs read back with poppler's tools, Word files reopened with python-docx.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

import docx
import openpyxl
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.models.enums import EntryKind, Evidence
from app.report.document import ReportNote, build_report
from app.report.docx_report import render_report_docx
from app.report.pdf import render_report_pdf
from app.report.xlsx_tracker import render_action_tracker_xlsx
from app.services import actions, notes, sections
from app.services.dto import ActionInput
from tests.report.test_docx import all_text, headings, is_header_row, recommendations_table
from tests.report.test_pdf import flat, outline, page_count, page_refs, page_text, run

NOTES_HEADER = ["Time", "Who spoke", "Note", "Written by"]
APPENDIX = "Notes taken on the day"
# What the boundary review leaves with nothing at all recorded, in template order.
NOTHING_RECORDED = ("Nothing was recorded for: 1. Safety; 2. Care and treatment; 5. Plans for the future; "
                    "7. Long-term segregation; 8. Findings and recommendations.")


@pytest.fixture
def recorded(store, consented_review, actor, clock):
    """A review at the boundaries: a section with only notes, one with only a concern, one with only a
    recommendation, one with the person's own words, and the rest with nothing at all."""
    review_id = consented_review.id

    def note(section, text, name="", role=""):
        clock.advance(minutes=4)
        return notes.add_note(store, review_id, section, text, actor, speaker_name=name, speaker_role=role)

    note("daily_life", "He has a set routine and the ward keeps to it most days.", "Kim Lee", "named_nurse")
    note("opening", "I want to live near my brother.", "J.B.", "person")
    note("daily_life", "Fresh air is offered after lunch when staffing allows.", "Kim Lee", "named_nurse")
    note("daily_life", "The panel saw the garden; the gate was locked.")
    sections.add_entry(store, review_id, "physical_health", EntryKind.CONCERN,
                       "No annual health check this year.", actor, evidence=Evidence.DOCUMENT,
                       evidence_detail="GP letter")
    actions.add_action(store, review_id, ActionInput(
        what="Agree a discharge date with the community team.", why="Discharge has been delayed twice.",
        owner_name="Ben Carter", section_id="hospital_or_community"), actor)
    actions.add_action(store, review_id, ActionInput(what="Book a dental check-up.", owner_name="Kim Lee"), actor)
    return build_report(store, review_id)


@pytest.fixture
def recorded_pdf(recorded, tmp_path):
    out = tmp_path / "recorded.pdf"
    render_report_pdf(recorded, out)
    return out


@pytest.fixture
def recorded_docx(recorded, tmp_path):
    out = tmp_path / "recorded.docx"
    render_report_docx(recorded, out)
    return docx.Document(str(out))


def marks_of(path) -> list[tuple[int, str, int]]:
    with path.open("rb") as handle:
        return outline(PdfFileReader(handle))


def pages_between(path, first_title: str, next_title: str) -> range:
    """The pages from the bookmark `first_title` up to (not including) the page of `next_title`."""
    marks = marks_of(path)
    start = next(page for level, title, page in marks if level == 0 and title == first_title)
    end = next(page for level, title, page in marks if level == 0 and title == next_title)
    return range(start, end)


def words_on(path, page: int) -> list[tuple[float, float, str]]:
    """(x, top y, word) for every word on a page, from pdftotext's bounding boxes."""
    html = run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-")
    return [(float(x), float(y), word) for x, y, word in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', html)]


def row_starting_with(path, pages, first_word: str, anchor_x_max: float | None = None) -> list[str]:
    """The words printed on the same line as the first `first_word` (optionally left of anchor_x_max)."""
    for page in pages:
        words = words_on(path, page)
        for x, y, word in words:
            if word == first_word and (anchor_x_max is None or x < anchor_x_max):
                return [w for _x, wy, w in sorted(words) if abs(wy - y) < 2.5]
    raise AssertionError(f"{first_word!r} not found on pages {list(pages)}")


def header_rows(path, pages) -> int:
    """How many times the notes table's header row is printed on these pages."""
    found = 0
    for page in pages:
        words = words_on(path, page)
        for x, y, word in words:
            if word == "Time":
                line = [w for _x, wy, w in sorted(words) if abs(wy - y) < 2.5]
                found += line == "Time Who spoke Note Written by".split()
    return found


def lines_on(path, page: int) -> list[str]:
    """The page's text as lines: words grouped by their top edge, left to right."""
    lines: dict[float, list[tuple[float, str]]] = {}
    for x, y, word in words_on(path, page):
        key = next((top for top in lines if abs(top - y) < 2.5), y)
        lines.setdefault(key, []).append((x, word))
    return [" ".join(word for _x, word in sorted(words)) for _top, words in sorted(lines.items())]


def doc_tables_after(word, heading_text: str):
    """The tables that follow the Heading 1 `heading_text` up to the next Heading 1, in order."""
    body = word.element.body
    found, inside = [], False
    tables = {t._tbl: t for t in word.tables}
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            paragraph = docx.text.paragraph.Paragraph(child, word)
            if paragraph.style.name == "Heading 1":
                inside = paragraph.text == heading_text
        elif child.tag.endswith("}tbl") and inside:
            found.append(tables[child])
    return found


# ------------------------------------------------------------------ "Nothing was recorded for"


def test_pdf_lists_as_empty_only_the_sections_with_nothing_recorded(recorded_pdf):
    text = flat(run("pdftotext", str(recorded_pdf), "-"))
    assert NOTHING_RECORDED in text
    level_one = [title for level, title, _page in marks_of(recorded_pdf) if level == 1]
    for title in ("0. Opening", "3. Daily life", "4. Physical health and medication", "6. Hospital or community"):
        assert title in level_one


def test_docx_lists_as_empty_only_the_sections_with_nothing_recorded(recorded_docx):
    assert NOTHING_RECORDED in [p.text for p in recorded_docx.paragraphs]
    level_two = headings(recorded_docx, 2)
    for title in ("0. Opening", "3. Daily life", "4. Physical health and medication", "6. Hospital or community"):
        assert title in level_two


def test_the_demo_sections_that_hold_only_notes_are_not_called_empty(demo_doc, tmp_path):
    notes_only = [s for s in demo_doc.sections if s.notes and not (s.findings or s.good_practice or s.concerns)]
    assert notes_only, "the demo has sections with only notes"
    assert not any(s.is_empty for s in demo_doc.sections)
    out = tmp_path / "demo.pdf"
    render_report_pdf(demo_doc, out)
    assert "Nothing was recorded" not in flat(run("pdftotext", str(out), "-"))
    render_report_docx(demo_doc, tmp_path / "demo.docx")
    assert "Nothing was recorded" not in all_text(docx.Document(str(tmp_path / "demo.docx")))


# ------------------------------------------------------------------ per-section summary


def test_each_section_body_says_how_many_notes_and_from_whom(recorded, recorded_pdf, recorded_docx):
    daily = next(s for s in recorded.sections if s.id == "daily_life")
    summary = "3 notes taken. Who spoke: Named nurse (2), Not recorded (1)."
    assert daily.notes_summary == summary
    marks = marks_of(recorded_pdf)
    page = next(page for level, title, page in marks if level == 1 and title == "3. Daily life")
    assert summary in flat(page_text(recorded_pdf, page))
    assert summary in [p.text for p in recorded_docx.paragraphs]
    # The part opens by saying where the notes themselves are.
    pointer = "Every note is in the appendix, Notes taken on the day."
    findings = next(page for level, title, page in marks if level == 0 and title == "Findings by section")
    assert pointer in flat(page_text(recorded_pdf, findings))
    assert any(p.text.endswith(pointer) for p in recorded_docx.paragraphs)


def test_section_bodies_carry_concerns_with_evidence_and_the_recommendations_they_led_to(
        recorded_pdf, recorded_docx):
    text = flat(run("pdftotext", str(recorded_pdf), "-"))
    assert "No annual health check this year. Evidence: Document seen: GP letter" in text
    assert "Recommendation from this section: 1." in text
    word_text = all_text(recorded_docx)
    assert "Evidence: Document seen: GP letter" in word_text
    assert "Recommendation from this section: 1." in word_text


# ------------------------------------------------------------------ the notes appendix


def test_pdf_appendix_has_every_note_per_section_in_order_with_time_speaker_and_author(recorded, recorded_pdf):
    pages = pages_between(recorded_pdf, APPENDIX, "How to check this report's signatures")
    text = flat(" ".join(page_text(recorded_pdf, page) for page in pages))
    assert header_rows(recorded_pdf, pages) == 2  # one table per section with notes
    position = 0
    for section in recorded.sections:
        if not section.notes:
            assert f"{section.number}. {section.title}" not in text
            continue
        position = text.index(f"{section.number}. {section.title}", position)
        for note in section.notes:
            position = text.index(note.text, position)
            row = row_starting_with(recorded_pdf, pages, f"{note.at:%H:%M}", anchor_x_max=80)
            line = " ".join(row)
            assert note.text.split()[0] in line
            assert note.said_by[0].split()[0] in line
            assert note.author.split()[0] in line
    daily = next(s for s in recorded.sections if s.id == "daily_life")
    assert [n.text for n in daily.notes] == [
        "He has a set routine and the ward keeps to it most days.",
        "Fresh air is offered after lunch when staffing allows.",
        "The panel saw the garden; the gate was locked.",
    ]
    assert "Named nurse" in text and "Note-taker" in text


def test_docx_appendix_has_every_note_per_section_in_order(recorded, recorded_docx):
    assert headings(recorded_docx, 1)[-2:] == [APPENDIX, "Sign-off"]
    tables = doc_tables_after(recorded_docx, APPENDIX)
    with_notes = [s for s in recorded.sections if s.notes]
    assert len(tables) == len(with_notes) == 2
    for table, section in zip(tables, with_notes, strict=True):
        assert [c.text for c in table.rows[0].cells] == NOTES_HEADER
        assert is_header_row(table.rows[0])
        rows = [[c.text for c in row.cells] for row in table.rows[1:]]
        assert rows == [[f"{n.at:%H:%M}", "\n".join(p for p in n.said_by if p), n.text,
                         f"{n.author}\n{n.author_role}"] for n in section.notes]
    assert "\n".join(tables[1].rows[1].cells[1].text.split("\n")) == "Kim Lee\nNamed nurse"
    assert tables[1].rows[3].cells[1].text == "Not recorded"
    appendix_sections = [h for h in headings(recorded_docx, 2) if h in ("0. Opening", "3. Daily life")]
    assert appendix_sections.count("3. Daily life") == 2  # once in the body, once in the appendix


def test_a_note_from_another_day_shows_its_date(recorded, tmp_path):
    daily = next(s for s in recorded.sections if s.id == "daily_life")
    earlier = ReportNote(datetime(2026, 11, 18, 16, 40), "Linda B.", "Family or carer",
                         "Sent her views by email two days before.", "Sam Taylor", "Note-taker")
    doc = dataclasses.replace(recorded, sections=tuple(
        dataclasses.replace(s, notes=(earlier, *s.notes)) if s is daily else s for s in recorded.sections))
    out = tmp_path / "earlier.pdf"
    render_report_pdf(doc, out)
    assert "18 Nov 2026, 16:40" in flat(run("pdftotext", str(out), "-"))
    render_report_docx(doc, tmp_path / "earlier.docx")
    assert "18 Nov 2026, 16:40" in all_text(docx.Document(str(tmp_path / "earlier.docx")))


def test_a_very_long_note_wraps_and_runs_over_pages_under_a_repeated_header(demo_doc, tmp_path):
    long = " ".join(f"Sentence {n} of a long note typed during the day." for n in range(400))
    assert len(long) <= notes.NOTE_MAX_CHARS
    first = demo_doc.sections[1]
    note = ReportNote(datetime(2026, 11, 20, 10, 5), "Dr Helen Marsh", "Responsible clinician", long,
                      "Sam Taylor", "Note-taker")
    doc = dataclasses.replace(demo_doc, sections=(
        demo_doc.sections[0], dataclasses.replace(first, notes=(*first.notes, note)), *demo_doc.sections[2:]))
    out = tmp_path / "long.pdf"
    render_report_pdf(doc, out)
    pages = pages_between(out, APPENDIX, "How to check this report's signatures")
    holding = [page for page in pages if "of a long note typed" in page_text(out, page)]
    assert len(holding) >= 2, "a note longer than a page runs on to the next one"
    for page in holding:
        assert header_rows(out, [page]) >= 1, f"page {page} continues the notes without their header"
    text = flat(" ".join(page_text(out, page) for page in pages))
    assert "Sentence 0 of" in text and "Sentence 399 of a long note typed during the day." in text
    # Nothing spills past the right margin.
    width = 595.28
    for page in holding:
        for x, _y, _word in words_on(out, page):
            assert x < width - 20 * 72 / 25.4
    assert "Sign-off" in page_text(out, page_count(out))

    render_report_docx(doc, tmp_path / "long.docx")
    word = docx.Document(str(tmp_path / "long.docx"))
    table = next(t for t in doc_tables_after(word, APPENDIX) if any(long == c.text for c in t.rows[-1].cells))
    assert is_header_row(table.rows[0])
    # A row taller than a page may break across pages in Word.
    assert table.rows[-1]._tr.trPr is None or table.rows[-1]._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is None


def test_a_table_split_before_a_long_row_does_not_start_again_on_the_same_page(demo_doc, tmp_path):
    long = " ".join(f"Sentence {n} of a long note typed during the day." for n in range(120))
    safety = demo_doc.sections[1]
    note = ReportNote(datetime(2026, 11, 20, 10, 5), "Dr Helen Marsh", "Responsible clinician", long,
                      "Sam Taylor", "Note-taker")
    doc = dataclasses.replace(demo_doc, sections=(
        demo_doc.sections[0], dataclasses.replace(safety, notes=(*safety.notes, note)), *demo_doc.sections[2:]))
    out = tmp_path / "split.pdf"
    render_report_pdf(doc, out)
    pages = pages_between(out, APPENDIX, "How to check this report's signatures")
    for page in pages:
        lines = lines_on(out, page)
        captions = [line for line in lines if line in {f"{s.number}. {s.title}" for s in doc.sections}]
        assert len(captions) == len(set(captions)), f"page {page} starts a table again: {captions}"
        assert lines.count(" ".join(NOTES_HEADER)) == len(captions)
    text = flat(" ".join(page_text(out, page) for page in pages))
    assert "Sentence 0 of" in text and "Sentence 119 of a long note typed during the day." in text


# ------------------------------------------------------------------ the why of every recommendation


def test_pdf_shows_each_recommendations_why_on_its_row(recorded, recorded_pdf, demo_doc, tmp_path):
    out = tmp_path / "demo.pdf"
    render_report_pdf(demo_doc, out)
    pages = pages_between(out, "Recommendations and actions", "About the review")
    for action in demo_doc.actions:
        row = row_starting_with(out, pages, str(action.number), anchor_x_max=70)
        line = " ".join(row)
        assert action.why.split()[0] in line and action.owner.split()[0] in line
    text = flat(" ".join(page_text(out, page) for page in pages))
    for action in demo_doc.actions:
        assert action.why in text
    # An action without a reason says so instead of leaving a blank.
    pages = pages_between(recorded_pdf, "Recommendations and actions", "About the review")
    row = " ".join(row_starting_with(recorded_pdf, pages, "2", anchor_x_max=70))
    assert "Book a dental check-up." in row and "No reason recorded" in row


def test_docx_shows_each_recommendations_why(recorded_docx):
    rows = [[c.text for c in row.cells] for row in recommendations_table(recorded_docx).rows[1:]]
    assert rows[0][1].startswith("Agree a discharge date") and rows[0][2] == "Discharge has been delayed twice."
    assert rows[1][1].startswith("Book a dental check-up.") and rows[1][2] == "No reason recorded"


def test_the_tracker_has_each_recommendations_why(demo_doc, tmp_path):
    out = tmp_path / "actions.xlsx"
    render_action_tracker_xlsx(demo_doc, out)
    sheet = openpyxl.load_workbook(out)["Actions"]
    header = [cell.value for cell in sheet[1]]
    why = header.index("Why") + 1
    assert header.index("Why") == header.index("What") + 1
    assert [sheet.cell(row, why).value for row in range(2, len(demo_doc.actions) + 2)] == \
        [a.why for a in demo_doc.actions]


# ------------------------------------------------------------------ order: recommendations first


PDF_ORDER = ["Cover", "Headline answers", "Escalation flags and safeguarding", "Recommendations and actions",
             "Next review", "About the review", "Findings by section", APPENDIX,
             "How to check this report's signatures", "Sign-off"]


def test_pdf_bookmarks_put_recommendations_before_the_section_detail_and_sign_off_last(demo_doc, tmp_path):
    out = tmp_path / "demo.pdf"
    render_report_pdf(demo_doc, out)
    marks = marks_of(out)
    top = [title for level, title, _page in marks if level == 0]
    assert top == PDF_ORDER
    pages = {title: page for level, title, page in marks if level == 0}
    assert pages["Recommendations and actions"] < pages["About the review"] < pages["Findings by section"]
    assert pages["Findings by section"] < pages[APPENDIX] < pages["Sign-off"] == page_count(out)
    with out.open("rb") as handle:
        assert len(page_refs(PdfFileReader(handle))) == page_count(out)
    # Each section's bookmark sits under the part it belongs to: once in the body, once in the appendix.
    level_one = [title for level, title, _page in marks if level == 1]
    for section in demo_doc.sections:
        assert level_one.count(f"{section.number}. {section.title}") == (2 if section.notes else 1)


def test_docx_headings_put_recommendations_before_the_section_detail(demo_doc, tmp_path):
    render_report_docx(demo_doc, tmp_path / "demo.docx")
    word = docx.Document(str(tmp_path / "demo.docx"))
    assert headings(word, 1) == ["Headline answers", "Escalation flags and safeguarding",
                                 "Recommendations and actions", "About the review", "Findings by section",
                                 APPENDIX, "Sign-off"]
    # Portrait, then the landscape action plan, then portrait again for the detail and the sign-off.
    assert [section.orientation for section in word.sections] == [0, 1, 0]
