"""The one entry point: read every register, validate, write each request's documents, write the recap.
`sop-pipeline run`, `arsip` and the watcher all call these functions."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from pipeline.documents.checks import CheckedTemplates, load_templates
from pipeline.documents.fastdocx import FastTemplates
from pipeline.documents.photos import PhotoChecks, PhotoRequest, check_logo, locate_photos
from pipeline.documents.sample import sample_contexts
from pipeline.errors import OutboxError, RegisterError
from pipeline.monev.kinerja import kinerja_figures
from pipeline.outbox import cetak
from pipeline.outbox import files as ob
from pipeline.outbox.archive import (
    ArchiveReport,
    FileMemo,
    archive_requests,
    archive_versions,
    mark_changed_since_archive,
)
from pipeline.outbox.folders import request_folder
from pipeline.outbox.lock import office_lock
from pipeline.outbox.pdf import PdfReport, convert_to_pdf, outbox_documents
from pipeline.outbox.plan import StatusJob, Tally, missing_logo_warning, plan_folders
from pipeline.outbox.recap import RECAP_NAME, recap_bytes, recap_digest, stored_digest
from pipeline.outbox.status import status_text
from pipeline.outbox.writer import FolderResult, start_pool, write_folders
from pipeline.problems import Problem, error, warning
from pipeline.register.reader import find_registers, read_register, unreadable_spreadsheets
from pipeline.register.values import format_date
from pipeline.settings import Settings
from pipeline.validate import (
    PERMOHONAN,
    Validation,
    validate_register,
    validate_registers,
    with_photo_warnings,
)

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (phase, done, total): the CLI draws bars, the core never prints
READING, WRITING, CONVERTING, ARCHIVING = "Membaca", "Menulis dokumen", "Membuat PDF", "Mengarsipkan"


@dataclass
class Caches:
    """What a caller that runs more than once (the watcher) keeps between runs. Every entry is keyed by the
    bytes it was computed from, so none can be stale; a plain `sop-pipeline run` starts with an empty one."""

    registers: dict[Path, tuple[str, Settings, Validation]] = field(default_factory=dict)  # by register digest
    templates: CheckedTemplates = field(default_factory=CheckedTemplates)
    fast: FastTemplates = field(default_factory=FastTemplates)
    archives: FileMemo = field(default_factory=FileMemo)
    photos: PhotoChecks | None = None  # photos already decoded; loaded from outbox/_log/ when first needed


@dataclass
class RunReport:
    validations: list[Validation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # unreadable registers, broken templates, write failures
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    held: int = 0  # requests whose documents were held back by errors
    locked: list[tuple[Path, str]] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)  # registers that could not be read, and why
    recap: Path | None = None
    recap_error: str = ""
    pdf: PdfReport | None = None  # when settings.pdf: the PDF conversion of this run
    # Perlu dicetak (outbox/cetak.py): why each document was written, this run's documents in request and
    # step order, the clerk's list since it was last cleared, and (settings.pdf) one PDF of this run's.
    reasons: dict[Path, str] = field(default_factory=dict)
    to_print: list[cetak.PrintItem] = field(default_factory=list)
    print_list: cetak.PrintList | None = None
    combined: cetak.Combined | None = None

    @property
    def requests(self) -> int:
        return sum(len(v.assessments) for v in self.validations)

    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for v in self.validations for p in v.all_problems())]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.all_problems())

    def unsettled_folders(self, outbox: Path) -> set[Path]:
        """Folders this run could not bring up to date: a document locked, or failed to render or write."""
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
    """Read and validate every register; write nothing. The same verdicts as `run` (one path to them)."""
    caches = caches or Caches()
    report = RunReport()
    _validate_office(settings, report, caches)
    return report


def process(settings: Settings, progress: Progress | None = None, caches: Caches | None = None) -> RunReport:
    """Validate every register and bring outbox/ in step with it. Never raises for bad data; raises BusyError
    when another run still holds outbox/ after ``settings.lock_wait`` seconds."""
    with office_lock(settings.outbox, settings.lock_wait, "run"):
        return _process(settings, progress, caches or Caches())


def _process(settings: Settings, progress: Progress | None, caches: Caches) -> RunReport:
    report = RunReport()
    ob.clean_stale_temps(settings.outbox)  # ours alone: nobody else holds the lock
    registers = find_registers(settings.inbox)
    templates = load_templates(settings.templates, sample_contexts(settings.today),
                               cache=settings.outbox / "_log" / "templat-lolos.json", checked=caches.templates)
    report.problems += templates.problems
    logo, logo_problem = check_logo(settings.templates, caches.photos)  # checked like a photo; unusable: none
    if logo_problem is not None:
        report.problems.append(logo_problem)
    elif logo is None:
        report.problems.append(missing_logo_warning())
    tally = Tally()
    # Render processes are forked now, while this process is small, not after it has read the register.
    early: ProcessPoolExecutor | None = start_pool(settings.workers) if registers and settings.workers > 1 else None
    done = 0

    def collect(result: FolderResult) -> None:
        report.written += result.written
        report.reasons.update(result.reasons)
        report.locked += result.locked
        report.problems += result.problems

    try:
        validations = _validate_office(settings, report, caches, progress)
        _save_photo_checks(settings, caches)
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
    report.held += tally.held
    report.unchanged += tally.unchanged
    report.problems += tally.problems
    if settings.pdf:  # missing or out-of-date PDFs, for every document (not only this run's)
        report.pdf = convert_to_pdf(outbox_documents(settings.outbox), progress=_phase(progress, CONVERTING))
        report.problems += report.pdf.problems
    for status in tally.statuses:
        folder = status.folder
        if ob.link_below(settings.outbox, folder) is not None:
            continue  # behind a link: the request is held with an error that says so
        try:
            present = sorted(p.name for p in folder.glob("*.docx")) if folder.is_dir() else list(status.due)
            text = status_text(status.assessment, status.validation, settings.today, present)
            ob.write_text_if_changed(folder / "STATUS.txt", text, root=settings.outbox)
        except (OSError, OutboxError) as err:
            report.problems.append(error("", None, "", str(folder.name), f"STATUS.txt tidak dapat ditulis: {err}",
                                         "Periksa izin tulis folder outbox.",
                                         agenda=status.assessment.agenda))
    _note_printing(settings, report, tally.statuses)
    _write_recap(settings, report)
    return report


def _note_printing(settings: Settings, report: RunReport, statuses: list[StatusJob]) -> None:
    """This run's documents for the clerk's 'Perlu dicetak' list, and one PDF of them when PDFs are made."""
    by_folder = {s.folder: (n, s) for n, s in enumerate(statuses)}
    now = datetime.now()
    found: list[tuple[tuple[int, str], cetak.PrintItem]] = []
    archived: dict[Path, bool] = {}
    for path in report.written:
        n, status = by_folder.get(path.parent, (len(by_folder), None))
        if status is None or not path.is_relative_to(settings.outbox):
            continue
        if path.parent not in archived:
            archived[path.parent] = bool(archive_versions(settings.outbox, path.parent))
        found.append(((n, path.name), cetak.PrintItem(
            path.relative_to(settings.outbox).as_posix(), status.assessment.agenda,
            status.assessment.record.text("perangkat_daerah"), report.reasons.get(path, cetak.VALUES),
            now.isoformat(timespec="seconds"), archived[path.parent], status.validation.register.name)))
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
    caches = caches or Caches()
    with office_lock(settings.outbox, settings.lock_wait, "arsip"):
        report = _process(settings, progress, caches)
        result = archive_requests(settings, report.validations, settings.pdf,
                                  report.unsettled_folders(settings.outbox), progress=_phase(progress, ARCHIVING))
    return report, result


def clear_print_list(settings: Settings) -> tuple[int, RunReport]:
    """`sop-pipeline cetak --selesai`: the clerk printed everything; empty the list, then run once so that
    REKAP.xlsx shows the empty list. Returns how many documents the list held, and the run."""
    count = cetak.clear_list(settings.outbox)
    return count, process(settings)


def print_list_pdf(settings: Settings, printing: cetak.PrintList,
                   progress: Progress | None = None) -> tuple[cetak.Combined, PdfReport]:
    """`sop-pipeline cetak --pdf`: one PDF of every document on the clerk's list (PDFs made where missing)."""
    documents = [settings.outbox / item.path for item in printing.items]
    converted = convert_to_pdf(documents, progress=_phase(progress, CONVERTING))
    return cetak.combine_pdfs(documents, settings.outbox), converted


