"""The default templates: lean package, reproducible bytes, whole Jinja tags, and a strict render of each."""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import CLOCKS
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from PIL import Image

from pipeline.documents.catalog import document as document_spec
from pipeline.documents.context import Foto, FotoBaris, template_dict
from pipeline.documents.photos import ImageRef
from pipeline.documents.render import LoadedTemplate, render_bytes
from pipeline.documents.sample import sample_fields
from pipeline.documents.templates import TEMPLATE_NAMES, build_templates, template_bytes
from pipeline.documents.templates.blocks import SIGNATURE_CAPTION
from pipeline.documents.templates.pelaksanaan import CHECKLIST
from pipeline.monev.template import TEMPLATE_NAME as MONEV_TEMPLATE
from pipeline.monev.template import template_bytes as monev_template_bytes

TRICKY_PD = "PT Telkom & Co <Ltd>"
SAMPLE = sample_fields(date(2026, 6, 15))  # the one sample context (pipeline/documents/sample.py)


def photo(name: str, width_mm: float = 40) -> ImageRef:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (40, 110, 160)).save(buffer, "PNG")
    return ImageRef(Path(name), name.encode().hex()[:16], width_mm, data=buffer.getvalue())


def sample_context(name: str, *, perangkat_daerah: str = "", penarikan: bool = True,
                   foto: Sequence[ImageRef] | None = None, logo: ImageRef | None = None) -> dict[str, Any]:
    """The sample's fields of one document, varied the way a register would vary them."""
    fields = SAMPLE[Path(name).stem]
    if perangkat_daerah:
        fields = replace(fields, p={**fields.p, "perangkat_daerah": perangkat_daerah})
    if not penarikan:
        fields = replace(fields, ada=replace(fields.ada, penarikan=False), perangkat_tarik=[],
                         p={**fields.p, "perangkat_diganti": "Tidak"})
    if foto is not None:
        rows = [FotoBaris(kiri=_foto(foto, i), kanan=_foto(foto, i + 1)) for i in range(0, len(foto), 2)]
        lampiran = [x for x in fields.lampiran if not x.startswith("Dokumentasi foto")]
        fields = replace(fields, foto_baris=rows, ada=replace(fields.ada, foto=bool(foto)),
                         lampiran=lampiran + ([f"Dokumentasi foto ({len(foto)} foto)"] if foto else []))
    if logo is not None:
        fields = replace(fields, kop=replace(fields.kop, logo=logo))
    return template_dict(fields)  # type: ignore[no-any-return]


def _foto(photos: Sequence[ImageRef], i: int) -> Foto:
    if i >= len(photos):
        return Foto(gambar="", keterangan="")
    return Foto(gambar=photos[i], keterangan=f"Gambar {i + 1}. {photos[i].path.stem[3:]}")


def render(template: Path, context: dict[str, Any], out: Path) -> DocxDocument:
    """Render the way the pipeline does (sandboxed, strict, autoescaped, pictures bound), read it back."""
    spec = document_spec(template.stem)
    data = template.read_bytes()
    out.write_bytes(render_bytes(LoadedTemplate(spec, template, data, "x"), context))
    return docx.Document(str(out))


def all_text(document: DocxDocument) -> str:
    """Body text including every table cell, nested in document order."""
    body = document.element.body
    return "\n".join(Paragraph(p, document).text for p in body.iter(qn("w:p")))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {path.name: path for path in build_templates(folder)}


# The six documents' templates and the monev report's: every rule of a naskah dinas holds for all seven.
EVERY = (*TEMPLATE_NAMES, MONEV_TEMPLATE)


