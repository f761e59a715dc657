"""Hostile and broken input: workbooks, values and templates anyone in the office could drop in.

Fixtures are generated here by code. Hostile workbooks are read by the real CLI in a child process with
a memory limit, so a failed defence shows up as a failure, not as a machine out of memory."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import at_step, request, write_register

from pipeline.documents.catalog import DOCUMENTS
from pipeline.documents.checks import check_template
from pipeline.documents.render import LoadedTemplate, render_bytes
from pipeline.documents.sample import sample_contexts
from pipeline.outbox.files import inside
from pipeline.outbox.folders import request_folder_name
from pipeline.process import process
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)) + "]>")
QUADRATIC = '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "' + "x" * 50_000 + '">]>'
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'


def test_defusedxml_is_active() -> None:
    assert openpyxl.DEFUSEDXML is True


def _replace_part(path: Path, member: str, body: bytes) -> None:
    with zipfile.ZipFile(path) as zin:
        parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    parts[member] = body
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)


def _entity_payload(path: Path, member: str, prolog: str, use: str) -> None:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(member).decode()
    body = xml[xml.index("?>") + 2:] if xml.startswith("<?xml") else xml
    root_end = body.index(">") + 1
    # Reference the entity inside the first text the reader will look at.
    rest = body[root_end:]
    for tag in ("<t>", "<v>", "<t xml:space=\"preserve\">"):
        if tag in rest:
            rest = rest.replace(tag, tag + use, 1)
            break
    else:  # no text node: add an attribute-free comment-like use in a new element the parser must expand
        rest = f"<x>{use}</x>" + rest
    body = body[:root_end] + rest
    _replace_part(path, member, (prolog + body).encode())


def _cli_check(office: Path) -> subprocess.CompletedProcess[str]:
    """`sop-pipeline check` in a child process limited to 1.5 GB of memory."""
    limit = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20)); "
        "sys.argv = ['sop-pipeline', 'check', '-C', sys.argv[1], '--today', '2026-07-21']; "
        "from pipeline.cli import main; main()")
    return subprocess.run([sys.executable, "-c", limit, str(office)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _good(office: Path) -> Path:
    return write_register(office / "inbox" / "register.xlsx", permohonan=[request()])


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml"])
@pytest.mark.parametrize(("prolog", "use"),
                         [(LAUGHS, "&lol9;"), (QUADRATIC, "&a;" * 2000), (EXTERNAL, "&ext;")],
                         ids=["billion-laughs", "quadratic", "external-entity"])
def test_entity_expansion_is_refused(office: Path, member: str, prolog: str, use: str) -> None:
    path = _good(office)
    _entity_payload(path, member, prolog, use)
    result = _cli_check(office)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "root:" not in result.stdout  # /etc/passwd never read into a value
    assert result.returncode in (1, 3), result.stdout + result.stderr
    assert "register.xlsx" in result.stdout + result.stderr


def test_zip_bomb_is_refused(office: Path) -> None:
    path = _good(office)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("xl/media/bom.bin", "w") as fh:
        chunk = b"\0" * (1 << 20)
        for _ in range(450):  # 450 MB of zeros: about half a megabyte on disk
            fh.write(chunk)
    assert path.stat().st_size < 5 << 20
    result = _cli_check(office)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert "zip bomb" in result.stdout


@pytest.mark.parametrize(("name", "content", "says"), [
    ("register.xlsx", b"Nama,NIP\nAndi,1990\n", "bukan file .xlsx"),
    ("register.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "terenkripsi"),
    ("laporan.xlsm", b"PK\x03\x04", "berisi makro (.xlsm) tidak dibaca")])
def test_broken_files_give_one_line(office: Path, name: str, content: bytes, says: str) -> None:
    (office / "inbox" / name).write_bytes(content)
    result = _cli_check(office)
    assert "Traceback" not in result.stderr
    assert says in result.stdout + result.stderr


def test_truncated_and_sheetless_workbooks(office: Path) -> None:
    path = _good(office)
    path.write_bytes(path.read_bytes()[:3000])
    write_register(office / "inbox" / "kosong.xlsx", drop_sheets=["Permohonan"])
    result = _cli_check(office)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert "register.xlsx" in result.stdout and "Sheet 'Permohonan' tidak ditemukan." in result.stdout


def test_workbook_with_macros_is_read_but_flagged(office: Path) -> None:
    path = _good(office)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\0" * 64)
    result = _cli_check(office)
    assert "makro tidak pernah dijalankan" in result.stdout
    assert "1 permohonan diperiksa" in result.stdout


# --- hostile values -----------------------------------------------------------------------------------------

HOSTILE_NAMES = ["../../etc", "..", "C:\\Windows", "CON", "nul.txt", "a/b", "a\\b", "COM1 ", " .", "x" * 300,
                 "🙂 Dinas", "Dinas\u202eKesehatan", "tab\there", "", ".hidden", "LPT9", "a:b*c?d\"e<f>g|h"]


@pytest.mark.parametrize("agenda", HOSTILE_NAMES)
def test_folder_names_stay_inside_outbox(tmp_path: Path, agenda: str) -> None:
    name = request_folder_name(agenda or "017", "Dinas Kesehatan" if agenda else "..")
    target = inside(tmp_path, "2026", name)
    assert tmp_path.resolve() in target.parents
    assert name and not name.endswith((".", " ")) and len(name) <= 80
    assert not set(name) & set('/\\:*?"<>|')
    assert name.split(".")[0].strip().upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}


def test_hostile_values_end_to_end(office: Path) -> None:
    rows = [at_step(1, No_Agenda=agenda, Perangkat_Daerah=pd, Tanggal_Diterima=date(2026, 7, 6))
            for agenda, pd in [("../../etc", "CON"), ("a/b", "Dinas: Kominfo?"), ("a-b", "Dinas- Kominfo-"),
                               ("x" * 300, "🙂"), ("RTL", "Dinas\u202eKesehatan\u200f"),
                               ("LONG", "Dinas Kesehatan"), ("CTRL", "PT Telkom & Co <Ltd>")]]
    rows[5]["Hal"] = "Permohonan " + "panjang " * 3_000  # a very long cell
    rows[6]["Isi Disposisi Kadis"] = "{{ cycler.__init__.__globals__.os.getcwd() }} {% raw %}"
    rows[6]["Tgl Disposisi Kadis"] = date(2026, 7, 7)
    write_register(office / "inbox" / "register.xlsx", permohonan=rows)
    report = process(Settings.build(root=office, today=date(2026, 7, 7), workers=1))
    assert not [p for p in report.all_problems() if p.is_error]
    folders = sorted((office / "outbox" / "2026").iterdir())
    assert len(folders) == len(rows)  # seven requests, seven folders: never shared
    for folder in folders:
        text = "\n".join(p.text for p in docx.Document(str(folder / "01 Lembar Disposisi.docx")).paragraphs)
        assert "LEMBAR DISPOSISI" in text
    ctrl = next(f for f in folders if f.name.startswith("CTRL"))
    document = docx.Document(str(ctrl / "01 Lembar Disposisi.docx"))
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "PT Telkom & Co <Ltd>" in cells
    assert "{{ cycler.__init__.__globals__.os.getcwd() }} {% raw %}" in cells
    assert not (office / "etc").exists() and not (office.parent / "etc").exists()


# --- hostile templates --------------------------------------------------------------------------------------

def _template(*paragraphs: str) -> LoadedTemplate:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    spec = next(d for d in DOCUMENTS if d.key == "lembar_disposisi")
    return LoadedTemplate(spec, Path("lembar_disposisi.docx"), buf.getvalue(), "x")


SAMPLE = sample_contexts(date(2026, 7, 21))["lembar_disposisi"]


@pytest.fixture(autouse=True)
def short_render_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is 10 s in production; 1 s here keeps the suite quick (the mechanism is the same)."""
    monkeypatch.setattr("pipeline.documents.sandbox.RENDER_SECONDS", 1.0)


