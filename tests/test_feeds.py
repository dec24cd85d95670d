"""Partitioned JSONL feeds (crawler/pipelines/feeds.py): partitioning and naming, batches that
appear only complete, rotation, gzip, any FEED_STORAGES scheme, failed publishes that keep the
file, and a real `scrapy crawl news` writing a partitioned feed."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any, ClassVar

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.extensions.feedexport import BlockingFeedStorage
from scrapy.utils.test import get_crawler

from crawler.items import ArticleImage, ArticleItem
from crawler.pipelines.feeds import PartitionedFeedPipeline, batch_name, partition_of, partition_path
from tests.site_server import serve

REPO = Path(__file__).resolve().parent.parent
SITES = REPO / "tests" / "fixtures" / "site"
PR_HOST = "depok.pikiran-rakyat.com"
FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=0",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "LOG_LEVEL=INFO",
    "-s",
    "RETRY_TIMES=0",
]
START = datetime(2026, 11, 20, 3, 4, 5, tzinfo=UTC)


class FeedSpider(Spider):
    name = "feedtest"


def article(
    n: int, site: str = PR_HOST, published_at: str | None = "2026-11-19T20:15:00+07:00", **extra: Any
) -> ArticleItem:
    return ArticleItem(
        url=f"https://{site}/berita/{n}",
        canonical_url=f"https://{site}/berita/{n}",
        site=site,
        network=None,
        extractor="generic",
        title=f"Kafé di Depok — berita ke-{n}",
        body="Warga menikmati kopi di kafé baru — katanya “enak”.",
        published_at=published_at,
        image=ArticleImage(url=f"https://{site}/foto/{n}.jpg", caption="Suasana kafé — Depok"),
        fetched_at="2026-11-20T03:00:00+00:00",
        **extra,
    )


# --- partitioning and naming -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published_at", "fetched_at", "day"),
    [
        ("2026-11-19T20:15:00+07:00", "2026-11-20T03:00:00+00:00", "2026-11-19"),
        # the newsroom's own day, whatever the offset: 00:30 WITA on the 20th is the 20th
        ("2026-11-20T00:30:00+08:00", "2026-11-20T03:00:00+00:00", "2026-11-20"),
        ("2026-11-18", "2026-11-20T03:00:00+00:00", "2026-11-18"),  # a date alone
        # no publication date: the fetch day in WIB, 18:30 UTC being 01:30 WIB the next day
        (None, "2026-11-19T18:30:00+00:00", "2026-11-20"),
        (None, "2026-11-19T16:59:59+00:00", "2026-11-19"),
        ("2026-13-01", "2026-11-19T18:30:00+00:00", "2026-11-20"),  # not a date: like a missing one
    ],
)
def test_partition_is_site_and_publication_day(published_at, fetched_at, day):
    item = article(1, published_at=published_at)
    item.fetched_at = fetched_at
    assert partition_of(item) == (PR_HOST, day)
    assert partition_of(ArticleItem.from_record(vars(item) | {"image": None})) == (PR_HOST, day)


def test_partition_without_any_date_uses_now_in_wib():
    item = article(1, published_at=None)
    item.fetched_at = None
    assert partition_of(item, now=datetime(2026, 11, 19, 17, 0, tzinfo=UTC)) == (PR_HOST, "2026-11-20")


def test_partition_of_a_plain_dict_and_unsafe_site():
    assert partition_of({"site": "../../etc", "published_at": "2026-11-19"}) == ("_.._etc", "2026-11-19")
    with pytest.raises(ValueError, match="site"):
        partition_of({"site": "..", "published_at": "2026-11-19", "url": "https://x/"})


def test_partition_path_and_batch_name():
    assert partition_path(PR_HOST, "2026-11-19") == f"site={PR_HOST}/date=2026-11-19/"
    assert batch_name(START, "worker-7", 3) == "part-20261120T030405Z-worker-7-00003.jsonl"
    assert batch_name(START, "worker-7", 12, gzip=True) == "part-20261120T030405Z-worker-7-00012.jsonl.gz"
    assert (
        batch_name(START.astimezone(timezone(timedelta(hours=7))), "host/name 1", 1)
        == "part-20261120T030405Z-host_name_1-00001.jsonl"
    )


# --- the pipeline through a real crawler ---------------------------------------------------------


def make_pipeline(settings: dict[str, Any]) -> tuple[PartitionedFeedPipeline, Any]:
    crawler = get_crawler(FeedSpider, {"CRAWLER_WORKER_ID": "w1", **settings})
    return PartitionedFeedPipeline.from_crawler(crawler), crawler


def visible_feed_files(root: Path) -> list[Path]:
    """What a consumer of the feed can see: everything outside the hidden temp dir."""
    return sorted(p for p in root.rglob("*") if p.is_file() and ".tmp" not in p.relative_to(root).parts)


def read_lines(path: Path) -> list[str]:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    text = data.decode("utf-8")
    assert text.endswith("\n"), f"{path}: last line incomplete"
    return text.splitlines()


# 2,500 items of 2 sites over 2 days, batch size 1000: (site, day) -> count
MIX = {
    (PR_HOST, "2026-11-19"): 2100,
    (PR_HOST, "2026-11-18"): 200,
    ("solo.tribunnews.com", "2026-11-19"): 150,
    ("solo.tribunnews.com", "2026-11-18"): 50,
}


def mixed_items() -> list[ArticleItem]:
    """The MIX, interleaved so that all four partitions are open at once."""
    queues = {
        key: [article(i, site=key[0], published_at=f"{key[1]}T10:00:00+07:00") for i in range(n)]
        for key, n in MIX.items()
    }
    items = []
    while any(queues.values()):
        for queue in queues.values():
            if queue:
                items.append(queue.pop())
    return items


def run_pipeline(pipeline: PartitionedFeedPipeline, items: list, each=None) -> None:
    async def drive() -> None:
        pipeline.open_spider()
        for n, item in enumerate(items, 1):
            assert await pipeline.process_item(item) is item
            if each:
                each(n)
        await pipeline.close_spider()

    asyncio.run(drive())


@pytest.mark.parametrize("use_gzip", [False, True], ids=["plain", "gzip"])
def test_batches_appear_only_complete_and_rotate(tmp_path, use_gzip):
    root = tmp_path / "feeds"
    pipeline, crawler = make_pipeline({"CRAWLER_FEED_URI": root.as_uri(), "CRAWLER_FEED_GZIP": use_gzip})
    items = mixed_items()
    assert len(items) == 2500
    seen_full: set[Path] = set()

    def only_complete_files(n: int) -> None:
        # between items, a visible file is a whole batch of 1000 lines, never a growing one
        for path in visible_feed_files(root):
            if path not in seen_full:
                assert len(read_lines(path)) == 1000, f"after item {n}: {path} visible before complete"
                seen_full.add(path)

    run_pipeline(pipeline, items, each=only_complete_files)
    assert len(seen_full) == 2  # the big partition rotated twice during the crawl

    suffix = ".jsonl.gz" if use_gzip else ".jsonl"
    files = visible_feed_files(root)
    layout = Counter(str(p.parent.relative_to(root)) for p in files)
    assert layout == {
        f"site={PR_HOST}/date=2026-11-19": 3,
        f"site={PR_HOST}/date=2026-11-18": 1,
        "site=solo.tribunnews.com/date=2026-11-19": 1,
        "site=solo.tribunnews.com/date=2026-11-18": 1,
    }
    big = sorted(p for p in files if "2026-11-19" in str(p) and PR_HOST in str(p))
    assert [p.name for p in big] == [batch_name(pipeline.started, "w1", n, gzip=use_gzip) for n in (1, 2, 3)]
    assert all(p.name.endswith(suffix) for p in files)
    assert [len(read_lines(p)) for p in big] == [1000, 1000, 100]

    records = []
    for path in files:
        lines = read_lines(path)
        assert not [line for line in lines if "\\u" in line], f"{path}: \\u escapes"
        for line in lines:
            record = json.loads(line)
            assert (
                partition_path(record["site"], record["published_at"][:10])
                in str(path.relative_to(root)) + "/"
            )
            records.append(record)
    assert len(records) == 2500
    assert len({(r["site"], r["published_at"], r["url"]) for r in records}) == 2500  # each once
    first = records[0]
    assert "kafé" in first["body"] and "—" in first["title"]
    assert first["image"] == {
        "url": first["url"].replace("/berita/", "/foto/") + ".jpg",
        "caption": "Suasana kafé — Depok",
    }
    assert list(first) == list(ArticleItem.__dataclass_fields__)  # every field, in contract order
    assert not list((root / ".tmp").iterdir())  # nothing left behind

    stats = crawler.stats.get_stats()
    assert stats["crawler/feed/items"] == 2500
    assert stats["crawler/feed/files_published"] == 6
    assert "crawler/feed/publish_failed" not in stats


def test_least_recently_used_partition_is_closed_when_too_many_are_open(tmp_path):
    root = tmp_path / "feeds"
    pipeline, crawler = make_pipeline({"CRAWLER_FEED_URI": str(root), "CRAWLER_FEED_MAX_OPEN_PARTITIONS": 2})
    days = ["2026-11-17", "2026-11-18", "2026-11-17", "2026-11-19", "2026-11-20"]
    published: list[list[str]] = []

    def snapshot(n: int) -> None:
        published.append([p.parent.name for p in visible_feed_files(root)])

    run_pipeline(pipeline, [article(i, published_at=day) for i, day in enumerate(days)], each=snapshot)
    # 17 and 18 open; 17 used again; 19 closes 18 (least recently used); 20 closes 17
    assert published == [[], [], [], ["date=2026-11-18"], ["date=2026-11-17", "date=2026-11-18"]]
    assert crawler.stats.get_value("crawler/feed/lru_closed") == 2
    assert sorted(len(read_lines(p)) for p in visible_feed_files(root)) == [1, 1, 1, 2]


def test_switched_off_without_uri_and_bad_settings_are_errors(tmp_path):
    with pytest.raises(NotConfigured):
        PartitionedFeedPipeline.from_crawler(get_crawler(FeedSpider))
    with pytest.raises(ValueError, match="no feed storage for scheme 'nosuch'"):
        make_pipeline({"CRAWLER_FEED_URI": "nosuch://bucket/feeds"})
    with pytest.raises(ValueError, match="CRAWLER_FEED_BATCH_ITEMS"):
        make_pipeline({"CRAWLER_FEED_URI": str(tmp_path), "CRAWLER_FEED_BATCH_ITEMS": 0})


def test_default_worker_id_is_host_and_pid(tmp_path):
    crawler = get_crawler(FeedSpider, {"CRAWLER_FEED_URI": str(tmp_path)})
    assert PartitionedFeedPipeline.from_crawler(crawler).worker_id.endswith(f"-{os.getpid()}")


# --- other storages: Scrapy's FEED_STORAGES classes ----------------------------------------------


class MemoryFeedStorage(BlockingFeedStorage):
    """A Scrapy feed storage like S3's (BlockingFeedStorage: stored from a thread), in memory."""

    stored: ClassVar[dict[str, bytes]] = {}
    fail: ClassVar[bool] = False

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        self.uri = uri

    def _store_in_thread(self, file: IO[bytes]) -> None:
        try:
            if self.fail:
                raise ConnectionError("bucket unreachable")
            self.stored[self.uri] = file.read()
        finally:
            file.close()


