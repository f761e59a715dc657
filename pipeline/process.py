"""The one entry point: read every register, validate, write each request's documents, write the recap.
`sop-pipeline run`, `arsip` and the watcher all call these functions.

A run with nothing to do answers from the memory of the last complete run (runcache.py) and imports none of
the libraries that reading, rendering or writing need; everything else is imported by the run that uses it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.outbox import files as ob
from pipeline.outbox.lock import office_lock
from pipeline.problems import Problem, warning
from pipeline.runcache import Answer, RunMemory
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pipeline.documents.checks import CheckedTemplates
    from pipeline.documents.fastdocx import FastTemplates
    from pipeline.documents.photos import PhotoChecks
    from pipeline.outbox import cetak
    from pipeline.outbox.archive import ArchiveReport, FileMemo
    from pipeline.outbox.pdf import PdfReport
    from pipeline.outbox.plan import StatusJob
    from pipeline.outbox.writer import FolderResult
    from pipeline.validate import Validation

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (phase, done, total): the CLI draws bars, the core never prints
READING, WRITING, CONVERTING, ARCHIVING = "Membaca", "Menulis dokumen", "Membuat PDF", "Mengarsipkan"


def _checked() -> CheckedTemplates:
    from pipeline.documents.checks import CheckedTemplates
    return CheckedTemplates()


def _fast() -> FastTemplates:
    from pipeline.documents.fastdocx import FastTemplates
    return FastTemplates()


def _memo() -> FileMemo:
    from pipeline.outbox.archive import FileMemo
    return FileMemo()


@dataclass
class Caches:
    """What a caller that runs more than once (the watcher) keeps between runs. Every entry is keyed by the
    bytes it was computed from, so none can be stale; a plain `sop-pipeline run` starts with an empty one."""

    # by register digest
    registers: dict[Path, tuple[str, Settings, Validation]] = field(default_factory=dict)
    templates: CheckedTemplates = field(default_factory=_checked)
    fast: FastTemplates = field(default_factory=_fast)
    archives: FileMemo = field(default_factory=_memo)
    photos: PhotoChecks | None = None  # photos already decoded; loaded from outbox/_log/ when first needed


class _Unread(list["Validation"]):
    """The validations of a replayed run (nothing changed since the last complete run): read and
    validated only if someone asks for them, never for the run itself."""

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

    __hash__ = None  # a list


@dataclass
class RunReport:
    validations: list[Validation] = field(default_factory=list)
    # unreadable registers, broken templates, write failures
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    held: int = 0  # requests whose documents were held back by errors
    locked: list[tuple[Path, str]] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)  # registers that could not be read, and why
    no_register: bool = False  # inbox/ holds no register at all: every command says so and stops
    recap: Path | None = None
    recap_error: str = ""
    pdf: PdfReport | None = None  # when settings.pdf: the PDF conversion of this run
    # Perlu dicetak (outbox/cetak.py): why each document was written, this run's documents in request and
    # step order, the clerk's list since it was last cleared, and (settings.pdf) one PDF of this run's.
    reasons: dict[Path, str] = field(default_factory=dict)
    to_print: list[cetak.PrintItem] = field(default_factory=list)
    print_list: cetak.PrintList | None = None
    combined: cetak.Combined | None = None
    replay: Answer | None = None  # nothing had changed: the last complete run's answer (runcache.py)
    complete: bool = False  # nothing left undone (no document locked or failed, REKAP written): remembered

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
        text = (f"{self.requests} permohonan: {len(self.written)} dokumen ditulis, {self.unchanged} "
                f"tidak berubah, {self.held} permohonan ditahan karena galat")
        if self.locked:
            text += f", {len(self.locked)} dokumen terkunci (dicoba lagi nanti)"
        return text + "."


def check(settings: Settings, caches: Caches | None = None) -> RunReport:
    """Read and validate every register; write nothing. The same verdicts as `run` (one path to them)."""
    from pipeline.verdicts import validate_office
    caches = caches or Caches()
    report = RunReport()
    validate_office(settings, report, caches)
    return report


def process(settings: Settings, progress: Progress | None = None, caches: Caches | None = None, *,
            replay: bool = True) -> RunReport:
    """Validate every register and bring outbox/ in step with it. Never raises for bad data; raises BusyError
    when another run still holds outbox/ after ``settings.lock_wait`` seconds.

    When nothing it depends on changed since the last complete run and outbox/ is as that run left it,
    that run's answer is given without reading anything (runcache.py); ``replay=False`` always reads."""
    with office_lock(settings.outbox, settings.lock_wait, "run"):
        return _locked_run(settings, progress, caches, replay)


