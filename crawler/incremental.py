"""Incremental runs: a scheduled re-run fetches and emits only what is new or changed.

    scrapy crawl news -a site=… -s CRAWLER_STATE_DIR=state/ -O today.jsonl

`CRAWLER_STATE_DIR` holds the crawl state (`crawler.state.SqliteState`, one SQLite file) and a
lock file. Empty: off, every run starts from nothing.

* `IncrementalMiddleware` (a spider middleware) drops the article requests (those with
  `meta['crawler_article']`) whose URL an earlier run fetched, unless their sitemap/feed date
  (`meta['crawler_lastmod']`) is newer than the one stored; `crawler/incremental/skipped`.
  It decides as the spider yields the request, not in the downloader: there, a request for a
  known article found on the home page (no date) would be ignored *after* the dupefilter had
  taken its URL, and the sitemap's request for the same URL with a newer lastmod would then be
  filtered as a duplicate, so the update would never be fetched.
* `IncrementalPipeline` drops a record whose canonical URL was emitted before with the same
  body hash and no newer lastmod (`crawler/drop/already_emitted`), and lets an update through
  (`crawler/incremental/updated`). What was emitted is remembered once every pipeline has
  accepted the record (the `item_scraped` signal), so a record dropped later is not taken for
  emitted.
* A page is remembered as fetched when its story was emitted or dropped, when the spider found
  no story on it, or when it is gone (404, 410); not after a server error, nor when a later page
  of a multi-page story was missing: that story is tried again next run.
* The state directory is locked (`crawler.state.DirLock`) from the moment the crawl is set
  up: a second crawl on it fails at once ("another crawl holds the lock on DIR"), exit code 1.

Keys are normalised URLs (`crawler.dedup.normalize_url`). Works with JOBDIR pause/resume: what
the middleware adds to a request's meta is plain data.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from itemadapter import ItemAdapter
from scrapy import Request, signals
from scrapy.exceptions import DropItem, NotConfigured

from crawler.dedup import normalize_url
from crawler.signals import feed_batch_published
from crawler.state import CrawlState, DirLock, SqliteState, StateLocked, later, newer

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

STATE_DIR_SETTING = "CRAWLER_STATE_DIR"
STATE_FILE = "state.sqlite3"
#: request.meta key: the article page a request or record comes from, {"keys": [normalised
#: URLs], "lastmod": ISO or None}; set on page 1 of an article, carried to the later pages.
ORIGIN_META = "crawler_incremental"
ARTICLE_META = "crawler_article"
LASTMOD_META = "crawler_lastmod"
_GONE = (404, 410)


class CrawlRun:
    """The state of one crawl, shared by the components that use it (one store, one lock)."""

    def __init__(self, directory: Path, state: CrawlState, lock: DirLock | None) -> None:
        self.directory = directory
        self.state = state
        self.lock = lock
        self.origins: dict[str, dict[str, Any]] = {}
        """record URL -> origin of the record, until the record is emitted or dropped"""
        self._lastmods: dict[str, str | None] = {}
        """key -> the latest lastmod any source gave for it in this run"""
        self._fetched: set[str] = set()
        """keys remembered as fetched in this run"""

    def saw(self, key: str, lastmod: str | None) -> None:
        """A source listed `key` with this lastmod (also when the request goes no further)."""
        self._lastmods[key] = later(self._lastmods.get(key), lastmod)
        if key in self._fetched:  # fetched already in this run: a later date is not news
            self.state.mark_fetched(key, lastmod)

    def lastmod(self, origin: dict[str, Any] | None) -> str | None:
        if origin is None:
            return None
        lastmod = origin.get("lastmod")
        for key in origin["keys"]:
            lastmod = later(lastmod, self._lastmods.get(key))
        return lastmod

    def mark_fetched(self, origin: dict[str, Any] | None) -> None:
        if origin is None:
            return
        lastmod = self.lastmod(origin)
        for key in origin["keys"]:
            self.state.mark_fetched(key, lastmod)
            self._fetched.add(key)

    def fetched_in_this_run(self, key: str) -> bool:
        return key in self._fetched

    def close(self) -> None:
        try:
            self.state.close()
        finally:
            if self.lock is not None:
                self.lock.release()


_RUNS: WeakKeyDictionary[Crawler, CrawlRun] = WeakKeyDictionary()


def crawl_run(crawler: Crawler, default_dir: str = "") -> CrawlRun | None:
    """The crawl's state (opened, and its directory locked, on first use), or None when
    CRAWLER_STATE_DIR is empty. Raises `crawler.state.StateLocked` when another crawl holds
    the directory."""
    run = _RUNS.get(crawler)
    if run is not None:
        return run
    if crawler.settings.get("CRAWLER_REDIS_URL"):
        # a distributed crawl (crawler/distributed.py): the state is in Redis, shared by workers
        # that run at the same time by design, so no directory lock
        from crawler.distributed import shared_state

        shared = shared_state(crawler)
        assert shared is not None
        run = CrawlRun(Path(), shared, None)
        _RUNS[crawler] = run
        crawler.signals.connect(run.close, signal=signals.engine_stopped)
        logger.info("Crawl state in Redis (%r)", shared)
        return run
    value = crawler.settings.get(STATE_DIR_SETTING, default_dir)
    if not value:
        return None
    directory = Path(value).expanduser()
    try:
        lock = DirLock(directory).acquire()  # before anything is read: one run at a time
    except StateLocked as exc:
        logger.error("%s: this crawl does not start", exc)
        raise
    try:
        state = SqliteState(directory / STATE_FILE)
    except Exception:
        lock.release()
        raise
    run = CrawlRun(directory, state, lock)
    _RUNS[crawler] = run
    # the signal keeps a weak reference to the bound method; _RUNS keeps `run` alive
    crawler.signals.connect(run.close, signal=signals.engine_stopped)
    logger.info("Crawl state in %s", directory)
    return run


def _origin(response: Response | None) -> dict[str, Any] | None:
    """Where the output of `response` comes from: its inherited origin, or the article page
    it is (keyed by the URL the spider asked for, every redirect hop and the final URL)."""
    if response is None or getattr(response, "request", None) is None:
        return None
    meta = response.meta
    if ORIGIN_META in meta:
        return meta[ORIGIN_META]
    if not meta.get(ARTICLE_META):
        return None
    urls = [*meta.get("redirect_urls", []), response.url]
    return {"keys": sorted({normalize_url(u) for u in urls}), "lastmod": meta.get(LASTMOD_META)}


class IncrementalMiddleware:
    """Spider middleware: article requests for pages fetched by an earlier run, and not changed
    since (by their lastmod), are not scheduled. Off unless CRAWLER_STATE_DIR is set."""

    DEFAULT_STATE_DIR = ""

    def __init__(self, run: CrawlRun, stats: StatsCollector) -> None:
        self.run = run
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        run = crawl_run(crawler, cls.DEFAULT_STATE_DIR)
        if run is None:
            raise NotConfigured
        assert crawler.stats is not None
        return cls(run, crawler.stats)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        # the spider requests long sitemaps' articles from start() as the crawl drains
        # (NewsSpider._feed): the same check as for those a callback yields
        async for element in start:
            if (element := self._process(element, None)) is not None:
                yield element

    def process_spider_output(self, response: Response | None, result: Iterable[Any]) -> Iterable[Any]:
        origin, outputs = _origin(response), 0
        for element in result:
            outputs += 1
            if (element := self._process(element, origin)) is not None:
                yield element
        self._done(response, origin, outputs)

    async def process_spider_output_async(
        self, response: Response | None, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        origin, outputs = _origin(response), 0
        async for element in result:
            outputs += 1
            if (element := self._process(element, origin)) is not None:
                yield element
        self._done(response, origin, outputs)

    def _process(self, element: Any, origin: dict[str, Any] | None) -> Any:
        if isinstance(element, Request):
            if element.meta.get(ARTICLE_META):
                return element if self._wanted(element) else None
            if origin is not None:  # the next page of an article: the record will come from it
                element.meta.setdefault(ORIGIN_META, origin)
            return element
        if origin is not None:
            url = ItemAdapter(element).get("url") if ItemAdapter.is_item(element) else None
            if url:
                self.run.origins[url] = origin
        return element

    def _wanted(self, request: Request) -> bool:
        key, lastmod = normalize_url(request.url), request.meta.get(LASTMOD_META)
        self.run.saw(key, lastmod)
        if self.run.fetched_in_this_run(key):
            return False  # the same article under another URL, already done
        if self.run.state.should_fetch(key, lastmod):
            return True
        self.stats.inc_value("crawler/incremental/skipped")
        logger.debug("not changed since the last run: %s (lastmod %s)", request.url, lastmod)
        return False

    def _done(self, response: Response | None, origin: dict[str, Any] | None, outputs: int) -> None:
        # An article page that gave nothing (no story, a gallery, out of the window) or is gone
        # (404, 410) was read for good: remembered now. One that gave a record or a next-page
        # request is remembered with its record; a server error is tried again next run.
        if (
            outputs == 0
            and origin is not None
            and response is not None
            and ORIGIN_META not in response.meta
            and (200 <= response.status < 300 or response.status in _GONE)
        ):
            self.run.mark_fetched(origin)


class IncrementalPipeline:
    """Drop records emitted before unchanged; let updates through. Off unless
    CRAWLER_STATE_DIR is set."""

    DEFAULT_STATE_DIR = ""

    def __init__(self, run: CrawlRun, stats: StatsCollector, *, wait_for_publish: bool = False) -> None:
        self.run = run
        self.stats = stats
        self.wait_for_publish = wait_for_publish
        """With partitioned feed files, a record counts as emitted once its file is published."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalPipeline:
        run = crawl_run(crawler, cls.DEFAULT_STATE_DIR)
        if run is None:
            raise NotConfigured
        assert crawler.stats is not None
        pipeline = cls(run, crawler.stats, wait_for_publish=bool(crawler.settings.get("CRAWLER_FEED_URI")))
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.batch_published, signal=feed_batch_published)
        return pipeline

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        canonical = adapter.get("canonical_url") or adapter["url"]
        lastmod = self.run.lastmod(self.run.origins.get(adapter["url"]))
        before = self.run.state.was_emitted(normalize_url(canonical))
        if before is None:
            self.stats.inc_value("crawler/incremental/new")
            return item
        if before.content_hash == adapter.get("content_hash") and not newer(lastmod, before.lastmod):
            self.stats.inc_value("crawler/drop/already_emitted")
            raise DropItem(f"already emitted: {canonical}", log_level="INFO")
        self.stats.inc_value("crawler/incremental/updated")
        logger.info("update of %s (lastmod %s, was %s)", canonical, lastmod, before.lastmod)
        return item

    def item_scraped(self, item: Any) -> None:
        """Every pipeline accepted the record: it is emitted (or, with feed files, it will be
        when its file is published)."""
        if self.wait_for_publish:
            return
        adapter = ItemAdapter(item)
        self._emitted(adapter["url"], adapter.get("canonical_url"), adapter.get("content_hash"))

    def batch_published(self, records: list[dict[str, Any]]) -> None:
        """A feed file with these records became visible: they are emitted, durably. A crash
        before this point leaves them unmarked, so the next run emits them again."""
        if not self.wait_for_publish:
            return
        for record in records:
            self._emitted(record["url"], record.get("canonical_url"), record.get("content_hash"))
        self.run.state.commit()

    def _emitted(self, url: str, canonical: str | None, content_hash: str | None) -> None:
        origin = self.run.origins.pop(url, None)
        self.run.state.mark_emitted(normalize_url(canonical or url), content_hash or "", self.run.lastmod(origin))
        self.run.mark_fetched(origin)

    def item_dropped(self, item: Any) -> None:
        """Dropped by any pipeline (invalid, a duplicate, emitted before): fetched for good."""
        adapter = ItemAdapter(item)
        self.run.mark_fetched(self.run.origins.pop(adapter["url"], None))
