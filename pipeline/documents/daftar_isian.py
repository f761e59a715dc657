"""DAFTAR ISIAN.docx: every field a template may use — its tag, what it means, an example — grouped as the
documents use them, written into templates_docx/ so a staff member editing a template in Word can copy a
tag from one Word window into the other. Built from the flattened sample contexts, so it follows
whatever fields the documents offer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt, RGBColor

from pipeline.documents.checks import flatten_fields
from pipeline.documents.templates.package import package_bytes
from pipeline.outbox.files import atomic_write
from pipeline.register import columns as C

DAFTAR_NAME = "DAFTAR ISIAN.docx"

_GROUPS: dict[str, str] = {
    "kop": "Kop surat (dari sheet Pengaturan)",
    "kantor": "Kantor (dari sheet Pengaturan)",
    "sop": "SOP (dari sheet Pengaturan)",
    "doc": "Dokumen ini",
    "p": "Permohonan: nilai kolom sheet Permohonan, ditulis seperti di dokumen",
    "tgl": "Tanggal langkah, ditulis lengkap",
    "hari": "Hari dan tanggal langkah",
    "cek": "Kotak centang (☑ atau ☐)",
    "ada": "Syarat untuk {% if … %}: benar atau salah",
    "narahubung": "Narahubung Perangkat Daerah",
    "ttd": "Penanda tangan (pejabat yang menjabat pada tanggal dokumen, menurut sheet Pegawai)",
    "petugas": "Tim Teknis yang ditugaskan (kolom Petugas)",
    "perangkat": "Perangkat permohonan ini (sheet Perangkat)",
    "perangkat_tarik": "Perangkat yang diganti atau ditarik (Tindakan = Diganti/Ditarik)",
    "henti": "Penghentian layanan (Henti Mulai, Henti Selesai)",
    "ba": "Berita acara",
    "laporan": "Laporan hasil pelaksanaan",
    "foto_baris": "Foto dokumentasi, dua per baris (inbox/lampiran/<No. Agenda>/)",
}
_SETTING_FOR = {"kop.pemerintah": "pemerintah", "kop.dinas": "dinas", "kop.alamat": "alamat",
                "kantor.kota": "kota", "kantor.dinas": "dinas", "kantor.daerah": "daerah",
                "kantor.bidang": "bidang", "kantor.pusat_data": "lokasi_pusat_data", "kantor.tim": "tim",
                "sop.nomor": "nomor_sop", "sop.tanggal": "tanggal_sop"}
_MEANINGS: dict[str, str] = {
    "kop.kontak": "Telepon, laman dan pos-el kantor dalam satu baris.",
    "kop.logo": "Logo daerah: gambar templates_docx/logo.png (kosong bila berkas itu tidak ada).",
    "doc.nomor": "Nomor dokumen ini (dari kolom nomornya di sheet Permohonan).",
    "doc.tanggal": "Tanggal dokumen ini.",
    "doc.judul": "Judul dokumen ini.",
    "petugas_teks": "Nama semua petugas dalam satu kalimat.",
    "layanan": "Layanan yang terdampak (daftar).",
    "kontak": "Kontak narahubung dalam satu baris.",
    "lampiran": "Daftar lampiran.",
}
_ROLES = {"kadis": "Kepala Dinas", "kabid": "Kepala Bidang", "tim": "ketua Tim Teknis"}


@dataclass(frozen=True)
class FieldRow:
    name: str  # 'p.hal', 'perangkat[].nama'
    tag: str  # what to type in the template: '{{ p.hal }}', '{{ x.nama }}'
    meaning: str
    example: str


@dataclass(frozen=True)
class FieldGroup:
    key: str
    title: str
    rows: tuple[FieldRow, ...]


def all_samples(today: date) -> dict[str, dict[str, Any]]:
    """The sample context of every template: the six documents and the monev report."""
    from pipeline.documents.sample import sample_contexts
    from pipeline.monev.report import SPEC as MONEV
    from pipeline.monev.report import sample_context as monev_sample
    samples = sample_contexts(today)
    samples[MONEV.key] = monev_sample(today)
    return samples


def template_titles() -> dict[str, tuple[str, str]]:
    """Template key → (file name, title)."""
    from pipeline.documents.catalog import DOCUMENTS
    from pipeline.monev.report import SPEC as MONEV
    return {d.key: (d.template, d.title) for d in (*DOCUMENTS, MONEV)}


def field_groups(context: Mapping[str, Any], only: set[str] | None = None) -> list[FieldGroup]:
    """The fields of one context, grouped by their first name part, in the order the context gives them."""
    groups: dict[str, list[FieldRow]] = {}
    for name, value in flatten_fields(context).items():
        if only is not None and name not in only:
            continue
        key = name.split(".")[0].split("[")[0]
        row = FieldRow(name, _tag(name), _meaning(name, value), _example(name, value))
        groups.setdefault(key, []).append(row)
    return [FieldGroup(k, _GROUPS.get(k, k.replace("_", " ").capitalize()), tuple(rows))
            for k, rows in groups.items()]


def _tag(name: str) -> str:
    if "[]." in name:  # a field of each row of a list
        base, _, rest = name.rpartition("[].")
        return f"{{{{ x.{rest} }}}} di dalam {{% for x in {base.replace('[].', '.')} %}}"
    return f"{{{{ {name} }}}}"


def _example(name: str, value: Any) -> str:
    if name == "kop.logo":
        return "(gambar logo)"
    if name.startswith("grafik."):
        return "(grafik PNG dari angka laporan, lebar 160 mm)"
    if name.endswith(".gambar"):
        return "(foto dari inbox/lampiran/<No. Agenda>/, lebar 75 mm)"
    if isinstance(value, list):
        return "(daftar; pakai {%tr for x in " + name + " %} … {%tr endfor %} di baris tabel)"
    return str(value).replace("\n", " ⏎ ")


def _meaning(name: str, value: Any) -> str:
    """What the field means: the register column or setting it comes from (named, so a clerk can find it),
    else as its type declares it (documents/context.py)."""
    if name in _MEANINGS:
        return _MEANINGS[name]
    if name in _SETTING_FOR:
        setting = next(s for s in C.SETTINGS if s.key == _SETTING_FOR[name])
        return f"Pengaturan '{setting.label}': {setting.help}"
    head, _, rest = name.partition(".")
    base = head.split("[")[0]
    field = name.rpartition(".")[2]
    if base == "p" and (col := _column(C.PERMOHONAN, rest)) is not None:
        return f"Kolom '{col.header}': {col.help}"
    if base in ("perangkat", "perangkat_tarik") and (col := _column(C.PERANGKAT, field)) is not None:
        return f"Kolom '{col.header}' sheet Perangkat: {col.help}"
    col = _column(C.PERMOHONAN, f"tgl_{rest}") or _column(C.PERMOHONAN, rest)
    if base in ("tgl", "hari") and col is not None:
        shown = "Hari dan tanggal" if base == "hari" else "Tanggal"
        return f"{shown} dari kolom '{col.header}', ditulis lengkap."
    declared = _declared().get(name, "")
    if declared:
        return declared
    if base == "ttd":
        role = rest.split(".")[0]
        return f"{field.capitalize()} {_ROLES.get(role, role)} yang menandatangani."
    if base == "petugas" and "[]" in name:
        return f"{field.capitalize()} setiap petugas (baris tabel)."
    if base == "narahubung":
        return f"{field.capitalize()} narahubung Perangkat Daerah."
    if base == "cek":
        return f"☑ bila {rest.replace('_', ' ')}, selain itu ☐."
    if base == "ada":
        return f"Benar bila ada {rest.replace('_', ' ')}: {{% if {name} %}} … {{% endif %}}."
    if field == "no":
        return "Nomor urut baris."
    return name.replace("_", " ").replace(".", ": ").capitalize() + "."


@cache  # what the code declares: the same for every field asked about (was rebuilt per field: 3.5 s per init)
def _declared() -> dict[str, str]:
    from pipeline.documents.context import field_names
    return {name: meaning for name, meaning in field_names() if meaning}


def _column(sheet: C.Sheet, key: str) -> C.Column | None:
    try:
        return sheet.column(key)
    except KeyError:
        return None


def field_listing(samples: Mapping[str, Mapping[str, Any]], keys: Sequence[str]) -> list[str]:
    """What `sop-pipeline fields` prints: per template, its groups, each field's tag, example and meaning."""
    titles = template_titles()
    lines: list[str] = []
    for key in keys:
        filename, title = titles[key]
        lines.append(f"# {filename} — {title}")
        for group in field_groups(samples[key]):
            lines.append(f"  {group.title}")
            for row in group.rows:
                lines.append(f"    {row.tag}  →  {row.example}")
                if row.meaning:
                    lines.append(f"        {row.meaning}")
        lines.append("")
    return lines


