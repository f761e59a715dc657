"""The one path to a verdict, for `check` and `run` alike: every register read and validated, then what
needs them all at once — the same request in two registers, each request's photo folder, request folders
that are links, changes since archiving."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.documents.photos import PhotoChecks, PhotoRequest, locate_photos
from pipeline.errors import OutboxError, RegisterError
from pipeline.outbox import files as ob
from pipeline.outbox.archive import mark_changed_since_archive
from pipeline.outbox.folders import request_folder
from pipeline.problems import error
from pipeline.register import reader
from pipeline.register.reader import find_registers, unreadable_spreadsheets
from pipeline.settings import Settings
from pipeline.validate import (
    PERMOHONAN,
    Validation,
    validate_register,
    validate_registers,
    with_photo_warnings,
)

if TYPE_CHECKING:
    from pipeline.process import Caches, Progress, RunReport

log = logging.getLogger(__name__)
READING = "Membaca"
PHOTO_CHECKS = "foto-diperiksa.json"  # in outbox/_log/: photos already decoded (documents/photos.PhotoChecks)


def validate_office(settings: Settings, report: RunReport, caches: Caches,
                     progress: Progress | None = None) -> list[Validation]:
    """Every register read and validated, then what needs them all at once: the same request in two
    registers, the photo folders of all requests, request folders that are links, changes since archiving.
    The one path to a verdict: `check` and `run` both come through here."""
    report.problems += unreadable_spreadsheets(settings.inbox)
    validations: list[Validation] = []
    complete = True
    registers = find_registers(settings.inbox)
    report.no_register = not registers
    for path in registers:
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
            shown = ob.below(outbox, link).as_posix()  # outbox/ itself may be a link
            problem = error(PERMOHONAN, a.record.row, "", shown,
                            f"Folder dokumen permohonan ini ada di balik tautan (symlink) 'outbox/{shown}'; "
                            "dokumennya tidak ditulis melalui tautan.", "Hapus tautan itu dari outbox/ "
                            "(folder aslinya tidak ikut terhapus).", agenda=a.agenda)
            a = replace(a, problems=(*a.problems, replace(problem, source=validation.register.name)))
        marked.append(a)
    return replace(validation, assessments=tuple(marked))


def save_photo_checks(settings: Settings, caches: Caches) -> None:
    if caches.photos is None:
        return
    target = settings.outbox / "_log" / PHOTO_CHECKS
    try:
        ob.write_bytes_if_changed(target, caches.photos.dump(), root=settings.outbox)
    except (OSError, OutboxError) as err:  # only a hint for the next run
        log.info("%s tidak ditulis: %s", target, err)


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _read_and_validate(path: Path, settings: Settings, report: RunReport,
                       caches: Caches) -> Validation | None:
    """One register read and validated on its own (kept in ``caches`` by the bytes it was read from)."""
    cached = caches.registers.get(path)  # a watcher's; a plain run has none, and hashes nothing here
    if cached and cached[1] == settings and cached[0] == _file_digest(path):
        return cached[2]
    try:
        register = reader.read_register(path, settings.max_register_bytes)
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
