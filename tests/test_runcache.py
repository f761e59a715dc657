"""The run memory (pipeline/runcache.py): a run with nothing to do reads no register, and anything that could
change its answer — each part of the key, any change in outbox/, a damaged or forged memory — means a full
run that gives the same answer a run without any memory gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import at_step, device, request, write_register

from pipeline import runcache
from pipeline.cli import cli
from pipeline.process import RunReport, process
from pipeline.register import reader
from pipeline.settings import Settings

TODAY = date(2026, 7, 21)
FOLDER = Path("2026") / "017 - Dinas Kesehatan"
ROOT = Path(__file__).resolve().parent.parent


def settings(office: Path, **changes: object) -> Settings:
    today = changes.pop("today", TODAY)
    return Settings.build(root=office, today=today, workers=1, **changes)  # type: ignore[arg-type]


def fill(office: Path) -> None:
    (office / "inbox" / "lampiran" / "018").mkdir(parents=True, exist_ok=True)  # photos come later
    write_register(office / "inbox" / "register.xlsx", permohonan=[request(), at_step(4, No_Agenda="018",
                   Petugas="Andi Prasetyo")], perangkat=[device(), device("018")])


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The registers read from now on (by name)."""
    seen: list[str] = []
    real = reader.read_register

    def counting(path: Path, *args: object, **kwargs: object) -> reader.Register:
        seen.append(path.name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(reader, "read_register", counting)
    return seen


def answer(report: RunReport) -> tuple[object, ...]:
    return (report.requests, report.held, report.unchanged, [p.describe() for p in report.all_problems()],
            report.summary(), report.recap, report.has_errors)


def test_a_run_with_nothing_to_do_reads_no_register_and_says_the_same(office: Path, reads: list[str]) -> None:
    fill(office)
    process(settings(office))
    reads.clear()
    full = process(settings(office), replay=False)  # what a run without any memory says now
    assert reads == ["register.xlsx"] and full.replay is None and full.written == []
    reads.clear()
    replayed = process(settings(office))
    assert reads == [] and replayed.replay is not None
    assert answer(replayed) == answer(full)
    assert replayed.held == 1 and any(p.agenda == "018" for p in replayed.all_problems())
    # Whoever needs the validations themselves (arsip) still gets them: read on demand.
    assert [a.agenda for v in replayed.validations for a in v.assessments] == ["017", "018"]
    assert reads == ["register.xlsx"]


def test_the_command_prints_the_same_when_replayed(office: Path) -> None:
    fill(office)
    args = ["run", "-C", str(office), "--today", TODAY.isoformat()]
    CliRunner().invoke(cli, args)
    (office / "outbox" / runcache.CACHE).unlink()
    full = CliRunner().invoke(cli, args)
    replayed = CliRunner().invoke(cli, args)
    assert (office / "outbox" / runcache.CACHE).exists()
    assert replayed.output == full.output and replayed.exit_code == full.exit_code == 3


def test_an_inbox_without_register_is_never_answered_from_memory(office: Path) -> None:
    args = ["run", "-C", str(office), "--today", TODAY.isoformat()]
    for _ in range(2):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1 and "Tidak ada register .xlsx" in result.output
    assert not (office / "outbox" / runcache.CACHE).exists()


def test_a_run_with_nothing_to_do_imports_no_heavy_library(office: Path) -> None:
    fill(office)
    code = f"""
import sys
from datetime import date
from pathlib import Path
from pipeline.process import process
from pipeline.settings import Settings
report = process(Settings.build(root=Path({str(office)!r}), today=date(2026, 7, 21), workers=1))
assert report.replay is not None, "not replayed"
heavy = {{"openpyxl", "docx", "docxtpl", "jinja2", "lxml", "PIL", "holidays", "babel", "num2words",
          "python_calamine", "numpy", "matplotlib"}}
# nor the parts of the pipeline that only reading, checking, rendering or writing REKAP need
heavy |= {{"pipeline.documents.checks", "pipeline.documents.fastdocx", "pipeline.outbox.archive",
          "pipeline.outbox.recap", "pipeline.validate"}}
print(sorted(heavy & ({{name.split(".")[0] for name in sys.modules}} | set(sys.modules))))
"""
    process(settings(office))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_a_second_run_changes_nothing(office: Path) -> None:
    """What the memory relies on: a run right after a complete run writes nothing at all — also the
    STATUS.txt of a held request, which once listed the documents it was due but did not have."""
    fill(office)
    first = process(settings(office), replay=False)
    assert first.held == 1
    before = runcache.outbox_state(office / "outbox")
    process(settings(office), replay=False)
    assert runcache.outbox_state(office / "outbox") == before
    status = (office / "outbox" / "2026" / "018 - Dinas Kesehatan" / "STATUS.txt").read_text(encoding="utf-8")
    assert "GALAT" in status and "Dokumen di folder ini" not in status


def _register_changed(office: Path) -> None:
    write_register(office / "inbox" / "register.xlsx", permohonan=[request(Hal="Hal yang lain"),
                   at_step(4, No_Agenda="018", Petugas="Andi Prasetyo")], perangkat=[device(), device("018")])


def _template_changed(office: Path) -> None:
    import docx
    path = office / "templates_docx" / "pengumuman.docx"
    document = docx.Document(str(path))
    document.add_paragraph("Tambahan.")
    document.save(str(path))


def _photo_added(office: Path) -> None:
    from PIL import Image
    (office / "inbox" / "lampiran" / "017").mkdir()
    Image.new("RGB", (64, 48), "#446688").save(office / "inbox" / "lampiran" / "017" / "01 rak.jpg")


def _file_in_inbox(office: Path) -> None:
    (office / "inbox" / "lama.xls").write_bytes(b"\xd0\xcf\x11\xe0")


def _document_deleted(office: Path) -> None:
    (office / "outbox" / FOLDER / "01 Lembar Disposisi.docx").unlink()


def _status_edited(office: Path) -> None:
    status = office / "outbox" / FOLDER / "STATUS.txt"
    edited = status.read_text(encoding="utf-8").replace("Dinas Kesehatan", "Dinas Lain")
    status.write_text(edited, encoding="utf-8")


def _stray_file(office: Path) -> None:
    (office / "outbox" / FOLDER / ".~sop-x1.tmp").write_bytes(b"half")  # what a crash leaves


def _rekap_deleted(office: Path) -> None:
    (office / "outbox" / "REKAP.xlsx").unlink()


CHANGES: dict[str, Callable[[Path], None]] = {
    "register": _register_changed, "template": _template_changed, "photo": _photo_added,
    "inbox listing": _file_in_inbox, "document deleted": _document_deleted,
    "STATUS.txt edited": _status_edited, "stray temporary file": _stray_file,
    "REKAP.xlsx deleted": _rekap_deleted,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_means_a_full_run(office: Path, reads: list[str], change: str) -> None:
    fill(office)
    process(settings(office))
    CHANGES[change](office)
    reads.clear()
    report = process(settings(office))
    assert report.replay is None and reads == ["register.xlsx"]
    again = process(settings(office))  # remembered anew: the same answer without reading
    assert again.replay is not None and again.written == [] and reads == ["register.xlsx"]
    assert again.unchanged == report.unchanged + len(report.written)
    assert [p.describe() for p in again.all_problems()] == [p.describe() for p in report.all_problems()]
    assert (again.requests, again.held, again.recap) == (report.requests, report.held, report.recap)


@pytest.mark.parametrize("setting", [{"today": date(2026, 7, 22)}, {"max_photo_bytes": 1024},
                                     {"max_register_bytes": 10**6}])
def test_other_settings_or_another_day_mean_a_full_run(office: Path, reads: list[str],
                                                       setting: dict[str, object]) -> None:
    fill(office)
    process(settings(office))
    reads.clear()
    assert process(settings(office)).replay is not None and reads == []  # the same settings: remembered
    assert process(settings(office, **setting)).replay is None and reads == ["register.xlsx"]


def test_new_code_means_a_full_run(office: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fill(office)
    process(settings(office))
    monkeypatch.setattr(runcache, "code_version", lambda: "another version of the pipeline")
    reads.clear()
    assert process(settings(office)).replay is None and reads == ["register.xlsx"]


def test_a_damaged_or_forged_memory_is_ignored(office: Path, reads: list[str]) -> None:
    fill(office)
    process(settings(office))
    memory = office / "outbox" / runcache.CACHE
    good = memory.read_bytes()
    cut = good.index(b"\n", len(runcache._MAGIC)) + 1  # after the magic line and the HMAC line
    head, body = good[:cut], good[cut:]
    stored = json.loads(body)
    stored["jawaban"]["masalah_permohonan"] = []  # a forger's memory: every request fine
    stored["jawaban"]["ditahan"] = 0
    forged = json.dumps(stored).encode()
    truthful = answer(process(settings(office), replay=False))
    for damaged in (good[:len(good) // 2], b"", head + forged, good.replace(b'"ditahan":1', b'"ditahan":0')):
        memory.write_bytes(damaged)
        reads.clear()
        report = process(settings(office))
        assert report.replay is None and reads == ["register.xlsx"] and answer(report) == truthful
    # A memory made with another user's key (copied from another machine) is not trusted either.
    memory.write_bytes(good)
    other = office / "other-user-cache"
    os.environ["XDG_CACHE_HOME"], mine = str(other), os.environ["XDG_CACHE_HOME"]
    try:
        reads.clear()
        assert process(settings(office)).replay is None and reads == ["register.xlsx"]
    finally:
        os.environ["XDG_CACHE_HOME"] = mine
    assert (other / "sop-pipeline" / "kunci-putaran").stat().st_mode & 0o077 == 0  # the key is private


def test_a_run_that_left_work_undone_is_not_remembered(office: Path) -> None:
    fill(office)
    owner = office / "outbox" / FOLDER / "~$01 Lembar Disposisi.docx"  # the document is open in Word
    process(settings(office))
    owner.write_bytes(b"x")
    write_register(office / "inbox" / "register.xlsx", permohonan=[request(Isi_Disposisi_Kabid="Segera."),
                   at_step(4, No_Agenda="018", Petugas="Andi Prasetyo")], perangkat=[device(), device("018")])
    assert process(settings(office)).locked
    assert not (office / "outbox" / runcache.CACHE).exists()
    owner.unlink()
    again = process(settings(office))
    assert again.replay is None and [p.name for p in again.written] == ["01 Lembar Disposisi.docx"]


def test_arsip_reads_the_registers(office: Path, reads: list[str]) -> None:
    from pipeline.process import archive

    fill(office)
    process(settings(office))
    reads.clear()
    report, result = archive(settings(office))
    assert report.replay is None and reads == ["register.xlsx"] and len(result.created) == 1


def test_deleting_the_print_list_is_a_change_the_memory_sees(office: Path) -> None:
    """The Perlu dicetak list lives in outbox/_log/ but REKAP shows it, and deleting it is one way a clerk
    empties it: the next run is a full one, and REKAP shows the empty list."""
    import openpyxl
    fill(office)
    first = process(settings(office))
    assert first.print_list is not None and first.print_list.items
    assert process(settings(office)).replay is not None  # nothing changed: answered from memory
    (office / "outbox" / "_log" / "perlu-dicetak.json").unlink()
    after = process(settings(office))
    assert after.replay is None and after.print_list is not None and after.print_list.items == []
    sheet = openpyxl.load_workbook(office / "outbox" / "REKAP.xlsx")["Perlu dicetak"]
    assert [c.value for c in sheet[3]][:3] == [None, None, "Tidak ada dokumen yang perlu dicetak."]


def test_a_run_that_made_pdfs_is_not_remembered(office: Path, reads: list[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFs are made by LibreOffice outside the memory's view: a run that made them leaves no memory (here
    LibreOffice is stood in for: the conversion reports nothing to do)."""
    from pipeline.outbox import pdf
    monkeypatch.setattr(pdf, "convert_to_pdf", lambda documents, progress=None: pdf.PdfReport())
    fill(office)
    assert process(settings(office, pdf=True)).pdf is not None
    assert not (office / "outbox" / runcache.CACHE).exists()
    reads.clear()
    assert process(settings(office, pdf=True)).replay is None and reads == ["register.xlsx"]