def _phase(progress: Progress | None, label: str) -> Callable[[int, int], None] | None:
    return None if progress is None else (lambda done, total: progress(label, done, total))


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _validate_office(settings: Settings, report: RunReport, caches: Caches,
                     progress: Progress | None = None) -> list[Validation]:
    """Every register read and validated, then what needs them all at once: the same request in two
    registers, the photo folders of all requests, request folders that are links, changes since archiving.
    The one path to a verdict: `check` and `run` both come through here."""
    report.problems += unreadable_spreadsheets(settings.inbox)
    validations: list[Validation] = []
    complete = True
    for path in find_registers(settings.inbox):
        if ob.is_link(path) and not path.resolve().is_relative_to(settings.inbox.resolve()):
            report.problems.append(replace(error(
                "", None, "", path.name, f"{path.name} adalah tautan (symlink) ke luar inbox/ "
                f"({path.resolve()}); tidak dibaca.", "Simpan register sebagai berkas biasa di inbox/."),
                source=path.name))
            report.unread.append((path.name, "tautan (symlink) ke luar inbox/"))
            complete = False
            continue
        if progress:
            progress(f"{READING} {path.name}", 0, 1)
        validation = _read_and_validate(path, settings, report, caches)
        complete = complete and validation is not None
        if validation is not None:
            validations.append(validation)
    validations = validate_registers(validations)
    validations = _with_photos(settings, validations, caches, report, complete)
    validations = [with_photo_warnings(v) for v in validations]  # from step 7 on, photos are due
    validations = [_with_folder_links(settings.outbox, v) for v in validations]
    # Outside the cache: whether a request changed since it was archived depends on outbox/_arsip too.
    validations = [mark_changed_since_archive(settings.outbox, v, caches.archives) for v in validations]
    report.validations += validations
    return validations


