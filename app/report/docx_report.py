"""The full report as an editable Word document (python-docx), in the same order as the PDF.

Real Heading styles (so Word's navigation pane works), NHS Blue headings, Arial (Liberation Sans
is its metric twin where Arial is missing), the security marking in every page header and
"Page X of Y" fields in every footer. Rendered in memory, then written atomically.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from app.report.atomic import atomic_write_bytes
from app.report.document import (
    ACCURACY_TITLE,
    CORRECTION_HEADER,
    CORRECTION_SHARES,
    FINDINGS_LEAD,
    NO_REASON,
    NOT_RECORDED,
    NOTES_APPENDIX,
    NOTES_APPENDIX_CARE,
    NOTES_APPENDIX_LEAD,
    NOTES_HEADER,
    PLANNING_TITLE,
    ReportAction,
    ReportDocument,
    ReportEntry,
    ReportSection,
    ReportVoice,
    accuracy_intro,
)
from app.report.docx_parts import (
    ANSWER_FILLS,
    NHS_BLUE,
    NHS_RED,
    PALE_BLUE,
    PALE_GREY,
    SECONDARY_TEXT,
    add_bullet,
    add_heading,
    add_key_values,
    add_small,
    add_styled,
    add_table,
    clean_text,
    grey,
    header_row,
    set_cell_border,
    set_cell_text,
    shade,
    stripe,
)
from app.report.docx_setup import header_and_footer, set_properties, set_up_page, set_up_styles
from app.report.styles import date_time, long_date, note_time, short_date

# Recommendations table: (heading, width in mm) on a landscape A4 page (257 mm between margins).
RECOMMENDATION_COLUMNS: tuple[tuple[str, float], ...] = (
    ("#", 10), ("What", 65), ("Why", 50), ("Owner", 28), ("Organisation", 32),
    ("Deadline", 22), ("Priority", 18), ("Section", 32),
)
_VERIFY_MARK = re.compile(r"\s*\(verify\)")


def render_report_docx(doc: ReportDocument, out: Path) -> None:
    """Write the full report to `out` as a .docx; the old file survives any failure untouched."""
    buffer = io.BytesIO()
    _build(doc).save(buffer)
    atomic_write_bytes(out, buffer.getvalue())


def _build(doc: ReportDocument):
    word = Document()
    set_up_styles(word)
    set_properties(word, doc)
    set_up_page(word.sections[0], landscape=False)
    header_and_footer(word.sections[0], doc)
    _cover(word, doc)
    _headlines(word, doc)
    _escalation(word, doc)
    # What must happen next comes before the detail behind it.
    _recommendations(word, doc)
    _next_review_and_amendments(word, doc)
    _about(word, doc)
    _findings(word, doc)
    _notes_appendix(word, doc)
    _signoff(word, doc)
    return word


# ----------------------------------------------------------------------------- content
# Same parts, order and wording as the PDF (app/report/pdf_story.py), less the PDF's page about checking signatures.


def _cover(word, doc: ReportDocument) -> None:
    kicker = word.add_paragraph()
    run = kicker.add_run(clean_text(f"{doc.review_type_short} report"))
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(NHS_BLUE)
    add_styled(word, doc.review_type, "Title")
    add_styled(word, f"{doc.person}  \u00b7  {long_date(doc.review_date)}", "Subtitle")

    revision = f"{doc.revision} (first issue)" if doc.revision <= 1 else f"{doc.revision} (amended: see Amendments)"
    add_key_values(word, (
        ("Person (pseudonym)", doc.person),
        ("Review", f"{doc.review_type} ({doc.review_type_short})"),
        ("Date of review", long_date(doc.review_date)),
        ("Place", doc.place),
        *doc.process_facts,
        ("How the panel met", doc.mode),
        ("Environment seen", "Yes: the panel saw where the person lives" if doc.environment_seen
         else "No: the panel did not see where the person lives"),
        ("Next review due", long_date(doc.next_review_due, missing="To be agreed")),
        ("Report revision", revision),
        ("Report produced", date_time(doc.generated_at)),
    ))
    add_heading(word, "The panel", 2)
    if doc.panel:
        table = add_table(word, len(doc.panel) + 1, 3, widths=(52, 62, 56), header=True)
        header_row(table, ("Name", "Role", "Organisation"))
        for index, (row, member) in enumerate(zip(table.rows[1:], doc.panel, strict=True), start=1):
            set_cell_text(row.cells[0], member.name, bold=True)
            set_cell_text(row.cells[1], member.role)
            set_cell_text(row.cells[2], member.organisation)
            stripe(row, index)
    else:
        word.add_paragraph("No panel members were recorded.")
    add_small(word, "This report holds personal and health information. Handle, store and share it as "
                 f"{doc.marking}, only with people who need it for the person's care.")


def _headlines(word, doc: ReportDocument) -> None:
    add_heading(word, "Headline answers", 1, page_break=True)
    lead = word.add_paragraph("The panel's answers to the four headline questions, with their reasons.")
    lead.runs[0].font.size = Pt(11.5)
    if not doc.headlines:
        word.add_paragraph("This review type has no headline questions.")
        return
    table = add_table(word, len(doc.headlines) + 1, 2, widths=(140, 30), header=True)
    header_row(table, ("Question and the panel's reasons", "Answer"))
    for row, headline in zip(table.rows[1:], doc.headlines, strict=True):
        question, answer = row.cells
        set_cell_text(question, f"{headline.number}. {headline.question}", bold=True, size=11)
        reasons = question.add_paragraph()
        reasons.paragraph_format.space_after = Pt(2)
        reasons_run = reasons.add_run(clean_text(headline.reasons) or "No reasons recorded.")
        reasons_run.italic = not headline.reasons
        fill, ink = ANSWER_FILLS.get(headline.answer, (PALE_GREY, SECONDARY_TEXT))
        set_cell_text(answer, headline.answer, bold=True, colour=ink, size=11)
        answer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        answer.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        shade(answer, fill)


def _escalation(word, doc: ReportDocument) -> None:
    add_heading(word, "Escalation flags and safeguarding", 1)
    add_heading(word, "Escalation flags", 2)
    if doc.escalation_flags:
        word.add_paragraph("These need attention after the review:")
        for flag in doc.escalation_flags:
            add_bullet(word, "").add_run(clean_text(flag)).bold = True
    else:
        word.add_paragraph("No escalation flags were raised.")
    _decision(word, doc)

    add_heading(word, "Safeguarding concerns", 2)
    concerns = [(section, entry) for section in doc.sections for entry in section.concerns if entry.safeguarding]
    if not concerns:
        word.add_paragraph("No safeguarding concerns were raised.")
    for section, entry in concerns:
        paragraph = add_bullet(word, "")
        paragraph.add_run(clean_text(entry.text)).bold = True
        lines = [f"Section: {_section_title(section)}"]
        evidence = _evidence_text(entry)
        if evidence:
            lines.append(f"Evidence: {evidence}")
        for line in lines:
            paragraph.add_run().add_break()
            paragraph.add_run(clean_text(line))
        paragraph.add_run().add_break()
        _named_person(paragraph, entry)


def _decision(word, doc: ReportDocument) -> None:
    """The panel's escalation decision and any process step due (a root cause analysis), if recorded."""
    if not (doc.escalation_decision or doc.process_flags):
        return
    add_heading(word, "The panel's decision", 2)
    for line in doc.escalation_decision or ("The panel has not recorded its decision.",):
        word.add_paragraph(clean_text(line))
    for flag in doc.process_flags:
        add_bullet(word, "").add_run(clean_text(flag)).bold = True


