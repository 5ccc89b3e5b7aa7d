"""The full PDF report, checked on the real file with poppler's tools and pyHanko's PDF reader."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import date, datetime

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.report.document import MARKING, ReportAmendment, ReportSignoff, ReportVoice, build_report
from app.report.layout import SIGNATURE_BOXES
from app.report.pdf import render_report_pdf
from app.services.errors import ReviewDayError

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def dd_mon_yyyy(day: date) -> str:
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def page_count(path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(path)), re.M).group(1))


def page_text(path, page: int) -> str:
    return run("pdftotext", "-f", str(page), "-l", str(page), str(path), "-")


def flat(text: str) -> str:
    return " ".join(text.split())


def page_refs(reader: PdfFileReader) -> list:
    """Indirect references of the pages, in order."""
    count = int(reader.root["/Pages"]["/Count"])
    return [reader.find_page_for_modification(index)[0] for index in range(count)]


def content_of(reader: PdfFileReader, page_index: int) -> bytes:
    page = page_refs(reader)[page_index].get_object()
    contents = page.raw_get("/Contents")
    refs = contents if isinstance(contents, list) else [contents]
    return b"".join(ref.get_object().data for ref in refs)


def outline(reader: PdfFileReader) -> list[tuple[int, str, int]]:
    """(level, title, page number) for every bookmark, in order."""
    page_ids = [ref.idnum for ref in page_refs(reader)]
    found = []

    def walk(item, level):
        while item is not None:
            item = item.get_object()
            found.append((level, str(item["/Title"]), page_ids.index(item["/Dest"].raw_get(0).idnum) + 1))
            if "/First" in item:
                walk(item["/First"], level + 1)
            item = item.get("/Next")

    walk(reader.root["/Outlines"].get("/First"), 0)
    return found


@pytest.fixture(scope="module")
def demo_pdf(demo_doc, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    calls = []
    render_report_pdf(demo_doc, out, progress=lambda done, total: calls.append((done, total)))
    return out, calls


def test_every_action_owner_and_deadline_and_the_headline_questions_are_in_the_text(demo_doc, demo_pdf):
    out, _calls = demo_pdf
    text = flat(run("pdftotext", str(out), "-"))
    assert len(demo_doc.actions) >= 8
    for action in demo_doc.actions:
        assert action.owner in text
        assert dd_mon_yyyy(action.deadline) in text
    for headline in demo_doc.headlines:
        assert headline.question in text
        assert f"{headline.number}. {headline.question}" in text
    assert "Partly" in text and "Yes" in text
    for concern in demo_doc.safeguarding_concerns:
        assert concern.text in text and f"Named person: {concern.safeguarding_lead}" in text
    for flag in demo_doc.escalation_flags:
        assert flag in text


def test_every_page_carries_the_marking_page_x_of_y_and_who_and_when(demo_pdf):
    out, _calls = demo_pdf
    pages = page_count(out)
    assert pages >= 6
    for number in range(1, pages + 1):
        text = page_text(out, number)
        assert text.count(MARKING) >= 2, f"page {number} lacks the marking top and bottom"
        assert f"Page {number} of {pages}" in text
        assert "A.K." in text and "20 Nov 2026" in text


def test_fonts_are_liberation_sans_and_embedded(demo_pdf):
    out, _calls = demo_pdf
    rows = run("pdffonts", str(out)).splitlines()[2:]
    assert rows, "no fonts listed"
    names = [row.split()[0] for row in rows]
    assert all("LiberationSans" in name for name in names), names
    for row in rows:
        emb = row.split()[-5]  # columns: ... emb sub uni object ID
        assert emb == "yes", row


def test_metadata_and_bookmarks(demo_doc, demo_pdf):
    out, _calls = demo_pdf
    info = run("pdfinfo", str(out))
    assert f"Title:           {demo_doc.title}" in info
    assert re.search(r"^Author:\s+ReviewDay$", info, re.M)
    assert re.search(r"^Creator:\s+ReviewDay$", info, re.M)
    assert re.search(r"^Subject:\s+\S", info, re.M)
    # No personal data beyond the pseudonym: no names of panel members or attendees in metadata.
    for person in demo_doc.panel + demo_doc.attendees:
        if person.name != demo_doc.person:
            assert person.name not in info
    with out.open("rb") as handle:
        reader = PdfFileReader(handle)
        assert reader.root["/Outlines"]["/Count"] > 0
        marks = outline(reader)
        pages = len(page_refs(reader))
    titles = [title for _level, title, _page in marks]
    for expected in ("Cover", "Headline answers", "About the review", "Findings by section",
                     "Recommendations and actions", "Next review", "How to check this report's signatures",
                     "Sign-off"):
        assert expected in titles
    filled = [s for s in demo_doc.sections if not s.is_empty]
    for section in filled:
        assert (1, f"{section.number}. {section.title}", ) in [(lvl, t) for lvl, t, _p in marks]
    by_title = {title: page for _level, title, page in marks}
    assert by_title["Cover"] == 1 and by_title["Headline answers"] == 2
    assert by_title["Sign-off"] == pages
    # Each bookmark lands on a page whose text contains its heading.
    for _level, title, page in marks:
        if title not in ("Cover", "Next review"):
            assert title in flat(page_text(out, page)), title


def test_the_sign_off_page_is_last_and_its_signature_boxes_are_clear(demo_pdf, tmp_path):
    out, _calls = demo_pdf
    pages = page_count(out)
    last = page_text(out, pages)
    assert "Sign-off" in last and "No one has confirmed this report yet." in last
    assert "Chair" in last and "Countersignature" in last
    assert "How to check this report's signatures" in page_text(out, pages - 1)
    # No word on the last page may sit inside a signature box.
    html = run("pdftotext", "-bbox", "-f", str(pages), "-l", str(pages), str(out), "-")
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    words = [(float(a), height - float(d), float(c), height - float(b), w) for a, b, c, d, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]
    assert words
    for x1, y1, x2, y2 in SIGNATURE_BOXES:
        for wx1, wy1, wx2, wy2, word in words:
            overlaps = wx1 < x2 and wx2 > x1 and wy1 < y2 and wy2 > y1
            assert not overlaps, f"{word!r} overlaps the box {(x1, y1, x2, y2)}"
        # Each box has its label just above it.
        assert any(abs(wx1 - x1) < 1 and 0 <= wy1 - y2 < 20 for wx1, wy1, _x2, _y2, _w in words)
    # The page's drawing includes a rectangle exactly at each box.
    with out.open("rb") as handle:
        reader = PdfFileReader(handle)
        data = content_of(reader, len(page_refs(reader)) - 1)
    rects = [tuple(float(v) for v in m) for m in
             re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re B", data)]
    for x1, y1, x2, y2 in SIGNATURE_BOXES:
        assert any(abs(rx - x1) < 0.01 and abs(ry - y1) < 0.01 and abs(rw - (x2 - x1)) < 0.01
                   and abs(rh - (y2 - y1)) < 0.01 for rx, ry, rw, rh in rects), (x1, y1, x2, y2)


def test_signoffs_and_amendments_appear(demo_doc, tmp_path):
    doc = dataclasses.replace(
        demo_doc,
        revision=2,
        signoffs=(ReportSignoff("Morgan Ellis", "Independent chair", "Confirmed", datetime(2026, 11, 21, 14, 5)),),
        amendments=(ReportAmendment(2, "Corrected the deadline for action 3.", datetime(2026, 11, 25, 10, 0),
                                    "Morgan Ellis"),),
    )
    out = tmp_path / "amended.pdf"
    render_report_pdf(doc, out)
    text = flat(run("pdftotext", str(out), "-"))
    assert "Amendments" in text and "Corrected the deadline for action 3." in text
    assert "Revision 2" in text
    last = flat(page_text(out, page_count(out)))
    assert "Morgan Ellis" in last and "Confirmed" in last and "21 November 2026, 14:05" in last


def test_output_is_deterministic(demo_doc, tmp_path):
    first, second = tmp_path / "one.pdf", tmp_path / "two.pdf"
    render_report_pdf(demo_doc, first)
    render_report_pdf(demo_doc, second)
    assert first.read_bytes() == second.read_bytes()


def test_progress_is_reported(demo_pdf):
    _out, calls = demo_pdf
    assert len(calls) >= 3
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


@pytest.mark.parametrize("fail_at", [1, 3])
def test_a_failure_midway_leaves_the_old_file_untouched(demo_doc, tmp_path, fail_at):
    out = tmp_path / "report.pdf"
    out.write_bytes(b"%PDF-1.4 the previous report")
    before = out.read_bytes()

    def progress(done, total):
        if done == fail_at:
            # At step 3 the new PDF is already written into the temporary file.
            if fail_at == 3:
                assert any(p.name.endswith(".part") for p in tmp_path.iterdir())
            raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        render_report_pdf(demo_doc, out, progress=progress)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_a_missing_folder_is_a_plain_error(demo_doc, tmp_path):
    with pytest.raises(ReviewDayError, match="does not exist"):
        render_report_pdf(demo_doc, tmp_path / "missing" / "report.pdf")


def test_an_empty_review_renders(store, review, tmp_path):
    doc = build_report(store, review.id)
    out = tmp_path / "empty.pdf"
    render_report_pdf(doc, out)
    text = flat(run("pdftotext", str(out), "-"))
    assert "The panel made no recommendations." in text
    assert "Nothing was recorded in any section." in text
    assert "Notes taken on the day" in text and "No notes were taken." in text
    assert "No safeguarding concerns were raised." in text
    assert "No one has confirmed this report yet." in text
    assert "J.B." in text
    pages = page_count(out)
    assert "Sign-off" in page_text(out, pages)


def test_page_x_of_y_is_right_for_a_one_digit_total_too(store, review, tmp_path):
    # The total is written once at the end with room for two digits; a shorter report is laid out again.
    out = tmp_path / "short.pdf"
    render_report_pdf(build_report(store, review.id), out)
    pages = page_count(out)
    assert pages < 10
    for number in range(1, pages + 1):
        footer = page_text(out, number).split()
        assert footer[-4:] == ["Page", str(number), "of", str(pages)], footer[-6:]


def test_awkward_text_is_printed_as_written(demo_doc, tmp_path):
    action = dataclasses.replace(demo_doc.actions[0], what="Check <b>bold</b> & 'quotes' <unclosed",
                                 owner="O'Brien & Sons", deadline=None)
    doc = dataclasses.replace(demo_doc, actions=(action,), consent_detail="Line one\nLine two\x07")
    out = tmp_path / "awkward.pdf"
    render_report_pdf(doc, out)
    text = flat(run("pdftotext", str(out), "-"))
    assert "Check <b>bold</b> & 'quotes' <unclosed" in text
    assert "O'Brien & Sons" in text and "No deadline" in text
    assert "Line one Line two" in text


def test_very_long_entries_split_across_pages_instead_of_failing(demo_doc, tmp_path):
    long = " ".join(f"Sentence {n} of a very long pasted note that goes on." for n in range(150))
    action = dataclasses.replace(demo_doc.actions[0], what=long, why=long,
                                 owner="Averyveryverylongownernamewithoutanyspacesatall")
    section = dataclasses.replace(demo_doc.sections[0],
                                  voices=(ReportVoice("A.K.", "The person", long),))
    headline = dataclasses.replace(demo_doc.headlines[0], reasons=long)
    doc = dataclasses.replace(demo_doc, actions=(action, *demo_doc.actions[1:]),
                              sections=(section, *demo_doc.sections[1:]),
                              headlines=(headline, *demo_doc.headlines[1:]), consent_detail=long)
    out = tmp_path / "long.pdf"
    render_report_pdf(doc, out)
    text = flat(run("pdftotext", str(out), "-"))
    assert "Sentence 149 of a very long pasted note" in text
    pages = page_count(out)
    assert "Sign-off" in page_text(out, pages)


def test_something_that_cannot_fit_on_a_page_is_a_plain_error(demo_doc, tmp_path):
    out = tmp_path / "report.pdf"
    out.write_bytes(b"old")
    with pytest.raises(ReviewDayError, match="too long to fit on a page"):
        render_report_pdf(dataclasses.replace(demo_doc, person="Name " * 3000), out)
    assert out.read_bytes() == b"old"
