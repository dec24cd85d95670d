"""Unit tests for crawler.extraction.metadata: JSON-LD, OpenGraph/article:* tags, canonical, lang."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from crawler.extraction.metadata import PageMetadata, json_ld_articles, read_metadata

ROOT = Path(__file__).resolve().parents[1]


def page(head: str = "", *, lang: str | None = None, body: str = "<p>Isi berita.</p>"):
    lang_attr = f' lang="{lang}"' if lang is not None else ""
    return lxml.html.document_fromstring(f"<html{lang_attr}><head>{head}</head><body>{body}</body></html>")


def fields(meta: PageMetadata, expected: dict) -> dict:
    """The named fields of `meta`, so a new PageMetadata field does not break these tests."""
    return {name: getattr(meta, name) for name in expected}


def ld(json_text: str) -> str:
    return f'<script type="application/ld+json">{json_text}</script>'


# --- JSON-LD authors --------------------------------------------------------------------------

AUTHOR_ROWS = [
    ('{"@type":"NewsArticle","author":{"@type":"Person","name":"Nur Annisa"}}', ["Nur Annisa"]),
    ('{"@type":"NewsArticle","author":{"name":"  Nur\\u00a0Annisa "}}', ["Nur Annisa"]),
    (
        '{"@type":"NewsArticle","author":[{"@type":"Person","name":"Adi"},{"@type":"Person","name":"Budi"}]}',
        ["Adi", "Budi"],
    ),
    ('{"@type":"NewsArticle","author":"Budi Santoso"}', ["Budi Santoso"]),
    ('{"@type":"NewsArticle","author":["Adi","Budi"]}', ["Adi", "Budi"]),
    # an Organization author is the outlet, not a person
    ('{"@type":"NewsArticle","author":{"@type":"Organization","name":"Kompas"}}', []),
    ('{"@type":"NewsArticle","author":{"@type":"NewsMediaOrganization","name":"Kompas"}}', []),
    (
        '{"@type":"NewsArticle","author":[{"@type":"Organization","name":"Kompas"},{"@type":"Person","name":"Adi"}]}',
        ["Adi"],
    ),
    ('{"@type":"NewsArticle","author":{"@type":"Person","url":"https://x.id/a"}}', []),
    ('{"@type":"NewsArticle","author":""}', []),
    # @graph
    (
        '{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},'
        '{"@type":"NewsArticle","author":{"@type":"Person","name":"Citra"}}]}',
        ["Citra"],
    ),
    # broken JSON as found in the wild: a raw newline inside a string, a trailing comma
    ('{"@type":"NewsArticle","headline":"Baris\nbaru","author":{"@type":"Person","name":"Dewi"},}', ["Dewi"]),
    ('{"@type":"NewsArticle","author":[{"name":"Eko"},],}', ["Eko"]),
    # JSON-LD wrapped in an HTML comment
    ('<!-- {"@type":"NewsArticle","author":"Fajar"} -->', ["Fajar"]),
    # unreadable JSON is ignored, not fatal
    ("{not json", []),
    ("", []),
]


@pytest.mark.parametrize(("json_text", "authors"), AUTHOR_ROWS)
def test_json_ld_authors(json_text, authors):
    assert read_metadata(page(ld(json_text))).authors == authors


def test_json_ld_news_article_fields():
    meta = read_metadata(
        page(
            ld(
                '{"@context":"https://schema.org","@type":"NewsArticle","headline":" Judul  Berita ",'
                '"datePublished":"2022-01-09T10:00:00+07:00","dateModified":"2022-01-09T11:00:00+07:00",'
                '"author":{"@type":"Person","name":"Nur Annisa"},"articleSection":"Nasional",'
                '"keywords":"pemilu, jokowi ,","image":{"@type":"ImageObject","url":"https://x.id/a.jpg"},'
                '"inLanguage":"id-ID"}'
            )
        )
    )
    expected = dict(
        title="Judul Berita",
        published="2022-01-09T10:00:00+07:00",
        modified="2022-01-09T11:00:00+07:00",
        authors=["Nur Annisa"],
        section="Nasional",
        tags=["pemilu", "jokowi"],
        image_url="https://x.id/a.jpg",
        language="id",
        article_type="newsarticle",
        canonical_url=None,
        og_title=None,
        description=None,
    )
    assert fields(meta, expected) == expected


@pytest.mark.parametrize(
    ("json_text", "field", "value"),
    [
        ('{"@type":"NewsArticle","keywords":["pemilu","jokowi"]}', "tags", ["pemilu", "jokowi"]),
        (
            '{"@type":"NewsArticle","image":["https://x.id/1.jpg","https://x.id/2.jpg"]}',
            "image_url",
            "https://x.id/1.jpg",
        ),
        ('{"@type":"NewsArticle","image":"https://x.id/1.jpg"}', "image_url", "https://x.id/1.jpg"),
        ('{"@type":"NewsArticle","datePublished":["2022-03-03"]}', "published", "2022-03-03"),
        ('{"@type":"NewsArticle","name":"Nama saja"}', "title", "Nama saja"),
        ('{"@type":"ReportageNewsArticle","headline":"R"}', "article_type", "reportagenewsarticle"),
        ('{"@type":"BlogPosting","headline":"B"}', "article_type", "blogposting"),
        ('{"@type":"Organization","name":"Kompas"}', "article_type", None),
        ('{"@type":"BreadcrumbList","name":"Home"}', "title", None),
        ('{"@type":"WebPage","mainEntity":{"@type":"NewsArticle","headline":"Utama"}}', "title", "Utama"),
    ],
)
def test_json_ld_field(json_text, field, value):
    assert getattr(read_metadata(page(ld(json_text))), field) == value


def test_json_ld_articles_news_article_first():
    tree = page(
        ld('[{"@type":"WebPage","name":"Halaman"},{"@type":"Article","headline":"Artikel"}]')
        + ld('{"@type":"NewsArticle","headline":"Berita"}')
        + ld('{"@type":"Person","name":"Bukan artikel"}')
    )
    names = [node.get("headline") or node.get("name") for node in json_ld_articles(tree)]
    assert names == ["Berita", "Artikel", "Halaman"]
    assert read_metadata(tree).title == "Berita"


def test_json_ld_first_article_wins():
    tree = page(
        ld('{"@type":"NewsArticle","headline":"Pertama"}')
        + ld('{"@type":"NewsArticle","headline":"Kedua","author":"Z"}')
    )
    meta = read_metadata(tree)
    assert (meta.title, meta.authors) == ("Pertama", [])


def test_article_type_is_deterministic():
    script = (
        "import lxml.html\n"
        "from crawler.extraction.metadata import read_metadata\n"
        'tree = lxml.html.document_fromstring(\'<html><head><script type="application/ld+json">'
        '{"@type":["NewsArticle","Article"],"headline":"T"}'
        "</script></head><body><p>x</p></body></html>')\n"
        "print(read_metadata(tree).article_type)\n"
    )
    seen = set()
    for seed in range(8):
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={"PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        )
        seen.add(result.stdout.strip())
    assert seen == {"newsarticle"}


# --- OpenGraph / article:* / canonical / lang -------------------------------------------------

OG_HEAD = (
    '<meta property="og:title" content="OG Judul - Kompas.com">'
    '<meta property="og:url" content="https://www.kompas.com/og">'
    '<meta property="og:description" content="Ringkasan berita">'
    '<meta property="og:site_name" content="KOMPAS.com">'
    '<meta property="article:published_time" content="2022-01-09T10:00:00+07:00">'
    '<meta property="article:modified_time" content="2022-01-10T08:00:00+07:00">'
    '<meta property="article:section" content="Nasional">'
    '<meta property="article:tag" content="pemilu">'
    '<meta property="article:tag" content="jokowi">'
    '<meta property="article:tag" content="">'
    '<meta property="og:image" content="https://asset.kompas.com/a.jpg">'
    '<meta name="author" content="Eko Prasetyo">'
    '<link rel="canonical" href=" https://www.kompas.com/read/1 ">'
    "<title> Judul  HTML - Kompas.com </title>"
)


def test_opengraph_and_article_tags():
    meta = read_metadata(page(OG_HEAD, lang="id"))
    expected = dict(
        canonical_url="https://www.kompas.com/read/1",
        og_url="https://www.kompas.com/og",
        og_title="OG Judul - Kompas.com",
        html_title="Judul HTML - Kompas.com",
        description="Ringkasan berita",
        site_name="KOMPAS.com",
        published="2022-01-09T10:00:00+07:00",
        modified="2022-01-10T08:00:00+07:00",
        authors=["Eko Prasetyo"],
        section="Nasional",
        tags=["pemilu", "jokowi"],
        image_url="https://asset.kompas.com/a.jpg",
        language="id",
        title=None,
        article_type=None,
    )
    assert fields(meta, expected) == expected


META_ROWS = [
    ('<meta name="description" content="Deskripsi biasa">', "description", "Deskripsi biasa"),
    ('<meta name="twitter:title" content="Judul Twitter">', "og_title", "Judul Twitter"),
    ('<meta name="twitter:image" content="https://x.id/t.jpg">', "image_url", "https://x.id/t.jpg"),
    (
        '<meta itemprop="datePublished" content="2021-06-16T17:04:00+07:00">',
        "published",
        "2021-06-16T17:04:00+07:00",
    ),
    ('<meta name="pubdate" content="2021-06-16">', "published", "2021-06-16"),
    ('<meta name="dtk:publishdate" content="2021/06/16 17:04:00">', "published", "2021/06/16 17:04:00"),
    ('<meta property="og:updated_time" content="2021-06-17">', "modified", "2021-06-17"),
    ('<meta name="content_author" content="Adi Surya">', "authors", ["Adi Surya"]),
    # an author URL (facebook profile) is no name
    ('<meta property="article:author" content="https://www.facebook.com/kompas">', "authors", []),
    # empty content is absent
    ('<meta property="og:title" content="  ">', "og_title", None),
    ("", "canonical_url", None),
]


@pytest.mark.parametrize(("head", "field", "value"), META_ROWS)
def test_meta_tag(head, field, value):
    assert getattr(read_metadata(page(head)), field) == value


def test_json_ld_wins_over_meta_for_dates_and_authors():
    head = (
        '<meta property="article:published_time" content="2022-01-01T00:00:00+07:00">'
        '<meta name="author" content="Redaksi Meta">'
        + ld('{"@type":"NewsArticle","datePublished":"2022-02-02T00:00:00+07:00","author":"Penulis LD"}')
    )
    meta = read_metadata(page(head))
    assert (meta.published, meta.authors) == ("2022-02-02T00:00:00+07:00", ["Penulis LD"])


def test_meta_kept_when_json_ld_has_none():
    head = '<meta property="article:published_time" content="2022-01-01T00:00:00+07:00"><meta name="author" content="Adi">'
    head += ld('{"@type":"NewsArticle","headline":"Judul"}')
    meta = read_metadata(page(head))
    assert (meta.published, meta.authors, meta.title) == ("2022-01-01T00:00:00+07:00", ["Adi"], "Judul")


LANG_ROWS = [
    ({"lang": "id"}, "", "id"),
    ({"lang": "id-ID"}, "", "id"),
    ({"lang": " EN "}, "", "en"),
    ({"lang": ""}, '<meta property="og:locale" content="id_ID">', "id"),
    ({}, '<meta property="og:locale" content="en_US">', "en"),
    ({}, ld('{"@type":"NewsArticle","inLanguage":"id-ID"}'), "id"),
    ({"lang": "en"}, ld('{"@type":"NewsArticle","inLanguage":"id-ID"}'), "en"),  # <html lang> first
    ({}, "", None),
]


@pytest.mark.parametrize(("attrs", "head", "language"), LANG_ROWS)
def test_language(attrs, head, language):
    assert read_metadata(page(head, **attrs)).language == language


def test_empty_page_has_empty_metadata():
    assert read_metadata(page()) == PageMetadata()
