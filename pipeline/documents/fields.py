"""The fields of each document, built from one request: every value ready to print, every unknown a
dotted line to fill by hand. Pure data: images are references, bound to a template at render time."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pipeline.documents.catalog import DocumentSpec
from pipeline.documents.context import (
    TITIK,
    Ada,
    BeritaAcara,
    Cek,
    Doc,
    DocumentFields,
    Foto,
    FotoBaris,
    Kantor,
    Kop,
    Laporan,
    Narahubung,
    PemeriksaanRow,
    Penandatangan,
    PerangkatRow,
    PetugasRow,
    Sop,
    Ttd,
    step_key,
    template_dict,
)
from pipeline.documents.photos import ImageRef, image_ref
from pipeline.documents.wording import (
    NBSP,
    UNCHECKED,
    advice,
    attachments,
    box,
    conclusion,
    date_or_dots,
    day_or_dots,
    nip_line,
    or_dots,
    outage,
    tindakan_of,
    title_services,
    unbroken,
    work_hours,
)
from pipeline.register import columns as C
from pipeline.register.columns import Status, Tindakan, YaTidak
from pipeline.register.reader import Record, Register
from pipeline.register.values import (
    date_in_words,
    format_date,
    format_time,
    pangkat_golongan,
    split_list,
    terbilang,
)
from pipeline.sop.staff import Person, Staff
from pipeline.sop.steps import DECISION_STEP, STEPS, Actor, decision, withdrawn

# Bumped whenever the way fields are built changes, so every document is re-rendered once.
FIELDS_VERSION = "4"
# Printed in narrow cells; the document's own numbers are not joined, so they copy out of Word unchanged.
_IDENTIFIERS = frozenset({"nomor_surat", "alamat_ip", "nama_domain"})


def _request_fields(r: Record) -> dict[str, str]:
    """Every Permohonan column, as printable text (declared once in columns.py)."""
    out: dict[str, str] = {}
    for col in C.PERMOHONAN.columns:
        value = r.get(col.key)
        if isinstance(value, datetime):
            out[col.key] = f"{format_date(value)} {format_time(value.time())}"
        elif isinstance(value, date):
            out[col.key] = format_date(value)
        elif col.key in ("petugas", "layanan_terdampak"):
            out[col.key] = or_dots(", ".join(split_list(value or "")))
        elif col.key in _IDENTIFIERS:
            out[col.key] = or_dots(unbroken(", ".join(split_list(value)) if isinstance(value, str) else ""))
        else:
            out[col.key] = or_dots(value if isinstance(value, str) else "")
    return out


@dataclass(frozen=True)
class Office:
    settings: Mapping[str, str]

    def get(self, key: str) -> str:
        return self.settings.get(key, "")

    def kop(self, logo: ImageRef | None) -> Kop:
        # An item never breaks inside ('Pos-el diskominfo@…' together); the line breaks between items.
        contact = [f"{label} {self.get(key)}".replace(" ", NBSP).replace("-", "\u2011") for label, key in
                   (("Telepon", "telepon"), ("Laman", "laman"), ("Pos-el", "email")) if self.get(key)]
        return Kop(pemerintah=or_dots(self.get("pemerintah").upper()),
                   dinas=or_dots(self.get("dinas").upper()),
                   alamat=or_dots(self.get("alamat")), kontak=or_dots(", ".join(contact)),
                   logo=logo if logo else "")

    def kantor(self) -> Kantor:
        return Kantor(kota=or_dots(self.get("kota")), dinas=or_dots(self.get("dinas")),
                      daerah=or_dots(self.get("daerah")), bidang=or_dots(self.get("bidang")),
                      pusat_data=or_dots(self.get("lokasi_pusat_data")),
                      tim=self.get("tim") or "Tim Teknis Pusat Data")


def signer(person: Person | None, jabatan: str, peran: str = "") -> Penandatangan:
    """The lines of one signature block; dotted lines where the register does not say."""
    if person is None:
        return Penandatangan(jabatan=jabatan, nama=TITIK, pangkat=TITIK, nip=nip_line(""), peran=peran)
    return Penandatangan(jabatan=jabatan, nama=person.nama,
                         pangkat=pangkat_golongan(person.pangkat) or or_dots(person.pangkat),
                         nip=nip_line(person.nip), peran=peran)


def official(person: Person | None, role: Actor, office: Office) -> Penandatangan:
    """The Kepala Dinas or Kepala Bidang who signs: 'Plh. Kepala Bidang' wherever an acting one appears."""
    prefix = f"{person.status.value} " if person and person.status.acting else ""
    return signer(person, official_title(person, role, office), prefix + role.value)


def _contact_signer(r: Record) -> Penandatangan:
    """The Perangkat Daerah's contact as a signer: pangkat from the register (or dots), NIP or NI PPPK."""
    pangkat = r.text("pangkat_narahubung")
    pppk = "PPPK" in pangkat.upper()
    shown = pangkat if pppk else pangkat_golongan(pangkat) or pangkat
    jabatan = f"{r.text('jabatan_narahubung') or TITIK}\n{r.text('perangkat_daerah')},".upper()  # comma last
    return Penandatangan(jabatan=jabatan, nama=or_dots(r.text("narahubung")), pangkat=or_dots(shown),
                         nip=nip_line(r.text("nip_narahubung"), "NI PPPK." if pppk else "NIP."),
                         peran="Narahubung")


