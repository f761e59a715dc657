"""A clerk's working day: what to print (the 'Perlu dicetak' list in REKAP.xlsx and at the end of `run`),
REKAP's colours and title, the summary per request, 'Perbarui Dokumen.bat', and Indonesian help texts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import PENGATURAN, at_step, device, request, write_register

from pipeline.cli import cli
from pipeline.outbox import cetak
from pipeline.outbox.archive import archive_requests
from pipeline.process import RunReport, process
from pipeline.settings import Settings

TODAY = date(2026, 7, 21)
FOLDER = "2026/017 - Dinas Kesehatan"
DISPOSISI = f"{FOLDER}/01 Lembar Disposisi.docx"


def run(office: Path, today: date = TODAY, **sheets: object) -> RunReport:
    if sheets:
        write_register(office / "inbox" / "register.xlsx", **sheets)  # type: ignore[arg-type]
    return process(Settings.build(root=office, today=today, workers=1))


def to_print(office: Path) -> list[tuple[object, ...]]:
    """Sheet 'Perlu dicetak' of REKAP.xlsx: (No. Agenda, Dokumen, Alasan, Catatan) per row."""
    ws = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")["Perlu dicetak"]
    return [(r[0], r[2], r[3], r[7]) for r in ws.iter_rows(min_row=3, values_only=True)]


# --- Perlu dicetak ---------------------------------------------------------------------------------------


def test_new_documents_are_listed_with_why_and_links_that_resolve(office: Path) -> None:
    report = run(office, permohonan=[at_step(1, Henti_Mulai=None, Henti_Selesai=None)])
    assert [(i.path, i.reason) for i in report.to_print] == [(DISPOSISI, "dokumen baru")]
    wb = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")
    ws = wb["Perlu dicetak"]
    assert [c.value for c in ws[2]] == ["No. Agenda", "Perangkat Daerah", "Dokumen", "Alasan", "Waktu",
                                        "Folder", "Status", "Catatan", "Register"]
    row = ws[3]
    assert [c.value for c in row][:4] == ["017", "Dinas Kesehatan", "01 Lembar Disposisi.docx",
                                          "dokumen baru"]
    links = [row[2].hyperlink.target, row[5].hyperlink.target, row[6].hyperlink.target]
    # Relative to REKAP.xlsx, so they work on a mapped drive and on \\server\share alike.
    assert links == ["2026/017%20-%20Dinas%20Kesehatan/01%20Lembar%20Disposisi.docx",
                     "2026/017%20-%20Dinas%20Kesehatan/", "2026/017%20-%20Dinas%20Kesehatan/STATUS.txt"]
    for target in links:
        assert not target.startswith(("/", "file:")) and (office / "outbox" / unquote(target)).exists()
    title = wb["Rekap"]["A1"].value
    assert "Perlu dicetak: 1 dokumen (sheet 'Perlu dicetak')." in title
    assert " oleh " in title and "Diperbarui " in title


def test_the_list_grows_until_the_clerk_clears_it(office: Path) -> None:
    run(office, permohonan=[at_step(1, Henti_Mulai=None, Henti_Selesai=None)])
    # A new step brings a new document; the Disposisi's values changed too (Kadis's disposition date).
    report = run(office, permohonan=[at_step(4, Henti_Mulai=None, Henti_Selesai=None)])
    assert [(i.name, i.reason) for i in report.to_print] == [
        ("01 Lembar Disposisi.docx", "isian berubah"), ("02 Formulir Isian Kelengkapan.docx", "dokumen baru")]
    # Not printed yet: the Disposisi stays 'dokumen baru' on the clerk's list, listed once.
    assert to_print(office) == [("017", "01 Lembar Disposisi.docx", "dokumen baru", None),
                                ("017", "02 Formulir Isian Kelengkapan.docx", "dokumen baru", None)]
    result = CliRunner().invoke(cli, ["cetak", "-C", str(office), "--selesai"])
    assert result.exit_code == 0, result.output
    assert "Daftar Perlu dicetak dikosongkan (2 dokumen)." in result.output
    assert to_print(office) == [(None, "Tidak ada dokumen yang perlu dicetak.", None, None)]
    assert cetak.load_list(office / "outbox").cleared
    report = run(office, permohonan=[at_step(4, Henti_Mulai=None, Henti_Selesai=None, Hal="SIMPUS baru")])
    assert [(i.name, i.reason) for i in report.to_print] == [("01 Lembar Disposisi.docx", "isian berubah")]
    assert to_print(office) == [("017", "01 Lembar Disposisi.docx", "isian berubah", None)]
    sheet = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")["Perlu dicetak"]
    assert "sejak daftar dikosongkan" in sheet["A1"].value


def test_a_changed_template_is_the_reason(office: Path) -> None:
    run(office, permohonan=[at_step(1, Henti_Mulai=None, Henti_Selesai=None)])
    from docx import Document
    path = office / "templates_docx" / "lembar_disposisi.docx"
    doc = Document(str(path))
    doc.add_paragraph("Catatan kaki baru.")
    doc.save(str(path))
    report = run(office)
    assert [(i.name, i.reason) for i in report.to_print] == [("01 Lembar Disposisi.docx", "templat berubah")]


def test_a_document_changed_after_archiving_is_flagged(office: Path) -> None:
    report = run(office, permohonan=[request()], perangkat=[device()])
    archive_requests(Settings.build(root=office, today=TODAY), report.validations)
    CliRunner().invoke(cli, ["cetak", "-C", str(office), "--selesai"])
    report = run(office, permohonan=[request(Hasil_Pemeliharaan="Normal kembali.")], perangkat=[device()])
    assert [(i.name, i.archived) for i in report.to_print] == [("05 Berita Acara Pekerjaan.docx", True),
                                                              ("06 Laporan Hasil Pelaksanaan.docx", True)]
    assert {row[3] for row in to_print(office)} == {cetak.ARCHIVED_NOTE}


def test_run_ends_with_the_list_and_a_noop_run_leaves_rekap_alone(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx",
                   permohonan=[at_step(4, Henti_Mulai=None, Henti_Selesai=None)])
    args = ["run", "-C", str(office), "--today", "2026-07-21", "--no-progress"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-5:] == [
        "Perlu dicetak dari putaran ini (2 dokumen baru atau berubah):",
        "  outbox/2026/017 - Dinas Kesehatan/",
        "      01 Lembar Disposisi.docx (dokumen baru)",
        "      02 Formulir Isian Kelengkapan.docx (dokumen baru)",
        "Setelah semuanya dicetak, kosongkan daftarnya: sop-pipeline cetak --selesai"]
    rekap = office / "outbox" / "REKAP.xlsx"
    before = rekap.read_bytes()
    again = CliRunner().invoke(cli, args)
    assert "Perlu dicetak dari putaran ini: tidak ada dokumen baru atau berubah." in again.output
    assert "Semua yang perlu dicetak sejak daftar dikosongkan: 2 dokumen" in again.output
    assert rekap.read_bytes() == before  # 'Diperbarui' is the time of the last change, not of every run


# --- REKAP: colours ----------------------------------------------------------------------------------------


def test_keadaan_is_red_amber_or_green(office: Path) -> None:
    rows = [request(),  # done on time: green
            at_step(3, No_Agenda="018"),  # step 4 was due 9 July: overdue, red
            at_step(3, No_Agenda="019", Tgl_Disposisi_Kabid=date(2026, 7, 20)),  # step 4 due today: amber
            at_step(2, No_Agenda="020", Tanggal_Diterima=date(2026, 7, 30))]  # in the future: galat, red
    run(office, permohonan=rows, perangkat=[device()])
    ws = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")["Rekap"]
    head = [c.value for c in ws[2]]
    keadaan = head.index("Keadaan")
    fills = {r[1].value: r[keadaan].fill.fgColor.rgb[-6:] for r in ws.iter_rows(min_row=3)}
    assert fills == {"017": "C6EFCE", "018": "F8CBAD", "019": "FFE699", "020": "F8CBAD"}
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:{ws.cell(2, len(head)).column_letter}6"
    assert ws.print_title_rows == "$2:$2"
    assert ws.column_dimensions["B"].width == len("No. Agenda") + 2  # fitted to what it holds


# --- the summary per request --------------------------------------------------------------------------


def test_check_prints_one_line_per_request_unless_rinci(office: Path) -> None:
    rows = [at_step(2, No_Agenda=f"{n:03d}", Tgl_Disposisi_Kadis=date(2026, 7, 9)) for n in range(1, 31)]
    write_register(office / "inbox" / "register.xlsx", permohonan=rows)
    result = CliRunner().invoke(cli, ["check", "-C", str(office), "--today", "2026-07-21"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("GALAT = kesalahan di register")  # the word explained before it is used
    per_request = [line for line in lines if line.startswith("No. Agenda ")]
    assert len(per_request) == 30 and len(lines) == 33
    assert per_request[0].startswith(
        "No. Agenda 001 (register.xlsx) 2 peringatan: Sheet 'Permohonan', baris 2")
    assert lines[-1] == "30 permohonan diperiksa: 0 galat, 60 peringatan."
    full = CliRunner().invoke(cli, ["check", "-C", str(office), "--today", "2026-07-21", "--rinci"])
    assert full.output.count("Yang perlu dilakukan:") == 60


# --- one PDF of the run's documents ---------------------------------------------------------------------


def blank_pdf(path: Path, pages: int) -> None:
    from pypdf import PdfWriter
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer.write(fh)


def test_combined_pdf_keeps_the_order_and_never_overwrites(tmp_path: Path) -> None:
    from datetime import datetime

    from pypdf import PdfReader
    outbox = tmp_path / "outbox"
    docs = [outbox / "2026" / "9 - B" / "01 X.docx", outbox / "2026" / "10 - A" / "01 X.docx",
            outbox / "2026" / "10 - A" / "05 Y.docx"]
    for doc, pages in zip(docs, (1, 3, 2), strict=True):
        blank_pdf(doc.with_suffix(".pdf"), pages)
    now = datetime(2026, 7, 21, 10, 15)
    first = cetak.combine_pdfs(docs, outbox, now)
    assert first.path == outbox / "cetak" / "2026-07-21 10.15.pdf"
    assert (first.pages, first.documents) == (6, 3) and len(PdfReader(first.path).pages) == 6
    widths = [p.mediabox.width for p in PdfReader(first.path).pages]
    assert widths == [595] * 6
    data = first.path.read_bytes()
    docs[0].with_suffix(".pdf").unlink()  # a document whose PDF is missing is left out, and said so
    second = cetak.combine_pdfs(docs, outbox, now)
    assert second.path == outbox / "cetak" / "2026-07-21 10.15 (2).pdf"
    assert (second.pages, second.missing) == (5, (docs[0],))
    assert first.path.read_bytes() == data


@pytest.mark.soffice
def test_run_pdf_makes_one_pdf_whose_pages_are_the_documents_pages(office: Path) -> None:
    from pypdf import PdfReader
    from test_register import soffice
    soffice()
    write_register(office / "inbox" / "register.xlsx",
                   permohonan=[at_step(4, Henti_Mulai=None, Henti_Selesai=None)])
    report = process(Settings.build(root=office, today=TODAY, workers=1, pdf=True))
    assert report.combined is not None and report.combined.path is not None
    assert report.combined.path.parent == office / "outbox" / "cetak"
    parts = [office / "outbox" / item.path for item in report.to_print]
    assert [p.name for p in parts] == ["01 Lembar Disposisi.docx", "02 Formulir Isian Kelengkapan.docx"]
    pages = [len(PdfReader(p.with_suffix(".pdf")).pages) for p in parts]
    combined = PdfReader(report.combined.path)
    assert len(combined.pages) == sum(pages) == report.combined.pages
    first_text = combined.pages[0].extract_text()
    assert "DISPOSISI" in first_text.upper()  # request and step order: the Disposisi comes first


# --- hints that match the situation ------------------------------------------------------------------------


def test_settings_hint_fills_an_empty_row_and_adds_a_missing_one(tmp_path: Path) -> None:
    from pipeline.office.workbook import write_register as blank_register
    from pipeline.register.reader import read_register
    blank = read_register(blank_register(tmp_path / "kosong.xlsx"))
    dinas = next(p for p in blank.problems if "'Nama Dinas'" in p.message)
    assert (dinas.row, dinas.column) == (3, "Nilai")
    assert dinas.hint == "Isi kolom Nilai di baris 3 ('Nama Dinas'), mis. 'Dinas Komunikasi dan Informatika'."
    pengaturan = {k: v for k, v in PENGATURAN.items() if k != "Nama Dinas"}
    path = write_register(tmp_path / "tanpa-baris.xlsx", permohonan=[request()], pengaturan=pengaturan)
    missing = next(p for p in read_register(path).problems if "'Nama Dinas'" in p.message)
    assert missing.row is None
    assert missing.hint == ("Tambahkan baris 'Nama Dinas' dengan nilainya, "
                            "mis. 'Dinas Komunikasi dan Informatika'.")


# --- the register init writes ----------------------------------------------------------------------------


def test_blank_register_keeps_number_like_text_and_checks_dates(tmp_path: Path) -> None:
    from pipeline.office.workbook import write_register as blank_register
    wb = openpyxl.load_workbook(blank_register(tmp_path / "register.xlsx"))

    def formats(sheet: str) -> dict[str, str]:
        ws = wb[sheet]
        return {c.value: ws.cell(500, c.column).number_format for c in ws[1]}
    permohonan, perangkat, pegawai = formats("Permohonan"), formats("Perangkat"), formats("Pegawai")
    for header in ("No. Agenda", "NIP Narahubung", "Telepon Narahubung", "Nomor Surat", "Nomor BA",
                   "Alamat IP"):
        assert permohonan[header] == "@", header
    for header in ("No. Agenda", "Nomor Seri", "Kode Barang", "Lokasi Rak"):
        assert perangkat[header] == "@", header
    assert pegawai["NIP"] == "@" and permohonan["Tanggal Diterima"] == "DD/MM/YYYY"
    checked = {str(dv.sqref): dv.type for dv in wb["Permohonan"].data_validations.dataValidation}
    head = [c.value for c in wb["Permohonan"][1]]
    letter = openpyxl.utils.get_column_letter(head.index("Tgl Selesai") + 1)
    assert checked[f"{letter}2:{letter}1000"] == "date"
    guide = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)
    assert "Satu register untuk semua tahun, atau satu register per tahun" in guide
    assert "register-2027.xlsx" in guide
