"""The easy-read PDF: big print everywhere (checked in the content streams), plain words, every action."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import date

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.report.document import MARKING, build_report
from app.report.easyread import EASY_READ_MIN_FONT_SIZE, render_easyread_pdf
from app.services.errors import ReviewDayError

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def page_count(path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(path)), re.M).group(1))


def font_sizes(path) -> list[float]:
    """Every font size set by a Tf operator in any page's content stream or form XObject."""
    sizes: list[float] = []
    with open(path, "rb") as handle:
        reader = PdfFileReader(handle)
        count = int(reader.root["/Pages"]["/Count"])
        for index in range(count):
            page_ref, resources = reader.find_page_for_modification(index)
            contents = page_ref.get_object().raw_get("/Contents")
            streams = [ref.get_object() for ref in (contents if isinstance(contents, list) else [contents])]
            xobjects = resources.get("/XObject") if "/XObject" in resources else {}
            streams += [xobjects[name] for name in xobjects]
            for stream in streams:
                data = stream.data
                sizes += [float(size) for size in re.findall(rb"/[^\s/]+\s+([\d.]+)\s+Tf\b", data)]
    return sizes


@pytest.fixture(scope="module")
def easy_pdf(demo_doc, tmp_path_factory):
    out = tmp_path_factory.mktemp("easy") / "easy-read.pdf"
    render_easyread_pdf(demo_doc, out)
    return out


def test_no_text_is_smaller_than_14_pt(easy_pdf):
    sizes = font_sizes(easy_pdf)
    assert len(sizes) > 50, "expected text on every page"
    assert min(sizes) >= EASY_READ_MIN_FONT_SIZE >= 14
    assert max(sizes) >= 22  # headings


def test_the_parts_and_the_headline_answers_in_plain_words(easy_pdf):
    text = flat(run("pdftotext", str(easy_pdf), "-"))
    for part in ("About your review", "Who came", "What you told us", "What we found", "What will happen next",
                 "Your next review", "How to ask for help"):
        assert part in text
    assert "Are you safe? We think: partly." in text
    assert "Is there a plan for your future? We think: yes." in text
    assert "Your review was on 20 November 2026." in text
    assert "A.K." in text and "A.K.." not in text


def test_every_action_reads_as_what_who_when(demo_doc, easy_pdf):
    text = flat(run("pdftotext", str(easy_pdf), "-"))
    assert text.count("What will happen:") == len(demo_doc.actions)
    assert text.count("Who will do it:") == len(demo_doc.actions)
    assert text.count("By when:") == len(demo_doc.actions)
    for action in demo_doc.actions:
        assert f"What will happen: {action.easy_read or action.what}" in text
        assert f"Who will do it: {action.owner}" in text
        assert f"By when: {long_date(action.deadline)}" in text
    assert "By when: 4 December 2026" in text


def test_the_easy_read_wording_of_an_action_is_used_when_present(demo_doc, tmp_path):
    first = dataclasses.replace(demo_doc.actions[0], easy_read="Someone will help you talk about how you feel.")
    doc = dataclasses.replace(demo_doc, actions=(first, *demo_doc.actions[1:]))
    out = tmp_path / "easy.pdf"
    render_easyread_pdf(doc, out)
    text = flat(run("pdftotext", str(out), "-"))
    assert "What will happen: Someone will help you talk about how you feel." in text
    assert demo_doc.actions[0].what not in text


def test_every_page_has_the_marking_and_page_numbers(easy_pdf):
    pages = page_count(easy_pdf)
    for number in range(1, pages + 1):
        text = run("pdftotext", "-f", str(number), "-l", str(number), str(easy_pdf), "-")
        assert text.count(MARKING) >= 2
        assert f"Page {number} of {pages}" in text


def test_fonts_are_embedded(easy_pdf):
    rows = run("pdffonts", str(easy_pdf)).splitlines()[2:]
    assert rows and all("LiberationSans" in row.split()[0] and row.split()[-5] == "yes" for row in rows)
    info = run("pdfinfo", str(easy_pdf))
    assert re.search(r"^Title:\s+Easy read report: A\.K\., 20 November 2026$", info, re.M)


def test_an_empty_review_renders(store, review, tmp_path):
    out = tmp_path / "easy.pdf"
    render_easyread_pdf(build_report(store, review.id), out)
    text = flat(run("pdftotext", str(out), "-"))
    assert "The panel did not ask anyone to do anything new." in text
    assert "We have not decided yet." in text
    assert min(font_sizes(out)) >= 14


def test_writes_atomically(demo_doc, tmp_path):
    out = tmp_path / "easy.pdf"
    out.write_bytes(b"old")
    render_easyread_pdf(demo_doc, out)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["easy.pdf"]
    with pytest.raises(ReviewDayError):
        render_easyread_pdf(demo_doc, tmp_path / "missing" / "easy.pdf")
