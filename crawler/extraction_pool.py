"""Page extraction in worker processes (`CRAWLER_EXTRACTION_PROCESSES`), so the reactor keeps fetching.

Scrapy runs every callback on one thread, the reactor's. Extraction (`extract_page`: pure Python
and lxml, 5-25 ms a page) is the heaviest part of an article callback: run there, it stops all
fetching while a page is extracted, and the crawl uses one core. `ExtractionPool` sends each page
to a `ProcessPoolExecutor` instead and the spider awaits the outcome, while the reactor goes on
fetching and running the pipelines on its own core.

What travels per page is what `extract_page` needs and no more: the body bytes, the URL, the
fetch time and the site host (for a page fetched from a mirror). The profile registry goes to
each worker once, when it starts; what comes back is the record (a plain dict) and the pages'
links (`Pagination`), or a drop reason. The worker also signs the body for the dedup pipeline
(`crawler.dedup.SIGNATURES`): the MinHash was the largest cost a record added to the crawl process.

Every page ends in one `Outcome`, as it did in process: a record, or a drop with its reason,
`not_html` (empty, binary, over `MAX_HTML_BYTES`), `unparseable` (`ValueError`, e.g. no URL),
`extraction_error` (anything else `extract_page` raised: a bug, logged with its traceback),
`extraction_crashed` (the worker process died on the page, twice) or `extraction_timeout` (no
result within `CRAWLER_EXTRACTION_TIMEOUT` seconds). A worker that dies (killed, out of memory, a
crash in C) breaks the whole executor, which fails every page in flight with `BrokenProcessPool`
without saying which page killed it: the pool is replaced and each of those pages is tried once
more on the new one. After `MAX_BREAKS_IN_A_ROW` broken pools with no page extracted in between,
the pool is given up and the rest of the run extracts in process (logged).

A worker that never answers (a runaway regex, a loop in C: nothing a crawl can wait out) would
hold its page's callback, and with it the end of the crawl, forever. A page that has waited
longer than the timeout *and* is the oldest page in flight in its pool (so the one a worker is
stuck on, not one queued behind it) is dropped; the pool's workers are killed and the pool
replaced, and the other pages it held are tried again on the new one. In process (0 workers)
nothing can interrupt extraction, and there is no timeout.

Workers start with 'forkserver' ('spawn' where there is none): a process running the reactor and
its threads is never forked. The forkserver preloads the extraction modules, so a new worker
(at start, or after a crash) is ready in milliseconds. Workers ignore SIGINT: Ctrl-C and
systemd's `KillSignal=SIGINT` reach the whole process group, and Scrapy's graceful shutdown
needs them to finish the pages in flight; the pool is shut down on `spider_closed`. A worker
also exits on its own when the crawl process is gone (after a SIGKILL nobody shuts it down).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any

from crawler.dedup import SIGNATURES, signature
from crawler.extraction.core import Pagination, extract_page
from crawler.extraction.html import MAX_HTML_BYTES, NotHtmlError
from crawler.sites.profile import ProfileRegistry

logger = logging.getLogger(__name__)

# Pools broken in a row, with no page extracted in between, before extraction goes back in
# process for the rest of the run: workers that cannot even start, not a page that kills one.
MAX_BREAKS_IN_A_ROW = 10
# Tries of one page: a pool that breaks fails every page in flight, not only the one to blame.
ATTEMPTS = 2
# Seconds a page may take in the pool (CRAWLER_EXTRACTION_TIMEOUT): pages take 5-25 ms, the
# largest accepted ones (MAX_HTML_BYTES) a few seconds.
DEFAULT_TIMEOUT = 60.0
_PRELOAD = ["crawler.extraction.core", "crawler.sites", "crawler.dedup"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What extraction made of one page: a record, or why there is none."""

    record: dict | None = None
    pagination: Pagination = field(default_factory=Pagination)
    drop: str | None = None
    """The drop reason when there is no record: not_html, unparseable, extraction_error,
    extraction_crashed, extraction_timeout."""
    detail: str = ""
    """For the log: the exception's message (with the traceback for extraction_error)."""
    signed: bool = False
    """Whether `signature` holds the body's MinHash (`crawler.dedup.signature`), computed in
    the worker so that the dedup pipeline does not compute it in the crawl process."""
    signature: bytes | None = None


