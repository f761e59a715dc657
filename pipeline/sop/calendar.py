"""Working days for the one-day service standard: Monday–Friday, minus Indonesian national holidays and
cuti bersama, adjusted by the register's own 'Hari Libur' sheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import holidays as _holidays


class WorkCalendar:
    """Which days count as working days. Local 'Libur' rows add days off; 'Masuk' rows add working days."""

    def __init__(self, extra_off: Mapping[date, str] | None = None, extra_on: Iterable[date] = ()) -> None:
        self._extra_off = dict(extra_off or {})
        self._extra_on = frozenset(extra_on)
        # language='id': without it names follow $LANG and come out in English on most servers.
        # categories: cuti bersama only exists in the GOVERNMENT category (DOMAIN.md §13).
        self._national = _holidays.country_holidays("ID", categories=("public", "government"), language="id")
        self._cache: dict[date, str | None] = {}
        self._first = date.min
        self._counts: list[int] = []

    def holiday_name(self, day: date) -> str | None:
        """Why this day is not a working day, or None when it is one."""
        if day not in self._cache:
            self._cache[day] = self._lookup(day)
        return self._cache[day]

    def _lookup(self, day: date) -> str | None:
        if day in self._extra_on:
            return None
        if day in self._extra_off:
            return self._extra_off[day] or "hari libur setempat"
        name = self._national.get(day)
        if name:
            return str(name)
        if day.weekday() >= 5:
            return "hari Sabtu" if day.weekday() == 5 else "hari Minggu"
        return None

    def is_workday(self, day: date) -> bool:
        return self.holiday_name(day) is None

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        if end <= start:
            return 0
        return self._running_count(end) - self._running_count(start)

    def _running_count(self, day: date) -> int:
        """Working days from the table's first day up to ``day``: a prefix sum, so any span costs O(1)."""
        if not self._counts or day < self._first or day >= self._first + timedelta(days=len(self._counts)):
            first = min(day, self._first) if self._counts else day
            last = max(day, self._first + timedelta(days=len(self._counts) - 1)) if self._counts else day
            first, last = first - timedelta(days=366), last + timedelta(days=366)  # grow in big steps
            counts, total = [], 0
            for offset in range((last - first).days + 1):
                total += self.is_workday(first + timedelta(days=offset))
                counts.append(total)
            self._first, self._counts = first, counts
        return self._counts[(day - self._first).days]

    def add_workdays(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start``."""
        day = start
        while days > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                days -= 1
        return day
