"""The crawl state of a distributed crawl, in Redis: what `crawler.state.SqliteState` keeps in one
file, shared by every worker of the crawl (`crawler/distributed.py` is the Scrapy side).

    >>> keys = RedisKeys("crawler:news:depok.pikiran-rakyat.com:3f2a9c1b04")
    >>> state = RedisState(redis.Redis.from_url("redis://127.0.0.1:6379/0"), keys, instance="w1.5e1f0a")
    >>> state.should_fetch(key, "2026-11-19T20:15:00+07:00")      # as SqliteState

No Scrapy here. All keys of one crawl start with its prefix (`RedisKeys`), so two crawls on one
Redis never mix, and `redis-cli --scan --pattern 'crawler:NAME:*'` shows one crawl's data:

| key | type | what |
|---|---|---|
| `P:fetched` | hash | normalised page URL -> its lastmod ('' when unknown) |
| `P:emitted` | hash | normalised canonical URL -> `content_hash \\t lastmod` of its last emission |
| `P:sigs`, `P:sigids`, `P:lsh`, `P:sigseq` | hashes, counter | body signatures and their LSH bands (`RedisNearDuplicateIndex`) |
| `P:claims`, `P:pending:<worker>` | hash, set | this run's claims on records (`crawler/distributed.py`) |

An article is marked emitted only once the feed file holding it is published
(`crawler.signals.feed_batch_published`, as with SqliteState): a worker killed with an open
batch has marked nothing, and the worker that takes over its requests emits those articles.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from crawler.dedup import BANDS, ROWS, THRESHOLD, similarity
from crawler.state import CrawlState, Emitted, later, moment, newer

__all__ = ["RedisKeys", "RedisNearDuplicateIndex", "RedisState"]


@dataclass(frozen=True)
class RedisKeys:
    """The Redis keys of one crawl, all under `prefix` (`crawler:<crawl name>`)."""

    prefix: str

    # the frontier (scrapy-redis) and the workers (crawler/distributed.py)
    @property
    def queue(self) -> str:
        return f"{self.prefix}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.prefix}:dupefilter"

    @property
    def workers(self) -> str:
        """set: the live worker instances"""
        return f"{self.prefix}:workers"

    @property
    def busy(self) -> str:
        """hash: worker instance -> requests it is processing (popped, callback not done)"""
        return f"{self.prefix}:busy"

    @property
    def idle(self) -> str:
        """set: the worker instances that found the crawl out of work"""
        return f"{self.prefix}:idle"

    @property
    def seeded(self) -> str:
        """string: present while a run is under way (its seeds were pushed)"""
        return f"{self.prefix}:seeded"

    @property
    def claims(self) -> str:
        """hash: normalised canonical URL -> the worker that emits it in this run ('+' once published)"""
        return f"{self.prefix}:claims"

    def heartbeat(self, instance: str) -> str:
        return f"{self.prefix}:heartbeat:{instance}"

    def inflight(self, instance: str) -> str:
        """hash: token -> encoded request, the requests a worker has taken and not finished"""
        return f"{self.prefix}:inflight:{instance}"

    def publishing(self, instance: str) -> str:
        """hash: feed files a worker is publishing -> what publishing them commits"""
        return f"{self.prefix}:publishing:{instance}"

    def pending(self, instance: str) -> str:
        """set: the claims of a worker whose records are not published yet"""
        return f"{self.prefix}:pending:{instance}"

    # the crawl state
    @property
    def fetched(self) -> str:
        return f"{self.prefix}:fetched"

    @property
    def emitted(self) -> str:
        return f"{self.prefix}:emitted"

    @property
    def sigs(self) -> str:
        return f"{self.prefix}:sigs"

    @property
    def lsh(self) -> str:
        return f"{self.prefix}:lsh"

    @property
    def sigids(self) -> str:
        return f"{self.prefix}:sigids"

    @property
    def sigseq(self) -> str:
        return f"{self.prefix}:sigseq"


def _text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8") if isinstance(value, bytes) else value


# Drop entries from their bands and from the index. KEYS: sigs, sigids, lsh
# ARGV: n ids, (id, key, n bands, band fields...) per id
_DROP_SIGNATURES = """
local at = 2
for _ = 1, tonumber(ARGV[1]) do
    local id, key, n = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2])
    for i = at + 3, at + 2 + n do
        local held = redis.call('HGET', KEYS[3], ARGV[i])
        if held then
            local kept = {}
            for other in string.gmatch(held, '[^,]+') do
                if other ~= id then table.insert(kept, other) end
            end
            if #kept == 0 then
                redis.call('HDEL', KEYS[3], ARGV[i])
            else
                redis.call('HSET', KEYS[3], ARGV[i], table.concat(kept, ','))
            end
        end
    end
    redis.call('HDEL', KEYS[1], id)
    if redis.call('HGET', KEYS[2], key) == id then redis.call('HDEL', KEYS[2], key) end
    at = at + 3 + n