PHOTO_CHECKS = "foto-diperiksa.json"  # in outbox/_log/: photos already decoded (documents/photos.PhotoChecks)


def _with_photos(settings: Settings, validations: list[Validation], caches: Caches, report: RunReport,
                 complete: bool) -> list[Validation]:
    """Each request's documentation photos, from the one photo folder that is its own."""
    if caches.photos is None:
        caches.photos = PhotoChecks.load(settings.outbox / "_log" / PHOTO_CHECKS)
    requests = [PhotoRequest(a.key[0], a.agenda, f"{v.register.name} baris {a.record.row}")
                for v in validations for a in v.assessments]
    found = locate_photos(settings.lampiran, requests, settings.max_photo_bytes, caches.photos, complete)
    report.problems += found.unmatched
    out, index = [], 0
    for v in validations:
        assessments = []
        for a in v.assessments:
            photos, problems = found.of(index)
            index += 1
            if photos or problems:
                extra = tuple(replace(p, agenda=a.agenda, source=v.register.name) for p in problems)
                a = replace(a, photos=photos, problems=(*a.problems, *extra))
            assessments.append(a)
        out.append(replace(v, assessments=tuple(assessments)))
    return out


def _with_folder_links(outbox: Path, validation: Validation) -> Validation:
    """A request whose folder below outbox/ is a link (or lies behind one) is held: nothing is written or
    copied through it."""
    marked = []
    for a in validation.assessments:
        folder = request_folder(outbox, a)
        link = ob.link_below(outbox, folder) if folder is not None else None
        if link is not None:
            shown = link.relative_to(outbox.resolve()).as_posix()
            problem = error(PERMOHONAN, a.record.row, "", shown,
                            f"Folder dokumen permohonan ini ada di balik tautan (symlink) 'outbox/{shown}'; "
                            "dokumennya tidak ditulis melalui tautan.", "Hapus tautan itu dari outbox/ "
                            "(folder aslinya tidak ikut terhapus).", agenda=a.agenda)
            a = replace(a, problems=(*a.problems, replace(problem, source=validation.register.name)))
        marked.append(a)
    return replace(validation, assessments=tuple(marked))


def _save_photo_checks(settings: Settings, caches: Caches) -> None:
    if caches.photos is None:
        return
    target = settings.outbox / "_log" / PHOTO_CHECKS
    try:
        ob.write_bytes_if_changed(target, caches.photos.dump(), root=settings.outbox)
    except (OSError, OutboxError) as err:  # only a hint for the next run
        log.info("%s tidak ditulis: %s", target, err)


def _read_and_validate(path: Path, settings: Settings, report: RunReport, caches: Caches) -> Validation | None:
    """One register read and validated on its own (kept in ``caches`` by the bytes it was read from)."""
    digest = _file_digest(path)
    cached = caches.registers.get(path)
    if digest and cached and cached[0] == digest and cached[1] == settings:
        return cached[2]
    try:
        register = read_register(path, settings.max_register_bytes)
    except RegisterError as err:
        report.unread.append((path.name, str(err).removeprefix(f"{path.name}: ")))
        report.problems.append(replace(error(
            "", None, "", path.name, str(err),
            "Perbaiki atau simpan ulang register dari Excel; permohonan di register ini belum diproses."),
            source=path.name))
        log.warning("%s", err)
        return None
    validation = validate_register(register, settings.today)
    log.debug("%s: %d permohonan dibaca dan diperiksa", path.name, len(validation.assessments))
    # Keyed by the bytes actually read: a save between hashing and copying must not pin a stale result.
    caches.registers[path] = (register.digest, settings, validation)
    return validation


