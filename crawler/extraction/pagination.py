"""Where the other pages of a multi-page article are, for the spider's stitching: the numbered
pagination bar, or the 'Halaman selanjutnya' / rel=next link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from lxml.html import HtmlElement

from crawler.extraction.page import PageIndex
from crawler.extraction.text import normalize_space, text_of
from crawler.extraction.urls import absolute
from crawler.sites import SiteProfile

_PAGING_CLASS = ("paging", "pagination", "pager", "halaman")
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


def read_pagination(index: PageIndex, url: str, profile: SiteProfile | None) -> Pagination:
    """Page numbers and links from a numbered pagination bar or a next-page link."""
    query_page = parse_qs(urlsplit(url).query).get(profile.page_param if profile else "page", [None])[0]
    result = Pagination(page=int(query_page) if query_page and query_page.isdigit() else 1)
    for bar in index.classed(_PAGING_CLASS):
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
        result.next_url = _next_link(index, url, profile)
    return result




def _next_link_candidates(index: PageIndex, profile: SiteProfile | None) -> Iterator[str]:
    """Next-page hrefs, most reliable first, lazily: the first that stays in the article wins."""
    tree = index.root
    for tag in ("link", "a"):
        yield from (el.get("href") for el in tree.iter(tag) if el.get("rel") == "next" and el.get("href") is not None)
    if profile is not None:
        for selector in profile.compiled("next_page"):
            yield from (el.get("href") for el in index.select(selector) if el.get("href"))
    for a in _next_like_links(index):
        if a.get("href") and _NEXT_TEXT.match(normalize_space(text_of(a))):
            yield a.get("href")


_NEXT_WORDS = ("selanjutnya", "berikutnya", "next", "›", "»", ">")


def _next_like_links(index: PageIndex) -> list[HtmlElement]:
    """The links whose text holds a word or arrow of _NEXT_TEXT, in page order: found from the
    page's short texts, not by reading the text of every link."""
    links: dict[HtmlElement, None] = {}
    for _text, el, is_tail in index.short_texts_with_words(_NEXT_WORDS, whole_word=False):
        owner = el.getparent() if is_tail else el
        if owner is None:
            continue
        link = owner if owner.tag == "a" else next(owner.iterancestors("a"), None)
        if link is not None:
            links.setdefault(link)
    if len(links) <= 1:
        return list(links)
    return sorted(links, key=index.elements.index)


def _next_link(index: PageIndex, url: str, profile: SiteProfile | None) -> str | None:
    for href in _next_link_candidates(index, profile):
        link = absolute(href, url)
        if link and link != url and _same_article(link, url):
            return link
    return None
