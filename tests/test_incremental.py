"""Incremental runs (`crawler/incremental.py`): with CRAWLER_STATE_DIR, a re-run emits only new
articles and updates; JOBDIR pause/resume loses and repeats nothing; two runs never share a
state directory. End to end with `scrapy crawl news` against the fixture sites, plus the
middleware's decisions in order."""

from __future__ import annotations

import json
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.extraction.core import extract_page
from crawler.incremental import IncrementalMiddleware, crawl_run
from crawler.spiders.news import NewsSpider
from crawler.state import SqliteState
from tests.site_server import SiteHandler, serve
from tests.test_crawl import FAST, FLOOD, PR_HOST, REPO, SITES, TRIBUN_HOST, crawl, stats

FLOOD_URL = f"https://{PR_HOST}/{FLOOD}"
ALL_FOUR = {
    f"https://{PR_HOST}/depok/pr-0931002/pemkot-depok-resmikan-taman-baru-di-sawangan",
    FLOOD_URL,
    f"https://{TRIBUN_HOST}/2026/11/18/pedagang-pasar-klewer-tempati-kios-baru",
    f"https://{TRIBUN_HOST}/2026/11/19/warga-solo-gotong-royong-bersihkan-kali-pepe",
}


class SlowHandler(SiteHandler):
    """A site that takes its time, so that a crawl can be stopped half-way."""

    delay = 0.0

    def do_GET(self) -> None:
        time.sleep(self.delay)
        super().do_GET()


@contextmanager
def serve_slowly(root: Path, delay: float) -> Iterator[str]:
    handler = partial(
        type("Slow", (SlowHandler,), {"delay": delay}), root=root, ignore_page_param=False, strict_pages=False
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def start_crawl(*args: str) -> subprocess.Popen:
    """`scrapy crawl news` in the background; `args` come after FAST, so they win."""
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "news", *FAST, *args],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_feed(path: Path) -> list[dict]:
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


# ---------------------------------------------------------------------------------------------
# End to end
# ---------------------------------------------------------------------------------------------


def test_a_rerun_emits_nothing_new_and_a_changed_lastmod_emits_an_update(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "pikiran-rakyat", site)
    state = ["-s", f"CRAWLER_STATE_DIR={tmp_path / 'state'}"]
    with serve(site) as pr:
        args = ["-a", f"site={PR_HOST}", "-a", f"start_url={pr}", *state]
        first, _ = crawl(tmp_path, *args, name="first")
        assert {r["canonical_url"] for r in first} == {u for u in ALL_FOUR if PR_HOST in u}

        # (a) nothing changed: nothing emitted, the articles not even fetched
        second, log = crawl(tmp_path, *args, name="second")
        assert second == []
        counters = stats(log)
        assert counters["crawler/incremental/skipped"] >= 2
        assert "crawler/incremental/new" not in counters
        assert "crawler/pagination/stitched" not in counters  # the 3-page story was not fetched

        # (b) the sitemap says the flood story changed, and it did (a correction on page 1)
        sitemap = site / "sitemap_news.xml"
        sitemap.write_text(
            sitemap.read_text(encoding="utf-8").replace(
                f"<loc>/{FLOOD}</loc>", f"<loc>/{FLOOD}</loc><lastmod>2026-11-21T08:00:00+07:00</lastmod>"
            ),
            encoding="utf-8",
        )
        page = site / f"{FLOOD}.html"
        html = page.read_text(encoding="utf-8")
        assert "tiga kecamatan" in html
        page.write_text(html.replace("tiga kecamatan", "empat kecamatan", 1), encoding="utf-8")
        third, log = crawl(tmp_path, *args, name="third")

    assert [r["canonical_url"] for r in third] == [FLOOD_URL]
    before = next(r for r in first if r["canonical_url"] == FLOOD_URL)
    assert third[0]["content_hash"] != before["content_hash"]
    assert third[0]["pages"] == 3  # still stitched: the later pages were fetched with it
    counters = stats(log)
    assert counters["crawler/incremental/updated"] == 1
    assert counters["crawler/incremental/skipped"] >= 1


def test_a_stopped_crawl_resumed_from_its_jobdir_loses_and_repeats_nothing(tmp_path):
    jobdir, state = tmp_path / "job", tmp_path / "state"
    # One request at a time: a graceful stop finishes what the downloader holds, and with the
    # default concurrency that is the whole of this small crawl.
    with serve_slowly(SITES / "pikiran-rakyat", 0.1) as pr, serve_slowly(SITES / "tribun", 0.1) as tribun:
        args = [
            "-a", f"site={PR_HOST},{TRIBUN_HOST}", "-a", f"start_url={pr},{tribun}",
            "-s", f"JOBDIR={jobdir}", "-s", f"CRAWLER_STATE_DIR={state}", "-s", "LOG_LEVEL=DEBUG",
            "-s", "CONCURRENT_REQUESTS=1",
        ]  # fmt: skip
        first = start_crawl(*args, "-O", f"{tmp_path / 'first.jsonl'}:jsonlines")
        assert first.stderr is not None
        log = []
        for line in first.stderr:  # stop it once the first article is out
            log.append(line)
            if "Scraped from" in line:
                first.send_signal(signal.SIGINT)
                break
        log += first.stderr.readlines()
        first.wait(timeout=60)  # (its exit status is the monitor's verdict on a half run)
        assert "Spider closed (shutdown)" in "".join(log), "".join(log)[-3000:]
        stopped = read_feed(tmp_path / "first.jsonl")
        assert 1 <= len(stopped) < 4, "the crawl was not stopped half-way"

        resumed, log2 = crawl(tmp_path, *args, name="resumed")
    urls = [r["canonical_url"] for r in stopped + resumed]
    assert sorted(urls) == sorted(ALL_FOUR), "".join(log)[-2000:] + log2[-2000:]


