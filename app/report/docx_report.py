"""The full report as an editable Word document (python-docx), in the same order as the PDF.

Real Heading styles (so Word's navigation pane works), NHS Blue headings, Arial (Liberation Sans
is its metric twin where Arial is missing), the security marking in every page header and
"Page X of Y" fields in every footer. Rendered in memory, then written atomically.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from app.report.atomic import atomic_write_bytes
from app.report.document import ReportAction, ReportDocument, ReportEntry, ReportSection, ReportVoice
from app.report.styles import date_time, long_date, short_date

FONT = "Arial"
NHS_BLUE = "005EB8"
TEXT = "212B32"
SECONDARY_TEXT = "4C6272"
BORDER = "D8DDE0"
PALE_GREY = "F0F4F5"
PALE_BLUE = "E8F1FA"
NHS_RED = "D5281B"
ANSWER_FILLS = {"Yes": ("007F3B", "FFFFFF"), "No": ("D5281B", "FFFFFF"), "Partly": ("FFB81C", TEXT)}

# Recommendations table: (heading, width in mm) on a landscape A4 page (257 mm between margins).
RECOMMENDATION_COLUMNS: tuple[tuple[str, float], ...] = (
    ("#", 9), ("What", 66), ("Why", 50), ("Owner", 28), ("Organisation", 32),
    ("Deadline", 22), ("Priority", 18), ("Section", 32),
)
_VERIFY_MARK = re.compile(r"\s*\(verify\)")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def render_report_docx(doc: ReportDocument, out: Path) -> None:
    """Write the full report to `out` as a .docx; the old file survives any failure untouched."""
    buffer = io.BytesIO()
    _build(doc).save(buffer)
    atomic_write_bytes(out, buffer.getvalue())


def _build(doc: ReportDocument):
    word = Document()
    _set_up_styles(word)
    _set_properties(word, doc)
    _set_up_page(word.sections[0], landscape=False)
    _header_and_footer(word.sections[0], doc)
    _cover(word, doc)
    _headlines(word, doc)
    _escalation(word, doc)
    _about(word, doc)
    _findings(word, doc)
    _recommendations(word, doc)
    _next_review_and_amendments(word, doc)
    _signoff(word, doc)
    return word


# ----------------------------------------------------------------------------- set-up


def _set_up_styles(word) -> None:
    styles = word.styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _force_font(defaults)
    _set_language(defaults)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = RGBColor.from_string(TEXT)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.15
    _force_font(normal.element.get_or_add_rPr())
    _set_language(normal.element.get_or_add_rPr())

    for name, size, colour, before, after in (
        ("Title", 24, NHS_BLUE, 0, 8),
        ("Subtitle", 13, SECONDARY_TEXT, 0, 12),
        ("Heading 1", 17, NHS_BLUE, 18, 6),
        ("Heading 2", 13.5, NHS_BLUE, 14, 4),
        ("Heading 3", 11, TEXT, 10, 3),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor.from_string(colour)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        _force_font(style.element.get_or_add_rPr())
    subtitle = styles["Subtitle"]
    subtitle.font.bold = False
    # The Title's underline rule in NHS Blue instead of the template's theme blue.
    border = styles["Title"].element.pPr.find(qn("w:pBdr"))
    if border is not None:
        for edge in border:
            edge.set(qn("w:color"), NHS_BLUE)
            for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
                edge.attrib.pop(qn(attribute), None)

    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8.5)
        styles[name].font.color.rgb = RGBColor.from_string(SECONDARY_TEXT)
    quote = styles["Quote"]
    quote.font.color.rgb = RGBColor.from_string(TEXT)
    quote.font.size = Pt(10.5)
    quote.paragraph_format.left_indent = Mm(6)
    quote.paragraph_format.space_after = Pt(0)


def _force_font(rpr) -> None:
    """Name the font outright: theme font attributes would otherwise win over it in Word."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")


def _set_properties(word, doc: ReportDocument) -> None:
    properties = word.core_properties
    properties.title = _clean(doc.title)
    properties.author = "ReviewDay"
    properties.last_modified_by = "ReviewDay"
    properties.subject = _clean(doc.review_type)
    properties.category = doc.marking
    properties.keywords = f"{doc.review_type_short}; {doc.marking}"
    properties.comments = f"Review {doc.review_uid}, revision {doc.revision}. Generated by ReviewDay."
    properties.revision = max(1, doc.revision)
    properties.created = doc.generated_at
    properties.modified = doc.generated_at