def _about(word, doc: ReportDocument) -> None:
    if doc.actions:
        # Back to portrait after the landscape action plan.
        set_up_page(word.add_section(WD_SECTION.NEW_PAGE), landscape=False)
        add_heading(word, "About the review", 1)
    else:
        add_heading(word, "About the review", 1, page_break=True)
    add_heading(word, "The person's situation", 2)
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
    add_key_values(word, situation)

    add_heading(word, "Who took part", 2)
    groups = [(title, people) for title, people in (("Panel", doc.panel), ("Others who took part", doc.attendees))
              if people]
    if groups:
        rows = sum(1 + len(people) for _, people in groups)
        table = add_table(word, rows + 1, 4, widths=(48, 46, 46, 30), header=True)
        header_row(table, ("Name", "Role", "Organisation", "Attendance"))
        index = 1
        for title, people in groups:
            group_row = table.rows[index]
            merged = group_row.cells[0].merge(group_row.cells[-1])
            set_cell_text(merged, title, bold=True)
            shade(merged, PALE_BLUE)
            index += 1
            for attendee in people:
                cells = table.rows[index].cells
                for cell, value in zip(cells, (attendee.name, attendee.role, attendee.organisation,
                                               attendee.attendance), strict=True):
                    set_cell_text(cell, value)
                index += 1
    else:
        word.add_paragraph("No attendance was recorded.")

    if doc.planning_facts:
        add_heading(word, PLANNING_TITLE, 2)
        add_key_values(word, list(doc.planning_facts))
    add_heading(word, "Consent", 2)
    consent = [("Basis", doc.consent)]
    if doc.consent_detail:
        consent.append(("Details", doc.consent_detail))
    consent.append(("Recorded by", doc.consent_recorded_by or "Not recorded"))
    table = add_key_values(word, consent)
    for run in table.rows[0].cells[1].paragraphs[0].runs:
        run.bold = True

    add_heading(word, "Documents seen", 2)
    if not doc.documents_seen:
        word.add_paragraph("No documents were recorded as seen.")
    for name in doc.documents_seen:
        add_bullet(word, name)


