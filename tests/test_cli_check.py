"""`sop-pipeline check` and the recap, driven as a clerk's technician would."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import add_photo, at_step, request, write_register

from pipeline.cli import cli
from pipeline.outbox.recap import recap_bytes
from pipeline.process import check
from pipeline.settings import Settings


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_check_clean_register_exits_0(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()])
    add_photo(office)
    code, out = run_cli("check", "-C", str(office), "--today", "2026-07-20")
    assert code == 0, out
    assert "1 permohonan diperiksa: 0 galat, 0 peringatan." in out


def test_check_problems_grouped_by_request_exit_3(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx",
                   permohonan=[request(), at_step(4, No_Agenda="018", Tgl_Pemeriksaan=date(2026, 7, 7))])
    add_photo(office)
    code, out = run_cli("check", "-C", str(office), "--today", "2026-07-20", "--rinci")
    assert code == 3
    assert "No. Agenda 018 (register.xlsx)" in out
    assert "GALAT Sheet 'Permohonan', baris 3, kolom 'Tgl Pemeriksaan'" in out
    assert "No. Agenda 017" not in out


def test_check_warnings_only_exit_0_unless_strict(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx",
                   permohonan=[at_step(2, Tgl_Disposisi_Kadis=date(2026, 7, 10))])
    code, out = run_cli("check", "-C", str(office), "--today", "2026-07-10")
    assert code == 0 and "terlambat 3 hari kerja" in out
    code, _ = run_cli("check", "-C", str(office), "--today", "2026-07-10", "--ketat")
    assert code == 3


def test_check_without_register_exits_1(office: Path) -> None:
    code, out = run_cli("check", "-C", str(office))
    assert code == 1
    assert "Tidak ada register" in out


@pytest.mark.parametrize("command", ["check", "run", "arsip"])
def test_no_register_is_one_answer_whatever_else_inbox_holds(office: Path, command: str) -> None:
    """A photo folder (which warns that it matches no request) and no register: every command says there
    is no register and stops (check used to report 0 requests and succeed while run failed)."""
    (office / "inbox" / "lampiran" / "017").mkdir(parents=True)
    (office / "inbox" / "lampiran" / "017" / "foto.jpg").write_bytes(b"")
    code, out = run_cli(command, "-C", str(office), "--today", "2026-07-20")
    assert code == 1 and f"Tidak ada register .xlsx di {office / 'inbox'}." in out
    if command != "arsip":  # what else was found is still said, naming a folder as a folder
        assert "PERINGATAN Folder 'lampiran/017': Folder foto 'lampiran/017' tidak cocok" in out


def test_check_bad_today_is_usage_error(office: Path) -> None:
    code, out = run_cli("check", "-C", str(office), "--today", "kemarin")
    assert code == 2
    assert "YYYY-MM-DD" in out


def test_corrupt_register_is_a_problem_not_a_crash(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()])
    (office / "inbox" / "rusak.xlsx").write_bytes(b"PK\x03\x04 broken")
    code, out = run_cli("check", "-C", str(office), "--today", "2026-07-20")
    assert code == 3
    assert "rusak.xlsx" in out and "Traceback" not in out


def test_recap_rows_and_formula_injection(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx",
                   permohonan=[request(Hal='=HYPERLINK("http://x","klik")'),
                               at_step(3, No_Agenda="018", Perangkat_Daerah="+cmd|' /C calc'!A0")])
    report = check(Settings.build(root=office, today=date(2026, 7, 20)))
    path = office / "rekap.xlsx"
    path.write_bytes(recap_bytes(report.validations, date(2026, 7, 20)))
    wb = openpyxl.load_workbook(path)
    rekap = wb["Rekap"]
    rows = list(rekap.iter_rows(min_row=3, values_only=True))  # row 1: the title, row 2: the header
    assert [c.value for c in rekap[2]][:6] == ["Register", "No. Agenda", "Tanggal Diterima", "Nomor Surat",
                                              "Sifat", "Perangkat Daerah"]
    assert rows[0][1] == "017" and rows[0][4] == "Segera"
    assert rows[0][5:7] == ("Dinas Kesehatan", '=HYPERLINK("http://x","klik")')
    assert rekap["G3"].data_type == "s"  # text, not a formula
    assert rows[0][9] == "Selesai" and rows[0][11] == "Tepat waktu"
    assert rows[1][5] == "+cmd|' /C calc'!A0" and rekap["F4"].data_type == "s"
    assert rows[1][9] == "Langkah 4 (Pemeriksaan server)"
    assert rows[1][11] == "Terlambat 7 hari kerja"
    assert rekap.oddHeader.center.text.startswith("&BREKAP PERMOHONAN PEMELIHARAAN SERVER per 20 Juli 2026")
    # Printed: every column on the page's width, the print area the table (not a long title), named fonts
    # (a font without a name prints as a serif in LibreOffice).
    assert rekap.sheet_properties.pageSetUpPr.fitToPage
    assert (rekap.page_setup.fitToWidth, rekap.page_setup.fitToHeight) == (1, 0)
    assert rekap.print_area == "'Rekap'!$A$1:$N$4"
    assert rekap["A1"].font.name == rekap["A2"].font.name == "Calibri"
    assert wb["Masalah"].oddHeader.center.text == "&BMASALAH DI REGISTER per 20 Juli 2026&B"
    assert wb["Masalah"].oddFooter.center.text == "Halaman &P dari &N"  # every sheet prints numbered
    masalah = list(wb["Masalah"].iter_rows(min_row=2, values_only=True))
    assert [(m[1], m[2], m[4], m[5]) for m in masalah] == [("017", "peringatan", 2, "Tgl Pelaksanaan"),
                                                           ("018", "peringatan", 3, "Tgl Pemeriksaan")]
    assert "tidak ada foto dokumentasi di lampiran/2026/017/" in masalah[0][7]  # finished, but no photos


def test_fields_lists_every_field_with_an_example() -> None:
    code, out = run_cli("fields", "berita_acara", "--today", "2026-06-15", "--tanpa-berkas")
    assert code == 0
    assert "{{ ba.pembukaan }}  →  Pada hari ini Senin tanggal Lima Belas bulan Juni" in out
    assert "{{ x.merk_tipe }} di dalam {% for x in perangkat %}  →  Dell PowerEdge R740" in out
    assert "{{ ttd.kabid.nip }}  →  NIP. 19720410 199803 2 005" in out
    code, out = run_cli("fields", "surat_cinta")
    assert code == 2 and "lembar_disposisi" in out


def test_recap_rows_are_as_tall_as_their_wrapped_words() -> None:
    """A wrapped cell breaks at spaces: 'Permohonan Pemeliharaan Server SIMPUS' takes three lines of a
    20-wide column (counting characters alone gave two, and the last line was cut off when printed)."""
    from pipeline.outbox.recap import _lines
    assert _lines("Permohonan Pemeliharaan Server SIMPUS", 20) == 3
    assert _lines("Langkah 8 (Penarikan perangkat): putuskan 'Perangkat Diganti' (Ya/Tidak)", 20) == 4
    assert _lines("B/500.12.16.3/573/BPBD-KL/XI/2026", 16) == 2  # one long word, broken inside
    assert (_lines("Biasa", 8), _lines("Sangat Segera", 8), _lines("", 8)) == (1, 2, 0)
