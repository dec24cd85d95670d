"""Finding article URLs: sitemaps (plain and Google News), RSS/Atom feeds, robots.txt, index
pages, and the URL signals that tell an article from a section, tag or gallery page.

Pure functions over bytes and strings; the spider does the fetching. XML is parsed with entity
expansion and network access switched off (a sitemap is untrusted input: no XML bomb, no XXE).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

from crawler.extraction.dates import parse_date

# Untrusted XML: no entities resolved, no DTD or network fetched, huge trees refused.
_XML_PARSER = lxml.etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
)

_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Entry:
    """A URL found by discovery, with the dates its source gave."""

    url: str
    published: str | None = None
    """`news:publication_date` / RSS pubDate / Atom published, ISO 8601."""
    lastmod: str | None = None
    """Sitemap `lastmod` / Atom updated, ISO 8601."""


@dataclass(frozen=True)
class Sitemap:
    """What one sitemap file holds: more sitemaps (an index) or page entries."""

    sitemaps: list[Entry]
    pages: list[Entry]


def is_followable(url: str) -> bool:
    """Only http(s) URLs are followed: never javascript:, file:, mailto:, data: …"""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in _SCHEMES and bool(parts.netloc)


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el: lxml.etree._Element, *names: str) -> str | None:
    for child in el.iter():
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def _parse_xml(body: bytes) -> lxml.etree._Element | None:
    body = body.lstrip()
    if not body:
        return None
    try:
        return lxml.etree.fromstring(body, parser=_XML_PARSER)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None


def parse_sitemap(body: bytes, base_url: str) -> Sitemap:
    """Read a sitemap index or urlset; Google News entries carry `news:publication_date`."""
    root = _parse_xml(body)
    sitemaps: list[Entry] = []
    pages: list[Entry] = []
    if root is None:
        return Sitemap(sitemaps, pages)
    kind = _local(root.tag)
    for el in root:
        name = _local(el.tag)
        if name not in ("sitemap", "url"):
            continue
        loc = _child_text(el, "loc")
        if not loc:
            continue
        url = urljoin(base_url, loc)
        if not is_followable(url):
            continue
        entry = Entry(
            url=url,
            published=_iso(_child_text(el, "publication_date")),
            lastmod=_iso(_child_text(el, "lastmod")),
        )
        (sitemaps if kind == "sitemapindex" or name == "sitemap" else pages).append(entry)
    return Sitemap(sitemaps, pages)


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    """Items of an RSS 2.0 / RSS 1.0 / Atom feed."""
    root = _parse_xml(body)
    if root is None:
        return []
    entries = []
    for el in root.iter():
        name = _local(el.tag)
        if name not in ("item", "entry"):
            continue
        link = None
        for child in el:
            if _local(child.tag) == "link":
                link = child.get("href") or (child.text or "").strip() or None
                if child.get("rel") in (None, "alternate") and link:
                    break
        link = link or _child_text(el, "guid")
        if not link:
            continue
        url = urljoin(base_url, link.strip())
        if not is_followable(url):
            continue
        entries.append(
            Entry(
                url=url,
                published=_iso(_child_text(el, "pubdate", "published", "date", "issued")),
                lastmod=_iso(_child_text(el, "updated", "modified")),
            )
        )
    return entries


_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The `Sitemap:` lines of a robots.txt."""
    text = body.decode("utf-8", errors="replace")
    urls = (urljoin(base_url, m) for m in _SITEMAP_LINE.findall(text))
    return [u for u in dict.fromkeys(urls) if is_followable(u)]


def page_links(body: bytes, base_url: str) -> list[str]:
    """Every http(s) link of an HTML page (index pages, home pages), absolute, in order."""
    try:
        tree = lxml.html.document_fromstring(body)
    except (lxml.etree.ParserError, ValueError):
        return []
    links = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        url = _without_fragment(urljoin(base_url, href))
        if is_followable(url):
            links.append(url)
    return list(dict.fromkeys(links))


def feed_links(body: bytes, base_url: str) -> list[str]:
    """RSS/Atom feeds a page announces with <link rel=alternate>."""
    try:
        tree = lxml.html.document_fromstring(body)
    except (lxml.etree.ParserError, ValueError):
        return []
    found = []
    for link in tree.iter("link"):
        kind = (link.get("type") or "").lower()
        if "alternate" in (link.get("rel") or "").lower() and ("rss" in kind or "atom" in kind):
            url = urljoin(base_url, link.get("href") or "")
            if is_followable(url):
                found.append(url)
    return found


# ---------------------------------------------------------------------------------------------
# Is this URL an article?
# ---------------------------------------------------------------------------------------------