@pytest.fixture(scope="module")
def every(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    monev = tmp_path_factory.mktemp("monev") / MONEV_TEMPLATE
    monev.write_bytes(monev_template_bytes())
    return {**built, MONEV_TEMPLATE: monev}


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
        "word/styles.xml", "word/settings.xml", "docProps/core.xml", "word/footer1.xml",
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


@pytest.mark.parametrize("name", EVERY)
def test_every_jinja_tag_sits_whole_in_one_run(every: dict[str, Path], name: str) -> None:
    document = docx.Document(str(every[name]))
    runs = [r for r in document.element.body.iter(qn("w:r"))]
    texts = ["".join(t.text or "" for t in r.iter(qn("w:t"))) for r in runs]
    tags = [t for t in texts if "{" in t or "}" in t]
    assert tags, "template has no tags"
    for text in tags:
        assert re.fullmatch(r"\{\{ [^{}]+ \}\}|\{%(p|tr) [^{}]+ %\}", text), text


def test_page_is_a4_with_the_naskah_dinas_margins(every: dict[str, Path]) -> None:
    assert len(every) == 7
    for path in every.values():
        section = docx.Document(str(path)).sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        assert [round(m.cm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                         section.right_margin)] == [2.0, 2.0, 2.5, 2.0]


@pytest.mark.parametrize("name", EVERY)
def test_kop_opens_page_one_with_a_double_line(every: dict[str, Path], name: str) -> None:
    document = docx.Document(str(every[name]))
    kop = document.tables[0]
    names = ["{{ kop.pemerintah }}", "{{ kop.dinas }}", "{{ kop.alamat }}", "{{ kop.kontak }}"]
    # With a logo: the lambang beside the names; without: the names centred on the whole width.
    assert [kop.rows[i].cells[0].text for i in (0, 2, 4)] == ["{%tr if kop.logo %}", "{%tr else %}",
                                                               "{%tr endif %}"]
    right, whole = kop.rows[1].cells[1], kop.rows[3].cells[0]
    assert kop.rows[1].cells[0].paragraphs[0].text == "{{ kop.logo }}"
    assert [p.text for p in right.paragraphs] == [p.text for p in whole.paragraphs] == names
    assert round(whole.width.cm, 1) == 16.5
    assert [r.font.size.pt for p in right.paragraphs for r in p.runs] == [14, 16, 10, 10]
    line = kop._element.getnext()
    assert line.xpath("./w:pPr/w:pBdr/w:bottom/@w:val") == ["thickThinSmallGap"]
    assert document.sections[0].header.is_linked_to_previous  # no page header at all


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_renders_strictly_with_escaping_intact(built: dict[str, Path], tmp_path: Path, name: str) -> None:
    document = render(built[name], sample_context(name, perangkat_daerah=TRICKY_PD), tmp_path / name)
    text = all_text(document)
    assert TRICKY_PD in text
    assert "{{" not in text and "{%" not in text
    assert "PEMERINTAH KABUPATEN KARANGANYAR" in text


def _rendered(built: dict[str, Path], tmp_path: Path, name: str, **kwargs: Any) -> str:
    return all_text(render(built[name], sample_context(name, **kwargs), tmp_path / name))


def test_lembar_disposisi_content(built: dict[str, Path], tmp_path: Path) -> None:
    text = _rendered(built, tmp_path, "lembar_disposisi.docx")
    for expected in ("LEMBAR DISPOSISI", "Surat dari\t:\tDinas Kesehatan", "No. Agenda\t:\t017",
                     "☑ Segera", "☐ Sangat Segera", "☑\tKepala Bidang Tata Kelola Informatika",
                     "☑\tProses lebih lanjut", "Mohon ditindaklanjuti sesuai SOP.", SAMPLE_KADIS.nama,
                     SAMPLE_KADIS.nip, "1. Andi Prasetyo, S.T.", SAMPLE["lembar_disposisi"].ttd.kabid.nama):
        assert expected in text, expected


SAMPLE_KADIS = SAMPLE["pengumuman"].ttd.kadis


def signature_area(document: DocxDocument) -> Any:
    """The table captioned 'Tanda tangan' (signatures.signature_area)."""
    return next(t for t in document.tables
                if t._tbl.xpath("./w:tblPr/w:tblCaption/@w:val") == [SIGNATURE_CAPTION])


def test_signature_block_order_and_look(built: dict[str, Path], tmp_path: Path) -> None:
    document = render(built["pengumuman.docx"], sample_context("pengumuman"), tmp_path / "p.docx")
    area = signature_area(document)
    assert area._tbl is document.tables[-1]._tbl
    assert area.rows[0]._tr.xpath("./w:trPr/w:cantSplit")  # no page break inside the signature
    # The closing and the text's last paragraph come before it, each kept with the next.
    body = document.paragraphs
    assert body[-1].text.startswith("Demikian pengumuman ini disampaikan")
    assert body[-2].text.startswith("Layanan akan kembali normal")
    assert body[-1].paragraph_format.keep_with_next and body[-2].paragraph_format.keep_with_next
    paragraphs = area.rows[0].cells[0].paragraphs
    block = [p.text for p in paragraphs]
    assert block[0] == "Karanganyar, 12 Juni 2026"
    assert block[1] == "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA\nKABUPATEN KARANGANYAR,"
    assert block[2:6] == ["", "", "", ""]
    assert block[6:9] == [SAMPLE_KADIS.nama, SAMPLE_KADIS.pangkat, SAMPLE_KADIS.nip]
    assert SAMPLE_KADIS.pangkat.endswith(")") and SAMPLE_KADIS.nip.startswith("NIP. ")
    name = paragraphs[6].runs[0]
    assert name.bold and name.underline
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[:-1])


