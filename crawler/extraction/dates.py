"""Indonesian date normaliser: free-form date text from news pages -> ISO 8601.

Indonesian outlets print dates in a handful of shapes ("Minggu, 9 Januari 2022, 16:51 WIB",
"Kompas.com - 22/03/2015, 13:37 WIB", "2 jam lalu", ISO strings in meta tags). The common
shapes are owned here by precompiled regexes because they are fast and predictable;
`dateparser` (which knows Indonesian) is only asked for relative phrases, where it does the
calendar arithmetic, and as a last resort for odd layouts the regexes do not know. It costs
milliseconds per call, so it always runs after the regexes, never before.

The WIB/WITA/WIT mapping is owned here too: the offset of a printed time is part of the
record, and a time printed without a zone on a Jakarta outlet is WIB (`default_offset`).

No Scrapy here: everything is a pure function of its arguments (and `now`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

import dateparser
from dateparser.date import DateDataParser

__all__ = ["ZONE_OFFSETS", "DateLine", "parse_date", "parse_date_line", "to_offset"]

ZONE_OFFSETS: dict[str, str] = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00"}

# Anything outside this window is a misparse (a page id, a price, a birth year), not a
# publication date of the material we crawl.
MIN_YEAR, MAX_YEAR = 1990, 2100

_DATEPARSER_LANGUAGES = ["id", "en"]

# The dateparser fallback is for a short date line, not for a whole article body: beyond
# this length it is both slow and likely to pick a date out of prose.
_FALLBACK_MAX_CHARS = 120

# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------

# Indonesian names, their newsroom abbreviations (several spellings of August and November
# are in use), the old spellings Pebruari/Nopember, and English because several outlets
# print English month names from an English CMS template.
_MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "december": 12, "dec": 12,
}  # fmt: skip

_WEEKDAYS = (
    "senin", "selasa", "rabu", "kamis", "jum['\u2019]?at", "sabtu", "minggu", "ahad",
    # abbreviated forms some CMSs print ("Sen, 10 Jan 2022"); only used as a date prefix
    "sen", "sel", "rab", "kam", "jum", "sab", "min",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tues", "tue", "wed", "thurs", "thur", "thu", "fri", "sat", "sun",
)  # fmt: skip


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    """Longest first, so that 'Mar' never wins over 'Maret' inside one alternation."""
    return "|".join(sorted(words, key=len, reverse=True))


# A month name must end at a non-letter ("Mei" but not "Meiliana"); a trailing dot is an
# abbreviation mark ("Okt.").
_MONTH = rf"(?:{_alternation([re.escape(m) for m in _MONTHS])})(?![a-z])\.?"
_WEEKDAY = rf"(?<![a-z])(?:{_alternation(_WEEKDAYS)})(?![a-z])\.?"

# Tokens that may stand between a date and its time: "9 Januari 2022, 16:51",
# "23 Februari 2016 | 16:37", "7 Oktober 2020 pukul 15.13", ISO "2020-10-07T15:13".
_SEPARATOR_CHARS = r",|\-\u2013\u2014\u2022\u00b7/()"
_TIME_WORDS = r"(?<![a-z])(?:pukul|pkl\.?|jam|at|t)(?![a-z])"

_FLAGS = re.IGNORECASE | re.ASCII | re.VERBOSE

# ---------------------------------------------------------------------------------------
# Regexes (compiled once)
# ---------------------------------------------------------------------------------------

# One calendar date, optionally with the weekday the page shows before it. Four layouts:
# "9 Januari 2022" / "09-Jan-2022", "Oct 7, 2020", "2015/03/22" (and ISO), "22/03/2015".
_DATE_RE = re.compile(
    rf"""
    (?:{_WEEKDAY}\s*[,\-\u2013]?\s*(?P<paren>\()?\s*)?
    (?:
        (?<!\d)(?P<td>\d{{1,2}})(?:st|nd|rd|th)?[\s\-/.]*(?P<tm>{_MONTH})[\s\-/.,]*(?P<ty>\d{{4}})(?!\d)
      | (?<![a-z])(?P<mm>{_MONTH})\s*(?P<md>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)[\s,]*(?P<my>\d{{4}})(?!\d)
      | (?<!\d)(?P<iy>\d{{4}})(?P<isep>[\-/.])(?P<im>\d{{1,2}})(?P=isep)(?P<id>\d{{1,2}})(?!\d)
      | (?<!\d)(?P<nd>\d{{1,2}})(?P<nsep>[\-/.])(?P<nm>\d{{1,2}})(?P=nsep)(?P<ny>\d{{4}})(?!\d)
    )
    (?(paren)\s*\))
    """,
    _FLAGS,
)

# A clock time with optional seconds/fraction, AM/PM and zone. "16:51", "16.51",
# "16:51:07", "15:13:00.000+0700", "08:13:00Z", "16:51WIB", "3:13 PM", "16:51 GMT+7".
# Minutes must not run into more digits, so "10.000 orang" is not ten o'clock.
_TIME = r"""
    (?<![\d:.])(?P<hh>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<ss>\d{2})(?:[.,]\d{1,9})?)?(?!\d)
    (?:\s*(?P<ampm>[ap]\.?m\b\.?))?
    (?:
        \s*(?P<zone>wita|wib|wit|utc|gmt|z)(?![a-z])(?P<zoff>[+-]\d{1,2}(?::?\d{2})?(?!\d))?
      | (?P<num>[+-]\d{2}(?::?\d{2})?|\s[+-]\d{2}:?\d{2})(?!\d)
    )?
