"""The SOP's six documents, declared once — one entry per document: which step brings it, on what
condition, who signs it, its number, its file, the code that builds its default template and its place in
the laporan's lampiran list. The default templates, the plan, `sop-pipeline fields`, the recap, the
laporan's lampiran and the tests are all derived from DOCUMENTS.

The fields a document gets are the request's fields (documents/fields.py) plus its own: `doc` (number
from ``number_column``, date from ``date_column``, title) and the signers of ``signers`` on their dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from pipeline.register.columns import YaTidak
from pipeline.register.reader import Record
from pipeline.sop.steps import Actor, decision, step


@dataclass(frozen=True)
class SigningRole:
    """A role that signs a document, as held on the date in ``date_column`` (or on the document's date)."""

    role: Actor
    date_column: str = ""


class Condition(Enum):
    """When a document that a step has reached is still not made."""

    ALWAYS = "selalu"
    HENTI = "bila waktu penghentian layanan diisi"  # the pengumuman: outage start and end known
    DIGANTI = "bila Perangkat Diganti = Ya"  # the penarikan: a device leaves the data centre

    def holds(self, record: Record) -> bool:
        if self is Condition.HENTI:
            return bool(record.get("henti_mulai") and record.get("henti_selesai"))
        if self is Condition.DIGANTI:
            return decision(record) is YaTidak.YA
        return True


@dataclass(frozen=True)
class DocumentSpec:
    key: str  # also the template's file stem in templates_docx/
    title: str
    number: int  # order in the folder: '05 Berita Acara Pekerjaan.docx'
    from_step: int  # appears once this step is dated
    date_column: str  # the document's own date ('Karanganyar, 15 Juni 2026')
    signers: tuple[SigningRole, ...]
    number_column: str = ""  # the register column holding the document's number
    only_if: Condition = Condition.ALWAYS
    # The default template: 'module:function' under pipeline.documents.templates, resolved only when
    # templates are built (python-docx is not imported to read the catalog), and its core-properties title.
    builder: str = ""
    template_title: str = ""
    lampiran: int = 0  # its place in the laporan's lampiran list (0: not attached to the laporan)
    attached: tuple[str, ...] = ()  # lampiran printed inside it, listed after it in the laporan

    @property
    def template(self) -> str:
        return f"{self.key}.docx"

    @property
    def filename(self) -> str:
        return f"{self.number:02d} {self.title}.docx"


_S = SigningRole
DOCUMENTS: tuple[DocumentSpec, ...] = (
    DocumentSpec("lembar_disposisi", "Lembar Disposisi", 1, 1, "tgl_diterima",
                 (_S(Actor.KADIS, "tgl_disposisi_kadis"), _S(Actor.KABID, "tgl_disposisi_kabid")),
                 builder="permohonan:build_lembar_disposisi", template_title="Lembar Disposisi"),
    DocumentSpec("isian_kelengkapan", "Formulir Isian Kelengkapan", 2, 4, "tgl_kelengkapan",
                 (_S(Actor.KABID),),
                 builder="permohonan:build_isian_kelengkapan", lampiran=2,
                 template_title="Dokumen Isian Kelengkapan Pemeliharaan Server"),
    DocumentSpec("pengumuman", "Pengumuman Penghentian Layanan", 3, 1, "tgl_pengumuman", (_S(Actor.KADIS),),
                 number_column="nomor_pengumuman", only_if=Condition.HENTI,
                 builder="permohonan:build_pengumuman",
                 template_title="Pengumuman Penghentian Sementara Layanan"),
    DocumentSpec("penarikan_perangkat", "Formulir Penarikan Perangkat", 4, 1, "tgl_penarikan",
                 (_S(Actor.KABID),),
                 only_if=Condition.DIGANTI, builder="pelaksanaan:build_penarikan_perangkat", lampiran=3,
                 template_title="Formulir Penarikan Perangkat Server"),
    DocumentSpec("berita_acara", "Berita Acara Pekerjaan", 5, 7, "tgl_pelaksanaan", (_S(Actor.KABID),),
                 number_column="nomor_ba", builder="pelaksanaan:build_berita_acara", lampiran=1,
                 attached=("Formulir Pemeliharaan Server",),
                 template_title="Berita Acara Pekerjaan Pemeliharaan Server"),
    DocumentSpec("laporan", "Laporan Hasil Pelaksanaan", 6, 9, "tgl_laporan",
                 (_S(Actor.KABID, "tgl_pemeriksaan_kabid"), _S(Actor.KADIS, "tgl_reviu_kadis")),
                 number_column="nomor_laporan", builder="pelaksanaan:build_laporan",
                 template_title="Laporan Hasil Pelaksanaan Pemeliharaan Server"),
)


def document(key: str) -> DocumentSpec:
    """The document whose template stem is ``key``."""
    for doc in DOCUMENTS:
        if doc.key == key:
            return doc
    raise KeyError(f"no document {key!r}; known: {', '.join(d.key for d in DOCUMENTS)}")


def due_documents(record: Record) -> list[DocumentSpec]:
    """The documents this request has reached, in folder order."""
    return [doc for doc in DOCUMENTS
            if isinstance(record.get(step(doc.from_step).column), date) and doc.only_if.holds(record)]
