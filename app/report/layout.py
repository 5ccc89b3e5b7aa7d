"""Page geometry shared by the PDF renderer and the signer, so visible signatures land in their boxes."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_SIZE = A4
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm

# Signature boxes on the sign-off page (the last page), in PDF points from the bottom-left:
# (x1, y1, x2, y2). Box 0 is the chair's; later boxes are for countersignatures.
SIGNATURE_BOX_WIDTH = 80 * mm
SIGNATURE_BOX_HEIGHT = 28 * mm
_COLUMNS = (MARGIN_LEFT, MARGIN_LEFT + SIGNATURE_BOX_WIDTH + 10 * mm)
_ROWS = (70 * mm, 70 * mm - SIGNATURE_BOX_HEIGHT - 14 * mm)

SIGNATURE_BOXES: tuple[tuple[float, float, float, float], ...] = tuple(
    (x, y, x + SIGNATURE_BOX_WIDTH, y + SIGNATURE_BOX_HEIGHT) for y in _ROWS for x in _COLUMNS
)
SIGNATURE_FIELD_NAMES: tuple[str, ...] = ("ChairSignature", "Countersignature1", "Countersignature2", "Countersignature3")
