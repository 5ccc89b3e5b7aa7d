"""What every ReviewDay PDF shares: page decoration, bookmarks, the doc template, two-pass layout.

Used by the full report (pdf.py), the easy-read report and the paper workbook.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, Paragraph

from app.report import layout
from app.report.atomic import atomic_writer
from app.report.fonts import BOLD, REGULAR
from app.report.styles import BORDER, NHS_BLUE, SECONDARY_TEXT, TEXT
from app.services.errors import ReviewDayError

Progress = Callable[[int, int], None]

PORTRAIT = layout.PAGE_SIZE
LANDSCAPE = landscape(layout.PAGE_SIZE)
AUTHOR = "ReviewDay"


class ReportLayoutError(ReviewDayError):
    """Something in the review is too big to lay out on a page (reportlab's LayoutError)."""



@dataclass(frozen=True)
class PageDecor:
    """What every page carries: the marking at top and bottom, who/when, and page x of y."""

    marking: str
    running_title: str
    font_size: float = 9
    rule_colour: object = NHS_BLUE


@dataclass(frozen=True)
class LaterTotal:
    """A page total written once, after the last page: every footer shows one form XObject holding it.

    The footer keeps room for `digits` digits (Liberation Sans digits all have one width); a total
    with another number of digits costs one more layout pass with the total known.
    """

    digits: int = 2


TOTAL_FORM = "PageTotal"


class _LaterTotalCanvas(Canvas):
    """A canvas that draws the page total into TOTAL_FORM when the document is saved."""

    total_style: tuple[str, float, object] = (REGULAR, 9, TEXT)

    def save(self) -> None:
        font, size, colour = self.total_style
        # Drawn right-aligned at the form's origin; the footer places the origin at the right margin.
        self.beginForm(TOTAL_FORM, lowerx=-20 * size, lowery=-size, upperx=0, uppery=2 * size)
        self.setFont(font, size)
        self.setFillColor(colour)
        self.drawRightString(0, 0, str(self.getPageNumber() - 1))
        self.endForm()
        super().save()


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

    def __init__(self, stream, *, decor: PageDecor, total_pages: int | LaterTotal | None, generated_at,
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

        if isinstance(self.total_pages, LaterTotal):
            canvasmaker = _LaterTotalCanvas
        canv = super()._makeCanvas(filename, canvasmaker or canvas_module.Canvas)
        if isinstance(canv, _LaterTotalCanvas):
            canv.total_style = (REGULAR, self.decor.font_size, TEXT)
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


def draw_page_decor(canvas, decor: PageDecor, page: int, total: int | LaterTotal | None) -> None:
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
    if isinstance(total, LaterTotal):
        room = canvas.stringWidth("0", REGULAR, size) * total.digits
        canvas.drawRightString(right - room, footer_y, f"Page {page} of ")
        canvas.translate(right, footer_y)
        canvas.doForm(TOTAL_FORM)
    else:
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


def build_pdf_bytes(make_template: Callable[[io.BytesIO, int | LaterTotal | None], ReportDocTemplate],
                    make_story: Callable[[], list], *, on_pass: Callable[[], None] | None = None,
                    later_total: bool = False) -> bytes:
    """Lay the story out until the page count is stable, so "Page x of y" is right on every page.

    Pass one counts pages; pass two prints the real total. Layout does not depend on the total
    (it sits in the footer), so two passes are enough; a third is a safety net. With later_total,
    pass one already prints the total (see LaterTotal) and is the only pass when the total has
    the expected number of digits: a long report is laid out once instead of twice.
    """
    from reportlab.platypus.doctemplate import LayoutError

    total: int | LaterTotal | None = LaterTotal() if later_total else None
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
        if total == pages or (isinstance(total, LaterTotal) and len(str(pages)) == total.digits):
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
