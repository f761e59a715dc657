"""The status written for people: REKAP.xlsx for the whole outbox, STATUS.txt for one request."""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.monev.figures import Figures
from pipeline.outbox.status import next_step_text, state_text
from pipeline.problems import Problem
from pipeline.register.values import format_date
from pipeline.validate import Validation

RECAP_NAME = "REKAP.xlsx"
RECAP_VERSION = 3  # 2: sheet Kinerja; 3: the digest covers only what the sheets show


@cache
def _style(name: str) -> Any:
    """openpyxl (a quarter of a second to import) is loaded when a recap is written, not for its digest."""
    from openpyxl.styles import Alignment, Font, PatternFill
    return {"head_fill": PatternFill("solid", fgColor="DDEBF7"),
            "red": PatternFill("solid", fgColor="F8CBAD"),
            "yellow": PatternFill("solid", fgColor="FFF2CC"),
            "wrap": Alignment(vertical="top", wrap_text=True),
            "bold": Font(bold=True)}[name]


def _rekap_rows(validations: Sequence[Validation]) -> Iterator[list[Any]]:
    """Sheet Rekap, one row per request, exactly as shown."""
    for v in validations:
        for a in v.assessments:
            yield [v.register.name, a.agenda, a.record.text("perangkat_daerah"), a.record.text("hal"),
                   a.last_step.label if a.last_step else "-", a.done[-1][1] if a.done else None,
                   next_step_text(a), a.next_deadline, state_text(a), len(a.errors), len(a.warnings)]


def _masalah_rows(validations: Sequence[Validation], other: Sequence[Problem]) -> Iterator[list[Any]]:
    """Sheet Masalah, one row per problem, exactly as shown."""
    problems = [*((p, p.source) for p in other),
                *((p, p.source or v.register.name) for v in validations for p in v.all_problems())]
    for p, source in problems:
        yield [source, p.agenda, p.severity.value, p.sheet, p.row, p.column, p.value, p.message, p.hint]


def recap_digest(validations: Sequence[Validation], today: date, other: Sequence[Problem] = (),
                 kinerja: Figures | None = None) -> str:
    """Changes exactly when what REKAP.xlsx shows would change (stored inside it, so an unchanged recap is
    not rebuilt): the rows of every sheet, from the same functions that write them. A value the recap does
    not show (Hasil Pemeliharaan, say) does not rebuild it. A new sheet adds its rows here too."""
    digest = hashlib.sha256(json.dumps([RECAP_VERSION, today.isoformat()]).encode())
    for sheet, rows in (("Rekap", _rekap_rows(validations)), ("Masalah", _masalah_rows(validations, other))):
        digest.update(sheet.encode())
        for row in rows:  # row by row: flat memory for long registers
            digest.update(json.dumps(row, default=str).encode())
    if kinerja is not None:  # sheet Kinerja: its figures also depend on Hari Libur and the photos
        digest.update(kinerja.digest().encode())
    return digest.hexdigest()


def stored_digest(path: Path) -> str:
    """The digest recorded in an existing REKAP.xlsx, or '' (cheap: one small zip member)."""
    try:
        with zipfile.ZipFile(path) as zf:
            found = re.search(rb'name="sidik"[^>]*>\s*<vt:lpwstr[^>]*>([0-9a-f]{64})<', zf.read("docProps/custom.xml"))
    except (OSError, KeyError, zipfile.BadZipFile):
        return ""
    return found[1].decode() if found else ""


def recap_bytes(validations: Sequence[Validation], today: date, other: Sequence[Problem] = (),
                digest: str = "", kinerja: Figures | None = None) -> bytes:
    """REKAP.xlsx: sheet Rekap (one row per request), Masalah (one row per problem, filterable), Kinerja (the
    year's monev figures and charts, when given)."""
    import openpyxl
    from openpyxl.packaging.custom import StringProperty

    from pipeline.monev.kinerja import write_kinerja
    wb = openpyxl.Workbook(write_only=True)  # streams rows: flat memory for long registers
    if digest:
        wb.custom_doc_props.append(StringProperty(name="sidik", value=digest))  # type: ignore[attr-defined]
    head = ["Register", "No. Agenda", "Perangkat Daerah", "Hal", "Langkah Terakhir", "Tanggal Langkah Terakhir",
            "Langkah Berikutnya", "Batas Waktu", "Keadaan", "Galat", "Peringatan"]
    widths = [16, 12, 28, 36, 30, 14, 34, 14, 22, 8, 11]
    count = sum(len(v.assessments) for v in validations)
    _table(wb.create_sheet("Rekap"), head, widths, _rekap_rows(validations), count, date_cols={6, 8},
           state_col=9)
    head = ["Register", "No. Agenda", "Jenis", "Sheet", "Baris", "Kolom", "Nilai", "Masalah", "Yang perlu dilakukan"]
    widths = [16, 12, 11, 12, 7, 22, 24, 70, 50]
    count = len(other) + sum(len(v.all_problems()) for v in validations)
    _table(wb.create_sheet("Masalah"), head, widths, _masalah_rows(validations, other), count,
           date_cols=set(), wrap_cols={8, 9})
    if kinerja is not None:
        write_kinerja(wb, kinerja)
    info = wb.create_sheet("Info")
    info.column_dimensions["A"].width = 100
    info.append([_text(info, "Dibuat oleh sop-pipeline. File ini ditulis ulang setiap kali pipeline berjalan; "
                             "jangan diubah — perbaiki register-nya.")])
    info.append([_text(info, f"Keadaan per {format_date(today)}")])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _text(ws: Any, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell
    cell: Any = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # text that starts with = + - @ stays text, never a formula
    return cell


def _table(ws: Any, head: list[str], widths: list[int], rows: Iterable[Sequence[Any]], count: int,
           date_cols: Collection[int], wrap_cols: Collection[int] = frozenset(), state_col: int = 0) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    # Printed: landscape, all columns on one page width, the header row repeated on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(1, count + 1)}"
    header: list[Any] = []
    for text in head:
        cell = _text(ws, text)
        cell.font, cell.fill, cell.alignment = _style("bold"), _style("head_fill"), _style("wrap")
        header.append(cell)
    ws.append(header)
    # Styles only where they matter: per-cell styling dominates the recap's cost.
    for number, row in enumerate(rows, start=2):
        if wrap_cols:  # wrapped text needs a taller row: neither Excel nor LibreOffice grows it on open
            lines = max(math.ceil(len(str(row[c - 1] or "")) / (widths[c - 1] * 1.15)) for c in wrap_cols)
            if lines > 1:
                ws.row_dimensions[number].height = 15 * min(lines, 12)
        cells: list[Any] = []
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                cell = _text(ws, value)
                if c in wrap_cols:
                    cell.alignment = _style("wrap")
                if c == state_col:
                    fill = _style("red") if row[9] else _style("yellow") if row[10] else None
                    if fill:
                        cell.fill = fill
                cells.append(cell)
            elif c in date_cols and value is not None:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            else:
                cells.append(value)
        ws.append(cells)
