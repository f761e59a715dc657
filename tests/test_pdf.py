"""PDF copies with LibreOffice headless: real conversions of real outboxes, PDF/A for archives, and what
happens when LibreOffice is missing or hangs."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import at_step, device, request, write_register
from test_register import soffice

from pipeline.cli import cli
from pipeline.outbox import pdf as pdfs
from pipeline.outbox.pdf import convert_to_pdf
from pipeline.process import process
from pipeline.settings import Settings

TODAY = date(2026, 7, 21)
FOLDER = Path("2026") / "017 - Dinas Kesehatan"
DISPOSISI = FOLDER / "01 Lembar Disposisi.docx"
V1 = Path("_arsip") / "2026" / "017 - Dinas Kesehatan.zip"


def run(office: Path, **sheets: object) -> None:
    if sheets:
        write_register(office / "inbox" / "register.xlsx", **sheets)  # type: ignore[arg-type]
    process(Settings.build(root=office, today=TODAY, workers=1))


def first_step(office: Path, **changes: object) -> Path:
    """A request at step 1 with no outage planned yet: one document, so one quick conversion."""
    run(office, permohonan=[at_step(1, Henti_Mulai=None, Henti_Selesai=None, **changes)])
    return office / "outbox" / DISPOSISI


def is_pdfa(data: bytes) -> bool:
    return b"pdfaid:part" in data  # LibreOffice writes the XMP metadata stream uncompressed


def test_convert_writes_a_pdf_beside_the_document_once(office: Path) -> None:
    exe = soffice()
    doc = first_step(office)
    report = convert_to_pdf([doc], soffice=exe)
    pdf = doc.with_suffix(".pdf")
    assert (report.written, report.problems) == ([pdf], [])
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert not is_pdfa(data)
    assert not [p.name for p in doc.parent.iterdir() if p.name.startswith(".~sop-")]
    stamp = pdf.stat().st_mtime_ns

    again = convert_to_pdf([doc], soffice=exe)
    assert (again.written, again.unchanged) == ([], 1)
    assert pdf.stat().st_mtime_ns == stamp

    first_step(office, Isi_Disposisi_Kadis="Segera dilaksanakan.")  # the document changes, so must its PDF
    changed = convert_to_pdf([doc], soffice=exe)
    assert changed.written == [pdf]
    assert pdf.stat().st_mtime_ns != stamp


def test_pdfa_when_asked(office: Path) -> None:
    exe = soffice()
    doc = first_step(office)
    convert_to_pdf([doc], soffice=exe)
    assert not is_pdfa(doc.with_suffix(".pdf").read_bytes())
    upgraded = convert_to_pdf([doc], pdfa=True, soffice=exe)  # a plain PDF is not good enough for an archive
    assert upgraded.written == [doc.with_suffix(".pdf")]
    assert is_pdfa(doc.with_suffix(".pdf").read_bytes())
    assert convert_to_pdf([doc], soffice=exe).unchanged == 1  # and PDF/A is good enough for everything


def test_someone_elses_pdf_is_kept_in_riwayat(office: Path) -> None:
    exe = soffice()
    doc = first_step(office)
    doc.with_suffix(".pdf").write_bytes(b"%PDF-1.4 signed scan\n%%EOF\n")
    assert convert_to_pdf([doc], soffice=exe).written == [doc.with_suffix(".pdf")]
    kept = list((doc.parent / "_riwayat").glob("01 Lembar Disposisi *.pdf"))
    assert [p.read_bytes() for p in kept] == [b"%PDF-1.4 signed scan\n%%EOF\n"]


def test_missing_libreoffice_is_one_clear_message(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = first_step(office)
    monkeypatch.setattr(pdfs.shutil, "which", lambda *_a, **_k: None)
    report = convert_to_pdf([doc])
    assert report.missing_soffice and report.failed == [doc]
    assert [p.message for p in report.problems] == [
        "LibreOffice (soffice) tidak ditemukan, jadi PDF tidak dibuat. "
        "Dokumen Word tetap ditulis seperti biasa."]
    assert "sudo apt-get install libreoffice-writer-nogui" in report.problems[0].hint
    assert "https://www.libreoffice.org/download/" in report.problems[0].hint
    assert doc.is_file() and not doc.with_suffix(".pdf").exists()


def test_run_pdf_without_libreoffice_still_writes_documents(office: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    write_register(office / "inbox" / "register.xlsx",
                   permohonan=[at_step(1, Henti_Mulai=None, Henti_Selesai=None)])
    monkeypatch.setenv("PATH", str(office / "no-programs-here"))
    result = CliRunner().invoke(cli, ["run", "-C", str(office), "--today", TODAY.isoformat(), "--pdf"])
    assert result.exit_code == 0, result.output
    assert result.output.count("LibreOffice (soffice) tidak ditemukan") == 1
    assert "apt-get install libreoffice-writer-nogui" in result.output
    assert sorted(p.name for p in (office / "outbox" / FOLDER).iterdir()) == [
        "01 Lembar Disposisi.docx", "STATUS.txt", "_manifest.json"]


def test_run_with_the_pdf_setting(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    soffice()
    write_register(office / "inbox" / "register.xlsx",
                   permohonan=[at_step(1, Henti_Mulai=None, Henti_Selesai=None)])
    monkeypatch.setenv("SOP_PIPELINE_PDF", "1")
    result = CliRunner().invoke(cli, ["run", "-C", str(office), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "PDF: 1 ditulis, 0 tidak berubah." in result.output.splitlines()
    # …and one PDF of the run's documents to print, named by the time (outbox/cetak/<tanggal> <jam>.pdf).
    combined = sorted((office / "outbox" / "cetak").glob("*.pdf"))
    assert len(combined) == 1 and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d\.\d\d\.pdf", combined[0].name)
    assert f"PDF gabungan untuk dicetak: outbox/cetak/{combined[0].name} (1 dokumen, " in result.output
    assert (office / "outbox" / DISPOSISI).with_suffix(".pdf").read_bytes().startswith(b"%PDF-")
    off = CliRunner().invoke(cli, ["run", "-C", str(office), "--today", TODAY.isoformat(), "--no-pdf"])
    assert "PDF:" not in off.output


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_hung_libreoffice_is_stopped(office: Path) -> None:
    doc = first_step(office)
    fake = office / "soffice"
    fake.write_text("#!/bin/sh\nsleep 60 &\nwait\n")
    fake.chmod(0o755)
    start = time.monotonic()
    report = convert_to_pdf([doc], timeout=0.5, soffice=str(fake))
    assert time.monotonic() - start < 10
    assert report.failed == [doc]
    assert "tidak selesai dalam 0.5 detik dan dihentikan" in report.problems[0].message
    assert doc.is_file() and not doc.with_suffix(".pdf").exists()


def test_arsip_pdf_packs_pdfa_and_leaves_out_outdated_pdfs(office: Path) -> None:
    soffice()
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    runner = CliRunner()
    args = ["arsip", "-C", str(office), "--today", TODAY.isoformat()]
    first = runner.invoke(cli, [*args, "--pdf"])
    assert first.exit_code == 0, first.output
    with zipfile.ZipFile(office / "outbox" / V1) as zf:
        pdf_names = sorted(n for n in zf.namelist() if n.endswith(".pdf"))
        assert len(pdf_names) == 5
        assert all(is_pdfa(zf.read(n)) for n in pdf_names)
        manifest = json.loads(zf.read("MANIFEST.json"))
    listed = {f["berkas"]: f for f in manifest["berkas"]}
    assert listed["05 Berita Acara Pekerjaan.pdf"]["dokumen"] == "05 Berita Acara Pekerjaan.docx"
    assert listed["05 Berita Acara Pekerjaan.pdf"]["pdfa"] is True
    assert runner.invoke(cli, [*args, "--pdf"]).output.splitlines()[-1] == "Arsip: 0 dibuat, 1 tidak berubah."

    # The register changes and 'arsip' runs without --pdf: the old PDFs no longer show the documents.
    write_register(office / "inbox" / "register.xlsx", permohonan=[request(Hasil_Pemeliharaan="Baik.")],
                   perangkat=[device()])
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    with zipfile.ZipFile(office / "outbox" / V1.with_name("017 - Dinas Kesehatan (versi 2).zip")) as zf:
        # 01–03 do not print Hasil Pemeliharaan: rewritten byte for byte the same, their PDFs still show them.
        assert sorted(n for n in zf.namelist() if n.endswith(".pdf")) == [
            "01 Lembar Disposisi.pdf", "02 Formulir Isian Kelengkapan.pdf",
            "03 Pengumuman Penghentian Layanan.pdf"]
    assert (office / "outbox" / FOLDER / "05 Berita Acara Pekerjaan.pdf").is_file()  # left where it was


def test_find_soffice_prefers_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / ("soffice.exe" if sys.platform == "win32" else "soffice")
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pdfs.find_soffice() == str(fake)
    assert shutil.which("libreoffice") is None
