"""The blank register and the worked example: structure read back with openpyxl, SOP rules checked."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import holidays
import openpyxl
import pytest
from PIL import Image, ImageOps

from pipeline.office.example import PHOTO_AGENDAS, example_rows, write_example
from pipeline.office.photos import write_example_photos
from pipeline.office.workbook import DATE_FORMAT, DATETIME_FORMAT, LAST_ROW, write_register
from pipeline.register import columns as C
from pipeline.register.values import check_nip, norm_key, parse_date, parse_datetime, split_list
from pipeline.sop.steps import DECISION_STEP, STEPS

TODAY = date(2026, 11, 28)
SHEET_ORDER = [s.name for s in C.DATA_SHEETS] + [C.PENGATURAN, C.PETUNJUK]


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    return openpyxl.load_workbook(write_register(tmp_path_factory.mktemp("blank") / "register.xlsx"))


@pytest.fixture(scope="module")
def contoh_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_register(tmp_path_factory.mktemp("contoh") / "register.xlsx", example_rows(), settings=True)


@pytest.fixture(scope="module")
def contoh(contoh_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(contoh_path)


def _records(wb: openpyxl.Workbook, sheet: C.Sheet) -> list[dict[str, Any]]:
    """Rows as {column key: cell value}, found by header text, skipping empty (formatted-only) rows."""
    ws = wb[sheet.name]
    rows = list(ws.iter_rows(values_only=True))
    keys = {norm_key(c.header): c.key for c in sheet.columns}
    index = {keys[norm_key(str(h))]: i for i, h in enumerate(rows[0]) if h and norm_key(str(h)) in keys}
    return [{k: row[i] for k, i in index.items()} for row in rows[1:]
            if any(v not in (None, "") for v in row)]


# --- the blank register -----------------------------------------------------------------------------


def test_blank_register_has_every_declared_sheet_and_header_in_order(blank: openpyxl.Workbook) -> None:
    assert blank.sheetnames == SHEET_ORDER
    for sheet in C.DATA_SHEETS:
        ws = blank[sheet.name]
        headers = [cell.value for cell in ws[1]]
        assert headers == [c.header for c in sheet.columns]
        assert all(cell.font.bold and cell.fill.fgColor.rgb.endswith(("DDEBF7", "FCE4D6")) for cell in ws[1])
        assert ws.freeze_panes == ("B2" if sheet is C.PERMOHONAN else "A2")
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(sheet.columns))}{LAST_ROW}"
        for i, col in enumerate(sheet.columns, start=1):
            assert ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width == col.width
        assert all(v is None for row in ws.iter_rows(min_row=2, values_only=True) for v in row)


def test_blank_settings_sheet_lists_every_setting_without_values(blank: openpyxl.Workbook) -> None:
    rows = list(blank[C.PENGATURAN].iter_rows(values_only=True))
    assert rows[0] == ("Kunci", "Nilai")
    assert [r[0] for r in rows[1:]] == [s.label for s in C.SETTINGS]
    assert all(r[1] is None for r in rows[1:])
    assert blank[C.PENGATURAN].freeze_panes == "A2"


def test_every_choice_column_has_a_visible_dropdown_with_its_values(blank: openpyxl.Workbook) -> None:
    for sheet in C.DATA_SHEETS:
        ws = blank[sheet.name]
        by_range = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
        for i, col in enumerate(sheet.columns, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            dv = by_range.get(f"{letter}2:{letter}{LAST_ROW}")
            if col.kind is C.Kind.DATE:  # dates are checked too, with a warning Excel lets through
                assert dv is not None and dv.type == "date" and dv.errorStyle == "warning", col.header
                continue
            if col.kind is not C.Kind.CHOICE:
                assert dv is None, col.header
                continue
            assert dv is not None, f"{sheet.name}: no dropdown for {col.header}"
            assert dv.type == "list"
            assert not dv.showDropDown  # openpyxl's inverted name: True would hide the arrow
            assert dv.formula1 == '"' + ",".join(c.value for c in col.choices) + '"'
            assert len(dv.formula1) <= 255


def test_date_datetime_nip_and_phone_cells_are_preformatted(blank: openpyxl.Workbook) -> None:
    expected = {C.Kind.DATE: DATE_FORMAT, C.Kind.DATETIME: DATETIME_FORMAT, C.Kind.NIP: "@", C.Kind.IP: "@"}
    as_text = {"telepon_narahubung", "no_agenda", "nomor_surat", "nomor_seri", "kode_barang", "nomor_ba",
               "nomor_pengumuman", "nomor_laporan", "lokasi_rak"}  # number-like: leading 0s, no dates
    checked = set()
    for sheet in C.DATA_SHEETS:
        ws = blank[sheet.name]
        for i, col in enumerate(sheet.columns, start=1):
            fmt = "@" if col.key in as_text else expected.get(col.kind, "General")
            for row in (2, 500, LAST_ROW):
                assert ws.cell(row, i).number_format == fmt, f"{sheet.name}!{col.header}{row}"
            checked.add(fmt)
    assert checked == {DATE_FORMAT, DATETIME_FORMAT, "@", "General"}


def test_petunjuk_explains_every_column_setting_and_step(blank: openpyxl.Workbook) -> None:
    guide = blank[C.PETUNJUK]
    rows = [tuple("" if v is None else str(v) for v in r) for r in guide.iter_rows(values_only=True)]
    text = "\n".join(" ".join(r) for r in rows)
    for needle in ("outbox/", "STATUS.txt", "REKAP.xlsx", "satu baris untuk satu permohonan", "MEMBACA"):
        assert needle in text
    for sheet in C.DATA_SHEETS:
        for col in sheet.columns:
            row = next(r for r in rows if r[:2] == (sheet.name, col.header))
            assert row[2] == ("Ya" if col.required else "Tidak")
            assert row[3] == col.kind.value
            assert row[4].startswith(col.help)
            assert all(c.value in row[4] for c in col.choices)
    for setting in C.SETTINGS:
        assert any(r[:2] == (C.PENGATURAN, setting.label) for r in rows)
    steps = [r for r in rows if r[0].isdigit()]
    assert [int(r[0]) for r in steps] == [s.number for s in STEPS]
    for row, step in zip(steps, STEPS, strict=True):
        assert row[1] == step.name
        assert row[3].startswith(C.PERMOHONAN.column(step.column).header)
        assert all(a.value in row[4] for a in step.actors)


# --- the worked example -----------------------------------------------------------------------------


def _working_days(libur: set[date]) -> Any:
    national = holidays.country_holidays("ID", years=2026, categories=("public", "government"), language="id")

    def count(start: date, end: date) -> int:
        """Working days after start up to and including end."""
        days, d = 0, start
        while d < end:
            d += timedelta(days=1)
            days += d.weekday() < 5 and d not in national and d not in libur
        return days

    return count


def _in_office(pegawai: list[dict[str, Any]], peran: str, day: date) -> bool:
    for p in pegawai:
        start = parse_date(p["mulai"]) if p["mulai"] else date.min
        end = parse_date(p["selesai"]) if p["selesai"] else date.max
        if p["peran"] == peran and start <= day <= end:
            return True
    return False


def test_example_settings_are_the_karanganyar_office(contoh: openpyxl.Workbook) -> None:
    values = {r[0]: r[1] for r in contoh[C.PENGATURAN].iter_rows(min_row=2, values_only=True)}
    assert values == {s.label: s.example for s in C.SETTINGS}
    assert values["Nomor SOP"] == "555/017/IV/2022"


def test_example_requests_obey_the_sop(contoh: openpyxl.Workbook) -> None:
    requests = _records(contoh, C.PERMOHONAN)
    devices = _records(contoh, C.PERANGKAT)
    pegawai = _records(contoh, C.PEGAWAI)
    libur = {parse_date(r["tanggal"]) for r in _records(contoh, C.HARI_LIBUR)}
    assert date(2026, 11, 18) in libur
    working_days = _working_days(libur)
    agendas = [str(r["no_agenda"]) for r in requests]
    assert 8 <= len(requests) <= 11 and len(set(agendas)) == len(agendas)
    tim = {p["nama"] for p in pegawai if p["peran"] == "Tim Teknis"}
    late: dict[str, list[int]] = {}
    text_dates = 0
    for r in requests:
        agenda = str(r["no_agenda"])
        dated = {s.number: parse_date(r[s.column]) for s in STEPS if r[s.column] not in (None, "")}
        text_dates += sum(isinstance(r[s.column], str) for s in STEPS)
        last = max(dated)
        diganti = r["perangkat_diganti"]
        expected = [s.number for s in STEPS
                    if s.number <= last and not (s.number == DECISION_STEP and diganti == "Tidak")]
        assert sorted(dated) == expected, f"{agenda}: a step is missing before step {last}"
        assert parse_date(r["tgl_surat"]) <= dated[1]
        ordered = [dated[n] for n in sorted(dated)]
        assert ordered == sorted(ordered), agenda
        assert all(date(2026, 9, 1) <= d <= TODAY - timedelta(days=1) for d in ordered), agenda
        for previous, step in itertools.pairwise(sorted(dated)):
            gap = working_days(dated[previous], dated[step])
            assert gap <= 3, agenda
            if gap > 1:
                late.setdefault(agenda, []).append(gap)
        if last > DECISION_STEP - 1 or diganti:
            assert diganti in ("Ya", "Tidak"), agenda
        own = [d for d in devices if str(d["no_agenda"]) == agenda]
        replaced = any(d["tindakan"] in ("Diganti", "Ditarik") for d in own)
        assert replaced == (diganti == "Ya"), agenda
        assert bool(own) == (last >= 4), agenda
        if r["henti_mulai"]:
            start, end = parse_datetime(r["henti_mulai"]), parse_datetime(r["henti_selesai"])
            assert isinstance(r["henti_mulai"], datetime) and start < end
            assert start.date() >= dated[6] and end.date() < TODAY
        if last >= 3:
            assert set(split_list(r["petugas"])) <= tim, agenda
        for day in [*ordered, parse_date(r["tgl_surat"])]:
            assert _in_office(pegawai, "Kepala Dinas", day) and _in_office(pegawai, "Kepala Bidang", day), day
        assert isinstance(r["nip_narahubung"], str) and check_nip(r["nip_narahubung"], TODAY) is None
        assert isinstance(r["telepon_narahubung"], str) and r["telepon_narahubung"].startswith("0")
    assert sorted(len(v) for v in late.values()) == [1, 1]  # exactly two requests, one late step each
    assert all(2 <= g <= 3 for v in late.values() for g in v)
    assert text_dates >= 2


def test_example_covers_every_stage(contoh: openpyxl.Workbook) -> None:
    stages = set()
    for r in _records(contoh, C.PERMOHONAN):
        last = max(s.number for s in STEPS if r[s.column] not in (None, ""))
        stages.add((last, r["perangkat_diganti"] if last == 12 else None))
    assert {n for n, _ in stages} >= {1, 2, 3, 4, 6, 7, 8, 9, 11, 12}
    assert {(12, "Ya"), (12, "Tidak")} <= stages


def test_example_staff_have_text_nips_and_roles(contoh: openpyxl.Workbook) -> None:
    pegawai = _records(contoh, C.PEGAWAI)
    ws = contoh[C.PEGAWAI.name]
    assert all(ws.cell(row, 2).data_type == "s" for row in range(2, len(pegawai) + 2))
    assert all(check_nip(p["nip"], TODAY) is None for p in pegawai)
    kadis = next(p for p in pegawai if p["peran"] == "Kepala Dinas")
    assert (kadis["nama"], kadis["nip"]) == ("Drs. Sujarno, M.Si.", "197001071995031004")
    assert sum(p["peran"] == "Tim Teknis" for p in pegawai) == 4
    assert any(p["status"] == "Plh." and p["selesai"] for p in pegawai)


def test_writing_twice_gives_the_same_cells(contoh_path: Path, tmp_path: Path) -> None:
    again = openpyxl.load_workbook(write_register(tmp_path / "again.xlsx", example_rows(), settings=True))
    first = openpyxl.load_workbook(contoh_path)
    assert again.sheetnames == first.sheetnames
    for name in first.sheetnames:
        cells = [[c.value for c in row] for row in first[name].iter_rows()]
        assert cells == [[c.value for c in row] for row in again[name].iter_rows()], name


# --- photos -----------------------------------------------------------------------------------------


def test_photos_are_small_jpegs_and_one_needs_exif_rotation(tmp_path: Path) -> None:
    photos = write_example_photos(tmp_path / "a", 4)
    assert [p.name[:3] for p in photos] == ["01 ", "02 ", "03 ", "04 "]
    orientations = []
    for path in photos:
        assert path.suffix == ".jpg" and path.stat().st_size < 150_000
        with Image.open(path) as image:
            assert image.format == "JPEG"
            orientations.append(image.getexif().get(0x0112))
            upright = ImageOps.exif_transpose(image)
            assert upright.width > upright.height
    assert orientations.count(6) == 1
    again = write_example_photos(tmp_path / "b", 4)
    first = [p.read_bytes() for p in photos]
    assert first != [p.read_bytes() for p in again]  # another request, other pictures
    assert first == [p.read_bytes() for p in write_example_photos(tmp_path / "a", 4)]


def test_write_example_fills_an_inbox(tmp_path: Path) -> None:
    register = write_example(tmp_path / "inbox")
    assert register == tmp_path / "inbox" / "register.xlsx"
    requests = {str(r["no_agenda"]): r for r in _records(openpyxl.load_workbook(register), C.PERMOHONAN)}
    assert [p.name for p in (tmp_path / "inbox" / "lampiran").iterdir()] == ["2026"]  # <tahun>/<No. Agenda>
    folders = sorted(p.name for p in (tmp_path / "inbox" / "lampiran" / "2026").iterdir())
    assert folders == sorted(str(a) for a in PHOTO_AGENDAS)
    for agenda in folders:
        assert requests[agenda]["tgl_pelaksanaan"] is not None
        assert len(list((tmp_path / "inbox" / "lampiran" / "2026" / agenda).glob("*.jpg"))) >= 2
