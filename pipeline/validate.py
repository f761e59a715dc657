"""Checks every request against the SOP in one pass and returns every problem as a value."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from pipeline.documents.catalog import due_documents
from pipeline.documents.photos import ImageRef, photo_folder_names
from pipeline.problems import Problem, error, warning
from pipeline.register import columns as C
from pipeline.register.columns import YaTidak
from pipeline.register.reader import Record, Register
from pipeline.register.values import age_on, check_nip, format_date, nip_birth_date, split_list
from pipeline.sop.calendar import WorkCalendar
from pipeline.sop.staff import Person, Staff
from pipeline.sop.steps import DECISION_STEP, STEPS, Actor, Step, applicable_steps, decision, withdrawn

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
    own = [*register.problems, *_check_pegawai(register, today)]
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
    own = [p for i, p in enumerate(register.problems) if i not in moved] + own[len(register.problems):]
    assessments = []
    for r in register.permohonan:
        agenda = r.text("no_agenda")
        found = [replace(p, agenda=agenda) for p in row_problems.get(r.row, [])]
        found += device_problems.get(agenda, [])
        checker = _RequestCheck(register, r, devices.get(agenda, []), staff, calendar, today)
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


class _RequestCheck:
    """All the rules for one Permohonan row."""

    def __init__(self, register: Register, record: Record, devices: list[Record], staff: Staff,
                 calendar: WorkCalendar, today: date) -> None:
        self.reg, self.r, self.devices, self.staff = register, record, devices, staff
        self.cal, self.today = calendar, today
        self.problems: list[Problem] = []
        self.done: list[tuple[Step, date]] = []
        self.late: list[tuple[Step, int]] = []
        self.next_step: Step | None = None
        self.next_deadline: date | None = None
        self.overdue = 0

    # helpers -------------------------------------------------------------------------------------
    def h(self, key: str) -> str:
        return self.reg.header(PERMOHONAN, key)

    def err(self, key: str, message: str, hint: str = "", value: object = None) -> None:
        shown = self.r.raw.get(key, "") if value is None else value
        self.problems.append(error(PERMOHONAN, self.r.row, self.h(key) if key else "", shown, message, hint))

    def warn(self, key: str, message: str, hint: str = "", value: object = None) -> None:
        shown = self.r.raw.get(key, "") if value is None else value
        header = self.h(key) if key else ""
        self.problems.append(warning(PERMOHONAN, self.r.row, header, shown, message, hint))

    def date_of(self, key: str) -> date | None:
        value = self.r.get(key)
        return value if isinstance(value, date) else None

    # the rules -----------------------------------------------------------------------------------
    def run(self, same_agenda: list[Record]) -> list[Problem]:
        self._required()
        if len(same_agenda) > 1:
            rows = ", ".join(str(o.row) for o in same_agenda if o.row != self.r.row)
            self.err("no_agenda", f"No. Agenda '{self.r.text('no_agenda')}' dipakai juga di baris {rows}.",
                     "Setiap permohonan harus punya No. Agenda sendiri; perbaiki salah satunya.")
        self._letter_dates()
        self._steps()
        self._decision()
        self._outage()
        self._petugas()
        self._signers()
        nip = self.r.text("nip_narahubung")
        if nip and "nip_narahubung" not in self.r.unreadable and (reason := check_nip(nip, self.today)):
            self.warn("nip_narahubung", f"NIP narahubung tampaknya tidak sah: {reason}.",
                      "Periksa kembali NIP narahubung; untuk PPPK/non-ASN abaikan peringatan ini.")
        return self.problems

    def _required(self) -> None:
        for col in C.PERMOHONAN.columns:
            present = col.key in self.reg.headers.get(PERMOHONAN, {})
            if col.required and present and col.key not in self.r.unreadable:
                value = self.r.get(col.key)
                if value is None or value == "":
                    self.err(col.key, f"Kolom wajib '{self.h(col.key)}' kosong.", f"Isi '{self.h(col.key)}'.")

    def _letter_dates(self) -> None:
        letter, received = self.date_of("tgl_surat"), self.date_of("tgl_diterima")
        if letter and received and letter > received:
            self.err("tgl_surat", f"Tanggal Surat ({format_date(letter)}) sesudah Tanggal Diterima "
                     f"({format_date(received)}); surat tidak mungkin diterima sebelum dibuat.",
                     "Periksa kedua tanggal pada surat dan buku agenda.")
        if letter and letter > self.today:
            self.err("tgl_surat", f"Tanggal Surat ({format_date(letter)}) ada di masa depan.",
                     "Periksa tahun dan bulan tanggal surat.")

    def _steps(self) -> None:
        decided = decision(self.r)
        steps = applicable_steps(decided)
        previous: tuple[Step, date] | None = None
        gap: Step | None = None
        for s in steps:
            day = self.date_of(s.column)
            if day is None:
                if gap is None and s.column not in self.r.unreadable:
                    gap = s
                continue
            if gap is not None and not (gap.number == DECISION_STEP and decided is None):
                self.err(s.column, f"{s.label} sudah diisi, tetapi {gap.label} belum diisi. "
                         "Langkah SOP harus berurutan.",
                         f"Isi '{self.h(gap.column)}' terlebih dahulu, atau periksa apakah tanggal ini "
                         "salah kolom.")
                gap = None
            if day > self.today:
                self.err(s.column, f"Tanggal {s.label} ({format_date(day)}) ada di masa depan.",
                         "Isi tanggal langkah setelah langkah itu benar-benar dilaksanakan.")
            if previous is not None:
                prev_step, prev_day = previous
                if day < prev_day:
                    self.err(s.column, f"{s.label} bertanggal {format_date(day)}, lebih awal dari "
                             f"{prev_step.label} ({format_date(prev_day)}). Langkah {s.number} tidak boleh "
                             f"mendahului langkah {prev_step.number}.",
                             "Periksa kedua tanggal dan perbaiki yang salah.")
                else:
                    late = self.cal.workdays_between(prev_day, day) - s.standard_days
                    if late > 0:
                        self.late.append((s, late))
                        deadline = self.cal.add_workdays(prev_day, s.standard_days)
                        self.warn(s.column, f"{s.label} terlambat {late} hari kerja: dilaksanakan "
                                  f"{format_date(day)}, padahal batas waktunya {format_date(deadline)} — "
                                  f"{s.standard_days} hari kerja setelah langkah {prev_step.number} "
                                  f"({format_date(prev_day)}).",
                                  self._late_hint())
            holiday = self.cal.holiday_name(day)
            if holiday and s.number != 1:
                self.warn(s.column, f"{s.label} bertanggal {format_date(day)}, bukan hari kerja ({holiday}).",
                          "Periksa tanggalnya; bila memang dikerjakan pada hari libur, abaikan peringatan "
                          "ini.")
            self._step_needs(s)
            self.done.append((s, day))
            previous = (s, day)
        self._next(steps, decided)

    def _late_hint(self) -> str:
        """What to do about a late step: nothing when Catatan already says why."""
        catatan = self.r.text("catatan")
        if catatan:
            return f"Alasan di kolom Catatan: {catatan}"
        return "Catat alasan keterlambatan di kolom Catatan."

    def _step_needs(self, s: Step) -> None:
        for key in s.needs:
            if not self.r.get(key) and key not in self.r.unreadable:
                self.err(key, f"{s.label} sudah diisi, tetapi '{self.h(key)}' yang diperlukan langkah itu "
                         "kosong.", f"Isi '{self.h(key)}'.")
        for key in s.wants:
            if not self.r.get(key) and key not in self.r.unreadable:
                self.warn(key, f"{s.label} sudah diisi, tetapi '{self.h(key)}' masih kosong; di dokumen akan "
                          "tercetak titik-titik.", f"Isi '{self.h(key)}' bila sudah diketahui.")

    def _next(self, steps: tuple[Step, ...], decided: YaTidak | None) -> None:
        recorded = {s.number for s, _ in self.done}
        last = self.done[-1] if self.done else None
        for s in steps:
            if s.number not in recorded and (last is None or s.number > last[0].number):
                self.next_step = s
                break
        if self.next_step is None or last is None:
            return
        self.next_deadline = self.cal.add_workdays(last[1], self.next_step.standard_days)
        if self.today > self.next_deadline:
            self.overdue = self.cal.workdays_between(self.next_deadline, self.today)
            if self.overdue > 0:
                column = self.next_step.column if decided or self.next_step.number != DECISION_STEP \
                    else "perangkat_diganti"
                actors = ", ".join(a.value for a in self.next_step.actors)
                self.warn(column, f"{self.next_step.label} belum dilaksanakan; batas waktunya "
                          f"{format_date(self.next_deadline)}, sudah lewat {self.overdue} hari kerja.",
                          f"Tindak lanjuti permohonan ini ({actors}), lalu isi '{self.h(column)}'."
                          if actors else f"Bila permohonan sudah selesai, isi '{self.h(column)}'.", value="")

    def _decision(self) -> None:
        decided = decision(self.r)
        replaced = [d for d in self.devices if withdrawn(d)]
        after = [s for s in STEPS if s.number > DECISION_STEP and self.date_of(s.column)]
        if decided is None and "perangkat_diganti" not in self.r.unreadable:
            if after:
                self.err("perangkat_diganti", f"{after[0].label} sudah diisi, tetapi keputusan langkah 8 "
                         f"('{self.h('perangkat_diganti')}') belum diisi.", "Isi Ya atau Tidak.")
            elif self.date_of("tgl_penarikan"):
                self.err("perangkat_diganti", f"'{self.h('tgl_penarikan')}' diisi, tetapi "
                         f"'{self.h('perangkat_diganti')}' kosong.",
                         "Isi Ya bila ada perangkat yang diganti/ditarik.")
        rows = ", ".join(str(d.row) for d in replaced)
        if decided is YaTidak.YA and not replaced:
            self.err("perangkat_diganti", "Perangkat Diganti = Ya, tetapi di sheet Perangkat tidak ada "
                     "perangkat permohonan ini dengan Tindakan Diganti atau Ditarik.",
                     "Isi Tindakan pada baris perangkat yang diganti/ditarik, atau ubah menjadi Tidak.")
        if decided is YaTidak.TIDAK and replaced:
            self.err("perangkat_diganti", f"Perangkat Diganti = Tidak, tetapi sheet Perangkat baris {rows} "
                     "bertindakan Diganti/Ditarik.", "Ubah menjadi Ya, atau perbaiki Tindakan perangkat itu.")
        if decided is YaTidak.TIDAK and self.date_of("tgl_penarikan"):
            self.err("tgl_penarikan", "Perangkat Diganti = Tidak, tetapi Tgl Penarikan diisi; langkah 8 "
                     "dilewati bila tidak ada perangkat yang diganti.",
                     "Kosongkan Tgl Penarikan, atau ubah Perangkat Diganti menjadi Ya.")

    def _outage(self) -> None:
        start, end = self.r.get("henti_mulai"), self.r.get("henti_selesai")
        if start and end and end <= start:
            self.err("henti_selesai", "Henti Selesai harus sesudah Henti Mulai.",
                     "Periksa tanggal dan jam penghentian layanan.")
        elif bool(start) != bool(end) and not {"henti_mulai", "henti_selesai"} & self.r.unreadable:
            missing = "henti_selesai" if start else "henti_mulai"
            self.err(missing, f"'{self.h(missing)}' kosong, padahal pasangannya diisi.",
                     "Isi kedua tanggal dan jam penghentian layanan.")

    def _petugas(self) -> None:
        for name in split_list(self.r.text("petugas")):
            person = self.staff.find(name)
            if person is None:
                near = [p.nama for p in self.staff.people if p.role is Actor.TIM]
                close = difflib.get_close_matches(name, near, n=1, cutoff=0.6)
                hint = (f"Apakah maksudnya '{close[0]}'?" if close else
                        "Tulis nama persis seperti di sheet Pegawai, atau tambahkan pegawai itu.")
                self.err("petugas", f"Petugas '{name}' tidak ada di sheet Pegawai.", hint, value=name)
            elif person.role is not Actor.TIM:
                role = person.role.value if person.role else "tanpa peran"
                self.warn("petugas", f"Petugas '{name}' tercatat di sheet Pegawai sebagai {role}, "
                          "bukan Tim Teknis.", "Periksa kolom Peran di sheet Pegawai.", value=name)

    def _signers(self) -> None:
        needed: dict[tuple[Actor, date], str] = {}
        for s, day in self.done:
            for actor in s.actors:
                if actor in (Actor.KADIS, Actor.KABID):
                    needed.setdefault((actor, day), s.column)
        for doc in due_documents(self.r):
            for signer in doc.signers:
                column = signer.date_column or doc.date_column
                signed = self.date_of(column)
                if signed:
                    needed.setdefault((signer.role, signed), column)
        retired: set[str] = set()
        for (role, day), column in sorted(needed.items(), key=lambda kv: kv[0][1]):
            holder = self.staff.holder(role, day)
            age = _age(holder, day) if holder is not None else None
            if holder is not None and age is not None and age >= _RETIREMENT[role] \
                    and holder.nama not in retired:
                retired.add(holder.nama)
                self.warn(column, f"{holder.nama} ({role.value}) menurut NIP-nya berusia {age} tahun pada "
                          f"{format_date(day)}: melewati batas usia pensiun {_RETIREMENT[role]} tahun.",
                          "Periksa NIP dan masa jabatan (Mulai–Selesai) di sheet Pegawai; tambahkan "
                          "pejabat yang menjabat pada tanggal itu.", value=holder.nip)
            if holder is None:
                self.err(column, f"Tidak ada {role.value} yang menjabat pada {format_date(day)} untuk "
                         "menandatangani.", f"Tambahkan {role.value} (Definitif, Plt. atau Plh.) di sheet "
                         "Pegawai dengan masa jabatan (Mulai–Selesai) yang mencakup tanggal itu.")


# Batas usia pensiun: 60 for a pejabat pimpinan tinggi (the Kepala Dinas), 58 for an administrator (the
# Kepala Bidang) and for the others who sign (UU ASN).
_RETIREMENT = {Actor.KADIS: 60, Actor.KABID: 58, Actor.TIM: 58, Actor.PD: 58}


def _age(person: Person, day: date) -> int | None:
    """The age on `day` by the birth date the NIP begins with, or None."""
    born = nip_birth_date(person.nip)
    return age_on(born, day) if born is not None else None


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
