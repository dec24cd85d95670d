"""Where the other pages of a story are: the numbered bar, rel=next, or a link that reads
'Selanjutnya' / 'Next' / '»' (crawler/extraction/pagination.py)."""

from __future__ import annotations

import pytest

from crawler.extraction.html import parse_html
from crawler.extraction.page import PageIndex
from crawler.extraction.pagination import read_pagination

URL = "https://kabar.example/berita/123/banjir-di-depok"


def _pagination(body: str, head: str = ""):
    tree = parse_html(f"<html><head>{head}</head><body><h1>Banjir</h1>{body}</body></html>")
    return read_pagination(PageIndex(tree, "Banjir"), URL, None)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<p>Story.</p><a href="/berita/123/banjir-di-depok?page=2">Halaman Selanjutnya »</a>', URL + "?page=2"),
        ('<p>Story.</p><a href="/berita/123/banjir-di-depok/2">NEXT</a>', URL + "/2"),
        ('<p>Story.</p><a href="/berita/123/banjir-di-depok/2"><span>›</span></a>', URL + "/2"),
        ('<div><a href="/berita/123/banjir-di-depok/2"> berikutnya </a></div>', URL + "/2"),
        # a 'next' link to another story is not this story's next page
        ('<a href="/berita/999/lain">Berita selanjutnya</a>', None),
        # a link whose text merely contains the word is not a next-page link
        ('<a href="/berita/123/banjir-di-depok/2">Baca selanjutnya di sini</a>', None),
        ('<p>Story.</p>', None),
    ],
)
def test_next_link_from_the_link_text(body, expected):
    assert _pagination(body).next_url == expected


def test_rel_next_comes_first():
    head = '<link rel="next" href="/berita/123/banjir-di-depok?page=3">'
    body = '<a href="/berita/123/banjir-di-depok?page=2">Next</a>'
    assert _pagination(body, head).next_url == URL + "?page=3"


def test_numbered_bar_gives_pages_and_links():
    body = (
        '<div class="pagination"><span class="active">1</span>'
        '<a href="/berita/123/banjir-di-depok?page=2">2</a><a href="/berita/123/banjir-di-depok?page=3">3</a>'
        '<a href="/berita/123/banjir-di-depok?page=2">Selanjutnya</a></div>'
    )
    result = _pagination(body)
    assert (result.page, result.pages) == (1, 3)
    assert result.page_urls == {2: URL + "?page=2", 3: URL + "?page=3"}
    assert result.next_url == URL + "?page=2"
