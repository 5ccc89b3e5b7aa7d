"""The report's embedded font: Liberation Sans (SIL Open Font License 1.1), shipped in app/report/fonts.

The TTF files travel with the app so a report looks the same on Windows, macOS and Linux, and
reportlab embeds (subsets of) them in every PDF, so any reader shows the same glyphs.
"""

from __future__ import annotations

from pathlib import Path

from app.services.errors import ReviewDayError

FONT_DIR = Path(__file__).resolve().parent / "fonts"

FAMILY = "LiberationSans"
REGULAR = "LiberationSans"
BOLD = "LiberationSans-Bold"
ITALIC = "LiberationSans-Italic"
BOLD_ITALIC = "LiberationSans-BoldItalic"

_FILES = {
    REGULAR: "LiberationSans-Regular.ttf",
    BOLD: "LiberationSans-Bold.ttf",
    ITALIC: "LiberationSans-Italic.ttf",
    BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
}


class FontsMissingError(ReviewDayError):
    """The bundled report fonts are missing or damaged (a broken installation)."""


def font_path(name: str) -> Path:
    return FONT_DIR / _FILES[name]


def register_fonts() -> str:
    """Register Liberation Sans with reportlab (once per process) and return the family name.

    Bold and italic markup (<b>, <i>) in paragraphs map to the matching faces.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if all(name in registered for name in _FILES):
        return FAMILY
    for name, filename in _FILES.items():
        if name in registered:
            continue
        path = FONT_DIR / filename
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (OSError, TTFError) as exc:
            raise FontsMissingError(
                f"The report font {filename} is missing or damaged; reinstall ReviewDay to fix it."
            ) from exc
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    return FAMILY
