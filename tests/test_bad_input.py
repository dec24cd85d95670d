"""Whatever the web serves, the crawler keeps going and accounts for every response.

The same hostile cases go through the extraction CLI (a clear one-line error, or a record) and
through a real crawl of a local server that serves them (an item, a counted drop with its
reason, or a logged error; the crawl summary adds up to the responses received).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.test_crawl import FAST, REPO, stats

STORY = "".join(
    f"<p>Paragraf cerita nomor {i} tentang banjir di Kota Bandung yang merendam ratusan rumah warga "
    f"pada Senin malam, menurut keterangan petugas.</p>"
    for i in range(1, 6)
)


def page(body: str, head: str = "", charset: str = "utf-8") -> str:
    return f"<html><head><meta charset='{charset}'>{head}</head><body>{body}</body></html>"


ARTICLE = page(f"<h1>Banjir Rendam Ratusan Rumah di Bandung</h1><div class='date'>Senin, 17 November 2026 20:15 WIB</div><article>{STORY}</article>")
NO_META = page(f"<article>{STORY}</article>")  # no title, no date, no author: still a story
CP1252 = page(
    "<h1>Kafe di Bandung Ramai Dikunjungi Wisatawan</h1><article>"
    + STORY
    + "<p>Kafe \u201cLa Ca\u00f1a\u201d ramai \u2014 kata pemilik kepada wartawan pada hari Minggu.</p></article>",
    charset="utf-8",  # a lie: the bytes are windows-1252
).encode("cp1252")
LATIN1 = page(f"<h1>Kafé Baru di Bandung Ramai Pengunjung</h1><article>{STORY}<p>Kafé itu ramai.</p></article>", charset="iso-8859-1").encode("latin-1")
MOJIBAKE = ARTICLE.replace("Banjir Rendam", "Kafe â€œLa CaÃ±aâ€\x9d Banjir Rendam").encode("utf-8")
SOFT_404 = page("<h1>Halaman tidak ditemukan</h1><p>Maaf, halaman yang Anda cari tidak ditemukan atau sudah dihapus dari situs kami.</p>")
JS_SHELL = page("<div id='root'></div><script>window.__STATE__ = {}</script>")
LISTING = page("<h1>Berita Terkini</h1><ul>" + "".join(f"<li><a href='/x/{i}'>Judul berita nomor {i} hari ini</a></li>" for i in range(40)) + "</ul>")
DEEP = ("<html><body>" + "<div>" * 100_000 + "<p>Teks.</p>" + "</div>" * 100_000 + "</body></html>").encode()
TRUNCATED = ARTICLE[: len(ARTICLE) * 2 // 3].encode()
ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode() for i in range(1, 10))
    + b']><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/berita/bom-&lol9;</loc></url></urlset>'
)

# path -> (status, content type, body); special behaviours are handled in the handler
ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/robots.txt": (200, "text/plain", b"User-agent: *\nSitemap: /sitemap.xml\nSitemap: /bomb.xml\n"),
    "/bomb.xml": (200, "application/xml", ENTITY_BOMB),
    "/berita/artikel-yang-baik-sekali": (200, "text/html; charset=utf-8", ARTICLE.encode()),
    "/berita/artikel-tanpa-judul-dan-tanggal": (200, "text/html; charset=utf-8", NO_META.encode()),
    "/berita/halaman-kosong-sekali": (200, "text/html; charset=utf-8", b""),
    "/berita/sebenarnya-berkas-pdf": (200, "text/html; charset=utf-8", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + b"0" * 2000),
    "/berita/sebenarnya-berkas-gambar": (200, "text/html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000),
    "/berita/halaman-sangat-besar-sekali": (200, "text/html", b"<html><body>" + b"<p>Kalimat berita panjang.</p>" * 800_000 + b"</body></html>"),
    "/berita/halaman-bersarang-dalam": (200, "text/html", DEEP),
    "/berita/halaman-terpotong-di-tengah": (200, "text/html", TRUNCATED),
    "/berita/charset-yang-salah-dinyatakan": (200, "text/html; charset=utf-8", CP1252),
    "/berita/halaman-iso-8859-1-lama": (200, "text/html; charset=iso-8859-1", LATIN1),
    "/berita/teks-mojibake-rusak-parah": (200, "text/html; charset=utf-8", MOJIBAKE),
    "/berita/soft-404-tidak-ditemukan": (200, "text/html; charset=utf-8", SOFT_404.encode()),
    "/berita/aplikasi-javascript-saja": (200, "text/html; charset=utf-8", JS_SHELL.encode()),
    "/berita/daftar-berita-terkini-hari-ini": (200, "text/html; charset=utf-8", LISTING.encode()),
    "/berita/sudah-dihapus-404": (404, "text/html", b"<h1>404</h1>"),
    "/berita/sudah-hilang-410": (410, "text/html", b"<h1>410</h1>"),
    "/berita/server-sedang-error-500": (500, "text/html", b"<h1>500</h1>"),
}
SPECIAL = ["/berita/pengalihan-berputar-putar", "/berita/lambat-sekali-timeout", "/berita/koneksi-diputus-server"]
LINKS = [*ROUTES, *SPECIAL, "javascript:alert(1)", "file:///etc/passwd", "mailto:redaksi@example.invalid", "data:text/html,hi"]


def sitemap() -> bytes:
    urls = "".join(f"<url><loc>{u}</loc></url>" for u in LINKS if u.startswith(("/berita", "javascript", "file", "mailto", "data")))
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


class BadHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/berita/pengalihan-berputar-putar":
            self._redirect("/berita/pengalihan-berputar-putar-2")
        elif path == "/berita/pengalihan-berputar-putar-2":
            self._redirect("/berita/pengalihan-berputar-putar")
        elif path == "/berita/lambat-sekali-timeout":
            time.sleep(6)
            self._send(200, "text/html", ARTICLE.encode())
        elif path == "/berita/koneksi-diputus-server":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
        elif path == "/sitemap.xml":
            self._send(200, "application/xml", sitemap())
        elif path in ROUTES:
            self._send(*ROUTES[path])
        else:
            self._send(404, "text/html", b"<h1>404</h1>")

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def bad_site() -> Iterator[str]:
    ThreadingHTTPServer.request_queue_size = 64
    server = ThreadingHTTPServer(("127.0.0.1", 0), BadHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def crawl_result(tmp_path_factory) -> tuple[list[dict], str]:
    tmp = tmp_path_factory.mktemp("bad")
    feed = tmp / "feed.jsonl"
    with bad_site() as base:
        result = subprocess.run(
            [
                sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={base}",
                "-O", f"{feed}:jsonlines", *FAST,
                "-s", "DOWNLOAD_TIMEOUT=3", "-s", "DOWNLOAD_MAXSIZE=10000000", "-s", "REDIRECT_MAX_TIMES=5",
                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
                "-s", "CRAWLER_MONITOR_ENABLED=0",  # this site is meant to fail every check
            ],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    return records, result.stderr


def test_crawl_survives_and_emits_only_stories(crawl_result):
    records, log = crawl_result
    assert "Traceback" not in log
    paths = sorted(r["url"].split("/", 3)[3] for r in records)
    assert paths == [
        "berita/artikel-tanpa-judul-dan-tanggal",
        "berita/artikel-yang-baik-sekali",
        "berita/charset-yang-salah-dinyatakan",
        "berita/halaman-iso-8859-1-lama",
        "berita/halaman-terpotong-di-tengah",
        "berita/teks-mojibake-rusak-parah",
    ]
    by_path = {r["url"].split("/", 3)[3]: r for r in records}
    assert by_path["berita/artikel-tanpa-judul-dan-tanggal"]["title"] is None
    assert by_path["berita/artikel-tanpa-judul-dan-tanggal"]["published_at"] is None
    assert "\u201cLa Ca\u00f1a\u201d ramai \u2014" in by_path["berita/charset-yang-salah-dinyatakan"]["body"]
    assert "Kafé itu ramai." in by_path["berita/halaman-iso-8859-1-lama"]["body"]
    assert "\u201cLa Ca\u00f1a\u201d" in by_path["berita/teks-mojibake-rusak-parah"]["title"]


def test_every_bad_case_is_a_counted_drop_or_a_logged_error(crawl_result):
    _, log = crawl_result
    counters = stats(log)
    assert counters["crawler/drop/not_html"] == 3  # empty page, PDF, PNG
    assert counters["crawler/drop/no_story"] >= 3  # JS shell, listing, 100,000-deep nesting
    assert counters["crawler/drop/soft_404"] == 1
    assert counters["crawler/drop/http_404"] == 2  # the deleted article, and the entity-bomb URL left unexpanded
    assert counters["crawler/drop/http_410"] == 1
    assert counters["crawler/drop/http_500"] == 1
    errors = {k.removeprefix("crawler/error/"): v for k, v in counters.items() if k.startswith("crawler/error/")}
    # timeout, connection reset, redirect loop, page over DOWNLOAD_MAXSIZE: no response, each a logged error
    assert sum(errors.values()) >= 3, errors
    assert "ERROR: request failed: " in log and "lambat-sekali-timeout" in log


def test_the_summary_adds_up_to_the_responses_received(crawl_result):
    _, log = crawl_result
    counters = stats(log)
    assert counters["crawler/summary/unaccounted"] == 0
    assert counters["crawler/summary/received"] > 15
    assert "crawl summary:" in log


def test_unsafe_links_and_entity_bombs_are_not_followed(crawl_result):
    _, log = crawl_result
    assert "/etc/passwd" not in log and "javascript:" not in log.split("Overridden settings")[-1]
    assert "lollollol" not in log  # the entity bomb was not expanded


def test_cli_reports_bad_files_and_goes_on(tmp_path):
    cases = {
        "kosong.html": b"",
        "pdf.html": ROUTES["/berita/sebenarnya-berkas-pdf"][2],
        "besar.html": b"<html><body>" + b"<p>x</p>" * 1_300_000 + b"</body></html>",
        "bagus.html": ARTICLE.encode(),
        "cp1252.html": CP1252,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        (tmp_path / name.replace(".html", ".meta.json")).write_text(
            json.dumps({"url": f"https://kabar.example/berita/{name[:-5]}-satu-dua", "fetched_at": "2026-11-20T03:00:00+00:00"})
        )
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "extract", str(tmp_path), "--no-progress"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert titles == ["Banjir Rendam Ratusan Rumah di Bandung", "Kafe di Bandung Ramai Dikunjungi Wisatawan"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3
    assert any("besar.html" in e and "too large" in e for e in errors)
    assert any("kosong.html" in e for e in errors) and any("pdf.html" in e for e in errors)


def test_extract_bounds_time_on_hostile_markup():
    from crawler import extract

    started = time.perf_counter()
    record = extract(DEEP, "https://kabar.example/berita/bersarang")
    assert record["word_count"] < 10
    assert time.perf_counter() - started < 30  # generous: a hang or a crash would fail long before
