"""STATUS.txt: where one request stands, what is wrong with it, what happens next — and the short texts
the recap shares with it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from pipeline.problems import Problem
from pipeline.register.values import format_date
from pipeline.sop.steps import DECISION_STEP, decision
from pipeline.validate import Assessment, Validation


def next_step_text(a: Assessment) -> str:
    if a.next_step is None:
        return "Selesai"
    text = a.next_step.label
    if a.next_step.number == DECISION_STEP and decision(a.record) is None:
        text += ": putuskan 'Perangkat Diganti' (Ya/Tidak)"
    return text


def state_text(a: Assessment) -> str:
    if a.held:
        return "Ditahan (ada galat)"
    if a.overdue:
        return f"Terlambat {a.overdue} hari kerja"
    if a.late:
        return "Selesai terlambat" if a.next_step is None else "Pernah terlambat"
    return "Tepat waktu"


def status_text(a: Assessment, validation: Validation, today: date, documents: Sequence[str] = ()) -> str:
    """STATUS.txt: what state the request is in, what is wrong, and what happens next."""
    r = a.record
    lines = [
        f"STATUS PERMOHONAN No. Agenda {a.agenda}",
        f"Perangkat Daerah : {r.text('perangkat_daerah')}",
        f"Hal              : {r.text('hal')}",
        f"Register         : {validation.register.name}, sheet Permohonan baris {r.row}",
        f"Diperbarui       : {format_date(today)}",
        "",
        f"Langkah terakhir : {a.done[-1][0].label + ', ' + format_date(a.done[-1][1]) if a.done else '-'}",
        f"Langkah berikut  : {next_step_text(a)}"
        + (f", batas waktu {format_date(a.next_deadline)}" if a.next_deadline else ""),
        f"Keadaan          : {state_text(a)}",
        "",
    ]
    problems = [*a.problems, *(validation.problems if validation.blocked else ())]
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    if errors:
        lines += ["GALAT — dokumen permohonan ini TIDAK diperbarui sampai galat berikut diperbaiki di "
                  "register:",
                  *_numbered(errors), ""]
    if warnings:
        lines += ["PERINGATAN — dokumen tetap dibuat, tetapi mohon diperiksa:", *_numbered(warnings), ""]
    if not problems:
        lines += ["Tidak ada masalah.", ""]
    if documents:
        lines += ["Dokumen di folder ini:", *(f"  - {d}" for d in documents), ""]
    # CRLF and a BOM: every Notepad on Windows shows it right (older ones neither break LF nor guess UTF-8).
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


def _numbered(problems: Iterable[Problem]) -> list[str]:
    out = []
    for i, p in enumerate(problems, 1):
        out.append(f"  {i}. {p.headline()}")
        out += [f"     {line}" for line in p.details()]
    return out
