"""The one entry point: read every register, validate, write each request's documents, write the recap.
`sop-pipeline run` and the watcher both call `process`."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.outbox import files as ob
from pipeline.outbox.archive import mark_changed_since_archive, request_folder
from pipeline.documents.fields import FIELDS_VERSION, FieldBuilder, fingerprint, sample_contexts
from pipeline.errors import OutboxError, RegisterError
from pipeline.monev.kinerja import kinerja_figures
from pipeline.outbox.pdf import PdfReport, convert_to_pdf, outbox_documents
from pipeline.problems import Problem, error, warning
from pipeline.outbox.recap import RECAP_NAME, recap_bytes, recap_digest, status_text, stored_digest
from pipeline.register.reader import find_registers, read_register, unreadable_spreadsheets
from pipeline.documents.render import LoadedTemplate, TemplateSet, load_templates, render_bytes
from pipeline.settings import Settings
from pipeline.sop.staff import Staff
from pipeline.validate import Assessment, Validation, due_documents, validate_register

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
_PARALLEL_FROM = 12  # below this many documents a process pool costs more than it saves


@dataclass
class RunReport:
    validations: list[Validation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # unreadable registers, broken templates, write failures
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    held: int = 0  # requests whose documents were held back by errors
    locked: list[tuple[Path, str]] = field(default_factory=list)
    recap: Path | None = None
    recap_error: str = ""
    pdf: PdfReport | None = None  # when settings.pdf: the PDF conversion of this run

    @property
    def requests(self) -> int:
        return sum(len(v.assessments) for v in self.validations)

    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for v in self.validations for p in v.all_problems())]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.all_problems())

    def summary(self) -> str:
        text = (f"{self.requests} permohonan: {len(self.written)} dokumen ditulis, {self.unchanged} tidak berubah, "
                f"{self.held} permohonan ditahan karena galat")
        if self.locked:
            text += f", {len(self.locked)} dokumen terkunci (dicoba lagi nanti)"
        return text + "."


def check(settings: Settings) -> RunReport:
    """Read and validate every register; write nothing."""
    report = RunReport()
    report.problems += unreadable_spreadsheets(settings.inbox)
    for path in find_registers(settings.inbox):
        _read_and_validate(path, settings, report)
    return report


# A long-lived process (watch mode) re-reads a register only when its bytes changed.
_VALIDATED: dict[Path, tuple[str, Settings, Validation]] = {}


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _read_and_validate(path: Path, settings: Settings, report: RunReport) -> Validation | None:
    digest = _file_digest(path)
    cached = _VALIDATED.get(path)
    if digest and cached and cached[0] == digest and cached[1] == settings:
        validation = mark_changed_since_archive(settings.outbox, cached[2])
        report.validations.append(validation)
        return validation
    try:
        register = read_register(path, settings.max_register_bytes)
    except RegisterError as err:
        report.problems.append(replace(error(
            "", None, "", path.name, str(err),
            "Perbaiki atau simpan ulang register dari Excel; permohonan di register ini belum diproses."),
            source=path.name))
        log.warning("%s", err)
        return None
    validation = validate_register(register, settings.today)
    # Keyed by the bytes actually read: a save between hashing and copying must not pin a stale result.
    _VALIDATED[path] = (register.digest, settings, validation)
    # Outside the cache: whether a request changed since it was archived depends on outbox/_arsip too.
    validation = mark_changed_since_archive(settings.outbox, validation)
    report.validations.append(validation)
    return validation


@dataclass(frozen=True)
class _Doc:
    filename: str
    template: LoadedTemplate
    context: dict[str, Any]
    sidik: str


@dataclass(frozen=True)
class _FolderJob:
    """Everything one request folder needs written; folders are independent, so they run in parallel."""

    folder: Path
    agenda: str
    docs: tuple[_Doc, ...]
    masukan: str  # the request's input digest, recorded once every document is written


@dataclass
class _FolderResult:
    written: list[Path] = field(default_factory=list)
    locked: list[tuple[Path, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def process(settings: Settings, progress: Progress | None = None) -> RunReport:
    """Validate every register and bring outbox/ in step with it. Never raises for bad data."""
    report = RunReport()
    settings.outbox.mkdir(parents=True, exist_ok=True)
    ob.clean_stale_temps(settings.outbox)
    registers = find_registers(settings.inbox)
    report.problems += unreadable_spreadsheets(settings.inbox)
    templates = load_templates(settings.templates, sample_contexts(settings.today),
                               cache=settings.outbox / "_log" / "templat-lolos.json")
    report.problems += templates.problems
    statuses: list[tuple[Path, Assessment, Validation, list[str]]] = []
    used_folders: dict[Path, str] = {}
    # Render processes are forked now, while this process is small, not after it has read the register.
    early = _start_pool(settings) if registers and settings.workers > 1 else None
    try:
        validations = [v for v in (_read_and_validate(path, settings, report) for path in registers) if v]
        # Planned lazily and rendered while the rest is planned: memory stays flat however long the register.
        jobs = (job for v in validations for job in _plan(v, settings, templates, report, statuses, used_folders))
        _execute(jobs, sum(len(v.assessments) for v in validations), settings, report, progress,
                 lambda: early or _start_pool(settings))
    finally:
        if early is not None:
            early.shutdown(cancel_futures=True)
    if settings.pdf:  # missing or out-of-date PDFs, for every document (not only this run's)
        report.pdf = convert_to_pdf(outbox_documents(settings.outbox))
        report.problems += report.pdf.problems
    for folder, a, validation, docs in statuses:
        try:
            present = sorted(p.name for p in folder.glob("*.docx")) if folder.is_dir() else docs
            ob.write_text_if_changed(folder / "STATUS.txt", status_text(a, validation, settings.today, present))
        except OSError as err:
            report.problems.append(error("", None, "", str(folder.name), f"STATUS.txt tidak dapat ditulis: {err}",
                                         "Periksa izin tulis folder outbox."))
    _write_recap(settings, report)
    return report


def _plan(validation: Validation, settings: Settings, templates: TemplateSet, report: RunReport,
          statuses: list[Any], used_folders: dict[Path, str]) -> Iterator[_FolderJob | None]:
    """One item per request: the work its folder needs, or None when it needs none."""
    register = validation.register
    staff = Staff.from_records(register.pegawai)
    logo = settings.templates / "logo.png"
    builder = FieldBuilder(register, staff, settings.today, settings.lampiran, logo, settings.max_photo_bytes)
    devices: dict[str, list[Any]] = defaultdict(list)
    for d in register.perangkat:
        devices[d.text("no_agenda")].append(d)
    # Everything a request's documents depend on besides its own rows: one digest per run.
    shared = hashlib.sha256(json.dumps([
        FIELDS_VERSION, settings.today.isoformat(), dict(register.pengaturan),
        [r.values for r in register.pegawai], sorted((k, t.digest) for k, t in templates.templates.items()),
        builder.logo_digest()], sort_keys=True, default=str).encode()).hexdigest()
    for a in validation.assessments:
        folder = request_folder(settings.outbox, a)
        key = f"{register.name}\x00{a.agenda}"
        # Folders compare case-insensitively: Windows and SMB shares see 'DINKES' and 'Dinkes' as one.
        if folder is not None and used_folders.setdefault(Path(str(folder).casefold()), key) != key:
            folder = None  # another request (or the same one in another register) already owns this folder
            report.problems.append(replace(error(
                "Permohonan", a.record.row, register.header("Permohonan", "no_agenda"), a.agenda,
                f"Folder dokumen untuk No. Agenda {a.agenda} sudah dipakai permohonan lain dengan No. Agenda dan "
                "Perangkat Daerah yang sama (atau hanya beda huruf besar/kecil).",
                "Pastikan setiap permohonan punya No. Agenda sendiri.", agenda=a.agenda), source=register.name))
        docs = due_documents(a.record, devices.get(a.agenda, []))
        if folder is not None:
            statuses.append((folder, a, validation, [d.filename for d in docs]))
        if a.held or validation.blocked or folder is None:
            report.held += 1
            yield None
            continue
        manifest = ob.Manifest.load(folder)
        photos, photo_problems = builder.photos(a.agenda)
        report.problems += [replace(p, source=register.name) for p in photo_problems]
        own = devices.get(a.agenda, [])
        # An unchanged request costs nothing: same rows, same shared inputs, documents still on disk.
        masukan = hashlib.sha256(json.dumps([shared, a.record.values, [d.values for d in own], photos],
                                            sort_keys=True, default=str).encode()).hexdigest()
        files = [doc.filename for doc in docs if templates.get(doc.key)]
        if manifest.request_key == masukan and all(manifest.present(f) for f in files):
            report.unchanged += len(files)
            yield None
            continue
        todo: list[_Doc] = []
        for doc in docs:
            tpl = templates.get(doc.key)
            if tpl is None:
                continue  # reported once as a template problem
            context = builder.context(doc, a.record, own, photos)
            sidik = fingerprint(context, tpl.digest, tpl.fields)
            if manifest.unchanged(doc.filename, sidik):
                report.unchanged += 1
                continue
            todo.append(_Doc(doc.filename, tpl, context, sidik))
        if todo:
            yield _FolderJob(folder, a.agenda, tuple(todo), masukan)
            continue
        if len(files) == len(docs):
            manifest.request_key = masukan
            with contextlib.suppress(OSError):
                manifest.save()
        yield None


def _run_folder(job: _FolderJob, now: datetime) -> _FolderResult:
    """Render and write one request's changed documents, then its manifest. Never raises."""
    result = _FolderResult()
    manifest = ob.Manifest.load(job.folder)
    for doc in job.docs:
        target = job.folder / doc.filename
        try:
            data = render_bytes(doc.template, doc.context)
        except Exception as err:  # one bad document must not stop the others
            result.problems.append(error(doc.template.spec.template, None, "", job.agenda,
                                         f"Dokumen '{doc.filename}' untuk No. Agenda {job.agenda} gagal dibuat: "
                                         f"{type(err).__name__}: {err}", "Periksa templat dan isian permohonan ini.",
                                         agenda=job.agenda))
            continue
        if _write_document(target, data, now, job.agenda, result):
            manifest.record(doc.filename, doc.sidik, data, {"templat": doc.template.digest})
    manifest.request_key = job.masukan if len(result.written) == len(job.docs) else ""
    if result.written:
        try:
            manifest.save()
        except OSError as err:
            result.problems.append(error("", None, "", str(manifest.path), f"Manifest tidak dapat ditulis: {err}",
                                         "Periksa ruang disk dan izin tulis outbox.", agenda=job.agenda))
    return result