"""
_TIME_AFTER_RE = re.compile(
    rf"\s*(?:(?:[{_SEPARATOR_CHARS}]|{_TIME_WORDS})\s*)*{_TIME}", _FLAGS
)
# Used with endpos = start of the date: a time printed before it, "16:51 WIB, 9 Januari 2022".
_TIME_BEFORE_RE = re.compile(rf"{_TIME}[\s{_SEPARATOR_CHARS}]*\Z", _FLAGS)

# Relative phrases. "sejam/seminggu lalu" glue "se-" (= one) to the unit.
_RELATIVE_RE = re.compile(
    r"""
    (?<![a-z\d])
    (?:
        (?P<n>\d{1,3}|se|satu)\s*(?P<unit>detik|menit|jam|hari|minggu|pekan|bulan|tahun)
            \s+(?:yang\s+)?lalu
      | (?P<en_n>\d{1,3}|an?|one)\s+
            (?P<en_unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)
            \s+ago
      | (?P<word>kemarin|kemaren|hari\s+ini|baru\s+saja|barusan|yesterday|today|just\s+now)
    )
    (?![a-z])
    """,
    _FLAGS,
)

# Words dateparser does not know, rewritten to ones it does.
_RELATIVE_SYNONYMS = {"pekan": "minggu", "kemaren": "kemarin", "barusan": "baru saja"}
# Day words whose time of day may be printed next to them: "kemarin, 16:51 WIB".
_DAY_WORDS = frozenset({"kemarin", "hari ini", "yesterday", "today"})

# Update / publication markers in a visible date line.
_MARKER_RE = re.compile(
    r"""
    (?<![a-z])
    (?:
        (?P<modified>diperbarui|diperbaharui|pembaruan|pembaharuan|last\s+updated
                    |updated|update|modified|diubah)
      | (?P<published>dipublikasikan|dipublikasi|diterbitkan|terbit|tayang
                    |published|publish|posted|diposting)
    )
    (?![a-z])
    (?:\s*(?:pada|on|at))?(?![a-z])
    """,
    _FLAGS,
)

_OFFSET_RE = re.compile(r"(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?", re.ASCII)
_YEAR_RE = re.compile(r"(?<!\d)\d{4}(?!\d)", re.ASCII)
_HAS_MONTH_RE = re.compile(rf"(?<![a-z]){_MONTH}", _FLAGS)
_DATE_ONLY_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# Zero-width characters CMSs leave inside date lines; they are not whitespace to str.split.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")

# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateLine:
    """Dates read from one visible byline/date line."""

    published: str | None
    modified: str | None
    raw: str | None  # the publication date as shown on the page, whitespace-normalised


def parse_date(
    text: str | None, *, now: datetime | None = None, default_offset: str = "+07:00"
) -> str | None:
    """Find one date (optionally with time) inside `text` and return it as ISO 8601.

    - date + time -> 'YYYY-MM-DDTHH:MM:SS+HH:MM' (seconds :00 when not shown), offset from
      WIB/WITA/WIT or from the ISO string, else `default_offset`; UTC is re-expressed in
      `default_offset` (same instant);
    - date only -> 'YYYY-MM-DD';
    - nothing recognisable -> None (never raises on any str input).
    `now` (aware datetime; default: current UTC time; naive is taken as UTC) anchors
    relative forms such as '2 jam lalu'. A bad `default_offset` is a programming error
    and raises ValueError.
    """
    default_tz = _offset_tz(default_offset)
    normalised = _normalise(text)
    if not normalised:
        return None
    found = _find(normalised, now=now, default_tz=default_tz)
    return found.value if found else None


def parse_date_line(
    text: str | None, *, now: datetime | None = None, default_offset: str = "+07:00"
) -> DateLine:
    """Split a byline/date line into publication and update dates.

    'Dipublikasikan 9 Januari 2022, 16:51 WIB | Diperbarui 9 Januari 2022, 17:05 WIB' ->
    DateLine('2022-01-09T16:51:00+07:00', '2022-01-09T17:05:00+07:00', '9 Januari 2022, 16:51 WIB').

    A date after an update marker (Diperbarui, Update, ...) is `modified`; a date after a
    publication marker (Dipublikasikan, Tayang, ...) or with no marker is `published`
    (an explicit marker wins over an unmarked date). When the line only shows an update,
    `published` stays None rather than borrowing the update time.
    """
    default_tz = _offset_tz(default_offset)
    normalised = _normalise(text)
    if not normalised:
        return DateLine(None, None, None)

    first: dict[str | None, _Found] = {}
    for kind, segment in _marked_segments(normalised):
        if kind in first:
            continue
        found = _find(segment, now=now, default_tz=default_tz)
        if found is not None:
            first[kind] = found

    published = first.get("published") or first.get(None)
    modified = first.get("modified")
    return DateLine(
        published=published.value if published else None,
        modified=modified.value if modified else None,
        raw=published.raw if published else None,
    )


def has_update_marker(text: str) -> bool:
    """Whether `text` has an update marker (Diperbarui, Update, ...): without one,
    `parse_date_line` finds no `modified` in it."""
    return any(marker["modified"] for marker in _MARKER_RE.finditer(_normalise(text)))


def to_offset(iso: str, offset: str) -> str:
    """Re-express an ISO datetime string in another fixed offset (same instant).

    `offset` is '+07:00', '+0700', 'Z' or a zone name from ZONE_OFFSETS. A date-only
    string has no instant to move and is returned unchanged; a naive datetime or a
    non-ISO string raises ValueError.
    """
    tz = _offset_tz(offset)
    iso = iso.strip()
    if _DATE_ONLY_ISO_RE.fullmatch(iso):
        return iso
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime has no fixed instant: {iso!r}")
    return moment.astimezone(tz).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------
# Finding a date in a string
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    value: str  # ISO 8601
    raw: str  # the text that held it, as shown


def _normalise(text: str | None) -> str:
    """Collapse all whitespace (NBSP included) to single spaces; '' for non-strings."""
    if not isinstance(text, str):
        return ""
    return " ".join(_INVISIBLE_RE.sub("", text).split())


def _find(text: str, *, now: datetime | None, default_tz: timezone) -> _Found | None:
    """Cheapest reliable reader first: regex dates, relative phrases, then dateparser."""
    found, saw_invalid = _find_absolute(text, default_tz)
    if found is not None:
        return found
    found = _find_relative(text, _aware_now(now), default_tz)
    if found is not None:
        return found
    if saw_invalid:
        # "31 Februari 2022" is a date the page got wrong; dateparser must not "repair" it.
        return None
    return _dateparser_fallback(text, default_tz)


def _find_absolute(text: str, default_tz: timezone) -> tuple[_Found | None, bool]:
    """First valid calendar date in `text`, with the time printed next to it if any.

    Also reports whether a date-shaped candidate was rejected (impossible day, year out of
    range), so the caller can refuse to guess.
    """
    saw_invalid = False
    for match in _DATE_RE.finditer(text):
        day = _date_from_match(match)
        if day is None:
            saw_invalid = True
            continue
        start, end = match.span()
        # A time after the date is the usual layout; one before it ("16:51 WIB, 9 Januari
        # 2022") is the fallback. An impossible clock ("25:00") leaves a date-only value.
        near = _TIME_AFTER_RE.match(text, end) or _TIME_BEFORE_RE.search(text, 0, start)
        clock = _time_from_match(near) if near else None
        if near is not None and clock is not None:
            if near.start() >= end:
                end = near.end()
            else:
                start = near.start()
        raw = text[start:end].strip(" ,|-")
        return _Found(value=_format(day, clock, default_tz), raw=raw), saw_invalid
    return None, saw_invalid


def _date_from_match(match: re.Match[str]) -> date | None:
    """Build the calendar date of a _DATE_RE match; None if impossible or out of range."""
    if match["td"]:
        year, month, day = (
            int(match["ty"]),
            _MONTHS[_month_key(match["tm"])],
            int(match["td"]),
        )
    elif match["mm"]:
        year, month, day = (
            int(match["my"]),
            _MONTHS[_month_key(match["mm"])],
            int(match["md"]),
        )
    elif match["iy"]:
        year, month, day = int(match["iy"]), int(match["im"]), int(match["id"])
    else:
        year, month, day = int(match["ny"]), int(match["nm"]), int(match["nd"])
        # Indonesian order is day first. Only when that is impossible and the other reading
        # is not (an English template's "03/22/2015") do we read it month first.
        if month > 12 >= day:
            month, day = day, month
    return _checked_date(year, month, day)


def _month_key(name: str) -> str:
    return name.rstrip(".").lower()


def _checked_date(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _time_from_match(match: re.Match[str]) -> tuple[time, timezone | None] | None:
    """Clock time and explicit zone of a _TIME match; None if the clock is impossible."""
    hour, minute = int(match["hh"]), int(match["mi"])
    second = int(match["ss"]) if match["ss"] else 0
    ampm = match["ampm"]
    # A sloppy "15:13 PM" keeps its 24-hour reading; only 1..12 is converted.
    if ampm and 1 <= hour <= 12:
        hour = hour % 12 + (12 if ampm[0] in "pP" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    try:
        zone = _zone_tz(match)
    except ValueError:  # "16:51-2022" is not a time at offset -20:22
        return None
    return time(hour, minute, second), zone


def _zone_tz(match: re.Match[str]) -> timezone | None:
    """Zone printed after a time: WIB/WITA/WIT, UTC/GMT(+7), Z, or a numeric offset.

    None when no zone is printed; ValueError when the "offset" is impossible.
    """
    zone = match["zone"]
    if zone:
        zone = zone.upper()
        if zone in ZONE_OFFSETS:
            return _offset_tz(ZONE_OFFSETS[zone])
        return _offset_tz(match["zoff"]) if match["zoff"] else UTC
    if match["num"]:
        return _offset_tz(match["num"].strip())
    return None


def _format(
    day: date, clock: tuple[time, timezone | None] | None, default_tz: timezone
) -> str:
    """ISO 8601: date only, or date-time with an offset.

    UTC stamps come from machine metadata, not from what the newsroom printed, so they are
    re-expressed in the outlet's own offset; other explicit offsets are kept as stated.
    """
    if clock is None:
        return day.isoformat()
    wall, tz = clock
    moment = datetime.combine(day, wall, tzinfo=tz or default_tz)
    if tz is not None and tz.utcoffset(None) == timedelta(0):
        moment = moment.astimezone(default_tz)
    return moment.isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------
# Relative dates ("2 jam lalu") via dateparser
# ---------------------------------------------------------------------------------------


def _aware_now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def _find_relative(text: str, now: datetime, default_tz: timezone) -> _Found | None:
    """A relative phrase resolved against `now`, expressed in `default_tz`.

    The regex finds and canonicalises the phrase (dateparser cannot pick it out of a noisy
    line, and does not know "pekan" or "sejam"); dateparser does the calendar arithmetic.
    """
    match = _RELATIVE_RE.search(text)
    if match is None:
        return None
    phrase = _canonical_relative(match)

    # "kemarin, 16:51 WIB": the day comes from the phrase, the time of day from the page.
    after = _TIME_AFTER_RE.match(text, match.end()) if phrase in _DAY_WORDS else None
    clock = _time_from_match(after) if after else None
    zone = (clock[1] if clock else None) or default_tz

    # dateparser works on naive wall-clock time here: giving it the local wall time of
    # `zone` keeps its result independent of the machine's time zone.
    moment = _dateparser_relative(phrase, now.astimezone(zone).replace(tzinfo=None))
    if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    if after is not None and clock is not None:
        return _Found(
            _format(moment.date(), clock, default_tz), text[match.start() : after.end()]
        )
    value = moment.replace(tzinfo=zone).isoformat(timespec="seconds")
    return _Found(value=value, raw=text[match.start() : match.end()])


def _canonical_relative(match: re.Match[str]) -> str:
    """Rewrite a matched relative phrase into words dateparser knows."""
    if match["unit"]:
        count = "1" if match["n"].lower() in ("se", "satu") else match["n"]
        unit = match["unit"].lower()
        return f"{count} {_RELATIVE_SYNONYMS.get(unit, unit)} lalu"
    if match["en_unit"]:
        count = "1" if match["en_n"].lower() in ("a", "an", "one") else match["en_n"]
        return f"{count} {match['en_unit'].lower()} ago"
    word = " ".join(match["word"].lower().split())
    return _RELATIVE_SYNONYMS.get(word, word)


def _dateparser_relative(phrase: str, base: datetime) -> datetime | None:
    try:
        return dateparser.parse(
            phrase,
            languages=_DATEPARSER_LANGUAGES,
            settings={
                "RELATIVE_BASE": base,
                "RETURN_AS_TIMEZONE_AWARE": False,
                "PREFER_DATES_FROM": "past",
            },
        )
    # dateparser raises assorted errors on edge input; for us a miss is just a miss
    except Exception:
        return None


# ---------------------------------------------------------------------------------------
# Last resort: dateparser on layouts the regexes do not know ("2022 Januari 9")
# ---------------------------------------------------------------------------------------


@functools.cache
def _fallback_parser() -> DateDataParser:
    # Built once: constructing a DateDataParser loads language data (the slow part).
    return DateDataParser(
        languages=_DATEPARSER_LANGUAGES,
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "past",
            "REQUIRE_PARTS": ["day", "month", "year"],
            # period 'time' tells us a clock time was present, so we can keep it
            "RETURN_TIME_AS_PERIOD": True,
        },
    )


def _dateparser_fallback(text: str, default_tz: timezone) -> _Found | None:
    """Ask dateparser, but only about a short line with a month name and a plausible year.

    The gate keeps dateparser away from strings it would happily turn into a date
    ("Skor 2-1", bare numbers) and keeps its cost off the common path.
    """
    if len(text) > _FALLBACK_MAX_CHARS or not _HAS_MONTH_RE.search(text):
        return None
    years = {int(y) for y in _YEAR_RE.findall(text) if MIN_YEAR <= int(y) <= MAX_YEAR}
    if not years:
        return None
    try:
        data = _fallback_parser().get_date_data(text)
    except Exception:
        return None
    moment = data.date_obj
    # The year must be one the page printed, not one dateparser filled in.
    if moment is None or moment.year not in years:
        return None
    raw = text.strip(" ,|-:")
    if data.period != "time":
        return _Found(value=moment.date().isoformat(), raw=raw)
    # dateparser returns an aware datetime only when the text named a zone it knows
    offset = moment.utcoffset()
    clock = (
        moment.time().replace(microsecond=0),
        timezone(offset) if offset is not None else None,
    )
    return _Found(value=_format(moment.date(), clock, default_tz), raw=raw)


# ---------------------------------------------------------------------------------------
# Offsets and line segments
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _offset_tz(offset: str) -> timezone:
    """'+07:00', '+0700', '+7', 'Z', 'UTC' or 'WIB'/'WITA'/'WIT' -> a fixed timezone."""
    key = offset.strip().upper()
    if key in ZONE_OFFSETS:
        key = ZONE_OFFSETS[key]
    if key in ("Z", "UTC", "GMT"):
        return UTC
    match = _OFFSET_RE.fullmatch(key)
    if match is None:
        raise ValueError(f"not a UTC offset: {offset!r}")
    hours, minutes = int(match["h"]), int(match["m"] or 0)
    if hours > 14 or minutes > 59:
        raise ValueError(f"not a UTC offset: {offset!r}")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if match["sign"] == "-" else delta)


def _marked_segments(text: str) -> list[tuple[str | None, str]]:
    """Cut a date line at its markers: [(None, before), ('published', ...), ('modified', ...)].

    Each segment runs from the end of its marker to the next marker, so a time can never be
    borrowed from the other half of the line.
    """
    segments: list[tuple[str | None, str]] = []
    kind: str | None = None
    start = 0
    for marker in _MARKER_RE.finditer(text):
        segments.append((kind, text[start : marker.start()]))
        kind = "modified" if marker["modified"] else "published"
        start = marker.end()
    segments.append((kind, text[start:]))
    return segments
