"""The watcher's loop: watches inbox/ and templates_docx/ and calls `process` whenever something changed,
and never dies.

Excel saves a register by writing a temp file, deleting the original and renaming the temp file
(docs/LIBRARIES.md, 'watchdog'), so any created/modified/moved/deleted event naming a register counts;
events are coalesced until the folders have been quiet for `debounce` seconds, the changed files are
checked to be stable and complete, and only then is `process` called, exactly as `sop-pipeline run` does.

The quiet window is short (0.3 s): Excel writes the whole workbook to its temp file, whose events are
ignored, and only then deletes and renames within milliseconds; a register missing between the two, still
growing (a copy) or not yet a whole zip is caught by the stability check, not by waiting longer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from pipeline.errors import BusyError
from pipeline.process import Caches, RunReport, process
from pipeline.register.reader import find_registers
from pipeline.settings import Observer, Settings, WatchOptions
from pipeline.watch.changes import RELEVANT_EVENTS, describe, opens_as_zip, relevant_kind, signature
from pipeline.watch.observers import (
    alive,
    folder_identity,
    is_network_folder,
    native_observer,
    polling_observer,
)

log = logging.getLogger(__name__)
BUSY_RETRY = 5.0  # seconds before trying again when another run held the office lock for all of lock_wait


@dataclass(frozen=True)
class Cycle:
    """One call of `process`, with monotonic timestamps so a benchmark can split the latency."""

    number: int
    changes: tuple[str, ...]  # relative paths, or reasons such as 'mulai' and 'pemindaian berkala'
    report: RunReport | None
    error: str  # the exception `process` raised, '' when it returned
    first_event: float
    last_event: float
    started: float  # quiet period over, stability check begins
    settled: float  # files stable, process() called
    finished: float


@dataclass
class _Pending:
    paths: dict[str, str] = field(default_factory=dict)  # relative path → kind
    reasons: list[str] = field(default_factory=list)
    first_event: float = 0.0
    last_event: float = float("-inf")

    def __bool__(self) -> bool:
        return bool(self.paths or self.reasons)


class _Events(FileSystemEventHandler):
    """Runs in the observer's thread: only records what changed, never acts on it."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in RELEVANT_EVENTS:
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.watcher.note_path(Path(os.fsdecode(raw)), event.is_directory)


