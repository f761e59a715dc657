"""What a careless clerk, a second technician and a hostile user did to the pipeline (issue 10): no silent
wrong answer, no crash on one bad cell, no run that breaks another."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from conftest import copy_templates, device, request, write_register
from jinja2.exceptions import SecurityError, UndefinedError
from PIL import Image
from test_hostile import SAMPLE, _template

from pipeline.cli import main
from pipeline.documents import photos
from pipeline.documents.checks import check_template
from pipeline.documents.render import render_bytes
from pipeline.documents.sandbox import make_environment
from pipeline.errors import BusyError
from pipeline.outbox.lock import office_lock
from pipeline.process import RunReport, check, process
from pipeline.settings import Settings

TODAY = date(2026, 7, 21)
FOLDER = Path("2026") / "017 - Dinas Kesehatan"


def run(office: Path, today: date = TODAY, **sheets: object) -> RunReport:
    if sheets:
        write_register(office / "inbox" / "register.xlsx", **sheets)  # type: ignore[arg-type]
    return process(Settings.build(root=office, today=today, workers=1))



# --- one bad cell is a problem on that cell, never the end of the run ---------------------------------------

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


# --- archives: a missing one is noticed, a hostile one is read with caps ------------------------------------

def _archived(office: Path) -> Path:
    from pipeline.outbox.archive import archive_requests
    report = run(office, permohonan=[request()], perangkat=[device()])
    settings = Settings.build(root=office, today=TODAY, workers=1)
    created = archive_requests(settings, report.validations).created
    assert len(created) == 1
    return created[0]


def _main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str,
          env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """The installed command, in this process: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["sop-pipeline", *args])
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SystemExit) as stopped:
        main()
    out = capsys.readouterr()
    code = stopped.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err


