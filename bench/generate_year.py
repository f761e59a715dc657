"""A year of requests with realistic delays, for the monev figures (tests and bench/bench_monev.py).

    python bench/generate_year.py DIR [N]        writes DIR/inbox/register.xlsx and DIR/inbox/lampiran/

Every request's truth is returned beside the register (dates per step, the step-8 decision, what was left
out on purpose), so a test can compute the figures on its own and compare. Delays: most steps take one
working day, some the same day, some several (the Kepala Dinas's steps more often, being away at meetings);
about one request in ten stalls somewhere; dates skip weekends, national holidays, cuti bersama and the
register's own Hari Libur rows. Incomplete records and a few registers errors are put in on purpose.
"""

from __future__ import annotations

import io
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import STAFF  # the same office staff as the speed benchmark's register
from pipeline.register import columns as C
from pipeline.sop.calendar import WorkCalendar
from pipeline.sop.steps import STEPS

YEAR = 2026
TODAY = date(2026, 12, 18)
# Local changes to the national calendar: a regional holiday, and a cuti bersama day worked after all.
LIBUR = ((date(2026, 11, 18), "Hari Jadi Kabupaten Karanganyar", "Libur"),
         (date(2026, 3, 5), "Libur daerah (banjir)", "Libur"),
         (date(2026, 5, 15), "Cuti bersama, kantor tetap masuk (layanan SPBE)", "Masuk"))
_PD = ("Dinas Kesehatan", "BAPPEDA", "Dinas Pendidikan", "RSUD Karanganyar", "BPKPAD", "Disdukcapil",
       "DPMPTSP", "Sekretariat DPRD", "Dinas Pertanian", "Dinas Sosial", "BPBD", "Dinas Lingkungan Hidup")
_NUMBERS = {6: "nomor_pengumuman", 7: "nomor_ba", 9: "nomor_laporan"}


@dataclass
class Truth:
    """What the generator wrote for one request, and what it left out on purpose."""

    agenda: str
    pd: str
    dates: dict[int, date]  # step number → its recorded date
    decision: str | None  # Perangkat Diganti: 'Ya', 'Tidak' or None (not decided yet)
    devices: int  # rows in sheet Perangkat
    replaced: int  # of which Diganti/Ditarik
    photos: bool  # a photo in inbox/lampiran/<agenda>/
    empty: set[str] = field(default_factory=set)  # columns a step wants or needs, left empty on purpose
    held: bool = False  # an error put in on purpose (steps after 8 without the step-8 decision)


def _gap(rng: random.Random, step: int) -> int:
    """Working days after the previous step: usually one, sometimes the same day, sometimes many."""
    if step in (2, 12) and rng.random() < 0.35:
        return 0
    late = 0.25 if step in (2, 11) else 0.15 if step in (3, 10) else 0.08
    if rng.random() < late:
        return rng.choice((2, 2, 3, 3, 4, 5, 7, 10))
    return 1


def _photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), "#446688").save(buf, "JPEG", quality=70)
    return buf.getvalue()


