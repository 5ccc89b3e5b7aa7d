"""The blank paper workbook, checked on the real PDF with poppler's tools and pyHanko's reader."""

from __future__ import annotations

import re
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.kloe import TemplateRegistry
from app.kloe.roles import role_label
from app.report.workbook import (
    REMINDER,
    UnknownReviewTypeError,
    find_template,
    section_label,
    workbook_file_name,
    write_blank_workbook,
)
from app.services.errors import StorageError


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def pages_of(path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    return run("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


def header_of(page: str) -> str:
    """The part named at the top left of a page (the first words before the wide gap)."""
    first = next(line for line in page.splitlines() if line.strip())
    return re.split(r"\s{2,}", first.strip())[0]


@pytest.fixture(scope="module")
def icetr_workbook(tmp_path_factory):
    template = find_template("icetr")
    out = write_blank_workbook(template, tmp_path_factory.mktemp("workbook") / "icetr.pdf")
    return template, out, pages_of(out)


def test_every_section_has_its_id_in_the_header_and_footer_of_its_pages(icetr_workbook):
    template, _out, pages = icetr_workbook
    headers = [header_of(page) for page in pages]
    labels = [section_label(section) for section in template.sections]
    assert "Section safety (1)" in labels
    # Each section's pages follow one another, in template order, and no page is unlabelled.
    runs = [label for index, label in enumerate(headers) if index == 0 or headers[index - 1] != label]
    assert runs == ["Cover", "Attendance register", *labels, "Headline questions", "Recommendations"]
    for page, label in zip(pages, headers):
        footer = [line for line in page.splitlines() if line.strip()][-1]
        assert footer.strip().startswith(label), (label, footer)


def test_each_section_page_has_title_summary_lead_minutes_and_every_prompt(icetr_workbook):
    template, out, pages = icetr_workbook
    everything = flat(run("pdftotext", str(out), "-"))
    for section in template.sections:
        own = flat(" ".join(page for page in pages if header_of(page) == section_label(section)))
        assert f"{section.number}. {section.title}" in own
        assert flat(section.summary) in own
        assert f"Suggested lead: {role_label(section.lead_role)}" in own
        assert f"About {section.minutes} minutes" in own
        for prompt in section.prompts:
            assert flat(prompt.text) in own, prompt.id
        for box in ("Findings", "Good practice", "Concerns", "Safeguarding", "Named person to act"):
            assert box in own, (section.id, box)
    for question in template.headline_questions:
        assert flat(question.text) in everything


def test_cover_attendance_headlines_and_recommendations(icetr_workbook):
    template, out, pages = icetr_workbook
    cover = flat(pages[0])
    assert template.title in cover and f"version {template.version}" in cover
    for field in ("Person's initials or pseudonym", "Review date", "Hospital and ward", "Consent",
                  "Best-interests decision", "Declined", "Not yet recorded"):
        assert field in cover
    for role in template.panel_roles:
        assert role_label(role) in cover
    assert "section pages stay blank" in cover  # notes wait for a consent basis
    attendance = flat(run("pdftotext", "-f", "2", "-l", "2", str(out), "-"))
    for column in ("Name", "Role", "Organisation", "In person", "Remote", "Sent views", "Apologies"):
        assert column in attendance
    headline = flat(" ".join(p for p in pages if header_of(p) == "Headline questions"))
    assert headline.count("Answer: Yes No Partly") == 4
    recommendations = flat(" ".join(p for p in pages if header_of(p) == "Recommendations"))
    for column in ("What will be done", "Why (the evidence)", "Owner", "Organisation", "Deadline", "Priority"):
        assert column in recommendations
    assert "Handed to the chair at the end of the day" in recommendations


def test_page_x_of_y_and_the_personal_data_reminder_on_every_page(icetr_workbook):
    template, out, pages = icetr_workbook
    total = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(out)), re.M).group(1))
    assert total == len(pages)
    # A sane size: at least two pages per section, never runaway.
    assert 2 * len(template.sections) + 4 <= total <= 4 * len(template.sections) + 6
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert flat(REMINDER) in flat(page)


def test_a4_metadata_language_and_bookmarks(icetr_workbook):
    template, out, _pages = icetr_workbook
    info = run("pdfinfo", str(out))
    assert "595.276 x 841.89 pts (A4)" in info
    assert f"Title:           Blank workbook: {template.title}" in info
    with open(out, "rb") as stream:
        reader = PdfFileReader(stream)
        assert str(reader.root["/Lang"]) == "en-GB"
        assert reader.root["/ViewerPreferences"]["/DisplayDocTitle"]
        titles = []
        item = reader.root["/Outlines"].get("/First")
        while item is not None:
            item = item.get_object()
            titles.append(str(item["/Title"]))
            item = item.get("/Next")
    assert titles == ["Cover", "Attendance register",
                      *[f"{s.number}. {s.title}" for s in template.sections],
                      "Headline questions", "Recommendations"]
    fonts = run("pdffonts", str(out))
    assert "LiberationSans" in fonts and "Helvetica" not in fonts


def test_printed_black_on_white(icetr_workbook, tmp_path):
    from PIL import Image

    _template, out, _pages = icetr_workbook
    run("pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "5", str(out), str(tmp_path / "page"))
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 5
    for image_path in images:
        image = Image.open(image_path)
        saturation = image.convert("HSV").getextrema()[1]
        assert saturation[1] <= 24, image_path.name  # greys only, no colour
        # Averaged over squares about 1 cm wide, nothing is close to solid ink: no large fills.
        darkest = image.convert("L").reduce(12).getextrema()[0]
        assert darkest > 90, image_path.name


@pytest.mark.parametrize("template", TemplateRegistry.default().latest_all(), ids=lambda t: t.id)
def test_every_review_type_prints(template, tmp_path):
    out = write_blank_workbook(template, tmp_path / workbook_file_name(template))
    headers = {header_of(page) for page in pages_of(out)}
    assert {section_label(s) for s in template.sections} <= headers
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


def test_an_older_version_and_unknown_types_or_versions(tmp_path):
    assert find_template("icetr", 1).version == 1
    with pytest.raises(UnknownReviewTypeError, match=r"Unknown review type 'nope'; the known types are .*icetr"):
        find_template("nope")
    with pytest.raises(UnknownReviewTypeError, match="has no version 99"):
        find_template("icetr", 99)


def test_a_missing_folder_is_one_plain_error_and_an_old_file_is_replaced_whole(tmp_path):
    template = find_template("laep")
    with pytest.raises(StorageError, match="does not exist"):
        write_blank_workbook(template, tmp_path / "missing" / "w.pdf")
    target = tmp_path / "w.pdf"
    target.write_bytes(b"old")
    write_blank_workbook(template, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.pdf"]
