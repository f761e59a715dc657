"""One small register per SOP rule; each test asserts the exact problem: severity, sheet, row, column."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import PEGAWAI, STEP_HEADERS, TODAY, at_step, device, request, write_register

from pipeline.problems import Problem
from pipeline.register.reader import read_register
from pipeline.validate import validate_register


def check(tmp_path: Path, today: date | None = None, **sheets: Any) -> list[Problem]:
    """Problems of a register; 'today' defaults to the day of the last recorded step (nothing overdue)."""
    path = write_register(tmp_path / "register.xlsx", **sheets)
    if today is None:
        dates = [v for row in sheets.get("permohonan", []) for k, v in row.items()
                 if k in STEP_HEADERS and isinstance(v, date)]
        today = max(dates, default=TODAY)
    validation = validate_register(read_register(path), today)
    return validation.all_problems()


def where(problems: list[Problem]) -> set[tuple[str, str, int | None, str]]:
    return {(p.severity.value, p.sheet, p.row, p.column) for p in problems}


def test_complete_request_has_no_problem(tmp_path: Path) -> None:
    assert check(tmp_path, permohonan=[request()]) == []


def test_missing_required_value(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[at_step(1, Hal=None)])
    assert where(problems) == {("galat", "Permohonan", 2, "Hal")}
    assert problems[0].agenda == "017"
    assert "kosong" in problems[0].message


def test_duplicate_agenda_reported_on_both_rows(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[at_step(1), at_step(1, Perangkat_Daerah="BAPPEDA")])
    assert where(problems) == {("galat", "Permohonan", 2, "No. Agenda"),
                               ("galat", "Permohonan", 3, "No. Agenda")}
    assert "baris 3" in problems[0].message


def test_unreadable_date_names_the_cell(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[at_step(2, Tgl_Disposisi_Kadis="tgl 7 bln 7")])
    assert where(problems) == {("galat", "Permohonan", 2, "Tgl Disposisi Kadis")}
    assert problems[0].value == "tgl 7 bln 7"
    assert "15/06/2026" in problems[0].hint


def test_text_dates_in_every_accepted_form(tmp_path: Path) -> None:
    row = at_step(4, Tanggal_Diterima="06/07/2026", Tgl_Disposisi_Kadis="07-07-2026",
                  Tgl_Disposisi_Kabid="2026-07-08", Tgl_Pemeriksaan="9 Juli 2026", Tanggal_Surat=46206)
    assert check(tmp_path, today=date(2026, 7, 9), permohonan=[row]) == []


def test_unreadable_time(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[at_step(6, Henti_Mulai="14/07/2026 jam delapan")])
    assert ("galat", "Permohonan", 2, "Henti Mulai") in where(problems)


def test_step_before_previous_step(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[at_step(4, Tgl_Pemeriksaan=date(2026, 7, 7))])
    assert where(problems) == {("galat", "Permohonan", 2, "Tgl Pemeriksaan")}
    assert "lebih awal dari Langkah 3" in problems[0].message


def test_step_filled_while_earlier_step_empty(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[at_step(4, Tgl_Disposisi_Kabid=None)])
    assert ("galat", "Permohonan", 2, "Tgl Pemeriksaan") in where(problems)
    assert "Langkah 3 (Disposisi Kepala Bidang) belum diisi" in problems[0].message


def test_step_8_may_be_empty_when_nothing_replaced(tmp_path: Path) -> None:
    assert check(tmp_path, permohonan=[request(Perangkat_Diganti="Tidak", Tgl_Penarikan=None)]) == []


def test_step_8_required_when_replaced(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request(Perangkat_Diganti="Ya")],
                     perangkat=[device(Tindakan="Diganti")])
    assert where(problems) == {("galat", "Permohonan", 2, "Tgl Laporan")}


def test_letter_dated_after_receipt(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[at_step(1, Tanggal_Surat=date(2026, 7, 8))])
    assert where(problems) == {("galat", "Permohonan", 2, "Tanggal Surat")}


def test_step_in_the_future(tmp_path: Path) -> None:
    problems = check(tmp_path, today=date(2026, 7, 7), permohonan=[at_step(3)])
    assert ("galat", "Permohonan", 2, "Tgl Disposisi Kabid") in where(problems)
    assert any("masa depan" in p.message for p in problems)


def test_replaced_without_device(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request(Perangkat_Diganti="Ya", Tgl_Penarikan=date(2026, 7, 15),
                                                   Tgl_Laporan=date(2026, 7, 15))], perangkat=[device()])
    assert where(problems) == {("galat", "Permohonan", 2, "Perangkat Diganti")}


def test_not_replaced_with_replaced_device(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request()], perangkat=[device(Tindakan="Ditarik")])
    assert where(problems) == {("galat", "Permohonan", 2, "Perangkat Diganti")}
    assert "baris 2" in problems[0].message


def test_not_replaced_with_withdrawal_date(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request(Tgl_Penarikan=date(2026, 7, 15))])
    assert where(problems) == {("galat", "Permohonan", 2, "Tgl Penarikan")}


def test_step_after_7_without_decision(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request(Perangkat_Diganti=None)])
    assert where(problems) == {("galat", "Permohonan", 2, "Perangkat Diganti")}


def test_device_with_unknown_agenda(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request()], perangkat=[device(agenda="999")])
    assert where(problems) == {("galat", "Perangkat", 2, "No. Agenda")}
    assert problems[0].agenda == ""


@pytest.mark.parametrize(("header", "value"), [("Alamat IP", "10.20.1.300"),
                                               ("Nama Domain", "simpus karanganyar"),
                                               ("Nama Domain", "https://simpus.karanganyarkab.go.id/")])
def test_invalid_ip_or_domain(tmp_path: Path, header: str, value: str) -> None:
    problems = check(tmp_path, permohonan=[request(**{header.replace(" ", "_"): value})])
    assert where(problems) == {("galat", "Permohonan", 2, header)}
    assert problems[0].value == value


def test_device_ip_invalid_holds_its_request(tmp_path: Path) -> None:
    path = write_register(tmp_path / "r.xlsx", permohonan=[request()], perangkat=[device(Alamat_IP="1.2.3")])
    validation = validate_register(read_register(path), TODAY)
    assert validation.assessments[0].held
    assert where(list(validation.assessments[0].problems)) == {("galat", "Perangkat", 2, "Alamat IP")}


def test_outage_end_not_after_start(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request(Henti_Selesai=datetime(2026, 7, 14, 8, 0))])
    assert where(problems) == {("galat", "Permohonan", 2, "Henti Selesai")}


def test_petugas_not_in_pegawai(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request(Petugas="Andi Prasetyo, S.T.; Budi Santosa")])
    assert where(problems) == {("galat", "Permohonan", 2, "Petugas")}
    assert problems[0].value == "Budi Santosa"
    assert "Budi Santoso, A.Md." in problems[0].hint


def test_no_kepala_dinas_in_office(tmp_path: Path) -> None:
    staff = [dict(PEGAWAI[0], Selesai=date(2026, 7, 6)), *PEGAWAI[1:]]
    problems = check(tmp_path, permohonan=[at_step(2)], pegawai=staff)
    assert where(problems) == {("galat", "Permohonan", 2, "Tgl Disposisi Kadis")}
    assert "Kepala Dinas" in problems[0].message


def test_plh_signs_while_definitif_is_away(tmp_path: Path) -> None:
    from pipeline.sop.staff import Staff
    from pipeline.sop.steps import Actor
    staff = [*PEGAWAI, {"Nama": "Ir. BAMBANG, M.M.", "NIP": "197001011995031001", "Pangkat/Golongan": "IV/b",
                        "Jabatan": "Sekretaris", "Peran": "Kepala Dinas", "Mulai": date(2026, 7, 7),
                        "Selesai": date(2026, 7, 8), "Status": "Plh."}]
    path = write_register(tmp_path / "r.xlsx", permohonan=[at_step(3)], pegawai=staff)
    people = Staff.from_records(read_register(path).pegawai)
    assert people.holder(Actor.KADIS, date(2026, 7, 7)).nama == "Ir. BAMBANG, M.M."
    assert people.holder(Actor.KADIS, date(2026, 7, 9)).nama == "Drs. SUJARNO, M.Si."


@pytest.mark.parametrize(("header", "value", "allowed"), [
    ("Sifat", "Penting", "Biasa, Segera, Sangat Segera, Rahasia"),
    ("Jenis Pemeliharaan", "Berkala", "Preventif, Korektif"),
    ("Perangkat Diganti", "Mungkin", "Ya, Tidak")])
def test_value_outside_its_list(tmp_path: Path, header: str, value: str, allowed: str) -> None:
    problems = check(tmp_path, permohonan=[request(**{header.replace(" ", "_"): value})])
    assert ("galat", "Permohonan", 2, header) in where(problems)
    assert allowed in next(p.hint for p in problems if p.column == header)


def test_device_condition_codes(tmp_path: Path) -> None:
    path = write_register(tmp_path / "r.xlsx", permohonan=[request()],
                          perangkat=[device(Kondisi="RR"), device(Kondisi="rb"), device(Kondisi="Hancur")])
    register = read_register(path)
    assert [d.get("kondisi") for d in register.perangkat] == ["Rusak Ringan", "Rusak Berat", ""]
    assert where(list(register.problems)) == {("galat", "Perangkat", 4, "Kondisi")}


# --- warnings ---------------------------------------------------------------------------------------------

def test_late_step_counts_working_days(tmp_path: Path) -> None:
    # Disposition on Friday 10 July for a letter received Monday 6 July: 3 working days late.
    problems = check(tmp_path, permohonan=[at_step(2, Tgl_Disposisi_Kadis=date(2026, 7, 10))])
    assert where(problems) == {("peringatan", "Permohonan", 2, "Tgl Disposisi Kadis")}
    assert "terlambat 3 hari kerja" in problems[0].message


def test_weekend_and_holidays_are_not_late(tmp_path: Path) -> None:
    # Received Friday 14 Aug 2026; 17 Aug is Hari Kemerdekaan, so Tuesday 18 Aug is the next working day.
    row = at_step(2, Tanggal_Diterima=date(2026, 8, 14), Tanggal_Surat=date(2026, 8, 13),
                  Tgl_Disposisi_Kadis=date(2026, 8, 18))
    assert check(tmp_path, today=date(2026, 8, 18), permohonan=[row]) == []


def test_local_holiday_from_hari_libur(tmp_path: Path) -> None:
    row = at_step(2, Tgl_Disposisi_Kadis=date(2026, 7, 8))
    assert len(check(tmp_path, today=date(2026, 7, 8), permohonan=[row])) == 1
    libur = [{"Tanggal": date(2026, 7, 7), "Keterangan": "Hari Jadi", "Jenis": "Libur"}]
    assert check(tmp_path, today=date(2026, 7, 8), permohonan=[row], libur=libur) == []


def test_step_on_non_working_day(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[at_step(2, Tgl_Disposisi_Kadis=date(2026, 7, 4))],
                     today=date(2026, 7, 4))
    assert ("peringatan", "Permohonan", 2, "Tgl Disposisi Kadis") in where(problems)
    assert any("bukan hari kerja (hari Sabtu)" in p.message for p in problems)


def test_open_request_overdue_today(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[at_step(3)], today=date(2026, 7, 13))
    assert where(problems) == {("peringatan", "Permohonan", 2, "Tgl Pemeriksaan")}
    assert "sudah lewat 2 hari kerja" in problems[0].message


def test_nip_that_does_not_look_valid(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request(NIP_Narahubung="19881305201101200")])
    assert where(problems) == {("peringatan", "Permohonan", 2, "NIP Narahubung")}


def test_nip_typed_as_number_is_an_error(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request(NIP_Narahubung=1.98805122011012e17)])
    assert where(problems) == {("galat", "Permohonan", 2, "NIP Narahubung")}
    assert "Teks" in problems[0].hint


# --- headers and sheets -------------------------------------------------------------------------------------

def test_renamed_and_reordered_headers(tmp_path: Path) -> None:
    row = at_step(3)
    renamed = {"Nomor Agenda": row["No. Agenda"], "tanggal  diterima": row["Tanggal Diterima"],
               "PERIHAL": row["Hal"], "Asal Surat": row["Perangkat Daerah"], "No Surat": row["Nomor Surat"],
               "Tanggal Surat": row["Tanggal Surat"],
               "Tanggal Disposisi Kepala Dinas": row["Tgl Disposisi Kadis"],
               "Tgl. Disposisi Kabid": row["Tgl Disposisi Kabid"], "Petugas": row["Petugas"],
               "Kolom Tambahan": "x"}
    path = write_register(tmp_path / "r.xlsx", permohonan=[renamed], headers={"Permohonan": list(renamed)})
    register = read_register(path)
    validation = validate_register(register, date(2026, 7, 8))
    assert [p for p in validation.all_problems() if p.severity.value == "galat"] == []
    assert register.permohonan[0].get("tgl_disposisi_kadis") == date(2026, 7, 7)
    assert register.header("Permohonan", "hal") == "PERIHAL"


def test_missing_required_column_suggests_closest(tmp_path: Path) -> None:
    row = at_step(1)
    head = [h for h in row if h != "Tanggal Diterima"] + ["Tangal Diterma"]
    row["Tangal Diterma"] = row.pop("Tanggal Diterima")
    path = write_register(tmp_path / "r.xlsx", permohonan=[row], headers={"Permohonan": head})
    validation = validate_register(read_register(path), TODAY)
    errors = [p for p in validation.all_problems() if p.is_error]
    assert [(p.sheet, p.row, p.column) for p in errors] == [("Permohonan", 1, "Tanggal Diterima")]
    assert "Tangal Diterma" in errors[0].hint
    assert validation.blocked


def test_missing_sheet_is_one_problem(tmp_path: Path) -> None:
    problems = check(tmp_path, permohonan=[request()], drop_sheets=["Pegawai"])
    assert ("galat", "Pegawai", None, "") in where(problems)


def test_empty_rows_are_skipped_and_row_numbers_kept(tmp_path: Path) -> None:
    empty = {h: None for h in request()}
    blank = {h: "  " if h == "Hal" else None for h in request()}
    problems = check(tmp_path, permohonan=[empty, blank, at_step(1, Hal=None)])
    assert where(problems) == {("galat", "Permohonan", 4, "Hal")}


class _CountingRows(tuple):  # type: ignore[type-arg]
    """A sheet's rows that count how often validation walks them."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        type(self).walks += 1
        return super().__iter__()


