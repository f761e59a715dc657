"""The status written for people: REKAP.xlsx for the whole outbox, STATUS.txt for one request."""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.monev.figures import Figures
from pipeline.monev.kinerja import write_kinerja
from pipeline.outbox.status import next_step_text, state_text
from pipeline.problems import Problem
from pipeline.register.values import format_date
from pipeline.validate import Validation

RECAP_NAME = "REKAP.xlsx"
RECAP_VERSION = 2  # 2: sheet Kinerja


_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_RED = PatternFill("solid", fgColor="F8CBAD")
_YELLOW = PatternFill("solid", fgColor="FFF2CC")


def recap_digest(validations: Sequence[Validation], today: date, other: Sequence[Problem] = (),
                 kinerja: Figures | None = None) -> str:
    """Changes exactly when REKAP.xlsx would change; stored inside it so an unchanged recap is not rebuilt."""
    digest = hashlib.sha256(json.dumps([RECAP_VERSION, today, list(other)], default=str).encode())
    if kinerja is not None:  # sheet Kinerja: its figures also depend on Hari Libur and the photos
        digest.update(kinerja.digest().encode())
    for v in validations:  # row by row: flat memory for long registers
        digest.update(json.dumps([v.register.name, v.problems], default=str).encode())
        for a in v.assessments:
            row = [a.agenda, a.record.values, a.done, a.next_step and a.next_step.number, a.next_deadline,
                   state_text(a), a.problems]
            digest.update(json.dumps(row, default=str, sort_keys=True).encode())
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
    wb = openpyxl.Workbook(write_only=True)  # streams rows: flat memory for long registers
    if digest:
        wb.custom_doc_props.append(StringProperty(name="sidik", value=digest))  # type: ignore[attr-defined]
    # The agenda columns a clerk expects, narrow enough (wrapped) to print at ≥ 8 pt on A4 landscape.
    head = ["Register", "No. Agenda", "Tanggal Diterima", "Nomor Surat", "Sifat", "Perangkat Daerah", "Hal",
            "Langkah Terakhir", "Tanggal Langkah Terakhir", "Langkah Berikutnya", "Batas Waktu", "Keadaan",
            "Galat", "Peringatan"]
    widths = [11, 8, 11, 16, 8, 19, 20, 20, 11, 20, 11, 13, 6, 10]
    rows = ([v.register.name, a.agenda, a.record.get("tgl_diterima"), a.record.text("nomor_surat"),
             a.record.text("sifat") or "Biasa", a.record.text("perangkat_daerah"), a.record.text("hal"),
             a.last_step.label if a.last_step else "-", a.done[-1][1] if a.done else None,
             next_step_text(a), a.next_deadline, state_text(a), len(a.errors), len(a.warnings)]
            for v in validations for a in v.assessments)
    count = sum(len(v.assessments) for v in validations)
    rekap = wb.create_sheet("Rekap")
    _print_setup(rekap, f"REKAP PERMOHONAN PEMELIHARAAN SERVER per {format_date(today)}")
    _table(rekap, head, widths, rows, count, date_cols={3, 9, 11}, wrap_cols={4, 6, 7, 8, 10, 12},
           state_col=12, counts=(13, 14), fit=False)
    head = ["Register", "No. Agenda", "Jenis", "Sheet", "Baris", "Kolom", "Nilai", "Masalah", "Yang perlu dilakukan"]
    widths = [16, 12, 11, 12, 7, 22, 24, 70, 50]
    problems = [*((p, p.source) for p in other),
                *((p, p.source or v.register.name) for v in validations for p in v.all_problems())]
    rows = ([source, p.agenda, p.severity.value, p.sheet, p.row, p.column, p.value, p.message, p.hint]
            for p, source in problems)
    _table(wb.create_sheet("Masalah"), head, widths, rows, len(problems), date_cols=set(), wrap_cols={8, 9})
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


_WRAP = Alignment(vertical="top", wrap_text=True)
_BOLD = Font(bold=True)


def _text(ws: Any, value: str) -> Any:
    cell: Any = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # text that starts with = + - @ stays text, never a formula
    return cell


def _print_setup(ws: Any, title: str) -> None:
    """Printed: the title and date on every page, page numbers, 80 % (≥ 8 pt) on A4 with narrow margins."""
    ws.oddHeader.center.text = f"&B{title}&B"
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.page_setup.scale = 80
    ws.page_margins.left = ws.page_margins.right = 0.25
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def _table(ws: Any, head: list[str], widths: list[int], rows: Iterable[Sequence[Any]], count: int,
           date_cols: Collection[int], wrap_cols: Collection[int] = frozenset(), state_col: int = 0,
           counts: tuple[int, int] = (10, 11), fit: bool = True) -> None:
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    # Printed: landscape, the header row repeated on every page; all columns on one page width (or, with
    # fit=False, at the sheet's own scale so the text stays readable).
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    if fit:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(1, count + 1)}"
    # The header's wrapped lines need their own height: LibreOffice does not grow the row on open.
    lines = max(math.ceil(len(t) / (w * 1.1)) for t, w in zip(head, widths, strict=True))
    ws.row_dimensions[1].height = 15 * lines
    header: list[Any] = []
    for text in head:
        cell = _text(ws, text)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEAD_FILL, _WRAP
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
                    cell.alignment = _WRAP
                if c == state_col:
                    fill = _RED if row[counts[0] - 1] else _YELLOW if row[counts[1] - 1] else None
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
