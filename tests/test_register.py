"""Reading registers as Excel and LibreOffice save them — never touching the original."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import at_step, device, request, write_register

from pipeline.errors import RegisterError
from pipeline.register.reader import find_registers, read_register
from pipeline.validate import validate_register


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install LibreOffice (soffice) for this test")
        pytest.skip("LibreOffice not installed")
    return exe


def test_original_is_never_modified(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.xlsx", permohonan=[request()], perangkat=[device()])
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    read_register(path)
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


def test_owner_and_temp_files_are_not_registers(tmp_path: Path) -> None:
    write_register(tmp_path / "register.xlsx", permohonan=[request()])
    (tmp_path / "~$register.xlsx").write_bytes(b"owner")
    (tmp_path / "Cedd4100").write_bytes(b"temp")
    (tmp_path / "catatan.txt").write_text("x")
    assert [p.name for p in find_registers(tmp_path)] == ["register.xlsx"]


def test_merged_cells_in_data_area(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.xlsx", permohonan=[at_step(1), at_step(1, No_Agenda="018")])
    wb = openpyxl.load_workbook(path)
    wb["Permohonan"].merge_cells("C2:C3")
    wb.save(path)
    register = read_register(path)
    merged = [p for p in register.problems if "digabung" in p.message]
    assert [(p.sheet, p.row, p.value) for p in merged] == [("Permohonan", 2, "C2:C3")]
    assert merged[0].is_error


def test_formula_without_computed_value(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.xlsx", permohonan=[at_step(1)])
    wb = openpyxl.load_workbook(path)
    wb["Permohonan"]["F2"] = '=CONCAT("Permohonan ", "Pemeliharaan")'  # openpyxl stores no cached value
    wb.save(path)
    problems = validate_register(read_register(path), date(2026, 7, 6)).all_problems()
    assert [(p.severity.value, p.row, p.column) for p in problems] == [("galat", 2, "Hal")]
    assert "rumus" in problems[0].message


@pytest.mark.parametrize("backend", ["calamine", "openpyxl"])
def test_formula_error_value(tmp_path: Path, backend: str) -> None:
    path = write_register(tmp_path / "register.xlsx", permohonan=[at_step(1)])
    wb = openpyxl.load_workbook(path)
    cell = wb["Permohonan"]["H2"]
    cell.value, cell.data_type = "#REF!", "e"  # an error value, as Excel stores a broken formula's result
    wb.save(path)
    problems = read_register(path, backend=backend).problems
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "Nama Server", "#REF!")]


def test_computed_formula_is_read_as_its_value(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.xlsx", permohonan=[at_step(1)])
    # Write a cached value the way Excel does: <c><f>…</f><v>…</v></c>.
    with zipfile.ZipFile(path) as zin:
        parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    start = xml.index('<c r="H2"')
    end = xml.index("</c>", start) + 4
    parts[sheet] = (xml[:start] + '<c r="H2" t="str"><f>"srv-"&amp;"01"</f><v>srv-01</v></c>'
                    + xml[end:]).encode()
    with zipfile.ZipFile(path, "w") as zout:
        for name, body in parts.items():
            zout.writestr(name, body)
    register = read_register(path)
    assert register.problems == ()
    assert register.permohonan[0].get("nama_server") == "srv-01"


@pytest.mark.parametrize(("content", "says"), [(b"not a zip at all", "bukan file .xlsx"),
                                               (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
                                                "terenkripsi")])
def test_unusable_files_raise_register_error(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "register.xlsx"
    path.write_bytes(content)
    with pytest.raises(RegisterError, match=says):
        read_register(path)


def test_truncated_file(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.xlsx", permohonan=[request()])
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(RegisterError, match="register.xlsx"):
        read_register(path)


def test_size_cap(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.xlsx", permohonan=[request()])
    with pytest.raises(RegisterError, match="melebihi batas"):
        read_register(path, max_bytes=100)


def test_text_cells_are_cleaned(tmp_path: Path) -> None:
    path = write_register(tmp_path / "register.xlsx",
                          permohonan=[at_step(1, Perangkat_Daerah="\u00a0 PT Telkom & Co <Ltd>\u200f ",
                                              Hal="Baris satu\r\nBaris dua")])
    r = read_register(path).permohonan[0]
    assert r.get("perangkat_daerah") == "PT Telkom & Co <Ltd>"
    assert r.get("hal") == "Baris satu\nBaris dua"


def test_register_saved_by_libreoffice(tmp_path: Path) -> None:
    exe = soffice()
    source = write_register(tmp_path / "src" / "register.xlsx",
                            permohonan=[request(),
                                        at_step(3, No_Agenda="018", Tgl_Disposisi_Kabid="08/07/2026")],
                            perangkat=[device()])
    out = tmp_path / "lo"
    profile = tmp_path / "profile"
    subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    register = read_register(out / "register.xlsx")
    validation = validate_register(register, date(2026, 7, 21))
    assert [p for p in validation.all_problems() if p.is_error] == []
    first, second = register.permohonan
    assert first.get("henti_mulai") == datetime(2026, 7, 14, 8, 0)
    assert first.get("tgl_selesai") == date(2026, 7, 20)
    assert second.get("tgl_disposisi_kabid") == date(2026, 7, 8)
    assert register.perangkat[0].get("kondisi") == "Baik"


def test_column_letters_are_excels() -> None:
    """Cell names in messages ('Sel H3 …') without importing openpyxl: the same letters as openpyxl's."""
    from openpyxl.utils.cell import get_column_letter

    from pipeline.register.reader import column_letter

    assert [column_letter(n) for n in range(1, 18279)] == [get_column_letter(n) for n in range(1, 18279)]
