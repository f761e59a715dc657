"""Checks every request against the SOP in one pass and returns every problem as a value."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from pipeline.documents.photos import ImageRef, photo_folder_names
from pipeline.problems import Problem, error, warning
from pipeline.register import columns as C
from pipeline.register.reader import Record, Register
from pipeline.register.values import check_nip, format_date
from pipeline.request_check import RequestCheck
from pipeline.sop.calendar import WorkCalendar
from pipeline.sop.staff import Staff
from pipeline.sop.steps import STEPS, Step

PERMOHONAN = C.PERMOHONAN.name


@dataclass(frozen=True)
class Assessment:
    """One request as the SOP sees it: where it stands and what is wrong with it."""

    agenda: str
    record: Record
    problems: tuple[Problem, ...]
    done: tuple[tuple[Step, date], ...]  # the recorded steps, in order
    next_step: Step | None  # None when the request is finished
    next_deadline: date | None
    late: tuple[tuple[Step, int], ...]  # steps done after their deadline, with working days late
    overdue: int  # working days the next step is overdue today (0 when not)
    photos: tuple[ImageRef, ...] = ()  # its documentation photos, checked (attached for the whole office)

    @property
    def key(self) -> tuple[int | None, str]:
        return request_key(self.record)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    @property
    def held(self) -> bool:
        return bool(self.errors)

    @property
    def last_step(self) -> Step | None:
        return self.done[-1][0] if self.done else None


@dataclass(frozen=True)
class Validation:
    register: Register
    assessments: tuple[Assessment, ...]
    problems: tuple[Problem, ...]  # register-level problems (sheets, columns, Pegawai, Pengaturan…)
    blocked: bool  # a register-level error holds back every request's documents

    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for a in self.assessments for p in a.problems)]


def request_key(record: Record) -> tuple[int | None, str]:
    """What identifies a request: (year of Tanggal Diterima, No. Agenda), as outbox/<tahun>/ does — the buku
    agenda starts again at 1 every January. No. Agenda compares as Windows compares folder names."""
    received = record.get("tgl_diterima")
    agenda = unicodedata.normalize("NFC", record.text("no_agenda")).casefold()
    return (received.year if isinstance(received, date) else None), agenda


def build_calendar(register: Register) -> WorkCalendar:
    off = {r.get("tanggal"): r.text("keterangan") for r in register.libur
           if r.get("tanggal") and r.text("jenis") != "Masuk"}
    on = [r.get("tanggal") for r in register.libur if r.get("tanggal") and r.text("jenis") == "Masuk"]
    return WorkCalendar(off, on)


def validate_register(register: Register, today: date, calendar: WorkCalendar | None = None) -> Validation:
    calendar = calendar or build_calendar(register)
    staff = Staff.from_records(register.pegawai)
    own = _check_pegawai(register, today)  # the register's own problems are sorted out below
    by_agenda: dict[str, list[Record]] = defaultdict(list)
    by_key: dict[tuple[int | None, str], list[Record]] = defaultdict(list)
    for r in register.permohonan:
        if r.text("no_agenda"):
            by_agenda[r.text("no_agenda")].append(r)
            by_key[request_key(r)].append(r)
    devices: dict[str, list[Record]] = defaultdict(list)
    for d in register.perangkat:
        devices[d.text("no_agenda")].append(d)
    device_problems: dict[str, list[Problem]] = defaultdict(list)
    for d in register.perangkat:
        agenda = d.text("no_agenda")
        if agenda and agenda not in by_agenda:
            own.append(error(C.PERANGKAT.name, d.row, register.header("Perangkat", "no_agenda"), agenda,
                             f"No. Agenda '{agenda}' tidak ada di sheet Permohonan; perangkat ini tidak "
                             "punya permohonan.", "Perbaiki No. Agenda atau hapus baris perangkat ini."))
        claimants = by_agenda.get(agenda, [])
        if len({request_key(r) for r in claimants}) > 1:  # the same number in two years: whose device is it?
            years = " dan ".join(f"tahun {_year(r)} (baris {r.row})" for r in claimants)
            device_problems[agenda].append(error(
                C.PERANGKAT.name, d.row, register.header("Perangkat", "no_agenda"), agenda,
                f"Perangkat baris {d.row}: No. Agenda '{agenda}' dipakai permohonan {years}; tidak dapat "
                "dipastikan perangkat ini milik permohonan yang mana.",
                "No. Agenda dimulai dari 1 lagi setiap Januari: pisahkan register per tahun (mis. "
                "'register 2025.xlsx' dan 'register 2026.xlsx')."))
    # One pass over the problems, each found by its row: linear however many rows have problems.
    owners = {d.row: d.text("no_agenda") for d in register.perangkat}
    row_problems: dict[int, list[Problem]] = defaultdict(list)
    moved: set[int] = set()  # positions in register.problems now attached to a request
    for i, p in enumerate(register.problems):
        if p.sheet == C.PERANGKAT.name and p.row:
            owner = owners.get(p.row, "")
            if owner in by_agenda:
                device_problems[owner].append(replace(p, agenda=owner))
                moved.add(i)
        elif p.sheet == PERMOHONAN and p.row and p.row > 1:
            row_problems[p.row].append(p)
            moved.add(i)
    own = [p for i, p in enumerate(register.problems) if i not in moved] + own
    assessments = []
    for r in register.permohonan:
        agenda = r.text("no_agenda")
        found = [replace(p, agenda=agenda) for p in row_problems.get(r.row, [])]
        found += device_problems.get(agenda, [])
        checker = RequestCheck(register, r, devices.get(agenda, []), staff, calendar, today)
        found += checker.run(by_key.get(request_key(r), [r]))
        found = [replace(p, agenda=agenda, source=register.name) for p in found]
        assessments.append(Assessment(agenda, r, tuple(found), tuple(checker.done), checker.next_step,
                                      checker.next_deadline, tuple(checker.late), checker.overdue))
    own = [replace(p, source=register.name) for p in own]
    blocked = any(p.is_error and (p.row is None or p.row == 1) and p.sheet != C.HARI_LIBUR.name for p in own)
    return Validation(register, tuple(assessments), tuple(own), blocked)


def validate_registers(validations: Sequence[Validation]) -> list[Validation]:
    """The checks that need every register at once: a request recorded in two registers (a copy of the
    register beside it in inbox/, 'register - Salinan.xlsx') is an error on each, naming both files and rows.
    `check` and `run` both call this: they give the same verdicts."""
    places: dict[tuple[int | None, str], list[tuple[int, Assessment]]] = defaultdict(list)
    for n, v in enumerate(validations):
        for a in v.assessments:
            key = a.key
            if key[0] is not None and key[1]:
                places[key].append((n, a))
    extra: dict[tuple[int, int], Problem] = {}
    for key, found in places.items():
        if len({n for n, _ in found}) < 2:
            continue  # within one register: the register's own check names the rows
        shown = " dan ".join(f"{validations[n].register.name} baris {a.record.row}" for n, a in found)
        for n, a in found:
            problem = error(PERMOHONAN, a.record.row, validations[n].register.header(PERMOHONAN, "no_agenda"),
                            a.agenda, f"No. Agenda '{a.agenda}' tahun {key[0]} tercatat di lebih dari satu "
                            f"register: {shown}.", "Satu permohonan dicatat di satu register saja: hapus "
                            "salinan register dari inbox/ (mis. 'register - Salinan.xlsx'), atau perbaiki "
                            "No. Agenda.",
                            agenda=a.agenda)
            extra[(n, a.record.row)] = replace(problem, source=validations[n].register.name)
    if not extra:
        return list(validations)
    return [replace(v, assessments=tuple(
        replace(a, problems=(*a.problems, extra[(n, a.record.row)])) if (n, a.record.row) in extra else a
        for a in v.assessments)) for n, v in enumerate(validations)]


def _year(record: Record) -> str:
    received = record.get("tgl_diterima")
    return str(received.year) if isinstance(received, date) else "?"


def _check_pegawai(register: Register, today: date) -> list[Problem]:
    found: list[Problem] = []
    for r in register.pegawai:
        nip = r.text("nip")
        if nip and "nip" not in r.unreadable and (reason := check_nip(nip, today)):
            found.append(warning(C.PEGAWAI.name, r.row, register.header("Pegawai", "nip"), nip,
                                 f"NIP {r.text('nama')} tampaknya tidak sah: {reason}.",
                                 "Periksa NIP pada SK; untuk PPPK abaikan peringatan ini."))
        start, end = r.get("mulai"), r.get("selesai")
        if start and end and end < start:
            found.append(error(C.PEGAWAI.name, r.row, register.header("Pegawai", "selesai"), format_date(end),
                               f"Masa jabatan {r.text('nama')} berakhir ({format_date(end)}) sebelum dimulai "
                               f"({format_date(start)}).", "Perbaiki tanggal Mulai atau Selesai."))
    return found


def with_photo_warnings(validation: Validation) -> Validation:
    """From step 7 (Pelaksanaan, whose output is its documentation) on, a request without photos is a
    warning: incomplete documentation defeats oversight (the SOP's own warning). Call it once the photos are
    attached (`Assessment.photos`)."""
    step7 = STEPS[6]
    changed = []
    for a in validation.assessments:
        if a.record.get(step7.column) and not a.photos:
            folder = photo_folder_names(a.key[0], a.agenda)[0]
            missing = warning(
                "Permohonan", a.record.row, validation.register.header("Permohonan", step7.column), "",
                f"{step7.label} sudah diisi, tetapi tidak ada foto dokumentasi di lampiran/{folder}/.",
                f"Simpan foto pelaksanaan di folder inbox/lampiran/{folder}/ (JPEG/PNG); laporan "
                "memuatnya.", agenda=a.agenda)
            a = replace(a, problems=(*a.problems, replace(missing, source=validation.register.name)))
        changed.append(a)
    return replace(validation, assessments=tuple(changed))
