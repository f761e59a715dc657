"""The default templates: lean package, reproducible bytes, whole Jinja tags, and a strict render of each."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import CLOCKS
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from pipeline.documents.templates import TEMPLATE_NAMES, build_templates, template_bytes
from pipeline.documents.templates.pelaksanaan import CHECKLIST

DOTS = "………………"
TRICKY_PD = "PT Telkom & Co <Ltd>"

_STEPS = (
    "diterima", "surat", "disposisi_kadis", "disposisi_kabid", "pemeriksaan", "kelengkapan", "pengumuman",
    "pelaksanaan", "penarikan", "laporan", "pemeriksaan_kabid", "reviu_kadis", "selesai",
)
_BOXES = (
    "sifat_biasa", "sifat_segera", "sifat_sangat_segera", "sifat_rahasia", "diteruskan_kabid",
    "harap_tanggapan", "harap_proses", "harap_koordinasi", "preventif", "korektif", "diganti_ya",
    "diganti_tidak",
)
_TICKED = {"sifat_segera", "diteruskan_kabid", "harap_proses", "korektif", "diganti_ya"}


def _device(no: int, nama: str, seri: str, kondisi: str, tindakan: str, keterangan: str) -> dict[str, str]:
    return {
        "no": str(no), "nama": nama, "merk_tipe": "Dell PowerEdge R740", "nomor_seri": seri,
        "kode_barang": "1.3.2.10.02.04.001", "spesifikasi": "2x Xeon Silver 4210, RAM 64 GB, 2x SSD 960 GB",
        "alamat_ip": "10.10.20.15", "lokasi_rak": "R2/U12", "kondisi": kondisi, "tindakan": tindakan,
        "keterangan": keterangan,
    }


def _signer(jabatan: str, nama: str, pangkat: str, nip: str) -> dict[str, str]:
    return {"jabatan": jabatan, "nama": nama, "pangkat": pangkat, "nip": nip}


def sample_context(*, perangkat_daerah: str = "Dinas Kesehatan", penarikan: bool = True,
                   foto: list[tuple[Any, str]] | None = None, logo: Any = "") -> dict[str, Any]:
    """Every field the pipeline promises the templates, with realistic values."""
    devices = [
        _device(1, "Server aplikasi", "7XK9QK2", "Baik", "Pembersihan, pembaruan firmware", "-"),
        _device(2, "Catu daya (PSU) redundan", "CN-0PJMDN-17972", "Rusak Berat", "Diganti", "PSU mati total"),
    ]
    foto = foto or []
    rows = []
    for i in range(0, len(foto), 2):
        pair = foto[i:i + 2] + [("", "")] * (2 - len(foto[i:i + 2]))
        rows.append({"kiri": {"gambar": pair[0][0], "keterangan": pair[0][1]},
                     "kanan": {"gambar": pair[1][0], "keterangan": pair[1][1]}})
    return {
        "kop": {
            "pemerintah": "PEMERINTAH KABUPATEN KARANGANYAR",
            "dinas": "DINAS KOMUNIKASI DAN INFORMATIKA",
            "alamat": "Jalan Lawu Nomor 385, Karanganyar, Jawa Tengah 57712",
            "kontak": "Telepon (0271) 495039, Laman diskominfo.karanganyarkab.go.id, "
                      "Pos-el diskominfo@karanganyarkab.go.id",
            "logo": logo,
        },
        "kantor": {
            "kota": "Karanganyar", "dinas": "Dinas Komunikasi dan Informatika",
            "daerah": "Kabupaten Karanganyar", "bidang": "Bidang Tata Kelola Informatika",
            "pusat_data": "Ruang Server Pusat Data Dinas Komunikasi dan Informatika Kabupaten Karanganyar",
            "tim": "Tim Teknis Pusat Data",
        },
        "sop": {"nomor": "555/017/IV/2022", "tanggal": "8 April 2022"},
        "doc": {"nomor": "555/123/VI/2026", "tanggal": "15 Juni 2026"},
        "p": {
            "no_agenda": "0457", "perangkat_daerah": perangkat_daerah, "nomor_surat": "440/1187/2026",
            "hal": "Permohonan Pemeliharaan Server Aplikasi SIMPUS", "sifat": "Segera",
            "nama_server": "srv-dinkes-01", "alamat_ip": "10.10.20.15",
            "nama_domain": "simpus.karanganyarkab.go.id",
            "layanan_terdampak": "SIMPUS, Portal Dinas Kesehatan", "jenis_pemeliharaan": "Korektif",
            "uraian_pekerjaan": "Penggantian catu daya (PSU) yang rusak, pembaruan firmware, dan pemeriksaan "
                                "RAID.",
            "hasil_pemeriksaan": "Satu PSU tidak menyala; indikator RAID normal.",
            "hasil_pemeliharaan": "PSU telah diganti, firmware diperbarui, layanan SIMPUS berjalan normal.",
            "perangkat_diganti": "Ya" if penarikan else "Tidak",
            "isi_disposisi_kadis": "Mohon ditindaklanjuti sesuai SOP.",
            "isi_disposisi_kabid": "Lakukan pemeriksaan dan koordinasi dengan Dinas Kesehatan.",
        },
        "tgl": {k: "15 Juni 2026" for k in _STEPS},
        "hari": {k: "Senin, 15 Juni 2026" for k in _STEPS},
        "cek": {k: "☑" if k in _TICKED else "☐" for k in _BOXES},
        "ada": {"penarikan": penarikan, "foto": bool(foto)},
        "narahubung": {"nama": "Budi Santoso, S.Kom.", "nip": "NIP. 19800101 200501 1 001",
                       "jabatan": "Pranata Komputer Ahli Muda", "telepon": "0812-3456-7890"},
        "ttd": {
            "kadis": _signer("KEPALA DINAS KOMUNIKASI DAN INFORMATIKA\nKABUPATEN KARANGANYAR,",
                             "Drs. SUJARNO, M.Si.", "Pembina Utama Muda (IV/c)",
                             "NIP. 19630107 199003 1 004"),
            "kabid": _signer("Plt. KEPALA BIDANG TATA KELOLA INFORMATIKA,", "ANDI PRASETYO, S.T., M.T.",
                             "Pembina (IV/a)", "NIP. 19750505 200003 1 002"),
            "tim": _signer("KETUA TIM TEKNIS PUSAT DATA,", "RINA KURNIAWATI, S.Kom.", "Penata (III/c)",
                           "NIP. 19880202 201101 2 003"),
            "pd": _signer("PRANATA KOMPUTER AHLI MUDA\nDINAS KESEHATAN,", "BUDI SANTOSO, S.Kom.",
                          "Penata Tingkat I (III/d)", "NIP. 19800101 200501 1 001"),
        },
        "petugas": [
            {"no": "1", "nama": "Rina Kurniawati, S.Kom.", "nip": "NIP. 19880202 201101 2 003",
             "pangkat": "Penata (III/c)", "jabatan": "Pranata Komputer Ahli Pertama"},
            {"no": "2", "nama": "Agus Wibowo, A.Md.", "nip": DOTS, "pangkat": DOTS, "jabatan": "Teknisi"},
        ],
        "petugas_teks": "1. Rina Kurniawati, S.Kom.\n2. Agus Wibowo, A.Md.",
        "perangkat": devices,
        "perangkat_tarik": devices[1:] if penarikan else [],
        "henti": {"hari_tanggal": "Senin, 15 Juni 2026", "jam": "08.00 s.d. 12.00 WIB",
                  "waktu": "Senin, 15 Juni 2026 pukul 08.00 s.d. 12.00 WIB"},
        "layanan": ["SIMPUS (simpus.karanganyarkab.go.id)", "Portal Dinas Kesehatan"],
        "kontak": "Budi Santoso (0812-3456-7890)",
        "ba": {
            "pembukaan": "Pada hari ini Senin tanggal Lima Belas bulan Juni tahun Dua Ribu Dua Puluh Enam "
                         "(15-06-2026)",
            "lokasi": "Ruang Server Pusat Data Dinas Komunikasi dan Informatika Kabupaten Karanganyar",
            "waktu": "pukul 08.00 s.d. 12.00 WIB", "rangkap": "2 (dua)",
        },
        "laporan": {"simpulan": "Pemeliharaan berjalan lancar. Disarankan pemeriksaan PSU setiap triwulan."},
        "foto_baris": rows,
        "lampiran": ["Berita Acara Pekerjaan", "Formulir Pemeliharaan", "Dokumentasi foto"],
    }


Context = dict[str, Any] | Callable[[DocxTemplate], dict[str, Any]]


def render(template: Path, context: Context, out: Path) -> DocxDocument:
    """Render the way the pipeline does: sandboxed, strict, autoescaped; then read the result back.

    `context` may be a function of the template, for InlineImages (which must belong to it)."""
    tpl = DocxTemplate(io.BytesIO(template.read_bytes()))
    if callable(context):
        context = context(tpl)
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    tpl.render(context, jinja_env=env, autoescape=True)
    tpl.save(out)
    return docx.Document(str(out))


def all_text(document: DocxDocument) -> str:
    """Body text including every table cell, nested in document order."""
    body = document.element.body
    return "\n".join(Paragraph(p, document).text for p in body.iter(qn("w:p")))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {path.name: path for path in build_templates(folder)}


def test_builds_the_six_named_files(built: dict[str, Path]) -> None:
    assert sorted(built) == sorted([
        "lembar_disposisi.docx", "isian_kelengkapan.docx", "pengumuman.docx", "penarikan_perangkat.docx",
        "berita_acara.docx", "laporan.docx",
    ])
    assert list(TEMPLATE_NAMES) == [name for name in built]  # returned in SOP order


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_package_is_lean(built: dict[str, Path], name: str) -> None:
    path = built[name]
    assert 2_000 < path.stat().st_size < 30_000
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        styles = archive.read("word/styles.xml")
    assert names == {
        "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
        "word/styles.xml", "word/settings.xml", "docProps/core.xml",
    }
    assert len(styles) < 8_000
    assert b"latentStyles" not in styles


def test_building_twice_gives_identical_bytes(tmp_path: Path, clock: Callable[[datetime], None]) -> None:
    clock(CLOCKS[0])
    first = build_templates(tmp_path / "a")
    clock(CLOCKS[1])  # python-docx stamps zip entries with 'now': none of it may reach a template
    second = build_templates(tmp_path / "b")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
    with zipfile.ZipFile(first[0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2022-04-08T00:00:00Z" in core


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_shipped_templates_match_the_builder(name: str) -> None:
    shipped = Path(__file__).resolve().parent.parent / "templates_docx" / name
    # Compare contents, not zip bytes: another zlib may compress differently.
    assert _members(shipped.read_bytes()) == _members(template_bytes(name)), (
        f"templates_docx/{name} is stale: run build_templates(Path('templates_docx'))"
    )


def test_rebuilding_over_existing_files_leaves_no_temporaries(tmp_path: Path) -> None:
    build_templates(tmp_path)
    build_templates(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(TEMPLATE_NAMES)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_templates_are_readable_by_the_office_and_keep_their_mode(tmp_path: Path) -> None:
    first = build_templates(tmp_path)
    assert {stat.S_IMODE(p.stat().st_mode) for p in first} == {0o644}
    first[0].chmod(0o664)
    build_templates(tmp_path)
    assert stat.S_IMODE(first[0].stat().st_mode) == 0o664


def test_unknown_template_name_is_refused() -> None:
    with pytest.raises(KeyError, match="surat_tugas.docx"):
        template_bytes("surat_tugas.docx")


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_every_jinja_tag_sits_whole_in_one_run(built: dict[str, Path], name: str) -> None:
    document = docx.Document(str(built[name]))
    runs = [r for r in document.element.body.iter(qn("w:r"))]
    texts = ["".join(t.text or "" for t in r.iter(qn("w:t"))) for r in runs]
    tags = [t for t in texts if "{" in t or "}" in t]
    assert tags, "template has no tags"
    for text in tags:
        assert re.fullmatch(r"\{\{ [^{}]+ \}\}|\{%(p|tr) [^{}]+ %\}", text), text


def test_page_is_a4_with_the_naskah_dinas_margins(built: dict[str, Path]) -> None:
    for path in built.values():
        section = docx.Document(str(path)).sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        assert [round(m.cm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                         section.right_margin)] == [2.0, 2.0, 2.5, 2.0]


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_kop_opens_page_one_with_a_double_line(built: dict[str, Path], name: str) -> None:
    document = docx.Document(str(built[name]))
    kop = document.tables[0]
    right = kop.rows[0].cells[1]
    assert [p.text for p in right.paragraphs] == [
        "{{ kop.pemerintah }}", "{{ kop.dinas }}", "{{ kop.alamat }}", "{{ kop.kontak }}",
    ]
    assert kop.rows[0].cells[0].paragraphs[0].text == "{{ kop.logo }}"
    assert [r.font.size.pt for p in right.paragraphs for r in p.runs] == [14, 16, 10, 10]
    line = kop._element.getnext()
    assert line.xpath("./w:pPr/w:pBdr/w:bottom/@w:val") == ["thickThinSmallGap"]
    assert document.sections[0].header.is_linked_to_previous  # no page header at all


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_renders_strictly_with_escaping_intact(built: dict[str, Path], tmp_path: Path, name: str) -> None:
    document = render(built[name], sample_context(perangkat_daerah=TRICKY_PD), tmp_path / name)
    text = all_text(document)
    assert TRICKY_PD in text
    assert "{{" not in text and "{%" not in text
    assert "PEMERINTAH KABUPATEN KARANGANYAR" in text


def _rendered(built: dict[str, Path], tmp_path: Path, name: str, **kwargs: Any) -> str:
    return all_text(render(built[name], sample_context(**kwargs), tmp_path / name))


def test_lembar_disposisi_content(built: dict[str, Path], tmp_path: Path) -> None:
    text = _rendered(built, tmp_path, "lembar_disposisi.docx")
    for expected in ("LEMBAR DISPOSISI", "Surat dari\t:\tDinas Kesehatan", "No. Agenda\t:\t0457",
                     "☑ Segera", "☐ Sangat Segera", "☑\tKepala Bidang Tata Kelola Informatika",
                     "☑\tProses lebih lanjut", "Mohon ditindaklanjuti sesuai SOP.", "Drs. SUJARNO, M.Si.",
                     "NIP. 19630107 199003 1 004", "Rina Kurniawati, S.Kom.", "ANDI PRASETYO, S.T., M.T."):
        assert expected in text, expected


def test_signature_block_order_and_look(built: dict[str, Path], tmp_path: Path) -> None:
    document = render(built["pengumuman.docx"], sample_context(), tmp_path / "p.docx")
    lines = [p.text for p in document.paragraphs]
    start = lines.index("Karanganyar, 15 Juni 2026")
    block = lines[start:start + 9]
    assert block[1] == "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA\nKABUPATEN KARANGANYAR,"
    assert block[2:6] == ["", "", "", ""]
    assert block[6:9] == ["Drs. SUJARNO, M.Si.", "Pembina Utama Muda (IV/c)", "NIP. 19630107 199003 1 004"]
    name = document.paragraphs[start + 6].runs[0]
    assert name.bold and name.underline


def test_pengumuman_lists_each_service(built: dict[str, Path], tmp_path: Path) -> None:
    text = _rendered(built, tmp_path, "pengumuman.docx")
    assert "1.\tSIMPUS (simpus.karanganyarkab.go.id)\n2.\tPortal Dinas Kesehatan" in text
    assert "NOMOR 555/123/VI/2026" in text
    assert "Hari/Tanggal\t:\tSenin, 15 Juni 2026" in text and "Pukul\t:\t08.00 s.d. 12.00 WIB" in text


def test_device_rows_repeat_per_device(built: dict[str, Path], tmp_path: Path) -> None:
    document = render(built["isian_kelengkapan.docx"], sample_context(), tmp_path / "i.docx")
    devices = document.tables[1]
    assert [c.text for c in devices.rows[0].cells][:3] == ["No", "Nama Perangkat", "Merk/Tipe"]
    assert [row.cells[1].text for row in devices.rows[1:]] == ["Server aplikasi", "Catu daya (PSU) redundan"]
    assert devices.rows[2].cells[4].text == "1.3.2.10.02.04.001"


def test_penarikan_lists_only_withdrawn_devices(built: dict[str, Path], tmp_path: Path) -> None:
    document = render(built["penarikan_perangkat.docx"], sample_context(), tmp_path / "t.docx")
    devices = document.tables[1]
    assert len(devices.rows) == 2
    assert devices.rows[1].cells[1].text == "Catu daya (PSU) redundan"
    assert devices.rows[1].cells[8].text == "PSU mati total"
    text = all_text(document)
    for expected in ("Yang Menyerahkan,", "Yang Menerima,", "Mengetahui,", "RINA KURNIAWATI, S.Kom.",
                     "BUDI SANTOSO, S.Kom.", "ANDI PRASETYO, S.T., M.T."):
        assert expected in text, expected


def test_berita_acara_has_parties_checklist_and_closing(built: dict[str, Path], tmp_path: Path) -> None:
    text = _rendered(built, tmp_path, "berita_acara.docx")
    assert ("Pada hari ini Senin tanggal Lima Belas bulan Juni tahun Dua Ribu Dua Puluh Enam (15-06-2026), "
            "bertempat di Ruang Server") in text
    assert "Selanjutnya disebut PIHAK PERTAMA." in text and "Selanjutnya disebut PIHAK KEDUA." in text
    assert "Waktu Pelaksanaan\t:\tSenin, 15 Juni 2026 pukul 08.00 s.d. 12.00 WIB" in text
    assert all(item in text for item in CHECKLIST)
    assert "dalam rangkap 2 (dua) untuk dipergunakan sebagaimana mestinya." in text
    assert text.index("PIHAK KEDUA,") < text.index("PIHAK PERTAMA,") < text.index("Mengetahui,")


def test_side_by_side_signers_have_their_names_on_one_row(built: dict[str, Path], tmp_path: Path) -> None:
    document = render(built["berita_acara.docx"], sample_context(), tmp_path / "b.docx")
    outer = document.tables[-1]
    assert outer.rows[0]._tr.xpath("./w:trPr/w:cantSplit")  # the whole signature area stays on one page
    inner = outer.rows[0].cells[0].tables[0]
    roles, jabatan, names = ([c.text for c in row.cells] for row in inner.rows)
    assert roles == ["PIHAK KEDUA,", "PIHAK PERTAMA,"]
    assert jabatan == ["PRANATA KOMPUTER AHLI MUDA\nDINAS KESEHATAN,", "KETUA TIM TEKNIS PUSAT DATA,"]
    assert names[0].split("\n")[4:] == ["BUDI SANTOSO, S.Kom.", "Penata Tingkat I (III/d)",
                                         "NIP. 19800101 200501 1 001"]
    assert names[1].split("\n")[4] == "RINA KURNIAWATI, S.Kom."
    below = [p.text for p in outer.rows[0].cells[0].paragraphs]
    assert below[0] == "Karanganyar, 15 Juni 2026"
    assert below[-3:] == ["ANDI PRASETYO, S.T., M.T.", "Pembina (IV/a)", "NIP. 19750505 200003 1 002"]


def test_laporan_with_penarikan_and_photos(built: dict[str, Path], tmp_path: Path) -> None:
    photo = tmp_path / "foto.png"
    _png(photo)

    def context(tpl: DocxTemplate) -> dict[str, Any]:
        image = InlineImage(tpl, str(photo), width=Mm(40))
        return sample_context(foto=[(image, "Gambar 1. Rak server"), (image, "Gambar 2. PSU baru"),
                                    (image, "Gambar 3. Layanan normal")])

    document = render(built["laporan.docx"], context, tmp_path / "l.docx")
    text = all_text(document)
    for expected in ("A.\tPENDAHULUAN", "SOP Pemeliharaan Server Nomor 555/017/IV/2022", "E.\tPENUTUP",
                     "Terdapat perangkat yang diganti", "Catu daya (PSU) redundan Dell PowerEdge R740",
                     "Gambar 3. Layanan normal", "1.\tBerita Acara Pekerjaan", "3.\tDokumentasi foto",
                     "Diperiksa Kepala Bidang", "Drs. SUJARNO, M.Si."):
        assert expected in text, expected
    assert "Tidak ada foto dokumentasi." not in text
    assert "Tidak terdapat perangkat" not in text
    assert len(document.inline_shapes) == 3
    photos = document.tables[-1]
    assert len(photos.rows) == 2  # three photos, two per row


def test_laporan_without_penarikan_or_photos(built: dict[str, Path], tmp_path: Path) -> None:
    document = render(built["laporan.docx"], sample_context(penarikan=False), tmp_path / "l.docx")
    text = all_text(document)
    assert "Tidak terdapat perangkat yang diganti atau ditarik dari Pusat Data." in text
    assert "Tidak ada foto dokumentasi." in text
    assert "Terdapat perangkat yang diganti" not in text
    assert all(len(t.rows) for t in document.tables)  # the photo table is gone, not left empty


def test_kop_logo_renders_as_an_image(built: dict[str, Path], tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    _png(logo)

    def context(tpl: DocxTemplate) -> dict[str, Any]:
        return sample_context(logo=InlineImage(tpl, str(logo), width=Mm(20)))

    document = render(built["pengumuman.docx"], context, tmp_path / "p.docx")
    assert len(document.tables[0].rows[0].cells[0]._tc.xpath(".//w:drawing")) == 1


def _png(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (80, 60), (40, 110, 160)).save(path)


PAGES = {"lembar_disposisi.docx": 1, "pengumuman.docx": 1, "penarikan_perangkat.docx": 1,
         "berita_acara.docx": 2}


@pytest.fixture(scope="module")
def pdf_pages(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """The documents of PAGES rendered with the sample context and converted by one LibreOffice run (with a
    private profile, so parallel runs do not collide); their pages counted."""
    folder = tmp_path_factory.mktemp("halaman")
    for name in PAGES:
        render(built[name], sample_context(), folder / name)
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(folder / "pdf"), *(str(folder / name) for name in PAGES)],
        check=True, capture_output=True, timeout=180,
    )
    pdfs = {name: (folder / "pdf" / name).with_suffix(".pdf").read_bytes() for name in PAGES}
    return {name: len(re.findall(rb"/Type\s*/Page[^s]", pdf)) for name, pdf in pdfs.items()}


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize(("name", "pages"), PAGES.items())
def test_page_count_in_libreoffice(pdf_pages: dict[str, int], name: str, pages: int) -> None:
    assert pdf_pages[name] == pages
