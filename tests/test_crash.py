"""Crashes, locks and full disks: nothing already written is lost, and the next run recovers."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import copy_templates, device, request, write_register

from pipeline.outbox import files as ob
from pipeline.outbox.manifest import MANIFEST
from pipeline.process import process
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 7, 21)


def _office(tmp_path: Path, n: int) -> Path:
    for name in ("inbox", "outbox"):
        (tmp_path / name).mkdir()
    copy_templates(tmp_path / "templates_docx")
    rows = [request(No_Agenda=f"{i:03d}", Uraian_Pekerjaan=f"Pekerjaan {i}") for i in range(1, n + 1)]
    write_register(tmp_path / "inbox" / "register.xlsx", permohonan=rows,
                   perangkat=[device(f"{i:03d}") for i in range(1, n + 1)])
    return tmp_path


def _consistent(office: Path) -> int:
    """Every document opens; every manifest entry matches its file; no temporary file is left."""
    count = 0
    for manifest in (office / "outbox").rglob(MANIFEST):
        entries = json.loads(manifest.read_text(encoding="utf-8"))["dokumen"]
        for name, entry in entries.items():
            path = manifest.parent / name
            assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], path
    for path in (office / "outbox").rglob("*.docx"):
        docx.Document(str(path))  # raises on a half-written document
        count += ob.HISTORY not in path.parts
    assert list((office / "outbox").rglob(f"{ob.TEMP_PREFIX}*")) == []
    return count


@pytest.mark.soak  # about two minutes: `pytest -m soak` (CI runs it after the plain `pytest`)
def test_sigkill_at_random_points_never_leaves_damage(tmp_path: Path) -> None:
    n = 30
    office = _office(tmp_path, n)
    rng = random.Random(20261128)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pipeline", "run", "-C", str(office), "--today", TODAY.isoformat(),
               "--no-progress"]
    kills = attempts = 0
    while kills < 20 and attempts < 60:
        attempts += 1
        # Change every request each time, so every run rewrites documents (and keeps their history).
        rows = [request(No_Agenda=f"{i:03d}", Uraian_Pekerjaan=f"Pekerjaan {i} versi {attempts}")
                for i in range(1, n + 1)]
        write_register(office / "inbox" / "register.xlsx", permohonan=rows,
                       perangkat=[device(f"{i:03d}") for i in range(1, n + 1)])
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.0))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait(timeout=60)
        # Whatever the moment of death, what is on disk is whole (temporary files are ours to clean).
        for path in (office / "outbox").rglob("*.docx"):
            docx.Document(str(path))
    assert kills >= 20
    final = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stdout + final.stderr
    assert _consistent(office) == n * 5
    again = process(Settings.build(root=office, today=TODAY, workers=1))
    assert again.written == [] and again.unchanged == n * 5
    history = list((office / "outbox").rglob("_riwayat/*.docx"))
    assert history and all(docx.Document(str(p)) for p in history)


def test_full_disk_is_reported_and_the_next_run_recovers(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    office = _office(tmp_path, 3)
    settings = Settings.build(root=office, today=TODAY, workers=1)
    process(settings)
    before = {p: p.read_bytes() for p in (office / "outbox").rglob("*.docx")}
    rows = [request(No_Agenda=f"{i:03d}", Uraian_Pekerjaan=f"Baru {i}") for i in range(1, 4)]
    write_register(office / "inbox" / "register.xlsx", permohonan=rows,
                   perangkat=[device(f"{i:03d}") for i in range(1, 4)])
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fh: object) -> None:
            self.fh = fh

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ob.os, "fdopen", lambda fd, mode="r": FullDisk(real_fdopen(fd, mode)))
    report = process(settings)
    assert report.written == []
    assert any("No space left" in p.message for p in report.problems)
    assert {p: p.read_bytes() for p in (office / "outbox").rglob("*.docx")} == before  # nothing lost
    assert list((office / "outbox").rglob(f"{ob.TEMP_PREFIX}*")) == []
    monkeypatch.undo()
    recovered = process(settings)
    assert len(recovered.written) == 9  # the three documents per request that print 'Uraian Pekerjaan'
    assert _consistent(office) == 15


def test_read_only_document_and_open_recap(tmp_path: Path) -> None:
    office = _office(tmp_path, 2)
    settings = Settings.build(root=office, today=TODAY, workers=1)
    process(settings)
    folder = office / "outbox" / "2026" / "001 - Dinas Kesehatan"
    ba = folder / "05 Berita Acara Pekerjaan.docx"
    ba.chmod(0o444)
    (office / "outbox" / "~$REKAP.xlsx").write_bytes(b"owner")
    rekap_before = (office / "outbox" / "REKAP.xlsx").read_bytes()
    rows = [request(No_Agenda=f"{i:03d}", Uraian_Pekerjaan="Diubah") for i in (1, 2)]
    write_register(office / "inbox" / "register.xlsx", permohonan=rows,
                   perangkat=[device("001"), device("002")])
    report = process(settings)
    assert [(p.name, why) for p, why in report.locked] == [(ba.name, "hanya-baca (read-only)")]
    assert "REKAP.xlsx tidak diperbarui" in report.recap_error
    assert (office / "outbox" / "REKAP.xlsx").read_bytes() == rekap_before
    assert "Diubah" not in "\n".join(p.text for p in docx.Document(str(ba)).paragraphs)
    # Everything else that uses 'Uraian Pekerjaan' was written: kelengkapan, berita acara, laporan.
    assert sorted(p.name for p in report.written) == ["02 Formulir Isian Kelengkapan.docx"] * 2 + [
        "05 Berita Acara Pekerjaan.docx", "06 Laporan Hasil Pelaksanaan.docx",
        "06 Laporan Hasil Pelaksanaan.docx"]
    ba.chmod(0o644)
    (office / "outbox" / "~$REKAP.xlsx").unlink()
    again = process(settings)
    assert [p.name for p in again.written] == [ba.name] and again.recap is not None


def test_unwritable_outbox_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = _office(tmp_path, 2)
    real = ob.atomic_write

    def refuse(path: Path, data: bytes, **options: Any) -> None:
        if "001 - " in str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real(path, data, **options)

    monkeypatch.setattr(ob, "atomic_write", refuse)
    report = process(Settings.build(root=office, today=TODAY, workers=1))
    assert {p.parent.name for p in report.written} == {"002 - Dinas Kesehatan"}
    assert len(report.locked) == 5 and all("terkunci" in why for _, why in report.locked)
    monkeypatch.undo()
    again = process(Settings.build(root=office, today=TODAY, workers=1))
    assert {p.parent.name for p in again.written} == {"001 - Dinas Kesehatan"}


def test_stale_temporary_files_are_cleaned_at_start(tmp_path: Path) -> None:
    office = _office(tmp_path, 1)
    folder = office / "outbox" / "2026" / "001 - Dinas Kesehatan"
    folder.mkdir(parents=True)
    stale = folder / f"{ob.TEMP_PREFIX}abc.tmp"
    stale.write_bytes(b"half")
    keep = folder / "catatan staf.txt"
    keep.write_text("jangan dihapus")
    process(Settings.build(root=office, today=TODAY, workers=1))
    assert not stale.exists() and keep.read_text() == "jangan dihapus"
