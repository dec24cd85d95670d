"""Downloader middlewares: record a live crawl to disk, and replay a crawl from such a recording.

    scrapy crawl SPIDER -s CRAWLER_RECORD_DIR=rec/    every response saved as it is received
    scrapy crawl SPIDER -s CRAWLER_REPLAY_DIR=rec/    the same crawl again, no network at all

The on-disk format is `crawler.recording`; `python -m crawler fixture rec/ URL` turns a recorded
page into a test fixture. The two settings exclude each other.

Where each one sits in DOWNLOADER_MIDDLEWARES (see `crawler/settings.py`), and why. Scrapy calls
`process_request` in increasing priority (engine side first, download handler last) and
`process_response` in decreasing priority (download handler side first). A response returned by a
`process_request` skips the rest of the `process_request` chain and the download, but then goes
through the `process_response` of *every* enabled middleware, whatever their priority, exactly
like a downloaded one.

* `ReplayMiddleware` at 950, past HttpCacheMiddleware (900), where the network would be. Every
  request-side step of a live crawl runs first: OffsiteMiddleware (50) and RobotsTxtMiddleware
  (100) drop the same requests as during the recording (below 100 we would serve, or report
  missing, pages that robots.txt forbids); DownloaderStats (850) counts the request. robots.txt
  itself is fetched by RobotsTxtMiddleware through `engine.download_async`, i.e. through this
  same chain, so it is replayed too. The replayed response then meets Redirect (600),
  HttpCompression (590), MetaRefresh (580) and Retry (550) on its way back, as if downloaded: a
  recorded 301 is followed to the recorded target, a recorded 503 retried (from disk, at once).
* `RecordMiddleware` at 540, just below RetryMiddleware (550), so on the way back it sees the
  response the spider will see: after HttpCompression decoded the body (which is why
  Content-Encoding is not recorded), after Retry gave up or succeeded, after Redirect and
  MetaRefresh followed redirects. The redirects themselves never reach it (Redirect turns them
  into new requests), so it records each hop of `request.meta['redirect_urls']` as a small
  redirect response, which replay serves for Redirect / MetaRefresh to follow again.

Replay needs no politeness: a replayed response never enters a download slot, so DOWNLOAD_DELAY
and AutoThrottle do not slow it down (AutoThrottle only adjusts to measured download latency);
add `-s AUTOTHROTTLE_ENABLED=0 -s RETRY_ENABLED=0` if you like. Do not combine replay with
HTTPCACHE_ENABLED: a cached response would be served before the recorded one.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from crawler import recording

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

#: request.meta key holding the fetch time (ISO 8601, UTC) of the response: the time of the live
#: fetch when recording, the recorded time when replaying, so a replayed item equals the original.
FETCHED_AT_META = "crawler_fetched_at"

RECORD_DIR_SETTING = "CRAWLER_RECORD_DIR"
REPLAY_DIR_SETTING = "CRAWLER_REPLAY_DIR"


def _exclusive(settings: BaseSettings) -> None:
    if settings.get(RECORD_DIR_SETTING) and settings.get(REPLAY_DIR_SETTING):
        raise ValueError(
            f"{RECORD_DIR_SETTING} and {REPLAY_DIR_SETTING} are exclusive: "
            "record a live crawl or replay a recorded one, not both"
        )


def _wire(value: str) -> bytes:
    """A recorded header value back to its bytes (recorded as latin-1, as on the wire)."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:  # a meta file edited by hand
        return value.encode("utf-8")


def _meta_refresh_page(target: str) -> bytes:
    escaped = target.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<html><head><meta http-equiv="refresh" content="0;url={escaped}"></head></html>\n'.encode()


