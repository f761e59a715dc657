"""What a Sekretariat checks before it signs (issue 11), one rule per test, on documents made from real
registers by `process` and read back with python-docx; STATUS.txt and REKAP.xlsx read back as files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl
from conftest import PEGAWAI, add_photo, at_step, copy_templates, device, request, write_register
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from PIL import Image

from pipeline.process import RunReport, process
from pipeline.register import columns as C
from pipeline.settings import Settings

TODAY = date(2026, 7, 21)
FOLDER = Path("2026") / "017 - Dinas Kesehatan"
TITIK = "…………………………"
# Columns and the sheet an older register does not have: it must read as before.
NEW_COLUMNS = ("Pangkat/Gol. Narahubung", "Spesifikasi Sesuai", "Fisik Sesuai", "IP Sesuai", "Domain Sesuai",
               "Komponen")
DONE = {"Perangkat Diganti": "Ya", "Tgl Penarikan": date(2026, 7, 15), "Tgl Laporan": date(2026, 7, 16),
        "Tgl Pemeriksaan Kabid": date(2026, 7, 17), "Tgl Reviu Kadis": date(2026, 7, 20),
        "Tgl Selesai": date(2026, 7, 21)}


def run(office: Path, **sheets: Any) -> RunReport:
    write_register(office / "inbox" / "register.xlsx", **sheets)
    return process(Settings.build(root=office, today=TODAY, workers=1))


def folder(agenda: str) -> Path:
    return Path("2026") / f"{agenda} - Dinas Kesehatan"


def read(office: Path, name: str, folder: Path = FOLDER) -> DocxDocument:
    return docx.Document(str(office / "outbox" / folder / name))


def lines(document: DocxDocument) -> list[str]:
    """Every paragraph, table cells and nested tables included, in document order."""
    return [Paragraph(p, document).text for p in document.element.body.iter(qn("w:p"))]


def text(office: Path, name: str, folder: Path = FOLDER) -> str:
    return "\n".join(lines(read(office, name, folder)))


def add_sheet(register: Path, name: str, rows: list[dict[str, Any]]) -> None:
    """Add a sheet to a written register, its headers from the first row."""
    wb = openpyxl.load_workbook(register)
    if name in wb.sheetnames:  # the factory writes every declared sheet, empty
        del wb[name]
    ws = wb.create_sheet(name)
    ws.append(list(rows[0]))
    for row in rows:
        ws.append(list(row.values()))
    wb.save(register)


def formulir(document: DocxDocument) -> Any:
    """The table of the Formulir Pemeliharaan Server."""
    return next(t for t in document.tables if "Item yang diperiksa" in [c.text for c in t.rows[0].cells])


def messages(report: RunReport) -> list[str]:
    return [p.message for p in report.all_problems()]


# -- the register: old registers, devices, officials, photos ------------------------------------------


def test_an_older_register_without_the_new_columns_gives_the_same_documents(tmp_path: Path) -> None:
    """Without 'Pangkat/Gol. Narahubung', the four 'Sesuai' columns, 'Komponen' and sheet Pemeriksaan a
    register reads without a word about them, and its documents are those of a register that has those
    columns empty — with this issue's fixes: dots for the contact's pangkat, empty Kesesuaian boxes,
    the formulir pemeliharaan blank on its own page."""
    old_headers = {sheet.name: [c.header for c in sheet.columns if c.header not in NEW_COLUMNS]
                   for sheet in (C.PERMOHONAN, C.PERANGKAT)}
    old, new = tmp_path / "old", tmp_path / "new"
    for office in (old, new):
        for name in ("inbox", "outbox"):
            (office / name).mkdir(parents=True)
        copy_templates(office / "templates_docx")
    sheets: dict[str, Any] = {"permohonan": [request(**DONE)],
                              "perangkat": [device(Tindakan="Diganti", Kondisi="RB", Keterangan="PSU rusak")]}
    old_report = run(old, headers=old_headers, drop_sheets=["Pemeriksaan"], **sheets)
    new_report = run(new, **sheets)
    assert messages(old_report) == messages(new_report)
    assert not old_report.has_errors
    names = sorted(p.name for p in (old / "outbox" / FOLDER).glob("*.docx"))
    assert len(names) == 6
    for name in names:
        assert text(old, name) == text(new, name), name
    ba = lines(read(old, "05 Berita Acara Pekerjaan.docx"))
    pihak_kedua = ba.index("Selanjutnya disebut PIHAK KEDUA.")
    assert f"Pangkat/Gol.\t:\t{TITIK}" in ba[pihak_kedua - 5:pihak_kedua]
    isian = text(old, "02 Formulir Isian Kelengkapan.docx")
    assert "Kesesuaian\t:\t☐ Spesifikasi sesuai\t☐ Fisik sesuai" in isian
    assert "LAMPIRAN BERITA ACARA PEKERJAAN PEMELIHARAAN SERVER" in ba
    assert "Diisi oleh Tim Teknis Pusat Data di ruang server pada saat pemeliharaan." in ba


def test_a_replaced_component_is_not_a_withdrawn_device(office: Path) -> None:
    """Komponen Diganti: a line in the berita acara and the laporan, never on the withdrawal form, which
    lists only the devices that leave the data centre (Diganti, Ditarik) with their Tindakan."""
    devices = [
        device(Nama_Perangkat="Server", Tindakan="Dipelihara"),
        {**device(Nama_Perangkat="UPS", Merk_Tipe="APC Smart-UPS SRT 3000", Nomor_Seri="AS1942160388",
                  Tindakan="Komponen Diganti", Kondisi="RR", Keterangan="Baterai menggelembung."),
         "Komponen": "Baterai APCRBC152 (1 set)"},
        device(Nama_Perangkat="PSU", Merk_Tipe="Dell 750 W", Nomor_Seri="CN0PJMDN", Tindakan="Diganti",
               Kondisi="RB", Keterangan="PSU mati total."),
        device(Nama_Perangkat="Switch", Merk_Tipe="Cisco Catalyst 2960", Nomor_Seri="FOC1538W2LM",
               Tindakan="Ditarik", Kondisi="RB", Keterangan="Port uplink mati."),
    ]
    report = run(office, permohonan=[request(**DONE)], perangkat=devices)
    assert not report.has_errors, messages(report)
    form = read(office, "04 Formulir Penarikan Perangkat.docx")
    table = form.tables[1]
    assert [(r.cells[1].text, r.cells[6].text) for r in table.rows[1:]] == [("PSU", "Diganti"),
                                                                            ("Switch", "Ditarik")]
    assert "UPS" not in "\n".join(lines(form)) and "Baterai" not in "\n".join(lines(form))
    component = ("Baterai APCRBC152 (1 set) pada UPS APC Smart-UPS SRT 3000, nomor seri AS1942160388: "
                 "Baterai menggelembung.")
    ba = lines(read(office, "05 Berita Acara Pekerjaan.docx"))
    assert "Komponen yang diganti (perangkatnya tetap di Pusat Data):" in ba
    assert f"1.\t{component}" in ba
    laporan = text(office, "06 Laporan Hasil Pelaksanaan.docx")
    assert f"1.\t{component}" in laporan
    assert "PSU Dell 750 W, nomor seri CN0PJMDN, kondisi Rusak Berat, tindakan Diganti" in laporan
    assert ("Switch Cisco Catalyst 2960, nomor seri FOC1538W2LM, kondisi Rusak Berat, tindakan Ditarik"
            in laporan)
    assert ("Komponen yang diganti (perangkatnya tetap di Pusat Data): baterai APCRBC152 (1 set) pada UPS "
            "APC Smart-UPS SRT 3000 bernomor seri AS1942160388.") in laporan


def test_only_a_replaced_component_needs_no_withdrawal_form(office: Path) -> None:
    devices = [{**device(Nama_Perangkat="UPS", Tindakan="Komponen Diganti"), "Komponen": "Baterai (1 set)"}]
    report = run(office, permohonan=[request()], perangkat=devices)  # Perangkat Diganti = Tidak
    assert not report.has_errors, messages(report)
    assert not (office / "outbox" / FOLDER / "04 Formulir Penarikan Perangkat.docx").exists()
    assert "Baterai (1 set) pada UPS" in text(office, "05 Berita Acara Pekerjaan.docx")


def test_an_official_past_retirement_age_is_a_warning(office: Path) -> None:
    """The NIP begins with the birth date: a Kepala Bidang aged 58 (a Kepala Dinas 60) on the day he signs
    is named once, with the NIP as typed; one younger is not."""
    kabid = {**PEGAWAI[1], "Nama": "Ir. Bambang Sutrisno", "NIP": "196605011990031002"}  # 60 in 2026
    kadis = {**PEGAWAI[0], "NIP": "196701071995031004"}  # 59: below the Kepala Dinas's 60
    report = run(office, permohonan=[request()], perangkat=[device()],
                 pegawai=[kadis, kabid, *PEGAWAI[2:]])
    found = [p for p in report.all_problems() if "batas usia pensiun" in p.message]
    assert [(p.is_error, p.value) for p in found] == [(False, "196605011990031002")]
    assert found[0].message == ("Ir. Bambang Sutrisno (Kepala Bidang) menurut NIP-nya berusia 60 tahun pada "
                                "8 Juli 2026: melewati batas usia pensiun 58 tahun.")


def test_a_request_past_step_7_without_photos_is_a_warning(office: Path) -> None:
    """Photos are step 7's output (SOP): from then on, a request without any is a warning in the run,
    its STATUS.txt and REKAP's Masalah sheet. One register, a request per case: (agenda, step, photo)."""
    cases = {"017": (6, False), "018": (7, False), "019": (12, False), "020": (12, True)}
    add_photo(office, "020")
    report = run(office, permohonan=[at_step(step, No_Agenda=agenda) for agenda, (step, _) in cases.items()],
                 perangkat=[device(agenda) for agenda in cases])
    rekap = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")
    cells = [str(c) for row in rekap["Masalah"].iter_rows(values_only=True) for c in row]
    for agenda, warned in (("017", False), ("018", True), ("019", True), ("020", False)):
        # the folder to fill: <tahun>/<agenda>
        wanted = f"tidak ada foto dokumentasi di lampiran/2026/{agenda}/"
        assert any(wanted in m for m in messages(report)) is warned, agenda
        status = (office / "outbox" / folder(agenda) / "STATUS.txt").read_text(encoding="utf-8-sig")
        assert (wanted in status) is warned, agenda
        assert any(wanted in c for c in cells) is warned, agenda


