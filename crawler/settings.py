"""Scrapy settings of the crawler project.

Polite defaults stay on: robots.txt is obeyed, AutoThrottle adapts the pace to each site,
concurrency per domain is low, and the User-Agent names the project. Project settings carry the
CRAWLER_ prefix.
"""

BOT_NAME = "crawler"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Names the project honestly; add your contact (e.g. "crawler/0.1 (+mailto:data@your.org)").
USER_AGENT = "crawler/0.1 (Indonesian regional news research crawler)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Items handled at once per response (Scrapy's default 100). Scrapy starts this many asyncio tasks
# for every response, whatever it yields; ours yield one item at most (an article) or requests, and
# an article callback awaiting its extraction worker holds them all meanwhile. On bench/crawl.py's
# site, 100 cost 2.1 ms of the reactor's CPU a page with the extraction worker (5.3 ms -> 3.2 ms
# with 1) and ~18 MB of peak memory.
CONCURRENT_ITEMS = 1
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 3
DOWNLOAD_TIMEOUT = 30
# A news article is well under this; anything larger is not a page we want.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# Article pages are extracted in this many worker processes (crawler/extraction_pool.py) while the
# reactor goes on fetching on its own core; 0 extracts in the reactor thread, between fetches.
# 1 by default: a fast crawl (no delay, many sites) is CPU-bound, and one worker takes the heaviest
# part of a page off the reactor's core; a polite crawl is I/O-bound and pays only ~60 MB for the
# idle worker and its forkserver, while no slow page stalls the fetching (AutoThrottle's latencies,
# timeouts). More workers pay only with more than two cores (the reactor keeps one busy).
CRAWLER_EXTRACTION_PROCESSES = 1
# A page whose worker gives no result in this many seconds is dropped (crawler/drop/extraction_timeout)
# and the stuck worker replaced, so that one page cannot hold the crawl open forever. Pages take
# 5-25 ms. 0: no limit. With 0 processes extraction cannot be interrupted, and there is no limit.
CRAWLER_EXTRACTION_TIMEOUT = 60

# Sitemap entries become requests as the scheduler drains (crawler/spiders/news.py, NewsSpider._feed):
# at most this many article requests wait in Scrapy's memory queue, the other entries wait as plain
# URLs (~0.25 KB instead of ~1 KB), and a sitemap index's next sitemap is read only when fewer than
# this many wait, so memory stays flat however many articles a site lists. 0: every entry becomes a
# request as soon as its sitemap is read. Not used with JOBDIR (disk queues) or CRAWLER_REDIS_URL.
CRAWLER_DISCOVERY_PENDING = 1000

FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False

# Record and replay (crawler/middlewares.py explains the two priorities).
# -s CRAWLER_RECORD_DIR=DIR saves every response of a live crawl under DIR (body as received plus a
# small meta file); -s CRAWLER_REPLAY_DIR=DIR serves the whole crawl from such a recording, with no
# network. Empty: off. Setting both is an error.
CRAWLER_RECORD_DIR = ""
CRAWLER_REPLAY_DIR = ""
DOWNLOADER_MIDDLEWARES = {
    # below RetryMiddleware (550): on the way back it sees the decoded, final response
    "crawler.middlewares.RecordMiddleware": 540,
    # just above RedirectMiddleware (600): sees each 3xx before it is followed
    "crawler.middlewares.RedirectRecordMiddleware": 601,
    # past HttpCacheMiddleware (900), where the network would be
    "crawler.middlewares.ReplayMiddleware": 950,
}

# Partitioned JSONL feeds (crawler/pipelines/feeds.py). -s CRAWLER_FEED_URI=ROOT turns them on:
# a local directory (/data/feeds, file:///data/feeds) or any FEED_STORAGES scheme (s3://bucket/prefix,
# gs://bucket/prefix). Files go to ROOT/site=<site>/date=<YYYY-MM-DD>/part-<start>-<worker>-<seq>.jsonl
# and appear only complete (atomic rename locally, whole uploads elsewhere). Empty: off.
CRAWLER_FEED_URI = ""
# Items per file; a partition's file is also closed when the spider closes.
CRAWLER_FEED_BATCH_ITEMS = 1000
# Partitions with an open file at a time; one more closes the least recently used file.
CRAWLER_FEED_MAX_OPEN_PARTITIONS = 64
# gzip each file (.jsonl.gz).
CRAWLER_FEED_GZIP = False
# Names this process in file names so several workers never collide. Empty: hostname-pid.
CRAWLER_WORKER_ID = ""
ITEM_PIPELINES = {
    # the record contract first: an invalid record reaches nothing else (crawler/pipelines/validate.py)
    "crawler.pipelines.validate.ValidationPipeline": 100,
    # one record per article, copies of a wire story linked by duplicate_of (crawler/pipelines/dedup.py)
    "crawler.pipelines.dedup.DedupPipeline": 200,
    # with CRAWLER_STATE_DIR: what an earlier run emitted is not emitted again (crawler/incremental.py)
    "crawler.incremental.IncrementalPipeline": 300,
    "crawler.pipelines.feeds.PartitionedFeedPipeline": 800,
}