def test_pengumuman_lists_each_service(built: dict[str, Path], tmp_path: Path) -> None:
    text = _rendered(built, tmp_path, "pengumuman.docx")
    assert "1.\tSIMPUS\n2.\tAntrean Online" in text
    # The sample has one domain for its two services: it follows them, as written (lower case).
    assert "PENGHENTIAN SEMENTARA LAYANAN SIMPUS DAN ANTREAN ONLINE (simpus.karanganyarkab.go.id)" in text
    assert "Alamat Layanan\t:\tsimpus.karanganyarkab.go.id" in text
    # The telephone never breaks: a non-breaking space inside it.
    assert "menghubungi Andi Prasetyo, S.T. (Tim Teknis Pusat Data), telepon (0271)\u00a0495039." in text
    assert "NOMOR 555/044/VI/2026" in text
    assert "Hari/Tanggal\t:\tSenin, 15 Juni 2026" in text and "Pukul\t:\t08.00 s.d. 12.00 WIB" in text


def test_device_rows_repeat_per_device(built: dict[str, Path], tmp_path: Path) -> None:
    document = render(built["isian_kelengkapan.docx"], sample_context("isian_kelengkapan"),
                      tmp_path / "i.docx")
    devices = document.tables[1]
    assert [c.text for c in devices.rows[0].cells][:3] == ["No", "Nama Perangkat", "Merek/Tipe"]
    assert [row.cells[1].text for row in devices.rows[1:]] == ["Server aplikasi", "Catu daya (PSU) redundan",
                                                              "UPS"]
    # Serial number over kode barang; no break inside: a word joiner after each '-'.
    assert devices.rows[2].cells[4].text == "CN-\u20600PJMDN-\u206017972\n1.3.2.10.02.04.002"


def test_penarikan_lists_only_withdrawn_devices(built: dict[str, Path], tmp_path: Path) -> None:
    document = render(built["penarikan_perangkat.docx"], sample_context("penarikan_perangkat"),
                      tmp_path / "t.docx")
    devices = document.tables[1]
    assert len(devices.rows) == 2  # the UPS whose battery was replaced stays in the data centre: not here
    assert devices.rows[1].cells[1].text == "Catu daya (PSU) redundan"
    assert devices.rows[1].cells[7].text == "PSU mati total"
    text = all_text(document)
    ttd = SAMPLE["penarikan_perangkat"].ttd
    for expected in ("Yang Menyerahkan,", "Yang Menerima,", "Mengetahui,", ttd.tim.nama, ttd.pd.nama,
                     ttd.kabid.nama):
        assert expected in text, expected


def test_berita_acara_has_parties_checklist_and_closing(built: dict[str, Path], tmp_path: Path) -> None:
    text = _rendered(built, tmp_path, "berita_acara.docx")
    assert ("Pada hari ini Senin tanggal Lima Belas bulan Juni tahun Dua Ribu Dua Puluh Enam (15-06-2026), "
            "bertempat di Ruang Server") in text
    assert "Selanjutnya disebut PIHAK PERTAMA." in text and "Selanjutnya disebut PIHAK KEDUA." in text
    assert "Waktu Pelaksanaan\t:\tSenin, 15 Juni 2026 pukul 08.00 s.d. 12.00 WIB" in text
    assert all(item.replace("*", "") in text for item in CHECKLIST)  # blank: no sheet Pemeriksaan
    assert "dalam rangkap 2 (dua) untuk dipergunakan sebagaimana mestinya." in text
    assert text.index("PIHAK KEDUA,") < text.index("PIHAK PERTAMA,") < text.index("Mengetahui,")


def test_side_by_side_signers_have_their_names_on_one_row(built: dict[str, Path], tmp_path: Path) -> None:
    document = render(built["berita_acara.docx"], sample_context("berita_acara"), tmp_path / "b.docx")
    ttd = SAMPLE["berita_acara"].ttd
    outer = signature_area(document)
    assert outer.rows[0]._tr.xpath("./w:trPr/w:cantSplit")  # the whole signature area stays on one page
    inner = outer.rows[0].cells[0].tables[0]
    roles, jabatan, names = ([c.text for c in row.cells] for row in inner.rows)
    assert roles == ["PIHAK KEDUA,", "PIHAK PERTAMA,"]
    assert jabatan == [ttd.pd.jabatan, ttd.tim.jabatan]
    assert names[0].split("\n")[3] == ttd.pd.nama  # three lines to sign on a form signed by three
    assert names[1].split("\n")[3:] == [ttd.tim.nama, ttd.tim.pangkat, ttd.tim.nip]
    area = [p.text for p in outer.rows[0].cells[0].paragraphs]
    assert area[0] == "Karanganyar, 15 Juni 2026"
    assert area[-3:] == [ttd.kabid.nama, ttd.kabid.pangkat, ttd.kabid.nip]
    # Before it: the formula and the text's last paragraph, kept with it.
    closing = [p for p in document.paragraphs if p.text.startswith("Demikian Berita Acara ini dibuat")][0]
    before = closing._p.getprevious()
    assert "Formulir Pemeliharaan Server yang menjadi lampiran" in Paragraph(before, document).text
    assert closing.paragraph_format.keep_with_next
    assert Paragraph(before, document).paragraph_format.keep_with_next