# -- STATUS.txt ---------------------------------------------------------------------------------------


def test_status_txt_opens_right_in_any_notepad(office: Path) -> None:
    run(office, permohonan=[at_step(3)])
    data = (office / "outbox" / FOLDER / "STATUS.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert "STATUS PERMOHONAN No. Agenda 017" in data.decode("utf-8-sig")


def test_a_late_step_asks_for_a_reason_only_when_catatan_gives_none(office: Path) -> None:
    late = {"017": "", "018": "Kepala Dinas rapat di Semarang."}  # disposed 9 July, due 7 July
    report = run(office, permohonan=[at_step(2, No_Agenda=agenda, Tgl_Disposisi_Kadis=date(2026, 7, 9),
                                             Catatan=catatan) for agenda, catatan in late.items()])
    for agenda, hint in (("017", "Catat alasan keterlambatan di kolom Catatan."),
                         ("018", "Alasan di kolom Catatan: Kepala Dinas rapat di Semarang.")):
        found = [p for p in report.all_problems() if "terlambat" in p.message and p.agenda == agenda]
        assert [p.hint for p in found] == [hint]
        status = (office / "outbox" / folder(agenda) / "STATUS.txt").read_text(encoding="utf-8-sig")
        assert hint in status
        assert ("Catat alasan" in status) is (agenda == "017")


# -- the documents --------------------------------------------------------------------------------------


def test_kesesuaian_follows_the_register_and_the_isian_leaves_step_8_open(office: Path) -> None:
    """The four boxes from their Ya/Tidak columns (empty: left for the pen); the isian (step 5) is dated
    before step 8, so it cannot show step 8's decision even when the register already holds it."""
    row = {**request(**DONE), "Spesifikasi Sesuai": "Ya", "Fisik Sesuai": "Ya", "IP Sesuai": "Tidak"}
    report = run(office, permohonan=[row], perangkat=[device(Tindakan="Diganti", Kondisi="RB")])
    assert not report.has_errors, messages(report)
    isian = text(office, "02 Formulir Isian Kelengkapan.docx")
    assert "Kesesuaian\t:\t☑ Spesifikasi sesuai\t☑ Fisik sesuai" in isian
    assert "☐ Alamat IP sesuai\t☐ Nama domain sesuai" in isian
    assert "Penggantian Perangkat\t:\t☐ Ya\t☐ Tidak" in isian
    assert "Penggantian Perangkat\t:\tYa" in text(office, "05 Berita Acara Pekerjaan.docx")


def test_sheet_pemeriksaan_fills_the_formulir_and_without_it_a_blank_titled_page(office: Path) -> None:
    register = write_register(office / "inbox" / "register.xlsx",
                              permohonan=[request(), request(No_Agenda="018")],
                              perangkat=[device(), device("018")])
    add_sheet(register, "Pemeriksaan", [
        {"No. Agenda": "017", "Item": "Catu daya (PSU) dan UPS", "Kondisi Sebelum": "PSU 2 mati",
         "Tindakan": "PSU diganti", "Kondisi Sesudah": "Normal", "Keterangan": "Lihat penarikan"},
        {"No. Agenda": "017", "Item": "Cadangan data (backup)", "Kondisi Sebelum": "Berjalan",
         "Tindakan": "Uji pemulihan", "Kondisi Sesudah": "Berhasil", "Keterangan": ""},
    ])
    report = process(Settings.build(root=office, today=TODAY, workers=1))
    assert not report.has_errors, messages(report)
    filled = read(office, "05 Berita Acara Pekerjaan.docx")
    form = formulir(filled)
    assert [[c.text for c in r.cells] for r in form.rows[1:]] == [
        ["1.", "Catu daya (PSU) dan UPS", "PSU 2 mati", "PSU diganti", "Normal", "Lihat penarikan"],
        ["2.", "Cadangan data (backup)", "Berjalan", "Uji pemulihan", "Berhasil", ""]]
    assert "Diisi oleh" not in "\n".join(lines(filled))

    blank = read(office, "05 Berita Acara Pekerjaan.docx", Path("2026") / "018 - Dinas Kesehatan")
    body = lines(blank)
    heading = next(p for p in blank.paragraphs
                   if p.text == "LAMPIRAN BERITA ACARA PEKERJAAN PEMELIHARAAN SERVER")
    assert heading.paragraph_format.page_break_before  # its own page, after the signatures
    assert body.index(heading.text) > body.index("Mengetahui,")
    assert body[body.index(heading.text) + 2] == "FORMULIR PEMELIHARAAN SERVER"
    rows = [[c.text for c in r.cells] for r in formulir(blank).rows[1:]]
    assert [r[1] for r in rows] == list(C.PEMERIKSAAN_ITEMS) and len(rows) == 12
    assert all(r[2:] == ["", "", "", ""] for r in rows)
    italic = [r.text for c in formulir(blank).rows[4].cells for p in c.paragraphs for r in p.runs if r.italic]
    assert italic == ["fan"]  # 'Kipas pendingin (fan)': the foreign term in italics


def test_the_laporan_lists_what_is_really_attached(office: Path) -> None:
    """017: devices withdrawn and two photos; 018: neither."""
    photos = add_photo(office)  # '01 Rak server.png'
    Image.new("RGB", (80, 60), (90, 110, 160)).save(photos / "02 PSU baru.png")
    run(office, permohonan=[request(**DONE), request(No_Agenda="018")],
        perangkat=[device(Tindakan="Diganti", Kondisi="RB"), device("018")])
    common = ["Berita Acara Pekerjaan", "Formulir Pemeliharaan Server", "Formulir Isian Kelengkapan"]
    for agenda, expected in (("017", [*common, "Formulir Penarikan Perangkat", "Dokumentasi foto (2 foto)"]),
                             ("018", common)):
        laporan = lines(read(office, "06 Laporan Hasil Pelaksanaan.docx", folder(agenda)))
        start = laporan.index("Lampiran:")
        listed = laporan[start + 1:start + 1 + len(expected) + 1]
        assert listed[:len(expected)] == [f"{i}.\t{x}" for i, x in enumerate(expected, 1)], agenda
        assert not listed[len(expected):] or not listed[len(expected)][:1].isdigit(), agenda
        assert ("DOKUMENTASI" in laporan) is (agenda == "017")


def test_without_a_logo_the_kop_is_centred_and_the_run_warns_once(office: Path) -> None:
    report = run(office, permohonan=[at_step(1), at_step(1, No_Agenda="018")])
    logo_warnings = [p for p in report.all_problems() if "logo.png" in p.message]
    assert len(logo_warnings) == 1 and not logo_warnings[0].is_error
    kop = read(office, "01 Lembar Disposisi.docx").tables[0]
    assert len(kop.rows) == 1 and len(kop.rows[0]._tr.tc_lst) == 1  # the names alone, on the whole width
    assert round(kop.rows[0].cells[0].width.cm, 1) == 16.5
    assert [p.text for p in kop.rows[0].cells[0].paragraphs][:2] == ["PEMERINTAH KABUPATEN KARANGANYAR",
                                                                     "DINAS KOMUNIKASI DAN INFORMATIKA"]

    Image.new("RGB", (60, 60), (200, 30, 30)).save(office / "templates_docx" / "logo.png")
    report = process(Settings.build(root=office, today=TODAY, workers=1))
    assert not [p for p in report.all_problems() if "logo.png" in p.message]
    kop = read(office, "01 Lembar Disposisi.docx").tables[0]
    assert len(kop.rows[0]._tr.tc_lst) == 2 and kop.rows[0].cells[0]._tc.xpath(".//w:drawing")


def test_the_pengumuman_title_names_the_services_and_their_domains(office: Path) -> None:
    row = request(Layanan_Terdampak="SIMPUS; Antrean Online",
                  Nama_Domain="simpus.karanganyarkab.go.id; antrean.karanganyarkab.go.id")
    run(office, permohonan=[row], perangkat=[device()])
    titles = lines(read(office, "03 Pengumuman Penghentian Layanan.docx"))
    assert ("PENGHENTIAN SEMENTARA LAYANAN SIMPUS (simpus.karanganyarkab.go.id) DAN ANTREAN ONLINE "
            "(antrean.karanganyarkab.go.id)") in titles
    assert not any("SRV-SIMPUS-01" in t for t in titles)  # not the hostname in capitals


def test_an_acting_official_is_plh_or_plt_in_the_laporan_paraf_table(office: Path) -> None:
    # The Kabid checks the laporan on 16 July (an acting one that day), the Kadis reviews it on 17 July (an
    # acting one from that day).
    plh = {**PEGAWAI[1], "Nama": "Ir. Bambang Heru Santoso, M.T.", "NIP": "197208151998031005",
           "Mulai": date(2026, 7, 16), "Selesai": date(2026, 7, 16), "Status": "Plh."}
    plt = {**PEGAWAI[0], "Nama": "Dra. Endang Lestari, M.Si.", "NIP": "197104201996032001",
           "Mulai": date(2026, 7, 17), "Selesai": None, "Status": "Plt."}
    kadis = {**PEGAWAI[0], "Selesai": date(2026, 7, 16)}
    report = run(office, permohonan=[request()], perangkat=[device()],
                 pegawai=[kadis, *PEGAWAI[1:], plh, plt])
    assert not report.has_errors, messages(report)
    laporan = read(office, "06 Laporan Hasil Pelaksanaan.docx")
    tables = [[[Paragraph(p, None).text for p in tc.iter(qn("w:p"))] for tc in tr.iter(qn("w:tc"))]
              for tbl in laporan.element.body.iter(qn("w:tbl")) for tr in [tbl.xpath("./w:tr")]
              for tr in tbl.xpath("./w:tr")]
    paraf = [[" ".join(cell) for cell in row] for row in tables]
    start = paraf.index(["Pemeriksaan", "Tanggal", "Paraf"])
    assert paraf[start + 1:start + 3] == [["Diperiksa Plh. Kepala Bidang", "16 Juli 2026", ""],
                                          ["Direviu Plt. Kepala Dinas", "17 Juli 2026", ""]]


def test_the_contact_signs_with_pangkat_or_ni_pppk_or_dots(office: Path) -> None:
    cases = {  # agenda: (Pangkat/Gol. Narahubung, NIP Narahubung, pangkat printed, number printed)
        "017": ("III/c", "198805122011012003", "Penata (III/c)", "NIP. 19880512 201101 2 003"),
        "018": ("PPPK golongan IX", "198712062023211002", "PPPK golongan IX",
                "NI PPPK. 19871206 202321 1 002"),
        "019": ("", "198805122011012003", TITIK, "NIP. 19880512 201101 2 003"),
    }
    rows = [{**request(No_Agenda=agenda, NIP_Narahubung=nip), "Pangkat/Gol. Narahubung": pangkat}
            for agenda, (pangkat, nip, _, _) in cases.items()]
    run(office, permohonan=rows, perangkat=[device(agenda) for agenda in cases])
    for agenda, (_, _, shown, nip_line) in cases.items():
        ba = lines(read(office, "05 Berita Acara Pekerjaan.docx", folder(agenda)))
        kedua = ba.index("Selanjutnya disebut PIHAK KEDUA.")
        assert ba[kedua - 5:kedua - 2] == ["2.\tNama\t:\tRina Kartikasari, S.Kom.", nip_line,
                                           f"Pangkat/Gol.\t:\t{shown}"], agenda
        name = ba.index("Rina Kartikasari, S.Kom.")  # the signature: name, pangkat, NIP
        assert ba[name:name + 3] == ["Rina Kartikasari, S.Kom.", shown, nip_line], agenda
        isian = lines(read(office, "02 Formulir Isian Kelengkapan.docx", folder(agenda)))
        assert isian[isian.index("Nama Penanggung Jawab\t:\tRina Kartikasari, S.Kom.") + 1] == nip_line