def test_device_problems_cost_no_extra_pass_over_the_devices(tmp_path: Path) -> None:
    """Each bad Perangkat row is matched to its request by row number, not by a search through the sheet:
    the passes over Perangkat stay the same however many of its rows have a problem."""
    from dataclasses import replace

    walks = []
    for bad in (2, 12):
        path = write_register(tmp_path / f"r{bad}.xlsx", permohonan=[request()],
                              perangkat=[device(Alamat_IP="1.2.3") for _ in range(bad)])
        register = read_register(path)
        _CountingRows.walks = 0
        validation = validate_register(replace(register, perangkat=_CountingRows(register.perangkat)), TODAY)
        assert [p.row for p in validation.assessments[0].problems if p.sheet == "Perangkat"] == \
            list(range(2, bad + 2))
        walks.append(_CountingRows.walks)
    assert walks[0] == walks[1]


def test_national_holidays_loaded_alone_match_the_library() -> None:
    """The calendar loads only Indonesia's holidays module (not the ~250 countries the library's own
    lookup imports first) and gets exactly the library's days and names, cuti bersama included."""
    import subprocess
    import sys

    code = """
import sys
from datetime import date, timedelta
from pipeline.sop.calendar import WorkCalendar
calendar = WorkCalendar()
days = [date(2020, 1, 1) + timedelta(days=i) for i in range(366 * 10)]
ours = {d: calendar.holiday_name(d) for d in days}
assert 'holidays.countries.france' not in sys.modules, 'every country was imported'
import holidays
lib = holidays.country_holidays('ID', categories=('public', 'government'), language='id')
for d, name in ours.items():
    expected = lib.get(d) or ({5: 'hari Sabtu', 6: 'hari Minggu'}.get(d.weekday()))
    assert name == expected, (d, name, expected)
assert ours[date(2026, 3, 20)] and 'Idul Fitri' in ours[date(2026, 3, 20)]
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr[-2000:]
