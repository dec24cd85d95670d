"""JSONL feeds partitioned by site and publication date, published one complete file at a time.

`PartitionedFeedPipeline` writes every item it sees into a batch file of its partition,
`site=<site>/date=<YYYY-MM-DD>/`, with Scrapy's `JsonLinesItemExporter` (UTF-8, no \\u escapes,
one record per line), and publishes the batch when it closes:

1. an item is routed to its partition (`partition_of`);
2. the partition's open batch (a temporary local file) gets one line;
3. a batch closes when it holds `CRAWLER_FEED_BATCH_ITEMS` items, when opening another
   partition would exceed `CRAWLER_FEED_MAX_OPEN_PARTITIONS` (the least recently used one is
   closed), or when the spider closes;
4. a closed batch is flushed, fsynced and published under `batch_name(...)`: on a local target
   by `os.replace` from `<root>/.tmp/` (same filesystem, so the rename is atomic); on any other
   target by the `FEED_STORAGES` class of its scheme (S3, GCS, FTP, ...), whose `store()` uploads
   the finished file (an object store shows an object only once its upload completed).

A consumer therefore never sees a half-written file or line. A publish that fails is an error
in the log naming the kept temporary file; the items are never lost, never half visible.

Scrapy's feed machinery is reused, not re-implemented: the exporter, the gzip post-processing
plugin and the storage classes are Scrapy's. `FEEDS` / `-O` keep working beside this pipeline.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path, PureWindowsPath
from typing import IO, TYPE_CHECKING, Any, cast
from urllib.parse import urlparse

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured
from scrapy.exporters import JsonLinesItemExporter
from scrapy.extensions.postprocessing import GzipPlugin
from scrapy.utils.defer import ensure_awaitable
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.python import without_none_values
from w3lib.url import file_uri_to_path

from crawler.signals import feed_batch_published

if TYPE_CHECKING:
    from io import BytesIO

    from scrapy.crawler import Crawler
    from scrapy.extensions.feedexport import FeedStorageProtocol
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# Fallback day of an article without a publication date: the day in Western Indonesia (WIB).
WIB = timezone(timedelta(hours=7), "WIB")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What may appear in a path segment or a file name we build; anything else becomes '_'.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def partition_of(item: Any, *, now: datetime | None = None) -> tuple[str, str]:
    """`(site, 'YYYY-MM-DD')` of an item: its site and its publication date.

    The date is the one `published_at` states (in the offset the newsroom gave, so a WITA story
    of 00:30 on the 20th is in the 20th); without a usable `published_at`, the day of
    `fetched_at` in WIB (UTC+7); without either, the day of `now` (default: the current time)
    in WIB.
    """
    adapter = ItemAdapter(item)
    site = _segment(str(adapter.get("site") or ""))
    if not site:
        raise ValueError(f"item without a usable site: {adapter.get('url')!r}")
    published = adapter.get("published_at")
    if isinstance(published, str) and _ISO_DATE.match(published):
        try:
            return site, date.fromisoformat(published[:10]).isoformat()
        except ValueError:
            pass  # not a calendar date, e.g. '2026-13-01': fall back like a missing one
    fetched = adapter.get("fetched_at")
    moment = _parse_instant(fetched) if isinstance(fetched, str) else None
    if moment is None:
        moment = now or datetime.now(UTC)
    if moment.tzinfo is None:  # contract: fetched_at is UTC
        moment = moment.replace(tzinfo=UTC)
    return site, moment.astimezone(WIB).date().isoformat()


def partition_path(site: str, day: str) -> str:
    """The partition's relative directory, e.g. 'site=depok.pikiran-rakyat.com/date=2026-11-19/'."""
    return f"site={site}/date={day}/"


def batch_name(started: datetime, worker_id: str, seq: int, *, gzip: bool = False) -> str:
    """File name of a batch: 'part-<spider start, UTC, compact>-<worker id>-<seq>.jsonl[.gz]'.

    The start time and the worker id keep runs and concurrent workers apart; `seq` counts the
    batches of one partition within one run.
    """
    if started.tzinfo is None:
        started = started.replace(tzinfo=UTC)
    stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"part-{stamp}-{_segment(worker_id)}-{seq:05d}.jsonl" + (".gz" if gzip else "")


def default_worker_id() -> str:
    """hostname-pid: unique among the processes that may write into one feed at a time."""
    return _segment(f"{socket.gethostname()}-{os.getpid()}")


def _segment(text: str) -> str:
    """`text` as a safe path segment: letters, digits, '.', '_', '-' only, no leading or trailing
    dots (so never '.' or '..'); '' when nothing is left."""
    return _UNSAFE.sub("_", text.strip()).strip(".")


