"""Discovery at scale (`crawler/discovery.py` Backlog, `NewsSpider.start`/`_feed`): a site whose
sitemaps list every article at once is requested as the scheduler drains, so memory stays
flat, and still every article is crawled once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy import signals

from crawler.discovery import Backlog
from tests.generated_site import PR_HOST, build_site
from tests.site_server import serve
from tests.test_crawl import crawl, stats


class SchedulerHighWater:
    """Test extension: the most requests Scrapy's scheduler held at once
    (`crawler/test/max_queued`)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.scheduled, signal=signals.request_scheduled)

    @classmethod
    def from_crawler(cls, crawler) -> SchedulerHighWater:
        return cls(crawler)

    def scheduled(self, request, spider) -> None:
        scheduler = self.crawler.engine.scheduler
        self.crawler.stats.max_value("crawler/test/max_queued", len(scheduler) + 1)


# (the monitor is left out: the generated stories have no authors)
EXTENSIONS = json.dumps({"tests.test_discovery.SchedulerHighWater": 900})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("site")
    built = build_site(root, 1200)  # a sitemap index of 3 sitemaps of 500, 400 and 300 URLs
    return root, built["articles"]


@pytest.mark.parametrize("pending", [40, 0])
def test_every_article_is_crawled_once_with_a_bounded_queue(tmp_path, site, pending):
    root, articles = site
    with serve(root) as base:
        records, log = crawl(
            tmp_path,
            "-a", f"site={PR_HOST}", "-a", f"start_url={base}",
            "-s", f"CRAWLER_DISCOVERY_PENDING={pending}",
            "-s", f"EXTENSIONS={EXTENSIONS}",
            "-s", "CONCURRENT_REQUESTS=8",
        )  # fmt: skip
    found = stats(log)
    assert sorted(r["canonical_url"] for r in records) == sorted(articles)
    assert found["crawler/summary/unaccounted"] == 0
    assert found["crawler/discovery/article_url/sitemap"] == len(articles)
    assert found.get("crawler/summary/network_errors", 0) == 0
    if pending:
        # the backlog's 40, plus the home page's links and the second pages of stories, which
        # callbacks yield at once
        assert found["crawler/test/max_queued"] <= pending + 40 + 16
    else:
        # every entry of a sitemap (500 in the first) becomes a request at once; the downloader
        # drains a few while the callback's requests are scheduled (466 queued in one run on a loaded
        # machine), so the bound is well above the bounded crawl's 96, not the sitemap's size
        assert found["crawler/test/max_queued"] >= 250


def test_the_backlog_reads_the_next_sitemap_only_when_few_articles_wait():
    backlog = Backlog()
    assert backlog.add_sitemap("https://a.example/s1.xml", "s1")
    assert backlog.add_sitemap("https://a.example/s2.xml", "s2")
    assert not backlog.add_sitemap("https://a.example/s1.xml", "s1 again")  # listed twice: read once
    assert backlog.next_sitemap(low=3, idle=False) == "s1"
    assert backlog.next_sitemap(low=3, idle=False) is None  # s1 is being read
    for n in range(5):
        backlog.add_page(n)
    backlog.sitemap_read()
    assert backlog.next_sitemap(low=3, idle=False) is None  # 5 articles wait
    assert [backlog.next_page(), backlog.next_page(), backlog.next_page()] == [0, 1, 2]
    assert backlog.next_sitemap(low=3, idle=False) == "s2"
    assert len(backlog) == 2
    assert backlog.next_sitemap(low=3, idle=True) is None  # none left


def test_an_idle_crawl_reads_the_next_sitemap_even_if_one_never_answered():
    backlog = Backlog()
    backlog.add_sitemap("https://a.example/s1.xml", "s1")
    backlog.add_sitemap("https://a.example/s2.xml", "s2")
    assert backlog.next_sitemap(low=3, idle=False) == "s1"
    assert backlog.next_sitemap(low=3, idle=True) == "s2"


def test_a_request_pickles_its_target_by_profile_key():
    """JOBDIR's disk queues and the Redis queue pickle every request with its target: a registry
    profile goes as its key, not whole (it is ~4.5 KB)."""
    import pickle

    from scrapy.utils.request import request_from_dict
    from scrapy.utils.test import get_crawler

    from crawler.discovery import Entry
    from crawler.spiders.news import NewsSpider

    spider = NewsSpider.from_crawler(get_crawler(NewsSpider), network="tribun")
    target = spider.targets[0]
    (request,) = spider._articles([Entry(f"https://{target.host}/2026/11/20/berita-hari-ini-di-kota")], target, "feed", trust_source=True)
    data = pickle.dumps(request.to_dict(spider=spider), protocol=4)
    assert len(data) < 1_000
    again = request_from_dict(pickle.loads(data), spider=spider)
    assert again.cb_kwargs["target"] == target
    assert again.cb_kwargs["target"].profile is target.profile
    # a profile that is not the registry's travels whole
    from dataclasses import replace

    own = replace(target, profile=replace(target.profile, name="own-profile"))
    assert pickle.loads(pickle.dumps(own)) == own
