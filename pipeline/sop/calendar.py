"""Working days for the one-day service standard: Monday–Friday, minus Indonesian national holidays and
cuti bersama, adjusted by the register's own 'Hari Libur' sheet."""

from __future__ import annotations

import functools
import importlib.util
import logging
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@functools.cache
def _indonesia() -> Any:
    """The class of Indonesia's holidays, loaded on its own. `holidays.country_holidays` and even
    `import holidays.countries.indonesia` first import all ~250 countries (0.1 s, 300 modules); loading the
    one module file needs only the library's core. Any surprise in the library's layout: the plain way."""
    import holidays
    try:
        path = Path(holidays.__file__).parent / "countries" / "indonesia.py"
        spec = importlib.util.spec_from_file_location("holidays.countries.indonesia", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.Indonesia
    except Exception as err:  # a newer holidays that moved things
        log.debug("holidays: loading Indonesia alone failed (%s); loading every country", err)
        return lambda **kwargs: holidays.country_holidays("ID", **kwargs)


class WorkCalendar:
    """Which days count as working days. Local 'Libur' rows add days off; 'Masuk' rows add working days."""

    def __init__(self, extra_off: Mapping[date, str] | None = None, extra_on: Iterable[date] = ()) -> None:
        self._extra_off = dict(extra_off or {})
        self._extra_on = frozenset(extra_on)
        # language='id': without it names follow $LANG and come out in English on most servers.
        # categories: cuti bersama only exists in the GOVERNMENT category (docs/NASKAH-DINAS.md,
        # 'Hari kerja').
        self._national = _indonesia()(categories=("public", "government"), language="id")
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
        self._cover(start, end)  # both counts must come from one table: its origin may move
        return self._counts[(end - self._first).days] - self._counts[(start - self._first).days]

    def _cover(self, start: date, end: date) -> None:
        """Make the prefix table (working days from its first day up to each day) span start..end.

        Grown in steps of a year each way and rebuilt whole when it grows, so every count in it is
        taken from the same first day."""
        if self._counts:
            last = self._first + timedelta(days=len(self._counts) - 1)
            if self._first <= start and end <= last:
                return
            start, end = min(start, self._first), max(end, last)
        lo, hi = start, end
        lo = date.min if lo.toordinal() <= 366 else lo - timedelta(days=366)
        hi = date.max if hi.toordinal() >= date.max.toordinal() - 366 else hi + timedelta(days=366)
        counts, total = [], 0
        for offset in range((hi - lo).days + 1):
            total += self.is_workday(lo + timedelta(days=offset))
            counts.append(total)
        self._first, self._counts = lo, counts

    def add_workdays(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start``."""
        day = start
        while days > 0 and day < date.max:
            day += timedelta(days=1)
            if self.is_workday(day):
                days -= 1
        return day