def _write_recap(settings: Settings, report: RunReport) -> None:
    target = settings.outbox / RECAP_NAME
    if ob.is_link(target):  # not even read: a link could stand for anything
        report.recap_error = f"REKAP.xlsx tidak diperbarui: {ob.link_problem(settings.outbox, target)}."
        return
    if report.unread and _keep_last_recap(settings, report):
        return
    try:
        kinerja = kinerja_figures(report.validations, settings.today)  # sheet Kinerja
        digest = recap_digest(report.validations, settings.today, report.problems, kinerja, report.print_list)
        if stored_digest(target) == digest:
            report.recap = target
            return
        data = recap_bytes(report.validations, settings.today, report.problems, digest, kinerja,
                           report.print_list, (datetime.now(), cetak.computer_name()))
    except Exception as err:  # the recap must never stop the documents
        report.recap_error = f"REKAP.xlsx tidak dapat dibuat: {err}"
        return
    reason = ob.is_locked(target)
    try:
        if reason:
            raise PermissionError(reason)
        ob.atomic_write(target, data, root=settings.outbox)
        report.recap = target
    except (OSError, OutboxError) as err:
        report.recap_error = (f"REKAP.xlsx tidak diperbarui: {reason or err}. Tutup file itu di Excel; "
                              "rekap diperbarui pada putaran berikutnya.")


STALE_SHEET = "TIDAK MUTAKHIR"


def _keep_last_recap(settings: Settings, report: RunReport) -> bool:
    """A register could not be read (mid-save, damaged): the last good REKAP.xlsx keeps its rows — a recap
    of 0 requests would say they vanished — with a first sheet saying it is not current, and why. False
    when there is no earlier recap to keep (a new one is written with what could be read)."""
    target = settings.outbox / RECAP_NAME
    try:
        import openpyxl  # only on this rare path
        from openpyxl.styles import Alignment, Font
        workbook = openpyxl.load_workbook(io.BytesIO(ob.read_regular(target)))
    except Exception:  # none yet, or not one we can read: write a new one
        return False
    lines = [f"REKAP INI TIDAK MUTAKHIR (per {format_date(settings.today)}).",
             *(f"Register '{name}' tidak dapat dibaca: {why}" for name, why in report.unread),
             "Sheet lain berisi keadaan terakhir yang berhasil dibaca, bukan keadaan sekarang. Rekap ditulis "
             "ulang begitu semua register dapat dibaca lagi (simpan ulang register itu dari Excel)."]
    if STALE_SHEET in workbook.sheetnames:
        if [row[0] for row in workbook[STALE_SHEET].iter_rows(values_only=True)] == lines:
            report.recap_error = "REKAP.xlsx tetap TIDAK MUTAKHIR: " + "; ".join(lines[1:-1])
            return True
        del workbook[STALE_SHEET]
    sheet = workbook.create_sheet(STALE_SHEET, 0)
    sheet.column_dimensions["A"].width = 90
    sheet.sheet_properties.tabColor = "C00000"
    sheet.page_setup.orientation = "landscape"  # as the other sheets print
    for n, line in enumerate(lines, start=1):
        cell = sheet.cell(n, 1, line)
        cell.data_type = "s"  # a file name starting with '=' stays text
        cell.font = Font(bold=n == 1, color="C00000")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[n].height = 15 * (len(line) // 80 + 1)  # wrapped rows do not grow on open
    workbook.active = 0
    for other in workbook.worksheets[1:]:
        other.sheet_view.tabSelected = False
    props = workbook.custom_doc_props  # type: ignore[attr-defined]  # the digest goes: next run rewrites
    for prop in [p for p in props.props if p.name == "sidik"]:
        props.props.remove(prop)
    buffer = io.BytesIO()
    workbook.save(buffer)
    try:
        if reason := ob.is_locked(target):
            raise PermissionError(reason)
        ob.atomic_write(target, buffer.getvalue(), root=settings.outbox)
    except (OSError, OutboxError) as err:
        report.recap_error = f"REKAP.xlsx tidak dapat ditandai TIDAK MUTAKHIR: {err}"
        return True
    report.recap = target
    report.recap_error = "REKAP.xlsx ditandai TIDAK MUTAKHIR: " + "; ".join(lines[1:-1])
    return True
