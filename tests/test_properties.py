"""Property-based tests: the sanitiser, the working-day calculator, the date parsers."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.outbox.files import inside, safe_name
from pipeline.outbox.folders import request_folder_name
from pipeline.register.values import format_date, parse_date, parse_datetime, parse_time
from pipeline.sop.calendar import WorkCalendar

CAL = WorkCalendar({date(2026, 11, 18): "Hari Jadi"}, [date(2026, 8, 15)])
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
KEYS = st.text(min_size=1, max_size=120)


@given(KEYS, KEYS)
def test_folder_name_is_safe_and_inside(agenda: str, pd: str) -> None:
    name = request_folder_name(agenda, pd)
    assert name and len(name) <= 80
    assert not set(name) & set('/\\\\:*?"<>|') and not any(ord(c) < 32 for c in name)
    assert not name.endswith((".", " ")) and not name.startswith(".")
    root = Path("/tmp/outbox-property")
    assert root in inside(root, "2026", name).parents


@given(st.text(max_size=200))
def test_safe_name_is_idempotent(text: str) -> None:
    once = safe_name(text)
    assert safe_name(once) == once


@settings(max_examples=300)
@given(st.tuples(KEYS, KEYS), st.tuples(KEYS, KEYS))
def test_folder_name_is_injective(a: tuple[str, str], b: tuple[str, str]) -> None:
    if a != b:
        assert request_folder_name(*a) != request_folder_name(*b)


def test_folder_name_separator_cannot_be_forged() -> None:
    assert request_folder_name("a -", "b") != request_folder_name("a", "- b")
    assert request_folder_name("017", "Dinas Kesehatan") == "017 - Dinas Kesehatan"


@given(DAYS, st.integers(0, 40))
def test_add_workdays_inverts_workdays_between(start: date, n: int) -> None:
    end = CAL.add_workdays(start, n)
    assert CAL.workdays_between(start, end) == n
    if n:
        assert CAL.is_workday(end)


@given(DAYS, DAYS)
def test_workdays_between_is_additive(a: date, b: date) -> None:
    lo, hi = sorted((a, b))
    mid = lo + (hi - lo) / 2
    assert CAL.workdays_between(lo, hi) == CAL.workdays_between(lo, mid) + CAL.workdays_between(mid, hi)
    assert CAL.workdays_between(hi, lo) == 0
    assert CAL.workdays_between(lo, hi) <= (hi - lo).days


@given(DAYS)
def test_weekends_and_local_days(day: date) -> None:
    if day == date(2026, 8, 15):
        assert CAL.is_workday(day)  # a 'Masuk' row makes a Saturday a working day
    elif day.weekday() >= 5 or day == date(2026, 11, 18):
        assert not CAL.is_workday(day)


@given(DAYS)
def test_date_text_round_trips(day: date) -> None:
    for text in (f"{day:%d/%m/%Y}", f"{day:%d-%m-%Y}", day.isoformat(), format_date(day),
                 f"{day.day}/{day.month}/{day.year}"):
        assert parse_date(text) == day


@given(DAYS, st.integers(0, 23), st.integers(0, 59), st.sampled_from([".", ":"]))
def test_datetime_text_round_trips(day: date, hour: int, minute: int, sep: str) -> None:
    parsed = parse_datetime(f"{day:%d/%m/%Y} {hour:02d}{sep}{minute:02d}")
    assert (parsed.date(), parsed.hour, parsed.minute) == (day, hour, minute)
    assert parse_time(f"{hour}{sep}{minute:02d}").hour == hour


@given(st.text(max_size=30))
def test_date_parser_never_guesses(text: str) -> None:
    try:
        parsed = parse_date(text)
    except ValueError:
        return
    # Whatever it accepted must be a date that text spells: its year appears in it.
    assert str(parsed.year) in text


def test_workday_counts_do_not_depend_on_the_order_of_questions() -> None:
    """The prefix table grows as questions come; a count must not mix two tables (a 2027 question
    once turned 19 June–30 July 2026 from 29 working days into -219)."""
    fresh = WorkCalendar().workdays_between(date(2026, 6, 19), date(2026, 7, 30))
    assert fresh == 29
    for first_question in (date(2027, 9, 1), date(2019, 1, 1), date(2031, 12, 31)):
        cal = WorkCalendar()
        cal.workdays_between(date(2026, 6, 1), first_question)
        cal.workdays_between(first_question, first_question + timedelta(days=3))
        assert cal.workdays_between(date(2026, 6, 19), date(2026, 7, 30)) == fresh
        assert cal.workdays_between(date(2025, 12, 20), date(2028, 1, 5)) == \
            WorkCalendar().workdays_between(date(2025, 12, 20), date(2028, 1, 5))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(DAYS, DAYS), min_size=2, max_size=6))
def test_any_order_of_questions_gives_the_same_counts(spans: list[tuple[date, date]]) -> None:
    cal = WorkCalendar()
    answers = [cal.workdays_between(a, b) for a, b in spans]
    assert answers == [WorkCalendar().workdays_between(a, b) for a, b in spans]
    assert answers == [cal.workdays_between(a, b) for a, b in reversed(spans)][::-1]


def test_extreme_dates_do_not_overflow() -> None:
    cal = WorkCalendar()
    assert cal.workdays_between(date(2026, 1, 1), date(2026, 1, 2)) == 1
    assert cal.add_workdays(date.max - timedelta(days=3), 10) == date.max