def run_extraction(
    body: bytes, url: str, fetched_at: str, host: str | None, registry: ProfileRegistry
) -> Outcome:
    """`extract_page` with its failures turned into drop reasons (in process or in a worker)."""
    try:
        record, pagination = extract_page(body, url, fetched_at=fetched_at, registry=registry, host=host)
    except NotHtmlError as exc:
        return Outcome(drop="not_html", detail=str(exc))
    except ValueError as exc:
        return Outcome(drop="unparseable", detail=str(exc))
    except Exception:  # a bug in extraction must cost one page, never the crawl
        return Outcome(drop="extraction_error", detail=traceback.format_exc())
    return Outcome(record, pagination)


# -- the worker side ------------------------------------------------------------------------

_worker_registry: ProfileRegistry | None = None


def _start_worker(registry: ProfileRegistry, crawl_pid: int) -> None:
    global _worker_registry
    _worker_registry = registry
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_crawl, args=(crawl_pid,), name="exit-with-crawl", daemon=True).start()


def _exit_with_crawl(crawl_pid: int) -> None:
    # Not the parent's death: a forkserver's workers keep it alive (each holds its 'alive' pipe).
    while _running(crawl_pid):
        time.sleep(1.0)
    os._exit(0)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # the pid went to another user's process
        return False
    try:  # Linux: a killed crawl that its parent has not reaped yet is a zombie
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def _extract_in_worker(body: bytes, url: str, fetched_at: str, host: str | None) -> Outcome:
    assert _worker_registry is not None, "worker started without its registry"
    outcome = run_extraction(body, url, fetched_at, host, _worker_registry)
    if outcome.record is None:
        return outcome
    return replace(outcome, signed=True, signature=signature(outcome.record["body"]))


def _ready() -> int:
    return os.getpid()


# -- the crawl side -------------------------------------------------------------------------


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    _start_forkserver()
    return context


def _start_forkserver() -> None:
    """Start the forkserver (once per process) with SIGINT ignored: its workers inherit that from
    their first instant, where the initializer would leave a window in which a Ctrl-C of the
    process group kills a starting worker. Quick: the forkserver loads the modules on its own."""
    from multiprocessing import forkserver

    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: workers ignore SIGINT once initialised
        forkserver.ensure_running()
        return
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


