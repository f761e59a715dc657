"""The register's sheets and columns, declared once: reading, validation, the blank register and its
Petunjuk sheet are all derived from these tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import TypeVar

from pipeline.register.values import norm_key

E = TypeVar("E", bound=Enum)


class Kind(StrEnum):
    TEXT = "teks"
    DATE = "tanggal"
    DATETIME = "tanggal dan jam"
    CHOICE = "pilihan"
    NIP = "NIP"
    IP = "alamat IP"
    DOMAIN = "nama domain"


@dataclass(frozen=True)
class Choice:
    value: str  # the canonical spelling printed on documents
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    key: str  # attribute name in the code
    header: str  # the header as the blank register writes it
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[Choice, ...] = ()
    default: str = ""  # value used when a CHOICE cell is empty
    aliases: tuple[str, ...] = ()  # other headers offices use for the same column
    help: str = ""  # Indonesian explanation for the Petunjuk sheet
    width: int = 16
    optional: bool = False  # added later: a register without it reads as before, without a warning

    def match_keys(self) -> set[str]:
        return {norm_key(self.header), *(norm_key(a) for a in self.aliases)}

    def allowed(self) -> str:
        return ", ".join(c.value for c in self.choices)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    required: bool = True
    help: str = ""
    aliases: tuple[str, ...] = field(default=())

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


class YaTidak(StrEnum):
    YA = "Ya"
    TIDAK = "Tidak"


class Tindakan(StrEnum):
    """What was done to a device (sheet Perangkat, column Tindakan)."""

    DIPELIHARA = "Dipelihara"
    KOMPONEN = "Komponen Diganti"  # a part replaced inside a device that stays in the data centre
    DIGANTI = "Diganti"  # the device replaced by another: it leaves the data centre
    DITARIK = "Ditarik"  # the device taken out of the data centre

    @property
    def leaves(self) -> bool:
        """The device leaves the data centre (the penarikan lists it)."""
        return self in (Tindakan.DIGANTI, Tindakan.DITARIK)


class Status(StrEnum):
    """How an official holds the post (sheet Pegawai, column Status)."""

    DEFINITIF = "Definitif"
    PLT = "Plt."
    PLH = "Plh."

    @property
    def acting(self) -> bool:
        return self is not Status.DEFINITIF


def choice_of(kind: type[E], text: str) -> E | None:
    """The member whose value a (cleaned) register cell holds, or None."""
    for member in kind:
        if member.value == text:
            return member
    return None


SIFAT = (Choice("Biasa"), Choice("Segera"), Choice("Sangat Segera", ("SS",)), Choice("Rahasia"))
YA_TIDAK = (Choice(YaTidak.YA.value, ("Y", "Iya")),
            Choice(YaTidak.TIDAK.value, ("T", "Tdk", "Tidak Diganti")))
JENIS = (Choice("Preventif", ("Pencegahan",)), Choice("Korektif", ("Perbaikan",)))
KONDISI = (Choice("Baik", ("B",)), Choice("Rusak Ringan", ("RR",)), Choice("Rusak Berat", ("RB",)))
TINDAKAN = (Choice(Tindakan.DIPELIHARA.value),
            Choice(Tindakan.KOMPONEN.value, ("Ganti Komponen", "Penggantian Komponen", "Komponen")),
            Choice(Tindakan.DIGANTI.value), Choice(Tindakan.DITARIK.value))
PERAN = (Choice("Kepala Dinas", ("Kadis",)), Choice("Kepala Bidang", ("Kabid",)),
         Choice("Tim Teknis", ("Tim Teknis Pusat Data", "Teknisi")))
STATUS = (Choice(Status.DEFINITIF.value), Choice(Status.PLT.value, ("Plt", "Pelaksana Tugas")),
          Choice(Status.PLH.value, ("Plh", "Pelaksana Harian")))
JENIS_LIBUR = (Choice("Libur"), Choice("Masuk", ("Hari Kerja",)))

_D = Kind.DATE

PERMOHONAN = Sheet("Permohonan", (
    Column("no_agenda", "No. Agenda", required=True, width=12,
           help="Nomor agenda surat masuk. Wajib dan tidak boleh sama dengan baris lain."),
    Column("tgl_diterima", "Tanggal Diterima", _D, required=True, aliases=("Tgl Diterima", "Tgl Terima"),
           help="Langkah 1: tanggal surat permohonan diterima dan diagendakan."),
    Column("perangkat_daerah", "Perangkat Daerah", required=True, aliases=("PD", "Asal Surat", "Surat Dari"),
           width=30, help="Perangkat Daerah pemohon, mis. 'Dinas Kesehatan'."),
    Column("nomor_surat", "Nomor Surat", required=True, aliases=("No Surat",), width=22,
           help="Nomor surat permohonan dari Perangkat Daerah."),
    Column("tgl_surat", "Tanggal Surat", _D, required=True, help="Tanggal pada surat permohonan."),
    Column("hal", "Hal", required=True, aliases=("Perihal",), width=34, help="Hal/perihal surat permohonan."),
    Column("sifat", "Sifat", Kind.CHOICE, choices=SIFAT, default="Biasa",
           help="Sifat surat: Biasa, Segera, Sangat Segera atau Rahasia. Kosong berarti Biasa."),
    Column("nama_server", "Nama Server", width=20, help="Nama server yang dipelihara."),
    Column("alamat_ip", "Alamat IP", Kind.IP,
           help="Alamat IP server, mis. 10.20.1.15 (beberapa dipisah ';')."),
    Column("nama_domain", "Nama Domain", Kind.DOMAIN, width=28,
           help="Nama domain layanan, mis. simpeg.karanganyarkab.go.id (beberapa dipisah ';')."),
    Column("narahubung", "Narahubung", width=26, help="Nama petugas Perangkat Daerah yang dapat dihubungi."),
    Column("nip_narahubung", "NIP Narahubung", Kind.NIP, width=22,
           help="NIP narahubung, 18 angka. Format sel sebagai Teks agar angka tidak dibulatkan Excel."),
    Column("jabatan_narahubung", "Jabatan Narahubung", width=26, help="Jabatan narahubung."),
    Column("pangkat_narahubung", "Pangkat/Gol. Narahubung", width=24, optional=True,
           aliases=("Pangkat Narahubung", "Golongan Narahubung"),
           help="Pangkat/golongan narahubung, mis. Penata (III/c) atau III/c; untuk PPPK tulis 'PPPK' dan "
                "golongannya, mis. PPPK IX (NIP Narahubung lalu berisi NI PPPK). Boleh kosong: dicetak "
                "titik-titik untuk diisi tangan."),
    Column("telepon_narahubung", "Telepon Narahubung", width=16,
           aliases=("No HP Narahubung", "HP Narahubung"),
           help="Nomor telepon/HP narahubung. Format sel sebagai Teks agar angka 0 di depan tidak hilang."),
    Column("tgl_disposisi_kadis", "Tgl Disposisi Kadis", _D,
           help="Langkah 2: tanggal Kepala Dinas mendisposisikan surat kepada Kepala Bidang."),
    Column("isi_disposisi_kadis", "Isi Disposisi Kadis", width=30,
           help="Isi/catatan disposisi Kepala Dinas."),
    Column("tgl_disposisi_kabid", "Tgl Disposisi Kabid", _D,
           help="Langkah 3: tanggal Kepala Bidang memverifikasi dan menugaskan Tim Teknis."),
    Column("isi_disposisi_kabid", "Isi Disposisi Kabid", width=30,
           help="Isi/catatan disposisi Kepala Bidang."),
    Column("petugas", "Petugas", width=30,
           help="Nama Tim Teknis yang ditugaskan, persis seperti di sheet Pegawai; pisahkan dengan ';' "
                "atau baris baru. Nama pertama menandatangani sebagai ketua tim."),
    Column("tgl_pemeriksaan", "Tgl Pemeriksaan", _D,
           help="Langkah 4: tanggal Tim Teknis memeriksa server (spesifikasi, fisik, IP, domain)."),
    Column("hasil_pemeriksaan", "Hasil Pemeriksaan", width=30, help="Hasil pemeriksaan langkah 4."),
    *(Column(f"sesuai_{key}", f"{label} Sesuai", Kind.CHOICE, choices=YA_TIDAK, width=12, optional=True,
             help=f"Langkah 4: Ya bila {what} sesuai data permohonan, Tidak bila tidak. Mencentang kotak "
                  "Kesesuaian di isian kelengkapan; kosong berarti kotaknya diisi tangan.")
      for key, label, what in (("spesifikasi", "Spesifikasi", "spesifikasi server"),
                               ("fisik", "Fisik", "fisik server"), ("ip", "IP", "alamat IP"),
                               ("domain", "Domain", "nama domain"))),
    Column("tgl_kelengkapan", "Tgl Kelengkapan", _D,
           help="Langkah 5: tanggal dokumen isian kelengkapan diisi bersama Perangkat Daerah."),
    Column("tgl_pengumuman", "Tgl Pengumuman", _D,
           help="Langkah 6: tanggal pengumuman penghentian layanan sementara."),
    Column("layanan_terdampak", "Layanan Terdampak", width=30,
           help="Layanan/aplikasi yang berhenti sementara; pisahkan dengan ';' atau baris baru."),
    Column("henti_mulai", "Henti Mulai", Kind.DATETIME, width=18,
           help="Tanggal dan jam layanan mulai dihentikan, mis. 15/06/2026 08.00."),
    Column("henti_selesai", "Henti Selesai", Kind.DATETIME, width=18,
           help="Tanggal dan jam layanan kembali normal, mis. 15/06/2026 12.00."),
    Column("tgl_pelaksanaan", "Tgl Pelaksanaan", _D, help="Langkah 7: tanggal pemeliharaan dilaksanakan."),
    Column("jenis_pemeliharaan", "Jenis Pemeliharaan", Kind.CHOICE, choices=JENIS,
           help="Preventif (pencegahan) atau Korektif (perbaikan)."),
    Column("uraian_pekerjaan", "Uraian Pekerjaan", width=34, help="Pekerjaan yang dilakukan."),
    Column("hasil_pemeliharaan", "Hasil Pemeliharaan", width=34, help="Hasil pemeliharaan."),
    Column("perangkat_diganti", "Perangkat Diganti", Kind.CHOICE, choices=YA_TIDAK,
           help="Langkah 8 (keputusan): Ya bila ada perangkat yang diganti/ditarik dari Pusat Data, "
                "Tidak bila tidak ada (langkah 8 dilewati). Komponen yang diganti di dalam perangkat yang "
                "tetap di Pusat Data (Tindakan = Komponen Diganti) bukan penarikan."),
    Column("tgl_penarikan", "Tgl Penarikan", _D,
           help="Langkah 8: tanggal formulir penarikan perangkat diisi. Kosongkan bila "
                "Perangkat Diganti = Tidak."),
    Column("tgl_laporan", "Tgl Laporan", _D, help="Langkah 9: tanggal laporan hasil pelaksanaan dibuat."),
    Column("tgl_pemeriksaan_kabid", "Tgl Pemeriksaan Kabid", _D,
           help="Langkah 10: tanggal Kepala Bidang memeriksa laporan dan meneruskannya ke Kepala Dinas."),
    Column("tgl_reviu_kadis", "Tgl Reviu Kadis", _D,
           help="Langkah 11: tanggal Kepala Dinas mereviu laporan."),
    Column("tgl_selesai", "Tgl Selesai", _D, help="Langkah 12: tanggal permohonan dinyatakan selesai."),
    Column("nomor_ba", "Nomor BA", width=22, help="Nomor Berita Acara Pekerjaan."),
    Column("nomor_pengumuman", "Nomor Pengumuman", width=22, help="Nomor Pengumuman penghentian layanan."),
    Column("nomor_laporan", "Nomor Laporan", width=22, help="Nomor Laporan hasil pelaksanaan."),
    Column("catatan", "Catatan", width=30, help="Catatan bebas; tidak dicetak di dokumen."),
), help="Satu baris untuk satu permohonan pemeliharaan server.")

PERANGKAT = Sheet("Perangkat", (
    Column("no_agenda", "No. Agenda", required=True, width=12,
           help="No. Agenda permohonan pemilik perangkat (harus ada di sheet Permohonan)."),
    Column("nama_perangkat", "Nama Perangkat", required=True, width=22, help="Mis. Server, Switch, UPS."),
    Column("merk_tipe", "Merk/Tipe", width=22, help="Merk dan tipe, mis. Dell PowerEdge R740."),
    Column("nomor_seri", "Nomor Seri", width=18, help="Nomor seri pabrik."),
    Column("kode_barang", "Kode Barang", width=22,
           help="Kode barang/nomor register BMD, mis. 1.3.2.10.02.04.001."),
    Column("spesifikasi", "Spesifikasi", width=30, help="CPU, RAM, penyimpanan, sistem operasi."),
    Column("alamat_ip", "Alamat IP", Kind.IP, help="Alamat IP perangkat."),
    Column("lokasi_rak", "Lokasi Rak", width=12, help="Lokasi di Pusat Data, mis. R2/U12."),
    Column("kondisi", "Kondisi", Kind.CHOICE, choices=KONDISI,
           help="Baik, Rusak Ringan atau Rusak Berat (boleh B, RR, RB)."),
    Column("tindakan", "Tindakan", Kind.CHOICE, choices=TINDAKAN, default="Dipelihara",
           help="Dipelihara; Komponen Diganti (komponen di dalamnya diganti, perangkat tetap di Pusat Data); "
                "Diganti (perangkat diganti perangkat lain dan dikeluarkan dari Pusat Data); Ditarik "
                "(dikeluarkan tanpa pengganti). Hanya Diganti dan Ditarik masuk formulir penarikan. "
                "Kosong berarti Dipelihara."),
    Column("komponen", "Komponen", width=26, optional=True,
           help="Untuk Tindakan Komponen Diganti: komponen yang diganti, mis. 'Baterai UPS (1 set)'. "
                "Kolom ini boleh tidak ada."),
    Column("keterangan", "Keterangan", width=30,
           help="Keterangan, mis. alasan penggantian. Tulis saran (mis. 'perlu dipantau') agar masuk saran "
                "laporan."),
), help="Perangkat yang dipelihara; satu baris untuk satu perangkat, beberapa baris per permohonan.")

PEGAWAI = Sheet("Pegawai", (
    Column("nama", "Nama", required=True, width=32,
           help="Nama lengkap dengan gelar, mis. Drs. SUJARNO, M.Si."),
    Column("nip", "NIP", Kind.NIP, width=22, help="NIP 18 angka (format sel sebagai Teks)."),
    Column("pangkat", "Pangkat/Golongan", width=28, aliases=("Pangkat", "Golongan", "Pangkat Golongan"),
           help="Mis. Pembina Utama Muda (IV/c), atau cukup IV/c."),
    Column("jabatan", "Jabatan", width=34, help="Jabatan, mis. Kepala Bidang Tata Kelola Informatika."),
    Column("peran", "Peran", Kind.CHOICE, required=True, choices=PERAN,
           help="Peran dalam SOP: Kepala Dinas, Kepala Bidang, atau Tim Teknis."),
    Column("mulai", "Mulai", _D, help="Awal masa jabatan/penugasan. Kosong berarti sejak dulu."),
    Column("selesai", "Selesai", _D, help="Akhir masa jabatan. Kosong berarti masih menjabat."),
    Column("status", "Status", Kind.CHOICE, choices=STATUS, default="Definitif",
           help="Definitif, Plt. atau Plh. Kosong berarti Definitif."),
), help="Pegawai yang bertindak dan menandatangani dokumen.")

HARI_LIBUR = Sheet("Hari Libur", (
    Column("tanggal", "Tanggal", _D, required=True, help="Tanggal libur atau hari masuk tambahan."),
    Column("keterangan", "Keterangan", width=34, help="Nama hari libur atau alasan."),
    Column("jenis", "Jenis", Kind.CHOICE, choices=JENIS_LIBUR, default="Libur",
           help="Libur: hari ini tidak dihitung sebagai hari kerja. Masuk: dihitung hari kerja walau "
                "kalender nasional libur."),
), required=False, help="Tambahan atas kalender libur nasional dan cuti bersama (opsional).")

# The 'Formulir Pemeliharaan Server' of the berita acara: the items a technician checks at the server.
PEMERIKSAAN_ITEMS = (
    "Fisik dan kebersihan server/rak",
    "Suhu dan kelembapan ruang server",
    "Catu daya (PSU) dan UPS",
    "Kipas pendingin (fan)",
    "Media penyimpanan (storage/RAID)",
    "Memori (RAM)",
    "Log sistem dan peringatan (alert)",
    "Pembaruan sistem operasi/patch keamanan",
    "Cadangan data (backup)",
    "Layanan/aplikasi berjalan",
    "Koneksi jaringan dan alamat IP",
    "DNS/nama domain",
)

PEMERIKSAAN = Sheet("Pemeriksaan", (
    Column("no_agenda", "No. Agenda", required=True, width=12,
           help="No. Agenda permohonan yang diperiksa (harus ada di sheet Permohonan)."),
    Column("item", "Item", required=True, width=36, aliases=("Item yang Diperiksa", "Uraian"),
           help="Yang diperiksa, mis. 'Catu daya (PSU) dan UPS'."),
    Column("kondisi_sebelum", "Kondisi Sebelum", width=18, help="Kondisi sebelum pemeliharaan."),
    Column("tindakan", "Tindakan", width=26, help="Yang dikerjakan pada item ini."),
    Column("kondisi_sesudah", "Kondisi Sesudah", width=18, help="Kondisi sesudah pemeliharaan."),
    Column("keterangan", "Keterangan", width=26, help="Keterangan."),
), required=False, help="Formulir Pemeliharaan Server (opsional): satu baris untuk satu item yang diperiksa. "
   "Bila permohonan tidak punya baris di sini, formulir dicetak kosong sebagai lampiran berita acara untuk "
   "diisi tangan di ruang server.")

DATA_SHEETS = (PERMOHONAN, PERANGKAT, PEGAWAI, HARI_LIBUR, PEMERIKSAAN)


@dataclass(frozen=True)
class Setting:
    key: str
    label: str  # the 'Kunci' text in sheet Pengaturan
    required: bool = False
    example: str = ""
    help: str = ""
    aliases: tuple[str, ...] = ()


SETTINGS = (
    Setting("pemerintah", "Nama Pemerintah Daerah", True, "Pemerintah Kabupaten Karanganyar",
            "Baris pertama kop surat.", ("Pemerintah", "Nama Pemerintah")),
    Setting("dinas", "Nama Dinas", True, "Dinas Komunikasi dan Informatika", "Baris kedua kop surat.",
            ("Dinas", "Nama Kantor", "Instansi")),
    Setting("daerah", "Nama Daerah", True, "Kabupaten Karanganyar",
            "Dipakai dalam jabatan, mis. Kepala Dinas … Kabupaten Karanganyar.", ("Daerah", "Kabupaten")),
    Setting("bidang", "Nama Bidang", False, "Bidang Tata Kelola Informatika",
            "Bidang yang menangani pemeliharaan server.", ("Bidang",)),
    Setting("alamat", "Alamat", False, "Jalan Lawu Nomor 385, Karanganyar, Jawa Tengah 57712",
            "Alamat kantor."),
    Setting("telepon", "Telepon", False, "(0271) 495039", "Nomor telepon kantor."),
    Setting("laman", "Laman", False, "diskominfo.karanganyarkab.go.id", "Alamat situs web.",
            ("Website", "Web")),
    Setting("email", "Pos-el", False, "diskominfo@karanganyarkab.go.id", "Alamat surel kantor.",
            ("Email", "E-mail", "Surel")),
    Setting("kota", "Kota", True, "Karanganyar", "Tempat penandatanganan dokumen.", ("Tempat",)),
    Setting("lokasi_pusat_data", "Lokasi Pusat Data", False,
            "Ruang Server Pusat Data Dinas Komunikasi dan Informatika Kabupaten Karanganyar",
            "Tempat pemeliharaan, dipakai dalam berita acara.", ("Pusat Data",)),
    Setting("tim", "Nama Tim Teknis", False, "Tim Teknis Pusat Data", "Nama tim pelaksana.", ("Tim",)),
    Setting("nomor_sop", "Nomor SOP", False, "555/017/IV/2022", "Nomor SOP Pemeliharaan Server."),
    Setting("tanggal_sop", "Tanggal SOP", False, "8 April 2022", "Tanggal pembuatan SOP."),
)
PENGATURAN = "Pengaturan"
PETUNJUK = "Petunjuk"
