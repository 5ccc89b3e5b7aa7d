"""Finding text that is cut off or elided in a window: labels, buttons, tabs, headers and the
cells of item views, measured with the widget's own font metrics against the room it has."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QListView,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QWidget,
)

WRAP = int(Qt.TextFlag.TextWordWrap)
SLACK = 1  # rounding between Qt's own measurements and these


def _plain(text: str, *, mnemonic: bool) -> str:
    if mnemonic:
        text = text.replace("&&", "\x00").replace("&", "").replace("\x00", "&")
    return text


def _words(text: str) -> list[str]:
    """What a line can break between: spaces, and zero-width spaces (as in a long path)."""
    import re

    return [word for word in re.split(r"[\s\u200b]+", text) if word]


def _might_be_rich(text: str) -> bool:
    """Qt's guess (Qt::mightBeRichText): a tag before the first line break."""
    import re

    return re.search(r"<[a-zA-Z!/][^>]*>", text.split("\n", 1)[0]) is not None


def _is_rich(label: QLabel) -> bool:
    fmt = label.textFormat()
    return fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and _might_be_rich(label.text()))


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text.strip():
        return None
    rect = label.contentsRect()
    margin = label.margin()
    indent = max(label.indent(), 0) if label.indent() >= 0 else 0
    width = rect.width() - 2 * margin - indent
    height = rect.height() - 2 * margin
    if _is_rich(label):
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        if label.wordWrap():
            document.setTextWidth(width)
            if document.size().height() > height + SLACK + 2:
                return f"needs {document.size().height():.0f} px of height, has {height}"
            return None
        if document.idealWidth() > width + SLACK + 2:
            return f"needs {document.idealWidth():.0f} px, has {width}"
        return None
    metrics = label.fontMetrics()
    plain = _plain(text, mnemonic=label.buddy() is not None)
    if label.wordWrap():
        needed = metrics.boundingRect(QRect(0, 0, max(width, 1), 100_000), WRAP, plain)
        widest = max((metrics.horizontalAdvance(word) for word in _words(plain)), default=0)
        if widest > width + SLACK:
            return f"a word needs {widest} px, has {width}"
        if needed.height() > height + SLACK:
            return f"needs {needed.height()} px of height, has {height}"
        return None
    needed = metrics.boundingRect(QRect(0, 0, 100_000, 100_000), 0, plain)
    if needed.width() > width + SLACK:
        return f"needs {needed.width()} px, has {width}"
    if needed.height() > height + SLACK and metrics.height() > height + SLACK:
        return f"needs {needed.height()} px of height, has {height}"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    if not button.text().strip():
        return None
    hint = button.sizeHint()
    if hint.width() > button.width() + SLACK:
        return f"needs {hint.width()} px, has {button.width()}"
    if button.fontMetrics().height() > button.height():
        return f"needs {button.fontMetrics().height()} px of height, has {button.height()}"
    return None


def _tab_problems(bar: QTabBar) -> list[str]:
    problems = []
    for i in range(bar.count()):
        if not bar.isTabVisible(i):
            continue
        text = _plain(bar.tabText(i), mnemonic=True)
        needed = bar.fontMetrics().horizontalAdvance(text)
        room = bar.tabRect(i).width()
        hint = bar.tabSizeHint(i).width()
        if room < hint - SLACK or needed > room:
            problems.append(f"tab {text!r}: needs {hint} px, has {room}")
    return problems


