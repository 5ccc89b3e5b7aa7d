"""The report's building blocks: paragraphs, bookmarked headings, key-value tables, grids, call-outs."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, FrameBreak, Paragraph, Table

from app.report import layout
from app.report.pdf_pages import LANDSCAPE, PORTRAIT, Heading
from app.report.styles import BORDER, NHS_BLUE, PALE_GREY, ReportStyles, markup, table_style


class Callout(Table):
    """A one-cell coloured box that may go on over a page, but never leaves an empty sliver of
    itself at the foot of a page: it splits only where its title and a line under it fit."""

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        cell = self._cellvalues[0][0]
        flowables = [item for item in (cell if isinstance(cell, (list, tuple)) else [cell]) if hasattr(item, "wrap")]
        inner = self._argW[0] - 26  # less the left and right padding
        needed = 18 + sum(flowable.wrap(inner, availHeight)[1] for flowable in flowables[:2])
        # A long paragraph at the top may itself be split: then a few lines of it are enough.
        if availHeight < min(needed, 80):
            return []  # all of it on the next page
        return super().split(availWidth, availHeight)


class GridTable(Table):
    """A table that splits the way a reader expects across pages.

    reportlab first splits between rows and then lays the rest out in the space left on the same
    page, where a row too tall for that space is split inside it, under a second copy of the
    repeated header rows. Here a row taller than a third of the page is split inside (it starts on
    this page and goes on on the next); otherwise the table splits between rows and goes on at the
    top of the next page.
    """

    # The height of the frame the table is laid out in; the parts of a split table keep it.
    frame_height: float = PORTRAIT[1] - layout.MARGIN_TOP - layout.MARGIN_BOTTOM

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        used = 0.0
        for row, height in enumerate(heights):
            if used + height > availHeight:
                break
            used += height
        else:
            return [self]
        parts = self._splitRows(availHeight, doInRowSplit=1) if heights[row] > self.frame_height / 3 else []
        if not parts:
            parts = self._splitRows(availHeight, doInRowSplit=0)
            if len(parts) == 2:
                parts = [parts[0], FrameBreak(), parts[1]]
        for part in parts:
            if isinstance(part, GridTable):
                part.frame_height = self.frame_height
        return parts


class ReportFlowables:
    """Makes the report's flowables in its styles, sized to the portrait and landscape frames."""

    def __init__(self, styles: ReportStyles) -> None:
        self.s = styles
        self.width = PORTRAIT[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT
        self.wide_width = LANDSCAPE[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT

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
             extra: Sequence[tuple] = (), caption: Flowable | None = None) -> Table:
        """A table under a blue header row that repeats on every page it runs onto; with a caption (a
        title row above the header, repeated with it), a reader of any page knows what the table is."""
        data = [[Paragraph(markup(h), self.s.cell_head) for h in header], *rows]
        top = 0
        commands: list[tuple] = []
        if caption is not None:
            data.insert(0, [caption] + [""] * (len(header) - 1))
            top = 1
            commands += [("SPAN", (0, 0), (-1, 0)), ("LEFTPADDING", (0, 0), (-1, 0), 0),
                         ("TOPPADDING", (0, 0), (-1, 0), 10), ("BOTTOMPADDING", (0, 0), (-1, 0), 7)]
        table = GridTable(data, colWidths=list(widths), repeatRows=top + 1, hAlign="LEFT", splitInRow=1)
        table.frame_height = self.frame_height(widths)
        commands = [
            ("BACKGROUND", (0, top), (-1, top), NHS_BLUE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, top + 1), (-1, -1), 0.5, BORDER),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            *commands,
        ]
        for row in range(top + 1, len(data)):
            if (row - top) % 2 == 0:
                commands.append(("BACKGROUND", (0, row), (-1, row), PALE_GREY))
        table.setStyle(table_style(commands + list(extra)))
        return table

    def frame_height(self, widths: Sequence[float]) -> float:
        """The height of the frame a table of these widths is laid out in (landscape when wider)."""
        page = LANDSCAPE if sum(widths) > self.width + 1 else PORTRAIT
        return page[1] - layout.MARGIN_TOP - layout.MARGIN_BOTTOM

    def callout(self, content: list[Flowable], background, bar, width: float | None = None) -> Table:
        table = Callout([[content]], colWidths=[width or self.width], hAlign="LEFT", splitInRow=1)
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