def official_title(person: Person | None, role: Actor, office: Office) -> str:
    """'KEPALA DINAS KOMUNIKASI DAN INFORMATIKA\nKABUPATEN KARANGANYAR,'; 'Plt. KEPALA …' when acting."""
    if role is Actor.KADIS:
        base = f"Kepala {office.get('dinas') or 'Dinas'}"
    else:
        base = f"Kepala {office.get('bidang') or 'Bidang'}"
    if person and person.jabatan and person.jabatan.lower().startswith("kepala"):
        base = person.jabatan
    prefix = f"{person.status.value} " if person and person.status.acting else ""
    title = base.upper()
    daerah = office.get("daerah").upper()
    if role is Actor.KADIS and daerah and daerah not in title:
        title += f"\n{daerah}"
    return prefix + title + ","


class FieldBuilder:
    """Builds the fields of every document of one request."""

    def __init__(self, register: Register, staff: Staff, today: date, logo: Path | None = None) -> None:
        self.register, self.staff, self.today = register, staff, today
        self.office = Office(register.pengaturan)
        self._base: tuple[tuple[Any, ...], DocumentFields, dict[str, Any]] | None = None
        self._checks: dict[str, list[Record]] = {}  # sheet Pemeriksaan, by No. Agenda
        for row in register.pemeriksaan:
            self._checks.setdefault(row.text("no_agenda"), []).append(row)
        self.logo = image_ref(logo, 22) if logo and logo.is_file() else None

    def logo_digest(self) -> str:
        return self.logo.digest if self.logo else ""

    def fields(self, doc: DocumentSpec, r: Record, devices: Sequence[Record],
               photos: Sequence[ImageRef] = ()) -> DocumentFields:
        """The fields of one document: the request's fields plus the document's own (`doc`, its signers)."""
        return self._fields(doc, r, devices, photos)[0]

    def context(self, doc: DocumentSpec, r: Record, devices: Sequence[Record],
                photos: Sequence[ImageRef] = ()) -> dict[str, Any]:
        """The same fields as the dict a template is rendered with."""
        return self._fields(doc, r, devices, photos)[1]

    def _fields(self, doc: DocumentSpec, r: Record, devices: Sequence[Record],
                photos: Sequence[ImageRef]) -> tuple[DocumentFields, dict[str, Any]]:
        doc_day = r.get(doc.date_column)

        def on(column: str) -> date:
            value = r.get(column) if column else None
            if isinstance(value, date):
                return value
            return doc_day if isinstance(doc_day, date) else self.today

        signer_dates = {s.role: on(s.date_column) for s in doc.signers}
        kadis = self.staff.holder(Actor.KADIS, signer_dates.get(Actor.KADIS, on("")))
        kabid = self.staff.holder(Actor.KABID, signer_dates.get(Actor.KABID, on("")))
        # The documents of one request are built in a row: its fields once. The key holds the rows themselves
        # (compared by identity): an id() alone could be a freed row's, reused by the next request's.
        key = (r, devices, tuple(photos))
        last = self._base
        if last is None or last[0][0] is not r or last[0][1] is not devices or last[0][2] != key[2]:
            base = self._request_fields(r, devices, photos)
            last = self._base = key, base, template_dict(base)
        _, base, base_dict = last
        nomor = base.p.get(doc.number_column, TITIK) if doc.number_column else TITIK
        own = replace(base, doc=Doc(nomor=nomor, tanggal=date_or_dots(doc_day), judul=doc.title),
                      ttd=replace(base.ttd,
                                  kadis=official(kadis, Actor.KADIS, self.office),
                                  kabid=official(kabid, Actor.KABID, self.office)))
        if _step_of(doc.date_column) < DECISION_STEP:  # a form dated before step 8 leaves its decision open
            own = replace(own, cek=replace(own.cek, diganti_ya=UNCHECKED, diganti_tidak=UNCHECKED))
            return own, {**base_dict, "doc": template_dict(own.doc), "ttd": template_dict(own.ttd),
                         "cek": template_dict(own.cek)}
        return own, {**base_dict, "doc": template_dict(own.doc), "ttd": template_dict(own.ttd)}

    def _request_fields(self, r: Record, devices: Sequence[Record],
                        photos: Sequence[ImageRef]) -> DocumentFields:
        office = self.office
        req = _request_fields(r)
        team = [self.staff.find(n) or Person(n, "", "", "", Actor.TIM, None, None, Status.DEFINITIF, 0)
                for n in split_list(r.text("petugas"))]
        kantor = office.kantor()
        leader_role = f"{'Ketua' if len(team) > 1 else 'Petugas'} {kantor.tim}"
        sifat = r.text("sifat") or "Biasa"
        diganti = decision(r)
        start, end = r.get("henti_mulai"), r.get("henti_selesai")
        pelaksanaan = r.get("tgl_pelaksanaan")
        dev_rows = [_device(i, d) for i, d in enumerate(devices, 1)]
        pulled = [d for d in devices if withdrawn(d)]
        layanan = split_list(r.text("layanan_terdampak")) or [req["nama_domain"] if r.text("nama_domain")
                                                             else req["nama_server"]]
        photo_rows = [FotoBaris(kiri=_photo(photos, i), kanan=_photo(photos, i + 1))
                      for i in range(0, len(photos), 2)]
        leader = team[0].nama if team else ""
        phone = office.get("telepon").replace(" ", NBSP)  # '(0271) 495039' stays on one line
        contact = f"{leader} ({kantor.tim})" if leader else kantor.tim
        contact += f", telepon {phone}" if phone else ""
        nobody = signer(None, "")
        pd = _contact_signer(r)
        components = [d for d in devices if tindakan_of(d) is Tindakan.KOMPONEN]
        checks = self._checks.get(r.text("no_agenda"), [])
        disposed = bool(r.get("tgl_disposisi_kadis"))
        return DocumentFields(
            kop=office.kop(self.logo),
            kantor=kantor,
            sop=Sop(nomor=or_dots(office.get("nomor_sop")), tanggal=or_dots(office.get("tanggal_sop"))),
            doc=Doc(nomor=TITIK, tanggal=TITIK, judul=""),
            p=req,
            tgl={step_key(s.column): date_or_dots(r.get(s.column)) for s in STEPS}
            | {"surat": date_or_dots(r.get("tgl_surat"))},
            hari={step_key(s.column): day_or_dots(r.get(s.column)) for s in STEPS}
            | {"surat": day_or_dots(r.get("tgl_surat"))},
            cek=Cek(
                sifat_biasa=box(sifat == "Biasa"), sifat_segera=box(sifat == "Segera"),
                sifat_sangat_segera=box(sifat == "Sangat Segera"), sifat_rahasia=box(sifat == "Rahasia"),
                diteruskan_kabid=box(disposed), harap_tanggapan=UNCHECKED, harap_proses=box(disposed),
                harap_koordinasi=UNCHECKED,
                preventif=box(r.text("jenis_pemeliharaan") == "Preventif"),
                korektif=box(r.text("jenis_pemeliharaan") == "Korektif"),
                diganti_ya=box(diganti is YaTidak.YA), diganti_tidak=box(diganti is YaTidak.TIDAK),
                **{f"sesuai_{k}": box(r.text(f"sesuai_{k}") == YaTidak.YA)
                   for k in ("spesifikasi", "fisik", "ip", "domain")},
            ),
            ada=Ada(penarikan=diganti is YaTidak.YA, komponen=bool(components), foto=bool(photos),
                    pemeriksaan=bool(checks)),
            narahubung=Narahubung(nama=req["narahubung"], nip=pd.nip,  # 'NI PPPK.' as he signs
                                  jabatan=req["jabatan_narahubung"], telepon=req["telepon_narahubung"]),
            ttd=Ttd(
                kadis=nobody, kabid=nobody,
                tim=signer(team[0] if team else None, f"{leader_role},".upper(), leader_role),
                pd=pd,
            ),
            petugas=[PetugasRow(no=str(i), nama=p.nama, pangkat=signer(p, "").pangkat,
                                nip=nip_line(p.nip).replace(" ", NBSP),  # never broken in its narrow cell
                                jabatan=or_dots(p.jabatan)) for i, p in enumerate(team, 1)]
            or [PetugasRow(no="1", nama=TITIK, nip=nip_line(""), pangkat=TITIK, jabatan=TITIK)],
            petugas_teks="\n".join(f"{i}. {p.nama}" for i, p in enumerate(team, 1)) or TITIK,
            perangkat=dev_rows or _blank_devices(3),
            perangkat_tarik=[_device(i, d) for i, d in enumerate(pulled, 1)] or _blank_devices(2),
            komponen=[_device(i, d) for i, d in enumerate(components, 1)],
            pemeriksaan=[PemeriksaanRow(no=f"{i}.", item=c.text("item"), sebelum=c.text("kondisi_sebelum"),
                                        tindakan=c.text("tindakan"), sesudah=c.text("kondisi_sesudah"),
                                        keterangan=c.text("keterangan")) for i, c in enumerate(checks, 1)]
            or [PemeriksaanRow(no=f"{i}.", item=item, sebelum="", tindakan="", sesudah="", keterangan="")
                for i, item in enumerate(C.PEMERIKSAAN_ITEMS, 1)],
            henti=outage(start, end, pelaksanaan),
            layanan=layanan,
            layanan_judul=title_services(split_list(r.text("layanan_terdampak")),
                                          split_list(r.text("nama_domain")), r.text("nama_server")),
            kontak=contact,
            ba=BeritaAcara(
                pembukaan="Pada " + date_in_words(pelaksanaan) if isinstance(pelaksanaan, date)
                else f"Pada hari ini {TITIK} tanggal {TITIK} bulan {TITIK} tahun {TITIK}",
                lokasi=or_dots(office.get("lokasi_pusat_data")),
                waktu=work_hours(start, end, pelaksanaan), rangkap=f"2 ({terbilang(2)})"),
            laporan=Laporan(simpulan=conclusion(r, req, devices), saran=advice(r, devices)),
            foto_baris=photo_rows,
            lampiran=attachments(diganti is YaTidak.YA, len(photos)),
        )


