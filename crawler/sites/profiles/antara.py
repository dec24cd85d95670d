"""ANTARA news agency: antaranews.com and its regional bureaus."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

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
        article_pattern=r"/berita/\d+/",
        notes="antaranews.com 2015-2017 pages of the corpus (also otomotif.antaranews.com).",
    ),
]
