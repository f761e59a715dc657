"""A new register for the clerks, derived from the declared sheets and columns: headers with notes,
text/date formats, dropdowns, a frozen header, and the Petunjuk sheet that explains every column."""


from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.outbox.files import atomic_write
from pipeline.register import columns as C
from pipeline.register.values import DATE_RANGE
from pipeline.sop.steps import DECISION_COLUMN, DECISION_STEP, STEPS

LAST_ROW = 1000  # formats and dropdowns reach this far, enough for years of requests
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
TEXT_FORMAT = "@"  # Text: Excel keeps all 18 NIP digits and the leading 0 of phone numbers
_FORMATS = {C.Kind.DATE: DATE_FORMAT, C.Kind.DATETIME: DATETIME_FORMAT, C.Kind.NIP: TEXT_FORMAT,
            C.Kind.IP: TEXT_FORMAT}
# Number-like texts, formatted as Text so Excel keeps them as typed: '017' keeps its 0, '2/12' does not
# become 2 December, a long serial number is not rounded.
_PHONE_KEYS = {"telepon_narahubung", "no_agenda", "nomor_surat", "nomor_seri", "kode_barang", "nomor_ba",
               "nomor_pengumuman", "nomor_laporan", "lokasi_rak"}

_HEADER_FONT = Font(name="Calibri", size=11, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")  # required columns stand out
_TITLE_FONT = Font(name="Calibri", size=14, bold=True)
_SECTION_FONT = Font(name="Calibri", size=12, bold=True)
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")



# --- the workbook -----------------------------------------------------------------------------------


def write_register(path: Path, rows: Mapping[str, list[dict[str, Any]]] | None = None,
                   settings: bool = False) -> Path:
    """Write a new register workbook and return its path: blank, or holding ``rows`` (sheet name → rows of
    column key → value) and, with ``settings``, the example Pengaturan values.

    Only for new registers: the pipeline never saves a clerk's register. The file is replaced atomically.
    """
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    rows = rows or {}
    contoh = settings
    for sheet in C.DATA_SHEETS:
        _write_data_sheet(wb.create_sheet(sheet.name), sheet, rows.get(sheet.name, []))
    _write_settings(wb.create_sheet(C.PENGATURAN), contoh)
    _write_guide(wb.create_sheet(C.PETUNJUK))
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write(path, buffer.getvalue())
    return path


def _style_header(cell: Any, required: bool, note: str) -> None:
    cell.font = _HEADER_FONT
    cell.fill = _REQUIRED_FILL if required else _HEADER_FILL
    cell.alignment = _HEADER_ALIGN
    cell.border = _BOX
    if note:
        cell.comment = Comment(note, "sop-pipeline", width=320, height=110)


def _write_data_sheet(ws: Worksheet, sheet: C.Sheet, rows: list[dict[str, Any]]) -> None:
    for index, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        _style_header(ws.cell(1, index, col.header), col.required, col.help)
        ws.column_dimensions[letter].width = col.width
        fmt = TEXT_FORMAT if col.key in _PHONE_KEYS else _FORMATS.get(col.kind)
        for r, values in enumerate(rows, start=2):
            value = values.get(col.key)
            if value is not None and value != "":
                ws.cell(r, index, value)
        if fmt:
            for r in range(2, LAST_ROW + 1):
                ws.cell(r, index).number_format = fmt
        if col.kind is C.Kind.CHOICE:
            ws.add_data_validation(_dropdown(col, f"{letter}2:{letter}{LAST_ROW}"))
        if col.kind is C.Kind.DATE:
            ws.add_data_validation(_date_check(col, f"{letter}2:{letter}{LAST_ROW}"))
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "B2" if sheet is C.PERMOHONAN else "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{LAST_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"


def _dropdown(col: C.Column, cells: str) -> DataValidation:
    # A warning, not a stop: synonyms such as 'RR' or 'Kabid' are accepted by the pipeline.
    dv = DataValidation(type="list", formula1='"' + ",".join(c.value for c in col.choices) + '"',
                        allow_blank=True, showDropDown=False, showErrorMessage=True, errorStyle="warning",
                        errorTitle=col.header[:32], error=f"Pilih salah satu: {col.allowed()}.")
    dv.add(cells)
    return dv


def _date_check(col: C.Column, cells: str) -> DataValidation:
    # A warning, not a stop: the pipeline also reads dates typed as text ('15 Juni 2026').
    low, high = (f"DATE({d.year},{d.month},{d.day})" for d in DATE_RANGE)  # what the pipeline accepts
    dv = DataValidation(type="date", operator="between", formula1=low,
                        formula2=high, allow_blank=True, showErrorMessage=True,
                        errorStyle="warning", errorTitle=col.header[:32],
                        error="Bukan tanggal. Tulis seperti 15/06/2026 (hari/bulan/tahun).")
    dv.add(cells)
    return dv


def _write_settings(ws: Worksheet, contoh: bool) -> None:
    for index, (title, width) in enumerate((("Kunci", 30), ("Nilai", 72)), start=1):
        _style_header(ws.cell(1, index, title), False, "")
        ws.column_dimensions[get_column_letter(index)].width = width
    for r, setting in enumerate(C.SETTINGS, start=2):
        key = ws.cell(r, 1, setting.label)
        key.comment = Comment(setting.help + (" Wajib diisi." if setting.required else ""), "sop-pipeline")
        if setting.required:
            key.font = _HEADER_FONT
        if contoh:
            ws.cell(r, 2, setting.example)
        ws.cell(r, 2).number_format = TEXT_FORMAT
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:B{len(C.SETTINGS) + 1}"
    _print_landscape(ws)


# --- the Petunjuk sheet -----------------------------------------------------------------------------

_GUIDE_WIDTHS = (14, 26, 11, 22, 78)
_INTRO = (
    ("Register ini mencatat setiap permohonan pemeliharaan server dari Perangkat Daerah, sejak surat "
     "diterima sampai selesai, sesuai SOP Pemeliharaan Server."),
    ("Sheet Permohonan: satu baris untuk satu permohonan (satu surat masuk). No. Agenda tidak boleh sama "
     "dengan baris lain. Jangan menggabungkan (merge) sel."),
    ("Setiap langkah SOP punya satu kolom tanggal (lihat tabel Langkah SOP di bawah). Isi tanggalnya pada "
     "hari langkah itu dikerjakan. Tanggal harus urut: sebuah langkah tidak boleh lebih awal dari langkah "
     "sebelumnya dan tidak boleh diisi selama langkah sebelumnya masih kosong. Baku waktu setiap langkah "
     "1 hari kerja; bila lebih lama, permohonan ditandai terlambat."),
    (f"Langkah {DECISION_STEP} hanya dikerjakan bila ada perangkat yang diganti atau ditarik: setelah "
     "pelaksanaan isi kolom Perangkat Diganti dengan Ya atau Tidak. Bila Tidak, kosongkan Tgl Penarikan."),
    ("Sheet Perangkat: satu baris untuk satu perangkat, dihubungkan ke permohonan lewat No. Agenda. "
     "Tindakan: Dipelihara; Komponen Diganti (mis. baterai UPS diganti, perangkat tetap di Pusat Data; isi "
     "kolom Komponen); Diganti atau Ditarik (perangkat dikeluarkan dari Pusat Data: masuk formulir "
     "penarikan). Register lama tanpa kolom Komponen tetap terbaca. Sheet Pemeriksaan (opsional) mengisi "
     "Formulir Pemeliharaan Server; tanpa baris di sana formulir dicetak kosong untuk diisi tangan. "
     "Sheet Pegawai: Kepala Dinas, Kepala Bidang (termasuk Plt./Plh. dengan masa tugasnya) dan Tim Teknis; "
     "nama di kolom Petugas harus persis sama dengan nama di sheet Pegawai. Sheet Hari Libur: libur daerah "
     "atau hari masuk tambahan di luar libur nasional dan cuti bersama. Sheet Pengaturan: kop surat dan "
     "identitas kantor."),
    ("Cara menulis: tanggal boleh 15/06/2026, 15-06-2026, 2026-06-15 atau 15 Juni 2026 (hari/bulan/tahun); "
     "tanggal dan jam seperti 15/06/2026 08.00. NIP dan nomor telepon ditulis di sel berformat Teks agar "
     "tidak dibulatkan dan angka 0 di depan tidak hilang. Beberapa nama, layanan, alamat IP atau domain "
     "dipisahkan dengan titik koma (;)."),
    ("Aplikasi sop-pipeline hanya MEMBACA register ini dan tidak pernah mengubahnya. Dokumen Word (lembar "
     "disposisi, isian kelengkapan, pengumuman, formulir penarikan, berita acara, formulir pemeliharaan, "
     "laporan) dibuat di folder outbox/, satu folder untuk setiap permohonan. Foto dokumentasi pelaksanaan "
     "diletakkan di folder inbox/lampiran/<No. Agenda>/."),
    ("Setelah register disimpan, baca STATUS.txt dan REKAP.xlsx di folder outbox/: di sana tertulis "
     "permohonan mana yang sudah lengkap, mana yang terlambat, dan apa yang harus diperbaiki (sheet, baris "
     "dan kolomnya)."),
    ("Satu register untuk semua tahun, atau satu register per tahun: keduanya boleh. Permohonan dikenali "
     "dari tahun Tanggal Diterima dan No. Agenda-nya, jadi No. Agenda boleh mulai lagi dari 1 setiap tahun "
     "(dokumennya di outbox/<tahun>/). Tahun baru: lanjutkan di sheet Permohonan yang sama, atau buat "
     "register baru di folder inbox/ (mis. register-2027.xlsx, dengan sheet Pegawai, Pengaturan dan Hari "
     "Libur yang sama) dan biarkan register tahun lalu tetap di sana. Satu permohonan hanya dicatat di satu "
     "register: permohonan yang belum selesai tetap diselesaikan di register lamanya."),
)


def _write_guide(ws: Worksheet) -> None:
    for index, width in enumerate(_GUIDE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    span = f"A{{r}}:{get_column_letter(len(_GUIDE_WIDTHS))}{{r}}"
    r = 1
    ws.cell(r, 1, "Petunjuk Pengisian Register Pemeliharaan Server").font = _TITLE_FONT
    ws.row_dimensions[r].height = 24
    for paragraph in _INTRO:
        r += 1
        ws.cell(r, 1, f"• {paragraph}").alignment = _WRAP
        ws.merge_cells(span.format(r=r))
        ws.row_dimensions[r].height = _height([paragraph], [sum(_GUIDE_WIDTHS)])
    r += 2
    ws.cell(r, 1, "Langkah SOP dan kolom tanggalnya").font = _SECTION_FONT
    r = _table(ws, r + 1, ("Langkah", "Nama langkah", "Baku waktu", "Kolom tanggal", "Pelaksana dan uraian"),
               _step_rows())
    r += 1
    ws.cell(r, 1, "Isi setiap sheet").font = _SECTION_FONT
    _table(ws, r + 1, ("Sheet", "Kolom", "Wajib?", "Jenis isian", "Penjelasan"), _column_rows())
    _print_landscape(ws)


def _print_landscape(ws: Worksheet) -> None:
    """Landscape, one page wide: a printed Petunjuk or Pengaturan keeps its columns together."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _step_rows() -> Iterable[tuple[str, ...]]:
    for s in STEPS:
        column = C.PERMOHONAN.column(s.column).header
        if s.number == DECISION_STEP:
            column += f" (bila {C.PERMOHONAN.column(DECISION_COLUMN).header} = Ya)"
        actors = ", ".join(a.value for a in s.actors)
        text = f"{actors}: {s.description}" if actors else s.description
        yield (str(s.number), s.name, f"{s.standard_days} hari kerja", column, text)


def _column_rows() -> Iterable[tuple[str, ...]]:
    for sheet in C.DATA_SHEETS:
        yield (sheet.name, "", "", "", sheet.help + ("" if sheet.required else " Sheet ini boleh kosong."))
        for col in sheet.columns:
            text = col.help
            if col.choices and not all(c.value in text for c in col.choices):
                text += f" Pilihan: {col.allowed()}."
            yield (sheet.name, col.header, "Ya" if col.required else "Tidak", col.kind.value, text)
    yield (C.PENGATURAN, "", "", "",
           "Dua kolom: Kunci (nama pengaturan) dan Nilai. Satu baris untuk satu pengaturan.")
    for s in C.SETTINGS:
        required = "Ya" if s.required else "Tidak"
        yield (C.PENGATURAN, s.label, required, "teks", f"{s.help} Contoh: {s.example}")


def _table(ws: Worksheet, r: int, titles: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> int:
    """Write a boxed table from row r; return the first row after it."""
    for index, title in enumerate(titles, start=1):
        _style_header(ws.cell(r, index, title), False, "")
    for values in rows:
        r += 1
        group = not values[1]  # a sheet's own description heads its group of columns
        for index, value in enumerate(values, start=1):
            cell = ws.cell(r, index, value)
            cell.alignment = _WRAP
            cell.border = _BOX
            if group:
                cell.font = _HEADER_FONT
        ws.row_dimensions[r].height = _height(values, _GUIDE_WIDTHS)
    return r + 1


def _height(texts: Iterable[str], widths: Iterable[int]) -> float:
    # Neither Excel nor LibreOffice grows a merged row, and Excel keeps openpyxl's heights: estimate them.
    # A column of width w holds about 1.1 w characters of proportional text (w counts '0' digits).
    lines = max(sum(max(1, math.ceil(len(part) / (1.1 * max(w - 1, 1)))) for part in text.split("\n"))
                for text, w in zip(texts, widths, strict=True))
    return 15.0 * lines + 3
