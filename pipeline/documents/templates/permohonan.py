"""Templates for the steps before the work: lembar disposisi, isian kelengkapan and pengumuman."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.table import _Cell

from pipeline.documents.templates.blocks import (
    BOLD,
    CENTER,
    Labels,
    add_kop,
    continuation,
    device_table,
    field,
    hanging,
    header_row,
    keep_rows,
    merge_row,
    par,
    table,
    title,
)
from pipeline.documents.templates.signatures import SignatureBlock, signature, signature_right, signatures

# -- 1. Lembar disposisi (SOP steps 2 and 3) -------------------------------------------------------

_CELL = Labels(start=0.0, colon=2.4, value=2.7, style="Isi Tabel")
_SIFAT = (5.0, 7.3, 10.6)  # the Sifat boxes on one line: after "☐ Biasa", "☐ Segera", "☐ Sangat Segera"
_BOX_AT = 0.55  # text after a check box in the disposition lists
_CELL_STYLE = "Isi Tabel"


def _box_line(cell: _Cell, box: str, text: str) -> None:
    hanging(cell, f"{box}\t{text}", at=_BOX_AT, style=_CELL_STYLE)


def build_lembar_disposisi(document: DocxDocument) -> None:
    add_kop(document)
    title(document, "LEMBAR DISPOSISI", size=14)
    par(document, "", style="Tanpa Spasi")
    # Grid 6.5 | 3.3 | 6.7 cm. The letter's data get 9.8 cm, so that a long number ('B/500.12.16.3/573/
    # BPBD-KL/XI/2026') stays on one line, the agenda's 6.7 cm (a date whole); the Sifat boxes share one
    # line of their own; the paraf cells get 10 cm ("KEPALA DINAS KOMUNIKASI DAN INFORMATIKA" on one line).
    tbl = table(document, (6.5, 3.3, 6.7), 7)
    keep_rows(tbl)
    surat = merge_row(tbl, 0, 0, 1)
    field(surat, _CELL, "Surat dari", "{{ p.perangkat_daerah }}")
    field(surat, _CELL, "Nomor Surat", "{{ p.nomor_surat }}")
    field(surat, _CELL, "Tgl. Surat", "{{ tgl.surat }}")
    agenda = tbl.rows[0].cells[2]
    field(agenda, _CELL, "Tgl. Diterima", "{{ tgl.diterima }}")
    field(agenda, _CELL, "No. Agenda", "{{ p.no_agenda }}")
    hanging(merge_row(tbl, 1), "Sifat\t:\t{{ cek.sifat_biasa }} Biasa\t{{ cek.sifat_segera }} Segera\t"
            "{{ cek.sifat_sangat_segera }} Sangat Segera\t{{ cek.sifat_rahasia }} Rahasia",
            at=_CELL.value, tabs=(_CELL.colon, *_SIFAT), style=_CELL_STYLE)

    field(merge_row(tbl, 2), _CELL, "Hal", "{{ p.hal }}")

    kepada = merge_row(tbl, 3, 0, 1)
    par(kepada, "Diteruskan kepada Sdr.:", style=_CELL_STYLE)
    _box_line(kepada, "☐", "Sekretaris")
    _box_line(kepada, "{{ cek.diteruskan_kabid }}", "Kepala {{ kantor.bidang }}")
    _box_line(kepada, "☐", "……………………………………………")
    harap = tbl.rows[3].cells[2]
    par(harap, "Dengan hormat harap:", style=_CELL_STYLE)
    _box_line(harap, "{{ cek.harap_tanggapan }}", "Tanggapan dan Saran")
    _box_line(harap, "{{ cek.harap_proses }}", "Proses lebih lanjut")
    _box_line(harap, "{{ cek.harap_koordinasi }}", "Koordinasi/konfirmasikan")
    _box_line(harap, "☐", "…" * 12)  # a line to write on, within the 6.7 cm cell

    catatan = tbl.rows[4].cells[0]
    par(catatan, "Catatan {{ ttd.kadis.peran }}:", BOLD, style=_CELL_STYLE, after=2)
    par(catatan, "{{ p.isi_disposisi_kadis }}", style=_CELL_STYLE)
    signature(merge_row(tbl, 4, 1, 2),
              SignatureBlock("kadis", ("{{ kantor.kota }}, {{ tgl.disposisi_kadis }}",)),
              style=_CELL_STYLE, gap=3)

    par(merge_row(tbl, 5), "Disposisi {{ ttd.kabid.peran }} kepada {{ kantor.tim }}", BOLD, style=_CELL_STYLE)
    header_row(tbl, 5, shade="F2F2F2", repeat=False)
    tim = tbl.rows[6].cells[0]
    par(tim, "Kepada Sdr.:", BOLD, style=_CELL_STYLE, after=2)
    par(tim, "{{ petugas_teks }}", style=_CELL_STYLE, after=4)
    par(tim, "Catatan:", BOLD, style=_CELL_STYLE, after=2)
    par(tim, "{{ p.isi_disposisi_kabid }}", style=_CELL_STYLE)
    signature(merge_row(tbl, 6, 1, 2),
              SignatureBlock("kabid", ("{{ kantor.kota }}, {{ tgl.disposisi_kabid }}",)),
              style=_CELL_STYLE, gap=3)


# -- 2. Dokumen isian kelengkapan (SOP steps 4 and 5) ----------------------------------------------

_ISIAN = Labels(start=0.6, colon=6.0, value=6.4)
_DOTS = "…" * 22  # a line to write on by hand, shorter than the 10 cm value column


def _section(document: DocxDocument, letter: str, text: str) -> None:
    hanging(document, f"{letter}\t{text}", at=0.6, style="Subjudul")


# Widths that fit the identifiers whole at 10 pt: a kode barang '1.3.2.10.02.04.001' needs 3.5 cm, an IP
# address '10.20.10.14' 2.3 cm.
_ISIAN_DEVICES = (
    ("No", "no", 0.7),
    ("Nama Perangkat", "nama", 2.2),
    ("Merek/Tipe", "merk_tipe", 2.5),
    ("Spesifikasi", "spesifikasi", 3.3),
    ("Nomor Seri/ Kode Barang", "nomor_seri/kode_barang", 3.6),
    ("Alamat IP/ Lokasi Rak", "alamat_ip/lokasi_rak", 2.5),
    ("Kondisi", "kondisi", 1.6),
)


def build_isian_kelengkapan(document: DocxDocument) -> None:
    add_kop(document)
    title(document, "DOKUMEN ISIAN KELENGKAPAN PEMELIHARAAN SERVER")
    par(document, "Nomor: {{ doc.nomor }}", style="Tanpa Spasi", align=CENTER, after=8)

    _section(document, "A.", "DATA PEMOHON")
    field(document, _ISIAN, "Perangkat Daerah", "{{ p.perangkat_daerah }}")
    field(document, _ISIAN, "Nomor Surat Permohonan", "{{ p.nomor_surat }}")
    field(document, _ISIAN, "Tanggal Surat Permohonan", "{{ tgl.surat }}")
    field(document, _ISIAN, "Nama Penanggung Jawab", "{{ narahubung.nama }}")
    continuation(document, _ISIAN, "{{ narahubung.nip }}")
    field(document, _ISIAN, "Jabatan", "{{ narahubung.jabatan }}")
    field(document, _ISIAN, "Nomor Telepon/HP", "{{ narahubung.telepon }}")

    _section(document, "B.", "DATA SERVER DAN PERANGKAT")
    field(document, _ISIAN, "Nama Server", "{{ p.nama_server }}")
    field(document, _ISIAN, "Alamat IP", "{{ p.alamat_ip }}")
    field(document, _ISIAN, "Nama Domain", "{{ p.nama_domain }}")
    hanging(document, "Perangkat yang akan dipelihara:", at=0.6, start=0.6, keep=True)
    device_table(document, "perangkat", _ISIAN_DEVICES)

    _section(document, "C.", "RENCANA PEMELIHARAAN")
    hanging(document, "Jenis Pemeliharaan\t:\t{{ cek.preventif }} Preventif\t{{ cek.korektif }} Korektif",
            at=_ISIAN.value, start=_ISIAN.start, tabs=(_ISIAN.colon, 9.6))
    field(document, _ISIAN, "Uraian Pekerjaan", "{{ p.uraian_pekerjaan }}")
    field(document, _ISIAN, "Layanan Terdampak", "{{ p.layanan_terdampak }}")
    field(document, _ISIAN, "Rencana Pelaksanaan", "{{ henti.rencana }}")
    hanging(document, "Penggantian Perangkat\t:\t{{ cek.diganti_ya }} Ya\t{{ cek.diganti_tidak }} Tidak",
            at=_ISIAN.value, start=_ISIAN.start, tabs=(_ISIAN.colon, 9.6))

    # Section D is short and ends the form: it goes wherever the signatures go, whole.
    _section(document, "D.", "HASIL PEMERIKSAAN TIM TEKNIS")
    kept = [
        field(document, _ISIAN, "Tanggal Pemeriksaan", "{{ tgl.pemeriksaan }}"),
        field(document, _ISIAN, "Hasil Pemeriksaan", "{{ p.hasil_pemeriksaan }}"),
        hanging(document, "Kesesuaian\t:\t{{ cek.sesuai_spesifikasi }} Spesifikasi sesuai\t"
                "{{ cek.sesuai_fisik }} Fisik sesuai", at=_ISIAN.value, start=_ISIAN.start,
                tabs=(_ISIAN.colon, 11.6)),
        hanging(document, "{{ cek.sesuai_ip }} Alamat IP sesuai\t{{ cek.sesuai_domain }} Nama domain sesuai",
                at=_ISIAN.value, start=_ISIAN.value, tabs=(11.6,)),
        field(document, _ISIAN, "Catatan", _DOTS),
    ]
    for paragraph in kept:
        paragraph.paragraph_format.keep_with_next = True
    continuation(document, _ISIAN, _DOTS)

    signatures(
        document,
        (SignatureBlock("pd", ("Pemohon,",)), SignatureBlock("tim", ("Pemeriksa,",))),
        dated="{{ kantor.kota }}, {{ tgl.kelengkapan }}",
        mengetahui="kabid",
        closing_text=("Demikian isian kelengkapan ini diisi bersama oleh Perangkat Daerah pemohon dan "
                      "{{ kantor.tim }} untuk dipergunakan sebagaimana mestinya.",),
    )


# -- 3. Pengumuman penghentian sementara layanan (SOP step 6) --------------------------------------

_HENTI = Labels(start=1.25, colon=4.5, value=4.9)


def build_pengumuman(document: DocxDocument) -> None:
    add_kop(document)
    title(document, "PENGUMUMAN")
    title(document, "NOMOR {{ doc.nomor }}", bold=False)
    title(document, "TENTANG", bold=False)
    title(document, "PENGHENTIAN SEMENTARA LAYANAN {{ layanan_judul }}")
    title(document, "DALAM RANGKA PEMELIHARAAN SERVER")
    par(document, "", style="Tanpa Spasi")
    par(document, "Dalam rangka pemeliharaan server {{ p.nama_server }} milik {{ p.perangkat_daerah }} di "
        "{{ kantor.pusat_data }}, dengan ini diumumkan bahwa layanan berikut:",
        style="Isi Naskah", first=1.25)
    par(document, "{%p for l in layanan %}", style="Tanpa Spasi")
    hanging(document, "{{ loop.index }}.\t{{ l }}", at=1.85, start=1.25, style="Isi Naskah")
    par(document, "{%p endfor %}", style="Tanpa Spasi")
    par(document, "untuk sementara tidak dapat diakses pada:", style="Isi Naskah")
    field(document, _HENTI, "Hari/Tanggal", "{{ henti.hari_tanggal }}")
    field(document, _HENTI, "Pukul", "{{ henti.jam }}")
    field(document, _HENTI, "Alamat Layanan", "{{ p.nama_domain }}")
    par(document, "Layanan akan kembali normal setelah pemeliharaan selesai. Informasi lebih lanjut dapat "
        "menghubungi {{ kontak }}.", style="Isi Naskah", first=1.25)
    signature_right(document, SignatureBlock("kadis", ("{{ kantor.kota }}, {{ doc.tanggal }}",)),
                    closing_text=("Demikian pengumuman ini disampaikan untuk menjadi perhatian. Atas "
                                  "pengertian dan kerja samanya diucapkan terima kasih.",))

