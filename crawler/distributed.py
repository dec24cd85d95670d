"""One crawl, many workers: the same `news` spider on any number of processes and machines,
sharing one frontier in Redis through scrapy-redis.

    scrapy push news -s CRAWLER_REDIS_URL=redis://HOST:6379/0 -a site=… -a start_url=…   # once
    scrapy crawl news -s CRAWLER_REDIS_URL=redis://HOST:6379/0 -a site=… -a start_url=… \\
        -s CRAWLER_FEED_URI=/data/feeds                                                  # per worker

Without CRAWLER_REDIS_URL nothing here is switched on, and a crawl is the embedded one.

**Switched on by a setting.** `RedisAddon` (in ADDONS) reads CRAWLER_REDIS_URL before any
component is built and sets scrapy-redis up: its Scheduler (`RedisScheduler`) and dupefilter,
SCHEDULER_PERSIST, and the queue and dupefilter keys under one prefix per crawl,
`crawler:<CRAWLER_CRAWL_NAME>`; the name defaults to the spider's targets (`crawl_name`), so
two crawls on one Redis never mix and every worker of one crawl finds the same keys. It also
adds `WorkerMiddleware`, `ClaimPipeline`, `WorkerExtension`, and puts `DistributedFeedPipeline`
in place of the feed pipeline.

**A reliable queue** (scrapy-redis alone loses what a dead worker had taken):

1. `ReliableQueue.pop` moves a request, in one Lua script, from the shared priority queue into
   the worker's in-flight hash `P:inflight:<worker>` (with a token that keeps its priority) and
   counts it in `P:busy`. The request carries the token in its meta.
2. The worker's heartbeat key `P:heartbeat:<worker>` is refreshed every second
   (`WorkerExtension`, a looping call) and expires after CRAWLER_WORKER_TIMEOUT seconds.
3. A request is *processed* when Scrapy has finished with it: it has left the downloader and
   the scraper (callback or errback run, every request it yielded pushed to Redis, every item
   through the pipelines). The loop sees that (`engine.downloader.active`,
   `engine.scraper.slot.active`, two ticks in a row, so that no hand-over between them is taken
   for an end) and then lowers `P:busy`. Why not signals: none fires after a callback's output
   is handled, and a downloader error, a redirect, a retry or an ignored request each end a
   request on a different path; this one test covers them all.
4. A processed request leaves the in-flight hash when the items it gave are *published*
   (`DistributedFeedPipeline`: the feed batch holding them was renamed into place), or at once
   when it gave none. So a worker killed with an open batch leaves those requests in flight.
5. Every worker, every second, looks for workers whose heartbeat expired and, in one Lua script
   per dead worker, puts its in-flight requests back on the queue and drops its unpublished
   claims (below). The others finish its share.
6. A worker does not close while the shared queue holds requests, any worker is processing one
   (`P:busy`) or any member of the crawl is not idle (`P:idle`: a dead worker stays a member
   until it is reaped); it closes once all that has held for CRAWLER_IDLE_CLOSE_SECONDS.

**Exactly once across workers.** `ClaimPipeline` claims the normalised canonical URL of a
record in `P:claims` with HSETNX once it is valid, before any other pipeline remembers it: the
first worker emits it, any other drops it (`crawler/drop/duplicate_url`). A claim is final once
the record's batch is published; the claims of a dead worker that were not are released with
its requests, so the survivor that fetches the page again can emit it. The incremental state marks a record emitted only when its
batch is published, too (`crawler/incremental.py`), and the near-duplicate index is shared.

**Runs.** A run starts when seeds are pushed (`scrapy push`, or the first worker when nobody
pushed): `P:seeded` is set and the dupefilter and claims of the previous run are cleared; the
crawl state (fetched, emitted, signatures) stays, so a re-run fetches only what is new or
changed. Workers never seed a run that has begun. The last worker to leave an empty queue
ends the run.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary

from itemadapter import ItemAdapter
from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, DropItem, NotConfigured
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from scrapy_redis import defaults as redis_defaults
from scrapy_redis.connection import get_redis
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler.dedup import normalize_url
from crawler.pipelines.feeds import PartitionedFeedPipeline, _Batch, default_worker_id, partition_path
from crawler.redis_state import RedisKeys, RedisState

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

REDIS_URL_SETTING = "CRAWLER_REDIS_URL"
CRAWL_NAME_SETTING = "CRAWLER_CRAWL_NAME"
#: request.meta key: the in-flight token of a request this worker took from the queue
TOKEN_META = "crawler_inflight"
PREFIX = "crawler"

DEFAULT_WORKER_TIMEOUT = 30.0
DEFAULT_IDLE_CLOSE_SECONDS = 5.0
TICK_SECONDS = 1.0


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


def crawl_name(spider: Spider) -> str:
    """The default name of a spider's crawl: spider name, first host (+ how many more), and a
    digest of every (host, base URL) it crawls, e.g. `news:depok.pikiran-rakyat.com:3f2a9c1b04`.
    The publication window (since/until) is not part of it: tomorrow's run of the same sites is
    the same crawl, with the same state."""
    targets = sorted((t.host, t.base) for t in getattr(spider, "targets", ()))
    if not targets:
        return spider.name
    digest = hashlib.sha1("\n".join(f"{h} {b}" for h, b in targets).encode()).hexdigest()[:10]
    label = targets[0][0] + (f"+{len(targets) - 1}" if len(targets) > 1 else "")
    return f"{spider.name}:{label}:{digest}"


def crawl_keys(settings: BaseSettings, spider: Spider) -> RedisKeys:
    name = settings.get(CRAWL_NAME_SETTING) or crawl_name(spider)
    return RedisKeys(f"{PREFIX}:{name}")


def redis_client(url: str) -> Any:
    """A redis-py client with scrapy-redis's connection defaults (bytes responses)."""
    params = dict(redis_defaults.REDIS_PARAMS)
    params.pop("encoding", None)
    return get_redis(url=url, **params)


