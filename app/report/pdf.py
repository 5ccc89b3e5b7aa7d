"""The full review report as a PDF: NHS-style, embedded fonts, bookmarks, page x of y, sign-off last.

The last page is the sign-off page; its empty signature boxes sit exactly at
app.report.layout.SIGNATURE_BOXES so the signer can place visible signatures inside them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from app.report import layout
from app.report.atomic import atomic_writer
from app.report.document import ReportAction, ReportAttendee, ReportDocument, ReportEntry, ReportSection
from app.report.fonts import BOLD, REGULAR, register_fonts
from app.report.styles import (
    ANSWER_COLOURS,
    BORDER,
    NHS_BLUE,
    NHS_RED,
    NOT_ANSWERED_COLOURS,
    PALE_BLUE,
    PALE_GREY,
    PALE_RED,
    PALE_YELLOW,
    SECONDARY_TEXT,
    TEXT,
    WARM_YELLOW,
    WHITE,
    ReportStyles,
    date_time,
    long_date,
    markup,
    short_date,
    table_style,
)
from app.services.errors import ReviewDayError

Progress = Callable[[int, int], None]

PORTRAIT = layout.PAGE_SIZE
LANDSCAPE = landscape(layout.PAGE_SIZE)
AUTHOR = "ReviewDay"
SIGNATURE_LABELS = ("Chair", "Countersignature 1", "Countersignature 2", "Countersignature 3")
# Space kept clear above the top row of signature boxes for their labels.
_LABEL_GAP = 4 * mm
_SIGNOFF_FRAME_BOTTOM = max(box[3] for box in layout.SIGNATURE_BOXES) + 12 * mm


class ReportLayoutError(ReviewDayError):
    """Something in the review is too big to lay out on a page (reportlab's LayoutError)."""


# --------------------------------------------------------------------------------------------
# Shared machinery (also used by the easy-read renderer)
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageDecor:
    """What every page carries: the marking at top and bottom, who/when, and page x of y."""

    marking: str
    running_title: str
    font_size: float = 9
    rule_colour: object = NHS_BLUE


class Bookmark(Flowable):
    """An invisible marker: adds a PDF outline entry pointing at the page where it lands."""

    def __init__(self, key: str, title: str, level: int = 0) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0
        self.keepWithNext = 1  # stay on the page of what follows

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        return 0, 0

    def draw(self) -> None:
        add_bookmark(self.canv, self.key, self.title, self.level)


class Heading(Paragraph):
    """A heading paragraph that is also a PDF bookmark (outline entry) to itself."""

    def __init__(self, text: str, style, key: str, title: str, level: int = 0) -> None:
        super().__init__(text, style)
        self.bookmark = (key, title, level)

    def draw(self) -> None:
        key, title, level = self.bookmark
        add_bookmark(self.canv, key, title, level, top=self.height + 4)
        super().draw()


def add_bookmark(canvas, key: str, title: str, level: int, top: float = 30) -> None:
    _x, y = canvas.absolutePosition(0, top)
    canvas.bookmarkPage(key, fit="XYZ", left=0, top=min(y, canvas._pagesize[1]), zoom=0)
    canvas.addOutlineEntry(title, key, level=level, closed=False)


class ReportDocTemplate(BaseDocTemplate):
    """A doc template that draws header/footer on every page and counts pages for "x of y"."""

    def __init__(self, stream, *, decor: PageDecor, total_pages: int | None, generated_at,
                 initial_font_size: float = 10, **kw) -> None:
        self.decor = decor
        self.total_pages = total_pages
        self.generated_at = generated_at
        super().__init__(
            stream, pagesize=PORTRAIT, leftMargin=layout.MARGIN_LEFT, rightMargin=layout.MARGIN_RIGHT,
            topMargin=layout.MARGIN_TOP, bottomMargin=layout.MARGIN_BOTTOM, invariant=1,
            initialFontName=REGULAR, initialFontSize=initial_font_size,
            initialLeading=initial_font_size * 1.2, lang="en-GB", displayDocTitle=1, author=AUTHOR,
            creator=AUTHOR, **kw,
        )

    def _makeCanvas(self, filename=None, canvasmaker=None):  # noqa: N802 - reportlab's name
        from reportlab.pdfgen import canvas as canvas_module

        canv = super()._makeCanvas(filename, canvasmaker or canvas_module.Canvas)
        moment = self.generated_at
        if moment is not None:
            # invariant=1 keeps the file reproducible; the dates still say when the report was made.
            stamp = pdf_date(moment)
            canv.setDateFormatter(lambda *_ignored: stamp)
        canv.showOutline()
        return canv

    def decorate(self, canvas, doc) -> None:
        draw_page_decor(canvas, self.decor, doc.page, self.total_pages)


def frame_for(pagesize, name: str, bottom: float | None = None) -> Frame:
    width, height = pagesize
    y = layout.MARGIN_BOTTOM if bottom is None else bottom
    return Frame(layout.MARGIN_LEFT, y, width - layout.MARGIN_LEFT - layout.MARGIN_RIGHT,
                 height - layout.MARGIN_TOP - y, id=name, leftPadding=0, rightPadding=0,
                 topPadding=0, bottomPadding=0)


def draw_page_decor(canvas, decor: PageDecor, page: int, total: int | None) -> None:
    width, height = canvas._pagesize
    left, right = layout.MARGIN_LEFT, width - layout.MARGIN_RIGHT
    size = decor.font_size
    canvas.saveState()
    # Header: marking on the left, who and when on the right, a blue rule beneath.
    header_y = height - layout.MARGIN_TOP + 6 * mm + (size - 9) * 0.6
    canvas.setFillColor(TEXT)
    canvas.setFont(BOLD, size)
    canvas.drawString(left, header_y, decor.marking)
    canvas.setFont(REGULAR, size)
    canvas.setFillColor(SECONDARY_TEXT)
    room = right - left - canvas.stringWidth(decor.marking, BOLD, size) - 8 * mm
    canvas.drawRightString(right, header_y, fit_text(decor.running_title, REGULAR, size, room))
    canvas.setStrokeColor(decor.rule_colour)
    canvas.setLineWidth(0.8)
    canvas.line(left, header_y - 2.6 * mm, right, header_y - 2.6 * mm)
    # Footer: a light rule, the marking again, page x of y.
    footer_y = layout.MARGIN_BOTTOM - 9 * mm - (size - 9) * 0.6
    canvas.setStrokeColor(BORDER)
    canvas.setLineWidth(0.6)
    canvas.line(left, footer_y + size + 3, right, footer_y + size + 3)
    canvas.setFillColor(TEXT)
    canvas.setFont(BOLD, size)
    canvas.drawString(left, footer_y, decor.marking)
    canvas.setFont(REGULAR, size)
    canvas.drawRightString(right, footer_y, f"Page {page} of {total if total else page}")
    canvas.restoreState()


def shorten(text: str, limit: int = 32) -> str:
    """A long pseudonym cut to fit the running header, so the date beside it stays visible."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """`text`, shortened with an ellipsis if it is wider than `width` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits, found by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + "\u2026", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "\u2026"


def pdf_date(moment: datetime) -> str:
    """A PDF date string (D:YYYYMMDDHHmmSS, with the UTC offset when the time carries one)."""
    stamp = f"D:{moment:%Y%m%d%H%M%S}"
    offset = moment.utcoffset()
    if offset is None:
        return stamp
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return stamp + f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


def build_pdf_bytes(make_template: Callable[[io.BytesIO, int | None], ReportDocTemplate],
                    make_story: Callable[[], list], *, on_pass: Callable[[], None] | None = None) -> bytes:
    """Lay the story out until the page count is stable, so "Page x of y" is right on every page.

    Pass one counts pages; pass two prints the real total. Layout does not depend on the total
    (it sits in the footer), so two passes are enough; a third is a safety net.
    """
    from reportlab.platypus.doctemplate import LayoutError

    total: int | None = None
    for _attempt in range(3):
        buffer = io.BytesIO()
        template = make_template(buffer, total)
        try:
            template.build(make_story())
        except LayoutError as exc:
            raise ReportLayoutError(
                "The report could not be laid out: one entry is too long to fit on a page. "
                "Shorten the longest note, finding or action and try again."
            ) from exc
        if on_pass is not None:
            on_pass()
        pages = template.page
        if total == pages:
            return buffer.getvalue()
        total = pages
    return buffer.getvalue()


def write_pdf(out: Path, data: bytes, progress: Progress | None, done: int, total: int) -> None:
    """Write atomically: a failure (or an exception from progress) leaves the old file untouched."""
    with atomic_writer(out) as stream:
        stream.write(data)
        if progress is not None:
            progress(done, total)
    if progress is not None:
        progress(total, total)


# --------------------------------------------------------------------------------------------
# The full report
# --------------------------------------------------------------------------------------------

_STEPS = 4


def render_report_pdf(doc: ReportDocument, out: Path, *, progress: Progress | None = None) -> None:
    """Render the full report to `out` (atomically). progress(done, total) is called a few times."""
    out = Path(out)
    register_fonts()
    if progress is not None:
        progress(0, _STEPS)
    styles = ReportStyles()
    decor = PageDecor(
        marking=doc.marking,
        running_title=(f"{doc.review_type_short} report  \u00b7  {shorten(doc.person)}  \u00b7  "
                       f"{short_date(doc.review_date)}  \u00b7  Revision {doc.revision}"),
    )
    passes = iter(range(1, _STEPS - 1))

    def after_pass() -> None:
        done = next(passes, _STEPS - 2)
        if progress is not None:
            progress(done, _STEPS)

    def make_template(stream, total):
        return _full_template(stream, doc, decor, total)

    data = build_pdf_bytes(make_template, lambda: _ReportStory(doc, styles).build(), on_pass=after_pass)
    write_pdf(out, data, progress, _STEPS - 1, _STEPS)


def _full_template(stream, doc: ReportDocument, decor: PageDecor, total: int | None) -> ReportDocTemplate:
    template = ReportDocTemplate(
        stream, decor=decor, total_pages=total, generated_at=doc.generated_at, title=doc.title,
        subject=f"{doc.review_type} report, revision {doc.revision}", keywords=[doc.marking],
    )
    template.addPageTemplates([
        PageTemplate(id="cover", frames=[frame_for(PORTRAIT, "cover")], pagesize=PORTRAIT,
                     onPage=template.decorate),
        PageTemplate(id="body", frames=[frame_for(PORTRAIT, "body")], pagesize=PORTRAIT,
                     onPage=template.decorate),
        PageTemplate(id="wide", frames=[frame_for(LANDSCAPE, "wide")], pagesize=LANDSCAPE,
                     onPage=template.decorate),
        PageTemplate(id="signoff", frames=[frame_for(PORTRAIT, "signoff", bottom=_SIGNOFF_FRAME_BOTTOM)],
                     pagesize=PORTRAIT, onPage=lambda c, d: (template.decorate(c, d), _draw_signature_boxes(c))),
    ])
    return template


def _draw_signature_boxes(canvas) -> None:
    canvas.saveState()
    for index, (x1, y1, x2, y2) in enumerate(layout.SIGNATURE_BOXES):
        label = SIGNATURE_LABELS[index] if index < len(SIGNATURE_LABELS) else f"Countersignature {index}"
        canvas.setFillColor(TEXT)
        canvas.setFont(BOLD, 10)
        canvas.drawString(x1, y2 + _LABEL_GAP - 1.5 * mm, label)
        canvas.setStrokeColor(SECONDARY_TEXT)
        canvas.setLineWidth(0.8)
        canvas.setFillColor(WHITE)
        canvas.rect(x1, y1, x2 - x1, y2 - y1, stroke=1, fill=1)
    canvas.restoreState()


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
_VERIFY_MARK = re.compile(r"\s*\(verify\)")



def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class _ReportStory:
    """Builds the list of flowables for one ReportDocument."""

    def __init__(self, doc: ReportDocument, styles: ReportStyles) -> None:
        self.doc = doc
        self.s = styles
        self.width = PORTRAIT[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT
        self.wide_width = LANDSCAPE[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT

    # -- helpers -----------------------------------------------------------------------------

    def p(self, text: str, style=None) -> Paragraph:
        return Paragraph(text, style or self.s.body)

    def heading(self, text: str, key: str, level: int = 0, style=None) -> list[Flowable]:
        style = style or (self.s.h1 if level == 0 else self.s.h2)
        return [Heading(markup(text), style, key, text, level)]

    def key_values(self, rows: Sequence[tuple[str, str]], label_width: float = 48 * mm) -> Table:
        data = [[Paragraph(markup(k), self.s.label), Paragraph(v, self.s.cell)] for k, v in rows]
        table = Table(data, colWidths=[label_width, self.width - label_width], hAlign="LEFT", splitInRow=1)
        table.setStyle(table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, BORDER),
            ("LINEABOVE", (0, 0), (-1, 0), 0.5, BORDER),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ]))
        return table

    def grid(self, header: Sequence[str], rows: list[list], widths: Sequence[float],
             extra: Sequence[tuple] = ()) -> Table:
        data = [[Paragraph(markup(h), self.s.cell_head) for h in header], *rows]
        table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT", splitInRow=1)
        commands = [
            ("BACKGROUND", (0, 0), (-1, 0), NHS_BLUE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, BORDER),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]
        for row in range(1, len(data)):
            if row % 2 == 0:
                commands.append(("BACKGROUND", (0, row), (-1, row), PALE_GREY))
        table.setStyle(table_style(commands + list(extra)))
        return table

    def callout(self, content: list[Flowable], background, bar, width: float | None = None) -> Table:
        table = Table([[content]], colWidths=[width or self.width], hAlign="LEFT", splitInRow=1)
        table.setStyle(table_style([
            ("BACKGROUND", (0, 0), (-1, -1), background),
            ("LINEBEFORE", (0, 0), (0, -1), 5, bar),
            ("LEFTPADDING", (0, 0), (-1, -1), 14),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 10),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]))
        return table

    def bullets(self, items: Sequence[str]) -> list[Flowable]:
        return [Paragraph(item, self.s.bullet, bulletText="\u2022") for item in items]

    # -- the story ---------------------------------------------------------------------------

    def build(self) -> list[Flowable]:
        story: list[Flowable] = []
        story += self.cover()
        story += [NextPageTemplate("body"), PageBreak()]
        story += self.headlines()
        story += self.escalation_and_safeguarding()
        story += [PageBreak()]
        story += self.about_the_review()
        story += [CondPageBreak(110 * mm)]
        story += self.findings()
        # The action plan is wide: it gets landscape pages, with the next review and amendments after it.
        story += [NextPageTemplate("wide" if self.doc.actions else "body"), PageBreak()]
        story += self.previous_actions()
        story += self.recommendations()
        story += self.next_review()
        story += self.amendments()
        story += [NextPageTemplate("body"), PageBreak()]
        story += self.how_to_check()
        story += [NextPageTemplate("signoff"), PageBreak()]
        story += self.signoff()
        return story

    def cover(self) -> list[Flowable]:
        d, s = self.doc, self.s
        banner = Table([[[
            Paragraph(markup(f"{d.review_type_short} report"), s.cover_kicker),
            Paragraph(markup(d.review_type), s.cover_title),
            Paragraph(markup(f"{d.person}  \u00b7  {long_date(d.review_date)}"), s.cover_sub),
        ]]], colWidths=[self.width])
        banner.setStyle(table_style([
            ("BACKGROUND", (0, 0), (-1, -1), NHS_BLUE),
            ("LEFTPADDING", (0, 0), (-1, -1), 16),
            ("RIGHTPADDING", (0, 0), (-1, -1), 16),
            ("TOPPADDING", (0, 0), (-1, -1), 16),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 20),
        ]))
        revision = (f"{d.revision} (first issue)" if d.revision <= 1
                    else f"{d.revision} (amended: see Amendments)")
        facts = [
            ("Person (pseudonym)", markup(d.person)),
            ("Review", markup(f"{d.review_type} ({d.review_type_short})")),
            ("Date of review", markup(long_date(d.review_date))),
            ("Place", markup(d.place)),
            ("How the panel met", markup(d.mode)),
            ("Environment seen", "Yes: the panel saw where the person lives" if d.environment_seen
             else "No: the panel did not see where the person lives"),
            ("Next review due", markup(long_date(d.next_review_due) if d.next_review_due else "To be agreed")),
            ("Report revision", markup(revision)),
            ("Report produced", markup(date_time(d.generated_at))),
        ]
        story: list[Flowable] = [
            Bookmark("cover", "Cover", 0), banner, Spacer(1, 9 * mm),
            self.key_values(facts), Spacer(1, 7 * mm),
            Paragraph("The panel", s.h2),
        ]
        if d.panel:
            rows = [[Paragraph(markup(a.name), s.cell_bold), Paragraph(markup(a.role), s.cell),
                     Paragraph(markup(a.organisation), s.cell)] for a in d.panel]
            story.append(self.grid(("Name", "Role", "Organisation"), rows,
                                   (52 * mm, 62 * mm, self.width - 114 * mm)))
        else:
            story.append(self.p("No panel members were recorded."))
        story += [
            Spacer(1, 8 * mm),
            Paragraph(
                "This report holds personal and health information. Handle, store and share it as "
                f"{markup(d.marking)}, only with people who need it for the person's care.", s.small),
        ]
        return story

    def headlines(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story = self.heading("Headline answers", "headlines")
        count = _NUMBER_WORDS.get(len(d.headlines), str(len(d.headlines)))
        story.append(Paragraph(f"The panel's answers to the {count} headline questions, with their reasons.",
                               s.lead))
        pill_width = 30 * mm
        for h in d.headlines:
            fill, ink = ANSWER_COLOURS.get(h.answer, NOT_ANSWERED_COLOURS)
            pill_style = s.pill.clone(f"pill{h.number}", textColor=ink)
            left = [Paragraph(markup(f"{h.number}. {h.question}"), s.box_title),
                    Paragraph(markup(h.reasons) if h.reasons else "<i>No reasons recorded.</i>", s.body)]
            card = Table([[left, Paragraph(markup(h.answer), pill_style)]],
                         colWidths=[self.width - pill_width, pill_width], splitInRow=1)
            card.setStyle(table_style([
                ("BOX", (0, 0), (-1, -1), 0.6, BORDER),
                ("LINEBEFORE", (0, 0), (0, -1), 4, NHS_BLUE),
                ("BACKGROUND", (1, 0), (1, 0), fill),
                ("VALIGN", (0, 0), (0, 0), "TOP"),
                ("VALIGN", (1, 0), (1, 0), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (0, 0), 12),
                ("RIGHTPADDING", (0, 0), (0, 0), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]))
            story += [card, Spacer(1, 4 * mm)]
        if not d.headlines:
            story.append(self.p("This review type has no headline questions."))
        return story

    def escalation_and_safeguarding(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story: list[Flowable] = [CondPageBreak(60 * mm)]
        story += self.heading("Escalation flags and safeguarding", "escalation", style=s.h2)
        if d.escalation_flags:
            content = [Paragraph("Escalation flags", s.box_title),
                       Paragraph("These need attention after the review:", s.body)]
            content += self.bullets([f"<b>{markup(flag)}</b>" for flag in d.escalation_flags])
            story.append(self.callout(content, PALE_YELLOW, WARM_YELLOW))
        else:
            story.append(self.callout([Paragraph("Escalation flags", s.box_title),
                                       Paragraph("No escalation flags were raised.", s.body)],
                                      PALE_GREY, BORDER))
        story.append(Spacer(1, 5 * mm))
        concerns = [(section, e) for section in d.sections for e in section.concerns if e.safeguarding]
        if concerns:
            content = [Paragraph("Safeguarding concerns", s.box_title)]
            for section, entry in concerns:
                lead = (f"Named person: <b>{markup(entry.safeguarding_lead)}</b>" if entry.safeguarding_lead
                        else "<font color='#D5281B'><b>Named person: not recorded</b></font>")
                evidence = self.evidence_text(entry)
                detail = markup(_section_name(section))
                lines = [f"<b>{markup(entry.text)}</b>", f"Section: {detail}"]
                if evidence:
                    lines.append(f"Evidence: {evidence}")
                lines.append(lead)
                content.append(Paragraph("<br/>".join(lines), s.bullet, bulletText="\u2022"))
            story.append(self.callout(content, PALE_RED, NHS_RED))
        else:
            story.append(self.callout([Paragraph("Safeguarding concerns", s.box_title),
                                       Paragraph("No safeguarding concerns were raised.", s.body)],
                                      PALE_GREY, BORDER))
        return story

    def about_the_review(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story = self.heading("About the review", "about")
        # The person's situation.
        story += self.heading("The person's situation", "about-situation", level=1)
        situation = [("Age band", markup(d.age_band) or "Not recorded"),
                     ("Legal status", markup(d.legal_status) or "Not recorded"),
                     ("Setting", markup(_sentence_case(d.setting))),
                     ("Admitted", markup(long_date(d.admission_date, "Not recorded")))]
        if d.length_of_stay_days is not None:
            situation.append(("Length of stay", f"{d.length_of_stay_days} days"))
        situation.append(("Long-term segregation", "Yes" if d.long_term_segregation else "No"))
        story.append(self.key_values(situation))

        # Who took part.
        story += self.heading("Who took part", "about-attendance", level=1)
        widths = (48 * mm, 46 * mm, 46 * mm, self.width - 140 * mm)
        rows: list[list] = []
        extra: list[tuple] = []

        def group(title: str, people: Sequence[ReportAttendee]) -> None:
            if not people:
                return
            index = len(rows) + 1
            rows.append([Paragraph(markup(title), s.cell_bold), "", "", ""])
            extra.extend([("SPAN", (0, index), (-1, index)), ("BACKGROUND", (0, index), (-1, index), PALE_BLUE)])
            for a in people:
                rows.append([Paragraph(markup(a.name), s.cell), Paragraph(markup(a.role), s.cell),
                             Paragraph(markup(a.organisation), s.cell), Paragraph(markup(a.attendance), s.cell)])

        group("Panel", d.panel)
        group("Others invited", d.attendees)
        if rows:
            table = self.grid(("Name", "Role", "Organisation", "Attendance"), rows, widths)
            # Group rows keep their pale blue; plain zebra striping would fight with it.
            table.setStyle(table_style(extra))
            story.append(table)
        else:
            story.append(self.p("No attendance was recorded."))

        # Consent.
        story += self.heading("Consent", "about-consent", level=1)
        consent_rows = [("Basis", f"<b>{markup(d.consent)}</b>")]
        if d.consent_detail:
            consent_rows.append(("Details", markup(d.consent_detail)))
        consent_rows.append(("Recorded by", markup(d.consent_recorded_by) or "Not recorded"))
        story.append(self.key_values(consent_rows))

        # Documents seen.
        story += self.heading("Documents seen", "about-documents", level=1)
        if d.documents_seen:
            story += self.bullets([markup(doc) for doc in d.documents_seen])
        else:
            story.append(self.p("No documents were recorded as seen."))
        return story

    def evidence_text(self, entry: ReportEntry) -> str:
        if entry.evidence and entry.evidence_detail:
            return f"{markup(entry.evidence)}: {markup(entry.evidence_detail)}"
        return markup(entry.evidence or entry.evidence_detail)

    def entry_paragraph(self, entry: ReportEntry) -> Paragraph:
        lines = []
        if entry.safeguarding:
            lines.append(f"<font color='#D5281B'><b>Safeguarding.</b></font> {markup(entry.text)}")
        else:
            lines.append(markup(entry.text))
        tags = []
        evidence = self.evidence_text(entry)
        if evidence:
            tags.append(f"Evidence: {evidence}")
        if entry.safeguarding:
            tags.append(f"Named person: {markup(entry.safeguarding_lead) or 'not recorded'}")
        if tags:
            joined = "  \u00b7  ".join(tags)
            lines.append(f"<font size='8.5' color='#4C6272'>{joined}</font>")
        return Paragraph("<br/>".join(lines), self.s.bullet, bulletText="\u2022")

    def findings(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story = self.heading("Findings by section", "findings")
        empty = [sec for sec in d.sections if sec.is_empty]
        filled = [sec for sec in d.sections if not sec.is_empty]
        if not d.sections:
            story.append(self.p("This review type has no sections."))
        elif not filled:
            story.append(self.p("Nothing was recorded in any section."))
        if empty and filled:
            names = "; ".join(markup(_section_name(sec)) for sec in empty)
            story.append(Paragraph(f"Nothing was recorded for: {names}.", s.small))
            story.append(Spacer(1, 2 * mm))
        for sec in filled:
            story += self.section(sec)
        return story

    def section(self, sec: ReportSection) -> list[Flowable]:
        s = self.s
        story: list[Flowable] = [CondPageBreak(45 * mm)]
        story += self.heading(_section_name(sec), f"section-{sec.id}", level=1)
        if sec.lead:
            story.append(Paragraph(f"Section lead: {markup(sec.lead)}", s.small))
        for title, entries in (("Findings", sec.findings), ("Good practice", sec.good_practice),
                               ("Concerns", sec.concerns)):
            if entries:
                story.append(Paragraph(title, s.h3))
                story += [self.entry_paragraph(e) for e in entries]
        if sec.voices:
            story.append(Paragraph("In their own words", s.h3))
            for voice in sec.voices:
                quote = [Paragraph(f"\u201c{markup(voice.text)}\u201d", s.quote),
                         Paragraph(f"{markup(voice.speaker)}, {markup(voice.role)}", s.quote_by)]
                box = self.callout(quote, PALE_BLUE, NHS_BLUE)
                box.setStyle(table_style([("TOPPADDING", (0, 0), (-1, -1), 7),
                                         ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                                         ("LINEBEFORE", (0, 0), (0, -1), 3, NHS_BLUE)]))
                story += [box, Spacer(1, 2.5 * mm)]
        return story

    def recommendations(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story = self.heading("Recommendations and actions", "actions")
        if not d.actions:
            story.append(self.p("The panel made no recommendations."))
            return story
        story.append(Paragraph(
            "Each action has one owner and a deadline. Owners confirm completion to the chair.", s.body))
        w = self.wide_width
        widths = [8 * mm, 0, 50 * mm, 30 * mm, 32 * mm, 22 * mm, 17 * mm, 30 * mm]
        widths[1] = w - sum(widths)
        rows = [self.action_row(a) for a in d.actions]
        extra = []
        for index, action in enumerate(d.actions, start=1):
            if action.priority.lower() == "high":
                extra.append(("TEXTCOLOR", (6, index), (6, index), NHS_RED))
        extra += [("TOPPADDING", (0, 1), (-1, -1), 4), ("BOTTOMPADDING", (0, 1), (-1, -1), 5)]
        story.append(self.grid(("#", "What", "Why", "Owner", "Organisation", "Deadline", "Priority", "Section"),
                               rows, widths, extra))
        return story

    def previous_actions(self) -> list[Flowable]:
        """The previous review's actions and what became of each (only for a follow-up review)."""
        d, s = self.doc, self.s
        if not d.carried:
            return []
        story = self.heading("Previous review's actions", "previous-actions")
        since = f" of {long_date(d.previous_review_date)}" if d.previous_review_date else ""
        story.append(Paragraph(markup(f"What became of the actions of the review{since} that were not done then."),
                               s.body))
        w = self.frame_width()
        widths = [0, 44 * mm, 26 * mm, 24 * mm, 0]
        widths[0] = widths[4] = (w - sum(widths)) / 2
        rows = [
            [Paragraph(markup(c.what), s.cell),
             Paragraph(markup(", ".join(p for p in (c.owner, c.organisation) if p)), s.cell),
             Paragraph(markup(short_date(c.deadline, "No deadline")), s.cell),
             Paragraph(markup(c.outcome), s.cell_bold),
             Paragraph(markup(c.reason), s.cell)]
            for c in d.carried
        ]
        story.append(self.grid(("What", "Owner", "Was due", "Outcome", "Reason"), rows, widths, []))
        story.append(Spacer(1, 5 * mm))
        return story

    def action_row(self, a: ReportAction) -> list:
        s = self.s
        priority_style = s.cell_bold if a.priority.lower() == "high" else s.cell
        what = markup(a.what)
        if a.recommended_before:
            what += f"<br/><i>Recommended before on {markup(long_date(a.recommended_before))}</i>"
        return [
            Paragraph(str(a.number), s.cell_bold),
            Paragraph(what, s.cell),
            Paragraph(markup(a.why), s.cell),
            Paragraph(markup(a.owner) or "<i>No owner</i>", s.cell_bold),
            Paragraph(markup(a.organisation), s.cell),
            Paragraph(markup(short_date(a.deadline, "No deadline")), s.cell),
            Paragraph(
                f"<font color='#D5281B'>{markup(a.priority)}</font>" if a.priority.lower() == "high"
                else markup(a.priority), priority_style),
            Paragraph(markup(a.section), s.cell),
        ]

    def next_review(self) -> list[Flowable]:
        d, s = self.doc, self.s
        due = long_date(d.next_review_due) if d.next_review_due else "To be agreed"
        content: list[Flowable] = [Paragraph(f"Next review due: {markup(due)}", s.box_title)]
        note = _VERIFY_MARK.sub("", d.next_review_note or "").strip()
        if note:
            content.append(Paragraph(markup(note), s.body))
        return [Spacer(1, 5 * mm), Bookmark("next-review", "Next review"),
                self.callout(content, PALE_BLUE, NHS_BLUE, width=self.frame_width())]

    def frame_width(self) -> float:
        return self.wide_width if self.doc.actions else self.width

    def amendments(self) -> list[Flowable]:
        d, s = self.doc, self.s
        if not d.amendments:
            return []
        story: list[Flowable] = [Spacer(1, 4 * mm), CondPageBreak(40 * mm)]
        story += self.heading("Amendments", "amendments", style=s.h2)
        story.append(Paragraph("Changes made after the report was first issued, newest last.", s.body))
        rows = [[Paragraph(str(a.revision), s.cell_bold), Paragraph(markup(date_time(a.at)), s.cell),
                 Paragraph(markup(a.by), s.cell), Paragraph(markup(a.reason), s.cell)]
                for a in sorted(d.amendments, key=lambda a: (a.revision, a.at))]
        width = self.frame_width()
        story.append(self.grid(("Revision", "When", "By", "Reason"), rows,
                               (20 * mm, 42 * mm, 45 * mm, width - 107 * mm)))
        return story

    def how_to_check(self) -> list[Flowable]:
        s = self.s
        story = self.heading("How to check this report's signatures", "how-to-check")
        story.append(Paragraph(
            "This report may carry digital signatures from the chair and countersigners. "
            "This page explains what they prove and how to check them.", s.lead))
        story.append(Paragraph("What a signature proves", s.h2))
        story += self.bullets([
            "<b>Who signed it:</b> the holder of the signing certificate named in the signature.",
            "<b>That nothing has changed since:</b> if even one character of the file is altered after "
            "signing, the check fails.",
            "A signature does not prove that what the report says is right. The panel's sign-off on the "
            "last page confirms the content.",
        ])
        story.append(Paragraph("Check it with ReviewDay", s.h2))
        story.append(Paragraph("On a computer with ReviewDay installed, run:", s.body))
        command = Table([[Paragraph("<b>reviewday verify FILE.pdf</b>", s.body)]], colWidths=[self.width],
                        hAlign="LEFT")
        command.setStyle(table_style([
            ("BACKGROUND", (0, 0), (-1, -1), PALE_GREY),
            ("BOX", (0, 0), (-1, -1), 0.5, BORDER),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        story += [command, Spacer(1, 2 * mm)]
        story.append(Paragraph(
            "It says, for each signature, whether the file is intact, whether the signature covers the "
            "whole file, who signed and when, and the signer's certificate fingerprint.", s.body))
        story.append(Paragraph("If Adobe Reader says \u201cvalidity unknown\u201d", s.h2))
        story.append(Paragraph(
            "Adobe Acrobat Reader and other PDF readers may say the signature's validity is unknown, or "
            "that \u201cat least one signature has problems\u201d. Usually this only means the reader does "
            "not know the signer's certificate: ReviewDay signatures use a certificate held by the signer, "
            "not one issued by an authority the reader already trusts. <b>The file may still be intact.</b> "
            "Look in the reader's signature panel for \u201cthe document has not been modified since this "
            "signature was applied\u201d, or use <b>reviewday verify</b>.", s.body))
        story.append(Paragraph("Check who signed: the certificate fingerprint", s.h2))
        story.append(Paragraph(
            "To be sure who signed, compare the signer's certificate fingerprint (SHA-256), shown by "
            "<b>reviewday verify</b> or in the reader's certificate details, with the fingerprint the chair "
            "gives you. Get it from the chair directly, for example by phone, not from the same email that "
            "brought the report.", s.body))
        story.append(Spacer(1, 3 * mm))
        story.append(self.callout([Paragraph(
            "<b>If a check says the report was changed after it was signed,</b> do not rely on this copy. "
            "Ask the chair for the original.", s.body)], PALE_YELLOW, WARM_YELLOW))
        return story

    def signoff(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story = self.heading("Sign-off", "signoff")
        content: list[Flowable] = [Paragraph(
            "This is the last page of the report. The chair signs in the first box below; anyone "
            "countersigning uses the next boxes. A digital signature covers the whole report, not only "
            "this page. On a printed copy, sign by hand in the boxes and add the date.", s.body),
            Spacer(1, 3 * mm), Paragraph("Confirmed by", s.h3)]
        if d.signoffs:
            rows = [[Paragraph(markup(x.name), s.cell_bold), Paragraph(markup(x.role), s.cell),
                     Paragraph(markup(x.what), s.cell), Paragraph(markup(date_time(x.at, "")), s.cell)]
                    for x in d.signoffs]
            content.append(self.grid(("Name", "Role", "What", "When"), rows,
                                     (46 * mm, 50 * mm, 28 * mm, self.width - 124 * mm)))
        else:
            content.append(Paragraph("No one has confirmed this report yet.", s.body))
        content += [Spacer(1, 4 * mm), Paragraph(
            markup(f"Review reference {d.review_uid}, revision {d.revision}, "
                   f"KLOE template version {d.template_version}. Produced {date_time(d.generated_at)}."),
            s.small)]
        story.append(KeepInFrame(0, 0, content, mode="shrink"))
        return story


def _section_name(section: ReportSection) -> str:
    return f"{section.number}. {section.title}"
