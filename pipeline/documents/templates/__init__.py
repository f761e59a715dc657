"""Builds the six default Word templates (docxtpl) that the pipeline fills, lean and byte-reproducible."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocxDocument

from pipeline.documents.templates.package import new_document, package_bytes
from pipeline.documents.templates.pelaksanaan import (
    build_berita_acara,
    build_laporan,
    build_penarikan_perangkat,
)
from pipeline.documents.templates.permohonan import (
    build_isian_kelengkapan,
    build_lembar_disposisi,
    build_pengumuman,
)
from pipeline.outbox.files import atomic_write

Builder = Callable[[DocxDocument], None]

# In SOP order: file name, document title (core properties), builder.
TEMPLATES: tuple[tuple[str, str, Builder], ...] = (
    ("lembar_disposisi.docx", "Lembar Disposisi", build_lembar_disposisi),
    ("isian_kelengkapan.docx", "Dokumen Isian Kelengkapan Pemeliharaan Server", build_isian_kelengkapan),
    ("pengumuman.docx", "Pengumuman Penghentian Sementara Layanan", build_pengumuman),
    ("penarikan_perangkat.docx", "Formulir Penarikan Perangkat Server", build_penarikan_perangkat),
    ("berita_acara.docx", "Berita Acara Pekerjaan Pemeliharaan Server", build_berita_acara),
    ("laporan.docx", "Laporan Hasil Pelaksanaan Pemeliharaan Server", build_laporan),
)

TEMPLATE_NAMES: tuple[str, ...] = tuple(name for name, _, _ in TEMPLATES)


def template_bytes(name: str) -> bytes:
    """The .docx bytes of one default template (the same bytes on every call)."""
    for file_name, doc_title, build in TEMPLATES:
        if file_name == name:
            document = new_document(doc_title)
            build(document)
            return package_bytes(document)
    raise KeyError(f"no default template named {name!r}; known: {', '.join(TEMPLATE_NAMES)}")


def build_templates(target: Path) -> list[Path]:
    """Write the six default templates into `target` (created if missing) and return their paths."""
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in TEMPLATE_NAMES:
        path = target / name
        atomic_write(path, template_bytes(name))
        written.append(path)
    return written