def test_verify_exits_3_when_an_archive_is_missing(office: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    zip_path = _archived(office)
    assert _main(monkeypatch, capsys, "arsip", "--verify", "-C", str(office))[0] == 0
    zip_path.unlink()
    code, out, _ = _main(monkeypatch, capsys, "arsip", "--verify", "-C", str(office))
    assert code == 3
    assert out.splitlines() == [
        "RUSAK _arsip/2026/017 - Dinas Kesehatan.zip: arsip ini tidak ada — tercatat di "
        "017 - Dinas Kesehatan/_manifest.json, tetapi arsipnya tidak ada",
        "0 arsip diperiksa: semua utuh; 1 arsip hilang."]


def test_verify_notices_a_missing_earlier_version(office: Path) -> None:
    from pipeline.outbox.verify import verify_archives
    zip_path = _archived(office)
    zip_path.rename(zip_path.with_name("017 - Dinas Kesehatan (versi 2).zip"))
    faults = verify_archives(office / "outbox").faults
    assert [(f.archive, f.kind) for f in faults] == [("_arsip/2026/017 - Dinas Kesehatan.zip", "hilang")]


def test_verify_notices_an_archive_replaced_by_another(office: Path) -> None:
    from pipeline.outbox.verify import verify_archives
    zip_path = _archived(office)
    with zipfile.ZipFile(zip_path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    with zipfile.ZipFile(zip_path, "w") as zf:  # the same members, packed again: consistent by itself
        for name, data in members.items():
            zf.writestr(name, data)
    faults = verify_archives(office / "outbox").faults
    assert [(f.archive, f.member, f.kind) for f in faults] == [
        ("_arsip/2026/017 - Dinas Kesehatan.zip", "", "diubah")]


def test_verify_with_a_mistyped_folder_cannot_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main(monkeypatch, capsys, "arsip", "--verify", "-C", str(tmp_path / "kantr"))
    assert (code, out) == (1, "")
    outbox = tmp_path / "kantr" / "outbox"
    assert err == f"Tidak dapat berjalan: Folder {outbox} tidak ada; periksa jalur -C.\n"


def _patch_member(path: Path, name: str, *, flags: int = 0, method: int | None = None) -> None:
    """Set general-purpose flag bits or the compression method of one member, in both of its headers."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, flag_at, method_at, name_at in ((b"PK\x03\x04", 6, 8, 30), (b"PK\x01\x02", 8, 10, 46)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            start = at + 4
            length_at = at + name_at - (4 if signature == b"PK\x03\x04" else 18)
            length = struct.unpack_from("<H", data, length_at)[0]
            if bytes(data[at + name_at:at + name_at + length]) != encoded:
                continue
            old = struct.unpack_from("<H", data, at + flag_at)[0]
            struct.pack_into("<H", data, at + flag_at, old | flags)
            if method is not None:
                struct.pack_into("<H", data, at + method_at, method)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("flags", "method", "says"), [
    (0x1, None, "tidak dapat dibaca: terenkripsi (berkata sandi)"),
    (0, 99, "tidak dapat dibaca: metode kompresi tidak dikenal"),
])
def test_verify_names_an_encrypted_or_strangely_compressed_member(
        office: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], flags: int,
        method: int | None, says: str) -> None:
    zip_path = _archived(office)
    _patch_member(zip_path, "05 Berita Acara Pekerjaan.docx", flags=flags, method=method)
    code, out, err = _main(monkeypatch, capsys, "arsip", "--verify", "-C", str(office))
    assert (code, err) == (3, "")
    assert f"RUSAK _arsip/2026/017 - Dinas Kesehatan.zip: berkas '05 Berita Acara Pekerjaan.docx' isinya " \
           f"berubah (checksum tidak cocok) — {says}" in out


def _bomb(path: Path, size: int) -> None:
    """A zip whose MANIFEST.json is valid JSON of ``size`` bytes, compressed to almost nothing."""
    body = b'{"berkas": [], "x": "' + b"a" * size + b'"}'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("MANIFEST.json", body)
        zf.writestr("SHA256SUMS", f"{hashlib.sha256(body).hexdigest()}  MANIFEST.json\n")


def test_a_zip_bomb_in_the_archive_folder_is_read_with_a_cap(office: Path) -> None:
    """Every run reads the newest archive's MANIFEST.json of each finished request: 64 MB of it must not be
    held in memory (a 4 GB one took 8 GB)."""
    run(office, permohonan=[request()], perangkat=[device()])
    target = office / "outbox" / "_arsip" / "2026" / "017 - Dinas Kesehatan.zip"
    target.parent.mkdir(parents=True)
    _bomb(target, 64 * 1024 * 1024)
    tracemalloc.start()
    try:
        report = check(Settings.build(root=office, today=TODAY))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024
    assert any("arsip terakhir '017 - Dinas Kesehatan.zip' tidak dapat dibaca" in p.message
               for p in report.all_problems())


def test_verify_streams_members(office: Path) -> None:
    from pipeline.outbox.verify import verify_archives
    target = office / "outbox" / "_arsip" / "2026" / "besar.zip"
    target.parent.mkdir(parents=True)
    body = b"\x00" * (48 * 1024 * 1024)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("besar.bin", body)
        zf.writestr("SHA256SUMS", f"{hashlib.sha256(body).hexdigest()}  besar.bin\n")
    tracemalloc.start()
    try:
        faults = verify_archives(office / "outbox").faults
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert faults == []
    assert peak < 16 * 1024 * 1024


# --- one clear line and its exit code, never a traceback ----------------------------------------------------

@pytest.mark.parametrize(("args", "env", "code", "says"), [
    (["check"], {"SOP_PIPELINE_TODAY": "besok"},
     1, "Tidak dapat berjalan: SOP_PIPELINE_TODAY='besok' bukan tanggal; tulis seperti 2026-11-28 "
        "(YYYY-MM-DD)"),
    (["run"], {"SOP_PIPELINE_WORKERS": "abc"},
     1, "Tidak dapat berjalan: SOP_PIPELINE_WORKERS='abc' bukan bilangan bulat; tulis jumlah proses, mis. 2"),
    (["run", "--today", "9999-12-31"], {}, 2, "9999-12-31 di luar rentang 2000–2100; periksa tahunnya"),
    (["monev", "--dari", "9999-12-01", "--sampai", "9999-12-31"], {},
     2, "9999-12-01 di luar rentang 2000–2100; periksa tahunnya"),
])
def test_bad_settings_are_one_line(office: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str], args: list[str], env: dict[str, str],
                                   code: int, says: str) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    got, out, err = _main(monkeypatch, capsys, *args, "-C", str(office), env=env)
    assert (got, out) == (code, "")
    assert says in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if line]) <= 3  # click usage errors: Usage, Try, Error


def test_outbox_being_a_file_is_one_line(office: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    shutil.rmtree(office / "outbox")
    (office / "outbox").write_text("not a folder")
    code, out, err = _main(monkeypatch, capsys, "run", "-C", str(office))
    assert (code, out) == (1, "")
    assert err.startswith("Tidak dapat berjalan: ") and "outbox" in err and len(err.splitlines()) == 1


def test_init_where_it_cannot_write_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "berkas").write_text("a file where a folder should be")
    code, out, err = _main(monkeypatch, capsys, "init", str(tmp_path / "berkas" / "kantor"))
    assert (code, out) == (1, "")
    assert err == (f"Tidak dapat berjalan: {tmp_path / 'berkas' / 'kantor' / 'inbox'}: bukan folder (Not a "
                   "directory). Periksa folder itu dan izin akun yang menjalankan.\n")


def test_an_unreadable_request_folder_is_a_problem_on_its_request(office: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """outbox/<tahun> this account cannot read (a share's permissions): Word's owner-file check raised
    PermissionError in a render process and ended the run for everyone."""
    run(office, permohonan=[request(), request(No_Agenda="018", Perangkat_Daerah="Dinas Sosial")],
        perangkat=[device(), device("018")])
    real = {name: getattr(os, name) for name in ("stat", "lstat", "open", "scandir")}
    locked = str(office.resolve() / "outbox" / "2026" / "017 - Dinas Kesehatan")

    def refusing(name: str) -> Callable[..., Any]:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            # as in a folder of mode 0o000 on a share
            if not isinstance(path, int) and os.fspath(path).startswith(locked + os.sep):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real[name](path, *args, **kwargs)
        return call

    for name in real:
        monkeypatch.setattr(os, name, refusing(name))
    report = run(office, permohonan=[request(Hal="Diubah"), request(No_Agenda="018", Hal="Diubah",
                                                                    Perangkat_Daerah="Dinas Sosial")],
                 perangkat=[device(), device("018")])
    assert {p.agenda for p in report.problems if p.message != NO_LOGO} == {"017"}, \
        [p.describe() for p in report.problems]
    assert any(path.parent.name == "018 - Dinas Sosial" for path in report.written)


def test_any_console_encoding_works(office: Path) -> None:
    """Output redirected to a file on Windows is cp1252, which has no '→': it must not end the command."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    env.pop("PYTHONUTF8", None)
    done = subprocess.run([sys.executable, "-m", "pipeline", "fields", "laporan", "--tanpa-berkas"],
                          capture_output=True, env=env, timeout=120, cwd=office)
    assert (done.returncode, done.stderr) == (0, b"")
    lines = done.stdout.splitlines()
    assert lines[0] == "# laporan.docx — Laporan Hasil Pelaksanaan".encode("cp1252")  # '—' is in cp1252
    assert b"    {{ kop.dinas }}  ?  DINAS KOMUNIKASI DAN INFORMATIKA" in lines  # '→' is not: replaced


# --- the request key and its photos -------------------------------------------------------------------------

LAPORAN = "06 Laporan Hasil Pelaksanaan.docx"
# From step 7 on, a request without a usable photo is warned about too (tested in test_naskah.py).
NO_PHOTO = "Langkah 7 (Pelaksanaan) sudah diisi, tetapi tidak ada foto dokumentasi di lampiran/2026/017/."
NO_LOGO = "Lambang daerah templates_docx/logo.png tidak ada; kop dokumen dicetak tanpa lambang."


def _photo(path: Path, size: tuple[int, int] = (640, 480), mode: str = "RGB", kind: str = "JPEG") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, "white" if mode != "1" else 1).save(path, kind)
    return path


def _pictures(path: Path) -> int:
    return len(docx.Document(str(path)).inline_shapes)


def _a_year_earlier(row: dict[str, Any]) -> dict[str, Any]:
    """The same request received 52 weeks earlier: every date moved, the weekdays kept."""
    return {k: (v - timedelta(days=364) if isinstance(v, date) else v) for k, v in row.items()}


def test_agendas_that_clean_to_one_photo_folder_are_an_error_on_both(office: Path) -> None:
    """'7/2026' and '7-2026' both read lampiran/7-2026/: one request's photos printed in another's laporan."""
    _photo(office / "inbox" / "lampiran" / "7-2026" / "01 Rak.jpg")
    write_register(office / "inbox" / "register.xlsx",
                   permohonan=[request(No_Agenda="7/2026"),
                               request(No_Agenda="7-2026", Perangkat_Daerah="Dinsos")],
                   perangkat=[device("7/2026"), device("7-2026")])
    report = check(Settings.build(root=office, today=TODAY))
    clash = [(p.agenda, p.message) for p in report.all_problems() if p.is_error]
    message = ("Folder foto 'lampiran/7-2026' cocok untuk lebih dari satu permohonan: No. Agenda '7/2026' "
               "tahun 2026 (register.xlsx baris 2) dan No. Agenda '7-2026' tahun 2026 "
               "(register.xlsx baris 3); fotonya tidak dipakai di laporan mana pun.")
    assert clash == [("7/2026", message), ("7-2026", message)]


def test_photos_in_a_folder_of_the_year(office: Path) -> None:
    _photo(office / "inbox" / "lampiran" / "2026" / "017" / "01 Rak.jpg")
    report = run(office, permohonan=[request()], perangkat=[device()])
    assert not report.has_errors
    assert _pictures(office / "outbox" / FOLDER / LAPORAN) == 1


def test_the_same_agenda_in_two_years_is_two_requests(office: Path) -> None:
    """The buku agenda starts again at 1 every January: 017 of 2025 and 017 of 2026 are not duplicates."""
    _photo(office / "inbox" / "lampiran" / "2025" / "017" / "01 Lama.jpg")
    _photo(office / "inbox" / "lampiran" / "2026" / "017" / "01 Baru.jpg")
    _photo(office / "inbox" / "lampiran" / "2026" / "017" / "02 Baru.jpg")
    report = run(office, permohonan=[_a_year_earlier(request()), request()])
    assert [p.message for p in report.all_problems() if p.is_error] == []
    old = office / "outbox" / "2025" / "017 - Dinas Kesehatan" / LAPORAN
    assert (_pictures(old), _pictures(office / "outbox" / FOLDER / LAPORAN)) == (1, 2)


def test_an_old_style_photo_folder_of_two_years_is_an_error(office: Path) -> None:
    _photo(office / "inbox" / "lampiran" / "017" / "01 Rak.jpg")
    write_register(office / "inbox" / "register.xlsx", permohonan=[_a_year_earlier(request()), request()])
    report = check(Settings.build(root=office, today=TODAY))
    assert [p.message.split(":")[0] for p in report.all_problems() if p.is_error] == [
        "Folder foto 'lampiran/017' cocok untuk lebih dari satu permohonan"] * 2


def test_a_device_of_an_agenda_used_in_two_years_is_an_error(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[_a_year_earlier(request()), request()],
                   perangkat=[device()])
    report = check(Settings.build(root=office, today=TODAY))
    assert [(p.agenda, p.sheet, p.row, p.message) for p in report.all_problems() if p.is_error] == [
        (agenda, "Perangkat", 2, "Perangkat baris 2: No. Agenda '017' dipakai permohonan tahun 2025 "
         "(baris 2) dan tahun 2026 (baris 3); tidak dapat dipastikan perangkat ini milik permohonan yang "
         "mana.")
        for agenda in ("017", "017")]


def test_a_photo_folder_of_no_request_is_a_warning(office: Path) -> None:
    """A clerk typed 017 into a General cell: Excel keeps 17, and lampiran/017/ silently left the laporan."""
    _photo(office / "inbox" / "lampiran" / "017" / "01 Rak.jpg")
    write_register(office / "inbox" / "register.xlsx", permohonan=[request(No_Agenda="17")],
                   perangkat=[device("17")])
    report = check(Settings.build(root=office, today=TODAY))
    assert [(p.sheet, p.message) for p in report.problems] == [
        ("lampiran/017",
         "Folder foto 'lampiran/017' tidak cocok dengan permohonan mana pun; fotonya tidak dipakai.")]


def test_check_and_run_agree_on_a_copy_of_the_register(office: Path) -> None:
    """Explorer's copy-paste leaves 'register - Salinan.xlsx' beside the register: check said 0 galat while
    run held every request with 'Folder … sudah dipakai permohonan lain'."""
    path = write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    shutil.copyfile(path, office / "inbox" / "register - Salinan.xlsx")
    checked = check(Settings.build(root=office, today=TODAY))
    ran = run(office)

    def errors(report: RunReport) -> list[tuple[str, int | None, str]]:
        return sorted((p.source, p.row, p.message) for p in report.all_problems() if p.is_error)

    both = ("No. Agenda '017' tahun 2026 tercatat di lebih dari satu register: register - Salinan.xlsx "
            "baris 2 dan register.xlsx baris 2.")
    assert errors(checked) == errors(ran) == [("register - Salinan.xlsx", 2, both),
                                              ("register.xlsx", 2, both)]
    assert ran.held == 2 and not ran.written


def test_a_truncated_photo_is_a_warning_everywhere(office: Path) -> None:
    photo = _photo(office / "inbox" / "lampiran" / "017" / "01 Rak.jpg", (1200, 900))
    photo.write_bytes(photo.read_bytes()[: photo.stat().st_size // 2])  # an interrupted copy from a phone
    report = run(office, permohonan=[request()], perangkat=[device()])
    says = "Foto '01 Rak.jpg' dilewati: terpotong atau rusak."
    assert [p.message for p in check(Settings.build(root=office, today=TODAY)).all_problems()] \
        == [says, NO_PHOTO]
    assert says in (office / "outbox" / FOLDER / "STATUS.txt").read_text(encoding="utf-8")
    masalah = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")["Masalah"]
    assert says in [row[7] for row in masalah.iter_rows(values_only=True)]
    assert report.written and _pictures(office / "outbox" / FOLDER / LAPORAN) == 0
    assert "foto tidak dapat dibaca" not in "".join(p.text for p in docx.Document(
        str(office / "outbox" / FOLDER / LAPORAN)).paragraphs)


# --- pictures that would take minutes or gigabytes ----------------------------------------------------------

def test_a_photo_above_the_pixel_cap_is_skipped(office: Path) -> None:
    _photo(office / "inbox" / "lampiran" / "017" / "01 Besar.png", (7200, 7200), mode="1", kind="PNG")
    report = check(Settings.build(root=office, today=TODAY)) if write_register(
        office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()]) else None
    assert report is not None
    assert [p.message for p in report.all_problems()] == [
        "Foto '01 Besar.png' dilewati: gambarnya terlalu besar (7200×7200 piksel; batas 50 megapiksel).",
        NO_PHOTO]


def test_photos_of_one_request_are_capped_in_total(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photos, "MAX_REQUEST_PIXELS", 700_000)
    for name in ("01 A.jpg", "02 B.jpg", "03 C.jpg"):
        _photo(office / "inbox" / "lampiran" / "017" / name)  # 307,200 pixels each
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    report = check(Settings.build(root=office, today=TODAY))
    assert [p.message for p in report.all_problems()] == [
        "Foto '03 C.jpg' dilewati: jumlah piksel semua foto permohonan ini melebihi batas 1 megapiksel."]
    [a] = report.validations[0].assessments
    assert [p.path.name for p in a.photos] == ["01 A.jpg", "02 B.jpg"]


def test_a_huge_logo_is_checked_like_a_photo(office: Path) -> None:
    """An 88 MP logo.png of 280 KB turned a 2 s run into 56 s: it is refused, the kop printed without it."""
    _photo(office / "templates_docx" / "logo.png", (7200, 7200), mode="1", kind="PNG")
    report = run(office, permohonan=[request()], perangkat=[device()])
    assert [p.message for p in report.problems] == [
        "Logo 'templates_docx/logo.png' tidak dipakai: gambarnya terlalu besar (7200×7200 piksel; batas 50 "
        "megapiksel)."]
    assert report.written and _pictures(office / "outbox" / FOLDER / "01 Lembar Disposisi.docx") == 0


def test_the_logo_is_prepared_once_for_all_documents(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _photo(office / "templates_docx" / "logo.png", (600, 600), kind="PNG")
    calls: list[Path | None] = []
    real = photos._prepare

    def counted(path: Path | None, data: bytes | None, max_px: int) -> bytes | None:
        calls.append(path)
        return real(path, data, max_px)

    monkeypatch.setattr(photos, "_prepare", counted)
    photos._prepared.cache_clear()
    report = run(office, permohonan=[request()], perangkat=[device()])
    assert len(report.written) == 5
    assert _pictures(office / "outbox" / FOLDER / "01 Lembar Disposisi.docx") == 1
    assert calls.count(office / "templates_docx" / "logo.png") == 1


# --- the sandbox: every intermediate value bounded ----------------------------------------------------------

@pytest.fixture
def short_render_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.documents.sandbox.RENDER_SECONDS", 1.0)


@pytest.mark.usefixtures("short_render_limit")
@pytest.mark.parametrize("tag", [
    "{{ (9**99)**100 }}",
    "{{ (((9**99)**100)**100)**100 }}",  # hung the trial render in one C call
    "{{ ('x'*2000)|replace('x', 'y'*2000) }}",
    "{{ ('x'*60000)|replace('x','y'*60000) }}",  # 3.6 GB
    "{{ (['x'*2000]*2000)|join }}",
    "{{ ('x'*2000).replace('x', 'y'*2000) }}",
    "{% set ns = namespace(s='xx') %}{% for i in range(22) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set l = [1] %}{% for i in range(22) %}{{ l.extend(l) }}{% endfor %}",
    "{{ '%-99999999s' % 'x' }}",
    "{{ '{:>99999999}'.format('x') }}",
    "{{ '{:>{w}}'.format('x', w=99999999) }}",
    "{% set l = [0]*100000 %}{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}",
    "{% for i in range(1000) %}{{ 'x'*199999 }}{% endfor %}",  # each value small enough, 200 MB in all
    "{{ lipsum(n=100000) }}",
])
def test_every_intermediate_value_is_bounded(tag: str) -> None:
    with pytest.raises((SecurityError, UndefinedError)):  # lipsum() is simply not there
        render_bytes(_template("Aman", tag), SAMPLE)


@pytest.mark.usefixtures("short_render_limit")
def test_the_trial_render_has_the_same_limits() -> None:
    """`check` and every run try each template with sample fields, in this process: the same limits apply."""
    problems = check_template(_template("Aman", "{{ (((9**99)**100)**100)**100 }}"), SAMPLE)
    assert [p.message for p in problems] == [
        "Templat gagal dicoba-isi: pangkat terlalu besar."]  # the template is named in Problem.sheet


def test_ordinary_templates_are_not_hindered() -> None:
    env = make_environment()
    out = env.from_string("{{ 'abc'|upper }} {{ [1, 2, 3]|join(', ') }} {{ '%s-%02d' % ('A', 7) }} "
                          "{{ '{:>5}'.format('x') }} {{ 2**64 }} {{ ('ab' * 3)|replace('a', 'x') }} "
                          "{% set ns = namespace(n=0) %}{% for i in range(4) %}{% set ns.n = ns.n + i %}"
                          "{% endfor %}{{ ns.n }}").render()
    assert out == "ABC 1, 2, 3 A-07     x 18446744073709551616 xbxbxb 6"


# --- fingerprints: exactly what docxtpl renders -------------------------------------------------------------

def test_a_field_used_only_in_a_document_property_reaches_the_document(office: Path) -> None:
    template = office / "templates_docx" / "lembar_disposisi.docx"
    document = docx.Document(str(template))
    document.core_properties.title = "{{ p.nama_server }}"  # used nowhere in the body
    document.save(str(template))
    target = office / "outbox" / FOLDER / "01 Lembar Disposisi.docx"
    run(office, permohonan=[request()], perangkat=[device()])
    assert docx.Document(str(target)).core_properties.title == "srv-simpus-01"
    run(office, permohonan=[request(Nama_Server="srv-simpus-02")], perangkat=[device()])
    assert docx.Document(str(target)).core_properties.title == "srv-simpus-02"


# --- an unreadable register keeps the last good recap -------------------------------------------------------

def test_an_unreadable_register_keeps_the_last_recap_marked_not_current(office: Path) -> None:
    path = write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    good = path.read_bytes()
    run(office)
    recap = office / "outbox" / "REKAP.xlsx"
    path.write_bytes(good[:3000])  # caught mid-save
    report = run(office)
    book = openpyxl.load_workbook(recap)
    assert book.sheetnames[0] == "TIDAK MUTAKHIR" and book.active.title == "TIDAK MUTAKHIR"
    lines = [row[0] for row in book["TIDAK MUTAKHIR"].iter_rows(values_only=True)]
    assert lines[0] == "REKAP INI TIDAK MUTAKHIR (per 21 Juli 2026)."
    assert lines[1].startswith("Register 'register.xlsx' tidak dapat dibaca: ")
    assert [row[1] for row in book["Rekap"].iter_rows(values_only=True)][-1] == "017"  # the last good rows
    assert report.recap_error.startswith("REKAP.xlsx ditandai TIDAK MUTAKHIR: Register 'register.xlsx'")
    path.write_bytes(good)
    run(office)
    book = openpyxl.load_workbook(recap)
    assert "TIDAK MUTAKHIR" not in book.sheetnames and book["Rekap"].max_row >= 2


# --- one run at a time on an outbox -------------------------------------------------------------------------

def test_a_second_run_waits_then_says_who_is_running(office: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    with office_lock(office / "outbox", 0, "watch"):
        with pytest.raises(BusyError) as busy:
            process(Settings.build(root=office, today=TODAY, workers=1, lock_wait=0.1))
        holder = f"watch di komputer {socket.gethostname()}, proses {os.getpid()}, sejak "
        assert holder in str(busy.value)
        monkeypatch.setenv("SOP_PIPELINE_ROOT", str(office))
        monkeypatch.setattr("pipeline.process.office_lock",  # the command waits 30 s; a test, not so long
                            lambda outbox, _wait, command: office_lock(outbox, 0.1, command))
        code, out, err = _main(monkeypatch, capsys, "arsip")
        assert (code, out) == (1, "")
        assert err.startswith(f"Tidak dapat berjalan: sop-pipeline lain sedang menulis {office / 'outbox'} "
                              f"({holder}") and len(err.splitlines()) == 1
    assert not list((office / "outbox").glob("2026/*"))
    assert process(Settings.build(root=office, today=TODAY, workers=1, lock_wait=0.1)).written


def test_temporary_files_of_a_run_in_progress_are_left_alone(office: Path) -> None:
    """Every run deleted every '.~sop-*' file under outbox/, those of a run still writing too."""
    run(office, permohonan=[request()], perangkat=[device()])
    writing = office / "outbox" / FOLDER / ".~sop-half.tmp"
    with office_lock(office / "outbox", 0, "run"):
        writing.write_bytes(b"being written")
        with pytest.raises(BusyError):
            process(Settings.build(root=office, today=TODAY, workers=1, lock_wait=0.1))
        assert writing.exists()
    process(Settings.build(root=office, today=TODAY, workers=1))  # nobody holds the lock: a crash's leftover
    assert not writing.exists()


def test_watch_waits_its_turn_while_a_run_writes(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_watch import REGISTER, Simulation, save_register

    save_register(office / REGISTER, "Pertama")
    held = office_lock(office / "outbox", 0, "run")
    held.__enter__()
    sim = Simulation(office, "native", monkeypatch, run=lambda s: process(replace(s, lock_wait=0.05)))
    sim.at(8.0, lambda: held.__exit__(None, None, None))
    cycles = sim.run(until=30)
    assert cycles[0].report is None and "sedang menulis" in cycles[0].error
    assert [c.error for c in cycles[1:]][-1] == "" and cycles[-1].report is not None
    assert any(p.name == "01 Lembar Disposisi.docx" for p in cycles[-1].report.written)


# --- links: nothing written, copied or read outside its folder ----------------------------------------------

def test_a_document_replaced_by_a_link_is_a_problem_not_a_copy(
        office: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    secret = tmp_path_factory.mktemp("luar") / "shadow"
    secret.write_bytes(b"root:$6$rahasia")
    run(office, permohonan=[request()], perangkat=[device()])
    target = office / "outbox" / FOLDER / "01 Lembar Disposisi.docx"
    target.unlink()
    target.symlink_to(secret)
    report = run(office, permohonan=[request(Hal="Diubah")], perangkat=[device()])
    history = office / "outbox" / FOLDER / "_riwayat"
    assert not any(b"rahasia" in p.read_bytes() for p in history.rglob("*") if p.is_file())
    assert target.is_symlink() and secret.read_bytes() == b"root:$6$rahasia"
    [problem] = [p for p in report.problems if p.is_error]
    assert problem.message.startswith(
        "Dokumen '01 Lembar Disposisi.docx' tidak dapat ditulis: "
        "'017 - Dinas Kesehatan/01 Lembar Disposisi.docx' adalah tautan (symlink")


def test_a_history_folder_that_is_a_link_is_refused(office: Path,
                                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("luar")
    run(office, permohonan=[request()], perangkat=[device()])
    (office / "outbox" / FOLDER / "_riwayat").symlink_to(outside, target_is_directory=True)
    report = run(office, permohonan=[request(Hal="Diubah")], perangkat=[device()])
    assert list(outside.iterdir()) == []
    assert any("_riwayat' adalah tautan (symlink" in p.message for p in report.problems if p.is_error)


def test_a_year_folder_that_is_a_link_holds_its_requests(office: Path,
                                                         tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("luar")
    (office / "outbox" / "2026").symlink_to(outside, target_is_directory=True)
    report = run(office, permohonan=[request()], perangkat=[device()])
    assert list(outside.iterdir()) == [] and report.held == 1
    [problem] = [p for p in report.all_problems() if p.is_error]
    assert problem.message == ("Folder dokumen permohonan ini ada di balik tautan (symlink) 'outbox/2026'; "
                               "dokumennya tidak ditulis melalui tautan.")
    checked = check(Settings.build(root=office, today=TODAY))
    assert [p.message for p in checked.all_problems()] == [NO_PHOTO, problem.message]


def test_a_log_folder_that_is_a_link_stops_the_run(office: Path, tmp_path_factory: pytest.TempPathFactory,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path_factory.mktemp("luar")
    shutil.rmtree(office / "outbox" / "_log")
    (office / "outbox" / "_log").symlink_to(outside, target_is_directory=True)
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    code, out, err = _main(monkeypatch, capsys, "run", "-C", str(office))
    assert (code, out, list(outside.iterdir())) == (1, "", [])
    assert err.startswith("Tidak dapat berjalan: 'outbox/_log' adalah tautan (symlink/junction) ke ")


def test_an_outbox_that_is_itself_a_link_is_allowed(tmp_path: Path) -> None:
    """An administrator may put outbox/ on a bigger disk with a link."""
    office = tmp_path / "kantor"
    for name in ("inbox", "templates_docx"):
        (office / name).mkdir(parents=True)
    copy_templates(office / "templates_docx")
    (tmp_path / "disk-besar").mkdir()
    (office / "outbox").symlink_to(tmp_path / "disk-besar", target_is_directory=True)
    report = run(office, permohonan=[request()], perangkat=[device()])
    assert not report.has_errors and (tmp_path / "disk-besar" / FOLDER / LAPORAN).is_file()
    # The clerk's list names the documents as they are found through the link (it was empty here).
    listed = {item.path for item in report.to_print}
    assert f"{FOLDER.as_posix()}/{LAPORAN}" in listed and len(listed) == len(report.written) == 5
    # A request folder that is itself a link, below the linked outbox/: the request is held, named.
    (tmp_path / "elsewhere").mkdir()
    shutil.rmtree(tmp_path / "disk-besar" / FOLDER)
    (tmp_path / "disk-besar" / FOLDER).symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    held = run(office)
    assert held.held == 1 and not (tmp_path / "elsewhere" / LAPORAN).exists()
    messages = [p.message for v in held.validations for p in v.all_problems()]
    assert any(f"'outbox/{FOLDER.as_posix()}'" in m for m in messages)


def test_a_link_in_a_request_folder_is_not_archived(office: Path,
                                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    from pipeline.outbox.archive import archive_requests
    secret = tmp_path_factory.mktemp("luar") / "rahasia.pdf"
    secret.write_bytes(b"%PDF- rahasia")
    report = run(office, permohonan=[request()], perangkat=[device()])
    (office / "outbox" / FOLDER / "lampiran.pdf").symlink_to(secret)
    result = archive_requests(Settings.build(root=office, today=TODAY), report.validations)
    assert result.created == []
    assert [p.message for p in result.problems] == [
        "Arsip No. Agenda 017 tidak dapat ditulis: '017 - Dinas Kesehatan/lampiran.pdf' adalah tautan "
        "(symlink); hapus tautan itu, arsip tidak menyalin melalui tautan"]


def test_links_in_inbox_to_outside_are_refused(office: Path,
                                               tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("luar")
    _photo(outside / "foto" / "01 Luar.jpg")
    _photo(outside / "02 Luar.jpg")
    lampiran = office / "inbox" / "lampiran"
    (lampiran / "2026").mkdir(parents=True)
    (lampiran / "2026" / "017").symlink_to(outside / "foto", target_is_directory=True)
    (lampiran / "018").mkdir()
    (lampiran / "018" / "02 Luar.jpg").symlink_to(outside / "02 Luar.jpg")
    write_register(outside / "lain.xlsx", permohonan=[request(No_Agenda="019")], perangkat=[device("019")])
    (office / "inbox" / "lain.xlsx").symlink_to(outside / "lain.xlsx")
    report = run(office, permohonan=[request(), request(No_Agenda="018")],
                 perangkat=[device(), device("018")])
    assert sorted((p.source, p.message) for p in report.all_problems()) == [
        ("", NO_LOGO),
        ("lain.xlsx",
         f"lain.xlsx adalah tautan (symlink) ke luar inbox/ ({outside / 'lain.xlsx'}); tidak dibaca."),
        ("register.xlsx",
         "Folder foto 'lampiran/2026/017' adalah tautan (symlink) ke luar inbox/; fotonya tidak dibaca."),
        ("register.xlsx", "Foto '02 Luar.jpg' dilewati: tautan (symlink) ke luar inbox/."),
        ("register.xlsx", NO_PHOTO), ("register.xlsx", NO_PHOTO.replace("/017/", "/018/"))]
    assert _pictures(office / "outbox" / FOLDER / LAPORAN) == 0


# --- files the office can open ------------------------------------------------------------------------------

def test_archives_and_every_other_file_follow_the_umask(office: Path) -> None:
    from pipeline.monev.period import parse_period
    from pipeline.monev.report import make_report
    from pipeline.process import archive
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    shutil.rmtree(office / "outbox" / "_log")  # every file below outbox/ written by the pipeline itself
    old = os.umask(0o027)
    try:
        settings = Settings.build(root=office, today=TODAY, workers=1)
        _, result = archive(settings)
        make_report(settings, parse_period("2026-Q3"))
    finally:
        os.umask(old)
    assert result.created
    modes = {p.relative_to(office / "outbox").as_posix(): oct(p.stat().st_mode & 0o777)
             for p in (office / "outbox").rglob("*") if p.is_file()}
    assert set(modes.values()) == {"0o640"}, modes
    assert {"_log/kunci.lock", "REKAP.xlsx", "_arsip/2026/017 - Dinas Kesehatan.zip"} <= set(modes)


def test_a_manifest_that_is_a_link_is_not_followed(office: Path,
                                                   tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("luar") / "catatan.json"
    outside.write_text('{"dokumen": {}}')
    run(office, permohonan=[request()], perangkat=[device()])
    manifest = office / "outbox" / FOLDER / "_manifest.json"
    manifest.unlink()
    manifest.symlink_to(outside)
    report = run(office, permohonan=[request(Hal="Diubah")], perangkat=[device()])
    assert outside.read_text() == '{"dokumen": {}}' and manifest.is_symlink()
    assert any("_manifest.json' adalah tautan (symlink" in p.message for p in report.problems)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_in_place_of_a_manifest_does_not_hang_the_run(office: Path) -> None:
    run(office, permohonan=[request()], perangkat=[device()])
    manifest = office / "outbox" / FOLDER / "_manifest.json"
    manifest.unlink()
    os.mkfifo(manifest)  # opening it to read would wait for a writer for ever
    report = run(office, permohonan=[request(Hal="Diubah")], perangkat=[device()])
    assert not report.has_errors and report.written and manifest.is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
@pytest.mark.parametrize("name", ["perlu-dicetak.json", "putaran.cache"])
def test_a_named_pipe_in_place_of_a_log_file_does_not_hang_the_run(office: Path, name: str) -> None:
    """The Perlu dicetak list and the run memory are read as regular files only, like the manifests: a
    pipe in their place would otherwise hang the run while it holds the office lock."""
    import threading
    run(office, permohonan=[request()], perangkat=[device()])
    target = office / "outbox" / "_log" / name
    target.unlink()
    os.mkfifo(target)
    done: list[RunReport] = []
    worker = threading.Thread(target=lambda: done.append(run(office)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), f"the run hung on the pipe at _log/{name}"
    assert not done[0].has_errors and done[0].replay is None  # read nothing from the pipe: a full run
