"""Where the other pages of a multi-page article are, for the spider's stitching: the numbered
pagination bar, or the 'Halaman selanjutnya' / rel=next link."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from lxml.html import HtmlElement

from crawler.extraction.page import PageIndex
from crawler.extraction.text import normalize_space
from crawler.extraction.urls import absolute
from crawler.sites import SiteProfile

_PAGING_CLASS = re.compile(r"paging|pagination|pager|halaman", re.I)


_PAGING_CLASS = re.compile(r"paging|pagination|pager|halaman", re.I)
_ACTIVE_CLASS = re.compile(r"active|current|selected", re.I)


_ACTIVE_CLASS = re.compile(r"active|current|selected", re.I)
_NEXT_TEXT = re.compile(r"^\W*(?:halaman\s+)?(?:selanjutnya|berikutnya|next)\W*$|^[›»>]+$", re.I)


@dataclass
class Pagination:
    """Where the other pages of a multi-page article are (for the spider's stitching)."""

    page: int | None = 1
    pages: int | None = 1
    page_urls: dict[int, str] = field(default_factory=dict)
    """Page number -> URL, from the numbered pagination bar (same article only)."""
    next_url: str | None = None
    """The 'Halaman selanjutnya' / rel=next link, when it stays within the article."""


def _same_article(link: str, url: str) -> bool:
    """A page of the same story: same host, and a path equal to or extending the article's
    ('…/slug?page=2', '…/slug/2')."""
    a, b = urlsplit(link), urlsplit(url)
    if a.netloc != b.netloc:
        return False
    base = b.path.rstrip("/")
    return a.path.rstrip("/") == base or a.path.startswith(base + "/")


def read_pagination(tree: HtmlElement, index: PageIndex, url: str, profile: SiteProfile | None) -> Pagination:
    """Page numbers and links from a numbered pagination bar or a next-page link."""
    query_page = parse_qs(urlsplit(url).query).get(profile.page_param if profile else "page", [None])[0]
    result = Pagination(page=int(query_page) if query_page and query_page.isdigit() else 1)
    bars = [(el, name) for el, name in index.classed() if "pag" in name or "halaman" in name]
    for bar, name in bars:
        if not _PAGING_CLASS.search(name):
            continue
        numbers = [
            int(t)
            for t in (normalize_space(a.text_content()) for a in bar.iter("a", "span", "li"))
            if t.isdigit()
        ]
        if len(numbers) < 2 or max(numbers) > 100:
            continue
        for el in bar.iter():
            if isinstance(el.tag, str) and _ACTIVE_CLASS.search(el.get("class", "")):
                text = normalize_space(el.text_content())
                if text.isdigit():
                    result.page = int(text)
                    break
        result.pages = max(numbers)
        for anchor in bar.iter("a"):
            text = normalize_space(anchor.text_content())
            link = absolute(anchor.get("href"), url)
            if link and _same_article(link, url):
                if text.isdigit():
                    result.page_urls.setdefault(int(text), link)
                elif _NEXT_TEXT.match(text) and result.next_url is None:
                    result.next_url = link
        break
    if result.next_url is None:
        result.next_url = _next_link(tree, url, profile)
    return result


def _next_link(tree: HtmlElement, url: str, profile: SiteProfile | None) -> str | None:
    candidates = [*tree.xpath("//link[@rel='next']/@href"), *tree.xpath("//a[@rel='next']/@href")]
    if profile is not None:
        for selector in profile.compiled("next_page"):
            candidates.extend(el.get("href") for el in selector(tree) if el.get("href"))
    candidates.extend(
        a.get("href")
        for a in tree.iter("a")
        if a.get("href") and _NEXT_TEXT.match(normalize_space(a.text_content()))
    )
    for href in candidates:
        link = absolute(href, url)
        if link and link != url and _same_article(link, url):
            return link
    return None