class ExtractionPool:
    """Runs `extract_page` in `processes` worker processes (0: in the calling thread), giving
    up a page after `timeout` seconds (0 or None: never)."""

    def __init__(
        self,
        processes: int,
        registry: ProfileRegistry,
        stats: Any = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        if processes < 0:
            raise ValueError(f"CRAWLER_EXTRACTION_PROCESSES must be 0 or more, got {processes}")
        if timeout is not None and timeout < 0:
            raise ValueError(f"CRAWLER_EXTRACTION_TIMEOUT must be 0 (none) or more seconds, got {timeout:g}")
        self.processes = processes
        self.registry = registry
        self.stats = stats
        self.timeout = timeout or None
        self._in_flight: dict[Future, ProcessPoolExecutor] = {}
        """Pages submitted and not settled, oldest first, with the pool each went to."""
        self._executor: ProcessPoolExecutor | None = None
        self._started: Future | None = None
        """Done when the current executor's workers are up (started off the reactor thread)."""
        self._breaks_in_a_row = 0
        self._closed = False
        self._crawler: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any, registry: ProfileRegistry) -> ExtractionPool:
        from scrapy import signals

        settings = crawler.settings
        pool = cls(
            settings.getint("CRAWLER_EXTRACTION_PROCESSES"),
            registry,
            timeout=settings.getfloat("CRAWLER_EXTRACTION_TIMEOUT", DEFAULT_TIMEOUT),
        )
        pool._crawler = crawler  # its stats exist from spider_opened on
        crawler.signals.connect(pool.open, signal=signals.spider_opened)
        crawler.signals.connect(pool.spider_closed, signal=signals.spider_closed)
        return pool

    def open(self) -> None:
        """Start the workers (they load the extraction modules while discovery runs)."""
        if self._crawler is not None:
            self.stats = self._crawler.stats
        if self.processes == 0 or self._executor is not None or self._closed:
            return
        try:
            self._new_executor()
        except OSError as exc:  # e.g. no /dev/shm for the pool's semaphores
            logger.error("cannot start extraction workers (%s): extracting in process", exc)
            return
        if self.stats is not None:
            self.stats.set_value("crawler/extraction/processes", self.processes)

    def close(self) -> None:
        """Stop the workers and wait until they and the pool's thread have exited: a pool left
        to finish on its own races with the interpreter's exit (Python 3.11 then prints 'OSError:
        Bad file descriptor' from concurrent.futures' exit hook)."""
        executor = self._detach()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    async def spider_closed(self) -> None:
        """close(), waiting in a thread: Scrapy finishes closing when this returns (every
        callback has returned by now, so the workers are idle and exit at once)."""
        executor = self._detach()
        if executor is None:
            return
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet.threads import deferToThread

        await maybe_deferred_to_future(deferToThread(executor.shutdown, wait=True, cancel_futures=True))

    def _detach(self) -> ProcessPoolExecutor | None:
        self._closed = True
        executor, self._executor = self._executor, None
        return executor

    async def extract(self, body: bytes, url: str, *, fetched_at: str, host: str | None) -> Outcome:
        """The page's outcome; in a worker when the pool runs, else right here."""
        if len(body) > MAX_HTML_BYTES:  # refused unread (not_html): no need to ship it
            return run_extraction(body, url, fetched_at, host, self.registry)
        for _attempt in range(ATTEMPTS):
            executor = await self._running_executor()
            if executor is None:
                return run_extraction(body, url, fetched_at, host, self.registry)
            try:
                future = executor.submit(_extract_in_worker, body, url, fetched_at, host)
            except BrokenProcessPool:  # broken by a page before this one, not yet replaced
                self._replace(executor, url)
                continue
            self._in_flight[future] = executor
            try:
                outcome = await self._outcome_of(future, executor, url)
            finally:
                self._in_flight.pop(future, None)
            if outcome is not None:
                if outcome.signed and outcome.record is not None:
                    SIGNATURES.put(outcome.record["body"], outcome.signature)
                return outcome
        return Outcome(
            drop="extraction_crashed", detail=f"the extraction worker died {ATTEMPTS} times on this page"
        )

    async def _outcome_of(self, future: Future, executor: ProcessPoolExecutor, url: str) -> Outcome | None:
        """The outcome of a page submitted to `executor`; None when it must be tried again (its
        pool broke, or was stopped for another page)."""
        while not await _settled(future, self.timeout):
            if executor is not self._executor:
                return None  # its pool was stopped for a page stuck before it
            if self._oldest(executor) is future:
                self._stop_stuck(executor, url)
                return Outcome(
                    drop="extraction_timeout",
                    detail=f"no result after {self.timeout:g} s (CRAWLER_EXTRACTION_TIMEOUT); its worker was stopped",
                )
            # queued behind an older page, which is the one to blame when a worker is stuck
        try:
            outcome = future.result()
        except BrokenProcessPool:
            self._replace(executor, url)
            return None
        except CancelledError:  # the pool was shut down (the crawl closes) with the page queued
            raise asyncio.CancelledError from None
        except Exception as exc:  # e.g. a record the pipe could not carry
            return Outcome(drop="extraction_error", detail=f"{type(exc).__name__}: {exc}")
        self._breaks_in_a_row = 0
        return outcome

    def _oldest(self, executor: ProcessPoolExecutor) -> Future | None:
        return next((f for f, pool in self._in_flight.items() if pool is executor and not f.done()), None)

    def _stop_stuck(self, stuck: ProcessPoolExecutor, url: str) -> None:
        """A worker of the current pool, `stuck`, has not answered for longer than the timeout:
        kill its workers and start a new pool. The pages it held fail with `BrokenProcessPool`
        and are tried again."""
        logger.error(
            "extraction of %s took over %g s: its worker was stopped and the pool replaced", url, self.timeout
        )
        if self.stats is not None:
            self.stats.inc_value("crawler/extraction/pool_restarts")
        self._executor = None
        if not self._closed:
            try:
                self._new_executor()
            except OSError as exc:
                logger.error("cannot start extraction workers (%s): extracting in process from now on", exc)
        _kill_workers(stuck)
        # no cancel_futures: the pages queued in it must fail as broken (tried again), not as cancelled
        stuck.shutdown(wait=False)

    def _new_executor(self) -> None:
        """A new pool, its workers started in a thread: the first start of a worker waits for
        the forkserver to load the extraction modules (seconds on a busy machine), and the
        reactor thread must not wait (a distributed worker's heartbeat would lapse)."""
        executor = ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=_context(),
            initializer=_start_worker,
            initargs=(self.registry, os.getpid()),
        )
        started: Future = Future()

        def start_workers() -> None:  # workers start on demand: start them all now
            try:
                for _ in range(self.processes):
                    executor.submit(_ready)
            except BaseException as exc:
                started.set_exception(exc)
            else:
                started.set_result(None)

        self._executor, self._started = executor, started
        threading.Thread(target=start_workers, name="extraction-pool-start", daemon=True).start()

    async def _running_executor(self) -> ProcessPoolExecutor | None:
        """The pool once its workers are started; None: extract in process."""
        while self._executor is not None and self._started is not None and not self._started.done():
            with contextlib.suppress(Exception):
                await _result(self._started)
        executor, started = self._executor, self._started
        if executor is None or started is None:
            return executor
        error = started.exception()
        if error is not None and not isinstance(error, BrokenProcessPool):  # broken: the caller replaces it
            logger.error("cannot start extraction workers (%s): extracting in process from now on", error)
            executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        return self._executor

    def _replace(self, broken: ProcessPoolExecutor, url: str) -> None:
        """A worker died: every page in flight failed. The first of them to notice replaces the
        pool; the others (same broken executor) find it replaced and just try again."""
        if broken is not self._executor:
            return
        broken.shutdown(wait=False, cancel_futures=True)
        self._breaks_in_a_row += 1
        if self.stats is not None:
            self.stats.inc_value("crawler/extraction/pool_restarts")
        if self._closed:
            self._executor = None
            return
        if self._breaks_in_a_row >= MAX_BREAKS_IN_A_ROW:
            logger.error(
                "extraction workers died %d times in a row with no page extracted: extracting in process from now on",
                self._breaks_in_a_row,
            )
            if self.stats is not None:
                self.stats.set_value("crawler/extraction/pool_given_up", 1)
            self._executor = None
            return
        logger.error("an extraction worker died (pages in flight, e.g. %s, are tried again): new pool", url)
        try:
            self._new_executor()
        except OSError as exc:
            logger.error("cannot start extraction workers (%s): extracting in process from now on", exc)
            self._executor = None