# Paths of pages that are not one story: listings, tags, authors, galleries, videos, search.
_NOT_ARTICLE = re.compile(
    r"/(?:tag|tags|topik|topic|topics|kategori|category|categories|kanal|rubrik|section|indeks|index|"
    r"search|cari|author|penulis|reporter|editor|profile|profil|login|register|about|tentang|kontak|"
    r"contact|redaksi|pedoman|privacy|kebijakan|disclaimer|sitemap|feed|rss|amp-stories|"
    r"foto|photo|photos|galeri|gallery|galleries|video|videos|tv|live|infografis|readfoto|"
    r"inpicture|podcast)(?:/|$)|/page/\d+/?$|\.(?:jpg|jpeg|png|gif|webp|pdf|xml|json|js|css|zip|mp4|mp3)$",
    re.I,
)
_DATE_PATH = re.compile(r"/(?:19|20)\d{2}/\d{1,2}/\d{1,2}/")
_NUMERIC_ID = re.compile(r"(?:^|[/\-_.])(?:[a-z]{1,3}-?)?\d{5,}(?:[/\-_.]|$)", re.I)
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){3,}", re.I)


def looks_like_article_url(url: str) -> bool:
    """URL signals of one story: a long hyphenated slug, a numeric id or a date in the path,
    and none of the listing/tag/gallery segments."""
    path = urlsplit(url).path
    if not path or path == "/" or _NOT_ARTICLE.search(path):
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(_SLUG.search(last) or (_DATE_PATH.search(path) and len(last) > 8) or _NUMERIC_ID.search(path))


# ---------------------------------------------------------------------------------------------
# Dates and windows
# ---------------------------------------------------------------------------------------------


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    return parse_date(value, default_offset="+07:00")


def parse_bound(value: str | None) -> datetime | None:
    """A `since`/`until` argument ('2026-11-01' or an ISO datetime) as an aware datetime
    (a bare date is midnight WIB)."""
    if not value:
        return None
    iso = parse_date(value, default_offset="+07:00")
    if iso is None:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD or an ISO 8601 datetime)")
    return _as_datetime(iso)


def _as_datetime(iso: str) -> datetime:
    return datetime.fromisoformat(iso if "T" in iso else f"{iso}T00:00:00+07:00")


def in_window(stamp: str | None, since: datetime | None, until: datetime | None) -> bool:
    """Whether an ISO date falls inside [since, until]; an unknown date is let through (the
    article page itself is checked again once fetched)."""
    if not stamp or (since is None and until is None):
        return True
    when = _as_datetime(stamp)
    if "T" not in stamp:  # a date alone: the whole day counts
        return (since is None or when.date() >= since.date()) and (until is None or when.date() <= until.date())
    return (since is None or when >= since) and (until is None or when <= until)


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(fragment="")) if parts.fragment else url


def unique(entries: Iterable[Entry]) -> Iterator[Entry]:
    seen: set[str] = set()
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            yield entry


# ---------------------------------------------------------------------------------------------
# What discovery found and the crawl has not asked for yet
# ---------------------------------------------------------------------------------------------


class Backlog:
    """Article URLs read from sitemaps and sitemaps listed by sitemap indexes, waiting to become
    requests, first in first out. A site's sitemaps list every article at once (50,000 of them
    for a big site): as Requests waiting in Scrapy's memory queue they cost ~1 KB each, as
    entries here ~0.25 KB, and a child sitemap is read only once the articles before it are
    nearly all asked for, so at most about one sitemap's worth waits here.

    Pure bookkeeping: the spider decides when to turn entries into requests (`NewsSpider.start`).
    `page` and `sitemap` items are whatever the spider stores (here: (target, url, lastmod)).
    """

    def __init__(self) -> None:
        self.pages: deque[Any] = deque()
        self.sitemaps: deque[Any] = deque()
        self._sitemap_urls: set[str] = set()
        self.sitemaps_reading = 0
        """Sitemaps handed out by `next_sitemap` whose response has not been read yet."""

    def __len__(self) -> int:
        return len(self.pages) + len(self.sitemaps)

    def add_page(self, item: Any) -> None:
        self.pages.append(item)

    def add_sitemap(self, url: str, item: Any) -> bool:
        """Queue a sitemap (once per URL: two indexes may list the same one); False if known."""
        if url in self._sitemap_urls:
            return False
        self._sitemap_urls.add(url)
        self.sitemaps.append(item)
        return True

    def next_page(self) -> Any | None:
        return self.pages.popleft() if self.pages else None

    def next_sitemap(self, *, low: int, idle: bool) -> Any | None:
        """The next sitemap to read, when fewer than `low` article URLs wait and no sitemap is
        being read, or when the crawl is otherwise idle; else None."""
        if not self.sitemaps:
            return None
        if idle or (len(self.pages) < low and self.sitemaps_reading == 0):
            self.sitemaps_reading += 1
            return self.sitemaps.popleft()
        return None

    def sitemap_read(self) -> None:
        """A sitemap from `next_sitemap` was read (or failed)."""
        self.sitemaps_reading = max(0, self.sitemaps_reading - 1)
