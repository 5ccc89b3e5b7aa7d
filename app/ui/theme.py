"""The app's look: calm, readable, NHS Blue used sparingly; a high-contrast palette and text sizes.

`apply_theme(app, high_contrast=..., scale=...)` can be called again at any time (the settings
window does, on OK): the palette, the style sheet and the application font change at once. Text
sizes scale the application font and, through a small event filter that is installed only when
the size is not 100%, the point sizes written into widgets' own style sheets (headings).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QWidget

NHS_BLUE = "#005EB8"
TEXT = "#212b32"
# Secondary text (hints, captions): 6.4:1 on white.
SECONDARY_TEXT = "#4c6272"
# A field's outline: NHS mid grey, 3.75:1 on white (WCAG 1.4.11 asks 3:1 for a control's boundary).
FIELD_BORDER = "#768692"

# Text of what cannot be used yet (sections before consent, greyed buttons): lighter than TEXT, and
# still 4.7:1 on the navigator's #f0f4f5 and 5.2:1 on white.
DISABLED_TEXT = "#636e76"
HIGH_CONTRAST_DISABLED_TEXT = "#595959"  # 7:1 on white

# Where the keyboard is (WCAG 2.4.7): the NHS focus style, focus yellow with a dark outline, on
# buttons, radio buttons and check boxes; a dark ring round a focused list, table or navigator.
FOCUS_FILL = "#ffeb3b"
FOCUS_RING = TEXT

STYLE_SHEET = f"""
QWidget {{ color: {TEXT}; }}
QWidget:disabled {{ color: {DISABLED_TEXT}; }}
QListView#navigator {{ background: #f0f4f5; border: none; padding: 4px; }}
QListView#navigator::item {{ padding: 0px; border-radius: 4px; }}
QListView#navigator::item:selected {{ background: {NHS_BLUE}; color: white; }}
QPushButton {{ padding: 4px 12px; }}
QComboBox, QComboBox QAbstractItemView {{ selection-background-color: {NHS_BLUE}; selection-color: #ffffff; }}
QPushButton:default {{ background: {NHS_BLUE}; color: white; border-radius: 4px; padding: 5px 14px; }}
QGroupBox {{ font-weight: 600; margin-top: 14px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 6px; color: {NHS_BLUE}; }}
#captureBar {{ background: #f0f4f5; border-top: 1px solid #d8dde0; }}
#captureField {{ background: white; border: 1px solid {FIELD_BORDER}; border-radius: 4px; }}
#captureField:focus {{ border: 2px solid {NHS_BLUE}; }}
#timerBox {{ background: #f0f4f5; border-radius: 6px; }}
#timerHeading {{ color: {NHS_BLUE}; }}
QProgressBar#sectionTimeBar, QProgressBar#dayTimeBar {{ background: #d8dde0; border: none; border-radius: 4px; }}
QProgressBar#sectionTimeBar::chunk, QProgressBar#dayTimeBar::chunk {{ border-radius: 4px; }}
QProgressBar[timeState="under"]::chunk {{ background: {NHS_BLUE}; }}
QProgressBar[timeState="near"]::chunk {{ background: #ED8B00; }}
QProgressBar[timeState="over"]::chunk {{ background: #DA291C; }}
QLabel[timeState="under"] {{ color: #4c6272; }}
QLabel[timeState="near"] {{ color: #8a4b00; font-weight: 600; }}
QLabel[timeState="over"] {{ color: #b3261e; font-weight: 600; }}
QPushButton:focus, QToolButton:focus {{ background: {FOCUS_FILL}; color: {TEXT}; border: 2px solid {FOCUS_RING};
    border-radius: 4px; }}
QRadioButton:focus, QCheckBox:focus {{ background: {FOCUS_FILL}; color: {TEXT}; border: 2px solid {FOCUS_RING};
    border-radius: 3px; }}
QAbstractItemView:focus {{ border: 2px solid {FOCUS_RING}; }}
QListView#navigator:focus {{ border: 2px solid {FOCUS_RING}; }}
"""

# High contrast: black on white, strong borders, and the NHS focus style (black text on yellow
# with a thick black border) on whatever has the keyboard focus.
HC_TEXT = "#000000"
HC_BACKGROUND = "#ffffff"
HC_ACCENT = "#003087"  # NHS Dark Blue
HC_FOCUS = "#ffeb3b"  # NHS focus yellow
HC_SECONDARY = "#3b3b3b"

HIGH_CONTRAST_STYLE_SHEET = f"""
QWidget {{ color: {HC_TEXT}; }}
QWidget:disabled {{ color: {HIGH_CONTRAST_DISABLED_TEXT}; }}
QListView#navigator {{ background: {HC_BACKGROUND}; border: 2px solid {HC_TEXT}; padding: 4px; }}
QListView#navigator::item {{ padding: 0px; }}
QListView#navigator::item:selected {{ background: {HC_ACCENT}; color: white; }}
QPushButton, QToolButton {{ background: {HC_BACKGROUND}; color: {HC_TEXT}; border: 2px solid {HC_TEXT};
    border-radius: 3px; padding: 4px 12px; }}
QPushButton:default {{ background: {HC_ACCENT}; color: white; border: 2px solid {HC_TEXT}; }}
QPushButton:focus, QToolButton:focus, QCheckBox:focus, QRadioButton:focus {{
    background: {HC_FOCUS}; color: {HC_TEXT}; border: 3px solid {HC_TEXT}; }}
QPushButton:disabled, QToolButton:disabled {{ color: {HC_SECONDARY}; border: 2px dashed {HC_SECONDARY}; }}
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDateEdit, QListView, QTableView, QTreeView {{
    border: 2px solid {HC_TEXT}; background: {HC_BACKGROUND}; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus, QSpinBox:focus, QDateEdit:focus,
QListView:focus, QTableView:focus, QTreeView:focus {{ border: 4px solid {HC_TEXT}; }}
QComboBox, QComboBox QAbstractItemView {{ selection-background-color: {HC_ACCENT}; selection-color: #ffffff; }}
QTabBar::tab:selected {{ background: {HC_ACCENT}; color: white; }}
QTabBar::tab:focus {{ background: {HC_FOCUS}; color: {HC_TEXT}; }}
QGroupBox {{ font-weight: 700; margin-top: 14px; border: 2px solid {HC_TEXT}; padding-top: 6px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 6px; color: {HC_TEXT}; }}
QToolTip {{ color: {HC_TEXT}; background: {HC_BACKGROUND}; border: 2px solid {HC_TEXT}; }}
#captureBar {{ background: {HC_BACKGROUND}; border-top: 2px solid {HC_TEXT}; }}
#timerBox {{ background: {HC_BACKGROUND}; border: 2px solid {HC_TEXT}; border-radius: 3px; }}
#timerHeading {{ color: {HC_ACCENT}; }}
QProgressBar#sectionTimeBar, QProgressBar#dayTimeBar {{ background: {HC_BACKGROUND}; border: 1px solid {HC_TEXT}; }}
QProgressBar[timeState="under"]::chunk {{ background: {HC_ACCENT}; }}
QProgressBar[timeState="near"]::chunk {{ background: #8a4b00; }}
QProgressBar[timeState="over"]::chunk {{ background: #b3261e; }}
QLabel[timeState="under"], QLabel[timeState="near"], QLabel[timeState="over"] {{ color: {HC_TEXT}; }}
QLabel[timeState="near"], QLabel[timeState="over"] {{ font-weight: 700; }}
"""

Role = QPalette.ColorRole

NORMAL_COLOURS: dict[QPalette.ColorRole, str] = {
    Role.Highlight: NHS_BLUE,
    Role.HighlightedText: "#ffffff",
    Role.Window: "#ffffff",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f7f9fa",
    Role.WindowText: TEXT,
    Role.Text: TEXT,
    Role.Button: "#f0f4f5",
    Role.ButtonText: TEXT,
    Role.ToolTipBase: "#ffffff",
    Role.ToolTipText: TEXT,
    Role.PlaceholderText: SECONDARY_TEXT,
    Role.Link: NHS_BLUE,
}

HIGH_CONTRAST_COLOURS: dict[QPalette.ColorRole, str] = {
    Role.Highlight: HC_ACCENT,
    Role.HighlightedText: "#ffffff",
    Role.Window: HC_BACKGROUND,
    Role.Base: HC_BACKGROUND,
    Role.AlternateBase: "#f2f2f2",
    Role.WindowText: HC_TEXT,
    Role.Text: HC_TEXT,
    Role.Button: HC_BACKGROUND,
    Role.ButtonText: HC_TEXT,
    Role.BrightText: "#ffffff",
    Role.ToolTipBase: HC_BACKGROUND,
    Role.ToolTipText: HC_TEXT,
    Role.PlaceholderText: HC_SECONDARY,
    Role.Link: HC_ACCENT,
    Role.Light: "#ffffff",
    Role.Midlight: "#bfbfbf",
    Role.Mid: "#000000",
    Role.Dark: "#000000",
    Role.Shadow: "#000000",
}
# Disabled text must still be readable in high contrast (WCAG AA at least).

# Foreground / background pairs the palette must keep readable (checked by the tests).
TEXT_PAIRS: tuple[tuple[QPalette.ColorRole, QPalette.ColorRole], ...] = (
    (Role.Text, Role.Base),
    (Role.WindowText, Role.Window),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.Link, Role.Base),
)

BASE_FONT_PROPERTY = "reviewdayBasePointSize"
SCALE_PROPERTY = "reviewdayTextScale"
HIGH_CONTRAST_PROPERTY = "reviewdayHighContrast"

_scaler: _StyleSheetScaler | None = None


def relative_luminance(colour: str | QColor) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    c = QColor(colour)

    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast_ratio(foreground: str | QColor, background: str | QColor) -> float:
    """WCAG contrast ratio, from 1 (none) to 21 (black on white). AA needs 4.5, AAA 7."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def build_palette(base: QPalette, high_contrast: bool) -> QPalette:
    palette = QPalette(base)
    colours = HIGH_CONTRAST_COLOURS if high_contrast else NORMAL_COLOURS
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    disabled = HIGH_CONTRAST_DISABLED_TEXT if high_contrast else DISABLED_TEXT
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return palette


class TextScaledStyle(QProxyStyle):
    """Fusion, with check-box and radio-button indicators that grow with the text size."""

    _SCALED = (
        QStyle.PixelMetric.PM_IndicatorWidth,
        QStyle.PixelMetric.PM_IndicatorHeight,
        QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
        QStyle.PixelMetric.PM_ExclusiveIndicatorHeight,
    )

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 - Qt override
        value = super().pixelMetric(metric, option, widget)
        if metric in self._SCALED:
            return round(value * current_scale() / 100)
        return value


def apply_theme(app: QApplication, *, high_contrast: bool = False, scale: int = 100) -> None:
    """Style, palette and text size for the whole app; safe to call again to change them."""
    global _scaler
    # The font first: with a style sheet, widgets take the application font when the style sheet
    # polishes them, so a font set after it would reach open windows only on the next change.
    base = app.property(BASE_FONT_PROPERTY)
    if not base:
        base = app.font().pointSizeF() if app.font().pointSizeF() > 0 else 9.0
        app.setProperty(BASE_FONT_PROPERTY, base)
    font = app.font()
    font.setPointSizeF(float(base) * scale / 100)
    app.setFont(font)
    app.setProperty(SCALE_PROPERTY, int(scale))

    app.setStyle(TextScaledStyle("Fusion"))
    app.setPalette(build_palette(app.style().standardPalette(), high_contrast))
    app.setStyleSheet(HIGH_CONTRAST_STYLE_SHEET if high_contrast else STYLE_SHEET)
    app.setProperty(HIGH_CONTRAST_PROPERTY, bool(high_contrast))

    if scale != 100 and _scaler is None:
        _scaler = _StyleSheetScaler(app)
        app.installEventFilter(_scaler)
    elif scale == 100 and _scaler is not None:
        app.removeEventFilter(_scaler)
    elif scale != 100 and _scaler is not None:
        app.installEventFilter(_scaler)  # re-installing moves it to the front; no duplicate
    for widget in app.allWidgets():
        scale_style_sheet(widget, scale)


def current_scale(app: QApplication | None = None) -> int:
    app = app or QApplication.instance()
    value = app.property(SCALE_PROPERTY) if app is not None else None
    return int(value) if value else 100


_POINT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")


def scaled_style_sheet(sheet: str, scale: int) -> str:
    """`sheet` with every `font-size: Npt` multiplied by scale / 100."""
    if scale == 100:
        return sheet

    def scaled(match: re.Match[str]) -> str:
        return f"font-size: {float(match.group(1)) * scale / 100:g}pt"

    return _POINT_SIZE.sub(scaled, sheet)


def scale_style_sheet(widget: QWidget, scale: int) -> None:
    """Scale the point sizes in a widget's own style sheet, remembering the original."""
    sheet = widget.styleSheet()
    if not sheet:
        return
    last = widget.property("reviewdayScaledSheet")
    if sheet == last:
        if widget.property("reviewdayScaledAt") == scale:
            return
        original = widget.property("reviewdayOriginalSheet") or sheet
    else:
        original = sheet  # new, or changed by its owner since it was last scaled
        if scale == 100 or "pt" not in original:
            return
    result = scaled_style_sheet(original, scale)
    widget.setProperty("reviewdayOriginalSheet", original)
    widget.setProperty("reviewdayScaledSheet", result)
    widget.setProperty("reviewdayScaledAt", scale)
    if result != sheet:
        widget.setStyleSheet(result)


class _StyleSheetScaler(QObject):
    """Scales the style sheets of widgets as they are shown or restyled (only while not at 100%)."""

    _TYPES = (QEvent.Type.Show, QEvent.Type.StyleChange)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in self._TYPES and isinstance(watched, QWidget):
            scale = current_scale()
            if scale != 100 or watched.property("reviewdayScaledSheet"):
                scale_style_sheet(watched, scale)
        return False