@pytest.fixture
def memory_storage():
    MemoryFeedStorage.stored = {}
    MemoryFeedStorage.fail = False
    yield MemoryFeedStorage
    MemoryFeedStorage.fail = False


def test_other_schemes_go_through_scrapy_feed_storages(tmp_path, memory_storage):
    temp = tmp_path / "temp"
    pipeline, crawler = make_pipeline(
        {
            "CRAWLER_FEED_URI": "mem://bucket/news/",
            "FEED_STORAGES": {"mem": f"{__name__}.MemoryFeedStorage"},
            "FEED_TEMPDIR": str(temp),
            "CRAWLER_FEED_BATCH_ITEMS": 2,
            "CRAWLER_FEED_GZIP": True,
        }
    )
    run_pipeline(pipeline, [article(i) for i in range(3)])
    prefix = f"mem://bucket/news/site={PR_HOST}/date=2026-11-19/"
    assert sorted(memory_storage.stored) == [
        prefix + batch_name(pipeline.started, "w1", n, gzip=True) for n in (1, 2)
    ]
    lines = [
        json.loads(line)
        for data in memory_storage.stored.values()
        for line in gzip.decompress(data).splitlines()
    ]
    assert sorted(r["url"] for r in lines) == [f"https://{PR_HOST}/berita/{i}" for i in range(3)]
    assert not list(temp.iterdir())  # uploaded: temporary files removed
    assert crawler.stats.get_value("crawler/feed/files_published") == 2