def _locked_run(settings: Settings, progress: Progress | None, caches: Caches | None,
                replay: bool) -> RunReport:
    """process() once the lock is held."""
    memory = RunMemory(settings)
    if replay and (answer := memory.replay()) is not None:
        return _replayed(settings, answer, caches)
    memory.forget()  # before anything is written: a run stopped half-way leaves no memory to trust
    report = _process(settings, progress, caches or Caches())
    _remember(memory, report)
    return report


def _replayed(settings: Settings, answer: Answer, caches: Caches | None) -> RunReport:
    from pipeline.outbox import cetak
    from pipeline.outbox.rekap_file import RECAP_NAME

    def read() -> list[Validation]:
        from pipeline.verdicts import validate_office
        return validate_office(settings, RunReport(), caches or Caches())  # its libraries only if asked
    return RunReport(validations=_Unread(read), problems=list(answer.problems), unchanged=answer.unchanged,
                     held=answer.held, recap=settings.outbox / RECAP_NAME if answer.recap else None,
                     print_list=cetak.load_list(settings.outbox), replay=answer)


def _remember(memory: RunMemory, report: RunReport) -> None:
    # A run that made PDFs has no memory to write to: RunMemory is off when settings.pdf.
    if report.complete and report.recap is not None and report.validations:
        assessed = tuple(p for v in report.validations for p in v.all_problems())
        answer = Answer(report.requests, tuple(v.register.name for v in report.validations),
                        tuple(report.problems), assessed, report.held, report.unchanged + len(report.written),
                        True)
        memory.remember(answer, {v.register.name: v.register.digest for v in report.validations})


def _process(settings: Settings, progress: Progress | None, caches: Caches) -> RunReport:
    from concurrent.futures import ProcessPoolExecutor

    from pipeline.documents.checks import load_templates
    from pipeline.documents.photos import check_logo
    from pipeline.documents.sample import sample_contexts
    from pipeline.outbox.pdf import convert_to_pdf, outbox_documents
    from pipeline.outbox.plan import Tally, missing_logo_warning, plan_folders, write_status
    from pipeline.outbox.rekap_file import write_recap
    from pipeline.outbox.writer import start_pool, write_folders
    from pipeline.register.reader import find_registers
    from pipeline.verdicts import save_photo_checks, validate_office
    report = RunReport()
    unsettled = False  # something left for the next run: nothing to remember
    ob.clean_stale_temps(settings.outbox)  # ours alone: nobody else holds the lock
    registers = find_registers(settings.inbox)
    templates = load_templates(settings.templates, lambda: sample_contexts(settings.today),
                               cache=settings.outbox / "_log" / "templat-lolos.json",
                               checked=caches.templates)
    report.problems += templates.problems
    logo, logo_problem = check_logo(settings.templates, caches.photos)  # checked like a photo; unusable: none
    if logo_problem is not None:
        report.problems.append(logo_problem)
    elif logo is None:
        report.problems.append(missing_logo_warning())
    tally = Tally()
    # Render processes are forked now, while this process is small, not after it has read the register.
    early: ProcessPoolExecutor | None = start_pool(settings.workers) if registers and settings.workers > 1 \
        else None
    done = 0
    stale: list[Path] = []

    def collect(result: FolderResult) -> None:
        nonlocal unsettled
        unsettled = unsettled or bool(result.locked or result.problems)
        if result.status_stale and result.folder is not None:
            stale.append(result.folder)
        report.written += result.written
        report.reasons.update(result.reasons)
        report.locked += result.locked
        report.problems += result.problems

    try:
        validations = validate_office(settings, report, caches, progress)
        save_photo_checks(settings, caches)
        requests = sum(len(v.assessments) for v in validations)

        def tick() -> None:
            nonlocal done
            done += 1
            if progress:
                progress(WRITING, done, requests)

        # Planned lazily and rendered while the rest is planned: memory stays flat however long the register.
        jobs = (job for v in validations for job in plan_folders(v, settings, templates, tally, logo))
        write_folders(jobs, settings.workers, caches.fast, lambda: early or start_pool(settings.workers),
                      collect, tick)
    finally:
        if early is not None:
            early.shutdown(cancel_futures=True)
    for folder in stale:  # folders whose documents came out other than planned: STATUS.txt from here
        status = tally.statuses[folder]
        write_status(folder, status.assessment, status.validation, settings, tally)
    report.held += tally.held
    report.unchanged += tally.unchanged
    report.problems += tally.problems
    if settings.pdf:  # missing or out-of-date PDFs, for every document (not only this run's)
        report.pdf = convert_to_pdf(outbox_documents(settings.outbox), progress=_phase(progress, CONVERTING))
        report.problems += report.pdf.problems
    _note_printing(settings, report, list(tally.statuses.values()))
    write_recap(settings, report)
    report.complete = not (unsettled or tally.unsettled or report.unread or report.locked)
    return report


