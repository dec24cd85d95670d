"""The one spider: `scrapy crawl news` over a site, a network, or any outlet.

    scrapy crawl news -a site=depok.pikiran-rakyat.com
    scrapy crawl news -a network=tribun
    scrapy crawl news -a url=https://any-outlet.example/          (generic extraction only)
    ... -a since=2026-11-01 -a until=2026-11-24                  (publication window)
    ... -a start_url=http://127.0.0.1:8000/                      (a mirror or local copy)

Discovery reads robots.txt sitemaps, the profile's (Google News) sitemaps, RSS/Atom feeds, the
home page and index pages. Article pages are told from section, tag and gallery pages by the
profile's URL patterns (or URL signals), then by the page itself: a page without a story is a
counted drop, not an item. Multi-page stories are fetched page by page and stitched.

The spider stays thin: site knowledge is in `crawler.sites`, extraction in `crawler.extraction`,
URL discovery in `crawler.discovery`, stitching in `crawler.stitching`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from twisted.python.failure import Failure

from crawler.discovery import (
    Backlog,
    Entry,
    feed_links,
    in_window,
    looks_like_article_url,
    page_links,
    parse_bound,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
)
from crawler.extraction.core import EXTRACTOR_GENERIC, Pagination
from crawler.extraction_pool import ExtractionPool
from crawler.items import ArticleItem
from crawler.sites import REGISTRY, SiteProfile
from crawler.sites.profile import ProfileRegistry
from crawler.stitching import repeats_earlier_page, stitch

# Words of a story below which a page is not taken for an article (a gallery, a listing).
MIN_WORDS = 40
# Pages of one story followed at most (a runaway 'next' chain is a site bug, not a story).
MAX_ARTICLE_PAGES = 30
# Soft 404: a 200 page that says it is not there.
_SOFT_404 = ("halaman tidak ditemukan", "page not found", "404 not found", "artikel tidak ditemukan")

_GENERIC_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/sitemap-news.xml")
_GENERIC_FEEDS = ("/feed", "/rss")
_GENERIC_INDEXES = ("/indeks",)


@dataclass(frozen=True)
class Target:
    """One host to crawl: where to fetch it from and which profile knows it."""

    host: str
    """The site's own host (e.g. depok.pikiran-rakyat.com)."""
    base: str
    """Where requests go: https://host/ or a mirror (start_url)."""
    profile: SiteProfile | None

    def url(self, path_or_url: str) -> str:
        return self.localize(urljoin(self.base, path_or_url))

    def owns(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return host in (urlsplit(self.base).hostname, self.host)

    def localize(self, url: str) -> str:
        """On a mirror (start_url), links to the site's own host go to the mirror instead."""
        parts, base = urlsplit(url), urlsplit(self.base)
        if parts.hostname == self.host and base.hostname != self.host:
            return urlunsplit(parts._replace(scheme=base.scheme, netloc=base.netloc))
        return url

    def __reduce__(self) -> tuple[Any, ...]:
        # Every request carries its target (cb_kwargs) and is pickled into JOBDIR's disk queues and
        # a distributed crawl's Redis queue: a profile of the registry travels as its key (a
        # request ~0.5 KB instead of ~5 KB) and is looked up again; any other one travels whole.
        if self.profile is not None and _registry_profile(self.profile.key) is self.profile:
            return (_restore_target, (self.host, self.base, self.profile.key))
        return (Target, (self.host, self.base, self.profile))


def _registry_profile(key: str) -> SiteProfile | None:
    return next((p for p in REGISTRY.profiles if p.key == key), None)


def _restore_target(host: str, base: str, key: str) -> Target:
    # a profile gone from the registry since the crawl was paused: the host's current one
    profile = _registry_profile(key) or next(iter(REGISTRY.for_host(host)), None)
    return Target(host, base, profile)


@dataclass
class Stitch:
    """A multi-page article in the making."""

    records: list[dict]
    remaining: list[str]
    chained: bool
    """Follow each page's next link (True) or walk the list of page URLs (False)."""
    target: Target
    seen: set[str] = field(default_factory=set)


class NewsSpider(scrapy.Spider):
    name = "news"
    extraction: ExtractionPool | None = None
    """Where pages are extracted (CRAWLER_EXTRACTION_PROCESSES worker processes, or in process)."""

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extraction = ExtractionPool.from_crawler(crawler, spider.registry)
        return spider

    def __init__(
        self,
        site: str | None = None,
        network: str | None = None,
        url: str | None = None,
        since: str | None = None,
        until: str | None = None,
        start_url: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if sum(x is not None for x in (site, network, url)) != 1:
            raise ValueError("give exactly one of -a site=HOST, -a network=NAME, -a url=URL")
        self.since = parse_bound(since)
        self.until = parse_bound(until)
        # An unknown outlet is crawled with the generic path only: no profile guesses.
        self.registry: ProfileRegistry = ProfileRegistry([]) if url else REGISTRY
        self.targets = self._targets(site, network, url, start_url)

    @staticmethod
    def _targets(site: str | None, network: str | None, url: str | None, start_url: str | None) -> list[Target]:
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"-a url= needs an http(s) URL, got {url!r}")
            return [Target(parts.hostname, start_url or url, None)]
        if site:
            # several sites at once: -a site=a.example,b.example [-a start_url=URL_A,URL_B]
            hosts = [h.strip().lower() for h in site.split(",") if h.strip()]
            bases = [u.strip() for u in start_url.split(",")] if start_url else [f"https://{h}/" for h in hosts]
            if len(bases) != len(hosts):
                raise ValueError("-a start_url= needs one URL per site, in the same order")
            targets = []
            for host, base in zip(hosts, bases, strict=True):
                found = REGISTRY.for_host(host)
                targets.append(Target(host.removeprefix("www."), base, found[0] if found else None))
            return targets
        profiles = REGISTRY.by_network(network or "")
        if not profiles:
            raise ValueError(f"unknown network {network!r}; known: {', '.join(REGISTRY.networks())}")
        targets = [Target(h, f"https://{h}/", p) for p in profiles for h in p.crawl_hosts]
        if start_url:
            if len(targets) != 1:
                raise ValueError("-a start_url= needs a single site; use -a site= with it")
            targets = [Target(targets[0].host, start_url, targets[0].profile)]
        return targets

    # -----------------------------------------------------------------------------------------
    # Discovery
    # -----------------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self._backlog = self._new_backlog()
        for target in self.targets:
            for request in self._seed(target):
                yield request
        if self._backlog is not None:
            async for request in self._feed(self._backlog):
                yield request

    _backlog: Backlog | None = None
    """Sitemap entries not yet requested (None: every entry is requested as it is read)."""

    def _new_backlog(self) -> Backlog | None:
        """A backlog, unless CRAWLER_DISCOVERY_PENDING is 0 or the pending requests live outside
        this process anyway: on disk (JOBDIR, where a backlog would not survive a pause) or in
        Redis (a distributed crawl, where every worker takes requests from one queue)."""
        crawler = getattr(self, "crawler", None)
        if crawler is None:
            return None
        settings = crawler.settings
        if settings.getint("CRAWLER_DISCOVERY_PENDING") <= 0 or settings.get("JOBDIR") or settings.get("CRAWLER_REDIS_URL"):
            return None
        try:
            engine = crawler.engine
        except RuntimeError:  # no crawl under way (seeds read by a command)
            engine = None
        return Backlog() if engine is not None else None

    async def _feed(self, backlog: Backlog) -> AsyncIterator[scrapy.Request]:
        """Turn sitemap entries into requests as the scheduler drains, so that at most
        CRAWLER_DISCOVERY_PENDING requests wait in it (memory stays flat however many articles a
        site's sitemaps list), and read the next child sitemap when fewer than that wait here.
        Ends once nothing waits here and the crawl is otherwise idle: no response is left whose
        callback could add entries, so every entry found has been requested."""
        limit = self.crawler.settings.getint("CRAWLER_DISCOVERY_PENDING")
        engine = self.crawler.engine
        while True:
            scheduler = getattr(engine, "scheduler", None) or engine._slot.scheduler  # Scrapy < 2.19
            queued = len(scheduler) if hasattr(scheduler, "__len__") else int(scheduler.has_pending_requests()) * limit
            if queued < limit:
                idle = not queued and not engine.downloader.active and engine.scraper.slot.is_idle()
                sitemap = backlog.next_sitemap(low=limit, idle=idle)
                if sitemap is not None:
                    target, url = sitemap
                    yield self._request(
                        url, self.parse_sitemap, target, source="sitemap", crawler_backlog=True, dont_filter=True
                    )
                    continue
                page = backlog.next_page()
                if page is not None:
                    yield self._article_request(*page)
                    continue
                if idle and not backlog:
                    return
            await _sleep(0.05)

    def _seed(self, target: Target) -> Iterator[scrapy.Request]:
        profile = target.profile
        yield self._request(target.url("/robots.txt"), self.parse_robots, target, source="robots")
        for path in (profile.feeds if profile and profile.feeds else _GENERIC_FEEDS):
            yield self._request(target.url(path), self.parse_feed, target, source="feed")
        for path in (profile.index_pages if profile and profile.index_pages else _GENERIC_INDEXES):
            yield self._request(target.url(path), self.parse_index, target, source="index")
        yield self._request(target.base, self.parse_index, target, source="home")

    def _request(
        self, url: str, callback: Any, target: Target, *, source: str, dont_filter: bool = False, **meta: Any
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.discovery_failed,
            cb_kwargs={"target": target},
            meta={"crawler_source": source, **meta},
            dont_filter=dont_filter,
        )

    def discovery_failed(self, failure: Failure) -> None:
        # A site without a feed or an index page is normal; counted, logged at debug.
        request = failure.request  # type: ignore[attr-defined]
        if request.meta.get("crawler_backlog") and self._backlog is not None:
            self._backlog.sitemap_read()
        self.crawler.stats.inc_value(f"crawler/discovery/failed/{request.meta.get('crawler_source', 'other')}")
        if failure.check(HttpError):
            self._account("discovery")
        else:
            self._network_error(failure, level=logging.DEBUG)
        self.logger.debug("discovery source unavailable: %s (%s)", request.url, failure.getErrorMessage())

    def parse_robots(self, response: Response, target: Target) -> Iterator[scrapy.Request]:
        self._account("discovery")
        sitemaps = robots_sitemaps(response.body, response.url)
        profile = target.profile
        sitemaps += [target.url(p) for p in (profile.sitemaps if profile else ())]
        if not sitemaps:
            sitemaps = [target.url(p) for p in _GENERIC_SITEMAPS]
        for url in dict.fromkeys(target.localize(u) for u in sitemaps):
            yield self._request(url, self.parse_sitemap, target, source="sitemap")

    def parse_sitemap(self, response: Response, target: Target) -> Iterator[scrapy.Request]:
        self._account("discovery")
        backlog = self._backlog
        if backlog is not None and response.meta.get("crawler_backlog"):
            backlog.sitemap_read()
        body = response.body
        if gzip_magic_number(response):
            try:
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except (OSError, ValueError) as exc:  # a corrupt or oversized .xml.gz
                self.logger.error("unreadable sitemap %s: %s", response.url, exc)
                self.crawler.stats.inc_value("crawler/error/bad_sitemap")
                return
        sitemap = parse_sitemap(body, response.url)
        for entry in sitemap.sitemaps:
            if in_window(entry.lastmod, self.since, None):  # an older index part holds older news
                url = target.localize(entry.url)
                if backlog is not None:  # read once the articles before it are nearly all requested
                    backlog.add_sitemap(url, (target, url))
                else:
                    yield self._request(url, self.parse_sitemap, target, source="sitemap")
        yield from self._articles(sitemap.pages, target, "sitemap", trust_source=True, backlog=backlog)

    def parse_feed(self, response: Response, target: Target) -> Iterator[scrapy.Request]:
        self._account("discovery")
        yield from self._articles(parse_feed(response.body, response.url), target, "feed", trust_source=True)

    def parse_index(self, response: Response, target: Target) -> Iterator[scrapy.Request]:
        self._account("discovery")
        if not isinstance(response, scrapy.http.HtmlResponse):
            return
        for feed in feed_links(response.body, response.url):
            if target.owns(feed):
                yield self._request(target.localize(feed), self.parse_feed, target, source="feed")
        entries = [Entry(u) for u in page_links(response.body, response.url)]
        yield from self._articles(entries, target, "index", trust_source=False)

    def _articles(
        self, entries: list[Entry], target: Target, source: str, *, trust_source: bool, backlog: Backlog | None = None
    ) -> Iterator[scrapy.Request]:
        """Requests for the entries that are articles of the target in the window; with a
        `backlog`, the entries go there instead and `start` requests them as the crawl drains."""
        stats = self.crawler.stats
        for entry in entries:
            if not target.owns(entry.url):
                continue
            entry = Entry(target.localize(entry.url), entry.published, entry.lastmod)
            if not self._is_article_url(entry.url, target, trust_source=trust_source):
                stats.inc_value(f"crawler/discovery/skipped_url/{source}")
                continue
            if not in_window(entry.published or entry.lastmod, self.since, self.until):
                stats.inc_value("crawler/discovery/out_of_window")
                continue
            stats.inc_value(f"crawler/discovery/article_url/{source}")
            page = (target, entry.url, entry.lastmod or entry.published, source)
            if backlog is not None:
                backlog.add_page(page)
            else:
                yield self._article_request(*page)

    def _article_request(self, target: Target, url: str, lastmod: str | None, source: str) -> scrapy.Request:
        if target.profile is not None and target.profile.pagination == "all":
            url = _with_query(url, target.profile.page_param, "all")
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"target": target},
            # crawler_article marks the request of an article's first page (incremental
            # runs and dedup look at these); crawler_lastmod is its sitemap/feed date
            meta={"crawler_source": source, "crawler_article": True, "crawler_lastmod": lastmod},
        )

    @staticmethod
    def _is_article_url(url: str, target: Target, *, trust_source: bool) -> bool:
        path = urlsplit(url).path
        query = urlsplit(url).query
        if target.profile is not None:
            verdict = target.profile.is_article_path(f"{path}?{query}" if query else path)
            if verdict is not None:
                return verdict
        # sitemaps and feeds list articles; a page's links need URL signals
        return looks_like_article_url(url) or (trust_source and not _is_listing_path(path))

    # -----------------------------------------------------------------------------------------
    # Articles
    # -----------------------------------------------------------------------------------------

    async def parse_article(self, response: Response, target: Target) -> AsyncIterator[Any]:
        record, pagination = await self._extract(response, target)
        if record is None:
            self._account("dropped")
            return
        if not in_window(record.get("published_at"), self.since, self.until):
            self._drop("out_of_window", response.url)
            self._account("dropped")
            return
        remaining = self._other_pages(record, pagination, target)
        if remaining:
            self._account("article_page")
            state = Stitch([record], remaining, chained=not pagination.page_urls, target=target, seen={response.url})
            yield self._page_request(state)
            return
        self._account("article_page")
        for item in self._finish(record, response.url):
            yield item

    def _finish(self, record: dict, url: str, pages: int = 1) -> Iterator[ArticleItem]:
        """The page signals decide on the whole story (all pages): item or counted drop."""
        reason = self._not_an_article(record)
        if reason:
            self._drop(reason, url)
            self._move_pages_to_dropped(pages)  # the story's pages end as a drop
            return
        yield self._item(record)

    async def parse_next_page(self, response: Response, state: Stitch) -> AsyncIterator[Any]:
        record, pagination = await self._extract(response, state.target)
        if record is None:
            self.logger.error("unreadable page %s of %s: article not emitted", response.url, state.records[0]["url"])
            self._drop("missing_page", response.url, log=False)
            self._account("dropped")
            self._move_pages_to_dropped(len(state.records))
            return
        stats = self.crawler.stats
        self._account("article_page")
        if repeats_earlier_page(record, state.records):
            # The site served page 1 again for ?page=N: stop here, keep the story once.
            stats.inc_value("crawler/pagination/repeated_page")
            self.logger.info("page %s repeats an earlier page; story ends at %d page(s)", response.url, len(state.records))
            for item in self._finish(stitch(state.records), state.records[0]["url"], len(state.records) + 1):
                yield item
            return
        state.records.append(record)
        next_url = state.target.localize(pagination.next_url) if pagination.next_url else None
        if state.chained and next_url and next_url not in state.seen:
            state.remaining.append(next_url)
        if state.remaining and len(state.records) < MAX_ARTICLE_PAGES:
            yield self._page_request(state)
            return
        stats.inc_value("crawler/pagination/stitched")
        for item in self._finish(stitch(state.records), state.records[0]["url"], len(state.records)):
            yield item

    def _page_request(self, state: Stitch) -> scrapy.Request:
        url = state.remaining.pop(0)
        state.seen.add(url)
        return scrapy.Request(
            url,
            callback=self.parse_next_page,
            errback=self.page_failed,
            cb_kwargs={"state": state},
            meta={"crawler_source": "page"},
            dont_filter=True,
        )

    def page_failed(self, failure: Failure) -> None:
        """A page of a multi-page story could not be fetched: the story would be short, so it
        is not emitted; an error in the log and stats says which page is missing."""
        request = failure.request  # type: ignore[attr-defined]
        state: Stitch = request.cb_kwargs["state"]
        self.logger.error(
            "missing page %s of %s (%s): article not emitted",
            request.url,
            state.records[0]["url"],
            failure.getErrorMessage(),
        )
        self.crawler.stats.inc_value("crawler/pagination/missing_page")
        self._drop("missing_page", state.records[0]["url"], log=False)
        self._move_pages_to_dropped(len(state.records))
        if failure.check(HttpError):
            self._account("http_error")
        else:
            self._network_error(failure, level=None)

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError):
            # a listed article that is gone (404/410) or failing (500) is a counted drop
            status = failure.value.response.status
            self._drop(f"http_{status}", request.url)
            self._account("http_error")
            return
        self._network_error(failure, level=logging.ERROR)

    def _network_error(self, failure: Failure, *, level: int | None) -> None:
        """No response at all (timeout, reset, refused, too large, redirect loop): an error."""
        request = failure.request  # type: ignore[attr-defined]
        kind = type(failure.value).__name__
        self.crawler.stats.inc_value(f"crawler/error/{kind}")
        if level is not None:
            self.logger.log(level, "request failed: %s (%s: %s)", request.url, kind, failure.getErrorMessage())

    async def _extract(self, response: Response, target: Target) -> tuple[dict | None, Pagination]:
        """The page's record, extracted in a worker process (CRAWLER_EXTRACTION_PROCESSES) while the
        reactor goes on fetching; None when it is a drop, counted here with its reason."""
        if not isinstance(response, scrapy.http.HtmlResponse):
            self._drop("not_html", response.url)
            return None, Pagination()
        if self.extraction is None:  # a spider made without a crawler (tests): in process
            self.extraction = ExtractionPool(0, self.registry)
        outcome = await self.extraction.extract(
            response.body,
            response.url,
            fetched_at=response.meta.get("crawler_fetched_at") or datetime.now(UTC).isoformat(timespec="seconds"),
            host=target.host if target.profile is not None else None,
        )
        if outcome.drop is not None:
            self._drop(outcome.drop, response.url)
            if outcome.drop == "unparseable":
                self.logger.warning("cannot extract %s: %s", response.url, outcome.detail)
            elif outcome.drop != "not_html":  # a bug or a dead worker: the page is lost
                self.logger.error("extraction failed on %s (%s): %s", response.url, outcome.drop, outcome.detail)
            return None, Pagination()
        return outcome.record, outcome.pagination

    @staticmethod
    def _not_an_article(record: dict) -> str | None:
        """Page signals: a story has enough words and is not a soft 404 (a story without a
        title is still a story: the record says title null)."""
        text = f"{record.get('title') or ''} {record['body'][:300]}".casefold()
        if any(marker in text for marker in _SOFT_404):
            return "soft_404"
        if record["word_count"] < MIN_WORDS:
            return "no_story"
        return None

    def _other_pages(self, record: dict, pagination: Pagination, target: Target) -> list[str]:
        """URLs of pages 2..N still to fetch (from page 1), in order."""
        if (pagination.page or 1) != 1:
            return []
        url = record["url"]
        pages = pagination.pages or 1
        if pages > 1:
            param = target.profile.page_param if target.profile else "page"
            return [
                target.localize(pagination.page_urls.get(n) or _with_query(url, param, str(n)))
                for n in range(2, min(pages, MAX_ARTICLE_PAGES) + 1)
            ]
        return [target.localize(pagination.next_url)] if pagination.next_url else []

    def _item(self, record: dict) -> ArticleItem:
        stats = self.crawler.stats
        extractor = record["extractor"]
        kind = "fallback" if extractor.endswith("+generic") else "generic" if extractor == EXTRACTOR_GENERIC else "profile"
        stats.inc_value(f"crawler/extractor/{kind}")
        if kind == "fallback":
            self.logger.warning("profile %s found no story on %s: generic path used", extractor, record["url"])
        stats.inc_value("crawler/articles/emitted")
        return ArticleItem.from_record(record)

    def _account(self, outcome: str) -> None:
        """Every response the spider receives ends in exactly one outcome; the crawl summary
        checks that they add up to the responses Scrapy received."""
        self.crawler.stats.inc_value(f"crawler/responses/{outcome}")

    def _move_pages_to_dropped(self, pages: int) -> None:
        self.crawler.stats.inc_value("crawler/responses/article_page", -pages)
        self.crawler.stats.inc_value("crawler/responses/dropped", pages)

    def closed(self, reason: str) -> None:
        summary = crawl_summary(self.crawler.stats.get_stats())
        for key, value in summary.items():
            self.crawler.stats.set_value(f"crawler/summary/{key}", value)
        drops = ", ".join(f"{k.removeprefix('crawler/drop/')} {v}" for k, v in sorted(self.crawler.stats.get_stats().items()) if k.startswith("crawler/drop/"))
        self.logger.info(
            "crawl summary: %(received)d responses = %(items)d items from %(article_pages)d article pages"
            " + %(dropped)d dropped + %(http_errors)d HTTP errors + %(discovery)d discovery + %(robots)d robots.txt"
            " (unaccounted: %(unaccounted)d); %(network_errors)d requests failed without a response",
            summary,
        )
        if drops:
            self.logger.info("drop reasons: %s", drops)

    def _drop(self, reason: str, url: str, *, log: bool = True) -> None:
        self.crawler.stats.inc_value(f"crawler/drop/{reason}")
        if log:
            self.logger.info("dropped (%s): %s", reason, url)


