"""What a careless clerk, a second technician and a hostile user did to the pipeline (issue 10): no silent
wrong answer, no crash on one bad cell, no run that breaks another."""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import device, request, write_register

from pipeline.cli import main
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


# --- archives: a missing one is noticed, a hostile one is read with caps ---------------------------------

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
    from pipeline.outbox.archive import verify_archives
    zip_path = _archived(office)
    zip_path.rename(zip_path.with_name("017 - Dinas Kesehatan (versi 2).zip"))
    faults = verify_archives(office / "outbox").faults
    assert [(f.archive, f.kind) for f in faults] == [("_arsip/2026/017 - Dinas Kesehatan.zip", "hilang")]


def test_verify_notices_an_archive_replaced_by_another(office: Path) -> None:
    from pipeline.outbox.archive import verify_archives
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
    from pipeline.outbox.archive import verify_archives
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


# --- one clear line and its exit code, never a traceback -------------------------------------------------

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
    (office / "outbox").rmdir()
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
    real_stat, real_open = Path.stat, Path.open
    locked = office.resolve() / "outbox" / "2026" / "017 - Dinas Kesehatan"

    def refuse(path: Path) -> None:
        if path.parent == locked:  # as with a folder of mode 0o311: nothing inside it can be looked at
            raise PermissionError(13, "Permission denied", str(path))

    def stat(path: Path, **kwargs: Any) -> os.stat_result:
        refuse(path)
        return real_stat(path, **kwargs)

    def open_(path: Path, *args: Any, **kwargs: Any) -> Any:
        refuse(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    monkeypatch.setattr(Path, "open", open_)
    report = run(office, permohonan=[request(Hal="Diubah"), request(No_Agenda="018", Hal="Diubah",
                                                                    Perangkat_Daerah="Dinas Sosial")],
                 perangkat=[device(), device("018")])
    assert {p.agenda for p in report.problems} == {"017"}
    assert any(path.parent.name == "018 - Dinas Sosial" for path in report.written)


def test_any_console_encoding_works(office: Path) -> None:
    """Output redirected to a file on Windows is cp1252, which has no '→': it must not end the command."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    env.pop("PYTHONUTF8", None)
    done = subprocess.run([sys.executable, "-m", "pipeline", "fields", "laporan"], capture_output=True,
                          env=env, timeout=120)
    assert (done.returncode, done.stderr) == (0, b"")
    lines = done.stdout.splitlines()
    assert lines[0] == "# laporan.docx — Laporan Hasil Pelaksanaan".encode("cp1252")  # '—' is in cp1252
    assert lines[2] == b"  {{ kop.dinas }}  ?  DINAS KOMUNIKASI DAN INFORMATIKA"  # '→' is not: replaced