def _worker_start(parent: int) -> None:
    """In each render process: exit when the run that started it is gone (killed, say), instead of lingering."""
    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)
    threading.Thread(target=watch_parent, daemon=True).start()


def _start_pool(settings: Settings) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=settings.workers, initializer=_worker_start, initargs=(os.getpid(),))
    pool.submit(int).result()  # starts the workers
    return pool


def _execute(jobs: Iterator[_FolderJob | None], requests: int, settings: Settings, report: RunReport,
             progress: Progress | None, pool_factory: Callable[[], ProcessPoolExecutor]) -> None:
    """Run the folder jobs as they are planned: serially for a handful of documents, otherwise in a pool of
    processes with a bounded number in flight. ``progress`` counts requests."""
    now = datetime.now()
    done = 0

    def collect(result: _FolderResult) -> None:
        report.written += result.written
        report.locked += result.locked
        report.problems += result.problems

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, requests)

    # Look ahead far enough to know whether a pool pays for itself.
    head: list[_FolderJob] = []
    pending_docs = 0
    for job in jobs:
        if job is None:
            tick()
            continue
        head.append(job)
        pending_docs += len(job.docs)
        if pending_docs >= _PARALLEL_FROM:
            break
    if pending_docs < _PARALLEL_FROM or settings.workers < 2:
        for job in itertools.chain(head, jobs):
            if job is not None:
                collect(_run_folder(job, now))
            tick()
        return
    window = settings.workers * 4
    with pool_factory() as pool:
        running: set[Future[_FolderResult]] = set()
        try:
            for job in itertools.chain(head, jobs):
                if job is None:
                    tick()
                    continue
                if len(running) >= window:
                    finished, running = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        collect(future.result())
                        tick()
                running.add(pool.submit(_run_folder, job, now))
            for future in as_completed(running):
                collect(future.result())
                tick()
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def _write_document(target: Path, data: bytes, now: datetime, agenda: str, result: _FolderResult) -> bool:
    reason = ob.is_locked(target)
    if reason:
        result.locked.append((target, reason))
        result.problems.append(_locked_problem(target, reason, agenda))
        return False
    try:
        if target.exists() and target.read_bytes() != data:
            ob.keep_previous(target, now)
        ob.atomic_write(target, data)
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


def _write_recap(settings: Settings, report: RunReport) -> None:
    target = settings.outbox / RECAP_NAME
    try:
        kinerja = kinerja_figures(report.validations, settings.today, settings.lampiran)  # sheet Kinerja
        digest = recap_digest(report.validations, settings.today, report.problems, kinerja)
        if stored_digest(target) == digest:
            report.recap = target
            return
        data = recap_bytes(report.validations, settings.today, report.problems, digest, kinerja)
    except Exception as err:  # the recap must never stop the documents
        report.recap_error = f"REKAP.xlsx tidak dapat dibuat: {err}"
        return
    reason = ob.is_locked(target)
    try:
        if reason:
            raise PermissionError(reason)
        ob.atomic_write(target, data)
        report.recap = target
    except OSError as err:
        report.recap_error = (f"REKAP.xlsx tidak diperbarui: {reason or err}. Tutup file itu di Excel; "
                              "rekap diperbarui pada putaran berikutnya.")
