"""Signing a report PDF: PAdES B-B with pyHanko, visible in a box on the sign-off (last) page.

Offline only, so no timestamp: the signing time is the signer's computer clock, shown on the
stamp and recorded in the signature. Every signature is an incremental update, so a
countersignature leaves the earlier signatures valid. The output is written atomically.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.stamp import StaticStampStyle

from app.report.atomic import atomic_write_bytes
from app.report.layout import SIGNATURE_BOXES, SIGNATURE_FIELD_NAMES
from app.services.errors import ReviewDayError

FONT_DIR = Path(__file__).resolve().parent / "fonts"
NHS_BLUE = "#005EB8"
TEXT_DARK = "#212B32"
TEXT_SECONDARY = "#425563"
STAMP_FILL = "#EEF4FB"

BOX_LABELS = ("chair's", "first countersignature", "second countersignature", "third countersignature")


class SigningError(ReviewDayError):
    """The report could not be signed; the message says why."""


def sign_pdf(
    src: Path,
    out: Path,
    signer,
    *,
    box_index: int,
    signer_name: str,
    role: str,
    reason: str,
    location: str = "",
    when: datetime | None = None,
) -> None:
    """Sign `src` into `out` (they may be the same file) with a visible stamp in box `box_index`.

    `signer` is a pyHanko signer, e.g. from IdentityStore.load_signer. Box 0 is the chair's;
    boxes 1-3 are countersignatures. Earlier signatures must still check out, or signing is
    refused: nobody should countersign a file that was changed after the first signature.
    """
    if not 0 <= box_index < len(SIGNATURE_FIELD_NAMES):
        raise ValueError(f"box_index must be 0..{len(SIGNATURE_FIELD_NAMES) - 1}, not {box_index}")
    src, out = Path(src), Path(out)
    field_name = SIGNATURE_FIELD_NAMES[box_index]
    moment = (when or datetime.now()).astimezone()

    data = _read_pdf(src)

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        page_count = int(writer.root["/Pages"]["/Count"])
        existing = {name: value for name, value, _ in fields.enumerate_sig_fields(writer.prev)}
    except (PdfError, KeyError, TypeError, ValueError) as exc:
        raise SigningError(f"{src.name} is damaged or not a PDF, so it cannot be signed.") from exc
    if writer.prev.encrypted:
        raise SigningError(f"{src.name} is password-protected; sign the report before protecting it.")
    if page_count < 1:
        raise SigningError(f"{src.name} has no pages to sign.")
    if existing.get(field_name) is not None:
        raise SigningError(f"This report already has a signature in the {BOX_LABELS[box_index]} box.")
    if existing:
        _refuse_if_earlier_signatures_broken(src, data)

    fingerprint = hashlib.sha256(signer.signing_cert.dump()).hexdigest()
    stamp_pdf = render_stamp_pdf(
        SIGNATURE_BOXES[box_index], signer_name=signer_name, role=role, when=moment, fingerprint=fingerprint
    )
    style = StaticStampStyle(
        background=_PdfBytesContent(stamp_pdf),
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
        ),
    )
    x1, y1, x2, y2 = SIGNATURE_BOXES[box_index]
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        name=signer_name,
        reason=reason or None,
        location=location or None,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = _ClockedPdfSigner(
        metadata,
        signer,
        system_time=moment,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=field_name, on_page=page_count - 1, box=(x1, y1, x2, y2)
        ),
    )
    output = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=output)
    except Exception as exc:  # noqa: BLE001 - a library failure on a user's file: one plain sentence
        raise SigningError(f"Could not sign {src.name}: {exc}") from exc
    atomic_write_bytes(out, output.getvalue())


def render_stamp_pdf(
    box: tuple[float, float, float, float],
    *,
    signer_name: str,
    role: str,
    when: datetime,
    fingerprint: str,
) -> bytes:
    """The visible signature as a one-page PDF exactly the size of `box` (embedded Liberation Sans)."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = _fonts()
    width, height = box[2] - box[0], box[3] - box[1]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle("Signature")
    canvas.setFillColor(HexColor(STAMP_FILL))
    canvas.setStrokeColor(HexColor(NHS_BLUE))
    canvas.setLineWidth(0.8)
    canvas.rect(0.4, 0.4, width - 0.8, height - 0.8, stroke=1, fill=1)
    canvas.setFillColor(HexColor(NHS_BLUE))
    canvas.rect(0, 0, 4, height, stroke=0, fill=1)

    left, right = 11, width - 8
    room = right - left
    lines = [
        ("Digitally signed by", bold, 7, NHS_BLUE, 2),
        (signer_name, bold, 12, TEXT_DARK, 3),
        (role, regular, 9, TEXT_DARK, 3),
        (_format_time(when), regular, 8, TEXT_SECONDARY, 2),
        ("Certificate " + _short_fingerprint(fingerprint), regular, 6.5, TEXT_SECONDARY, 0),
    ]
    total = sum(size + gap for _, _, size, _, gap in lines)
    y = height - (height - total) / 2
    for text, font, size, colour, gap in lines:
        size, text = _fit(text, font, size, room)
        y -= size
        canvas.setFont(font, size)
        canvas.setFillColor(HexColor(colour))
        canvas.drawString(left, y + size * 0.2, text)
        y -= gap
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _format_time(moment: datetime) -> str:
    zone = moment.tzname() or ""
    if not zone or len(zone) > 5 or zone.startswith(("+", "-")):
        zone = moment.strftime("UTC%z")
        zone = f"{zone[:-2]}:{zone[-2:]}" if zone != "UTC" else zone
    return f"{moment.day} {moment:%B %Y}, {moment:%H:%M} {zone}"


