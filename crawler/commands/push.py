"""`scrapy push`: start a run of a distributed crawl by pushing its seed requests to Redis.

    scrapy push news --redis redis://HOST:6379/0 -a site=depok.pikiran-rakyat.com
    scrapy push news -s CRAWLER_REDIS_URL=redis://HOST:6379/0 -a site=… --status

The spider arguments name the crawl, exactly as for the workers (`scrapy crawl news -s
CRAWLER_REDIS_URL=… -a …`, same arguments), and the seeds are what the spider's `start()` yields:
robots.txt, feeds, index and home pages of each site. A run already under way is left alone
(nothing pushed, exit 0, its state printed); so is one whose workers all died: the next worker
started finishes it. `--status` prints where the crawl stands and pushes nothing.
See crawler/distributed.py.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.conf import arglist_to_dict

from crawler.distributed import REDIS_URL_SETTING, crawl_keys, push_seeds, redis_client, run_status

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[options] <spider>"

    def short_desc(self) -> str:
        return "Start a run of a distributed crawl: push the spider's seed requests to Redis"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-a",
            dest="spargs",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="spider argument, as given to the workers (may be repeated)",
        )
        parser.add_argument(
            "--redis", metavar="URL", help=f"the Redis server (else the {REDIS_URL_SETTING} setting)"
        )
        parser.add_argument(
            "--status", action="store_true", help="print where the crawl stands, push nothing"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        try:
            opts.spargs = arglist_to_dict(opts.spargs)
        except ValueError:
            raise UsageError("Invalid -a value, use -a NAME=VALUE", print_help=False) from None
        if opts.redis:
            assert self.settings is not None
            self.settings.set(REDIS_URL_SETTING, opts.redis, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError
        assert self.settings is not None
        url = self.settings.get(REDIS_URL_SETTING)
        if not url:
            raise UsageError(
                f"give the Redis server: --redis URL or -s {REDIS_URL_SETTING}=URL", print_help=False
            )
        spidercls = get_spider_loader(self.settings).load(args[0])
        crawler = Crawler(spidercls, self.settings)
        try:
            spider = spidercls.from_crawler(crawler, **opts.spargs)
        except (TypeError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        keys = crawl_keys(crawler.settings, spider)
        server = redis_client(url)
        server.ping()
        if not opts.status:
            days = crawler.settings.getfloat("CRAWLER_DEDUP_DAYS", 30)
            pushed = asyncio.run(push_seeds(spider, server, keys, dedup_days=days))
            if pushed is None:
                print(f"{keys.prefix}: a run is under way; nothing pushed", file=sys.stderr)
            else:
                print(f"{keys.prefix}: new run, {pushed} seed requests pushed", file=sys.stderr)
        print(json.dumps({"crawl": keys.prefix, **run_status(server, keys)}))
