"""The full review report as a PDF: NHS-style, embedded fonts, bookmarks, page x of y, sign-off last.

The last page is the sign-off page; its empty signature boxes sit exactly at
app.report.layout.SIGNATURE_BOXES so the signer can place visible signatures inside them.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import PageTemplate

from app.report import layout
from app.report.document import ReportDocument
from app.report.fonts import BOLD, register_fonts
from app.report.pdf_pages import (
    LANDSCAPE,
    PORTRAIT,
    LaterTotal,
    PageDecor,
    Progress,
    ReportDocTemplate,
    build_pdf_bytes,
    frame_for,
    shorten,
    write_pdf,
)
from app.report.pdf_story import ReportStory
from app.report.styles import SECONDARY_TEXT, TEXT, WHITE, ReportStyles, short_date

SIGNATURE_LABELS = ("Chair", "Countersignature 1", "Countersignature 2", "Countersignature 3")
# Space kept clear above the top row of signature boxes for their labels.
_LABEL_GAP = 4 * mm
_SIGNOFF_FRAME_BOTTOM = max(box[3] for box in layout.SIGNATURE_BOXES) + 12 * mm

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

    data = build_pdf_bytes(make_template, lambda: ReportStory(doc, styles).build(), on_pass=after_pass,
                           later_total=True)
    write_pdf(out, data, progress, _STEPS - 1, _STEPS)


def _full_template(stream, doc: ReportDocument, decor: PageDecor, total: int | LaterTotal | None
                   ) -> ReportDocTemplate:
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
