"""What a careless clerk, a second technician and a hostile user did to the pipeline (issue 10): no silent
wrong answer, no crash on one bad cell, no run that breaks another."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import device, request, write_register

from pipeline.process import RunReport, check, process
from pipeline.settings import Settings

TODAY = date(2026, 7, 21)
FOLDER = Path("2026") / "017 - Dinas Kesehatan"


def run(office: Path, today: date = TODAY, **sheets: object) -> RunReport:
    if sheets:
        write_register(office / "inbox" / "register.xlsx", **sheets)  # type: ignore[arg-type]
    return process(Settings.build(root=office, today=today, workers=1))


# --- one bad cell is a problem on that cell, never the end of the run -------------------------------------

def test_a_date_in_year_9999_is_a_problem_on_its_cell(office: Path) -> None:
    """'31/12/9999' is a common 'no end date' placeholder; it crashed the calendar for every request."""
    placeholder = request(**{"No. Agenda": "018", "Tgl Selesai": date(9999, 12, 31)})
    report = run(office, permohonan=[request(), placeholder], perangkat=[device(), device("018")])
    problems = [p for p in report.all_problems() if p.agenda == "018"]
    assert [(p.column, p.value, p.message) for p in problems if p.is_error] == [
        ("Tgl Selesai", "31/12/9999", "Tanggal tidak dapat dibaca: tahun 9999 di luar rentang 2000–2100.")]
    assert (office / "outbox" / FOLDER / "06 Laporan Hasil Pelaksanaan.docx").is_file()


def test_a_date_in_year_1_is_a_problem_on_its_cell(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[request(Tgl_Pemeriksaan="01/01/0001")],
                   perangkat=[device()])
    report = check(Settings.build(root=office, today=TODAY))
    assert [(p.column, p.message) for p in report.all_problems() if p.is_error] == [
        ("Tgl Pemeriksaan", "Tanggal tidak dapat dibaca: tahun 1 di luar rentang 2000–2100.")]
