"""`scrapy crawl`, exiting 1 when the run's monitor checks failed, so a scheduler notices.

Scrapy's own `crawl` exits 0 whenever the spider ran, however badly. This one runs exactly the
same way (same options, `-a`, `-o`/`-O` feeds, `-s`), then reads `crawler/monitor/failed` from
the stats of the crawl (set by `crawler.monitoring.MonitorExtension`); when it is above zero it
prints one line on stderr, e.g.

    monitor: 2 checks failed: coverage/title at depok.pikiran-rakyat.com, items at solo.tribunnews.com

and the exit status is 1. A spider that could not start still exits 1, as before.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler.monitoring import FAILED_STAT, failures_from_stats

if TYPE_CHECKING:
    import argparse

    from scrapy import Spider
    from scrapy.crawler import Crawler


class Command(ScrapyCrawlCommand):
    def __init__(self) -> None:
        super().__init__()
        self._monitored: list[Crawler] = []

    def short_desc(self) -> str:
        return "Run a spider of the current project, by name; exit 1 when a monitor check failed"

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        # Scrapy's crawl command creates its crawler here; keep it to read its stats afterwards
        # (the crawler process forgets its crawlers when they finish).
        crawler = super()._create_crawler(spidercls)
        self._monitored.append(crawler)
        return crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        failed, names = 0, []
        for crawler in self._monitored:
            try:
                stats = crawler.stats.get_stats()
            except RuntimeError:  # it never started (a bad -a argument): Scrapy exits 1 for that
                continue
            failed += int(stats.get(FAILED_STAT) or 0)
            names += failures_from_stats(stats)
        if failed:
            plural = "check" if failed == 1 else "checks"
            print(f"monitor: {failed} {plural} failed: {', '.join(names)}", file=sys.stderr)
            self.exitcode = 1