def _set_up_page(section, *, landscape: bool) -> None:
    long_side, short_side = Mm(297), Mm(210)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_side, short_side) if landscape else (short_side, long_side)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = Mm(24)
    section.bottom_margin = Mm(22)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _header_and_footer(section, doc: ReportDocument) -> None:
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking = header.add_run(doc.marking)
    marking.bold = True
    marking.font.size = Pt(9.5)
    marking.font.color.rgb = RGBColor.from_string(TEXT)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(_clean(
        f"{doc.review_type_short} report: {doc.person}, {short_date(doc.review_date)}, revision {doc.revision}"
    ))
    pages = section.footer.add_paragraph()
    pages._p.style = "Footer"
    pages.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pages.add_run("Page ")
    _field(pages, "PAGE", "1")
    pages.add_run(" of ")
    _field(pages, "NUMPAGES", "1")
    bottom_marking = section.footer.add_paragraph()
    bottom_marking._p.style = "Footer"
    bottom_marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = bottom_marking.add_run(doc.marking)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(TEXT)


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (begin / instruction / separate / result / end) that Word and LibreOffice update."""

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    instruction_run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} \\* MERGEFORMAT "
    instruction_run._r.append(text)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


# ----------------------------------------------------------------------------- content
# Same parts, order and wording as app/report/pdf.py, less the PDF's page about checking signatures.


def _cover(word, doc: ReportDocument) -> None:
    kicker = word.add_paragraph()
    run = kicker.add_run(_clean(f"{doc.review_type_short} report"))
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(NHS_BLUE)
    _styled(word, doc.review_type, "Title")
    _styled(word, f"{doc.person}  \u00b7  {long_date(doc.review_date)}", "Subtitle")

    revision = f"{doc.revision} (first issue)" if doc.revision <= 1 else f"{doc.revision} (amended: see Amendments)"
    _key_values(word, (
        ("Person (pseudonym)", doc.person),
        ("Review", f"{doc.review_type} ({doc.review_type_short})"),
        ("Date of review", long_date(doc.review_date)),
        ("Place", doc.place),
        ("How the panel met", doc.mode),
        ("Environment seen", "Yes: the panel saw where the person lives" if doc.environment_seen
         else "No: the panel did not see where the person lives"),
        ("Next review due", long_date(doc.next_review_due, missing="To be agreed")),
        ("Report revision", revision),
        ("Report produced", date_time(doc.generated_at)),
    ))
    _heading(word, "The panel", 2)
    if doc.panel:
        table = _table(word, len(doc.panel) + 1, 3, widths=(52, 62, 56), header=True)
        _header_row(table, ("Name", "Role", "Organisation"))
        for index, (row, member) in enumerate(zip(table.rows[1:], doc.panel, strict=True), start=1):
            _cell_text(row.cells[0], member.name, bold=True)
            _cell_text(row.cells[1], member.role)
            _cell_text(row.cells[2], member.organisation)
            _stripe(row, index)
    else:
        word.add_paragraph("No panel members were recorded.")
    _small(word, "This report holds personal and health information. Handle, store and share it as "
                 f"{doc.marking}, only with people who need it for the person's care.")


def _headlines(word, doc: ReportDocument) -> None:
    _heading(word, "Headline answers", 1, page_break=True)
    lead = word.add_paragraph("The panel's answers to the four headline questions, with their reasons.")
    lead.runs[0].font.size = Pt(11.5)
    if not doc.headlines:
        word.add_paragraph("This review type has no headline questions.")
        return
    table = _table(word, len(doc.headlines) + 1, 2, widths=(140, 30), header=True)
    _header_row(table, ("Question and the panel's reasons", "Answer"))
    for row, headline in zip(table.rows[1:], doc.headlines, strict=True):
        question, answer = row.cells
        _cell_text(question, f"{headline.number}. {headline.question}", bold=True, size=11)
        reasons = question.add_paragraph()
        reasons.paragraph_format.space_after = Pt(2)
        reasons_run = reasons.add_run(_clean(headline.reasons) or "No reasons recorded.")
        reasons_run.italic = not headline.reasons
        fill, ink = ANSWER_FILLS.get(headline.answer, (PALE_GREY, SECONDARY_TEXT))
        _cell_text(answer, headline.answer, bold=True, colour=ink, size=11)
        answer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        answer.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _shade(answer, fill)


def _escalation(word, doc: ReportDocument) -> None:
    _heading(word, "Escalation flags and safeguarding", 1)
    _heading(word, "Escalation flags", 2)
    if doc.escalation_flags:
        word.add_paragraph("These need attention after the review:")
        for flag in doc.escalation_flags:
            _bullet(word, "").add_run(_clean(flag)).bold = True
    else:
        word.add_paragraph("No escalation flags were raised.")

    _heading(word, "Safeguarding concerns", 2)
    concerns = [(section, entry) for section in doc.sections for entry in section.concerns if entry.safeguarding]
    if not concerns:
        word.add_paragraph("No safeguarding concerns were raised.")
    for section, entry in concerns:
        paragraph = _bullet(word, "")
        paragraph.add_run(_clean(entry.text)).bold = True
        lines = [f"Section: {_section_title(section)}"]
        evidence = _evidence_text(entry)
        if evidence:
            lines.append(f"Evidence: {evidence}")
        for line in lines:
            paragraph.add_run().add_break()
            paragraph.add_run(_clean(line))
        paragraph.add_run().add_break()
        _named_person(paragraph, entry)


def _about(word, doc: ReportDocument) -> None:
    _heading(word, "About the review", 1, page_break=True)
    _heading(word, "The person's situation", 2)
    setting = doc.setting[:1].upper() + doc.setting[1:]
    if doc.secure and "ecure" not in doc.setting:
        setting += " (secure)"
    situation = [
        ("Age band", doc.age_band or "Not recorded"),
        ("Legal status", doc.legal_status or "Not recorded"),
        ("Setting", setting),
        ("Admitted", long_date(doc.admission_date, missing="Not recorded")),
    ]
    if doc.length_of_stay_days is not None:
        situation.append(("Length of stay", f"{doc.length_of_stay_days} days"))
    situation.append(("Long-term segregation", "Yes" if doc.long_term_segregation else "No"))
    _key_values(word, situation)

    _heading(word, "Who took part", 2)
    groups = [(title, people) for title, people in (("Panel", doc.panel), ("Others who took part", doc.attendees))
              if people]
    if groups:
        rows = sum(1 + len(people) for _, people in groups)
        table = _table(word, rows + 1, 4, widths=(48, 46, 46, 30), header=True)
        _header_row(table, ("Name", "Role", "Organisation", "Attendance"))
        index = 1
        for title, people in groups:
            group_row = table.rows[index]
            merged = group_row.cells[0].merge(group_row.cells[-1])
            _cell_text(merged, title, bold=True)
            _shade(merged, PALE_BLUE)
            index += 1
            for attendee in people:
                cells = table.rows[index].cells
                for cell, value in zip(cells, (attendee.name, attendee.role, attendee.organisation,
                                               attendee.attendance), strict=True):
                    _cell_text(cell, value)
                index += 1
    else:
        word.add_paragraph("No attendance was recorded.")

    _heading(word, "Consent", 2)
    consent = [("Basis", doc.consent)]
    if doc.consent_detail:
        consent.append(("Details", doc.consent_detail))
    consent.append(("Recorded by", doc.consent_recorded_by or "Not recorded"))
    table = _key_values(word, consent)
    for run in table.rows[0].cells[1].paragraphs[0].runs:
        run.bold = True

    _heading(word, "Documents seen", 2)
    if not doc.documents_seen:
        word.add_paragraph("No documents were recorded as seen.")
    for name in doc.documents_seen:
        _bullet(word, name)


def _findings(word, doc: ReportDocument) -> None:
    _heading(word, "Findings by section", 1)
    empty = [section for section in doc.sections if section.is_empty]
    filled = [section for section in doc.sections if not section.is_empty]
    if not doc.sections:
        word.add_paragraph("This review type has no sections.")
    elif not filled:
        word.add_paragraph("Nothing was recorded in any section.")
    if empty and filled:
        _small(word, "Nothing was recorded for: " + "; ".join(_section_title(s) for s in empty) + ".")
    for section in filled:
        _heading(word, _section_title(section), 2)
        if section.lead:
            _small(word, f"Section lead: {section.lead}")
        for title, entries in (
            ("Findings", section.findings),
            ("Good practice", section.good_practice),
            ("Concerns", section.concerns),
        ):
            if entries:
                _heading(word, title, 3)
                for entry in entries:
                    _entry(word, entry)
        if section.voices:
            _heading(word, "In their own words", 3)
            for voice in section.voices:
                _voice(word, voice)


def _entry(word, entry: ReportEntry) -> None:
    paragraph = _bullet(word, "")
    if entry.safeguarding:
        flag = paragraph.add_run("Safeguarding. ")
        flag.bold = True
        flag.font.color.rgb = RGBColor.from_string(NHS_RED)
    paragraph.add_run(_clean(entry.text))
    evidence = _evidence_text(entry)
    if evidence or entry.safeguarding:
        paragraph.add_run().add_break()
    if evidence:
        _grey(paragraph.add_run(_clean(f"Evidence: {evidence}")))
    if entry.safeguarding:
        if evidence:
            _grey(paragraph.add_run("  \u00b7  "))
        _grey(paragraph.add_run(_clean(f"Named person: {entry.safeguarding_lead or 'not recorded'}")))


def _voice(word, voice: ReportVoice) -> None:
    """A quote in a pale blue box with an NHS Blue bar, as in the PDF."""
    table = _table(word, 1, 1, widths=(170,), header=False, spacer=False)
    cell = table.rows[0].cells[0]
    _shade(cell, PALE_BLUE)
    _cell_border(cell, "left", NHS_BLUE, size=18)
    quote = cell.paragraphs[0]
    quote.paragraph_format.space_after = Pt(1)
    text = quote.add_run(_clean(f"\u201c{voice.text}\u201d"))
    text.italic = True
    said = cell.add_paragraph()
    said.paragraph_format.space_after = Pt(0)
    _grey(said.add_run(_clean(f"{voice.speaker}, {voice.role}")))
    gap = word.add_paragraph()
    gap.paragraph_format.space_after = Pt(0)
    gap.paragraph_format.line_spacing = Pt(6)


def _previous_actions(word, doc: ReportDocument, *, page_break: bool) -> None:
    """The previous review's actions and what became of each (only for a follow-up review)."""
    if not doc.carried:
        return
    _heading(word, "Previous review's actions", 1, page_break=page_break)
    since = f" of {long_date(doc.previous_review_date)}" if doc.previous_review_date else ""
    word.add_paragraph(f"What became of the actions of the review{since} that were not done then.")
    columns = (("What", 60), ("Owner", 36), ("Was due", 22), ("Outcome", 22), ("Reason", 30))
    table = _table(word, len(doc.carried) + 1, len(columns), widths=tuple(w for _, w in columns), header=True)
    _header_row(table, tuple(name for name, _ in columns), font_size=9)
    for index, (row, carried) in enumerate(zip(table.rows[1:], doc.carried, strict=True), start=1):
        cells = row.cells
        _cell_text(cells[0], carried.what, size=9)
        _cell_text(cells[1], ", ".join(p for p in (carried.owner, carried.organisation) if p), size=9)
        _cell_text(cells[2], short_date(carried.deadline, "No deadline"), size=9)
        _cell_text(cells[3], carried.outcome, bold=True, size=9)
        _cell_text(cells[4], carried.reason, size=9)
        _stripe(row, index)


