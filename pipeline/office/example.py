"""The worked example: realistic requests at every stage of the SOP (late steps, a holiday, dates typed as
text, a withdrawn device, an acting official), for `sop-pipeline init --contoh` and the tests."""


from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pipeline.office.photos import write_example_photos
from pipeline.office.workbook import write_register
from pipeline.register import columns as C
from pipeline.sop.steps import STEPS

YEAR = 2026  # the example's year; every example date lies in September-November 2026

_TIM_ARIF, _TIM_DWI = "Arif Budiman, S.Kom.", "Dwi Hastuti, S.T."
_TIM_YOGI, _TIM_RIZKY = "Yogi Setiawan, A.Md.", "Rizky Adi Nugroho, S.Kom."
_KADIS = "Mohon ditindaklanjuti sesuai SOP."
_KABID = "Tim Teknis Pusat Data agar memeriksa server dan berkoordinasi dengan narahubung."

_PEGAWAI_FIELDS = ("nama", "nip", "pangkat", "jabatan", "peran", "mulai", "selesai", "status")
_PEGAWAI = (
    ("Drs. Sujarno, M.Si.", "197001071995031004", "Pembina Utama Muda (IV/c)",
     "Kepala Dinas Komunikasi dan Informatika", "Kepala Dinas", "06/01/2020", "", "Definitif"),
    ("Sri Wahyuningsih, S.Kom., M.M.", "197505122000032003", "Pembina (IV/a)",
     "Kepala Bidang Tata Kelola Informatika", "Kepala Bidang", "02/01/2023", "", "Definitif"),
    # Acting while the Kabid attends a training in Semarang; steps 3 and 10 of two requests fall inside.
    ("Ir. Bambang Heru Santoso, M.T.", "197208151998031005", "Pembina (IV/a)",
     "Kepala Bidang Tata Kelola Informatika", "Kepala Bidang", "09/11/2026", "13/11/2026", "Plh."),
    (_TIM_ARIF, "198603142010011007", "Penata Tingkat I (III/d)", "Pranata Komputer Ahli Muda", "Tim Teknis",
     "", "", "Definitif"),
    (_TIM_DWI, "199108232015032002", "Penata (III/c)", "Pranata Komputer Ahli Muda", "Tim Teknis",
     "", "", ""),
    (_TIM_YOGI, "198807222011011003", "Penata Muda Tingkat I (III/b)", "Pranata Komputer Mahir", "Tim Teknis",
     "", "", ""),
    (_TIM_RIZKY, "199602112022031006", "Penata Muda (III/a)", "Pranata Komputer Ahli Pertama", "Tim Teknis",
     "", "", ""),
)

