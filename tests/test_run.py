"""`sop-pipeline run`: documents from real register fixtures, read back with python-docx."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import CLOCKS, at_step, device, request, write_register
from test_register import soffice

from pipeline.cli import cli
from pipeline.documents.fields import TITIK
from pipeline.process import RunReport, process
from pipeline.settings import Settings

TODAY = date(2026, 7, 21)
FOLDER = Path("2026") / "017 - Dinas Kesehatan"
ALL = ["01 Lembar Disposisi.docx", "02 Formulir Isian Kelengkapan.docx",
       "03 Pengumuman Penghentian Layanan.docx",
       "05 Berita Acara Pekerjaan.docx", "06 Laporan Hasil Pelaksanaan.docx"]


def run(office: Path, today: date = TODAY, **sheets: object) -> RunReport:
    if sheets:
        write_register(office / "inbox" / "register.xlsx", **sheets)  # type: ignore[arg-type]
    return process(Settings.build(root=office, today=today, workers=1))


def text_of(path: Path) -> str:
    """All text of a document, tables included, in reading order."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]

    def cells(table: docx.table.Table) -> None:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    cells(inner)

    for table in document.tables:
        cells(table)
    return "\n".join(parts)


def docs(office: Path, folder: Path = FOLDER) -> list[str]:
    return sorted(p.name for p in (office / "outbox" / folder).glob("*.docx"))


@pytest.mark.parametrize(("step", "expected"), [
    (1, ALL[:1]), (3, ALL[:1]), (4, ALL[:2]), (6, ALL[:3]), (7, ALL[:4]), (12, ALL)])
def test_documents_appear_as_the_register_fills_in(office: Path, step: int, expected: list[str]) -> None:
    row = at_step(step)
    if step < 6:
        row.update({"Henti Mulai": None, "Henti Selesai": None})
    report = run(office, permohonan=[row], perangkat=[device()] if step >= 4 else [])
    assert not report.has_errors, [p.describe() for p in report.all_problems()]
    assert docs(office) == expected


def test_withdrawal_form_only_with_ya(office: Path) -> None:
    row = request(Perangkat_Diganti="Ya", Tgl_Penarikan=date(2026, 7, 15), Tgl_Laporan=date(2026, 7, 16),
                  Tgl_Pemeriksaan_Kabid=date(2026, 7, 17), Tgl_Reviu_Kadis=date(2026, 7, 20),
                  Tgl_Selesai=date(2026, 7, 21))
    run(office, permohonan=[row],
        perangkat=[device(Tindakan="Diganti", Kondisi="RB", Keterangan="PSU rusak")])
    assert "04 Formulir Penarikan Perangkat.docx" in docs(office)
    text = text_of(office / "outbox" / FOLDER / "04 Formulir Penarikan Perangkat.docx")
    assert "Dell PowerEdge R740" in text and "Rusak Berat" in text and "PSU rusak" in text
    other = request(No_Agenda="018")
    run(office, permohonan=[other], perangkat=[device("018")])
    assert "04 Formulir Penarikan Perangkat.docx" not in docs(office, Path("2026") / "018 - Dinas Kesehatan")


def test_berita_acara_opening_nip_and_signers(office: Path) -> None:
    run(office, permohonan=[request()], perangkat=[device()])
    text = text_of(office / "outbox" / FOLDER / "05 Berita Acara Pekerjaan.docx")
    assert ("Pada hari ini Selasa tanggal Empat Belas bulan Juli tahun Dua Ribu Dua Puluh Enam (14-07-2026)"
            in text)
    assert "NIP. 19900115 201503 1 002" in text  # Andi Prasetyo, PIHAK PERTAMA
    assert "Penata (III/c)" in text
    assert "NIP. 19720410 199803 2 005" in text  # Kepala Bidang, Mengetahui
    assert "rangkap 2 (dua)" in text
    assert "555/045/VII/2026" in text


def test_unknown_values_print_as_dotted_lines(office: Path) -> None:
    run(office, permohonan=[at_step(1, Nama_Server=None, Sifat=None)])
    text = text_of(office / "outbox" / FOLDER / "01 Lembar Disposisi.docx")
    assert TITIK in text
    assert "None" not in text and "nan" not in text.split()


def test_special_characters_intact_in_documents(office: Path) -> None:
    run(office, permohonan=[at_step(1, Perangkat_Daerah="PT Telkom & Co <Ltd>", Hal="Uji {{ 7*7 }} & <b>")])
    folder = next((office / "outbox" / "2026").iterdir())
    text = text_of(folder / "01 Lembar Disposisi.docx")
    assert "PT Telkom & Co <Ltd>" in text
    assert "Uji {{ 7*7 }} & <b>" in text


def test_second_run_rewrites_nothing(office: Path) -> None:
    first = run(office, permohonan=[request()], perangkat=[device()])
    assert len(first.written) == 5
    stamps = {p: p.stat().st_mtime_ns for p in first.written}
    second = run(office)
    assert second.written == [] and second.unchanged == 5
    assert {p: p.stat().st_mtime_ns for p in first.written} == stamps


