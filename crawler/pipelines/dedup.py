"""One record per article, and copies of a story linked to the first one.

* The dedup key of a record is `normalize_url(canonical_url)`: the record keeps its
  `canonical_url` as the page states it. A key seen before in this run (one article reached
  under two URLs: its AMP page, a tracking link, `?page=all`) is dropped:
  `crawler/drop/duplicate_url`.
* A body that is a near-duplicate (`crawler.dedup.near_duplicates`) of an earlier record's (the
  same wire story on another site) keeps its record, with `duplicate_of` set to the earlier
  record's canonical URL, or to the one that record itself copies: `crawler/dedup/near_duplicate`.

With CRAWLER_STATE_DIR set, the body signatures are kept in the crawl state, so today's copy
links to yesterday's original; those older than CRAWLER_DEDUP_DAYS are not loaded (a wire story
is republished within days).

Memory stays flat on long crawls: the keys of this run cost 8 bytes each (`crawler.dedup.KeySet`),
and the index keeps at most CRAWLER_DEDUP_MAX_ENTRIES signatures (5,000), ~1.2 KB each with their
URLs; past that the oldest go.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.dedup import MAX_ENTRIES, SIGNATURES, KeySet, NearDuplicateIndex, normalize_url
from crawler.incremental import CrawlRun, crawl_run

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class DedupPipeline:
    DEFAULT_DAYS = 30

    def __init__(
        self,
        stats: StatsCollector,
        run: CrawlRun | None = None,
        days: int = DEFAULT_DAYS,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.stats = stats
        self.run = run
        self.days = days
        # a distributed crawl's state has one index shared by all its workers (crawler/redis_state.py)
        shared = getattr(run.state, "near_duplicate_index", None) if run is not None else None
        self.index: Any = shared() if shared is not None else NearDuplicateIndex(max_entries=max_entries)
        self.shared_index = shared is not None
        self.keys = KeySet()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        assert crawler.stats is not None
        days = crawler.settings.getint("CRAWLER_DEDUP_DAYS", cls.DEFAULT_DAYS)
        max_entries = crawler.settings.getint("CRAWLER_DEDUP_MAX_ENTRIES", MAX_ENTRIES)
        return cls(crawler.stats, crawl_run(crawler), days, max_entries)

    def open_spider(self) -> None:
        if self.run is None or self.shared_index:
            return
        since = (datetime.now(UTC) - timedelta(days=self.days)).isoformat(timespec="seconds")
        for key, sig, original in self.run.state.signatures(since):
            self.index.add(key, sig, original)
        logger.info("%d article signatures from earlier runs", len(self.index))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        canonical = adapter.get("canonical_url") or adapter["url"]
        key = normalize_url(canonical)
        if not self.keys.add(key):
            self.stats.inc_value("crawler/drop/duplicate_url")
            raise DropItem(
                f"duplicate URL: {adapter['url']} is {canonical}, already in this run", log_level="INFO"
            )
        sig = SIGNATURES.take(adapter.get("body") or "")  # most often computed by an extraction worker
        if sig is None:  # too short to compare
            return item
        original = adapter.get("duplicate_of") or canonical
        found = self.index.find(sig, exclude=key)
        # an earlier copy of this very article (it was updated) is not its original
        if found is not None and normalize_url(found[1]) != key and not adapter.get("duplicate_of"):
            _, original, score = found
            adapter["duplicate_of"] = original
            self.stats.inc_value("crawler/dedup/near_duplicate")
            logger.info("near-duplicate (similarity %.2f): %s copies %s", score, canonical, original)
        self.index.add(key, sig, original)
        if self.run is not None:
            self.run.state.mark_signature(key, sig, original)
        return item
