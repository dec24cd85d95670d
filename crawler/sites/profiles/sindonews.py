"""SINDOnews (MNC group): sindonews.com channels and its regional desks."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

_HOSTS = tuple(
    f"{channel}.sindonews.com"
    for channel in [
        "www",
        "nasional",
        "metro",
        "daerah",
        "ekbis",
        "international",
        "sports",
        "edukasi",
        "tekno",
        "lifestyle",
        "jatim",
        "jateng",
        "jabar",
        "sumut",
        "sulsel",
        "makassar",
    ]
)

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="sindonews",
        version="2024",
        network="mnc",
        valid_from=date(2022, 1, 1),
        domains=("sindonews.com", "*.sindonews.com"),
        body=("div.detail-desc", "div#detail-desc", "div.article-content"),
        title=("h1.detail-title", "h1"),
        authors=(".detail-nama-redaksi a", ".warp-nama-redaksi a", ".detail-nama-redaksi"),
        date=(".detail-date-artikel", ".detail-date"),
        tags=(".detail-tag a", ".tag-list a"),
        section=(".breadcrumb a", "ul.breadcrumb li a"),
        caption=(".detail-img figcaption", ".detail-img .caption", ".img-caption"),
        prune=(
            "div[class^='baca-juga']",
            "div[class*=' baca-juga']",
            "div[class^='lihat-juga']",
            "div[class^='related']",
            "div[class*='ads']",
            ".detail-tag",
        ),
        hosts=_HOSTS,
        sitemaps=("/sitemap.xml",),
        index_pages=("/indeks",),
        # '/read/1483456/704/banjir-…-1731225600': id, channel id, slug ending in a timestamp
        article_pattern=r"^/read/\d+/\d+/[\w-]+-\d{10}",
        not_article_pattern=r"^/(?:photo|video|tag|topic|indeks|search)(?:/|$)",
        notes="Current SINDOnews layout from public scrapers' selectors, not from a saved page: "
        "div.detail-desc body with baca-juga / lihat-juga / related / ads boxes, "
        ".warp-nama-redaksi / .detail-nama-redaksi byline, .detail-date-artikel date, "
        "/read/<id>/<channel>/<slug>-<timestamp> URLs, sitemap.xml; infografis.sindonews.com "
        "'/photo/…' pages are galleries. Regional desk hosts from memory.",
    ),
]
