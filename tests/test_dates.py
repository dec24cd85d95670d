"""Tests for crawler.extraction.dates: Indonesian date text -> ISO 8601."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extraction import dates
from crawler.extraction.dates import (
    ZONE_OFFSETS,
    DateLine,
    parse_date,
    parse_date_line,
    to_offset,
)

# 12:00 UTC = 19:00 WIB on Sunday 9 January 2022; every relative form is anchored here.
NOW = datetime(2022, 1, 9, 12, 0, tzinfo=UTC)

ISO_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?")


# --- parse_date: one row per printed form -------------------------------------------

NOISY_LINES = [
    ("Oleh Beryl Santoso - 7 Oktober 2020, 15:13 WIB", "2020-10-07T15:13:00+07:00"),
    ("- 9 Januari 2022, 16:51 WIB", "2022-01-09T16:51:00+07:00"),
    ("Senin, 23 Februari 2016 | 16:37 WIB", "2016-02-23T16:37:00+07:00"),
    ("Kompas.com - 22/03/2015, 13:37 WIB", "2015-03-22T13:37:00+07:00"),
    ("  Minggu,\u00a09 Januari\n2022  ", "2022-01-09"),
]

MONTH_NAMES = [
    ("1 Januari 2020", "2020-01-01"),
    ("2 februari 2020", "2020-02-02"),
    ("3 MARET 2020", "2020-03-03"),
    ("4 April 2020", "2020-04-04"),
    ("5 Mei 2020", "2020-05-05"),
    ("6 Juni 2020", "2020-06-06"),
    ("7 Juli 2020", "2020-07-07"),
    ("8 Agustus 2020", "2020-08-08"),
    ("9 September 2020", "2020-09-09"),
    ("10 Oktober 2020", "2020-10-10"),
    ("11 November 2020", "2020-11-11"),
    ("12 Desember 2020", "2020-12-12"),
    ("3 Pebruari 2021", "2021-02-03"),
]

MONTH_ABBREVIATIONS = [
    ("1 Jan 2020", "2020-01-01"),
    ("1 Feb 2020", "2020-02-01"),
    ("1 Mar 2020", "2020-03-01"),
    ("1 Apr 2020", "2020-04-01"),
    ("1 MEI 2020", "2020-05-01"),
    ("1 Jun 2020", "2020-06-01"),
    ("1 Jul 2020", "2020-07-01"),
    ("1 Agu 2020", "2020-08-01"),
    ("1 Agt 2020", "2020-08-01"),
    ("1 Ags 2020", "2020-08-01"),
    ("1 Agus 2020", "2020-08-01"),
    ("1 Sep 2020", "2020-09-01"),
    ("1 Sept 2020", "2020-09-01"),
    ("1 okt 2020", "2020-10-01"),
    ("1 Okt. 2020", "2020-10-01"),
    ("1 Nov 2020", "2020-11-01"),
    ("1 Nop 2020", "2020-11-01"),
    ("1 Des 2020", "2020-12-01"),
    ("09-Jan-2022", "2022-01-09"),
]

ENGLISH_MONTHS = [
    ("7 October 2020", "2020-10-07"),
    ("7 Oct 2020", "2020-10-07"),
    ("17 Aug 2020", "2020-08-17"),
    ("25 Dec 2020", "2020-12-25"),
    ("1 May 2020", "2020-05-01"),
    ("Oct 7, 2020", "2020-10-07"),
    ("October 7th, 2020", "2020-10-07"),
]

WEEKDAYS = [
    ("Senin, 5 Oktober 2020", "2020-10-05"),
    ("Selasa, 6 Oktober 2020", "2020-10-06"),
    ("Rabu, 7 Oktober 2020", "2020-10-07"),
    ("Kamis 8 Oktober 2020", "2020-10-08"),
    ("Jumat, 9 Oktober 2020", "2020-10-09"),
    ("Jum'at, 9 Oktober 2020", "2020-10-09"),
    ("Sabtu, 10 Oktober 2020", "2020-10-10"),
    ("Minggu, 11 Oktober 2020", "2020-10-11"),
    ("Ahad 11 Oktober 2020", "2020-10-11"),
    ("Sunday, 11 October 2020", "2020-10-11"),
    ("Sen, 12 Okt 2020", "2020-10-12"),
]

TIMES = [
    ("9 Januari 2022, 16:51", "2022-01-09T16:51:00+07:00"),
    ("9 Januari 2022, 16.51 WIB", "2022-01-09T16:51:00+07:00"),
    ("9 Januari 2022 16:51:07 WIB", "2022-01-09T16:51:07+07:00"),
    ("9 Januari 2022, 16:51WIB", "2022-01-09T16:51:00+07:00"),
    ("9 Januari 2022, 16:51 wib", "2022-01-09T16:51:00+07:00"),
    ("16:51 WIB, 9 Januari 2022", "2022-01-09T16:51:00+07:00"),
    ("9 Januari 2022 | 16:51 WIB", "2022-01-09T16:51:00+07:00"),
    ("9 Januari 2022 - 16:51 WIB", "2022-01-09T16:51:00+07:00"),
    ("Minggu, 09 Januari 2022 \u2013 16:51 WIB", "2022-01-09T16:51:00+07:00"),
    ("9 Januari 2022 pukul 16.51 WIB", "2022-01-09T16:51:00+07:00"),
    ("9 Januari 2022 jam 16:51", "2022-01-09T16:51:00+07:00"),
    ("Oct 7, 2020 3:13 PM", "2020-10-07T15:13:00+07:00"),
    ("7 Oct 2020, 12:05 am", "2020-10-07T00:05:00+07:00"),
    ("7 Oct 2020, 12:05 p.m.", "2020-10-07T12:05:00+07:00"),
    # an impossible clock does not invent a time; the date still stands
    ("9 Januari 2022, 25:00", "2022-01-09"),
]

NUMERIC = [
    ("22/03/2015", "2015-03-22"),
    ("22-03-2015", "2015-03-22"),
    ("22.03.2015", "2015-03-22"),
    ("7/10/2020", "2020-10-07"),
    ("2015/03/22", "2015-03-22"),
    ("Rabu (7/10/2020)", "2020-10-07"),
    ("Rabu (7/10/2020) 15:13 WIB", "2020-10-07T15:13:00+07:00"),
    # day first is impossible, month first is not: an English template's date
    ("03/22/2015", "2015-03-22"),
]

ISO_STRINGS = [
    ("2020-10-07T15:13:00+07:00", "2020-10-07T15:13:00+07:00"),
    ("2020-10-07T08:13:00Z", "2020-10-07T15:13:00+07:00"),
    ("2020-10-07T08:13:00+00:00", "2020-10-07T15:13:00+07:00"),
    ("2020-10-07 15:13:00", "2020-10-07T15:13:00+07:00"),
    ("2020-10-07T15:13:00.000+0700", "2020-10-07T15:13:00+07:00"),
    ("2020-10-07", "2020-10-07"),
    ("Wed, 07 Oct 2020 15:13:00 +0700", "2020-10-07T15:13:00+07:00"),
]

ZONES = [
    ("9 Januari 2022, 16:51 WITA", "2022-01-09T16:51:00+08:00"),
    ("9 Januari 2022, 16:51 wita", "2022-01-09T16:51:00+08:00"),
    ("9 Januari 2022, 16:51 WIT", "2022-01-09T16:51:00+09:00"),
    ("9 Januari 2022 16:51 GMT", "2022-01-09T23:51:00+07:00"),
    ("9 Januari 2022 16:51 GMT+8", "2022-01-09T16:51:00+08:00"),
    ("2020-10-07T15:13:00+08:00", "2020-10-07T15:13:00+08:00"),
]

REJECTED = [
    "31 Februari 2022",
    "29/02/2021",
    "0/10/2020",
    "9 Januari 1850",
    "9 Januari 2101",
    "2020-13-01",
]

GARBAGE = [
    "",
    "   ",
    "garbage",
    "16:51 WIB",
    "Januari 2022",
    "Piala Dunia 2022",
    "Skor 2-1 pada 2022",
    "Rp 10.000.000",
    "Senin",
    "1 minggu",
    "\x00\ufffd\u200b",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    NOISY_LINES
    + MONTH_NAMES
    + MONTH_ABBREVIATIONS
    + ENGLISH_MONTHS
    + WEEKDAYS
    + TIMES
    + NUMERIC
    + ISO_STRINGS
    + ZONES,
)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize("text", REJECTED)
def test_impossible_or_out_of_range_dates_are_rejected(text: str) -> None:
    assert parse_date(text, now=NOW) is None


@pytest.mark.parametrize("text", [*GARBAGE, None])
def test_nothing_recognisable_gives_none(text: str | None) -> None:
    assert parse_date(text, now=NOW) is None


@pytest.mark.parametrize(
    ("text", "default_offset", "expected"),
    [
        # a time without zone takes the outlet's offset
        ("9 Januari 2022, 16:51", "+08:00", "2022-01-09T16:51:00+08:00"),
        ("9 Januari 2022, 16:51", "WIT", "2022-01-09T16:51:00+09:00"),
        # an explicit zone beats the default
        ("9 Januari 2022, 16:51 WIB", "+08:00", "2022-01-09T16:51:00+07:00"),
        # UTC is re-expressed in the default offset (same instant)
        ("2020-10-07T08:13:00Z", "+08:00", "2020-10-07T16:13:00+08:00"),
        ("2020-10-07T20:13:00Z", "+07:00", "2020-10-08T03:13:00+07:00"),
        ("2020-10-07T08:13:00Z", "+00:00", "2020-10-07T08:13:00+00:00"),
    ],
)
def test_default_offset(text: str, default_offset: str, expected: str) -> None:
    assert parse_date(text, now=NOW, default_offset=default_offset) == expected


def test_bad_default_offset_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="offset"):
        parse_date("9 Januari 2022", default_offset="Jakarta")


def test_zone_offsets_table() -> None:
    assert ZONE_OFFSETS == {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00"}


def test_odd_layout_falls_back_to_dateparser() -> None:
    # year first with a month name is not one of the regex layouts
    assert parse_date("2022 Januari 9", now=NOW) == "2022-01-09"


# --- relative forms against a fixed now ---------------------------------------------

RELATIVE = [
    ("2 jam lalu", "2022-01-09T17:00:00+07:00"),
    ("2 jam yang lalu", "2022-01-09T17:00:00+07:00"),
    ("30 menit lalu", "2022-01-09T18:30:00+07:00"),
    ("5 detik lalu", "2022-01-09T18:59:55+07:00"),
    ("3 hari lalu", "2022-01-06T19:00:00+07:00"),
    ("1 minggu lalu", "2022-01-02T19:00:00+07:00"),
    ("2 pekan lalu", "2021-12-26T19:00:00+07:00"),
    ("sejam lalu", "2022-01-09T18:00:00+07:00"),
    ("2 bulan lalu", "2021-11-09T19:00:00+07:00"),
    ("kemarin", "2022-01-08T19:00:00+07:00"),
    ("Kemarin, 16:51 WIB", "2022-01-08T16:51:00+07:00"),
    ("hari ini", "2022-01-09T19:00:00+07:00"),
    ("baru saja", "2022-01-09T19:00:00+07:00"),
    ("Oleh Redaksi - 2 jam lalu", "2022-01-09T17:00:00+07:00"),
    ("3 hours ago", "2022-01-09T16:00:00+07:00"),
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_relative_forms(text: str, expected: str) -> None:
    assert parse_date(text, now=NOW) == expected


def test_relative_forms_use_default_offset() -> None:
    assert parse_date("2 jam lalu", now=NOW, default_offset="WITA") == (
        "2022-01-09T18:00:00+08:00"
    )


def test_relative_now_in_another_zone_is_the_same_instant() -> None:
    same_instant = NOW.astimezone(timezone(timedelta(hours=-5)))
    assert parse_date("2 jam lalu", now=same_instant) == "2022-01-09T17:00:00+07:00"


def test_naive_now_is_taken_as_utc() -> None:
    naive = NOW.replace(tzinfo=None)
    assert parse_date("2 jam lalu", now=naive) == "2022-01-09T17:00:00+07:00"


def test_relative_without_now_uses_current_time() -> None:
    result = parse_date("baru saja")
    assert result is not None
    moment = datetime.fromisoformat(result)
    assert abs(moment - datetime.now(UTC)) < timedelta(minutes=1)


# --- parse_date_line ----------------------------------------------------------------

DATE_LINES = [
    (
        "Dipublikasikan 9 Januari 2022, 16:51 WIB | Diperbarui 9 Januari 2022, 17:05 WIB",
        DateLine(
            "2022-01-09T16:51:00+07:00",
            "2022-01-09T17:05:00+07:00",
            "9 Januari 2022, 16:51 WIB",
        ),
    ),
    (
        "Minggu, 9 Januari 2022, 16:51 WIB",
        DateLine(
            "2022-01-09T16:51:00+07:00", None, "Minggu, 9 Januari 2022, 16:51 WIB"
        ),
    ),
    (
        "Kompas.com -  22/03/2015,\u00a013:37 WIB",
        DateLine("2015-03-22T13:37:00+07:00", None, "22/03/2015, 13:37 WIB"),
    ),
    (
        "Diterbitkan: Rabu (7/10/2020) Update: 8/10/2020 09:00 WITA",
        DateLine("2020-10-07", "2020-10-08T09:00:00+08:00", "Rabu (7/10/2020)"),
    ),
    (
        "Published Sun, 9 Jan 2022 16:51 WIB Updated Sun, 9 Jan 2022 17:05 WIB",
        DateLine(
            "2022-01-09T16:51:00+07:00",
            "2022-01-09T17:05:00+07:00",
            "Sun, 9 Jan 2022 16:51 WIB",
        ),
    ),
    (
        "Tayang 2 jam lalu, Pembaruan 30 menit lalu",
        DateLine(
            "2022-01-09T17:00:00+07:00", "2022-01-09T18:30:00+07:00", "2 jam lalu"
        ),
    ),
    (
        "Sen, 10 Jan 2022 16:51 WIB",
        DateLine("2022-01-10T16:51:00+07:00", None, "Sen, 10 Jan 2022 16:51 WIB"),
    ),
    (
        "16:51 WIB, 9 Januari 2022",
        DateLine("2022-01-09T16:51:00+07:00", None, "16:51 WIB, 9 Januari 2022"),
    ),
    # only the update is shown: published is not borrowed from it
    (
        "Diperbarui 9 Januari 2022, 17:05 WIB",
        DateLine(None, "2022-01-09T17:05:00+07:00", None),
    ),
    ("Oleh Beryl Santoso", DateLine(None, None, None)),
    ("", DateLine(None, None, None)),
    (None, DateLine(None, None, None)),
]


@pytest.mark.parametrize(("text", "expected"), DATE_LINES)
def test_parse_date_line(text: str | None, expected: DateLine) -> None:
    assert parse_date_line(text, now=NOW) == expected


def test_parse_date_line_default_offset() -> None:
    line = parse_date_line("9 Januari 2022, 16:51", default_offset="WITA")
    assert line.published == "2022-01-09T16:51:00+08:00"


# --- to_offset ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "offset", "expected"),
    [
        ("2020-10-07T15:13:00+07:00", "+00:00", "2020-10-07T08:13:00+00:00"),
        ("2020-10-07T15:13:00+07:00", "+08:00", "2020-10-07T16:13:00+08:00"),
        ("2020-10-07T15:13:00+07:00", "WIT", "2020-10-07T17:13:00+09:00"),
        ("2020-10-07T08:13:00Z", "+0700", "2020-10-07T15:13:00+07:00"),
        ("2020-10-07T20:13:00+00:00", "+07:00", "2020-10-08T03:13:00+07:00"),
        ("2020-10-07", "+09:00", "2020-10-07"),
    ],
)
def test_to_offset(iso: str, offset: str, expected: str) -> None:
    assert to_offset(iso, offset) == expected


@pytest.mark.parametrize("iso", ["2020-10-07T15:13:00", "kemarin"])
def test_to_offset_needs_an_instant(iso: str) -> None:
    with pytest.raises(ValueError):
        to_offset(iso, "+07:00")


# --- properties ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_none_or_iso(text: str) -> None:
    result = parse_date(text, now=NOW)
    assert result is None or ISO_SHAPE.fullmatch(result)
    line = parse_date_line(text, now=NOW)
    assert isinstance(line, DateLine)


INDONESIAN_MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    zone=st.sampled_from(sorted(ZONE_OFFSETS)),
)
def test_printed_indonesian_date_round_trips(
    day: date, hour: int, minute: int, zone: str
) -> None:
    text = f"{day.day} {INDONESIAN_MONTHS[day.month - 1]} {day.year}, {hour:02d}:{minute:02d} {zone}"
    expected = f"{day.isoformat()}T{hour:02d}:{minute:02d}:00{ZONE_OFFSETS[zone]}"
    assert parse_date(text) == expected


# --- hygiene ------------------------------------------------------------------------


def test_module_does_not_import_scrapy() -> None:
    # Load the file on its own in a fresh interpreter, so the check is about this module
    # and not about whatever else the package imports.
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('dates', {dates.__file__!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "sys.modules['dates'] = module\n"
        "spec.loader.exec_module(module)\n"
        "assert not any(m == 'scrapy' or m.startswith('scrapy.') for m in sys.modules)\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=Path(dates.__file__).parent
    )