def test_failed_upload_is_logged_and_the_file_kept(tmp_path, memory_storage, caplog):
    memory_storage.fail = True
    temp = tmp_path / "temp"
    pipeline, crawler = make_pipeline(
        {
            "CRAWLER_FEED_URI": "mem://bucket/news",
            "FEED_STORAGES": {"mem": f"{__name__}.MemoryFeedStorage"},
            "FEED_TEMPDIR": str(temp),
        }
    )
    with caplog.at_level(logging.ERROR, logger="crawler.pipelines.feeds"):
        run_pipeline(pipeline, [article(i) for i in range(3)])
    [kept] = list(temp.iterdir())
    assert [json.loads(line)["url"] for line in read_lines(kept)] == [
        f"https://{PR_HOST}/berita/{i}" for i in range(3)
    ]
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"mem://bucket/news/site={PR_HOST}/date=2026-11-19/part-" in error.getMessage()
    assert str(kept) in error.getMessage() and "bucket unreachable" in error.getMessage()
    assert crawler.stats.get_value("crawler/feed/publish_failed") == 1
    assert crawler.stats.get_value("crawler/feed/files_published") is None


# --- a local publish that fails -----------------------------------------------------------------


def make_read_only(directory: Path) -> None:
    directory.chmod(0o555)
    if os.geteuid() == 0:  # root ignores modes; an immutable directory stops root too (ext4 & co.)
        subprocess.run(["chattr", "+i", str(directory)], check=False, capture_output=True)


