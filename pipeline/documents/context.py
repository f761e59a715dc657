"""What a template may print, as types: one frozen dataclass per group of fields ({{ kop.dinas }},
{{ ttd.kabid.nama }}, {% for d in perangkat %}), so a misspelt field in Python is a type error. The
request's columns (`p`), step dates (`tgl`, `hari`) stay mappings derived from the register's and the
SOP's declarations. `template_dict` is the one place a context becomes the dict docxtpl wants;
`field_names` lists the fields the types declare, each with its meaning, for `sop-pipeline fields`."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pipeline.documents.photos import ImageRef
from pipeline.register import columns as C
from pipeline.sop.steps import STEPS

TITIK = "…………………………"  # a dotted line: the value is filled in by hand
Image = Union[ImageRef, str]  # noqa: UP007 — resolved at run time by typing.get_type_hints; '' = no picture


class Arti(str):
    """The meaning of a field, for the list of fields (Annotated[str, Arti('…')])."""


@dataclass(frozen=True)
class Kop:
    pemerintah: Annotated[str, Arti("Baris pertama kop (huruf kapital), dari Pengaturan")]
    dinas: Annotated[str, Arti("Nama dinas di kop (huruf kapital)")]
    alamat: Annotated[str, Arti("Alamat kantor")]
    kontak: Annotated[str, Arti("Telepon, laman dan pos-el kantor")]
    logo: Annotated[Image, Arti("Lambang daerah (templates_docx/logo.png); kosong bila tidak ada")]


@dataclass(frozen=True)
class Kantor:
    kota: Annotated[str, Arti("Tempat penandatanganan")]
    dinas: Annotated[str, Arti("Nama dinas")]
    daerah: Annotated[str, Arti("Nama daerah")]
    bidang: Annotated[str, Arti("Bidang yang menangani pemeliharaan server")]
    pusat_data: Annotated[str, Arti("Lokasi Pusat Data")]
    tim: Annotated[str, Arti("Nama tim pelaksana")]


@dataclass(frozen=True)
class Sop:
    nomor: Annotated[str, Arti("Nomor SOP Pemeliharaan Server")]
    tanggal: Annotated[str, Arti("Tanggal SOP")]


@dataclass(frozen=True)
class Doc:
    nomor: Annotated[str, Arti("Nomor dokumen ini (dari register), atau titik-titik")]
    tanggal: Annotated[str, Arti("Tanggal dokumen ini")]
    judul: Annotated[str, Arti("Judul dokumen ini")]


@dataclass(frozen=True)
class Penandatangan:
    """One signature block's lines."""

    jabatan: Annotated[str, Arti("Jabatan penanda tangan (dengan Plt./Plh. bila bukan definitif)")]
    nama: Annotated[str, Arti("Nama dengan gelar")]
    pangkat: Annotated[str, Arti("Pangkat (golongan), atau titik-titik")]
    nip: Annotated[str, Arti("NIP (atau NI PPPK), dengan awalannya")]
    peran: Annotated[str, Arti("Sebutan singkat dalam kalimat/tabel, mis. 'Plh. Kepala Bidang'")]


@dataclass(frozen=True)
class Ttd:
    kadis: Annotated[Penandatangan, Arti("Kepala Dinas pada tanggal tanda tangannya")]
    kabid: Annotated[Penandatangan, Arti("Kepala Bidang pada tanggal tanda tangannya")]
    tim: Annotated[Penandatangan, Arti("Ketua Tim Teknis (petugas pertama)")]
    pd: Annotated[Penandatangan, Arti("Narahubung Perangkat Daerah pemohon")]


@dataclass(frozen=True)
class Narahubung:
    nama: Annotated[str, Arti("Narahubung Perangkat Daerah")]
    nip: Annotated[str, Arti("NIP narahubung (atau NI PPPK), dengan awalannya")]
    jabatan: Annotated[str, Arti("Jabatan narahubung")]
    telepon: Annotated[str, Arti("Telepon/HP narahubung")]


