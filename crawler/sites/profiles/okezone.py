"""Okezone (MNC group)."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

# Every channel ('kanal') is a subdomain with its own copy of the template.
_HOSTS = tuple(
    f"{kanal}.okezone.com"
    for kanal in [
        "www",
        "news",
        "economy",
        "women",
        "celebrity",
        "sports",
        "bola",
        "ototekno",
        "muslim",
        "edukasi",
        "lifestyle",
        "techno",
    ]
)

# '/read/2017/02/17/33/1620900/cara-indra-birowo-…': date, channel id, article id, slug
_ARTICLE = r"^/read/\d{4}/\d{2}/\d{2}/\d+/\d+/[\w-]+"
# robots.txt forbids /more/ and /mmore/; indexes, tags, topics, photo and video pages
_NOT_ARTICLE = r"^/(?:more|mmore|indeks|index|tag|topic|foto|video|infografis|search)(?:/|$)"

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="okezone",
        version="2017",
        network="mnc",
        valid_from=date(2014, 1, 1),
        domains=("okezone.com", "*.okezone.com"),
        body=("div#contentx", "div.ctn-desc", "div.read"),
        title=("div.title-detail h1", "div.titles h1", "h1"),
        authors=("div.nmreporter div", "div.title-detail span b", ".reporter b"),
        date=("div.namerep b", "div.title-detail .time", ".namerep"),
        section=("ul.breadcrumb li.bractive a", "ul.breadcrumb a", ".navbar-nav li.active > a"),
        tags=("a.mb-topic", ".tag a"),
        hosts=_HOSTS,
        sitemaps=("/sitemap.xml",),
        feeds=("/feed",),
        index_pages=("https://index.okezone.com/",),
        article_pattern=_ARTICLE,
        not_article_pattern=_NOT_ARTICLE,
        notes="okezone.com 2015 and 2017 pages of the corpus; feeds and index.okezone.com from "
        "their header links.",
    ),
    SiteProfile(
        name="okezone",
        version="2024",
        network="mnc",
        valid_from=date(2021, 1, 1),
        domains=("okezone.com", "*.okezone.com"),
        body=("div.c-detail.read", "div.c-detail"),
        title=(".title-article h1", "h1"),
        # '<div class=journalist><a title="NAME">NAME</a> <span>Jurnalis-Senin, … WIB</span>'
        authors=(".journalist a[title]", ".journalist a"),
        date=(".journalist span", ".journalist"),
        tags=("#tag .box-tag a", ".box-tag a"),
        section=(".breadcrumb a", "ul.breadcrumb a"),
        caption=(".detail-img .caption", ".detail-img figcaption", "figure.detail-img figcaption"),
        prune=(
            "#baca-juga",
            "[id^='baca-juga']",
            ".vicon",
            "div[class^='inject-']",
            "div[class*='banner']",
            "#paging",
            "#tag",
        ),
        hosts=_HOSTS,
        sitemaps=("/sitemap.xml",),
        index_pages=("/indeks", "https://index.okezone.com/"),
        article_pattern=_ARTICLE,
        not_article_pattern=_NOT_ARTICLE,
        pagination="all",
        page_param="page",
        notes="Current okezone.com layout (about 2021-2026) from public scrapers' selectors and a "
        "public adapter's notes on the live site (2026), not from a saved page: div.c-detail.read "
        "body, .title-article h1, .journalist credit with the date span 'Jurnalis-…', #baca-juga "
        "boxes after nearly every paragraph, .vicon video wrappers, inject-/banner ad slots, "
        "'Follow … WhatsApp Channel' and 'Telusuri berita … lainnya' prompts, #tag .box-tag "
        "tags, #paging .box-nomor a.nomor page bar with the whole story at ?page=all; each "
        "channel's '/indeks' and index.okezone.com list articles.",
    ),
]
