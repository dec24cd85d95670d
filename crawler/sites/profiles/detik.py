"""detik.com and its regional editions (detikJabar, detikJateng, …)."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="detik",
        version="2015",
        network="detik",
        valid_from=date(2012, 1, 1),
        domains=("detik.com", "*.detik.com"),
        body=("div.text_detail", "div#detikdetailtext"),
        title=("div.jdl h1", "h1"),
        authors=("div.author",),
        date=("div.date",),
        section=("ul.breadcrumb li a",),
        caption=("div.pic_artikel span", "div.pic_artikel"),
        article_pattern=r"/read/\d{4}/\d{2}/\d{2}/",
        notes="inet.detik.com 2015 page of the corpus.",
    ),
]
