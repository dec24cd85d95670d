"""Extraction in worker processes (CRAWLER_EXTRACTION_PROCESSES, crawler/extraction_pool.py).

Real pools, real crawls of the fixture sites: the pool gives the same records as extraction in
process, whatever order the workers finish in; a worker killed mid-crawl costs no page and no
response goes unaccounted; workers do not outlive a crawl killed with SIGKILL.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.dedup import SIGNATURES, signature
from crawler.extraction.core import extract_page
from crawler.extraction_pool import ExtractionPool, Outcome
from crawler.sites import REGISTRY
from tests.site_server import serve
from tests.test_crawl import FAST, PR_HOST, REPO, SITES, TRIBUN_HOST, crawl, matches_golden, normalised, stats

PAGE = (
    REPO
    / "tests"
    / "fixtures"
    / "site"
    / "pikiran-rakyat"
    / "depok"
    / "pr-0931002"
    / "pemkot-depok-resmikan-taman-baru-di-sawangan.html"
)
PAGE_URL = f"https://{PR_HOST}/depok/pr-0931002/pemkot-depok-resmikan-taman-baru-di-sawangan"
FETCHED_AT = "2026-11-20T03:00:00+00:00"


def descendants(pid: int) -> dict[int, int]:
    """pid -> depth below `pid` of every living descendant (Linux /proc)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    depth: dict[int, int] = {}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if child not in depth and (parent == pid or parent in depth):
                depth[child] = depth.get(parent, 0) + 1
                changed = True
    return depth


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def workers_of(pid: int) -> list[int]:
    """The extraction workers: children of the forkserver, itself a child of the crawl."""
    return [p for p, depth in descendants(pid).items() if depth == 2]


def wait_for(condition, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


linux_only = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="finds worker processes in /proc"
)


@pytest.mark.parametrize("processes", [0, 2])
def test_records_are_the_same_in_process_and_in_workers(tmp_path, processes):
    # the default (1 worker) runs in test_crawl.py; 2 workers finish pages out of order
    with serve(SITES / "pikiran-rakyat") as pr, serve(SITES / "tribun") as tribun:
        records, log = crawl(
            tmp_path,
            "-a", f"site={PR_HOST},{TRIBUN_HOST}",
            "-a", f"start_url={pr},{tribun}",
            "-s", f"CRAWLER_EXTRACTION_PROCESSES={processes}",
        )  # fmt: skip
    matches_golden("profiles", normalised(records, {"PR/": pr, "TRIBUN/": tribun}))
    counters = stats(log)
    assert counters["crawler/summary/unaccounted"] == 0
    assert counters.get("crawler/extraction/processes", 0) == processes
    assert "crawler/extraction/pool_restarts" not in counters


def test_generic_path_in_two_workers(tmp_path):
    with serve(SITES / "pikiran-rakyat") as pr:
        records, _ = crawl(tmp_path, "-a", f"url={pr}", "-s", "CRAWLER_EXTRACTION_PROCESSES=2")
    matches_golden("generic", normalised(records, {"PR/": pr}))


