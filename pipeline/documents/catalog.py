"""The SOP's six documents, declared once: which step brings each, who signs it, its number, its file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.register.reader import Record
from pipeline.sop.steps import Actor, step


@dataclass(frozen=True)
class Signer:
    """A role that signs a document, as held on the date in ``date_column`` (or on the document's date)."""

    role: Actor
    date_column: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    key: str  # also the template's file stem in templates_docx/
    title: str
    number: int  # order in the folder: '05 Berita Acara Pekerjaan.docx'
    from_step: int  # appears once this step is dated
    date_column: str  # the document's own date ('Karanganyar, 15 Juni 2026')
    signers: tuple[Signer, ...]
    number_column: str = ""  # the register column holding the document's number
    only_if: str = ""  # extra condition: 'henti' (outage times known) or 'diganti' (Perangkat Diganti = Ya)

    @property
    def template(self) -> str:
        return f"{self.key}.docx"

    @property
    def filename(self) -> str:
        return f"{self.number:02d} {self.title}.docx"


DOCUMENTS: tuple[DocumentSpec, ...] = (
    DocumentSpec("lembar_disposisi", "Lembar Disposisi", 1, 1, "tgl_diterima",
                 (Signer(Actor.KADIS, "tgl_disposisi_kadis"), Signer(Actor.KABID, "tgl_disposisi_kabid"))),
    DocumentSpec("isian_kelengkapan", "Formulir Isian Kelengkapan", 2, 4, "tgl_kelengkapan",
                 (Signer(Actor.KABID),)),
    DocumentSpec("pengumuman", "Pengumuman Penghentian Layanan", 3, 1, "tgl_pengumuman",
                 (Signer(Actor.KADIS),), number_column="nomor_pengumuman", only_if="henti"),
    DocumentSpec("penarikan_perangkat", "Formulir Penarikan Perangkat", 4, 1, "tgl_penarikan",
                 (Signer(Actor.KABID),), only_if="diganti"),
    DocumentSpec("berita_acara", "Berita Acara Pekerjaan", 5, 7, "tgl_pelaksanaan",
                 (Signer(Actor.KABID),), number_column="nomor_ba"),
    DocumentSpec("laporan", "Laporan Hasil Pelaksanaan", 6, 9, "tgl_laporan",
                 (Signer(Actor.KABID, "tgl_pemeriksaan_kabid"), Signer(Actor.KADIS, "tgl_reviu_kadis")),
                 number_column="nomor_laporan"),
)


def due_documents(record: Record) -> list[DocumentSpec]:
    """The documents this request has reached, in folder order."""
    found = []
    for doc in DOCUMENTS:
        if not isinstance(record.get(step(doc.from_step).column), date):
            continue
        if doc.only_if == "henti" and not (record.get("henti_mulai") and record.get("henti_selesai")):
            continue
        if doc.only_if == "diganti" and record.get("perangkat_diganti") != "Ya":
            continue
        found.append(doc)
    return found
