"""Record and replay, end to end: a real Scrapy crawl of a local HTTP server (127.0.0.1 only)
with -s CRAWLER_RECORD_DIR, then the same crawl with -s CRAWLER_REPLAY_DIR after the server is
gone, then the `fixture` command on the recording. Plus the middlewares in process, on the cases
a small site does not show (exclusive settings, a missing page, response classes)."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler import recording
from crawler.middlewares import FETCHED_AT_META, RecordMiddleware, ReplayMiddleware

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def article(title: str, paragraphs: list[str], links: list[str]) -> str:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{title} - Kabar Lokal</title></head>
<body><header><a href="/berita/satu.html">Beranda</a></header>
<h1>{title}</h1>
<div class="tanggal">Senin, 10 Januari 2022, 09:15 WIB</div>
<div class="isi-berita">
{body}
<p>Editor: Siti Rahmawati</p>
</div>
<ul class="terkait">{anchors}</ul>
<footer>Hak cipta dilindungi undang-undang.</footer></body></html>
"""


SITE = {
    "robots.txt": "User-agent: *\nDisallow: /rahasia.html\n",
    # satu -> dua, /lama (301 -> tiga), /hilang.html (404), /rahasia.html (forbidden by robots.txt)
    "berita/satu.html": article(
        "Banjir Rendam Ratusan Rumah di Cileungsi",
        [
            "Hujan deras yang mengguyur kawasan Cileungsi sejak sore membuat sungai meluap dan merendam ratusan rumah warga.",
            "Warga mengungsi ke masjid dan balai desa terdekat sambil menunggu air surut — sebagian membawa ternak mereka.",
            "Petugas badan penanggulangan bencana daerah menyiapkan perahu karet untuk mengevakuasi warga lanjut usia.",
        ],
        ["/berita/dua.html", "/lama", "/hilang.html", "/rahasia.html"],
    ),
    "berita/dua.html": article(
        "Jalan Provinsi di Garut Rusak Parah",
        [
            "Warga di Kecamatan Cikajang mengeluhkan jalan provinsi yang rusak parah sejak musim hujan tiba.",
            "Lubang sedalam belasan sentimeter membuat pengendara sepeda motor kerap terjatuh pada malam hari.",
        ],
        ["/berita/satu.html", "/lama"],
    ),
    # reached only through the redirect, and sent gzip-compressed: recorded decoded
    "berita/tiga.html": article(
        "Harga Cabai Rawit di Pasar Bogor Naik",
        [
            "Harga cabai rawit di pasar tradisional Kota Bogor naik hampir dua kali lipat dalam sepekan terakhir.",
            "Pedagang menyebut pasokan dari sentra produksi berkurang akibat curah hujan yang tinggi.",
        ],
        ["/berita/satu.html"],
    ),
    "rahasia.html": article("Tidak Boleh Dirayapi", ["Halaman ini dilarang oleh robots.txt."], []),
}

SPIDER = '''
import scrapy


class FollowSpider(scrapy.Spider):
    """Follows every link of a 200 page; one item per response, 404s included."""

    name = "follow"
    handle_httpstatus_list = [404]
    # the project's pipelines (if any) judge articles; this test looks at raw responses
    custom_settings = {"ITEM_PIPELINES": {}}

    def __init__(self, start, **kwargs):
        super().__init__(**kwargs)
        self.start_url = start

    async def start(self):
        yield scrapy.Request(self.start_url)  # filtered like the others: each page once

    def parse(self, response):
        yield {
            "url": response.url,
            "status": response.status,
            "fetched_at": response.meta.get("crawler_fetched_at"),
            "len": len(response.body),
            "redirect_urls": response.meta.get("redirect_urls", []),
            "content_type": response.headers.get("Content-Type", b"").decode(),
        }
        if response.status == 200:
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href)
'''


