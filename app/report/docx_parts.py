"""Building blocks of the Word report: its colours, clean text, styled paragraphs, tables and cells."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FONT = "Arial"
NHS_BLUE = "005EB8"
TEXT = "212B32"
SECONDARY_TEXT = "4C6272"
BORDER = "D8DDE0"
PALE_GREY = "F0F4F5"
PALE_BLUE = "E8F1FA"
NHS_RED = "D5281B"
ANSWER_FILLS = {"Yes": ("007F3B", "FFFFFF"), "No": ("D5281B", "FFFFFF"), "Partly": ("FFB81C", TEXT)}
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str | None) -> str:
    """Text fit for XML: control characters (which python-docx refuses) dropped, line ends unified."""
    return _XML_UNSAFE.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def add_bullet(word, text: str):
    return add_styled(word, text, "ListBullet")


def add_heading(word, text: str, level: int, *, page_break: bool = False):
    paragraph = add_styled(word, text, f"Heading{level}")
    if page_break:
        paragraph.paragraph_format.page_break_before = True
    return paragraph


def add_styled(word, text: str, style_id: str):
    """A paragraph in a built-in style, set by id: python-docx's lookup by name is slow."""
    paragraph = word.add_paragraph(clean_text(text))
    paragraph._p.style = style_id
    return paragraph


def add_small(word, text: str):
    paragraph = word.add_paragraph()
    grey(paragraph.add_run(clean_text(text)))
    return paragraph


def grey(run, size: float = 9):
    run.font.size = Pt(size)
    run.font.color.rgb = RGBColor.from_string(SECONDARY_TEXT)
    return run


def add_key_values(word, rows: Sequence[tuple[str, str]]):
    table = add_table(word, len(rows), 2, widths=(48, 122), header=False, grid=False)
    for row, (label, value) in zip(table.rows, rows, strict=True):
        set_cell_text(row.cells[0], label, bold=True, colour=SECONDARY_TEXT)
        set_cell_text(row.cells[1], value)
    return table


def stripe(row, index: int) -> None:
    """Pale grey on every other body row, as in the PDF's tables."""
    if index % 2 == 0:
        for cell in row.cells:
            shade(cell, PALE_GREY)


def add_table(word, rows: int, columns: int, *, widths: Sequence[float], header: bool, grid: bool = True,
              spacer: bool = True, cant_split: bool = True):
    """A table of fixed column widths (mm). Rows stay whole on a page unless cant_split is False;
    with header, the first row repeats at the top of every page the table runs onto."""
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
        if cant_split or (header and index == 0):
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


def header_row(table, names: Sequence[str], *, font_size: float = 10) -> None:
    for cell, name in zip(table.rows[0].cells, names, strict=True):
        set_cell_text(cell, name, bold=True, colour="FFFFFF", size=font_size)
        shade(cell, NHS_BLUE)


def set_cell_text(cell, text: str, *, bold: bool = False, colour: str | None = None, size: float | None = None) -> None:
    lines = clean_text(text).split("\n")
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


def shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    _insert_in_order(cell._tc.get_or_add_tcPr(), shading, _TCPR_ORDER)


def set_cell_border(cell, edge: str, colour: str, *, size: int) -> None:
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