def crawl_summary(stats: dict[str, Any]) -> dict[str, int]:
    """Outcomes per response received, and whether they add up (`unaccounted` is 0)."""
    def get(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    summary = {
        "received": get("response_received_count"),
        "items": get("crawler/articles/emitted"),
        "article_pages": get("crawler/responses/article_page"),
        "dropped": get("crawler/responses/dropped"),
        "http_errors": get("crawler/responses/http_error"),
        "discovery": get("crawler/responses/discovery"),
        "robots": get("robotstxt/response_count"),
        "network_errors": sum(int(v) for k, v in stats.items() if k.startswith("crawler/error/")),
    }
    accounted = sum(summary[k] for k in ("article_pages", "dropped", "http_errors", "discovery", "robots"))
    summary["unaccounted"] = summary["received"] - accounted
    return summary


try:
    from scrapy.utils.asyncio import sleep as _sleep
except ImportError:  # Scrapy < 2.18: the asyncio reactor, Scrapy's default
    from asyncio import sleep as _sleep


_LISTING = ("/tag/", "/tags/", "/topik/", "/kategori/", "/category/", "/indeks", "/index", "/search")


def _is_listing_path(path: str) -> bool:
    return path in ("", "/") or any(part in path for part in _LISTING)


def _with_query(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(query)))