def _recommendations(word, doc: ReportDocument) -> None:
    if doc.actions:
        # The action plan is wide: it gets landscape pages, with the next review and amendments after it.
        _set_up_page(word.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        _previous_actions(word, doc, page_break=False)
        _heading(word, "Recommendations and actions", 1)
    else:
        _previous_actions(word, doc, page_break=True)
        _heading(word, "Recommendations and actions", 1, page_break=not doc.carried)
        word.add_paragraph("The panel made no recommendations.")
        return
    word.add_paragraph("Each action has one owner and a deadline. Owners confirm completion to the chair.")
    widths = tuple(width for _, width in RECOMMENDATION_COLUMNS)
    table = _table(word, len(doc.actions) + 1, len(RECOMMENDATION_COLUMNS), widths=widths, header=True)
    _header_row(table, tuple(name for name, _ in RECOMMENDATION_COLUMNS), font_size=9)
    for index, (row, action) in enumerate(zip(table.rows[1:], doc.actions, strict=True), start=1):
        _action_row(row, action)
        _stripe(row, index)


def _action_row(row, action: ReportAction) -> None:
    size = 9
    high = action.priority.lower() == "high"
    cells = row.cells
    _cell_text(cells[0], str(action.number), bold=True, size=size)
    _cell_text(cells[1], action.what, size=size)
    if action.recommended_before:
        before = cells[1].add_paragraph()
        before.paragraph_format.space_after = Pt(0)
        note = before.add_run(f"Recommended before on {long_date(action.recommended_before)}")
        note.italic = True
        note.font.size = Pt(8)
    if action.completion_evidence:
        done = cells[1].add_paragraph()
        done.paragraph_format.space_before = Pt(2)
        done.paragraph_format.space_after = Pt(0)
        label = done.add_run("Done when: ")
        label.bold = True
        label.font.size = Pt(8)
        _grey(done.add_run(_clean(action.completion_evidence)), size=8)
    _cell_text(cells[2], action.why, size=size)
    _cell_text(cells[3], action.owner or "No owner", bold=True, size=size)
    _cell_text(cells[4], action.organisation, size=size)
    _cell_text(cells[5], short_date(action.deadline, "No deadline"), size=size)
    _cell_text(cells[6], action.priority, size=size, bold=high, colour=NHS_RED if high else None)
    _cell_text(cells[7], action.section, size=size)


def _next_review_and_amendments(word, doc: ReportDocument) -> None:
    paragraph = _heading(word, "Next review", 2)
    paragraph.paragraph_format.space_before = Pt(16)
    due = word.add_paragraph()
    due.add_run("Next review due: ").bold = True
    due.add_run(long_date(doc.next_review_due, missing="To be agreed")).bold = True
    note = _VERIFY_MARK.sub("", doc.next_review_note or "").strip()
    if note:
        word.add_paragraph(_clean(note))

    if doc.amendments:
        _heading(word, "Amendments", 2)
        word.add_paragraph("Changes made after the report was first issued, newest last.")
        amendments = sorted(doc.amendments, key=lambda a: (a.revision, a.at))
        table = _table(word, len(amendments) + 1, 4, widths=(20, 38, 40, 72), header=True)
        _header_row(table, ("Revision", "When", "By", "Reason"))
        for index, (row, amendment) in enumerate(zip(table.rows[1:], amendments, strict=True), start=1):
            _cell_text(row.cells[0], str(amendment.revision), bold=True)
            _cell_text(row.cells[1], date_time(amendment.at))
            _cell_text(row.cells[2], amendment.by)
            _cell_text(row.cells[3], amendment.reason)
            _stripe(row, index)


def _signoff(word, doc: ReportDocument) -> None:
    if doc.actions:
        _set_up_page(word.add_section(WD_SECTION.NEW_PAGE), landscape=False)
        _heading(word, "Sign-off", 1)
    else:
        _heading(word, "Sign-off", 1, page_break=True)
    word.add_paragraph(
        "This Word copy is for editing and sharing. The signed PDF is the record of the review: a change "
        "made here does not change it, and this copy carries no signatures."
    )
    _heading(word, "Confirmed by", 3)
    if doc.signoffs:
        table = _table(word, len(doc.signoffs) + 1, 4, widths=(50, 50, 30, 40), header=True)
        _header_row(table, ("Name", "Role", "What", "When"))
        for index, (row, signoff) in enumerate(zip(table.rows[1:], doc.signoffs, strict=True), start=1):
            _cell_text(row.cells[0], signoff.name, bold=True)
            _cell_text(row.cells[1], signoff.role)
            _cell_text(row.cells[2], signoff.what)
            _cell_text(row.cells[3], date_time(signoff.at, ""))
            _stripe(row, index)
    else:
        word.add_paragraph("No one has confirmed this report yet.")
    _small(word, f"Review reference {doc.review_uid}, revision {doc.revision}, KLOE template version "
                 f"{doc.template_version}. Produced {date_time(doc.generated_at)}.")


# ----------------------------------------------------------------------------- helpers


def _clean(text: str | None) -> str:
    """Text fit for XML: control characters (which python-docx refuses) dropped, line ends unified."""
    return _XML_UNSAFE.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def _section_title(section: ReportSection) -> str:
    return f"{section.number}. {section.title}"


def _bullet(word, text: str):
    return _styled(word, text, "ListBullet")


def _heading(word, text: str, level: int, *, page_break: bool = False):
    paragraph = _styled(word, text, f"Heading{level}")
    if page_break:
        paragraph.paragraph_format.page_break_before = True
    return paragraph


def _styled(word, text: str, style_id: str):
    """A paragraph in a built-in style, set by id: python-docx's lookup by name is slow."""
    paragraph = word.add_paragraph(_clean(text))
    paragraph._p.style = style_id
    return paragraph


def _small(word, text: str):
    paragraph = word.add_paragraph()
    _grey(paragraph.add_run(_clean(text)))
    return paragraph


def _grey(run, size: float = 9):
    run.font.size = Pt(size)
    run.font.color.rgb = RGBColor.from_string(SECONDARY_TEXT)
    return run


def _evidence_text(entry: ReportEntry) -> str:
    if entry.evidence and entry.evidence_detail:
        return f"{entry.evidence}: {entry.evidence_detail}"
    return entry.evidence or entry.evidence_detail


def _named_person(paragraph, entry: ReportEntry) -> None:
    if entry.safeguarding_lead:
        paragraph.add_run("Named person: ")
        paragraph.add_run(_clean(entry.safeguarding_lead)).bold = True
    else:
        missing = paragraph.add_run("Named person: not recorded")
        missing.bold = True
        missing.font.color.rgb = RGBColor.from_string(NHS_RED)


def _key_values(word, rows: Sequence[tuple[str, str]]):
    table = _table(word, len(rows), 2, widths=(48, 122), header=False, grid=False)
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _cell_text(row.cells[0], label, bold=True, colour=SECONDARY_TEXT)
        _cell_text(row.cells[1], value)
    return table


def _stripe(row, index: int) -> None:
    """Pale grey on every other body row, as in the PDF's tables."""
    if index % 2 == 0:
        for cell in row.cells:
            _shade(cell, PALE_GREY)


def _table(word, rows: int, columns: int, *, widths: Sequence[float], header: bool, grid: bool = True,
           spacer: bool = True):
    table = word.add_table(rows=rows, cols=columns)
    table._tbl.tblPr.style = "TableGrid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _table_borders(table, grid=grid)
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = Mm(width)
    for index, tr in enumerate(table._tbl.tr_lst):
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = Mm(width)
        properties = tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if header and index == 0:
            # Repeat the first row at the top of every page the table runs onto.
            properties.append(OxmlElement("w:tblHeader"))
    if spacer:
        word.add_paragraph().paragraph_format.space_after = Pt(2)
    return table


def _table_borders(table, *, grid: bool) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if grid or edge in ("top", "bottom", "insideH") else "nil")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), BORDER)
        borders.append(element)
    properties = table._tbl.tblPr
    _insert_in_order(properties, borders, _TBLPR_ORDER)
    margins = OxmlElement("w:tblCellMar")
    for edge, value in (("top", 40), ("left", 90), ("bottom", 40), ("right", 90)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(value))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _insert_in_order(properties, margins, _TBLPR_ORDER)


