"""The watcher: its loop driven through recorded observer events in virtual time; one end-to-end test per real
observer (inotify and polling); the command stopped by signals."""

from __future__ import annotations

import heapq
import io
import itertools
import logging
import os
import shutil
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
from watchdog import events as ev

import pipeline
from pipeline import watch as watching
from pipeline.cli import cli
from pipeline.documents.catalog import DOCUMENTS
from pipeline.errors import PipelineError
from pipeline.process import process
from pipeline.settings import Settings
from pipeline.watch import Cycle, Watcher, WatchOptions, relevant_kind

FOLDER = Path("outbox") / "2026" / "017 - Dinas Kesehatan"
DISPOSISI = FOLDER / "01 Lembar Disposisi.docx"
BERITA_ACARA = FOLDER / "05 Berita Acara Pekerjaan.docx"


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


@pytest.fixture
def office(tmp_path: Path) -> Path:
    for name in ("inbox", "outbox"):
        (tmp_path / name).mkdir()
    make_templates(tmp_path)
    return tmp_path


@pytest.fixture(params=["native", "polling"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# --- the loop in virtual time, fed the events real observers report -----------------------------------------

# What watchdog 7.1.0 reports on Linux for each change these tests make, recorded once with real observers
# (inotify, and polling every 0.1 s) and replayed below; a trailing '/' marks a folder. The end-to-end tests
# at the end of this file prove that real observers deliver an Excel save.
_EXCEL_OWNER = ["created inbox/~$register.xlsx", "modified inbox/", "opened inbox/~$register.xlsx",
                "modified inbox/~$register.xlsx", "closed inbox/~$register.xlsx", "modified inbox/",
                "created inbox/Cedd4100", "modified inbox/", "opened inbox/Cedd4100",
                "modified inbox/Cedd4100", "closed inbox/Cedd4100", "modified inbox/"]
_EXCEL_RENAME = ["moved inbox/Cedd4100 -> inbox/register.xlsx", "modified inbox/",
                 "deleted inbox/~$register.xlsx", "modified inbox/"]
RECORDED: dict[str, dict[str, list[str]]] = {
    "excel first save": {"native": _EXCEL_OWNER + _EXCEL_RENAME,
                         "polling": ["created inbox/register.xlsx", "modified inbox/"]},
    "excel save": {  # no 'modified' for the register itself: a watcher waiting for one misses every save
        "native": _EXCEL_OWNER + ["deleted inbox/register.xlsx", "modified inbox/"] + _EXCEL_RENAME,
        "polling": ["deleted inbox/register.xlsx", "created inbox/register.xlsx", "modified inbox/"]},
    # The same save caught between its two halves (a slow share): the original deleted, the temp file
    # renamed only later. The events are the recording above, split where the time passes.
    "excel save, original deleted": {
        "native": _EXCEL_OWNER + ["deleted inbox/register.xlsx", "modified inbox/"],
        "polling": ["deleted inbox/register.xlsx", "modified inbox/"]},
    "excel save, temp renamed": {"native": _EXCEL_RENAME,
                                 "polling": ["created inbox/register.xlsx", "modified inbox/"]},
    "template lembar_disposisi saved": {
        "native": ["created templates_docx/~WRLlemb.tmp", "modified templates_docx/",
                   "opened templates_docx/~WRLlemb.tmp", "modified templates_docx/~WRLlemb.tmp",
                   "closed templates_docx/~WRLlemb.tmp", "modified templates_docx/",
                   "moved templates_docx/~WRLlemb.tmp -> templates_docx/lembar_disposisi.docx",
                   "modified templates_docx/"],
        "polling": ["deleted templates_docx/lembar_disposisi.docx",
                    "created templates_docx/lembar_disposisi.docx", "modified templates_docx/"]},
    "photo in a new folder": {
        "native": ["created inbox/lampiran/", "modified inbox/", "created inbox/lampiran/017/",
                   "modified inbox/lampiran/", "created inbox/lampiran/017/foto 1.png",
                   "modified inbox/lampiran/017/"],
        "polling": ["created inbox/lampiran/017/foto 1.png", "modified inbox/", "created inbox/lampiran/",
                    "created inbox/lampiran/017/"]},
    "inbox removed": {
        "native": ["deleted inbox/register.xlsx", "modified inbox/", "deleted inbox/"],
        "polling": ["deleted inbox/"]},
}
_EVENT_TYPES: dict[tuple[str, bool], type[ev.FileSystemEvent]] = {
    ("created", False): ev.FileCreatedEvent, ("created", True): ev.DirCreatedEvent,
    ("modified", False): ev.FileModifiedEvent, ("modified", True): ev.DirModifiedEvent,
    ("deleted", False): ev.FileDeletedEvent, ("deleted", True): ev.DirDeletedEvent,
    ("moved", False): ev.FileMovedEvent, ("opened", False): ev.FileOpenedEvent,
    ("closed", False): ev.FileClosedEvent,
}


def recorded_events(root: Path, change: str, kind: str) -> list[ev.FileSystemEvent]:
    events = []
    for line in RECORDED[change][kind]:
        event_type, paths = line.split(" ", 1)
        src, _, dest = paths.partition(" -> ")
        cls = _EVENT_TYPES[event_type, src.endswith("/")]
        args = [str(root / src.rstrip("/"))] + ([str(root / dest)] if dest else [])
        events.append(cls(*args))
    return events


class VirtualTime:
    """The watcher's clock and its stop event in one. The loop only ever sleeps in ``stop.wait``: here a wait
    moves the clock on instead, running each scripted action when its moment comes, and sets the event once
    the clock reaches ``end``. An action that fails stops the loop; `Simulation.run` raises its error."""

    def __init__(self) -> None:
        self.now = 0.0
        self.end = 0.0
        self.failure: BaseException | None = None
        self._stopped = False
        self._actions: list[tuple[float, int, Callable[[], object]]] = []
        self._order = itertools.count()
        self._reads = 0

    def __call__(self) -> float:
        self._reads += 1
        if self._reads > 100_000:  # a loop that never waits would never end
            self.failure = self.failure or AssertionError("the watcher's loop runs without ever waiting")
            self._stopped = True
        return self.now

    def at(self, when: float, action: Callable[[], object]) -> None:
        heapq.heappush(self._actions, (when, next(self._order), action))

    def is_set(self) -> bool:
        return self._stopped

    def set(self) -> None:
        self._stopped = True

    def wait(self, timeout: float) -> bool:
        self._reads = 0
        until = self.now + timeout
        while self._actions and self._actions[0][0] <= until and not self._stopped:
            when, _, action = heapq.heappop(self._actions)
            self.now = max(self.now, when)
            try:
                action()
            except BaseException as err:  # raised here, the loop would log it and carry on
                self.failure = err
                self._stopped = True
        if not self._stopped:
            self.now = until
            self._stopped = self.now >= self.end
        return self._stopped


class FakeObserver:
    """Stands in for a watchdog observer: keeps the handler the watcher schedules, so recorded events can be
    handed to it. Like an inotify watch, a watch ends when its folder is deleted: a new folder of the same
    name is not watched until the watcher schedules it again."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.watches: list[tuple[ev.FileSystemEventHandler, Path, bool]] = []
        self.running = False
        self.emitters: list[Any] = []

    def schedule(self, handler: ev.FileSystemEventHandler, path: str, recursive: bool = False) -> None:
        self.watches.append((handler, Path(path), recursive))

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def join(self, timeout: float | None = None) -> None:
        pass

    def is_alive(self) -> bool:
        return self.running

    def deliver(self, event: ev.FileSystemEvent) -> None:
        path = Path(os.fsdecode(event.src_path))
        for watch in list(self.watches):
            handler, folder, recursive = watch
            inside = path in (folder, folder / path.name) or recursive and folder in path.parents
            if self.running and inside:
                handler.dispatch(event)
            if path == folder and event.event_type == "deleted":
                self.watches.remove(watch)


VIRTUAL = WatchOptions(today=TODAY, rescan_interval=0)  # otherwise as shipped: debounce 0.3 s, settle 30 s…
REGISTER = Path("inbox") / "register.xlsx"


class Simulation:
    """A Watcher on a real office folder with fake observers and a virtual clock: schedule changes with `at`
    (or `save`), then `run` the loop until the clock reaches a given second. Nothing sleeps."""

    def __init__(self, root: Path, mode: str, monkeypatch: pytest.MonkeyPatch,
                 run: Callable[[Settings], Any] = process, **options: Any) -> None:
        self.root = root.resolve()
        self.clock = VirtualTime()
        self.observers: list[FakeObserver] = []
        self.cycles: list[Cycle] = []
        monkeypatch.setattr("pipeline.watch.loop.native_observer", lambda: self._observer("native"))
        monkeypatch.setattr("pipeline.watch.loop.polling_observer",
                            lambda interval: self._observer("polling"))
        settings = Settings.build(root=root, today=TODAY, workers=1)
        chosen = replace(VIRTUAL, observer=mode, **options)
        self.watcher = Watcher(settings, chosen, self.cycles.append, run, clock=self.clock)

    def _observer(self, kind: str) -> FakeObserver:
        self.observers.append(FakeObserver(kind))
        return self.observers[-1]

    def deliver(self, change: str) -> None:
        """What the current observer reports for ``change`` (nothing when it is stopped or not watching)."""
        if self.observers:
            for event in recorded_events(self.root, change, self.observers[-1].kind):
                self.observers[-1].deliver(event)

    def at(self, when: float, action: Callable[[], object], change: str = "") -> None:
        """At ``when`` (virtual seconds), do ``action`` on disk, then deliver the events of ``change``."""
        def act() -> None:
            action()
            if change:
                self.deliver(change)
        self.clock.at(when, act)

    def save(self, when: float, hal: str) -> None:
        """An Excel save of the register at ``when``, and the events an observer reports for it."""
        def act() -> None:
            first = not (self.root / REGISTER).exists()
            save_register(self.root / REGISTER, hal)
            self.deliver("excel first save" if first else "excel save")
        self.clock.at(when, act)

    def run(self, until: float) -> list[Cycle]:
        unexpected: list[logging.LogRecord] = []
        catch = logging.Handler(logging.ERROR)
        catch.emit = lambda record: unexpected.append(record)  # type: ignore[method-assign]
        logging.getLogger("pipeline.watch").addHandler(catch)
        try:
            self.clock.end = until
            self.watcher.run_forever(self.clock)  # type: ignore[arg-type]
        finally:
            logging.getLogger("pipeline.watch").removeHandler(catch)
        if self.clock.failure is not None:
            raise self.clock.failure
        assert [r.getMessage() for r in unexpected if r.msg.startswith("Galat tak terduga")] == []
        assert self.cycles[0].changes == ("mulai",)
        assert not any(o.running for o in self.observers), "the observer was not stopped"
        return self.cycles

    def written(self, cycle: Cycle) -> set[str]:
        assert cycle.report is not None, cycle.error
        return {p.name for p in cycle.report.written}


def test_first_save_of_a_new_register_appears_exactly_once(office: Path, mode: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    sim = Simulation(office, mode, monkeypatch)
    sim.save(1.0, "Permohonan baru")
    cycles = sim.run(until=30)
    assert sim.written(cycles[0]) == set()  # nothing to do before the first save
    assert [c.changes for c in cycles[1:]] == [("inbox/register.xlsx",)]
    assert sim.written(cycles[1]) >= {"01 Lembar Disposisi.docx", "05 Berita Acara Pekerjaan.docx"}
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Permohonan baru"


def test_burst_of_50_saves_ends_with_the_last_one(office: Path, mode: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    save_register(office / REGISTER, "Simpan awal")
    sim = Simulation(office, mode, monkeypatch)
    for i in range(50):
        sim.save(1.0 + i * 0.1, f"Simpan {i}")  # 50 saves in 5 seconds
    cycles = sim.run(until=30)
    assert [c.changes for c in cycles[1:]] == [("inbox/register.xlsx",)]  # debounced: one cycle for the burst
    assert cycles[1].started >= cycles[1].last_event + VIRTUAL.debounce  # …once the folder was quiet
    assert cycles[1].report is not None and not cycles[1].report.has_errors
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Simpan 49"


def test_an_excel_save_is_processed_once_it_is_whole(office: Path, mode: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With the shipped settings: a save caught between Excel's delete and its rename is waited for (the
    register is never read half-saved), and the whole one is processed one quiet window and one
    stability check after its last event — the save pattern, not a long fixed wait, sets the pace."""
    save_register(office / REGISTER, "Sebelum")
    sim = Simulation(office, mode, monkeypatch)
    temp = office / "inbox" / "Cedd4100"

    def first_half() -> None:
        write_register(temp, [request(Hal="Sesudah")], [device()])
        (office / REGISTER).unlink()

    sim.at(1.0, first_half, "excel save, original deleted")
    sim.at(1.8, lambda: temp.rename(office / REGISTER), "excel save, temp renamed")
    cycles = sim.run(until=30)
    assert [c.changes for c in cycles[1:]] == [("inbox/register.xlsx",)]
    assert cycles[1].report is not None  # read whole: no problem but the office's missing logo.png
    assert [p.value for p in cycles[1].report.problems] == ["templates_docx/logo.png"]
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Sesudah"
    # Virtual seconds from the rename to process(): the shipped quiet window and stability check leave
    # a second of the 1.5 s budget from save to document for process() itself (docs/PERFORMANCE.md).
    assert cycles[1].last_event == 1.8 and cycles[1].settled - cycles[1].last_event <= 0.5


def test_corrupt_save_then_good_save_recovers(office: Path, mode: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    save_register(office / REGISTER, "Sebelum rusak")
    sim = Simulation(office, mode, monkeypatch)
    corrupt = b"bukan zip, file setengah tersimpan" * 100
    sim.at(1.0, lambda: excel_save(office / REGISTER, lambda temp: temp.write_bytes(corrupt)), "excel save")
    # Never a whole zip, so it is processed only once settle_timeout (30 s) has passed.
    seen: list[str] = []
    sim.at(50.0, lambda: seen.append(text(office / DISPOSISI)))
    sim.save(51.0, "Sesudah pulih")
    cycles = sim.run(until=80)
    assert [c.changes for c in cycles[1:]] == [("inbox/register.xlsx",)] * 2
    assert cycles[1].report is not None
    assert [p.source for p in cycles[1].report.problems if "logo.png" not in p.message] == ["register.xlsx"]
    assert seen == ["lembar_disposisi v1: 017 | Sebelum rusak"]  # …and the documents left untouched
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Sesudah pulih"
    assert all(c.error == "" for c in cycles)


def test_template_edit_rerenders_only_its_documents(office: Path, mode: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    save_register(office / REGISTER, "Hal tetap")
    sim = Simulation(office, mode, monkeypatch)
    sim.at(1.0, lambda: make_templates(office, marker="v2", only="lembar_disposisi"),
           "template lembar_disposisi saved")
    cycles = sim.run(until=30)
    assert [c.changes for c in cycles[1:]] == [("templates_docx/lembar_disposisi.docx",)]
    assert sim.written(cycles[1]) == {"01 Lembar Disposisi.docx"}
    assert text(office / DISPOSISI) == "lembar_disposisi v2: 017 | Hal tetap"
    assert "v1" in text(office / BERITA_ACARA)


def test_new_photo_updates_the_laporan_once(office: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    save_register(office / REGISTER, "Hal tetap")

    def add_photo() -> None:
        photos = office / "inbox" / "lampiran" / "017"
        photos.mkdir(parents=True)
        buf = io.BytesIO()
        Image.new("RGB", (40, 30), "red").save(buf, "PNG")
        (photos / "foto 1.png").write_bytes(buf.getvalue())  # one write, as a copy would

    sim = Simulation(office, mode, monkeypatch)
    sim.at(1.0, add_photo, "photo in a new folder")
    cycles = sim.run(until=30)
    assert len(cycles) == 2
    assert "inbox/lampiran/017/foto 1.png" in cycles[1].changes
    assert sim.written(cycles[1]) == {"06 Laporan Hasil Pelaksanaan.docx"}  # and nothing else


def test_survives_exceptions_from_process(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def flaky(settings: Settings) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise OSError(5, "Input/output error", str(settings.outbox))  # a share that blinked
        return process(settings)

    save_register(office / REGISTER, "Pertama")
    sim = Simulation(office, "native", monkeypatch, run=flaky)
    sim.save(1.0, "Kedua")
    cycles = sim.run(until=30)
    assert len(cycles) == 3
    assert cycles[1].report is None and "Input/output error" in cycles[1].error
    assert "inbox/register.xlsx" in cycles[2].changes  # the failed cycle's changes are carried over
    assert "coba lagi" in cycles[2].changes and cycles[2].error == ""
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Kedua"


def test_document_open_in_word_is_retried(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_register(office / REGISTER, "Lama")
    owner = office / FOLDER / "~$ Berita Acara Pekerjaan.docx"  # Word replaces the first two characters
    sim = Simulation(office, "native", monkeypatch)
    sim.at(1.0, lambda: owner.write_bytes(b"owner"))  # outbox/ is not watched: no events
    sim.save(2.0, "Baru")
    sim.at(20.0, owner.unlink)  # closed in Word; still no event, so only the retry can pick it up
    cycles = sim.run(until=60)
    assert [c.changes for c in cycles[1:]] == [("inbox/register.xlsx",), ("coba lagi",)]
    assert cycles[1].report is not None
    assert [p.name for p, _ in cycles[1].report.locked] == ["05 Berita Acara Pekerjaan.docx"]
    assert "01 Lembar Disposisi.docx" in sim.written(cycles[1])
    assert cycles[2].settled - cycles[1].finished >= VIRTUAL.locked_retry
    assert sim.written(cycles[2]) == {"05 Berita Acara Pekerjaan.docx"}
    assert text(office / BERITA_ACARA) == "berita_acara v1: 017 | Baru"


def test_inbox_vanishing_and_returning_keeps_watching(office: Path, mode: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    save_register(office / REGISTER, "Sebelum hilang")
    sim = Simulation(office, mode, monkeypatch)
    sim.at(1.0, lambda: shutil.rmtree(office / "inbox"), "inbox removed")
    seen: list[tuple[int, str]] = []

    def look() -> None:
        seen.append((len(sim.cycles), text(office / DISPOSISI)))

    sim.at(50.0, look)  # well past settle_timeout
    sim.at(51.0, lambda: (office / "inbox").mkdir())
    sim.save(51.0, "Sesudah kembali")  # the new inbox is not watched yet: these events are lost
    sim.at(69.0, look)
    sim.save(70.0, "Lagi")  # by now it is watched again
    cycles = sim.run(until=100)
    assert seen == [(1, "lembar_disposisi v1: 017 | Sebelum hilang"),  # a vanished inbox is not an empty one
                    (2, "lembar_disposisi v1: 017 | Sesudah kembali")]  # the remount's full cycle read it
    assert "folder dipasang ulang" in cycles[1].changes
    assert [c.changes for c in cycles[2:]] == [("inbox/register.xlsx",)]
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Lagi"


def test_register_still_being_copied_is_waited_for(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy onto a share polled every 5 s: the one event comes early, the bytes keep arriving after it."""
    whole = write_register(office / "salinan.xlsx", [request(Hal="Salinan utuh")], [device()]).read_bytes()
    chunks = [whole[i:i + 1000] for i in range(0, len(whole), 1000)]

    def append(chunk: bytes) -> None:
        with (office / REGISTER).open("ab") as fh:
            fh.write(chunk)

    sim = Simulation(office, "polling", monkeypatch)
    sim.at(1.0, lambda: append(b""), "excel first save")
    for i, chunk in enumerate(chunks):  # the rest arrives over 3 s, until well after the debounce
        sim.at(1.0 + (i + 1) * 3.0 / len(chunks), lambda chunk=chunk: append(chunk))
    cycles = sim.run(until=30)
    assert [c.changes for c in cycles[1:]] == [("inbox/register.xlsx",)]
    assert cycles[1].report is not None
    # The only problem: no logo.png in this bare office (a notice, once per run).
    assert [p for p in cycles[1].report.problems if p.value != "templates_docx/logo.png"] == []
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Salinan utuh"


def test_auto_falls_back_to_polling_when_native_cannot_start(office: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    save_register(office / REGISTER, "Awal")
    sim = Simulation(office, "auto", monkeypatch)

    def broken() -> Any:
        raise OSError(28, "inotify watch limit reached")
    monkeypatch.setattr("pipeline.watch.loop.native_observer", broken)
    sim.save(1.0, "Lewat polling")
    cycles = sim.run(until=30)
    assert sim.watcher.observer_kind == "polling" and [o.kind for o in sim.observers] == ["polling"]
    assert [c.changes for c in cycles[1:]] == [("inbox/register.xlsx",)]
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Lewat polling"


def test_periodic_rescan_runs_without_events(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_register(office / REGISTER, "Tetap")
    sim = Simulation(office, "native", monkeypatch, rescan_interval=60.0)
    cycles = sim.run(until=200)
    assert [c.changes for c in cycles[1:]] == [("pemindaian berkala",)] * 3
    assert all(sim.written(c) == set() for c in cycles[1:])


# --- real observers, real files, real time: one end-to-end test per observer kind ---------------------------

FAST = WatchOptions(observer="native", polling_interval=0.1, debounce=0.3, rescan_interval=0, today=TODAY,
                    stable_gap=0.05, settle_timeout=1.0, locked_retry=0)
DEADLINE = 60.0  # generous: only a broken watcher ever reaches it
QUIET = 2.0  # after the expected cycle, long enough for any duplicate cycle to show up


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


def test_excel_save_updates_documents_exactly_once(office: Path, mode: str) -> None:
    register = office / REGISTER
    save_register(register, "Hal lama")
    with watching_office(office, mode) as w:
        assert w.watcher.observer_kind == mode
        assert "lembar_disposisi v1: 017 | Hal lama" in text(office / DISPOSISI)
        save_register(register, "Hal baru")
        wait_for(lambda: "Hal baru" in text(office / DISPOSISI), "the updated Lembar Disposisi")
        time.sleep(QUIET)
        assert [c.changes for c in w.cycles[1:]] == [("inbox/register.xlsx",)]
        assert "01 Lembar Disposisi.docx" in w.written(w.cycles[1])
    assert text(office / DISPOSISI) == "lembar_disposisi v1: 017 | Hal baru"
    previous = list((office / FOLDER / "_riwayat").glob("01 Lembar Disposisi *.docx"))
    assert [text(p) for p in previous] == ["lembar_disposisi v1: 017 | Hal lama"]  # replaced exactly once


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
                                               ("/mnt/data nfs/kantor", True),
                                               ("/mnt/kantor/lokal/x", False)])
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
    toml.write_text('[watch]\nobserver = "polling"\npolling_interval = 3\ndebounce = 5.5\n'
                    'rescan_interval = 600\n')
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
                             TODAY.isoformat(), "--observer", "polling", "--interval", "0.1",
                             "--debounce", "0.2"],
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


def test_observer_kinds_are_one_enum_whatever_says_them() -> None:
    """A flag, the settings file or a test says 'polling'; the watcher compares Observer members."""
    from pipeline.errors import SettingsError
    from pipeline.settings import Observer
    assert WatchOptions(observer="polling").observer is Observer.POLLING  # type: ignore[arg-type]
    assert WatchOptions().observer is Observer.AUTO
    with pytest.raises(SettingsError, match="observer 'inotify' tidak dikenal"):
        WatchOptions(observer="inotify")  # type: ignore[arg-type]
