"""Persistent crawl state: what earlier runs fetched and emitted, so a scheduled re-run emits only
what is new or changed. No Scrapy here: `crawler/incremental.py` and `crawler/pipelines/dedup.py`
are the Scrapy side.

    >>> state = SqliteState("state/crawl.sqlite3")
    >>> state.should_fetch(key, "2026-11-19T20:15:00+07:00")   # new URL, or a newer lastmod
    True
    >>> state.mark_fetched(key, "2026-11-19T20:15:00+07:00")
    >>> state.was_emitted(canonical_key)                     # Emitted(content_hash, lastmod) | None
    >>> state.mark_emitted(canonical_key, "sha1:…", lastmod)
    >>> state.close()                                        # commits; safe to reopen

Keys are whatever the caller passes; the crawler passes normalised URLs
(`crawler.dedup.normalize_url`), so an AMP or tracking-parameter variant is the same key.
`CrawlState` is the whole interface, kept small so that a shared store (Redis, for a
distributed crawl) can implement it too. `DirLock` keeps two runs off one state directory.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

__all__ = ["CrawlState", "DirLock", "Emitted", "SqliteState", "StateLocked", "later", "newer"]


class Emitted(NamedTuple):
    """What the state remembers of an emitted article."""

    content_hash: str
    lastmod: str | None


class CrawlState(ABC):
    """What a crawl remembers between runs."""

    @abstractmethod
    def should_fetch(self, url: str, lastmod: str | None) -> bool:
        """True for a URL never fetched, or one whose `lastmod` is newer than the stored one
        (a stored URL without a lastmod is fetched again once a lastmod is known)."""

    @abstractmethod
    def mark_fetched(self, url: str, lastmod: str | None) -> None:
        """Remember that `url` was fetched. The stored lastmod only moves forward: a mark with
        an older or unknown lastmod keeps the newer one."""

    @abstractmethod
    def was_emitted(self, canonical_url: str) -> Emitted | None:
        """The stored emission of this article (content hash and lastmod), or None."""

    @abstractmethod
    def mark_emitted(self, canonical_url: str, content_hash: str, lastmod: str | None) -> None:
        """Remember that this article was emitted with this body hash (replaces an earlier one)."""

    @abstractmethod
    def mark_signature(self, key: str, signature: bytes, original: str) -> None:
        """Remember the body signature (`crawler.dedup.signature`) of the article `key`;
        `original` is the canonical URL a later copy should point to (the article's own, or
        the one it is itself a copy of)."""

    @abstractmethod
    def signatures(self, since: str | None = None) -> Iterator[tuple[str, bytes, str]]:
        """The remembered (key, signature, original), oldest first; only those remembered at
        or after `since` (ISO 8601) when given."""

    @abstractmethod
    def commit(self) -> None:
        """Make every write so far durable now."""

    def close(self) -> None:  # noqa: B027 - a store with nothing to release keeps this default
        """Make everything durable and release the store."""

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def moment(value: str | None) -> datetime | None:
    """An ISO 8601 date or time as an aware datetime (naive and date-only values are taken as
    UTC), or None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def newer(candidate: str | None, stored: str | None) -> bool:
    """Whether the lastmod `candidate` is later than `stored` (False when either is unknown)."""
    new, old = moment(candidate), moment(stored)
    return new is not None and old is not None and new > old


def later(a: str | None, b: str | None) -> str | None:
    """The later of two lastmods; a known one beats an unknown one."""
    if moment(a) is None:
        return b if moment(b) is not None else a
    return b if newer(b, a) else a


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_SCHEMA = """
CREATE TABLE IF NOT EXISTS fetched (
    url TEXT PRIMARY KEY,
    lastmod TEXT,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS emitted (
    canonical_url TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    lastmod TEXT,
    emitted_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS signatures (
    key TEXT PRIMARY KEY,
    signature BLOB NOT NULL,
    original TEXT NOT NULL,
    added_at TEXT NOT NULL
);
"""


