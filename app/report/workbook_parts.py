"""Building blocks of the printed blank workbook: writing lines, tick boxes and boxed spaces.

Everything is black or grey on white, with no large fills, so a workbook prints cleanly on any
office printer and photocopies well. Text is drawn in reading order (label before its space).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from app.report.fonts import BOLD, REGULAR
from app.report.pdf_pages import add_bookmark
from app.report.styles import ReportStyles, markup, table_style

INK = colors.black
SOFT_INK = colors.HexColor("#3A3A3A")
RULE = colors.HexColor("#8C8C8C")  # writing lines: visible on paper, quieter than the text
LINE_GAP = 8.5 * mm  # room for handwriting between ruled lines
BOX_SIZE = 3.8 * mm


class WorkbookStyles:
    """The report's paragraph styles in black ink (headings included) for a print-friendly workbook."""

    def __init__(self) -> None:
        base = ReportStyles()

        def ink(style: ParagraphStyle, name: str, colour=INK, **kw) -> ParagraphStyle:
            return ParagraphStyle(name, parent=style, textColor=colour, **kw)

        self.body = ink(base.body, "WBBody")
        self.small = ink(base.small, "WBSmall", SOFT_INK)
        self.cell = ink(base.cell, "WBCell")
        self.cell_head = ink(base.cell_bold, "WBCellHead")
        self.h1 = ink(base.h1, "WBH1", spaceBefore=0)
        self.h2 = ink(base.h2, "WBH2")
        self.h3 = ink(base.h3, "WBH3", spaceBefore=6, spaceAfter=1)
        self.lead = ink(base.lead, "WBLead")
        self.kicker = ink(base.h3, "WBKicker", SOFT_INK, spaceBefore=0, spaceAfter=2)
        self.prompt = ink(base.body, "WBPrompt", fontName=BOLD, spaceBefore=5, spaceAfter=0, keepWithNext=1)
        self.box_label = ink(base.cell_bold, "WBBoxLabel", spaceAfter=1)
        self.box_hint = ink(base.small, "WBBoxHint", SOFT_INK, spaceAfter=0)


class SectionMark(Flowable):
    """Invisible: names the part of the workbook that the page headers and footers show from here on,
    and adds a bookmark (outline entry) to it."""

    def __init__(self, label: str, key: str, title: str) -> None:
        super().__init__()
        self.label, self.key, self.title = label, key, title
        self.width = self.height = 0
        self.keepWithNext = 1

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        return 0, 0

    def draw(self) -> None:
        self.canv.workbook_part = self.label
        add_bookmark(self.canv, self.key, self.title, 0)


class Lines(Flowable):
    """`count` ruled lines for handwriting, as wide as the space they are given."""

    def __init__(self, count: int, gap: float = LINE_GAP, width: float | None = None) -> None:
        super().__init__()
        self.count, self.gap, self.fixed_width = count, gap, width

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self.width = self.fixed_width or availWidth
        self.height = self.count * self.gap + 2 * mm  # a little room below the last line
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        for index in range(self.count):
            y = self.height - (index + 1) * self.gap
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


class FillLines(Flowable):
    """A label and ruled lines filling what is left of the page (nothing when less than `minimum` fit)."""

    def __init__(self, label: str, minimum: int = 3, gap: float = LINE_GAP, font_size: float = 10) -> None:
        super().__init__()
        self.label, self.minimum, self.gap, self.size = label, minimum, gap, font_size
        self.count = 0

    def wrap(self, availWidth, availHeight):  # noqa: N803
        head = self.size * 1.6
        self.count = int((availHeight - head - 2 * mm) // self.gap)
        if self.count < self.minimum:
            self.count = 0
            self.width, self.height = availWidth, 0
        else:
            self.width, self.height = availWidth, head + self.count * self.gap + 2 * mm
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803 - never carried to the next page
        return []

    def draw(self) -> None:
        if not self.count:
            return
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, self.size)
        canvas.drawString(0, self.height - self.size, self.label)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        top = self.height - self.size * 1.6
        for index in range(self.count):
            y = top - (index + 1) * self.gap
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


