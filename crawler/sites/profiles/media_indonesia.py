"""Media Indonesia (Media Group)."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="mediaindonesia",
        version="2026",
        network="media-group",
        valid_from=date(2023, 1, 1),
        domains=("mediaindonesia.com", "*.mediaindonesia.com"),
        body=("div.article",),
        title=("div.post-header h1", "h1"),
        authors=("div.author-2",),
        date=("div.post-header span.datetime", "span.datetime"),
        tags=("ul.related-tags a",),
        section=("ul.mi-breadcrumb a",),
        caption=("figure.main-img figcaption",),
        prune=("div.info-author", "figure", "ul.related-tags", ".related-tags"),
        hosts=("mediaindonesia.com",),
        sitemaps=("/sitemap.xml",),
        feeds=("/feed",),
        index_pages=("/indeks",),
        # '/ekonomi/848034/ihsg-hari-ini-…': section, numeric id, slug
        article_pattern=r"^/[\w-]+/\d{4,}/[\w-]+",
        not_article_pattern=r"^/(?:foto|video|galeri|tag|indeks|search)(?:/|$)",
        notes="mediaindonesia.com January 2026 pages of the corpus; feed and index from their header links.",
    ),
]