# One request per row. 'steps' holds the twelve step dates in SOP order ('-' = not yet or skipped), in YEAR;
# 'henti' is the planned stop of the service. B 2016 (step 3) and I 2398 (step 2) are late on purpose.
_PERMOHONAN: tuple[dict[str, Any], ...] = (
    {"no_agenda": 1841, "perangkat_daerah": "Dinas Kesehatan", "nomor_surat": "440/2314/IX/2026",
     "tgl_surat": "11/09", "hal": "Permohonan Pemeliharaan Server SIMPUS", "sifat": "Biasa",
     "nama_server": "srv-simpus-01", "alamat_ip": "10.20.3.11",
     "nama_domain": "simpus.karanganyarkab.go.id; antrean.karanganyarkab.go.id",
     "narahubung": "Hendro Wibowo, S.Kom.",
     "pangkat_narahubung": "Penata Tingkat I (III/d)", "nip_narahubung": "198209172009031002",
     "jabatan_narahubung": "Pranata Komputer Ahli Muda", "telepon_narahubung": "081329457810",
     "steps": "14/09 14/09 15/09 16/09 17/09 18/09 21/09 - 22/09 23/09 24/09 25/09",
     "petugas": (_TIM_ARIF, _TIM_YOGI),
     "hasil_pemeriksaan": "Server menyala normal; spesifikasi, alamat IP dan domain sesuai data; "
                          "log menunjukkan partisi /var terisi 91%.",
     "layanan_terdampak": "SIMPUS; Aplikasi Antrean Online", "henti": "21/09 08:00-12:00",
     "jenis_pemeliharaan": "Preventif",
     "uraian_pekerjaan": "Pembersihan debu, pembaruan paket keamanan sistem operasi, rotasi dan "
                         "pengarsipan log, pemeriksaan cadangan harian.",
     "hasil_pemeliharaan": "Layanan normal kembali pukul 11.40; partisi /var terisi 48%.",
     "perangkat_diganti": "Tidak", "nomor_pengumuman": "555/231/IX/2026", "nomor_ba": "555/236/IX/2026",
     "nomor_laporan": "555/237/IX/2026"},
    {"no_agenda": 2016, "perangkat_daerah": "Badan Pengelolaan Keuangan, Pendapatan dan Aset Daerah",
     "nomor_surat": "900/1520/X/2026", "tgl_surat": "01/10",
     "hal": "Permohonan Pemeliharaan Server SIM PBB-P2",
     "sifat": "Segera", "nama_server": "srv-pbb-01", "alamat_ip": "10.20.4.21",
     "nama_domain": "simpbb.karanganyarkab.go.id; ebphtb.karanganyarkab.go.id",
     "narahubung": "Rr. Endang Sri Lestari, S.E.",
     "pangkat_narahubung": "Penata Tingkat I (III/d)", "nip_narahubung": "197811042005012008",
     "jabatan_narahubung": "Analis Pajak Daerah", "telepon_narahubung": "085642318876",
     "steps": "05/10 05/10 07/10 08/10 09/10 12/10 13/10 14/10 15/10 16/10 19/10 19/10",
     "petugas": (_TIM_DWI, _TIM_ARIF),
     "hasil_pemeriksaan": "Satu hard disk pada array RAID 6 berstatus Failed di iLO; array berjalan dalam "
                          "mode degraded.",
     "layanan_terdampak": "SIM PBB-P2; e-BPHTB", "henti": "13/10 18:00-22:30",
     "jenis_pemeliharaan": "Korektif",
     "uraian_pekerjaan": "Penggantian hard disk yang rusak, pembangunan ulang (rebuild) array RAID 6, "
                         "pemeriksaan cadangan ke storage.",
     "hasil_pemeliharaan": "Rebuild RAID selesai pukul 21.55; layanan normal kembali.",
     "perangkat_diganti": "Ya", "nomor_pengumuman": "555/254/X/2026", "nomor_ba": "555/262/X/2026",
     "nomor_laporan": "555/263/X/2026",
     "catatan": "Disposisi Kabid terlambat: Kepala Bidang dinas luar pada 6 Oktober."},
    {"no_agenda": 2290, "perangkat_daerah": "RSUD Kabupaten Karanganyar", "nomor_surat": "445/1187/X/2026",
     "tgl_surat": "30/10", "hal": "Permohonan Pemeliharaan Server SIMRS", "sifat": "Segera",
     "nama_server": "srv-simrs-01", "alamat_ip": "10.20.5.10", "nama_domain": "simrs.karanganyarkab.go.id",
     "narahubung": "Bayu Kurniawan, S.Kom.",
     "pangkat_narahubung": "Penata (III/c)", "nip_narahubung": "198905272014021001",
     "jabatan_narahubung": "Kepala Instalasi SIMRS", "telepon_narahubung": "082134765092",
     "steps": "02/11 02/11 03/11 04/11 05/11 06/11 09/11 - 10/11 11/11 12/11 -",
     "petugas": (_TIM_ARIF, _TIM_RIZKY),
     "hasil_pemeriksaan": "Spesifikasi, alamat IP dan domain sesuai; pembaruan firmware BIOS dan iDRAC "
                          "tersedia.",
     "layanan_terdampak": "SIMRS; Pendaftaran Online Rawat Jalan", "henti": "09/11 21:00-23:30",
     "jenis_pemeliharaan": "Preventif",
     "uraian_pekerjaan": "Pembaruan firmware BIOS dan iDRAC, pemeriksaan UPS, uji pemulihan basis data "
                         "dari cadangan.",
     "hasil_pemeliharaan": "Firmware terbaru terpasang; uji pemulihan berhasil; layanan normal pukul 23.10.",
     "perangkat_diganti": "Tidak", "nomor_pengumuman": "555/301/XI/2026", "nomor_ba": "555/305/XI/2026",
     "nomor_laporan": "555/306/XI/2026"},
    {"no_agenda": 2331, "perangkat_daerah": "Dinas Pendidikan dan Kebudayaan",
     "nomor_surat": "400.3/3105/2026",
     "tgl_surat": "10/11", "hal": "Permohonan Pemeliharaan Server PPDB", "sifat": "Biasa",
     "nama_server": "srv-ppdb-01", "alamat_ip": "10.20.6.15", "nama_domain": "ppdb.karanganyarkab.go.id",
     "narahubung": "Siti Nurjanah, S.Kom.",
     "pangkat_narahubung": "III/b", "nip_narahubung": "198001152006042011",
     "jabatan_narahubung": "Pranata Komputer Ahli Pertama", "telepon_narahubung": "087836512094",
     "steps": "12/11 12/11 13/11 16/11 17/11 19/11 20/11 - 23/11 - - -", "petugas": (_TIM_YOGI, _TIM_RIZKY),
     "hasil_pemeriksaan": "Kipas nomor 3 berisik; suhu CPU 78 °C saat beban puncak.",
     "layanan_terdampak": "PPDB Online; Sistem Informasi Sekolah", "henti": "20/11 13:00-16:00",
     "jenis_pemeliharaan": "Preventif",
     "uraian_pekerjaan": "Pembersihan kipas dan heatsink, penggantian pasta termal, pembaruan sistem "
                         "operasi.",
     "hasil_pemeliharaan": "Suhu CPU turun menjadi 61 °C; layanan normal.", "perangkat_diganti": "Tidak",
     "nomor_pengumuman": "555/318/XI/2026", "nomor_ba": "555/324/XI/2026", "nomor_laporan": "555/325/XI/2026",
     "catatan": "Pengumuman 19/11 (18/11 libur Hari Jadi)."},
    {"no_agenda": 2348, "perangkat_daerah": "Dinas Kependudukan dan Pencatatan Sipil",
     "nomor_surat": "400.12/1044/XI/2026", "tgl_surat": "13/11",
     "hal": "Permohonan Pemeliharaan Server Layanan Online Dukcapil", "sifat": "Sangat Segera",
     "nama_server": "srv-dukcapil-01", "alamat_ip": "10.20.7.12",
     "nama_domain": "dukcapil.karanganyarkab.go.id; antrean-dukcapil.karanganyarkab.go.id",
     "narahubung": "Wahyu Tri Handoko, S.T.",
     "pangkat_narahubung": "Pembina (IV/a)", "nip_narahubung": "198502032010011013",
     "jabatan_narahubung": "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan",
     "telepon_narahubung": "081226703415",
     "steps": "16/11 16/11 17/11 19/11 20/11 23/11 24/11 25/11 - - - -", "petugas": (_TIM_DWI, _TIM_YOGI),
     "hasil_pemeriksaan": "Baterai UPS menggelembung; port uplink switch mati sehingga koneksi memakai "
                          "jalur cadangan.",
     "layanan_terdampak": "Layanan Online Dukcapil; Antrean Online Dukcapil", "henti": "24/11 16:00-20:00",
     "jenis_pemeliharaan": "Korektif",
     "uraian_pekerjaan": "Penggantian baterai UPS, penggantian switch dengan switch cadangan Diskominfo, "
                         "pemeriksaan server.",
     "hasil_pemeliharaan": "UPS dan jaringan normal; layanan kembali pukul 19.30.", "perangkat_diganti": "Ya",
     "nomor_pengumuman": "555/323/XI/2026"},
    {"no_agenda": 2379, "perangkat_daerah": "Badan Perencanaan Pembangunan Daerah",
     "nomor_surat": "000.8.3.3/214/2026", "tgl_surat": "17/11",
     "hal": "Permohonan Pemeliharaan Server e-Planning",
     "nama_server": "srv-eplanning-01", "alamat_ip": "10.20.8.20; 10.20.8.25",
     "nama_domain": "eplanning.karanganyarkab.go.id", "narahubung": "Novita Purnamasari, S.Kom.",
     "pangkat_narahubung": "Penata Muda Tingkat I (III/b)",
     "nip_narahubung": "199011282015032004", "jabatan_narahubung": "Perencana Ahli Pertama",
     "telepon_narahubung": "089518274630",
     "steps": "19/11 19/11 20/11 23/11 24/11 25/11 26/11 - - - - -", "petugas": (_TIM_RIZKY, _TIM_DWI),
     "hasil_pemeriksaan": "Server dan storage normal; kapasitas storage tersisa 12%.",
     "layanan_terdampak": "e-Planning; Sistem Informasi Pembangunan Daerah", "henti": "26/11 08:00-12:00",
     "jenis_pemeliharaan": "Preventif",
     "uraian_pekerjaan": "Pembersihan data sementara, penambahan volume cadangan, pembaruan sistem operasi.",
     "hasil_pemeliharaan": "Kapasitas storage tersisa 35%; layanan normal.",
     "nomor_pengumuman": "555/327/XI/2026",
     "catatan": "Menunggu keputusan perlu tidaknya penggantian storage."},
    {"no_agenda": 2391, "perangkat_daerah": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
     "nomor_surat": "500.16/731/XI/2026", "tgl_surat": "19/11",
     "hal": "Permohonan Pemeliharaan Server Perizinan Online", "sifat": "Biasa",
     "nama_server": "srv-perizinan-01", "alamat_ip": "10.20.10.14",
     "nama_domain": "perizinan.karanganyarkab.go.id",
     "narahubung": "Didik Suryanto, A.Md.",
     "pangkat_narahubung": "PPPK golongan VII", "nip_narahubung": "198712062023211002",
     "jabatan_narahubung": "Pengelola Sistem Informasi Perizinan", "telepon_narahubung": "081393025587",
     "steps": "20/11 20/11 23/11 24/11 25/11 26/11 - - - - - -", "petugas": (_TIM_ARIF, _TIM_YOGI),
     "hasil_pemeriksaan": "Server normal; sertifikat SSL domain berakhir 5 Desember 2026.",
     "layanan_terdampak": "Perizinan Online; Pengaduan Perizinan", "henti": "27/11 19:00-22:00",
     "jenis_pemeliharaan": "Preventif", "nomor_pengumuman": "555/329/XI/2026"},
    {"no_agenda": 2398, "perangkat_daerah": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
     "nomor_surat": "800/1562/XI/2026", "tgl_surat": "20/11", "hal": "Permohonan Pemeliharaan Server SIMPEG",
     "sifat": "Segera", "nama_server": "srv-simpeg-01", "alamat_ip": "10.20.2.30",
     "nama_domain": "simpeg.karanganyarkab.go.id", "narahubung": "Anik Susilowati, S.Kom.",
     "nip_narahubung": "198711192012012003", "jabatan_narahubung": "Pranata Komputer Ahli Muda",
     "telepon_narahubung": "085725914368",
     "steps": "23/11 25/11 26/11 - - - - - - - - -", "petugas": (_TIM_RIZKY, _TIM_ARIF),
     "catatan": "Disposisi Kadis terlambat: Kepala Dinas rapat koordinasi di Semarang 24 November."},
    {"no_agenda": 2406, "perangkat_daerah": "Sekretariat DPRD", "nomor_surat": "000.1.2/412/2026",
     "tgl_surat": "23/11", "hal": "Permohonan Pemeliharaan Server Website DPRD", "sifat": "Biasa",
     "nama_server": "srv-web-dprd-01", "alamat_ip": "10.20.9.5", "nama_domain": "dprd.karanganyarkab.go.id",
     "narahubung": "Tri Widodo, S.Sos.", "nip_narahubung": "197906232009011004",
     "jabatan_narahubung": "Pranata Hubungan Masyarakat Ahli Muda", "telepon_narahubung": "082242381190",
     "steps": "24/11 24/11 25/11 26/11 - - - - - - - -", "petugas": (_TIM_DWI,),
     "hasil_pemeriksaan": "CMS website versi lama; ruang disk tersisa 8%."},
    {"no_agenda": 2427, "perangkat_daerah": "Dinas Lingkungan Hidup", "nomor_surat": "600.4/935/2026",
     "tgl_surat": "25/11", "hal": "Permohonan Pemeliharaan Server Aplikasi Persampahan", "sifat": "Biasa",
     "nama_server": "srv-dlh-01", "alamat_ip": "10.20.11.8", "nama_domain": "dlh.karanganyarkab.go.id",
     "narahubung": "Sugeng Riyadi, S.T.", "nip_narahubung": "198304102010011009",
     "jabatan_narahubung": "Pengendali Dampak Lingkungan Ahli Muda", "telepon_narahubung": "081567302286",
     "steps": "26/11 27/11 - - - - - - - - - -"},
    {"no_agenda": 2433, "perangkat_daerah": "Badan Penanggulangan Bencana Daerah",
     "nomor_surat": "B/500.12.16.3/573/BPBD-KL/XI/2026", "tgl_surat": "26/11",
     "hal": "Permohonan Pemeliharaan Server Pusdalops", "sifat": "Segera", "nama_server": "srv-pusdalops-01",
     "alamat_ip": "10.20.12.4", "nama_domain": "bpbd.karanganyarkab.go.id",
     "narahubung": "Eko Prasetyo, A.Md.",
     "nip_narahubung": "199003072019031005", "jabatan_narahubung": "Operator Pusdalops",
     "telepon_narahubung": "082325176049", "steps": "27/11 - - - - - - - - - - -"},
)
# Clerks also type dates as text; the pipeline reads these forms too.
_TEXT_DATES = {(2016, "tgl_laporan"): "15/10/2026", (2290, "tgl_disposisi_kabid"): "3 November 2026",
               (2348, "tgl_pemeriksaan"): "19-11-2026"}

