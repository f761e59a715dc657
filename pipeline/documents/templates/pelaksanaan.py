"""Templates for the work and its report: penarikan perangkat, berita acara + formulir, laporan."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.table import Table, _Cell

from pipeline.documents.templates.blocks import (
    AREA_BEFORE,
    BOLD,
    CENTER,
    TEXT_WIDTH_CM,
    Labels,
    Look,
    add_kop,
    add_text,
    body,
    chapter,
    continuation,
    device_table,
    field,
    hanging,
    header_row,
    item,
    keep_rows,
    loop_row,
    min_height,
    no_borders,
    par,
    section,
    table,
    title,
)
from pipeline.documents.templates.signatures import (
    SignatureBlock,
    closing,
    signature,
    signature_area,
    signature_right,
    signatures,
)
from pipeline.register.columns import PEMERIKSAAN_ITEMS

# -- 4. Formulir penarikan perangkat server (SOP step 8) -------------------------------------------

_PEMOHON = Labels(start=0.6, colon=4.6, value=5.0)
_TARIK_DEVICES = (
    ("No", "no", 0.7),
    ("Nama Barang", "nama", 2.0),
    ("Merek/Tipe", "merk_tipe", 2.3),
    ("Nomor Seri/ Kode Barang", "nomor_seri/kode_barang", 3.4),
    ("Kondisi", "kondisi", 1.5),
    ("Lokasi Rak", "lokasi_rak", 1.4),
    ("Tindakan", "tindakan", 1.75),
    ("Keterangan/ Alasan", "keterangan", 3.45),
)


def build_penarikan_perangkat(document: DocxDocument) -> None:
    add_kop(document)
    title(document, "FORMULIR PENARIKAN PERANGKAT SERVER")
    title(document, "DARI PUSAT DATA PEMERINTAH {{ kantor.daerah }}", caps=True)
    par(document, "Nomor: {{ doc.nomor }}", style="Tanpa Spasi", align=CENTER, after=12)
    par(document, "Yang bertanda tangan di bawah ini:", style="Isi Naskah")
    field(document, _PEMOHON, "Nama", "{{ narahubung.nama }}")
    continuation(document, _PEMOHON, "{{ narahubung.nip }}")
    field(document, _PEMOHON, "Jabatan", "{{ narahubung.jabatan }}")
    field(document, _PEMOHON, "Perangkat Daerah", "{{ p.perangkat_daerah }}")
    field(document, _PEMOHON, "Nomor Telepon/HP", "{{ narahubung.telepon }}")
    par(document, "mengajukan penarikan perangkat server {{ p.nama_server }} ({{ p.alamat_ip }}) dari Pusat "
        "Data dengan rincian sebagai berikut:", style="Isi Naskah", keep=True)
    device_table(document, "perangkat_tarik", _TARIK_DEVICES)
    signatures(
        document,
        (SignatureBlock("tim", ("Yang Menyerahkan,",)), SignatureBlock("pd", ("Yang Menerima,",))),
        dated="{{ kantor.kota }}, {{ doc.tanggal }}",
        mengetahui="kabid",
        # Not a formula but the form's statement of the handover: it is the text the signatures sign.
        closing_text=("Perangkat tersebut di atas telah dikeluarkan dari Pusat Data pada tanggal "
                      "{{ tgl.penarikan }} dan diserahkan kembali kepada pemohon dalam keadaan sebagaimana "
                      "tercantum di atas.",),
        keep_text=False,
    )


# -- 5. Berita acara pekerjaan pemeliharaan server + formulir pemeliharaan (SOP step 9) ------------

_PIHAK = Labels(start=0.6, colon=4.4, value=4.8)
_RINCIAN = Labels(start=0.6, colon=5.6, value=6.0)

# Typical items of a server maintenance check (docs/NASKAH-DINAS.md), printed blank for handwriting when
# the register's sheet Pemeriksaan has no rows for the request. Foreign terms in italics (EYD); acronyms
# (PSU, UPS, RAID, RAM, IP, DNS) and 'server', the SOP's own word, stay upright.
_FOREIGN_TERMS = re.compile(r"\b(fan|storage|alert|patch|backup)\b")
CHECKLIST = tuple(_FOREIGN_TERMS.sub(r"*\1*", item) for item in PEMERIKSAAN_ITEMS)
_CHECK_COLUMNS = (
    ("No", 0.8), ("Item yang diperiksa", 5.6), ("Kondisi sebelum", 2.4), ("Tindakan", 2.9),
    ("Kondisi sesudah", 2.4), ("Keterangan", 2.4),
)
_CHECK_KEYS = ("no", "item", "sebelum", "tindakan", "sesudah", "keterangan")


def _pihak(document: DocxDocument, number: str, who: str, rows: tuple[tuple[str, str], ...]) -> None:
    (label, value), *rest = rows
    field(document, _PIHAK, label, value, number=number, number_at=0.0)
    for label, value in rest:
        if label:
            field(document, _PIHAK, label, value)
        else:
            continuation(document, _PIHAK, value)
    closing = hanging(document, "Selanjutnya disebut ", at=_PIHAK.start, start=_PIHAK.start)
    add_text(closing, who, BOLD)
    add_text(closing, ".")


def _check_row(tbl: Table, row: int, texts: Sequence[str], height: float) -> None:
    for index, (cell, text) in enumerate(zip(tbl.rows[row].cells, texts, strict=True)):
        par(cell, text, style="Isi Tabel Rapat", align=CENTER if index == 0 else None)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    min_height(tbl, row, height)


def _checklist(document: DocxDocument) -> None:
    """The Formulir Pemeliharaan Server: its own titled lampiran page, filled from sheet Pemeriksaan or,
    without it, the standard items with empty columns to fill in by hand at the server."""
    heading = title(document, "LAMPIRAN BERITA ACARA PEKERJAAN PEMELIHARAAN SERVER", size=11)
    heading.paragraph_format.page_break_before = True
    par(document, "Nomor: {{ doc.nomor }}", style="Tanpa Spasi", align=CENTER, after=12)
    par(document, "FORMULIR PEMELIHARAAN SERVER", Look(bold=True), style="Judul", after=8)
    field(document, _RINCIAN, "Nama Server", "{{ p.nama_server }} ({{ p.alamat_ip }})")
    field(document, _RINCIAN, "Perangkat Daerah", "{{ p.perangkat_daerah }}")
    field(document, _RINCIAN, "Hari/Tanggal", "{{ hari.pelaksanaan }}")
    par(document, "{%p if not ada.pemeriksaan %}", style="Tanpa Spasi")
    par(document, "Diisi oleh {{ kantor.tim }} di ruang server pada saat pemeliharaan.", Look(italic=True),
        style="Isi Naskah", left=_RINCIAN.start)
    par(document, "{%p endif %}", style="Tanpa Spasi")
    par(document, "", style="Tanpa Spasi")
    tbl = table(document, [w for _, w in _CHECK_COLUMNS], 7 + len(CHECKLIST), margin=0.1)
    for cell, (heading_text, _) in zip(tbl.rows[0].cells, _CHECK_COLUMNS, strict=True):
        par(cell, heading_text, BOLD, style="Isi Tabel Rapat", align=CENTER)
    header_row(tbl)
    # From the register's sheet Pemeriksaan, or the standard items, blank, with room to write.
    loop_row(tbl, 1, "{%tr if ada.pemeriksaan %}")
    loop_row(tbl, 2, "{%tr for c in pemeriksaan %}")
    _check_row(tbl, 3, [f"{{{{ c.{key} }}}}" for key in _CHECK_KEYS], 0.75)
    loop_row(tbl, 4, "{%tr endfor %}")
    loop_row(tbl, 5, "{%tr else %}")
    for number, what in enumerate(CHECKLIST, 1):
        _check_row(tbl, 5 + number, [f"{number}.", what, "", "", "", ""], 0.95)
    loop_row(tbl, 6 + len(CHECKLIST), "{%tr endif %}")
    keep_rows(tbl)
    signature_right(document, SignatureBlock("tim", ("Pemeriksa,",)))


def build_berita_acara(document: DocxDocument) -> None:
    add_kop(document)
    title(document, "BERITA ACARA PEKERJAAN PEMELIHARAAN SERVER", underline=True)
    par(document, "Nomor: {{ doc.nomor }}", style="Tanpa Spasi", align=CENTER, after=12)
    par(document, "{{ ba.pembukaan }}, bertempat di {{ ba.lokasi }}, kami yang bertanda tangan di bawah ini:",
        style="Isi Naskah")
    _pihak(document, "1.", "PIHAK PERTAMA", (
        ("Nama", "{{ ttd.tim.nama }}"),
        ("", "{{ ttd.tim.nip }}"),
        ("Pangkat/Gol.", "{{ ttd.tim.pangkat }}"),
        ("Jabatan", "{{ ttd.tim.peran }}"),
        ("Unit Kerja", "{{ kantor.dinas }} {{ kantor.daerah }}"),
    ))
    _pihak(document, "2.", "PIHAK KEDUA", (
        ("Nama", "{{ ttd.pd.nama }}"),
        ("", "{{ ttd.pd.nip }}"),
        ("Pangkat/Gol.", "{{ ttd.pd.pangkat }}"),
        ("Jabatan", "{{ narahubung.jabatan }}"),
        ("Unit Kerja", "{{ p.perangkat_daerah }}"),
    ))
    intro = par(document, "", style="Isi Naskah")
    add_text(intro, "PIHAK PERTAMA", BOLD)
    add_text(intro, " bersama ")
    add_text(intro, "PIHAK KEDUA", BOLD)
    add_text(intro, " menyatakan bahwa telah dilaksanakan pekerjaan pemeliharaan server milik "
             "{{ p.perangkat_daerah }} dengan rincian sebagai berikut:")
    for number, (label, value) in enumerate((
        ("Nama Server", "{{ p.nama_server }}"),
        ("Alamat IP", "{{ p.alamat_ip }}"),
        ("Nama Domain", "{{ p.nama_domain }}"),
        ("Jenis Pemeliharaan", "{{ p.jenis_pemeliharaan }}"),
        ("Uraian Pekerjaan", "{{ p.uraian_pekerjaan }}"),
        ("Waktu Pelaksanaan", "{{ hari.pelaksanaan }} {{ ba.waktu }}"),
        ("Pelaksana", "{{ petugas_teks }}"),
        ("Hasil Pemeliharaan", "{{ p.hasil_pemeliharaan }}"),
        ("Penggantian Perangkat", "{{ p.perangkat_diganti }}"),
    ), start=1):
        field(document, _RINCIAN, label, value, number=f"{number}.", number_at=0.0)
    par(document, "{%p if ada.komponen %}", style="Tanpa Spasi")
    par(document, "Komponen yang diganti (perangkatnya tetap di Pusat Data):", style="Isi Naskah",
        keep=True)
    par(document, "{%p for d in komponen %}", style="Tanpa Spasi")
    hanging(document, "{{ loop.index }}.\t{{ d.komponen }} pada {{ d.nama }} {{ d.merk_tipe }}, nomor seri "
            "{{ d.nomor_seri }}: {{ d.keterangan }}", at=1.2, start=0.6, style="Isi Naskah")
    par(document, "{%p endfor %}", style="Tanpa Spasi")
    par(document, "{%p endif %}", style="Tanpa Spasi")
    par(document, "Rincian pemeriksaan dan tindakan pemeliharaan tercantum dalam Formulir Pemeliharaan "
        "Server yang menjadi lampiran Berita Acara ini.", style="Isi Naskah")
    signatures(
        document,
        (SignatureBlock("pd", ("PIHAK KEDUA,",)), SignatureBlock("tim", ("PIHAK PERTAMA,",))),
        dated="{{ kantor.kota }}, {{ doc.tanggal }}",
        mengetahui="kabid",
        closing_text=("Demikian Berita Acara ini dibuat dalam rangkap {{ ba.rangkap }} untuk dipergunakan "
                      "sebagaimana mestinya.",),
    )
    _checklist(document)


# -- 6. Laporan hasil pelaksanaan (SOP steps 9–11) -------------------------------------------------

_KEGIATAN = Labels(start=1.2, colon=8.1, value=8.5)


def _pendahuluan(document: DocxDocument) -> None:
    chapter(document, "A.", "PENDAHULUAN")
    section(document, "1.", "Umum")
    body(document, "{{ p.perangkat_daerah }} melalui surat Nomor {{ p.nomor_surat }} tanggal "
          "{{ tgl.surat }} hal {{ p.hal }} memohon pemeliharaan server {{ p.nama_server }} yang "
          "ditempatkan di {{ kantor.pusat_data }}.")
    section(document, "2.", "Maksud dan Tujuan")
    body(document, "Laporan ini dimaksudkan untuk melaporkan pelaksanaan pemeliharaan server tersebut, "
          "dengan tujuan memastikan server dan layanan yang berjalan di atasnya berfungsi dengan baik serta "
          "tercatat sesuai SOP Pemeliharaan Server.")
    section(document, "3.", "Ruang Lingkup")
    body(document, "Pemeliharaan server {{ p.nama_server }} dengan alamat IP {{ p.alamat_ip }} dan nama "
          "domain {{ p.nama_domain }}, beserta perangkat yang tercantum dalam Dokumen Isian Kelengkapan.")
    section(document, "4.", "Dasar")
    item(document, "a.", "Surat {{ p.perangkat_daerah }} Nomor {{ p.nomor_surat }} tanggal {{ tgl.surat }} "
          "hal {{ p.hal }};")
    item(document, "b.", "Disposisi Kepala Dinas tanggal {{ tgl.disposisi_kadis }} dan disposisi Kepala "
          "{{ kantor.bidang }} tanggal {{ tgl.disposisi_kabid }};")
    item(document, "c.", "SOP Pemeliharaan Server Nomor {{ sop.nomor }} tanggal {{ sop.tanggal }}.")


def _petugas_table(document: DocxDocument) -> None:
    columns = (("No", 0.8), ("Nama / NIP", 5.6), ("Pangkat/Gol.", 3.7), ("Jabatan", 5.2))
    tbl = table(document, [w for _, w in columns], 4, margin=0.1, indent=1.2)
    for cell, (heading, _) in zip(tbl.rows[0].cells, columns, strict=True):
        par(cell, heading, BOLD, style="Isi Tabel", align=CENTER)
    header_row(tbl)
    loop_row(tbl, 1, "{%tr for x in petugas %}")
    no, nama, pangkat, jabatan = tbl.rows[2].cells
    par(no, "{{ x.no }}", style="Isi Tabel", align=CENTER)
    par(nama, "{{ x.nama }}", style="Isi Tabel")
    par(nama, "{{ x.nip }}", style="Isi Tabel")
    par(pangkat, "{{ x.pangkat }}", style="Isi Tabel")
    par(jabatan, "{{ x.jabatan }}", style="Isi Tabel")
    loop_row(tbl, 3, "{%tr endfor %}")
    keep_rows(tbl)


def _kegiatan_dan_hasil(document: DocxDocument) -> None:
    chapter(document, "B.", "KEGIATAN YANG DILAKSANAKAN")
    body(document, "Kegiatan dilaksanakan sesuai tahapan SOP Pemeliharaan Server sebagai berikut:", left=0.6)
    for number, (label, value) in enumerate((
        ("Pemeriksaan server", "{{ hari.pemeriksaan }}"),
        ("Dokumen isian kelengkapan", "{{ hari.kelengkapan }}"),
        ("Pengumuman penghentian layanan", "{{ hari.pengumuman }}"),
        ("Pelaksanaan pemeliharaan", "{{ hari.pelaksanaan }}"),
        ("Jenis pemeliharaan", "{{ p.jenis_pemeliharaan }}"),
        ("Uraian pekerjaan", "{{ p.uraian_pekerjaan }}"),
    ), start=1):
        field(document, _KEGIATAN, label, value, number=f"{number}.", number_at=0.6)
    section(document, "7.", "Pelaksana: {{ kantor.tim }}")
    _petugas_table(document)

    chapter(document, "C.", "HASIL YANG DICAPAI")
    section(document, "1.", "Hasil pemeriksaan sebelum pemeliharaan")
    body(document, "{{ p.hasil_pemeriksaan }}")
    section(document, "2.", "Hasil pemeliharaan")
    body(document, "{{ p.hasil_pemeliharaan }}")
    section(document, "3.", "Penggantian perangkat")
    par(document, "{%p if ada.penarikan %}", style="Tanpa Spasi")
    body(document, "Terdapat perangkat yang diganti atau ditarik dari Pusat Data pada tanggal "
          "{{ tgl.penarikan }} sebagaimana tercantum dalam Formulir Penarikan Perangkat Server, yaitu:")
    par(document, "{%p for d in perangkat_tarik %}", style="Tanpa Spasi")
    item(document, "{{ loop.index }}.", "{{ d.nama }} {{ d.merk_tipe }}, nomor seri {{ d.nomor_seri }}, "
          "kondisi {{ d.kondisi }}, tindakan {{ d.tindakan }}: {{ d.keterangan }}")
    par(document, "{%p endfor %}", style="Tanpa Spasi")
    par(document, "{%p else %}", style="Tanpa Spasi")
    body(document, "Tidak terdapat perangkat yang diganti atau ditarik dari Pusat Data.")
    par(document, "{%p endif %}", style="Tanpa Spasi")
    par(document, "{%p if ada.komponen %}", style="Tanpa Spasi")
    body(document, "Komponen yang diganti (perangkatnya tetap di Pusat Data):")
    par(document, "{%p for d in komponen %}", style="Tanpa Spasi")
    item(document, "{{ loop.index }}.", "{{ d.komponen }} pada {{ d.nama }} {{ d.merk_tipe }}, nomor seri "
          "{{ d.nomor_seri }}: {{ d.keterangan }}")
    par(document, "{%p endfor %}", style="Tanpa Spasi")
    par(document, "{%p endif %}", style="Tanpa Spasi")


_PARAF_COLUMNS = (("Pemeriksaan", 2.8), ("Tanggal", 3.8), ("Paraf", 1.3))  # a date, or dots, never wrap


def _paraf(cell: _Cell) -> None:
    """Steps 10–11 (Kabid checks and forwards, Kadis reviews): a paraf table, Plh./Plt. named."""
    par(cell, "Paraf pemeriksaan dan reviu:", Look(size=10), style="Tanpa Spasi", before=AREA_BEFORE,
        after=2)
    tbl = table(cell, [w for _, w in _PARAF_COLUMNS], 3, margin=0.08, indent=0)
    for header, (heading, _) in zip(tbl.rows[0].cells, _PARAF_COLUMNS, strict=True):
        par(header, heading, BOLD, style="Isi Tabel Rapat", align=CENTER)
    header_row(tbl, repeat=False)
    for row, (tahap, tanggal) in enumerate((
        ("Diperiksa {{ ttd.kabid.peran }}", "{{ tgl.pemeriksaan_kabid }}"),
        ("Direviu {{ ttd.kadis.peran }}", "{{ tgl.reviu_kadis }}"),
    ), start=1):
        cells = tbl.rows[row].cells
        for target, text in zip(cells[:2], (tahap, tanggal), strict=True):
            par(target, text, style="Isi Tabel Rapat")
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        min_height(tbl, row, 0.9)
    keep_rows(tbl)


def _penutup(document: DocxDocument) -> None:
    """E. PENUTUP: the closing, then one row that cannot split: on the left the paraf table and the
    lampiran list, on the right the signature; no page holds the paraf table or the lampiran alone."""
    chapter(document, "E.", "PENUTUP")
    closing(document, ("Demikian laporan ini disampaikan untuk menjadi periksa dan bahan pertimbangan "
                       "lebih lanjut.",), left=0.6, first=None)
    area = signature_area(document)
    left_width = sum(w for _, w in _PARAF_COLUMNS)
    beside = table(area, (left_width, TEXT_WIDTH_CM - left_width), 1, grid=False, margin=0)
    no_borders(beside)
    left, sign = beside.rows[0].cells
    _paraf(left)
    par(left, "Lampiran:", Look(size=10), style="Tanpa Spasi", before=8)
    par(left, "{%p for l in lampiran %}", style="Tanpa Spasi")
    hanging(left, "{{ loop.index }}.\t{{ l }}", at=0.5, look=Look(size=10), style="Tanpa Spasi")
    par(left, "{%p endfor %}", style="Tanpa Spasi")
    signature(sign, SignatureBlock("tim", ("{{ kantor.kota }}, {{ doc.tanggal }}",)), before=AREA_BEFORE)


def _dokumentasi(document: DocxDocument) -> None:
    """The photos, two per row, on pages of their own; no such page without photos (the request then has
    a warning: the SOP's step 7 output is missing)."""
    par(document, "{%p if ada.foto %}", style="Tanpa Spasi")
    heading = title(document, "DOKUMENTASI")
    heading.paragraph_format.page_break_before = True
    par(document, "Pemeliharaan Server {{ p.perangkat_daerah }}", style="Judul", after=12)
    tbl = table(document, (8.25, 8.25), 3, grid=False)
    no_borders(tbl)
    loop_row(tbl, 0, "{%tr for f in foto_baris %}")
    for cell, side in zip(tbl.rows[1].cells, ("kiri", "kanan"), strict=True):
        par(cell, f"{{{{ f.{side}.gambar }}}}", style="Tanpa Spasi", align=CENTER, before=6)
        par(cell, f"{{{{ f.{side}.keterangan }}}}", Look(italic=True, size=10), style="Tanpa Spasi",
            align=CENTER, after=12)
    loop_row(tbl, 2, "{%tr endfor %}")
    keep_rows(tbl)
    par(document, "{%p endif %}", style="Tanpa Spasi")


def build_laporan(document: DocxDocument) -> None:
    add_kop(document)
    title(document, "LAPORAN")
    title(document, "TENTANG")
    title(document, "HASIL PELAKSANAAN PEMELIHARAAN SERVER")
    title(document, "{{ p.perangkat_daerah }}", caps=True)
    par(document, "Nomor: {{ doc.nomor }}", style="Tanpa Spasi", align=CENTER, after=12)
    _pendahuluan(document)
    _kegiatan_dan_hasil(document)
    chapter(document, "D.", "SIMPULAN DAN SARAN")
    # Kept with E: the signature page carries the end of the simpulan (or the saran) — closing().
    body(document, "{{ laporan.simpulan }}", left=0.6, keep=True)
    par(document, "{%p if laporan.saran %}", style="Tanpa Spasi")
    body(document, "{{ laporan.saran }}", left=0.6, keep=True)
    par(document, "{%p endif %}", style="Tanpa Spasi")
    _penutup(document)
    _dokumentasi(document)