def crawl_signalling_the_worker(tmp_path: Path, sig: signal.Signals, *settings: str) -> tuple[str, int, dict]:
    """Crawl both fixture sites (slow answers keep the crawl going) with one extraction worker,
    and send `sig` to that worker once the first article page is fetched: the crawl's log, the
    worker's pid and the local bases of the two sites."""
    feed = tmp_path / "feed.jsonl"
    with serve(SITES / "pikiran-rakyat", delay=0.2) as pr, serve(SITES / "tribun", delay=0.2) as tribun:
        crawl_process = subprocess.Popen(
            [
                sys.executable, "-m", "scrapy", "crawl", "news",
                "-a", f"site={PR_HOST},{TRIBUN_HOST}", "-a", f"start_url={pr},{tribun}",
                "-O", f"{feed}:jsonlines", *FAST, "-s", "LOG_LEVEL=DEBUG", "-s", "CRAWLER_EXTRACTION_PROCESSES=1",
                *settings,
            ],
            cwd=REPO, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        log, worker = [], 0
        for line in crawl_process.stderr:  # type: ignore[union-attr]
            log.append(line)
            if re.search(r"Crawled \(200\) <GET \S+(/pr-\d+/|/2026/11/)", line):  # the first article page
                worker = wait_for(lambda: workers_of(crawl_process.pid))[0]
                os.kill(worker, sig)
                break
        log += crawl_process.stderr.readlines()  # type: ignore[union-attr]
        assert crawl_process.wait(timeout=120) == 0, "".join(log)[-3000:]
    return "".join(log), worker, {"PR/": pr, "TRIBUN/": tribun}


def feed_records(tmp_path: Path, bases: dict) -> list[dict]:
    lines = (tmp_path / "feed.jsonl").read_text(encoding="utf-8").splitlines()
    return normalised([json.loads(line) for line in lines], bases)


@linux_only
def test_a_worker_killed_mid_crawl_costs_no_page(tmp_path):
    text, _, bases = crawl_signalling_the_worker(tmp_path, signal.SIGKILL)
    assert "Traceback" not in text
    assert "ERROR: an extraction worker died" in text
    counters = stats(text)
    assert counters["crawler/extraction/pool_restarts"] == 1
    assert counters["crawler/summary/unaccounted"] == 0
    # the pages in flight were tried again on the new pool: nothing lost
    matches_golden("profiles", feed_records(tmp_path, bases))


@linux_only
def test_a_worker_stuck_mid_crawl_costs_one_counted_page_and_the_crawl_ends(tmp_path):
    # SIGSTOP: the worker holds its page as a runaway regex would
    text, stuck, bases = crawl_signalling_the_worker(
        tmp_path, signal.SIGSTOP, "-s", "CRAWLER_EXTRACTION_TIMEOUT=2", "-s", "CRAWLER_MONITOR_ENABLED=0"
    )
    assert "Traceback" not in text
    counters = stats(text)
    assert counters["crawler/drop/extraction_timeout"] == 1
    assert counters["crawler/summary/unaccounted"] == 0
    dropped = re.search(r"extraction of (\S+) took over 2 s", text)
    assert dropped, text[-3000:]
    wait_for(lambda: not alive(stuck), timeout=10)
    # the page the worker was stuck on is lost, the others in flight were tried again
    records = feed_records(tmp_path, bases)
    golden = (REPO / "tests/fixtures/site/expected/profiles.jsonl").read_text("utf-8").splitlines()
    expected = {r["canonical_url"]: r for r in map(json.loads, golden)}
    assert len(records) >= len(expected) - 1
    assert all(r == expected[r["canonical_url"]] for r in records)
    assert dropped.group(1) not in {r["url"] for r in records}


@linux_only
def test_workers_do_not_outlive_a_killed_crawl(tmp_path):
    with serve(SITES / "pikiran-rakyat", delay=0.5) as pr:
        crawl_process = subprocess.Popen(
            [
                sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"site={PR_HOST}", "-a", f"start_url={pr}",
                "-O", f"{tmp_path / 'feed.jsonl'}:jsonlines", *FAST, "-s", "CRAWLER_EXTRACTION_PROCESSES=2",
            ],
            cwd=REPO, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        workers = wait_for(lambda: len(found := workers_of(crawl_process.pid)) == 2 and found)
        crawl_process.kill()
        crawl_process.wait(timeout=30)
    # nobody shuts them down: they notice their parent is gone and exit
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=30)


@linux_only
def test_ctrl_c_stops_the_crawl_gracefully_with_its_workers(tmp_path):
    # Ctrl-C reaches the whole process group: the workers must stay up while Scrapy closes
    with serve(SITES / "pikiran-rakyat", delay=0.2) as pr:
        crawl_process = subprocess.Popen(
            [
                sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"site={PR_HOST}", "-a", f"start_url={pr}",
                "-O", f"{tmp_path / 'feed.jsonl'}:jsonlines", *FAST, "-s", "LOG_LEVEL=DEBUG",
            ],
            cwd=REPO, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        log = []
        for line in crawl_process.stderr:  # type: ignore[union-attr]
            log.append(line)
            if re.search(r"Crawled \(200\) <GET \S+/pr-\d+/", line):
                os.killpg(crawl_process.pid, signal.SIGINT)
                break
        log += crawl_process.stderr.readlines()  # type: ignore[union-attr]
        assert crawl_process.wait(timeout=60) == 0
    text = "".join(log)
    assert "Closing spider (shutdown)" in text
    assert "extraction worker died" not in text and "Traceback" not in text
    assert stats(text)["crawler/summary/unaccounted"] == 0


def test_pool_outcomes_match_extraction_in_process():
    body = PAGE.read_bytes()
    record, pagination = extract_page(body, PAGE_URL, fetched_at=FETCHED_AT)

    async def run() -> list[Outcome]:
        pool = ExtractionPool(1, REGISTRY)
        pool.open()
        try:
            return [
                await pool.extract(body, PAGE_URL, fetched_at=FETCHED_AT, host=None),
                await pool.extract(b"%PDF-1.4 not a page", PAGE_URL, fetched_at=FETCHED_AT, host=None),
                await pool.extract(
                    b"<html><body><p>Tanpa alamat.</p></body></html>", "", fetched_at=FETCHED_AT, host=None
                ),
                # a bug in extraction (a list is no page): one page lost with its traceback, not the crawl
                await pool.extract([b"not", b"bytes"], PAGE_URL, fetched_at=FETCHED_AT, host=None),  # type: ignore[arg-type]
            ]
        finally:
            pool.close()

    ok, not_html, unparseable, error = asyncio.run(run())
    assert (ok.record, ok.pagination, ok.drop) == (record, pagination, None)
    # the worker signed the body for the dedup pipeline, which takes it in this process
    assert ok.signed and ok.signature == signature(record["body"]) is not None
    assert ok.record["body"] in SIGNATURES
    assert SIGNATURES.take(ok.record["body"]) == ok.signature
    assert (not_html.record, not_html.drop) == (None, "not_html")
    assert (unparseable.record, unparseable.drop) == (None, "unparseable")
    assert error.drop == "extraction_error" and "Traceback" in error.detail and "TypeError" in error.detail


class Stats(dict):
    """The two calls of Scrapy's stats collector that the pool makes."""

    def inc_value(self, key: str, count: int = 1) -> None:
        self[key] = self.get(key, 0) + count

    def set_value(self, key: str, value: int) -> None:
        self[key] = value


@linux_only
def test_pool_replaces_a_dead_worker():
    body = PAGE.read_bytes()
    stats = Stats()

    async def run() -> tuple[Outcome, Outcome]:
        pool = ExtractionPool(1, REGISTRY, stats)
        pool.open()
        try:
            first = await pool.extract(body, PAGE_URL, fetched_at=FETCHED_AT, host=None)
            for pid in wait_for(lambda: workers_of(os.getpid())):
                os.kill(pid, signal.SIGKILL)
            return first, await pool.extract(body, PAGE_URL, fetched_at=FETCHED_AT, host=None)
        finally:
            pool.close()

    first, second = asyncio.run(run())
    assert first.record is not None and second.record == first.record
    assert stats == {"crawler/extraction/processes": 1, "crawler/extraction/pool_restarts": 1}


def test_negative_process_count_is_refused():
    with pytest.raises(ValueError, match="0 or more"):
        ExtractionPool(-1, REGISTRY)


@linux_only
def test_a_page_whose_worker_stops_answering_is_dropped_and_the_pool_goes_on():
    """A worker stuck on a page (here stopped with SIGSTOP, as a runaway regex would hold it)
    costs that page, counted as extraction_timeout, and no other: the page queued behind it is
    extracted on the new pool, and so is the next one."""
    body = PAGE.read_bytes()
    stats = Stats()

    async def run() -> tuple[list[int], Outcome, Outcome, Outcome, Outcome]:
        pool = ExtractionPool(1, REGISTRY, stats, timeout=1.0)
        pool.open()
        try:
            first = await pool.extract(body, PAGE_URL, fetched_at=FETCHED_AT, host=None)
            stuck_workers = wait_for(lambda: workers_of(os.getpid()))
            for pid in stuck_workers:
                os.kill(pid, signal.SIGSTOP)
            # submitted together: both are past the timeout at once, only the older is to blame
            stuck_outcome, queued_outcome = await asyncio.gather(
                pool.extract(body, PAGE_URL, fetched_at=FETCHED_AT, host=None),
                pool.extract(body, PAGE_URL, fetched_at=FETCHED_AT, host=None),
            )
            after = await pool.extract(body, PAGE_URL, fetched_at=FETCHED_AT, host=None)
            return stuck_workers, first, stuck_outcome, queued_outcome, after
        finally:
            pool.close()

    stuck_workers, first, stuck, queued, after = asyncio.run(run())
    assert first.record is not None
    assert (stuck.record, stuck.drop) == (None, "extraction_timeout") and "1 s" in stuck.detail
    assert queued.record == first.record and after.record == first.record
    wait_for(lambda: not any(alive(pid) for pid in stuck_workers), timeout=10)
    assert stats == {"crawler/extraction/processes": 1, "crawler/extraction/pool_restarts": 1}


def test_a_negative_timeout_is_refused():
    with pytest.raises(ValueError, match="CRAWLER_EXTRACTION_TIMEOUT"):
        ExtractionPool(1, REGISTRY, timeout=-1)
