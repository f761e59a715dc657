"""Problems in the clerks' data, as values: who must fix what, where, and how."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    GALAT = "galat"  # error: the request's documents are held back
    PERINGATAN = "peringatan"  # warning: documents are written, someone should look


@dataclass(frozen=True)
class Problem:
    severity: Severity
    sheet: str  # sheet name, or the template / file name for non-register problems
    row: int | None  # the row number Excel shows; None for sheet- or file-level problems
    column: str  # header text as the clerk knows it ("" when not about one column)
    value: str  # the offending value as typed ("" when empty)
    message: str  # Indonesian, addressed to the person who can fix it
    hint: str = ""  # what to do
    agenda: str = ""  # No. Agenda of the request it belongs to ("" for register-level problems)
    source: str = ""  # register file name
    place: str = "Sheet"  # what ``sheet`` names: a sheet of the register, or a 'Templat', 'Folder', 'Dokumen'

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.GALAT

    def location(self) -> str:
        parts = [f"{self.place} '{self.sheet}'"] if self.sheet else []
        if self.row is not None:
            parts.append(f"baris {self.row}")
        if self.column:
            parts.append(f"kolom '{self.column}'")
        return ", ".join(parts)

    def describe(self) -> str:
        """One line, for a log."""
        text = f"{self.severity.value.upper()} {self.headline()}"
        return text + (f" → {self.hint}" if self.hint else "")

    def headline(self) -> str:
        """Where and what: "Sheet 'Permohonan', baris 7, kolom 'Tgl Pemeriksaan': tanggal … lebih awal …"."""
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

    def details(self) -> list[str]:
        """The lines under the headline: the value as typed (unless the message quotes it), what to do."""
        lines = []
        if self.value and self.value not in self.message:
            lines.append(f"Nilai tertulis: {self.value}")
        if self.hint:
            lines.append(f"Yang perlu dilakukan: {self.hint}")
        return lines


def error(sheet: str, row: int | None, column: str, value: object, message: str, hint: str = "",
          agenda: str = "", place: str = "Sheet") -> Problem:
    return Problem(Severity.GALAT, sheet, row, column, _show(value), message, hint, agenda, place=place)


def warning(sheet: str, row: int | None, column: str, value: object, message: str, hint: str = "",
            agenda: str = "", place: str = "Sheet") -> Problem:
    return Problem(Severity.PERINGATAN, sheet, row, column, _show(value), message, hint, agenda, place=place)


def _show(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "…"
