"""`sop-pipeline monev`: read every register, compute the period's figures, draw the charts, fill
templates_docx/laporan_monev.docx with the same sandboxed renderer as the other documents and write the
report into outbox/monev/. Made on request only: it is signed."""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PIL import Image

from pipeline.documents.catalog import DocumentSpec
from pipeline.documents.checks import check_template, template_problem
from pipeline.documents.fields import FieldBuilder, Office
from pipeline.documents.photos import check_logo
from pipeline.documents.render import LoadedTemplate, render_bytes_docxtpl
from pipeline.errors import OutboxError, PipelineError
from pipeline.monev.charts import draw_charts
from pipeline.monev.context import chart_refs, report_context
from pipeline.monev.figures import Figures, compute_figures
from pipeline.monev.period import Period, year_period
from pipeline.monev.template import TEMPLATE_NAME, template_bytes
from pipeline.outbox import files as ob
from pipeline.outbox.lock import office_lock
from pipeline.problems import Problem
from pipeline.register.columns import SETTINGS
from pipeline.settings import Settings
from pipeline.sop.staff import Staff
from pipeline.validate import Validation, build_calendar

log = logging.getLogger(__name__)

MONEV_FOLDER = "monev"
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
SPEC = DocumentSpec("laporan_monev", "Laporan Monitoring dan Evaluasi", 0, 1, "", ())


@dataclass(frozen=True)
class MonevResult:
    path: Path  # the report in outbox/monev/
    written: bool  # False when the same report was already there
    figures: Figures
    problems: tuple[Problem, ...]  # registers that could not be read (their requests are not counted)
    builtin_template: bool  # templates_docx/laporan_monev.docx was missing: the default template was used


def report_path(outbox: Path, period: Period) -> Path:
    return outbox / MONEV_FOLDER / ob.safe_name(f"Laporan Monev SOP Pemeliharaan Server {period.title}.docx")


def make_report(settings: Settings, period: Period) -> MonevResult:
    """Write the monev report of ``period`` as the registers stand on ``settings.today``.

    Raises PipelineError when there is no register, the template is unusable or the report cannot be
    written."""
    from pipeline.process import check  # reads and validates every register; writes nothing

    run = check(settings)
    if not run.validations:
        unreadable = "; ".join(p.message for p in run.problems if p.is_error)
        raise PipelineError(unreadable or f"Tidak ada register .xlsx di {settings.inbox}.")
    figures = compute_figures(((v, build_calendar(v.register)) for v in run.validations), period,
                              settings.today)
    tpl, problems, builtin = load_report_template(settings.templates, settings.today)
    if tpl is None:
        first = problems[0]
        raise PipelineError(f"{first.message} {first.hint}".strip())
    context = _context(run.validations, figures, settings)
    data = render_bytes_docxtpl(tpl, context)  # the documents' own renderer, charts as PNG
    target = report_path(settings.outbox, period)
    with office_lock(settings.outbox, settings.lock_wait, "monev"):  # a run's cleanup must not take our temp
        written = _write(target, data)
    skipped = tuple(p for p in run.problems if p.is_error and p.source)
    return MonevResult(target, written, figures, skipped, builtin)


def _context(validations: list[Validation], figures: Figures, settings: Settings) -> dict[str, Any]:
    # The office, its kop and its officials come from the first register (in name order).
    register = validations[0].register
    staff = Staff.from_records(register.pegawai)
    builder = FieldBuilder(register, staff, settings.today, check_logo(settings.templates)[0])
    return report_context(figures, Office(register.pengaturan), staff, chart_refs(draw_charts(figures)),
                          [v.register.name for v in validations], builder.logo)


def _write(target: Path, data: bytes) -> bool:
    outbox = target.parent.parent  # outbox/monev/<report>: no link below outbox/ is followed
    try:
        ob.refuse_links(outbox, target)
        if target.is_file() and ob.read_regular(target) == data:
            return False
        reason = ob.is_locked(target)
        if reason:
            raise OutboxError(f"{target.name} {reason}; tutup dokumen itu lalu jalankan lagi.")
        ob.keep_previous(target, datetime.now(), root=outbox)  # the report is signed: the old one is kept
        ob.atomic_write(target, data, root=outbox)
    except PermissionError as err:
        raise OutboxError(f"{target.name} tidak dapat ditulis ({err.strerror}); tutup dokumen itu atau "
                          "periksa izin tulis folder outbox.") from err
    except OSError as err:
        raise OutboxError(f"{target.name} tidak dapat ditulis: {err}") from err
    return True


# -- the template ----------------------------------------------------------------------------------------


def load_report_template(folder: Path, today: date) -> tuple[LoadedTemplate | None, list[Problem], bool]:
    """templates_docx/laporan_monev.docx checked like the other templates (syntax, unknown fields, a trial
    render), or the default template when the office has none yet. Returns (template or None, problems,
    whether the default was used)."""
    path = folder / TEMPLATE_NAME
    builtin = not path.is_file()
    try:
        data = template_bytes() if builtin else _read_template(path)
    except (OSError, ValueError, zipfile.BadZipFile) as err:
        return None, [template_problem(SPEC, f"Templat {TEMPLATE_NAME} tidak dapat dipakai: {err}.",
                                       "Simpan ulang templat dari Word, atau hapus file itu agar templat "
                                       "bawaan dipakai.")], False
    tpl = LoadedTemplate(SPEC, path, data, hashlib.sha256(data).hexdigest())
    problems = check_template(tpl, sample_context(today))
    return (None if problems else tpl), problems, builtin


def _read_template(path: Path) -> bytes:
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise ValueError("file terlalu besar")
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # a zip bomb is refused before docxtpl opens it
        if sum(i.file_size for i in zf.infolist()) > 10 * MAX_TEMPLATE_BYTES:
            raise ValueError("isinya terlalu besar setelah dibuka")
    return data


def sample_context(today: date) -> dict[str, Any]:
    """A complete context for checking templates and for `sop-pipeline fields laporan_monev`."""
    figures = compute_figures((), year_period(today.year), today)
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), "#2e7d32").save(buf, "PNG")
    charts = chart_refs({name: buf.getvalue() for name in ("langkah", "penyelesaian", "permohonan")})
    office = Office({s.key: s.example for s in SETTINGS})
    return report_context(figures, office, Staff(()), charts, ["register.xlsx"])


def summary(result: MonevResult, root: Path) -> list[str]:
    """What `sop-pipeline monev` tells the person who ran it (Indonesian)."""
    f = result.figures
    c = f.counts
    shown = result.path.relative_to(root) if result.path.is_relative_to(root) else result.path
    lines = [f"{p.message}" + (f" → {p.hint}" if p.hint else "") for p in result.problems]
    if result.builtin_template:
        lines.append(f"Templat {TEMPLATE_NAME} belum ada di templates_docx/; dipakai templat bawaan "
                     "('sop-pipeline init' menyalinnya agar dapat diubah).")
    lines.append(f"Laporan: {shown} ({'ditulis' if result.written else 'tidak berubah'})")
    lines.append(f"{f.period.title} ({f.period.span}): {c.diterima} permohonan diterima, {c.selesai} "
                 f"selesai, {c.proses} dalam proses ({c.lewat_batas} lewat batas waktu), {c.ditahan} ditahan "
                 "karena galat.")
    return lines