def make_writable(directory: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(directory)], check=False, capture_output=True)
    directory.chmod(0o755)


def read_only_works(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    probe.mkdir()
    make_read_only(probe)
    try:
        (probe / "x").mkdir()
    except OSError:
        return True
    finally:
        make_writable(probe)
    return False


def block_read_only(partition_dir: Path) -> None:
    partition_dir.parent.mkdir(parents=True)
    make_read_only(partition_dir.parent)  # the site directory: no new date directory in it


def block_with_a_file(partition_dir: Path) -> None:
    partition_dir.parent.mkdir(parents=True)
    partition_dir.write_text("not a directory")  # what an operator's mistake may leave


@pytest.mark.parametrize(
    "block",
    [
        pytest.param(block_read_only, id="read-only"),
        pytest.param(block_with_a_file, id="path-taken-by-a-file"),
    ],
)
def test_failed_local_publish_is_logged_and_the_file_kept(tmp_path, caplog, block):
    if block is block_read_only and not read_only_works(tmp_path):
        pytest.skip("cannot make a directory read-only here (root without chattr)")
    root = tmp_path / "feeds"
    pipeline, crawler = make_pipeline({"CRAWLER_FEED_URI": str(root), "CRAWLER_FEED_BATCH_ITEMS": 2})
    partition_dir = root / partition_path(PR_HOST, "2026-11-19")
    try:
        with caplog.at_level(logging.ERROR, logger="crawler.pipelines.feeds"):

            def block_after_first(n: int) -> None:
                if n == 1:
                    block(partition_dir)

            run_pipeline(pipeline, [article(i) for i in range(3)], each=block_after_first)
    finally:
        if partition_dir.parent.exists():
            make_writable(partition_dir.parent)
    kept = sorted((root / ".tmp").iterdir())
    assert [len(read_lines(p)) for p in sorted(kept, key=lambda p: len(read_lines(p)))] == [1, 2]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2
    assert all(str(partition_dir) in e and "the batch file is kept in" in e for e in errors)
    assert {str(p) for p in kept} == {e.rsplit("kept in ", 1)[1] for e in errors}
    assert crawler.stats.get_value("crawler/feed/publish_failed") == 2
    assert crawler.stats.get_value("crawler/feed/items") == 3
    assert not [p for p in visible_feed_files(root) if p.suffix == ".jsonl"]


# --- end to end ---------------------------------------------------------------------------------


def test_crawl_writes_a_partitioned_feed(tmp_path):
    feeds = tmp_path / "feeds"
    plain = tmp_path / "plain.jsonl"
    with serve(SITES / "pikiran-rakyat") as pr:
        result = subprocess.run(
            [
                sys.executable, "-m", "scrapy", "crawl", "news",
                "-a", f"site={PR_HOST}", "-a", f"start_url={pr}",
                "-s", f"CRAWLER_FEED_URI={feeds}", "-s", "CRAWLER_WORKER_ID=e2e",
                "-O", f"{plain}:jsonlines", *FAST,
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    files = visible_feed_files(feeds)
    assert [str(p.parent.relative_to(feeds)) for p in files] == [
        f"site={PR_HOST}/date=2026-11-18",
        f"site={PR_HOST}/date=2026-11-19",
    ]
    assert all(p.name.startswith("part-") and p.name.endswith("-e2e-00001.jsonl") for p in files)
    records = [json.loads(line) for p in files for line in read_lines(p)]
    expected = [json.loads(line) for line in plain.read_text(encoding="utf-8").splitlines()]
    assert len(expected) == 2
    assert sorted(records, key=lambda r: r["url"]) == sorted(expected, key=lambda r: r["url"])  # each once
    assert "'crawler/feed/files_published': 2" in result.stderr
    assert "'crawler/feed/items': 2" in result.stderr


def test_items_arriving_during_an_upload_are_neither_lost_nor_doubled(tmp_path, memory_storage):
    pipeline, crawler = make_pipeline(
        {
            "CRAWLER_FEED_URI": "mem://bucket/news",
            "FEED_STORAGES": {"mem": f"{__name__}.MemoryFeedStorage"},
            "FEED_TEMPDIR": str(tmp_path),
            "CRAWLER_FEED_BATCH_ITEMS": 3,
            "CRAWLER_FEED_MAX_OPEN_PARTITIONS": 1,
        }
    )
    items = [article(i, published_at=f"2026-11-{18 + i % 2}") for i in range(40)]

    async def drive() -> None:  # as Scrapy does: many items in the pipeline at once
        pipeline.open_spider()
        await asyncio.gather(*(pipeline.process_item(item) for item in items))
        await pipeline.close_spider()

    asyncio.run(drive())
    urls = [json.loads(line)["url"] for data in memory_storage.stored.values() for line in data.splitlines()]
    assert sorted(urls) == sorted(item.url for item in items)
    assert crawler.stats.get_value("crawler/feed/files_published") == len(memory_storage.stored)