# Word refuses a file whose table properties are out of the schema's order.
_TBLPR_ORDER = tuple(qn(f"w:{name}") for name in (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
    "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
    "tblCaption", "tblDescription",
))


def _insert_in_order(parent, child, order: tuple[str, ...]) -> None:
    """Put `child` where the schema wants it, replacing any element of the same name."""
    existing = parent.find(child.tag)
    if existing is not None:
        parent.remove(existing)
    later = order[order.index(child.tag) + 1:]
    for index, sibling in enumerate(parent):
        if sibling.tag in later:
            parent.insert(index, child)
            return
    parent.append(child)


def _header_row(table, names: Sequence[str], *, font_size: float = 10) -> None:
    for cell, name in zip(table.rows[0].cells, names, strict=True):
        _cell_text(cell, name, bold=True, colour="FFFFFF", size=font_size)
        _shade(cell, NHS_BLUE)


def _cell_text(cell, text: str, *, bold: bool = False, colour: str | None = None, size: float | None = None) -> None:
    lines = _clean(text).split("\n")
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if index < len(lines) - 1:
            run.add_break()
        run.bold = bold or None
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
        if size:
            run.font.size = Pt(size)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    _insert_in_order(cell._tc.get_or_add_tcPr(), shading, _TCPR_ORDER)


def _cell_border(cell, edge: str, colour: str, *, size: int) -> None:
    """One thick coloured edge on a cell (size in eighths of a point), like the PDF's callout bar."""
    borders = OxmlElement("w:tcBorders")
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "0")
    line.set(qn("w:color"), colour)
    borders.append(line)
    _insert_in_order(cell._tc.get_or_add_tcPr(), borders, _TCPR_ORDER)


_TCPR_ORDER = tuple(qn(f"w:{name}") for name in (
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark",
))