class TickBoxes(Flowable):
    """An optional label, then one empty square per option, laid out left to right (wrapping)."""

    def __init__(self, options: Sequence[str], label: str = "", font_size: float = 10,
                 spacing: float = 9 * mm) -> None:
        super().__init__()
        self.options, self.label, self.size, self.spacing = tuple(options), label, font_size, spacing
        self._rows: list[list[tuple[float, str]]] = []
        self.row_height = max(BOX_SIZE, font_size * 1.25) + 2.5 * mm

    def _label_width(self) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(self.label, BOLD, self.size) + 4 * mm if self.label else 0

    def wrap(self, availWidth, availHeight):  # noqa: N803
        from reportlab.pdfbase.pdfmetrics import stringWidth

        start = self._label_width()
        x, row, rows = start, [], []
        for option in self.options:
            need = BOX_SIZE + 2 * mm + stringWidth(option, REGULAR, self.size)
            if row and x + need > availWidth:
                rows.append(row)
                x, row = start, []
            row.append((x, option))
            x += need + self.spacing
        if row:
            rows.append(row)
        self._rows = rows
        self.width = availWidth
        self.height = len(rows) * self.row_height
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        for number, row in enumerate(self._rows):
            base = self.height - (number + 1) * self.row_height + 2 * mm
            if number == 0 and self.label:
                canvas.setFont(BOLD, self.size)
                canvas.drawString(0, base + 0.6 * mm, self.label)
            canvas.setFont(REGULAR, self.size)
            for x, option in row:
                canvas.rect(x, base, BOX_SIZE, BOX_SIZE, stroke=1, fill=0)
                canvas.drawString(x + BOX_SIZE + 2 * mm, base + 0.6 * mm, option)
        canvas.restoreState()


class TickSquare(Flowable):
    """One empty tick box, centred in a table cell."""

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self.width = availWidth
        self.height = BOX_SIZE
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.8)
        self.canv.rect((self.width - BOX_SIZE) / 2, 0, BOX_SIZE, BOX_SIZE, stroke=1, fill=0)
        self.canv.restoreState()


def boxed(content: list[Flowable], width: float) -> Table:
    """A thin black frame around some flowables (a space to write in, with its label)."""
    table = Table([[content]], colWidths=[width], hAlign="LEFT")
    table.setStyle(table_style([
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
    ]))
    return table


def writing_box(styles: WorkbookStyles, label: str, hint: str, lines: int, width: float) -> Table:
    content: list[Flowable] = [Paragraph(markup(label), styles.box_label)]
    if hint:
        content.append(Paragraph(markup(hint), styles.box_hint))
    content.append(Lines(lines))
    return boxed(content, width)


def fill_in_fields(styles: WorkbookStyles, labels: Sequence[str], width: float,
                   label_width: float = 58 * mm, row_height: float = 11 * mm) -> Table:
    """Label on the left, an empty ruled space on the right, one row per label."""
    data = [[Paragraph(markup(label), styles.box_label), ""] for label in labels]
    table = Table(data, colWidths=[label_width, width - label_width], rowHeights=[row_height] * len(data),
                  hAlign="LEFT")
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 0), (1, -1), 0.6, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def ruled_table(styles: WorkbookStyles, header: Sequence[str], widths: Sequence[float], rows: int,
                row_height: float, first_column: Sequence[str] = (), ticks: Sequence[int] = ()) -> Table:
    """A grid to fill in by hand: a bold header row (repeated on a new page), then empty rows.

    `first_column` pre-prints text in the first cells (e.g. panel roles); `ticks` are the
    indexes of columns that hold one tick box per row.
    """
    data: list[list] = [[Paragraph(markup(h), styles.cell_head) for h in header]]
    for number in range(rows):
        row: list = [""] * len(header)
        if number < len(first_column):
            row[0] = Paragraph(markup(first_column[number]), styles.cell)
        for column in ticks:
            row[column] = TickSquare()
        data.append(row)
    table = Table(data, colWidths=list(widths), rowHeights=[None] + [row_height] * rows, repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(table_style([
        ("GRID", (0, 0), (-1, -1), 0.6, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *[command for column in ticks for command in (
            ("ALIGN", (column, 0), (column, -1), "CENTER"),
            ("LEFTPADDING", (column, 0), (column, -1), 2),
            ("RIGHTPADDING", (column, 0), (column, -1), 2))],
    ], font_size=9))
    return table
