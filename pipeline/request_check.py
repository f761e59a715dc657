"""The SOP's rules for one Permohonan row: the columns it needs, its letter dates, its steps in order and on
time (one working day each), the decision of step 8, the service outage, the petugas and the signers on
their dates — every problem a value naming the row, the clerk's header and what to do."""

from __future__ import annotations

import difflib
from datetime import date

from pipeline.documents.catalog import due_documents
from pipeline.problems import Problem, error, warning
from pipeline.register import columns as C
from pipeline.register.columns import YaTidak
from pipeline.register.reader import Record, Register
from pipeline.register.values import age_on, check_nip, format_date, nip_birth_date, split_list
from pipeline.sop.calendar import WorkCalendar
from pipeline.sop.staff import Person, Staff
from pipeline.sop.steps import DECISION_STEP, STEPS, Actor, Step, applicable_steps, decision, withdrawn

PERMOHONAN = C.PERMOHONAN.name


class RequestCheck:
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