def _findings(word, doc: ReportDocument) -> None:
    add_heading(word, "Findings by section", 1)
    empty = [section for section in doc.sections if section.is_empty]
    filled = [section for section in doc.sections if not section.is_empty]
    if not doc.sections:
        word.add_paragraph("This review type has no sections.")
    elif not filled:
        word.add_paragraph("Nothing was recorded in any section.")
    else:
        word.add_paragraph(FINDINGS_LEAD)
    if empty and filled:
        add_small(word, "Nothing was recorded for: " + "; ".join(_section_title(s) for s in empty) + ".")
    for section in filled:
        add_heading(word, _section_title(section), 2)
        if section.lead:
            add_small(word, f"Section lead: {section.lead}")
        if section.notes:
            add_small(word, section.notes_summary)
        for title, entries in (
            ("Findings", section.findings),
            ("Good practice", section.good_practice),
            ("Concerns", section.concerns),
        ):
            if entries:
                add_heading(word, title, 3)
                for entry in entries:
                    _entry(word, entry)
        if section.voices:
            add_heading(word, "In their own words", 3)
            for voice in section.voices:
                _voice(word, voice)
        if section.action_numbers:
            word.add_paragraph(section.actions_summary)


def _notes_appendix(word, doc: ReportDocument) -> None:
    """Every note, section by section, in the order it was taken: the record behind the findings."""
    add_heading(word, NOTES_APPENDIX, 1, page_break=True)
    word.add_paragraph(NOTES_APPENDIX_LEAD)
    add_small(word, NOTES_APPENDIX_CARE.format(marking=doc.marking))
    with_notes = [section for section in doc.sections if section.notes]
    if not with_notes:
        word.add_paragraph("No notes were taken.")
    size = 9
    for section in with_notes:
        add_heading(word, _section_title(section), 2)
        # Rows may break across pages: a note can be longer than a page.
        table = add_table(word, len(section.notes) + 1, len(NOTES_HEADER), widths=(24, 37, 79, 30), header=True,
                          cant_split=False)
        header_row(table, NOTES_HEADER, font_size=size)
        for index, (row, note) in enumerate(zip(table.rows[1:], section.notes, strict=True), start=1):
            cells = row.cells
            set_cell_text(cells[0], note_time(note.at, doc.review_date), size=size)
            name, role = note.said_by
            _name_and_role(cells[1], name, role, size=size)
            set_cell_text(cells[2], note.text, size=size)
            _name_and_role(cells[3], note.author or NOT_RECORDED, note.author_role, size=size)
            stripe(row, index)


def _name_and_role(cell, name: str, role: str, *, size: float) -> None:
    """A name in bold with the role beneath it in secondary grey ("Not recorded" in italics)."""
    set_cell_text(cell, name, bold=name != NOT_RECORDED, size=size)
    if name == NOT_RECORDED:
        for run in cell.paragraphs[0].runs:
            run.italic = True
    if role:
        beneath = cell.add_paragraph()
        beneath.paragraph_format.space_after = Pt(0)
        grey(beneath.add_run(clean_text(role)), size=size - 1)


def _entry(word, entry: ReportEntry) -> None:
    paragraph = add_bullet(word, "")
    if entry.safeguarding:
        flag = paragraph.add_run("Safeguarding. ")
        flag.bold = True
        flag.font.color.rgb = RGBColor.from_string(NHS_RED)
    paragraph.add_run(clean_text(entry.text))
    evidence = _evidence_text(entry)
    if evidence or entry.safeguarding:
        paragraph.add_run().add_break()
    if evidence:
        grey(paragraph.add_run(clean_text(f"Evidence: {evidence}")))
    if entry.safeguarding:
        if evidence:
            grey(paragraph.add_run("  \u00b7  "))
        grey(paragraph.add_run(clean_text(f"Named person: {entry.safeguarding_lead or 'not recorded'}")))


