"""Small widgets shared by several pages."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QToolButton, QWidget

# The date a QDateEdit shows as "Not set". Far enough back for any date of birth.
NOT_SET = QDate(1900, 1, 1)
LATEST = QDate(2100, 12, 31)
DATE_FORMAT = "dd MMM yyyy"

# Keys that start editing a "Not set" date from a sensible day instead of 1 Jan 1900.
_START_KEYS = {
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    *(Qt.Key(Qt.Key.Key_0.value + n) for n in range(10)),
}


def to_qdate(value: date | None) -> QDate:
    return NOT_SET if value is None else QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date | None:
    return None if not value.isValid() or value == NOT_SET else value.toPython()


class _DateEdit(QDateEdit):
    """A QDateEdit whose "Not set" state starts from the owner's default date when used."""

    def __init__(self, owner: OptionalDateEdit) -> None:
        super().__init__(owner)
        self._owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        from app.ui.focus import leave_on_tab

        if leave_on_tab(self, event):  # never a keyboard trap on "Not set"
            return
        if self.date() == NOT_SET and event.key() in _START_KEYS:
            self.setDate(to_qdate(self._owner.default_date()))
            self.setSelectedSection(QDateEdit.Section.DaySection)
            if event.key() not in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                super().keyPressEvent(event)
            return
        super().keyPressEvent(event)


class OptionalDateEdit(QWidget):
    """A date that may be left empty: a QDateEdit showing "Not set", plus a Clear button.

    ``value()`` is a ``date`` or ``None``; ``value_changed`` carries the same. While no date is
    set, the calendar opens (and arrow keys start) on ``default_date`` (today unless given).
    """

    value_changed = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        not_set_text: str | None = None,
        default_date: date | None = None,
        accessible_name: str = "",
    ) -> None:
        super().__init__(parent)
        self._default = default_date
        self.edit = _DateEdit(self)
        self.edit.setDisplayFormat(DATE_FORMAT)
        self.edit.setCalendarPopup(True)
        self.edit.setDateRange(NOT_SET, LATEST)
        self.edit.setSpecialValueText(not_set_text if not_set_text is not None else self.tr("Not set"))
        self.edit.setDate(NOT_SET)
        self.edit.dateChanged.connect(self._date_changed)
        self.edit.calendarWidget().installEventFilter(self)
        self.setFocusProxy(self.edit)

        self.clear_button = QToolButton(self)
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setAutoRaise(True)
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.clear_button.clicked.connect(self.clear)
        self.clear_button.setEnabled(False)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.clear_button)
        if accessible_name:
            self.setAccessibleName(accessible_name)

    # Public API ------------------------------------------------------------------------

    def value(self) -> date | None:
        return from_qdate(self.edit.date())

    def set_value(self, value: date | None) -> None:
        self.edit.setDate(to_qdate(value))

    def clear(self) -> None:
        self.set_value(None)

    def default_date(self) -> date:
        return self._default or date.today()

    def set_default_date(self, value: date | None) -> None:
        self._default = value

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - mirrors the Qt name
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)
        self.clear_button.setAccessibleName(self.tr("Clear {name}").format(name=name.lower()))
        self.clear_button.setToolTip(self.tr("Clear {name}").format(name=name.lower()))

    def setToolTip(self, text: str) -> None:  # noqa: N802 - mirrors the Qt name
        super().setToolTip(text)
        self.edit.setToolTip(text)

    # Internals -------------------------------------------------------------------------

    def _date_changed(self, _value: QDate) -> None:
        value = self.value()
        self.clear_button.setEnabled(value is not None)
        self.value_changed.emit(value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # The popup would open on January 1900 while no date is set; show a useful month.
        if event.type() == QEvent.Type.Show and self.value() is None:
            start = self.default_date()
            self.edit.calendarWidget().setCurrentPage(start.year, start.month)
        return super().eventFilter(watched, event)