end
return 1
"""

# Add an entry under a new id (the replaced one, if any, is dropped first by the caller).
# KEYS: sigs, sigids, lsh; ARGV: id, key, entry, band fields...
_ADD_SIGNATURE = """
local id = ARGV[1]
for i = 4, #ARGV do
    local held = redis.call('HGET', KEYS[3], ARGV[i])
    if held then
        redis.call('HSET', KEYS[3], ARGV[i], held .. ',' .. id)
    else
        redis.call('HSET', KEYS[3], ARGV[i], id)
    end
end
redis.call('HSET', KEYS[1], id, ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], id)
return 1
"""

_ADDED = struct.Struct("<d")  # time added (epoch seconds)
_SIG_BYTES = 4 * 128


def _band_fields(sig: bytes) -> list[bytes]:
    """The LSH band fields of a signature: band number + the band's bytes. (Not Python's
    `hash()`, which differs between processes: workers must agree on them.)"""
    size = ROWS * 4
    return [bytes([i]) + sig[i * size : (i + 1) * size] for i in range(BANDS)]


class RedisNearDuplicateIndex:
    """`crawler.dedup.NearDuplicateIndex` shared by the workers of a crawl: same `add`/`find`
    contract (LSH over the same bands, ties to the earliest added), stored in Redis, so a copy
    of a story is linked to an original that another worker emitted. Entries older than
    `max_age` seconds are not matched (CRAWLER_DEDUP_DAYS) and `prune` deletes them.

    Layout: `P:sigs` id -> time added, signature, key and original; `P:sigids` key -> id;
    `P:lsh` band -> ids, comma-separated (a short id, not the URL, in each of the 32 bands:
    about half the memory); ids come from the counter `P:sigseq`, so a smaller id was added
    earlier."""

    def __init__(
        self, server: Any, keys: RedisKeys, *, threshold: float = THRESHOLD, max_age: float | None = None
    ) -> None:
        self.server = server
        self.keys = keys
        self.threshold = threshold
        self.max_age = max_age
        self._add = server.register_script(_ADD_SIGNATURE)
        self._drop = server.register_script(_DROP_SIGNATURES)
        self.last_added: tuple[str, bytes, str] | None = None

    def __len__(self) -> int:
        return int(self.server.hlen(self.keys.sigs))

    @property
    def _script_keys(self) -> list[str]:
        return [self.keys.sigs, self.keys.sigids, self.keys.lsh]

    def add(self, key: str, sig: bytes, original: str) -> None:
        """Add (or replace) the signature of `key`."""
        if self.last_added == (key, sig, original):
            return  # the same add again (the pipeline's index and its state are this one object)
        old_id = self.server.hget(self.keys.sigids, key)
        if old_id is not None:
            old = self.server.hget(self.keys.sigs, old_id)
            if old is not None:
                self._drop_entries([(old_id.decode(), key, self._unpack(old)[1])])
        new_id = str(int(self.server.incr(self.keys.sigseq)))
        entry = _ADDED.pack(time.time()) + sig + f"{key}\n{original}".encode()
        self._add(keys=self._script_keys, args=[new_id, key, entry, *_band_fields(sig)])
        self.last_added = (key, sig, original)

    def find(self, sig: bytes, *, exclude: str | None = None) -> tuple[str, str, float] | None:
        """The most similar earlier entry at or above the threshold, as (key, original,
        similarity), or None; ties go to the earliest added."""
        held = self.server.hmget(self.keys.lsh, _band_fields(sig))
        ids = sorted({int(i) for value in held if value for i in value.split(b",")})
        if not ids:
            return None
        floor = time.time() - self.max_age if self.max_age is not None else None
        best: tuple[float, int, str, str] | None = None
        for id_, entry in zip(ids, self.server.hmget(self.keys.sigs, ids), strict=True):
            if entry is None:
                continue
            added, other, key, original = self._unpack(entry)
            if key == exclude or (floor is not None and added < floor):
                continue
            score = similarity(sig, other)
            if score >= self.threshold and (best is None or (-score, id_) < (-best[0], best[1])):
                best = (score, id_, key, original)
        if best is None:
            return None
        score, _, key, original = best
        return key, original, score

    def entries(self) -> Iterator[tuple[str, int, float, bytes, str]]:
        """Every stored (key, id, time added, signature, original), unordered."""
        for id_, entry in self.server.hscan_iter(self.keys.sigs, count=1000):
            added, sig, key, original = self._unpack(entry)
            yield key, int(id_), added, sig, original

    def prune(self, max_age: float) -> int:
        """Delete the entries added more than `max_age` seconds ago; how many."""
        floor = time.time() - max_age
        old = [(str(id_), key, sig) for key, id_, added, sig, _ in self.entries() if added < floor]
        for start in range(0, len(old), 200):
            self._drop_entries(old[start : start + 200])
        return len(old)

    def _drop_entries(self, entries: list[tuple[str, str, bytes]]) -> None:
        args: list[Any] = [len(entries)]
        for id_, key, sig in entries:
            args += [id_, key, BANDS, *_band_fields(sig)]
        self._drop(keys=self._script_keys, args=args)

    @staticmethod
    def _unpack(entry: bytes) -> tuple[float, bytes, str, str]:
        (added,) = _ADDED.unpack_from(entry)
        start = _ADDED.size
        sig = entry[start : start + _SIG_BYTES]
        key, _, original = entry[start + _SIG_BYTES :].decode("utf-8").partition("\n")
        return added, sig, key, original


class RedisState(CrawlState):
    """`CrawlState` in Redis, shared by the workers of one crawl (see the module doc). `instance`
    names the worker process; `server` is a redis-py client (bytes responses)."""

    def __init__(
        self, server: Any, keys: RedisKeys, *, instance: str = "", dedup_days: float | None = None
    ) -> None:
        self.server = server
        self.keys = keys
        self.instance = instance
        self.index = RedisNearDuplicateIndex(
            server, keys, max_age=dedup_days * 86400 if dedup_days is not None else None
        )

    def near_duplicate_index(self) -> RedisNearDuplicateIndex:
        """The near-duplicate index every worker of the crawl shares (crawler/pipelines/dedup.py
        uses it instead of a private one loaded at start)."""
        return self.index

    def should_fetch(self, url: str, lastmod: str | None) -> bool:
        stored = self.server.hget(self.keys.fetched, url)
        if stored is None:
            return True
        old = _text(stored) or None
        if moment(old) is None:
            return moment(lastmod) is not None
        return newer(lastmod, old)

    def mark_fetched(self, url: str, lastmod: str | None) -> None:
        stored = self.server.hget(self.keys.fetched, url)
        keep = later(_text(stored) or None, lastmod) if stored is not None else lastmod
        self.server.hset(self.keys.fetched, url, keep or "")

    def was_emitted(self, canonical_url: str) -> Emitted | None:
        stored = self.server.hget(self.keys.emitted, canonical_url)
        if stored is None:
            return None
        content_hash, _, lastmod = (_text(stored) or "").partition("\t")
        return Emitted(content_hash, lastmod or None)

    def mark_emitted(self, canonical_url: str, content_hash: str, lastmod: str | None) -> None:
        self.server.hset(self.keys.emitted, canonical_url, f"{content_hash}\t{lastmod or ''}")

    def mark_signature(self, key: str, signature: bytes, original: str) -> None:
        self.index.add(key, signature, original)

    def signatures(self, since: str | None = None) -> Iterator[tuple[str, bytes, str]]:
        start = moment(since)
        floor = start.astimezone(UTC).timestamp() if start else float("-inf")
        rows = sorted(
            (seq, key, sig, original)
            for key, seq, added, sig, original in self.index.entries()
            if added >= floor
        )
        for _, key, sig, original in rows:
            yield key, sig, original

    def commit(self) -> None:
        """Nothing to do: every write went to Redis as it was made."""

    def close(self) -> None:
        """Nothing to flush: every write went to Redis as it was made."""

    def __repr__(self) -> str:
        return f"RedisState({self.keys.prefix!r}, instance={self.instance!r})"
