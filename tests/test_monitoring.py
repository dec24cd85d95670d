"""Run monitoring (crawler/monitoring.py) and the `crawl` command's exit status
(crawler/commands/crawl.py): every check on tiny inline summaries, the per-site attribution,
the report, and end-to-end `scrapy crawl news` runs against the fixture sites on 127.0.0.1."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import scrapy
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from crawler.monitoring import (
    MonitorExtension,
    RunSummary,
    SiteCounters,
    Thresholds,
    check_coverage,
    check_drop_rate,
    check_error_rate,
    check_fallback_rate,
    check_items,
    drop_reason,
    failures_from_stats,
    json_safe,
    render_html,
    report_stem,
    run_checks,
    summarize,
    wilson_interval,
)
from tests.site_server import serve

REPO = Path(__file__).resolve().parent.parent
SITES = REPO / "tests" / "fixtures" / "site"
PR_HOST, TRIBUN_HOST = "depok.pikiran-rakyat.com", "solo.tribunnews.com"
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
DEFAULT = Thresholds()
STRICT = Thresholds(confidence=0)  # the measured rates themselves, no benefit of the doubt


def site(**kwargs) -> SiteCounters:
    """Counters of a site whose items all have every field, unless told otherwise."""
    items = kwargs.pop("items", 0)
    covered = Counter({f: items for f in ("title", "body", "published_at", "authors")})
    covered.update(kwargs.pop("covered", {}))
    drops = Counter(kwargs.pop("drops", {}))
    return SiteCounters(items=items, covered=+covered, drops=drops, **kwargs)


def rows(page: str) -> list[list[str]]:
    """The cell texts of every table row of an HTML report."""
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page)]


def record(**fields) -> dict:
    base = {"title": "Judul", "body": "kata " * 60, "word_count": 60, "published_at": "2026-11-19",
            "authors": ["Dimas"], "extractor": "pikiran-rakyat@2020", "site": PR_HOST}  # fmt: skip
    return {**base, **fields}


# ---------------------------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------------------------


def test_add_item_counts_non_empty_fields_a_full_body_and_fallbacks():
    counters = SiteCounters()
    counters.add_item(record())
    counters.add_item(record(title="", authors=[], published_at=None, body="kata " * 49, word_count=49))
    counters.add_item(record(extractor="pikiran-rakyat@2020+generic"))
    counters.add_item(record(extractor="generic", body="kata " * 50, word_count=None))  # words counted
    assert counters.items == 4
    assert counters.covered == Counter(title=3, body=3, published_at=3, authors=3)
    assert counters.fallback == 1


def test_wilson_interval():
    assert wilson_interval(1, 2, 0) == (0.5, 0.5)
    low, high = wilson_interval(0, 2, 0.95)
    assert low == 0 and high == pytest.approx(0.658, abs=0.001)
    low, high = wilson_interval(95, 100, 0.95)
    assert low == pytest.approx(0.888, abs=0.001) and high == pytest.approx(0.978, abs=0.001)
    assert wilson_interval(0, 0, 0.95) == (0.0, 1.0)


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counters", "ok", "detail"),
    [
        (site(items=3), True, "3 items"),
        # found, nothing new since the last run: a success
        (site(drops={"already_emitted": 4}), True, "nothing new: 0 new items, 4 already emitted"),
        (site(skipped=7), True, "nothing new: 0 new items, 7 already emitted"),
        # found nothing at all: a failure
        (site(), False, "no articles found (0 article pages fetched)"),
        (site(article_pages=5, drops={"no_story": 5}), False, "no articles found (5 article pages fetched)"),
    ],
)
def test_items_check(counters, ok, detail):
    result = check_items(PR_HOST, counters, DEFAULT)
    assert (result.name, result.site, result.ok, result.detail) == ("items", PR_HOST, ok, detail)


def test_items_check_with_a_higher_minimum_counts_what_was_found():
    thresholds = Thresholds(min_items=5)
    result = check_items(PR_HOST, site(items=2, skipped=3), thresholds)
    assert result.ok and result.detail == "2 new items, 3 already emitted"
    result = check_items(PR_HOST, site(items=2, skipped=1), thresholds)
    assert not result.ok and result.detail == "2 new + 1 already emitted items, fewer than 5"


def test_items_check_accepts_already_emitted_articles_no_site_could_be_given():
    result = check_items(PR_HOST, site(), DEFAULT, unattributed_found=3)
    assert result.ok and result.detail.startswith("nothing new")


def test_coverage_check_per_field():
    counters = site(items=20, covered={"authors": -20, "published_at": -2})  # no bylines, 18/20 dates
    results = {r.name: r for r in check_coverage(PR_HOST, counters, DEFAULT)}
    assert list(results) == ["coverage/title", "coverage/body", "coverage/published_at", "coverage/authors"]
    assert [r.ok for r in results.values()] == [True, True, True, False]
    assert results["coverage/authors"].detail == "0/20 = 0% (min 50%)"
    assert results["coverage/published_at"].detail == "18/20 = 90% (min 80%)"


def test_coverage_check_gives_small_samples_the_benefit_of_the_doubt():
    counters = site(items=2, covered={"authors": -2})
    (authors,) = [r for r in check_coverage(PR_HOST, counters, DEFAULT) if r.name == "coverage/authors"]
    assert authors.ok and "too few items to tell (could be up to 66%)" in authors.detail
    # ...but not when both items lack a title (the sample is enough against 95%)
    (title,) = [
        r
        for r in check_coverage(PR_HOST, site(items=2, covered={"title": -2}), DEFAULT)
        if r.name == "coverage/title"
    ]
    assert not title.ok
    # confidence 0: the measured share decides
    (strict,) = [r for r in check_coverage(PR_HOST, counters, STRICT) if r.name == "coverage/authors"]
    assert not strict.ok


def test_coverage_check_without_items_or_for_fields_not_asked():
    assert all(r.ok and r.detail == "no items" for r in check_coverage(PR_HOST, site(), DEFAULT))
    results = check_coverage(PR_HOST, site(items=1), Thresholds(min_coverage={"title": 1.0}))
    assert [r.name for r in results] == ["coverage/title"]


@pytest.mark.parametrize(
    ("counters", "ok", "detail"),
    [
        (site(responses=40), True, "0/40 requests = 0% (max 10%)"),
        (site(responses=0, failed_downloads=6), False, "6/6 requests = 100% (max 10%)"),
        (site(responses=38, errors=2), True, "2/38 requests = 5% (max 10%)"),
        (site(responses=30, errors=10, failed_downloads=10), False, "20/40 requests = 50% (max 10%)"),
        (site(responses=0), True, "no requests"),
    ],
)
def test_error_rate_check(counters, ok, detail):
    result = check_error_rate(PR_HOST, counters, DEFAULT)
    assert (result.name, result.ok, result.detail) == ("error_rate", ok, detail)


@pytest.mark.parametrize(
    ("counters", "thresholds", "ok"),
    [
        (site(items=10, fallback=1), DEFAULT, True),
        (site(items=10, fallback=6), DEFAULT, False),  # the profile's selectors no longer match
        (site(items=2, fallback=1), DEFAULT, True),  # one of two: could be chance
        (site(items=2, fallback=1), STRICT, False),
        (site(items=0), DEFAULT, True),
    ],
)
def test_fallback_rate_check(counters, thresholds, ok):
    result = check_fallback_rate(PR_HOST, counters, thresholds)
    assert result.name == "fallback_rate" and result.ok is ok


def test_drop_rate_check_counts_only_drops_that_mean_trouble():
    benign = site(items=2, article_pages=20, drops={"already_emitted": 8, "out_of_window": 5, "http_404": 5})
    assert check_drop_rate(PR_HOST, benign, DEFAULT).detail == "0/20 article pages = 0% (max 50%)"
    broken = site(items=2, article_pages=20, drops={"no_title": 12, "soft_404": 6})
    result = check_drop_rate(PR_HOST, broken, DEFAULT)
    assert not result.ok and result.detail == "18/20 article pages = 90% (max 50%)"


def test_rate_checks_never_count_more_bad_than_total():
    result = check_drop_rate(
        PR_HOST, site(items=0, article_pages=2, drops={"not_html": 2, "missing_page": 2}), STRICT
    )
    assert not result.ok and result.detail == "2/2 article pages = 100% (max 50%)"


def test_drop_rate_check_bounds_unattributed_drops_by_the_run_s_problem_drops():
    counters = site(items=2, article_pages=20, drops={"unattributed": 18})
    assert check_drop_rate(PR_HOST, counters, DEFAULT, unattributed_problems=0).ok  # all benign
    assert not check_drop_rate(PR_HOST, counters, DEFAULT, unattributed_problems=30).ok


def test_run_checks_covers_every_site_in_order():
    summary = RunSummary(sites={TRIBUN_HOST: site(items=3, responses=10), PR_HOST: site()})
    results = run_checks(summary, DEFAULT)
    assert [(r.site, r.name) for r in results][:8] == [
        (PR_HOST, "items"),
        (PR_HOST, "coverage/title"),
        (PR_HOST, "coverage/body"),
        (PR_HOST, "coverage/published_at"),
        (PR_HOST, "coverage/authors"),
        (PR_HOST, "error_rate"),
        (PR_HOST, "fallback_rate"),
        (PR_HOST, "drop_rate"),
    ]
    assert len(results) == 16
    assert [(r.site, r.name) for r in results if not r.ok] == [(PR_HOST, "items")]


def test_run_without_any_site_is_checked_as_a_whole():
    (result,) = run_checks(RunSummary(), DEFAULT)
    assert (result.site, result.name, result.ok) == ("*", "items", False)
    (result,) = run_checks(RunSummary(skipped=5), DEFAULT)
    assert result.ok and result.detail.startswith("nothing new")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_coverage": {"tittle": 0.9}}, "unknown field(s) ['tittle']"),
        ({"min_coverage": {"title": 1.5}}, "title must be a share between 0 and 1"),
        ({"max_error_rate": -0.1}, "max_error_rate must be a share"),
        ({"confidence": 1}, "confidence must be in [0, 1)"),
    ],
)
def test_thresholds_are_validated(kwargs, message):
    with pytest.raises(ValueError, match=None) as info:
        Thresholds(**kwargs)
    assert message in str(info.value)


# ---------------------------------------------------------------------------------------------
# Per-site attribution of what the spider counts for the whole run
# ---------------------------------------------------------------------------------------------


def test_summarize_gives_a_one_site_run_every_drop_and_skip():
    observed = {PR_HOST: site(items=2, article_pages=6, drops={"http_404": 2})}
    stats = {"crawler/drop/http_404": 2, "crawler/drop/no_story": 1, "crawler/drop/already_emitted": 1,
             "crawler/incremental/skipped": 4, "crawler/drop/ignored/nested": 9}  # fmt: skip
    summary = summarize(observed, stats)
    counters = summary.sites[PR_HOST]
    assert counters.drops == Counter(http_404=2, no_story=1, already_emitted=1)  # http_404 not doubled
    assert counters.skipped == 4 and counters.found == 7
    assert summary.drops == Counter(http_404=2, no_story=1, already_emitted=1)
    assert observed[PR_HOST].drops == Counter(http_404=2)  # the input is left alone


def test_summarize_gives_the_run_s_drops_to_the_only_site_with_unexplained_pages():
    observed = {
        PR_HOST: site(items=2, article_pages=5, drops={"http_404": 2}),  # one page unexplained
        TRIBUN_HOST: site(items=2, article_pages=2),
    }
    summary = summarize(observed, {"crawler/drop/http_404": 2, "crawler/drop/no_story": 1})
    assert summary.sites[PR_HOST].drops == Counter(http_404=2, no_story=1)
    assert summary.sites[TRIBUN_HOST].drops == Counter()
    assert not summary.unattributed


def test_summarize_keeps_drops_of_several_sites_unattributed():
    observed = {PR_HOST: site(items=1, article_pages=4), TRIBUN_HOST: site(items=1, article_pages=3)}
    stats = {"crawler/drop/no_story": 3, "crawler/drop/out_of_window": 2, "crawler/incremental/skipped": 6}
    summary = summarize(observed, stats)
    assert summary.sites[PR_HOST].drops == Counter(unattributed=3)
    assert summary.sites[TRIBUN_HOST].drops == Counter(unattributed=2)
    assert summary.unattributed == Counter(no_story=3, out_of_window=2)
    assert summary.unattributed_problems == 3 and summary.unattributed_found == 6
    assert summary.sites[PR_HOST].skipped == 0  # skips of a several-site run stay run-wide


def test_summarize_counts_a_pipeline_s_drop_once_whether_or_not_it_is_in_the_stats():
    observed = {PR_HOST: site(article_pages=3, drops={"already_emitted": 3})}
    assert summarize(observed, {"crawler/drop/already_emitted": 3}).sites[PR_HOST].drops == Counter(
        already_emitted=3
    )
    assert summarize(observed, {}).sites[PR_HOST].drops == Counter(already_emitted=3)


@pytest.mark.parametrize(
    ("exception", "reason"),
    [
        (DropItem("already_emitted"), "already_emitted"),
        (DropItem("Already emitted: https://example.id/a"), "already_emitted"),
        (DropItem(""), "DropItem"),
    ],
)
def test_drop_reason(exception, reason):
    assert drop_reason(exception) == reason


# ---------------------------------------------------------------------------------------------
# Stats and report
# ---------------------------------------------------------------------------------------------


def test_failures_from_stats():
    stats = {"crawler/monitor/failed": 2, "crawler/monitor/failed/a.id/coverage/title": 1,
             "crawler/monitor/failed/b.id/items": 1, "crawler/monitor/passed": 14}  # fmt: skip
    assert failures_from_stats(stats) == ["coverage/title at a.id", "items at b.id"]


def test_json_safe_and_report_stem():
    start = datetime(2026, 11, 25, 3, 15, tzinfo=UTC)
    assert json_safe({"start_time": start, "n": 1, "t": (1, {2}), "x": object}) == {
        "start_time": "2026-11-25T03:15:00+00:00",
        "n": 1,
        "t": [1, [2]],
        "x": "<class 'object'>",
    }
    assert report_stem("news", start) == "news-20261125T031500Z"


def test_html_report_is_self_contained_and_escaped():
    summary = summarize(
        {"<b>evil</b>.id": site(items=2, article_pages=3, responses=9)}, {"crawler/drop/no_story": 1}
    )
    results = run_checks(summary, DEFAULT)
    page = render_html("news run", summary, results, {"finish_reason": "finished"})
    assert "<b>evil</b>" not in page and "&lt;b&gt;evil&lt;/b&gt;.id" in page
    assert (
        "<svg" in page
        and "<th>authors coverage</th>" in page
        and ["&lt;b&gt;evil&lt;/b&gt;.id", "no_story", "1"] in rows(page)
    )
    assert "all 8 checks passed" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no external assets
    assert "src=" not in page and "<link" not in page


# ---------------------------------------------------------------------------------------------
# The extension, fed directly
# ---------------------------------------------------------------------------------------------


class News(scrapy.Spider):
    name = "news"


def extension(tmp_path: Path, **settings) -> MonitorExtension:
    crawler = get_crawler(News, settings_dict={"CRAWLER_REPORT_DIR": str(tmp_path / "reports"), **settings})
    ext = MonitorExtension.from_crawler(crawler)
    crawler.stats.set_value("start_time", datetime(2026, 11, 25, 3, 15, tzinfo=UTC))
    return ext


def test_extension_is_off_when_disabled_and_for_other_spiders():
    with pytest.raises(NotConfigured):
        MonitorExtension.from_crawler(get_crawler(News, settings_dict={"CRAWLER_MONITOR_ENABLED": False}))
    with pytest.raises(NotConfigured):  # `scrapy fetch` / `scrapy shell`: nothing to check
        MonitorExtension.from_crawler(get_crawler())
    crawler = get_crawler(settings_dict={"CRAWLER_MONITOR_SPIDERS": ["default"]})
    assert isinstance(MonitorExtension.from_crawler(crawler), MonitorExtension)


def test_extension_merges_coverage_settings_over_the_defaults(tmp_path):
    ext = extension(tmp_path, CRAWLER_MONITOR_MIN_COVERAGE='{"authors": 0}', CRAWLER_MONITOR_MIN_ITEMS="3")
    assert ext.thresholds.min_coverage == {"title": 0.95, "body": 0.9, "published_at": 0.8, "authors": 0}
    assert ext.thresholds.min_items == 3


def test_extension_counts_per_site_through_a_mirror(tmp_path):
    ext = extension(tmp_path)
    mirror = "http://127.0.0.1:8123/"
    spider = SimpleNamespace(name="news", targets=[SimpleNamespace(host=PR_HOST, base=mirror, profile=None)])
    ext.spider_opened(spider)

    def respond(url: str, status: int = 200, **meta) -> HtmlResponse:
        request = Request(url, meta=meta)
        ext.request_left_downloader(request)
        ext.response_downloaded(request)
        response = HtmlResponse(url, status=status, body=b"<html></html>", request=request)
        ext.response_received(response, request)
        return response

    respond(mirror + "robots.txt")
    page = respond(mirror + "depok/pr-1/a", crawler_article=True)
    ext.item_scraped(ArticleItem.from_record(record_dict(mirror + "depok/pr-1/a")), page)
    respond(mirror + "depok/pr-2/gone", status=404, crawler_article=True)
    redirected = respond(
        mirror + "depok/pr-3/b", crawler_article=True, redirect_urls=[f"https://{PR_HOST}/x"]
    )
    ext.item_dropped(
        ArticleItem.from_record(record_dict(mirror + "depok/pr-3/b")), redirected, DropItem("already emitted")
    )
    ext.request_left_downloader(Request(mirror + "depok/pr-4/timeout"))  # no response at all
    ext.crawler.stats.set_value("crawler/drop/http_404", 1)
    ext.spider_closed(spider, "finished")

    stats = ext.crawler.stats.get_stats()
    assert stats["crawler/monitor/failed"] == 0 and stats["crawler/monitor/passed"] == 8
    report = json.loads((tmp_path / "reports" / "news-20261125T031500Z.stats.json").read_text())
    assert report["crawler/monitor/passed"] == 8 and report["start_time"] == "2026-11-25T03:15:00+00:00"
    page_html = (tmp_path / "reports" / "news-20261125T031500Z.html").read_text()
    # site, responses, article pages, new items, already emitted, coverage x 4, fallback, dropped, errors
    assert [PR_HOST, "4", "3", "1", "1", "100%", "100%", "100%", "100%", "0", "1", "1"] in rows(page_html)
    assert "127.0.0.1" not in page_html  # the mirror counts for the site it stands for


def record_dict(url: str) -> dict:
    return {"url": url, "canonical_url": url, "network": None, "pages": 1, **record()}


def test_extension_fails_a_site_that_gave_nothing(tmp_path, caplog):
    ext = extension(tmp_path, CRAWLER_REPORT_DIR="")
    spider = SimpleNamespace(name="news", targets=[SimpleNamespace(host=PR_HOST, base=f"https://{PR_HOST}/")])
    ext.spider_opened(spider)
    ext.spider_closed(spider, "finished")
    assert ext.crawler.stats.get_value("crawler/monitor/failed") == 1
    assert ext.crawler.stats.get_value(f"crawler/monitor/failed/{PR_HOST}/items") == 1
    assert "monitor check failed: items at depok.pikiran-rakyat.com: no articles found" in caplog.text
    assert not (tmp_path / "reports").exists()


def test_extension_does_not_judge_an_interrupted_run(tmp_path, caplog):
    ext = extension(tmp_path)
    spider = SimpleNamespace(name="news", targets=[SimpleNamespace(host=PR_HOST, base=f"https://{PR_HOST}/")])
    ext.spider_opened(spider)
    ext.crawler.stats.set_value("finish_reason", "shutdown")
    ext.spider_closed(spider, "shutdown")
    stats = ext.crawler.stats.get_stats()
    assert stats["crawler/monitor/interrupted"] == 1
    assert "crawler/monitor/failed" not in stats and not failures_from_stats(stats)
    assert "monitor check not met (run interrupted): items at depok.pikiran-rakyat.com" in caplog.text
    assert "ERROR" not in [r.levelname for r in caplog.records]
    (page,) = (tmp_path / "reports").glob("*.html")
    assert "run interrupted, checks not applied (7 of 8 met)" in page.read_text()


# ---------------------------------------------------------------------------------------------
# End to end: `scrapy crawl news` and its exit status
# ---------------------------------------------------------------------------------------------


def crawl(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "news",
            *args,
            "-O",
            f"{tmp_path / 'feed.jsonl'}:jsonlines",
            *FAST,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_normal_run_exits_0_and_writes_the_report(tmp_path):
    reports = tmp_path / "reports"
    with serve(SITES / "pikiran-rakyat") as pr:
        result = crawl(
            tmp_path, "-a", f"site={PR_HOST}", "-a", f"start_url={pr}", "-s", f"CRAWLER_REPORT_DIR={reports}"
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "monitor: 8 of 8 checks passed" in result.stderr and "checks failed" not in result.stderr
    assert len((tmp_path / "feed.jsonl").read_text().splitlines()) == 2  # -O works as before
    (html_path,) = reports.glob("news-*.html")
    (json_path,) = reports.glob("news-*.stats.json")
    assert html_path.name.removesuffix(".html") == json_path.name.removesuffix(".stats.json")
    page = html_path.read_text(encoding="utf-8")
    table = rows(page)
    header = ["site", "responses", "article pages", "new items", "already emitted", "title coverage", "body coverage",
              "published_at coverage", "authors coverage", "fallback", "dropped", "errors"]  # fmt: skip
    pr_row = table[table.index(header) + 1]
    assert (pr_row[0], pr_row[3], pr_row[5]) == (PR_HOST, "2", "100%")  # site, new items, title coverage
    assert "<svg" in page
    assert [PR_HOST, "no_story", "1"] in table  # the drop reasons
    stats = json.loads(json_path.read_text(encoding="utf-8"))
    assert stats["item_scraped_count"] == 2 and stats["crawler/monitor/failed"] == 0
    assert stats["finish_reason"] == "finished"


def test_a_site_without_articles_exits_non_zero(tmp_path):
    """Also what the cron recipe relies on: with LOG_FILE, a run prints nothing unless a check
    failed (cron mails a job's output), and then the one-line verdict."""
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    log = tmp_path / "crawl.log"
    with serve(empty) as url:
        result = crawl(tmp_path, "-a", f"site={PR_HOST}", "-a", f"start_url={url}", "-s", f"LOG_FILE={log}")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"monitor: 1 check failed: items at {PR_HOST}"
    assert "INFO" not in result.stderr and "ERROR" not in result.stderr, (
        result.stderr
    )  # the log is in the file
    assert f"ERROR: monitor check failed: items at {PR_HOST}: no articles found" in log.read_text()


def test_impossible_thresholds_exit_non_zero(tmp_path):
    with serve(SITES / "pikiran-rakyat") as pr:
        result = crawl(
            tmp_path,
            "-a", f"site={PR_HOST}",
            "-a", f"start_url={pr}",
            "-s", "CRAWLER_MONITOR_MIN_ITEMS=1000",
            "-s", 'CRAWLER_MONITOR_MIN_COVERAGE={"authors": 1.0}',
            "-s", "CRAWLER_MONITOR_CONFIDENCE=0",
        )  # fmt: skip
    assert result.returncode == 1
    assert f"monitor: 2 checks failed: coverage/authors at {PR_HOST}, items at {PR_HOST}" in result.stderr
    assert len((tmp_path / "feed.jsonl").read_text().splitlines()) == 2  # the feed is written all the same


def test_nothing_new_since_the_last_run_exits_0(tmp_path):
    """The incremental crawl (crawler/incremental.py): the second run over the same state finds
    the articles again but emits nothing: a success, told apart in the report."""
    state, reports = tmp_path / "state", tmp_path / "reports"
    with serve(SITES / "pikiran-rakyat") as pr:
        args = ["-a", f"site={PR_HOST}", "-a", f"start_url={pr}", "-s", f"CRAWLER_STATE_DIR={state}"]
        first = crawl(tmp_path, *args)
        second = crawl(tmp_path, *args, "-s", f"CRAWLER_REPORT_DIR={reports}")
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    assert (tmp_path / "feed.jsonl").read_text() == ""  # nothing new
    assert "checks failed" not in second.stderr
    (page,) = reports.glob("news-*.html")
    assert re.search(
        r"<td>items</td><td>ok</td><td>nothing new: 0 new items, \d+ already emitted</td>", page.read_text()
    )


def test_the_monitor_can_be_switched_off(tmp_path):
    with serve(tmp_path) as url:  # nothing at all, not even robots.txt
        result = crawl(
            tmp_path, "-a", f"site={PR_HOST}", "-a", f"start_url={url}", "-s", "CRAWLER_MONITOR_ENABLED=0"
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "crawler/monitor/" not in result.stderr and "checks failed" not in result.stderr


def test_a_bad_argument_still_exits_1_as_before(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", *FAST],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "give exactly one of" in result.stderr and "monitor" not in result.stderr.splitlines()[-1]
    assert "Crawler.stats is not set" not in result.stderr
