"""The watcher driven through real watchdog observers (inotify and polling) and real Excel-style saves."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from conftest import TODAY, device, request, write_register
from PIL import Image

import pipeline
from pipeline import watch as watching
from pipeline.cli import cli
from pipeline.documents.catalog import DOCUMENTS
from pipeline.errors import PipelineError
from pipeline.process import process
from pipeline.settings import Settings
from pipeline.watch import Cycle, Watcher, WatchOptions, relevant_kind

FAST = WatchOptions(observer="native", polling_interval=0.1, debounce=0.3, rescan_interval=0, today=TODAY,
                    stable_gap=0.05, settle_timeout=1.0, locked_retry=0)
DEADLINE = 60.0  # generous: only a broken watcher ever reaches it
QUIET = 2.0  # after the expected cycle, long enough for any duplicate cycle to show up
FOLDER = Path("outbox") / "2026" / "017 - Dinas Kesehatan"
DISPOSISI = FOLDER / "01 Lembar Disposisi.docx"


def make_templates(root: Path, marker: str = "v1", only: str = "") -> None:
    """Small templates with known text (the default templates are tested elsewhere and still changing)."""
    folder = root / "templates_docx"
    folder.mkdir(exist_ok=True)
    for spec in DOCUMENTS:
        if only and spec.key != only:
            continue
        document = docx.Document()
        document.add_paragraph(f"{spec.key} {marker}: {{{{ p.no_agenda }}}} | {{{{ p.hal }}}}")
        if spec.key == "laporan":  # the laporan prints the photos: a new photo must change it
            document.add_paragraph("{% for f in foto_baris %}{{ f.kiri.keterangan }} {% endfor %}")
        temp = folder / f"~WRL{spec.key[:4]}.tmp"  # Word, too, saves to a temp file and renames it
        document.save(str(temp))
        os.replace(temp, folder / spec.template)


def excel_save(path: Path, write: Callable[[Path], Any]) -> None:
    """Exactly how Excel saves (KB 814068): owner file, temp file without extension, delete, rename."""
    owner = path.with_name("~$" + path.name)
    owner.write_bytes(b"\x0bPetugas TU ")
    temp = path.with_name("Cedd4100")
    write(temp)
    if path.exists():
        path.unlink()
    temp.rename(path)
    owner.unlink()


def save_register(path: Path, hal: str) -> None:
    excel_save(path, lambda temp: write_register(temp, [request(Hal=hal)], [device()]))


def text(path: Path) -> str:
    try:
        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    except Exception:  # not written yet, or caught mid-replace
        return ""


def wait_for(condition: Callable[[], bool], what: str, timeout: float = DEADLINE) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Running:
    def __init__(self, watcher: Watcher, thread: threading.Thread) -> None:
        self.watcher = watcher
        self.thread = thread
        self.cycles: list[Cycle] = []

    def wait_cycles(self, n: int) -> None:
        wait_for(lambda: len(self.cycles) >= n, f"{n} cycles (have {len(self.cycles)})")

    def written(self, cycle: Cycle) -> set[str]:
        assert cycle.report is not None, cycle.error
        return {p.name for p in cycle.report.written}


@contextmanager
def watching_office(root: Path, mode: str, run: Callable[[Settings], Any] = process,
                    **options: Any) -> Iterator[Running]:
    settings = Settings.build(root=root, today=TODAY, workers=1)
    watcher = Watcher(settings, replace(FAST, observer=mode, **options), run=run)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run_forever, args=(stop,), daemon=True)
    running = Running(watcher, thread)
    watcher.on_cycle = running.cycles.append
    thread.start()
    try:
        running.wait_cycles(1)  # the start-up cycle
        assert running.cycles[0].changes == ("mulai",)
        yield running
        assert thread.is_alive(), "the watcher died"
    finally:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive(), "the watcher did not stop"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    for name in ("inbox", "outbox"):
        (tmp_path / name).mkdir()
    make_templates(tmp_path)
    return tmp_path


@pytest.fixture(params=["native", "polling"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_excel_save_updates_documents_exactly_once(office: Path, mode: str) -> None:
    register = office / "inbox" / "register.xlsx"
    save_register(register, "Hal lama")
    with watching_office(office, mode) as w:
        assert "lembar_disposisi v1: 017 | Hal lama" in text(office / DISPOSISI)
        save_register(register, "Hal baru")
        wait_for(lambda: "Hal baru" in text(office / DISPOSISI), "the updated Lembar Disposisi")
        time.sleep(QUIET)
        assert [c.changes for c in w.cycles[1:]] == [("inbox/register.xlsx",)]
        assert "01 Lembar Disposisi.docx" in w.written(w.cycles[1])
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Hal baru"
    previous = list((office / FOLDER / "_riwayat").glob("01 Lembar Disposisi *.docx"))
    assert [text(p) for p in previous] == ["lembar_disposisi v1: 017 | Hal lama"]  # replaced exactly once


def test_first_save_of_a_new_register_appears_exactly_once(office: Path, mode: str) -> None:
    with watching_office(office, mode) as w:
        assert not (office / DISPOSISI).exists()
        save_register(office / "inbox" / "register.xlsx", "Permohonan baru")
        wait_for(lambda: (office / DISPOSISI).exists(), "the new Lembar Disposisi")
        time.sleep(QUIET)
        assert len(w.cycles) == 2
        assert w.written(w.cycles[1]) >= {"01 Lembar Disposisi.docx", "05 Berita Acara Pekerjaan.docx"}
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Permohonan baru"


def test_burst_of_50_saves_ends_with_the_last_one(office: Path, mode: str) -> None:
    register = office / "inbox" / "register.xlsx"
    save_register(register, "Simpan awal")
    with watching_office(office, mode) as w:
        start = time.monotonic()
        for i in range(50):
            save_register(register, f"Simpan {i}")
            time.sleep(max(0.0, start + (i + 1) * 0.1 - time.monotonic()))  # 50 saves in 5 seconds
        wait_for(lambda: "Simpan 49" in text(office / DISPOSISI), "the last save's document")
        time.sleep(QUIET)
        assert 2 <= len(w.cycles) < 51  # debounced: far fewer cycles than saves
        last = w.cycles[-1]
        assert last.report is not None and not last.report.has_errors
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Simpan 49"


def test_corrupt_save_then_good_save_recovers(office: Path, mode: str) -> None:
    register = office / "inbox" / "register.xlsx"
    save_register(register, "Sebelum rusak")
    with watching_office(office, mode) as w:
        excel_save(register, lambda temp: temp.write_bytes(b"bukan zip, file setengah tersimpan" * 100))

        def reported_broken() -> bool:
            return any(c.report and any(p.source == "register.xlsx" for p in c.report.problems) for c in w.cycles)
        wait_for(reported_broken, "the corrupt register reported as a problem")
        assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Sebelum rusak"  # left untouched
        save_register(register, "Sesudah pulih")
        wait_for(lambda: "Sesudah pulih" in text(office / DISPOSISI), "recovery after a good save")
        assert all(c.error == "" for c in w.cycles)


def test_template_edit_rerenders_only_its_documents(office: Path, mode: str) -> None:
    save_register(office / "inbox" / "register.xlsx", "Hal tetap")
    with watching_office(office, mode) as w:
        make_templates(office, marker="v2", only="lembar_disposisi")
        wait_for(lambda: "v2" in text(office / DISPOSISI), "the re-rendered Lembar Disposisi")
        time.sleep(QUIET)
        assert [c.changes for c in w.cycles[1:]] == [("templates_docx/lembar_disposisi.docx",)]
        assert w.written(w.cycles[1]) == {"01 Lembar Disposisi.docx"}
        assert "v1" in text(office / FOLDER / "05 Berita Acara Pekerjaan.docx")


def test_new_photo_updates_the_laporan_once(office: Path, mode: str) -> None:
    save_register(office / "inbox" / "register.xlsx", "Hal tetap")
    with watching_office(office, mode) as w:
        photos = office / "inbox" / "lampiran" / "017"
        photos.mkdir(parents=True)
        buf = io.BytesIO()
        Image.new("RGB", (40, 30), "red").save(buf, "PNG")
        (photos / "foto 1.png").write_bytes(buf.getvalue())  # one write, as a copy would
        w.wait_cycles(2)
        time.sleep(QUIET)
        assert len(w.cycles) == 2
        assert "inbox/lampiran/017/foto 1.png" in w.cycles[1].changes
        assert w.written(w.cycles[1]) == {"06 Laporan Hasil Pelaksanaan.docx"}  # and nothing else


def test_survives_exceptions_from_process(office: Path) -> None:
    calls: list[int] = []

    def flaky(settings: Settings) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise OSError(5, "Input/output error", str(settings.outbox))  # a share that blinked
        return process(settings)

    register = office / "inbox" / "register.xlsx"
    save_register(register, "Pertama")
    with watching_office(office, "native", run=flaky) as w:
        save_register(register, "Kedua")
        w.wait_cycles(2)
        assert w.cycles[1].report is None and "Input/output error" in w.cycles[1].error
        w.wait_cycles(3)
        assert "Kedua" in text(office / DISPOSISI)
        assert "inbox/register.xlsx" in w.cycles[2].changes  # the failed cycle's changes are carried over


def test_inbox_vanishing_and_returning_keeps_watching(office: Path, mode: str) -> None:
    import shutil
    register = office / "inbox" / "register.xlsx"
    save_register(register, "Sebelum hilang")
    with watching_office(office, mode) as w:
        shutil.rmtree(office / "inbox")
        time.sleep(QUIET)
        assert len(w.cycles) == 1  # a vanished inbox is not an empty one: nothing runs meanwhile
        (office / "inbox").mkdir()
        save_register(register, "Sesudah kembali")
        wait_for(lambda: "Sesudah kembali" in text(office / DISPOSISI), "a save into the recreated inbox")
        wait_for(lambda: any("folder dipasang ulang" in c.changes for c in w.cycles), "the cycle's record")


def test_auto_falls_back_to_polling_when_native_cannot_start(office: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> Any:
        raise OSError(28, "inotify watch limit reached")
    monkeypatch.setattr("pipeline.watch.loop.native_observer", broken)
    register = office / "inbox" / "register.xlsx"
    save_register(register, "Awal")
    with watching_office(office, "auto") as w:
        assert w.watcher.observer_kind == "polling"
        save_register(register, "Lewat polling")
        wait_for(lambda: "Lewat polling" in text(office / DISPOSISI), "a save seen by the polling fallback")


@pytest.mark.parametrize(("path", "is_dir", "kind"), [
    ("inbox/register.xlsx", False, "register"),
    ("inbox/Register 2026.XLSX", False, "register"),
    ("inbox/~$register.xlsx", False, None),  # Excel's owner file
    ("inbox/Cedd4100", False, None),  # Excel's temp file
    ("inbox/5B0A2C10.tmp", False, None),
    ("inbox/.~lock.register.xlsx#", False, None),  # LibreOffice
    ("inbox/sop-pipeline.toml", False, None),
    ("inbox/arsip/register.xlsx", False, None),  # find_registers does not look in subfolders
    ("inbox/lampiran/017/foto 1.JPG", False, "lampiran"),
    ("inbox/lampiran/017", True, "lampiran"),
    ("inbox/lampiran/017/catatan.txt", False, None),
    ("templates_docx/berita_acara.docx", False, "templat"),
    ("templates_docx/logo.png", False, "templat"),
    ("templates_docx/~$rita_acara.docx", False, None),
    ("outbox/2026/017 - Dinas Kesehatan/01 Lembar Disposisi.docx", False, None),
    ("outbox/REKAP.xlsx", False, None),
])
def test_relevant_paths(tmp_path: Path, path: str, is_dir: bool, kind: str | None) -> None:
    assert relevant_kind(tmp_path, tmp_path / path, is_dir) == kind


MOUNTS = """/dev/sda1 / ext4 rw,relatime 0 0
//fileserver/kantor /mnt/kantor cifs rw,vers=3.0 0 0
nas:/export/data /mnt/data\\040nfs nfs4 rw 0 0
/dev/sdb1 /mnt/kantor/lokal ext4 rw 0 0
"""


@pytest.mark.parametrize(("path", "network"), [("/home/tu/kantor", False), ("/mnt/kantor", True),
                                               ("/mnt/kantor/2026", True), ("/mnt/kantorlain", False),
                                               ("/mnt/data nfs/kantor", True), ("/mnt/kantor/lokal/x", False)])
def test_network_folders_are_recognised(path: str, network: bool) -> None:
    assert watching.is_network_folder(Path(path), MOUNTS) is network


def test_settings_file_and_flags(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    def load_watch_options(root: Path, observer: str | None = None, interval: float | None = None,
                           debounce: float | None = None) -> WatchOptions:
        return Settings.build(root, observer=observer, polling_interval=interval, debounce=debounce,
                               environ={}).watch

    assert load_watch_options(tmp_path) == WatchOptions()
    toml = tmp_path / "inbox" / "sop-pipeline.toml"
    toml.write_text('[watch]\nobserver = "polling"\npolling_interval = 3\ndebounce = 5.5\nrescan_interval = 600\n')
    assert load_watch_options(tmp_path) == WatchOptions("polling", 3.0, 5.5, 600.0)
    assert load_watch_options(tmp_path, "native", None, 1.0) == WatchOptions("native", 3.0, 1.0, 600.0)
    for body, message in [('[watch]\nobserve = "polling"\n', "'observe' tidak dikenal"),
                          ("debounce = 3\n", "di bawah tabel [watch]"),
                          ('[watch]\nobserver = "inotify"\n', "auto, native atau polling"),
                          ("[watch]\npolling_interval = 0\n", "≥ 0.1"),
                          ("[watch\n", "tidak dapat dibaca")]:
        toml.write_text(body)
        with pytest.raises(PipelineError, match=message.replace("[", r"\[")):
            load_watch_options(tmp_path)


def test_watch_command_help_and_bad_settings_file(office: Path) -> None:
    result = CliRunner().invoke(cli, ["watch", "--help"])
    assert result.exit_code == 0
    assert "--observer [auto|native|polling]" in result.output and "sop-pipeline.toml" in result.output
    (office / "inbox" / "sop-pipeline.toml").write_text("[watch]\ndebounce = -1\n")
    result = CliRunner().invoke(cli, ["watch", "-C", str(office)])
    assert result.exit_code == 1
    assert "debounce = -1 tidak sah" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_command_stops_cleanly_on_signal(office: Path, sig: signal.Signals) -> None:
    save_register(office / "inbox" / "register.xlsx", "Dari layanan")
    env = {**os.environ, "PYTHONPATH": str(Path(pipeline.__file__).parent.parent)}
    out = (office / "stdout.txt").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "watch", "-C", str(office), "--today",
                             TODAY.isoformat(), "--observer", "polling", "--interval", "0.1", "--debounce", "0.2"],
                            stdout=out, stderr=subprocess.STDOUT, env=env)
    log_file = office / "outbox" / "_log" / "watch.log"
    try:
        wait_for(lambda: log_file.exists() and "Putaran 1 · berubah: mulai" in log_file.read_text("utf-8"),
                 "the first cycle in the log file")
        assert "Dari layanan" in text(office / DISPOSISI)
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        out.close()
    assert "Pemantauan berhenti setelah 1 putaran." in log_file.read_text("utf-8")
    assert "Putaran 1" in (office / "stdout.txt").read_text("utf-8")  # the console, too