class SqliteState(CrawlState):
    """`CrawlState` in one SQLite file: WAL journal, one connection, writes committed in
    batches (every `batch` writes or `interval` seconds, and at `close()`). A crash loses at
    most the last batch of marks, which means re-emitting those articles, never losing one."""

    def __init__(self, path: str | os.PathLike[str], *, batch: int = 100, interval: float = 5.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._db.commit()
        self._batch = batch
        self._interval = interval
        self._pending = 0
        self._last_commit = time.monotonic()

    def should_fetch(self, url: str, lastmod: str | None) -> bool:
        row = self._db.execute("SELECT lastmod FROM fetched WHERE url = ?", (url,)).fetchone()
        if row is None:
            return True
        stored = row[0]
        if moment(stored) is None:
            return moment(lastmod) is not None
        return newer(lastmod, stored)

    def mark_fetched(self, url: str, lastmod: str | None) -> None:
        row = self._db.execute("SELECT lastmod FROM fetched WHERE url = ?", (url,)).fetchone()
        keep = later(row[0], lastmod) if row else lastmod
        self._db.execute(
            "INSERT INTO fetched (url, lastmod, fetched_at) VALUES (?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET lastmod = excluded.lastmod, fetched_at = excluded.fetched_at",
            (url, keep, _now()),
        )
        self._wrote()

    def was_emitted(self, canonical_url: str) -> Emitted | None:
        row = self._db.execute(
            "SELECT content_hash, lastmod FROM emitted WHERE canonical_url = ?", (canonical_url,)
        ).fetchone()
        return Emitted(row[0], row[1]) if row else None

    def mark_emitted(self, canonical_url: str, content_hash: str, lastmod: str | None) -> None:
        self._db.execute(
            "INSERT INTO emitted (canonical_url, content_hash, lastmod, emitted_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(canonical_url) DO UPDATE SET content_hash = excluded.content_hash, "
            "lastmod = excluded.lastmod, emitted_at = excluded.emitted_at",
            (canonical_url, content_hash, lastmod, _now()),
        )
        self._wrote()

    def mark_signature(self, key: str, signature: bytes, original: str) -> None:
        self._db.execute(
            "INSERT INTO signatures (key, signature, original, added_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET signature = excluded.signature, original = excluded.original, "
            "added_at = excluded.added_at",
            (key, signature, original, _now()),
        )
        self._wrote()

    def signatures(self, since: str | None = None) -> Iterator[tuple[str, bytes, str]]:
        start = moment(since)
        floor = start.astimezone(UTC).isoformat(timespec="seconds") if start else ""
        rows = self._db.execute(
            "SELECT key, signature, original FROM signatures WHERE added_at >= ? ORDER BY added_at, rowid",
            (floor,),
        ).fetchall()
        for key, signature, original in rows:
            yield key, bytes(signature), original

    def commit(self) -> None:
        """Make every write so far durable now (the writes are otherwise committed in batches)."""
        if self._db is not None:
            self._db.commit()
            self._pending = 0
            self._last_commit = time.monotonic()

    def close(self) -> None:
        if self._db is None:
            return
        self._db.commit()
        self._db.close()
        self._db = None  # type: ignore[assignment]

    def _wrote(self) -> None:
        self._pending += 1
        if self._pending >= self._batch or time.monotonic() - self._last_commit >= self._interval:
            self._db.commit()
            self._pending = 0
            self._last_commit = time.monotonic()


class StateLocked(RuntimeError):
    """Another crawl holds the lock on a state directory."""


class DirLock:
    """An exclusive, non-blocking `flock` on `DIR/lock`: two runs of one crawl never share a
    state directory. The OS releases it when the process ends, however it ends."""

    FILENAME = "lock"

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._fd: int | None = None

    def acquire(self) -> DirLock:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / self.FILENAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StateLocked(f"another crawl holds the lock on {self.directory}") from None
        # who holds it, for a person looking at a stuck directory
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DirLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
