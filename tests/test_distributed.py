"""A distributed crawl (`crawler/distributed.py`) against a real Redis server on 127.0.0.1: three
worker processes share one crawl of a 2,000-article site, one of them is killed mid-crawl, and
every article is emitted exactly once; a re-run emits nothing new. Plus the pieces one by one:
the add-on, crawl names, the reliable queue, claims, the shared state and near-duplicate index.

The tests start their own `redis-server` (on a free port, no persistence) and are skipped when
it is not installed (`.ci/run` installs it)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

from crawler.dedup import normalize_url, signature
from crawler.distributed import (
    RedisAddon,
    Worker,
    begin_run,
    crawl_name,
    redis_client,
    worker_of,
)
from crawler.redis_state import RedisKeys, RedisState
from crawler.spiders.news import NewsSpider
from crawler.state import SqliteState
from tests.generated_site import build_site
from tests.site_server import serve
from tests.test_crawl import FAST, REPO, stats

REDIS_SERVER = shutil.which("redis-server")
if REDIS_SERVER is None and os.environ.get("CI"):
    # CI installs Redis (.ci/run): there, a missing server is a failure, not a reason to skip
    raise RuntimeError("redis-server is not installed, but CI must test the distributed mode")
pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed (apt-get install redis-server; .ci/run does)"
)

HOST = "depok.pikiran-rakyat.com"
PAGES = 2000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A redis-server of our own on 127.0.0.1, for this module; stopped afterwards."""
    assert REDIS_SERVER is not None
    port = _free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    client = redis_client(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except Exception:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def server(redis_url: str):
    client = redis_client(redis_url)
    client.flushdb()
    return client


# ---------------------------------------------------------------------------------------------
# End to end: three workers, one killed, then a re-run
# ---------------------------------------------------------------------------------------------


def _published(feeds: Path) -> list[Path]:
    return sorted(p for p in feeds.rglob("*.jsonl") if ".tmp" not in p.parts)


def _records(feeds: Path) -> list[dict]:
    # every line of every published file must parse: no file is half-written
    return [
        json.loads(line) for f in _published(feeds) for line in f.read_text(encoding="utf-8").splitlines()
    ]


def _scrapy(*args: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", *args]


def test_three_workers_one_killed_every_article_once_and_a_rerun_emits_nothing(tmp_path, redis_url, server):
    started = time.monotonic()
    site = build_site(tmp_path / "site", PAGES)
    expected = sorted(site["articles"])
    feeds = tmp_path / "feeds"
    with serve(tmp_path / "site") as base:
        spider_args = ["-a", f"site={HOST}", "-a", f"start_url={base}"]
        settings = [
            *FAST, "-s", f"CRAWLER_REDIS_URL={redis_url}", "-s", f"CRAWLER_FEED_URI={feeds}",
            "-s", "CRAWLER_FEED_BATCH_ITEMS=10", "-s", "CRAWLER_MONITOR_ENABLED=0",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "CRAWLER_WORKER_TIMEOUT=4",
            "-s", "CRAWLER_IDLE_CLOSE_SECONDS=2",
        ]  # fmt: skip
        push = subprocess.run(
            _scrapy("push", "news", "--redis", redis_url, *spider_args),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert push.returncode == 0, push.stderr[-3000:]
        assert json.loads(push.stdout)["queued"] == 5  # robots.txt, 2 feeds, index, home

        logs = {name: tmp_path / f"{name}.log" for name in ("w1", "w2", "w3")}
        workers = {
            name: subprocess.Popen(
                _scrapy("crawl", "news", *spider_args, *settings, "-s", f"CRAWLER_WORKER_ID={name}"),
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=log.open("w"),
            )
            for name, log in logs.items()
        }
        try:
            # kill w2 once it has published some records and is at work on more
            deadline = time.monotonic() + 60
            while not [p for p in _published(feeds) if "-w2-" in p.name]:
                assert time.monotonic() < deadline, "w2 published nothing"
                assert workers["w2"].poll() is None, logs["w2"].read_text()[-3000:]
                time.sleep(0.02)
            os.kill(workers["w2"].pid, signal.SIGKILL)
            killed_at = time.monotonic()
            workers["w2"].wait(timeout=10)
            by_w2 = [r for p in _published(feeds) if "-w2-" in p.name for r in _records_of(p)]
            for name in ("w1", "w3"):
                assert workers[name].wait(timeout=90) == 0, logs[name].read_text()[-3000:]
        finally:
            for process in workers.values():
                if process.poll() is None:
                    process.kill()
        finished = time.monotonic()

        records = _records(feeds)
        urls = [r["canonical_url"] for r in records]
        assert len(urls) == len(set(urls)), f"{len(urls) - len(set(urls))} articles emitted twice"
        assert sorted(urls) == expected, f"{len(set(expected) - set(urls))} articles missing"
        assert all(r["pages"] == 2 for r in records if int(r["url"].split("/pr-")[1].split("/")[0]) % 25 == 0)
        assert 0 < len(by_w2) < PAGES
        survivors = [stats(logs[name].read_text()) for name in ("w1", "w3")]
        # the killed worker's share went back to the queue and was done by the others
        assert sum(s.get("crawler/distributed/requeued", 0) for s in survivors) > 0
        assert sum(s.get("crawler/distributed/reaped_workers", 0) for s in survivors) == 1
        # the same article under two URLs (the home page's tracking links): one record
        assert sum(s.get("crawler/drop/duplicate_url", 0) for s in survivors) >= 1
        # only whole files are visible; the killed worker's open batches stay in .tmp
        assert not [p for p in feeds.rglob("*.partial") if ".tmp" not in p.parts]

        # a re-run: a new run pushed, one worker; nothing new to emit
        files_before = set(_published(feeds))
        push = subprocess.run(
            _scrapy("push", "news", "--redis", redis_url, *spider_args),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert push.returncode == 0 and "new run" in push.stderr, push.stderr
        rerun = subprocess.run(
            _scrapy("crawl", "news", *spider_args, *settings, "-s", "CRAWLER_WORKER_ID=w4"),
            cwd=REPO, capture_output=True, text=True, timeout=90,
        )  # fmt: skip
        assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert set(_published(feeds)) == files_before
    counters = stats(rerun.stderr)
    assert "crawler/feed/items" not in counters
    assert counters["crawler/incremental/skipped"] >= PAGES
    print(
        f"\n{PAGES} pages, 3 workers, one killed {killed_at - started:.1f}s in: crawl done in "
        f"{finished - started:.1f}s; whole test {time.monotonic() - started:.1f}s"
    )


def _records_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------------------------------------
# The add-on and crawl names
# ---------------------------------------------------------------------------------------------


def _crawler(settings: dict | None = None, **spider_args: str) -> Crawler:
    """A crawler of the project's settings (not started: its settings can still change)."""
    project = get_project_settings()
    project.setdict(settings or {}, priority="cmdline")
    crawler = Crawler(NewsSpider, project)
    crawler.spider = NewsSpider.from_crawler(crawler, **(spider_args or {"site": HOST}))
    return crawler


def test_the_addon_changes_nothing_without_a_redis_url():
    crawler = _crawler()
    before = crawler.settings.copy_to_dict()
    RedisAddon(crawler).update_settings(crawler.settings)
    assert crawler.settings.copy_to_dict() == before
    assert crawler.settings["SCHEDULER"] == "scrapy.core.scheduler.Scheduler"


def test_the_addon_switches_a_crawl_to_redis_by_settings_alone():
    crawler = _crawler({"CRAWLER_REDIS_URL": "redis://127.0.0.1:1/0"}, site=HOST)
    settings = crawler.settings
    RedisAddon(crawler).update_settings(settings)
    name = crawl_name(crawler.spider)
    assert settings["SCHEDULER"] == "crawler.distributed.RedisScheduler"
    assert settings["SCHEDULER_QUEUE_CLASS"] == "crawler.distributed.ReliableQueue"
    assert settings.getbool("SCHEDULER_PERSIST")
    assert settings["REDIS_URL"] == "redis://127.0.0.1:1/0"
    assert settings["CRAWLER_CRAWL_NAME"] == name
    assert settings["SCHEDULER_QUEUE_KEY"] == f"crawler:{name}:requests"
    assert settings["SCHEDULER_DUPEFILTER_KEY"] == f"crawler:{name}:dupefilter"
    pipelines = settings.getdict("ITEM_PIPELINES")
    assert any("DistributedFeedPipeline" in str(k) for k in pipelines)
    assert not any(str(k).endswith(".PartitionedFeedPipeline") for k in pipelines)


def test_crawl_names_follow_the_sites_not_the_window():
    one = NewsSpider(site=HOST)
    assert crawl_name(one) == crawl_name(NewsSpider(site=HOST, since="2026-11-01"))
    assert crawl_name(one).startswith(f"news:{HOST}:")
    assert crawl_name(one) != crawl_name(NewsSpider(site=HOST, start_url="http://127.0.0.1:8000/"))
    assert crawl_name(one) != crawl_name(NewsSpider(site=f"{HOST},solo.tribunnews.com"))
    assert crawl_name(NewsSpider(site=f"{HOST},solo.tribunnews.com")) == crawl_name(
        NewsSpider(site=f"solo.tribunnews.com,{HOST}")
    )


# ---------------------------------------------------------------------------------------------
# The worker protocol, on a real Redis
# ---------------------------------------------------------------------------------------------

KEYS = RedisKeys("crawler:test")


def _worker(server, worker_id: str, **kwargs) -> Worker:
    worker = Worker(server, KEYS, worker_id=worker_id, **kwargs)
    worker.register()
    return worker


def _push(server, *urls: str) -> None:
    for n, url in enumerate(urls):
        server.zadd(KEYS.queue, {f"request {url}": -n})


def test_a_dead_workers_requests_go_back_to_the_queue(server):
    first, second = _worker(server, "a", timeout=60), _worker(server, "b", timeout=60)
    _push(server, "u1", "u2", "u3")
    assert first.pop(KEYS.queue) is not None and first.pop(KEYS.queue) is not None
    assert server.zcard(KEYS.queue) == 1 and server.hlen(KEYS.inflight(first.instance)) == 2
    assert second.reap() == 0  # its heartbeat is alive: nothing taken from it
    server.delete(KEYS.heartbeat(first.instance))  # as if it had stopped for longer than the timeout
    assert second.reap() == 2
    assert server.zcard(KEYS.queue) == 3 and not server.exists(KEYS.inflight(first.instance))
    assert not first.heartbeat()  # it learns it was taken for dead
    assert first.pop(KEYS.queue) is None  # and takes nothing more
    assert not first.crawl_idle()  # b still has the requests to do


def test_a_request_keeps_its_priority_when_requeued(server):
    first, second = _worker(server, "a"), _worker(server, "b")
    server.zadd(KEYS.queue, {b"late": 5, b"urgent": -10})
    token, data = first.pop(KEYS.queue)
    assert data == b"urgent" and token.startswith("-10 ")
    server.delete(KEYS.heartbeat(first.instance))
    second.reap()
    assert server.zrange(KEYS.queue, 0, -1, withscores=True) == [(b"urgent", -10.0), (b"late", 5.0)]


def test_one_claim_per_article_across_workers_released_only_when_unpublished(server):
    first, second = _worker(server, "a"), _worker(server, "b")
    assert first.claim("https://x.example/1") == 1
    assert second.claim("https://x.example/1") == 0
    assert first.claim("https://x.example/2") == 1
    assert first.commit([(None, "https://x.example/2")])  # its file was published
    server.delete(KEYS.heartbeat(first.instance))
    second.reap()
    assert second.claim("https://x.example/1") == 1  # never published: the survivor emits it
    assert second.claim("https://x.example/2") == 0  # published: stays emitted


def test_a_worker_killed_between_rename_and_commit_is_committed_by_its_reaper(server, tmp_path):
    first, second = _worker(server, "a"), _worker(server, "b")
    _push(server, "u1", "u2")
    (token1, _), (token2, _) = first.pop(KEYS.queue), first.pop(KEYS.queue)
    k1, k2 = "https://x.example/1", "https://x.example/2"
    assert first.claim(k1) == 1 and first.claim(k2) == 1
    done, lost = tmp_path / "done.jsonl", tmp_path / "lost.jsonl"
    first.intend("batch1", str(done), [(token1, k1)], [{"url": k1, "content_hash": "sha1:1"}])
    first.intend("batch2", str(lost), [(token2, k2)], [{"url": k2, "content_hash": "sha1:2"}])
    done.write_text("{}\n")  # batch1 was renamed into place, then the worker died
    server.delete(KEYS.heartbeat(first.instance))
    assert second.reap() == 1  # only u2's request goes back
    assert second.claim(k1) == 0 and second.claim(k2) == 1
    assert second.state.was_emitted(k1).content_hash == "sha1:1"
    assert second.state.was_emitted(k2) is None


def test_a_live_worker_id_cannot_be_used_twice(server):
    _worker(server, "w1")
    with pytest.raises(RuntimeError, match="in use by a live worker"):
        _worker(server, "w1")


def test_a_run_begins_once_and_the_last_worker_out_ends_it(server):
    server.sadd(KEYS.dupefilter, "old fingerprint")
    assert begin_run(server, KEYS)
    assert not server.exists(KEYS.dupefilter)  # the previous run's dupefilter is gone
    assert not begin_run(server, KEYS)
    first, second = _worker(server, "a"), _worker(server, "b")
    first.leave()
    assert server.exists(KEYS.seeded)
    second.leave()
    assert not server.exists(KEYS.seeded)
    assert begin_run(server, KEYS)


def test_the_crawl_is_idle_only_when_every_member_is(server):
    first, second = _worker(server, "a"), _worker(server, "b")
    assert not first.crawl_idle()  # b has not said it is idle
    assert second.crawl_idle() and first.crawl_idle()
    _push(server, "u1")
    assert not first.crawl_idle()
    second.pop(KEYS.queue)
    assert not first.crawl_idle()  # b is processing it


# ---------------------------------------------------------------------------------------------
# The shared state
# ---------------------------------------------------------------------------------------------

BODY = " ".join(f"kata{n} warga depok membersihkan lumpur sisa banjir" for n in range(12))


def test_redis_state_answers_like_sqlite_state(server, tmp_path):
    stores = [RedisState(server, KEYS, instance="a"), SqliteState(tmp_path / "state.sqlite3")]
    url = "https://depok.pikiran-rakyat.com/depok/pr-1/a"
    answers = []
    for state in stores:
        got = [state.should_fetch(url, None)]
        state.mark_fetched(url, "2026-11-19T20:15:00+07:00")
        state.mark_fetched(url, None)  # an unknown lastmod keeps the known one
        got += [
            state.should_fetch(url, "2026-11-19T20:15:00+07:00"),
            state.should_fetch(url, "2026-11-21T08:00:00+07:00"),
            state.was_emitted(url),
        ]
        state.mark_emitted(url, "sha1:abc", None)
        got.append(state.was_emitted(url))
        sig = signature(BODY)
        state.mark_signature(url, sig, url)
        got.append([(k, s == sig, o) for k, s, o in state.signatures()])
        state.commit()
        answers.append(got)
    assert answers[0] == answers[1]


def test_a_copy_is_linked_to_an_original_another_worker_saw(server):
    one, other = RedisState(server, KEYS, instance="a"), RedisState(server, KEYS, instance="b")
    original = "https://depok.pikiran-rakyat.com/depok/pr-1/banjir"
    one.near_duplicate_index().add(original, signature(BODY), original)
    copy = signature("Oleh wartawan lain. " + BODY + " Demikian laporan kami.")
    found = other.near_duplicate_index().find(copy, exclude="https://solo.tribunnews.com/x")
    assert found is not None and found[1] == original and found[2] >= 0.5
    assert other.near_duplicate_index().find(copy, exclude=original) is None


def test_replacing_and_pruning_signatures_leaves_no_trace(server):
    state = RedisState(server, KEYS, instance="a")
    index = state.near_duplicate_index()
    first, second = (
        signature(BODY),
        signature("Lain cerita. " + " ".join(f"kabar{n} pasar kemirimuka ramai" for n in range(20))),
    )
    index.add("https://x.example/1", first, "https://x.example/1")
    index.add("https://x.example/1", second, "https://x.example/1")  # the story was rewritten
    assert len(index) == 1 and index.find(first) is None
    assert index.find(second)[0] == "https://x.example/1"
    assert index.prune(3600) == 0
    assert index.prune(-1) == 1  # everything is older than "a second from now"
    assert len(index) == 0 and not server.exists(KEYS.lsh) and not server.exists(KEYS.sigids)


def test_two_crawls_on_one_redis_do_not_mix(server):
    a = RedisState(server, RedisKeys("crawler:news:a"), instance="x")
    b = RedisState(server, RedisKeys("crawler:news:b"), instance="x")
    a.mark_emitted("https://x.example/1", "sha1:1", None)
    assert b.was_emitted("https://x.example/1") is None
    assert all(k.startswith(b"crawler:news:a:") for k in server.keys("*"))


def test_push_leaves_a_run_under_way_alone(server, redis_url):
    args = ["--redis", redis_url, "-a", f"site={HOST}", "-a", "start_url=http://127.0.0.1:9/"]
    first = subprocess.run(
        _scrapy("push", "news", *args), cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert first.returncode == 0 and "new run, 5 seed requests pushed" in first.stderr, first.stderr
    again = subprocess.run(
        _scrapy("push", "news", *args), cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0 and "a run is under way; nothing pushed" in again.stderr
    assert json.loads(again.stdout)["queued"] == 5


def test_requests_pushed_by_the_command_come_back_whole(server, redis_url):
    """What workers pop is what `push` queued: a spider request with its callback and target."""
    subprocess.run(
        _scrapy("push", "news", "--redis", redis_url, "-a", f"site={HOST}"),
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=60,
    )
    crawler = _crawler({"CRAWLER_REDIS_URL": redis_url, "CRAWLER_WORKER_ID": "t"}, site=HOST)
    RedisAddon(crawler).update_settings(crawler.settings)
    from crawler.distributed import ReliableQueue, worker_of

    worker = worker_of(crawler)
    worker.register()
    queue = ReliableQueue(worker.server, crawler.spider, worker.keys.queue)
    requests = [queue.pop() for _ in range(5)]
    assert queue.pop() is None
    assert all(isinstance(r, Request) for r in requests)
    assert {r.callback.__name__ for r in requests} == {"parse_robots", "parse_feed", "parse_index"}
    assert {r.cb_kwargs["target"].host for r in requests} == {HOST}
    assert len(worker.processing) == 5 and server.hlen(worker.keys.inflight(worker.instance)) == 5


def test_a_copy_dropped_while_a_dead_worker_held_its_claim_is_emitted_when_that_request_comes_back(
    server, redis_url
):
    """The home page's tracking link and the sitemap reach one article under two URLs. Worker w2
    holds the article's claim (its record sits in an unpublished batch) when w1's copy arrives:
    w1 drops it. w2 is killed; its request comes back, to w1: this time w1 must emit the
    record, and none of its pipelines may remember the copy it dropped."""
    crawler = _crawler({"CRAWLER_REDIS_URL": redis_url, "CRAWLER_WORKER_ID": "w1"}, site=HOST)
    RedisAddon(crawler).update_settings(crawler.settings)  # the pipelines of a worker, in order
    crawler.stats = load_object(crawler.settings["STATS_CLASS"])(crawler)
    pipelines = []
    for path in build_component_list(crawler.settings.getwithbase("ITEM_PIPELINES")):
        with contextlib.suppress(NotConfigured):  # as Scrapy builds them: the feed is off here
            pipelines.append(load_object(path).from_crawler(crawler))
    w1 = worker_of(crawler)
    w1.register()
    w2 = Worker(server, w1.keys, worker_id="w2", timeout=60)
    w2.register()
    record = json.loads(
        (REPO / "tests/fixtures/pages/pikiran-rakyat-depok-2022.expected.json").read_text("utf-8")
    )
    canonical = record["canonical_url"]

    def through_pipelines(url: str) -> dict:
        item = {**record, "url": url}
        for pipeline in pipelines:
            item = pipeline.process_item(item)
        return item

    assert w2.claim(normalize_url(canonical)) == 1  # w2's record, not yet published
    with pytest.raises(DropItem, match="emitted by another worker"):
        through_pipelines(canonical)
    server.delete(w2.keys.heartbeat(w2.instance))  # w2 was killed
    w1.reap()
    assert through_pipelines(f"{canonical}?utm_source=home")["canonical_url"] == canonical
