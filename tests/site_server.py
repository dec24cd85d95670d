"""A real HTTP server on 127.0.0.1 that serves a fixture site directory, for end-to-end crawls.

URL -> file: '/' is index.html; '/a/b' is 'a/b' if such a file exists (robots.txt, *.xml), else
'a/b.html'; '?page=N' (N > 1) serves 'a/b.pageN.html' when it exists. `_redirects.json` maps old
paths to new ones (301). Anything else is a 404. With `ignore_page_param`, the server behaves
like sites that ignore ?page=N and serve page 1 again; with `strict_pages`, a page number
without its file is a 404 (a page the site lost).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


class SiteHandler(BaseHTTPRequestHandler):
    delay = 0.0
    """Seconds to wait before each answer (a subclass or `serve(delay=…)` sets it)."""

    def __init__(
        self, *args, root: Path, ignore_page_param: bool, strict_pages: bool, delay: float | None = None, **kwargs
    ) -> None:
        self.root = root
        if delay is not None:
            self.delay = delay
        self.ignore_page_param = ignore_page_param
        self.strict_pages = strict_pages
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # quiet: the crawl log tells enough
        pass

    def do_GET(self) -> None:
        if self.delay:
            time.sleep(self.delay)
        parts = urlsplit(self.path)
        path = parts.path or "/"
        redirects = self._redirects()
        if path in redirects:
            self.send_response(301)
            self.send_header("Location", redirects[path])
            self.end_headers()
            return
        target = self._file(path, parse_qs(parts.query))
        if target is None:
            self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html; charset=utf-8")
            return
        self._send(200, target.read_bytes(), CONTENT_TYPES.get(target.suffix, "application/octet-stream"))

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirects(self) -> dict[str, str]:
        file = self.root / "_redirects.json"
        return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}

    def _file(self, path: str, query: dict[str, list[str]]) -> Path | None:
        relative = path.strip("/") or "index"
        if ".." in relative.split("/"):
            return None
        exact = self.root / relative
        if exact.is_file():
            return exact
        base = self.root / f"{relative}.html"
        page = (query.get("page") or ["1"])[0]
        if page.isdigit() and int(page) > 1 and not self.ignore_page_param:
            paged = self.root / f"{relative}.page{page}.html"
            if paged.is_file():
                return paged
            if self.strict_pages:  # a page the site lost: 404, not page 1 again
                return None
        return base if base.is_file() else None


@contextmanager
def serve(
    root: Path, *, ignore_page_param: bool = False, strict_pages: bool = False, delay: float = 0.0
) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) while the block runs; yields the base URL.
    `delay` seconds before each answer keep a crawl going long enough to interrupt it."""
    handler = partial(
        SiteHandler, root=root, ignore_page_param=ignore_page_param, strict_pages=strict_pages, delay=delay
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
