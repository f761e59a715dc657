"""Factories that write real registers with openpyxl, one small workbook per case."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline.documents.templates import TEMPLATE_NAMES
from pipeline.register import columns as C
from pipeline.register.values import norm_key

TODAY = date(2026, 7, 21)
SHIPPED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"

# A request that went through every step on consecutive working days (July 2026 has no holidays).
FULL: dict[str, Any] = {
    "No. Agenda": "017", "Tanggal Diterima": date(2026, 7, 6), "Perangkat Daerah": "Dinas Kesehatan",
    "Nomor Surat": "445/1187/VII/2026", "Tanggal Surat": date(2026, 7, 3),
    "Hal": "Permohonan Pemeliharaan Server SIMPUS", "Sifat": "Segera", "Nama Server": "srv-simpus-01",
    "Alamat IP": "10.20.1.15", "Nama Domain": "simpus.karanganyarkab.go.id",
    "Narahubung": "Rina Kartikasari, S.Kom.",
    "NIP Narahubung": "198805122011012003", "Jabatan Narahubung": "Pranata Komputer Ahli Muda",
    "Telepon Narahubung": "081226001234", "Tgl Disposisi Kadis": date(2026, 7, 7),
    "Isi Disposisi Kadis": "Mohon ditindaklanjuti sesuai SOP.", "Tgl Disposisi Kabid": date(2026, 7, 8),
    "Isi Disposisi Kabid": "Periksa dan jadwalkan.", "Petugas": "Andi Prasetyo, S.T.; Budi Santoso, A.Md.",
    "Tgl Pemeriksaan": date(2026, 7, 9), "Hasil Pemeriksaan": "Sesuai.", "Tgl Kelengkapan": date(2026, 7, 10),
    "Tgl Pengumuman": date(2026, 7, 13), "Layanan Terdampak": "SIMPUS; Antrean Online",
    "Henti Mulai": datetime(2026, 7, 14, 8, 0), "Henti Selesai": datetime(2026, 7, 14, 12, 0),
    "Tgl Pelaksanaan": date(2026, 7, 14), "Jenis Pemeliharaan": "Preventif",
    "Uraian Pekerjaan": "Pembersihan dan pembaruan sistem operasi.", "Hasil Pemeliharaan": "Server normal.",
    "Perangkat Diganti": "Tidak", "Tgl Penarikan": None, "Tgl Laporan": date(2026, 7, 15),
    "Tgl Pemeriksaan Kabid": date(2026, 7, 16), "Tgl Reviu Kadis": date(2026, 7, 17),
    "Tgl Selesai": date(2026, 7, 20), "Nomor BA": "555/045/VII/2026", "Nomor Pengumuman": "555/044/VII/2026",
    "Nomor Laporan": "555/046/VII/2026", "Catatan": "",
}
STEP_HEADERS = ["Tanggal Diterima", "Tgl Disposisi Kadis", "Tgl Disposisi Kabid", "Tgl Pemeriksaan",
                "Tgl Kelengkapan", "Tgl Pengumuman", "Tgl Pelaksanaan", "Tgl Penarikan", "Tgl Laporan",
                "Tgl Pemeriksaan Kabid", "Tgl Reviu Kadis", "Tgl Selesai"]

PEGAWAI: list[dict[str, Any]] = [
    {"Nama": "Drs. SUJARNO, M.Si.", "NIP": "197001071995031004",
     "Pangkat/Golongan": "Pembina Utama Muda (IV/c)",
     "Jabatan": "Kepala Dinas Komunikasi dan Informatika", "Peran": "Kepala Dinas", "Mulai": date(2020, 1, 2),
     "Selesai": None, "Status": "Definitif"},
    {"Nama": "Ir. SRI WAHYUNI, M.T.", "NIP": "197204101998032005", "Pangkat/Golongan": "IV/a",
     "Jabatan": "Kepala Bidang Tata Kelola Informatika", "Peran": "Kepala Bidang", "Mulai": date(2021, 3, 1),
     "Selesai": None, "Status": "Definitif"},
    {"Nama": "Andi Prasetyo, S.T.", "NIP": "199001152015031002", "Pangkat/Golongan": "Penata (III/c)",
     "Jabatan": "Pranata Komputer Ahli Muda", "Peran": "Tim Teknis", "Mulai": None, "Selesai": None,
     "Status": ""},
    {"Nama": "Budi Santoso, A.Md.", "NIP": "199305202019031004", "Pangkat/Golongan": "II/d",
     "Jabatan": "Pranata Komputer Terampil", "Peran": "Tim Teknis", "Mulai": None, "Selesai": None,
     "Status": ""},
]
PENGATURAN = {s.label: s.example for s in C.SETTINGS}


def request(**changes: Any) -> dict[str, Any]:
    """FULL with some columns changed; keys are headers with spaces → underscores allowed ('Tgl_Selesai')."""
    row = dict(FULL)
    for key, value in changes.items():
        row[_header(row, key)] = value
    return row


def _header(row: Mapping[str, Any], key: str) -> str:
    wanted = norm_key(key.replace("_", " "))
    match = [h for h in row if norm_key(h) == wanted]
    if not match:
        raise KeyError(key)
    return match[0]


def at_step(n: int, **changes: Any) -> dict[str, Any]:
    """A request whose last recorded step is ``n`` (later step dates and data emptied)."""
    row = request(**changes)
    given = {_header(row, k) for k in changes}
    for header in STEP_HEADERS[n:]:
        if header not in given:
            row[header] = None
    if n < 7 and "Perangkat Diganti" not in given:
        row["Perangkat Diganti"] = None
    return row


def write_register(path: Path, permohonan: Iterable[Mapping[str, Any]] = (),
                   perangkat: Iterable[Mapping[str, Any]] = (),
                   pegawai: Iterable[Mapping[str, Any]] | None = None,
                   pengaturan: Mapping[str, Any] | None = None,
                   libur: Iterable[Mapping[str, Any]] = (), headers: Mapping[str, list[str]] | None = None,
                   drop_sheets: Iterable[str] = ()) -> Path:
    """A register as a clerk's Excel would hold it. ``headers`` overrides a sheet's header row."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    data = {"Permohonan": list(permohonan), "Perangkat": list(perangkat),
            "Pegawai": list(PEGAWAI if pegawai is None else pegawai), "Hari Libur": list(libur)}
    for sheet in C.DATA_SHEETS:
        if sheet.name in drop_sheets:
            continue
        ws = wb.create_sheet(sheet.name)
        head = list((headers or {}).get(sheet.name) or [c.header for c in sheet.columns])
        ws.append(head)
        for record in data.get(sheet.name, []):
            ws.append([record.get(h) for h in head])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text typed with a leading apostrophe stays text, even '=…'

        for col in sheet.columns:
            if col.kind in (C.Kind.DATE, C.Kind.DATETIME) and col.header in head:
                letter = openpyxl.utils.get_column_letter(head.index(col.header) + 1)
                fmt = "DD/MM/YYYY HH:MM" if col.kind is C.Kind.DATETIME else "DD/MM/YYYY"
                for cell in ws[letter][1:]:
                    if isinstance(cell.value, date):
                        cell.number_format = fmt
    if C.PENGATURAN not in drop_sheets:
        ws = wb.create_sheet(C.PENGATURAN)
        ws.append(["Kunci", "Nilai"])
        for key, value in (PENGATURAN if pengaturan is None else pengaturan).items():
            ws.append([key, value])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def device(agenda: str = "017", **changes: Any) -> dict[str, Any]:
    row = {"No. Agenda": agenda, "Nama Perangkat": "Server", "Merk/Tipe": "Dell PowerEdge R740",
           "Nomor Seri": "CN7X2P3", "Kode Barang": "1.3.2.10.02.04.001", "Spesifikasi": "2x Xeon, 64 GB",
           "Alamat IP": "10.20.1.15", "Lokasi Rak": "R2/U12", "Kondisi": "Baik", "Tindakan": "Dipelihara",
           "Keterangan": ""}
    for key, value in changes.items():
        row[_header(row, key)] = value
    return row


