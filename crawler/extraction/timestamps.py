"""`published_at` / `modified_at`: what the page shows readers, confirmed by its metadata (which
gives seconds and the offset when the two agree). The date parsing itself is in `dates.py`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from crawler.extraction.dates import has_update_marker, parse_date, parse_date_line, to_offset
from crawler.extraction.metadata import PageMetadata
from crawler.extraction.page import PageIndex
from crawler.extraction.text import normalize_space
from crawler.sites import SiteProfile

_DATE_CLASS = ("date", "time", "tanggal", "tgl", "publish", "posted", "waktu", "jam", "schedule")


def _texts_near_title(index: PageIndex) -> list[str]:
    """Short lines right after the headline: where a page without date classes shows its date."""
    if index.headline is None:
        return []
    texts = []
    for sibling in index.headline.itersiblings():
        if isinstance(sibling.tag, str):
            text = normalize_space(sibling.text_content())
            if 6 <= len(text) <= 120:
                texts.append(text)
        if len(texts) >= 3:
            break
    return texts


def _visible_date_texts(profile: SiteProfile | None, index: PageIndex) -> Iterator[str]:
    """Candidate date lines, most reliable first; lazily, as the first good one usually ends
    the search."""
    if profile is not None:
        for selector in profile.compiled("date"):
            for el in index.select(selector):
                yield normalize_space(el.text_content())
    yield from _texts_near_title(index)
    for el in index.body.iter("time"):
        yield normalize_space(el.text_content()) or (el.get("datetime") or "")
    found = 0
    for el in index.classed(_DATE_CLASS):
        if el.tag in ("script", "style", "a"):
            continue
        text = normalize_space(el.text_content())
        if 6 <= len(text) <= 120:
            yield text
            found += 1
            if found > 20:
                return


def _same_minute(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a).replace(second=0) == datetime.fromisoformat(b).replace(second=0)
    except ValueError:
        return False


_INDONESIAN_OFFSETS = ("+07:00", "+08:00", "+09:00")


def _machine_date(value: str | None, fetched: datetime, offset: str) -> str | None:
    """A metadata timestamp as ISO. A stamp whose offset is neither UTC nor Indonesian
    (merdeka writes its WIB clock as '-07:00') is the local clock mislabelled: relabel it."""
    parsed = parse_date(value, now=fetched, default_offset=offset) if value else None
    if parsed and "T" in parsed and parsed[-6:] not in _INDONESIAN_OFFSETS and parsed[-6:] != "+00:00":
        parsed = parsed[:-6] + offset
    return parsed


def read_dates(
    profile: SiteProfile | None,
    meta: PageMetadata,
    fetched: datetime,
    offset: str,
    index: PageIndex,
) -> tuple[str | None, str | None, str | None]:
    """(published_at, modified_at, published_at_raw): what readers see, confirmed by metadata.

    The visible date wins when it disagrees with metadata (sites' metadata is often the
    crawl or update time); metadata gives the seconds and the offset when they agree."""
    visible = None
    visible_modified = None
    for text in _visible_date_texts(profile, index):
        if not text:
            continue
        # once the publication time is settled, only an update line can add something
        if visible is not None and "T" in (visible.published or "") and not has_update_marker(text):
            continue
        line = parse_date_line(text, now=fetched, default_offset=offset)
        # a line with a time beats an earlier one with the date alone (a Hijri date header)
        if line.published and (
            visible is None or ("T" in line.published and "T" not in (visible.published or ""))
        ):
            visible = line
        visible_modified = visible_modified or line.modified
        if visible is not None and "T" in (visible.published or "") and visible_modified:
            break
    machine = _machine_date(meta.published, fetched, offset)
    published = raw = None
    if visible is not None and visible.published:
        published, raw = visible.published, visible.raw
        if machine and "T" in machine:
            if "T" not in published and machine.startswith(published):
                published = to_offset(machine, offset)
            elif "T" in published and _same_minute(published, machine):
                published = to_offset(machine, published[-6:])
    elif machine:
        # parse_date already moved UTC stamps to the outlet's zone; other offsets are as stated
        published, raw = machine, meta.published
    modified = visible_modified
    if modified is None:
        modified = _machine_date(meta.modified, fetched, offset)
        # say the update in the zone the page shows its times in (WITA outlets)
        if modified and published and "T" in modified and "T" in published:
            modified = to_offset(modified, published[-6:])
    return published, _not_before(modified, published), raw


def _not_before(modified: str | None, published: str | None) -> str | None:
    """An update stamped before publication (scheduled posts keep their draft's time) says
    nothing; one in the same minute is the publication itself."""
    if not modified or not published or "T" not in modified or "T" not in published:
        return modified
    try:
        mod, pub = datetime.fromisoformat(modified), datetime.fromisoformat(published)
    except ValueError:
        return modified
    if mod >= pub:
        return modified
    return published if _same_minute(modified, published) else None