class Watcher:
    """Call `run_forever(stop)`; it returns once ``stop`` is set and the current cycle has finished."""

    def __init__(self, settings: Settings, options: WatchOptions | None = None,
                 on_cycle: Callable[[Cycle], None] | None = None,
                 run: Callable[[Settings], RunReport] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = replace(settings, root=settings.root.resolve())  # event paths start with it
        self._clock = clock  # tests pass a virtual one, with a `stop` whose wait() advances it
        self.options = options or settings.watch
        self.on_cycle = on_cycle
        self.caches = Caches()  # kept between cycles: an unchanged register is not read again
        self._run = run or (lambda settings: process(settings, caches=self.caches))
        self.root = self.settings.root
        self.cycles = 0
        self.observer_kind = ""  # 'native' or 'polling' once started
        self._lock = threading.Lock()
        self._pending = _Pending()
        self._carry: dict[str, str] = {}  # changes of a cycle that failed, retried with the next one
        self._retry_at: float | None = None
        self._failures = 0
        self._unsettled_since: float | None = None
        self._observer: Any = None
        self._identity: dict[Path, tuple[int, int] | None] | None = None
        self._observer_retry_at = 0.0
        self._native_failed = False
        self._stop = threading.Event()
        self._tick = max(0.02, min(0.5, self.options.debounce / 2))

    # --- called from the observer thread -------------------------------------------------------
    def note_path(self, path: Path, is_directory: bool = False) -> None:
        kind = relevant_kind(self.root, path, is_directory)
        if kind is None:
            return
        rel = path.relative_to(self.root).as_posix()
        with self._lock:
            if not self._pending:
                self._pending.first_event = self._clock()
            self._pending.paths[rel] = kind
            self._pending.last_event = self._clock()

    def _note_reason(self, reason: str) -> None:
        with self._lock:
            if not self._pending:
                self._pending.first_event = self._clock()
            if reason not in self._pending.reasons:
                self._pending.reasons.append(reason)

    # --- the loop --------------------------------------------------------------------------------
    def run_forever(self, stop: threading.Event) -> None:
        self._stop = stop
        opts = self.options
        log.info("Memantau %s (inbox/, templates_docx/): jeda tenang %.1f s, pindai ulang %s.", self.root,
                 opts.debounce, f"tiap {opts.rescan_interval:.0f} s" if opts.rescan_interval else "mati")
        self._note_reason("mulai")
        next_rescan = self._clock() + opts.rescan_interval
        try:
            while not stop.is_set():
                try:
                    now = self._clock()
                    if opts.rescan_interval and now >= next_rescan:
                        self._note_reason("pemindaian berkala")
                        next_rescan = now + opts.rescan_interval
                    self._step()
                except Exception:  # the watcher itself must never die either
                    log.exception("Galat tak terduga di pemantau; tetap berjalan.")
                    stop.wait(1.0)
        except KeyboardInterrupt:  # a second Ctrl-C: stop now (writes are atomic, nothing is half-written)
            stop.set()
        finally:
            self._stop_observer()
            log.info("Pemantauan berhenti setelah %d putaran.", self.cycles)

    def _step(self) -> None:
        now = self._clock()
        self._supervise(now)
        if self._retry_at is not None and now >= self._retry_at:
            self._retry_at = None
            self._note_reason("coba lagi")
        with self._lock:
            dirty, last = bool(self._pending), self._pending.last_event
        if not dirty:
            self._stop.wait(self._tick)
            return
        quiet = now - last
        if quiet < self.options.debounce:
            # At least a millisecond: a remainder of 1e-16 would not move a clock that reads 3.8.
            self._stop.wait(max(0.001, min(self.options.debounce - quiet, self._tick)))
            return
        if not self.settings.inbox.is_dir():
            # An unmounted share is not an empty inbox: running now would empty REKAP.xlsx, or write
            # outbox/ onto the bare mount point. Wait; the folder's return triggers a full cycle.
            self._stop.wait(self._tick)
            return
        started = self._clock()
        unsettled = self._unsettled()
        if self._stop.is_set():
            return
        with self._lock:
            if self._pending.last_event > started:
                return  # more changes arrived while checking: wait for quiet again
        if unsettled:
            self._unsettled_since = self._unsettled_since or started
            if self._clock() - self._unsettled_since < self.options.settle_timeout:
                log.debug("Menunggu file selesai disimpan: %s", "; ".join(unsettled))
                self._stop.wait(max(0.05, min(1.0, self.options.debounce / 2)))
                return
            log.warning("File belum stabil setelah %.0f s, tetap diproses: %s",
                        self.options.settle_timeout, "; ".join(unsettled))
        self._unsettled_since = None
        with self._lock:
            pending, self._pending = self._pending, _Pending()
        self._cycle(pending, started)

    def _cycle(self, pending: _Pending, started: float) -> None:
        changes = {**self._carry, **pending.paths}
        self._carry = {}
        settings = replace(self.settings, today=self.options.today or date.today())  # a new day, a new cycle
        settled = self._clock()
        report: RunReport | None = None
        error = ""
        try:
            report = self._run(settings)
        except BusyError as err:  # a manual `run` or `arsip` holds outbox/: no failure, our turn comes next
            error = str(err)
            log.info("Menunggu giliran: %s.", err)
            self._carry = changes
            self._retry_at = self._clock() + BUSY_RETRY
        except Exception as err:  # an unreadable folder, a full disk…: log it, try again later
            error = f"{type(err).__name__}: {err}"
            log.exception("Putaran gagal (%s): %s; dicoba lagi.", describe(list(changes) + pending.reasons),
                          error)
            self._carry = changes
            self._failures += 1
            self._retry_at = self._clock() + min(2.0 ** self._failures, 60.0)
        finished = self._clock()
        self.cycles += 1
        if report is not None:
            self._failures = 0
            self._log_cycle(list(changes) + pending.reasons, report, finished - settled)
            if report.locked and self.options.locked_retry:
                self._retry_at = finished + self.options.locked_retry
        cycle = Cycle(self.cycles, tuple(changes) + tuple(pending.reasons), report, error,
                      pending.first_event, pending.last_event, started, settled, finished)
        if self.on_cycle is not None:
            try:
                self.on_cycle(cycle)
            except Exception:
                log.exception("on_cycle gagal")

    def _log_cycle(self, changes: list[str], report: RunReport, elapsed: float) -> None:
        for p in report.problems:  # unreadable registers, broken templates, documents open in Word
            log.warning("%s", p.describe())
        if report.recap_error:
            log.warning("%s", report.recap_error)
        written = [p.relative_to(self.settings.outbox).as_posix() if p.is_relative_to(self.settings.outbox)
                   else p.name for p in report.written]
        log.info("Putaran %d · berubah: %s · %s%s · %.2f s", self.cycles, describe(changes), report.summary(),
                 f" Ditulis: {describe(written)}." if written else "", elapsed)

    def _unsettled(self) -> list[str]:
        """Changed files still being written, locked, missing registers or incomplete zips, with why."""
        with self._lock:
            paths = dict(self._pending.paths)
            full = bool(self._pending.reasons)
        targets = {self.root / rel: kind for rel, kind in {**self._carry, **paths}.items()}
        if full:
            targets.update({p: "register" for p in find_registers(self.settings.inbox)})
        first = {p: signature(p) for p in targets}
        if self._stop.wait(self.options.stable_gap):
            return []
        reasons: list[str] = []
        for path, kind in targets.items():
            second = signature(path)
            if second is None or first[path] is None:
                if kind == "register":  # Excel's delete → rename window, or a share that blinked
                    reasons.append(f"{path.name} belum ada" if second is None else f"{path.name} baru muncul")
            elif second != first[path]:
                reasons.append(f"{path.name} masih ditulis")
            elif path.suffix.lower() in (".xlsx", ".docx") and not opens_as_zip(path):
                reasons.append(f"{path.name} belum utuh atau terkunci")
        return reasons

    # --- the observer --------------------------------------------------------------------------
    def _folders(self) -> list[tuple[Path, bool]]:
        return [(self.settings.inbox, True), (self.settings.templates, False)]

    def _supervise(self, now: float) -> None:
        """Restart the observer when a watched folder vanished, came back or changed, or it died."""
        identity = {folder: folder_identity(folder) for folder, _ in self._folders()}
        if identity != self._identity:
            if self._identity is not None:
                log.warning("Folder yang dipantau berubah (%s); pemantau dipasang ulang.",
                            ", ".join(f"{f.name}: {'ada' if i else 'hilang'}" for f, i in identity.items()))
                self._note_reason("folder dipasang ulang")
            self._identity = identity
            self._restart_observer(now)
        elif self._observer is not None and not alive(self._observer):
            log.warning("Pemantau berhenti; dipasang ulang.")
            self._note_reason("pemantau dipasang ulang")
            self._restart_observer(now)
        elif self._observer is None and any(identity.values()) and now >= self._observer_retry_at:
            self._restart_observer(now)

    def _restart_observer(self, now: float) -> None:
        self._stop_observer()
        folders = [(f, r) for f, r in self._folders() if f.is_dir()]
        if not folders:
            return
        mode = self.options.observer
        if mode is Observer.AUTO:
            mode = Observer.POLLING if self._native_failed else Observer.NATIVE
            if mode is Observer.NATIVE and is_network_folder(self.root):
                log.info("%s ada di folder jaringan: memakai polling (peristiwa dari komputer lain tidak "
                         "sampai ke pemantau bawaan sistem).", self.root)
                mode = Observer.POLLING
        fallback = self.options.observer is Observer.AUTO and mode is Observer.NATIVE
        for attempt in (mode, Observer.POLLING) if fallback else (mode,):
            try:
                self._observer = self._start(attempt, folders)
                return
            except Exception as err:  # inotify limits, shares without events, a folder gone meanwhile
                if attempt is Observer.NATIVE and fallback:
                    log.warning("Pemantau bawaan sistem tidak dapat dimulai (%s); beralih ke polling "
                                "tiap %g s.", err, self.options.polling_interval)
                    self._native_failed = True
                else:
                    log.error("Pemantau %s tidak dapat dimulai: %s; dicoba lagi nanti.", attempt, err)
                    self._observer_retry_at = now + 10.0

    def _start(self, mode: Observer, folders: list[tuple[Path, bool]]) -> Any:
        if mode is Observer.NATIVE:
            observer = native_observer()
        else:
            observer = polling_observer(self.options.polling_interval)
        handler = _Events(self)
        try:
            for folder, recursive in folders:
                observer.schedule(handler, str(folder), recursive=recursive)
            observer.start()
        except BaseException:
            with contextlib.suppress(Exception):
                observer.stop()
            raise
        self.observer_kind = mode.value
        log.info("Pemantau %s (%s)%s: %s", mode.value, type(observer).__name__,
                 f" tiap {self.options.polling_interval:g} s" if mode is Observer.POLLING else "",
                 ", ".join(f.name + "/" for f, _ in folders))
        return observer

    def _stop_observer(self) -> None:
        observer, self._observer = self._observer, None
        if observer is None:
            return
        with contextlib.suppress(Exception):
            observer.stop()
            observer.join(timeout=5)
