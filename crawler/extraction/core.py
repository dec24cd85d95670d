"""Temporary stand-in while the real orchestrator is written."""

from __future__ import annotations

import trafilatura


def extract(html: str | bytes, url: str | None = None, *, fetched_at: str | None = None) -> dict:
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    body = trafilatura.extract(html, url=url) or ""
    return {"url": url, "title": None, "body": body.replace("\n", "\n\n")}
