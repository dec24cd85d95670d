"""The shape of a site profile: everything the crawler knows about one outlet or network,
as data. Profiles themselves live in `crawler/sites/profiles.py`."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from crawler.sites.selector import Selector

# The SiteProfile fields that hold selectors
SELECTOR_KINDS = ("body", "title", "authors", "editors", "date", "tags", "section", "caption", "prune", "next_page")


def compile_selector(selector: str) -> Selector:
    """A CSS selector, or an XPath expression written 'xpath:…' for what CSS cannot say
    (e.g. 'the credit whose role label reads Editor')."""
    return Selector(selector)


@dataclass(frozen=True)
class SiteProfile:
    """One layout version of one outlet or network.

    Selectors are CSS; each list is tried in order and the first that matches wins. A
    redesign gets a new `SiteProfile` with the same `name`, a new `version` and a later
    `valid_from`; the old one stays so that pages saved from the old layout keep passing.
    """

    name: str
    """Profile name used in `extractor` ('pikiran-rakyat') and on the command line."""

    version: str
    """Layout version, usually the year it was seen ('2020')."""

    domains: tuple[str, ...]
    """Host patterns, fnmatch-style: 'kompas.com', '*.kompas.com'."""

    body: tuple[str, ...]
    """Article container(s) holding the story paragraphs."""

    network: str | None = None
    valid_from: date | None = None
    """First day this layout was seen (None: since ever)."""

    title: tuple[str, ...] = ("h1",)
    authors: tuple[str, ...] = ()
    """Elements whose text names the writers (role words like 'Penulis:' are stripped)."""

    editors: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    """Elements holding the visible publication date line."""

    tags: tuple[str, ...] = ()
    """Tag/topic links in the tag footer."""

    section: tuple[str, ...] = ()
    """Breadcrumb links; the last one that is not 'Home'/'News' is the section."""

    caption: tuple[str, ...] = ()
    """The lead image's caption element."""

    prune: tuple[str, ...] = ()
    """Site-specific noise inside the body container (removed before reading paragraphs)."""

    keep_hidden: bool = True
    """Whether elements hidden with display:none inside the body are story (merdeka,
    liputan6 hide later pages of the story that way) or junk."""

    timezone: str = "+07:00"
    """Offset for visible times with no zone (WIB for Jakarta outlets)."""

    # --- discovery (the spider) ---------------------------------------------------------------

    hosts: tuple[str, ...] = ()
    """Concrete hosts a crawl of this profile (or of its network) visits; wildcard domains
    cannot be enumerated. Default: the domains without wildcards."""

    sitemaps: tuple[str, ...] = ()
    """Sitemap URLs or paths ('/sitemap_news.xml'), read besides those robots.txt names.
    Google News sitemaps give `news:publication_date`, plain ones `lastmod`."""

    feeds: tuple[str, ...] = ()
    """RSS/Atom feed URLs or paths ('/rss', '/feed')."""

    index_pages: tuple[str, ...] = ()
    """Index ('indeks') listing pages whose links lead to articles ('/indeks')."""

    article_pattern: str | None = None
    """Regex the path (and query) of an article URL matches, telling articles from section,
    tag and gallery pages (None: decided by page signals alone)."""

    not_article_pattern: str | None = None
    """Regex of paths that look like articles but are not (galleries, videos, photo pages)."""

    # --- multi-page articles ----------------------------------------------------------------

    pagination: str = "none"
    """How a story is split over pages: 'none'; 'query' (?page=N, pages counted from the bar);
    'all' (the site serves the whole story at ?page=all); 'hidden' (all pages are in the one
    HTML, hidden by script); 'next' (follow the 'Halaman selanjutnya' / rel=next link)."""

    page_param: str = "page"
    """Query parameter of the page number for 'query' and 'all' pagination."""

    next_page: tuple[str, ...] = ()
    """Selectors of the link to the next page ('next' pagination; rel=next is always tried)."""

    notes: str = ""
    """Where the selectors come from (a real saved page, or public scrapers' selectors)."""

    def __getstate__(self) -> dict[str, Any]:
        # Compiled selectors (lxml objects) cannot be pickled; a profile travels inside the
        # spider's requests (JOBDIR, scrapy-redis queues) and compiles them again on first use.
        state = dict(self.__dict__)
        state.pop("_selectors", None)
        return state

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    def matches_host(self, host: str) -> bool:
        host = host.lower().removeprefix("www.")
        return any(
            fnmatch.fnmatchcase(host, pattern) or host == pattern.removeprefix("*.")
            for pattern in self.domains
        )

    @property
    def crawl_hosts(self) -> tuple[str, ...]:
        return self.hosts or tuple(d for d in self.domains if "*" not in d)

    def is_article_path(self, path: str) -> bool | None:
        """True/False when the profile's URL patterns decide, None when they do not."""
        if self.not_article_pattern and re.search(self.not_article_pattern, path):
            return False
        if self.article_pattern:
            return re.search(self.article_pattern, path) is not None
        return None

    def compiled(self, kind: str) -> tuple[Selector, ...]:
        """The selectors of one kind ('body', 'title', ...), compiled once per profile."""
        return self._selectors[kind]

    @cached_property
    def _selectors(self) -> dict[str, tuple[Selector, ...]]:
        return {kind: tuple(compile_selector(s) for s in getattr(self, kind)) for kind in SELECTOR_KINDS}


@dataclass
class ProfileRegistry:
    """All profiles, looked up by URL host."""

    profiles: list[SiteProfile] = field(default_factory=list)
    # host -> its profiles: matching a host runs fnmatch over every profile's domains, which
    # cost more than a page's metadata reading when done for every page
    _by_host: dict[tuple[str, int], list[SiteProfile]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def for_host(self, host: str) -> list[SiteProfile]:
        """Every version of the profile matching `host`, newest first."""
        key = (host, len(self.profiles))  # a profile added later is seen
        found = self._by_host.get(key)
        if found is None:
            if len(self._by_host) > 10_000:  # a crawl over very many hosts: start again
                self._by_host.clear()
            found = [p for p in self.profiles if p.matches_host(host)]
            found = self._by_host[key] = sorted(found, key=lambda p: p.valid_from or date.min, reverse=True)
        return list(found)

    def by_name(self, name: str) -> list[SiteProfile]:
        return sorted(
            (p for p in self.profiles if p.name == name),
            key=lambda p: p.valid_from or date.min,
            reverse=True,
        )

    def names(self) -> list[str]:
        return sorted({p.name for p in self.profiles})

    def networks(self) -> list[str]:
        return sorted({p.network for p in self.profiles if p.network})

    def by_network(self, network: str) -> list[SiteProfile]:
        """The newest version of every profile of a network."""
        newest: dict[str, SiteProfile] = {}
        for profile in self.profiles:
            if profile.network != network:
                continue
            current = newest.get(profile.name)
            if current is None or (profile.valid_from or date.min) > (current.valid_from or date.min):
                newest[profile.name] = profile
        return sorted(newest.values(), key=lambda p: p.name)