class SiteHandler(SimpleHTTPRequestHandler):
    """Files of a directory, plus a redirect (/lama) and a gzip-encoded page (tiga)."""

    requested: list[str]

    def do_GET(self) -> None:
        self.requested.append(self.path)
        if self.path == "/lama":
            self.send_response(301)
            self.send_header("Location", "/berita/tiga.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/berita/tiga.html" and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(SITE["berita/tiga.html"].encode("utf-8"))
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[tuple[int, list[str]]]:
    requested: list[str] = []
    handler = partial(type("Handler", (SiteHandler,), {"requested": requested}), directory=str(site))
    server = ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def tripwire(port: int) -> Iterator[list[object]]:
    """A listener on the dead server's port that answers nothing and counts connections: a
    request that leaked to the network would show up here (and fail)."""
    connections: list[object] = []
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    sock.listen()
    sock.settimeout(0.1)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connections.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield connections
    finally:
        stop.set()
        thread.join(5)
        sock.close()


def crawl(spider: Path, start: str, out: Path, *settings: str) -> subprocess.CompletedProcess[str]:
    """`scrapy runspider` in the project directory, so that crawler/settings.py applies."""
    options = [f"-s{s}" for s in ("AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_DELAY=0", "LOG_LEVEL=INFO", *settings)]
    command = [sys.executable, "-m", "scrapy", "runspider", str(spider), "-a", f"start={start}"]
    result = subprocess.run(
        [*command, *options, "-O", f"{out}:jsonlines"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def stats(log: str) -> dict[str, int]:
    """The integer stats of Scrapy's closing 'Dumping Scrapy stats' log."""
    dump = log.partition("Dumping Scrapy stats:")[2].partition("}")[0]
    assert dump, "no stats in the log"
    return {key: int(value) for key, value in re.findall(r"'([\w/.-]+)': (\d+)", dump)}


def feed(path: Path) -> list[dict[str, Any]]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return sorted(items, key=lambda item: item["url"])


@dataclass
class Crawls:
    base: str
    site: Path
    record_dir: Path
    recorded: list[dict[str, Any]]
    replayed: list[dict[str, Any]]
    record_stats: dict[str, int]
    replay_stats: dict[str, int]
    requested: list[str]
    leaked: list[object]
    replay_log: str
    record_log: str


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Crawls:
    tmp = tmp_path_factory.mktemp("record-replay")
    site = tmp / "site"
    for name, text in SITE.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    spider = tmp / "follow_spider.py"
    spider.write_text(SPIDER, encoding="utf-8")
    record_dir = tmp / "recorded"

    with serve(site) as (port, requested):
        base = f"http://{HOST}:{port}"
        recorded = crawl(
            spider, f"{base}/berita/satu.html", tmp / "recorded.jsonl", f"CRAWLER_RECORD_DIR={record_dir}"
        )
    live_requests = list(requested)
    with tripwire(port) as leaked:
        replayed = crawl(
            spider, f"{base}/berita/satu.html", tmp / "replayed.jsonl", f"CRAWLER_REPLAY_DIR={record_dir}"
        )
    return Crawls(
        base=base,
        site=site,
        record_dir=record_dir,
        recorded=feed(tmp / "recorded.jsonl"),
        replayed=feed(tmp / "replayed.jsonl"),
        record_stats=stats(recorded.stderr),
        replay_stats=stats(replayed.stderr),
        requested=live_requests,
        leaked=leaked,
        replay_log=replayed.stderr,
        record_log=recorded.stderr,
    )


# --------------------------------------------------------------------------- the two crawls


def test_the_live_crawl_is_what_the_site_serves(crawls: Crawls) -> None:
    assert "WARNING" not in crawls.record_log and "ERROR" not in crawls.record_log, crawls.record_log
    base = crawls.base
    assert [(i["url"], i["status"], i["redirect_urls"]) for i in crawls.recorded] == [
        (f"{base}/berita/dua.html", 200, []),
        (f"{base}/berita/satu.html", 200, []),
        (f"{base}/berita/tiga.html", 200, [f"{base}/lama"]),
        (f"{base}/hilang.html", 404, []),
    ]
    assert "/rahasia.html" not in crawls.requested  # robots.txt obeyed
    assert crawls.requested.count("/robots.txt") == 1
    tiga = next(i for i in crawls.recorded if i["url"].endswith("tiga.html"))
    assert tiga["len"] == len(SITE["berita/tiga.html"].encode("utf-8"))  # decoded from gzip
    for item in crawls.recorded:  # each item carries the fetch time the recording stores
        recorded = recording.load(crawls.record_dir, item["url"])
        assert recorded is not None and item["fetched_at"] == recorded.fetched_at
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", item["fetched_at"])


def test_every_response_is_recorded_with_robots_txt_and_the_redirect(crawls: Crawls) -> None:
    base = crawls.base
    listing = {(r.url, r.status) for r in recording.iter_recorded(crawls.record_dir)}
    assert listing == {
        (f"{base}/robots.txt", 200),
        (f"{base}/berita/satu.html", 200),
        (f"{base}/berita/dua.html", 200),
        (f"{base}/lama", 301),
        (f"{base}/berita/tiga.html", 200),
        (f"{base}/hilang.html", 404),
    }
    assert crawls.record_stats["crawler/record/saved"] == 5
    assert crawls.record_stats["crawler/record/redirects"] == 1
    assert "crawler/record/failed" not in crawls.record_stats

    robots = recording.load(crawls.record_dir, f"{base}/robots.txt")
    assert robots is not None and robots.body == SITE["robots.txt"].encode()
    lama = recording.load(crawls.record_dir, f"{base}/lama")
    assert lama is not None and lama.headers == {"Location": f"{base}/berita/tiga.html"}
    tiga = recording.load(crawls.record_dir, f"{base}/berita/tiga.html")
    assert tiga is not None and tiga.body == SITE["berita/tiga.html"].encode("utf-8")
    assert tiga.headers == {"Content-Type": "text/html; charset=utf-8"}  # no Content-Encoding
    satu = recording.load(crawls.record_dir, f"{base}/berita/satu.html")
    assert satu is not None and satu.body == (crawls.site / "berita" / "satu.html").read_bytes()
    assert set(satu.headers) == {"Content-Type", "Last-Modified"}
    assert re.fullmatch(r"[0-9a-f]{40}", satu.request_fingerprint or "")


def test_replay_gives_the_same_feed_without_the_network(crawls: Crawls) -> None:
    assert crawls.replayed == crawls.recorded
    assert crawls.leaked == []  # not one connection to the port of the dead server
    assert crawls.replay_stats["crawler/replay/served"] == 6  # robots.txt, 4 pages, the redirect
    assert "crawler/replay/missing" not in crawls.replay_stats
    assert crawls.replay_stats["downloader/response_count"] == 6
    exceptions = {k: v for k, v in crawls.replay_stats.items() if k.startswith("downloader/exception")}
    assert exceptions == {
        k: v for k, v in crawls.record_stats.items() if k.startswith("downloader/exception")
    }
    assert exceptions == {  # the page robots.txt forbids, in both crawls; nothing else failed
        "downloader/exception_count": 1,
        "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 1,
    }
    assert "crawler/record/saved" not in crawls.replay_stats
    assert "WARNING" not in crawls.replay_log and "ERROR" not in crawls.replay_log, crawls.replay_log


def test_robots_txt_is_replayed_and_obeyed(crawls: Crawls) -> None:
    # RobotsTxtMiddleware (100) runs before ReplayMiddleware (950): the forbidden page is dropped
    # as during the recording, not served as missing; robots.txt itself was served from disk.
    assert crawls.replay_stats["robotstxt/request_count"] == 1
    assert crawls.replay_stats["robotstxt/response_status_count/200"] == 1
    assert crawls.replay_stats["robotstxt/forbidden"] == 1
    assert crawls.leaked == []


# --------------------------------------------------------------------------- fixture command


def run_cli(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_fixture_list(crawls: Crawls) -> None:
    result = run_cli("fixture", crawls.record_dir, "--list")
    assert result.returncode == 0, result.stderr
    assert f"200 GET {crawls.base}/robots.txt" in result.stdout.splitlines()
    assert f"301 GET {crawls.base}/lama" in result.stdout.splitlines()
    assert len(result.stdout.splitlines()) == 6


def test_fixture_copies_a_recorded_page_and_writes_its_golden_record(crawls: Crawls, tmp_path: Path) -> None:
    url = f"{crawls.base}/berita/satu.html"
    result = run_cli("fixture", crawls.record_dir, url, "--into", tmp_path)
    assert result.returncode == 0, result.stderr
    name = "127-0-0-1-berita-satu"
    page, meta_file, expected_file = (
        tmp_path / f"{name}{suffix}" for suffix in (".html", ".meta.json", ".expected.json")
    )
    assert result.stdout.splitlines()[:3] == [str(page), str(meta_file), str(expected_file)]
    assert "review" in result.stdout
    assert page.read_bytes() == (crawls.site / "berita" / "satu.html").read_bytes()

    recorded_item = next(i for i in crawls.recorded if i["url"] == url)
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    assert meta == {
        "url": url,
        "fetched_at": recorded_item["fetched_at"],
        "status": 200,
        "headers": meta["headers"],
        "modelled_on": f"recorded from {url} on {recorded_item['fetched_at'][:10]}",
        "noise": [],
        "must_contain": [],
        "expected": {},
    }
    assert meta["headers"]["Content-Type"].startswith("text/html")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert expected["title"] == "Banjir Rendam Ratusan Rumah di Cileungsi"
    assert expected["url"] == url and expected["fetched_at"] == recorded_item["fetched_at"]
    assert expected["body"].startswith("Hujan deras yang mengguyur kawasan Cileungsi")

    check = run_cli("golden", tmp_path, "--check")  # the same record as `golden` makes
    assert check.returncode == 0, check.stdout + check.stderr

    again = run_cli("fixture", crawls.record_dir, url, "--into", tmp_path)
    assert again.returncode == 1 and "exists; --force to overwrite" in again.stderr
    forced = run_cli(
        "fixture", crawls.record_dir, url, "--into", tmp_path, "--force", "--name", "kabar-banjir"
    )
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "kabar-banjir.expected.json").read_text(encoding="utf-8") == expected_file.read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/lama", "is a redirect (301) to"),
        ("/belum-pernah.html", "is not recorded here"),
        ("/robots.txt", "is text/plain, not an HTML page"),
    ],
)
def test_fixture_refuses_what_is_no_recorded_page(
    crawls: Crawls, tmp_path: Path, path: str, message: str
) -> None:
    result = run_cli("fixture", crawls.record_dir, crawls.base + path, "--into", tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ("fixture",),
        ("fixture", "{rec}"),
        ("fixture", "{rec}", "--list", "http://127.0.0.1/x"),
        ("fixture", "{rec}", "ftp://127.0.0.1/x"),
        ("fixture", "{rec}", "http://127.0.0.1/x", "--name", "../keluar"),
        ("fixture", "/nonexistent/recording", "--list"),
    ],
)
def test_fixture_usage_errors_exit_2(crawls: Crawls, args: tuple[str, ...]) -> None:
    result = run_cli(*(a.format(rec=crawls.record_dir) for a in args))
    assert result.returncode == 2, result.stderr


