"""The paper fallback: a blank workbook PDF for one review type, for wards where laptops are not allowed.

The workbook follows the template's structure exactly (cover with consent basis, attendance
register, one or more pages per KLOE section, headline questions, recommendations), and every
page names its part in the header and footer ("Section safety (1)") so handwritten notes are
typed up into the same sections afterwards. It uses the report's embedded font and page
machinery (app/report/pdf_pages.py), in black on white for printing, and is written atomically.

Accessibility: the PDF carries a title shown by readers, the language (en-GB), bookmarks for
every part, and text drawn in reading order. reportlab does not write a tagged structure tree,
so screen-reader support is limited to that.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer

from app.kloe.loader import Section, Template, TemplateRegistry
from app.kloe.roles import role_label
from app.report import layout
from app.report.atomic import atomic_write_bytes
from app.report.fonts import BOLD, REGULAR, register_fonts
from app.report.pdf_pages import LANDSCAPE, PORTRAIT, PageDecor, ReportDocTemplate, build_pdf_bytes, fit_text, frame_for
from app.report.styles import markup
from app.report.workbook_parts import (
    INK,
    RULE,
    SOFT_INK,
    FillLines,
    Lines,
    SectionMark,
    TickBoxes,
    WorkbookStyles,
    boxed,
    fill_in_fields,
    ruled_table,
    writing_box,
)
from app.services.errors import ValidationError

MARKING = "OFFICIAL-SENSITIVE once filled in"
REMINDER = ("Holds personal data once filled in. Keep it with you; the chair collects every workbook "
            "at the end of the day.")
CONSENT_OPTIONS = ("Consent", "Best-interests decision", "Declined", "Not yet recorded")
ANSWERS = ("Yes", "No", "Partly")
PROMPT_LINES = 4


class UnknownReviewTypeError(ValidationError):
    """No template for the review type (or version) asked for."""


def section_label(section: Section) -> str:
    """How a page names its section, the same words the app uses for the section's id."""
    return f"Section {section.id} ({section.number})"


def find_template(review_type: str, version: int | None = None,
                  registry: TemplateRegistry | None = None) -> Template:
    """The template for a review type (its newest version unless one is given); one-sentence errors."""
    registry = registry or TemplateRegistry.default()
    known = sorted({t.id for t in registry.all()})
    if review_type not in known:
        raise UnknownReviewTypeError(
            f"Unknown review type '{review_type}'; the known types are {', '.join(known)}.")
    if version is None:
        return registry.latest(review_type)
    versions = sorted(t.version for t in registry.all() if t.id == review_type)
    if version not in versions:
        listed = ", ".join(str(v) for v in versions)
        raise UnknownReviewTypeError(
            f"The review type '{review_type}' has no version {version}; its versions are {listed}.")
    return registry.get(review_type, version)


def write_blank_workbook(template: Template, out_path: str | Path) -> Path:
    """Lay out the blank workbook for `template` and write it atomically to `out_path`."""
    out = Path(out_path)
    register_fonts()
    styles = WorkbookStyles()
    data = build_pdf_bytes(lambda stream, total: _doc_template(stream, template, total),
                           lambda: _WorkbookStory(template, styles).build())
    atomic_write_bytes(out, data)
    return out


def workbook_file_name(template: Template) -> str:
    return f"workbook-{template.id}-v{template.version}.pdf"


# ----------------------------------------------------------------------------------------- pages


class _WorkbookDocTemplate(ReportDocTemplate):
    """The report's doc template, with the workbook's own header and footer drawn after each page's
    content, so they name the part that the page's content began (or continues)."""

    def __init__(self, stream, *, template: Template, total_pages: int | None, **kw) -> None:
        self.workbook_title = f"{template.short_title} workbook, template {template.id} v{template.version}"
        super().__init__(stream, decor=PageDecor(MARKING, self.workbook_title), total_pages=total_pages,
                         generated_at=None, **kw)

    def decorate(self, canvas, doc) -> None:
        _draw_header_footer(canvas, self.workbook_title, getattr(canvas, "workbook_part", ""),
                            doc.page, self.total_pages)


