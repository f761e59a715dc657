"""Value parsers and normalisers: exact cases plus properties."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.register.values import (
    check_domain,
    check_ip,
    check_nip,
    clean_text,
    date_in_words,
    format_date,
    format_day_date,
    format_nip,
    norm_key,
    pangkat_golongan,
    parse_date,
    parse_datetime,
    parse_time,
)


@pytest.mark.parametrize("text", ["15/04/2026", "15-04-2026", "2026-04-15", "15 April 2026", "15 april 2026",
                                  "Rabu, 15 April 2026", "15.04.2026", " 15/4/2026 ", "15 Apr 2026"])
def test_parse_date_accepted_forms(text: str) -> None:
    assert parse_date(text) == date(2026, 4, 15)


def test_day_first_is_the_convention() -> None:
    assert parse_date("03/04/2026") == date(2026, 4, 3)


@pytest.mark.parametrize("text", ["15/04/26", "April 15, 2026", "31/02/2026", "besok", "15 Apirl 2026",
                                  "2026/04/15", "15-04/2026"])
def test_parse_date_refuses_rather_than_guesses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_parse_date_from_excel_values() -> None:
    assert parse_date(datetime(2026, 4, 15, 0, 0)) == date(2026, 4, 15)
    assert parse_date(46127) == date(2026, 4, 15)
    with pytest.raises(ValueError):
        parse_date(17)  # a number that is not a plausible date serial
    with pytest.raises(ValueError):
        parse_date(True)


@pytest.mark.parametrize(("text", "expected"), [("08.00", time(8, 0)), ("08:00", time(8, 0)),
                                                ("8.30", time(8, 30)), ("13.45 WIB", time(13, 45))])
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25.00", "8", "08,00", "jam 8"])
def test_parse_time_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


def test_parse_datetime() -> None:
    assert parse_datetime("15/06/2026 08.00") == datetime(2026, 6, 15, 8, 0)
    assert parse_datetime("15 Juni 2026 pukul 13:30 WIB") == datetime(2026, 6, 15, 13, 30)
    assert parse_datetime(46188.5) == datetime(2026, 6, 15, 12, 0)
    with pytest.raises(ValueError, match="tidak berisi jam"):
        parse_datetime("15/06/2026")


def test_indonesian_formats() -> None:
    assert format_date(date(2026, 6, 15)) == "15 Juni 2026"
    assert format_day_date(date(2026, 6, 19)) == "Jumat, 19 Juni 2026"
    assert date_in_words(date(2026, 6, 15)) == ("hari ini Senin tanggal Lima Belas bulan Juni tahun "
                                                "Dua Ribu Dua Puluh Enam (15-06-2026)")
    assert date_in_words(date(2024, 8, 17)).startswith("hari ini Sabtu tanggal Tujuh Belas bulan Agustus")


def test_clean_text() -> None:
    assert clean_text("  PT Telkom & Co <Ltd>\r\n baris 2  ") == "PT Telkom & Co <Ltd>\nbaris 2"
    assert clean_text("x\x0by\x00z") == "xyz"
    assert clean_text("\u200fDinas\u200b Kesehatan\ufeff") == "Dinas Kesehatan"
    assert clean_text(17.0) == "17"
    assert clean_text(None) == ""


@given(st.text())
def test_clean_text_is_xml_safe_and_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)
    assert "\r" not in cleaned and not cleaned.startswith((" ", "\n")) and not cleaned.endswith((" ", "\n"))


def test_norm_key_matches_renamed_headers() -> None:
    assert norm_key("No. Agenda") == norm_key("nomor agenda") == norm_key("NO AGENDA")
    assert norm_key("Tanggal Disposisi Kepala Dinas") == norm_key("Tgl Disposisi Kadis")


def test_nip() -> None:
    assert format_nip("196301071990031004") == "19630107 199003 1 004"
    assert format_nip("19630107 199003 1 004") == "19630107 199003 1 004"
    assert check_nip("196301071990031004", date(2026, 1, 1)) is None
    assert "18 angka" in check_nip("1963010719900310", date(2026, 1, 1))
    assert "tanggal lahir" in check_nip("196313071990031004", date(2026, 1, 1))
    assert "jenis kelamin" in check_nip("196301071990033004", date(2026, 1, 1))
    assert "TMT" in check_nip("196301071970031004", date(2026, 1, 1))


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2000, 12, 31)), st.integers(18, 30),
       st.integers(1, 12), st.sampled_from("12"), st.integers(1, 999))
def test_nip_built_from_its_rules_is_valid(born: date, age: int, month: int, sex: str, seq: int) -> None:
    nip = f"{born:%Y%m%d}{born.year + age}{month:02d}{sex}{seq:03d}"
    assert check_nip(nip, date(2031, 1, 1)) is None
    assert format_nip(nip).replace(" ", "") == nip


@pytest.mark.parametrize(("text", "expected"), [
    ("IV/c", "Pembina Utama Muda (IV/c)"), ("Pembina Utama Muda", "Pembina Utama Muda (IV/c)"),
    ("Pembina Utama Muda / IV.c", "Pembina Utama Muda (IV/c)"),
    ("Penata Muda Tk. I (III/b)", "Penata Muda Tingkat I (III/b)"),
    ("III/d", "Penata Tingkat I (III/d)"), ("Pembina (III/a)", None), ("Kepala", None), ("", None)])
def test_pangkat_golongan(text: str, expected: str | None) -> None:
    assert pangkat_golongan(text) == expected


def test_ip_and_domain() -> None:
    assert check_ip("10.20.1.15; 10.20.1.16") is None
    assert check_ip("fe80::1") is None
    assert check_ip("10.20.1.256") is not None
    assert check_domain("simpus.karanganyarkab.go.id") is None
    assert check_domain("simpus") is not None
    assert check_domain("-bad.karanganyarkab.go.id") is not None
    assert "alamat web" in check_domain("https://simpus.karanganyarkab.go.id")
