"""The figures of a monev report, computed from validated registers: requests by state, each step against
its mutu baku, end-to-end working days, completeness. Pure: no printing, no writing; only
the documentation photos are those validation attached to each request (``Assessment.photos``)."""

from __future__ import annotations

import bisect
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from pipeline.documents.catalog import DOCUMENTS, Condition
from pipeline.monev.period import Period
from pipeline.register.columns import YaTidak
from pipeline.register.reader import Record
from pipeline.register.values import month_names
from pipeline.sop.calendar import WorkCalendar
from pipeline.sop.steps import DECISION_STEP, STEPS, Step, applicable_steps, decision, withdrawn
from pipeline.validate import Assessment, Validation

# Which step completes the record of each kind of data (SOP.md, 'The twelve steps').
DEVICE_STEP = 5  # dokumen isian kelengkapan: the inventory of the devices maintained
PHOTO_STEP = 7  # pelaksanaan: documented with photos (output 'Dokumentasi')
EXAMPLES = 5  # agenda numbers quoted per completeness row


@dataclass(frozen=True)
class Counts:
    """Requests by state; the states exclude each other and add up to ``diterima``."""

    diterima: int = 0
    selesai: int = 0  # step 12 recorded, no error
    proses: int = 0  # still open, no error
    lewat_batas: int = 0  # of ``proses``: the next step's deadline has passed
    ditahan: int = 0  # the register row has an error (galat), whatever its step


@dataclass(frozen=True)
class StepFigures:
    """One step against its mutu baku. A step is *dinilai* once it is done, or once its deadline has
    passed."""

    step: Step
    tepat: int  # done within the mutu baku
    terlambat: int  # done after it
    tertunggak: int  # not done, deadline passed (an open request is not late before that)
    median: float | None  # working days after the previous step, over the steps done
    terlama: int | None
    tertunggak_terlama: int | None  # working days the longest overdue one has waited so far

    @property
    def dinilai(self) -> int:
        return self.tepat + self.terlambat + self.tertunggak

    @property
    def share(self) -> float | None:
        """Share of the assessed steps done on time (None when none was assessed)."""
        return self.tepat / self.dinilai if self.dinilai else None


@dataclass(frozen=True)
class Turnaround:
    """Working days from Tanggal Diterima to Tgl Selesai, against the SOP's total for the request's branch."""

    baku: tuple[int, int]  # the SOP's total without step 8, with step 8
    sebaran: tuple[tuple[int, int, int], ...]  # (working days, requests without step 8, with step 8)
    dalam_baku: int  # finished within the SOP's total

    @property
    def selesai(self) -> int:
        return sum(a + b for _, a, b in self.sebaran)

    @property
    def median(self) -> float | None:
        return _median(Counter({days: a + b for days, a, b in self.sebaran}))

    @property
    def terlama(self) -> int | None:
        return max((days for days, a, b in self.sebaran if a + b), default=None)


@dataclass(frozen=True)
class Gap:
    """Requests whose record is incomplete at one step, by what is missing."""

    step: Step
    dokumen: int  # a column the step needs, or the number of a document it produces
    foto: int  # no documentation photo in inbox/lampiran/<No. Agenda>/
    perangkat: int  # no device in sheet Perangkat (or none replaced although Perangkat Diganti = Ya)
    # the step-8 decision (Perangkat Diganti, Tgl Penarikan) missing while later steps are dated
    keputusan: int
    contoh: tuple[str, ...]  # a few of the agenda numbers

    @property
    def total(self) -> int:
        return self.dokumen + self.foto + self.perangkat + self.keputusan


@dataclass(frozen=True)
class Group:
    """The requests of one Perangkat Daerah, or received in one month or week."""

    label: str
    counts: Counts
    dalam_baku: int  # finished within the SOP's total
    start: date | None = None  # first day of a month or week bucket


