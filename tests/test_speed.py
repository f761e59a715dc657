"""Every optimisation must change no document: the fast paths against the reference paths."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipeline.documents.catalog import DOCUMENTS, due_documents
from pipeline.documents.checks import load_templates
from pipeline.documents.fastdocx import FastTemplates
from pipeline.documents.fields import FieldBuilder
from pipeline.documents.render import LoadedTemplate, render_bytes, render_bytes_docxtpl
from pipeline.documents.sample import sample_contexts
from pipeline.office.init import init_folder
from pipeline.register.reader import Record, read_register
from pipeline.sop.staff import Staff
from pipeline.validate import validate_register


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contoh")
    init_folder(root, contoh=True)
    return root


def contexts(root: Path) -> list[tuple[str, dict]]:
    """Every document of every request of the example register, photos left out (they use docxtpl)."""
    register = read_register(root / "inbox" / "register.xlsx")
    validation = validate_register(register, date(2026, 11, 28))
    builder = FieldBuilder(register, Staff.from_records(register.pegawai), date(2026, 11, 28))
    out = []
    for a in validation.assessments:
        devices = [d for d in register.perangkat if d.text("no_agenda") == a.agenda]
        for doc in due_documents(a.record):
            out.append((doc.key, builder.context(doc, a.record, devices)))
    return out


def test_fast_path_gives_identical_documents(example: Path) -> None:
    templates = load_templates(example / "templates_docx", sample_contexts(date(2026, 11, 28)))
    assert templates.problems == []
    fast_templates = FastTemplates()
    cases = contexts(example)
    assert {key for key, _ in cases} == {d.key for d in DOCUMENTS}
    for key, context in cases:
        tpl = templates.get(key)
        fast, reference = render_bytes(tpl, context, fast_templates), render_bytes_docxtpl(tpl, context)
        assert members(fast).keys() == members(reference).keys()
        for name, body in members(reference).items():
            assert members(fast)[name] == body, (key, name)
        assert fast == reference
    prepared = [fast_templates.prepared(t.digest) for t in templates.templates.values()]
    assert all(f is not None and f.static is not None for f in prepared)  # the fast path really ran


def _tricky_template(tmp_path: Path) -> LoadedTemplate:
    """A template exercising the steps the fast path does its own way: docxtpl's table repair (a column
    loop giving more or fewer cells than the grid, a nested table) and its tab/line/page breaks."""
    import hashlib

    import docx

    document = docx.Document()
    document.add_paragraph("Nama: {{ nama }} | {{ catatan }}")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["{%tc for c in kolom %}", "{{ c }}", "{%tc endfor %}"]):
        cell.text = text
    table.rows[1].cells[0].text = "tetap"
    table.rows[1].cells[1].merge(table.rows[1].cells[2]).text = "digabung"
    outer = document.add_table(rows=1, cols=1)
    outer.rows[0].cells[0].add_table(rows=1, cols=2).rows[0].cells[1].text = "{{ nama }}"
    path = tmp_path / "rumit.docx"
    document.save(str(path))
    data = path.read_bytes()
    return LoadedTemplate(DOCUMENTS[0], path, data, hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize("kolom", [[], ["a"], ["a", "b", "c"], ["a", "b", "c", "d", "e"]])
def test_fast_path_repairs_tables_and_breaks_as_docxtpl_does(tmp_path: Path, kolom: list[str]) -> None:
    tpl = _tricky_template(tmp_path)
    fast_templates = FastTemplates()
    contexts = [{"nama": "Satu", "catatan": "tanpa apa-apa", "kolom": kolom},
                {"nama": "Dua\nbaris", "catatan": "tab\tdi sini\fhalaman\abaru", "kolom": kolom}]
    for context in [*contexts, *contexts]:  # the first render teaches the fast path; then it renders
        fast, reference = render_bytes(tpl, context, fast_templates), render_bytes_docxtpl(tpl, context)
        for name, body in members(reference).items():
            assert members(fast)[name] == body, name
        assert fast == reference
    prepared = fast_templates.prepared(tpl.digest)
    assert prepared is not None and prepared.static is not None


def _fixture_registers(root: Path) -> list[Path]:
    """Every kind of register the suite uses: example, generated, text dates, renamed headers,
    broken cells."""
    import sys

    import openpyxl
    from conftest import at_step, device, request, write_register
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.generate import generate_register

    paths = [root / "inbox" / "register.xlsx", generate_register(root / "gen.xlsx", 150)]
    paths.append(write_register(root / "text.xlsx", permohonan=[
        at_step(4, Tanggal_Diterima="06/07/2026", Tgl_Disposisi_Kadis="07-07-2026", Tgl_Disposisi_Kabid=46211,
                Tgl_Pemeriksaan="9 Juli 2026", Henti_Mulai="14/07/2026 08.00", NIP_Narahubung=1.98e17),
        request(No_Agenda=17, Sifat="ss", Alamat_IP="10.1.1.300", Hal="  spasi\r\nbaris  ")],
        perangkat=[device(Kondisi="RB"), device(agenda="99", Tindakan="Hilang")]))
    row = at_step(3)
    renamed = {"Nomor Agenda": row["No. Agenda"], "tanggal diterima": row["Tanggal Diterima"],
               "PERIHAL": row["Hal"]}
    paths.append(write_register(root / "renamed.xlsx", permohonan=[renamed],
                                headers={"Permohonan": list(renamed)}, drop_sheets=["Hari Libur"]))
    broken = write_register(root / "broken.xlsx", permohonan=[at_step(1), at_step(1, No_Agenda="018")])
    wb = openpyxl.load_workbook(broken)
    ws = wb["Permohonan"]
    ws.merge_cells("C2:C3")
    ws["F2"] = "=1+1"
    ws["H3"].value, ws["H3"].data_type = "#DIV/0!", "e"
    wb.save(broken)
    paths.append(broken)
    # Column A left empty in every sheet (a clerk who starts the table at B1): calamine skips it.
    shifted = write_register(root / "shifted.xlsx", permohonan=[at_step(4)], perangkat=[device()])
    wb = openpyxl.load_workbook(shifted)
    for ws in wb.worksheets:
        ws.insert_cols(1)
    wb["Permohonan"]["F3"] = "=1+1"  # a formula without a value, reported under its own header
    wb.save(shifted)
    paths.append(shifted)
    return paths


def test_both_readers_give_identical_registers(example: Path) -> None:
    from pipeline.register.reader import read_register

    for path in _fixture_registers(example):
        fast, reference = read_register(path, backend="calamine"), read_register(path, backend="openpyxl")
        assert fast.problems == reference.problems, path.name
        assert fast.headers == reference.headers and fast.pengaturan == reference.pengaturan, path.name
        for sheet in ("permohonan", "perangkat", "pegawai", "libur"):
            assert getattr(fast, sheet) == getattr(reference, sheet), (path.name, sheet)
        assert fast == reference


def test_incremental_runs_end_where_a_full_rebuild_does(example: Path, tmp_path: Path) -> None:
    """The skips (request digest, per-template field fingerprints, cached reads) never leave a stale
    document."""
    import shutil

    import openpyxl

    from pipeline.process import process
    from pipeline.settings import Settings

    office = tmp_path / "kantor"
    shutil.copytree(example / "inbox", office / "inbox")
    shutil.copytree(example / "templates_docx", office / "templates_docx")
    today = date(2026, 11, 28)
    process(Settings.build(root=office, today=today, workers=1))
    register = office / "inbox" / "register.xlsx"
    wb = openpyxl.load_workbook(register)
    perm, dev, peg, cfg = wb["Permohonan"], wb["Perangkat"], wb["Pegawai"], wb["Pengaturan"]
    head = [c.value for c in perm[1]]
    perm.cell(row=2, column=head.index("Hasil Pemeliharaan") + 1).value = "Diubah: hasil baru."
    perm.cell(row=3, column=head.index("Nomor BA") + 1).value = "555/999/X/2026"
    dev.cell(row=2, column=[c.value for c in dev[1]].index("Merk/Tipe") + 1).value = "Merk Baru X1"
    peg.cell(row=2, column=[c.value for c in peg[1]].index("Pangkat/Golongan") + 1).value = "IV/d"
    for row in cfg.iter_rows(min_row=2):
        if row[0].value == "Alamat":
            row[1].value = "Jalan Baru Nomor 1, Karanganyar"
    wb.save(register)
    incremental = process(Settings.build(root=office, today=today, workers=2))
    assert incremental.written and incremental.unchanged == 0  # the address is on every kop
    fresh = tmp_path / "baru"
    shutil.copytree(office / "inbox", fresh / "inbox")
    shutil.copytree(office / "templates_docx", fresh / "templates_docx")
    process(Settings.build(root=fresh, today=today, workers=1))
    ours = sorted(p.relative_to(office / "outbox") for p in (office / "outbox").rglob("*.docx")
                  if "_riwayat" not in p.parts)
    theirs = sorted(p.relative_to(fresh / "outbox") for p in (fresh / "outbox").rglob("*.docx"))
    assert ours == theirs and len(ours) == 38
    for rel in ours:
        assert (office / "outbox" / rel).read_bytes() == (fresh / "outbox" / rel).read_bytes(), rel
    # And a change only some documents print rewrites only those.
    wb = openpyxl.load_workbook(register)
    wb["Permohonan"].cell(row=2, column=head.index("Isi Disposisi Kabid") + 1).value = "Segera jadwalkan."
    wb.save(register)
    again = process(Settings.build(root=office, today=today, workers=1))
    assert [(p.parent.name[:4], p.name) for p in again.written] == [("1841", "01 Lembar Disposisi.docx")]


def test_template_check_cache_is_only_a_hint(example: Path, tmp_path: Path) -> None:
    """A remembered check skips the trial render; a changed template is checked again; a bad cache
    is ignored."""
    import docx

    from pipeline.documents import checks
    from pipeline.documents.checks import CheckedTemplates

    cache = tmp_path / "templat-lolos.json"
    samples = sample_contexts(date(2026, 11, 28))
    first = load_templates(example / "templates_docx", samples, cache=cache, checked=CheckedTemplates())
    assert first.problems == [] and len(first.templates) == 6 and cache.exists()
    calls: list[str] = []
    real = checks.check_template
    checks.check_template = lambda tpl, sample: calls.append(tpl.spec.key) or real(tpl, sample)  # type: ignore
    try:
        second = load_templates(example / "templates_docx", samples, cache=cache)
        assert calls == [] and {k: t.fields for k, t in second.templates.items()} == \
            {k: t.fields for k, t in first.templates.items()}
        broken = tmp_path / "templates_docx"
        import shutil
        shutil.copytree(example / "templates_docx", broken)
        document = docx.Document(str(broken / "pengumuman.docx"))
        document.add_paragraph("{{ p.tidak_ada }}")
        document.save(str(broken / "pengumuman.docx"))
        third = load_templates(broken, samples, cache=cache)
        assert calls == ["pengumuman"] and [p.value for p in third.problems] == ["p.tidak_ada"]
        cache.write_text("{ not json")
        calls.clear()
        assert load_templates(example / "templates_docx", samples, cache=cache).problems == []
        assert len(calls) == 6
    finally:
        checks.check_template = real  # type: ignore[assignment]


def test_an_edit_rekap_does_not_show_leaves_it_alone(office: Path) -> None:
    """REKAP.xlsx is rebuilt when what it shows changes, not for every value of a request."""
    import openpyxl
    from conftest import request, write_register

    from pipeline.process import process
    from pipeline.settings import Settings

    def run(**changes: object) -> tuple[int, int]:
        write_register(office / "inbox" / "register.xlsx", permohonan=[request(**changes)])
        report = process(Settings.build(root=office, today=date(2026, 7, 21), workers=1))
        assert report.recap == office / "outbox" / "REKAP.xlsx" and not report.recap_error
        return report.recap.stat().st_ino, report.recap.stat().st_mtime_ns

    first = run()
    # Catatan is shown nowhere (a document it would change would join 'Perlu dicetak', which REKAP shows).
    assert run(Catatan="Dikerjakan bersama teknisi vendor.") == first
    assert run(Hal="Permohonan Pemeliharaan Server SIMPUS (ulang)") != first
    shown = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")["Rekap"]["G3"].value  # Hal
    assert shown == "Permohonan Pemeliharaan Server SIMPUS (ulang)"


def test_folders_resolved_once_per_run_still_refuse_links_out_of_outbox(tmp_path: Path) -> None:
    """request_folder with a run's memory of the year folders names the same folders as without it, and a
    request folder (or year folder) that is a link is still found as one (the request is then held)."""
    from conftest import request, write_register

    from pipeline.outbox import files as ob
    from pipeline.outbox.folders import request_folder

    outbox, elsewhere = tmp_path / "outbox", tmp_path / "elsewhere"
    (outbox / "2026").mkdir(parents=True)
    elsewhere.mkdir()
    path = write_register(tmp_path / "r.xlsx", permohonan=[request(), request(No_Agenda="018")])
    first, second = validate_register(read_register(path), date(2026, 7, 21)).assessments
    memory: dict[str, Path] = {}
    assert request_folder(outbox, first, memory) == request_folder(outbox, first) == \
        outbox.resolve() / "2026" / "017 - Dinas Kesehatan"
    (outbox / "2026" / "018 - Dinas Kesehatan").symlink_to(elsewhere, target_is_directory=True)
    for resolved in (memory, None):
        folder = request_folder(outbox, second, resolved)
        assert folder is not None and ob.link_below(outbox, folder) == folder
    (outbox / "2026").rename(outbox / "2026-lama")
    (outbox / "2026").symlink_to(elsewhere, target_is_directory=True)
    folder = request_folder(outbox, first, {})
    assert folder is not None and ob.link_below(outbox, folder) == outbox.resolve() / "2026"


def test_each_request_gets_its_own_fields_even_after_the_last_one_is_freed(example: Path) -> None:
    """The fields of one request are built once for all its documents; a new request — even a row object
    made after the last one was freed, which may reuse its id() — gets its own."""
    from dataclasses import replace as changed

    from pipeline.documents.catalog import DOCUMENTS
    register = read_register(example / "inbox" / "register.xlsx")
    builder = FieldBuilder(register, Staff.from_records(register.pegawai), date(2026, 11, 28))
    first = register.permohonan[0]
    disposisi = next(d for d in DOCUMENTS if d.key == "lembar_disposisi")

    def hal(n: int) -> str:  # the row (and its device list) is freed on return: the next may get its id
        row = changed(first, values={**first.values, "hal": f"Permohonan {n}"})
        devices: list[Record] = []
        return str(builder.context(disposisi, row, devices, [])["p"]["hal"])
    assert [hal(n) for n in range(50)] == [f"Permohonan {n}" for n in range(50)]
