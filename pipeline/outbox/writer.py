"""Writes request folders: each folder's changed documents rendered and replaced atomically (the previous
version kept in _riwayat/), then its manifest and STATUS.txt, then the folder flushed once. Serially in this
process, or spread over a pool of render processes for a big build — the same files either way
(tests/test_speed.py runs both)."""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
    wait,
)
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.documents.render import LoadedTemplate, render_bytes
from pipeline.errors import OutboxError
from pipeline.outbox import files as ob
from pipeline.outbox.manifest import Manifest
from pipeline.problems import Problem, error, warning

if TYPE_CHECKING:
    from pipeline.documents.fastdocx import FastTemplates

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
    status: str = ""  # STATUS.txt as it reads once the folder holds the documents ``present``
    present: tuple[str, ...] = ()


@dataclass
class FolderResult:
    written: list[Path] = field(default_factory=list)
    locked: list[tuple[Path, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reasons: dict[Path, str] = field(default_factory=dict)  # each written document → why (PlannedDocument)
    folder: Path | None = None
    status_stale: bool = False  # the folder holds other documents than planned: STATUS.txt left to the run


def write_folder(job: FolderJob, now: datetime, fast: FastTemplates | None = None) -> FolderResult:
    """Render one request's changed documents, write them, then its manifest and STATUS.txt, then flush
    the folder once. Never raises.

    Durability: every file is written to a temporary file and renamed into place (files.atomic_write), so no
    reader ever sees half of one. Each document is flushed before its rename, side by side in threads so
    that their flushes share the disk's commits. The manifest and STATUS.txt — bookkeeping that the next
    run rebuilds from the register if a power cut takes them — are not flushed one by one: the folder is
    flushed once at the end, which also makes every rename durable before a document is reported written."""
    result = FolderResult(folder=job.folder)
    manifest = Manifest.load(job.folder)
    rendered: list[tuple[PlannedDocument, bytes]] = []
    for doc in job.docs:
        try:
            rendered.append((doc, render_bytes(doc.template, doc.context, fast)))
        except Exception as err:  # one bad document must not stop the others
            result.problems.append(error(doc.template.spec.template, None, "", job.agenda,
                                         f"Dokumen '{doc.filename}' untuk No. Agenda {job.agenda} gagal "
                                         f"dibuat: {type(err).__name__}: {err}",
                                         "Periksa templat dan isian permohonan ini.",
                                         agenda=job.agenda, place="Templat"))
    outcomes = list(_writers().map(lambda item: _write_document(job.folder / item[0].filename, item[1], now,
                                                                job.agenda), rendered))
    for (doc, data), (written, locked, problems) in zip(rendered, outcomes):
        result.locked += locked
        result.problems += problems
        if written:
            result.written.append(job.folder / doc.filename)
            manifest.record(doc.filename, doc.sidik, data, {"templat": doc.template.digest})
            result.reasons[job.folder / doc.filename] = doc.alasan
    manifest.request_key = job.masukan if len(result.written) == len(job.docs) else ""
    if result.written:
        try:
            manifest.save(fsync=False)
        except OSError as err:
            result.problems.append(error("", None, "", str(manifest.path),
                                         f"Manifest tidak dapat ditulis: {err}",
                                         "Periksa ruang disk dan izin tulis outbox.", agenda=job.agenda))
    if job.status:
        present = sorted(p.name for p in job.folder.glob("*.docx")) if job.folder.is_dir() else []
        if tuple(present) != job.present:
            result.status_stale = True  # a document failed or a clerk added one: the run writes STATUS.txt
        else:
            try:
                write_if_changed(job.folder / "STATUS.txt", job.status)
            except (OSError, OutboxError) as err:
                result.problems.append(status_problem(job.folder, err, job.agenda))
    _flush_folder(job.folder)
    return result


def write_if_changed(path: Path, text: str) -> None:
    """STATUS.txt, rewritten only when it changed, never through a link; not flushed on its own (see
    write_folder)."""
    ob.write_text_if_changed(path, text, root=path.parent, fsync=False)


def status_problem(folder: Path, err: OSError | OutboxError, agenda: str = "") -> Problem:
    return error("", None, "", str(folder.name), f"STATUS.txt tidak dapat ditulis: {err}",
                 "Periksa izin tulis folder outbox.", agenda=agenda)


_WRITERS: ThreadPoolExecutor | None = None


def _writers() -> ThreadPoolExecutor:
    """This process's writing threads (made on first use; a forked worker makes its own)."""
    global _WRITERS
    if _WRITERS is None:
        _WRITERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="tulis")
    return _WRITERS


def _flush_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (a directory cannot be opened for this on Windows, where the
    rename is already written through)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_document(target: Path, data: bytes, now: datetime, agenda: str
                    ) -> tuple[bool, list[tuple[Path, str]], list[Problem]]:
    """(written, locked, problems) for one document; runs in a writing thread."""
    reason = ob.is_locked(target)
    if reason:
        return False, [(target, reason)], [_locked_problem(target, reason, agenda)]
    try:
        ob.refuse_links(target.parent, target)  # the folder itself was checked with the request
        if os.path.lexists(target) and ob.read_regular(target) != data:
            ob.keep_previous(target, now, root=target.parent)
        ob.atomic_write(target, data, root=target.parent)
    except PermissionError as err:
        return False, [(target, "terkunci")], [_locked_problem(target, f"terkunci ({err.strerror})", agenda)]
    except (OSError, OutboxError) as err:
        return False, [], [error(target.name, None, "", agenda,
                                 f"Dokumen '{target.name}' tidak dapat ditulis: {err}",
                                 "Periksa ruang disk dan izin tulis outbox; dokumen lama tetap utuh.",
                                 agenda=agenda, place="Dokumen")]
    return True, [], []


def _locked_problem(target: Path, reason: str, agenda: str) -> Problem:
    return warning("", None, "", target.name, f"Dokumen '{target.name}' {reason}, jadi belum diperbarui.",
                   "Tutup dokumen itu di Word; pipeline akan memperbaruinya pada putaran berikutnya.",
                   agenda=agenda)


# --- the pool of render processes ----------------------------------------------------------------------

# a render process's own prepared templates (set by its initializer)
_worker_fast: FastTemplates | None = None


def _worker_start(parent: int) -> None:
    """In each render process: its own fast renderers, and an exit when the run that started it is gone
    (killed, say), instead of lingering."""
    from pipeline.documents import fastdocx
    global _worker_fast, _WRITERS
    _worker_fast = fastdocx.FastTemplates()
    _WRITERS = None  # threads do not survive a fork

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)
    threading.Thread(target=watch_parent, daemon=True).start()


def _write_in_worker(job: FolderJob, now: datetime) -> FolderResult:
    return write_folder(job, now, _worker_fast)


def start_pool(workers: int) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(os.getpid(),))
    pool.submit(int)  # forks the workers now; they load the render libraries while this process goes on
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