_PERANGKAT_FIELDS = ("no_agenda", "nama_perangkat", "merk_tipe", "nomor_seri", "kode_barang", "spesifikasi",
                     "alamat_ip", "lokasi_rak", "kondisi", "tindakan", "keterangan", "komponen")
_SERVER, _STORAGE = "1.3.2.10.02.04.001", "1.3.2.10.02.04.002"
_SWITCH, _UPS = "1.3.2.10.01.01.004", "1.3.2.10.02.05.002"
_PERANGKAT = (
    (1841, "Server", "Dell PowerEdge R740", "CN7X2K3", _SERVER,
     "2x Intel Xeon Silver 4210R, RAM 64 GB, 4x 1,2 TB SAS RAID 10, Ubuntu Server 22.04 LTS", "10.20.3.11",
     "R2/U12", "Baik", "Dipelihara", ""),
    (1841, "Switch", "Cisco Catalyst 2960-X 24 port", "FOC2231X0AB", _SWITCH, "24x 1 GbE, 2x SFP+",
     "10.20.3.1", "R2/U20", "Baik", "Dipelihara", ""),
    (2016, "Server", "HPE ProLiant DL380 Gen10", "SGH912XK7P", _SERVER,
     "Intel Xeon Gold 5218, RAM 128 GB, 6x 1,8 TB SAS RAID 6, Windows Server 2019", "10.20.4.21", "R3/U8",
     "Baik", "Dipelihara", ""),
    (2016, "Hard disk", "HPE 1,8 TB SAS 10K (872481-B21)", "7FJ4K2LP", "",
     "1,8 TB SAS 12G, bay 3 array RAID 6", "", "R3/U8", "Rusak Berat", "Diganti",
     "Status Failed; diganti disk cadangan, disk lama ditarik dari Pusat Data."),
    (2016, "Storage", "Synology RS1221+", "2150RSN118304", _STORAGE,
     "8 bay, 4x 4 TB SHR-2, DSM 7.2, cadangan harian", "10.20.4.30", "R3/U4", "Baik", "Dipelihara", ""),
    (2290, "Server", "Dell PowerEdge R740", "9QX4T53", _SERVER,
     "2x Intel Xeon Silver 4214, RAM 128 GB, 2x 480 GB SSD + 4x 2,4 TB SAS, Rocky Linux 9", "10.20.5.10",
     "R1/U14", "Baik", "Dipelihara", ""),
    (2290, "UPS", "APC Smart-UPS SRT 5000", "AS2108250712", _UPS, "5 kVA online, 2 modul baterai", "",
     "R1/U1", "Baik", "Dipelihara", ""),
    (2331, "Server", "HPE ProLiant DL380 Gen10", "SGH947PL2R", _SERVER,
     "Intel Xeon Silver 4210, RAM 64 GB, 4x 960 GB SSD RAID 5, Ubuntu Server 22.04 LTS", "10.20.6.15",
     "R2/U16", "RR", "Dipelihara", "Kipas 3 berisik; dibersihkan, perlu dipantau."),
    (2348, "Server", "Dell PowerEdge R740", "FX8M2K3", _SERVER,
     "2x Intel Xeon Silver 4210R, RAM 96 GB, 4x 1,2 TB SAS RAID 10, Rocky Linux 9", "10.20.7.12", "R2/U6",
     "Baik", "Dipelihara", ""),
    (2348, "UPS", "APC Smart-UPS SRT 3000", "AS1942160388", _UPS, "3 kVA online", "",
     "R2/U1", "Rusak Ringan", "Komponen Diganti", "Baterai menggelembung; diganti baterai baru.",
     "Baterai APCRBC152 (1 set)"),
    (2348, "Switch", "Cisco Catalyst 2960 24 port", "FOC1538W2LM", _SWITCH, "24x 100 Mbps, 2x SFP",
     "10.20.7.1", "R2/U24", "Rusak Berat", "Ditarik", "Port uplink mati; ditarik, diganti switch cadangan."),
    (2379, "Server", "Dell PowerEdge R640", "3HN7Q63", _SERVER,
     "Intel Xeon Silver 4208, RAM 64 GB, 2x 960 GB SSD RAID 1, Ubuntu Server 22.04 LTS", "10.20.8.20",
     "R1/U22", "Baik", "Dipelihara", ""),
    (2379, "Storage", "Synology RS1221+", "2210RSN241187", _STORAGE, "8 bay, 6x 4 TB SHR-2, DSM 7.2",
     "10.20.8.25", "R1/U18", "Baik", "Dipelihara", ""),
    (2391, "Server", "HPE ProLiant DL360 Gen10", "SGH033TV9D", _SERVER,
     "Intel Xeon Silver 4214R, RAM 64 GB, 2x 1,2 TB SAS RAID 1, Windows Server 2022", "10.20.10.14",
     "R3/U16", "Baik", "", ""),
    (2406, "Server", "Lenovo ThinkSystem SR650", "J30A8K2X", _SERVER,
     "Intel Xeon Silver 4210, RAM 32 GB, 2x 600 GB SAS RAID 1, Debian 12", "10.20.9.5", "R3/U20", "Baik",
     "", ""),
)
# Sheet Pemeriksaan: the formulir pemeliharaan of request 2016 as the technicians filled it in (the twelve
# standard items); the other requests print it blank, for handwriting at the server.
_PEMERIKSAAN_FIELDS = ("no_agenda", "item", "kondisi_sebelum", "tindakan", "kondisi_sesudah", "keterangan")
_PEMERIKSAAN_2016 = (
    ("Berdebu", "Dibersihkan", "Bersih", ""),
    ("23 °C, 55%", "Diperiksa", "23 °C, 55%", ""),
    ("Normal", "Diperiksa", "Normal", "PSU 1 dan 2 aktif"),
    ("Normal", "Dibersihkan", "Normal", ""),
    ("Degraded", "Disk bay 3 diganti, rebuild", "Normal", "Rebuild selesai 21.55"),
    ("Normal", "Diperiksa", "Normal", ""),
    ("Alert disk", "Log diarsipkan", "Tanpa alert", ""),
    ("Tertunda 4", "Dipasang", "Mutakhir", ""),
    ("Berjalan", "Uji pemulihan", "Berhasil", ""),
    ("Berhenti", "Dijalankan ulang", "Berjalan", "Pukul 22.05"),
    ("Normal", "Diperiksa", "Normal", ""),
    ("Normal", "Diperiksa", "Normal", ""),
)
_LIBUR = ({"tanggal": "18/11/2026", "keterangan": "Hari Jadi ke-109 Kabupaten Karanganyar",
           "jenis": "Libur"},)