def _parse_instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _is_local(uri: str) -> bool:
    return urlparse(uri).scheme in ("", "file") or bool(PureWindowsPath(uri).drive)


@dataclass
class _Batch:
    """One open batch file of one partition."""

    partition: tuple[str, str]
    temp_path: Path
    raw: IO[bytes]
    gzip: GzipPlugin | None
    exporter: JsonLinesItemExporter
    items: int = 0
    records: list[dict[str, Any]] = field(default_factory=list)
    """url, canonical_url, content_hash of each record, for the feed_batch_published signal"""

    def close_file(self) -> None:
        """Finish the exporter, the gzip stream and the file; durable on disk before publishing."""
        self.exporter.finish_exporting()
        if self.gzip is not None:
            self.gzip.close()  # writes the gzip trailer; leaves `raw` open
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()


class PartitionedFeedPipeline:
    """JSONL batches per site and publication date, each published whole (see the module doc)."""

    BATCH_ITEMS = 1000
    MAX_OPEN_PARTITIONS = 64
    GZIP = False
    TEMP_DIR_NAME = ".tmp"  # under a local root: hidden, same filesystem as the published files

    def __init__(
        self,
        uri: str,
        *,
        stats: StatsCollector,
        storage_class: type[FeedStorageProtocol] | None = None,
        crawler: Crawler | None = None,
        batch_items: int = BATCH_ITEMS,
        max_open_partitions: int = MAX_OPEN_PARTITIONS,
        gzip: bool = GZIP,
        worker_id: str = "",
        temp_dir: str | None = None,
    ) -> None:
        if batch_items < 1:
            raise ValueError(f"CRAWLER_FEED_BATCH_ITEMS must be at least 1, not {batch_items}")
        if max_open_partitions < 1:
            raise ValueError(
                f"CRAWLER_FEED_MAX_OPEN_PARTITIONS must be at least 1, not {max_open_partitions}"
            )
        self.uri = uri
        self.stats = stats
        self.crawler = crawler
        self.storage_class = storage_class  # None: a local target, published by rename
        self.batch_items = batch_items
        self.max_open_partitions = max_open_partitions
        self.gzip = gzip
        self.worker_id = _segment(worker_id) or default_worker_id()
        if storage_class is None:
            self.root: Path | None = Path(file_uri_to_path(uri) if uri.startswith("file:") else uri)
            self.temp_dir = self.root / self.TEMP_DIR_NAME
        else:
            self.root = None
            self.temp_dir = Path(temp_dir or tempfile.gettempdir())
        self.started = datetime.now(UTC)
        self._open: OrderedDict[tuple[str, str], _Batch] = OrderedDict()  # least recently used first
        self._seq: dict[tuple[str, str], int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PartitionedFeedPipeline:
        settings = crawler.settings
        uri = (settings.get("CRAWLER_FEED_URI") or "").strip()
        if not uri:
            raise NotConfigured  # (no message: Scrapy would log a warning on every crawl)
        storage_class = None if _is_local(uri) else cls._storage_class(crawler, uri)
        return cls(
            uri,
            stats=crawler.stats,
            storage_class=storage_class,
            crawler=crawler,
            batch_items=settings.getint("CRAWLER_FEED_BATCH_ITEMS", cls.BATCH_ITEMS),
            max_open_partitions=settings.getint("CRAWLER_FEED_MAX_OPEN_PARTITIONS", cls.MAX_OPEN_PARTITIONS),
            gzip=settings.getbool("CRAWLER_FEED_GZIP", cls.GZIP),
            worker_id=settings.get("CRAWLER_WORKER_ID") or "",
            temp_dir=settings.get("FEED_TEMPDIR"),
        )

    @staticmethod
    def _storage_class(crawler: Crawler, uri: str) -> type[FeedStorageProtocol]:
        """The FEED_STORAGES class for the URI's scheme, checked now rather than at the first
        publish: a feed that cannot be stored must stop the crawl, not disable itself quietly."""
        scheme = urlparse(uri).scheme
        storages = without_none_values(crawler.settings.getwithbase("FEED_STORAGES"))
        if scheme not in storages:
            raise ValueError(
                f"CRAWLER_FEED_URI={uri!r}: no feed storage for scheme {scheme!r} in FEED_STORAGES"
            )
        storage_class = load_object(storages[scheme])
        try:  # e.g. S3 without boto3 raises NotConfigured, which would silently drop the feed
            build_from_crawler(storage_class, crawler, uri, feed_options={"overwrite": True})
        except NotConfigured as error:
            raise ValueError(
                f"CRAWLER_FEED_URI={uri!r}: the {scheme} feed storage is unavailable: {error}"
            ) from error
        return storage_class

    def open_spider(self) -> None:
        self.started = datetime.now(UTC)
        self.temp_dir.mkdir(parents=True, exist_ok=True)

    async def process_item(self, item: Any) -> Any:
        # The open batches change only before the first await: an upload in progress must not
        # let a concurrent item of the same partition open a second batch that this one replaces.
        closed: list[_Batch] = []
        partition = partition_of(item)
        batch = self._open.get(partition)
        if batch is None:
            if len(self._open) >= self.max_open_partitions:
                closed.append(self._open.popitem(last=False)[1])
                self.stats.inc_value("crawler/feed/lru_closed")
            batch = self._open[partition] = self._new_batch(partition)
        else:
            self._open.move_to_end(partition)
        batch.exporter.export_item(item)
        batch.items += 1
        adapter = ItemAdapter(item)
        batch.records.append(
            {key: adapter.get(key) for key in ("url", "canonical_url", "content_hash")}
        )
        self.stats.inc_value("crawler/feed/items")
        if batch.items >= self.batch_items:
            closed.append(self._open.pop(partition))
        for done in closed:
            await self._publish(done)
        return item

    async def close_spider(self) -> None:
        while self._open:
            _, batch = self._open.popitem(last=False)
            await self._publish(batch)

    def _new_batch(self, partition: tuple[str, str]) -> _Batch:
        site, day = partition
        handle, name = tempfile.mkstemp(
            prefix=f"site={site}.date={day}.", suffix=".jsonl.partial", dir=self.temp_dir
        )
        raw = os.fdopen(handle, "wb")
        # gzip_filename '': the gzip header would otherwise carry the temporary file's name
        plugin = GzipPlugin(raw, {"gzip_filename": ""}) if self.gzip else None
        exporter = JsonLinesItemExporter(cast("BytesIO", plugin or raw), encoding="utf-8", ensure_ascii=False)
        exporter.start_exporting()
        return _Batch(partition, Path(name), raw, plugin, exporter)

    def _next_name(self, partition: tuple[str, str]) -> str:
        self._seq[partition] = self._seq.get(partition, 0) + 1
        return batch_name(self.started, self.worker_id, self._seq[partition], gzip=self.gzip)

    async def _publish(self, batch: _Batch) -> None:
        relative = partition_path(*batch.partition)
        try:
            batch.close_file()
        except OSError as error:  # e.g. disk full on the last flush: the batch is not complete
            self._failed(batch, relative, error)
            return
        if self.storage_class is None:
            self._publish_local(batch, relative)
        else:
            await self._publish_to_storage(batch, relative)

    def _publish_local(self, batch: _Batch, relative: str) -> None:
        assert self.root is not None
        directory = self.root / relative
        target = directory / self._next_name(batch.partition)
        while target.exists():  # another crawl of this process, same second: never overwrite
            target = directory / self._next_name(batch.partition)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            os.replace(batch.temp_path, target)
        except OSError as error:
            self._failed(batch, str(target), error)
            return
        self._published(batch, str(target))

    async def _publish_to_storage(self, batch: _Batch, relative: str) -> None:
        assert self.crawler is not None and self.storage_class is not None
        uri = f"{self.uri.rstrip('/')}/{relative}{self._next_name(batch.partition)}"
        try:
            storage = build_from_crawler(
                self.storage_class, self.crawler, uri, feed_options={"overwrite": True}
            )
            file = batch.temp_path.open("rb")  # the storage closes it
            await ensure_awaitable(storage.store(file))
        except Exception as error:  # any storage error: keep the file, say where it is
            self._failed(batch, uri, error)
            return
        batch.temp_path.unlink(missing_ok=True)
        self._published(batch, uri)

    def _published(self, batch: _Batch, target: str) -> None:
        self.stats.inc_value("crawler/feed/files_published")
        logger.info("Published feed batch (%d items): %s", batch.items, target)
        if self.crawler is not None:
            self.crawler.signals.send_catch_log(feed_batch_published, records=batch.records)

    def _failed(self, batch: _Batch, target: str, error: BaseException) -> None:
        self.stats.inc_value("crawler/feed/publish_failed")
        logger.error(
            "Could not publish feed batch (%d items) to %s: %s; the batch file is kept in %s",
            batch.items,
            target,
            error,
            batch.temp_path,
            exc_info=error,
        )