def _header_problems(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or not header.isVisible():
        return []
    horizontal = header.orientation() == Qt.Orientation.Horizontal
    font = QFont(header.font())
    font.setBold(True)  # the sort section's font can be bold; measure the widest case
    metrics = QFontMetrics(font)
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    problems = []
    from PySide6.QtCore import QModelIndex

    count = model.columnCount(QModelIndex()) if horizontal else model.rowCount(QModelIndex())
    for section in range(count):
        if header.isSectionHidden(section):
            continue
        position = header.sectionViewportPosition(section)
        size = header.sectionSize(section)
        if position + size <= 0 or position >= header.viewport().width():
            continue
        text = str(model.headerData(section, header.orientation()) or "")
        if not text:
            continue
        needed = metrics.horizontalAdvance(text) + 2 * margin
        if horizontal and header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            needed += header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        needed = max(needed, header.sectionSizeHint(section))  # with any style sheet's padding
        if horizontal and needed > size + SLACK:
            problems.append(f"column {text!r}: needs {needed} px, has {size}")
    return problems


def _cell_problems(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    viewport = view.viewport().rect()
    problems = []
    from PySide6.QtCore import QModelIndex

    rows = model.rowCount(QModelIndex())
    columns = 1 if isinstance(view, QListView) else model.columnCount(QModelIndex())
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    for row in range(rows):
        for column in ([view.modelColumn()] if isinstance(view, QListView) else range(columns)):
            if isinstance(view, QTableView) and view.isColumnHidden(column):
                continue
            index = model.index(row, column)
            rect = view.visualRect(index)
            if not rect.isValid() or not rect.intersects(viewport):
                continue
            delegate = view.itemDelegateForIndex(index)
            option = QStyleOptionViewItem()
            option.initFrom(view)
            option.rect = rect
            option.font = index.data(Qt.ItemDataRole.FontRole) or view.font()
            if isinstance(delegate, QStyledItemDelegate) and type(delegate).paint is not QStyledItemDelegate.paint:
                # A delegate that draws the cell itself must ask for all the room it needs.
                hint = delegate.sizeHint(option, index)
                if hint.height() > rect.height() + SLACK:
                    problems.append(f"cell {row},{column}: needs {hint.height()} px of height, has {rect.height()}")
                continue
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text is None or not str(text).strip():
                continue
            text = str(text)
            metrics = QFontMetrics(option.font)
            lines = text.split("\n")
            longest = max(metrics.horizontalAdvance(line) for line in lines)
            # What the cell needs beside its text (margins, style sheet padding, icon, check box).
            hint = delegate.sizeHint(option, index).width()
            extra = max(hint - longest, 2 * margin)
            room = rect.width() - extra
            if longest <= room + SLACK:
                if metrics.lineSpacing() * len(lines) > rect.height() + SLACK + 2:
                    problems.append(f"cell {text!r}: needs {metrics.lineSpacing() * len(lines)} px of height, has {rect.height()}")
                continue
            if not view.wordWrap():
                problems.append(f"cell {text!r}: needs {longest} px, has {room}")
                continue
            needed = metrics.boundingRect(QRect(0, 0, max(room, 1), 100_000), WRAP, text).height()
            widest = max((metrics.horizontalAdvance(word) for word in _words(text)), default=0)
            if widest > room + SLACK or needed > rect.height() + SLACK:
                problems.append(f"cell {text!r}: needs {widest}×{needed} px, has {room}×{rect.height()}")
    return problems


def clipped_texts(root: QWidget, *, sideways: bool = True) -> list[str]:
    """Each text in `root` (visible widgets only) that does not fit the room it has; with
    `sideways`, also each scroll area that has to scroll sideways to show its content."""
    problems: list[str] = []

    def where(widget: QWidget) -> str:
        names = []
        while widget is not None and widget is not root and len(names) < 3:
            if widget.objectName():
                names.append(widget.objectName())
            widget = widget.parentWidget()
        return "/".join(reversed(names)) or type(widget).__name__

    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        if isinstance(widget.parentWidget(), QComboBox):
            continue
        problem: list[str] = []
        if isinstance(widget, QLabel) and widget.pixmap().isNull():
            found = _label_problem(widget)
            problem = [f"label {widget.text()[:60]!r}: {found}"] if found else []
        elif isinstance(widget, QAbstractButton) and not isinstance(widget.parentWidget(), QTabBar):
            found = _button_problem(widget)
            problem = [f"button {widget.text()!r}: {found}"] if found else []
        elif isinstance(widget, QTabBar):
            problem = _tab_problems(widget)
        elif isinstance(widget, QHeaderView):
            problem = _header_problems(widget)
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            problem = _cell_problems(widget)
        elif sideways and isinstance(widget, QScrollArea) and widget.horizontalScrollBar().maximum() > 0:
            inner = widget.widget()
            problem = [f"scrolls sideways: needs {inner.minimumSizeHint().width() if inner else '?'} px, "
                       f"has {widget.viewport().width()}"]
        problems += [f"{where(widget)}: {p}" for p in problem]
    return problems
