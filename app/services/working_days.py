"""Working days in England and Wales: weekends and bank holidays (as observed) are not counted.

The bank holidays come from the maintained `holidays` package (England's calendar, which is
England and Wales's), so a new year or a one-off holiday needs a package update, not code.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays


@functools.cache
def _bank_holidays(year: int) -> frozenset[date]:
    # subdiv "ENG": England's bank holidays, the same as Wales's; observed days (a Christmas on
    # a Saturday moves to the Monday) are included.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (start itself not counted); `start` for 0."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not after start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