def _voice(word, voice: ReportVoice) -> None:
    """A quote in a pale blue box with an NHS Blue bar, as in the PDF."""
    table = add_table(word, 1, 1, widths=(170,), header=False, spacer=False)
    cell = table.rows[0].cells[0]
    shade(cell, PALE_BLUE)
    set_cell_border(cell, "left", NHS_BLUE, size=18)
    quote = cell.paragraphs[0]
    quote.paragraph_format.space_after = Pt(1)
    text = quote.add_run(clean_text(f"\u201c{voice.text}\u201d"))
    text.italic = True
    said = cell.add_paragraph()
    said.paragraph_format.space_after = Pt(0)
    grey(said.add_run(clean_text(f"{voice.speaker}, {voice.role}")))
    gap = word.add_paragraph()
    gap.paragraph_format.space_after = Pt(0)
    gap.paragraph_format.line_spacing = Pt(6)


def _previous_actions(word, doc: ReportDocument) -> None:
    """The previous review's actions and what became of each (only for a follow-up review)."""
    if not doc.carried:
        return
    add_heading(word, "Previous review's actions", 1)
    since = f" of {long_date(doc.previous_review_date)}" if doc.previous_review_date else ""
    word.add_paragraph(f"What became of the actions of the review{since} that were not done then.")
    columns = (("What", 60), ("Owner", 36), ("Was due", 22), ("Outcome", 22), ("Evidence or reason", 30))
    table = add_table(word, len(doc.carried) + 1, len(columns), widths=tuple(w for _, w in columns), header=True)
    header_row(table, tuple(name for name, _ in columns), font_size=9)
    for index, (row, carried) in enumerate(zip(table.rows[1:], doc.carried, strict=True), start=1):
        cells = row.cells
        set_cell_text(cells[0], carried.what, size=9)
        if carried.source_note:
            typed = cells[0].add_paragraph()
            typed.paragraph_format.space_after = Pt(0)
            note = typed.add_run(clean_text(carried.source_note))
            note.italic = True
            note.font.size = Pt(8)
        set_cell_text(cells[1], ", ".join(p for p in (carried.owner, carried.organisation) if p), size=9)
        set_cell_text(cells[2], short_date(carried.deadline, "No deadline"), size=9)
        set_cell_text(cells[3], carried.outcome, bold=True, size=9)
        set_cell_text(cells[4], carried.reason, size=9)
        stripe(row, index)