def test_the_spiders_requests_stay_serializable_after_a_page_was_extracted():
    """What the JOBDIR scheduler does with every request it queues (`request.to_dict`, then
    pickle), for a start request yielded after the first article was extracted: in a crawl of
    many sites start() is read lazily, so much of the queue is in this case. Before site
    profiles dropped their compiled selectors when pickled (fda32c7), 74 of 128 requests of an
    8-site crawl were 'scheduler/unserializable': kept in memory, lost on pause."""
    spider = NewsSpider(site=PR_HOST, start_url="http://127.0.0.1:8000/")
    (target,) = spider.targets
    page = SITES / "pikiran-rakyat" / f"{FLOOD}.html"
    extract_page(page.read_bytes(), f"http://127.0.0.1:8000/{FLOOD}", registry=spider.registry, host=PR_HOST)
    request = spider._request(target.url("/rss.xml"), spider.parse_feed, target, source="feed")
    restored = pickle.loads(pickle.dumps(request.to_dict(spider=spider), protocol=4))
    assert restored["cb_kwargs"]["target"] == target


def test_two_crawls_on_one_state_directory_never_overlap(tmp_path):
    state = tmp_path / "state"
    # a slow site and one request at a time: the first crawl is still running, and stops soon
    with serve_slowly(SITES / "pikiran-rakyat", 0.5) as pr:
        args = ["-a", f"site={PR_HOST}", "-a", f"start_url={pr}", "-s", f"CRAWLER_STATE_DIR={state}"]
        first = start_crawl(
            *args, "-s", "CONCURRENT_REQUESTS=1", "-O", f"{tmp_path / 'first.jsonl'}:jsonlines"
        )
        try:
            deadline = time.monotonic() + 30
            while not (state / "lock").exists():  # the first crawl is set up
                assert time.monotonic() < deadline and first.poll() is None
                time.sleep(0.05)
            started = time.monotonic()
            second = start_crawl(*args, "-O", f"{tmp_path / 'second.jsonl'}:jsonlines")
            _, log = second.communicate(timeout=60)
            assert first.poll() is None, "the first crawl was over before the second one started"
        finally:
            first.send_signal(signal.SIGINT)
            first.communicate(timeout=60)
    assert second.returncode != 0
    assert f"another crawl holds the lock on {state}" in log
    assert time.monotonic() - started < 15  # at once, not after the first crawl
    assert not (tmp_path / "second.jsonl").exists()


# ---------------------------------------------------------------------------------------------
# The middleware's decisions, in the order a crawl makes them
# ---------------------------------------------------------------------------------------------

ARTICLE = "https://depok.pikiran-rakyat.com/nasional/pr-0931001/banjir"


def article_request(url: str, lastmod: str | None) -> Request:
    return Request(url, meta={"crawler_article": True, "crawler_lastmod": lastmod})


def test_a_known_article_from_the_home_page_does_not_hide_its_newer_sitemap_entry(tmp_path):
    """The home page links the article without a date and comes first; the sitemap lists it
    with a newer lastmod afterwards. The first request must not reach the scheduler (its
    dupefilter would then drop the second one as a repeat)."""
    directory = tmp_path / "state"
    with SqliteState(directory / "state.sqlite3") as state:
        state.mark_fetched(ARTICLE, "2026-11-19T20:15:00+07:00")
    crawler = get_crawler(settings_dict={"CRAWLER_STATE_DIR": str(directory)})
    crawler.stats.open_spider()
    middleware = IncrementalMiddleware.from_crawler(crawler)
    home = HtmlResponse(
        "https://depok.pikiran-rakyat.com/",
        body=b"<html></html>",
        request=Request("https://depok.pikiran-rakyat.com/"),
    )
    from_home = [
        article_request(f"{ARTICLE}?utm_source=home", None),
        article_request(ARTICLE.replace("https://", "https://m."), None),
    ]
    from_sitemap = [article_request(ARTICLE + "/amp", "2026-11-21T08:00:00+07:00")]
    assert list(middleware.process_spider_output(home, from_home)) == []
    assert list(middleware.process_spider_output(home, from_sitemap)) == from_sitemap
    assert crawler.stats.get_value("crawler/incremental/skipped") == 2
    crawl_run(crawler).close()


def test_the_origin_of_an_article_travels_with_its_next_pages(tmp_path):
    crawler = get_crawler(settings_dict={"CRAWLER_STATE_DIR": str(tmp_path / "state")})
    crawler.stats.open_spider()
    middleware = IncrementalMiddleware.from_crawler(crawler)
    request = article_request(ARTICLE, "2026-11-19T20:15:00+07:00")
    request.meta["redirect_urls"] = ["https://depok.pikiran-rakyat.com/lama/pr-0931001"]
    page1 = HtmlResponse(ARTICLE, body=b"<html></html>", request=request)
    (page2,) = middleware.process_spider_output(page1, [Request(ARTICLE + "?page=2")])
    assert page2.meta["crawler_incremental"] == {
        "keys": [
            "https://depok.pikiran-rakyat.com/lama/pr-0931001",
            "https://depok.pikiran-rakyat.com/nasional/pr-0931001/banjir",
        ],
        "lastmod": "2026-11-19T20:15:00+07:00",
    }
    # nothing remembered yet: the story is not complete until its last page came
    assert crawl_run(crawler).state.should_fetch(ARTICLE, None)
    crawl_run(crawler).close()
