"""The action editor's deadline: a date edit whose lowest date stands for "no date yet"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

# The date edit's lowest date stands for "no deadline yet" and shows as "No date".
NO_DATE = QDate(2000, 1, 1)


class DeadlineEdit(QDateEdit):
    """A date edit whose lowest date means "no date"; stepping from there starts at the review date."""

    def __init__(self, review_date: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._review_date = review_date
        self.setMinimumDate(NO_DATE)
        self.setDate(NO_DATE)

    def value(self) -> date | None:
        chosen = self.date()
        return None if chosen == NO_DATE else chosen.toPython()

    def set_value(self, value: date | None) -> None:
        self.setDate(NO_DATE if value is None else QDate(value.year, value.month, value.day))

    def stepBy(self, steps: int) -> None:
        if self.date() == NO_DATE and steps > 0:
            start = self._review_date()
            self.setDate(QDate(start.year, start.month, start.day))
            return
        super().stepBy(steps)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        from app.ui.focus import leave_on_tab

        if leave_on_tab(self, event):  # never a keyboard trap on "No date"
            return
        super().keyPressEvent(event)
