#!/usr/bin/env python3
"""A minimal HTTP/1.1 server for the crawl benchmark: serves a site directory from memory.

    python bench/fast_server.py SITE_DIR [--port 0]

Binds 127.0.0.1 only. At start it reads every file under SITE_DIR into memory as a ready-made
response (status line + headers + body), then serves GET/HEAD with keep-alive on one asyncio
event loop (the standard one), so the server costs a dict lookup and one write per request
and is not the bottleneck of a crawl. Prints `READY <port> <files>` on stdout once listening.

URL -> file as in tests/site_server.py: '/' is index.html; '/a/b' is 'a/b' if that file exists
(robots.txt, *.xml), else 'a/b.html'; the query string is ignored; anything else is a 404.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import ClassVar

CONTENT_TYPES = {
    ".html": b"text/html; charset=utf-8",
    ".xml": b"application/xml; charset=utf-8",
    ".txt": b"text/plain; charset=utf-8",
}
NOT_FOUND_BODY = b"<html><body><h1>404 Not Found</h1></body></html>"


def response(status: bytes, body: bytes, content_type: bytes) -> tuple[bytes, bytes]:
    head = (
        b"HTTP/1.1 "
        + status
        + b"\r\nServer: bench\r\nContent-Type: "
        + content_type
        + b"\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
    )
    return head, body


def load_site(root: Path) -> dict[bytes, tuple[bytes, bytes]]:
    """URL path -> (head, body) for every file of the site."""
    site: ClassVar[dict[bytes, tuple[bytes, bytes]]] = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            body = path.read_bytes()
            content_type = CONTENT_TYPES.get(path.suffix, b"application/octet-stream")
            entry = response(b"200 OK", body, content_type)
            if rel == "index.html":
                site[b"/"] = entry
            if rel.endswith(".html"):
                site.setdefault(("/" + rel[: -len(".html")]).encode(), entry)
            site[f"/{rel}".encode()] = entry
    return site


class HttpProtocol(asyncio.Protocol):
    site: ClassVar[dict[bytes, tuple[bytes, bytes]]] = {}
    not_found = response(b"404 Not Found", NOT_FOUND_BODY, b"text/html; charset=utf-8")

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            line, _, headers = head.partition(b"\r\n")
            parts = line.split(b" ")
            if len(parts) != 3:
                self.transport.close()
                return
            method, target, version = parts
            path = target.split(b"?", 1)[0].split(b"#", 1)[0]
            if path.startswith(b"http://") or path.startswith(b"https://"):
                path = b"/" + path.split(b"/", 3)[3] if path.count(b"/") >= 3 else b"/"
            status_head, body = self.site.get(path) or self.not_found
            lowered = headers.lower()
            close = version == b"HTTP/1.0" or b"connection: close" in lowered
            if method == b"HEAD":
                self.transport.write(status_head)
            else:
                self.transport.write(status_head + body)
            if close:
                self.transport.close()
                return


async def serve(root: Path, port: int) -> None:
    HttpProtocol.site = load_site(root)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(HttpProtocol, "127.0.0.1", port, backlog=1024, reuse_address=True)
    bound = server.sockets[0].getsockname()[1]
    print(f"READY {bound} {len(HttpProtocol.site)}", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.root, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
