"""The framework's floor for bench/crawl.py: bare Scrapy fetching the same pages as `news`.

    scrapy runspider bench/bare_spider.py -a start_url=http://127.0.0.1:PORT/ -a host=HOST

A `SitemapSpider` reads robots.txt, follows its `Sitemap:` lines (the sitemap index, then each
sitemap) and fetches every page listed, yielding a tiny dict per page: no pipeline, no extraction,
no discovery logic of ours. Sitemap entries name the real site's host (as real sitemaps do); they
are rewritten to `start_url`'s host, as the news spider does with `-a start_url=`, and
`allowed_domains` keeps every request on that local server.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy.spiders import SitemapSpider


class BareSpider(SitemapSpider):
    name = "bare"

    def __init__(self, start_url: str, host: str = "", *args, **kwargs) -> None:
        base = urlsplit(start_url)
        self.base = base
        self.host = host
        self.allowed_domains = [base.hostname]
        self.sitemap_urls = [urlunsplit(base._replace(path="/robots.txt"))]
        super().__init__(*args, **kwargs)

    def sitemap_filter(self, entries):
        for entry in entries:
            parts = urlsplit(entry["loc"])
            if parts.hostname == self.host:
                entry["loc"] = urlunsplit(parts._replace(scheme=self.base.scheme, netloc=self.base.netloc))
            yield entry

    def parse(self, response):
        yield {"url": response.url, "bytes": len(response.body)}