# ---------------------------------------------------------------------------------------------
# The add-on
# ---------------------------------------------------------------------------------------------


class RedisAddon:
    """ADDONS entry: with CRAWLER_REDIS_URL, turns the crawl into one worker of a distributed
    crawl (see the module doc); without it, does nothing."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisAddon:
        return cls(crawler)

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get(REDIS_URL_SETTING)
        if not url:
            return
        spider = self.crawler.spider
        name = settings.get(CRAWL_NAME_SETTING) or (crawl_name(spider) if spider else "default")
        keys = RedisKeys(f"{PREFIX}:{name}")
        if not settings.get(CRAWL_NAME_SETTING):  # (empty in the project settings: same priority)
            settings.set(CRAWL_NAME_SETTING, name, settings.getpriority(CRAWL_NAME_SETTING) or "addon")
        settings.set("REDIS_URL", url, "addon")
        settings.set("SCHEDULER", f"{__name__}.RedisScheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        settings.set("SCHEDULER_QUEUE_CLASS", f"{__name__}.ReliableQueue", "addon")
        settings.set("SCHEDULER_PERSIST", True, "addon")
        # scrapy-redis formats these with %(spider)s: a literal '%' must be doubled
        settings.set("SCHEDULER_QUEUE_KEY", keys.queue.replace("%", "%%"), "addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", keys.dupefilter.replace("%", "%%"), "addon")
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", WorkerMiddleware, 10)
        # The claim comes before DedupPipeline (200): a copy another worker holds the claim of is
        # dropped before this worker's own dedup remembers its URL. Otherwise, when that worker
        # dies and its request comes back to this one, the record would be taken for a duplicate
        # of the copy that was never emitted, and lost.
        settings.set_in_component_priority_dict("ITEM_PIPELINES", ClaimPipeline, 150)
        settings.set_in_component_priority_dict("EXTENSIONS", WorkerExtension, 100)
        try:
            settings.replace_in_component_priority_dict(
                "ITEM_PIPELINES", PartitionedFeedPipeline, DistributedFeedPipeline
            )
        except KeyError:
            logger.warning("no PartitionedFeedPipeline in ITEM_PIPELINES: records are final when scraped")
        for ignored in ("JOBDIR", "CRAWLER_STATE_DIR"):
            if settings.get(ignored):
                logger.warning(
                    "%s is ignored with %s: the crawl's state is in Redis", ignored, REDIS_URL_SETTING
                )


# ---------------------------------------------------------------------------------------------
# The worker: registration, heartbeat, in-flight requests, claims
# ---------------------------------------------------------------------------------------------

# KEYS: queue, inflight, busy, workers, idle; ARGV: instance, token suffix
_POP = """
if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 0 then return false end
local got = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #got == 0 then return false end
redis.call('ZREM', KEYS[1], got[1])
redis.call('SREM', KEYS[5], ARGV[1])
local token = got[2] .. ' ' .. ARGV[2]
redis.call('HSET', KEYS[2], token, got[1])
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
return {token, got[1]}
"""

# Give a worker's share back: its in-flight requests to the queue (with their priority), its
# unpublished claims released, itself off the worker set. First, the feed files it had renamed
# into place but not yet committed (found by the caller, ARGV[3...]) are committed for it: their
# claims made final, their requests taken out of flight, their emitted marks written.
# ARGV[2] 'dead': another worker reaps it, only if its heartbeat is gone; 'leave': it leaves,
# and ends the run if it was the last worker and the queue is empty.
# KEYS: queue, inflight, busy, workers, heartbeat, pending, claims, seeded, publishing, emitted, idle
# ARGV: instance, mode, n keys, keys..., n tokens, tokens..., (mark key, mark value)...
_GIVE_BACK = """
if ARGV[2] == 'dead' then
    if redis.call('EXISTS', KEYS[5]) == 1 then return -1 end
    if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 0 then return -1 end
