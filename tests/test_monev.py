"""`sop-pipeline monev`: periods, the Word report read back, its charts, its template, and sheet Kinerja."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import TODAY, at_step, request, write_register

from pipeline.cli import cli
from pipeline.monev.charts import draw_charts
from pipeline.monev.figures import compute_figures
from pipeline.monev.period import choose_period, parse_period
from pipeline.monev.report import report_path
from pipeline.monev.template import TEMPLATE_NAME, template_bytes
from pipeline.office.init import init_folder
from pipeline.process import process
from pipeline.settings import Settings

EXAMPLE_TODAY = "2026-11-28"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def contoh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kantor")
    init_folder(root, contoh=True)
    return root


def _monev(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["monev", "-C", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.output


def _text(path: Path) -> tuple[str, list[list[list[str]]]]:
    document = docx.Document(str(path))
    body = "\n".join(p.text for p in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    return body, tables


# -- periods ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "start", "end", "title"), [
    ("2026-07", date(2026, 7, 1), date(2026, 7, 31), "Bulan Juli Tahun 2026"),
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "Bulan Februari Tahun 2026"),
    ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "Triwulan III Tahun 2026"),
    ("2026-tw4", date(2026, 10, 1), date(2026, 12, 31), "Triwulan IV Tahun 2026"),
    ("2026-S1", date(2026, 1, 1), date(2026, 6, 30), "Semester I Tahun 2026"),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), "Tahun 2026"),
])
def test_periods(text: str, start: date, end: date, title: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.title) == (start, end, title)


@pytest.mark.parametrize(("args", "message"), [
    (("2026-13", None, None), "bulan '13' tidak ada"),
    (("Q3", None, None), "bukan periode"),
    (("2026", date(2026, 1, 1), None), "tidak keduanya"),
    ((None, date(2026, 1, 1), None), "harus diisi keduanya"),
    ((None, date(2026, 2, 1), date(2026, 1, 1)), "lebih awal"),
    (("1995", None, None), "tahun 1995 di luar rentang 2000–2100"),  # the years a register's dates may hold
])
def test_bad_periods_say_why(args: tuple[str | None, date | None, date | None], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        choose_period(*args, today=TODAY)


def test_default_period_is_the_quarter_of_today_and_a_range_is_titled_by_its_dates() -> None:
    assert choose_period(None, None, None, date(2026, 11, 28)).title == "Triwulan IV Tahun 2026"
    span = choose_period(None, date(2026, 7, 1), date(2026, 8, 15), TODAY)
    assert span.title == "Periode 1 Juli 2026 s.d. 15 Agustus 2026"


# -- the report ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def q4(contoh: Path) -> str:
    code, output = _monev(contoh, "--today", EXAMPLE_TODAY, "--periode", "2026-Q4")
    assert code == 0, output
    return output


def test_report_on_the_example(contoh: Path, q4: str) -> None:
    output = q4
    path = report_path(contoh / "outbox", parse_period("2026-Q4"))
    assert path.name == "Laporan Monev SOP Pemeliharaan Server Triwulan IV Tahun 2026.docx"
    assert "10 permohonan diterima, 1 selesai, 9 dalam proses (3 lewat batas waktu), 0 ditahan" in output
    body, tables = _text(path)
    assert "MONITORING DAN EVALUASI PENERAPAN SOP PEMELIHARAAN SERVER" in body
    assert "Triwulan IV Tahun 2026" in body
    assert "1 Oktober 2026 s.d. 31 Desember 2026" in body
    summary = next(t for t in tables if t[0][0] == "Diterima")
    assert summary[1] == ["10", "1", "9", "3", "0"]
    steps = next(t for t in tables if t[0][:3] == ["No", "Langkah", "Pelaksana"])
    assert steps[2] == ["2.", "Disposisi Kepala Dinas", "Kepala Dinas", "9", "8", "1", "0", "88,9%", "0", "2"]
    assert steps[1][3:5] == ["–", "–"]  # step 1 has no time of its own
    form = next(t for t in tables if t[0][:2] == ["No", "Prosedur"])
    rows = {r[0]: r for r in form[1:]}
    assert rows["3."][2:4] == ["☐", "☑"] and "1 terlambat, terlama 2 hari kerja" in rows["3."][4]
    assert rows["4."][2:4] == ["☑", "☐"]
    assert rows["7."][2:4] == ["☐", "☑"] and "2 tanpa foto dokumentasi" in rows["7."][4]
    assert "……" in rows["2."][5]  # tindakan: written by hand
    signature = "\n".join(cell for t in tables for row in t for cell in row)
    assert "KEPALA BIDANG TATA KELOLA INFORMATIKA," in signature
    assert "Sri Wahyuningsih, S.Kom., M.M." in signature and "NIP. 19750512 200003 2 003" in signature
    assert "Mengetahui," in signature and "Drs. Sujarno, M.Si." in signature
    assert "Pembina Utama Muda (IV/c)" in signature


def test_report_signed_by_the_acting_kepala_bidang_on_its_date(contoh: Path) -> None:
    code, _ = _monev(contoh, "--today", "2026-11-10", "--periode", "2026-10")
    assert code == 0
    _, tables = _text(report_path(contoh / "outbox", parse_period("2026-10")))
    signature = "\n".join(cell for t in tables for row in t for cell in row)
    assert "Plh. KEPALA BIDANG TATA KELOLA INFORMATIKA," in signature
    assert "Ir. Bambang Heru Santoso, M.T." in signature


def test_same_input_same_bytes_and_an_old_version_is_kept(contoh: Path) -> None:
    path = report_path(contoh / "outbox", parse_period("2026-S2"))
    assert _monev(contoh, "--today", EXAMPLE_TODAY, "--periode", "2026-S2")[0] == 0
    first = path.read_bytes()
    code, output = _monev(contoh, "--today", EXAMPLE_TODAY, "--periode", "2026-S2")
    assert code == 0 and "(tidak berubah)" in output and path.read_bytes() == first
    assert _monev(contoh, "--today", "2026-11-30", "--periode", "2026-S2")[0] == 0  # later: figures change
    assert path.read_bytes() != first
    kept = list((path.parent / "_riwayat").glob("*.docx"))
    assert [p.read_bytes() for p in kept] == [first]


def test_charts_are_the_png_drawn_and_do_not_depend_on_global_matplotlib_settings(contoh: Path,
                                                                                  q4: str) -> None:
    import matplotlib

    with zipfile.ZipFile(report_path(contoh / "outbox", parse_period("2026-Q4"))) as zf:
        media = sorted(zf.read(n) for n in zf.namelist()
                       if n.startswith("word/media/") and n.endswith(".png"))
    from pipeline.process import check

    run = check(Settings.build(root=contoh, today=date(2026, 11, 28)))
    from pipeline.validate import build_calendar

    figures = compute_figures([(v, build_calendar(v.register)) for v in run.validations],
                              parse_period("2026-Q4"), date(2026, 11, 28))
    with matplotlib.rc_context({"font.size": 20, "axes.facecolor": "red", "font.family": "serif"}):
        drawn = draw_charts(figures)
    assert media == sorted(drawn.values())
    assert all(png.startswith(b"\x89PNG") and b"Software" not in png for png in media)


def test_charts_are_the_same_bytes_in_a_fresh_process() -> None:
    script = ("import sys, hashlib; from datetime import date; "
              "from pipeline.monev.figures import compute_figures;"
              "from pipeline.monev.period import parse_period; from pipeline.monev.charts import draw_charts;"
              "f = compute_figures((), parse_period('2026'), date(2026, 5, 1));"
              "print(sorted((k, hashlib.sha256(v).hexdigest()) for k, v in draw_charts(f).items()))")
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           cwd=ROOT, env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "TkAgg"}).stdout
    import hashlib

    figures = compute_figures((), parse_period("2026"), date(2026, 5, 1))
    here = sorted((k, hashlib.sha256(v).hexdigest()) for k, v in draw_charts(figures).items())
    assert fresh == f"{here}\n"


def test_an_empty_period_still_gives_a_report(contoh: Path) -> None:
    code, output = _monev(contoh, "--today", EXAMPLE_TODAY, "--periode", "2025")
    assert code == 0, output
    body, _ = _text(report_path(contoh / "outbox", parse_period("2025")))
    assert "Pada Tahun 2025 tidak ada permohonan pemeliharaan server yang diterima." in body


def test_requests_held_by_errors_are_counted_apart_and_exit_3(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[
        request(), at_step(9, No_Agenda="018", Perangkat_Diganti=None)])  # step 9 without the decision
    code, output = _monev(office, "--today", TODAY.isoformat(), "--periode", "2026-07")
    assert code == 3, output
    assert "2 permohonan diterima, 1 selesai, 0 dalam proses (0 lewat batas waktu), 1 ditahan" in output
    _, tables = _text(report_path(office / "outbox", parse_period("2026-07")))
    gaps = next(t for t in tables if t[0][:2] == ["No", "Langkah"] and "Keputusan langkah 8" in t[0])
    assert next(r for r in gaps if r[0] == "8.")[5] == "1"


# -- the template ----------------------------------------------------------------------------------------


def test_shipped_template_matches_the_builder_and_init_copies_it(tmp_path: Path) -> None:
    def members(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {n: zf.read(n) for n in zf.namelist()}

    assert members((ROOT / "templates_docx" / TEMPLATE_NAME).read_bytes()) == members(template_bytes())
    init_folder(tmp_path)
    assert (tmp_path / "templates_docx" / TEMPLATE_NAME).read_bytes() == template_bytes()


def test_an_edited_template_is_used_and_a_broken_one_is_named(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()])
    path = office / "templates_docx" / TEMPLATE_NAME
    document = docx.Document(io.BytesIO(template_bytes()))
    document.add_paragraph("Catatan kantor: {{ ringkas.diterima }} permohonan.")
    document.save(str(path))
    assert _monev(office, "--today", TODAY.isoformat(), "--periode", "2026-07")[0] == 0
    body, _ = _text(report_path(office / "outbox", parse_period("2026-07")))
    assert "Catatan kantor: 1 permohonan." in body
    document.add_paragraph("{{ ringkas.diterma }}")
    document.save(str(path))
    code, output = _monev(office, "--today", TODAY.isoformat(), "--periode", "2026-07")
    assert code == 1 and "ringkas.diterma" in output and "ringkas.diterima" in output


def test_fields_lists_the_report_fields() -> None:
    result = CliRunner().invoke(cli, ["fields", "laporan_monev", "--today", "2026-11-28"])
    assert result.exit_code == 0
    assert "{{ grafik.langkah }}" in result.output
    assert "{{ x.catatan }} di dalam {% for x in monitoring %}" in result.output


# -- sheet Kinerja ---------------------------------------------------------------------------------------


def test_rekap_has_sheet_kinerja_with_native_charts_and_follows_the_photos(tmp_path: Path) -> None:
    root = tmp_path / "kantor"
    init_folder(root, contoh=True)
    settings = Settings.build(root=root, today=date(2026, 11, 28), workers=1)
    process(settings)
    recap = root / "outbox" / "REKAP.xlsx"
    wb = openpyxl.load_workbook(recap)
    assert wb.sheetnames == ["Rekap", "Perlu dicetak", "Masalah", "Kinerja", "Info"]
    rows = list(wb["Kinerja"].iter_rows(values_only=True))
    assert rows[0][0] == "Kinerja SOP Pemeliharaan Server Tahun 2026"
    head = rows.index(next(r for r in rows if r[0] == "Diterima"))
    assert rows[head + 1][:5] == (11, 2, 9, 3, 0)
    step2 = next(r for r in rows if r[1] == "2. Disposisi Kepala Dinas")
    assert step2[3:8] == (10, 9, 1, 0, 0.9)
    with zipfile.ZipFile(recap) as zf:
        assert len([n for n in zf.namelist() if n.startswith("xl/charts/chart")]) == 3
    assert _photo_gaps(recap) == 3  # 1841, 2331 and 2379 reached step 7 without a photo
    before = recap.read_bytes()
    process(settings)
    assert recap.read_bytes() == before  # nothing changed: not rewritten
    photos = root / "inbox" / "lampiran" / "2026"
    (photos / "2331").mkdir()
    shutil.copy(next((photos / "2016").glob("*.jpg")), photos / "2331")
    process(settings)
    assert recap.read_bytes() != before  # the register did not change, the photos did
    assert _photo_gaps(recap) == 2


def _photo_gaps(recap: Path) -> object:
    rows = list(openpyxl.load_workbook(recap)["Kinerja"].iter_rows(values_only=True))
    gaps = rows.index(next(r for r in rows if r[0] and str(r[0]).startswith("Kelengkapan")))
    return next(r for r in rows[gaps:] if r[1] == "7. Pelaksanaan")[3]


@pytest.mark.soffice
def test_report_converts_to_pdf_with_every_part(contoh: Path, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install LibreOffice (soffice) for this test")
        pytest.skip("soffice not installed")
    assert _monev(contoh, "--today", EXAMPLE_TODAY, "--periode", "2026-S2")[0] == 0
    source = report_path(contoh / "outbox", parse_period("2026-S2"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profil'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)], check=True,
                   capture_output=True, timeout=300)
    pdf = tmp_path / (source.stem + ".pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for part in ("PENDAHULUAN", "HASIL MONITORING", "FORMULIR MONITORING PELAKSANAAN SOP",
                 "SIMPULAN DAN SARAN", "PENUTUP", "Mengetahui,", "Gambar 3."):
        assert part in text


def test_the_report_is_signed_as_every_document_is() -> None:
    """ttd.kabid / ttd.kadis are built by the documents' own signer (fields.official): their role is set,
    so '{{ ttd.kabid.peran }}' prints 'Kepala Bidang' (or 'Plh. Kepala Bidang') as in the laporan."""
    from pipeline.monev.report import sample_context
    ttd = sample_context(date(2026, 6, 15))["ttd"]
    assert (ttd["kabid"]["peran"], ttd["kadis"]["peran"]) == ("Kepala Bidang", "Kepala Dinas")
    assert ttd["kadis"]["jabatan"] == "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA\nKABUPATEN KARANGANYAR,"
