"""The one sample: a complete, realistic context per document, for checking templates before use, for
`sop-pipeline fields` and for the tests."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pipeline.documents.catalog import DOCUMENTS
from pipeline.documents.checks import flatten_fields
from pipeline.documents.context import DocumentFields, field_names, template_dict
from pipeline.documents.fields import FieldBuilder
from pipeline.documents.photos import ImageRef
from pipeline.register.columns import SETTINGS, Status
from pipeline.register.reader import Record, Register
from pipeline.sop.staff import Person, Staff
from pipeline.sop.steps import Actor

_SAMPLE_VALUES: dict[str, Any] = {
    "no_agenda": "017", "tgl_diterima": date(2026, 6, 8), "perangkat_daerah": "Dinas Kesehatan",
    "nomor_surat": "445/1187/VI/2026", "tgl_surat": date(2026, 6, 5),
    "hal": "Permohonan Pemeliharaan Server SIMPUS", "sifat": "Segera", "nama_server": "srv-simpus-01",
    "alamat_ip": "10.20.1.15", "nama_domain": "simpus.karanganyarkab.go.id",
    "narahubung": "Rina Kartikasari, S.Kom.", "nip_narahubung": "198805122011012003",
    "jabatan_narahubung": "Pranata Komputer Ahli Muda", "telepon_narahubung": "0812-2600-1234",
    "tgl_disposisi_kadis": date(2026, 6, 9), "isi_disposisi_kadis": "Mohon ditindaklanjuti sesuai SOP.",
    "tgl_disposisi_kabid": date(2026, 6, 10), "isi_disposisi_kabid": "Periksa dan jadwalkan pemeliharaan.",
    "petugas": "Andi Prasetyo, S.T.; Budi Santoso, A.Md.", "tgl_pemeriksaan": date(2026, 6, 11),
    "hasil_pemeriksaan": "Spesifikasi, IP dan domain sesuai.", "tgl_kelengkapan": date(2026, 6, 12),
    "tgl_pengumuman": date(2026, 6, 12), "layanan_terdampak": "SIMPUS; Antrean Online",
    "henti_mulai": datetime(2026, 6, 15, 8, 0), "henti_selesai": datetime(2026, 6, 15, 12, 0),
    "tgl_pelaksanaan": date(2026, 6, 15), "jenis_pemeliharaan": "Korektif",
    "uraian_pekerjaan": "Penggantian power supply dan pembaruan sistem operasi.",
    "hasil_pemeliharaan": "Server kembali normal.", "perangkat_diganti": "Ya",
    "tgl_penarikan": date(2026, 6, 16),
    "tgl_laporan": date(2026, 6, 17), "tgl_pemeriksaan_kabid": date(2026, 6, 18),
    "tgl_reviu_kadis": date(2026, 6, 19), "tgl_selesai": date(2026, 6, 22), "nomor_ba": "555/045/VI/2026",
    "nomor_pengumuman": "555/044/VI/2026", "nomor_laporan": "555/046/VI/2026", "catatan": "",
}
_DEVICE_KEYS = ("nama_perangkat", "merk_tipe", "nomor_seri", "kode_barang", "spesifikasi", "alamat_ip",
                "lokasi_rak", "kondisi", "tindakan", "komponen", "keterangan")
_SAMPLE_DEVICES = (
    ("Server aplikasi", "Dell PowerEdge R740", "CN7X2P3", "1.3.2.10.02.04.001", "2× Xeon Silver, RAM 64 GB",
     "10.20.1.15", "R2/U12", "Baik", "Dipelihara", "", ""),
    ("Catu daya (PSU) redundan", "Dell 750 W", "CN-0PJMDN-17972", "1.3.2.10.02.04.002", "750 W hot-plug", "",
     "R2/U12", "Rusak Berat", "Diganti", "", "PSU mati total"),
    ("UPS", "APC Smart-UPS SRT 3000", "AS1942160388", "1.3.2.10.02.05.002", "3 kVA online", "", "R2/U1",
     "Rusak Ringan", "Komponen Diganti", "Baterai APCRBC152 (1 set)",
     "Baterai menggelembung; perlu dipantau."),
)
_SAMPLE_PEOPLE = (  # officials plausible in 2026: none past retirement age
    ("Drs. SUJARNO, M.Si.", "197001071995031004", "IV/c", "Kepala Dinas Komunikasi dan Informatika",
     Actor.KADIS),
    ("Ir. Sri Wahyuni, M.T.", "197204101998032005", "IV/a", "Kepala Bidang Tata Kelola Informatika",
     Actor.KABID),
    ("Andi Prasetyo, S.T.", "199001152015031002", "III/c", "Pranata Komputer Ahli Muda", Actor.TIM),
    ("Budi Santoso, A.Md.", "199305202019031004", "II/d", "Pranata Komputer Terampil", Actor.TIM),
)


def sample_fields(today: date) -> dict[str, DocumentFields]:
    """The one sample: complete, realistic fields per document (typed), for checking templates, for
    `sop-pipeline fields` and for the tests (which vary it with dataclasses.replace)."""
    r = Record("Permohonan", 2, dict(_SAMPLE_VALUES), {k: str(v) for k, v in _SAMPLE_VALUES.items()})
    devices = [Record("Perangkat", row, {"no_agenda": "017", **dict(zip(_DEVICE_KEYS, values, strict=True))},
                      {})
               for row, values in enumerate(_SAMPLE_DEVICES, 2)]
    people = [Person(nama, nip, pangkat, jabatan, role, None, None, Status.DEFINITIF, row)
              for row, (nama, nip, pangkat, jabatan, role) in enumerate(_SAMPLE_PEOPLE, 2)]
    settings = {s.key: s.example for s in SETTINGS}
    register = Register(Path("contoh.xlsx"), (r,), tuple(devices), (), (), settings, {})
    builder = FieldBuilder(register, Staff(people), today)
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "#6a8caf").save(buf, "PNG")
    photo = ImageRef(Path("01 Pemeriksaan rak server.png"), "0" * 16, 75, data=buf.getvalue())
    return {doc.key: builder.fields(doc, r, devices, [photo, photo]) for doc in DOCUMENTS}


def sample_contexts(today: date) -> dict[str, dict[str, Any]]:
    """The sample as the dicts a template is rendered with."""
    return {key: template_dict(fields) for key, fields in sample_fields(today).items()}


@dataclass(frozen=True)
class FieldInfo:
    name: str  # 'kop.dinas', 'perangkat[].nama'
    meaning: str
    example: Any  # from the sample: text, a list of rows, True/False, or a picture (ImageRef)


def field_list(key: str, today: date) -> list[FieldInfo]:
    """Every field a document's template may use, as the types declare it, with its meaning and the
    sample's value (for `sop-pipeline fields` and the office's list of fields)."""
    sample = flatten_fields(sample_contexts(today)[key])
    return [FieldInfo(name, meaning, sample.get(name, "")) for name, meaning in field_names()]