end
local n_keys = tonumber(ARGV[3])
for i = 4, 3 + n_keys do
    redis.call('HSET', KEYS[7], ARGV[i], '+')
    redis.call('SREM', KEYS[6], ARGV[i])
end
local at = 4 + n_keys
local n_tokens = tonumber(ARGV[at])
for i = at + 1, at + n_tokens do
    redis.call('HDEL', KEYS[2], ARGV[i])
end
for i = at + n_tokens + 1, #ARGV, 2 do
    redis.call('HSETNX', KEYS[10], ARGV[i], ARGV[i + 1])
end
redis.call('DEL', KEYS[9])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('SREM', KEYS[11], ARGV[1])
redis.call('DEL', KEYS[5])
local entries = redis.call('HGETALL', KEYS[2])
local n = 0
for i = 1, #entries, 2 do
    local score = tonumber(string.match(entries[i], '^(%S+)'))
    redis.call('ZADD', KEYS[1], score, entries[i + 1])
    n = n + 1
end
redis.call('DEL', KEYS[2])
redis.call('HDEL', KEYS[3], ARGV[1])
local held = redis.call('SMEMBERS', KEYS[6])
for _, key in ipairs(held) do
    if redis.call('HGET', KEYS[7], key) == ARGV[1] then redis.call('HDEL', KEYS[7], key) end
end
redis.call('DEL', KEYS[6])
if ARGV[2] == 'leave' and redis.call('SCARD', KEYS[4]) == 0 and redis.call('ZCARD', KEYS[1]) == 0 then
    redis.call('DEL', KEYS[8])
end
return n
"""

# KEYS: workers, heartbeat; ARGV: instance, ttl ms
_HEARTBEAT = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return 1
"""

# KEYS: workers, claims, pending; ARGV: instance, key
_CLAIM = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return -1 end
if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[1]) == 1 then
    redis.call('SADD', KEYS[3], ARGV[2])
    return 1
end
return 0
"""

# Publish: claims final, finished requests out of flight, the intent done.
# KEYS: workers, claims, pending, inflight, publishing
# ARGV: instance, intent id, number of keys, keys..., tokens...
_COMMIT = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return -1 end
redis.call('HDEL', KEYS[5], ARGV[2])
local n = tonumber(ARGV[3])
for i = 4, 3 + n do
    redis.call('SREM', KEYS[3], ARGV[i])
    redis.call('HSET', KEYS[2], ARGV[i], '+')
end
for i = 4 + n, #ARGV do
    redis.call('HDEL', KEYS[4], ARGV[i])
end
return 1
"""

# KEYS: claims, pending; ARGV: instance, keys...: claims given up (the record was not emitted)
_RELEASE_CLAIMS = """
for i = 2, #ARGV do
    if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
    redis.call('SREM', KEYS[2], ARGV[i])
end
return 1
"""


class WorkerIdInUse(RuntimeError):
    """Another live worker of the crawl has the same CRAWLER_WORKER_ID."""


def begin_run(server: Any, keys: RedisKeys) -> bool:
    """Start a run of the crawl if none is under way: True when the caller must push the seeds
    (the previous run's dupefilter and claims are cleared), False when a run has begun."""
    if not server.set(keys.seeded, str(time.time()), nx=True):
        return False
    server.delete(keys.dupefilter, keys.claims)
    return True