def _note_printing(settings: Settings, report: RunReport, statuses: list[StatusJob]) -> None:
    """This run's documents for the clerk's 'Perlu dicetak' list, and one PDF of them when PDFs are made."""
    from pipeline.outbox import cetak
    from pipeline.outbox.archive import archive_index
    by_folder = {s.folder: (n, s) for n, s in enumerate(statuses)}
    now = datetime.now()
    found: list[tuple[tuple[int, str], cetak.PrintItem]] = []
    archives = archive_index(settings.outbox) if report.written else {}  # one listing of _arsip/ per run
    for path in report.written:
        n, status = by_folder.get(path.parent, (len(by_folder), None))
        if status is None:
            continue
        relative = ob.below(settings.outbox, path).as_posix()  # outbox/ itself may be a link
        archived = bool(archives.get((path.parent.parent.name, path.parent.name)))  # (tahun, folder)
        found.append(((n, path.name), cetak.PrintItem(
            relative, status.assessment.agenda,
            status.assessment.record.text("perangkat_daerah"), report.reasons.get(path, cetak.VALUES),
            now.isoformat(timespec="seconds"), archived, status.validation.register.name)))
    report.to_print = [item for _, item in sorted(found, key=lambda kv: kv[0])]  # request, then step order
    for item in report.to_print:
        log.debug("Ditulis %s (%s)", item.path, item.reason)
    try:
        report.print_list = cetak.add_to_list(settings.outbox, report.to_print)
    except OSError as err:
        report.problems.append(warning("", None, "", cetak.LIST_FILE, "Daftar Perlu dicetak tidak dapat "
                                       f"disimpan: {err}", "Periksa izin tulis folder outbox/_log."))
        report.print_list = cetak.load_list(settings.outbox)
    if settings.pdf and report.to_print and report.pdf is not None and not report.pdf.missing_soffice:
        documents = [settings.outbox / item.path for item in report.to_print]
        try:
            report.combined = cetak.combine_pdfs(documents, settings.outbox, now)
        except OSError as err:
            report.problems.append(warning("", None, "", cetak.PRINT_FOLDER, "PDF gabungan tidak dapat "
                                           f"ditulis: {err}", "Periksa izin tulis folder outbox/cetak."))


def archive(settings: Settings, caches: Caches | None = None,
            progress: Progress | None = None) -> tuple[RunReport, ArchiveReport]:
    """`sop-pipeline arsip`: bring outbox/ up to date, then archive every finished, error-free request."""
    from pipeline.outbox.archive import archive_requests
    caches = caches or Caches()
    with office_lock(settings.outbox, settings.lock_wait, "arsip"):
        report = _process(settings, progress, caches)
        result = archive_requests(settings, report.validations, settings.pdf,
                                  report.unsettled_folders(settings.outbox),
                                  progress=_phase(progress, ARCHIVING))
    return report, result


def clear_print_list(settings: Settings) -> tuple[int, RunReport]:
    """`sop-pipeline cetak --selesai`: the clerk printed everything; empty the list, then run once so that
    REKAP.xlsx shows the empty list (the list is part of the outbox state the run memory keeps, so this is
    a full run). Both under the lock: a watcher's cycle cannot put back what was just cleared. Returns how
    many documents the list held, and the run."""
    from pipeline.outbox import cetak
    with office_lock(settings.outbox, settings.lock_wait, "cetak"):
        count = cetak.clear_list(settings.outbox)
        return count, _locked_run(settings, None, None, replay=True)


def print_list_pdf(settings: Settings, printing: cetak.PrintList,
                   progress: Progress | None = None) -> tuple[cetak.Combined, PdfReport]:
    """`sop-pipeline cetak --pdf`: one PDF of every document on the clerk's list (PDFs made where missing)."""
    from pipeline.outbox import cetak
    from pipeline.outbox.pdf import convert_to_pdf
    documents = [settings.outbox / item.path for item in printing.items]
    converted = convert_to_pdf(documents, progress=_phase(progress, CONVERTING))
    return cetak.combine_pdfs(documents, settings.outbox), converted


def _phase(progress: Progress | None, label: str) -> Callable[[int, int], None] | None:
    return None if progress is None else (lambda done, total: progress(label, done, total))