class RecordMiddleware:
    """Save every response of a live crawl to CRAWLER_RECORD_DIR (statuses other than 200,
    final responses of redirects and the redirect hops, robots.txt, sitemaps, feeds), and put
    the fetch time in `request.meta['crawler_fetched_at']`. Off when the setting is empty."""

    DEFAULT_DIR = ""

    def __init__(self, directory: Path, stats: StatsCollector, fingerprint: Any = None):
        self.directory = directory
        self.stats = stats
        self._fingerprint = fingerprint

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordMiddleware:
        settings = crawler.settings
        _exclusive(settings)
        value = settings.get(RECORD_DIR_SETTING, cls.DEFAULT_DIR)
        if not value:
            raise NotConfigured  # (no message: Scrapy would log a warning on every crawl)
        directory = Path(value).expanduser()
        directory.mkdir(parents=True, exist_ok=True)
        logger.info("Recording every response to %s", directory)
        assert crawler.stats is not None
        return cls(directory, crawler.stats, crawler.request_fingerprinter)

    def process_response(self, request: Request, response: Response) -> Response:
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        request.meta[FETCHED_AT_META] = fetched_at
        fingerprint = self._fingerprint.fingerprint(request).hex() if self._fingerprint else None
        try:
            recording.save(
                self.directory,
                request.url,
                request.method,
                response.status,
                dict(response.headers.items()),
                response.body,
                fetched_at,
                request_body=request.body,
                request_fingerprint=fingerprint,
            )
            self.stats.inc_value("crawler/record/saved")
            self._save_redirect_hops(request, fetched_at)
        except (OSError, ValueError) as exc:  # the crawl goes on; the gap is logged and counted
            logger.error("Could not record %s: %s", request.url, exc)
            self.stats.inc_value("crawler/record/failed")
        return response

    def _save_redirect_hops(self, request: Request, fetched_at: str) -> None:
        """Each URL that redirected to this response, as the redirect it gave: a status and a
        Location, or a page with a meta refresh (unless RedirectRecordMiddleware saved it). (The method is the final request's: a POST
        that a 302/303 turned into a GET is replayed as a GET.)"""
        hops = [*request.meta.get("redirect_urls", []), request.url]
        reasons = request.meta.get("redirect_reasons", [])
        for source, target, reason in zip(hops, hops[1:], reasons, strict=False):
            if recording.load(self.directory, source, request.method) is not None:
                continue  # RedirectRecordMiddleware saved this hop as it came
            if isinstance(reason, int):
                status, headers, body = reason, {"Location": target}, b""
            else:  # "meta refresh"
                status, headers = 200, {"Content-Type": "text/html; charset=utf-8"}
                body = _meta_refresh_page(target)
            recording.save(
                self.directory,
                source,
                request.method,
                status,
                headers,
                body,
                fetched_at,
                request_body=request.body,
            )
            self.stats.inc_value("crawler/record/redirects")


class RedirectRecordMiddleware(RecordMiddleware):
    """Save HTTP redirects (3xx with a Location) as they come from the network. It sits at 601,
    just above RedirectMiddleware (600), because a redirect whose target the dupefilter drops
    never reaches RecordMiddleware: without this, replay would miss that hop."""

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if 300 <= response.status < 400 and location:
            fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
            try:
                recording.save(
                    self.directory,
                    request.url,
                    request.method,
                    response.status,
                    {"Location": urljoin(request.url, location.decode("latin-1"))},
                    b"",
                    fetched_at,
                    request_body=request.body,
                )
                self.stats.inc_value("crawler/record/redirects")
            except (OSError, ValueError) as exc:
                logger.error("Could not record %s: %s", request.url, exc)
                self.stats.inc_value("crawler/record/failed")
        return response


class ReplayMiddleware:
    """Serve every request from the recording in CRAWLER_REPLAY_DIR, never from the network: the
    recorded response, with `request.meta['crawler_fetched_at']` set to its recorded fetch time,
    or, for a request that was not recorded, an empty 404 and a warning. Off when the setting is
    empty."""

    DEFAULT_DIR = ""
    #: Flag shown in Scrapy's "Crawled (200) <GET ...> ['replayed']" log line.
    FLAG = "replayed"

    def __init__(self, directory: Path, stats: StatsCollector):
        self.directory = directory
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        settings = crawler.settings
        _exclusive(settings)
        value = settings.get(REPLAY_DIR_SETTING, cls.DEFAULT_DIR)
        if not value:
            raise NotConfigured
        directory = Path(value).expanduser()
        if not directory.is_dir():  # not NotConfigured: that would crawl the live sites instead
            raise ValueError(f"{REPLAY_DIR_SETTING}={value}: not a directory")
        logger.info("Replaying responses from %s; no request goes to the network", directory)
        assert crawler.stats is not None
        return cls(directory, crawler.stats)

    def process_request(self, request: Request) -> Response:
        recorded = recording.load(self.directory, request.url, request.method, request.body)
        if recorded is None:
            logger.warning("Not in the recording, served as 404: %s %s", request.method, request.url)
            self.stats.inc_value("crawler/replay/missing")
            return Response(request.url, status=404, body=b"", request=request, flags=[self.FLAG])
        headers = Headers({name: _wire(value) for name, value in recorded.headers.items()})
        body = recorded.body
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        request.meta[FETCHED_AT_META] = recorded.fetched_at
        self.stats.inc_value("crawler/replay/served")
        return cls(
            request.url,
            status=recorded.status,
            headers=headers,
            body=body,
            request=request,
            flags=[self.FLAG],
        )