class Worker:
    """This process as one worker of a distributed crawl (one per crawler: `worker_of`)."""

    def __init__(
        self,
        server: Any,
        keys: RedisKeys,
        *,
        worker_id: str,
        timeout: float = DEFAULT_WORKER_TIMEOUT,
        dedup_days: float | None = None,
        stats: Any = None,
    ) -> None:
        self.server = server
        self.keys = keys
        self.worker_id = worker_id
        self.instance = f"{worker_id}.{uuid.uuid4().hex[:8]}"
        self.timeout = timeout
        self.stats = stats
        self.state = RedisState(server, keys, instance=self.instance, dedup_days=dedup_days)
        self.registered = False
        self.closed = False
        self._pop = server.register_script(_POP)
        self._give_back_script = server.register_script(_GIVE_BACK)
        self._heartbeat = server.register_script(_HEARTBEAT)
        self._claim = server.register_script(_CLAIM)
        self._commit = server.register_script(_COMMIT)
        self._release_claims = server.register_script(_RELEASE_CLAIMS)
        self._seq = itertools.count(1)
        # the ledger of this worker's requests and records
        self.processing: dict[str, Request] = {}
        """token -> the request, while Scrapy works on it"""
        self._absent: Counter[str] = Counter()
        self.awaiting: Counter[str] = Counter()
        """token -> its records written into a feed batch not yet published"""
        self.finished: set[str] = set()
        """processed tokens kept in flight until their records are published"""
        self.item_tokens: dict[int, str] = {}
        self.item_claims: dict[int, str] = {}
        self.publishes = False
        """a DistributedFeedPipeline publishes the records (else a record is final when scraped)"""

    # -- membership --------------------------------------------------------------------------

    def register(self) -> None:
        for other in self.server.smembers(self.keys.workers):
            other = other.decode()
            if other.rpartition(".")[0] == self.worker_id and self.server.exists(self.keys.heartbeat(other)):
                raise WorkerIdInUse(
                    f"worker id {self.worker_id!r} is in use by a live worker of this crawl ({other}); "
                    "give each worker its own CRAWLER_WORKER_ID"
                )
        pipe = self.server.pipeline()
        pipe.sadd(self.keys.workers, self.instance)
        pipe.set(self.keys.heartbeat(self.instance), "1", px=int(self.timeout * 1000))
        pipe.execute()
        self.registered = True

    def heartbeat(self) -> bool:
        """Refresh the heartbeat; False when another worker has taken this one for dead."""
        return bool(
            self._heartbeat(
                keys=[self.keys.workers, self.keys.heartbeat(self.instance)],
                args=[self.instance, int(self.timeout * 1000)],
            )
        )

    def alive(self) -> bool:
        return bool(self.server.sismember(self.keys.workers, self.instance))

    def _give_back(self, instance: str, mode: str) -> int:
        """Run _GIVE_BACK for `instance`; -1 when it is alive after all (mode 'dead')."""
        k = self.keys
        keys: list[str] = []
        tokens: list[str] = []
        marks: list[str] = []
        for raw in self.server.hvals(k.publishing(instance)):
            intent = json.loads(raw)
            if not Path(intent["target"]).exists():
                if "://" in intent["target"] and not intent["target"].startswith("file://"):
                    logger.warning(
                        "worker %s died while publishing %s; its records will be emitted again, "
                        "they may then be there twice",
                        instance,
                        intent["target"],
                    )
                continue  # not renamed into place: its records are emitted again by others
            # renamed before the worker died: it was published, commit it
            keys += intent["keys"]
            tokens += intent["tokens"]
            for key, content_hash in intent["marks"]:
                marks += [key, f"{content_hash}\t"]
        script_keys = [
            k.queue, k.inflight(instance), k.busy, k.workers, k.heartbeat(instance),
            k.pending(instance), k.claims, k.seeded, k.publishing(instance), k.emitted, k.idle,
        ]  # fmt: skip
        args = [instance, mode, len(keys), *keys, len(tokens), *tokens, *marks]
        return int(self._give_back_script(keys=script_keys, args=args))

    def reap(self) -> int:
        """Give back the share of every worker whose heartbeat expired; the number of requests
        put back on the queue."""
        others = [m.decode() for m in self.server.smembers(self.keys.workers)]
        others = [o for o in others if o != self.instance]
        if not others:
            return 0
        pipe = self.server.pipeline(transaction=False)
        for other in others:
            pipe.exists(self.keys.heartbeat(other))
        requeued = 0
        for other, alive in zip(others, pipe.execute(), strict=True):
            if alive:
                continue
            n = self._give_back(other, "dead")
            if n < 0:
                continue
            requeued += n
            logger.warning("worker %s stopped answering: %d of its requests back on the queue", other, n)
            if self.stats is not None:
                self.stats.inc_value("crawler/distributed/reaped_workers")
                self.stats.inc_value("crawler/distributed/requeued", n)
        return requeued

    def leave(self) -> int:
        """Leave the crawl: anything still in flight goes back to the queue, unpublished claims
        are released; the last worker to leave an empty queue ends the run."""
        if self.closed or not self.registered:
            return 0
        self.closed = True
        # Scrapy has finished with every request by now (the engine waits for them before the
        # scheduler closes): settle them, so that only those with unpublished records go back
        self.sweep(set())
        self.sweep(set())
        self.reap()
        n = self._give_back(self.instance, "leave")
        if n:
            logger.warning("%d unfinished requests given back to the queue", n)
            if self.stats is not None:
                self.stats.inc_value("crawler/distributed/given_back", n)
        return n

    def prune(self) -> None:
        """At the start of a run: forget body signatures older than CRAWLER_DEDUP_DAYS (they
        are no longer compared; in Redis they would only take memory)."""
        index = self.state.index
        if index.max_age is not None:
            dropped = index.prune(index.max_age)
            if dropped:
                logger.info("%d body signatures older than the dedup window forgotten", dropped)

    # -- requests ----------------------------------------------------------------------------

    def pop(self, queue_key: str) -> tuple[str, bytes] | None:
        got = self._pop(
            keys=[
                queue_key,
                self.keys.inflight(self.instance),
                self.keys.busy,
                self.keys.workers,
                self.keys.idle,
            ],
            args=[self.instance, str(next(self._seq))],
        )
        if not got:
            return None
        token, data = got
        return token.decode(), data

    def track(self, token: str, request: Request) -> None:
        self.processing[token] = request

    def untrack(self, token: str) -> None:
        """A request that cannot be processed at all (it does not decode): out of flight."""
        pipe = self.server.pipeline()
        pipe.hdel(self.keys.inflight(self.instance), token)
        pipe.hincrby(self.keys.busy, self.instance, -1)
        pipe.execute()

    def sweep(self, active: set[int]) -> None:
        """Requests Scrapy is done with (not in `active`, the ids of the requests in the
        downloader and the scraper, two sweeps in a row) are processed: out of `P:busy`, and
        out of flight unless records of theirs wait for publishing."""
        done = []
        for token, request in list(self.processing.items()):
            if id(request) in active:
                self._absent.pop(token, None)
                continue
            self._absent[token] += 1
            if self._absent[token] >= 2:
                del self.processing[token], self._absent[token]
                done.append(token)
        if not done:
            return
        release = []
        for token in done:
            if self.awaiting.get(token):
                self.finished.add(token)
            else:
                release.append(token)
        pipe = self.server.pipeline()
        pipe.hincrby(self.keys.busy, self.instance, -len(done))
        if release:
            pipe.hdel(self.keys.inflight(self.instance), *release)
        pipe.execute()

    def crawl_idle(self) -> bool:
        """Whether the whole crawl is out of work: nothing queued, nothing being processed, and
        every member of the crawl idle too (this one says so here). A worker that died is still a
        member, never idle, until it is reaped and its requests are back on the queue: the
        others wait for that rather than close."""
        if self.processing:
            return False
        pipe = self.server.pipeline(transaction=False)
        pipe.zcard(self.keys.queue)
        pipe.hvals(self.keys.busy)
        pipe.sadd(self.keys.idle, self.instance)
        pipe.smembers(self.keys.workers)
        pipe.smembers(self.keys.idle)
        queued, counts, _, members, idle = pipe.execute()
        return queued == 0 and sum(int(c) for c in counts) <= 0 and members <= idle

    # -- records -----------------------------------------------------------------------------

    def claim(self, key: str) -> int:
        """1: this worker emits the record with this key; 0: another one does or did in this
        run; -1: this worker was taken for dead and emits nothing more."""
        return int(
            self._claim(
                keys=[self.keys.workers, self.keys.claims, self.keys.pending(self.instance)],
                args=[self.instance, key],
            )
        )

    def exported(self, item: Any) -> tuple[str | None, str | None]:
        """A record went into a feed batch: (its request's token, its claim), now waiting for
        the batch to be published."""
        token = self.item_tokens.pop(id(item), None)
        key = self.item_claims.pop(id(item), None)
        if token is not None:
            self.awaiting[token] += 1
        return token, key

    def intend(
        self,
        intent: str,
        target: str,
        entries: list[tuple[str | None, str | None]],
        records: list[dict[str, Any]],
    ) -> None:
        """Before a feed file is renamed into place at `target`: what publishing it commits. A
        worker that dies between the rename and `commit` is committed by the one reaping it,
        which sees the file there (a shared or local feed root)."""
        keys = [key for _, key in entries if key is not None]
        tokens = sorted({token for token, _ in entries if token is not None})
        marks = [
            (normalize_url(r.get("canonical_url") or r["url"]), r.get("content_hash") or "") for r in records
        ]
        self.server.hset(
            self.keys.publishing(self.instance),
            intent,
            json.dumps({"target": target, "keys": keys, "tokens": tokens, "marks": marks}),
        )

    def commit(self, entries: Iterable[tuple[str | None, str | None]], intent: str = "") -> bool:
        """Records are published: their claims become final, and requests with nothing left to
        publish leave the in-flight hash. False when this worker had been taken for dead (its
        requests were given to others)."""
        keys, tokens = [], []
        for token, key in entries:
            if key is not None:
                keys.append(key)
            if token is not None:
                self.awaiting[token] -= 1
                if self.awaiting[token] <= 0:
                    del self.awaiting[token]
                    if token in self.finished:
                        self.finished.discard(token)
                        tokens.append(token)
        if not keys and not tokens and not intent:
            return True
        k = self.keys
        result = self._commit(
            keys=[
                k.workers,
                k.claims,
                k.pending(self.instance),
                k.inflight(self.instance),
                k.publishing(self.instance),
            ],
            args=[self.instance, intent, len(keys), *keys, *tokens],
        )
        return int(result) >= 0

    def record_done(self, item: Any) -> None:
        """A record that is not waiting for a feed batch is final: scraped (emitted) or
        dropped (its claim stays: the decision holds for this run)."""
        self.item_tokens.pop(id(item), None)
        key = self.item_claims.pop(id(item), None)
        if key is not None:
            self.commit([(None, key)])

    def record_failed(self, item: Any) -> None:
        """A pipeline failed on the record: its claim is released."""
        self.item_tokens.pop(id(item), None)
        key = self.item_claims.pop(id(item), None)
        if key is not None:
            self._release_claims(
                keys=[self.keys.claims, self.keys.pending(self.instance)], args=[self.instance, key]
            )


