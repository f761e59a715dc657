"""Builds the default template of the monev report, templates_docx/laporan_monev.docx: a laporan in the
Tata Naskah Dinas layout (PermenPAN-RB 80/2012: pendahuluan, hasil, simpulan dan saran, penutup) with the
SOP AP monitoring form (PermenPAN-RB 35/2012, 'Monitoring Pelaksanaan SOP AP'). Staff may edit it in Word;
`sop-pipeline fields laporan_monev` lists its fields."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

from pipeline.documents.templates.blocks import (
    CENTER,
    TEXT_WIDTH_CM,
    Look,
    add_kop,
    body,
    chapter,
    header_row,
    item,
    keep_rows,
    keep_together,
    loop_row,
    par,
    section,
    table,
    title,
)
from pipeline.documents.templates.package import new_document, package_bytes
from pipeline.documents.templates.signatures import SignatureBlock, signature, signature_area

TEMPLATE_NAME = "laporan_monev.docx"
DOC_TITLE = "Laporan Monitoring dan Evaluasi Penerapan SOP Pemeliharaan Server"
DOTS = "……………………………"
CELL_DOTS = "……………"  # fits one line of the form's Tindakan column
_TABLE = "Isi Tabel Rapat"
_HEAD = Look(bold=True, size=9)

Column = tuple[str, str, float, bool]  # heading, field of the loop row, width (cm), centred


def _loop_table(document: DocxDocument, loop: str, var: str, columns: tuple[Column, ...], *,
                indent: float | None = None) -> None:
    """Header row, `{%tr for <var> in <loop> %}` row, one row of fields, `{%tr endfor %}` row.

    Each table has its own loop variable: `sop-pipeline fields` and the template check tell loops apart by
    it."""
    tbl = table(document, [width for _, _, width, _ in columns], 4, margin=0.08, indent=indent)
    for cell, (heading, _, _, _) in zip(tbl.rows[0].cells, columns, strict=True):
        par(cell, heading, _HEAD, style=_TABLE, align=CENTER)
    header_row(tbl)
    loop_row(tbl, 1, f"{{%tr for {var} in {loop} %}}")
    for cell, (_, key, _, centred) in zip(tbl.rows[2].cells, columns, strict=True):
        par(cell, f"{{{{ {var}.{key} }}}}", style=_TABLE, align=CENTER if centred else None)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    loop_row(tbl, 3, "{%tr endfor %}")
    keep_rows(tbl)


def _figure(document: DocxDocument, field: str, caption: str) -> None:
    par(document, f"{{{{ grafik.{field} }}}}", style="Tanpa Spasi", align=CENTER, keep=True, before=6)
    par(document, caption, Look(italic=True, size=10), style="Tanpa Spasi", align=CENTER, after=10)


def _summary(document: DocxDocument) -> None:
    columns = (("Diterima", "diterima"), ("Selesai", "selesai"), ("Dalam proses", "proses"),
               ("Di antaranya lewat batas waktu", "lewat_batas"), ("Ditahan karena galat", "ditahan"))
    width = (TEXT_WIDTH_CM - 1.2) / len(columns)
    tbl = table(document, [width] * len(columns), 2, margin=0.08, indent=1.2)
    for index, (heading, key) in enumerate(columns):
        par(tbl.rows[0].cells[index], heading, _HEAD, style=_TABLE, align=CENTER)
        par(tbl.rows[1].cells[index], f"{{{{ ringkas.{key} }}}}", Look(bold=True, size=13),
            style="Tanpa Spasi", align=CENTER)
    header_row(tbl, repeat=False)
    keep_rows(tbl)
    keep_together(tbl)


def _pendahuluan(document: DocxDocument) -> None:
    chapter(document, "A.", "PENDAHULUAN")
    section(document, "1.", "Umum")
    body(document, "SOP Pemeliharaan Server Nomor {{ sop.nomor }} tanggal {{ sop.tanggal }} menetapkan dua "
          "belas langkah, sejak surat permohonan Perangkat Daerah diterima sampai pemeliharaan dinyatakan "
          "selesai, masing-masing dengan mutu baku waktu 1 (satu) hari kerja. Laporan ini menyajikan hasil "
          "monitoring dan evaluasi penerapan SOP tersebut pada {{ laporan.periode }}.")
    section(document, "2.", "Maksud dan Tujuan")
    body(document, "Mengetahui apakah setiap langkah SOP dilaksanakan sesuai mutu baku waktu dan "
          "kelengkapannya, pada langkah mana waktu paling banyak terpakai, serta tindakan perbaikan yang "
          "perlu diambil.")
    section(document, "3.", "Ruang Lingkup")
    body(document, "Permohonan pemeliharaan server yang diterima pada {{ laporan.rentang }} menurut Tanggal "
          "Diterima di register, dalam keadaannya per {{ laporan.keadaan }}. Hari kerja adalah Senin sampai "
          "Jumat di luar libur nasional, cuti bersama dan hari libur setempat. {{ laporan.catatan }}")
    section(document, "4.", "Dasar")
    item(document, "a.", "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 35 "
          "Tahun 2012 tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan;")
    item(document, "b.", "SOP Pemeliharaan Server Nomor {{ sop.nomor }} tanggal {{ sop.tanggal }};")
    item(document, "c.", "Register permohonan pemeliharaan server ({{ laporan.register }}).")


def _hasil(document: DocxDocument) -> None:
    chapter(document, "B.", "HASIL MONITORING")
    section(document, "1.", "Permohonan")
    body(document, "{{ ringkas.kalimat }}")
    _summary(document)
    _figure(document, "permohonan", "Gambar 1. Permohonan yang diterima menurut keadaannya")
    body(document, "Rincian menurut Perangkat Daerah pemohon:")
    _loop_table(document, "pd", "d", (
        ("No", "no", 0.8, True), ("Perangkat Daerah", "nama", 5.3, False),
        ("Diterima", "diterima", 1.6, True), ("Selesai", "selesai", 1.5, True),
        ("Dalam proses", "proses", 1.6, True), ("Lewat batas", "lewat_batas", 1.5, True),
        ("Ditahan (galat)", "ditahan", 1.6, True), ("Selesai dalam baku waktu", "dalam_baku", 1.4, True)),
        indent=1.2)
    section(document, "2.", "Ketepatan Waktu Setiap Langkah")
    body(document, "Setiap langkah dinilai terhadap langkah sebelumnya yang dijalani (langkah 9 terhadap "
          "langkah 7 bila tidak ada penarikan perangkat): tepat bila dilaksanakan paling lama 1 hari kerja "
          "sesudahnya. Langkah yang belum dilaksanakan tidak dihitung terlambat, kecuali batas waktunya "
          "sudah lewat (tertunggak). Waktu dihitung dari permohonan tanpa galat.")
    _loop_table(document, "langkah", "l", (
        ("No", "no", 0.8, True), ("Langkah", "nama", 2.9, False), ("Pelaksana", "pelaksana", 2.4, False),
        ("Dinilai", "dinilai", 1.3, True), ("Tepat", "tepat", 1.1, True),
        ("Terlambat", "terlambat", 1.8, True), ("Belum, lewat batas", "tertunggak", 1.6, True),
        ("Tepat waktu", "persen", 1.6, True), ("Median (hari kerja)", "median", 1.5, True),
        ("Terlama (hari kerja)", "terlama", 1.5, True)))
    _figure(document, "langkah", "Gambar 2. Ketepatan waktu setiap langkah terhadap mutu baku")
    body(document, "{{ ringkas.waktu }}")
    section(document, "3.", "Waktu Penyelesaian Permohonan")
    body(document, "{{ penyelesaian.kalimat }}")
    _figure(document, "penyelesaian", "Gambar 3. Sebaran waktu penyelesaian terhadap baku waktu SOP")
    section(document, "4.", "Kelengkapan Pencatatan dan Dokumentasi")
    body(document, "Peringatan SOP: \u201cPencatatan dan pendokumentasian yang tidak lengkap akan "
          "mengakibatkan kegagalan dalam pengawasan penggunaan server.\u201d {{ lengkap.kalimat }}")
    _loop_table(document, "kelengkapan", "k", (
        ("No", "no", 0.8, True), ("Langkah", "nama", 3.4, False),
        ("Isian/nomor dokumen", "dokumen", 1.9, True), ("Foto dokumentasi", "foto", 2.3, True),
        ("Data perangkat", "perangkat", 1.9, True), ("Keputusan langkah 8", "keputusan", 2.0, True),
        ("Contoh No. Agenda", "contoh", 4.2, False)))


def _formulir(document: DocxDocument) -> None:
    chapter(document, "C.", "EVALUASI: FORMULIR MONITORING PELAKSANAAN SOP")
    body(document, "Nama SOP: Pemeliharaan Server (Nomor {{ sop.nomor }}); periode: {{ laporan.periode }}. "
          "Penilaian diisi dari angka di atas: berjalan dengan baik bila sekurang-kurangnya "
          "{{ laporan.ambang }} langkah tepat waktu dan pencatatannya lengkap. "
          "Tindakan yang harus diambil diisi oleh penilai.", left=0.6)
    tbl = table(document, (0.7, 3.2, 1.9, 1.9, 4.3, 3.3, 1.2), 4, margin=0.08)
    headings = ("No", "Prosedur", "Berjalan dengan baik", "Tidak berjalan dengan baik",
                "Catatan Hasil Penilaian", "Tindakan yang Harus Diambil", "Paraf Penilai")
    for cell, heading in zip(tbl.rows[0].cells, headings, strict=True):
        par(cell, heading, _HEAD, style=_TABLE, align=CENTER)
    header_row(tbl)
    loop_row(tbl, 1, "{%tr for m in monitoring %}")
    no, prosedur, baik, tidak, catatan, tindakan, _paraf = tbl.rows[2].cells
    par(no, "{{ m.no }}", style=_TABLE, align=CENTER)
    par(prosedur, "{{ m.prosedur }}", style=_TABLE)
    par(prosedur, "({{ m.pelaksana }})", Look(italic=True), style=_TABLE)
    par(baik, "{{ m.baik }}", Look(size=14, symbol=True), style="Tanpa Spasi", align=CENTER)
    par(tidak, "{{ m.tidak }}", Look(size=14, symbol=True), style="Tanpa Spasi", align=CENTER)
    par(catatan, "{{ m.catatan }}", style=_TABLE)
    for _ in range(3):
        par(tindakan, CELL_DOTS, style=_TABLE, after=6)
    for cell in tbl.rows[2].cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    loop_row(tbl, 3, "{%tr endfor %}")
    keep_rows(tbl)


def _kaki(document: DocxDocument) -> None:
    """Signed by the Kepala Bidang on the right; 'Mengetahui,' the Kepala Dinas centred below. One row that
    may not split, so the block never breaks over two pages."""
    area = signature_area(document)
    par(area, "{{ kantor.kota }}, {{ laporan.tanggal }}", style="Tanpa Spasi", align=CENTER, left=8.0,
        keep=True)
    signature(area, SignatureBlock("kabid"), left=8.0)
    par(area, "", style="Tanpa Spasi", keep=True)
    signature(area, SignatureBlock("kadis", ("Mengetahui,",)))


def build_laporan_monev(document: DocxDocument) -> None:
    add_kop(document)
    title(document, "LAPORAN")
    title(document, "MONITORING DAN EVALUASI PENERAPAN SOP PEMELIHARAAN SERVER")
    title(document, "{{ laporan.judul }}", caps=True)
    par(document, "Nomor: {{ laporan.nomor }}", style="Tanpa Spasi", align=CENTER, after=12)
    _pendahuluan(document)
    _hasil(document)
    _formulir(document)
    chapter(document, "D.", "SIMPULAN DAN SARAN")
    section(document, "1.", "Simpulan")
    par(document, "{%p for s in simpulan %}", style="Tanpa Spasi")
    item(document, "{{ loop.index }}.", "{{ s }}")
    par(document, "{%p endfor %}", style="Tanpa Spasi")
    section(document, "2.", "Saran")
    for letter in "abc":
        item(document, f"{letter}.", DOTS * 3)
    chapter(document, "E.", "PENUTUP")
    body(document, "Demikian laporan ini disampaikan untuk menjadi periksa dan bahan lebih lanjut.",
          left=0.6)
    par(document, "", style="Tanpa Spasi", keep=True)
    _kaki(document)


def template_bytes() -> bytes:
    """The default laporan_monev.docx (the same bytes on every call)."""
    document = new_document(DOC_TITLE)
    build_laporan_monev(document)
    return package_bytes(document)