def generate_year(folder: Path, n: int = 500, seed: int = 7, today: date = TODAY) -> tuple[Path, list[Truth]]:
    """Write ``folder``/inbox/register.xlsx (and photos) with ``n`` requests received in YEAR
    up to ``today``."""
    rng = random.Random(seed)
    cal = WorkCalendar({d: why for d, why, kind in LIBUR if kind == "Libur"},
                       [d for d, _, kind in LIBUR if kind == "Masuk"])
    inbox = folder / "inbox"
    lampiran = inbox / "lampiran"
    lampiran.mkdir(parents=True, exist_ok=True)
    photo = _photo()
    wb = openpyxl.Workbook(write_only=True)
    sheets = {s.name: wb.create_sheet(s.name) for s in C.DATA_SHEETS}
    for s in C.DATA_SHEETS:
        sheets[s.name].append([c.header for c in s.columns])
    workdays = [date(YEAR, 1, 2) + timedelta(days=i) for i in range((today - date(YEAR, 1, 2)).days - 5)]
    workdays = [d for d in workdays if cal.is_workday(d)]
    truths: list[Truth] = []
    for i, received in enumerate(sorted(rng.choice(workdays) for _ in range(n)), start=1):
        agenda = f"{i:04d}"
        decision = "Ya" if rng.random() < 0.3 else "Tidak"
        stall = rng.randint(2, 12) if rng.random() < 0.1 else 13  # the step it never gets past
        dates: dict[int, date] = {1: received}
        day = received
        for step in STEPS[1:]:
            if step.number == 8 and decision == "Tidak":
                continue
            if step.number >= stall:
                break
            day = cal.add_workdays(day, _gap(rng, step.number))
            if day > today:
                break
            dates[step.number] = day
        last = max(dates)
        t = Truth(agenda, rng.choice(_PD), dates, decision if last >= 8 or (last == 7 and rng.random() < 0.5)
                  else None, 0, 0, False)
        if last >= 9 and rng.random() < 0.03:  # an error on purpose: later steps without the decision
            t.decision, t.held = None, True
            t.dates.pop(8, None)
        if last >= 4 and not (rng.random() < 0.05 and t.decision != "Ya"):
            t.devices = rng.randint(1, 3)
            t.replaced = 1 if t.decision == "Ya" else 0
        if last >= 7 and rng.random() < 0.9:
            t.photos = True
            (lampiran / agenda).mkdir(exist_ok=True)
            (lampiran / agenda / "01 Pelaksanaan.jpg").write_bytes(photo)
        for number, column in _NUMBERS.items():
            if last >= number and rng.random() < 0.07:
                t.empty.add(column)
        if last >= 4 and rng.random() < 0.05:
            t.empty.add("hasil_pemeriksaan")
        truths.append(t)
        sheets["Permohonan"].append([_values(t, i).get(c.key) for c in C.PERMOHONAN.columns])
        for k in range(t.devices):
            tindakan = "Diganti" if k < t.replaced else "Dipelihara"
            sheets["Perangkat"].append([agenda, "Server", "Dell PowerEdge R740", f"SN{i}{k}",
                                        "1.3.2.10.02.04.001", "64 GB", f"10.1.{i % 250}.{k + 1}",
                                        "R2/U12", "Baik", tindakan, ""])
    for nama, nip, gol, jabatan, peran in STAFF:
        sheets["Pegawai"].append([nama, nip, gol, jabatan, peran, None, None, "Definitif"])
    for day, why, kind in LIBUR:
        sheets["Hari Libur"].append([day, why, kind])
    settings = wb.create_sheet(C.PENGATURAN)
    settings.append(["Kunci", "Nilai"])
    for s in C.SETTINGS:
        settings.append([s.label, s.example])
    path = inbox / "register.xlsx"
    wb.save(path)
    return path, truths


def _values(t: Truth, i: int) -> dict[str, object]:
    values: dict[str, object] = {
        "no_agenda": t.agenda, "perangkat_daerah": t.pd, "nomor_surat": f"445/{i}/{YEAR}",
        "tgl_surat": t.dates[1] - timedelta(days=2), "hal": f"Permohonan Pemeliharaan Server {i}",
        "sifat": "Biasa",
        "nama_server": f"srv-{i:04d}", "alamat_ip": f"10.{i // 250 % 250}.{i % 250}.10",
        "nama_domain": f"app{i}.karanganyarkab.go.id", "narahubung": "Rina Kartikasari, S.Kom.",
        "nip_narahubung": "198805122011012003", "jabatan_narahubung": "Pranata Komputer",
        "telepon_narahubung": "081226001234", "isi_disposisi_kadis": "Mohon ditindaklanjuti.",
        "isi_disposisi_kabid": "Periksa dan jadwalkan.",
        "petugas": "Andi Prasetyo, S.T.; Budi Santoso, A.Md.",
        "hasil_pemeriksaan": "Sesuai.", "layanan_terdampak": "Aplikasi A", "jenis_pemeliharaan": "Preventif",
        "uraian_pekerjaan": "Pembersihan dan pembaruan.", "hasil_pemeliharaan": "Normal.",
        "nomor_ba": f"555/{i}/BA/{YEAR}", "nomor_pengumuman": f"555/{i}/P/{YEAR}",
        "nomor_laporan": f"555/{i}/L/{YEAR}", "perangkat_diganti": t.decision,
    }
    for step in STEPS:
        if step.number in t.dates:
            values[step.column] = t.dates[step.number]
    if 6 in t.dates:
        start = datetime.combine(t.dates[6], datetime.min.time()) + timedelta(hours=19)
        values["henti_mulai"], values["henti_selesai"] = start, start + timedelta(hours=3)
    for key in t.empty:
        values[key] = None
    return values


if __name__ == "__main__":
    target = Path(sys.argv[1])
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    written, truth = generate_year(target, size)
    print(f"{written}: {len(truth)} permohonan, {sum(t.held for t in truth)} dengan galat")