_WORKERS: WeakKeyDictionary[Crawler, Worker] = WeakKeyDictionary()


def worker_of(crawler: Crawler) -> Worker | None:
    """This crawler's `Worker`, or None when CRAWLER_REDIS_URL is not set."""
    worker = _WORKERS.get(crawler)
    if worker is not None:
        return worker
    settings = crawler.settings
    url = settings.get(REDIS_URL_SETTING)
    if not url:
        return None
    if crawler.spider is None:
        raise RuntimeError("the distributed worker needs the crawler's spider")
    worker = Worker(
        redis_client(url),
        crawl_keys(settings, crawler.spider),
        worker_id=(settings.get("CRAWLER_WORKER_ID") or "").strip() or default_worker_id(),
        timeout=settings.getfloat("CRAWLER_WORKER_TIMEOUT", DEFAULT_WORKER_TIMEOUT),
        dedup_days=settings.getfloat("CRAWLER_DEDUP_DAYS", 30),
        stats=crawler._stats,  # (Scrapy's advice for code that may run before the crawl starts)
    )
    _WORKERS[crawler] = worker
    return worker


def shared_state(crawler: Crawler) -> RedisState | None:
    """The crawl state factory's distributed side: the Redis state of this worker's crawl, or
    None when the crawl is not distributed (CRAWLER_REDIS_URL empty)."""
    worker = worker_of(crawler)
    return worker.state if worker is not None else None


