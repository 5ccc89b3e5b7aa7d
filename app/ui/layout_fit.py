"""Layouts that cope with large text (up to 200%) on a 1366×768 screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)


# A window's title bar and borders before the window system has drawn them (generous, so the frame fits).
FRAME_ALLOWANCE = QMargins(8, 32, 8, 8)


def frame_margins(window: QWidget) -> QMargins:
    """The room the window system's frame takes around `window` (an allowance until it is shown)."""
    frame, inner = window.frameGeometry(), window.geometry()
    margins = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                       frame.right() - inner.right(), frame.bottom() - inner.bottom())
    return FRAME_ALLOWANCE if margins.isNull() else margins


def available_area(window: QWidget) -> QRect:
    """The part of the window's screen that windows may use (without the taskbar)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, available: QRect | None = None) -> None:
    """Size and place a top-level window so that it, title bar and all, fills `available`
    (by default its screen's area less the taskbar): nothing of it (the status bar) is off screen."""
    area = available if available is not None else available_area(window)
    inner = area.marginsRemoved(frame_margins(window))
    window.setGeometry(inner)


def show_fitted(window: QWidget) -> None:
    """Show a main window maximised, and fitted to the screen for when it is restored."""
    fit_to_screen(window)
    window.showMaximized()


def by_text_scale(at_100: float, at_200: float) -> float:
    """A value for the current text size (Edit → Preferences), from its values at 100% and 200%."""
    from app.ui.theme import current_scale

    step = min(max((current_scale() - 100) / 100, 0.0), 1.0)
    return at_100 + (at_200 - at_100) * step


# From this text size (%) on, columns that sit side by side go one under the other.
STACKING_SCALE = 140


def stack_at_large_text(columns: QBoxLayout) -> None:
    """Columns side by side at the usual text size, one under the other at large text."""
    from app.ui.theme import current_scale

    direction = (QBoxLayout.Direction.TopToBottom if current_scale() >= STACKING_SCALE
                 else QBoxLayout.Direction.LeftToRight)
    if columns.direction() != direction:
        columns.setDirection(direction)


def size_by_current_page(stack: QStackedWidget) -> None:
    """Let only the page shown set the stack's size (not the widest page ever built)."""
    def update(_index: int = -1) -> None:
        current = stack.currentWidget()
        for i in range(stack.count()):
            page = stack.widget(i)
            policy = QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        stack.updateGeometry()

    stack.currentChanged.connect(update)
    update()


def scrolling(widget: QWidget, parent: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area: it fills the area, and scrolls only when it cannot fit."""
    area = QScrollArea(parent)
    area.setObjectName(f"{widget.objectName() or 'content'}Scroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


def text_width(widget: QWidget, characters: int, at_least: int) -> int:
    """A width for about `characters` average characters of the widget's font, but at least `at_least` px."""
    return max(at_least, widget.fontMetrics().averageCharWidth() * characters)


class FitRowLayout(QLayout):
    """A row that keeps its main item usable: one line when it fits, two when it does not.

    On one line the items sit left to right, each at its size hint's width, and the main item
    (`add_main`) takes the width left over. When the width cannot give every item its size hint
    (large text, a narrow pane), the items before and after the main one share the first line
    (those after it keep to the right) and the main item gets the whole second line. Heights
    follow the width (`heightForWidth`), so the parent makes room for the second line; nothing is
    squeezed below its size hint and nothing is cut off. Hidden items take no room.
    """

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._main: QLayoutItem | None = None
        self._heights: dict[int, int] = {}
        self.setSpacing(spacing)

    # Items ---------------------------------------------------------------------------------

    def add_main(self, widget: QWidget) -> None:
        """Add the item that gets the spare width on one line and a line of its own on two."""
        self.addWidget(widget)
        self._main = self._items[-1]

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        if not 0 <= index < len(self._items):
            return None
        item = self._items.pop(index)
        if item is self._main:
            self._main = None
        self.invalidate()
        return item

    # Sizes ---------------------------------------------------------------------------------

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        if width not in self._heights:
            self._heights[width] = self._arrange(QRect(0, 0, width, 0), apply=False)
        return self._heights[width]

    def invalidate(self) -> None:
        self._heights.clear()
        super().invalidate()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        items = self._visible()
        width = sum(item.sizeHint().width() for item in items) + self._gaps(len(items))
        height = max((item.sizeHint().height() for item in items), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        items = self._visible()
        first_line = [item for item in items if item is not self._main]
        width = sum(item.minimumSize().width() for item in first_line) + self._gaps(len(first_line))
        if self._main in items:
            width = max(width, self._main.minimumSize().width())
        height = max((item.minimumSize().height() for item in items), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def one_line(self, width: int | None = None) -> bool:
        """True if the row fits on one line at `width` (by default its current width)."""
        margins = self.contentsMargins()
        inner = (self.geometry().width() if width is None else width) - margins.left() - margins.right()
        items = self._visible()
        return self._main not in items or self.sizeHint().width() - margins.left() - margins.right() <= inner

    # Placing -------------------------------------------------------------------------------

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _gaps(self, count: int) -> int:
        return max(0, count - 1) * self.spacing()

    @staticmethod
    def _height(item: QLayoutItem, width: int) -> int:
        return item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Place the items in `rect` (or only measure); returns the height the row needs."""
        margins = self.contentsMargins()
        inner = rect.marginsRemoved(margins)
        items = self._visible()
        spacing = self.spacing()
        vertical = margins.top() + margins.bottom()
        if not items:
            return vertical
        if self.one_line(rect.width()):
            widths = [item.sizeHint().width() for item in items]
            spare = inner.width() - sum(widths) - self._gaps(len(items))
            grows = items.index(self._main) if self._main in items else len(items) - 1
            widths[grows] += max(0, spare)
            height = max(self._height(item, w) for item, w in zip(items, widths, strict=True))
            if apply:
                height = max(height, inner.height())  # a taller row: items fill it (their alignment holds)
                x = inner.x()
                for item, w in zip(items, widths, strict=True):
                    item.setGeometry(QRect(x, inner.y(), w, height))
                    x += w + spacing
            return height + vertical
        main_at = items.index(self._main)
        before, after = items[:main_at], items[main_at + 1:]
        after_widths = [min(item.sizeHint().width(), inner.width()) for item in after]
        room = inner.width() - sum(after_widths) - self._gaps(len(before) + len(after))
        before_widths = []
        for item in before:
            w = max(0, min(item.sizeHint().width(), room))
            before_widths.append(w)
            room -= w
        first = [*zip(before, before_widths, strict=True), *zip(after, after_widths, strict=True)]
        first_height = max((self._height(item, w) for item, w in first), default=0)
        main_y = inner.y() + (first_height + spacing if first else 0)
        main_height = self._height(self._main, inner.width())
        if apply:
            x = inner.x()
            for item, w in zip(before, before_widths, strict=True):
                item.setGeometry(QRect(x, inner.y(), w, first_height))
                x += w + spacing
            right = inner.x() + inner.width()
            for item, w in reversed(list(zip(after, after_widths, strict=True))):
                right -= w
                item.setGeometry(QRect(right, inner.y(), w, first_height))
                right -= spacing
            self._main.setGeometry(QRect(inner.x(), main_y, inner.width(), main_height))
        return main_y - inner.y() + main_height + vertical


class StackingColumns(QObject):
    """Columns side by side in a scroll area while they fit its width; one under the other when not.

    `columns` is the box layout of the area's widget. A two-column form cut off on the right (and
    scrolled sideways) on a laptop screen or at large text becomes one column that scrolls down.
    """

    def __init__(self, columns: QBoxLayout, area: QScrollArea) -> None:
        super().__init__(area)
        self._columns = columns
        self._area = area
        area.viewport().installEventFilter(self)  # the width there is to fill
        columns.parentWidget().installEventFilter(self)  # the width the columns need (text size)

    def side_by_side(self) -> bool:
        return self._columns.direction() == QBoxLayout.Direction.LeftToRight

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self.arrange()
        return False

    def arrange(self) -> None:
        items = [self._columns.itemAt(i) for i in range(self._columns.count())]
        margins = self._columns.contentsMargins()
        needed = (sum(item.minimumSize().width() for item in items)
                  + self._columns.spacing() * max(0, len(items) - 1) + margins.left() + margins.right())
        direction = (QBoxLayout.Direction.LeftToRight if needed <= self._area.viewport().width()
                     else QBoxLayout.Direction.TopToBottom)
        if self._columns.direction() != direction:
            self._columns.setDirection(direction)


class GrowToFit(QObject):
    """A window that grows (within the screen) until its wrapped labels have all the lines they need.

    Qt sizes a new window by its size hint, which guesses the width of wrapped text; at the width
    the window really gets, a long description would be cut off at the bottom.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # (getattr: Qt may call in while the Python side is being set up or torn down)
        if watched is getattr(self, "_window", None) and event.type() in (
                QEvent.Type.Show, QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            self.fit()
        return False

    def fit(self) -> None:
        layout = self._window.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        window = self._window
        room = available_area(window)
        width = min(max(window.width(), window.minimumSizeHint().width()), room.width())
        height = min(max(window.height(), layout.totalHeightForWidth(width)), room.height())
        if (width, height) != (window.width(), window.height()):
            window.resize(width, height)


class WrappedColumns(QObject):
    """A table whose cells wrap instead of being cut off ("…") at any text size.

    Each column gets at least its header's width and its longest word's; when the table is wide
    enough every column gets all it asks for (and the `stretch` column any spare width). When it
    is not, what is left over after those minimums goes to the columns in proportion to what
    they still lack, and rows grow in height to hold the wrapped lines. Widths are worked out
    again when the table is resized, its rows change or the text size changes.
    """

    def __init__(self, view, *, stretch: int | None = None, rows: int = 2000) -> None:
        from PySide6.QtWidgets import QHeaderView

        super().__init__(view)
        self._view = view
        self._stretch = stretch
        self._rows = rows  # measure (and wrap) this many rows at most: a long list stays quick
        self._busy = False
        self._queued = False
        view.setWordWrap(True)
        view.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fit() sets the heights
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)
        self._watch(view.model())

    def _watch(self, model) -> None:
        if model is None:
            return
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged, model.layoutChanged):
            signal.connect(self.fit_soon)

    def fit_soon(self, *_args) -> None:
        """Fit once the changes in hand are made (a refresh changes many rows, one by one)."""
        if not self._queued:
            self._queued = True
            QTimer.singleShot(0, self, self._fit_queued)

    def _fit_queued(self) -> None:
        self._queued = False
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        view = getattr(self, "_view", None)  # Qt may call in while the Python side is torn down
        if view is None:
            return False
        if (event.type() == QEvent.Type.Resize and watched is view.viewport()) or (
                event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and watched is view):
            self.fit()
        return False

    def _header_width(self, column: int) -> int:
        from PySide6.QtGui import QFont, QFontMetrics
        from PySide6.QtWidgets import QStyle

        header = self._view.horizontalHeader()
        text = str(self._view.model().headerData(column, Qt.Orientation.Horizontal) or "")
        font = QFont(header.font())
        font.setBold(True)  # the sorted column's header is bold in some styles
        style = header.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        mark = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) if header.isSortIndicatorShown() else 0
        measured = QFontMetrics(font).horizontalAdvance(text) + 2 * margin + mark + 4
        return max(measured, header.sectionSizeHint(column))  # the hint has any style sheet's padding

    def _texts(self, column: int):
        """(index, text, font metrics) for the column's cells (the first rows only)."""
        from PySide6.QtCore import QModelIndex
        from PySide6.QtGui import QFontMetrics

        view = self._view
        model = view.model()
        base = QFontMetrics(view.font())
        for row in range(min(model.rowCount(QModelIndex()), self._rows)):
            index = model.index(row, column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text is None or not str(text):
                continue
            font = index.data(Qt.ItemDataRole.FontRole)
            yield index, str(text), (QFontMetrics(font) if font is not None else base)

    def _measure(self, column: int) -> tuple[int, int, int]:
        """The column's cell margins (what a cell needs beside its text), longest word and longest line."""
        word = line = 0
        for _index, text, metrics in self._texts(column):
            word = max(word, *(metrics.horizontalAdvance(w) for w in text.split() or [""]))
            line = max(line, *(metrics.horizontalAdvance(part) for part in text.split("\n")))
        hint = self._view.sizeHintForColumn(column)  # the delegate's, with any style sheet padding
        extra = max(hint - line, 12) if line else 12
        return extra, word + extra, max(hint, line + extra)

    def fit(self, *_args) -> None:
        view = self._view
        model = view.model()
        if model is None or self._busy:
            return
        self._busy = True
        try:
            from PySide6.QtCore import QModelIndex

            header = view.horizontalHeader()
            columns = [c for c in range(model.columnCount(QModelIndex())) if not header.isSectionHidden(c)]
            if not columns:
                return
            extras, minimum, natural = {}, {}, {}
            for column in columns:
                extra, word, line = self._measure(column)
                head = self._header_width(column)
                extras[column] = extra
                minimum[column] = max(head, word)
                natural[column] = max(head, line)
            room = view.viewport().width()
            total_natural = sum(natural.values())
            if total_natural <= room:
                widths = dict(natural)
                grow = self._stretch if self._stretch in widths else columns[-1]
                widths[grow] += room - total_natural
            else:
                widths = dict(minimum)
                spare = max(0, room - sum(minimum.values()))
                lacking = {c: natural[c] - minimum[c] for c in columns}
                total_lacking = sum(lacking.values()) or 1
                for column in columns:
                    widths[column] += spare * lacking[column] // total_lacking
            for column, width in widths.items():
                header.resizeSection(column, width)
            self._fit_rows(columns, widths, extras)
        finally:
            self._busy = False

    def _fit_rows(self, columns: list[int], widths: dict[int, int], extras: dict[int, int]) -> None:
        """Each row as tall as its most wrapped cell (the delegate's own guess misses style sheet padding)."""
        from PySide6.QtCore import QModelIndex

        view = self._view
        view.resizeRowsToContents()
        wrap = int(Qt.TextFlag.TextWordWrap)
        heights: dict[int, int] = {}
        for column in columns:
            room = max(1, widths[column] - extras[column])
            for index, text, metrics in self._texts(column):
                lines = metrics.boundingRect(QRect(0, 0, room, 100_000), wrap, text).height()
                if lines > metrics.lineSpacing() * 1.5:  # wrapped: the lines, and room above and below
                    needed = lines + metrics.height() // 2 + 6
                    heights[index.row()] = max(heights.get(index.row(), 0), needed)
        for row, height in heights.items():
            if height > view.rowHeight(row) and row < view.model().rowCount(QModelIndex()):
                view.setRowHeight(row, height)
