"""Tribun Network (Kompas Gramedia): tribunnews.com subdomains and the regional Tribun domains."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="tribun",
        version="2020",
        network="tribun",
        valid_from=date(2018, 1, 1),
        domains=("tribunnews.com", "*.tribunnews.com"),
        body=("div.side-article.txt-article", "div.txt-article"),
        title=("h1#arttitle", "h1"),
        editors=("div#editor",),
        authors=("div#penulis", "div.penulis"),
        date=("time", "#article time"),
        tags=("h5.tagcloud3 a", ".tagcloud3 a"),
        section=("ul.breadcrumb li a",),
        caption=("#artimg .arial", ".imgfull_div + .cl2 + .arial"),
        prune=("p.baca", ".paging", "#adsbottom"),
        article_pattern=r"/\d{4}/\d{2}/\d{2}/",
        notes="solo.tribunnews.com 2020 page of the corpus.",
    ),
]