# ---------------------------------------------------------------------------------------------
# scrapy-redis, adapted
# ---------------------------------------------------------------------------------------------


class ReliableQueue(PriorityQueue):
    """scrapy-redis's priority queue, whose pop moves the request into this worker's in-flight
    hash (see the module doc) instead of deleting it."""

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        worker = worker_of(spider.crawler)
        if worker is None:
            raise NotConfigured(f"ReliableQueue needs {REDIS_URL_SETTING}")
        self.worker = worker

    def pop(self, timeout: int = 0) -> Request | None:
        got = self.worker.pop(self.key)
        if got is None:
            return None
        token, data = got
        try:
            request = self._decode_request(data)
        except Exception:
            logger.exception("a queued request cannot be decoded; dropped")
            self.worker.untrack(token)
            if self.worker.stats is not None:
                self.worker.stats.inc_value("crawler/distributed/undecodable")
            return None
        request.meta[TOKEN_META] = token
        self.worker.track(token, request)
        return request


class RedisScheduler(Scheduler):
    """scrapy-redis's Scheduler for a worker: joins the crawl when it opens, leaves it when it
    closes (giving back what it did not finish), and does not pass `spider=` to the stats
    (deprecated in Scrapy 2.19)."""

    crawler: Crawler
    worker: Worker
    df: Any

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        scheduler = super().from_crawler(crawler)
        worker = worker_of(crawler)
        if worker is None:
            raise NotConfigured(f"RedisScheduler needs {REDIS_URL_SETTING}")
        scheduler.crawler, scheduler.worker = crawler, worker
        return scheduler

    def open(self, spider: Spider) -> None:
        # scrapy-redis's open, without its Spider.log call (deprecated) and flush_on_start
        self.worker.register()
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        logger.info(
            "Worker %s joined crawl %s: %d requests queued",
            self.worker.instance,
            self.worker.keys.prefix,
            len(self.queue),
        )

    def close(self, reason: str) -> None:
        self.worker.leave()
        super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        # a retry or redirect copies the meta of the request it replaces: not its token
        request.meta.pop(TOKEN_META, None)
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


# ---------------------------------------------------------------------------------------------
# Scrapy components
# ---------------------------------------------------------------------------------------------