def _short_fingerprint(fingerprint: str) -> str:
    text = fingerprint.upper()[:16]
    return "SHA-256 " + ":".join(text[i : i + 2] for i in range(0, len(text), 2)) + "\u2026"


def _fit(text: str, font: str, size: float, room: float) -> tuple[float, str]:
    """Shrink to at most 70% of `size`, then cut with an ellipsis, so the text stays in the box."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    smallest = size * 0.7
    while size > smallest and stringWidth(text, font, size) > room:
        size -= 0.25
    if stringWidth(text, font, size) <= room:
        return size, text
    while text and stringWidth(text + "\u2026", font, size) > room:
        text = text[:-1]
    return size, text.rstrip() + "\u2026"


_FONT_NAMES = ("ReviewDayStamp", "ReviewDayStamp-Bold")


def _fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file_name in zip(_FONT_NAMES, ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file_name)))
    return _FONT_NAMES


def _read_pdf(src: Path) -> bytes:
    try:
        data = src.read_bytes()
    except FileNotFoundError:
        raise SigningError(f"No such file: {src}.") from None
    except IsADirectoryError:
        raise SigningError(f"{src} is a folder, not a PDF.") from None
    except OSError as exc:
        raise SigningError(f"Cannot read {src.name}: {exc.strerror or exc}.") from None
    if b"%PDF-" not in data[:1024]:
        raise SigningError(f"{src.name} is not a PDF, so it cannot be signed.")
    return data


def _refuse_if_earlier_signatures_broken(src: Path, data: bytes) -> None:
    from app.report.verify import verify_pdf_bytes

    result = verify_pdf_bytes(data)
    if not result.ok:
        raise SigningError(f"{src.name} cannot be countersigned: {result.reason}.")


class _PdfBytesContent(PdfContent):
    """The first page of an in-memory PDF as a form XObject (pyHanko's ImportedPdfPage wants a file)."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.data = data

    def render(self) -> bytes:
        reader = PdfFileReader(io.BytesIO(self.data))
        xobject = self._ensure_writer.import_page_as_xobject(reader, page_ix=0)
        self.resources.xobject["/ReviewDayStamp"] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return b"/ReviewDayStamp Do"


class _ClockedPdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is the one shown on the stamp, to the second."""

    def __init__(self, *args, system_time: datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._system_time = system_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._system_time
        return session
