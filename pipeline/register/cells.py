"""One cell of the register: its column's name as Excel shows it, the value as the clerk typed it (for
messages), and the typed value its column's kind asks for — or a problem naming the cell and what to
type instead. Strict: a value that could be read two ways is refused, never guessed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pipeline.problems import Problem, error
from pipeline.register import columns as C
from pipeline.register.values import check_domain, check_ip, clean_text, norm_key, parse_date, parse_datetime


def column_letter(number: int) -> str:
    """Excel's column name: 1 → 'A', 27 → 'AA' (openpyxl's get_column_letter, without openpyxl)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def as_typed(cell: Any) -> str:
    """The cell as the clerk sees it in Excel, for messages: dates as 15/06/2026, not ISO timestamps."""
    if isinstance(cell, datetime):
        return f"{cell:%d/%m/%Y}" if (cell.hour, cell.minute) == (0, 0) else f"{cell:%d/%m/%Y %H:%M}"
    if isinstance(cell, date):
        return f"{cell:%d/%m/%Y}"
    return clean_text(cell)


def convert(decl: C.Sheet, col: C.Column, cell: Any, text: str, row: int, header: str, epoch: datetime
             ) -> tuple[Any, Problem | None]:
    """The typed value of one cell (``text`` is the cell as typed), or a problem naming it."""
    if col.kind is C.Kind.DATE:
        if not text and not isinstance(cell, int | float):
            return None, None
        try:
            return parse_date(cell, epoch), None
        except ValueError as err:
            return None, error(decl.name, row, header, text, f"Tanggal tidak dapat dibaca: {err}.",
                               "Tulis tanggal seperti 15/06/2026, 2026-06-15 atau 15 Juni 2026, "
                               "atau format sel sebagai Tanggal.")
    if col.kind is C.Kind.DATETIME:
        if not text:
            return None, None
        try:
            return parse_datetime(cell, epoch), None
        except ValueError as err:
            return None, error(decl.name, row, header, text, f"Tanggal dan jam tidak dapat dibaca: {err}.",
                               "Tulis seperti 15/06/2026 08.00 (tanggal, spasi, jam dengan titik atau titik "
                               "dua).")
    if col.kind is C.Kind.CHOICE:
        if not text:
            return col.default, None
        wanted = norm_key(text)
        for choice in col.choices:
            if wanted in {norm_key(choice.value), *(norm_key(s) for s in choice.synonyms)}:
                return choice.value, None
        return "", error(decl.name, row, header, text, f"Nilai '{text}' tidak ada dalam pilihan.",
                         f"Pilih salah satu: {col.allowed()}.")
    if col.kind is C.Kind.NIP and isinstance(cell, int | float) and not isinstance(cell, bool):
        return text, error(decl.name, row, header, text,
                           "NIP tersimpan sebagai angka, sehingga Excel membulatkan angka-angka terakhirnya.",
                           "Format sel sebagai Teks, lalu ketik ulang NIP lengkap 18 angka.")
    if col.kind is C.Kind.IP and text:
        reason = check_ip(text)
        if reason:
            return text, error(decl.name, row, header, text, f"Alamat IP tidak sah: {reason}.",
                               "Perbaiki alamat IP; pisahkan beberapa alamat dengan ';'.")
    if col.kind is C.Kind.DOMAIN and text:
        reason = check_domain(text)
        if reason:
            return text, error(decl.name, row, header, text, f"Nama domain tidak sah: {reason}.",
                               "Perbaiki nama domain; pisahkan beberapa domain dengan ';'.")
    return text, None