def test_laporan_with_penarikan_and_photos(built: dict[str, Path], tmp_path: Path) -> None:
    photos = [photo("01 Rak server.png"), photo("02 PSU baru.png"), photo("03 Layanan normal.png")]
    document = render(built["laporan.docx"], sample_context("laporan", foto=photos), tmp_path / "l.docx")
    text = all_text(document)
    for expected in ("A.\tPENDAHULUAN", "SOP Pemeliharaan Server Nomor 555/017/IV/2022", "E.\tPENUTUP",
                     "Terdapat perangkat yang diganti", "Catu daya (PSU) redundan Dell 750 W",
                     "Gambar 3. Layanan normal", "1.\tBerita Acara Pekerjaan", "Diperiksa Kepala Bidang",
                     "Direviu Kepala Dinas", "DOKUMENTASI"):
        assert expected in text, expected
    assert "Tidak terdapat perangkat" not in text
    assert len(document.inline_shapes) == 3
    photo_rows = document.tables[-1]
    assert len(photo_rows.rows) == 2  # three photos, two per row


def test_laporan_without_penarikan_or_photos(built: dict[str, Path], tmp_path: Path) -> None:
    context = sample_context("laporan", penarikan=False, foto=[])
    document = render(built["laporan.docx"], context, tmp_path / "l.docx")
    text = all_text(document)
    assert "Tidak terdapat perangkat yang diganti atau ditarik dari Pusat Data." in text
    # No photos, no page of documentation (the request has a warning instead).
    assert "DOKUMENTASI" not in text and "Dokumentasi foto" not in text
    assert not any(p.paragraph_format.page_break_before for p in document.paragraphs)
    assert "Terdapat perangkat yang diganti" not in text
    assert all(len(t.rows) for t in document.tables)  # the photo table is gone, not left empty


def test_kop_logo_renders_as_an_image(built: dict[str, Path], tmp_path: Path) -> None:
    context = sample_context("pengumuman", logo=photo("logo.png", 20))
    document = render(built["pengumuman.docx"], context, tmp_path / "p.docx")
    assert len(document.tables[0].rows[0].cells[0]._tc.xpath(".//w:drawing")) == 1


# The lembar disposisi is a form: signed in its boxes.
@pytest.mark.parametrize("name", [n for n in EVERY if n != "lembar_disposisi.docx"])
def test_every_signer_is_in_a_captioned_area_that_never_splits(every: dict[str, Path], name: str) -> None:
    """Every '{{ ttd.*.nama }}' sits in a one-row table captioned 'Tanda tangan', which may not split
    across pages (the monev report once built its own area, without the caption)."""
    document = docx.Document(str(every[name]))
    body = document.element.body
    # A signature's name is a paragraph of its own ('Nama : {{ ttd.tim.nama }}' in a text is not one).
    def text(paragraph: Any) -> str:
        return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
    names = [p for p in body.iter(qn("w:p")) if re.fullmatch(r"\{\{ ttd\.\w+\.nama \}\}", text(p))]
    areas = [t._tbl for t in document.tables
             if t._tbl.xpath("./w:tblPr/w:tblCaption/@w:val") == [SIGNATURE_CAPTION]]
    assert names and areas
    assert all(any(area in t.iterancestors() for area in areas) for t in names)
    assert all(area.xpath("./w:tr/w:trPr/w:cantSplit") for area in areas)


def test_check_box_fields_print_with_the_symbol_font(every: dict[str, Path]) -> None:
    """☐/☑ from a field print in a font that has them: the laporan's '{{ cek.… }}', the monev form's."""
    from pipeline.documents.templates.blocks import SYMBOL_FONT
    for name, tag in (("isian_kelengkapan.docx", "{{ cek.preventif }}"), (MONEV_TEMPLATE, "{{ m.baik }}")):
        runs = [r for r in docx.Document(str(every[name])).element.body.iter(qn("w:r"))
                if "".join(t.text or "" for t in r.iter(qn("w:t"))) == tag]
        assert runs, (name, tag)
        assert {r.xpath("./w:rPr/w:rFonts/@w:ascii")[0] for r in runs} == {SYMBOL_FONT}