def _recommendations(word, doc: ReportDocument) -> None:
    if doc.actions:
        # The action plan is wide: it gets landscape pages, with the previous review's actions, the next
        # review and amendments after it.
        set_up_page(word.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        add_heading(word, "Recommendations and actions", 1)
    else:
        add_heading(word, "Recommendations and actions", 1, page_break=True)
        word.add_paragraph("The panel made no recommendations.")
        _previous_actions(word, doc)
        return
    word.add_paragraph(clean_text(f"Each action has one owner and a deadline. {doc.follow_up_note}".strip()))
    widths = tuple(width for _, width in RECOMMENDATION_COLUMNS)
    table = add_table(word, len(doc.actions) + 1, len(RECOMMENDATION_COLUMNS), widths=widths, header=True)
    header_row(table, tuple(name for name, _ in RECOMMENDATION_COLUMNS), font_size=9)
    for index, (row, action) in enumerate(zip(table.rows[1:], doc.actions, strict=True), start=1):
        _action_row(row, action)
        stripe(row, index)
    _previous_actions(word, doc)


def _action_row(row, action: ReportAction) -> None:
    size = 9
    high = action.priority.lower() == "high"
    cells = row.cells
    set_cell_text(cells[0], str(action.number), bold=True, size=size)
    set_cell_text(cells[1], action.what, size=size)
    if action.recommended_before:
        before = cells[1].add_paragraph()
        before.paragraph_format.space_after = Pt(0)
        note = before.add_run(f"Recommended before on {long_date(action.recommended_before)}")
        note.italic = True
        note.font.size = Pt(8)
    if action.different_this_time:
        different = cells[1].add_paragraph()
        different.paragraph_format.space_before = Pt(2)
        different.paragraph_format.space_after = Pt(0)
        label = different.add_run("Different this time: ")
        label.bold = True
        label.font.size = Pt(8)
        text = different.add_run(clean_text(action.different_this_time))
        text.font.size = Pt(8)
    if action.completion_evidence:
        done = cells[1].add_paragraph()
        done.paragraph_format.space_before = Pt(2)
        done.paragraph_format.space_after = Pt(0)
        label = done.add_run("Done when: ")
        label.bold = True
        label.font.size = Pt(8)
        grey(done.add_run(clean_text(action.completion_evidence)), size=8)
    set_cell_text(cells[2], action.why or NO_REASON, size=size)
    if not action.why:
        for run in cells[2].paragraphs[0].runs:
            run.italic = True
    set_cell_text(cells[3], action.owner or "No owner", bold=True, size=size)
    set_cell_text(cells[4], action.organisation, size=size)
    set_cell_text(cells[5], short_date(action.deadline, "No deadline"), size=size)
    set_cell_text(cells[6], action.priority, size=size, bold=high, colour=NHS_RED if high else None)
    set_cell_text(cells[7], action.section, size=size)


def _next_review_and_amendments(word, doc: ReportDocument) -> None:
    paragraph = add_heading(word, "Next review", 2)
    paragraph.paragraph_format.space_before = Pt(16)
    due = word.add_paragraph()
    due.add_run("Next review due: ").bold = True
    due.add_run(long_date(doc.next_review_due, missing="To be agreed")).bold = True
    note = _VERIFY_MARK.sub("", doc.next_review_note or "").strip()
    if note:
        word.add_paragraph(clean_text(note))

    if doc.amendments:
        add_heading(word, "Amendments", 2)
        word.add_paragraph("Changes made after the report was first issued, newest last.")
        amendments = sorted(doc.amendments, key=lambda a: (a.revision, a.at))
        table = add_table(word, len(amendments) + 1, 4, widths=(20, 38, 40, 72), header=True)
        header_row(table, ("Revision", "When", "By", "Reason"))
        for index, (row, amendment) in enumerate(zip(table.rows[1:], amendments, strict=True), start=1):
            set_cell_text(row.cells[0], str(amendment.revision), bold=True)
            set_cell_text(row.cells[1], date_time(amendment.at))
            set_cell_text(row.cells[2], amendment.by)
            set_cell_text(row.cells[3], amendment.reason)
            stripe(row, index)
    _accuracy_check(word, doc)


def _accuracy_check(word, doc: ReportDocument) -> None:
    """As the PDF: the draft shared for the factual accuracy check and the corrections asked for."""
    if not doc.draft_shared and not doc.corrections:
        return
    add_heading(word, ACCURACY_TITLE, 2)
    word.add_paragraph(clean_text(accuracy_intro(doc)))
    if doc.corrections:
        table = add_table(word, len(doc.corrections) + 1, 5, widths=tuple(170 * share for share in CORRECTION_SHARES),
                          header=True)
        header_row(table, CORRECTION_HEADER)
        for index, (row, correction) in enumerate(zip(table.rows[1:], doc.corrections, strict=True), start=1):
            set_cell_text(row.cells[0], correction.requested_by, bold=True)
            set_cell_text(row.cells[1], short_date(correction.requested_on, ""))
            set_cell_text(row.cells[2], correction.what)
            set_cell_text(row.cells[3], correction.decision)
            set_cell_text(row.cells[4], correction.reason)
            stripe(row, index)


def _signoff(word, doc: ReportDocument) -> None:
    add_heading(word, "Sign-off", 1, page_break=True)
    word.add_paragraph(
        "This Word copy is for editing and sharing. The signed PDF is the record of the review: a change "
        "made here does not change it, and this copy carries no signatures."
    )
    add_heading(word, "Confirmed by", 3)
    if doc.signoffs:
        table = add_table(word, len(doc.signoffs) + 1, 4, widths=(50, 50, 30, 40), header=True)
        header_row(table, ("Name", "Role", "What", "When"))
        for index, (row, signoff) in enumerate(zip(table.rows[1:], doc.signoffs, strict=True), start=1):
            set_cell_text(row.cells[0], signoff.name, bold=True)
            set_cell_text(row.cells[1], signoff.role)
            set_cell_text(row.cells[2], signoff.what)
            set_cell_text(row.cells[3], date_time(signoff.at, ""))
            stripe(row, index)
    else:
        word.add_paragraph("No one has confirmed this report yet.")
    add_small(word, f"Review reference {doc.review_uid}, revision {doc.revision}, KLOE template version "
                 f"{doc.template_version}. Produced {date_time(doc.generated_at)}.")


def _section_title(section: ReportSection) -> str:
    return f"{section.number}. {section.title}"


def _evidence_text(entry: ReportEntry) -> str:
    if entry.evidence and entry.evidence_detail:
        return f"{entry.evidence}: {entry.evidence_detail}"
    return entry.evidence or entry.evidence_detail


def _named_person(paragraph, entry: ReportEntry) -> None:
    if entry.safeguarding_lead:
        paragraph.add_run("Named person: ")
        paragraph.add_run(clean_text(entry.safeguarding_lead)).bold = True
    else:
        missing = paragraph.add_run("Named person: not recorded")
        missing.bold = True
        missing.font.color.rgb = RGBColor.from_string(NHS_RED)