def _doc_template(stream, template: Template, total: int | None) -> _WorkbookDocTemplate:
    doc = _WorkbookDocTemplate(
        stream, template=template, total_pages=total,
        title=f"Blank workbook: {template.title} (version {template.version})",
        subject="A printable blank workbook for a review day, to be filled in by hand",
        keywords=["ReviewDay", "workbook", template.id],
    )
    doc.addPageTemplates([
        PageTemplate(id="portrait", frames=[frame_for(PORTRAIT, "portrait")], pagesize=PORTRAIT,
                     onPageEnd=doc.decorate),
        PageTemplate(id="landscape", frames=[frame_for(LANDSCAPE, "landscape")], pagesize=LANDSCAPE,
                     onPageEnd=doc.decorate),
    ])
    return doc


def _draw_header_footer(canvas, title: str, part: str, page: int, total: int | None) -> None:
    width, height = canvas._pagesize
    left, right = layout.MARGIN_LEFT, width - layout.MARGIN_RIGHT
    size = 9
    canvas.saveState()
    canvas.setFillColor(INK)
    # Header: the part in bold on the left (what to type it up under), the marking on the right.
    header_y = height - layout.MARGIN_TOP + 6 * mm
    canvas.setFont(BOLD, 11)
    canvas.drawString(left, header_y, part)
    canvas.setFont(REGULAR, size)
    room = right - left - canvas.stringWidth(part, BOLD, 11) - 8 * mm
    canvas.drawRightString(right, header_y, fit_text(f"{title}  \u00b7  {MARKING}", REGULAR, size, room))
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.8)
    canvas.line(left, header_y - 2.6 * mm, right, header_y - 2.6 * mm)
    # Footer: the reminder, then the part again and page x of y.
    footer_y = layout.MARGIN_BOTTOM - 14 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(left, footer_y + 2 * size + 5, right, footer_y + 2 * size + 5)
    canvas.setFillColor(SOFT_INK)
    canvas.setFont(REGULAR, 8)
    canvas.drawString(left, footer_y + size + 3, fit_text(REMINDER, REGULAR, 8, right - left))
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, size)
    canvas.drawString(left, footer_y, part)
    canvas.setFont(REGULAR, size)
    canvas.drawRightString(right, footer_y, f"Page {page} of {total if total else page}")
    canvas.restoreState()


# ----------------------------------------------------------------------------------------- story