def _step_of(column: str) -> int:
    return next((s.number for s in STEPS if s.column == column), 0)


def _device(no: int, d: Record) -> PerangkatRow:
    def text(key: str) -> str:
        return d.text(key) or "-"

    def ident(key: str) -> str:
        return unbroken(text(key))

    return PerangkatRow(no=str(no), nama=text("nama_perangkat"), merk_tipe=text("merk_tipe"),
                        nomor_seri=ident("nomor_seri"), kode_barang=ident("kode_barang"),
                        spesifikasi=text("spesifikasi"), alamat_ip=ident("alamat_ip"),
                        lokasi_rak=ident("lokasi_rak"), kondisi=text("kondisi"), tindakan=text("tindakan"),
                        komponen=text("komponen"), keterangan=text("keterangan"))


def _blank_devices(n: int) -> list[PerangkatRow]:
    return [PerangkatRow(no="", nama="", merk_tipe="", nomor_seri="", kode_barang="", spesifikasi="",
                         alamat_ip="", lokasi_rak="", kondisi="", tindakan="", komponen="", keterangan="")
            for _ in range(n)]


def _photo(photos: Sequence[ImageRef], i: int) -> Foto:
    if i >= len(photos):
        return Foto(gambar="", keterangan="")
    caption = photos[i].path.stem.replace("_", " ").strip()
    caption = caption.lstrip("0123456789 .-") or caption
    return Foto(gambar=photos[i], keterangan=f"Gambar {i + 1}. {caption}")


def used_values(context: Mapping[str, Any], fields: set[str]) -> dict[str, Any]:
    """The values of the fields a template uses ('kop.dinas', 'perangkat[].nama' → the whole list)."""
    out: dict[str, Any] = {}
    for name in fields:
        value: Any = context
        for part in name.split("[]")[0].split("."):
            if not isinstance(value, Mapping) or part not in value:
                value = None
                break
            value = value[part]
        out[name.split("[]")[0]] = value
    return out


def fingerprint(context: Mapping[str, Any], template_digest: str, fields: set[str] | None = None) -> str:
    """Changes exactly when the document would change: the fields its template uses (all of them when
    unknown), its template, the field rules. A new photo so changes the laporan only."""
    if fields:
        context = used_values(context, fields)
    body = json.dumps(context, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{FIELDS_VERSION}\x00{template_digest}\x00{body}".encode()).hexdigest()


