"""The period a monev report covers: a month, quarter (triwulan), half-year (semester), year, or any range,
parsed from '2026-07', '2026-Q3', '2026-S1', '2026' or --dari/--sampai, with its Indonesian title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pipeline.register.values import DATE_RANGE, format_date, month_names

Kind = Literal["bulan", "triwulan", "semester", "tahun", "rentang"]
ROMAN = ("I", "II", "III", "IV")

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?(?:Q|TW|T)([1-4])$", re.IGNORECASE)
_HALF = re.compile(r"^(\d{4})-?S([12])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """Requests belong to the period of their Tanggal Diterima: ``start`` ≤ Tanggal Diterima ≤ ``end``."""

    start: date
    end: date
    kind: Kind
    key: str  # '2026-Q3', '2026-07', '2026-S1', '2026', '2026-07-01_2026-08-15': the file name uses it

    @property
    def title(self) -> str:
        """'Triwulan III Tahun 2026', 'Bulan Juli Tahun 2026', 'Periode 1 Juli 2026 s.d. 15 Agustus 2026'."""
        year = self.start.year
        if self.kind == "bulan":
            return f"Bulan {month_names()[self.start.month - 1]} Tahun {year}"
        if self.kind == "triwulan":
            return f"Triwulan {ROMAN[(self.start.month - 1) // 3]} Tahun {year}"
        if self.kind == "semester":
            return f"Semester {ROMAN[(self.start.month - 1) // 6]} Tahun {year}"
        if self.kind == "tahun":
            return f"Tahun {year}"
        return f"Periode {self.span}"

    @property
    def span(self) -> str:
        """'1 Juli 2026 s.d. 30 September 2026'."""
        return f"{format_date(self.start)} s.d. {format_date(self.end)}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def month(year: int, number: int) -> Period:
    return Period(date(year, number, 1), _month_end(year, number), "bulan", f"{year}-{number:02d}")


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(date(year, first, 1), _month_end(year, first + 2), "triwulan", f"{year}-Q{number}")


def semester(year: int, number: int) -> Period:
    first = 6 * (number - 1) + 1
    return Period(date(year, first, 1), _month_end(year, first + 5), "semester", f"{year}-S{number}")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), "tahun", str(year))


def date_range(start: date, end: date) -> Period:
    if end < start:
        raise ValueError(f"tanggal akhir {format_date(end)} lebih awal dari tanggal awal "
                         f"{format_date(start)}")
    return Period(start, end, "rentang", f"{start.isoformat()}_{end.isoformat()}")


def quarter_of(day: date) -> Period:
    """The triwulan that holds ``day``: the report's default period."""
    return quarter(day.year, (day.month - 1) // 3 + 1)


def parse_period(text: str) -> Period:
    """'2026-07' (bulan), '2026-Q3' or '2026-TW3' (triwulan), '2026-S1' (semester), '2026' (tahun).

    Raises ValueError with an Indonesian reason for anything else."""
    value = text.strip()
    if m := _MONTH.match(value):
        if not 1 <= int(m[2]) <= 12:
            raise ValueError(f"bulan '{m[2]}' tidak ada (01–12)")
        return month(_year(m[1]), int(m[2]))
    if m := _QUARTER.match(value):
        return quarter(_year(m[1]), int(m[2]))
    if m := _HALF.match(value):
        return semester(_year(m[1]), int(m[2]))
    if m := _YEAR.match(value):
        return year_period(_year(m[1]))
    raise ValueError(f"'{text}' bukan periode; tulis mis. 2026-07 (bulan), 2026-Q3 (triwulan), "
                     "2026-S1 (semester) atau 2026 (tahun)")


def _year(text: str) -> int:
    year = int(text)
    low, high = DATE_RANGE
    if not low.year <= year <= high.year:  # the years a register's dates may hold
        raise ValueError(f"tahun {year} di luar rentang {low.year}–{high.year}")
    return year


def choose_period(periode: str | None, dari: date | None, sampai: date | None, today: date) -> Period:
    """The period the command line asks for: --periode, or --dari with --sampai; by default the triwulan of
    today. Raises ValueError with an Indonesian reason."""
    if periode and (dari or sampai):
        raise ValueError("pakai --periode, atau --dari dengan --sampai, tidak keduanya")
    if dari or sampai:
        if not (dari and sampai):
            raise ValueError("--dari dan --sampai harus diisi keduanya")
        return date_range(dari, sampai)
    return parse_period(periode) if periode else quarter_of(today)
