"""`sop-pipeline arsip`: archives of finished requests from real outboxes, their versions, and their
checks."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import at_step, device, request, write_register

from pipeline import __version__
from pipeline.cli import cli
from pipeline.outbox.archive import (
    ArchiveReport,
    archive_requests,
    changed_since_archive,
    mark_changed_since_archive,
)
from pipeline.outbox.status import status_text
from pipeline.outbox.verify import verify_archives
from pipeline.process import RunReport, check, process
from pipeline.settings import Settings

TODAY = date(2026, 7, 21)
FOLDER = Path("2026") / "017 - Dinas Kesehatan"
ARSIP = Path("_arsip") / "2026"
V1 = ARSIP / "017 - Dinas Kesehatan.zip"
V2 = ARSIP / "017 - Dinas Kesehatan (versi 2).zip"
DOCS = ["01 Lembar Disposisi.docx", "02 Formulir Isian Kelengkapan.docx",
        "03 Pengumuman Penghentian Layanan.docx",
        "05 Berita Acara Pekerjaan.docx", "06 Laporan Hasil Pelaksanaan.docx"]


def settings(office: Path, today: date = TODAY) -> Settings:
    return Settings.build(root=office, today=today, workers=1)


def run(office: Path, today: date = TODAY, **sheets: object) -> RunReport:
    if sheets:
        write_register(office / "inbox" / "register.xlsx", **sheets)  # type: ignore[arg-type]
    return process(settings(office, today))


def archive(office: Path, report: RunReport, today: date = TODAY) -> ArchiveReport:
    return archive_requests(settings(office, today), report.validations,
                            unsettled=report.unsettled_folders(office / "outbox"))


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def manifest_of(path: Path) -> dict:
    return json.loads(members(path)["MANIFEST.json"])


def archives(office: Path) -> list[str]:
    found = (p.relative_to(office / "outbox").as_posix()
             for p in (office / "outbox" / "_arsip").rglob("*.zip"))
    return sorted(found, key=len)  # '….zip' before '… (versi 2).zip'


def test_only_finished_requests_without_errors_are_archived(office: Path) -> None:
    report = run(office, permohonan=[request(), at_step(9, No_Agenda="018"),
                                     request(No_Agenda="019", Alamat_IP="10.20.1.999")],
                 perangkat=[device(), device("018"), device("019")])
    assert [a.agenda for v in report.validations for a in v.assessments if a.held] == ["019"]
    result = archive(office, report)
    assert archives(office) == [V1.as_posix()]
    assert result.created == [office.resolve() / "outbox" / V1]
    assert result.skipped == [("019", "ada galat; perbaiki register dulu (lihat STATUS.txt)")]
    assert result.summary() == ("Arsip: 1 dibuat, 0 tidak berubah, "
                                "1 permohonan selesai belum dapat diarsipkan.")


def test_archive_holds_documents_checksums_and_manifest(office: Path) -> None:
    report = run(office, permohonan=[request()], perangkat=[device()])
    folder = office / "outbox" / FOLDER
    (folder / "~$05 Berita Acara Pekerjaan.docx").write_bytes(b"owner file of an open document")
    (folder / "_riwayat").mkdir()
    (folder / "_riwayat" / "01 Lembar Disposisi 20260720-080000.docx").write_bytes(b"old version")
    archive(office, report)
    files = members(office / "outbox" / V1)
    assert sorted(files) == [*DOCS, "MANIFEST.json", "SHA256SUMS", "STATUS.txt", "_manifest.json"]
    for name in [*DOCS, "STATUS.txt"]:
        assert files[name] == (folder / name).read_bytes(), name
    # The folder's manifest now also records the archive made of it (for `arsip --verify`); nothing else.
    recorded = json.loads((folder / "_manifest.json").read_bytes())
    made = hashlib.sha256((office / "outbox" / V1).read_bytes()).hexdigest()
    assert recorded.pop("arsip") == {V1.as_posix(): made}
    assert json.loads(files["_manifest.json"]) == recorded
    sums = [f"{hashlib.sha256(files[n]).hexdigest()}  {n}" for n in sorted(files) if n != "SHA256SUMS"]
    assert files["SHA256SUMS"].decode().splitlines() == sums
    with zipfile.ZipFile(office / "outbox" / V1) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}

    manifest = manifest_of(office / "outbox" / V1)
    assert (manifest["versi_pipeline"], manifest["versi_arsip"], manifest["no_agenda"]) \
        == (__version__, 1, "017")
    assert manifest["folder"] == "2026/017 - Dinas Kesehatan"
    values = manifest["data"]["permohonan"]
    assert (values["No. Agenda"], values["Tanggal Diterima"], values["Henti Mulai"],
            values["Hasil Pemeliharaan"]) \
        == ("017", "2026-07-06", "2026-07-14T08:00:00", "Server normal.")
    assert manifest["data"]["perangkat"][0]["Nomor Seri"] == "CN7X2P3"
    assert manifest["langkah"][0] == {"langkah": 1, "nama": "Surat diterima", "tanggal": "2026-07-06"}
    assert manifest["langkah"][-1] == {"langkah": 12, "nama": "Selesai", "tanggal": "2026-07-20"}
    assert 8 not in [s["langkah"] for s in manifest["langkah"]]  # Perangkat Diganti = Tidak
    written = json.loads((folder / "_manifest.json").read_text(encoding="utf-8"))["dokumen"]
    listed = {f["berkas"]: f for f in manifest["berkas"]}
    for name in DOCS:
        assert listed[name]["templat"] == written[name]["templat"] and len(listed[name]["templat"]) == 64
        assert listed[name]["sidik"] == written[name]["sidik"]
        assert listed[name]["sha256"] == hashlib.sha256((folder / name).read_bytes()).hexdigest()


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum (coreutils) not installed")
def test_sha256sums_is_read_by_sha256sum(office: Path, tmp_path: Path) -> None:
    archive(office, run(office, permohonan=[request()], perangkat=[device()]))
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(office / "outbox" / V1) as zf:
        zf.extractall(unpacked)
    done = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=unpacked,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == len(DOCS) + 3


def test_second_arsip_changes_nothing_even_days_later(office: Path) -> None:
    archive(office, run(office, permohonan=[request()], perangkat=[device()]))
    zip_path = office / "outbox" / V1
    before = (zip_path.read_bytes(), zip_path.stat().st_mtime_ns)
    later = TODAY + timedelta(days=9)
    report = run(office, later)  # STATUS.txt now carries a later date; the request itself did not change
    assert "Diperbarui       : 30 Juli 2026" \
        in (office / "outbox" / FOLDER / "STATUS.txt").read_text(encoding="utf-8")
    result = archive(office, report, later)
    assert (result.created, result.unchanged) == ([], 1)
    assert archives(office) == [V1.as_posix()]
    assert (zip_path.read_bytes(), zip_path.stat().st_mtime_ns) == before
    assert not changed_since_archive(office / "outbox", office / "outbox" / FOLDER)


def test_changed_request_is_archived_again_beside_the_first(office: Path) -> None:
    archive(office, run(office, permohonan=[request()], perangkat=[device()]))
    outbox, folder = office / "outbox", office / "outbox" / FOLDER
    first = (outbox / V1).read_bytes()
    write_register(office / "inbox" / "register.xlsx",
                   permohonan=[request(Hasil_Pemeliharaan="Server normal; "
                                                          "disk kedua diganti.")],
                   perangkat=[device()])

    # Before the next run the documents are still the archived ones, but the register says otherwise.
    validation = mark_changed_since_archive(outbox, check(settings(office)).validations[0])
    a = validation.assessments[0]
    flagged = [p for p in a.problems if "berubah setelah diarsipkan" in p.message]
    assert [(p.severity.value, p.sheet, p.row, p.agenda, p.source) for p in flagged] == [
        ("peringatan", "Permohonan", 2, "017", "register.xlsx")]
    assert "data di register berubah" in flagged[0].message and V1.as_posix() in flagged[0].message
    assert "berubah setelah diarsipkan" in status_text(a, validation, TODAY)
    assert not a.held
    assert not changed_since_archive(outbox, folder)  # documents alone: not rewritten yet

    report = run(office)
    assert "06 Laporan Hasil Pelaksanaan.docx" in [p.name for p in report.written]
    assert changed_since_archive(outbox, folder)
    result = archive(office, report)
    assert result.created == [outbox.resolve() / V2]
    assert archives(office) == [V1.as_posix(), V2.as_posix()]
    assert (outbox / V1).read_bytes() == first
    second = manifest_of(outbox / V2)
    assert second["versi_arsip"] == 2
    assert second["data"]["permohonan"]["Hasil Pemeliharaan"] == "Server normal; disk kedua diganti."
    assert members(outbox / V2)["05 Berita Acara Pekerjaan.docx"] \
        == (folder / "05 Berita Acara Pekerjaan.docx").read_bytes()
    assert not changed_since_archive(outbox, folder)
    again = mark_changed_since_archive(outbox, check(settings(office)).validations[0])
    assert not [p for p in again.assessments[0].problems if "diarsipkan" in p.message]
    assert archive(office, run(office)).created == []


def test_moving_the_row_in_the_register_is_no_change(office: Path) -> None:
    other = at_step(4, No_Agenda="018")
    archive(office, run(office, permohonan=[request(), other], perangkat=[device(), device("018")]))
    report = run(office, permohonan=[other, request()], perangkat=[device("018"), device()])
    result = archive(office, report)
    assert (result.created, result.unchanged) == ([], 1)
    assert manifest_of(office / "outbox" / V1)["baris"] == 2  # where it was when archived


def test_an_archive_is_never_overwritten(office: Path) -> None:
    archive(office, run(office, permohonan=[request()], perangkat=[device()]))
    squatter = office / "outbox" / V2
    squatter.write_bytes(b"not ours")  # someone put a file under the next version's name
    report = run(office, permohonan=[request(Hasil_Pemeliharaan="Baik.")], perangkat=[device()])
    result = archive(office, report)
    assert [p.name for p in result.created] == ["017 - Dinas Kesehatan (versi 3).zip"]
    assert squatter.read_bytes() == b"not ours"
    assert manifest_of(office / "outbox" / ARSIP / "017 - Dinas Kesehatan (versi 3).zip")["versi_arsip"] == 3


def test_folder_with_a_locked_document_waits(office: Path) -> None:
    run(office, permohonan=[request()], perangkat=[device()])
    folder = office / "outbox" / FOLDER
    (folder / "~$05 Berita Acara Pekerjaan.docx").write_bytes(b"owner")  # open in Word: cannot be updated
    report = run(office, permohonan=[request(Hasil_Pemeliharaan="Baik.")], perangkat=[device()])
    result = archive(office, report)
    assert result.created == []
    assert result.skipped == [("017", ("dokumennya belum dapat diperbarui (terkunci atau gagal ditulis); "
                                       "dicoba lagi nanti"))]


def _tamper(path: Path, change: dict[str, bytes | None]) -> None:
    """Rewrite an archive through a copy: each name → new content, or None to drop it."""
    files = {**members(path), **change}
    copy = path.with_name("copy.zip.tmp")
    with zipfile.ZipFile(copy, "w") as zf:
        for name, data in files.items():
            if data is not None:
                zf.writestr(name, data)
    copy.replace(path)


def test_verify_names_tampered_missing_and_added_files(office: Path) -> None:
    archive(office, run(office, permohonan=[request()], perangkat=[device()]))
    runner = CliRunner()
    clean = runner.invoke(cli, ["arsip", "--verify", "-C", str(office)])
    assert (clean.exit_code, clean.output) == (0, "1 arsip diperiksa: semua utuh.\n")

    zip_path = office / "outbox" / V1
    tampered = members(zip_path)["05 Berita Acara Pekerjaan.docx"] + b"\x00"
    _tamper(zip_path, {"05 Berita Acara Pekerjaan.docx": tampered, "02 Formulir Isian Kelengkapan.docx": None,
                       "catatan.txt": b"added by hand"})
    result = runner.invoke(cli, ["arsip", "--verify", "-C", str(office)])
    assert result.exit_code == 3
    label = V1.as_posix()
    assert result.output.splitlines() == [
        f"RUSAK {label}: berkas '02 Formulir Isian Kelengkapan.docx' hilang dari arsip",
        f"RUSAK {label}: berkas '05 Berita Acara Pekerjaan.docx' isinya berubah (checksum tidak cocok)",
        f"RUSAK {label}: berkas 'catatan.txt' ditambahkan ke arsip (tidak tercatat di SHA256SUMS)",
        "1 arsip diperiksa: 1 bermasalah.",
    ]


def test_verify_catches_a_file_changed_together_with_its_checksum(office: Path) -> None:
    archive(office, run(office, permohonan=[request()], perangkat=[device()]))
    zip_path = office / "outbox" / V1
    files = members(zip_path)
    files["06 Laporan Hasil Pelaksanaan.docx"] += b"\x00"
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n"
                   for n, d in sorted(files.items()) if n != "SHA256SUMS")
    _tamper(zip_path, {"06 Laporan Hasil Pelaksanaan.docx": files["06 Laporan Hasil Pelaksanaan.docx"],
                       "SHA256SUMS": sums.encode()})
    faults = verify_archives(office / "outbox").faults
    assert [(f.member, f.kind, f.detail) for f in faults] == [
        ("06 Laporan Hasil Pelaksanaan.docx", "diubah", "tidak cocok dengan MANIFEST.json")]


def test_verify_reports_a_damaged_zip(office: Path) -> None:
    archive(office, run(office, permohonan=[request()], perangkat=[device()]))
    zip_path = office / "outbox" / V1
    zip_path.write_bytes(zip_path.read_bytes()[:200])  # cut short, as by a failed copy
    faults = verify_archives(office / "outbox").faults
    assert [(f.archive, f.member, f.kind) for f in faults] == [(V1.as_posix(), "", "rusak")]


def test_cli_arsip_archives_then_reports_nothing_to_do(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[request(), at_step(4, No_Agenda="018")],
                   perangkat=[device(), device("018")])
    runner = CliRunner()
    first = runner.invoke(cli, ["arsip", "-C", str(office), "--today", TODAY.isoformat()])
    assert first.exit_code == 0, first.output
    assert f"diarsipkan  {V1.as_posix()}" in first.output.splitlines()
    assert first.output.splitlines()[-1] == "Arsip: 1 dibuat, 0 tidak berubah."
    second = runner.invoke(cli, ["arsip", "-C", str(office), "--today", TODAY.isoformat()])
    assert second.exit_code == 0, second.output
    assert second.output.splitlines()[-1] == "Arsip: 0 dibuat, 1 tidak berubah."
    assert archives(office) == [V1.as_posix()]


def test_cli_arsip_help_explains_itself() -> None:
    result = CliRunner().invoke(cli, ["arsip", "--help"])
    assert result.exit_code == 0
    assert "langkah 12" in result.output and "--verify" in result.output and "--pdf" in result.output


def test_run_flags_changes_after_archiving_in_status_and_rekap(office: Path) -> None:
    archive(office, run(office, permohonan=[request()], perangkat=[device()]))
    status = office / "outbox" / FOLDER / "STATUS.txt"
    run(office, permohonan=[request(Hasil_Pemeliharaan="Baik.")], perangkat=[device()])
    assert "berubah setelah diarsipkan" in status.read_text(encoding="utf-8")
    rekap = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")
    assert f"Permohonan ini berubah setelah diarsipkan ({V1.as_posix()}): data di register berubah." in [
        r[7] for r in rekap["Masalah"].iter_rows(min_row=2, values_only=True)]
    assert rekap["Rekap"]["N3"].value == 2  # Peringatan, this one and 'no photos' (row 1: title, 2: header)
    run(office)  # a register read from the watcher's cache is flagged too
    assert "berubah setelah diarsipkan" in status.read_text(encoding="utf-8")
    archive(office, run(office))
    run(office)
    assert "berubah setelah diarsipkan" not in status.read_text(encoding="utf-8")
