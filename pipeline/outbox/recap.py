"""The status written for people: REKAP.xlsx for the whole outbox, STATUS.txt for one request."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.monev.figures import Figures
from pipeline.outbox import cetak
from pipeline.outbox.status import next_step_text, state_text
from pipeline.problems import Problem
from pipeline.register.values import format_date
from pipeline.validate import Assessment, Validation

# 2: sheet Kinerja; 3: sheet Perlu dicetak, coloured Keadaan, title row; 4: the digest covers only what the
# sheets show
RECAP_VERSION = 4


@cache
def _style(name: str) -> Any:
    """openpyxl (a quarter of a second to import) is loaded when a recap is written, not for its digest."""
    from openpyxl.styles import Alignment, Font, PatternFill
    return {"head_fill": PatternFill("solid", fgColor="DDEBF7"),
            "red": PatternFill("solid", fgColor="F8CBAD"),
            "amber": PatternFill("solid", fgColor="FFE699"),
            "green": PatternFill("solid", fgColor="C6EFCE"),
            "wrap": Alignment(vertical="top", wrap_text=True),
            "top": Alignment(vertical="top"),
            # Named: a font without a name is Calibri in Excel but a serif in LibreOffice.
            "bold": Font(name="Calibri", size=11, bold=True),
            "title": Font(name="Calibri", size=12, bold=True),
            "link": Font(name="Calibri", size=11, color="0563C1", underline="single")}[name]


def _rekap_rows(validations: Sequence[Validation], today: date) -> Iterator[list[Any]]:
    """Sheet Rekap, one row per request, exactly as shown."""
    for v in validations:
        for a in v.assessments:
            yield [v.register.name, a.agenda, a.record.get("tgl_diterima"), a.record.text("nomor_surat"),
                   a.record.text("sifat") or "Biasa", a.record.text("perangkat_daerah"), a.record.text("hal"),
                   a.last_step.label if a.last_step else "-", a.done[-1][1] if a.done else None,
                   next_step_text(a), a.next_deadline, _state(a, today), len(a.errors), len(a.warnings)]


def _masalah_rows(validations: Sequence[Validation], other: Sequence[Problem]) -> Iterator[list[Any]]:
    """Sheet Masalah, one row per problem, exactly as shown."""
    problems = [*((p, p.source) for p in other),
                *((p, p.source or v.register.name) for v in validations for p in v.all_problems())]
    for p, source in problems:
        yield [source, p.agenda, p.severity.value, p.sheet, p.row, p.column, p.value, p.message, p.hint]


def recap_digest(validations: Sequence[Validation], today: date, other: Sequence[Problem] = (),
                 kinerja: Figures | None = None, printing: cetak.PrintList | None = None) -> str:
    """Changes exactly when what REKAP.xlsx shows would change (stored inside it, so an unchanged recap is
    not rebuilt): the rows of every sheet, from the same functions that write them. A value the recap does
    not show (Hasil Pemeliharaan, say) does not rebuild it; a new sheet adds its rows here too. Not the
    'Diperbarui' time in its title: that is the time of the last change."""
    digest = hashlib.sha256(json.dumps([RECAP_VERSION, today.isoformat()]).encode())
    sheets = (("Rekap", _rekap_rows(validations, today)), ("Masalah", _masalah_rows(validations, other)))
    for sheet, rows in sheets:
        digest.update(sheet.encode())
        for row in rows:  # row by row: flat memory for long registers
            colours = [value.fill for value in row if isinstance(value, _Filled)]
            digest.update(json.dumps([*row, *colours], default=str).encode())
    if printing is not None:  # sheet Perlu dicetak
        digest.update(json.dumps(printing.digest_part(), default=str).encode())
    if kinerja is not None:  # sheet Kinerja: its figures also depend on Hari Libur and the photos
        digest.update(kinerja.digest().encode())
    return digest.hexdigest()


def stored_digest(path: Path) -> str:
    """The digest recorded in an existing REKAP.xlsx, or '' (cheap: one small zip member)."""
    try:
        with zipfile.ZipFile(path) as zf:
            found = re.search(rb'name="sidik"[^>]*>\s*<vt:lpwstr[^>]*>([0-9a-f]{64})<',
                              zf.read("docProps/custom.xml"))
    except (OSError, KeyError, zipfile.BadZipFile):
        return ""
    return found[1].decode() if found else ""


def recap_bytes(validations: Sequence[Validation], today: date, other: Sequence[Problem] = (),
                digest: str = "", kinerja: Figures | None = None, printing: cetak.PrintList | None = None,
                updated: tuple[datetime, str] | None = None) -> bytes:
    """REKAP.xlsx: sheet Rekap (one row per request), Perlu dicetak (the documents to print, when given),
    Masalah (one row per problem, filterable), Kinerja (the year's monev figures and charts, when given).
    ``updated``: when and on which computer it is written, for the title row."""
    import openpyxl
    from openpyxl.packaging.custom import StringProperty

    from pipeline.monev.kinerja import write_kinerja
    wb = openpyxl.Workbook(write_only=True)  # streams rows: flat memory for long registers
    if digest:
        wb.custom_doc_props.append(StringProperty(name="sidik", value=digest))  # type: ignore[attr-defined]
    # The agenda columns a clerk expects; long texts wrap, so the sheet prints at ≥ 8 pt on A4 landscape.
    head = ["Register", "No. Agenda", "Tanggal Diterima", "Nomor Surat", "Sifat", "Perangkat Daerah", "Hal",
            "Langkah Terakhir", "Tanggal Langkah Terakhir", "Langkah Berikutnya", "Batas Waktu", "Keadaan",
            "Galat", "Peringatan"]
    widths = [11, 9, 11, 16, 8, 19, 20, 20, 11, 20, 11, 13, 7, 13]

    def requests() -> Iterable[list[Any]]:
        return _rekap_rows(validations, today)
    count = sum(len(v.assessments) for v in validations)
    rekap = wb.create_sheet("Rekap")
    _print_setup(rekap, f"REKAP PERMOHONAN PEMELIHARAAN SERVER per {format_date(today)}")
    _table(rekap, head, widths, requests(), count, date_cols={3, 9, 11},
           wrap_cols={4, 5, 6, 7, 8, 10, 12}, fit=requests(), title=_title(today, printing, updated))
    if printing is not None:
        sheet = wb.create_sheet("Perlu dicetak")
        _print_setup(sheet, f"DOKUMEN PERLU DICETAK per {format_date(today)}")
        _print_sheet(sheet, printing)
    head = ["Register", "No. Agenda", "Jenis", "Sheet", "Baris", "Kolom", "Nilai", "Masalah",
            "Yang perlu dilakukan"]
    widths = [16, 12, 11, 12, 7, 22, 24, 70, 50]
    count = len(other) + sum(len(v.all_problems()) for v in validations)
    masalah = wb.create_sheet("Masalah")
    _print_setup(masalah, f"MASALAH DI REGISTER per {format_date(today)}")
    _table(masalah, head, widths, _masalah_rows(validations, other), count, date_cols=set(),
           wrap_cols={8, 9})
    if kinerja is not None:
        write_kinerja(wb, kinerja)
    info = wb.create_sheet("Info")
    info.column_dimensions["A"].width = 100
    info.append([_text(info, "Dibuat oleh sop-pipeline. File ini ditulis ulang setiap kali pipeline "
                             "berjalan; jangan diubah — perbaiki register-nya.")])
    info.append([_text(info, f"Keadaan per {format_date(today)}")])
    info.append([_text(info, "Sheet Perlu dicetak: dokumen baru atau berubah sejak daftar dikosongkan. "
                             "Setelah dicetak: klik ganda 'Perbarui Dokumen.bat' lalu pilih S, atau "
                             "'sop-pipeline cetak --selesai'. Pemantau (watch) hidup bila "
                             "outbox/PEMANTAU.txt baru diperbarui.")])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class _Filled(str):
    """A text shown on a coloured cell (Keadaan): the colour travels with the value, not a column number."""

    fill: str | None = None  # a _style name


def _state(a: Assessment, today: date) -> _Filled:
    """Keadaan, coloured: red for a galat or an overdue step, amber for a warning or a step due today,
    green otherwise (on time, or done)."""
    if a.errors or a.overdue:
        return _filled(state_text(a), "red")
    if a.warnings or (a.next_deadline is not None and a.next_deadline <= today):
        return _filled(state_text(a), "amber")
    return _filled(state_text(a), "green")


def _filled(text: str, fill: str) -> _Filled:
    made = _Filled(text)
    made.fill = fill
    return made


def _title(today: date, printing: cetak.PrintList | None, updated: tuple[datetime, str] | None) -> str:
    text = f"Rekap per {format_date(today)}."  # what it is comes from the page header and the sheet name
    if updated is not None:
        moment, computer = updated
        text += f" Diperbarui {format_date(moment.date())} pukul {moment:%H.%M} oleh {computer}."
    if printing is not None:
        count = len(printing.items)
        text += (f" Perlu dicetak: {count} dokumen (sheet 'Perlu dicetak')." if count else
                 " Tidak ada dokumen yang perlu dicetak.")
    return text


def _print_sheet(ws: Any, printing: cetak.PrintList) -> None:
    """Sheet Perlu dicetak: each document to print, why, when, and links to it, its folder and STATUS.txt
    (relative to REKAP.xlsx, so they work on a mapped drive and on a UNC path)."""
    since = (f"sejak daftar dikosongkan {cetak.describe_when(printing.cleared)} oleh {printing.cleared_by}"
             if printing.cleared else "sejak pertama kali dijalankan")
    title = (f"Dokumen baru atau berubah {since}. Setelah dicetak, kosongkan daftar ini: 'Perbarui "
             "Dokumen.bat' lalu S, atau 'sop-pipeline cetak --selesai'.")  # short enough to print whole
    head = ["No. Agenda", "Perangkat Daerah", "Dokumen", "Alasan", "Sejak", "Folder", "Status", "Catatan",
            "Register"]
    widths = [11, 30, 40, 26, 17, 12, 12, 60, 16]
    items = printing.items
    if not items:
        _table(ws, head, widths, [["", "", "Tidak ada dokumen yang perlu dicetak."]], 1, date_cols=set(),
               title=title)
        return

    def rows() -> Iterable[list[Any]]:
        for item in items:
            try:
                when: Any = datetime.fromisoformat(item.time)
            except ValueError:
                when = item.time
            note = _filled(cetak.ARCHIVED_NOTE, "red") if item.archived else ""
            yield [item.agenda, item.perangkat_daerah, _Link(item.name, cetak.link(item.path)), item.reason,
                   when, _Link("buka folder", cetak.folder_link(item)),
                   _Link("STATUS.txt", cetak.status_link(item)), note, item.register]
    _table(ws, head, widths, rows(), len(items), date_cols={5}, title=title, fit=rows())


class _Link(str):
    """A text shown as a hyperlink to ``target``."""

    def __new__(cls, text: str, target: str) -> _Link:
        made = super().__new__(cls, text)
        made.target = target
        return made

    target: str


def _look(cell: Any, known: dict[tuple[str, ...], Any], *names: str, number_format: str = "") -> Any:
    """``cell`` styled with the named styles (and number format). openpyxl finds a style's index by hashing
    the style object on every assignment — most of a large recap's cost; a combination already used in
    this sheet (``known``) is copied as its array of indices instead (the same indices, the same bytes)."""
    from openpyxl.styles.cell_style import StyleArray
    key = (*names, number_format)
    if key in known:
        cell._style = StyleArray(known[key])
        return cell
    for name in names:
        style = _style(name)
        attribute = {"Font": "font", "PatternFill": "fill", "Alignment": "alignment"}[type(style).__name__]
        setattr(cell, attribute, style)
    if number_format:
        cell.number_format = number_format
    known[key] = StyleArray(cell._style)
    return cell



def _text(ws: Any, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell
    cell: Any = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # text that starts with = + - @ stays text, never a formula
    return cell


def _print_setup(ws: Any, title: str) -> None:
    """Printed: the title and date on every page, page numbers, narrow margins (the table is scaled to the
    page's width, about 80 %: the text stays at 8 pt or more)."""
    ws.oddHeader.center.text = f"&B{title}&B"
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.page_margins.left = ws.page_margins.right = 0.25
    ws.page_margins.top = ws.page_margins.bottom = 0.8  # inches; the header and footer sit 0.3 from the edge
    ws.page_margins.header = ws.page_margins.footer = 0.3


def _table(ws: Any, head: list[str], widths: list[int], rows: Iterable[Sequence[Any]], count: int,
           date_cols: Collection[int], wrap_cols: Collection[int] = frozenset(), title: str = "",
           fit: Iterable[Sequence[Any]] | None = None) -> None:
    """A sheet's table: ``title`` (one line above the header) when given; ``fit``: the rows once more, to
    narrow each column to what it holds (``widths`` are the widest allowed). Printed scaled to the page's
    width: every column on the page, however many pages long."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    if fit is not None:
        widths = _fitted(head, widths, fit, wrap_cols)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    top = 2 if title else 1  # the header row
    looks: dict[tuple[str, ...], Any] = {}  # style combinations used in this sheet (_look)
    # Printed: landscape, the header row repeated on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{top}:{top}"
    # The table's own columns: a long title running on to the right does not shrink the print to fit it.
    ws.print_area = f"A1:{get_column_letter(len(head))}{max(top, count + top)}"
    ws.freeze_panes = f"A{top + 1}"
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(head))}{max(top, count + top)}"
    if title:
        ws.append([_look(_text(ws, title), looks, "title")])
        ws.row_dimensions[1].height = 20
    # The header's wrapped lines need their own height: LibreOffice does not grow the row on open.
    lines = max(_lines(h, max(w - 1, 1)) for h, w in zip(head, widths, strict=True))  # bold: wider
    if lines > 1:
        ws.row_dimensions[top].height = 15 * min(lines, 4)
    header: list[Any] = []
    for text in head:
        header.append(_look(_text(ws, text), looks, "bold", "head_fill", "wrap"))
    ws.append(header)
    # Styles only where they matter: per-cell styling dominates the recap's cost.
    for number, row in enumerate(rows, start=top + 1):
        tall = False  # a row of wrapped lines: every cell at its top, so the row reads as one line
        if wrap_cols:  # wrapped text needs a taller row: neither Excel nor LibreOffice grows it on open
            lines = max(_lines(str(row[c - 1] or ""), widths[c - 1]) for c in wrap_cols)
            if lines > 1:
                ws.row_dimensions[number].height = 15 * min(lines, 12)
                tall = True
        cells: list[Any] = []
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                cell = _text(ws, str(value))
                names = ["wrap"] if c in wrap_cols else ["top"] if tall else []
                if isinstance(value, _Filled) and value.fill is not None:
                    names.append(value.fill)
                if isinstance(value, _Link):
                    cell.hyperlink = value.target
                    names.append("link")
                cells.append(_look(cell, looks, *names) if names else cell)
            elif c in date_cols and value is not None:
                shown = "DD/MM/YYYY HH:MM" if isinstance(value, datetime) else "DD/MM/YYYY"
                cells.append(_look(WriteOnlyCell(ws, value=value), looks, *(["top"] if tall else []),
                                   number_format=shown))
            elif tall and value is not None:
                cells.append(_look(WriteOnlyCell(ws, value=value), looks, "top"))
            else:
                cells.append(value)
        ws.append(cells)


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` takes in a wrapped column ``width`` characters wide: broken at spaces, as
    Excel and LibreOffice break it (a count of characters alone leaves the last line of a cell unseen)."""
    room = int(width * 1.1)  # Calibri 11: an average character is a little narrower than the '0' of a width
    if len(text) <= room:
        return 1 if text else 0
    lines, used = 1, 0
    for word in text.split():
        size = len(word)
        if used and used + 1 + size > room:
            lines, used = lines + 1, 0
        if size > room:  # a word wider than the column is broken inside
            lines += (size - 1) // room
            size = (size - 1) % room + 1
        used = used + 1 + size if used else size
    return lines


def _fitted(head: Sequence[str], widths: Sequence[int], rows: Iterable[Sequence[Any]],
            wrap_cols: Collection[int]) -> list[int]:
    """Each column as wide as its longest value and its header (a long header may wrap at its words), at
    most ``widths``; wrapped columns keep their width."""
    longest = [1 + (len(h) if len(h) <= 16 else max(len(w) for w in h.split())) for h in head]  # bold: +1
    for row in rows:
        for c, value in enumerate(row):
            if c < len(longest):
                size = (16 if isinstance(value, datetime) else 10 if isinstance(value, date)
                        else len(str(value)) if value is not None else 0)
                longest[c] = max(longest[c], size)
    return [cap if c + 1 in wrap_cols else max(6, min(cap, n + 2))
            for c, (cap, n) in enumerate(zip(widths, longest, strict=True))]
