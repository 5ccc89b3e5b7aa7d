"""Shared look of the PDF reports: NHS-style colours, paragraph styles and text helpers.

Colours follow the NHS identity palette (no NHS logo: its use needs permission).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from app.report.fonts import BOLD, ITALIC, REGULAR, register_fonts

NHS_BLUE = colors.HexColor("#005EB8")
NHS_DARK_BLUE = colors.HexColor("#003087")
TEXT = colors.HexColor("#212B32")
SECONDARY_TEXT = colors.HexColor("#4C6272")
BORDER = colors.HexColor("#D8DDE0")
PALE_GREY = colors.HexColor("#F0F4F5")
PALE_BLUE = colors.HexColor("#E8F1FA")
WHITE = colors.white
NHS_GREEN = colors.HexColor("#007F3B")
NHS_RED = colors.HexColor("#D5281B")
PALE_RED = colors.HexColor("#FBE9E7")
WARM_YELLOW = colors.HexColor("#FFB81C")
PALE_YELLOW = colors.HexColor("#FFF9E6")

ANSWER_COLOURS = {
    "Yes": (NHS_GREEN, WHITE),
    "No": (NHS_RED, WHITE),
    "Partly": (WARM_YELLOW, TEXT),
}
NOT_ANSWERED_COLOURS = (PALE_GREY, SECONDARY_TEXT)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def short_date(day: date | None, missing: str = "Not set") -> str:
    """dd Mon yyyy, e.g. 04 Dec 2026 (English month names whatever the machine's locale)."""
    if day is None:
        return missing
    return f"{day.day:02d} {_MONTHS[day.month - 1][:3]} {day.year}"


def long_date(day: date | None, missing: str = "Not set") -> str:
    """d Month yyyy, e.g. 4 December 2026."""
    if day is None:
        return missing
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def date_time(moment: datetime | None, missing: str = "") -> str:
    if moment is None:
        return missing
    return f"{long_date(moment.date())}, {moment:%H:%M}"


def note_time(moment: datetime, day: date) -> str:
    """When a note was taken: the time alone on the review day, with its date on any other day."""
    if moment.date() == day:
        return f"{moment:%H:%M}"
    return f"{short_date(moment.date())}, {moment:%H:%M}"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def markup(text: str | None) -> str:
    """Plain text made safe for a reportlab Paragraph (which reads a small XML markup language)."""
    cleaned = _CONTROL.sub("", text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return escape(cleaned).replace("\n", "<br/>")


class ReportStyles:
    """Paragraph styles for the full report (body 10 pt)."""

    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle("Body", fontName=REGULAR, fontSize=10, leading=14.5, textColor=TEXT,
                              spaceAfter=5, alignment=TA_LEFT)
        self.body = base
        self.small = ParagraphStyle("Small", parent=base, fontSize=8.5, leading=11.5, spaceAfter=2,
                                    textColor=SECONDARY_TEXT)
        self.cell = ParagraphStyle("Cell", parent=base, fontSize=9, leading=12, spaceAfter=0)
        self.cell_bold = ParagraphStyle("CellBold", parent=self.cell, fontName=BOLD)
        self.cell_head = ParagraphStyle("CellHead", parent=self.cell, fontName=BOLD, textColor=WHITE)
        self.label = ParagraphStyle("Label", parent=self.cell, fontName=BOLD, textColor=SECONDARY_TEXT)
        self.h1 = ParagraphStyle("H1", parent=base, fontName=BOLD, fontSize=20, leading=25,
                                 textColor=NHS_BLUE, spaceBefore=18, spaceAfter=10, keepWithNext=1)
        self.h2 = ParagraphStyle("H2", parent=base, fontName=BOLD, fontSize=14, leading=18,
                                 textColor=NHS_BLUE, spaceBefore=14, spaceAfter=6, keepWithNext=1)
        self.h3 = ParagraphStyle("H3", parent=base, fontName=BOLD, fontSize=11, leading=14.5,
                                 textColor=TEXT, spaceBefore=8, spaceAfter=4, keepWithNext=1)
        self.lead = ParagraphStyle("Lead", parent=base, fontSize=11.5, leading=16.5, spaceAfter=8)
        self.bullet = ParagraphStyle("Bullet", parent=base, leftIndent=14, bulletIndent=3,
                                     bulletFontName=REGULAR, bulletFontSize=10, spaceAfter=4)
        self.quote = ParagraphStyle("Quote", parent=base, fontName=ITALIC, fontSize=10.5, leading=15,
                                    spaceAfter=1)
        self.quote_by = ParagraphStyle("QuoteBy", parent=self.small, spaceAfter=0)
        self.cover_kicker = ParagraphStyle("CoverKicker", parent=base, fontName=BOLD, fontSize=11,
                                           leading=14, textColor=WHITE, spaceAfter=6)
        self.cover_title = ParagraphStyle("CoverTitle", parent=base, fontName=BOLD, fontSize=24,
                                          leading=29, textColor=WHITE, spaceAfter=10)
        self.cover_sub = ParagraphStyle("CoverSub", parent=base, fontSize=13, leading=18,
                                        textColor=WHITE, spaceAfter=0)
        self.pill = ParagraphStyle("Pill", parent=base, fontName=BOLD, fontSize=10.5, leading=13,
                                   alignment=TA_CENTER, spaceAfter=0)
        self.box_title = ParagraphStyle("BoxTitle", parent=base, fontName=BOLD, fontSize=11.5,
                                        leading=15, spaceAfter=4)


class EasyReadStyles:
    """Paragraph styles for the easy-read version: nothing smaller than 14 pt."""

    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle("ERBody", fontName=REGULAR, fontSize=16, leading=24, textColor=TEXT,
                              spaceAfter=10, alignment=TA_LEFT)
        self.body = base
        self.strong = ParagraphStyle("ERStrong", parent=base, fontName=BOLD)
        self.title = ParagraphStyle("ERTitle", parent=base, fontName=BOLD, fontSize=30, leading=37,
                                    textColor=NHS_BLUE, spaceAfter=18, keepWithNext=1)
        self.h1 = ParagraphStyle("ERH1", parent=base, fontName=BOLD, fontSize=24, leading=30,
                                 textColor=NHS_BLUE, spaceBefore=8, spaceAfter=14, keepWithNext=1)
        self.h2 = ParagraphStyle("ERH2", parent=base, fontName=BOLD, fontSize=19, leading=25,
                                 textColor=TEXT, spaceBefore=10, spaceAfter=8, keepWithNext=1)
        self.line_label = ParagraphStyle("ERLabel", parent=base, fontName=BOLD, spaceAfter=4)
        self.line = ParagraphStyle("ERLine", parent=base, spaceAfter=4)
        self.bullet = ParagraphStyle("ERBullet", parent=base, leftIndent=22, bulletIndent=2,
                                     bulletFontName=REGULAR, bulletFontSize=16, spaceAfter=8)


def table_style(commands, font_size: float = 10):
    """A TableStyle whose default cell font is the embedded one (reportlab's default is Helvetica,
    which would otherwise be referenced, unembedded, by every table)."""
    from reportlab.platypus import TableStyle

    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("FONTSIZE", (0, 0), (-1, -1), font_size),
                       *commands])
