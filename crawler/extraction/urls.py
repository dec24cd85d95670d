"""URL helpers of the extraction: hosts, sites, absolute links."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def host_of(url: str | None) -> str:
    if not url:
        return ""
    return (urlsplit(url).hostname or "").lower()


def site_of(host: str) -> str:
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host


def absolute(link: str | None, base: str | None) -> str | None:
    if not link:
        return None
    link = link.strip()
    if base:
        link = urljoin(base, link)
    return link if link.startswith(("http://", "https://")) else None
