"""The monev figures against an independent computation written here: working days counted day by day from
the `holidays` package and the register's Hari Libur rows, on a generated year of 500 requests (the
generator's own record of what it wrote) and on the worked example (its step dates read by hand)."""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest

from pipeline.monev.figures import Figures, compute_figures
from pipeline.monev.period import Period, parse_period, quarter
from pipeline.office.init import init_folder
from pipeline.process import check as check_office
from pipeline.settings import Settings
from pipeline.validate import build_calendar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import itertools

from bench.generate_year import LIBUR, TODAY, Truth, generate_year


class OwnCalendar:
    """Monday–Friday, minus national holidays and cuti bersama, plus/minus the Hari Libur rows."""

    def __init__(self, libur: tuple[tuple[date, str, str], ...]) -> None:
        national = holidays.country_holidays("ID", years=range(2025, 2028),
                                             categories=("public", "government"))
        self.off = set(national) | {d for d, _, kind in libur if kind == "Libur"}
        self.on = {d for d, _, kind in libur if kind == "Masuk"}

    def working(self, day: date) -> bool:
        return day in self.on or (day.weekday() < 5 and day not in self.off)

    def between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end."""
        return sum(self.working(start + timedelta(days=k)) for k in range(1, (end - start).days + 1))

    def add(self, start: date, days: int) -> date:
        day = start
        while days:
            day += timedelta(days=1)
            days -= self.working(day)
        return day


def expected(truths: list[Truth], period: Period, today: date, cal: OwnCalendar) -> dict[str, object]:
    """The figures, computed from what the generator wrote."""
    states: Counter[str] = Counter()
    durations: dict[int, list[int]] = {n: [] for n in range(1, 13)}
    late: Counter[int] = Counter()
    pending: Counter[int] = Counter()
    waited: dict[int, int] = {}
    e2e: list[tuple[int, bool]] = []
    within = 0
    gaps: Counter[tuple[int, str]] = Counter()
    incomplete = 0
    for t in truths:
        if not period.start <= t.dates[1] <= period.end:
            continue
        numbers = sorted(t.dates)
        last = numbers[-1]
        finished = last == 12 and not t.held
        overdue = False
        if not finished and not t.held:
            deadline = cal.add(t.dates[last], 1)
            overdue = cal.between(deadline, today) > 0
        states["ditahan" if t.held else "selesai" if finished else "lewat" if overdue else "proses"] += 1
        if not t.held:
            for before, after in itertools.pairwise(numbers):  # step 9 after step 7 when step 8 is skipped
                days = cal.between(t.dates[before], t.dates[after])
                durations[after].append(days)
                late[after] += days > 1
            if overdue:
                nxt = 8 if last == 7 and t.decision != "Tidak" else 9 if last == 7 else last + 1
                pending[nxt] += 1
                waited[nxt] = max(waited.get(nxt, 0), cal.between(t.dates[last], today))
        if finished:
            days = cal.between(t.dates[1], t.dates[12])
            e2e.append((days, t.decision == "Ya"))
            within += days <= (11 if t.decision == "Ya" else 10)
        missing = set()
        if 4 in t.dates and "hasil_pemeriksaan" in t.empty:
            missing.add((4, "dokumen"))
        for number, column in ((6, "nomor_pengumuman"), (7, "nomor_ba"), (9, "nomor_laporan")):
            if number in t.dates and column in t.empty:
                missing.add((number, "dokumen"))
        if 5 in t.dates and t.devices == 0:
            missing.add((5, "perangkat"))
        if 7 in t.dates and not t.photos:
            missing.add((7, "foto"))
        if any(n > 8 for n in t.dates) and t.decision is None:
            missing.add((8, "keputusan"))
        gaps.update(missing)
        incomplete += bool(missing)
    return {"states": states, "durations": durations, "late": late, "pending": pending, "waited": waited,
            "e2e": e2e, "within": within, "gaps": gaps, "incomplete": incomplete}


def check(f: Figures, want: dict[str, object]) -> None:
    states = want["states"]
    assert isinstance(states, Counter)
    c = f.counts
    assert (c.diterima, c.selesai, c.proses, c.lewat_batas, c.ditahan) == (
        sum(states.values()), states["selesai"], states["proses"] + states["lewat"], states["lewat"],
        states["ditahan"])
    durations, late, pending, waited = want["durations"], want["late"], want["pending"], want["waited"]
    for s in f.steps:
        n = s.step.number
        days = durations[n]  # type: ignore[index]
        assert s.terlambat == late[n], n  # type: ignore[index]
        assert s.tepat == len(days) - late[n], n  # type: ignore[index]
        assert s.tertunggak == pending[n], n  # type: ignore[index]
        assert s.median == (statistics.median(days) if days else None), n
        assert s.terlama == (max(days) if days else None), n
        assert s.tertunggak_terlama == waited.get(n), n  # type: ignore[attr-defined]
    e2e = want["e2e"]
    t = f.turnaround
    assert t.selesai == len(e2e)  # type: ignore[arg-type]
    assert t.dalam_baku == want["within"]
    assert sorted((d, a, b) for d, a, b in t.sebaran) == sorted(
        (d, sum(1 for x, ya in e2e if x == d and not ya), sum(1 for x, ya in e2e if x == d and ya))  # type: ignore[union-attr]
        for d in {x for x, _ in e2e})  # type: ignore[union-attr]
    assert t.median == (statistics.median(x for x, _ in e2e) if e2e else None)  # type: ignore[union-attr]
    gaps = want["gaps"]
    got = Counter({(g.step.number, kind): getattr(g, kind) for g in f.gaps
                   for kind in ("dokumen", "foto", "perangkat", "keputusan") if getattr(g, kind)})
    assert got == gaps
    assert f.tidak_lengkap == want["incomplete"]


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Truth]]:
    root = tmp_path_factory.mktemp("year")
    return root, generate_year(root, 500)[1]


@pytest.fixture(scope="module")
def year_figures(year: tuple[Path, list[Truth]]) -> dict[str, Figures]:
    root, _ = year
    [validation] = check_office(Settings.build(root=root, today=TODAY)).validations  # photos attached
    register = validation.register
    return {key: compute_figures([(validation, build_calendar(register))], parse_period(key), TODAY)
            for key in ("2026", "2026-Q1", "2026-Q2", "2026-S2", "2026-03", "2026-11", "2026-12")}


@pytest.mark.parametrize("key", ["2026", "2026-Q1", "2026-Q2", "2026-S2", "2026-03", "2026-11", "2026-12"])
def test_generated_year_matches_an_independent_count(year: tuple[Path, list[Truth]],
                                                     year_figures: dict[str, Figures], key: str) -> None:
    _, truths = year
    period = parse_period(key)
    want = expected(truths, period, TODAY, OwnCalendar(LIBUR))
    check(year_figures[key], want)


def test_generated_year_exercises_what_it_should(year: tuple[Path, list[Truth]],
                                                 year_figures: dict[str, Figures]) -> None:
    """The comparison above means something only if the year has each case in it."""
    _, truths = year
    f = year_figures["2026"]
    steps = {s.step.number: s for s in f.steps}
    assert f.counts.diterima == 500
    assert f.counts.ditahan > 0 and f.counts.lewat_batas > 0 and f.counts.selesai > 100
    assert steps[8].dinilai > 0 and any(a > 0 for _, a, _ in f.turnaround.sebaran)  # both branches
    assert all(steps[n].terlambat > 0 for n in (2, 3, 10, 11))
    assert sum(s.tertunggak for s in f.steps) > 0
    assert {kind for g in f.gaps for kind in ("dokumen", "foto", "perangkat", "keputusan")
            if getattr(g, kind)} \
        == {"dokumen", "foto", "perangkat", "keputusan"}
    cal = OwnCalendar(LIBUR)
    spans = [(t.dates[a], t.dates[b]) for t in truths for a, b in zip(sorted(t.dates), sorted(t.dates)[1:])]
    # Spans over a holiday, over cuti bersama and over the local rows (Libur and Masuk) are all present.
    assert any(cal.between(x, y) < sum(1 for k in range(1, (y - x).days + 1)
                                       if (x + timedelta(days=k)).weekday() < 5) for x, y in spans)
    assert any(x < date(2026, 11, 18) < y for x, y in spans)
    assert any(x < date(2026, 5, 15) < y for x, y in spans)


def test_a_wrong_calendar_is_caught(year: tuple[Path, list[Truth]], year_figures: dict[str, Figures]) -> None:
    """The independent count is sensitive to the local rows: without them it disagrees."""
    _, truths = year
    want = expected(truths, parse_period("2026-11"), TODAY, OwnCalendar(()))
    with pytest.raises(AssertionError):
        check(year_figures["2026-11"], want)


# -- the worked example ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Figures:
    root = tmp_path_factory.mktemp("contoh")
    init_folder(root, contoh=True)
    [validation] = check_office(Settings.build(root=root, today=date(2026, 11, 28))).validations
    return compute_figures([(validation, build_calendar(validation.register))], quarter(2026, 4),
                           date(2026, 11, 28))


def test_example_quarter_iv_by_hand(example: Figures) -> None:
    """Read off the example's step dates (pipeline/office/example.py), today Saturday 28 November 2026.

    Ten requests were received in Oktober–Desember (1841 came in September). Finished: 2016 only. Open past
    a deadline: 2290 (step 11 on 12/11, step 12 due 13/11), 2331 (step 9 on 23/11, step 10 due 24/11),
    2348 (step 8 on 25/11, step 9 due 26/11). The others' next step is due 27/11 or later."""
    c = example.counts
    assert (c.diterima, c.selesai, c.proses, c.lewat_batas, c.ditahan) == (10, 1, 9, 3, 0)
    steps = {s.step.number: s for s in example.steps}
    # Step 2: 2398 disposed on Wednesday 25/11 a letter received on Monday 23/11: 2 working days, late;
    # 2016, 2290, 2331, 2348, 2379, 2391, 2406 the same day (0), 2427 the next day (1).
    # 2433 waits (due 30/11).
    assert (steps[2].tepat, steps[2].terlambat, steps[2].tertunggak) == (8, 1, 0)
    assert (steps[2].median, steps[2].terlama) == (0, 2)
    # Step 3: 2016 on Wednesday 7/10 after step 2 on Monday 5/10: late by one day (Kabid away).
    assert (steps[3].tepat, steps[3].terlambat) == (7, 1)
    # Step 6 of 2331: Thursday 19/11 after Tuesday 17/11 — on time only because 18/11 is the local
    # Hari Jadi in sheet Hari Libur.
    assert (steps[6].tepat, steps[6].terlambat) == (6, 0)
    # Step 8 is done by 2016 and 2348 (Perangkat Diganti = Ya); 2290 and 2331 go from 7 to 9.
    assert steps[8].dinilai == 2 and steps[9].tepat == 3
    assert (steps[12].tertunggak, steps[12].tertunggak_terlama) == (1, 10)  # 2290: 13/11 … 27/11, minus 18/11
    assert (steps[10].tertunggak, steps[9].tertunggak) == (1, 1)
    # 2016: received Monday 5/10, finished Monday 19/10: 10 working days, within the 11 of a request
    # with step 8.
    assert example.turnaround.sebaran == ((10, 0, 1),) and example.turnaround.dalam_baku == 1
    # Photos only for 2016, 2290 and 2348: 2331 and 2379 reached step 7 without them. 2348 and 2379 have
    # no Nomor BA yet.
    gap7 = next(g for g in example.gaps if g.step.number == 7)
    assert (gap7.foto, gap7.dokumen) == (2, 2) and set(gap7.contoh) == {"2331", "2348", "2379"}
    assert example.tidak_lengkap == 3
    assert [g.label for g in example.per_waktu] == ["Okt 2026", "Nov 2026", "Des 2026"]
    assert [g.counts.diterima for g in example.per_waktu] == [1, 9, 0]