PHOTO_AGENDAS = (2016, 2290, 2348)  # requests past step 7 that get documentation photos


def _day(text: str) -> date:
    day, month, *year = (int(p) for p in text.split("/"))
    return date(year[0] if year else YEAR, month, day)


def _permohonan_row(spec: Mapping[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in spec.items() if k not in ("steps", "henti", "petugas", "tgl_surat")}
    agenda = spec["no_agenda"]
    row["tgl_surat"] = _day(spec["tgl_surat"])
    for step, token in zip(STEPS, spec["steps"].split(), strict=True):
        if token != "-":
            row[step.column] = _TEXT_DATES.get((agenda, step.column), _day(token))
    if row.get("tgl_disposisi_kadis"):
        row["isi_disposisi_kadis"] = _KADIS
    if row.get("tgl_disposisi_kabid"):
        row["isi_disposisi_kabid"] = _KABID
    if "petugas" in spec:
        row["petugas"] = "; ".join(spec["petugas"])
    if row.get("tgl_pemeriksaan") and agenda != 2406:
        for key in ("spesifikasi", "fisik", "ip", "domain"):
            row[f"sesuai_{key}"] = "Ya"
    if "henti" in spec:
        day, hours = spec["henti"].split()
        start, end = (datetime.combine(_day(day), datetime.strptime(h, "%H:%M").time())
                      for h in hours.split("-"))
        row["henti_mulai"], row["henti_selesai"] = start, end
    return row


def example_rows() -> dict[str, list[dict[str, Any]]]:
    def dated(row: dict[str, Any]) -> dict[str, Any]:
        return {k: _day(v) if k in ("mulai", "selesai", "tanggal") and v else v for k, v in row.items()}

    return {
        C.PERMOHONAN.name: [_permohonan_row(spec) for spec in _PERMOHONAN],
        C.PERANGKAT.name: [dict(zip(_PERANGKAT_FIELDS, (*row, "")[:len(_PERANGKAT_FIELDS)], strict=True))
                           for row in _PERANGKAT],
        C.PEMERIKSAAN.name: [dict(zip(_PEMERIKSAAN_FIELDS, (2016, item, *found), strict=True))
                             for item, found in zip(C.PEMERIKSAAN_ITEMS, _PEMERIKSAAN_2016, strict=True)],
        C.PEGAWAI.name: [dated(dict(zip(_PEGAWAI_FIELDS, row, strict=True))) for row in _PEGAWAI],
        C.HARI_LIBUR.name: [dated(dict(row)) for row in _LIBUR],
    }


def write_example(inbox: Path) -> Path:
    """Write inbox/register.xlsx with the worked example and photos in inbox/lampiran/<No. Agenda>/."""
    register = write_register(inbox / "register.xlsx", example_rows(), settings=True)
    for index, agenda in enumerate(PHOTO_AGENDAS):
        write_example_photos(inbox / "lampiran" / str(YEAR) / str(agenda), 4 - index % 2)  # <tahun>/<agenda>
    return register
