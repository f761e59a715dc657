"""The words the documents print that are composed, not copied: dotted lines for what the register does not
say, check boxes, NIP lines, identifiers that never break inside, the outage and working hours, the
pengumuman's title, the laporan's simpulan, saran and lampiran — all from one request's values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pipeline.documents.catalog import DOCUMENTS, Condition
from pipeline.documents.context import TITIK, Henti
from pipeline.register.columns import Tindakan, choice_of
from pipeline.register.reader import Record
from pipeline.register.values import format_date, format_day_date, format_nip, format_time

CHECKED, UNCHECKED = "☑", "☐"
NBSP, WJ = "\u00a0", "\u2060"  # no break at a space; no break at all (word joiner)


def or_dots(text: str | None) -> str:
    return text if text else TITIK


def date_or_dots(value: Any) -> str:
    return format_date(value) if isinstance(value, date) else TITIK


def day_or_dots(value: Any) -> str:
    return format_day_date(value) if isinstance(value, date) else TITIK


def box(flag: bool) -> str:
    return CHECKED if flag else UNCHECKED


def nip_line(nip: str, label: str = "NIP.") -> str:
    return f"{label} {format_nip(nip)}" if nip else f"{label} {TITIK}"


def unbroken(text: str) -> str:
    """An identifier that a line never breaks inside (serial numbers, kode barang, rack positions, IP
    addresses, domains, letter numbers): a word joiner after each '-' and '/', where Word and LibreOffice
    would otherwise break. A list ('a; b') still breaks after its separators."""
    return text.replace("-", "-" + WJ).replace("/", "/" + WJ) if text else text


def tindakan_of(device: Record) -> Tindakan | None:
    return choice_of(Tindakan, device.text("tindakan"))


def joined(items: Sequence[str], word: str = "dan") -> str:
    """'A', 'A dan B', 'A, B, dan C'."""
    if len(items) < 3:
        return f" {word} ".join(items)
    return f"{', '.join(items[:-1])}, {word} {items[-1]}"


def outage(start: Any, end: Any, done: Any) -> Henti:
    """The planned stop of the service; `done` (Tgl Pelaksanaan), else its start, is the day of the work."""
    rencana = day_or_dots(done if isinstance(done, date) else start)
    if not (isinstance(start, datetime) and isinstance(end, datetime)):
        return Henti(hari_tanggal=TITIK, jam=f"{TITIK} s.d. {TITIK} WIB", waktu=TITIK, rencana=rencana)
    if start.date() == end.date():
        jam = f"{format_time(start.time())} s.d. {format_time(end.time())} WIB"
        return Henti(hari_tanggal=format_day_date(start), jam=jam,
                     waktu=f"{format_day_date(start)} pukul {jam}", rencana=rencana)
    waktu = (f"{format_day_date(start)} pukul {format_time(start.time())} WIB s.d. "
             f"{format_day_date(end)} pukul {format_time(end.time())} WIB")
    return Henti(hari_tanggal=f"{format_day_date(start)} s.d. {format_day_date(end)}",
                 jam=f"{format_time(start.time())} WIB s.d. {format_time(end.time())} WIB", waktu=waktu,
                 rencana=rencana)


def work_hours(start: Any, end: Any, day: Any) -> str:
    if isinstance(start, datetime) and isinstance(end, datetime) and isinstance(day, date) \
            and start.date() == day:
        return f"pukul {format_time(start.time())} s.d. {format_time(end.time())} WIB"
    return f"pukul {TITIK} s.d. {TITIK} WIB"


def sentence(text: str) -> str:
    text = text.strip().rstrip(".;")
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def named(d: Record) -> str:
    serial = d.text("nomor_seri")
    name = " ".join(x for x in (d.text("nama_perangkat"), d.text("merk_tipe")) if x)
    return f"{name} bernomor seri {unbroken(serial)}" if serial else name


def title_services(services: Sequence[str], domains: Sequence[str], server: str) -> str:
    """The pengumuman's title: the services in capitals, each with its domain as written (a domain is
    lower case even in a title): 'SIM PBB-P2 (simpbb.karanganyarkab.go.id) DAN E-BPHTB (ebphtb.…)'.
    Services and domains are paired in order when there are as many of each; else the domains follow."""
    names = [s.removeprefix("Layanan ").upper() for s in services] or [server.upper()]
    hosts = [unbroken(d) for d in domains]
    if len(hosts) == len(names):
        return joined([f"{name} ({host})" for name, host in zip(names, hosts, strict=True)], "DAN")
    text = joined(names, "DAN")
    return f"{text} ({', '.join(hosts)})" if hosts else text


def conclusion(r: Record, req: Mapping[str, str], devices: Sequence[Record]) -> str:
    """Simpulan, as sentences from the register: what was done, what was replaced or withdrawn, the
    condition afterwards."""
    day = r.get("tgl_pelaksanaan")
    if not isinstance(day, date):
        return TITIK
    jenis = r.text("jenis_pemeliharaan").lower()
    sentences = [f"Pemeliharaan{' ' + jenis if jenis else ''} server {req['nama_server']} milik "
                 f"{req['perangkat_daerah']} telah dilaksanakan pada {format_day_date(day)} sesuai SOP "
                 "Pemeliharaan Server."]
    if r.text("uraian_pekerjaan"):
        sentences.append(sentence(f"Pekerjaan yang dilakukan: {lower_first(r.text('uraian_pekerjaan'))}"))
    parts = [f"{lower_first(d.text('komponen')) or 'komponen'} pada {named(d)}" for d in devices
             if tindakan_of(d) is Tindakan.KOMPONEN]
    if parts:
        sentences.append(f"Komponen yang diganti (perangkatnya tetap di Pusat Data): {joined(parts)}.")
    for kind, verb in ((Tindakan.DIGANTI, "diganti dengan perangkat lain dan dikeluarkan dari Pusat Data"),
                       (Tindakan.DITARIK, "ditarik dari Pusat Data")):
        names = [named(d) for d in devices if tindakan_of(d) is kind]
        if names:
            sentences.append(f"Perangkat yang {verb}: {joined(names)}.")
    if r.text("hasil_pemeliharaan"):
        after = lower_first(r.text("hasil_pemeliharaan"))
        sentences.append(sentence(f"Kondisi setelah pemeliharaan: {after}"))
    return " ".join(sentences)


_ADVICE = ("perlu", "disarankan", "sebaiknya", "dipantau", "saran")


def advice(r: Record, devices: Sequence[Record]) -> str:
    """Saran, when a device's Keterangan or the Catatan gives one ('perlu dipantau')."""
    found = [f"{d.text('nama_perangkat')} {d.text('merk_tipe')}".strip()
             + f": {lower_first(d.text('keterangan'))}" for d in devices
             if any(w in d.text("keterangan").lower() for w in _ADVICE)]
    if any(w in r.text("catatan").lower() for w in _ADVICE):
        found.append(r.text("catatan"))
    if not found:
        return ""
    return "Disarankan untuk menindaklanjuti hal berikut: " + "; ".join(x.rstrip(".") for x in found) + "."


def attachments(withdrawal: bool, photos: int) -> list[str]:
    """The laporan's lampiran: the documents declared attached to it (catalog), in their declared order,
    each with what it carries inside, and the photos."""
    items: list[str] = []
    for doc in sorted((d for d in DOCUMENTS if d.lampiran), key=lambda d: d.lampiran):
        if doc.only_if is Condition.DIGANTI and not withdrawal:
            continue
        items.append(doc.title)
        items += doc.attached
    if photos:
        items.append(f"Dokumentasi foto ({photos} foto)")
    return items