class WorkerMiddleware:
    """Spider middleware (engine side of all others): seeds only a run that has not begun, and
    ties each record to the request it came from (for the in-flight ledger)."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerMiddleware:
        worker = worker_of(crawler)
        if worker is None:
            raise NotConfigured
        return cls(worker)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        if not begin_run(self.worker.server, self.worker.keys):
            logger.info(
                "A run of %s has begun: this worker takes its requests from the queue",
                self.worker.keys.prefix,
            )
            return
        logger.info("No run of %s under way: this worker pushes the seeds", self.worker.keys.prefix)
        self.worker.prune()
        async for element in start:
            yield element

    def process_spider_output(self, response: Response | None, result: Iterable[Any]) -> Iterable[Any]:
        token = response.meta.get(TOKEN_META) if response is not None else None
        for element in result:
            if token is not None and not isinstance(element, Request):
                self.worker.item_tokens[id(element)] = token
            yield element

    async def process_spider_output_async(
        self, response: Response | None, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        token = response.meta.get(TOKEN_META) if response is not None else None
        async for element in result:
            if token is not None and not isinstance(element, Request):
                self.worker.item_tokens[id(element)] = token
            yield element


class ClaimPipeline:
    """One record per article across all workers: the first worker to claim its normalised
    canonical URL emits it, any other drops it (`crawler/drop/duplicate_url`)."""

    def __init__(self, worker: Worker, stats: Any) -> None:
        self.worker = worker
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClaimPipeline:
        worker = worker_of(crawler)
        if worker is None:
            raise NotConfigured
        return cls(worker, crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        canonical = adapter.get("canonical_url") or adapter["url"]
        key = normalize_url(canonical)
        claimed = self.worker.claim(key)
        if claimed < 0:
            self.stats.inc_value("crawler/distributed/not_emitted_expired")
            raise DropItem(f"this worker was taken for dead, another one emits {canonical}")
        if claimed == 0:
            self.stats.inc_value("crawler/drop/duplicate_url")
            raise DropItem(
                f"duplicate URL: {adapter['url']} is {canonical}, emitted by another worker", log_level="INFO"
            )
        self.worker.item_claims[id(item)] = key
        return item


class DistributedFeedPipeline(PartitionedFeedPipeline):
    """The partitioned feed pipeline of a worker. Publishing a batch, in order:

    1. only while this worker is a member of the crawl: one taken for dead keeps its batch in
       the temporary directory (its requests went to others, who emit those records);
    2. an intent is recorded in Redis (`Worker.intend`: the target, the claims, the requests);
    3. the file is renamed into place (or uploaded), by `PartitionedFeedPipeline`;
    4. the incremental state marks the records emitted (`feed_batch_published`);
    5. the claims become final and the requests leave the in-flight hash (`Worker.commit`).

    A worker killed between 3 and 5 is committed by whoever reaps it, when the file is there."""

    worker: Worker | None = None
    _publishing: _Batch | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedFeedPipeline:
        pipeline = cast("DistributedFeedPipeline", super().from_crawler(crawler))
        pipeline.worker = worker_of(crawler)
        if pipeline.worker is not None:
            pipeline.worker.publishes = True
        return pipeline

    def _new_batch(self, partition: tuple[str, str]) -> _Batch:
        batch = super()._new_batch(partition)
        worker = self.worker
        if worker is None:
            return batch
        entries: list[tuple[str | None, str | None]] = []
        batch.crawler_entries = entries  # type: ignore[attr-defined]
        export = batch.exporter.export_item

        def export_item(item: Any) -> Any:
            result = export(item)
            entries.append(worker.exported(item))
            return result

        batch.exporter.export_item = export_item  # type: ignore[method-assign]
        return batch

    async def _publish(self, batch: _Batch) -> None:
        worker = self.worker
        if worker is not None and not worker.alive():
            batch.close_file()
            self.stats.inc_value("crawler/feed/publish_fenced")
            logger.error(
                "Feed batch (%d items) not published: this worker was taken for dead and its requests "
                "went to other workers; the file is kept in %s",
                batch.items,
                batch.temp_path,
            )
            return
        # read by _next_name, which the publishing code calls before its first await
        self._publishing = batch
        await super()._publish(batch)

    def _next_name(self, partition: tuple[str, str]) -> str:
        name = super()._next_name(partition)
        batch, worker = self._publishing, self.worker
        if worker is not None and batch is not None and batch.partition == partition:
            relative = partition_path(*partition)
            if self.root is not None:
                target = str(self.root / relative / name)
            else:
                target = f"{self.uri.rstrip('/')}/{relative}{name}"
            worker.intend(batch.temp_path.name, target, getattr(batch, "crawler_entries", []), batch.records)
        return name

    def _published(self, batch: _Batch, target: str) -> None:
        super()._published(batch, target)
        if self.worker is not None and not self.worker.commit(
            getattr(batch, "crawler_entries", []), intent=batch.temp_path.name
        ):
            logger.error(
                "Published %s after this worker was taken for dead: its records may be doubled", target
            )


class WorkerExtension:
    """The worker's clock: every second it refreshes the heartbeat, settles processed requests,
    gives back the share of dead workers, and wakes the engine (which otherwise looks at an
    empty scheduler only every 5 s). Keeps the spider open while the crawl has work anywhere."""

    def __init__(self, crawler: Crawler, worker: Worker, idle_close: float) -> None:
        self.crawler = crawler
        self.worker = worker
        self.idle_close = idle_close
        self.idle_since: float | None = None
        self.loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerExtension:
        worker = worker_of(crawler)
        if worker is None:
            raise NotConfigured
        idle = crawler.settings.getfloat("CRAWLER_IDLE_CLOSE_SECONDS", DEFAULT_IDLE_CLOSE_SECONDS)
        ext = cls(crawler, worker, idle)
        connect = crawler.signals.connect
        connect(ext.spider_opened, signal=signals.spider_opened)
        connect(ext.spider_idle, signal=signals.spider_idle)
        connect(ext.spider_closed, signal=signals.spider_closed)
        connect(ext.item_scraped, signal=signals.item_scraped)
        connect(ext.item_dropped, signal=signals.item_dropped)
        connect(ext.item_error, signal=signals.item_error)
        return ext

    def spider_opened(self) -> None:
        self.loop = create_looping_call(self.tick)
        self.loop.start(TICK_SECONDS, now=False)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def tick(self) -> None:
        worker = self.worker
        if worker.closed:
            return
        try:
            if not worker.heartbeat():
                logger.error(
                    "This worker was taken for dead by the others (no heartbeat for %ss): stopping",
                    worker.timeout,
                )
                worker.closed = True
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="worker_expired"))
                return
            worker.sweep(self._active())
            worker.reap()
        except Exception:  # a Redis hiccup must not stop the clock; the next tick tries again
            logger.exception("worker tick failed")
            return
        # The engine polls an empty scheduler every 5 s; requests pushed by other workers are
        # taken at once instead (private: Scrapy has no public way to ask for its next loop).
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def _active(self) -> set[int]:
        engine = self.crawler.engine
        active = {id(r) for r in engine.downloader.active}
        scraper = engine.scraper.slot
        if scraper is not None:
            active.update(id(r) for r in scraper.active)
            active.update(id(entry[1]) for entry in scraper.queue)
        return active

    def spider_idle(self) -> None:
        if self.worker.closed:
            return
        if not self.worker.crawl_idle():
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_close:
            raise DontCloseSpider
        logger.info("The crawl has had no work for %.0f s: this worker closes", now - self.idle_since)

    def item_scraped(self, item: Any) -> None:
        if not self.worker.publishes:
            self.worker.record_done(item)

    def item_dropped(self, item: Any) -> None:
        self.worker.record_done(item)

    def item_error(self, item: Any) -> None:
        self.worker.record_failed(item)


# ---------------------------------------------------------------------------------------------
# Pushing the seeds (the `scrapy push` command)
# ---------------------------------------------------------------------------------------------


def run_status(server: Any, keys: RedisKeys) -> dict[str, int | bool]:
    """Where the crawl stands: queued requests, live workers, requests in flight, run begun."""
    workers = [m.decode() for m in server.smembers(keys.workers)]
    live = [w for w in workers if server.exists(keys.heartbeat(w))]
    inflight = sum(int(server.hlen(keys.inflight(w))) for w in workers)
    return {
        "queued": int(server.zcard(keys.queue)),
        "workers": len(live),
        "dead_workers": len(workers) - len(live),
        "inflight": inflight,
        "seen": int(server.scard(keys.dupefilter)),
        "emitted": int(server.hlen(keys.emitted)),
        "run": bool(server.exists(keys.seeded)),
    }


async def push_seeds(
    spider: Spider, server: Any, keys: RedisKeys, *, dedup_days: float | None = None
) -> int | None:
    """Start a run of the spider's crawl with its seed requests (`spider.start()`), or None
    when a run is under way. A run whose workers all died is resumed by the next worker, not
    restarted: its dead workers' requests are put back on the queue here."""
    worker = Worker(server, keys, worker_id="push", dedup_days=dedup_days)
    worker.reap()  # requeue what dead workers held
    status = run_status(server, keys)
    if status["run"] and not (status["queued"] or status["workers"] or status["inflight"]):
        server.delete(keys.seeded)  # a run whose last worker died after finishing it
    if not begin_run(server, keys):
        return None
    worker.prune()
    queue = PriorityQueue(server, spider, keys.queue.replace("%", "%%"))
    dupefilter = RFPDupeFilter(server, key=keys.dupefilter)
    pushed = 0
    async for request in spider.start():
        if not isinstance(request, Request):
            continue
        if not request.dont_filter and dupefilter.request_seen(request):
            continue
        queue.push(request)
        pushed += 1
    return pushed
