"""A clerk's working day: what to print (the 'Perlu dicetak' list in REKAP.xlsx and at the end of `run`),
REKAP's colours and title, the summary per request, 'Perbarui Dokumen.bat', and Indonesian help texts."""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import PENGATURAN, add_photo, at_step, device, request, write_register

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
    assert [c.value for c in ws[2]] == ["No. Agenda", "Perangkat Daerah", "Dokumen", "Alasan", "Sejak",
                                        "Folder", "Status", "Catatan", "Register"]
    assert ws.oddHeader.center.text == "&BDOKUMEN PERLU DICETAK per 21 Juli 2026&B"  # printed: titled
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
    add_photo(office)  # done without photos would be a warning
    run(office, permohonan=rows, perangkat=[device()])
    ws = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")["Rekap"]
    head = [c.value for c in ws[2]]
    keadaan = head.index("Keadaan")
    fills = {r[1].value: r[keadaan].fill.fgColor.rgb[-6:] for r in ws.iter_rows(min_row=3)}
    assert fills == {"017": "C6EFCE", "018": "F8CBAD", "019": "FFE699", "020": "F8CBAD"}
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:{ws.cell(2, len(head)).column_letter}6"
    assert ws.print_title_rows == "$2:$2"
    assert ws.column_dimensions["B"].width <= len("No. Agenda") + 2  # fitted to what it holds, at most


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


# --- the watcher's heartbeat ----------------------------------------------------------------------------


def test_pemantau_txt_says_when_the_watcher_last_looked_and_when_it_stopped(tmp_path: Path) -> None:
    from datetime import datetime

    from pipeline.watch.heartbeat import Heartbeat
    beat = Heartbeat(tmp_path, rescan_interval=300)
    beat.beat(datetime(2026, 7, 21, 10, 15))
    text = (tmp_path / "PEMANTAU.txt").read_text(encoding="utf-8")
    assert "Pemeriksaan terakhir: 21 Juli 2026 pukul 10.15." in text
    assert "paling lambat setiap 5 menit" in text and "lebih dari 10 menit yang lalu" in text
    beat.stopped(datetime(2026, 7, 21, 17, 0))
    text = (tmp_path / "PEMANTAU.txt").read_text(encoding="utf-8")
    assert text.startswith("Pemantau sop-pipeline BERHENTI pada 21 Juli 2026 pukul 17.00")


# --- the command line in Indonesian -------------------------------------------------------------------------

ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Error:", "No such", "Missing", "Try '",
           "Invalid value", "Got unexpected", "[OPTIONS]", "COMMAND", "DIRECTORY", ", version ")


def test_every_help_is_indonesian_with_an_example() -> None:
    for args in ([], *([name] for name in cli.commands)):  # type: ignore[attr-defined]
        result = CliRunner().invoke(cli, [*args, "--help"], prog_name="sop-pipeline")
        assert result.exit_code == 0, args
        assert result.output.startswith("Cara pakai: sop-pipeline"), args
        assert "Contoh:\n" in result.output and "Opsi:\n" in result.output, args
        assert "Tampilkan bantuan ini lalu keluar." in result.output
        for word in ENGLISH:
            assert word not in result.output, (args, word)
        assert ".." not in result.output.replace("...", ""), args