def test_changed_request_keeps_previous_version(office: Path) -> None:
    run(office, permohonan=[request()], perangkat=[device()])
    ba = office / "outbox" / FOLDER / "05 Berita Acara Pekerjaan.docx"
    before = ba.read_bytes()
    report = run(office, permohonan=[request(Hasil_Pemeliharaan="Server normal, log dibersihkan.")],
                 perangkat=[device()])
    assert ba in report.written
    history = list((office / "outbox" / FOLDER / "_riwayat").glob("05 Berita Acara Pekerjaan *.docx"))
    assert len(history) == 1 and history[0].read_bytes() == before
    assert "log dibersihkan" in text_of(ba)


def test_new_photo_updates_only_the_laporan(office: Path) -> None:
    from PIL import Image
    run(office, permohonan=[request()], perangkat=[device()])
    photos = office / "inbox" / "lampiran" / "017"
    photos.mkdir(parents=True)
    Image.new("RGB", (320, 240), "#446688").save(photos / "01 Pemeriksaan rak server.jpg")
    report = run(office)
    assert [p.name for p in report.written] == ["06 Laporan Hasil Pelaksanaan.docx"]
    document = docx.Document(str(office / "outbox" / FOLDER / "06 Laporan Hasil Pelaksanaan.docx"))
    assert len(document.inline_shapes) == 1
    assert "Gambar 1. Pemeriksaan rak server" \
        in text_of(office / "outbox" / FOLDER / "06 Laporan Hasil Pelaksanaan.docx")


def test_same_inputs_give_identical_bytes(office: Path, tmp_path_factory: pytest.TempPathFactory,
                                         clock: Callable[[datetime], None]) -> None:
    clock(CLOCKS[0])
    run(office, permohonan=[request()], perangkat=[device()])
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(office / "inbox", other / "inbox")
    shutil.copytree(office / "templates_docx", other / "templates_docx")
    clock(CLOCKS[1])  # years later: nothing of 'now' may reach a document
    run(other)
    for name in ALL:
        assert (office / "outbox" / FOLDER / name).read_bytes() \
            == (other / "outbox" / FOLDER / name).read_bytes()


def test_request_with_errors_is_held_and_keeps_its_documents(office: Path) -> None:
    run(office, permohonan=[request(), request(No_Agenda="018")], perangkat=[device(), device("018")])
    before = (office / "outbox" / FOLDER / "05 Berita Acara Pekerjaan.docx").read_bytes()
    report = run(office, permohonan=[request(Tgl_Pelaksanaan=date(2026, 7, 1), Uraian_Pekerjaan="baru"),
                                     request(No_Agenda="018", Uraian_Pekerjaan="baru")],
                 perangkat=[device(), device("018")])
    assert report.held == 1
    assert (office / "outbox" / FOLDER / "05 Berita Acara Pekerjaan.docx").read_bytes() == before
    status = (office / "outbox" / FOLDER / "STATUS.txt").read_text(encoding="utf-8")
    assert "GALAT" in status and "Tgl Pelaksanaan" in status and "baris 2" in status
    assert "Langkah berikut" in status
    other = office / "outbox" / "2026" / "018 - Dinas Kesehatan"
    assert "baru" in text_of(other / "05 Berita Acara Pekerjaan.docx")


def test_document_open_in_word_is_left_for_next_run(office: Path) -> None:
    run(office, permohonan=[request()], perangkat=[device()])
    folder = office / "outbox" / FOLDER
    owner = folder / "~$ Berita Acara Pekerjaan.docx"  # Word replaces the first two characters
    owner.write_bytes(b"owner")
    report = run(office, permohonan=[request(Uraian_Pekerjaan="Diubah")], perangkat=[device()])
    assert [p.name for p, _ in report.locked] == ["05 Berita Acara Pekerjaan.docx"]
    assert "Diubah" not in text_of(folder / "05 Berita Acara Pekerjaan.docx")
    assert "Diubah" in text_of(folder / "06 Laporan Hasil Pelaksanaan.docx")
    owner.unlink()
    again = run(office)
    assert [p.name for p in again.written] == ["05 Berita Acara Pekerjaan.docx"]
    assert "Diubah" in text_of(folder / "05 Berita Acara Pekerjaan.docx")


def test_broken_template_is_reported_and_others_still_render(office: Path) -> None:
    tpl = office / "templates_docx" / "berita_acara.docx"
    document = docx.Document(str(tpl))
    document.add_paragraph("{% if p.sifat %} tanpa penutup")
    document.save(str(tpl))
    report = run(office, permohonan=[request()], perangkat=[device()])
    assert any(p.sheet == "berita_acara.docx" and "tidak ditutup dengan '{% endif %}'" in p.message
               for p in report.problems)
    assert docs(office) == [n for n in ALL if not n.startswith("05")]


