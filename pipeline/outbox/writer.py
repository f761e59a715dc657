"""Writes request folders: each folder's changed documents rendered and replaced atomically (the previous
version kept in _riwayat/), then its manifest. Serially in this process, or spread over a pool of render
processes for a big build — the same files either way (tests/test_speed.py runs both)."""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.documents.fastdocx import FastTemplates
from pipeline.documents.render import LoadedTemplate, render_bytes
from pipeline.errors import OutboxError
from pipeline.outbox import files as ob
from pipeline.outbox.manifest import Manifest
from pipeline.problems import Problem, error, warning

PARALLEL_FROM = 12  # below this many documents a process pool costs more than it saves


@dataclass(frozen=True)
class PlannedDocument:
    filename: str
    template: LoadedTemplate
    context: dict[str, Any]
    sidik: str  # the fingerprint recorded in the manifest once the document is written
    alasan: str = ""  # why it is written: new, template changed, values changed (outbox/cetak.py)


@dataclass(frozen=True)
class FolderJob:
    """Everything one request folder needs written; folders are independent, so they run in parallel."""

    folder: Path
    agenda: str
    docs: tuple[PlannedDocument, ...]
    masukan: str  # the request's input digest, recorded once every document is written


@dataclass
class FolderResult:
    written: list[Path] = field(default_factory=list)
    locked: list[tuple[Path, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reasons: dict[Path, str] = field(default_factory=dict)  # each written document → why (PlannedDocument)


def write_folder(job: FolderJob, now: datetime, fast: FastTemplates | None = None) -> FolderResult:
    """Render and write one request's changed documents, then its manifest. Never raises."""
    result = FolderResult()
    manifest = Manifest.load(job.folder)
    for doc in job.docs:
        target = job.folder / doc.filename
        try:
            data = render_bytes(doc.template, doc.context, fast)
        except Exception as err:  # one bad document must not stop the others
            result.problems.append(error(doc.template.spec.template, None, "", job.agenda,
                                         f"Dokumen '{doc.filename}' untuk No. Agenda {job.agenda} gagal dibuat: "
                                         f"{type(err).__name__}: {err}", "Periksa templat dan isian permohonan ini.",
                                         agenda=job.agenda))
            continue
        if _write_document(target, data, now, job.agenda, result):
            manifest.record(doc.filename, doc.sidik, data, {"templat": doc.template.digest})
            result.reasons[target] = doc.alasan
    manifest.request_key = job.masukan if len(result.written) == len(job.docs) else ""
    if result.written:
        try:
            manifest.save()
        except OSError as err:
            result.problems.append(error("", None, "", str(manifest.path), f"Manifest tidak dapat ditulis: {err}",
                                         "Periksa ruang disk dan izin tulis outbox.", agenda=job.agenda))
    return result


def _write_document(target: Path, data: bytes, now: datetime, agenda: str, result: FolderResult) -> bool:
    reason = ob.is_locked(target)
    if reason:
        result.locked.append((target, reason))
        result.problems.append(_locked_problem(target, reason, agenda))
        return False
    try:
        ob.refuse_links(target.parent, target)  # the folder itself was checked with the request
        if os.path.lexists(target) and ob.read_regular(target) != data:
            ob.keep_previous(target, now, root=target.parent)
        ob.atomic_write(target, data, root=target.parent)
    except PermissionError as err:
        result.locked.append((target, "terkunci"))
        result.problems.append(_locked_problem(target, f"terkunci ({err.strerror})", agenda))
        return False
    except (OSError, OutboxError) as err:
        result.problems.append(error(target.name, None, "", agenda, f"Dokumen '{target.name}' tidak dapat ditulis: "
                                     f"{err}", "Periksa ruang disk dan izin tulis outbox; dokumen lama tetap utuh.",
                                     agenda=agenda))
        return False
    result.written.append(target)
    return True


def _locked_problem(target: Path, reason: str, agenda: str) -> Problem:
    return warning("", None, "", target.name, f"Dokumen '{target.name}' {reason}, jadi belum diperbarui.",
                   "Tutup dokumen itu di Word; pipeline akan memperbaruinya pada putaran berikutnya.", agenda=agenda)


# --- the pool of render processes ----------------------------------------------------------------------

_worker_fast: FastTemplates | None = None  # a render process's own prepared templates (set by its initializer)


def _worker_start(parent: int) -> None:
    """In each render process: its own fast renderers, and an exit when the run that started it is gone
    (killed, say), instead of lingering."""
    global _worker_fast
    _worker_fast = FastTemplates()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)
    threading.Thread(target=watch_parent, daemon=True).start()


def _write_in_worker(job: FolderJob, now: datetime) -> FolderResult:
    return write_folder(job, now, _worker_fast)


def start_pool(workers: int) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(os.getpid(),))
    pool.submit(int).result()  # starts the workers
    return pool


def write_folders(jobs: Iterable[FolderJob | None], workers: int, fast: FastTemplates | None,
                  pool_factory: Callable[[], ProcessPoolExecutor], collect: Callable[[FolderResult], None],
                  tick: Callable[[], None]) -> None:
    """Run the folder jobs as they are planned (None: a request that needs nothing): serially for a handful
    of documents, otherwise in a pool of processes with a bounded number in flight. ``tick`` once per item."""
    now = datetime.now()
    items: Iterator[FolderJob | None] = iter(jobs)
    # Look ahead far enough to know whether a pool pays for itself.
    head: list[FolderJob] = []
    pending_docs = 0
    for job in items:
        if job is None:
            tick()
            continue
        head.append(job)
        pending_docs += len(job.docs)
        if pending_docs >= PARALLEL_FROM:
            break
    if pending_docs < PARALLEL_FROM or workers < 2:
        for job in itertools.chain(head, items):
            if job is not None:
                collect(write_folder(job, now, fast))
            tick()
        return
    window = workers * 4
    with pool_factory() as pool:
        running: set[Future[FolderResult]] = set()
        try:
            for job in itertools.chain(head, items):
                if job is None:
                    tick()
                    continue
                if len(running) >= window:
                    finished, running = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        collect(future.result())
                        tick()
                running.add(pool.submit(_write_in_worker, job, now))
            for future in as_completed(running):
                collect(future.result())
                tick()
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