def write_daftar_isian(target: Path, samples: Mapping[str, Mapping[str, Any]], keys: Sequence[str]) -> Path:
    """Write DAFTAR ISIAN.docx for the templates ``keys``: the fields all of them share once, then each
    template's own. Replaced atomically; returns ``target``."""
    titles = template_titles()
    names = {k: set(flatten_fields(samples[k])) for k in keys}
    shared = set.intersection(*names.values()) if len(keys) > 1 else set()
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(9)
    doc.add_heading("Daftar Isian Templat", level=0)
    doc.add_paragraph(
        "Setiap isian ditulis di templat Word sebagai tag, misalnya {{ p.hal }}. Salin tag dari kolom 'Tag' "
        "ke templat (Ctrl+C, lalu Ctrl+V di Word), tanpa mengubah format di tengah tag. Isian dalam tabel "
        "berulang ditulis di dalam {%tr for x in … %} … {%tr endfor %}. Berkas ini dibuat ulang oleh "
        "'sop-pipeline fields'; mengubahnya tidak berpengaruh pada dokumen.")
    if shared:
        doc.add_heading("Isian yang ada di semua templat", level=1)
        _groups(doc, field_groups(samples[keys[0]], shared))
    for key in keys:
        own = names[key] - shared
        filename, title = titles.get(key, (f"{key}.docx", key))
        doc.add_heading(f"{title} — templat {filename}", level=1)
        if not own:
            doc.add_paragraph("Hanya isian yang ada di semua templat.")
            continue
        _groups(doc, field_groups(samples[key], own))
    atomic_write(target, package_bytes(doc))  # fixed zip entry times: the same fields, the same bytes
    return target


def _groups(doc: Any, groups: Sequence[FieldGroup]) -> None:
    widths = (Cm(8.5), Cm(10.0), Cm(8.2))
    for group in groups:
        doc.add_heading(group.title, level=2)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("Tag", "Arti", "Contoh"), strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in group.rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = row.tag, row.meaning, row.example
            cells[0].paragraphs[0].runs[0].font.color.rgb = RGBColor(0x1F, 0x3A, 0x93)
        for r in table.rows:
            for cell, width in zip(r.cells, widths, strict=True):
                cell.width = width