def test_fixture_help_has_examples() -> None:
    result = run_cli("fixture", "--help")
    assert result.returncode == 0 and "examples:" in result.stdout


# --------------------------------------------------------------------------- in process


def make_crawler(**settings: Any) -> Any:
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()  # type: ignore[union-attr]
    return crawler


def test_middlewares_are_off_without_their_setting() -> None:
    crawler = make_crawler()
    with pytest.raises(NotConfigured):
        RecordMiddleware.from_crawler(crawler)
    with pytest.raises(NotConfigured):
        ReplayMiddleware.from_crawler(crawler)


def test_record_and_replay_are_exclusive(tmp_path: Path) -> None:
    crawler = make_crawler(CRAWLER_RECORD_DIR=str(tmp_path), CRAWLER_REPLAY_DIR=str(tmp_path))
    for middleware in (RecordMiddleware, ReplayMiddleware):
        with pytest.raises(ValueError, match="CRAWLER_RECORD_DIR and CRAWLER_REPLAY_DIR are exclusive"):
            middleware.from_crawler(crawler)


def test_replay_from_a_missing_directory_is_an_error_not_a_live_crawl(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a directory"):
        ReplayMiddleware.from_crawler(make_crawler(CRAWLER_REPLAY_DIR=str(tmp_path / "nowhere")))


@pytest.mark.parametrize(
    ("url", "content_type", "body", "cls"),
    [
        (
            "https://kabar.example/berita",
            "text/html; charset=utf-8",
            b"<html><p>isi</p></html>",
            HtmlResponse,
        ),
        (
            "https://kabar.example/sitemap.xml",
            "application/xml",
            b"<?xml version='1.0'?><urlset/>",
            XmlResponse,
        ),
        ("https://kabar.example/robots.txt", "text/plain", b"User-agent: *\nDisallow:\n", TextResponse),
        ("https://kabar.example/rss", "application/rss+xml", b"<rss/>", XmlResponse),
    ],
)
def test_replay_serves_the_recorded_response_in_its_class(
    tmp_path: Path, url: str, content_type: str, body: bytes, cls: type[Response]
) -> None:
    recording.save(tmp_path, url, "GET", 200, {"Content-Type": content_type}, body, "2026-11-24T10:00:00Z")
    crawler = make_crawler(CRAWLER_REPLAY_DIR=str(tmp_path))
    middleware = ReplayMiddleware.from_crawler(crawler)
    request = Request(url)
    response = middleware.process_request(request)
    assert type(response) is cls
    assert (response.url, response.status, response.body) == (url, 200, body)
    assert response.request is request and "replayed" in response.flags
    assert request.meta[FETCHED_AT_META] == "2026-11-24T10:00:00+00:00"
    assert crawler.stats.get_value("crawler/replay/served") == 1


def test_replay_of_an_unrecorded_request_is_an_empty_404_and_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    crawler = make_crawler(CRAWLER_REPLAY_DIR=str(tmp_path))
    middleware = ReplayMiddleware.from_crawler(crawler)
    request = Request("https://kabar.example/tidak-ada")
    response = middleware.process_request(request)
    assert (response.status, response.body) == (404, b"")
    assert FETCHED_AT_META not in request.meta
    assert crawler.stats.get_value("crawler/replay/missing") == 1
    assert "https://kabar.example/tidak-ada" in caplog.text


def test_record_saves_the_response_and_each_redirect_hop(tmp_path: Path) -> None:
    crawler = make_crawler(CRAWLER_RECORD_DIR=str(tmp_path))
    middleware = RecordMiddleware.from_crawler(crawler)
    request = Request(
        "https://kabar.example/akhir",
        meta={
            "redirect_urls": ["http://kabar.example/awal", "https://kabar.example/tengah"],
            "redirect_reasons": [301, "meta refresh"],
        },
    )
    response = HtmlResponse(
        request.url, body=b"<html>akhir</html>", headers={"Content-Type": "text/html"}, request=request
    )
    assert middleware.process_response(request, response) is response
    fetched_at = request.meta[FETCHED_AT_META]
    final = recording.load(tmp_path, "https://kabar.example/akhir")
    assert final is not None and final.body == b"<html>akhir</html>" and final.fetched_at == fetched_at
    first = recording.load(tmp_path, "http://kabar.example/awal")
    assert first is not None and (first.status, first.headers) == (
        301,
        {"Location": "https://kabar.example/tengah"},
    )
    second = recording.load(tmp_path, "https://kabar.example/tengah")
    assert second is not None and second.status == 200
    assert b'http-equiv="refresh" content="0;url=https://kabar.example/akhir"' in second.body
    assert crawler.stats.get_value("crawler/record/saved") == 1
    assert crawler.stats.get_value("crawler/record/redirects") == 2


def test_a_failed_recording_does_not_stop_the_crawl(tmp_path: Path) -> None:
    crawler = make_crawler(CRAWLER_RECORD_DIR=str(tmp_path))
    middleware = RecordMiddleware.from_crawler(crawler)
    (tmp_path / "kabar.example").write_text("a file where the host directory should be", encoding="utf-8")
    request = Request("https://kabar.example/berita")
    response = Response(request.url, body=b"isi", request=request)
    assert middleware.process_response(request, response) is response
    assert crawler.stats.get_value("crawler/record/failed") == 1
