"""One complete, realistic context per document: for checking templates before use and for
`sop-pipeline fields`."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pipeline.documents.catalog import DOCUMENTS
from pipeline.documents.fields import FieldBuilder
from pipeline.documents.photos import ImageRef
from pipeline.register.columns import SETTINGS
from pipeline.register.reader import Record, Register
from pipeline.sop.staff import Person, Staff
from pipeline.sop.steps import Actor

_SAMPLE_VALUES: dict[str, Any] = {
    "no_agenda": "017", "tgl_diterima": date(2026, 6, 8), "perangkat_daerah": "Dinas Kesehatan",
    "nomor_surat": "445/1187/VI/2026", "tgl_surat": date(2026, 6, 5), "hal": "Permohonan Pemeliharaan Server SIMPUS",
    "sifat": "Segera", "nama_server": "srv-simpus-01", "alamat_ip": "10.20.1.15",
    "nama_domain": "simpus.karanganyarkab.go.id", "narahubung": "Rina Kartikasari, S.Kom.",
    "nip_narahubung": "198805122011012003", "jabatan_narahubung": "Pranata Komputer Ahli Muda",
    "telepon_narahubung": "0812-2600-1234", "tgl_disposisi_kadis": date(2026, 6, 9),
    "isi_disposisi_kadis": "Mohon ditindaklanjuti sesuai SOP.", "tgl_disposisi_kabid": date(2026, 6, 10),
    "isi_disposisi_kabid": "Periksa dan jadwalkan pemeliharaan.", "petugas": "Andi Prasetyo, S.T.; Budi Santoso, A.Md.",
    "tgl_pemeriksaan": date(2026, 6, 11), "hasil_pemeriksaan": "Spesifikasi, IP dan domain sesuai.",
    "tgl_kelengkapan": date(2026, 6, 12), "tgl_pengumuman": date(2026, 6, 12),
    "layanan_terdampak": "SIMPUS; Antrean Online", "henti_mulai": datetime(2026, 6, 15, 8, 0),
    "henti_selesai": datetime(2026, 6, 15, 12, 0), "tgl_pelaksanaan": date(2026, 6, 15),
    "jenis_pemeliharaan": "Korektif", "uraian_pekerjaan": "Penggantian power supply dan pembaruan sistem operasi.",
    "hasil_pemeliharaan": "Server kembali normal.", "perangkat_diganti": "Ya", "tgl_penarikan": date(2026, 6, 16),
    "tgl_laporan": date(2026, 6, 17), "tgl_pemeriksaan_kabid": date(2026, 6, 18),
    "tgl_reviu_kadis": date(2026, 6, 19), "tgl_selesai": date(2026, 6, 22), "nomor_ba": "555/045/VI/2026",
    "nomor_pengumuman": "555/044/VI/2026", "nomor_laporan": "555/046/VI/2026", "catatan": "",
}


def sample_contexts(today: date) -> dict[str, dict[str, Any]]:
    """A complete, realistic context per document: for checking templates and for `sop-pipeline fields`."""

    r = Record("Permohonan", 2, dict(_SAMPLE_VALUES), {k: str(v) for k, v in _SAMPLE_VALUES.items()})
    devices = [Record("Perangkat", 2, {"no_agenda": "017", "nama_perangkat": "Server", "merk_tipe": "Dell PowerEdge R740",
                                       "nomor_seri": "CN7X2P3", "kode_barang": "1.3.2.10.02.04.001",
                                       "spesifikasi": "2× Xeon Silver, RAM 64 GB", "alamat_ip": "10.20.1.15",
                                       "lokasi_rak": "R2/U12", "kondisi": "Rusak Ringan", "tindakan": "Diganti",
                                       "keterangan": "Power supply rusak"}, {})]
    people = [Person("Drs. SUJARNO, M.Si.", "196301071990031004", "IV/c", "Kepala Dinas Komunikasi dan Informatika",
                     Actor.KADIS, None, None, "Definitif", 2),
              Person("Ir. Sri Wahyuni, M.T.", "197204101998032005", "IV/a", "Kepala Bidang Tata Kelola Informatika",
                     Actor.KABID, None, None, "Definitif", 3),
              Person("Andi Prasetyo, S.T.", "199001152015031002", "III/c", "Pranata Komputer Ahli Muda",
                     Actor.TIM, None, None, "Definitif", 4),
              Person("Budi Santoso, A.Md.", "199305202019031004", "II/d", "Pranata Komputer Terampil",
                     Actor.TIM, None, None, "Definitif", 5)]
    register = Register(Path("contoh.xlsx"), (r,), tuple(devices), (), (), {s.key: s.example for s in SETTINGS}, {})
    builder = FieldBuilder(register, Staff(people), today)
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "#6a8caf").save(buf, "PNG")
    photo = ImageRef(Path("01 Pemeriksaan rak server.png"), "0" * 16, 75, data=buf.getvalue())
    return {doc.key: builder.context(doc, r, devices, [photo, photo]) for doc in DOCUMENTS}
