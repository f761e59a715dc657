"""New registers for the clerks: the blank register derived from the declarations, and a worked example."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image, ImageDraw, ImageFont

from pipeline.outbox.files import atomic_write
from pipeline.register import columns as C
from pipeline.sop.steps import DECISION_COLUMN, DECISION_STEP, STEPS

LAST_ROW = 1000  # formats and dropdowns reach this far, enough for years of requests
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
TEXT_FORMAT = "@"  # Text: Excel keeps all 18 NIP digits and the leading 0 of phone numbers
_FORMATS = {C.Kind.DATE: DATE_FORMAT, C.Kind.DATETIME: DATETIME_FORMAT, C.Kind.NIP: TEXT_FORMAT}
_PHONE_KEYS = {"telepon_narahubung"}

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")  # required columns stand out
_TITLE_FONT = Font(bold=True, size=14)
_SECTION_FONT = Font(bold=True, size=12)
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")

YEAR = 2026  # the example's year; every example date lies in September-November 2026


# --- the workbook -----------------------------------------------------------------------------------


def write_register(path: Path, contoh: bool = False) -> Path:
    """Write a new register workbook (blank, or with the worked example) and return its path.

    Only for new registers: the pipeline never saves a clerk's register. The file is replaced atomically.
    """
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    rows = _example_rows() if contoh else {}
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


# --- the worked example -----------------------------------------------------------------------------

_TIM_ARIF, _TIM_DWI = "ARIF BUDIMAN, S.Kom.", "DWI HASTUTI, S.T."
_TIM_YOGI, _TIM_RIZKY = "YOGI SETIAWAN, A.Md.", "RIZKY ADI NUGROHO, S.Kom."
_KADIS = "Mohon ditindaklanjuti sesuai SOP."
_KABID = "Tim Teknis Pusat Data agar memeriksa server dan berkoordinasi dengan narahubung."

_PEGAWAI_FIELDS = ("nama", "nip", "pangkat", "jabatan", "peran", "mulai", "selesai", "status")
_PEGAWAI = (
    ("Drs. SUJARNO, M.Si.", "196301071990031004", "Pembina Utama Muda (IV/c)",
     "Kepala Dinas Komunikasi dan Informatika", "Kepala Dinas", "06/01/2020", "", "Definitif"),
    ("SRI WAHYUNINGSIH, S.Kom., M.M.", "197505122000032003", "Pembina (IV/a)",
     "Kepala Bidang Tata Kelola Informatika", "Kepala Bidang", "02/01/2023", "", "Definitif"),
    # Acting while the Kabid attends a training in Semarang; steps 3 and 10 of two requests fall inside.
    ("Ir. BAMBANG HERU SANTOSO, M.T.", "197208151998031005", "Pembina (IV/a)",
     "Kepala Bidang Tata Kelola Informatika", "Kepala Bidang", "09/11/2026", "13/11/2026", "Plh."),
    (_TIM_ARIF, "198603142010011007", "Penata Tingkat I (III/d)", "Pranata Komputer Ahli Muda", "Tim Teknis",
     "", "", "Definitif"),
    (_TIM_DWI, "199108232015032002", "Penata (III/c)", "Pranata Komputer Ahli Muda", "Tim Teknis",
     "", "", ""),
    (_TIM_YOGI, "198807222011011003", "Penata Muda Tingkat I (III/b)", "Pranata Komputer Mahir", "Tim Teknis",
     "", "", ""),
    (_TIM_RIZKY, "199602112022031006", "Penata Muda (III/a)", "Pranata Komputer Ahli Pertama", "Tim Teknis",
     "", "", ""),
)

# One request per row. 'steps' holds the twelve step dates in SOP order ('-' = not yet or skipped), in YEAR;
# 'henti' is the planned stop of the service. B 2016 (step 3) and I 2398 (step 2) are late on purpose.
_PERMOHONAN: tuple[dict[str, Any], ...] = (
    {"no_agenda": 1841, "perangkat_daerah": "Dinas Kesehatan", "nomor_surat": "440/2314/IX/2026",
     "tgl_surat": "11/09", "hal": "Permohonan Pemeliharaan Server SIMPUS", "sifat": "Biasa",
     "nama_server": "srv-simpus-01", "alamat_ip": "10.20.3.11",
     "nama_domain": "simpus.karanganyarkab.go.id; antrean.karanganyarkab.go.id",
     "narahubung": "HENDRO WIBOWO, S.Kom.", "nip_narahubung": "198209172009031002",
     "jabatan_narahubung": "Pranata Komputer Ahli Muda", "telepon_narahubung": "081329457810",
     "steps": "14/09 14/09 15/09 16/09 17/09 18/09 21/09 - 22/09 23/09 24/09 25/09",
     "petugas": (_TIM_ARIF, _TIM_YOGI),
     "hasil_pemeriksaan": "Server menyala normal; spesifikasi, alamat IP dan domain sesuai data; "
                          "log menunjukkan partisi /var terisi 91%.",
     "layanan_terdampak": "SIMPUS; Aplikasi Antrean Online", "henti": "21/09 08:00-12:00",
     "jenis_pemeliharaan": "Preventif",
     "uraian_pekerjaan": "Pembersihan debu, pembaruan paket keamanan sistem operasi, rotasi dan "
                         "pengarsipan log, pemeriksaan cadangan harian.",
     "hasil_pemeliharaan": "Layanan normal kembali pukul 11.40; partisi /var terisi 48%.",
     "perangkat_diganti": "Tidak", "nomor_pengumuman": "555/231/IX/2026", "nomor_ba": "555/236/IX/2026",
     "nomor_laporan": "555/237/IX/2026"},
    {"no_agenda": 2016, "perangkat_daerah": "Badan Pengelolaan Keuangan, Pendapatan dan Aset Daerah",
     "nomor_surat": "900/1520/X/2026", "tgl_surat": "01/10",
     "hal": "Permohonan Pemeliharaan Server SIM PBB-P2",
     "sifat": "Segera", "nama_server": "srv-pbb-01", "alamat_ip": "10.20.4.21",
     "nama_domain": "simpbb.karanganyarkab.go.id; ebphtb.karanganyarkab.go.id",
     "narahubung": "Rr. ENDANG SRI LESTARI, S.E.", "nip_narahubung": "197811042005012008",
     "jabatan_narahubung": "Analis Pajak Daerah", "telepon_narahubung": "085642318876",
     "steps": "05/10 05/10 07/10 08/10 09/10 12/10 13/10 14/10 15/10 16/10 19/10 19/10",
     "petugas": (_TIM_DWI, _TIM_ARIF),
     "hasil_pemeriksaan": "Satu hard disk pada array RAID 6 berstatus Failed di iLO; array berjalan dalam "
                          "mode degraded.",
     "layanan_terdampak": "SIM PBB-P2; e-BPHTB", "henti": "13/10 18:00-22:30",
     "jenis_pemeliharaan": "Korektif",
     "uraian_pekerjaan": "Penggantian hard disk yang rusak, pembangunan ulang (rebuild) array RAID 6, "
                         "pemeriksaan cadangan ke storage.",
     "hasil_pemeliharaan": "Rebuild RAID selesai pukul 21.55; layanan normal kembali.",
     "perangkat_diganti": "Ya", "nomor_pengumuman": "555/254/X/2026", "nomor_ba": "555/262/X/2026",
     "nomor_laporan": "555/263/X/2026",
     "catatan": "Disposisi Kabid terlambat: Kepala Bidang dinas luar pada 6 Oktober."},
    {"no_agenda": 2290, "perangkat_daerah": "RSUD Kabupaten Karanganyar", "nomor_surat": "445/1187/X/2026",
     "tgl_surat": "30/10", "hal": "Permohonan Pemeliharaan Server SIMRS", "sifat": "Segera",
     "nama_server": "srv-simrs-01", "alamat_ip": "10.20.5.10", "nama_domain": "simrs.karanganyarkab.go.id",
     "narahubung": "BAYU KURNIAWAN, S.Kom.", "nip_narahubung": "198905272014021001",
     "jabatan_narahubung": "Kepala Instalasi SIMRS", "telepon_narahubung": "082134765092",
     "steps": "02/11 02/11 03/11 04/11 05/11 06/11 09/11 - 10/11 11/11 12/11 -",
     "petugas": (_TIM_ARIF, _TIM_RIZKY),
     "hasil_pemeriksaan": "Spesifikasi, alamat IP dan domain sesuai; pembaruan firmware BIOS dan iDRAC "
                          "tersedia.",
     "layanan_terdampak": "SIMRS; Pendaftaran Online Rawat Jalan", "henti": "09/11 21:00-23:30",
     "jenis_pemeliharaan": "Preventif",
     "uraian_pekerjaan": "Pembaruan firmware BIOS dan iDRAC, pemeriksaan UPS, uji pemulihan basis data "
                         "dari cadangan.",
     "hasil_pemeliharaan": "Firmware terbaru terpasang; uji pemulihan berhasil; layanan normal pukul 23.10.",
     "perangkat_diganti": "Tidak", "nomor_pengumuman": "555/301/XI/2026", "nomor_ba": "555/305/XI/2026",
     "nomor_laporan": "555/306/XI/2026"},
    {"no_agenda": 2331, "perangkat_daerah": "Dinas Pendidikan dan Kebudayaan",
     "nomor_surat": "400.3/3105/2026",
     "tgl_surat": "10/11", "hal": "Permohonan Pemeliharaan Server PPDB", "sifat": "Biasa",
     "nama_server": "srv-ppdb-01", "alamat_ip": "10.20.6.15", "nama_domain": "ppdb.karanganyarkab.go.id",
     "narahubung": "SITI NURJANAH, S.Kom.", "nip_narahubung": "198001152006042011",
     "jabatan_narahubung": "Pranata Komputer Ahli Pertama", "telepon_narahubung": "087836512094",
     "steps": "12/11 12/11 13/11 16/11 17/11 19/11 20/11 - 23/11 - - -", "petugas": (_TIM_YOGI, _TIM_RIZKY),
     "hasil_pemeriksaan": "Kipas nomor 3 berisik; suhu CPU 78 °C saat beban puncak.",
     "layanan_terdampak": "PPDB Online; Sistem Informasi Sekolah", "henti": "20/11 13:00-16:00",
     "jenis_pemeliharaan": "Preventif",
     "uraian_pekerjaan": "Pembersihan kipas dan heatsink, penggantian pasta termal, pembaruan sistem "
                         "operasi.",
     "hasil_pemeliharaan": "Suhu CPU turun menjadi 61 °C; layanan normal.", "perangkat_diganti": "Tidak",
     "nomor_pengumuman": "555/318/XI/2026", "nomor_ba": "555/324/XI/2026", "nomor_laporan": "555/325/XI/2026",
     "catatan": "Pengumuman 19/11 (18/11 libur Hari Jadi)."},
    {"no_agenda": 2348, "perangkat_daerah": "Dinas Kependudukan dan Pencatatan Sipil",
     "nomor_surat": "400.12/1044/XI/2026", "tgl_surat": "13/11",
     "hal": "Permohonan Pemeliharaan Server Layanan Online Dukcapil", "sifat": "Sangat Segera",
     "nama_server": "srv-dukcapil-01", "alamat_ip": "10.20.7.12",
     "nama_domain": "dukcapil.karanganyarkab.go.id; antrean-dukcapil.karanganyarkab.go.id",
     "narahubung": "WAHYU TRI HANDOKO, S.T.", "nip_narahubung": "198502032010011013",
     "jabatan_narahubung": "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan",
     "telepon_narahubung": "081226703415",
     "steps": "16/11 16/11 17/11 19/11 20/11 23/11 24/11 25/11 - - - -", "petugas": (_TIM_DWI, _TIM_YOGI),
     "hasil_pemeriksaan": "Baterai UPS menggelembung; port uplink switch mati sehingga koneksi memakai "
                          "jalur cadangan.",
     "layanan_terdampak": "Layanan Online Dukcapil; Antrean Online Dukcapil", "henti": "24/11 16:00-20:00",
     "jenis_pemeliharaan": "Korektif",
     "uraian_pekerjaan": "Penggantian baterai UPS, penggantian switch dengan switch cadangan Diskominfo, "
                         "pemeriksaan server.",
     "hasil_pemeliharaan": "UPS dan jaringan normal; layanan kembali pukul 19.30.", "perangkat_diganti": "Ya",
     "nomor_pengumuman": "555/323/XI/2026"},
    {"no_agenda": 2379, "perangkat_daerah": "Badan Perencanaan Pembangunan Daerah",
     "nomor_surat": "000.8.3.3/214/2026", "tgl_surat": "17/11",
     "hal": "Permohonan Pemeliharaan Server e-Planning",
     "nama_server": "srv-eplanning-01", "alamat_ip": "10.20.8.20; 10.20.8.25",
     "nama_domain": "eplanning.karanganyarkab.go.id", "narahubung": "NOVITA PURNAMASARI, S.Kom.",
     "nip_narahubung": "199011282015032004", "jabatan_narahubung": "Perencana Ahli Pertama",
     "telepon_narahubung": "089518274630",
     "steps": "19/11 19/11 20/11 23/11 24/11 25/11 26/11 - - - - -", "petugas": (_TIM_RIZKY, _TIM_DWI),
     "hasil_pemeriksaan": "Server dan storage normal; kapasitas storage tersisa 12%.",
     "layanan_terdampak": "e-Planning; Sistem Informasi Pembangunan Daerah", "henti": "26/11 08:00-12:00",
     "jenis_pemeliharaan": "Preventif",
     "uraian_pekerjaan": "Pembersihan data sementara, penambahan volume cadangan, pembaruan sistem operasi.",
     "hasil_pemeliharaan": "Kapasitas storage tersisa 35%; layanan normal.",
     "nomor_pengumuman": "555/327/XI/2026",
     "catatan": "Menunggu keputusan perlu tidaknya penggantian storage."},
    {"no_agenda": 2391, "perangkat_daerah": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
     "nomor_surat": "500.16/731/XI/2026", "tgl_surat": "19/11",
     "hal": "Permohonan Pemeliharaan Server Perizinan Online", "sifat": "Biasa",
     "nama_server": "srv-perizinan-01", "alamat_ip": "10.20.10.14",
     "nama_domain": "perizinan.karanganyarkab.go.id",
     "narahubung": "DIDIK SURYANTO, A.Md.", "nip_narahubung": "198712062011011002",
     "jabatan_narahubung": "Pengelola Sistem Informasi Perizinan", "telepon_narahubung": "081393025587",
     "steps": "20/11 20/11 23/11 24/11 25/11 26/11 - - - - - -", "petugas": (_TIM_ARIF, _TIM_YOGI),
     "hasil_pemeriksaan": "Server normal; sertifikat SSL domain berakhir 5 Desember 2026.",
     "layanan_terdampak": "Perizinan Online; Pengaduan Perizinan", "henti": "27/11 19:00-22:00",
     "jenis_pemeliharaan": "Preventif", "nomor_pengumuman": "555/329/XI/2026"},
    {"no_agenda": 2398, "perangkat_daerah": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
     "nomor_surat": "800/1562/XI/2026", "tgl_surat": "20/11", "hal": "Permohonan Pemeliharaan Server SIMPEG",
     "sifat": "Segera", "nama_server": "srv-simpeg-01", "alamat_ip": "10.20.2.30",
     "nama_domain": "simpeg.karanganyarkab.go.id", "narahubung": "ANIK SUSILOWATI, S.Kom.",
     "nip_narahubung": "198711192012012003", "jabatan_narahubung": "Pranata Komputer Ahli Muda",
     "telepon_narahubung": "085725914368",
     "steps": "23/11 25/11 26/11 - - - - - - - - -", "petugas": (_TIM_RIZKY, _TIM_ARIF),
     "catatan": "Disposisi Kadis terlambat: Kepala Dinas rapat koordinasi di Semarang 24 November."},
    {"no_agenda": 2406, "perangkat_daerah": "Sekretariat DPRD", "nomor_surat": "000.1.2/412/2026",
     "tgl_surat": "23/11", "hal": "Permohonan Pemeliharaan Server Website DPRD", "sifat": "Biasa",
     "nama_server": "srv-web-dprd-01", "alamat_ip": "10.20.9.5", "nama_domain": "dprd.karanganyarkab.go.id",
     "narahubung": "TRI WIDODO, S.Sos.", "nip_narahubung": "197906232009011004",
     "jabatan_narahubung": "Pranata Hubungan Masyarakat Ahli Muda", "telepon_narahubung": "082242381190",
     "steps": "24/11 24/11 25/11 26/11 - - - - - - - -", "petugas": (_TIM_DWI,),
     "hasil_pemeriksaan": "CMS website versi lama; ruang disk tersisa 8%."},
    {"no_agenda": 2427, "perangkat_daerah": "Dinas Lingkungan Hidup", "nomor_surat": "600.4/935/2026",
     "tgl_surat": "25/11", "hal": "Permohonan Pemeliharaan Server Aplikasi Persampahan", "sifat": "Biasa",
     "nama_server": "srv-dlh-01", "alamat_ip": "10.20.11.8", "nama_domain": "dlh.karanganyarkab.go.id",
     "narahubung": "SUGENG RIYADI, S.T.", "nip_narahubung": "198304102010011009",
     "jabatan_narahubung": "Pengendali Dampak Lingkungan Ahli Muda", "telepon_narahubung": "081567302286",
     "steps": "26/11 27/11 - - - - - - - - - -"},
    {"no_agenda": 2433, "perangkat_daerah": "Badan Penanggulangan Bencana Daerah",
     "nomor_surat": "B/500.12.16.3/573/BPBD-KL/XI/2026", "tgl_surat": "26/11",
     "hal": "Permohonan Pemeliharaan Server Pusdalops", "sifat": "Segera", "nama_server": "srv-pusdalops-01",
     "alamat_ip": "10.20.12.4", "nama_domain": "bpbd.karanganyarkab.go.id",
     "narahubung": "EKO PRASETYO, A.Md.",
     "nip_narahubung": "199003072019031005", "jabatan_narahubung": "Operator Pusdalops",
     "telepon_narahubung": "082325176049", "steps": "27/11 - - - - - - - - - - -"},
)
# Clerks also type dates as text; the pipeline reads these forms too.
_TEXT_DATES = {(2016, "tgl_laporan"): "15/10/2026", (2290, "tgl_disposisi_kabid"): "3 November 2026",
               (2348, "tgl_pemeriksaan"): "19-11-2026"}

_PERANGKAT_FIELDS = ("no_agenda", "nama_perangkat", "merk_tipe", "nomor_seri", "kode_barang", "spesifikasi",
                     "alamat_ip", "lokasi_rak", "kondisi", "tindakan", "keterangan")
_SERVER, _STORAGE = "1.3.2.10.02.04.001", "1.3.2.10.02.04.002"
_SWITCH, _UPS = "1.3.2.10.01.01.004", "1.3.2.10.02.05.002"
_PERANGKAT = (
    (1841, "Server", "Dell PowerEdge R740", "CN7X2K3", _SERVER,
     "2x Intel Xeon Silver 4210R, RAM 64 GB, 4x 1,2 TB SAS RAID 10, Ubuntu Server 22.04 LTS", "10.20.3.11",
     "R2/U12", "Baik", "Dipelihara", ""),
    (1841, "Switch", "Cisco Catalyst 2960-X 24 port", "FOC2231X0AB", _SWITCH, "24x 1 GbE, 2x SFP+",
     "10.20.3.1", "R2/U20", "Baik", "Dipelihara", ""),
    (2016, "Server", "HPE ProLiant DL380 Gen10", "SGH912XK7P", _SERVER,
     "Intel Xeon Gold 5218, RAM 128 GB, 6x 1,8 TB SAS RAID 6, Windows Server 2019", "10.20.4.21", "R3/U8",
     "Baik", "Dipelihara", ""),
    (2016, "Hard disk", "HPE 1,8 TB SAS 10K (872481-B21)", "7FJ4K2LP", "",
     "1,8 TB SAS 12G, bay 3 array RAID 6", "", "R3/U8", "Rusak Berat", "Diganti",
     "Status Failed; diganti disk cadangan, disk lama ditarik dari Pusat Data."),
    (2016, "Storage", "Synology RS1221+", "2150RSN118304", _STORAGE,
     "8 bay, 4x 4 TB SHR-2, DSM 7.2, cadangan harian", "10.20.4.30", "R3/U4", "Baik", "Dipelihara", ""),
    (2290, "Server", "Dell PowerEdge R740", "9QX4T53", _SERVER,
     "2x Intel Xeon Silver 4214, RAM 128 GB, 2x 480 GB SSD + 4x 2,4 TB SAS, Rocky Linux 9", "10.20.5.10",
     "R1/U14", "Baik", "Dipelihara", ""),
    (2290, "UPS", "APC Smart-UPS SRT 5000", "AS2108250712", _UPS, "5 kVA online, 2 modul baterai", "",
     "R1/U1", "Baik", "Dipelihara", ""),
    (2331, "Server", "HPE ProLiant DL380 Gen10", "SGH947PL2R", _SERVER,
     "Intel Xeon Silver 4210, RAM 64 GB, 4x 960 GB SSD RAID 5, Ubuntu Server 22.04 LTS", "10.20.6.15",
     "R2/U16", "RR", "Dipelihara", "Kipas 3 berisik; dibersihkan, perlu dipantau."),
    (2348, "Server", "Dell PowerEdge R740", "FX8M2K3", _SERVER,
     "2x Intel Xeon Silver 4210R, RAM 96 GB, 4x 1,2 TB SAS RAID 10, Rocky Linux 9", "10.20.7.12", "R2/U6",
     "Baik", "Dipelihara", ""),
    (2348, "UPS", "APC Smart-UPS SRT 3000 (baterai APCRBC152)", "AS1942160388", _UPS, "3 kVA online", "",
     "R2/U1", "Rusak Ringan", "Diganti", "Baterai menggelembung; diganti baterai baru."),
    (2348, "Switch", "Cisco Catalyst 2960 24 port", "FOC1538W2LM", _SWITCH, "24x 100 Mbps, 2x SFP",
     "10.20.7.1", "R2/U24", "Rusak Berat", "Ditarik", "Port uplink mati; ditarik, diganti switch cadangan."),
    (2379, "Server", "Dell PowerEdge R640", "3HN7Q63", _SERVER,
     "Intel Xeon Silver 4208, RAM 64 GB, 2x 960 GB SSD RAID 1, Ubuntu Server 22.04 LTS", "10.20.8.20",
     "R1/U22", "Baik", "Dipelihara", ""),
    (2379, "Storage", "Synology RS1221+", "2210RSN241187", _STORAGE, "8 bay, 6x 4 TB SHR-2, DSM 7.2",
     "10.20.8.25", "R1/U18", "Baik", "Dipelihara", ""),
    (2391, "Server", "HPE ProLiant DL360 Gen10", "SGH033TV9D", _SERVER,
     "Intel Xeon Silver 4214R, RAM 64 GB, 2x 1,2 TB SAS RAID 1, Windows Server 2022", "10.20.10.14",
     "R3/U16", "Baik", "", ""),
    (2406, "Server", "Lenovo ThinkSystem SR650", "J30A8K2X", _SERVER,
     "Intel Xeon Silver 4210, RAM 32 GB, 2x 600 GB SAS RAID 1, Debian 12", "10.20.9.5", "R3/U20", "Baik",
     "", ""),
)
_LIBUR = ({"tanggal": "18/11/2026", "keterangan": "Hari Jadi ke-109 Kabupaten Karanganyar",
           "jenis": "Libur"},)
PHOTO_AGENDAS = (2016, 2290, 2348)  # requests past step 7 that get documentation photos


def _day(text: str) -> date:
    day, month, *year = (int(p) for p in text.split("/"))
    return date(year[0] if year else YEAR, month, day)


def _permohonan_row(spec: Mapping[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in spec.items() if k not in ("steps", "henti", "petugas", "tgl_surat")}
    agenda = spec["no_agenda"]
    row["tgl_surat"] = _day(spec["tgl_surat"])
    for step, token in zip(STEPS, spec["steps"].split(), strict=True):
        if token != "-":
            row[step.column] = _TEXT_DATES.get((agenda, step.column), _day(token))
    if row.get("tgl_disposisi_kadis"):
        row["isi_disposisi_kadis"] = _KADIS
    if row.get("tgl_disposisi_kabid"):
        row["isi_disposisi_kabid"] = _KABID
    if "petugas" in spec:
        row["petugas"] = "; ".join(spec["petugas"])
    if "henti" in spec:
        day, hours = spec["henti"].split()
        start, end = (datetime.combine(_day(day), datetime.strptime(h, "%H:%M").time())
                      for h in hours.split("-"))
        row["henti_mulai"], row["henti_selesai"] = start, end
    return row


def _example_rows() -> dict[str, list[dict[str, Any]]]:
    def dated(row: dict[str, Any]) -> dict[str, Any]:
        return {k: _day(v) if k in ("mulai", "selesai", "tanggal") and v else v for k, v in row.items()}

    return {
        C.PERMOHONAN.name: [_permohonan_row(spec) for spec in _PERMOHONAN],
        C.PERANGKAT.name: [dict(zip(_PERANGKAT_FIELDS, row, strict=True)) for row in _PERANGKAT],
        C.PEGAWAI.name: [dated(dict(zip(_PEGAWAI_FIELDS, row, strict=True))) for row in _PEGAWAI],
        C.HARI_LIBUR.name: [dated(dict(row)) for row in _LIBUR],
    }


def write_example(inbox: Path) -> Path:
    """Write inbox/register.xlsx with the worked example and photos in inbox/lampiran/<No. Agenda>/."""
    register = write_register(inbox / "register.xlsx", contoh=True)
    for index, agenda in enumerate(PHOTO_AGENDAS):
        write_example_photos(inbox / "lampiran" / str(agenda), 4 - index % 2)
    return register


# --- documentation photos ---------------------------------------------------------------------------

_SIZE = (1024, 768)
_ROTATED = 2  # this photo is stored turned and tagged with EXIF orientation 6, as phones do


def write_example_photos(folder: Path, count: int) -> list[Path]:
    """Draw `count` plausible documentation photos as JPEGs; the same call always draws the same pictures."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for number in range(1, count + 1):
        caption, draw = _SCENES[(number - 1) % len(_SCENES)]
        image = draw(random.Random(f"{folder.name}/{number}"))  # str seeds are stable across runs
        exif = Image.Exif()
        exif[0x0110] = "SOP Pipeline Contoh"  # Model
        if number == _ROTATED:
            # Orientation 6: the viewer turns the stored picture 90° clockwise to show it upright.
            image = image.transpose(Image.Transpose.ROTATE_90)
            exif[0x0112] = 6
        path = folder / f"{number:02d} {caption}.jpg"
        image.save(path, "JPEG", quality=80, optimize=True, exif=exif.tobytes())
        written.append(path)
    return written


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def _room(top: str, bottom: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", _SIZE, top)
    draw = ImageDraw.Draw(image)
    w, h = _SIZE
    draw.rectangle((0, int(h * 0.72), w, h), fill=bottom)
    for x in range(0, w, 128):  # raised-floor tiles
        draw.line((x, int(h * 0.72), x - 60, h), fill="#8a8f96", width=2)
    return image, draw


def _rack(rng: random.Random) -> Image.Image:
    image, draw = _room("#2b3138", "#b9bec4")
    draw.rectangle((300, 40, 724, 640), fill="#1b1d20", outline="#4a4f55", width=6)
    draw.text((318, 50), "R2", fill="#e0e0e0", font=_font(28))
    y = 92
    while y + 22 < 628:
        units = rng.choice((1, 1, 2, 2, 4))
        height = min(units * 22, 628 - y) - 3  # the last unit fits inside the cabinet
        draw.rectangle((330, y, 694, y + height), fill=rng.choice(("#3a3f45", "#2f343a", "#454b52")),
                       outline="#60666d")
        for bay in range(350, 560, 26):  # drive bays
            draw.rectangle((bay, y + 4, bay + 20, y + height - 4), fill="#22262a", outline="#70767d")
        for led in range(2 + units):
            colour = rng.choice(("#33dd55", "#33dd55", "#33dd55", "#ffb020", "#3399ff"))
            draw.ellipse((600 + led * 14, y + 7, 608 + led * 14, y + 15), fill=colour)
        y += height + 3
    for x in (250, 760):  # cable trays beside the rack
        draw.rectangle((x, 60, x + 14, 630), fill="#3c4a5c")
    return image


def _workbench(rng: random.Random) -> Image.Image:
    image, draw = _room("#d8d2c4", "#8b5a2b")
    draw.rectangle((0, 420, 1024, 768), fill="#a0693a")
    draw.rectangle((80, 440, 640, 720), fill="#2d6a4f")  # anti-static mat
    draw.rectangle((130, 470, 590, 690), fill="#6c7178", outline="#3d4146", width=5)  # open server chassis
    draw.rectangle((170, 500, 430, 660), fill="#1e6b3a")  # main board
    for slot in range(8):
        draw.rectangle((450 + slot * 15, 500, 460 + slot * 15, 660), fill="#222" if slot % 2 else "#0a5")
    for fan in range(4):
        cx = 200 + fan * 60
        draw.ellipse((cx - 22, 478, cx + 22, 522), fill="#2a2a2a", outline="#888")
    draw.rectangle((700, 520, 860, 600), fill="#303438", outline="#9aa0a6", width=3)  # hard disk
    draw.text((712, 545), "1.8TB SAS", fill="#e8e8e8", font=_font(22))
    draw.line((720, 660, 940, 610), fill="#d62828", width=14)  # screwdriver
    draw.line((940, 610, 990, 598), fill="#c0c0c0", width=5)
    for row in range(3):
        draw.rectangle((120 + row * 140, 120, 240 + row * 140, 330), fill=rng.choice(("#7a8590", "#8895a0")),
                       outline="#55606a", width=3)  # shelf with boxed spares
    return image


def _terminal(rng: random.Random) -> Image.Image:
    image, draw = _room("#3a4048", "#6f5440")
    draw.rectangle((150, 60, 874, 520), fill="#111", outline="#444", width=14)  # monitor
    draw.rectangle((480, 520, 544, 600), fill="#333")
    draw.rectangle((400, 600, 624, 620), fill="#333")
    lines = ("$ ssh tim-teknis@pusat-data", "$ systemctl status nginx", "  Active: active (running)",
             "$ df -h /var", "  /dev/sda3   120G   52G   62G  46% /var", "$ sudo smartctl -H /dev/sda",
             "  SMART overall-health self-assessment: PASSED", "$ uptime",
             f"  09:{rng.randint(10, 59)}  up 0 days,  0:{rng.randint(10, 59)},  load average: 0.21", "$ _")
    font = _font(22)
    for index, line in enumerate(lines):
        draw.text((185, 90 + index * 40), line, fill="#7CFC00", font=font)
    draw.rectangle((300, 640, 724, 700), fill="#222", outline="#555", width=3)  # keyboard
    return image


_SCENES: tuple[tuple[str, Callable[[random.Random], Image.Image]], ...] = (
    ("Pemeriksaan rak server", _rack),
    ("Penggantian komponen di meja kerja", _workbench),
    ("Pemantauan layanan setelah pemeliharaan", _terminal),
    ("Kondisi rak setelah pemeliharaan", _rack),
)