@dataclass(frozen=True)
class Figures:
    period: Period
    today: date  # the state of the registers on this day
    counts: Counts
    steps: tuple[StepFigures, ...]  # the twelve steps (step 1 has no time of its own)
    turnaround: Turnaround
    gaps: tuple[Gap, ...]  # steps whose record is checked for completeness
    tidak_lengkap: int  # requests with at least one gap
    per_pd: tuple[Group, ...]  # most requests first
    per_waktu: tuple[Group, ...]  # per month, or per week for a period of two months or less
    tanpa_tanggal: int  # requests with no readable Tanggal Diterima: in no period

    def digest(self) -> str:
        """Changes whenever a figure changes (REKAP.xlsx's digest includes it)."""
        body = json.dumps(asdict(self), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()


def sop_total(decided: YaTidak | None) -> int:
    """Working days the SOP allows from Tanggal Diterima to Tgl Selesai: the mutu baku of every step after
    step 1 that the request goes through (10 without step 8, 11 with it)."""
    return sum(s.standard_days for s in applicable_steps(decided) if s.number > 1)


class _Tally:
    """Running totals; memory depends on the number of distinct values, not of requests."""

    def __init__(self) -> None:
        self.states: Counter[str] = Counter()
        self.dalam_baku = 0

    def add(self, state: str, within: bool) -> None:
        self.states[state] += 1
        self.dalam_baku += within

    def counts(self) -> Counts:
        s = self.states
        return Counts(sum(s.values()), s["selesai"], s["proses"] + s["lewat_batas"], s["lewat_batas"],
                      s["ditahan"])


def compute_figures(sources: Iterable[tuple[Validation, WorkCalendar]], period: Period,
                    today: date) -> Figures:
    """The figures of ``period`` from each register's validation and working calendar.

    A request belongs to the period of its Tanggal Diterima. Its state is taken on ``today`` (the day the
    registers were validated). Times come from error-free requests only (an error may be a wrong date);
    completeness counts every request."""
    total = _Tally()
    by_pd: dict[str, _Tally] = {}
    buckets = _buckets(period)
    starts = [start for start, _ in buckets]
    by_bucket = {start: _Tally() for start in starts}
    durations: dict[int, Counter[int]] = {s.number: Counter() for s in STEPS}
    late: Counter[int] = Counter()
    pending: Counter[int] = Counter()
    pending_max: dict[int, int] = {}
    spread: dict[int, list[int]] = {}
    gaps: dict[int, Counter[str]] = {s.number: Counter() for s in STEPS}
    examples: dict[int, list[str]] = {s.number: [] for s in STEPS}
    incomplete = undated = 0
    for validation, calendar in sources:
        devices = Counter(d.text("no_agenda") for d in validation.register.perangkat)
        replaced = Counter(d.text("no_agenda") for d in validation.register.perangkat if withdrawn(d))
        for a in validation.assessments:
            received = a.record.get("tgl_diterima")
            if not isinstance(received, date):
                undated += 1
                continue
            if received not in period:
                continue
            held = a.held or validation.blocked
            finished = not held and a.next_step is None and bool(a.done)
            state = "ditahan" if held else "selesai" if finished \
                else "lewat_batas" if a.overdue > 0 else "proses"
            within = False
            if not held:
                _step_times(a, calendar, today, durations, late, pending, pending_max)
            if finished:
                decided = decision(a.record)
                days = calendar.workdays_between(received, a.done[-1][1])
                row = spread.setdefault(days, [0, 0])
                row[decided is YaTidak.YA] += 1
                within = days <= sop_total(decided)
            total.add(state, within)
            by_pd.setdefault(a.record.text("perangkat_daerah") or "(tanpa nama)", _Tally()).add(state, within)
            by_bucket[_bucket_of(starts, received)].add(state, within)
            missing = _missing(a.record, devices[a.agenda], replaced[a.agenda], bool(a.photos))
            for number, kind in missing:
                gaps[number][kind] += 1
                if len(examples[number]) < EXAMPLES and a.agenda not in examples[number]:
                    examples[number].append(a.agenda)
            incomplete += bool(missing)
    steps = tuple(StepFigures(s, sum(durations[s.number].values()) - late[s.number], late[s.number],
                              pending[s.number], _median(durations[s.number]),
                              max(durations[s.number], default=None), pending_max.get(s.number))
                  for s in STEPS)
    turnaround = Turnaround((sop_total(YaTidak.TIDAK), sop_total(YaTidak.YA)),
                            tuple((days, n[0], n[1]) for days, n in sorted(spread.items())), total.dalam_baku)
    checked = sorted({number for number, _ in CHECKS})
    gap_rows = tuple(Gap(STEPS[n - 1], gaps[n]["dokumen"], gaps[n]["foto"], gaps[n]["perangkat"],
                         gaps[n]["keputusan"], tuple(examples[n])) for n in checked)
    per_pd = tuple(Group(name, t.counts(), t.dalam_baku)
                   for name, t in sorted(by_pd.items(), key=lambda kv: (-sum(kv[1].states.values()), kv[0])))
    per_waktu = tuple(Group(label, by_bucket[start].counts(), by_bucket[start].dalam_baku, start)
                      for start, label in buckets)
    return Figures(period, today, total.counts(), steps, turnaround, gap_rows, incomplete, per_pd, per_waktu,
                   undated)


def _step_times(a: Assessment, calendar: WorkCalendar, today: date, durations: Mapping[int, Counter[int]],
                late: Counter[int], pending: Counter[int], pending_max: dict[int, int]) -> None:
    """Each recorded step against the one before it (so step 9 follows step 7 when step 8 is skipped), and
    the next step once its deadline has passed."""
    previous: date | None = None
    for step, day in a.done:
        if previous is not None:
            days = calendar.workdays_between(previous, day)
            durations[step.number][days] += 1
            late[step.number] += days > step.standard_days
        previous = day
    if a.next_step is not None and a.overdue > 0 and previous is not None:
        number = a.next_step.number
        pending[number] += 1
        waited = calendar.workdays_between(previous, today)
        pending_max[number] = max(pending_max.get(number, 0), waited)


# The (step, kind) pairs that can be missing; 'dokumen' also covers the steps' own needs/wants and numbers.
_NUMBERED = tuple((next(s.number for s in STEPS if s.column == d.date_column), d.number_column, d.only_if)
                  for d in DOCUMENTS if d.number_column)
CHECKS = (*((s.number, "dokumen") for s in STEPS if s.needs or s.wants),
           *((number, "dokumen") for number, _, _ in _NUMBERED),
           (DEVICE_STEP, "perangkat"), (PHOTO_STEP, "foto"), (DECISION_STEP, "keputusan"),
           (DECISION_STEP, "perangkat"))


def _missing(r: Record, devices: int, replaced: int, has_photos: bool) -> list[tuple[int, str]]:
    """What the record of one request lacks, by step; a step is checked once it is dated."""
    def dated(number: int) -> bool:
        return isinstance(r.get(STEPS[number - 1].column), date)

    decided = decision(r)
    found: list[tuple[int, str]] = []
    for s in STEPS:
        if dated(s.number) and any(not r.get(key) for key in (*s.needs, *s.wants)):
            found.append((s.number, "dokumen"))
    for number, column, only_if in _NUMBERED:
        if dated(number) and not r.get(column) \
                and (only_if is not Condition.DIGANTI or decided is YaTidak.YA) \
                and (number, "dokumen") not in found:
            found.append((number, "dokumen"))
    if dated(DEVICE_STEP) and devices == 0:
        found.append((DEVICE_STEP, "perangkat"))
    if dated(PHOTO_STEP) and not has_photos:
        found.append((PHOTO_STEP, "foto"))
    after = any(dated(s.number) for s in STEPS if s.number > DECISION_STEP)
    if after and (decided is None or (decided is YaTidak.YA and not dated(DECISION_STEP))):
        found.append((DECISION_STEP, "keputusan"))
    if decided is YaTidak.YA and (dated(DECISION_STEP) or after) and replaced == 0:
        found.append((DECISION_STEP, "perangkat"))
    return found


def _median(counter: Counter[int]) -> float | None:
    n = sum(counter.values())
    if n == 0:
        return None
    wanted = (n - 1) // 2, n // 2  # the two middle positions (the same one when n is odd)
    values: list[int] = []
    seen = 0
    for value in sorted(counter):
        count = counter[value]
        for position in wanted:
            if seen <= position < seen + count:
                values.append(value)
        seen += count
    return sum(values) / 2


def _buckets(period: Period) -> list[tuple[date, str]]:
    """(first day, label) of each month of the period, or of each week when the period is two months or
    less."""
    if (period.end - period.start).days <= 62:
        out = []
        day = period.start
        while day <= period.end:
            end = min(day + timedelta(days=6 - day.weekday()), period.end)
            label = f"{day.day}–{end.day} {month_names()[end.month - 1][:3]}" if day.month == end.month \
                else (f"{day.day} {month_names()[day.month - 1][:3]}–"
                      f"{end.day} {month_names()[end.month - 1][:3]}")
            out.append((day, label if day != end else f"{day.day} {month_names()[day.month - 1][:3]}"))
            day = end + timedelta(days=1)
        return out
    out = []
    day = period.start
    while day <= period.end:
        out.append((day, f"{month_names()[day.month - 1][:3]} {day.year}"))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def _bucket_of(starts: list[date], day: date) -> date:
    return starts[max(bisect.bisect_right(starts, day) - 1, 0)]