@dataclass(frozen=True)
class Cek:
    """Check boxes: ☑ or ☐."""

    sifat_biasa: Annotated[str, Arti("Sifat surat Biasa")]
    sifat_segera: Annotated[str, Arti("Sifat surat Segera")]
    sifat_sangat_segera: Annotated[str, Arti("Sifat surat Sangat Segera")]
    sifat_rahasia: Annotated[str, Arti("Sifat surat Rahasia")]
    diteruskan_kabid: Annotated[str, Arti("Diteruskan kepada Kepala Bidang (disposisi Kepala Dinas ada)")]
    harap_tanggapan: Annotated[str, Arti("Harap: tanggapan dan saran")]
    harap_proses: Annotated[str, Arti("Harap: proses lebih lanjut")]
    harap_koordinasi: Annotated[str, Arti("Harap: koordinasi/konfirmasikan")]
    preventif: Annotated[str, Arti("Jenis pemeliharaan Preventif")]
    korektif: Annotated[str, Arti("Jenis pemeliharaan Korektif")]
    diganti_ya: Annotated[str, Arti("Perangkat Diganti = Ya (kosong pada dokumen sebelum langkah 8)")]
    diganti_tidak: Annotated[str, Arti("Perangkat Diganti = Tidak (kosong pada dokumen sebelum langkah 8)")]
    sesuai_spesifikasi: Annotated[str, Arti("Kesesuaian: spesifikasi sesuai (kolom Spesifikasi Sesuai)")]
    sesuai_fisik: Annotated[str, Arti("Kesesuaian: fisik sesuai (kolom Fisik Sesuai)")]
    sesuai_ip: Annotated[str, Arti("Kesesuaian: alamat IP sesuai (kolom IP Sesuai)")]
    sesuai_domain: Annotated[str, Arti("Kesesuaian: nama domain sesuai (kolom Domain Sesuai)")]


@dataclass(frozen=True)
class Ada:
    """Conditions for {%p if … %}."""

    penarikan: Annotated[bool, Arti("Ada perangkat yang ditarik/diganti (Perangkat Diganti = Ya)")]
    komponen: Annotated[bool, Arti("Ada komponen yang diganti di dalam perangkat yang tetap di Pusat Data")]
    foto: Annotated[bool, Arti("Ada foto dokumentasi")]
    pemeriksaan: Annotated[bool, Arti("Formulir pemeliharaan diisi dari sheet Pemeriksaan")]


@dataclass(frozen=True)
class PerangkatRow:
    no: Annotated[str, Arti("Nomor urut")]
    nama: Annotated[str, Arti("Nama perangkat")]
    merk_tipe: Annotated[str, Arti("Merek/tipe")]
    nomor_seri: Annotated[str, Arti("Nomor seri")]
    kode_barang: Annotated[str, Arti("Kode barang BMD")]
    spesifikasi: Annotated[str, Arti("Spesifikasi")]
    alamat_ip: Annotated[str, Arti("Alamat IP perangkat")]
    lokasi_rak: Annotated[str, Arti("Lokasi rak")]
    kondisi: Annotated[str, Arti("Kondisi")]
    tindakan: Annotated[str, Arti("Tindakan")]
    komponen: Annotated[str, Arti("Komponen yang diganti (Tindakan Komponen Diganti)")]
    keterangan: Annotated[str, Arti("Keterangan")]


@dataclass(frozen=True)
class PemeriksaanRow:
    no: Annotated[str, Arti("Nomor urut")]
    item: Annotated[str, Arti("Item yang diperiksa")]
    sebelum: Annotated[str, Arti("Kondisi sebelum")]
    tindakan: Annotated[str, Arti("Tindakan")]
    sesudah: Annotated[str, Arti("Kondisi sesudah")]
    keterangan: Annotated[str, Arti("Keterangan")]


@dataclass(frozen=True)
class PetugasRow:
    no: Annotated[str, Arti("Nomor urut")]
    nama: Annotated[str, Arti("Nama petugas")]
    pangkat: Annotated[str, Arti("Pangkat (golongan)")]
    nip: Annotated[str, Arti("NIP")]
    jabatan: Annotated[str, Arti("Jabatan")]


@dataclass(frozen=True)
class Henti:
    hari_tanggal: Annotated[str, Arti("Hari dan tanggal penghentian layanan")]
    jam: Annotated[str, Arti("Jam penghentian layanan")]
    waktu: Annotated[str, Arti("Hari, tanggal dan jam dalam satu kalimat")]
    rencana: Annotated[str, Arti("Hari dan tanggal pelaksanaan: Tgl Pelaksanaan, atau yang direncanakan "
                                 "(hari Henti Mulai)")]


@dataclass(frozen=True)
class BeritaAcara:
    pembukaan: Annotated[str, Arti("Pembukaan berita acara: hari dan tanggal dengan huruf")]
    lokasi: Annotated[str, Arti("Tempat pekerjaan")]
    waktu: Annotated[str, Arti("Jam pelaksanaan")]
    rangkap: Annotated[str, Arti("Jumlah rangkap")]


@dataclass(frozen=True)
class Laporan:
    simpulan: Annotated[str, Arti("Simpulan: yang dikerjakan, yang diganti/ditarik, kondisi sesudahnya")]
    saran: Annotated[str, Arti("Saran (dari Keterangan perangkat atau Catatan); kosong bila tidak ada")]


@dataclass(frozen=True)
class Foto:
    gambar: Annotated[Image, Arti("Foto dari inbox/lampiran/<No. Agenda>/")]
    keterangan: Annotated[str, Arti("Keterangan foto (dari nama file)")]


@dataclass(frozen=True)
class FotoBaris:
    kiri: Annotated[Foto, Arti("Foto kiri")]
    kanan: Annotated[Foto, Arti("Foto kanan")]


