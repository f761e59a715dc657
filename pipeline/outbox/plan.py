"""What each request folder needs: its due documents, their fields and fingerprints, and only those whose
inputs changed since the manifest was written. An unchanged request costs one digest and one stat, and its
STATUS.txt is brought up to date here, while the render processes work; a folder with documents to write
gets its STATUS.txt from the process that writes them."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.documents.catalog import due_documents
from pipeline.documents.checks import TemplateSet
from pipeline.documents.fields import FIELDS_VERSION, FieldBuilder, fingerprint
from pipeline.errors import OutboxError
from pipeline.outbox import cetak
from pipeline.outbox import files as ob
from pipeline.outbox.folders import request_folder
from pipeline.outbox.manifest import Manifest
from pipeline.outbox.status import status_text
from pipeline.outbox.writer import FolderJob, PlannedDocument, status_problem, write_if_changed
from pipeline.problems import Problem, warning
from pipeline.register.reader import Record
from pipeline.settings import Settings
from pipeline.sop.staff import Staff
from pipeline.validate import Assessment, Validation

LOGO_MISSING = "templates_docx/logo.png"


@dataclass(frozen=True)
class StatusJob:
    """A request folder given to a render process, in case its STATUS.txt must be written again after it."""

    folder: Path
    assessment: Assessment
    validation: Validation


@dataclass
class Tally:
    """What planning found besides the jobs, for the run's report."""

    held: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    statuses: dict[Path, StatusJob] = field(default_factory=dict)  # folders given to render processes
    unsettled: bool = False  # a STATUS.txt could not be written
    resolved: dict[str, Path] = field(default_factory=dict)  # outbox/<tahun>/ resolved once per run


def missing_logo_warning() -> Problem:
    """Once per run when templates_docx/logo.png is absent: the kop is printed without the lambang daerah."""
    return warning("", None, "", LOGO_MISSING, f"Lambang daerah {LOGO_MISSING} tidak ada; kop dokumen "
                   "dicetak tanpa lambang.", f"Simpan lambang daerah (PNG) sebagai {LOGO_MISSING}.")


def write_status(folder: Path, a: Assessment, validation: Validation, settings: Settings,
                 tally: Tally) -> None:
    """STATUS.txt from the documents the folder holds now, rewritten only when it changed; never into a
    folder behind a link (the request is held with an error that says so)."""
    if ob.link_below(settings.outbox, folder) is not None:
        return
    try:
        present = sorted(p.name for p in folder.glob("*.docx")) if folder.is_dir() else []
        write_if_changed(folder / "STATUS.txt", status_text(a, validation, settings.today, present))
    except (OSError, OutboxError) as err:
        tally.unsettled = True
        tally.problems.append(status_problem(folder, err, a.agenda))


def plan_folders(validation: Validation, settings: Settings, templates: TemplateSet,
                 tally: Tally, logo: Path | None = None) -> Iterator[FolderJob | None]:
    """One item per request: the work its folder needs, or None when it needs none. ``logo``: the checked
    templates_docx/logo.png, or None to print the kop without one."""
    register = validation.register
    staff = Staff.from_records(register.pegawai)
    builder = FieldBuilder(register, staff, settings.today, logo)
    devices: dict[str, list[Record]] = defaultdict(list)
    for d in register.perangkat:
        devices[d.text("no_agenda")].append(d)
    # Everything a request's documents depend on besides its own rows: one digest per run.
    shared = hashlib.sha256(json.dumps([
        FIELDS_VERSION, settings.today.isoformat(), dict(register.pengaturan),
        [r.values for r in register.pegawai], sorted((k, t.digest) for k, t in templates.templates.items()),
        builder.logo_digest()], sort_keys=True, default=str).encode()).hexdigest()
    for a in validation.assessments:
        # Two requests never share a folder: the same (year, No. Agenda) twice is an error of validation.
        folder = request_folder(settings.outbox, a, tally.resolved)
        docs = due_documents(a.record)
        if a.held or validation.blocked or folder is None:
            tally.held += 1
            if folder is not None:
                write_status(folder, a, validation, settings, tally)
            yield None
            continue
        manifest = Manifest.load(folder)
        photos = list(a.photos)  # found and checked with the request (verdicts.validate_office)
        own = devices.get(a.agenda, [])
        # An unchanged request costs nothing: same rows, same shared inputs, documents still on disk.
        masukan = hashlib.sha256(json.dumps([shared, a.record.values, [d.values for d in own], photos],
                                            sort_keys=True, default=str).encode()).hexdigest()
        files = [doc.filename for doc in docs if templates.get(doc.key)]
        if manifest.request_key == masukan and all(manifest.present(f) for f in files):
            tally.unchanged += len(files)
            write_status(folder, a, validation, settings, tally)
            yield None
            continue
        todo: list[PlannedDocument] = []
        for doc in docs:
            tpl = templates.get(doc.key)
            if tpl is None:
                continue  # reported once as a template problem
            context = builder.context(doc, a.record, own, photos)
            sidik = fingerprint(context, tpl.digest, tpl.fields)
            if manifest.unchanged(doc.filename, sidik):
                tally.unchanged += 1
                continue
            why = _reason(manifest, doc.filename, tpl.digest)
            todo.append(PlannedDocument(doc.filename, tpl, context, sidik, why))
        if todo:
            existing = {p.name for p in folder.glob("*.docx")} if folder.is_dir() else set()
            present = tuple(sorted(existing | {d.filename for d in todo}))
            tally.statuses[folder] = StatusJob(folder, a, validation)
            yield FolderJob(folder, a.agenda, tuple(todo), masukan,
                            status_text(a, validation, settings.today, present), present)
            continue
        if len(files) == len(docs):
            manifest.request_key = masukan
            with contextlib.suppress(OSError):
                manifest.save()
        write_status(folder, a, validation, settings, tally)
        yield None


def _reason(manifest: Manifest, filename: str, template_digest: str) -> str:
    """Why a document is written, for the clerk's 'Perlu dicetak' list."""
    entry = manifest.entries.get(filename)
    if entry is None:
        return cetak.NEW
    if not (manifest.path.parent / filename).exists():
        return cetak.MISSING
    if entry.get("templat") != template_digest:
        return cetak.TEMPLATE
    return cetak.VALUES