# Run monitoring (crawler/monitoring.py): per-site checks when the spider closes; `scrapy crawl`
# (the project's own, COMMANDS_MODULE) exits 1 when one fails. Thresholds, defaults in
# crawler.monitoring.Thresholds: CRAWLER_MONITOR_MIN_ITEMS (1), CRAWLER_MONITOR_MIN_COVERAGE
# ({"title": 0.95, "body": 0.9, "published_at": 0.8, "authors": 0.5}; a dict given with -s is
# merged over it), CRAWLER_MONITOR_MAX_ERROR_RATE (0.1), CRAWLER_MONITOR_MAX_FALLBACK_RATE (0.2),
# CRAWLER_MONITOR_MAX_DROP_RATE (0.5), CRAWLER_MONITOR_CONFIDENCE (0.95; 0 compares raw rates).
CRAWLER_MONITOR_ENABLED = True
# Spiders whose runs are checked (not `scrapy fetch`/`shell`'s default spider).
CRAWLER_MONITOR_SPIDERS = ["news"]
# Directory for <spider>-<start>.stats.json and <spider>-<start>.html after each run. Empty: none.
CRAWLER_REPORT_DIR = ""
EXTENSIONS = {
    "crawler.monitoring.MonitorExtension": 500,
}
COMMANDS_MODULE = "crawler.commands"

# Incremental runs (crawler/incremental.py). -s CRAWLER_STATE_DIR=DIR keeps the crawl state in
# DIR (SQLite: pages fetched with their lastmod, articles emitted with their body hash, body
# signatures for near-duplicates) and locks DIR for the run: a re-run emits only new articles and
# updates (same canonical_url, changed body or newer lastmod); a second crawl on DIR at the same
# time fails at once. Empty: off.
CRAWLER_STATE_DIR = ""
# Near-duplicates (crawler/pipelines/dedup.py): body signatures of earlier runs older than this
# are not compared (a wire story is republished within days; each kept one costs ~0.9 KB of memory).
CRAWLER_DEDUP_DAYS = 30
# Body signatures held in memory for near-duplicates, ~1.2 KB each with their URLs; past that the
# oldest go. The index fills up to this over the first articles of a crawl, then stays flat: 5,000
# is about a day of a large network, which is when wire copies appear (bench/crawl.py: peak RSS
# 131 -> 146 MB from 5,000 to 50,000 pages; 129 -> 180 MB with 20,000). Raise it for a longer window.
CRAWLER_DEDUP_MAX_ENTRIES = 5_000
SPIDER_MIDDLEWARES = {
    # drops article requests for pages an earlier run fetched, unless their lastmod is newer;
    # engine side of Referer/UrlLength/Depth (700-900), i.e. after them on the way out
    "crawler.incremental.IncrementalMiddleware": 550,
}

# Distributed crawl (crawler/distributed.py, README "Running on many machines"). -s
# CRAWLER_REDIS_URL=redis://HOST:6379/0 makes this process one worker of a crawl shared through
# Redis with scrapy-redis: one request queue and dupefilter, the crawl state (as with
# CRAWLER_STATE_DIR, which is then ignored) and the dedup claims, all under the key prefix
# crawler:<CRAWLER_CRAWL_NAME>. Seeds are pushed with `scrapy push news --redis URL -a …`; start
# any number of workers with the same -a arguments. Empty: the embedded single-process crawl.
CRAWLER_REDIS_URL = ""
# Names the crawl in Redis; empty: derived from the spider and its sites (crawler.distributed.crawl_name).
CRAWLER_CRAWL_NAME = ""
# A worker whose heartbeat (refreshed every second) is older than this is taken for dead: the
# others put the requests it had taken back on the queue.
CRAWLER_WORKER_TIMEOUT = 30
# A worker closes once, for this long, the shared queue is empty and every worker of the crawl idle.
CRAWLER_IDLE_CLOSE_SECONDS = 5
ADDONS = {
    # does nothing unless CRAWLER_REDIS_URL is set
    "crawler.distributed.RedisAddon": 0,
}