@dataclass(frozen=True)
class DocumentFields:
    """Everything one document's template may print."""

    kop: Annotated[Kop, Arti("Kop surat")]
    kantor: Annotated[Kantor, Arti("Kantor")]
    sop: Annotated[Sop, Arti("SOP")]
    doc: Annotated[Doc, Arti("Dokumen ini")]
    p: Annotated[Mapping[str, str], Arti("Kolom sheet Permohonan")]
    tgl: Annotated[Mapping[str, str], Arti("Tanggal langkah SOP")]
    hari: Annotated[Mapping[str, str], Arti("Hari dan tanggal langkah SOP")]
    cek: Annotated[Cek, Arti("Kotak centang")]
    ada: Annotated[Ada, Arti("Syarat")]
    narahubung: Annotated[Narahubung, Arti("Narahubung Perangkat Daerah")]
    ttd: Annotated[Ttd, Arti("Penanda tangan")]
    petugas: Annotated[list[PetugasRow], Arti("Petugas Tim Teknis")]
    petugas_teks: Annotated[str, Arti("Petugas bernomor, satu per baris")]
    perangkat: Annotated[list[PerangkatRow], Arti("Perangkat permohonan (sheet Perangkat)")]
    perangkat_tarik: Annotated[list[PerangkatRow], Arti("Perangkat yang diganti/ditarik")]
    komponen: Annotated[list[PerangkatRow], Arti("Perangkat yang komponennya diganti (tetap di Pusat Data)")]
    pemeriksaan: Annotated[list[PemeriksaanRow], Arti("Formulir pemeliharaan: sheet Pemeriksaan, atau "
                                                          "item baku dengan kolom kosong")]
    henti: Annotated[Henti, Arti("Penghentian layanan")]
    layanan: Annotated[list[str], Arti("Layanan terdampak")]
    layanan_judul: Annotated[str, Arti("Layanan terdampak untuk judul pengumuman (huruf kapital)")]
    kontak: Annotated[str, Arti("Yang dapat dihubungi di kantor: ketua tim dan telepon kantor")]
    ba: Annotated[BeritaAcara, Arti("Berita acara")]
    laporan: Annotated[Laporan, Arti("Laporan")]
    foto_baris: Annotated[list[FotoBaris], Arti("Foto dokumentasi, dua per baris")]
    lampiran: Annotated[list[str], Arti("Daftar lampiran laporan")]


def template_dict(value: Any) -> Any:
    """The one place a typed context becomes what docxtpl wants: dicts, lists and plain values (pictures
    stay ImageRefs, bound to the template at render time)."""
    if isinstance(value, str):  # most values: tested first, a third of building the fields otherwise
        return value
    if isinstance(value, list):
        return [template_dict(v) for v in value]
    names = _field_names(type(value))
    if names is not None:
        return {name: template_dict(getattr(value, name)) for name in names}
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _field_names(cls: type[Any]) -> tuple[str, ...] | None:
    """A context class's field names, None for anything else (a picture, a plain value); looked up once
    per class (what the code declares, not data)."""
    if cls not in _FIELD_NAMES:
        is_context = dataclasses.is_dataclass(cls) and not issubclass(cls, ImageRef)
        _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)) if is_context else None
    return _FIELD_NAMES[cls]


_FIELD_NAMES: dict[type[Any], tuple[str, ...] | None] = {}


def step_key(column: str) -> str:
    """'tgl_pelaksanaan' → 'pelaksanaan' ({{ tgl.pelaksanaan }})."""
    return column.removeprefix("tgl_")


def _mapping_fields(name: str) -> Iterator[tuple[str, str]]:
    if name == "p":
        for col in C.PERMOHONAN.columns:
            yield col.key, col.help or col.header
        return
    for s in STEPS:
        yield step_key(s.column), f"{s.label}: {s.description}"
    yield "surat", "Tanggal surat permohonan"


def field_names(kind: type = DocumentFields, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted name, meaning) of every field the types declare, rows of lists as 'perangkat[].nama'."""
    hints = typing.get_type_hints(kind, include_extras=True)
    for f in dataclasses.fields(kind):
        hint = hints[f.name]
        meaning = next((str(a) for a in getattr(hint, "__metadata__", ()) if isinstance(a, Arti)), "")
        inner = get_args(hint)[0] if get_origin(hint) is Annotated else hint
        name = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(inner) and inner is not ImageRef:
            yield from field_names(inner, name + ".")  # type: ignore[arg-type]
        elif get_origin(inner) is list and dataclasses.is_dataclass(get_args(inner)[0]):
            yield name, meaning
            yield from field_names(get_args(inner)[0], name + "[].")
        elif get_origin(inner) is Mapping:
            for key, text in _mapping_fields(f.name):
                yield f"{name}.{key}", text
        else:
            yield name, meaning