def _kill_workers(executor: ProcessPoolExecutor) -> None:
    kill = getattr(executor, "kill_workers", None)  # Python 3.14+
    if kill is not None:
        kill()
        return
    # before 3.14 the executor has no public way to stop a busy worker
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.kill()


async def _result(future: Future) -> Any:
    """Await a worker's result."""
    await _settled(future, None)
    return future.result()


async def _settled(future: Future, timeout: float | None) -> bool:
    """Whether `future` (a worker's) is done, waiting up to `timeout` seconds (None: as long as it
    takes), on the running loop: an asyncio future under the asyncio reactor (the project's), a
    Deferred fired from the reactor thread under any other. A timeout leaves `future` running."""
    if future.done():
        return True
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # a Twisted reactor without asyncio drives this coroutine
        pass
    else:
        waiter = asyncio.wrap_future(future)
        waiter.add_done_callback(_retrieved)
        # asyncio.wait, unlike wait_for, does not cancel what it waits for when time is up
        done, _ = await asyncio.wait({waiter}, timeout=timeout)
        return bool(done)
    from twisted.internet import reactor
    from twisted.internet.defer import Deferred

    deferred: Deferred = Deferred()

    def settle(value: bool) -> None:
        if not deferred.called:
            deferred.callback(value)

    future.add_done_callback(lambda _: reactor.callFromThread(settle, True))  # type: ignore[attr-defined]
    timer = reactor.callLater(timeout, settle, False) if timeout is not None else None  # type: ignore[attr-defined]
    try:
        return await deferred
    finally:
        if timer is not None and timer.active():
            timer.cancel()


def _retrieved(waiter: asyncio.Future) -> None:
    # the outcome is read from the worker's future itself: mark the wrapper's as read, or asyncio
    # logs "exception was never retrieved" for a page whose pool broke after a timeout
    if not waiter.cancelled():
        waiter.exception()
