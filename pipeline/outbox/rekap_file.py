"""Writing outbox/REKAP.xlsx: rebuilt only when what it shows changed (its digest), left alone while Excel
holds it, and — when a register cannot be read — the last good recap kept and marked as not current."""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING

from pipeline.errors import OutboxError
from pipeline.outbox import cetak
from pipeline.outbox import files as ob
from pipeline.register.values import format_date
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pipeline.process import RunReport

RECAP_NAME = "REKAP.xlsx"  # in outbox/


def write_recap(settings: Settings, report: RunReport) -> None:
    from pipeline.monev.kinerja import kinerja_figures
    from pipeline.outbox.recap import recap_bytes, recap_digest, stored_digest
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