class _WorkbookStory:
    def __init__(self, template: Template, styles: WorkbookStyles) -> None:
        self.t = template
        self.s = styles
        self.width = PORTRAIT[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT
        self.wide = LANDSCAPE[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT

    def p(self, text: str, style=None) -> Paragraph:
        return Paragraph(markup(text), style or self.s.body)

    def build(self) -> list:
        story: list = []
        story += self.cover()
        story += [PageBreak()]
        story += self.attendance()
        for section in self.t.sections:
            story += [PageBreak()]
            story += self.section(section)
        story += [PageBreak()]
        story += self.headlines()
        story += [NextPageTemplate("landscape"), PageBreak()]
        story += self.recommendations()
        return story

    def cover(self) -> list:
        t, s = self.t, self.s
        where = "Hospital and ward" if t.setting == "inpatient" else "Hospital and ward, or setting"
        roles = [role_label(role) for role in t.panel_roles]
        return [
            SectionMark("Cover", "cover", "Cover"),
            self.p("ReviewDay paper workbook", s.kicker),
            self.p(t.title, s.h1),
            self.p(f"{t.short_title}: template {t.id}, version {t.version}. {t.description}", s.lead),
            self.p("For days when a laptop cannot be used. Write in black ink. Afterwards the note-taker types "
                   "it into ReviewDay part by part: each page names its part at the top and bottom, the same "
                   "names the app uses. Use the person's initials or a pseudonym, never their full name.", s.small),
            self.p("The review", s.h2),
            fill_in_fields(s, ["Person's initials or pseudonym", "Review date", where, "Note-taker"], self.width,
                           label_width=62 * mm),
            self.p("The panel", s.h2),
            ruled_table(s, ["Role", "Name"], [58 * mm, self.width - 58 * mm], len(roles) + 2, 8.5 * mm,
                        first_column=roles),
            KeepTogether([
                self.p("Consent to the review", s.h2),
                TickBoxes(CONSENT_OPTIONS, label="Basis:"),
                self.p("Record a basis first. Until one is recorded, the section pages stay blank: the panel "
                       "does not read the papers or take section notes without a consent basis.", s.body),
            ]),
        ]

    def attendance(self) -> list:
        s = self.s
        header = ["Name", "Role", "Organisation", "In person", "Remote", "Sent views", "Apologies"]
        widths = [38 * mm, 30 * mm, 32 * mm] + [17.5 * mm] * 4
        return [
            SectionMark("Attendance register", "attendance", "Attendance register"),
            self.p("Attendance register", s.h1),
            self.p("Everyone who takes part, on the day or beforehand. Tick one box for each person.", s.body),
            ruled_table(s, header, widths, 19, 10 * mm, ticks=(3, 4, 5, 6)),
        ]

    def section(self, section: Section) -> list:
        s = self.s
        label = section_label(section)
        story: list = [
            SectionMark(label, f"section-{section.id}", f"{section.number}. {section.title}"),
            self.p(label, s.kicker),
            self.p(f"{section.number}. {section.title}", s.h1),
            self.p(section.summary, s.body),
            self.p(f"Suggested lead: {role_label(section.lead_role)}   \u00b7   About {section.minutes} minutes   "
                   "\u00b7   Started at ________   Finished at ________", s.small),
        ]
        for number, prompt in enumerate(section.prompts, start=1):
            story.append(KeepTogether([self.p(f"{section.number}.{number}  {prompt.text}", s.prompt),
                                       Lines(PROMPT_LINES)]))
        story.append(Spacer(1, 4 * mm))
        story.append(FillLines("Other notes for this section"))
        # What the panel found gets a page of its own, so a section never ends on a stray box.
        story += [
            PageBreak(),
            self.p(f"{section.number}. {section.title}: what the panel found", s.h2),
            writing_box(s, "Findings", "What the panel found, and the evidence for it: a document seen, "
                        "something observed, or the person's own words.", 8, self.width),
            Spacer(1, 3 * mm),
            writing_box(s, "Good practice", "", 4, self.width),
            Spacer(1, 3 * mm),
            writing_box(s, "Concerns", "", 4, self.width),
            Spacer(1, 3 * mm),
            boxed([
                self.p("Safeguarding", s.box_label),
                TickBoxes(["A safeguarding concern came up in this section"]),
                self.p("Named person to act (name and role)", s.box_hint),
                Lines(1),
                self.p("What they will do, and by when", s.box_hint),
                Lines(2),
            ], self.width),
        ]
        return story

    def headlines(self) -> list:
        s = self.s
        story: list = [
            SectionMark("Headline questions", "headline-questions", "Headline questions"),
            self.p("Headline questions", s.h1),
            self.p("The panel answers all four, with its reasons. They lead the report.", s.body),
        ]
        for question in self.t.headline_questions:
            story.append(KeepTogether([
                self.p(f"{question.number}. {question.text}", s.h3),
                TickBoxes(ANSWERS, label="Answer:"),
                self.p("Why: the reasons and the evidence", s.box_hint),
                Lines(4),
            ]))
        return story

    def recommendations(self) -> list:
        s = self.s
        header = ["What will be done", "Why (the evidence)", "Section", "Owner (one named person)",
                  "Organisation", "Deadline", "Priority (high, medium, low)"]
        widths = [64 * mm, 56 * mm, 19 * mm, 38 * mm, 34 * mm, 22 * mm]
        widths.append(self.wide - sum(widths))
        return [
            SectionMark("Recommendations", "recommendations", "Recommendations"),
            self.p("Recommendations", s.h1),
            self.p("One row for each recommendation: what will be done, why, one named owner and their "
                   "organisation, a date, and how urgent it is. Write the section it came from.", s.body),
            ruled_table(s, header, widths, 13, 15 * mm),
            Spacer(1, 5 * mm),
            KeepTogether([boxed([
                self.p("Handed to the chair at the end of the day", s.box_label),
                fill_in_fields(s, ["Chair's name", "Signature", "Date and time"], self.wide - 6 * mm,
                               label_width=40 * mm, row_height=9 * mm),
            ], self.wide)]),
        ]
