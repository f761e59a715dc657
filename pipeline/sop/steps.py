"""The SOP Pemeliharaan Server as data: twelve steps, who acts, which register column dates each, and
the branch at step 8. Validation, the recap and the documents derive from this table."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pipeline.register.columns import Tindakan, YaTidak, choice_of

if TYPE_CHECKING:
    from pipeline.register.reader import Record


class Actor(StrEnum):
    PD = "Perangkat Daerah Pemohon"
    KADIS = "Kepala Dinas"
    KABID = "Kepala Bidang"
    TIM = "Tim Teknis Pusat Data"


@dataclass(frozen=True)
class Step:
    number: int
    name: str  # short Indonesian name for the recap
    description: str  # the SOP's uraian prosedur
    actors: tuple[Actor, ...]
    column: str  # the Permohonan column key holding this step's date
    output: str
    standard_days: int = 1  # mutu baku waktu: working days after the previous step
    skippable: bool = False  # step 8 is skipped when no device is replaced
    needs: tuple[str, ...] = ()  # columns that must be filled once this step is dated (galat)
    wants: tuple[str, ...] = ()  # columns that should be filled once this step is dated (peringatan)

    @property
    def label(self) -> str:
        return f"Langkah {self.number} ({self.name})"


STEPS: tuple[Step, ...] = (
    Step(1, "Surat diterima", "Surat permohonan pemeliharaan server dari Perangkat Daerah diterima.",
         (Actor.PD,), "tgl_diterima", "Surat masuk"),
    Step(2, "Disposisi Kepala Dinas", "Kepala Dinas mendisposisikan surat permohonan kepada Kepala Bidang.",
         (Actor.KADIS,), "tgl_disposisi_kadis", "Disposisi"),
    Step(3, "Disposisi Kepala Bidang", "Kepala Bidang memverifikasi dan menugaskan Tim Teknis Pusat Data.",
         (Actor.KABID,), "tgl_disposisi_kabid", "Disposisi", needs=("petugas",)),
    Step(4, "Pemeriksaan server",
         "Tim Teknis memeriksa spesifikasi, fisik server, alamat IP dan nama domain.",
         (Actor.TIM,), "tgl_pemeriksaan", "Data", wants=("nama_server", "alamat_ip", "hasil_pemeriksaan")),
    Step(5, "Isian kelengkapan", "Tim Teknis dan Perangkat Daerah mengisi dokumen isian kelengkapan.",
         (Actor.TIM, Actor.PD), "tgl_kelengkapan", "Dokumen isian kelengkapan"),
    Step(6, "Pengumuman", "Pengumuman penghentian layanan sementara kepada seluruh pengguna.",
         (Actor.TIM, Actor.PD), "tgl_pengumuman", "Informasi",
         needs=("henti_mulai", "henti_selesai"), wants=("layanan_terdampak",)),
    Step(7, "Pelaksanaan", "Tim Teknis mendampingi pelaksanaan pemeliharaan dan mendokumentasikannya.",
         (Actor.TIM, Actor.PD), "tgl_pelaksanaan", "Dokumentasi",
         wants=("jenis_pemeliharaan", "uraian_pekerjaan")),
    Step(8, "Penarikan perangkat", "Bila perangkat harus diganti atau ditarik, Perangkat Daerah mengisi "
         "formulir penarikan perangkat server.", (Actor.PD, Actor.TIM), "tgl_penarikan", "Dokumentasi",
         skippable=True),
    Step(9, "Laporan",
         "Tim Teknis menyusun laporan hasil pelaksanaan, berita acara dan formulir pemeliharaan.",
         (Actor.TIM,), "tgl_laporan", "Dokumentasi", wants=("hasil_pemeliharaan",)),
    Step(10, "Pemeriksaan Kepala Bidang", "Kepala Bidang memeriksa laporan dan meneruskannya kepada "
         "Kepala Dinas.", (Actor.KABID,), "tgl_pemeriksaan_kabid", "Dokumen"),
    Step(11, "Reviu Kepala Dinas", "Kepala Dinas mereviu laporan.", (Actor.KADIS,), "tgl_reviu_kadis",
         "Dokumen"),
    Step(12, "Selesai", "Selesai.", (), "tgl_selesai", "Dokumen"),
)
DECISION_STEP = 8  # 'Perangkat Diganti' decides whether this step happens
DECISION_COLUMN = "perangkat_diganti"


def step(number: int) -> Step:
    return STEPS[number - 1]


def decision(record: Record) -> YaTidak | None:
    """Step 8's decision as the register records it ('Perangkat Diganti'), or None while still open."""
    return choice_of(YaTidak, record.text(DECISION_COLUMN))


def withdrawn(device: Record) -> bool:
    """A device (sheet Perangkat) that leaves the data centre at step 8: Tindakan Diganti or Ditarik."""
    tindakan = choice_of(Tindakan, device.text("tindakan"))
    return tindakan is not None and tindakan.leaves


def applicable_steps(diganti: YaTidak | str | None) -> tuple[Step, ...]:
    """The steps a request goes through: step 8 only when devices are replaced ('Ya').

    While the decision is still open (None) step 8 is kept: it is the next thing to decide.
    """
    if diganti == YaTidak.TIDAK:
        return tuple(s for s in STEPS if not s.skippable)
    return STEPS