@pytest.fixture(autouse=True, scope="session")
def _private_cache_key(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The run memory's key (pipeline/runcache.py) lives in the user's cache folder: the suite uses its own
    (child processes inherit it)."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


# Two far-apart moments for `clock`: zip entry times have a two-second resolution.
CLOCKS = (datetime(2001, 2, 3, 4, 5, 6), datetime(2033, 9, 10, 11, 12, 14))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Sets 'now' (time.time), which zipfile stamps on every entry not given a time, as python-docx's are:
    output made at two settings must be byte-identical."""
    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(time, "time", lambda: moment.timestamp())
    return set_to


def copy_templates(target: Path) -> None:
    """The six default templates as shipped in templates_docx/ (test_templates.py holds them equal to what
    build_templates makes): copying is much quicker than building them for every test."""
    target.mkdir(parents=True, exist_ok=True)
    for name in TEMPLATE_NAMES:
        shutil.copyfile(SHIPPED_TEMPLATES / name, target / name)


@pytest.fixture(scope="session")
def _checked_templates(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """What a first run learns about the shipped templates (outbox/_log/templat-lolos.json: which template
    versions passed their checks), made once per session: a test office starts as an office after its
    first run, so each test does not trial-render the six templates again. Tests of the checks themselves
    use their own templates (other digests) or no such file."""
    from pipeline.documents.checks import load_templates
    from pipeline.documents.sample import sample_contexts
    folder = tmp_path_factory.mktemp("templat")
    copy_templates(folder)
    cache = folder / "templat-lolos.json"
    checked = load_templates(folder, sample_contexts(TODAY), cache=cache)
    assert checked.problems == [] and len(checked.templates) == len(TEMPLATE_NAMES)
    return cache.read_bytes()


@pytest.fixture
def office(tmp_path: Path, _checked_templates: bytes) -> Path:
    """An office folder: inbox/, outbox/ and the default templates in templates_docx/ (already checked)."""
    for name in ("inbox", "outbox"):
        (tmp_path / name).mkdir()
    copy_templates(tmp_path / "templates_docx")
    (tmp_path / "outbox" / "_log").mkdir()
    (tmp_path / "outbox" / "_log" / "templat-lolos.json").write_bytes(_checked_templates)
    return tmp_path


def add_photo(office: Path, agenda: str = "017") -> Path:
    """A documentation photo in inbox/lampiran/<agenda>/ (a finished request without one is a warning)."""
    from PIL import Image

    folder = office / "inbox" / "lampiran" / agenda
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (80, 60), (40, 110, 160)).save(folder / "01 Rak server.png")
    return folder