@pytest.mark.parametrize(("args", "expected"), [
    (["run", "--bogus"], "Perintah salah: Opsi '--bogus' tidak ada."),
    (["check", "--today", "kemarin"], "Perintah salah: Nilai '--today' tidak sah: 'kemarin' bukan tanggal"),
    (["bogus"], "Perintah salah: Perintah 'bogus' tidak ada."),
    (["fields", "a", "b"], "Perintah salah: Argumen berlebih: b"),
    (["watch", "--observer", "x"], "Perintah salah: Nilai '--observer' tidak sah: 'x' bukan salah satu dari"),
    (["--version"], "sop-pipeline, versi "),
])
def test_click_errors_are_indonesian(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(cli, args, prog_name="sop-pipeline")
    assert expected in result.output
    assert "Bantuan: 'sop-pipeline" in result.output or args == ["--version"]
    for word in ENGLISH[:-1]:
        assert word not in result.output, word


def test_verbose_shows_the_pipelines_log_not_pillows(office: Path) -> None:
    import subprocess
    import sys

    from PIL import Image
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    (office / "inbox" / "lampiran" / "017").mkdir(parents=True)
    Image.new("RGB", (64, 48), "#6a8caf").save(office / "inbox" / "lampiran" / "017" / "01 Rak.png")
    command = [sys.executable, "-m", "pipeline", "-v", "run", "-C", str(office), "--today", "2026-07-21"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert ("DEBUG pipeline.process: Ditulis 2026/017 - Dinas Kesehatan/06 Laporan Hasil Pelaksanaan.docx "
            "(dokumen baru)") in done.stderr
    assert "PIL" not in done.stderr


# --- Perbarui Dokumen.bat and init -------------------------------------------------------------------------


def test_bat_runs_the_office_folder_it_sits_in_and_finds_sop_pipeline() -> None:
    from pathlib import PureWindowsPath

    from pipeline.office.launcher import bat_text
    exe = PureWindowsPath(r"D:\Aplikasi\sop\.venv\Scripts\sop-pipeline.exe")
    text = bat_text(exe)
    assert text.isascii() and "\r\n" in text and "\n" not in text.replace("\r\n", "")  # every code page, CRLF
    lines = text.split("\r\n")
    assert lines[0] == "@echo off"
    for line in ("chcp 65001 >nul", "set PYTHONUTF8=1",
                 r'if not defined SOP if exist "D:\Aplikasi\sop\.venv\Scripts\sop-pipeline.exe" '
                 r'set "SOP=D:\Aplikasi\sop\.venv\Scripts\sop-pipeline.exe"',
                 r'if not defined SOP if exist "C:\sop-pipeline\.venv\Scripts\sop-pipeline.exe" '
                 r'set "SOP=C:\sop-pipeline\.venv\Scripts\sop-pipeline.exe"',
                 'if not defined SOP for %%I in (sop-pipeline.exe) do set "SOP=%%~$PATH:I"',
                 '"%SOP%" run -C "%~dp0."',  # the .bat's folder, also \\server\share: cmd cannot cd there
                 'choice /C RST /N /M "Pilih R, S atau T: "',
                 r'start "" "%~dp0outbox\REKAP.xlsx"',
                 '"%SOP%" cetak -C "%~dp0." --selesai'):
        assert line in lines, line
    assert lines.index('"%SOP%" run -C "%~dp0."') < lines.index("set KODE=%ERRORLEVEL%")
    assert "if %KODE%==3 echo Ada GALAT" in text


def test_init_writes_the_launchers_and_says_what_to_do_next(tmp_path: Path) -> None:
    root = tmp_path / "kantor"
    result = CliRunner().invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.output
    bat = root / "Perbarui Dokumen.bat"
    assert bat.read_bytes().startswith(b"@echo off\r\n")
    assert (root / "templates_docx" / "DAFTAR ISIAN.docx").is_file()
    lines = result.output.splitlines()
    steps = lines[lines.index("Langkah berikutnya:") + 1:]
    assert [s[:3] for s in steps] == ["1. ", "2. ", "3. "]
    assert "sheet Pengaturan" in steps[0] and "sheet Permohonan" in steps[1]
    assert "Klik ganda 'Perbarui Dokumen.bat'" in steps[2]
    bat.write_text("@echo off\r\nrem disesuaikan teknisi\r\n")
    again = CliRunner().invoke(cli, ["init", str(root)])
    assert "Semua sudah ada; tidak ada yang ditimpa." in again.output
    assert "disesuaikan teknisi" in bat.read_text()


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
def test_the_sh_twin_runs_and_shows_what_to_print(office: Path) -> None:
    import subprocess

    from pipeline.office.launcher import installed_exe, sh_text
    if not installed_exe().exists():
        pytest.skip("sop-pipeline is not installed in this environment")
    write_register(office / "inbox" / "register.xlsx",
                   permohonan=[at_step(1, Henti_Mulai=None, Henti_Selesai=None)])
    script = office / "Perbarui Dokumen.sh"
    script.write_text(sh_text(installed_exe()), encoding="utf-8")
    script.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "SOP_PIPELINE_TODAY": "2026-07-21"}
    done = subprocess.run([str(script)], input="S\n\n", capture_output=True, text=True, timeout=300,
                          check=False, cwd="/", env=env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Perlu dicetak dari putaran ini (1 dokumen baru atau berubah):" in out
    assert "      01 Lembar Disposisi.docx (dokumen baru)" in out
    assert "Pilih R, S atau T, lalu Enter:" in out
    assert "Daftar Perlu dicetak dikosongkan (1 dokumen)." in out  # S: printed, list cleared
    assert cetak.load_list(office / "outbox").items == []


# --- DAFTAR ISIAN ----------------------------------------------------------------------------------------


def test_daftar_isian_lists_every_field_with_meaning_and_example(office: Path) -> None:
    from docx import Document

    from pipeline.documents.checks import flatten_fields
    from pipeline.documents.daftar_isian import all_samples
    result = CliRunner().invoke(cli, ["fields", "-C", str(office), "--today", "2026-06-15"])
    assert result.exit_code == 0, result.output
    assert ("  Kop surat (dari sheet Pengaturan)\n"
            "    {{ kop.pemerintah }}  →  PEMERINTAH KABUPATEN KARANGANYAR") in result.output
    assert "Ditulis: templates_docx/DAFTAR ISIAN.docx" in result.output
    doc = Document(str(office / "templates_docx" / "DAFTAR ISIAN.docx"))
    rows = {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for t in doc.tables for r in t.rows[1:]}
    assert rows["{{ p.hal }}"] == ("Kolom 'Hal': Hal/perihal surat permohonan.",
                                   "Permohonan Pemeliharaan Server SIMPUS")
    assert rows["{{ x.merk_tipe }} di dalam {% for x in perangkat %}"][1] == "Dell PowerEdge R740"
    assert rows["{{ kantor.kota }}"][0].startswith("Pengaturan 'Kota': ")
    samples = all_samples(date(2026, 6, 15))
    every = {name for context in samples.values() for name in flatten_fields(context)}
    tags = {t for t in rows}
    for name in every:  # every field of every template has its row, with a meaning
        tag = f"{{{{ {name} }}}}" if "[]." not in name else None
        if tag:
            assert tag in tags, name
            assert rows[tag][0], name
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Isian yang ada di semua templat"
    assert "Berita Acara Pekerjaan — templat berita_acara.docx" in headings
    first = (office / "templates_docx" / "DAFTAR ISIAN.docx").read_bytes()
    time.sleep(2.1)  # zip entry times have a resolution of two seconds
    CliRunner().invoke(cli, ["fields", "-C", str(office), "--today", "2026-06-15"])
    assert (office / "templates_docx" / "DAFTAR ISIAN.docx").read_bytes() == first  # same fields, same bytes


def test_windows_md_shows_the_bat_init_writes() -> None:
    from pipeline.office.launcher import bat_text
    guide = (Path(__file__).resolve().parent.parent / "docs" / "WINDOWS.md").read_text(encoding="utf-8")
    block = guide.split("### Isi `Perbarui Dokumen.bat`", 1)[1].split("```bat\n", 1)[1].split("```", 1)[0]
    assert block == bat_text().replace("\r\n", "\n")


def test_a_document_written_again_before_printing_keeps_its_line_and_time(tmp_path: Path) -> None:
    """Re-writing a listed document (an edit before printing) changes neither its line nor its time, so the
    list — and REKAP.xlsx, whose digest includes it — is not rewritten; a new reason is still added."""
    outbox = tmp_path / "outbox"
    doc = outbox / DISPOSISI
    doc.parent.mkdir(parents=True)
    doc.write_bytes(b"x")
    first = cetak.PrintItem(DISPOSISI, "017", "Dinas Kesehatan", cetak.VALUES, "2026-07-21T10:00:00")
    cetak.add_to_list(outbox, [first])
    saved = cetak.list_path(outbox).stat().st_mtime_ns
    again = cetak.PrintItem(DISPOSISI, "017", "Dinas Kesehatan", cetak.VALUES, "2026-07-21T11:30:00")
    assert cetak.add_to_list(outbox, [again]).items == [first]
    assert cetak.list_path(outbox).stat().st_mtime_ns == saved  # not rewritten
    template = cetak.PrintItem(DISPOSISI, "017", "Dinas Kesehatan", cetak.TEMPLATE, "2026-07-21T12:00:00")
    (item,) = cetak.add_to_list(outbox, [template]).items
    assert (item.time, item.reason) == ("2026-07-21T10:00:00", f"{cetak.VALUES}; {cetak.TEMPLATE}")


def test_a_wrapped_rekap_row_is_as_tall_as_its_words_and_reads_from_the_top(office: Path) -> None:
    """Printed REKAP: a Hal of four wrapped lines gets a row four lines tall (counting characters gave three,
    and the last line was cut off), and the row's other cells sit at its top, next to the first line."""
    hal = "Permohonan Pemeliharaan Server SIMPUS Puskesmas Karanganyar"
    run(office, permohonan=[at_step(1, Hal=hal)])
    ws = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")["Rekap"]
    head = [c.value for c in ws[2]]
    cell = ws.cell(row=3, column=head.index("Hal") + 1)
    assert cell.value == hal and cell.alignment.wrap_text
    width = ws.column_dimensions[cell.column_letter].width
    # 'Permohonan' / 'Pemeliharaan Server' / 'SIMPUS Puskesmas' / 'Karanganyar'
    assert width == 20 and ws.row_dimensions[3].height == 15 * 4
    number = ws.cell(row=3, column=head.index("No. Agenda") + 1)
    assert number.value == "017" and number.alignment.vertical == "top"
