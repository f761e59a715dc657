"""The one entry point: read every register, validate, write each request's documents, write the recap.
`sop-pipeline run`, `arsip` and the watcher all call these functions."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import RegisterError
from pipeline.outbox import files as ob
from pipeline.problems import Problem, error
from pipeline.runcache import Answer, RunMemory
from pipeline.settings import Settings

if TYPE_CHECKING:  # the rest is imported by the runs that use it: a run with nothing to do loads none of it
    from pipeline.documents.checks import CheckedTemplates
    from pipeline.documents.fastdocx import FastTemplates
    from pipeline.outbox.archive import ArchiveReport, FileMemo
    from pipeline.outbox.pdf import PdfReport
    from pipeline.outbox.writer import FolderResult
    from pipeline.validate import Validation

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


@dataclass
class Caches:
    """What a caller that runs more than once (the watcher) keeps between runs. Every entry is keyed by the
    bytes it was computed from, so none can be stale; a plain `sop-pipeline run` starts with an empty one."""

    registers: dict[Path, tuple[str, Settings, Validation]] = field(default_factory=dict)  # by register digest
    templates: CheckedTemplates = field(default_factory=lambda: _new("checked"))
    fast: FastTemplates = field(default_factory=lambda: _new("fast"))
    archives: FileMemo = field(default_factory=lambda: _new("archives"))


def _new(kind: str) -> Any:
    if kind == "checked":
        from pipeline.documents.checks import CheckedTemplates
        return CheckedTemplates()
    if kind == "fast":
        from pipeline.documents.fastdocx import FastTemplates
        return FastTemplates()
    from pipeline.outbox.archive import FileMemo
    return FileMemo()


class _Unread(list["Validation"]):
    """The validations of a replayed run (nothing changed since the last complete run): read and
    validated only if someone asks for them — `arsip`, say — never for the run itself."""

    def __init__(self, load: Callable[[], list[Validation]]) -> None:
        super().__init__()
        self._load: Callable[[], list[Validation]] | None = load

    def _read(self) -> None:
        if self._load is not None:
            load, self._load = self._load, None
            self.extend(load())

    def __len__(self) -> int:
        self._read()
        return super().__len__()

    def __iter__(self) -> Iterator[Validation]:
        self._read()
        return super().__iter__()

    def __getitem__(self, index: Any) -> Any:
        self._read()
        return super().__getitem__(index)

    def __eq__(self, other: object) -> bool:
        self._read()
        return super().__eq__(other)


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
    replay: Answer | None = None  # nothing had changed: the last complete run's answer (runcache.py)

    @property
    def requests(self) -> int:
        if self.replay is not None:
            return self.replay.requests
        return sum(len(v.assessments) for v in self.validations)

    def all_problems(self) -> list[Problem]:
        if self.replay is not None:
            return [*self.problems, *self.replay.assessed]
        return [*self.problems, *(p for v in self.validations for p in v.all_problems())]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.all_problems())

    def unsettled_folders(self, outbox: Path) -> set[Path]:
        """Folders this run could not bring up to date: a document locked, or failed to render or write."""
        from pipeline.outbox.folders import request_folder
        folders = {path.parent for path, _ in self.locked}
        failed = {p.agenda for p in self.problems if p.is_error and p.agenda}
        for v in self.validations:
            for a in v.assessments:
                if a.agenda in failed and (folder := request_folder(outbox, a)) is not None:
                    folders.add(folder)
        return folders

    def summary(self) -> str:
        text = (f"{self.requests} permohonan: {len(self.written)} dokumen ditulis, {self.unchanged} tidak berubah, "
                f"{self.held} permohonan ditahan karena galat")
        if self.locked:
            text += f", {len(self.locked)} dokumen terkunci (dicoba lagi nanti)"
        return text + "."


def check(settings: Settings, caches: Caches | None = None) -> RunReport:
    """Read and validate every register; write nothing."""
    from pipeline.register.reader import find_registers, unreadable_spreadsheets
    caches = caches or Caches()
    report = RunReport()
    report.problems += unreadable_spreadsheets(settings.inbox)
    for path in find_registers(settings.inbox):
        _read_and_validate(path, settings, report, caches)
    return report


def process(settings: Settings, progress: Progress | None = None, caches: Caches | None = None, *,
            replay: bool = True) -> RunReport:
    """Validate every register and bring outbox/ in step with it. Never raises for bad data.

    When nothing it depends on changed since the last complete run and outbox/ is as that run left it,
    that run's answer is given without reading anything (runcache.py); ``replay=False`` always reads
    (arsip needs the validations themselves)."""
    memory = RunMemory(settings)
    if replay and (answer := memory.replay()) is not None:
        from pipeline.outbox.recap import RECAP_NAME

        def read() -> list[Validation]:
            from pipeline.register.reader import find_registers
            scratch, memo = RunReport(), caches or Caches()
            found = (_read_and_validate(p, settings, scratch, memo) for p in find_registers(settings.inbox))
            return [v for v in found if v]
        return RunReport(validations=_Unread(read), problems=list(answer.problems),
                         unchanged=answer.unchanged, held=answer.held,
                         recap=settings.outbox / RECAP_NAME if answer.recap else None, replay=answer)
    memory.forget()  # before anything is written: a run stopped half-way leaves no memory to trust
    from concurrent.futures import ProcessPoolExecutor

    from pipeline.documents.checks import load_templates
    from pipeline.documents.sample import sample_contexts
    from pipeline.outbox.pdf import convert_to_pdf, outbox_documents
    from pipeline.outbox.plan import Tally, plan_folders, write_status
    from pipeline.outbox.writer import start_pool, write_folders
    from pipeline.register.reader import find_registers, unreadable_spreadsheets
    caches = caches or Caches()
    report = RunReport()
    unsettled = False  # something left for the next run: nothing to remember
    settings.outbox.mkdir(parents=True, exist_ok=True)
    ob.clean_stale_temps(settings.outbox)
    registers = find_registers(settings.inbox)
    report.problems += unreadable_spreadsheets(settings.inbox)
    templates = load_templates(settings.templates, sample_contexts(settings.today),
                               cache=settings.outbox / "_log" / "templat-lolos.json", checked=caches.templates)
    report.problems += templates.problems
    tally = Tally()
    # Render processes are forked now, while this process is small, not after it has read the register.
    early: ProcessPoolExecutor | None = start_pool(settings.workers) if registers and settings.workers > 1 else None
    done = 0

    stale: list[Path] = []

    def collect(result: FolderResult) -> None:
        nonlocal unsettled
        unsettled = unsettled or bool(result.locked or result.problems)
        if result.status_stale and result.folder is not None:
            stale.append(result.folder)
        report.written += result.written
        report.locked += result.locked
        report.problems += result.problems

    try:
        validations = [v for v in (_read_and_validate(path, settings, report, caches) for path in registers) if v]
        requests = sum(len(v.assessments) for v in validations)

        def tick() -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, requests)

        # Planned lazily and rendered while the rest is planned: memory stays flat however long the register.
        jobs = (job for v in validations for job in plan_folders(v, settings, templates, tally))
        write_folders(jobs, settings.workers, caches.fast, lambda: early or start_pool(settings.workers),
                      collect, tick)
    finally:
        if early is not None:
            early.shutdown(cancel_futures=True)
    for folder in stale:  # folders whose documents came out other than planned: STATUS.txt from here
        status = tally.statuses[folder]
        write_status(folder, status.assessment, status.validation, settings, tally)
    unsettled = unsettled or tally.unsettled
    report.held += tally.held
    report.unchanged += tally.unchanged
    report.problems += tally.problems
    if settings.pdf:  # missing or out-of-date PDFs, for every document (not only this run's)
        report.pdf = convert_to_pdf(outbox_documents(settings.outbox))
        report.problems += report.pdf.problems
    _write_recap(settings, report)
    if not unsettled and report.recap is not None and report.validations and not report.pdf:
        assessed = tuple(p for v in report.validations for p in v.all_problems())
        answer = Answer(report.requests, tuple(v.register.name for v in report.validations),
                        tuple(report.problems), assessed, report.held, report.unchanged + len(report.written),
                        True)
        memory.remember(answer, {v.register.name: v.register.digest for v in report.validations})
    return report


def archive(settings: Settings, caches: Caches | None = None) -> tuple[RunReport, ArchiveReport]:
    """`sop-pipeline arsip`: bring outbox/ up to date, then archive every finished, error-free request."""
    from pipeline.outbox.archive import archive_requests
    caches = caches or Caches()
    report = process(settings, caches=caches, replay=False)
    result = archive_requests(settings, report.validations, settings.pdf, report.unsettled_folders(settings.outbox))
    return report, result


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _read_and_validate(path: Path, settings: Settings, report: RunReport, caches: Caches) -> Validation | None:
    from pipeline.outbox.archive import mark_changed_since_archive
    from pipeline.register.reader import read_register
    from pipeline.validate import validate_register
    digest = _file_digest(path)
    cached = caches.registers.get(path)
    if digest and cached and cached[0] == digest and cached[1] == settings:
        validation = mark_changed_since_archive(settings.outbox, cached[2], caches.archives)
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
    caches.registers[path] = (register.digest, settings, validation)
    # Outside the cache: whether a request changed since it was archived depends on outbox/_arsip too.
    validation = mark_changed_since_archive(settings.outbox, validation, caches.archives)
    report.validations.append(validation)
    return validation


def _write_recap(settings: Settings, report: RunReport) -> None:
    from pipeline.monev.kinerja import kinerja_figures
    from pipeline.outbox.recap import RECAP_NAME, recap_bytes, recap_digest, stored_digest
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
