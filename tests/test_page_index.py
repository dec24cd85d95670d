"""`PageIndex`: the one pass over a page that the field readers share, and profile selectors
answered from it (`crawler/sites/selector.py`). Answering from the index must change nothing:
every selector of every profile gives the same elements, in the same order, as evaluating it on
the tree, over every fixture page (and the corpus pages when ../shared is there)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml.cssselect import CSSSelector
from lxml.etree import XPath

from crawler.evaluation import corpus_dir, load_corpus
from crawler.extraction.html import parse_html
from crawler.extraction.page import PageIndex
from crawler.sites import REGISTRY
from crawler.sites.profile import SELECTOR_KINDS
from crawler.sites.selector import Selector

PAGES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))
ALL_SELECTORS = sorted({s for p in REGISTRY.profiles for kind in SELECTOR_KINDS for s in getattr(p, kind)})


def _reference(text: str) -> XPath:
    """lxml's own evaluation of a profile selector: what Selector must agree with."""
    return XPath(text.removeprefix("xpath:")) if text.startswith("xpath:") else CSSSelector(text)


def _pages() -> list[bytes]:
    pages = [p.read_bytes() for p in PAGES]
    directory = corpus_dir()
    if directory is not None:
        pages += [page.html for page in load_corpus(directory)]
    return pages


@pytest.fixture(scope="module")
def indexes() -> list[PageIndex]:
    return [PageIndex(parse_html(html)) for html in _pages()]


def test_most_profile_selectors_have_an_anchor():
    anchored = [s for s in ALL_SELECTORS if Selector(s).anchored]
    # the speed-up only matters if profiles are written the usual way (class or id first)
    assert len(anchored) >= 0.8 * len(ALL_SELECTORS), [s for s in ALL_SELECTORS if not Selector(s).anchored]


def test_every_profile_selector_answers_as_on_the_tree(indexes):
    assert len(indexes) >= len(PAGES)
    compiled = [(Selector(s), _reference(s)) for s in ALL_SELECTORS]
    hits = 0
    for index in indexes:
        for selector, reference in compiled:
            expected = reference(index.root)
            assert index.select(selector) == expected, selector
            assert selector(index.root) == expected, selector
            hits += bool(expected)
    assert hits > len(indexes)  # the pages do exercise the selectors


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("div.story p", ["a", "b", "c"]),  # nested anchors: each element once, in page order
        (".story > p", ["a", "b", "c"]),
        ("#side a, .story em", ["x", "y"]),  # groups merged in page order
        ("[class*=crumb] a", ["home"]),
        (".story p:not(.ad)", ["a", "c"]),
        ("p.ad, .missing", ["b"]),
    ],
)
def test_select_merges_groups_and_nested_anchors_in_page_order(css, expected):
    html = """<html><body>
      <div class="bread-crumbs"><a>home</a></div>
      <div class="story"><p id="a">one <em>x</em></p>
        <div class="story inner"><p id="b" class="ad">two</p></div><p id="c">three</p></div>
      <div id="side"><a>y</a></div></body></html>"""
    index = PageIndex(lxml.html.document_fromstring(html))
    selector = Selector(css)
    assert selector.anchored  # this test is about the anchored path
    found = index.select(selector)
    assert found == CSSSelector(css)(index.root)
    assert [el.get("id") or el.text_content().strip() for el in found] == expected


def test_a_token_on_many_elements_is_evaluated_the_plain_way():
    html = "<html><body>" + "".join(f'<div class="row"><p>{i}</p></div>' for i in range(60)) + "</body></html>"
    index = PageIndex(lxml.html.document_fromstring(html))
    found = index.select(Selector(".row p"))
    assert [p.text for p in found] == [str(i) for i in range(60)]


def test_named_finds_class_and_id_words_in_the_body_only():
    html = """<html class="date-root"><head><meta class="date"></head><body>
      <span class="post-date">1</span><b id="TanggalTerbit">2</b><i class="x">3</i></body></html>"""
    index = PageIndex(lxml.html.document_fromstring(html))
    assert [el.text for el in index.classed(("date", "tanggal"))] == ["1", "2"]
    assert index.named(("date",), start=1) == [1]
    assert index.named(("date",), start=2) == []
    assert index.elements[0] is index.body


@pytest.mark.parametrize(
    "css",
    ["div.a", "div.a span", ".a .b", "span.b.c", "#x", "div#x.a", "p", "*.a", ".a *", "div.a > span", "div.A"],
)
def test_python_matching_agrees_with_xpath_on_odd_class_attributes(css):
    # XPath's normalize-space() splits classes at space, tab, CR and LF only: 'a\xa0b' is one
    # class, 'a\tb' two; class names are case-sensitive
    html = """<html><body>
      <div class="a\tb" id="x"><span class="b c">1</span><span class="b\xa0c">2</span></div>
      <div class="a\xa0b"><span class=" b  c ">3</span><p>4</p></div>
      <div class="A"><span class="a">5</span></div><div id="x" class="a"><span>6</span></div>
    </body></html>"""
    index = PageIndex(lxml.html.document_fromstring(html))
    selector = Selector(css)
    expected = CSSSelector(css)(index.root)
    assert selector(index.root) == expected
    assert index.select(selector) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # the first element in page order that shows the title: a small div before the heading
        ("<div class=top>Banjir  di\nDepok</div><h1>Banjir di Depok</h1>", "div"),
        ("<div><p>menu</p><p>x</p><p>y</p>Banjir di Depok</div><h1>Banjir di Depok</h1>", "h1"),
        # case, NBSP, zero-width characters and surrounding space do not matter
        ("<h2>BANJIR\u00a0DI DEPOK </h2>", "h2"),
        ("<h1>\u200bBanjir di\u200b Depok</h1>", "h1"),
        ("<h1>  \n Banjir di Depok</h1>", "h1"),
        ("<h1>Banjir di Depok hari ini</h1><h3>Lain</h3>", None),
    ],
)
def test_headline_is_the_first_element_showing_the_title(html, expected):
    index = PageIndex(lxml.html.document_fromstring(f"<html><body>{html}</body></html>"), "Banjir di Depok")
    headline = index.headline
    assert (headline.tag if headline is not None else None) == expected
    if headline is not None:
        assert index.elements[index.headline_position] is headline
