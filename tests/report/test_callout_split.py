"""A coloured box that reaches the foot of a page goes on over the page, but never leaves an empty
sliver of itself behind: rendered for real, the page that has its background also has its title."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from app.report.pdf_flowables import Callout, ReportFlowables
from app.report.styles import ReportStyles

PINK = "#f9e1df"


def _box(flow: ReportFlowables, lines: int) -> Callout:
    s = flow.s
    content = [Paragraph("Safeguarding concerns", s.box_title)]
    content += [Paragraph(f"Concern line {n}", s.body) for n in range(lines)]
    return flow.callout(content, PINK, "#d5281b")


def test_a_box_with_room_only_for_its_padding_starts_on_the_next_page():
    flow = ReportFlowables(ReportStyles())
    box = _box(flow, 3)
    assert isinstance(box, Callout)
    assert box.split(flow.width, 20) == []  # the padding alone would fit: not split there
    parts = box.split(flow.width, 60)  # the title and a line fit: it may go on over the page
    assert len(parts) == 2