def test_folder_names_are_safe(office: Path) -> None:
    run(office, today=date(2026, 7, 6),
        permohonan=[at_step(1, No_Agenda="../../etc", Perangkat_Daerah="CON"),
                    at_step(1, No_Agenda="a/b", Perangkat_Daerah="Dinas: Kominfo?")])
    folders = sorted(p.name for p in (office / "outbox" / "2026").iterdir())
    assert len(folders) == 2
    for name in folders:
        assert not set(name) & set('/\\:*?"<>|') and not name.endswith((".", " "))
    assert not (office / "etc").exists()


def test_run_cli_summary_and_recap(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[request()], perangkat=[device()])
    result = CliRunner().invoke(cli, ["run", "-C", str(office), "--today", "2026-07-21", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "1 permohonan: 5 dokumen ditulis, 0 tidak berubah, 0 permohonan ditahan karena galat." \
        in result.output
    assert (office / "outbox" / "REKAP.xlsx").exists()


def test_documents_convert_to_pdf(office: Path, tmp_path: Path) -> None:
    exe = soffice()
    row = request(Perangkat_Diganti="Ya", Tgl_Penarikan=date(2026, 7, 15), Tgl_Laporan=date(2026, 7, 16),
                  Tgl_Pemeriksaan_Kabid=date(2026, 7, 17), Tgl_Reviu_Kadis=date(2026, 7, 20),
                  Tgl_Selesai=date(2026, 7, 21))
    run(office, permohonan=[row], perangkat=[device(Tindakan="Diganti")])
    sources = sorted((office / "outbox" / FOLDER).glob("*.docx"))
    assert len(sources) == 6
    subprocess.run([exe, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, sources)],
                   check=True, capture_output=True, timeout=300)
    pdfs = sorted((tmp_path / "pdf").glob("*.pdf"))
    assert [p.stem for p in pdfs] == [p.stem for p in sources]
    assert all(p.read_bytes().startswith(b"%PDF") and p.stat().st_size > 5000 for p in pdfs)


def test_acting_official_signs_with_plh(office: Path) -> None:
    from conftest import PEGAWAI
    plh = {"Nama": "Ir. BAMBANG WIJAYA, M.M.", "NIP": "197001011995031001", "Pangkat/Golongan": "IV/b",
           "Jabatan": "Sekretaris Dinas Komunikasi dan Informatika", "Peran": "Kepala Dinas",
           "Mulai": date(2026, 7, 13), "Selesai": date(2026, 7, 14), "Status": "Plh."}
    run(office, permohonan=[request()], perangkat=[device()], pegawai=[*PEGAWAI, plh])
    text = text_of(office / "outbox" / FOLDER / "03 Pengumuman Penghentian Layanan.docx")
    assert "Plh. KEPALA DINAS KOMUNIKASI DAN INFORMATIKA" in text
    assert "Ir. BAMBANG WIJAYA, M.M." in text and "Pembina Tingkat I (IV/b)" in text
    assert "NIP. 19700101 199503 1 001" in text
    disposisi = text_of(office / "outbox" / FOLDER / "01 Lembar Disposisi.docx")
    assert "Drs. SUJARNO, M.Si." in disposisi and "Plh." not in disposisi  # 7 July: the Definitif signed


@pytest.mark.parametrize(("umask", "expected", "contoh"), [(0o027, 0o640, True), (0o022, 0o644, False),
                                                       (0o002, 0o664, False)])
def test_every_file_written_follows_the_umask(office: Path, umask: int, expected: int, contoh: bool) -> None:
    """Clerks read the outbox over Samba/NFS as other users: files must not be private (0600). Once with the
    whole example (every kind of file: register, templates, photos, documents, REKAP, STATUS…), then the
    other umasks with one request."""
    old = os.umask(umask)
    try:
        from pipeline.office.init import init_folder
        init_folder(office / "kantor", contoh=contoh)
        if not contoh:
            write_register(office / "kantor" / "inbox" / "register.xlsx", permohonan=[request()],
                           perangkat=[device()])
            (office / "kantor" / "inbox" / "register.xlsx").chmod(0o666 & ~umask)  # as Excel would save it
        report = process(Settings.build(root=office / "kantor", today=date(2026, 11, 28), workers=1))
        written = [p for p in (office / "kantor").rglob("*") if p.is_file()]
    finally:
        os.umask(old)
    assert report.written and len(written) > (30 if contoh else 15)
    modes = {p.relative_to(office).as_posix(): oct(p.stat().st_mode & 0o777) for p in written}
    launcher = modes.pop("kantor/Perbarui Dokumen.sh")  # what a clerk double-clicks: executable, same readers
    assert launcher == oct(0o777 & ~umask)
    assert set(modes.values()) == {oct(expected)}, modes


def test_a_replaced_file_keeps_its_mode(office: Path) -> None:
    report = run(office, permohonan=[request()], perangkat=[device()])
    target = office / "outbox" / FOLDER / ALL[0]
    assert target in report.written
    target.chmod(0o640)
    run(office, permohonan=[request(Hal="Permohonan Pemeliharaan Server SIMPUS (ulang)")],
        perangkat=[device()])
    assert (target.stat().st_mode & 0o777) == 0o640
    assert any("Hal" in p.name or p.suffix == ".docx" for p in (target.parent / "_riwayat").iterdir())
