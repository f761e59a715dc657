"""Generates large, valid registers for benchmarks (not used by the pipeline itself)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl

from pipeline.register import columns as C
from pipeline.sop.calendar import WorkCalendar
from pipeline.sop.steps import STEPS

_PD = ["Dinas Kesehatan", "BAPPEDA", "Dinas Pendidikan", "RSUD Karanganyar", "BPKPAD", "Disdukcapil",
       "DPMPTSP", "Sekretariat DPRD", "Dinas Pertanian", "Dinas Sosial"]
STAFF = [
    ("Drs. SUJARNO, M.Si.", "196301071990031004", "IV/c", "Kepala Dinas Komunikasi dan Informatika",
     "Kepala Dinas"),
    ("Ir. SRI WAHYUNI, M.T.", "197204101998032005", "IV/a", "Kepala Bidang Tata Kelola Informatika",
     "Kepala Bidang"),
    ("Andi Prasetyo, S.T.", "199001152015031002", "III/c", "Pranata Komputer Ahli Muda", "Tim Teknis"),
    ("Budi Santoso, A.Md.", "199305202019031004", "II/d", "Pranata Komputer Terampil", "Tim Teknis"),
]


def generate_register(path: Path, n: int, seed: int = 1, end: date = date(2026, 11, 27),
                      bad_devices: bool = False) -> Path:
    """``n`` requests at random stages, each step one working day after the previous one.

    ``bad_devices``: the hostile case for validation — one Perangkat row per request, each with an invalid
    IP address (a problem on every device row)."""
    rng = random.Random(seed)
    cal = WorkCalendar()
    wb = openpyxl.Workbook(write_only=True)
    sheets = {s.name: wb.create_sheet(s.name) for s in C.DATA_SHEETS}
    for s in C.DATA_SHEETS:
        sheets[s.name].append([c.header for c in s.columns])
    for i in range(1, n + 1):
        agenda = f"{i:05d}"
        stage = rng.randint(1, 12)
        diganti = rng.random() < 0.3
        day = end - timedelta(days=rng.randint(30, 700))
        while not cal.is_workday(day):
            day += timedelta(days=1)
        values: dict[str, object] = {
            "no_agenda": agenda, "perangkat_daerah": rng.choice(_PD), "nomor_surat": f"445/{i}/2026",
            "tgl_surat": day - timedelta(days=2), "hal": f"Permohonan Pemeliharaan Server {i}",
            "sifat": rng.choice(["Biasa", "Segera", ""]), "nama_server": f"srv-{i:05d}",
            "alamat_ip": f"10.{i // 250 % 250}.{i % 250}.10", "nama_domain": f"app{i}.karanganyarkab.go.id",
            "narahubung": "Rina Kartikasari, S.Kom.", "nip_narahubung": "198805122011012003",
            "jabatan_narahubung": "Pranata Komputer", "telepon_narahubung": "081226001234",
            "isi_disposisi_kadis": "Mohon ditindaklanjuti.", "isi_disposisi_kabid": "Periksa dan jadwalkan.",
            "petugas": "Andi Prasetyo, S.T.; Budi Santoso, A.Md.", "hasil_pemeriksaan": "Sesuai.",
            "layanan_terdampak": "Aplikasi A; Aplikasi B", "jenis_pemeliharaan": "Preventif",
            "uraian_pekerjaan": "Pembersihan dan pembaruan.", "hasil_pemeliharaan": "Normal.",
            "nomor_ba": f"555/{i}/BA/2026", "nomor_pengumuman": f"555/{i}/P/2026",
            "nomor_laporan": f"555/{i}/L/2026",
        }
        for step in STEPS:
            if step.number > stage:
                break
            if step.number == 8 and not diganti:
                continue
            if step.number > 1:
                day = cal.add_workdays(day, 1)
            values[step.column] = day
            if step.number == 6:
                start = datetime.combine(cal.add_workdays(day, 1), datetime.min.time()) + timedelta(hours=8)
                values["henti_mulai"], values["henti_selesai"] = start, start + timedelta(hours=4)
        if stage >= 8 or (stage == 7 and rng.random() < 0.5):
            values["perangkat_diganti"] = "Ya" if diganti else "Tidak"
        sheets["Permohonan"].append([values.get(c.key) for c in C.PERMOHONAN.columns])
        if stage >= 4 or bad_devices:
            for k in range(1 if bad_devices else rng.randint(1, 3)):
                ip = f"10.1.{i % 250}.{300 + k if bad_devices else k + 1}"  # 300: not an address
                tindakan = ("Diganti" if (diganti and k == 0 and "perangkat_diganti" in values)
                            else "Dipelihara")
                sheets["Perangkat"].append([agenda, "Server", "Dell PowerEdge R740", f"SN{i}{k}",
                                            "1.3.2.10.02.04.001", "64 GB", ip, "R2/U12", "Baik",
                                            tindakan, ""])
    for nama, nip, gol, jabatan, peran in STAFF:
        sheets["Pegawai"].append([nama, nip, gol, jabatan, peran, None, None, "Definitif"])
    settings = wb.create_sheet(C.PENGATURAN)
    settings.append(["Kunci", "Nilai"])
    for s in C.SETTINGS:
        settings.append([s.label, s.example])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
