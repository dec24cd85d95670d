"""ANTARA news agency: antaranews.com and its regional bureaus."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

# Regional bureaus publish on <province>.antaranews.com (jatim., jabar., …)
_BUREAUS = [
    "aceh",
    "sumut",
    "sumbar",
    "riau",
    "kepri",
    "jambi",
    "sumsel",
    "babel",
    "bengkulu",
    "lampung",
    "banten",
    "megapolitan",
    "jabar",
    "jateng",
    "jogja",
    "jatim",
    "bali",
    "ntb",
    "ntt",
    "kalbar",
    "kalteng",
    "kalsel",
    "kaltim",
    "sulut",
    "gorontalo",
    "sulteng",
    "sulbar",
    "sulsel",
    "sultra",
    "maluku",
    "malut",
    "papua",
    "papuabarat",
]
_HOSTS = ("www.antaranews.com", *(f"{b}.antaranews.com" for b in _BUREAUS))

# '/berita/527615/29-penerbangan-…' on the national site and on every bureau
_ARTICLE = r"^/berita/\d{4,}/[\w-]+"
# photo and video stories ('/foto/…', '/video/…'), infographics, tags, the index
_NOT_ARTICLE = r"^/(?:foto|video|infografis|tag|indeks|terkini|search)(?:/|$)"

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="antara",
        version="2016",
        network="antara",
        valid_from=date(2012, 1, 1),
        domains=("antaranews.com", "*.antaranews.com"),
        body=("div#content_news",),
        title=("h1",),
        authors=("div.byline",),
        date=("div.date",),
        section=("ul#topnav li.active > a",),
        caption=("div#caption_news",),
        prune=("p.mt10", "div#image_news", "p.date"),
        hosts=_HOSTS,
        sitemaps=("/sitemap.xml",),
        feeds=("/rss", "/rss/nasional", "/rss/ekonomi"),
        index_pages=("/terkini",),
        article_pattern=_ARTICLE,
        not_article_pattern=_NOT_ARTICLE,
        notes="antaranews.com 2015-2017 pages of the corpus (also otomotif.antaranews.com); "
        "feeds from their header links and the corpus RSS file.",
    ),
    SiteProfile(
        name="antara",
        version="2024",
        network="antara",
        valid_from=date(2020, 1, 1),
        domains=("antaranews.com", "*.antaranews.com"),
        # the story is text and <br>s straight inside the container (plus some <p>s)
        body=("div.wrap__article-detail-content", "div.post-content"),
        title=("div.wrap__article-detail-title h1", ".wrap__article-detail h1", "h1"),
        # no author/editor selectors: 'Pewarta: X<br>Editor: Y' share one p.text-muted, and
        # the labelled-line harvest reads both roles from it apart (a selector cannot)
        date=(
            ".wrap__article-detail-info span.text-secondary",
            "span.text-secondary.font-weight-normal",
        ),
        tags=(".blog-tags a", ".wrap__article-detail .tags a"),
        section=("ul.breadcrumbs li a", ".breadcrumbs a", ".breadcrumb a"),
        caption=(".wrap__article-detail-image figcaption", ".wrap__article-detail-image .caption"),
        prune=(
            ".baca-juga",
            "span.baca-juga",
            "p.text-muted",
            ".adsbygoogle",
            "[id^='div-gpt-ad']",
            ".quote-content",
        ),
        hosts=_HOSTS,
        sitemaps=("/sitemap.xml", "/sitemap-news.xml"),
        feeds=("/rss/terkini.xml", "/rss"),
        index_pages=("/terkini",),
        article_pattern=_ARTICLE,
        not_article_pattern=_NOT_ARTICLE,
        notes="Current antaranews.com / regional bureau layout (Bootstrap 'wrap__article-detail' "
        "template, about 2020-2026) from public scrapers' selectors and knowledge of the layout, "
        "not from a saved page: div.wrap__article-detail-content holding the story as text "
        "and <br>s after a 'Surabaya (ANTARA) -' lead-in, 'Baca juga:' links, p.text-muted.small "
        "'Pewarta: … Editor: … Copyright © ANTARA 2024', span.text-secondary.font-weight-normal "
        "date 'Senin, 4 November 2024 10:15 WIB', figcaption with '(ANTARA/NAME)' credit, "
        "ul.breadcrumbs, .blog-tags. Feed and sitemap paths of the current site are from memory.",
    ),
]