@pytest.mark.parametrize("tag", [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ p.__class__.__init__.__globals__ }}",
    "{{ 'x' * 1000000000 }}",
    "{{ 'x' | center(1000000000) }}",
    "{{ 10 ** 100000000 }}",
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "{% for a in range(10**9) %}{% endfor %}",
])
def test_hostile_template_is_stopped_and_named(tag: str) -> None:
    problems = check_template(_template("Aman", tag), SAMPLE)
    assert len(problems) == 1
    assert problems[0].sheet == "lembar_disposisi.docx"
    assert problems[0].is_error


def test_other_templates_still_render_beside_a_hostile_one(office: Path) -> None:
    tpl = office / "templates_docx" / "lembar_disposisi.docx"
    document = docx.Document(str(tpl))
    document.add_paragraph("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}")
    document.save(str(tpl))
    write_register(office / "inbox" / "register.xlsx", permohonan=[at_step(4)])
    report = process(Settings.build(root=office, today=date(2026, 7, 9), workers=1))
    assert any(p.sheet == "lembar_disposisi.docx" for p in report.problems)
    folder = office / "outbox" / "2026" / "017 - Dinas Kesehatan"
    assert sorted(p.name for p in folder.glob("*.docx")) == ["02 Formulir Isian Kelengkapan.docx",
                                                             "03 Pengumuman Penghentian Layanan.docx"]


def test_render_limit_applies_to_the_fast_path() -> None:
    tpl = _template("{{ p.no_agenda }}", "{% for d in perangkat %}{% for a in range(100000) %}"
                                        "{% for b in range(100000) %}{% endfor %}{% endfor %}{% endfor %}")
    with pytest.raises(Exception, match="detik"):
        render_bytes(tpl, SAMPLE)
